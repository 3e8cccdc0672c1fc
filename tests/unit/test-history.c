/*
 * Unit tests for the store's history queries: the session list, bests per
 * incident and seed, and the statistics behind `firedrill stats` and the
 * picker.  Sessions are written by hand with sqlite3 so each case (ties,
 * phases never reached, old scores without signals, a damaged breakdown)
 * is exactly what the test says.
 */

#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "util/xmalloc.h"
#include "testutil.h"

struct fixture {
	char		*dir;
	char		*path;
	struct store	*s;
};

#define SIG(a, b, c, d, e) \
	"{\"total\":1,\"signals\":{\"systematic\":{\"stars\":" #a \
	",\"evidence\":[\"ran changes\"]},\"mitigation\":{\"stars\":" #b \
	"},\"blast_radius\":{\"stars\":" #c "},\"prevention\":{\"stars\":" #d \
	"},\"blameless\":{\"stars\":" #e "}}}"

/*
 * Six sessions.  1 and 2 tie on total (ana, pool incident, seeds 1 and
 * 2); 3 started in the same second as 2; 4 is bo's best with a damaged
 * breakdown; 5 is still running; 6 has a seed above 2^63 and no phase.
 */
static const char *seed_sql =
    "INSERT INTO players (id, name, created_at) VALUES (1, 'ana', 1),"
    " (2, 'bo', 1);"
    "INSERT INTO sessions (id, player_id, incident, seed, mode, started_at,"
    " outcome, sim_ms) VALUES"
    " (1, 1, 'db-pool-exhaustion', 1, 'run', 1000, 'won', 2100000),"
    " (2, 1, 'db-pool-exhaustion', 2, 'play', 2000, 'lost', 900000),"
    " (3, 1, 'cache-hot-key', 1, 'run', 2000, 'won', 700000),"
    " (4, 2, 'db-pool-exhaustion', 1, 'run', 4000, 'won', 1900000),"
    " (5, 1, 'cache-hot-key', 1, 'play', 5000, 'running', NULL),"
    " (6, 1, 'slow-query-full-scan', -2, 'run', 6000, 'timeout', 3600000);"
    "INSERT INTO scores (session_id, version, total, grade, detect_ms,"
    " triage_ms, mitigate_ms, fix_ms, breakdown_json) VALUES"
    " (1, 1, 800, 'A', 30000, 200000, 600000, 2000000, '" SIG(3, 2, 1, 2, 3)
    "'),"
    " (2, 1, 800, 'A', 50000, NULL, NULL, NULL, '" SIG(1, 2, 0, 2, 3) "'),"
    " (3, 1, 450, 'C', 10000, 100000, 300000, NULL, '{\"total\":450}'),"
    " (4, 1, 950, 'S', 20000, 150000, 400000, 1500000, 'not json'),"
    " (6, 1, 300, 'D', NULL, NULL, NULL, NULL, '" SIG(2, 1, 0, 1, 2) "');";

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;

	if ((f->dir = tu_tmpdir("history")) == NULL)
		return (-1);
	f->path = xasprintf("%s/h.db", f->dir);
	if ((f->s = store_open(f->path, 0, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		return (-1);
	}
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return (0);
}

static void
fill(struct fixture *f)
{
	sqlite3	*db;
	char	*err = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, seed_sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("seed: %s", err);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
test_empty(void **state)
{
	struct fixture		*f = *state;
	struct store_hist	*v;
	struct store_best	 b;
	struct store_stats	 ss;
	size_t			 n;
	char			*cause = NULL;
	int			 k;

	TU_OK(store_history(f->s, NULL, -1, &v, &n, &cause), &cause);
	assert_int_equal(n, 0);
	store_history_free(v, n);
	TU_OK(store_best(f->s, "db-pool-exhaustion", NULL, NULL, &b, &cause),
	    &cause);
	assert_false(b.found);
	assert_int_equal(b.total, -1);
	TU_OK(store_stats(f->s, NULL, 0, &ss, &cause), &cause);
	assert_int_equal(ss.played, 0);
	assert_int_equal(ss.best_rank, -1);
	assert_string_equal(ss.best_grade, "");
	assert_int_equal(ss.best_total, -1);
	assert_int_equal(ss.nsignals, 0);
	assert_int_equal(ss.last_at, 0);
	for (k = 0; k < 4; k++) {
		assert_int_equal(ss.reached[k], 0);
		assert_int_equal(ss.median_ms[k], -1);
	}
	assert_int_equal(store_stats_weakest(&ss), -1);
}

static void
test_history(void **state)
{
	struct fixture		*f = *state;
	struct store_hist	*v;
	size_t			 n;
	char			*cause = NULL;
	static const int64_t	 order[] = { 6, 5, 4, 3, 2, 1 };
	size_t			 i;

	fill(f);
	TU_OK(store_history(f->s, NULL, -1, &v, &n, &cause), &cause);
	assert_int_equal(n, 6);
	/* Newest first; 3 and 2 started in the same second: id decides. */
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].id, order[i]);
	assert_string_equal(v[0].incident, "slow-query-full-scan");
	assert_true(v[0].seed == UINT64_MAX - 1);
	assert_true(v[0].scored);
	assert_string_equal(v[0].grade, "D");
	for (i = 0; i < 4; i++)
		assert_int_equal(v[0].phase_ms[i], -1);
	/* Still running: no score, no sim time. */
	assert_string_equal(v[1].outcome, "running");
	assert_false(v[1].scored);
	assert_int_equal(v[1].sim_ms, -1);
	assert_string_equal(v[2].player, "bo");
	assert_int_equal(v[2].total, 950);
	assert_int_equal(v[5].phase_ms[3], 2000000);
	assert_string_equal(v[4].mode, "play");
	assert_int_equal(v[4].phase_ms[0], 50000);
	assert_int_equal(v[4].phase_ms[1], -1);
	store_history_free(v, n);

	TU_OK(store_history(f->s, "db-pool-exhaustion", -1, &v, &n, &cause),
	    &cause);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, 4);
	assert_int_equal(v[2].id, 1);
	store_history_free(v, n);

	TU_OK(store_history(f->s, NULL, 2, &v, &n, &cause), &cause);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].id, 5);
	store_history_free(v, n);

	TU_OK(store_history(f->s, "no-such", 5, &v, &n, &cause), &cause);
	assert_int_equal(n, 0);
	store_history_free(v, n);
}

static void
test_best(void **state)
{
	struct fixture		*f = *state;
	struct store_best	 b;
	uint64_t		 seed;
	char			*cause = NULL;

	fill(f);
	TU_OK(store_best(f->s, "db-pool-exhaustion", NULL, NULL, &b, &cause),
	    &cause);
	assert_true(b.found);
	assert_int_equal(b.session, 4);
	assert_int_equal(b.total, 950);
	assert_string_equal(b.grade, "S");

	/* ana's 1 and 2 tie at 800: the first to reach it stands. */
	TU_OK(store_best(f->s, "db-pool-exhaustion", NULL, "ana", &b, &cause),
	    &cause);
	assert_int_equal(b.session, 1);
	assert_true(b.seed == 1);
	assert_int_equal(b.phase_ms[0], 30000);
	assert_int_equal(b.phase_ms[3], 2000000);

	seed = 2;
	TU_OK(store_best(f->s, "db-pool-exhaustion", &seed, "ana", &b, &cause),
	    &cause);
	assert_int_equal(b.session, 2);
	assert_int_equal(b.phase_ms[1], -1);

	seed = 3;
	TU_OK(store_best(f->s, "db-pool-exhaustion", &seed, NULL, &b, &cause),
	    &cause);
	assert_false(b.found);

	seed = UINT64_MAX - 1;
	TU_OK(store_best(f->s, "slow-query-full-scan", &seed, NULL, &b,
	    &cause), &cause);
	assert_int_equal(b.session, 6);
	assert_true(b.seed == UINT64_MAX - 1);

	/* The running session has no score; the finished one is the best. */
	TU_OK(store_best(f->s, "cache-hot-key", NULL, "ana", &b, &cause),
	    &cause);
	assert_int_equal(b.session, 3);
	assert_int_equal(b.phase_ms[3], -1);
	TU_OK(store_best(f->s, "cache-hot-key", NULL, "bo", &b, &cause),
	    &cause);
	assert_false(b.found);
}

static void
test_stats(void **state)
{
	struct fixture		*f = *state;
	struct store_stats	 ss;
	static const char *const db[] = { "db-pool-exhaustion", "db-disk-full",
	    "slow-query-full-scan" };
	static const char *const cache[] = { "cache-hot-key", "cache-stampede" };
	static const char *const odd[] = { "quote\"d', ]" };
	char			*cause = NULL;

	fill(f);
	TU_OK(store_stats(f->s, NULL, 0, &ss, &cause), &cause);
	assert_int_equal(ss.played, 5);		/* not the running one */
	assert_int_equal(ss.best_rank, 0);
	assert_string_equal(ss.best_grade, "S");
	assert_int_equal(ss.best_total, 950);
	/* DETECT 10, 20, 30, 50 s: an even count takes the middle two. */
	assert_int_equal(ss.reached[0], 4);
	assert_int_equal(ss.median_ms[0], 25000);
	/* TRIAGE 100, 150, 200 s. */
	assert_int_equal(ss.reached[1], 3);
	assert_int_equal(ss.median_ms[1], 150000);
	assert_int_equal(ss.reached[3], 2);
	assert_int_equal(ss.median_ms[3], 1750000);
	/* 1, 2 and 6 have signals; 3 is old, 4 is damaged: no data. */
	assert_int_equal(ss.nsignals, 3);
	near_abs(ss.signal_avg[0], 2.0, 1e-9, "systematic");
	near_abs(ss.signal_avg[2], 1.0 / 3, 1e-9, "blast radius");
	near_abs(ss.signal_avg[4], 8.0 / 3, 1e-9, "blameless");
	assert_int_equal(store_stats_weakest(&ss), 2);
	assert_string_equal(store_signal_name(2), "blast_radius");
	assert_null(store_signal_name(STORE_NSIGNALS));
	assert_int_equal(ss.last_at, 6000);

	TU_OK(store_stats(f->s, db, 3, &ss, &cause), &cause);
	assert_int_equal(ss.played, 4);
	assert_string_equal(ss.best_grade, "S");
	assert_int_equal(ss.median_ms[0], 30000);
	assert_int_equal(ss.reached[2], 2);
	assert_int_equal(ss.median_ms[2], 500000);
	assert_int_equal(ss.last_at, 6000);

	TU_OK(store_stats(f->s, cache, 2, &ss, &cause), &cause);
	assert_int_equal(ss.played, 1);
	assert_int_equal(ss.best_rank, 3);
	assert_string_equal(ss.best_grade, "C");
	assert_int_equal(ss.best_total, 450);
	assert_int_equal(ss.nsignals, 0);
	assert_true(ss.signal_avg[0] < 0);
	assert_int_equal(store_stats_weakest(&ss), -1);
	assert_int_equal(ss.median_ms[3], -1);
	assert_int_equal(ss.last_at, 2000);

	/* One incident: its last played time. */
	TU_OK(store_stats(f->s, db + 2, 1, &ss, &cause), &cause);
	assert_int_equal(ss.played, 1);
	assert_int_equal(ss.last_at, 6000);
	assert_int_equal(ss.median_ms[0], -1);

	/* No incidents, or ids that need quoting: nothing, no error. */
	TU_OK(store_stats(f->s, db, 0, &ss, &cause), &cause);
	assert_int_equal(ss.played, 0);
	TU_OK(store_stats(f->s, odd, 1, &ss, &cause), &cause);
	assert_int_equal(ss.played, 0);
}

static void
test_weakest_tie(void **state)
{
	struct store_stats	ss;

	(void)state;
	memset(&ss, 0, sizeof ss);
	ss.signal_avg[0] = 2;
	ss.signal_avg[1] = 1;
	ss.signal_avg[2] = -1;		/* no data is not zero */
	ss.signal_avg[3] = 1;
	ss.signal_avg[4] = 3;
	assert_int_equal(store_stats_weakest(&ss), 1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_best, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test(test_weakest_tie),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
