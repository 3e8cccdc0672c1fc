/*
 * P2 as cohorts.  A cohort admitted at tick k with a hold of d ticks is
 * counted busy at samples k .. k+d-1; a fractional hold splits the cohort
 * between floor(d) and floor(d)+1 so that the mean occupancy is exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pool.h"
#include "engine/prim.h"
#include "util/xmalloc.h"

#define EPS	1e-12

void
pool_init(struct pool *p, int nclass, double size, double timeout_ms)
{
	memset(p, 0, sizeof *p);
	p->nclass = nclass;
	p->size = size;
	p->timeout_ms = timeout_ms;
	p->busy_c = xcalloc(nclass, sizeof *p->busy_c);
	p->due = xcalloc(POOL_RING, sizeof *p->due);
	p->due_c = xcalloc((size_t)nclass * POOL_RING, sizeof *p->due_c);
	p->q = xcalloc((size_t)nclass * POOL_RING, sizeof *p->q);
	p->q_c = xcalloc(nclass, sizeof *p->q_c);
	p->admitted = xcalloc(nclass, sizeof *p->admitted);
	p->wait_ms = xcalloc(nclass, sizeof *p->wait_ms);
	p->expired = xcalloc(nclass, sizeof *p->expired);
	p->rejected = xcalloc(nclass, sizeof *p->rejected);
	p->tick = -1;
}

void
pool_fini(struct pool *p)
{
	free(p->busy_c);
	free(p->due);
	free(p->due_c);
	free(p->q);
	free(p->q_c);
	free(p->admitted);
	free(p->wait_ms);
	free(p->expired);
	free(p->rejected);
	memset(p, 0, sizeof *p);
}

void
pool_reset(struct pool *p)
{
	int	n = p->nclass;

	memset(p->busy_c, 0, n * sizeof *p->busy_c);
	memset(p->due, 0, POOL_RING * sizeof *p->due);
	memset(p->due_c, 0, (size_t)n * POOL_RING * sizeof *p->due_c);
	memset(p->q, 0, (size_t)n * POOL_RING * sizeof *p->q);
	memset(p->q_c, 0, n * sizeof *p->q_c);
	p->busy = p->qtotal = 0;
	p->qhead = p->tick + 1;
}

void
pool_offer(struct pool *p, int c, double mass)
{
	long	now = p->tick + 1;
	int	slot = (int)(now % POOL_RING);

	if (mass <= 0)
		return;
	if (p->qmax > 0 && p->qtotal + mass > p->qmax +
	    fmax(0, p->size - p->busy - p->ext)) {
		double room = fmax(0, p->qmax + fmax(0, p->size - p->busy -
		    p->ext) - p->qtotal);

		p->rejected[c] += mass - room;
		mass = room;
		if (mass <= 0)
			return;
	}
	if (p->qtotal <= EPS)
		p->qhead = now;
	p->q[(size_t)c * POOL_RING + slot] += mass;
	p->q_c[c] += mass;
	p->qtotal += mass;
}

static void
schedule(struct pool *p, int c, long now, double mass, double d)
{
	long	 whole;
	double	 frac;
	int	 s;

	if (d > POOL_RING - 2)
		d = POOL_RING - 2;
	if (d < 0)
		d = 0;
	whole = (long)floor(d);
	frac = d - (double)whole;
	/* The first part is busy for `whole` samples, the rest one more. */
	if (whole > 0 && mass * (1 - frac) > 0) {
		s = (int)((now + whole) % POOL_RING);
		p->due[s] += mass * (1 - frac);
		p->due_c[(size_t)c * POOL_RING + s] += mass * (1 - frac);
		p->busy += mass * (1 - frac);
		p->busy_c[c] += mass * (1 - frac);
	}
	if (frac > 0) {
		s = (int)((now + whole + 1) % POOL_RING);
		p->due[s] += mass * frac;
		p->due_c[(size_t)c * POOL_RING + s] += mass * frac;
		p->busy += mass * frac;
		p->busy_c[c] += mass * frac;
	}
}

/* The share of a sample a cohort of hold d occupies on its first tick. */
static double
occupancy(double d)
{
	if (d >= 1)
		return (1);
	return (d > 0 ? d : 0);
}

void
pool_step(struct pool *p, long now, const double *hold_ticks,
    const double *occ)
{
	long	 t, limit;
	int	 c, slot;
	double	 need, over, room, f, m, admitted_total = 0, taken = 0;
	size_t	 i;
	long	 head0 = p->qhead;
	int	 had_queue = p->qtotal > 0;

	for (c = 0; c < p->nclass; c++)
		p->admitted[c] = p->wait_ms[c] = p->expired[c] = 0;
	/* rejected[] was filled by this tick's offers; the caller reads it
	 * after the step and clears it. */
	/* Release what is due, for every tick skipped since the last step. */
	for (t = p->tick + 1; t <= now; t++) {
		slot = (int)(t % POOL_RING);
		if (p->due[slot] == 0)
			continue;
		p->busy -= p->due[slot];
		p->due[slot] = 0;
		for (c = 0; c < p->nclass; c++) {
			i = (size_t)c * POOL_RING + slot;
			p->busy_c[c] -= p->due_c[i];
			p->due_c[i] = 0;
		}
	}
	if (p->busy < EPS)
		p->busy = 0;
	p->tick = now;

	/* Admit oldest first; one arrival tick is shared in proportion. */
	for (t = p->qhead; t <= now && p->qtotal > EPS; t++) {
		slot = (int)(t % POOL_RING);
		need = over = 0;
		for (c = 0; c < p->nclass; c++) {
			double q = p->q[(size_t)c * POOL_RING + slot];

			if (occ != NULL && occ[c] > 0) {
				need += q * occ[c];
				over += q * occ[c];
			} else
				need += q * occupancy(hold_ticks[c]);
		}
		room = p->size - p->busy - p->ext - taken;
		if (room <= EPS)
			break;
		f = need <= room ? 1 : room / need;
		/* Occupancy tracked elsewhere still takes room this tick. */
		taken += over * f;
		for (c = 0; c < p->nclass; c++) {
			i = (size_t)c * POOL_RING + slot;
			m = p->q[i] * f;
			if (m <= 0)
				continue;
			schedule(p, c, now, m, hold_ticks[c]);
			p->q[i] -= m;
			p->q_c[c] -= m;
			p->qtotal -= m;
			p->admitted[c] += m;
			p->wait_ms[c] += m * (double)(now - t) * TICK_MS;
			admitted_total += m;
		}
		if (f < 1)
			break;
		p->qhead = t + 1;
	}

	p->transient = taken;

	/* Expire whoever would wait past the timeout by the next tick. */
	limit = now - (long)floor(p->timeout_ms / TICK_MS) + 1;
	for (t = p->qhead; t < limit && t <= now && p->qtotal > EPS; t++) {
		slot = (int)(t % POOL_RING);
		for (c = 0; c < p->nclass; c++) {
			i = (size_t)c * POOL_RING + slot;
			if (p->q[i] == 0)
				continue;
			p->expired[c] += p->q[i];
			p->q_c[c] -= p->q[i];
			p->qtotal -= p->q[i];
			p->q[i] = 0;
		}
		p->qhead = t + 1;
	}
	if (p->qtotal < EPS && had_queue) {
		/* Drop rounding dust so it never resurfaces as arrivals. */
		for (t = head0; t <= now && t < head0 + POOL_RING; t++) {
			slot = (int)(t % POOL_RING);
			for (c = 0; c < p->nclass; c++)
				p->q[(size_t)c * POOL_RING + slot] = 0;
		}
		for (c = 0; c < p->nclass; c++)
			p->q_c[c] = 0;
		p->qtotal = 0;
		p->qhead = now + 1;
	}
	p->admit_rate = 0.9 * p->admit_rate +
	    0.1 * admitted_total * TICKS_PER_S;
}

double
pool_wait_estimate(const struct pool *p)
{
	double	need, acc = 0;
	long	k, horizon;

	need = p->qtotal - (p->size - p->busy - p->ext);
	if (need < 0)
		return (0);
	horizon = (long)(p->timeout_ms / TICK_MS);
	if (horizon > POOL_RING - 1)
		horizon = POOL_RING - 1;
	for (k = 1; k <= horizon; k++) {
		acc += p->due[(p->tick + k) % POOL_RING];
		if (acc > need)
			return ((double)k * TICK_MS);
	}
	/* Releases tracked elsewhere: fall back on the recent drain rate. */
	if (p->ext > EPS && p->admit_rate > EPS &&
	    need / p->admit_rate * 1000 < p->timeout_ms)
		return (need / p->admit_rate * 1000);
	return (p->timeout_ms);
}

double
pool_carry(const struct pool *p, int c, long tick)
{
	double	held = p->busy_c[c];
	long	t;

	for (t = p->tick + 1; t <= tick && t - p->tick < POOL_RING; t++)
		held -= p->due_c[(size_t)c * POOL_RING + t % POOL_RING];
	return (p->q_c[c] + (held > 0 ? held : 0));
}

void
pool_occupy(struct pool *p, int c, double mass, double hold_ticks)
{
	if (mass > 0)
		schedule(p, c, p->tick, mass, hold_ticks);
}

double
pool_needed(const double *rate, const double *hold_ms, int n)
{
	double	s = 0;
	int	i;

	for (i = 0; i < n; i++)
		s += rate[i] * hold_ms[i] / 1000;
	return (s);
}
