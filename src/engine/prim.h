/*
 * The generic primitives of the platform model (catalog A.1): a rate
 * resource (P1), a token bucket (P3), a circuit breaker (P4), a
 * timeout/retry policy (P5) and a lognormal latency distribution.  The
 * concurrency pool (P2) has its own file, pool.h.  Pure arithmetic on
 * caller-owned state; no allocation, no I/O, no randomness of their own.
 */
#ifndef FD_PRIM_H
#define FD_PRIM_H

#define TICK_MS		100
#define TICK_S		0.1
#define TICKS_PER_S	10

/* ---- P1 rate resource (DB CPU, app CPU, IOPS) ---- */
struct rate_res {
	double	capacity;	/* work units per second */
	double	service_ms;	/* base service time S */
	double	backlog;	/* work units waiting */
	/* outputs of the last step */
	double	rho;
	double	util_pct;
	double	response_ms;	/* R */
	double	overflow;	/* work units per second beyond the abandon cap */
};

/*
 * One tick of P1 with demand d (work units per second) and the timeout
 * (seconds) after which backlog is abandoned.  M/M/1 below rho 0.95 with no
 * backlog, else a growing backlog with R = 20 S + b/c.
 */
void	rate_step(struct rate_res *, double demand, double timeout_s);
/* Slowdown factor R/S of the last step (>= 1). */
double	rate_factor(const struct rate_res *);

/* ---- P3 token bucket ---- */
struct bucket {
	double	rate;		/* tokens per second; <= 0 means unlimited */
	double	burst;
	double	tokens;
};

void	bucket_init(struct bucket *, double rate, double burst);
/* Offer demand (per second) for one tick; returns the admitted rate. */
double	bucket_take(struct bucket *, double demand);

/* ---- P4 circuit breaker ---- */
enum breaker_state {
	BREAKER_CLOSED = 0,
	BREAKER_OPEN = 1,
	BREAKER_HALF_OPEN = 2,
};

enum breaker_pin {
	PIN_NONE,
	PIN_OPEN,
	PIN_CLOSED,
};

#define BREAKER_WINDOW	100	/* ticks kept for the failure window */

struct breaker {
	int		auto_on;	/* the automatic policy is enabled */
	enum breaker_pin pin;		/* manual override */
	int		fails_threshold;	/* 5 */
	int		window_s;	/* 10 */
	int		open_s;		/* 30 */
	enum breaker_state state;
	double		window[BREAKER_WINDOW];	/* failures per tick */
	int		wpos;
	double		wsum;
	long		opened_tick;
	long		probe_done_tick;	/* when the half-open probe answers */
	int		probe_ok;
	long		transitions;
};

void	breaker_init(struct breaker *);
/* Effective state: the pin wins over the automatic state. */
enum breaker_state breaker_effective(const struct breaker *);
/*
 * Advance one tick.  fails is the failure mass observed this tick (calls
 * whose timeout or error surfaced now).  probe_fail_p is the chance a probe
 * fails and probe_ms how long it takes; u is a uniform draw used only when
 * a probe starts.  Returns 1 when the automatic state changed.
 */
int	breaker_step(struct breaker *, long tick, double fails,
	    double probe_fail_p, double probe_ms, double u);

/* ---- P5 timeout / retry with backoff and budget ---- */
#define RETRY_MAX_BACKOFF 8

struct retry_policy {
	double	timeout_ms;
	int	retries;		/* extra attempts */
	double	backoff_ms[RETRY_MAX_BACKOFF];	/* before retry i; last repeats */
	int	nbackoff;
	double	budget_ms;		/* total time cap; <= 0: none */
};

struct retry_out {
	double	latency_ms;	/* mean time the caller waits */
	double	fail_p;		/* final failure probability */
	double	attempts;	/* expected attempts per call (load amplification) */
	double	failures;	/* expected failed attempts per call */
};

/*
 * Evaluate a call under the policy.  ok_ms is the mean duration of a
 * successful attempt, fail_ms of a failing one, fail_p the per-attempt
 * failure probability.  Attempts that would end after the budget count as
 * failed at the budget.
 */
void	retry_eval(const struct retry_policy *, double ok_ms, double fail_ms,
	    double fail_p, struct retry_out *);

/* ---- lognormal latency ---- */
struct lognorm {
	double	mu;
	double	sigma;
};

/* From the median and the 99th percentile (p99 >= p50 > 0). */
void	lognorm_from_p50_p99(struct lognorm *, double p50, double p99);
double	lognorm_cdf(const struct lognorm *, double x);
double	lognorm_quantile(const struct lognorm *, double q);
/* E[min(X, t)] and P(X > t). */
double	lognorm_capped_mean(const struct lognorm *, double t);
/* E[X | X < t]. */
double	lognorm_mean_below(const struct lognorm *, double t);

/* Standard normal helpers. */
double	norm_cdf(double);
double	norm_quantile(double);

#endif
