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
  },
}
