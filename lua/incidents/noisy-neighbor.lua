-- §4.3 Noisy neighbor: another team's batch job on our shared database.
--
-- Teaches: intermittent p99 spikes that follow nothing of ours.  The
-- analytics team's ETL shares pg-1 through its own pgbouncer pool and
-- runs at times nobody told us about; each run takes 55-62% of the node's
-- CPU and 9,000 IOPS, our queries slow by the P1 factor (1-0.3)/(1-rho),
-- x4.7 to x8.75, and our traffic stays flat.  Page the owners (they pause
-- within two minutes), cap their pool or move them off the primary, then
-- isolate them or hold them to a quota and a night window.
-- Traps: hunting our own slow query, scaling order, killing another
-- team's job without a word to them.

local pg1 = '{node="pg-1"}'
local etl = '{tenant="analytics"}'

return {
  api = 1,
  id = "noisy-neighbor",
  section = "4.3",
  title = "Noisy Neighbor (Shared Infrastructure)",
  difficulty = 2,
  severity = "P2",
  clock = "2025-03-12T15:00:00",
  platform = "shopco",
  briefing = [[
Wednesday, 15:00.  Support reports the shop "sometimes hangs for a few
seconds, then it is fine again".  Nothing of ours shipped today.  pg-1 is
shared: the analytics team reads and writes it through their own pgbouncer
pool.  You are the order service's on-call.]],

  world = function(w)
    -- Our own load is 30% of pg-1: the platform's 20% background and the
    -- services' queries, plus 8 points of our reporting and crons.
    w:set("db.pg-1.other_cpu_pct", 11.3)
    -- Order's queries are point lookups: 4 ms at p50, 8 ms on average.
    w:set("class.order.read.db_ms", 8)
    w:set("class.order.write.db_ms", 8)
    w:set("class.order.checkout.db_ms", 8)
    w:set("class.product.page.db_ms", 1.5)
    -- ETL runs at random times: the first within the first five minutes,
    -- then every 6-10 minutes for 4-6 minutes, each 55-62% of the node.
    local runs, t = {}, 150 + math.random() * 60
    while t < 3 * 3600 do
      local len = 240 + math.random() * 120
      runs[#runs + 1] = { at = t, for_s = len, cpu_pct = 55 + math.random() * 7 }
      t = t + len + 360 + math.random() * 240
    end
    w:tenant{ name = "shop", db = "pg-1", ours = true, iops = 5000 }
    w:tenant{ name = "analytics", db = "pg-1", team = "analytics", pool_size = 40,
              conns = 40, cpu_pct = 58, iops = 9000, job = "analytics-etl",
              app = "analytics-etl", role = "analytics", page_delay_s = 90,
              runs = runs }
  end,

  logs = {
    { when = 'db_cpu_by_tenant_pct' .. etl .. ' > 20', src = "order", level = "WARN", every_s = 3,
      line = "db query slow {rand:250-400}ms (p50 4ms): SELECT ... FROM orders WHERE id=$1" },
    { when = 'db_cpu_by_tenant_pct' .. etl .. ' > 20', src = "pg-1", level = "LOG", every_s = 20,
      line = "duration: {rand:150000-190000}.001 ms  statement: INSERT INTO agg_daily_sales SELECT ... FROM events e JOIN orders o ..." },
    { when = 'db_cpu_by_tenant_pct' .. etl .. ' > 20', src = "pgbouncer", level = "INFO", every_s = 30,
      line = "stats: pool analytics_etl active=40 waiting=0" },
    { when = 'db_cpu_by_tenant_pct' .. etl .. ' > 0', src = "order", level = "INFO", every_s = 10,
      line = "GET /orders/history 200 rps steady" },
  },

  relevant_alerts = { "ALRT-P99", "ALRT-DBCPU" },
  root_cause = "shared-resource-batch-job",
  near_miss = {
    { id = "noisy-neighbor", why = "yes: but name the mechanism, a batch job on a shared resource" },
  },
  decoys = { "our-slow-query", "traffic-spike", "db-hardware" },

  slo = {
    'gw_latency_p99_ms{route="GET /orders/history"} < 250',
    'gw_error_ratio_pct{route="POST /orders"} < 1',
  },
  hold_s = 120,

  -- The next run cannot hurt us: paused, killed, capped to a few
  -- connections, or off our node.
  mitigated = function(w)
    return w:get("tenant.analytics.paused") == 1
        or w:get("tenant.analytics.job_enabled") == 0
        or w:get("tenant.analytics.pool_size") <= 6
        or w:get("tenant.analytics.node") ~= w:get("tenant.analytics.home")
        or w:get("tenant.analytics.isolated") == 1
  end,

  -- Isolation (their own node), or a quota together with a night window.
  fixed = function(w)
    return w:get("tenant.analytics.node") ~= w:get("tenant.analytics.home")
        or w:get("tenant.analytics.isolated") == 1
        or (w:get("tenant.analytics.pool_size") <= 6
            and w:get("tenant.analytics.windowed") == 1)
  end,

  -- Analytics resume: their ETL runs again three minutes after the fix.
  probe = {
    after_fix_s = 180, duration_s = 600,
    run = function(w)
      w:set("tenant.analytics.paused", 0)
      w:set("tenant.analytics.job_enabled", 1)
      w:tenant_run{ tenant = "analytics", in_s = 0, for_s = 300, cpu_pct = 60 }
      w:log("analytics", "INFO", "analytics-etl resumed: agg_daily_sales backfill")
    end,
  },

  classify = {
    works = { "page analytics *", "set tenant:analytics.pool_size *",
              "set tenant:analytics.db_target *", "kill job analytics-etl",
              "set job:analytics-etl.window *", "run infra provision olap-db*" },
    harmful = {
      { match = "restart pg-1", class = "major",
        why = "a restart of the shared primary drops every tenant's connections, ours too" },
      { match = "scale order*", class = "minor",
        why = "more order pods only add connections and queries to a node that is already saturated" },
      { match = "rollback order", class = "useless", why = "nothing of ours changed" },
      { match = "kill query *", class = "useless", why = "our queries are slow victims, not the cause" },
    },
  },

  hints = {
    "Our rps is flat while the database CPU jumps. Who else uses pg-1?",
    "show infra db breaks pg-1's CPU down by tenant; show db activity during a spike shows who is running.",
    "The analytics ETL: shared-resource-batch-job. Page analytics, cap their pgbouncer pool or move them to pg-3, then keep it to a window.",
  },

  lose = { budget_pct = 50, unmitigated_s = 2700 },

  postmortem = {
    prevention = {
      "Resource isolation: an OLAP replica for analytics",
      "Per-tenant quotas (pgbouncer pool limits, DB-proxy QPS)",
      "Batch jobs held to a night window (02:00-06:00)",
      "Infrastructure-level rate limiting",
      "Per-tenant usage dashboards (db_cpu_by_tenant_pct)",
    },
    root_cause = {
      systemic = "Another team's batch job shares our primary with no isolation, quota or time window",
      symptom  = "Our p99 latency spiked 5-10x at random times",
      wrong    = "A slow query in our order service saturates the database CPU",
      blame    = "The analytics team was careless to run their ETL in business hours",
    },
    distractors = {
      "Scale the order service up before each spike",
      "Hunt down and tune our slowest order queries",
      "Resize pg-1 to a larger instance at the afternoon peak",
    },
    monitors = {
      { text = "Database CPU per tenant above its share",
        match = { "enable alert * db_cpu_by_tenant_pct*" } },
      { text = "Primary CPU above 90%",
        match = { "enable alert * db_cpu_pct*", "enable alert ALRT-DBCPU" } },
    },
    card = {
      symptom    = "Our latency jumps 5-10x for a few minutes at unpredictable times, with no change in our own traffic and nothing of ours deployed.",
      root_cause = "The analytics team's ETL shares our primary through its own pgbouncer pool; each run takes most of the node's CPU and IOPS, and our queries queue behind it.",
      solution   = "Page the owners to pause it, cap their pgbouncer pool or send their job to a replica, then give analytics an OLAP database or a quota plus a night window.",
      prevention = "Separate OLTP from OLAP, per-tenant quotas and proxy rate limits, batch jobs held to 02:00-06:00, and per-tenant usage dashboards.",
    },
  },

  signals = {
    components = { "analytics", "infra db", "tenant", "pg-1", "db activity", "pgbouncer" },
    scope = { "pg-1", "shared", "all routes", "all users", "intermittent", "order" },
    fix_work = { "set job:analytics-etl.window *", "run infra provision olap-db*" },
    recent_change = nil,
    isolating = { "set tenant:analytics.pool_size *", "set tenant:analytics.db_target *",
                  "set job:analytics-etl.window *", "kill job analytics-etl",
                  "run infra provision olap-db*" },
    global = { "restart *", "scale *", "ratelimit *" },
    other_team = { "set tenant:analytics.*", "set job:analytics-etl.*", "kill job analytics-etl" },
  },

  expert = [[
# An expert response to §4.3: p99 spikes that follow nothing of ours.
# Find who else is on pg-1, ask the owners to pause, cap their pool at
# once, then hold their ETL to a night window.
5:20 ack ALRT-P99
5:25 show infra db
5:30 show db activity --app analytics-etl
5:40 diagnose shared-resource-batch-job
5:45 page analytics "analytics-etl is taking ~58% of pg-1's CPU and our p99 is x4; please pause it, we are capping your pool to 4"
5:50 set tenant:analytics.pool_size 4
6:30 set job:analytics-etl.window 02:00-06:00
6:40 note analytics ETL shares pg-1: pool capped to 4 (<= 6% CPU), ETL held to 02:00-06:00; follow-up: OLAP replica for analytics, per-tenant dashboards
20:00 show infra db
]],
}
