/*
 * Cache dynamics.  A keyspace's hit ratio follows its warm fraction
 * (h = hit_max * w^0.3); expiries drop w, loads that complete raise it.
 * A hot key has its own miss window when it expires: without a mutex
 * every request in the window goes to the database.  Shards are P1
 * resources, so a slow shard slows every key on it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "util/xmalloc.h"

static double
shard_ms(const struct cache *c, int s)
{
	if (s < 0 || s >= c->nshard)
		return (0.4);
	return (c->shard[s].lat_ms);
}

/* Mean latency of a lookup spread over every shard. */
static double
spread_ms(const struct cache *c, double *slow_share)
{
	double	sum = 0;
	int	i, slow = 0;

	for (i = 0; i < c->nshard; i++) {
		sum += c->shard[i].lat_ms;
		slow += c->shard[i].lat_ms >= c->timeout_ms;
	}
	*slow_share = c->nshard > 0 ? (double)slow / c->nshard : 0;
	return (c->nshard > 0 ? sum / c->nshard : 0.4);
}

double
cache_hit_ratio(const struct keyspace *k)
{
	return (k->hit_max * pow(fmax(0, fmin(1, k->w)), 0.3));
}

/*
 * One tick of a class's lookups: adds shard and DB load and returns the
 * time the cache adds to a request and the share that fails on it.
 */
static void	bloom_build(struct game *, struct keyspace *);

void
cache_lookup(struct game *g, struct svc_class *cl, double rps, double *ms,
    double *err)
{
	struct world	*w = &g->w;
	struct cache	*c = &w->cache;
	double		 slow = 0, lat, h, miss, loads, dbf = 1;
	int		 i;

	*ms = 0;
	*err = 0;
	if (cl->cache_hot >= 0) {
		struct hotkey	*hk = &c->hot[cl->cache_hot];
		double		 inst, redis, per, missing, l1;

		inst = fmax(1, w->svc[cl->svc].instances);
		/* L1, for this key or its whole keyspace: each instance asks
		 * Redis once per TTL at most. */
		l1 = fmax(hk->l1_ttl_s, c->ks[hk->ks].l1_ttl_s);
		redis = l1 > 0 ? fmin(rps, inst / l1) : rps;
		hk->redis_rps = redis;
		c->ks[hk->ks].rps += rps;
		per = redis / fmax(1, hk->copies);
		for (i = 0; i < (int)fmax(1, hk->copies) && i < c->nshard; i++)
			c->shard[(hk->shard + i) % c->nshard].ops += per;
		lat = shard_ms(c, hk->shard);
		if (hk->copies > 1)
			lat = spread_ms(c, &slow);
		if (l1 > 0 && rps > 0)
			lat *= redis / rps;
		*ms = lat;
		if (shard_ms(c, hk->shard) >= c->timeout_ms && hk->copies <= 1)
			*err = redis / fmax(rps, 1e-9);
		/* The miss window after an expiry. */
		missing = g->tick < hk->fill_until;
		if (missing) {
			struct keyspace *k = &c->ks[hk->ks];

			loads = k->mutex || k->bg_refresh || k->xfetch ? 0 :
			    rps * TICK_S;
			if (k->mutex && hk->window_loads == 0)
				loads = 1;
			hk->window_loads += loads;
			k->loads += loads;
			k->loads_total += loads;
			if (k->db >= 0)
				w->db[k->db].cache_cpu_ms += loads *
				    k->load_cpu_ms * TICKS_PER_S;
			k->misses += rps;
			if (!k->mutex)
				*ms += k->fill_s * 1000;
		}
		return;
	}
	if (cl->cache_ks < 0)
		return;
	{
		struct keyspace	*k = &c->ks[cl->cache_ks];
		double		 attack = 0, a_db = 0, null_hits = 0, bl = 0;
		int		 s;

		h = cache_hit_ratio(k);
		lat = spread_ms(c, &slow);
		for (s = 0; s < c->nshard; s++)
			c->shard[s].ops += rps / c->nshard;
		/* L1 in front: only its misses reach Redis. */
		if (k->l1_ttl_s > 0)
			lat *= 1 - fmin(0.6, k->l1_ttl_s / 10);
		k->rps += rps;
		/* Attack streams: ids that do not exist, past the gateway. */
		for (s = 0; s < 2; s++) {
			double r = k->stream_pass[s];
			long n, j;

			if (r <= 0)
				continue;
			attack += r;
			/* Null entries answer a repeating id once it has been
			 * seen: after one pass through the cycle. */
			if (k->stream[s] == STREAM_CYCLE && k->null_ttl_s > 0 &&
			    k->null_ttl_s >= k->stream_set / r &&
			    (g->tick - k->null_since) * TICK_S >=
			    k->stream_set / r) {
				null_hits += r;
				continue;
			}
			if (k->bloom_on && g->tick >= k->bloom_ready) {
				bloom_build(g, k);
				/* Ask the real filter about this tick's ids. */
				double passed = 0;

				n = (long)fmin(2000, ceil(r * TICK_S));
				for (j = 0; j < n; j++) {
					uint64_t id;

					if (k->stream[s] == STREAM_SWEEP)
						id = 999999999ULL -
						    k->stream_next[s]++;
					else
						id = k->deleted_lo +
						    k->stream_next[s]++ %
						    (uint64_t)fmax(1,
						    k->stream_set);
					k->bloom_checked++;
					if (bloom_maybe(&k->bloom, id)) {
						k->bloom_fp++;
						passed++;
					}
				}
				bl += r * (n > 0 ? 1 - passed / n : 0);
				r *= n > 0 ? passed / n : 0;
			}
			a_db += r;
		}
		k->null_hits += null_hits;
		k->bloom_rejects += bl;
		k->legit_rps += rps - attack;
		miss = (rps - attack) * (1 - h);
		/* With a mutex or coalescing, one load per distinct key. */
		loads = miss * (k->mutex || k->coalesce ? 1 - k->dup : 1) + a_db;
		if (k->l1_ttl_s > 0)
			loads *= 0.4;
		k->misses += miss + a_db;
		k->loads += loads * TICK_S;
		k->loads_total += loads * TICK_S;
		if (k->db >= 0) {
			w->db[k->db].cache_cpu_ms += loads * k->load_cpu_ms;
			dbf = fmax(1, rate_factor(&w->db[k->db].cpu));
		}
		/* Refill: the distinct keys loaded are warm again. */
		k->w = fmin(1, k->w + miss * (1 - k->dup) * TICK_S /
		    fmax(1, k->keys));
		*ms = lat + (rps > 0 ? (miss + a_db) / rps : 0) * k->fill_s *
		    1000 * fmin(dbf, 20);
		/* Bot lookups are 404s: client errors, not ours. */
		*err = slow * 0.1;
	}
}

static void
schedule_expiry(struct keyspace *k, long now_s, double keys)
{
	long	s, span = (long)k->jitter_s;

	if (k->exp == NULL || keys <= 0)
		return;
	if (span <= 0) {
		k->exp[(now_s + (long)k->ttl_s) % CACHE_EXP_RING] += keys;
		return;
	}
	/* TTL + U(0, jitter): spread evenly over the jitter span. */
	for (s = 0; s < span; s++)
		k->exp[(now_s + (long)k->ttl_s + s) % CACHE_EXP_RING] +=
		    keys / span;
}

void
cache_expire_keys(struct game *g, int ks, double fraction, long at_s)
{
	struct keyspace	*k = &g->w.cache.ks[ks];

	if (k->exp != NULL && at_s >= 0)
		k->exp[at_s % CACHE_EXP_RING] += fraction * k->keys;
}

void
cache_set_hot_expiry(struct game *g, int hot, long at_s)
{
	g->w.cache.hot[hot].expires = at_s;
}

static void
per_second(struct game *g, long now_s)
{
	struct world	*w = &g->w;
	struct cache	*c = &w->cache;
	int		 i;

	for (i = 0; i < c->nks; i++) {
		struct keyspace *k = &c->ks[i];
		double expiring = 0, set;
		int slot = (int)(now_s % CACHE_EXP_RING);

		if (k->exp != NULL) {
			expiring = k->exp[slot];
			k->exp[slot] = 0;
		}
		/* Refreshed keys never expire; serve-stale keeps answering. */
		if (k->bg_refresh || k->xfetch) {
			schedule_expiry(k, now_s, expiring);
			expiring = 0;
		}
		k->w = fmax(0, k->w - expiring / fmax(1, k->keys));
		metrics_set(&g->m, k->m_expiring, expiring);
		/* Keys set this second expire one TTL later. */
		set = fmax(0, k->loads) * (1 - k->dup);
		if (k->warm_left > 0) {
			double n = fmin(k->warm_left, k->warm_rate);

			k->warm_left -= n;
			k->w = fmin(1, k->w + n / fmax(1, k->keys));
			set += n;
			if (k->db >= 0)
				w->db[k->db].cache_cpu_ms += n * k->load_cpu_ms;
		}
		schedule_expiry(k, now_s, set);
		memmove(k->hit_hist + 1, k->hit_hist, 59 * sizeof (double));
		k->hit_hist[0] = k->hit_ratio;
	}
	/* Hot keys keep incident time: scripts name their expiry in it. */
	now_s = game_now_ms(g) / 1000;
	for (i = 0; i < c->nhot && g->started; i++) {
		struct hotkey *hk = &c->hot[i];
		struct keyspace *k = &c->ks[hk->ks];

		if (hk->expires < 0 || now_s < hk->expires)
			continue;
		if (k->bg_refresh || k->xfetch) {
			/* Reloaded before it expires: no window at all. */
			hk->expires = now_s + (long)hk->ttl_s;
			k->loads_total += 1;
			continue;
		}
		/* The window covers the fill time from the next tick on. */
		hk->fill_until = g->tick + 1 + (long)(k->fill_s * TICKS_PER_S);
		hk->window_loads = 0;
		hk->expires = hk->ttl_s > 0 ? now_s + (long)hk->ttl_s : -1;
		game_log(g, w->svc[hk->svc].name, "DEBUG", "cache miss key=%s"
		    " -> loading from db", hk->key);
	}
}

void
cache_bloom_start(struct game *g, int ks, long build_ticks)
{
	struct keyspace	*k = &g->w.cache.ks[ks];

	bloom_fini(&k->bloom);
	bloom_init(&k->bloom, (uint64_t)k->max_id, 10);
	/* Deleted accounts are not in it: the set as it is now. */
	k->bloom_skip_lo = k->deleted_lo;
	k->bloom_skip_n = k->stream_set > 0 ? (uint64_t)k->stream_set : 0;
	k->bloom_next = 1;
	k->bloom_start = g->tick;
	k->bloom_ready = g->tick + build_ticks;
}

/*
 * Add this tick's share of the ids, all of them by bloom_ready: tens of
 * millions of ids at once froze the console for seconds.  The filter is
 * not asked before it is ready, so it answers as one built at once.
 */
static void
bloom_build(struct game *g, struct keyspace *k)
{
	uint64_t	max = (uint64_t)k->max_id, upto, id;
	long		span = k->bloom_ready - k->bloom_start;

	if (k->bloom_next == 0)
		return;
	if (g->tick >= k->bloom_ready || span <= 0)
		upto = max;
	else
		upto = (uint64_t)((double)max * (double)(g->tick -
		    k->bloom_start + 1) / (double)span);
	for (id = k->bloom_next; id <= upto && id <= max; id++) {
		if (k->bloom_skip_n > 0 && id >= k->bloom_skip_lo &&
		    id < k->bloom_skip_lo + k->bloom_skip_n)
			continue;
		bloom_add(&k->bloom, id);
	}
	k->bloom_next = id > max ? 0 : id;
}

void
cache_step(struct game *g)
{
	struct world	*w = &g->w;
	struct cache	*c = &w->cache;
	struct metrics	*m = &g->m;
	int		 i;

	for (i = 0; i < c->nshard; i++) {
		struct cache_shard *s = &c->shard[i];
		double demand = s->ops + s->base_ops;

		if (g->tick < s->down_until) {
			/* Failing over: the replica is cold for a moment. */
			demand *= 3;
		}
		s->cpu.capacity = s->capacity;
		s->cpu.service_ms = s->base_ms;
		rate_step(&s->cpu, demand, 0.2);
		s->lat_ms = fmin(c->timeout_ms * 2, s->cpu.response_ms);
		s->util_pct = s->cpu.util_pct;
		metrics_set(m, s->m_ops, demand);
		metrics_set(m, s->m_cpu, s->util_pct);
		metrics_set(m, s->m_lat, s->lat_ms);
		s->ops = 0;
	}
	for (i = 0; i < c->nhot; i++) {
		metrics_set(m, c->hot[i].m_ops, c->hot[i].redis_rps);
		c->hot[i].redis_rps = 0;
	}
	for (i = 0; i < c->nks; i++) {
		struct keyspace *k = &c->ks[i];
		double max = 0;
		int j;

		if (k->bloom_on)
			bloom_build(g, k);

		k->hit_ratio = 100 * (k->rps > 0 ? fmax(0, 1 - k->misses /
		    k->rps) : cache_hit_ratio(k));
		for (j = 0; j < 60; j++)
			max = fmax(max, k->hit_hist[j]);
		metrics_set(m, k->m_hit, k->hit_ratio);
		metrics_set(m, k->m_miss, k->misses);
		metrics_set(m, k->m_loads, k->loads * TICKS_PER_S);
		metrics_set(m, k->m_loads_total, k->loads_total);
		metrics_set(m, k->m_null, k->null_hits);
		metrics_set(m, k->m_bloom, k->bloom_rejects);
		metrics_set(m, k->m_drop, fmax(0, max - k->hit_ratio));
		metrics_set(m, k->m_fp, k->bloom_checked > 0 ? 100 *
		    k->bloom_fp / k->bloom_checked : 0);
		k->rps = k->legit_rps = k->misses = k->loads = 0;
		k->null_hits = k->bloom_rejects = 0;
	}
	if (g->tick % TICKS_PER_S == 0)
		per_second(g, (long)(g->tick * TICK_MS / 1000));
}
