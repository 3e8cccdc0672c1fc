/*
 * Unit tests for the metric registry (series names, history ring,
 * baselines), label selectors and the alert engine: rules fire only after
 * their hold time, resolve when no series breaches, compare against the
 * warm-up baseline for "Nx" thresholds and refuse bad expressions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/alert.h"
#include "engine/metric.h"

/* ---- registry ---- */

static void
test_metrics_add_builds_full_name_with_labels(void **state)
{
	struct metrics	m;
	int		a, b, c;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "db_pool_active", "svc", "order", "pool", "read",
	    (char *)NULL);
	b = metrics_add(&m, "gw_inflight_requests", (char *)NULL);
	c = metrics_add(&m, "db_pool_active", "svc", "order", "pool", "write",
	    (char *)NULL);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 2);
	assert_string_equal(m.v[a].full,
	    "db_pool_active{svc=\"order\",pool=\"read\"}");
	assert_string_equal(m.v[a].name, "db_pool_active");
	assert_int_equal(m.v[a].nlbl, 2);
	assert_string_equal(series_label(&m.v[a], "svc"), "order");
	assert_string_equal(series_label(&m.v[a], "pool"), "read");
	assert_null(series_label(&m.v[a], "route"));
	assert_string_equal(m.v[b].full, "gw_inflight_requests");
	assert_int_equal(m.v[b].nlbl, 0);
	/* A new series has no baseline and no history yet. */
	assert_true(isnan(m.v[a].baseline));
	assert_true(isnan(metrics_history(&m, a, 0)));
	metrics_fini(&m);
}

static void
test_metrics_same_full_name_returns_same_id(void **state)
{
	struct metrics	m;
	int		a, b, n;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "gw_requests_rps", "route", "GET /x",
	    (char *)NULL);
	metrics_set(&m, a, 42);
	n = m.n;
	b = metrics_add(&m, "gw_requests_rps", "route", "GET /x",
	    (char *)NULL);
	assert_int_equal(a, b);
	assert_int_equal(m.n, n);
	/* Re-registering keeps the series and its value. */
	assert_true(metrics_get(&m, b) == 42);
	/* Another label value is another series. */
	assert_int_not_equal(metrics_add(&m, "gw_requests_rps", "route",
	    "GET /y", (char *)NULL), a);
	metrics_fini(&m);
}

static void
test_metrics_find_by_full_name(void **state)
{
	struct metrics	m;
	int		a;

	(void)state;
	metrics_init(&m);
	metrics_add(&m, "x", (char *)NULL);
	a = metrics_add(&m, "svc_rps", "svc", "api", (char *)NULL);
	assert_int_equal(metrics_find(&m, "svc_rps{svc=\"api\"}"), a);
	assert_int_equal(metrics_find(&m, "x"), 0);
	assert_int_equal(metrics_find(&m, "svc_rps"), -1);
	assert_int_equal(metrics_find(&m, "svc_rps{svc=api}"), -1);
	assert_int_equal(metrics_find(&m, "nope"), -1);
	metrics_fini(&m);
}

static void
test_metrics_get_set_out_of_range_is_harmless(void **state)
{
	struct metrics	m;
	int		a;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "x", (char *)NULL);
	metrics_set(&m, a, 3.5);
	metrics_set(&m, 7, 9);
	metrics_set(&m, -1, 9);
	assert_true(metrics_get(&m, a) == 3.5);
	assert_true(isnan(metrics_get(&m, 7)));
	assert_true(isnan(metrics_get(&m, -1)));
	assert_true(isnan(metrics_history(&m, 7, 0)));
	metrics_fini(&m);
}

static void
test_metrics_history_ring_newest_first(void **state)
{
	struct metrics	m;
	int		a, b, i;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "a", (char *)NULL);
	b = metrics_add(&m, "b", (char *)NULL);
	for (i = 1; i <= 3; i++) {
		metrics_set(&m, a, i);
		metrics_set(&m, b, 10 * i);
		metrics_sample(&m);
	}
	assert_true(metrics_history(&m, a, 0) == 3);
	assert_true(metrics_history(&m, a, 1) == 2);
	assert_true(metrics_history(&m, a, 2) == 1);
	assert_true(isnan(metrics_history(&m, a, 3)));
	assert_true(isnan(metrics_history(&m, a, -1)));
	assert_true(metrics_history(&m, b, 0) == 30);
	/* Setting a value does not rewrite history until the next sample. */
	metrics_set(&m, a, 99);
	assert_true(metrics_history(&m, a, 0) == 3);
	metrics_fini(&m);
}

static void
test_metrics_history_holds_two_hours(void **state)
{
	struct metrics	m;
	int		a;
	long		i, n = METRIC_HIST_S + 50;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "a", (char *)NULL);
	for (i = 0; i < n; i++) {
		metrics_set(&m, a, (double)i);
		metrics_sample(&m);
	}
	assert_int_equal(METRIC_HIST_S, 7200);
	assert_true(metrics_history(&m, a, 0) == (double)(n - 1));
	assert_true(metrics_history(&m, a, METRIC_HIST_S - 1) ==
	    (double)(n - METRIC_HIST_S));
	assert_true(isnan(metrics_history(&m, a, METRIC_HIST_S)));
	metrics_fini(&m);
}

static void
test_metrics_mark_baseline_copies_current(void **state)
{
	struct metrics	m;
	int		a;

	(void)state;
	metrics_init(&m);
	a = metrics_add(&m, "a", (char *)NULL);
	metrics_set(&m, a, 12);
	metrics_mark_baseline(&m);
	metrics_set(&m, a, 40);
	assert_true(m.v[a].baseline == 12);
	assert_true(metrics_get(&m, a) == 40);
	metrics_fini(&m);
}

/* ---- selectors ---- */

static void
test_selector_parses_quoted_and_bare_matchers(void **state)
{
	struct selector	 s;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(selector_parse(&s,
	    "db_pool_utilization_pct{svc=\"order\",pool!=write}", &cause), 0);
	assert_null(cause);
	assert_string_equal(s.name, "db_pool_utilization_pct");
	assert_int_equal(s.nm, 2);
	assert_string_equal(s.m[0].key, "svc");
	assert_string_equal(s.m[0].val, "order");
	assert_int_equal(s.m[0].neg, 0);
	assert_string_equal(s.m[1].key, "pool");
	assert_string_equal(s.m[1].val, "write");
	assert_int_equal(s.m[1].neg, 1);

	/* Spaces around the parts, and a bare name. */
	assert_int_equal(selector_parse(&s,
	    "  a_b { k = \"v w\" , j != x }  ", &cause), 0);
	assert_string_equal(s.name, "a_b");
	assert_int_equal(s.nm, 2);
	assert_string_equal(s.m[0].key, "k");
	assert_string_equal(s.m[0].val, "v w");
	assert_string_equal(s.m[1].key, "j");
	assert_string_equal(s.m[1].val, "x");
	assert_int_equal(s.m[1].neg, 1);
	assert_int_equal(selector_parse(&s, "gw_inflight_requests", &cause),
	    0);
	assert_int_equal(s.nm, 0);
	assert_int_equal(selector_parse(&s, "x{}", &cause), 0);
	assert_int_equal(s.nm, 0);
	/* Route names hold spaces and slashes. */
	assert_int_equal(selector_parse(&s,
	    "gw_error_ratio_pct{route=\"GET /orders/{id}\"}", &cause), 0);
	assert_string_equal(s.m[0].val, "GET /orders/{id}");
}

static void
expect_bad_selector(const char *text)
{
	struct selector	 s;
	char		*cause = NULL;

	if (selector_parse(&s, text, &cause) != -1)
		fail_msg("selector '%s' was accepted", text);
	assert_non_null(cause);
	if (strstr(cause, "bad metric selector") == NULL)
		fail_msg("selector '%s': cause '%s'", text, cause);
	free(cause);
}

static void
test_selector_rejects_malformed_text(void **state)
{
	char	long_name[200], long_key[80];

	(void)state;
	expect_bad_selector("");
	expect_bad_selector("   ");
	expect_bad_selector("{");
	expect_bad_selector("{a=\"b\"}");
	expect_bad_selector("a{b}");
	expect_bad_selector("a{b");
	expect_bad_selector("a{=x}");
	expect_bad_selector("a{!x}");
	expect_bad_selector("a{b=\"x}");
	expect_bad_selector("a{b=x");
	expect_bad_selector("a{b=x} junk");
	expect_bad_selector("a b");
	expect_bad_selector("a{b=\"x\" c=\"y\"}");
	expect_bad_selector("a{a=1,b=2,c=3,d=4,e=5,f=6,g=7}");
	memset(long_name, 'n', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	expect_bad_selector(long_name);
	memset(long_key, 'k', sizeof long_key);
	memcpy(long_key, "a{", 2);
	memcpy(long_key + sizeof long_key - 5, "=v}", 4);
	expect_bad_selector(long_key);
}

static void
add_pools(struct metrics *m)
{
	metrics_add(m, "db_pool_utilization_pct", "svc", "order", "pool",
	    "read", (char *)NULL);
	metrics_add(m, "db_pool_utilization_pct", "svc", "order", "pool",
	    "write", (char *)NULL);
	metrics_add(m, "db_pool_utilization_pct", "svc", "user", "pool",
	    "main", (char *)NULL);
	metrics_add(m, "db_pool_utilization_pct", "svc", "order", "pool",
	    "main", (char *)NULL);
	metrics_add(m, "db_pool_active", "svc", "order", "pool", "read",
	    (char *)NULL);
	metrics_add(m, "db_pool_utilization_pct", (char *)NULL);
}

static void
test_selector_match_and_resolve_with_negation(void **state)
{
	struct metrics	 m;
	struct selector	 s;
	char		*cause = NULL;
	int		*ids, n;

	(void)state;
	metrics_init(&m);
	add_pools(&m);
	assert_int_equal(selector_parse(&s,
	    "db_pool_utilization_pct{svc=\"order\",pool!=write}", &cause), 0);
	n = selector_resolve(&s, &m, &ids);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0);	/* registration order */
	assert_int_equal(ids[1], 3);
	free(ids);
	assert_int_equal(selector_match(&s, &m.v[1]), 0);	/* write */
	assert_int_equal(selector_match(&s, &m.v[2]), 0);	/* user */
	assert_int_equal(selector_match(&s, &m.v[4]), 0);	/* name */
	assert_int_equal(selector_match(&s, &m.v[5]), 0);	/* no svc */

	/* A bare name matches every series of that name. */
	assert_int_equal(selector_parse(&s, "db_pool_utilization_pct",
	    &cause), 0);
	n = selector_resolve(&s, &m, &ids);
	assert_int_equal(n, 5);
	free(ids);

	/* != also matches series that lack the label. */
	assert_int_equal(selector_parse(&s,
	    "db_pool_utilization_pct{svc!=order}", &cause), 0);
	n = selector_resolve(&s, &m, &ids);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 5);
	free(ids);

	/* Nothing matches: zero and no array. */
	assert_int_equal(selector_parse(&s, "nope{a=b}", &cause), 0);
	assert_int_equal(selector_resolve(&s, &m, &ids), 0);
	assert_null(ids);
	metrics_fini(&m);
}

static void
test_selector_skips_retired_series(void **state)
{
	struct metrics	 m;
	struct selector	 s;
	char		*cause = NULL;
	int		*ids, n;

	(void)state;
	metrics_init(&m);
	add_pools(&m);
	/* The main pool was split into read and write. */
	m.v[3].retired = 1;
	assert_int_equal(selector_parse(&s,
	    "db_pool_utilization_pct{svc=order}", &cause), 0);
	assert_int_equal(selector_match(&s, &m.v[3]), 0);
	n = selector_resolve(&s, &m, &ids);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	free(ids);
	metrics_fini(&m);
}

/* ---- alerts ---- */

struct alert_fixture {
	struct metrics	m;
	struct alerts	a;
	int		get, post;
};

static void
fixture_init(struct alert_fixture *f)
{
	metrics_init(&f->m);
	alerts_init(&f->a);
	f->get = metrics_add(&f->m, "gw_error_ratio_pct", "route", "GET /x",
	    (char *)NULL);
	f->post = metrics_add(&f->m, "gw_error_ratio_pct", "route", "POST /y",
	    (char *)NULL);
	metrics_add(&f->m, "gw_requests_rps", "route", "GET /x", (char *)NULL);
}

static void
fixture_fini(struct alert_fixture *f)
{
	alerts_fini(&f->a);
	metrics_fini(&f->m);
}

static void
test_alert_fires_after_60s_of_breach(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	long			 s;
	int			 i;
	enum alert_change	 ch;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "ALRT-ERR", "gw_error_ratio_pct > 1", 60,
	    ALERT_PAGE, "error ratio above 1%", &cause);
	assert_int_equal(i, 0);
	assert_null(cause);
	alerts_bind(&f.a, &f.m);
	assert_int_equal(f.a.v[i].nids, 2);
	for (s = 0; s < 10; s++)
		assert_int_equal(alerts_eval(&f.a, i, &f.m, s * 1000), AC_NONE);
	assert_int_equal(f.a.v[i].state, AL_OK);
	/* From t = 10 s one route breaches. */
	metrics_set(&f.m, f.post, 5);
	for (s = 10; s < 70; s++) {
		ch = alerts_eval(&f.a, i, &f.m, s * 1000);
		if (ch != AC_NONE)
			fail_msg("changed at %ld s, before 60 s of breach", s);
		assert_int_equal(f.a.v[i].state, AL_PENDING);
	}
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 70000), AC_FIRED);
	assert_int_equal(f.a.v[i].state, AL_FIRING);
	assert_int_equal(f.a.v[i].fired_at, 70000);
	assert_int_equal(f.a.v[i].fired_count, 1);
	assert_string_equal(f.a.v[i].worst,
	    "gw_error_ratio_pct{route=\"POST /y\"}");
	assert_true(f.a.v[i].worst_value == 5);
	/* Still firing while any series breaches. */
	metrics_set(&f.m, f.get, 3);
	metrics_set(&f.m, f.post, 0.5);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 71000), AC_NONE);
	assert_int_equal(f.a.v[i].state, AL_FIRING);
	assert_string_equal(f.a.v[i].worst,
	    "gw_error_ratio_pct{route=\"GET /x\"}");
	/* Resolved once none has breached for ALERT_CLEAR_S seconds. */
	metrics_set(&f.m, f.get, 1);	/* not > 1 */
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 72000), AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 101000), AC_NONE);
	assert_int_equal(f.a.v[i].state, AL_FIRING);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 102000), AC_RESOLVED);
	assert_int_equal(f.a.v[i].state, AL_OK);
	assert_int_equal(f.a.v[i].resolved_at, 102000);
	fixture_fini(&f);
}

static void
test_alert_brief_clear_does_not_flap(void **state)
{
	struct alert_fixture	f;
	char			*cause = NULL;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "ALRT-FLAP", "gw_error_ratio_pct > 1", 0,
	    ALERT_PAGE, NULL, &cause);
	alerts_bind(&f.a, &f.m);
	metrics_set(&f.m, f.get, 5);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 1000), AC_FIRED);
	/* Clear for 10 s, breaching again: one firing, no resolve. */
	metrics_set(&f.m, f.get, 0);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 2000), AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 12000), AC_NONE);
	metrics_set(&f.m, f.get, 5);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 13000), AC_NONE);
	assert_int_equal(f.a.v[i].fired_count, 1);
	assert_int_equal(f.a.v[i].state, AL_FIRING);
	fixture_fini(&f);
}

static void
test_alert_interrupted_breach_restarts_hold(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	long			 s;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "ALRT-ERR", "gw_error_ratio_pct > 1", 60,
	    ALERT_PAGE, NULL, &cause);
	alerts_bind(&f.a, &f.m);
	metrics_set(&f.m, f.get, 2);
	for (s = 0; s < 50; s++)
		alerts_eval(&f.a, i, &f.m, s * 1000);
	metrics_set(&f.m, f.get, 0);
	alerts_eval(&f.a, i, &f.m, 50000);
	assert_int_equal(f.a.v[i].state, AL_OK);
	metrics_set(&f.m, f.get, 2);
	for (s = 51; s < 111; s++)
		assert_int_equal(alerts_eval(&f.a, i, &f.m, s * 1000),
		    AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 111000), AC_FIRED);
	/* The summary defaults to the expression. */
	assert_string_equal(f.a.v[i].summary, "gw_error_ratio_pct > 1");
	fixture_fini(&f);
}

static void
test_alert_for_zero_fires_on_first_breach(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "LOW", "gw_error_ratio_pct{route=\"GET /x\"} < 0",
	    0, ALERT_TICKET, NULL, &cause);
	alerts_bind(&f.a, &f.m);
	assert_int_equal(f.a.v[i].nids, 1);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 0), AC_NONE);
	metrics_set(&f.m, f.get, -1);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 1000), AC_FIRED);
	/* The other route is not watched by this rule. */
	metrics_set(&f.m, f.get, 0);
	metrics_set(&f.m, f.post, -5);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 2000), AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 32000), AC_RESOLVED);
	fixture_fini(&f);
}

static void
test_alert_relative_threshold_uses_baseline(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "ALRT-P99", "gw_error_ratio_pct > 2x", 0,
	    ALERT_PAGE, NULL, &cause);
	assert_int_equal(i, 0);
	assert_int_equal(f.a.v[i].relative, 1);
	assert_true(f.a.v[i].value == 2);
	alerts_bind(&f.a, &f.m);
	/* No baseline yet: a relative rule cannot breach. */
	metrics_set(&f.m, f.get, 1000);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 0), AC_NONE);
	metrics_set(&f.m, f.get, 10);
	metrics_set(&f.m, f.post, 0);
	metrics_mark_baseline(&f.m);
	metrics_set(&f.m, f.get, 15);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 1000), AC_NONE);
	metrics_set(&f.m, f.get, 20);	/* not > 2x10 */
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 2000), AC_NONE);
	metrics_set(&f.m, f.get, 25);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 3000), AC_FIRED);
	/* A zero baseline is skipped rather than breaching at once. */
	metrics_set(&f.m, f.get, 10);
	metrics_set(&f.m, f.post, 50);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 4000), AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 34000), AC_RESOLVED);
	fixture_fini(&f);
}

static void
expect_bad_alert(struct alerts *a, const char *id, const char *expr,
    const char *needle)
{
	char	*cause = NULL;
	int	 n = a->n;

	if (alerts_add(a, id, expr, 0, ALERT_PAGE, NULL, &cause) != -1)
		fail_msg("alert '%s' was accepted", expr);
	assert_non_null(cause);
	if (strstr(cause, needle) == NULL)
		fail_msg("alert '%s': cause '%s' lacks '%s'", expr, cause,
		    needle);
	assert_int_equal(a->n, n);
	free(cause);
}

static void
test_alert_bad_expressions_refused_with_cause(void **state)
{
	struct alerts	a;
	char		long_id[80];

	(void)state;
	alerts_init(&a);
	expect_bad_alert(&a, "A", "gw_error_ratio_pct 1", "needs < or >");
	expect_bad_alert(&a, "A", "gw_error_ratio_pct >", "no threshold");
	expect_bad_alert(&a, "A", "gw_error_ratio_pct > x", "no threshold");
	expect_bad_alert(&a, "A", "gw_error_ratio_pct > 5 pct",
	    "trailing text");
	expect_bad_alert(&a, "A", "gw_error_ratio_pct > 2xx",
	    "trailing text");
	expect_bad_alert(&a, "A", "{ > 1", "bad metric selector");
	expect_bad_alert(&a, "A", "a{b} > 1", "bad metric selector");
	expect_bad_alert(&a, "", "x > 1", "bad alert id");
	memset(long_id, 'i', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	expect_bad_alert(&a, long_id, "x > 1", "bad alert id");
	assert_int_equal(a.n, 0);
	alerts_fini(&a);
}

static void
test_alert_same_id_replaces_rule(void **state)
{
	struct alerts	 a;
	char		*cause = NULL;

	(void)state;
	alerts_init(&a);
	assert_int_equal(alerts_add(&a, "A", "x > 1", 10, ALERT_PAGE, NULL,
	    &cause), 0);
	assert_int_equal(alerts_add(&a, "B", "y < 1", 10, ALERT_INFO, NULL,
	    &cause), 1);
	assert_int_equal(alerts_add(&a, "A", "x > 5", 30, ALERT_TICKET, NULL,
	    &cause), 0);
	assert_int_equal(a.n, 2);
	assert_true(a.v[0].value == 5);
	assert_int_equal(a.v[0].for_s, 30);
	assert_int_equal(alerts_find(&a, "B"), 1);
	assert_int_equal(alerts_find(&a, "C"), -1);
	alerts_remove(&a, 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(alerts_find(&a, "B"), 0);
	alerts_remove(&a, 5);
	assert_int_equal(a.n, 1);
	assert_string_equal(alert_sev_name(ALERT_PAGE), "page");
	assert_string_equal(alert_sev_name(ALERT_TICKET), "ticket");
	assert_string_equal(alert_sev_name(ALERT_INFO), "info");
	alerts_fini(&a);
}

static void
test_alert_noise_flag_untouched_and_mute_silences(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "NOISE", "gw_requests_rps > 1", 0, ALERT_INFO,
	    "ci-runner-3 disk > 90%", &cause);
	assert_int_equal(f.a.v[i].noise, 0);
	f.a.v[i].noise = 1;
	f.a.v[i].muted = 1;
	alerts_bind(&f.a, &f.m);
	metrics_set(&f.m, metrics_find(&f.m,
	    "gw_requests_rps{route=\"GET /x\"}"), 5);
	/* Muted: the state machine runs but reports nothing. */
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 1000), AC_NONE);
	assert_int_equal(f.a.v[i].state, AL_FIRING);
	assert_int_equal(f.a.v[i].fired_count, 1);
	assert_int_equal(f.a.v[i].noise, 1);
	f.a.v[i].muted = 0;
	metrics_set(&f.m, metrics_find(&f.m,
	    "gw_requests_rps{route=\"GET /x\"}"), 0);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 2000), AC_NONE);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 32000), AC_RESOLVED);
	assert_int_equal(f.a.v[i].noise, 1);
	/* Rebinding keeps the flag too. */
	alerts_bind(&f.a, &f.m);
	assert_int_equal(f.a.v[i].noise, 1);
	fixture_fini(&f);
}

static void
test_alert_ignores_nan_values(void **state)
{
	struct alert_fixture	 f;
	char			*cause = NULL;
	int			 i;

	(void)state;
	fixture_init(&f);
	i = alerts_add(&f.a, "A", "gw_error_ratio_pct < 1", 0, ALERT_PAGE,
	    NULL, &cause);
	alerts_bind(&f.a, &f.m);
	metrics_set(&f.m, f.get, NAN);
	metrics_set(&f.m, f.post, NAN);
	assert_int_equal(alerts_eval(&f.a, i, &f.m, 0), AC_NONE);
	assert_int_equal(f.a.v[i].state, AL_OK);
	fixture_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_metrics_add_builds_full_name_with_labels),
		cmocka_unit_test(test_metrics_same_full_name_returns_same_id),
		cmocka_unit_test(test_metrics_find_by_full_name),
		cmocka_unit_test(
		    test_metrics_get_set_out_of_range_is_harmless),
		cmocka_unit_test(test_metrics_history_ring_newest_first),
		cmocka_unit_test(test_metrics_history_holds_two_hours),
		cmocka_unit_test(test_metrics_mark_baseline_copies_current),
		cmocka_unit_test(
		    test_selector_parses_quoted_and_bare_matchers),
		cmocka_unit_test(test_selector_rejects_malformed_text),
		cmocka_unit_test(
		    test_selector_match_and_resolve_with_negation),
		cmocka_unit_test(test_selector_skips_retired_series),
		cmocka_unit_test(test_alert_fires_after_60s_of_breach),
		cmocka_unit_test(test_alert_brief_clear_does_not_flap),
		cmocka_unit_test(test_alert_interrupted_breach_restarts_hold),
		cmocka_unit_test(test_alert_for_zero_fires_on_first_breach),
		cmocka_unit_test(
		    test_alert_relative_threshold_uses_baseline),
		cmocka_unit_test(
		    test_alert_bad_expressions_refused_with_cause),
		cmocka_unit_test(test_alert_same_id_replaces_rule),
		cmocka_unit_test(
		    test_alert_noise_flag_untouched_and_mute_silences),
		cmocka_unit_test(test_alert_ignores_nan_values),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
