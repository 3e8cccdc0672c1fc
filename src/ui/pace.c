/*
 * Wall time into ticks.  Shared by the console and the line mode so both
 * play at the same pace and both stop fast-forward at a first page.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/pace.h"

const double pace_speeds[PACE_NSPEEDS] = { 1, 2, 5, 10, 60 };

int
pace_speed_index(double v)
{
	int	i;

	for (i = 0; i < PACE_NSPEEDS; i++)
		if (v == pace_speeds[i])
			return (i);
	return (-1);
}

enum pace_verb
pace_verb(const struct cmd_entry *e, int argc, char **argv, int *speed_ix)
{
	if (e == NULL || !(e->flags & CMDF_CONSOLE))
		return (PACE_NOT_OURS);
	if (strcmp(e->name, "quit") == 0)
		return (PACE_QUIT);
	if (strcmp(e->name, "pause") == 0)
		return (PACE_PAUSE);
	if (strcmp(e->name, "resume") == 0)
		return (PACE_RESUME);
	if (strcmp(e->name, "speed") == 0) {
		*speed_ix = argc == 2 ? pace_speed_index(strtod(argv[1],
		    NULL)) : -1;
		return (*speed_ix < 0 ? PACE_BAD_SPEED : PACE_SPEED);
	}
	return (PACE_POSTMORTEM);
}

long
pace_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
pace_start(struct pace *p, double speed)
{
	p->speed = speed > 0 ? speed : 1;
	p->paused = 0;
	p->acc_ms = 0;
	p->last_wall = pace_wall_ms();
}

long
pace_due(struct pace *p, const struct session *s)
{
	long	now = pace_wall_ms(), n;

	if (p->paused || s->g.over) {
		p->last_wall = now;
		return (0);
	}
	p->acc_ms += (double)(now - p->last_wall) * p->speed;
	p->last_wall = now;
	n = (long)(p->acc_ms / TICK_MS);
	if (n > 6000) {
		n = 6000;
		p->acc_ms = 0;
	} else
		p->acc_ms -= (double)n * TICK_MS;
	return (n);
}

void
pace_giveback(struct pace *p, long n)
{
	if (n > 0)
		p->acc_ms += (double)n * TICK_MS;
}

long
pace_ticks(struct session *s, long n, double *speed, int *dropped)
{
	long	i;
	int	before, k, r;

	*dropped = 0;
	for (i = 0; i < n && !s->g.over; i++) {
		before = s->g.tl.n;
		session_tick(s);
		if (*speed <= 1)
			continue;
		for (k = before; k < s->g.tl.n; k++) {
			const struct event *e = &s->g.tl.v[k];

			if (e->kind != EV_ALERT_FIRED || e->detail == NULL)
				continue;
			r = alerts_find(&s->g.alerts, e->detail);
			/* Only a first page: a flapping one must not pin
			 * the speed at 1x. */
			if (r >= 0 && s->g.alerts.v[r].sev == ALERT_PAGE &&
			    !s->g.alerts.v[r].noise &&
			    s->g.alerts.v[r].fired_count == 1) {
				*speed = 1;
				*dropped = 1;
			}
		}
		if (*dropped)
			return (i + 1);
	}
	return (i);
}
