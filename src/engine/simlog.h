/*
 * Simulated logs: a bounded ring of the lines the platform would write,
 * from the model itself (breakers, deploys, connection refusals) and from
 * the incident's log rules.  Texts only; nothing here reads the model.
 */
#ifndef FD_SIMLOG_H
#define FD_SIMLOG_H

#include <stdint.h>

#define SIMLOG_MAX	4096

struct logline {
	long	 t_ms;
	char	*src;
	char	*level;
	char	*text;
};

struct simlog {
	struct logline	 v[SIMLOG_MAX];
	long		 n;		/* lines ever written */
	uint64_t	 hash;		/* FNV-1a of every line written */
};

void	simlog_init(struct simlog *);
void	simlog_fini(struct simlog *);
void	simlog_add(struct simlog *, long t_ms, const char *src,
	    const char *level, const char *text);
/* The i-th line still held, oldest first; NULL past the end. */
const struct logline *simlog_get(const struct simlog *, long i);
long	simlog_count(const struct simlog *);

#endif
