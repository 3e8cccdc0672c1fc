/*
 * The cache cluster (catalog A.2.7): shards with a capacity, keyspaces
 * with a warm fraction, TTLs and a per-second expiry histogram, hot keys
 * on one shard, and the mitigations (mutex, background refresh, XFetch,
 * TTL jitter, null caching, a real Bloom filter, serve-stale, local L1
 * cache, key replication, request coalescing), each with its cost.
 * Keyspaces and keys are data from Lua; no C knows any of them by name.
 */
#ifndef FD_CACHE_H
#define FD_CACHE_H

#include "engine/bloom.h"
#include "engine/prim.h"

#define CACHE_EXP_RING	131072	/* seconds of expiry schedule (> 36 h) */
#define CACHE_NAME	48

struct cache_shard {
	char		 name[24];	/* "cache-N" */
	double		 capacity;	/* ops per second */
	double		 base_ms;	/* p99 when idle */
	double		 ops;		/* demand this tick, ops/s */
	double		 base_ops;	/* other keys, always there */
	struct rate_res	 cpu;
	double		 lat_ms;	/* p99 now */
	double		 util_pct;
	long		 down_until;	/* failing over after a restart */
	int		 m_ops, m_cpu, m_lat;
};

/* An attack stream of ids against a keyspace (catalog 2.2). */
enum stream_kind {
	STREAM_SWEEP,	/* unique ids, never repeating, out of range */
	STREAM_CYCLE,	/* a fixed set of non-existent ids, repeating */
};

struct keyspace {
	char		 pattern[CACHE_NAME];	/* "home:*" */
	double		 keys;		/* working set */
	double		 hit_max;
	double		 w;		/* warm fraction */
	double		 ttl_s;
	double		 jitter_s;	/* ttl + U(0, jitter) */
	double		 fill_s;	/* time to load one key */
	int		 db;		/* node the loads go to */
	double		 load_cpu_ms;	/* DB CPU per load */
	double		 dup;		/* share of misses that duplicate */
	double		*exp;		/* keys expiring per second */
	double		 max_id;	/* ids 1..max_id exist (lookups by id) */
	/* mechanisms */
	int		 mutex, bg_refresh, xfetch, coalesce;
	double		 null_ttl_s, serve_stale_s, l1_ttl_s;
	int		 bloom_on;
	long		 bloom_ready;	/* tick the filter is usable */
	struct bloom	 bloom;
	/* Building: the next id to add (0: done), from bloom_start. */
	uint64_t	 bloom_next;
	long		 bloom_start;
	uint64_t	 bloom_skip_lo, bloom_skip_n;	/* ids left out */
	double		 warm_rate;	/* keys per second being re-SET */
	double		 warm_left;
	/* attack streams */
	enum stream_kind stream[2];
	double		 stream_rps[2];
	double		 stream_ips[2];
	double		 stream_set;	/* ids in a cycle */
	uint64_t	 stream_next[2];
	int		 stream_route[2];	/* where it enters, -1 */
	double		 stream_pass[2];	/* rps past the gateway */
	long		 null_since;	/* tick null-caching began */
	uint64_t	 deleted_lo;	/* the cycle's ids: deleted accounts */
	/* this tick */
	double		 rps, legit_rps, hits, misses, loads, null_hits;
	double		 bloom_rejects, bloom_checked, bloom_fp;
	double		 loads_total;
	double		 hit_ratio;
	double		 hit_hist[60];	/* last minute, for drops */
	int		 m_hit, m_miss, m_loads, m_loads_total, m_null, m_bloom,
			 m_drop, m_expiring, m_fp;
};

struct hotkey {
	char		 key[CACHE_NAME];
	int		 ks;
	double		 rps;		/* lookups per second */
	int		 shard;
	double		 copies;	/* replicate-key */
	double		 l1_ttl_s;	/* local cache for this key */
	int		 svc;		/* whose instances hold the L1 */
	long		 expires;	/* sim second; -1 never */
	double		 ttl_s;
	long		 fill_until;	/* tick the miss window closes */
	double		 window_loads;
	double		 redis_rps;	/* what reaches Redis now */
	int		 m_ops;
};

struct cache {
	struct cache_shard	*shard;	int nshard;
	struct keyspace		*ks;	int nks;
	struct hotkey		*hot;	int nhot;
	int			 lfu;	/* maxmemory-policy allows hotkeys */
	double			 timeout_ms;	/* client timeout */
	double			 l1_hit_ratio;
};

#endif
