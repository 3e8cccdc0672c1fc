/*
 * Unit tests for the engine as a whole on a tiny world built in C without
 * Lua (one service with a DB-backed route and a route calling an external
 * dependency): determinism per seed, Little's law at the gateway (catalog
 * E.1 row 48), parameter paths, a slow dependency failing only its own
 * route when threads suffice, a pinned breaker failing fast, and the
 * error budget's burn rate (row 47).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "testutil.h"

#define R_DB	"GET /x"
#define R_EXT	"POST /pay"
#define EDGE	"api->paygw"


/* Fail with the cause when a building call refused. */
#define OK(call, cause)	TU_OK(call, cause)

/*
 * The world: database pg1, external paygw, service api with `threads`
 * threads on each of 4 instances and a pool of 10 connections each.
 * Class read queries the database for 20 ms (route GET /x, 1000 rps);
 * class pay calls paygw (route POST /pay, 20 rps).
 */
static void
build(struct game *g, uint64_t seed, double threads)
{
	struct world	*w = &g->w;
	char		*cause = NULL;
	int		 db, s, rd, pay, e;

	game_init(g, seed);
	OK(db = world_add_db(w, "pg1", &cause), &cause);
	OK(world_add_ext(w, "paygw", &cause), &cause);
	OK(s = world_add_svc(w, "api", &cause), &cause);
	w->svc[s].instances = 4;
	w->svc[s].threads_per_instance = threads;
	OK(rd = world_add_class(w, s, "read", &cause), &cause);
	w->cls[rd].db = DBK_READ;
	w->cls[rd].db_ms = 20;
	OK(pay = world_add_class(w, s, "pay", &cause), &cause);
	OK(world_add_pool(w, s, "main", DBK_NONE, 10, 3000, db, &cause),
	    &cause);
	OK(e = world_add_edge(w, s, "paygw", NULL, &cause), &cause);
	assert_string_equal(w->edge[e].name, EDGE);
	OK(world_add_call(w, pay, e, 1, &cause), &cause);
	OK(world_add_route(w, R_DB, rd, 1000, &cause), &cause);
	OK(world_add_route(w, R_EXT, pay, 20, &cause), &cause);
	OK(world_finalize(&g->w, &g->m, &cause), &cause);
	OK(alerts_add(&g->alerts, "ALRT-ERR", "gw_error_ratio_pct > 1", 60,
	    ALERT_PAGE, "error ratio above 1%", &cause), &cause);
	OK(game_start(g, &cause), &cause);
}

static double
metric(const struct game *g, const char *full)
{
	int	id = metrics_find(&g->m, full);

	if (id == -1)
		fail_msg("no series %s", full);
	return (metrics_get(&g->m, id));
}

static double
route_metric(const struct game *g, const char *name, const char *route)
{
	char	full[160];

	snprintf(full, sizeof full, "%s{route=\"%s\"}", name, route);
	return (metric(g, full));
}

static void
run_s(struct game *g, int seconds)
{
	int	i;

	for (i = 0; i < seconds * TICKS_PER_S; i++)
		game_step(g);
}

static void
set(struct game *g, const char *path, double v)
{
	char	*cause = NULL;

	OK(world_set(&g->w, path, v, &cause), &cause);
}

static double
get(const struct game *g, const char *path)
{
	char	*cause = NULL;
	double	 v = NAN;

	OK(world_get(&g->w, path, &v, &cause), &cause);
	return (v);
}

/* paygw answers in 30 s (p99 45 s) and the caller waits up to 30 s. */
static void
slow_paygw(struct game *g)
{
	set(g, "ext.paygw.latency_p50_ms", 30000);
	set(g, "ext.paygw.latency_p99_ms", 45000);
	set(g, "edge." EDGE ".timeout_ms", 30000);
}

static void
test_game_same_seed_same_hash_other_seed_differs(void **state)
{
	struct game	a, b, c;
	uint64_t	ha, hb, hc, h0;

	(void)state;
	build(&a, 7, 20);
	build(&b, 7, 20);
	build(&c, 8, 20);
	h0 = game_state_hash(&a);
	assert_true(h0 == game_state_hash(&b));
	run_s(&a, 30);
	run_s(&b, 30);
	run_s(&c, 30);
	/* The same change at the same tick keeps them equal. */
	slow_paygw(&a);
	slow_paygw(&b);
	slow_paygw(&c);
	run_s(&a, 30);
	run_s(&b, 30);
	run_s(&c, 30);
	ha = game_state_hash(&a);
	hb = game_state_hash(&b);
	hc = game_state_hash(&c);
	assert_true(ha == hb);
	assert_true(ha != hc);
	assert_true(ha != h0);
	assert_int_equal(a.tl.n, b.tl.n);
	assert_int_equal(a.tick, c.tick);
	game_fini(&a);
	game_fini(&b);
	game_fini(&c);
}

static double
little(const struct game *g)
{
	return ((route_metric(g, "gw_requests_rps", R_DB) *
	    route_metric(g, "gw_latency_avg_ms", R_DB) +
	    route_metric(g, "gw_requests_rps", R_EXT) *
	    route_metric(g, "gw_latency_avg_ms", R_EXT)) / 1000);
}

static void
test_game_gateway_inflight_obeys_littles_law_row48(void **state)
{
	struct game	g;
	int		s;

	(void)state;
	build(&g, 1, 500);
	for (s = 0; s < 30; s++) {
		run_s(&g, 1);
		near_rel(metric(&g, "gw_inflight_requests"), little(&g), 0.05,
		    "in-flight vs sum of rps x latency");
	}
	/* 1000 x ~25 ms + 20 x ~117 ms: a couple of dozen in flight. */
	assert_true(metric(&g, "gw_inflight_requests") > 20);
	near_rel(route_metric(&g, "gw_requests_rps", R_DB), 1000, 0.05,
	    "db route rps");
	near_rel(route_metric(&g, "gw_requests_rps", R_EXT), 20, 0.05,
	    "ext route rps");

	/* It still holds in the new steady state after a slowdown. */
	slow_paygw(&g);
	run_s(&g, 45);
	for (s = 0; s < 15; s++) {
		run_s(&g, 1);
		near_rel(metric(&g, "gw_inflight_requests"), little(&g), 0.05,
		    "in-flight with a slow dependency");
	}
	assert_true(metric(&g, "gw_inflight_requests") > 300);
	game_fini(&g);
}

static void
test_game_world_set_get_round_trip(void **state)
{
	struct game	g;

	(void)state;
	build(&g, 1, 20);
	near_rel(get(&g, "svc.api.instances"), 4, 0, "instances");
	set(&g, "svc.api.instances", 6);
	near_rel(get(&g, "svc.api.instances"), 6, 0, "instances set");
	near_rel(get(&g, "edge." EDGE ".timeout_ms"), 30000, 0,
	    "default timeout");
	set(&g, "edge." EDGE ".timeout_ms", 2000);
	near_rel(get(&g, "edge." EDGE ".timeout_ms"), 2000, 0, "timeout");
	set(&g, "edge." EDGE ".retries", 2);
	near_rel(get(&g, "edge." EDGE ".retries"), 2, 0, "retries");
	set(&g, "ext.paygw.latency_p50_ms", 250);
	near_rel(get(&g, "ext.paygw.latency_p50_ms"), 250, 0, "p50");
	set(&g, "ext.paygw.latency_p99_ms", 900);
	set(&g, "route." R_DB ".rps", 500);
	near_rel(get(&g, "route." R_DB ".rps"), 500, 0, "route rps");
	/* Pools: the total, spread over instances. */
	near_rel(get(&g, "svc.api.db_pool"), 60, 1e-12, "pool total");
	set(&g, "svc.api.db_pool", 120);
	near_rel(get(&g, "svc.api.db_pool"), 120, 1e-12, "pool set");
	near_rel(get(&g, "svc.api.db_pool.main"), 120, 1e-12, "pool main");
	set(&g, "gw.inflight_max", 5000);
	near_rel(g.w.gw.size, 5000, 0, "gateway size follows");

	/* The model follows the knobs. */
	run_s(&g, 5);
	near_rel(metric(&g, "svc_instances_ready{svc=\"api\"}"), 6, 0,
	    "ready instances");
	near_rel(route_metric(&g, "gw_requests_rps", R_DB), 500, 0.05,
	    "route demand");
	near_rel(metric(&g, "paygw_latency_p99_ms"), 900, 0.005,
	    "external p99");
	near_rel(metric(&g, "db_pool_size{svc=\"api\",pool=\"main\"}"), 120,
	    1e-9, "pool size");
	/* Read-only figures can be read. */
	near_rel(get(&g, "route." R_DB ".served_rps"), 500, 0.05,
	    "served rps");
	near_rel(get(&g, "svc.api.rps"), 520, 0.05, "service rps");
	game_fini(&g);
}

static void
refused(struct game *g, const char *path, double v, const char *needle)
{
	char	*cause = NULL;

	if (world_set(&g->w, path, v, &cause) != -1)
		fail_msg("world_set(%s, %g) accepted", path, v);
	assert_non_null(cause);
	if (strstr(cause, needle) == NULL)
		fail_msg("world_set(%s): cause '%s' lacks '%s'", path, cause,
		    needle);
	free(cause);
}

static void
test_game_world_set_refusals_have_cause(void **state)
{
	struct game	 g;
	char		*cause = NULL;
	double		 v = 123;

	(void)state;
	build(&g, 1, 20);
	refused(&g, "nope", 1, "bad parameter path");
	refused(&g, "bogus.api.instances", 1, "bad parameter path");
	refused(&g, "svc.api", 1, "bad parameter path");
	refused(&g, "svc.nosuch.instances", 1, "unknown service 'nosuch'");
	refused(&g, "svc.api.nosuch", 1, "unknown parameter 'nosuch'");
	refused(&g, "edge.api->nobody.timeout_ms", 1, "unknown edge");
	refused(&g, "ext.nobody.latency_p50_ms", 1, "unknown external");
	refused(&g, "route.GET /nope.rps", 1, "unknown route");
	refused(&g, "class.api.nosuch.db_ms", 1, "unknown class");
	/* Read-only figures. */
	refused(&g, "svc.api.rps", 5, "read-only");
	refused(&g, "route." R_DB ".served_rps", 5, "read-only");
	refused(&g, "edge." EDGE ".fail_p", 0.5, "read-only");
	/* Negative and non-finite values. */
	refused(&g, "svc.api.instances", -1, "must not be negative");
	refused(&g, "edge." EDGE ".timeout_ms", -100, "must not be negative");
	refused(&g, "svc.api.db_pool", -5, "cannot set");
	refused(&g, "edge." EDGE ".breaker_pin", 3, "0 none, 1 open");
	refused(&g, "svc.api.instances", NAN, "not a finite number");
	refused(&g, "svc.api.instances", INFINITY, "not a finite number");
	/* Nothing changed. */
	near_rel(get(&g, "svc.api.instances"), 4, 0, "instances kept");
	near_rel(get(&g, "edge." EDGE ".timeout_ms"), 30000, 0,
	    "timeout kept");
	/* world_get refuses the same way and leaves the value alone. */
	assert_int_equal(world_get(&g.w, "svc.api.nosuch", &v, &cause), -1);
	assert_non_null(cause);
	free(cause);
	near_rel(v, 123, 0, "untouched");
	game_fini(&g);
}

static void
test_game_slow_external_fails_only_its_route(void **state)
{
	struct game	g;
	double		err_ext = 0, err_db, worst_db = 0, busy_pct = 0;
	int		s, reached = -1;

	(void)state;
	build(&g, 3, 500);		/* 2000 threads: 20 rps x 30 s fit */
	run_s(&g, 10);
	assert_true(route_metric(&g, "gw_error_ratio_pct", R_EXT) < 1);
	slow_paygw(&g);
	for (s = 1; s <= 60; s++) {
		run_s(&g, 1);
		err_ext = route_metric(&g, "gw_error_ratio_pct", R_EXT);
		err_db = route_metric(&g, "gw_error_ratio_pct", R_DB);
		worst_db = fmax(worst_db, err_db);
		busy_pct = fmax(busy_pct,
		    metric(&g, "svc_threads_busy_pct{svc=\"api\"}"));
		/* p50 = timeout: half the calls time out. */
		if (reached == -1 && err_ext >= 49.5)
			reached = s;
	}
	if (reached == -1)
		fail_msg("POST /pay errors at %.2f%% after 60 s", err_ext);
	assert_true(err_ext >= 49.5);
	if (worst_db >= 1)
		fail_msg("GET /x reached %.2f%% errors", worst_db);
	/* The isolation rests on the threads never running out. */
	assert_true(busy_pct < 100);
	near_rel(route_metric(&g, "gw_latency_avg_ms", R_DB), 25, 0.2,
	    "db route latency unchanged");
	game_fini(&g);
}

static void
test_game_slow_external_starves_shared_threads(void **state)
{
	struct game	g;
	double		err_db = 0;
	int		s;

	(void)state;
	/* 80 threads cannot hold 20 rps x 30 s: every route suffers. */
	build(&g, 3, 20);
	slow_paygw(&g);
	for (s = 0; s < 60 && err_db < 50; s++) {
		run_s(&g, 1);
		err_db = route_metric(&g, "gw_error_ratio_pct", R_DB);
	}
	if (err_db < 50)
		fail_msg("GET /x only at %.2f%% errors", err_db);
	near_rel(metric(&g, "svc_threads_busy_pct{svc=\"api\"}"), 100, 0.01,
	    "threads exhausted");
	game_fini(&g);
}

static void
test_game_breaker_pin_open_fails_fast(void **state)
{
	struct game	g;
	double		lat = 0;
	int		s;

	(void)state;
	build(&g, 5, 500);
	slow_paygw(&g);
	run_s(&g, 20);
	assert_true(route_metric(&g, "gw_latency_avg_ms", R_EXT) > 10000);
	near_rel(get(&g, "edge." EDGE ".breaker_state"), BREAKER_CLOSED, 0,
	    "closed before the pin");
	set(&g, "edge." EDGE ".breaker_pin", PIN_OPEN);
	near_rel(get(&g, "edge." EDGE ".breaker_pin"), PIN_OPEN, 0, "pinned");
	near_rel(get(&g, "edge." EDGE ".breaker_state"), BREAKER_OPEN, 0,
	    "effective state");
	for (s = 0; s < 5; s++) {
		run_s(&g, 1);
		lat = route_metric(&g, "gw_latency_avg_ms", R_EXT);
		if (lat < 50)
			break;
	}
	if (lat >= 50)
		fail_msg("POST /pay still at %.1f ms after 5 s", lat);
	near_rel(metric(&g, "breaker_state{edge=\"" EDGE "\"}"),
	    BREAKER_OPEN, 0, "breaker_state metric");
	/* Failing fast is still failing: the route errors, others don't. */
	run_s(&g, 1);
	assert_true(route_metric(&g, "gw_error_ratio_pct", R_EXT) > 99);
	assert_true(route_metric(&g, "gw_error_ratio_pct", R_DB) < 1);
	/* Unpinned, auto off: the breaker is closed again. */
	set(&g, "edge." EDGE ".breaker_pin", PIN_NONE);
	run_s(&g, 1);
	near_rel(get(&g, "edge." EDGE ".breaker_state"), BREAKER_CLOSED, 0,
	    "closed after the pin");
	game_fini(&g);
}

static void
test_game_error_budget_burn_rate_row47(void **state)
{
	struct game	g;
	double		b0, b1, i0, bad_s = 0, rps_db, rps_ext, bad;
	int		s;

	(void)state;
	build(&g, 9, 20);
	near_rel(metric(&g, "error_budget_total_min"), 43.2, 1e-12,
	    "budget minutes");
	near_rel(g.w.budget_total_s, 2592, 1e-12, "budget seconds");
	run_s(&g, 10);
	near_rel(metric(&g, "error_budget_burned_pct") + 1, 1, 1e-9,
	    "nothing burned while healthy");
	/* Every payment fails at once: about 2% of all requests are bad. */
	set(&g, "ext.paygw.error_pct", 100);
	run_s(&g, 5);
	b0 = metric(&g, "error_budget_burned_pct");
	i0 = metric(&g, "user_impact_min");
	for (s = 0; s < 120; s++) {
		run_s(&g, 1);
		rps_db = route_metric(&g, "gw_requests_rps", R_DB);
		rps_ext = route_metric(&g, "gw_requests_rps", R_EXT);
		bad = (rps_db * route_metric(&g, "gw_error_ratio_pct", R_DB) +
		    rps_ext * route_metric(&g, "gw_error_ratio_pct", R_EXT)) /
		    100 / (rps_db + rps_ext);
		bad_s += bad;
	}
	b1 = metric(&g, "error_budget_burned_pct");
	near_rel(bad_s / 120, 20.0 / 1020, 0.05, "bad fraction");
	/* burned = sum of bad_fraction x dt / 2592 s x 100. */
	near_rel(b1 - b0, bad_s / 2592 * 100, 0.05, "budget burned");
	/* user_impact_min = sum of bad_fraction x dt / 60. */
	near_rel(metric(&g, "user_impact_min") - i0, bad_s / 60, 0.05,
	    "impact minutes");
	game_fini(&g);
}

static void
test_game_warmup_burns_no_error_budget(void **state)
{
	struct game	 g;
	struct world	*w = &g.w;
	char		*cause = NULL;
	double		 burned, impact;
	int		 s, c, x, e;

	(void)state;
	/* Every request fails from the first tick, warm-up included. */
	game_init(&g, 1);
	OK(x = world_add_ext(w, "paygw", &cause), &cause);
	w->ext[x].err_pct = 100;
	OK(s = world_add_svc(w, "api", &cause), &cause);
	OK(c = world_add_class(w, s, "pay", &cause), &cause);
	OK(e = world_add_edge(w, s, "paygw", NULL, &cause), &cause);
	OK(world_add_call(w, c, e, 1, &cause), &cause);
	OK(world_add_route(w, R_EXT, c, 20, &cause), &cause);
	OK(world_finalize(w, &g.m, &cause), &cause);
	OK(game_start(&g, &cause), &cause);
	burned = g.w.budget_burned_pct;
	impact = g.w.impact_min;
	game_fini(&g);
	/* The incident starts at t = 0: nothing is owed before it. */
	if (burned != 0 || impact != 0)
		fail_msg("at t=0: %.4f%% of the budget and %.3f impact-min"
		    " already burned by the warm-up", burned, impact);
}

static void
test_game_error_alert_fires_after_60s_of_errors(void **state)
{
	struct game	 g;
	long		 breach = -1, fired = -1;
	int		 i, s;

	(void)state;
	build(&g, 11, 20);
	run_s(&g, 5);
	set(&g, "ext.paygw.error_pct", 100);
	for (s = 0; s < 90 && fired == -1; s++) {
		run_s(&g, 1);
		if (breach == -1 &&
		    route_metric(&g, "gw_error_ratio_pct", R_EXT) > 1)
			breach = game_now_ms(&g);
		for (i = 0; i < g.tl.n; i++)
			if (g.tl.v[i].kind == EV_ALERT_FIRED)
				fired = g.tl.v[i].t_ms;
	}
	assert_true(breach >= 0);
	if (fired == -1)
		fail_msg("ALRT-ERR never fired");
	assert_int_equal(fired - breach, 60000);
	assert_int_equal(g.alerts.v[0].state, AL_FIRING);
	assert_non_null(strstr(g.alerts.v[0].worst, R_EXT));
	game_fini(&g);
}

static void
test_game_start_refuses_alert_matching_nothing(void **state)
{
	struct game	 g;
	struct world	*w = &g.w;
	char		*cause = NULL;
	int		 s, c;

	(void)state;
	game_init(&g, 1);
	OK(s = world_add_svc(w, "api", &cause), &cause);
	OK(c = world_add_class(w, s, "get", &cause), &cause);
	OK(world_add_route(w, R_DB, c, 10, &cause), &cause);
	OK(world_finalize(&g.w, &g.m, &cause), &cause);
	OK(alerts_add(&g.alerts, "TYPO", "gw_eror_ratio_pct > 1", 0,
	    ALERT_PAGE, NULL, &cause), &cause);
	assert_int_equal(game_start(&g, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "TYPO"));
	assert_non_null(strstr(cause, "matches no metric"));
	free(cause);
	game_fini(&g);
}

/* Every series the model registers belongs to a known family. */
static void
test_game_every_series_is_a_known_family(void **state)
{
	struct game	 g;
	int		 i;

	(void)state;
	build(&g, 1, 500);
	for (i = 0; i < g.m.n; i++) {
		const char *n = g.m.v[i].name;

		if (strstr(n, "paygw") == n || strstr(n, "host_") == n)
			continue;	/* an external's, a gauge's */
		if (!world_metric_family(n))
			fail_msg("series %s is not in the family list", n);
	}
	game_fini(&g);
}

/* The call refused with a cause holding needle; the cause is freed. */
static void
expect_cause(int rc, char **cause, const char *needle)
{
	if (rc != -1)
		fail_msg("accepted; wanted '%s'", needle);
	assert_non_null(*cause);
	if (strstr(*cause, needle) == NULL)
		fail_msg("cause '%s' lacks '%s'", *cause, needle);
	free(*cause);
	*cause = NULL;
}

static void
test_game_world_building_refusals(void **state)
{
	struct game	 g;
	struct world	*w = &g.w;
	char		*cause = NULL;
	int		 s, t;

	(void)state;
	game_init(&g, 1);
	expect_cause(world_finalize(w, &g.m, &cause), &cause, "at least one");
	OK(s = world_add_svc(w, "api", &cause), &cause);
	expect_cause(world_add_svc(w, "api", &cause), &cause, "twice");
	expect_cause(world_add_svc(w, "a.b", &cause), &cause, "no dots");
	expect_cause(world_add_svc(w, "", &cause), &cause, "bad service name");
	expect_cause(world_add_edge(w, s, "nobody", NULL, &cause), &cause,
	    "unknown callee");
	expect_cause(world_add_route(w, "GET /a.b", 0, 1, &cause), &cause,
	    "bad route name");
	OK(world_add_route(w, R_DB, 0, 10, &cause), &cause);
	/* A service without a class cannot serve its route. */
	expect_cause(world_finalize(w, &g.m, &cause), &cause,
	    "has no request class");
	OK(t = world_add_class(w, s, "get", &cause), &cause);
	w->cls[t].db = DBK_READ;
	expect_cause(world_finalize(w, &g.m, &cause), &cause, "has no pool");
	w->cls[t].db = DBK_NONE;
	OK(world_finalize(w, &g.m, &cause), &cause);
	/* Built: no more components. */
	expect_cause(world_add_svc(w, "late", &cause), &cause,
	    "already built");
	game_fini(&g);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_game_same_seed_same_hash_other_seed_differs),
		cmocka_unit_test(
		    test_game_gateway_inflight_obeys_littles_law_row48),
		cmocka_unit_test(test_game_world_set_get_round_trip),
		cmocka_unit_test(test_game_world_set_refusals_have_cause),
		cmocka_unit_test(test_game_slow_external_fails_only_its_route),
		cmocka_unit_test(
		    test_game_slow_external_starves_shared_threads),
		cmocka_unit_test(test_game_breaker_pin_open_fails_fast),
		cmocka_unit_test(test_game_error_budget_burn_rate_row47),
		cmocka_unit_test(test_game_warmup_burns_no_error_budget),
		cmocka_unit_test(
		    test_game_error_alert_fires_after_60s_of_errors),
		cmocka_unit_test(
		    test_game_start_refuses_alert_matching_nothing),
		cmocka_unit_test(test_game_world_building_refusals),
		cmocka_unit_test(test_game_every_series_is_a_known_family),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
