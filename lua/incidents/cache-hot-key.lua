-- §2.3 Hot key problem.
--
-- Teaches: one key read 500,000 times a second lives on one shard of
-- 100,000 ops/s; that shard saturates and every key on it suffers.  A
-- local L1 copy with a 1 s TTL leaves 50 instances x 1/s = 50 ops/s for
-- Redis; replicating the key spreads it.
-- Trap: restarting or resharding: the key and its load stay together.

return {
  api = 1,
  id = "cache-hot-key",
  section = "2.3",
  title = "Hot Key Problem",
  difficulty = 1,
  severity = "P2",
  clock = "2025-08-08T20:00:00",
  platform = "shopco",
  briefing = [[
Friday, 20:00.  The feed service (50 instances) reads posts from a ten
shard Redis cluster that also holds sessions and carts.  A celebrity is
about to post.  You are on call for the feed and the cache cluster.]],

  world = function(w)
    w:keyspace{ pattern = "tweet:*", keys = 1000000, ttl_s = 86400, hit_max = 0.99 }
    w:keyspace{ pattern = "cart:*", keys = 500000, ttl_s = 86400, hit_max = 0.99 }
    w:hotkey{ key = "tweet:1881", keyspace = "tweet:*", shard = 3, rps = 2000 }
    w:hotkey{ key = "tweet:2207", keyspace = "tweet:*", shard = 7, rps = 100 }
    -- An edge fleet and async I/O: the cache, not threads, is the limit.
    w:set("gw.inflight_max", 1000000)
    w:service{ name = "feed", instances = 50, threads = 4000,
      version = "v12.4.1", prev_version = "v12.4.0",
      classes = {
        { name = "post", cpu_ms = 2, cache_key = "tweet:1881" },
        { name = "other", cpu_ms = 2, cache_key = "tweet:2207" },
        { name = "timeline", cpu_ms = 4, cache = "tweet:*" },
      } }
    w:service{ name = "cart", instances = 8, threads = 40,
      version = "v3.3.0", prev_version = "v3.2.9",
      classes = { { name = "view", cpu_ms = 2, cache = "cart:*" } } }
    w:route{ name = "GET /feed/post", svc = "feed", class = "post", rps = 2000 }
    w:route{ name = "GET /feed/trending", svc = "feed", class = "other", rps = 100 }
    w:route{ name = "GET /feed", svc = "feed", class = "timeline", rps = 3000 }
    w:route{ name = "GET /cart", svc = "cart", class = "view", rps = 800 }
  end,

  events = {
    { at = 60, note = "a celebrity posts tweet:1881; reads climb to 500,000/s",
      run = function(w)
        w:ramp("key.tweet:1881.rps", 2000, 500000, 90)
        w:ramp("route.GET /feed/post.rps", 2000, 500000, 90)
      end },
  },

  logs = {
    { when = 'cache_shard_cpu_pct{shard="cache-3"} > 95', src = "feed", level = "WARN", every_s = 2,
      line = "redis GET tweet:1881 timeout after 200ms (node cache-3 10.0.3.13:6379)" },
    { when = 'cache_shard_cpu_pct{shard="cache-3"} > 95', src = "cart", level = "WARN", every_s = 3,
      line = "redis HGETALL cart:u_{rand:10000-99999} slow {rand:250-400}ms (node cache-3)" },
    { when = 'cache_shard_cpu_pct{shard="cache-3"} > 95', src = "cache-3", level = "INFO", every_s = 5,
      line = "instantaneous_ops_per_sec:100412 connected_clients:5120" },
  },

  relevant_alerts = { "ALRT-SHARD", "ALRT-P99", "ALRT-ERR" },
  root_cause = "single-hot-key-on-shard",
  decoys = { "redis-node-degraded", "traffic-spike", "network-issue" },

  slo = {
    'cache_shard_cpu_pct{shard="cache-3"} < 70',
    'gw_error_ratio_pct{route="GET /cart"} < 1',
    'gw_error_ratio_pct{route="GET /feed/post"} < 1',
  },
  hold_s = 120,

  mitigated = function(w)
    return w:get("key.tweet:1881.l1_ttl_s") > 0 or w:get("key.tweet:1881.copies") > 1
  end,

  -- An automatic policy: every key of the keyspace gets an L1 copy.
  fixed = function(w)
    return w:get("ks.tweet:*.l1_ttl_s") > 0 or
      (w:get("key.tweet:1881.copies") > 1 and w:get("key.tweet:2207.copies") > 1)
  end,

  probe = {
    after_fix_s = 30, duration_s = 120,
    run = function(w)
      w:log("feed", "INFO", "another celebrity: tweet:2207 on cache-7 at 300,000/s")
      w:set("key.tweet:2207.rps", 300000)
      w:set("route.GET /feed/trending.rps", 300000)
    end,
    restore = function(w)
      w:set("key.tweet:2207.rps", 100)
      w:set("route.GET /feed/trending.rps", 100)
    end,
    passed = function(w)
      return w:get("shard.cache-7.util_pct") < 70
    end,
  },

  classify = {
    works = { "enable local-cache *", "enable replicate-key *", "enable coalesce *" },
    harmful = {
      { match = "restart cache-*", class = "major",
        why = "the replica takes the same load, cold, and sessions see errors" },
      { match = "run cache flush *", class = "critical",
        why = "the key's 500,000 reads a second fall through to the database" },
      { match = "scale feed *", class = "minor",
        why = "more clients for the same shard" },
    },
  },

  hints = {
    "One shard is hot while the other nine idle. What is on it?",
    "show cache shards, then show cache hotkeys (it needs the LFU policy).",
    "One key saturates one shard: single-hot-key-on-shard. A local copy per instance takes the load off Redis.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "A per-shard imbalance alert",
      "Hot-key detection (LFU policy or sampling)",
      "A local L1 cache for hot keys",
      "Request coalescing (singleflight) in the client",
    },
    root_cause = {
      systemic = "No hot-key detection or local copy, so one viral key's reads all landed on a single shard",
      symptom  = "Redis shard cache-3 ran at 100% CPU and slowed every key on it",
      wrong    = "Redis node cache-3 was degraded and needed replacing",
      blame    = "The feed team forgot that a celebrity post is read half a million times a second",
    },
    distractors = {
      "Add shards and reshard the cache cluster",
      "Move cache-3 to a larger instance type",
      "Fail over a shard automatically when its CPU stays above 90%",
    },
    monitors = {
      { text = "One cache shard far busier than the others (shard CPU above 80%)",
        match = { "enable alert *cache_shard_cpu_pct*", "enable alert *cache_shard_ops_per_s*",
                  "enable alert ALRT-SHARD" } },
      { text = "Reads per key above a hot-key threshold",
        match = { "enable alert *cache_hotkey_ops_per_s*" } },
    },
    card = {
      symptom    = "One Redis node sits at 100% CPU while the rest idle; its latency spikes and every key stored on that shard suffers.",
      root_cause = "A single viral key (a celebrity post read 500,000 times a second) sits on one shard, far more than one node can serve.",
      solution   = "Keep a local L1 copy in each app server with a 1-5 s TTL, replicate the key under several names read at random, or coalesce concurrent reads (singleflight).",
      prevention = "Alert on per-shard imbalance, detect hot keys (LFU policy or sampling), and make L1 copies and singleflight automatic for hot keys.",
    },
  },

  signals = {
    components = { "cache", "tweet", "shard" },
    scope = { "feed", "cart", "cache-3", "tweet" },
    -- A policy for the whole keyspace (or the other hot key too), not
    -- the one key of the mitigation.
    fix_work = { "enable local-cache tweet:\\**", "enable replicate-key tweet:2207*" },
    isolating = { "enable local-cache *", "enable replicate-key *", "enable coalesce *" },
    global = { "restart cache*", "run cache flush *", "scale *" },
  },

  expert = [[
# An expert response to §2.3: one shard hot, the others idle; find the
# key (LFU policy first), take its reads off Redis with a local copy,
# then make local copies automatic for the keyspace.
2:14 ack ALRT-SHARD
2:20 show cache shards
2:25 show cache hotkeys
2:30 set cache.maxmemory_policy allkeys-lfu
2:35 show cache hotkeys
2:45 diagnose single-hot-key-on-shard
2:50 enable local-cache tweet:1881 ttl=1s
3:00 note L1 copy of tweet:1881 on every feed instance: Redis sees 50 reads a second
3:30 enable local-cache tweet:* ttl=1s
3:35 enable alert SHARD-HOT cache_shard_cpu_pct > 80
]],
}
