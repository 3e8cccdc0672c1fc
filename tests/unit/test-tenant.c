/*
 * Unit tests for the tenant arithmetic of catalog A.2.6 and §4.3: a
 * pgbouncer pool caps the connections, and the load follows them (40
 * connections at 58% → 5.8% at pool_size 4, ≤ 6%); the P1 factor
 * (1 − 0.3)/(1 − ρ) of E.1 row 35 (×4.7 at 0.85, ×7 at 0.90, ×8.75 at
 * 0.92); time windows, including ones that wrap past midnight.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tenant.h"

static void
test_tenant_pool_caps_load(void **state)
{
	(void)state;
	assert_true(tenant_active(40, 40) == 40);
	assert_true(tenant_active(40, 4) == 4);
	assert_true(tenant_active(10, 40) == 10);
	assert_true(tenant_active(40, 0) == 0);
	assert_true(fabs(tenant_load(58, 40, 40) - 58) < 1e-9);
	assert_true(fabs(tenant_load(58, 40, 4) - 5.8) < 1e-9);
	/* Catalog: their CPU ≤ 6% at pool_size 4, even for the heaviest
	 * run (62%). */
	assert_true(tenant_load(62, 40, 4) <= 6.2 + 1e-9);
	assert_true(tenant_load(55, 40, 4) <= 6);
	assert_true(tenant_load(58, 0, 4) == 0);
}

static void
test_tenant_p1_factor_row35(void **state)
{
	(void)state;
	/* ρ0 0.30 plus a 55–62% ETL. */
	assert_true(fabs(tenant_p1_factor(0.3, 0.85) - 4.6667) < 1e-3);
	assert_true(fabs(tenant_p1_factor(0.3, 0.90) - 7.0) < 1e-9);
	assert_true(fabs(tenant_p1_factor(0.3, 0.92) - 8.75) < 1e-9);
	/* Below the reference load nothing gets faster. */
	assert_true(tenant_p1_factor(0.3, 0.2) == 1);
	assert_true(isinf(tenant_p1_factor(0.3, 1.0)));
}

static void
test_tenant_windows(void **state)
{
	int	lo, hi;

	(void)state;
	assert_int_equal(clock_parse_window("02:00-06:00", &lo, &hi), 0);
	assert_int_equal(lo, 7200);
	assert_int_equal(hi, 21600);
	assert_true(clock_in_window(3 * 3600, lo, hi));
	assert_false(clock_in_window(15 * 3600, lo, hi));
	assert_false(clock_in_window(6 * 3600, lo, hi));
	/* A day later, the same hour. */
	assert_true(clock_in_window(86400 + 3 * 3600, lo, hi));
	/* Wrapping past midnight. */
	assert_int_equal(clock_parse_window("22:30-04:00", &lo, &hi), 0);
	assert_true(clock_in_window(23 * 3600, lo, hi));
	assert_true(clock_in_window(3600, lo, hi));
	assert_false(clock_in_window(12 * 3600, lo, hi));
	/* No window: any time. */
	assert_true(clock_in_window(12 * 3600, 0, 0));
	assert_int_equal(clock_parse_window("2-6", &lo, &hi), -1);
	assert_int_equal(clock_parse_window("02:00-02:00", &lo, &hi), -1);
	assert_int_equal(clock_parse_window("25:00-02:00", &lo, &hi), -1);
	assert_int_equal(clock_parse_window("02:00-06:00x", &lo, &hi), -1);
	assert_int_equal(clock_parse_window("02:0-06:00", &lo, &hi), -1);
}

static void
test_tenant_runs_and_lookup(void **state)
{
	struct tenant	 v[2];
	struct tenants	 ts = { v, 2 };

	(void)state;
	memset(v, 0, sizeof v);
	strcpy(v[0].name, "shop");
	strcpy(v[1].name, "analytics");
	strcpy(v[1].job, "analytics-etl");
	v[1].cpu_pct = 58;
	assert_int_equal(tenant_find(&ts, "analytics"), 1);
	assert_int_equal(tenant_find(&ts, "nobody"), -1);
	assert_int_equal(tenant_find_job(&ts, "analytics-etl"), 1);
	assert_int_equal(tenant_find_job(&ts, ""), -1);
	tenant_add_run(&v[1], 1800, 300, 0);
	tenant_add_run(&v[1], 9000, 240, 61);
	assert_int_equal(v[1].nrun, 2);
	assert_true(v[1].run[0].cpu_pct == 58);
	assert_true(v[1].run[0].end - v[1].run[0].start == 3000);
	assert_true(v[1].run[1].cpu_pct == 61);
	free(v[1].run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tenant_pool_caps_load),
		cmocka_unit_test(test_tenant_p1_factor_row35),
		cmocka_unit_test(test_tenant_windows),
		cmocka_unit_test(test_tenant_runs_and_lookup),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
