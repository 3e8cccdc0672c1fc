/*
 * P2, a concurrency pool (threads, DB connections, bulkheads, gateway
 * in-flight) as a fluid of request cohorts.  Each tick's admitted mass is
 * scheduled to leave after its hold time, so occupancy follows Little's law
 * in steady state and shows the real transient when holds change (50 conns
 * fill 25/s when a 30 s hang starts).  Waiters queue FIFO by arrival tick
 * and fail once they have waited the pool's timeout.
 */
#ifndef FD_POOL_H
#define FD_POOL_H

#define POOL_RING	1024	/* ticks of schedule: holds up to ~102 s */

struct pool {
	double	 size;
	double	 timeout_ms;	/* longest wait; 0 = reject when full */
	double	 qmax;		/* most that may wait; 0 = no bound */
	double	 ext;		/* occupied by work tracked elsewhere (a
				   request waiting on a DB pool holds its
				   thread); set by the caller each tick */
	int	 nclass;
	long	 tick;		/* last stepped tick */
	double	 busy;
	double	*busy_c;	/* [nclass] */
	double	*due;		/* [POOL_RING] leaving at slot */
	double	*due_c;		/* [nclass * POOL_RING] */
	double	*q;		/* [nclass * POOL_RING] waiting, by arrival slot */
	double	 qtotal;
	double	*q_c;		/* [nclass] */
	long	 qhead;		/* oldest arrival tick that may hold mass */
	double	 admit_rate;	/* smoothed admitted mass per second */
	/* Results of the last step, per class: mass, and wait in mass*ms. */
	double	*admitted;
	double	*wait_ms;
	double	*expired;
	double	*rejected;	/* turned away at once: queue full */
	double	 transient;	/* occupancy admitted this tick, tracked
				   elsewhere (see occ in pool_step) */
};

void	pool_init(struct pool *, int nclass, double size, double timeout_ms);
void	pool_fini(struct pool *);
/* Forget everything in flight and waiting (a restart). */
void	pool_reset(struct pool *);
/* Queue mass arriving at the current tick for class c. */
void	pool_offer(struct pool *, int c, double mass);
/*
 * Advance to tick: release what is due, admit FIFO while there is room
 * (hold_ticks[c] is the hold of class c admitted now), expire what waited
 * too long.  Results land in admitted/wait_ms/expired.  occ, when not
 * NULL, overrides the room a class's admission takes (1 for requests whose
 * occupancy is tracked elsewhere, with a hold of 0).
 */
void	pool_step(struct pool *, long tick, const double *hold_ticks,
	    const double *occ);
/*
 * Expected wait (ms) of a request arriving now: FIFO, so it is the time
 * until the scheduled releases cover everyone queued ahead of it.
 * Capped at the timeout.
 */
double	pool_wait_estimate(const struct pool *);
/*
 * What class c will still have waiting or held once the pool steps to
 * tick: its queue plus its busy mass less what is due by then.
 */
double	pool_carry(const struct pool *, int c, long tick);
/* Occupy capacity for mass already admitted (a later phase of a request). */
void	pool_occupy(struct pool *, int c, double mass, double hold_ticks);
/* Requests needed in flight for the given arrivals and holds (Little). */
double	pool_needed(const double *rate_per_s, const double *hold_ms, int n);

#endif
