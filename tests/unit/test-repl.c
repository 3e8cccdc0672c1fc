/*
 * Unit tests for the replication arithmetic of catalog A.2.6: the lag
 * integrates WAL minus replay and never goes below zero, lag_s adds the
 * 20 ms floor, P(lag > gap) for gap ~ U(0.15, 0.4) s (E.1 row 15), the
 * saw-tooth a bursting writer gives, and a throttled writer's duty cycle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/repl.h"

static void
test_repl_lag_integrates_and_floors(void **state)
{
	(void)state;
	/* 90 + 12 MB/s against 60 MB/s: +42 MB per second. */
	assert_true(fabs(repl_lag_advance(0, 102, 60, 1) - 42) < 1e-9);
	assert_true(fabs(repl_lag_advance(42, 102, 60, 0.5) - 63) < 1e-9);
	/* Draining below zero stops at zero. */
	assert_true(repl_lag_advance(10, 12, 60, 1) == 0);
	assert_true(repl_lag_advance(0, 12, 60, 0.1) == 0);
}

static void
test_repl_lag_seconds(void **state)
{
	(void)state;
	assert_true(fabs(repl_lag_seconds(0, 60) - 0.02) < 1e-12);
	assert_true(fabs(repl_lag_seconds(60, 60) - 1.02) < 1e-12);
	assert_true(fabs(repl_lag_seconds(118.8, 60) - 2.0) < 1e-9);
	/* A replica that replays nothing falls behind without bound. */
	assert_true(repl_lag_seconds(1, 0) > 1e6);
}

static void
test_repl_p_stale_row15(void **state)
{
	double	lag;

	(void)state;
	/* Lag 0.5-2 s against gaps of 0.15-0.4 s: every read misses. */
	for (lag = 0.5; lag <= 2.0; lag += 0.05)
		assert_true(repl_p_stale(lag, 0.15, 0.4) == 1);
	/* At rest (20-50 ms) none does; a refresh 2 s later finds it. */
	assert_true(repl_p_stale(0.05, 0.15, 0.4) == 0);
	assert_true(repl_p_stale(2.0, 2.15, 2.4) == 0);
	/* In between, the share of gaps shorter than the lag. */
	assert_true(fabs(repl_p_stale(0.275, 0.15, 0.4) - 0.5) < 1e-9);
	/* A degenerate interval is a step. */
	assert_true(repl_p_stale(0.3, 0.2, 0.2) == 1);
	assert_true(repl_p_stale(0.1, 0.2, 0.2) == 0);
}

static void
test_repl_sawtooth_between_half_and_two_seconds(void **state)
{
	struct repl_writer	wr;
	double			lag = 0, s, lo = 1e9, hi = 0, t;
	int			k;

	(void)state;
	memset(&wr, 0, sizeof wr);
	wr.mb_s = 90;
	wr.on_s = 2.4;
	wr.off_s = 2.1;
	wr.first_on_s = 3.1;
	wr.rate = 1;
	for (k = 0; k < 12000; k++) {
		t = k / 10.0;
		lag = repl_lag_advance(lag, 12 + (repl_writer_on(&wr, t) ?
		    wr.mb_s : 0), 60, 0.1);
		s = repl_lag_seconds(lag, 60);
		if (t > 10) {
			lo = fmin(lo, s);
			hi = fmax(hi, s);
		}
	}
	/* +100.8 MB per batch, -100.8 MB per pause: steady. */
	assert_true(lo > 0.45 && lo < 0.55);
	assert_true(hi > 1.9 && hi < 2.25);
}

static void
test_repl_throttled_writer(void **state)
{
	struct repl_writer	wr;
	double			on = 0, t, lag = 0, hi = 0;
	int			k;

	(void)state;
	memset(&wr, 0, sizeof wr);
	wr.mb_s = 90;
	wr.on_s = 2;
	wr.off_s = 2;
	wr.first_on_s = 2;
	wr.rate = 0.25;
	for (k = 0; k < 4000; k++) {
		t = k / 10.0;
		on += repl_writer_on(&wr, t);
		lag = repl_lag_advance(lag, 12 + (repl_writer_on(&wr, t) ?
		    wr.mb_s : 0), 60, 0.1);
		hi = fmax(hi, repl_lag_seconds(lag, 60));
	}
	/* A quarter of the batches: 0.5 s of each 4 s cycle. */
	assert_true(fabs(on / 4000 - 0.125) < 0.01);
	assert_true(hi < 0.45);
	assert_false(repl_writer_on(&wr, -1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repl_lag_integrates_and_floors),
		cmocka_unit_test(test_repl_lag_seconds),
		cmocka_unit_test(test_repl_p_stale_row15),
		cmocka_unit_test(test_repl_sawtooth_between_half_and_two_seconds),
		cmocka_unit_test(test_repl_throttled_writer),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
