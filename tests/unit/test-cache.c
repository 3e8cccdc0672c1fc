/*
 * Unit tests for the cache's dynamics on a small world built in C: the
 * hit ratio as a function of the warm fraction, a mass expiry emptying a
 * keyspace, lookups refilling it, TTL jitter spreading the expiries of a
 * warm-up evenly, and background refresh keeping keys from expiring.
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

#define KS	"item:*"

#define OK(call, cause)	TU_OK(call, cause)

/*
 * A database, a 4-shard cache and keyspace item:* of 10,000 keys with a
 * 600 s TTL, read by service web at `rps` (0: no traffic at all).
 */
static int
build(struct game *g, double rps)
{
	struct world	*w = &g->w;
	char		*cause = NULL;
	int		 db, s, c, ks;

	game_init(g, 1);
	OK(db = world_add_db(w, "pg1", &cause), &cause);
	OK(world_add_shards(w, 4, 100000, 0, &cause), &cause);
	OK(ks = world_add_keyspace(w, KS, &cause), &cause);
	w->cache.ks[ks].keys = 10000;
	w->cache.ks[ks].ttl_s = 600;
	w->cache.ks[ks].hit_max = 0.95;
	w->cache.ks[ks].fill_s = 0.05;
	w->cache.ks[ks].dup = 0;
	w->cache.ks[ks].db = db;
	OK(s = world_add_svc(w, "web", &cause), &cause);
	w->svc[s].instances = 4;
	w->svc[s].threads_per_instance = 200;
	OK(c = world_add_class(w, s, "page", &cause), &cause);
	w->cls[c].cache_ks = ks;
	OK(world_add_route(w, "GET /item", c, rps, &cause), &cause);
	OK(world_finalize(&g->w, &g->m, &cause), &cause);
	OK(game_start(g, &cause), &cause);
	return (ks);
}

static void
run_s(struct game *g, int seconds)
{
	int	i;

	for (i = 0; i < seconds * TICKS_PER_S; i++)
		game_step(g);
}

static double
metric(const struct game *g, const char *full)
{
	int	id = metrics_find(&g->m, full);

	if (id == -1)
		fail_msg("no series %s", full);
	return (metrics_get(&g->m, id));
}

static void
test_hit_ratio_curve(void **state)
{
	struct keyspace	k;

	(void)state;
	memset(&k, 0, sizeof k);
	k.hit_max = 0.95;
	k.w = 1;
	assert_true(cache_hit_ratio(&k) == 0.95);
	k.w = 0;
	assert_true(cache_hit_ratio(&k) == 0);
	/* Hot keys are the first back: half warm is well past half hits. */
	k.w = 0.5;
	assert_true(fabs(cache_hit_ratio(&k) - 0.95 * pow(0.5, 0.3)) < 1e-12);
	assert_true(cache_hit_ratio(&k) > 0.95 * 0.75);
	/* Monotone in the warm fraction, and clamped. */
	k.w = 0.2;
	assert_true(cache_hit_ratio(&k) < 0.95 * pow(0.5, 0.3));
	k.w = 2;
	assert_true(cache_hit_ratio(&k) == 0.95);
}

static void
test_mass_expiry_and_refill(void **state)
{
	struct game	*g = calloc(1, sizeof *g);
	struct keyspace	*k;
	int		 ks;
	double		 hit_cold, hit_later;

	(void)state;
	assert_non_null(g);
	ks = build(g, 200);
	k = &g->w.cache.ks[ks];
	run_s(g, 5);
	assert_true(k->w > 0.99);
	/* Every key expires in the same second (absolute seconds). */
	cache_expire_keys(g, ks, 1.0, g->tick / TICKS_PER_S + 3);
	run_s(g, 4);
	hit_cold = metric(g, "cache_hit_ratio_pct{keyspace=\"" KS "\"}");
	assert_true(hit_cold < 50);
	assert_true(metric(g, "cache_misses_per_s{keyspace=\"" KS "\"}") >
	    100);
	/* Lookups reload what they miss: the keyspace warms back up. */
	run_s(g, 60);
	hit_later = metric(g, "cache_hit_ratio_pct{keyspace=\"" KS "\"}");
	assert_true(hit_later > hit_cold + 20);
	assert_true(k->w > 0.3);
	game_fini(g);
	free(g);
}

static void
test_jitter_spreads_a_warm(void **state)
{
	struct game	*g = calloc(1, sizeof *g);
	struct keyspace	*k;
	int		 ks, i;
	double		 seen = 0, peak = 0;
	char		 full[96];

	(void)state;
	assert_non_null(g);
	ks = build(g, 0);
	k = &g->w.cache.ks[ks];
	k->jitter_s = 100;
	/* Re-SET every key within one second. */
	k->warm_left = k->keys;
	k->warm_rate = k->keys;
	run_s(g, 2);
	snprintf(full, sizeof full, "cache_expiring_keys_per_s{keyspace="
	    "\"%s\"}", KS);
	/* Nothing expires before the TTL ... */
	run_s(g, 590);
	assert_true(metric(g, full) == 0);
	/* ... then 10,000 keys over 100 s: 100 a second, evenly. */
	for (i = 0; i < 120; i++) {
		run_s(g, 1);
		seen += metric(g, full);
		peak = fmax(peak, metric(g, full));
	}
	assert_true(fabs(seen - 10000) < 1);
	assert_true(fabs(peak - 100) < 1e-6);
	game_fini(g);
	free(g);
}

static void
test_bg_refresh_never_expires(void **state)
{
	struct game	*g = calloc(1, sizeof *g);
	struct keyspace	*k;
	int		 ks;

	(void)state;
	assert_non_null(g);
	ks = build(g, 2000);
	k = &g->w.cache.ks[ks];
	k->bg_refresh = 1;
	run_s(g, 2);
	cache_expire_keys(g, ks, 1.0, g->tick / TICKS_PER_S + 2);
	run_s(g, 3);
	/* Refreshed ahead of expiry: the keyspace stays warm. */
	assert_true(k->w > 0.99);
	assert_true(metric(g, "cache_hit_ratio_pct{keyspace=\"" KS "\"}") >
	    90);
	game_fini(g);
	free(g);
}

/*
 * `enable bloom` over tens of millions of ids used to build the whole
 * filter inside the command (seconds of frozen console).  It is filled a
 * share each tick and, when ready, holds exactly the bits of a filter
 * built at once, deleted ids left out.
 */
static void
test_bloom_builds_a_share_each_tick(void **state)
{
	struct game	*g = calloc(1, sizeof *g);
	struct keyspace	*k;
	struct bloom	 whole;
	uint64_t	 id;
	int		 ks;

	(void)state;
	ks = build(g, 0);
	k = &g->w.cache.ks[ks];
	k->max_id = 120000;
	k->deleted_lo = 5000;
	k->stream_set = 100;
	k->bloom_on = 1;
	cache_bloom_start(g, ks, 1200);
	assert_int_equal(k->bloom.n, 0);
	game_step(g);
	/* One tick's share, not the lot. */
	assert_true(k->bloom.n > 0 && k->bloom.n < 1000);
	/* The deleted set may move on: the filter keeps the one it had. */
	k->deleted_lo = 90000;
	run_s(g, 120);
	assert_int_equal(k->bloom_next, 0);
	bloom_init(&whole, 120000, 10);
	for (id = 1; id <= 120000; id++)
		if (id < 5000 || id >= 5100)
			bloom_add(&whole, id);
	assert_int_equal(k->bloom.n, whole.n);
	assert_int_equal(k->bloom.m, whole.m);
	assert_memory_equal(k->bloom.bits, whole.bits, whole.m / 8);
	bloom_fini(&whole);
	game_fini(g);
	free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_ratio_curve),
		cmocka_unit_test(test_mass_expiry_and_refill),
		cmocka_unit_test(test_jitter_spreads_a_warm),
		cmocka_unit_test(test_bg_refresh_never_expires),
		cmocka_unit_test(test_bloom_builds_a_share_each_tick),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
