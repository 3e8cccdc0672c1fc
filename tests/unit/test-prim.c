/*
 * Unit tests for the generic primitives of catalog A.1: the rate resource
 * (P1), the token bucket (P3), the circuit breaker (P4), the timeout/retry
 * policy (P5) and the lognormal helpers, checked against the handbook
 * figures of catalog E.1 (rows 10 and 28).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/prim.h"
#include "testutil.h"

static void
rate_init(struct rate_res *r, double capacity, double service_ms)
{
	memset(r, 0, sizeof *r);
	r->capacity = capacity;
	r->service_ms = service_ms;
}

/* ---- P1 rate resource ---- */

static void
test_rate_below_saturation_is_mm1(void **state)
{
	struct rate_res	r;

	(void)state;
	rate_init(&r, 1000, 2);
	rate_step(&r, 500, 30);
	near_abs(r.rho, 0.5, 1e-12, "rho");
	near_abs(r.response_ms, 4, 1e-9, "R at rho 0.5");
	near_abs(r.util_pct, 50, 1e-9, "util");
	near_abs(r.backlog, 0, 0, "backlog");
	near_abs(r.overflow, 0, 0, "overflow");
	near_abs(rate_factor(&r), 2, 1e-9, "R/S");

	/* rho 0.9: R = S / 0.1. */
	rate_step(&r, 900, 30);
	near_abs(r.response_ms, 20, 1e-9, "R at rho 0.9");

	/* No demand: R = S and the factor never drops under 1. */
	rate_step(&r, 0, 30);
	near_abs(r.response_ms, 2, 1e-12, "R idle");
	near_abs(rate_factor(&r), 1, 1e-12, "R/S idle");
}

static void
test_rate_relative_slowdown_matches_catalog_row35(void **state)
{
	struct rate_res	r;
	double		r0;

	(void)state;
	/* R/R0 = (1 - rho0) / (1 - rho): rho0 0.30 -> 0.85 is x4.67. */
	rate_init(&r, 1000, 1);
	rate_step(&r, 300, 30);
	r0 = r.response_ms;
	rate_step(&r, 850, 30);
	near_rel(r.response_ms / r0, 0.70 / 0.15, 1e-9, "x at 0.85");
	rate_step(&r, 900, 30);
	near_rel(r.response_ms / r0, 7, 1e-9, "x at 0.90");
}

static void
test_rate_overload_grows_backlog_per_tick(void **state)
{
	struct rate_res	r;
	int		i;

	(void)state;
	rate_init(&r, 1000, 2);
	for (i = 1; i <= 10; i++) {
		rate_step(&r, 1500, 30);
		/* b += (d - c) * dt every tick. */
		near_abs(r.backlog, 500 * TICK_S * i, 1e-9, "backlog");
		/* R = 20 S + b / c (seconds -> ms). */
		near_abs(r.response_ms, 20 * 2 + r.backlog / 1000 * 1000,
		    1e-9, "R in overload");
		near_abs(r.util_pct, 100, 0, "util capped at 100");
		near_abs(r.overflow, 0, 0, "no overflow under the cap");
	}
	near_abs(r.response_ms, 540, 1e-9, "R after 1 s at 150%");
	assert_true(rate_factor(&r) > 20);
}

static void
test_rate_backlog_capped_at_timeout_with_overflow(void **state)
{
	struct rate_res	r;
	int		i;

	(void)state;
	rate_init(&r, 1000, 2);
	/* Timeout 1 s: the backlog never exceeds c * 1 s = 1000 units. */
	for (i = 0; i < 20; i++)
		rate_step(&r, 1500, 1);
	near_abs(r.backlog, 1000, 1e-9, "backlog at the cap");
	near_abs(r.overflow, 0, 1e-9, "cap just reached");
	for (i = 0; i < 5; i++) {
		rate_step(&r, 1500, 1);
		near_abs(r.backlog, 1000, 1e-9, "backlog stays capped");
		/* Everything beyond capacity is abandoned: d - c per s. */
		near_abs(r.overflow, 500, 1e-6, "overflow rate");
		near_abs(r.response_ms, 40 + 1000, 1e-9, "R at the cap");
	}
}

static void
test_rate_backlog_drains_before_mm1_resumes(void **state)
{
	struct rate_res	r;
	int		i;

	(void)state;
	rate_init(&r, 1000, 2);
	for (i = 0; i < 10; i++)
		rate_step(&r, 1500, 30);	/* backlog 500 */
	/* Demand 500 drains 50 per tick: 10 ticks to empty. */
	for (i = 1; i <= 9; i++) {
		rate_step(&r, 500, 30);
		near_abs(r.backlog, 500 - 50 * i, 1e-9, "draining");
		assert_true(r.response_ms >= 40);
	}
	rate_step(&r, 500, 30);
	near_abs(r.backlog, 0, 1e-9, "drained");
	rate_step(&r, 500, 30);
	near_abs(r.response_ms, 4, 1e-9, "back to M/M/1");
}

/* ---- P3 token bucket ---- */

static void
test_bucket_limits_to_rate_after_burst(void **state)
{
	struct bucket	b;
	double		got, total = 0;
	int		i;

	(void)state;
	bucket_init(&b, 100, 100);
	/* The first tick spends the whole burst. */
	got = bucket_take(&b, 1000);
	near_abs(got, 1000, 1e-9, "burst tick");
	for (i = 0; i < 10; i++)
		total += bucket_take(&b, 1000) * TICK_S;
	near_abs(total / (10 * TICK_S), 100, 1e-9, "rate after burst");
	for (i = 0; i < 100; i++) {
		got = bucket_take(&b, 1000);
		near_abs(got, 100, 1e-9, "sustained rate");
	}
}

static void
test_bucket_passes_demand_under_rate(void **state)
{
	struct bucket	b;
	int		i;

	(void)state;
	bucket_init(&b, 100, 100);
	for (i = 0; i < 50; i++)
		near_abs(bucket_take(&b, 80), 80, 1e-9, "under the rate");
	/* Tokens saved while under the rate allow a short burst. */
	near_abs(bucket_take(&b, 500), 500, 1e-9, "burst from savings");
}

static void
test_bucket_rate_zero_is_unlimited(void **state)
{
	struct bucket	b;

	(void)state;
	bucket_init(&b, 0, 0);
	near_abs(bucket_take(&b, 1e6), 1e6, 0, "rate 0");
	bucket_init(&b, -1, 10);
	near_abs(bucket_take(&b, 12345), 12345, 0, "negative rate");
}

static void
test_bucket_default_burst_is_rate(void **state)
{
	struct bucket	b;

	(void)state;
	bucket_init(&b, 50, 0);
	near_abs(b.burst, 50, 0, "burst");
	near_abs(bucket_take(&b, 1000), 500, 1e-9, "first tick: 50 tokens");
	near_abs(bucket_take(&b, 1000), 50, 1e-9, "then the rate");
}

/* ---- P4 circuit breaker (catalog E.1 row 10) ---- */

static void
breaker_auto(struct breaker *b)
{
	breaker_init(b);
	b->auto_on = 1;
}

static void
test_breaker_defaults_match_handbook(void **state)
{
	struct breaker	b;

	(void)state;
	breaker_init(&b);
	assert_int_equal(b.fails_threshold, 5);
	assert_int_equal(b.window_s, 10);
	assert_int_equal(b.open_s, 30);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_int_equal(b.pin, PIN_NONE);
	assert_int_equal(breaker_effective(&b), BREAKER_CLOSED);
}

/* Step from tick `from` to `to` (exclusive) with no failures. */
static int
quiet(struct breaker *b, long from, long to)
{
	int	changes = 0;

	for (; from < to; from++)
		changes += breaker_step(b, from, 0, 0, 0, 0.5);
	return (changes);
}

static void
test_breaker_five_failures_in_window_open_it(void **state)
{
	struct breaker	b;
	long		t;

	(void)state;
	breaker_auto(&b);
	/* Four failures spread over 8 s: still closed. */
	for (t = 0; t < 80; t++) {
		assert_int_equal(breaker_step(&b, t, t % 20 == 0 ? 1 : 0,
		    0, 0, 0.5), 0);
	}
	assert_int_equal(b.state, BREAKER_CLOSED);
	/* The fifth within 10 s of the first opens it. */
	assert_int_equal(breaker_step(&b, 80, 1, 0, 0, 0.5), 1);
	assert_int_equal(b.state, BREAKER_OPEN);
	assert_int_equal(breaker_effective(&b), BREAKER_OPEN);
	assert_int_equal(b.opened_tick, 80);
	assert_int_equal(b.transitions, 1);
}

static void
test_breaker_fractional_failures_add_up(void **state)
{
	struct breaker	b;
	long		t;

	(void)state;
	breaker_auto(&b);
	/* A fluid: 0.5 failure per tick for 1 s is 5 failures. */
	for (t = 0; t < 9; t++)
		breaker_step(&b, t, 0.5, 0, 0, 0.5);
	assert_int_equal(b.state, BREAKER_CLOSED);
	breaker_step(&b, 9, 0.5, 0, 0, 0.5);
	assert_int_equal(b.state, BREAKER_OPEN);
}

static void
test_breaker_spread_failures_never_open(void **state)
{
	struct breaker	b;
	long		t;

	(void)state;
	breaker_auto(&b);
	/* One failure every 3 s: at most 4 in any 10 s window. */
	for (t = 0; t < 3000; t++)
		breaker_step(&b, t, t % 30 == 0 ? 1 : 0, 0, 0, 0.5);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_int_equal(b.transitions, 0);
}

static void
test_breaker_open_30s_then_probe_success_closes(void **state)
{
	struct breaker	b;
	long		t, k, opened;

	(void)state;
	breaker_auto(&b);
	for (t = 0; b.state == BREAKER_CLOSED; t++)
		breaker_step(&b, t, 5, 0.3, 2000, 0.5);
	opened = b.opened_tick;
	/* OPEN for 30 s = 300 ticks, whatever fails meanwhile. */
	for (; t < opened + 300; t++) {
		assert_int_equal(breaker_step(&b, t, 10, 0.3, 2000, 0.5), 0);
		assert_int_equal(b.state, BREAKER_OPEN);
	}
	/* Then HALF_OPEN with one probe: u 0.5 >= fail_p 0.3 succeeds. */
	assert_int_equal(breaker_step(&b, t, 0, 0.3, 2000, 0.5), 1);
	assert_int_equal(b.state, BREAKER_HALF_OPEN);
	assert_int_equal(breaker_effective(&b), BREAKER_HALF_OPEN);
	assert_int_equal(b.probe_ok, 1);
	t++;
	/* The probe takes 2 s before it answers. */
	for (; t < opened + 300 + 20; t++) {
		breaker_step(&b, t, 0, 0.3, 2000, 0.5);
		assert_int_equal(b.state, BREAKER_HALF_OPEN);
	}
	for (; t <= opened + 300 + 21 && b.state != BREAKER_CLOSED; t++)
		breaker_step(&b, t, 0, 0.3, 2000, 0.5);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_int_equal(b.transitions, 3);
	/* Closed again with a clean window: four failures do not reopen. */
	for (k = 0; k < 4; k++)
		breaker_step(&b, t + k, 1, 0.3, 2000, 0.5);
	assert_int_equal(b.state, BREAKER_CLOSED);
}

static void
test_breaker_failed_probe_reopens_for_30s(void **state)
{
	struct breaker	b;
	long		t, reopened;

	(void)state;
	breaker_auto(&b);
	breaker_step(&b, 0, 5, 0.9, 50, 0.5);
	assert_int_equal(b.state, BREAKER_OPEN);
	assert_int_equal(quiet(&b, 1, 300), 0);
	/* u 0.5 < fail_p 0.9: the probe fails. */
	assert_int_equal(breaker_step(&b, 300, 0, 0.9, 50, 0.5), 1);
	assert_int_equal(b.state, BREAKER_HALF_OPEN);
	assert_int_equal(b.probe_ok, 0);
	for (t = 301; b.state == BREAKER_HALF_OPEN && t < 310; t++)
		breaker_step(&b, t, 0, 0.9, 50, 0.5);
	assert_int_equal(b.state, BREAKER_OPEN);
	reopened = b.opened_tick;
	assert_true(reopened > 300 && reopened <= 302);
	/* Another full 30 s before the next probe. */
	for (t = reopened + 1; t < reopened + 300; t++) {
		breaker_step(&b, t, 0, 0.9, 50, 0.95);
		assert_int_equal(b.state, BREAKER_OPEN);
	}
	breaker_step(&b, reopened + 300, 0, 0.9, 50, 0.95);
	assert_int_equal(b.state, BREAKER_HALF_OPEN);
	assert_int_equal(b.probe_ok, 1);
}

static void
test_breaker_pin_wins_over_automaton(void **state)
{
	struct breaker	b;

	(void)state;
	breaker_auto(&b);
	b.pin = PIN_OPEN;
	assert_int_equal(breaker_effective(&b), BREAKER_OPEN);
	/* Failures while pinned do not arm the automaton. */
	breaker_step(&b, 0, 100, 0, 0, 0.5);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_int_equal(breaker_effective(&b), BREAKER_OPEN);

	/* Pinned closed, an automatically open breaker lets calls through. */
	b.pin = PIN_NONE;
	breaker_step(&b, 1, 5, 0, 0, 0.5);
	assert_int_equal(breaker_effective(&b), BREAKER_OPEN);
	b.pin = PIN_CLOSED;
	assert_int_equal(breaker_effective(&b), BREAKER_CLOSED);
	/* ... and the automaton is frozen: no half-open after 30 s. */
	quiet(&b, 2, 400);
	assert_int_equal(b.state, BREAKER_OPEN);
	assert_int_equal(breaker_effective(&b), BREAKER_CLOSED);
}

static void
test_breaker_without_auto_stays_closed(void **state)
{
	struct breaker	b;
	long		t;

	(void)state;
	breaker_init(&b);
	for (t = 0; t < 100; t++)
		assert_int_equal(breaker_step(&b, t, 50, 0, 0, 0.5), 0);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_int_equal(breaker_effective(&b), BREAKER_CLOSED);

	/* Turning the policy off closes an open breaker. */
	breaker_auto(&b);
	breaker_step(&b, 0, 5, 0, 0, 0.5);
	assert_int_equal(b.state, BREAKER_OPEN);
	b.auto_on = 0;
	assert_int_equal(breaker_step(&b, 1, 0, 0, 0, 0.5), 1);
	assert_int_equal(b.state, BREAKER_CLOSED);
}

/* ---- P5 timeout / retry ---- */

static void
policy(struct retry_policy *p, double timeout_ms, int retries,
    double budget_ms)
{
	memset(p, 0, sizeof *p);
	p->timeout_ms = timeout_ms;
	p->retries = retries;
	p->budget_ms = budget_ms;
}

static void
test_retry_budget_truncates_dead_dependency_row28(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	policy(&p, 3000, 2, 10000);
	p.backoff_ms[0] = 1000;
	p.backoff_ms[1] = 2000;
	p.nbackoff = 2;
	retry_eval(&p, 120, 3000, 1, &o);
	near_abs(o.latency_ms, 10000, 1e-9, "latency at the budget");
	near_abs(o.fail_p, 1, 1e-12, "final failure");
	near_abs(o.attempts, 3, 1e-12, "attempts");
	near_abs(o.failures, 3, 1e-12, "failed attempts");
}

static void
test_retry_without_budget_sums_attempts_and_backoffs(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	policy(&p, 3000, 2, 0);
	p.backoff_ms[0] = 1000;
	p.backoff_ms[1] = 2000;
	p.nbackoff = 2;
	retry_eval(&p, 120, 3000, 1, &o);
	/* 3 + 1 + 3 + 2 + 3 s. */
	near_abs(o.latency_ms, 12000, 1e-9, "no budget");
	near_abs(o.fail_p, 1, 1e-12, "final failure");
	near_abs(o.attempts, 3, 1e-12, "attempts");
}

static void
test_retry_last_backoff_repeats(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	policy(&p, 1000, 3, 0);
	p.backoff_ms[0] = 500;
	p.nbackoff = 1;
	retry_eval(&p, 10, 1000, 1, &o);
	/* 4 attempts of 1 s and 3 backoffs of 0.5 s. */
	near_abs(o.latency_ms, 5500, 1e-9, "repeated backoff");
	near_abs(o.attempts, 4, 1e-12, "attempts");
}

static void
test_retry_amplification_is_geometric(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;
	double			want_att, pp;
	int			k, i;

	(void)state;
	policy(&p, 1000, 3, 0);
	retry_eval(&p, 100, 200, 0.5, &o);
	near_abs(o.attempts, 1.875, 1e-12, "A for k 3, p 0.5");
	near_abs(o.fail_p, 0.0625, 1e-12, "p^(k+1)");
	near_abs(o.failures, 0.9375, 1e-12, "failed attempts");
	/* Success at attempt i after i failures of 200 ms. */
	near_abs(o.latency_ms, 0.5 * 100 + 0.25 * 300 + 0.125 * 500 +
	    0.0625 * 700 + 0.0625 * 800, 1e-9, "mean wait");

	for (k = 0; k <= 5; k++) {
		for (pp = 0.1; pp < 1; pp += 0.2) {
			policy(&p, 1000, k, 0);
			retry_eval(&p, 50, 1000, pp, &o);
			want_att = 0;
			for (i = 0; i <= k; i++)
				want_att += pow(pp, i);
			near_abs(o.attempts, want_att, 1e-12, "A");
			near_abs(o.fail_p, pow(pp, k + 1), 1e-12, "final");
		}
	}
}

static void
test_retry_healthy_call_is_one_attempt(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	policy(&p, 3000, 2, 10000);
	retry_eval(&p, 42, 3000, 0, &o);
	near_abs(o.latency_ms, 42, 1e-12, "latency");
	near_abs(o.fail_p, 0, 1e-12, "fail");
	near_abs(o.attempts, 1, 1e-12, "attempts");
	near_abs(o.failures, 0, 1e-12, "failures");

	/* Out-of-range probabilities are clamped. */
	retry_eval(&p, 42, 3000, -0.5, &o);
	near_abs(o.fail_p, 0, 1e-12, "clamped low");
	policy(&p, 3000, 0, 0);
	retry_eval(&p, 42, 3000, 7, &o);
	near_abs(o.fail_p, 1, 1e-12, "clamped high");
	near_abs(o.latency_ms, 3000, 1e-9, "one failed attempt");
}

static void
test_retry_budget_cuts_attempt_in_flight(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	/* Budget 5 s: the second attempt starts at 4 s and may not end. */
	policy(&p, 3000, 2, 5000);
	p.backoff_ms[0] = 1000;
	p.nbackoff = 1;
	retry_eval(&p, 100, 3000, 0.5, &o);
	/* The third attempt never starts. */
	near_abs(o.attempts, 1.5, 1e-12, "attempts");
	/* Success at 0.1 s or 4.1 s; the rest gives up at 5 s. */
	near_abs(o.latency_ms, 0.5 * 100 + 0.25 * 4100 + 0.25 * 5000, 1e-9,
	    "mean wait");
	near_abs(o.fail_p, 0.25, 1e-12, "final failure");
	near_abs(o.failures, 0.75, 1e-12, "failed attempts");
}

static void
test_retry_slow_success_beyond_budget_fails_at_budget(void **state)
{
	struct retry_policy	p;
	struct retry_out	o;

	(void)state;
	policy(&p, 30000, 0, 10000);
	retry_eval(&p, 20000, 30000, 0, &o);
	near_abs(o.latency_ms, 10000, 1e-9, "caller gives up");
	near_abs(o.fail_p, 1, 1e-12, "counted as failed");
}

/* ---- lognormal ---- */

static void
test_lognorm_fits_p50_and_p99(void **state)
{
	struct lognorm	l;

	(void)state;
	lognorm_from_p50_p99(&l, 200, 400);
	near_rel(lognorm_quantile(&l, 0.5), 200, 0.005, "p50");
	near_rel(lognorm_quantile(&l, 0.99), 400, 0.005, "p99");
	near_abs(lognorm_cdf(&l, 200), 0.5, 1e-9, "cdf at p50");
	near_abs(lognorm_cdf(&l, 400), 0.99, 1e-6, "cdf at p99");
	near_abs(lognorm_cdf(&l, 0), 0, 0, "cdf at 0");
	near_abs(lognorm_cdf(&l, -5), 0, 0, "cdf below 0");
}

static void
test_lognorm_cdf_inverts_quantile(void **state)
{
	static const double	 qs[] = { 1e-6, 0.001, 0.01, 0.02425, 0.1,
	    0.3, 0.5, 0.7, 0.9, 0.975, 0.99, 0.999, 1 - 1e-6 };
	struct lognorm		 l;
	size_t			 i;

	(void)state;
	lognorm_from_p50_p99(&l, 200, 400);
	for (i = 0; i < sizeof qs / sizeof qs[0]; i++)
		near_abs(lognorm_cdf(&l, lognorm_quantile(&l, qs[i])), qs[i],
		    1e-9, "cdf(quantile(q))");
	lognorm_from_p50_p99(&l, 30000, 45000);
	for (i = 0; i < sizeof qs / sizeof qs[0]; i++)
		near_abs(lognorm_cdf(&l, lognorm_quantile(&l, qs[i])), qs[i],
		    1e-9, "cdf(quantile(q)) slow");
}

static void
test_lognorm_capped_mean_bounded_and_converges(void **state)
{
	struct lognorm	l;
	double		mean, prev = 0, t, c;

	(void)state;
	lognorm_from_p50_p99(&l, 200, 400);
	mean = exp(l.mu + l.sigma * l.sigma / 2);
	for (t = 10; t < 1e7; t *= 1.7) {
		c = lognorm_capped_mean(&l, t);
		if (c > t + 1e-9)
			fail_msg("capped_mean(%g) = %g > t", t, c);
		if (c + 1e-9 < prev)
			fail_msg("capped_mean not monotone at %g", t);
		if (c > mean + 1e-6)
			fail_msg("capped_mean(%g) = %g above the mean %g", t,
			    c, mean);
		assert_true(lognorm_mean_below(&l, t) <= t + 1e-9);
		prev = c;
	}
	near_rel(lognorm_capped_mean(&l, 1e9), mean, 1e-9, "t -> inf");
	near_rel(lognorm_mean_below(&l, 1e9), mean, 1e-9, "E[X|X<inf]");
	/* A tiny cap is the cap itself: every call times out. */
	near_rel(lognorm_capped_mean(&l, 1), 1, 1e-6, "tiny cap");
	/* At the median, half the calls wait exactly t. */
	c = lognorm_capped_mean(&l, 200);
	near_rel(c, 0.5 * lognorm_mean_below(&l, 200) + 0.5 * 200, 1e-9,
	    "split at p50");
}

static void
test_lognorm_degenerate_inputs(void **state)
{
	struct lognorm	l;

	(void)state;
	/* p99 below p50 means no spread: a step at p50. */
	lognorm_from_p50_p99(&l, 100, 50);
	near_abs(l.sigma, 0, 1e-12, "sigma");
	near_abs(lognorm_cdf(&l, 99.9), 0, 0, "below");
	near_abs(lognorm_cdf(&l, 100.1), 1, 0, "above");
	near_rel(lognorm_capped_mean(&l, 1000), 100, 1e-9, "mean");
	near_rel(lognorm_capped_mean(&l, 30), 30, 1e-9, "capped");
	/* A zero median does not produce NaN. */
	lognorm_from_p50_p99(&l, 0, 10);
	assert_true(isfinite(l.mu) && isfinite(l.sigma));
	assert_true(isfinite(lognorm_capped_mean(&l, 5)));
}

static void
test_norm_quantile_inverts_cdf(void **state)
{
	static const double	 ps[] = { 1e-9, 1e-4, 0.01, 0.02425, 0.05,
	    0.25, 0.5, 0.75, 0.95, 0.97575, 0.99, 1 - 1e-4 };
	static const double	 xs[] = { -5, -2.5, -1, -0.1, 0, 0.3, 1.5, 3,
	    4.5 };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof ps / sizeof ps[0]; i++)
		near_rel(norm_cdf(norm_quantile(ps[i])), ps[i], 1e-9,
		    "cdf(quantile(p))");
	for (i = 0; i < sizeof xs / sizeof xs[0]; i++)
		near_abs(norm_quantile(norm_cdf(xs[i])), xs[i], 1e-7,
		    "quantile(cdf(x))");
	near_abs(norm_quantile(0.5), 0, 1e-12, "median");
	near_abs(norm_quantile(0.975), 1.959963984540054, 1e-9, "z 0.975");
	near_abs(norm_quantile(0.99), 2.326347874040841, 1e-9, "z 0.99");
	near_abs(norm_cdf(0), 0.5, 1e-15, "cdf 0");
	assert_true(isinf(norm_quantile(0)) && norm_quantile(0) < 0);
	assert_true(isinf(norm_quantile(1)) && norm_quantile(1) > 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rate_below_saturation_is_mm1),
		cmocka_unit_test(
		    test_rate_relative_slowdown_matches_catalog_row35),
		cmocka_unit_test(test_rate_overload_grows_backlog_per_tick),
		cmocka_unit_test(
		    test_rate_backlog_capped_at_timeout_with_overflow),
		cmocka_unit_test(test_rate_backlog_drains_before_mm1_resumes),
		cmocka_unit_test(test_bucket_limits_to_rate_after_burst),
		cmocka_unit_test(test_bucket_passes_demand_under_rate),
		cmocka_unit_test(test_bucket_rate_zero_is_unlimited),
		cmocka_unit_test(test_bucket_default_burst_is_rate),
		cmocka_unit_test(test_breaker_defaults_match_handbook),
		cmocka_unit_test(test_breaker_five_failures_in_window_open_it),
		cmocka_unit_test(test_breaker_fractional_failures_add_up),
		cmocka_unit_test(test_breaker_spread_failures_never_open),
		cmocka_unit_test(
		    test_breaker_open_30s_then_probe_success_closes),
		cmocka_unit_test(test_breaker_failed_probe_reopens_for_30s),
		cmocka_unit_test(test_breaker_pin_wins_over_automaton),
		cmocka_unit_test(test_breaker_without_auto_stays_closed),
		cmocka_unit_test(
		    test_retry_budget_truncates_dead_dependency_row28),
		cmocka_unit_test(
		    test_retry_without_budget_sums_attempts_and_backoffs),
		cmocka_unit_test(test_retry_last_backoff_repeats),
		cmocka_unit_test(test_retry_amplification_is_geometric),
		cmocka_unit_test(test_retry_healthy_call_is_one_attempt),
		cmocka_unit_test(test_retry_budget_cuts_attempt_in_flight),
		cmocka_unit_test(
		    test_retry_slow_success_beyond_budget_fails_at_budget),
		cmocka_unit_test(test_lognorm_fits_p50_and_p99),
		cmocka_unit_test(test_lognorm_cdf_inverts_quantile),
		cmocka_unit_test(
		    test_lognorm_capped_mean_bounded_and_converges),
		cmocka_unit_test(test_lognorm_degenerate_inputs),
		cmocka_unit_test(test_norm_quantile_inverts_cdf),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
