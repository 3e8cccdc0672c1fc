/*
 * The metric registry: flat arrays indexed by small ids.  Lookup by name is
 * linear and only used when building the world or answering commands.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/metric.h"
#include "util/buf.h"
#include "util/xmalloc.h"

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
}

void
metrics_fini(struct metrics *m)
{
	int	i, j;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].full);
		free(m->v[i].ring);
		for (j = 0; j < m->v[i].nlbl; j++) {
			free(m->v[i].lbl[j].key);
			free(m->v[i].lbl[j].val);
		}
	}
	free(m->v);
	metrics_init(m);
}

int
metrics_add(struct metrics *m, const char *name, ...)
{
	struct series	 s;
	struct buf	 b;
	va_list		 ap;
	const char	*k, *v;
	int		 id;

	memset(&s, 0, sizeof s);
	buf_init(&b);
	buf_puts(&b, name);
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		assert(s.nlbl < METRIC_MAXLBL);
		if (s.nlbl == METRIC_MAXLBL)
			continue;
		buf_puts(&b, s.nlbl == 0 ? "{" : ",");
		buf_printf(&b, "%s=\"%s\"", k, v);
		s.lbl[s.nlbl].key = xstrdup(k);
		s.lbl[s.nlbl].val = xstrdup(v);
		s.nlbl++;
	}
	va_end(ap);
	if (s.nlbl > 0)
		buf_putc(&b, '}');
	if ((id = metrics_find(m, buf_str(&b))) != -1) {
		for (int j = 0; j < s.nlbl; j++) {
			free(s.lbl[j].key);
			free(s.lbl[j].val);
		}
		buf_fini(&b);
		return (id);
	}
	s.name = xstrdup(name);
	s.full = buf_steal(&b);
	s.ring = xcalloc(METRIC_HIST_S, sizeof *s.ring);
	s.baseline = NAN;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 128;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n] = s;
	return (m->n++);
}

int
metrics_find(const struct metrics *m, const char *full)
{
	int	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].full, full) == 0)
			return (i);
	return (-1);
}

void
metrics_set(struct metrics *m, int id, double v)
{
	if (id >= 0 && id < m->n)
		m->v[id].value = v;
}

double
metrics_get(const struct metrics *m, int id)
{
	if (id < 0 || id >= m->n)
		return (NAN);
	return (m->v[id].value);
}

void
metrics_sample(struct metrics *m)
{
	int	i;

	for (i = 0; i < m->n; i++) {
		struct series *s = &m->v[i];

		s->ring[s->nsamples % METRIC_HIST_S] = (float)s->value;
		s->nsamples++;
	}
}

void
metrics_mark_baseline(struct metrics *m)
{
	int	i;

	for (i = 0; i < m->n; i++)
		m->v[i].baseline = m->v[i].value;
}

double
metrics_history(const struct metrics *m, int id, long ago)
{
	const struct series	*s;

	if (id < 0 || id >= m->n)
		return (NAN);
	s = &m->v[id];
	if (ago < 0 || ago >= s->nsamples || ago >= METRIC_HIST_S)
		return (NAN);
	return (s->ring[(s->nsamples - 1 - ago) % METRIC_HIST_S]);
}

const char *
series_label(const struct series *s, const char *key)
{
	int	i;

	for (i = 0; i < s->nlbl; i++)
		if (strcmp(s->lbl[i].key, key) == 0)
			return (s->lbl[i].val);
	return (NULL);
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return (p);
}

int
selector_parse(struct selector *sel, const char *text, char **cause)
{
	const char	*p = skip_ws(text), *start;
	size_t		 n;

	memset(sel, 0, sizeof *sel);
	start = p;
	while (*p != '\0' && *p != '{' && *p != ' ')
		p++;
	n = (size_t)(p - start);
	if (n == 0 || n >= sizeof sel->name) {
		*cause = xasprintf("bad metric selector: %s", text);
		return (-1);
	}
	memcpy(sel->name, start, n);
	p = skip_ws(p);
	if (*p == '\0')
		return (0);
	if (*p != '{') {
		*cause = xasprintf("bad metric selector: %s", text);
		return (-1);
	}
	p++;
	for (;;) {
		char	*key, *val;
		size_t	 kl, vl;
		int	 neg = 0;

		p = skip_ws(p);
		if (*p == '}')
			break;
		if (sel->nm == SEL_MAXM)
			goto bad;
		start = p;
		while (*p != '\0' && *p != '=' && *p != '!' && *p != '}')
			p++;
		kl = (size_t)(p - start);
		while (kl > 0 && start[kl - 1] == ' ')
			kl--;
		if (*p == '!') {
			neg = 1;
			p++;
		}
		if (*p != '=' || kl == 0 || kl >= sizeof sel->m[0].key)
			goto bad;
		p = skip_ws(p + 1);
		key = sel->m[sel->nm].key;
		val = sel->m[sel->nm].val;
		memcpy(key, start, kl);
		key[kl] = '\0';
		if (*p == '"') {
			start = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			if (*p != '"')
				goto bad;
			vl = (size_t)(p - start);
			p++;
		} else {
			start = p;
			while (*p != '\0' && *p != ',' && *p != '}')
				p++;
			vl = (size_t)(p - start);
			while (vl > 0 && start[vl - 1] == ' ')
				vl--;
		}
		if (vl >= sizeof sel->m[0].val)
			goto bad;
		memcpy(val, start, vl);
		val[vl] = '\0';
		sel->m[sel->nm].neg = neg;
		sel->nm++;
		p = skip_ws(p);
		if (*p == ',')
			p++;
		else if (*p != '}')
			goto bad;
	}
	p = skip_ws(p + 1);
	if (*p != '\0')
		goto bad;
	return (0);
bad:
	*cause = xasprintf("bad metric selector: %s", text);
	return (-1);
}

int
selector_match(const struct selector *sel, const struct series *s)
{
	const char	*v;
	int		 i;

	if (s->retired || strcmp(sel->name, s->name) != 0)
		return (0);
	for (i = 0; i < sel->nm; i++) {
		v = series_label(s, sel->m[i].key);
		if (sel->m[i].neg) {
			if (v != NULL && strcmp(v, sel->m[i].val) == 0)
				return (0);
		} else if (v == NULL || strcmp(v, sel->m[i].val) != 0)
			return (0);
	}
	return (1);
}

int
selector_resolve(const struct selector *sel, const struct metrics *m,
    int **ids)
{
	int	i, n = 0;

	*ids = NULL;
	for (i = 0; i < m->n; i++) {
		if (!selector_match(sel, &m->v[i]))
			continue;
		*ids = xreallocarray(*ids, n + 1, sizeof **ids);
		(*ids)[n++] = i;
	}
	return (n);
}
