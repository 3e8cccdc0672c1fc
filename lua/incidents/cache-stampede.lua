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
  },
}
