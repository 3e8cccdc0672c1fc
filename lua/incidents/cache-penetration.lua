-- §2.2 Cache penetration (non-existent keys).
--
-- Teaches: lookups for ids that do not exist always miss and always reach
-- the database; caching cannot help unless it remembers "no such id".
-- The attack has two halves: a sweep of unique out-of-range ids (only
-- validation or a Bloom filter stops it) and a cycle of deleted ids (a
-- short null-cache stops it after one pass).
-- Trap: a global rate limit sheds real users; null-caching alone does
-- nothing for the sweep.

return {
  api = 1,
  id = "cache-penetration",
  section = "2.2",
  title = "Cache Penetration (Non-Existent Keys)",
  difficulty = 2,
  severity = "P2",
  clock = "2025-04-09T04:10:00",
  platform = "shopco",
  briefing = [[
Wednesday, 04:10, the quietest hour.  The user service answers profile
lookups by id from Redis, falling back to the database.  There are
52 million accounts.  You are on call for identity.]],

  world = function(w)
    w:keyspace{ pattern = "user:*", keys = 5000000, ttl_s = 86400,
                hit_max = 0.97, fill_s = 0.003, load_cpu_ms = 2, max_id = 52000000 }
    w:set("gw.inflight_max", 100000)
    w:service{ name = "identity", instances = 8, threads = 200,
      version = "v6.0.2", prev_version = "v6.0.1",
      classes = { { name = "by_id", cpu_ms = 1, cache = "user:*" } } }
    w:route{ name = "GET /users/:id", svc = "identity", class = "by_id", rps = 800 }
    w:set("route.GET /users/:id.base_404_rps", 2)
    -- Quiet hours: the rest of the platform is at a tenth.
    for _, r in ipairs({ "GET /products/:id", "GET /orders/history", "POST /orders",
                         "POST /checkout", "GET /search", "GET /users/me" }) do
      w:set("route." .. r .. ".mult", 0.1)
    end
    w:attack{ keyspace = "user:*", route = "GET /users/:id", kind = "sweep",
              rps = 0, ips = 40 }
    w:attack{ keyspace = "user:*", route = "GET /users/:id", kind = "cycle",
              rps = 0, ips = 40, set = 5000, deleted_from = 40000001 }
  end,

  events = {
    { at = 60, note = "a bot on 40 addresses in AS64500 starts asking for ids that do not exist",
      run = function(w)
        w:ramp("ks.user:*.attack_sweep_rps", 0, 4800, 60)
        w:ramp("ks.user:*.attack_cycle_rps", 0, 3200, 60)
      end },
  },

  logs = {
    { when = 'http_404_per_s{route="GET /users/:id"} > 100', src = "identity", level = "INFO", every_s = 1,
      line = "GET /users/{rand:999990000-999999999} 404 cache=MISS db=NULL 2.9ms ip=203.0.113.{rand:60-99}" },
    { when = 'http_404_per_s{route="GET /users/:id"} > 100', src = "identity", level = "INFO", every_s = 2,
      line = "GET /users/{rand:40000001-40005000} 404 cache=MISS db=NULL 3.0ms ip=198.51.100.{rand:1-40}" },
    { when = 'http_404_per_s{route="GET /users/:id"} > 100', src = "gw", level = "INFO", every_s = 7,
      line = "top talkers /users/*: 40 IPs AS64500 = 91% of requests" },
  },

  relevant_alerts = { "ALRT-404", "ALRT-DBCPU", "ALRT-HIT" },
  root_cause = "nonexistent-key-lookups",
  decoys = { "volumetric-ddos", "cache-eviction", "missing-index" },

  slo = {
    'db_cpu_pct{node="pg-1"} < 40',
    'gw_error_ratio_pct{route="GET /users/:id"} < 1',
  },
  hold_s = 120,

  -- Bot load kept off the database, legit traffic untouched.
  mitigated = function(w)
    return w:get("route.GET /users/:id.limit_rps") == 0 and
      (w:get("route.GET /users/:id.validate_max") > 0 or w:get("ks.user:*.bloom") == 1
       or w:get("route.GET /users/:id.limit404_per_ip") > 0)
  end,

  -- Two layers: (bloom or validation) and a short null-cache, and the
  -- per-IP 404 limit.
  fixed = function(w)
    local ttl = w:get("ks.user:*.null_ttl_s")
    return (w:get("ks.user:*.bloom") == 1 or w:get("route.GET /users/:id.validate_max") > 0)
       and ttl > 0 and ttl <= 300
       and w:get("route.GET /users/:id.limit404_per_ip") > 0
  end,

  probe = {
    after_fix_s = 60, duration_s = 120,
    run = function(w)
      w:log("gw", "INFO", "new talkers from AS64511: random in-range ids")
    end,
  },

  classify = {
    works = { "enable validate *", "enable bloom user:*", "enable null-cache user:* *",
              "enable null-cache user:*", "ratelimit gw:/users/* * --per-ip --status 404" },
    harmful = {
      -- A global limit (a number and nothing after it), not --per-ip.
      { match = "ratelimit gw:/users/\\* [0-9][0-9][0-9]", class = "major",
        why = "a global limit rejects real users along with the bot" },
      { match = "ratelimit gw:/users/\\* [0-9][0-9][0-9][0-9]", class = "major",
        why = "a global limit rejects real users along with the bot" },
      { match = "enable null-cache user:* ttl=24h", class = "minor",
        why = "new sign-ups whose id was null-cached get 404 for a day" },
      { match = "scale identity *", class = "useless", why = "the database is the bottleneck" },
      { match = "run cache flush *", class = "major", why = "the real users' hit ratio is lost" },
    },
  },

  hints = {
    "The database works hard at the quietest hour. What are the lookups for?",
    "show gw /users and show cache keys user:* (miss reasons) tell you.",
    "Ids that do not exist always miss: nonexistent-key-lookups. Validate, Bloom-filter and null-cache.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Monitor the 404 rate per endpoint",
      "Validate input at the gateway",
      "Rate-limit 404s per IP",
      "Cache negative results with a short TTL",
      "A Bloom filter of the ids that exist",
    },
    root_cause = {
      systemic = "Nothing stopped lookups for ids that do not exist, so every one missed the cache and reached the DB",
      symptom  = "Database CPU rose at 04:10 while the user cache hit ratio collapsed",
      wrong    = "A volumetric DDoS flooded the platform with more traffic than it could carry",
      blame    = "The identity developers were careless and forgot to validate user ids",
    },
    distractors = {
      "Give Redis more memory so more user ids stay cached",
      "Add an index for the user-by-id lookup",
      "Cache not-found results for 24 hours",
    },
    monitors = {
      { text = "404 rate per endpoint above ten times its baseline",
        match = { "enable alert *http_404_per_s*", "enable alert ALRT-404" } },
      { text = "Cache hit ratio drop of more than 20 points in a minute",
        match = { "enable alert *cache_hit_drop_pct*", "enable alert *cache_hit_ratio_pct*",
                  "enable alert ALRT-HIT" } },
      { text = "Database CPU above 90%",
        match = { "enable alert *db_cpu_pct*", "enable alert ALRT-DBCPU" } },
    },
    card = {
      symptom    = "Database load is high even though traffic is low; the hit rate for some request patterns is zero and the logs fill with lookups of ids that do not exist.",
      root_cause = "A bot (or a bug) asks for ids that were never created or were deleted; there is nothing to cache, so each request misses and queries the database.",
      solution   = "Reject impossible ids at the gateway, rate-limit 404s per IP, cache not-found briefly (about 60 s), and check a Bloom filter of real ids before cache and database.",
      prevention = "Alert on the 404 rate per endpoint: a sudden rise means an attack or a bug.",
    },
  },

  signals = {
    components = { "/users", "user:", "identity", "404" },
    scope = { "/users", "user", "identity", "profile" },
    fix_work = { "enable null-cache *", "enable bloom *" },
    isolating = { "ratelimit gw:* --per-ip*", "enable validate *", "enable bloom *" },
    -- A global limit: a number and nothing after it, never --per-ip
    -- (whose "--status 404" also ends in three digits).
    global = { "ratelimit gw:* [0-9]", "ratelimit gw:* [0-9][0-9]",
               "ratelimit gw:*[!s] [0-9][0-9][0-9]", "ratelimit gw:*[!u]s [0-9][0-9][0-9]",
               "ratelimit gw:* [0-9][0-9][0-9][0-9]", "ratelimit gw:* [0-9][0-9][0-9][0-9][0-9]",
               "run cache flush *" },
  },

  expert = [[
# An expert response to §2.2: 404s at 04:10 from 40 addresses; validate
# the range, rate-limit 404s per address, remember deleted ids briefly
# and put a Bloom filter of real ids in front of the database.
1:01 ack ALRT-404
1:10 show gw /users
1:20 show cache keys user:*
1:30 logs identity -g 404
1:40 diagnose nonexistent-key-lookups
1:45 enable validate gw:/users/{id} range=1..52000000
1:50 ratelimit gw:/users/* 5 --per-ip --status 404
1:55 enable null-cache user:* ttl=60s
2:00 enable bloom user:*
2:05 note validation, per-IP 404 limit, null-cache 60 s and a Bloom filter: bot load off the database
]],
}
