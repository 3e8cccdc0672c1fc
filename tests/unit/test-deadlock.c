/*
 * Unit tests for the lock-order deadlock arithmetic (catalog A.2.6, E.1
 * row 14): the rate is kappa·λA·λB, so doubling one side doubles it; the
 * share of A's requests caught counts the deadlocked session and the
 * ones queued on its hot rows; job windows parse and wrap; a histogram
 * reads a 30 s point mass back as exactly 30 s.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "engine/world.h"

#define KAPPA	(2.0 / (150 * 100))

static void
test_rate_is_product(void **state)
{
	(void)state;
	assert_true(fabs(deadlock_rate(KAPPA, 150, 100) - 2) < 1e-9);
	/* Doubling checkout with the sync constant doubles the rate. */
	assert_true(fabs(deadlock_rate(KAPPA, 300, 100) -
	    2 * deadlock_rate(KAPPA, 150, 100)) < 1e-9);
	assert_true(fabs(deadlock_rate(KAPPA, 150, 400) - 8) < 1e-9);
}

static void
test_rate_needs_both_sides(void **state)
{
	(void)state;
	assert_true(deadlock_rate(KAPPA, 150, 0) == 0);
	assert_true(deadlock_rate(KAPPA, 0, 100) == 0);
	assert_true(deadlock_rate(0, 150, 100) == 0);
}

static void
test_share_counts_followers(void **state)
{
	double	s;

	(void)state;
	/* 2/min at 150 tx/s, 54 followers each: 1.22% of checkouts. */
	s = deadlock_share(2, 54, 150);
	assert_true(fabs(s - 2.0 / 60 * 55 / 150) < 1e-12);
	assert_true(s > 0.01);
	assert_true(deadlock_share(0, 54, 150) == 0);
	assert_true(deadlock_share(2, 54, 0) == 0);
	assert_true(deadlock_share(1e9, 0, 1) == 1);
}

static void
test_window_parse(void **state)
{
	int	from, to;

	(void)state;
	assert_int_equal(clock_parse_window("02:00-06:00", &from, &to), 0);
	assert_true(from == 7200 && to == 21600);
	assert_int_equal(clock_parse_window("22:30-06:00", &from, &to), 0);
	assert_true(from == 81000 && to == 21600);
	assert_int_equal(clock_parse_window("2-6", &from, &to), -1);
	assert_int_equal(clock_parse_window("02:00-06:00x", &from, &to), -1);
	assert_int_equal(clock_parse_window("25:00-06:00", &from, &to), -1);
}

static void
test_hist_point_mass_exact(void **state)
{
	struct hist	h, o;

	(void)state;
	hist_clear(&h);
	hist_add(&h, 250, 98.8);
	hist_add(&h, 30000, 1.2);
	assert_true(hist_quantile(&h, 0.99) == 30000);
	assert_true(hist_quantile(&h, 0.5) == 250);
	/* Merged, the bucket keeps what it really holds. */
	hist_clear(&o);
	hist_add(&o, 29000, 1);
	hist_merge(&o, &h);
	assert_true(hist_quantile(&o, 0.999) <= 30000);
	assert_true(hist_quantile(&o, 0.999) >= 29000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_is_product),
		cmocka_unit_test(test_rate_needs_both_sides),
		cmocka_unit_test(test_share_counts_followers),
		cmocka_unit_test(test_window_parse),
		cmocka_unit_test(test_hist_point_mass_exact),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
