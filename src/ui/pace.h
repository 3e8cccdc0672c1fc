/*
 * Wall time into ticks at the chosen speed, for the console and the line
 * mode alike: the one place a live game meets the clock on the wall.
 */
#ifndef FD_PACE_H
#define FD_PACE_H

#include "cmd/cmd.h"
#include "session/session.h"

/* The speeds a live game runs at, slowest (1x) first. */
#define PACE_NSPEEDS	5
extern const double pace_speeds[PACE_NSPEEDS];
/* Index of v in pace_speeds; -1 when it is not one of them. */
int	pace_speed_index(double v);

/*
 * The verbs a live front end answers itself (the table's CMDF_CONSOLE
 * entries): what a typed line asks of the console or the line mode.
 */
enum pace_verb {
	PACE_NOT_OURS,		/* not a console verb: run it as a command */
	PACE_QUIT,
	PACE_PAUSE,
	PACE_RESUME,
	PACE_SPEED,		/* *speed_ix is set */
	PACE_BAD_SPEED,		/* not one of pace_speeds: show the usage */
	PACE_POSTMORTEM
};
enum pace_verb	pace_verb(const struct cmd_entry *, int argc, char **argv,
		    int *speed_ix);

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
