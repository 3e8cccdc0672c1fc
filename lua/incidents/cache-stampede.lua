-- §2.1 Cache stampede (thundering herd).
--
-- Teaches: one hot key expiring sends every request in its refill window
-- to the database at once (10,000 rps x 1.6 s = 16,000 queries of 60 ms:
-- 30 s of a 32-core database at 100%); a mutex, background refresh or
-- XFetch makes that one query.
-- Trap: TTL jitter, the avalanche fix, does nothing for a single key.
local restore_probe

return {
  api = 1,
  id = "cache-stampede",
  section = "2.1",
  title = "Cache Stampede (Thundering Herd)",
  difficulty = 2,
  severity = "P2",
  clock = "2025-05-20T11:58:00",
  platform = "shopco",
  briefing = [[
Tuesday, 11:58. The home page and today's deals are served from Redis;
the home page list was cached at 11:00 with a one-hour TTL, the deals at
11:07.  Lunch traffic is building.  You are on call for the storefront.]],

  world = function(w)
    w:keyspace{ pattern = "home:*", keys = 2, ttl_s = 3600, fill_s = 1.6,
                load_cpu_ms = 60, dup = 0, hit_max = 1 }
    w:keyspace{ pattern = "deals:*", keys = 2, ttl_s = 3600, fill_s = 1.6,
                load_cpu_ms = 60, dup = 0, hit_max = 1 }
    w:hotkey{ key = "home:products", keyspace = "home:*", shard = 2,
              rps = 10000, ttl_s = 3600, expires_at = 120 }
    w:hotkey{ key = "deals:today", keyspace = "deals:*", shard = 5,
              rps = 6000, ttl_s = 3600, expires_at = 540 }
    w:service{ name = "web", instances = 20, threads = 1000,
      version = "v8.1.0", prev_version = "v8.0.9",
      classes = {
        { name = "home", cpu_ms = 1, cache_key = "home:products" },
        { name = "deals", cpu_ms = 1, cache_key = "deals:today" },
      } }
    -- The edge fleet in front of the storefront holds many requests.
    w:set("gw.inflight_max", 40000)
    w:route{ name = "GET /home", svc = "web", class = "home", rps = 10000 }
    w:route{ name = "GET /deals", svc = "web", class = "deals", rps = 6000 }
  end,

  logs = {
    { when = 'cache_db_loads_per_s{keyspace="home:*"} > 100', src = "web", level = "DEBUG", every_s = 1,
      line = "cache miss key=home:products -> loading from db (message repeated {rand:9000-9999} times)" },
    { when = 'db_cpu_pct{node="pg-1"} > 95', src = "pg-1", level = "LOG", every_s = 3,
      line = "duration: {rand:2500-4500}.551 ms  statement: SELECT p.* FROM products p JOIN product_stats s ON ... ORDER BY s.popularity DESC LIMIT 50" },
    { src = "redis", level = "INFO", every_s = 11,
      line = "SET home:products <2.1MB> EX 3600" },
  },

  relevant_alerts = { "ALRT-DBCPU", "ALRT-HIT", "ALRT-P99" },
  root_cause = "hot-key-expiry-stampede",
  near_miss = {
    { id = "synchronized-ttl-expiry",
      why = "that is many keys expiring together; here it is one hot key" },
  },
  decoys = { "db-undersized", "traffic-spike", "cache-node-failure" },

  slo = {
    'db_cpu_pct{node="pg-1"} < 80',
    'gw_latency_p99_ms{route="GET /home"} < 100',
  },
  hold_s = 120,

  -- The 12:07 expiry must pass under a mechanism, not merely time.
  mitigated = function(w)
    local guarded = function(ks)
      return w:get("ks." .. ks .. ".mutex") == 1 or w:get("ks." .. ks .. ".bg_refresh") == 1
          or w:get("ks." .. ks .. ".xfetch") == 1
    end
    return w:now() >= 545 and (guarded("deals:*") or w:get("key.deals:today.ttl_s") > 3600)
  end,

  fixed = function(w)
    local guarded = function(ks)
      return w:get("ks." .. ks .. ".mutex") == 1 or w:get("ks." .. ks .. ".bg_refresh") == 1
          or w:get("ks." .. ks .. ".xfetch") == 1
    end
    return guarded("home:*") and guarded("deals:*")
  end,

  probe = {
    after_fix_s = 30, duration_s = 90,
    run = function(w)
      w:cache_expire("home:products", 1, 1)
      w:log("chaos", "INFO", "probe: home:products expired by hand")
    end,
  },

  classify = {
    works = { "enable mutex *", "enable bg-refresh *", "enable xfetch *",
              "run cache warm deals:*" },
    harmful = {
      { match = "enable ttl-jitter *", class = "useless",
        why = "jitter spreads many keys' expiries; one hot key still expires" },
      { match = "run cache flush *", class = "major",
        why = "every key misses at once: an avalanche on top of the stampede" },
      { match = "restart cache-*", class = "major",
        why = "a cold replica: every key misses" },
      { match = "set cache.home:products.ttl *", class = "major",
        why = "a shorter TTL means a stampede more often" },
      { match = "scale web *", class = "minor",
        why = "more instances load the same key at once" },
      { match = "ratelimit gw:/home *", class = "major",
        why = "sheds four users in five to protect the database" },
    },
  },

  hints = {
    "The database spikes for half a minute, then recovers. What happened at the top of the hour?",
    "show cache keys home:* and graph db_cpu_pct show a key expiring and the load that follows.",
    "One hot key expires and every request reloads it: hot-key-expiry-stampede. A mutex makes it one query.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Track the cache hit rate per keyspace",
      "Identify hot keys (LFU policy, sampling)",
      "Pre-warm hot keys after deploys",
      "A mutex or background refresh for keys above 1,000 rps",
    },
    root_cause = {
      systemic = "Hot keys had no mutex or background refresh, so each expiry sent every reader to the database",
      symptom  = "Database CPU hit 100% for half a minute at the top of the hour",
      wrong    = "The database is too small for lunch-time traffic",
      blame    = "The developer who cached the home page forgot it was a hot key",
    },
    distractors = {
      "Add random TTL jitter to home:products and deals:today",
      "Shorten the hot keys' TTL so each reload is cheaper",
    },
    monitors = {
      { text = "Cache hit ratio drop of more than 20 points in a minute",
        match = { "enable alert *cache_hit_drop_pct*", "enable alert *cache_hit_ratio_pct*",
                  "enable alert ALRT-HIT" } },
      { text = "Cache reloads from the database per keyspace",
        match = { "enable alert *cache_db_loads_per_s*", "enable alert *cache_misses_per_s*" } },
      { text = "Database CPU above 90%",
        match = { "enable alert *db_cpu_pct*", "enable alert ALRT-DBCPU" } },
    },
    card = {
      symptom    = "Every hour the database pins at 100% CPU for about 30 seconds, then recovers, in step with a popular key's TTL.",
      root_cause = "One hot key (the home page list, 10,000 reads a second) expired, and every request in the refill window missed and queried the database at once.",
      solution   = "Let only one request rebuild the key (a lock/mutex, the others wait briefly), or refresh it in the background or early (XFetch) so it never goes cold.",
      prevention = "Watch the hit rate, find hot keys, pre-warm them after deploys, and give every key above ~1,000 rps a mutex or background refresh.",
    },
  },

  signals = {
    components = { "cache", "home", "deals", "db_cpu", "pg-1" },
    scope = { "home", "deals", "storefront" },
    fix_work = { "enable mutex *", "enable bg-refresh *", "enable xfetch *" },
    isolating = { "enable mutex *", "enable bg-refresh *", "enable xfetch *",
                  "run cache warm deals:*" },
    global = { "ratelimit gw:*", "run cache flush *", "restart *", "scale *" },
  },

  expert = [[
# An expert response to §2.1: the hit-ratio page at noon, the database
# spike behind it, one hot key expiring; a mutex on both hot keyspaces
# before the 12:07 expiry of deals:today.
2:01 ack ALRT-HIT
2:10 show cache keys home:* --ttl-histogram
2:20 graph db_cpu_pct
2:30 changes --since 1d
2:40 diagnose hot-key-expiry-stampede
2:50 enable mutex home:*,deals:*
3:00 note mutex on home:* and deals:*: one DB load per expiry; deals:today expires at 12:07
3:10 enable alert HIT-DROP cache_hit_drop_pct > 20
]],
}
