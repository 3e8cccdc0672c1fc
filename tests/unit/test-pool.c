/*
 * Unit tests for the concurrency pool (P2) as cohorts: occupancy follows
 * Little's law in steady state, the 1.1 exhaustion transient lands at the
 * catalog's times (E.1 rows 1-5), and the FIFO queue, its timeout, its
 * bound, the wait estimate, resets and the occupancy override behave.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/pool.h"
#include "engine/prim.h"
#include "testutil.h"

/* One tick: every class offers rps * dt, then the pool steps. */
static void
tick(struct pool *p, long t, const double *rps, const double *hold)
{
	int	c;

	for (c = 0; c < p->nclass; c++)
		pool_offer(p, c, rps[c] * TICK_S);
	pool_step(p, t, hold, NULL);
}

static void
test_pool_little_law_fills_50_at_1000rps(void **state)
{
	struct pool	p;
	double		rps[1] = { 1000 }, hold[1] = { 0.5 };
	double		admitted = 0, expired = 0;
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	for (t = 0; t < 300; t++) {
		tick(&p, t, rps, hold);
		if (t >= 100) {
			admitted += p.admitted[0];
			expired += p.expired[0];
		}
	}
	/* 1000 rps x 50 ms = 50 in flight: the pool's capacity (row 1). */
	near_rel(p.busy, 50, 0.05, "busy");
	assert_true(p.busy <= 50 + 1e-9);
	near_rel(admitted / 20, 1000, 0.05, "served rps");
	near_abs(expired, 0, 1e-9, "expired");
	near_abs(p.qtotal, 0, 1e-6, "queue");
	pool_fini(&p);
}

static void
test_pool_little_law_half_full_at_500rps(void **state)
{
	struct pool	p;
	double		rps[1] = { 500 }, hold[1] = { 0.5 };
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	for (t = 0; t < 300; t++)
		tick(&p, t, rps, hold);
	near_rel(p.busy, 25, 0.05, "busy");
	near_rel(100 * p.busy / p.size, 50, 0.05, "utilization");
	near_abs(p.qtotal, 0, 1e-9, "queue");
	pool_fini(&p);
}

static void
test_pool_needed_is_littles_law_row3(void **state)
{
	const double	rate[3] = { 400, 75, 25 };
	const double	hold_ms[3] = { 50, 50, 250 };

	(void)state;
	near_abs(pool_needed(rate, hold_ms, 3), 30, 1e-9, "needed");
	near_abs(pool_needed(rate, hold_ms, 0), 0, 0, "none");
}

/*
 * Catalog 1.1: the three classes settle at 30 busy (60%); when checkout's
 * hold becomes 30 s, held connections grow as 23.75 + 25 t and reach the
 * pool size at t = (size - 23.75) / 25.  Returns the tick (after the
 * switch) at which the pool is first full.
 */
static long
exhaustion_tick(double size, double *steady)
{
	struct pool	p;
	double		rps[3] = { 400, 75, 25 };
	double		hold[3] = { 0.5, 0.5, 2.5 };
	long		t, k, full = -1;

	pool_init(&p, 3, size, 30000);
	for (t = 0; t < 200; t++)
		tick(&p, t, rps, hold);
	*steady = p.busy;
	hold[2] = 300;
	for (k = 0; k < 100 && full == -1; k++, t++) {
		tick(&p, t, rps, hold);
		if (p.busy >= 0.998 * size)
			full = k;
	}
	pool_fini(&p);
	return (full);
}

static void
test_pool_row4_steady_60pct_then_full_in_1_05s(void **state)
{
	double	steady;
	long	k;

	(void)state;
	k = exhaustion_tick(50, &steady);
	near_rel(steady, 30, 0.05, "steady busy");
	near_rel(100 * steady / 50, 60, 0.05, "steady utilization");
	if (k < 10 || k > 11)
		fail_msg("pool 50 full after %ld ticks, want 10-11", k);
}

static void
test_pool_row5_doubling_pool_only_delays_to_3_05s(void **state)
{
	double	steady;
	long	k;

	(void)state;
	k = exhaustion_tick(100, &steady);
	near_rel(steady, 30, 0.05, "steady busy");
	if (k < 30 || k > 31)
		fail_msg("pool 100 full after %ld ticks, want 30-31", k);
}

static void
test_pool_row2_30s_holds_serve_1_67rps(void **state)
{
	struct pool	p;
	double		rps[1] = { 10 }, hold[1] = { 300 }, admitted = 0;
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	for (t = 0; t < 3000; t++) {
		tick(&p, t, rps, hold);
		if (t >= 300)
			admitted += p.admitted[0];
	}
	/* 50 connections / 30 s. */
	near_rel(admitted / 270, 50.0 / 30, 0.05, "served rps");
	near_abs(p.busy, 50, 1e-6, "busy");
	pool_fini(&p);
}

static void
test_pool_waiters_expire_after_timeout(void **state)
{
	struct pool	p;
	double		rps[1] = { 100 }, hold[1] = { 300 };
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	/* 10 per tick: full after 5 ticks, then everyone waits. */
	for (t = 0; t < 5; t++) {
		tick(&p, t, rps, hold);
		near_abs(p.admitted[0], 10, 1e-9, "admitted while room");
	}
	near_abs(p.busy, 50, 1e-9, "full");
	/* Arrivals from tick 5 wait; none expires before 3000 ms. */
	for (; t < 35; t++) {
		tick(&p, t, rps, hold);
		near_abs(p.admitted[0], 0, 1e-9, "no room");
		near_abs(p.expired[0], 0, 1e-9, "not yet expired");
	}
	near_abs(p.qtotal, 300, 1e-6, "queue after 3 s");
	/* The tick-5 arrivals have waited 3000 ms at tick 35. */
	for (; t < 60; t++) {
		tick(&p, t, rps, hold);
		near_abs(p.expired[0], 10, 1e-9, "one tick of arrivals");
		near_abs(p.qtotal, 300, 1e-6, "queue is 3 s deep");
	}
	assert_true(p.q_c[0] > 299 && p.q_c[0] < 301);
	pool_fini(&p);
}

static void
test_pool_timeout_zero_rejects_at_once(void **state)
{
	struct pool	p;
	double		hold[1] = { 300 };

	(void)state;
	pool_init(&p, 1, 50, 0);
	pool_offer(&p, 0, 60);
	pool_step(&p, 0, hold, NULL);
	near_abs(p.admitted[0], 50, 1e-9, "admitted");
	near_abs(p.expired[0], 10, 1e-9, "turned away in the same tick");
	near_abs(p.qtotal, 0, 1e-9, "nobody waits");
	pool_offer(&p, 0, 5);
	pool_step(&p, 1, hold, NULL);
	near_abs(p.expired[0], 5, 1e-9, "full: all turned away");
	pool_fini(&p);
}

static void
test_pool_queue_is_fifo_across_classes(void **state)
{
	struct pool	p;
	double		hold[2] = { 20, 20 };
	long		t;

	(void)state;
	pool_init(&p, 2, 10, 60000);
	pool_offer(&p, 0, 10);
	pool_step(&p, 0, hold, NULL);
	near_abs(p.busy, 10, 1e-9, "full");
	pool_offer(&p, 1, 8);		/* older */
	pool_step(&p, 1, hold, NULL);
	pool_offer(&p, 0, 8);		/* newer */
	pool_step(&p, 2, hold, NULL);
	for (t = 3; t < 20; t++) {
		pool_step(&p, t, hold, NULL);
		near_abs(p.admitted[0] + p.admitted[1], 0, 1e-9, "waiting");
	}
	/* Tick 20 frees 10: the older class-1 arrivals go first. */
	pool_step(&p, 20, hold, NULL);
	near_abs(p.admitted[1], 8, 1e-9, "older first");
	near_abs(p.admitted[0], 2, 1e-9, "then the newer");
	/* wait_ms is mass * ms: 8 waited 19 ticks, 2 waited 18. */
	near_abs(p.wait_ms[1], 8 * 1900.0, 1e-6, "class 1 wait");
	near_abs(p.wait_ms[0], 2 * 1800.0, 1e-6, "class 0 wait");
	near_abs(p.q_c[0], 6, 1e-9, "left waiting");
	near_abs(p.q_c[1], 0, 1e-9, "class 1 served");
	pool_fini(&p);
}

static void
test_pool_qmax_bounds_queue_and_counts_rejected(void **state)
{
	struct pool	p;
	double		hold[1] = { 300 };
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 60000);
	p.qmax = 20;
	/* Free room counts on top of qmax: 50 + 20 may be offered. */
	pool_offer(&p, 0, 80);
	near_abs(p.rejected[0], 10, 1e-9, "beyond room and queue");
	pool_step(&p, 0, hold, NULL);
	near_abs(p.busy, 50, 1e-9, "admitted");
	near_abs(p.qtotal, 20, 1e-9, "queue at its bound");
	/* The caller reads rejected after the step and clears it. */
	p.rejected[0] = 0;
	for (t = 1; t < 10; t++) {
		pool_offer(&p, 0, 10);
		pool_step(&p, t, hold, NULL);
		near_abs(p.rejected[0], 10, 1e-9, "queue full");
		near_abs(p.qtotal, 20, 1e-9, "queue bounded");
		p.rejected[0] = 0;
	}
	pool_fini(&p);
}

static void
test_pool_qmax_partial_admission_into_queue(void **state)
{
	struct pool	p;
	double		hold[1] = { 300 };

	(void)state;
	pool_init(&p, 1, 50, 60000);
	p.qmax = 20;
	pool_offer(&p, 0, 50);
	pool_step(&p, 0, hold, NULL);
	pool_offer(&p, 0, 12);
	pool_step(&p, 1, hold, NULL);
	near_abs(p.rejected[0], 0, 1e-9, "fits");
	pool_offer(&p, 0, 12);
	near_abs(p.rejected[0], 4, 1e-9, "only 8 more fit");
	near_abs(p.qtotal, 20, 1e-9, "queue at its bound");
	pool_fini(&p);
}

static void
test_pool_wait_estimate_zero_with_room(void **state)
{
	struct pool	p;
	double		hold[1] = { 10 };

	(void)state;
	pool_init(&p, 1, 50, 3000);
	near_abs(pool_wait_estimate(&p), 0, 0, "empty");
	pool_offer(&p, 0, 30);
	pool_step(&p, 0, hold, NULL);
	near_abs(pool_wait_estimate(&p), 0, 0, "room left");
	pool_fini(&p);
}

static void
test_pool_wait_estimate_is_time_to_next_releases(void **state)
{
	struct pool	p;
	double		rps[1] = { 100 }, hold[1] = { 10 };
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	/* Cohorts of 10 admitted at ticks 0-4, each leaving after 1 s. */
	for (t = 0; t < 5; t++)
		tick(&p, t, rps, hold);
	/* At tick 4, full, nobody waiting: the first release is at 10. */
	near_abs(pool_wait_estimate(&p), 600, 1e-9, "next release");
	tick(&p, 5, rps, hold);
	near_abs(p.qtotal, 10, 1e-9, "10 waiting");
	/*
	 * At tick 5, 10 are ahead of a new arrival: the tick-10 release
	 * serves them, the newcomer gets the tick-11 one.
	 */
	near_abs(pool_wait_estimate(&p), 600, 1e-9, "behind the queue");
	pool_fini(&p);
}

static void
test_pool_wait_estimate_capped_at_timeout(void **state)
{
	struct pool	p;
	double		rps[1] = { 100 }, hold[1] = { 300 }, queued, est;
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	for (t = 0; t < 8; t++)
		tick(&p, t, rps, hold);
	queued = p.qtotal;
	est = pool_wait_estimate(&p);
	pool_fini(&p);
	near_abs(queued, 30, 1e-9, "30 waiting");
	/*
	 * Every connection is held 30 s and nothing is released within
	 * the 3 s timeout: an arrival now waits the whole timeout.
	 */
	near_abs(est, 3000, 1e-9, "capped");
}

static void
test_pool_reset_empties_busy_and_queue(void **state)
{
	struct pool	p;
	double		rps[2] = { 100, 50 }, hold[2] = { 30, 5 };
	long		t;

	(void)state;
	pool_init(&p, 2, 50, 60000);
	for (t = 0; t < 20; t++)
		tick(&p, t, rps, hold);
	assert_true(p.busy > 49 && p.qtotal > 1);
	pool_reset(&p);
	near_abs(p.busy, 0, 0, "busy");
	near_abs(p.busy_c[0] + p.busy_c[1], 0, 0, "busy per class");
	near_abs(p.qtotal, 0, 0, "queue");
	near_abs(p.q_c[0] + p.q_c[1], 0, 0, "queue per class");
	/* Old cohorts never come back as releases or arrivals. */
	for (; t < 80; t++) {
		pool_step(&p, t, hold, NULL);
		near_abs(p.busy, 0, 1e-12, "stays empty");
		near_abs(p.admitted[0] + p.admitted[1], 0, 0, "no ghosts");
	}
	near_abs(pool_wait_estimate(&p), 0, 0, "no wait");
	pool_offer(&p, 0, 7);
	pool_step(&p, t, hold, NULL);
	near_abs(p.admitted[0], 7, 1e-9, "admitted at once");
	near_abs(p.busy, 7, 1e-9, "busy again");
	pool_fini(&p);
}

static void
test_pool_occ_override_takes_room_on_admission(void **state)
{
	struct pool	p;
	double		hold[2] = { 0, 0 }, occ[2] = { 1, 1 };

	(void)state;
	/* Without occ, a hold of 0 takes no room: everyone gets in. */
	pool_init(&p, 1, 50, 3000);
	pool_offer(&p, 0, 500);
	pool_step(&p, 0, hold, NULL);
	near_abs(p.admitted[0], 500, 1e-9, "hold 0 without occ");
	pool_fini(&p);

	/* With occ 1 the admission fills the pool for this tick. */
	pool_init(&p, 1, 50, 3000);
	pool_offer(&p, 0, 500);
	pool_step(&p, 0, hold, occ);
	near_abs(p.admitted[0], 50, 1e-9, "at most size per tick");
	near_abs(p.busy, 0, 1e-12, "occupancy is tracked elsewhere");
	near_abs(p.qtotal, 450, 1e-9, "the rest waits");
	pool_step(&p, 1, hold, occ);
	near_abs(p.admitted[0], 50, 1e-9, "the next tick, size again");
	/* Room held elsewhere (ext) is not given away. */
	p.ext = 20;
	pool_step(&p, 2, hold, occ);
	near_abs(p.admitted[0], 30, 1e-9, "size - ext");
	pool_fini(&p);

	/* Two arrival ticks and two classes share the same room. */
	pool_init(&p, 2, 50, 3000);
	pool_offer(&p, 0, 30);
	pool_offer(&p, 1, 30);
	pool_step(&p, 0, hold, occ);
	near_abs(p.admitted[0] + p.admitted[1], 50, 1e-9, "shared room");
	near_abs(p.admitted[0], 25, 1e-9, "in proportion");
	pool_fini(&p);
}

static void
test_pool_occupy_holds_room_then_releases(void **state)
{
	struct pool	p;
	double		hold[1] = { 1 };
	long		t;

	(void)state;
	pool_init(&p, 1, 50, 3000);
	pool_step(&p, 0, hold, NULL);
	pool_occupy(&p, 0, 20, 5);
	near_abs(p.busy, 20, 1e-9, "occupied");
	pool_offer(&p, 0, 40);
	pool_step(&p, 1, hold, NULL);
	near_abs(p.admitted[0], 30, 1e-9, "room left");
	near_abs(p.qtotal, 10, 1e-9, "queue");
	pool_step(&p, 2, hold, NULL);
	near_abs(p.admitted[0], 10, 1e-9, "queue admitted");
	for (t = 3; t < 5; t++)
		pool_step(&p, t, hold, NULL);
	near_abs(p.busy, 20, 1e-9, "the occupied mass is still held");
	pool_step(&p, 5, hold, NULL);
	near_abs(p.busy_c[0], p.busy, 1e-9, "per-class total");
	near_abs(p.busy, 0, 1e-9, "released after 5 ticks");
	pool_fini(&p);
}

static void
test_pool_skipped_ticks_release_everything_due(void **state)
{
	struct pool	p;
	double		hold[1] = { 5 };

	(void)state;
	pool_init(&p, 1, 50, 3000);
	pool_offer(&p, 0, 40);
	pool_step(&p, 0, hold, NULL);
	near_abs(p.busy, 40, 1e-9, "busy");
	pool_step(&p, 12, hold, NULL);
	near_abs(p.busy, 0, 1e-9, "released across the gap");
	pool_fini(&p);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_pool_little_law_fills_50_at_1000rps),
		cmocka_unit_test(test_pool_little_law_half_full_at_500rps),
		cmocka_unit_test(test_pool_needed_is_littles_law_row3),
		cmocka_unit_test(
		    test_pool_row4_steady_60pct_then_full_in_1_05s),
		cmocka_unit_test(
		    test_pool_row5_doubling_pool_only_delays_to_3_05s),
		cmocka_unit_test(test_pool_row2_30s_holds_serve_1_67rps),
		cmocka_unit_test(test_pool_waiters_expire_after_timeout),
		cmocka_unit_test(test_pool_timeout_zero_rejects_at_once),
		cmocka_unit_test(test_pool_queue_is_fifo_across_classes),
		cmocka_unit_test(
		    test_pool_qmax_bounds_queue_and_counts_rejected),
		cmocka_unit_test(test_pool_qmax_partial_admission_into_queue),
		cmocka_unit_test(test_pool_wait_estimate_zero_with_room),
		cmocka_unit_test(
		    test_pool_wait_estimate_is_time_to_next_releases),
		cmocka_unit_test(test_pool_wait_estimate_capped_at_timeout),
		cmocka_unit_test(test_pool_reset_empties_busy_and_queue),
		cmocka_unit_test(
		    test_pool_occ_override_takes_room_on_admission),
		cmocka_unit_test(test_pool_occupy_holds_room_then_releases),
		cmocka_unit_test(
		    test_pool_skipped_ticks_release_everything_due),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
