-- §1.2 Slow query takes down the database.
--
-- Teaches: a report without an index scans 500M rows (45 min, 8 cores)
-- and the scheduler starts another every five minutes; the database's CPU
-- fills in steps and every query on it slows.  Kill the runs, stop new
-- ones, then build the index concurrently and cap the report's time.
-- Trap: CREATE INDEX without CONCURRENTLY blocks every write to orders;
-- VACUUM FULL queues behind the scans and then blocks every read.

return {
  api = 1,
  id = "slow-query-full-scan",
  section = "1.2",
  title = "Slow Query Takes Down the Database",
  difficulty = 1,
  severity = "P1",
  clock = "2025-02-04T10:00:00",
  platform = "shopco",
  briefing = [[
Tuesday, 10:00.  The reporting team ships a "pending orders" dashboard
this morning: report v1.3.0, run by the scheduler every five minutes
against the orders table on the primary.  You are the database on-call.]],

  world = function(w)
    w:table{ name = "orders", rows = 500000000,
             indexes = { "orders_pkey(id)", "idx_orders_customer_id(customer_id)" },
             used_by = { "order.read", "order.write", "order.checkout" } }
    w:table{ name = "products", rows = 2000000, indexes = { "products_pkey(id)" },
             used_by = { "product.page" } }
    w:query{ id = "Q-7f3a", table = "orders", where = { "status", "created_at" },
             sql = "SELECT * FROM orders WHERE status='pending' AND created_at > '2025-01-01'",
             scan_rows_per_s = 185185, workers = 8, index_ms = 200 }
    w:role{ name = "report" }
    w:flag{ name = "pending_orders_report", svc = "report", on = false,
            desc = "the pending-orders dashboard (report v1.3.0)" }
    w:service{ name = "report", instances = 1, threads = 10,
      version = "v1.2.9", prev_version = "v1.2.8",
      classes = { { name = "dashboard", cpu_ms = 5 } } }
    w:job{ name = "report-pending", query = "Q-7f3a", every_s = 300, app = "report",
           role = "report", flag = "pending_orders_report", version = "v1.3.0",
           start_s = 90 }
    w:set("class.order.read.db_ms", 50)
  end,

  events = {
    { at = 60, note = "report v1.3.0 ships the pending-orders dashboard",
      run = function(w)
        w:set_flag("pending_orders_report", true)
        w:deploy("report", "v1.3.0", 20)
      end },
  },

  logs = {
    { when = 'db_longest_query_s{node="pg-1"} > 300', src = "report", level = "INFO", every_s = 30,
      line = "scheduler: run report-pending started (previous runs still running)" },
    { when = 'db_cpu_pct{node="pg-1"} > 85', src = "order", level = "WARN", every_s = 3,
      line = "slow query {rand:900-2500}ms (p50 4ms): INSERT INTO orders (...)" },
    { when = 'db_cpu_pct{node="pg-1"} > 85', src = "pg-1", level = "LOG", every_s = 4,
      line = "duration: {rand:1500-3000}.902 ms  statement: SELECT id, price FROM products WHERE id = $1" },
  },

  relevant_alerts = { "ALRT-SLOWQ", "ALRT-DBCPU", "ALRT-P99" },
  root_cause = "unindexed-report-query",
  near_miss = {
    { id = "bad-deploy", why = "yes, report v1.3.0 — but which part of it, and why does it hurt everyone?" },
  },
  decoys = { "db-undersized", "noisy-neighbor", "autovacuum-storm" },

  slo = {
    'db_cpu_pct{node="pg-1"} < 70',
    'gw_latency_p99_ms{route="GET /orders/history"} < 150',
    'gw_error_ratio_pct{route="POST /orders"} < 1',
  },
  hold_s = 120,

  -- New runs are prevented, one way or another.
  mitigated = function(w)
    return w:get("job.report-pending.enabled") == 0
        or w:get("flag.pending_orders_report") == 0
        or w:get_str("svc.report.version") ~= "v1.3.0"
        or (w:get("role.report.statement_timeout_ms") > 0 and w:get("role.report.statement_timeout_ms") <= 30000)
        or w:get("query.Q-7f3a.indexed") == 1
  end,

  -- The index exists, and the report's statements are capped.
  fixed = function(w)
    local t = w:get("role.report.statement_timeout_ms")
    return w:get("query.Q-7f3a.indexed") == 1 and t > 0 and t <= 30000
  end,

  probe = {
    after_fix_s = 30, duration_s = 600,
    run = function(w)
      w:set("job.report-pending.enabled", 1)
      w:set_flag("pending_orders_report", true)
      w:log("report", "INFO", "report-pending re-enabled")
    end,
  },

  classify = {
    works = { "kill query *", "flag off pending_orders_report", "rollback report",
              "kill job *", "set db.role.report.statement_timeout *" },
    harmful = {
      { match = "run db create-index orders(*)", class = "major",
        why = "without CONCURRENTLY the build holds a ShareLock: every write to orders waits" },
      { match = "run db vacuum orders --full", class = "critical",
        why = "AccessExclusiveLock queues behind the scans, then blocks every read and write" },
      { match = "restart pg-1", class = "major",
        why = "a global outage, and the scheduler starts the report again" },
      { match = "scale *", class = "useless", why = "more clients for a database at 100%" },
    },
  },

  hints = {
    "The database's CPU climbs in steps, five minutes apart. What starts every five minutes?",
    "show db activity lists long runs from the report; explain Q-7f3a shows its plan.",
    "A full scan of 500M rows for want of an index: unindexed-report-query. Kill the runs, stop new ones, index concurrently.",
  },

  lose = { budget_pct = 50, unmitigated_s = 2700 },

  postmortem = {
    prevention = {
      "statement_timeout = 30s for reporting roles",
      "EXPLAIN ANALYZE in code review for new queries",
      "Heavy reports on read replicas",
      "A pg_stat_statements slow-query dashboard",
      "A long-query alert",
    },
    root_cause = {
      systemic = "A new report query reached the primary with no plan review, no index and no statement timeout",
      symptom  = "The primary's CPU reached 100% and every query on it slowed down",
      wrong    = "The primary is undersized for weekday load and needs more CPU",
      blame    = "The reporting developer was careless and shipped a query without an index",
    },
    distractors = {
      "Move pg-1 to an instance with twice the cores",
      "Run VACUUM FULL on orders every week",
      "Restart the primary whenever its CPU stays above 90%",
    },
    monitors = {
      { text = "A query running longer than 30 s",
        match = { "enable alert * db_longest_query_s*", "enable alert ALRT-SLOWQ" } },
      { text = "Primary CPU above 90%",
        match = { "enable alert * db_cpu_pct*", "enable alert ALRT-DBCPU" } },
    },
    card = {
      symptom    = "The primary's CPU climbs to 100% in steps, all queries slow down and latency rises across the whole application.",
      root_cause = "A new scheduled report filters 500M orders by status and created_at with no index: each run is a 45-minute parallel full scan, and another starts every five minutes.",
      solution   = "Terminate the running scans and stop new ones (job, flag or rollback, and a 30 s timeout on the report role), then CREATE INDEX CONCURRENTLY on (status, created_at): 200 ms.",
      prevention = "statement_timeout of 30 s for reporting roles, EXPLAIN ANALYZE in review of new queries, heavy reports on replicas, pg_stat_statements to track slow queries.",
    },
  },

  signals = {
    components = { "Q-7f3a", "report", "db activity", "db stats", "db_cpu", "db_longest_query", "pg-1" },
    scope = { "pg-1", "database", "all routes", "all users", "every route", "platform", "site-wide" },
    fix_work = { "run db create-index *" },
    -- report v1.3.0 shipped a minute in: stopping its job is the flag-off.
    recent_change = { "rollback report", "flag off pending_orders_report", "kill job report-pending" },
    isolating = { "kill job report-pending", "kill query *", "flag off pending_orders_report",
                  "rollback report", "set db.role.report.statement_timeout *",
                  "set report.db_target *" },
    global = { "restart *", "scale *", "ratelimit *", "run db vacuum *" },
  },

  expert = [[
# An expert response to §1.2: the slow-query page; the report's run in
# pg_stat_activity and its plan; stop new runs, end the running one, cap
# the role, then build the index without blocking writes.
2:01 ack ALRT-SLOWQ
2:05 show db activity
2:15 explain Q-7f3a
2:20 changes --since 1h
2:30 diagnose unindexed-report-query
2:35 kill job report-pending
2:40 kill query 4121
2:45 set db.role.report.statement_timeout 30s
2:50 run db create-index orders(status,created_at) --concurrently
2:55 note killed report run 4121, stopped the job, capped the report role at 30 s; building the index concurrently
16:00 show db progress
16:10 explain Q-7f3a
]],
}
