/*
 * Lock-order deadlocks and continuous jobs (catalog A.2.6).  A job with a
 * route (a sync) drives that route at rate × workers inside its window of
 * the day.  Two classes that take the same two row locks in opposite
 * orders deadlock at the Poisson rate kappa·λA·λB; the expected value is
 * used, so a transcript replays the same.  Each deadlock holds both
 * sessions for lock_wait_timeout, the rows they hold stop the other
 * sessions of the hot product for as long, and then one of the pair is
 * aborted.  No C here knows a service, a table or a job by name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"

/* Unbounded waits (lock_wait_timeout 0): what a stuck session costs. */
#define UNBOUNDED_MS	600000.0

double
deadlock_rate(double kappa, double la, double lb)
{
	if (kappa <= 0 || la <= 0 || lb <= 0)
		return (0);
	return (kappa * la * lb);
}

double
deadlock_share(double per_min, double followers, double la)
{
	if (la <= 0 || per_min <= 0)
		return (0);
	return (fmin(1, per_min / 60 * (1 + followers) / la));
}

static double
hold_ms(const struct world *w)
{
	return (w->dbx.lock_wait_timeout_ms > 0 ? w->dbx.lock_wait_timeout_ms :
	    UNBOUNDED_MS);
}

static void
step_jobs(struct game *g)
{
	struct world	*w = &g->w;
	long		 tod = game_time_of_day(g);
	int		 i, on;

	for (i = 0; i < w->dbx.njob; i++) {
		struct dbx_job *j = &w->dbx.job[i];

		if (j->route < 0)
			continue;
		on = j->enabled && j->workers > 0 && (j->win_from_s < 0 ||
		    clock_in_window(tod, (int)j->win_from_s, (int)j->win_to_s));
		if (on && j->flag[0] != '\0' && !world_flag_on(w, j->flag))
			on = 0;
		w->route[j->route].rps_base = on ? j->rate * j->workers : 0;
		/* Paused, it falls behind in real time; running, it catches
		 * up in proportion to its workers (1 s behind at rest). */
		if (!on)
			j->lag_s += TICK_S;
		else
			j->lag_s = fmax(1, j->lag_s - TICK_S * 4 * j->workers);
		if (on != j->running)
			game_log(g, j->app, "INFO", "scheduler: %s %s (%g"
			    " workers)", j->name, on ? "running" : "paused",
			    j->workers);
		j->running = on;
	}
}

void
dbx_deadlock_step(struct game *g)
{
	struct world	*w = &g->w;
	int		 i;

	step_jobs(g);
	for (i = 0; i < w->dbx.ndl; i++) {
		struct dbx_deadlock	*d = &w->dbx.dl[i];
		struct svc_class	*a = &w->cls[d->a], *b = &w->cls[d->b];
		struct svc		*sa = &w->svc[a->svc], *sb = &w->svc[b->svc];
		double			 k = d->kappa, t = hold_ms(w) / 1000;

		if (d->inst_a0 <= 0)
			d->inst_a0 = fmax(1, sa->instances);
		if (d->inst_b0 <= 0)
			d->inst_b0 = fmax(1, sb->instances);
		/* A side with the consistent order cannot close a cycle. */
		if (d->a_version[0] != '\0')
			k *= svc_version_share(sa, d->a_version);
		if (d->b_version[0] != '\0')
			k *= svc_version_share(sb, d->b_version);
		/* More pods racing for the hot rows: more overlap. */
		k *= sa->instances / d->inst_a0 * sb->instances / d->inst_b0;
		d->per_min = deadlock_rate(k, a->rps, b->rps);
		d->followers = a->rps * d->hot_pct / 100 * t;
		d->b_followers = b->rps * d->b_hot_pct / 100 * t;
		d->share_a = deadlock_share(d->per_min, d->followers, a->rps);
		d->share_b = deadlock_share(d->per_min, d->b_followers, b->rps);
		d->sessions = 2 * d->per_min / 60 * t;
		d->waiters = d->sessions + d->per_min / 60 * t *
		    (d->followers + d->b_followers);
		d->total += d->per_min / 60 * TICK_S;
		if (d->total < d->logged + 1)
			continue;
		d->logged = floor(d->total);
		d->pid_a = w->dbx.next_pid++;
		if (d->pid_first == 0)
			d->pid_first = d->pid_a;
		d->pid_b = w->dbx.next_pid++;
		d->row_a = 100 + (int)d->logged * 37 % 900;
		d->row_b = 400 + (int)d->logged * 53 % 500;
		game_log(g, w->db[d->node].name, "ERROR", "deadlock detected");
		game_log(g, w->db[d->node].name, "DETAIL", "Process %d waits for"
		    " ShareLock on transaction %d; blocked by process %d."
		    " Process %d waits for ShareLock on transaction %d; blocked"
		    " by process %d.", d->pid_a, 88100 + d->pid_b % 100,
		    d->pid_b, d->pid_b, 88100 + d->pid_a % 100, d->pid_a);
		game_log(g, w->db[d->node].name, "CONTEXT", "while updating"
		    " tuple (%d,7) in relation \"%s\"", 1100 + d->row_a,
		    d->a_table);
		if (sa->retries_on_deadlock >= 1)
			game_log(g, sa->name, "WARN", "%s: deadlock detected"
			    " (SQLSTATE 40P01) after %.0fms, retrying (1/%g)",
			    a->name, hold_ms(w) + 2, sa->retries_on_deadlock);
		else
			game_log(g, sa->name, "ERROR", "%s 500 after %.0fms:"
			    " deadlock detected (SQLSTATE 40P01)", a->name,
			    hold_ms(w) + 2);
	}
}

double
dbx_deadlock_share(const struct world *w, int cls, double *abort_p)
{
	double	s = 0, ab = 0;
	int	i;

	for (i = 0; i < w->dbx.ndl; i++) {
		const struct dbx_deadlock *d = &w->dbx.dl[i];

		/* One of the pair is the victim, half the time each side;
		 * a service that retries on 40P01 succeeds the second time. */
		if (d->a == cls || d->b == cls) {
			s += d->a == cls ? d->share_a : d->share_b;
			if (w->cls[cls].rps > 0 &&
			    w->svc[w->cls[cls].svc].retries_on_deadlock < 1)
				ab += d->per_min / 120 / w->cls[cls].rps;
		}
	}
	if (abort_p != NULL)
		*abort_p = fmin(1, ab);
	return (fmin(1, s));
}

double
dbx_deadlocks_per_min(const struct world *w, int node)
{
	double	r = 0;
	int	i;

	for (i = 0; i < w->dbx.ndl; i++)
		if (w->dbx.dl[i].node == node)
			r += w->dbx.dl[i].per_min;
	return (r);
}

double
dbx_deadlock_waiters(const struct world *w, int node)
{
	double	r = 0;
	int	i;

	for (i = 0; i < w->dbx.ndl; i++)
		if (w->dbx.dl[i].node == node)
			r += w->dbx.dl[i].waiters;
	return (r);
}

double
dbx_lock_hold_ms(const struct world *w)
{
	return (hold_ms(w));
}
