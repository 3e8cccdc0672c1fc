/*
 * Wall time into ticks at the chosen speed, for the console and the line
 * mode alike: the one place a live game meets the clock on the wall.
 */
#ifndef FD_PACE_H
#define FD_PACE_H

#include "session/session.h"

struct pace {
	double	speed;		/* 1, 2, 5, 10 or 60 */
	int	paused;
	double	acc_ms;		/* sim time owed, under a tick */
	long	last_wall;
};

/* Monotonic milliseconds. */
long	pace_wall_ms(void);
void	pace_start(struct pace *, double speed);
/*
 * Whole ticks due since the last call (none while paused or over); after
 * a long stall at most a minute of sim time, never a race to catch up.
 */
long	pace_due(struct pace *, const struct session *);
/* Give back ticks that were due but not run (they stay owed). */
void	pace_giveback(struct pace *, long n);
/*
 * Run up to n ticks of the game loop.  Above 1x, the first firing of a
 * real page stops there and drops *speed to 1: a page is never skipped
 * past.  Returns the ticks run; *dropped says the speed fell.
 */
long	pace_ticks(struct session *, long n, double *speed, int *dropped);

#endif
