/*
 * The log ring: the oldest line is overwritten once SIMLOG_MAX are held.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/fnv.h"
#include "engine/simlog.h"
#include "util/xmalloc.h"

void
simlog_init(struct simlog *l)
{
	memset(l, 0, sizeof *l);
	l->hash = FNV_OFFSET;
}

void
simlog_fini(struct simlog *l)
{
	int	i;

	for (i = 0; i < SIMLOG_MAX; i++) {
		free(l->v[i].src);
		free(l->v[i].level);
		free(l->v[i].text);
	}
	simlog_init(l);
}

void
simlog_add(struct simlog *l, long t_ms, const char *src, const char *level,
    const char *text)
{
	struct logline	*ln = &l->v[l->n % SIMLOG_MAX];

	free(ln->src);
	free(ln->level);
	free(ln->text);
	ln->t_ms = t_ms;
	ln->src = xstrdup(src);
	ln->level = xstrdup(level);
	ln->text = xstrdup(text);
	fnv_add_str(&l->hash, ln->text);
	l->n++;
}

long
simlog_count(const struct simlog *l)
{
	return (l->n < SIMLOG_MAX ? l->n : SIMLOG_MAX);
}

const struct logline *
simlog_get(const struct simlog *l, long i)
{
	long	first = l->n < SIMLOG_MAX ? 0 : l->n - SIMLOG_MAX;

	if (i < 0 || i >= simlog_count(l))
		return (NULL);
	return (&l->v[(first + i) % SIMLOG_MAX]);
}
