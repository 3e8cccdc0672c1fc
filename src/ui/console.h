/*
 * The live console: title, incident picker, briefing, the incident
 * itself and its results, in a loop.  This is where wall time becomes
 * ticks, and the only place.
 */
#ifndef FD_CONSOLE_H
#define FD_CONSOLE_H

#include <stdint.h>

struct stored_session;

struct console_opts {
	const char	*datadir;
	const char	*incident;	/* NULL: start at the title */
	uint64_t	 seed;
	int		 seed_set;
	double		 speed;
	const char	*player;
	const char	*db;		/* NULL: the default database */
	int		 bell;
	/* firedrill replay: the recording to play back, or NULL. */
	const struct stored_session *replay;
	long		 branch_ms;	/* >= 0: branch there and play live */
	int		 ghost;		/* race the personal best's phase marks */
};

/* Run until the player quits.  -1 with cause when it cannot start. */
int	console_run(const struct console_opts *, char **cause);

#endif
