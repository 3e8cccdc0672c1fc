/*
 * Alert rules and their state machine.  A rule matches several series
 * (one per route, say); it fires when any of them breaches for for_s, and
 * resolves when none does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alert.h"
#include "util/xmalloc.h"

void
alerts_init(struct alerts *a)
{
	memset(a, 0, sizeof *a);
}

static void
rule_free(struct alert_rule *r)
{
	free(r->expr);
	free(r->ids);
	free(r->summary);
}

void
alerts_fini(struct alerts *a)
{
	int	i;

	for (i = 0; i < a->n; i++)
		rule_free(&a->v[i]);
	free(a->v);
	alerts_init(a);
}

int
alerts_find(const struct alerts *a, const char *id)
{
	int	i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].id, id) == 0)
			return (i);
	return (-1);
}

void
alerts_remove(struct alerts *a, int i)
{
	if (i < 0 || i >= a->n)
		return;
	rule_free(&a->v[i]);
	memmove(&a->v[i], &a->v[i + 1], (a->n - i - 1) * sizeof *a->v);
	a->n--;
}

int
alerts_add(struct alerts *a, const char *id, const char *expr, int for_s,
    enum alert_sev sev, const char *summary, char **cause)
{
	struct alert_rule	 r;
	char			*copy, *op, *end;
	double			 v;

	memset(&r, 0, sizeof r);
	if (strlen(id) >= sizeof r.id || *id == '\0') {
		*cause = xasprintf("bad alert id: %s", id);
		return (-1);
	}
	copy = xstrdup(expr);
	op = strpbrk(copy, "<>");
	if (op == NULL) {
		*cause = xasprintf("alert %s: expression needs < or >: %s",
		    id, expr);
		free(copy);
		return (-1);
	}
	r.op = *op;
	*op = '\0';
	if (selector_parse(&r.sel, copy, cause) != 0) {
		free(copy);
		return (-1);
	}
	v = strtod(op + 1, &end);
	if (end == op + 1) {
		*cause = xasprintf("alert %s: no threshold: %s", id, expr);
		free(copy);
		return (-1);
	}
	while (*end == ' ')
		end++;
	if (*end == 'x') {
		r.relative = 1;
		end++;
	}
	while (*end == ' ')
		end++;
	if (*end != '\0') {
		*cause = xasprintf("alert %s: trailing text: %s", id, expr);
		free(copy);
		return (-1);
	}
	free(copy);
	r.value = v;
	strlcpy_fd(r.id, id, sizeof r.id);
	r.expr = xstrdup(expr);
	r.for_s = for_s;
	r.sev = sev;
	r.summary = xstrdup(summary != NULL ? summary : expr);
	r.resolved_at = -1;
	r.fired_at = -1;
	if (alerts_find(a, id) != -1) {
		int	i = alerts_find(a, id);

		rule_free(&a->v[i]);
		a->v[i] = r;
		return (i);
	}
	a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
	a->v[a->n] = r;
	return (a->n++);
}

void
alerts_bind(struct alerts *a, const struct metrics *m)
{
	int	i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].ids);
		a->v[i].nids = selector_resolve(&a->v[i].sel, m, &a->v[i].ids);
	}
}

enum alert_change
alerts_eval(struct alerts *a, int i, const struct metrics *m, long now)
{
	struct alert_rule	*r = &a->v[i];
	double			 v, thr, excess, worst = -INFINITY;
	int			 k, breach = 0, wi = -1;

	for (k = 0; k < r->nids; k++) {
		const struct series *s = &m->v[r->ids[k]];

		v = s->value;
		thr = r->value;
		if (r->relative) {
			if (!isfinite(s->baseline) || s->baseline <= 0)
				continue;
			thr = r->value * s->baseline;
		}
		if (!isfinite(v))
			continue;
		if ((r->op == '>' && v > thr) || (r->op == '<' && v < thr)) {
			breach = 1;
			excess = r->op == '>' ? v / (thr > 0 ? thr : 1) :
			    (thr > 0 ? thr / (v > 0 ? v : 1e-9) : 1);
			if (excess > worst) {
				worst = excess;
				wi = r->ids[k];
			}
		}
	}
	if (wi != -1) {
		strlcpy_fd(r->worst, m->v[wi].full, sizeof r->worst);
		r->worst_value = m->v[wi].value;
	}
	switch (r->state) {
	case AL_OK:
		if (!breach)
			break;
		r->state = AL_PENDING;
		r->pending_since = now;
		/* FALLTHROUGH */
	case AL_PENDING:
		if (!breach) {
			r->state = AL_OK;
			break;
		}
		if (now - r->pending_since >= (long)r->for_s * 1000) {
			r->state = AL_FIRING;
			r->fired_at = now;
			r->clear_since = -1;
			r->acked = 0;
			r->fired_count++;
			return (r->muted ? AC_NONE : AC_FIRED);
		}
		break;
	case AL_FIRING:
		if (breach) {
			r->clear_since = -1;
			break;
		}
		if (r->clear_since < 0)
			r->clear_since = now;
		if (now - r->clear_since >= ALERT_CLEAR_S * 1000L) {
			r->state = AL_OK;
			r->resolved_at = now;
			return (r->muted ? AC_NONE : AC_RESOLVED);
		}
		break;
	}
	return (AC_NONE);
}

const char *
alert_sev_name(enum alert_sev s)
{
	switch (s) {
	case ALERT_PAGE:
		return ("page");
	case ALERT_TICKET:
		return ("ticket");
	default:
		return ("info");
	}
}
