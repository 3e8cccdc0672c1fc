-- §2.4 Cache avalanche (mass expiry).
--
-- Teaches: two million keys written in the same second with the same TTL
-- expire in the same second; the hit ratio falls off a cliff and the
-- database takes every read (20,000 qps x 2 ms = 40 cores of 32).  TTL
-- jitter spreads the expiries (10% of a day: 231 keys a second).
-- Trap: rolling back: the pipeline flushes and re-warms on every deploy,
-- a second avalanche.

return {
  api = 1,
  id = "cache-avalanche",
  section = "2.4",
  title = "Cache Avalanche (Mass Expiry)",
  difficulty = 2,
  severity = "P1",
  clock = "2025-11-03T23:57:00",
  platform = "shopco",
  briefing = [[
Monday, 23:57.  Product pages read from two million cached keys.  Every
night at 00:00 the deploy pipeline flushes the cache and warms all keys
again with a 24-hour TTL.  Nothing has been deployed today.  You are on
call for the catalog.]],

  world = function(w)
    w:keyspace{ pattern = "product:*", keys = 2000000, ttl_s = 86400,
                hit_max = 0.96, fill_s = 0.02, load_cpu_ms = 2, dup = 0.6,
                spread = false }
    w:set("gw.inflight_max", 100000)
    w:service{ name = "catalog", instances = 40, threads = 2000,
      version = "v4.2.6", prev_version = "v4.2.5",
      classes = { { name = "item", cpu_ms = 2, cache = "product:*" } } }
    w:route{ name = "GET /catalog/:id", svc = "catalog", class = "item", rps = 20000 }
    w:change{ at_s = -86220, who = "deploy-bot", target = "catalog",
              text = "nightly deploy catalog v4.2.6: FLUSHDB cache; warmed 2,000,000 keys TTL=86400" }
    -- Every key was written at 00:00 yesterday: all expire at 00:00.
    w:cache_expire("product:*", 1, 180)
  end,

  events = {
    { at = 180, note = "midnight: 2,000,000 keys expire in the same second" },
  },

  logs = {
    { when = 'cache_hit_ratio_pct{keyspace="product:*"} < 50', src = "catalog", level = "WARN", every_s = 5,
      line = "cache miss rate {metric:cache_misses_per_s{keyspace=\"product:*\"}}/s keyspace=product:*" },
    { when = 'db_cpu_pct{node="pg-1"} > 95', src = "pg-1", level = "LOG", every_s = 3,
      line = "duration: {rand:1500-2900}.300 ms  statement: SELECT * FROM products WHERE id = $1" },
  },

  relevant_alerts = { "ALRT-HIT", "ALRT-DBCPU", "ALRT-ERR", "ALRT-P99" },
  root_cause = "synchronized-ttl-expiry",
  near_miss = {
    { id = "hot-key-expiry-stampede",
      why = "one key would be a stampede; two million at once is an avalanche" },
  },
  decoys = { "db-undersized", "bad-deploy" },

  slo = {
    'gw_error_ratio_pct{route="GET /catalog/:id"} < 1',
    'db_cpu_pct{node="pg-1"} < 90',
  },
  hold_s = 120,

  mitigated = function(w)
    return w:get("ks.product:*.l1_ttl_s") > 0 or w:get("ks.product:*.mutex") == 1
        or w:get("route.GET /catalog/:id.limit_rps") > 0
  end,

  fixed = function(w)
    return w:get("ks.product:*.jitter_s") >= 3600
  end,

  probe = {
    after_fix_s = 60, duration_s = 120,
    run = function(w)
      -- Tonight's deploy re-warms every key: with jitter they spread out.
      w:log("deploy-bot", "INFO", "nightly deploy: warmed 2,000,000 keys TTL=86400 (jitter per policy)")
    end,
  },

  classify = {
    works = { "enable local-cache product:*", "enable local-cache product:* *",
              "enable mutex product:*", "ratelimit gw:/catalog/* *" },
    harmful = {
      { match = "run cache flush *", class = "major",
        why = "every key misses again: a second avalanche" },
      { match = "rollback catalog", class = "major",
        why = "the pipeline flushes and warms on every deploy" },
      { match = "restart catalog*", class = "minor", why = "the local caches are lost" },
      { match = "scale catalog *", class = "minor",
        why = "more instances, the same database" },
    },
  },

  hints = {
    "At midnight the hit ratio fell off a cliff. What happened to the keys at midnight?",
    "show cache keys product:* --ttl-histogram and changes --since 48h.",
    "Every key was written in the same second with the same TTL: synchronized-ttl-expiry. Jitter the TTL.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Jittered TTLs (base + random 10%)",
      "Staggered warm-up after deploys",
      "Multi-layer cache (L1 in the process, L2 in Redis)",
      "Limit DB queries and serve stale under load",
      "A hit-rate alert",
      "No cache flush in the deploy pipeline",
    },
    root_cause = {
      systemic = "The pipeline flushed and warmed every key at once with the same 24 h TTL, so all expired together",
      symptom  = "The cache hit ratio fell off a cliff at midnight and the database ran out of CPU",
      wrong    = "The nightly catalog deploy shipped a bug that broke product pages",
      blame    = "Whoever wrote the nightly pipeline was careless and flushed the whole cache",
    },
    distractors = {
      "Roll back the catalog whenever the hit ratio drops",
      "Move the nightly deploy and cache flush from midnight to 03:00",
    },
    monitors = {
      { text = "Cache hit ratio drop of more than 20 points in a minute",
        match = { "enable alert *cache_hit_drop_pct*", "enable alert *cache_hit_ratio_pct*",
                  "enable alert ALRT-HIT" } },
      { text = "Keys expiring per second (a synchronized expiry ahead)",
        match = { "enable alert *cache_expiring_keys_per_s*" } },
      { text = "Database CPU above 90%",
        match = { "enable alert *db_cpu_pct*", "enable alert ALRT-DBCPU" } },
    },
    card = {
      symptom    = "The database is overwhelmed at exactly midnight every day, right after the nightly cache warm-up or a mass expiry.",
      root_cause = "Every key was written at the same moment with the same 24-hour TTL, so they all expire in the same second and every read falls through to the database.",
      solution   = "Put a short-TTL in-process L1 in front of Redis and limit or queue database loads (serving stale) to ride out the refill; then add random jitter to the TTL.",
      prevention = "Jitter TTLs by about 10%, warm the cache gradually instead of flushing it on deploy, layer L1 over Redis, and alert on the hit rate.",
    },
  },

  signals = {
    -- The change log shows the nightly flush and warm-up: evidence on
    -- the deploy pipeline, part of the root cause here.
    components = { "product:", "cache", "catalog", "db_cpu", "pg-1", "changes" },
    scope = { "catalog", "product" },
    fix_work = { "enable ttl-jitter *", "run cache warm * --rate*" },
    isolating = { "enable local-cache *", "enable mutex *" },
    global = { "ratelimit gw:*", "restart catalog*", "scale catalog *", "run cache flush *" },
  },

  expert = [[
# An expert response to §2.4: the hit-ratio cliff at midnight; an L1 in
# front of Redis takes the database below capacity at once, then TTL
# jitter makes the next midnight harmless.
3:01 ack ALRT-HIT
3:10 show cache keys product:* --ttl-histogram
3:20 changes --since 48h
3:30 diagnose synchronized-ttl-expiry
3:35 enable local-cache product:* ttl=5s
3:40 note L1 in front of Redis: the database is below capacity while the keys refill
4:00 enable ttl-jitter product:* pct=10
4:10 enable alert HIT-DROP cache_hit_drop_pct > 20
]],
}
