-- §1.1 Database connection pool exhaustion.
--
-- Teaches: a slow dependency called inside an open DB transaction pins
-- the connections; 50 connections x 30 s is 1.7 requests per second, so
-- the whole service dies, endpoints that never touch payments included.
-- Trap: raising the pool size only delays exhaustion (1 s becomes 3 s)
-- and pushes the database toward max_connections.
local restore_probe

return {
  api = 1,
  id = "db-pool-exhaustion",
  section = "1.1",
  title = "Database Connection Pool Exhaustion",
  difficulty = 2,
  severity = "P1",
  clock = "2025-03-11T14:00:00",
  platform = "shopco",
  briefing = [[
Tuesday, 14:00, peak shopping hour. You are on call for ShopCo's order
platform. The last order deploy went out three days ago; the week has
been quiet. Dashboards are green. Keep them that way.]],

  world = function(w)
    -- The code path under test: checkout calls payment inside its
    -- transaction, holding the connection for the whole call.
    w:set("svc.order.hold_conn_across_calls", 1)
  end,

  events = {
    { at = 90, note = "payment gateway latency climbs toward 30 s",
      run = function(w)
        w:ramp("ext.paygw.latency_p50_ms", 200, 30000, 20)
        w:ramp("ext.paygw.latency_p99_ms", 400, 45000, 20)
      end },
    { at = 9 * 60, note = "payment gateway vendor recovers",
      run = function(w)
        w:ramp("ext.paygw.latency_p50_ms", 30000, 200, 30)
        w:ramp("ext.paygw.latency_p99_ms", 45000, 400, 30)
        w:log("paygw", "INFO", "status.paygw.example: elevated latency resolved")
      end },
  },

  logs = {
    { when = 'paygw_latency_p99_ms > 5000', src = "order", level = "WARN", every_s = 3,
      line = "PaymentClient POST https://api.paygw.example/v1/charges took {rand:29000-29990}ms (timeout=30000ms) order=o_{rand:10000-99999}" },
    { when = 'db_pool_utilization_pct{svc="order"} > 95', src = "order", level = "ERROR", every_s = 2,
      line = "HikariPool-1 - Connection is not available, request timed out after 30000ms." },
    { when = 'gw_error_ratio_pct{route="GET /orders/history"} > 5', src = "gw", level = "error", every_s = 2,
      line = 'upstream timed out (110: Connection timed out) while reading response header from upstream, upstream: "http://order:8080/orders/history"' },
    { when = 'db_connections_refused{node="pg-1"} > 0', src = "pg-1", level = "FATAL", every_s = 2,
      line = "sorry, too many clients already" },
    { src = "order", level = "INFO", every_s = 7,
      line = "GET /orders/history 200 {rand:48-70}ms user=u_{rand:1000-99999}" },
  },

  relevant_alerts = { "ALRT-POOL", "ALRT-ERR", "ALRT-P99" },
  root_cause = "slow-dependency-holds-connections",
  near_miss = {
    { id = "payment-slow",
      why = "that is the trigger; why did GET /orders/history, which never calls payment, die too?" },
  },
  decoys = { "pool-too-small", "db-overloaded", "missing-index" },

  slo = {
    'gw_error_ratio_pct{route!="POST /checkout"} < 1',
    'gw_latency_p99_ms{route="GET /orders/history"} < 100',
    'db_pool_utilization_pct{svc="order"} < 70',
  },
  hold_s = 120,

  -- A mitigation from the "works" list is in effect.
  mitigated = function(w)
    local e = "order->payment"
    return fd.breaker_open(w, e)
        or w:get("flag.async_payment") == 1
        or (w:get("edge.order->payment.breaker") == 1 and w:get("edge.order->payment.timeout_ms") <= 3000)
        or w:get("edge.order->payment.bulkhead") > 0
        or w:get("svc.order.db_pool.split") == 1
        or w:get("svc.order.hold_conn_across_calls") == 0
  end,

  -- Auto breaker and a short timeout, plus isolation of the connections.
  fixed = function(w)
    return fd.breaker_auto(w, "order->payment")
       and w:get("edge.order->payment.timeout_ms") <= 3000
       and (w:get("svc.order.db_pool.split") == 1
            or w:get("edge.order->payment.bulkhead") > 0
            or w:get("svc.order.hold_conn_across_calls") == 0)
  end,

  probe = {
    after_fix_s = 180, duration_s = 120,
    run = function(w)
      restore_probe = fd.saved(w, { "ext.paygw.latency_p50_ms", "ext.paygw.latency_p99_ms" })
      w:set("ext.paygw.latency_p50_ms", 30000)
      w:set("ext.paygw.latency_p99_ms", 45000)
    end,
    restore = function(w) if restore_probe then restore_probe() end end,
  },

  patches = {
    ["release-conn-before-remote-call"] = { svc = "order", version = "v5.2.2", build_s = 420,
      desc = "commit the order row, release the connection, then charge",
      apply = function(w) w:set("svc.order.hold_conn_across_calls", 0) end },
  },
  flags = {
    async_payment = { svc = "order", default = false,
      desc = "accept the order now, charge the card from a queue",
      on = function(w) w:set("edge.order->payment.async", 1) end,
      off = function(w) w:set("edge.order->payment.async", 0) end },
  },

  classify = {
    works = { "breaker open order->payment", "enable breaker order->payment",
              "flag on async_payment", "set order.db_pool.acquire_timeout *",
              "enable bulkhead order->payment *", "set order.db_pool.split *" },
    harmful = {
      { match = "scale order.db_pool *", class = "minor",
        why = "a bigger pool fills in about 3 s instead of 1 s and adds connections toward max_connections" },
      { match = "scale order [6-9]", class = "major",
        why = "more pods open more connections: past 497 every service gets 'too many clients'" },
      { match = "scale order [1-9][0-9]*", class = "major",
        why = "more pods open more connections: past 497 every service gets 'too many clients'" },
      { match = "restart order*", class = "minor",
        why = "the pool refills with hung checkouts within a second; in-flight orders are lost" },
      { match = "kill query *", class = "useless",
        why = "the checkout rolls back and the next one takes the connection" },
      { match = "rollback order", class = "useless",
        why = "order has not been deployed for three days" },
      { match = "restart pg-1", class = "critical",
        why = "every service loses its database for a minute" },
    },
  },

  hints = {
    "Look at the order service's database pool: who holds its connections, and for how long?",
    "show db activity --app order and trace POST /checkout show what the connections wait on.",
    "The connections are held open across the payment call: slow-dependency-holds-connections.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Alert when active/max connections exceeds 70%",
      "Circuit breaker on payment calls (5 failures in 10 s, open 30 s, one probe)",
      "Separate read and write pools so reads survive write exhaustion",
      "Connection acquire timeout of 3 s",
      "Bulkhead per downstream dependency",
      "Never hold a DB transaction across a remote call",
      "Keep pods x pool size below max_connections minus headroom (or use pgbouncer)",
    },
    root_cause = {
      systemic = "Checkout held its DB connection across the payment call, with no timeout, breaker or bulkhead",
      symptom  = "The order service ran out of database connections",
      wrong    = "The order pool of 50 connections was too small for peak-hour traffic",
      blame    = "The developer who wrote checkout forgot to release the connection before calling payment",
    },
    distractors = {
      "Raise the order pool size to 200 connections",
      "Let the autoscaler add order pods as soon as the pool fills",
      "Add an index on orders to make checkout's queries faster",
    },
    monitors = {
      { text = "Order pool utilisation above 70%",
        match = { "enable alert * db_pool_utilization_pct*", "enable alert ALRT-POOL" } },
      { text = "Database connections in use above 70% of max_connections",
        match = { "enable alert * db_connections_used*", "enable alert * db_connections_refused*",
                  "enable alert ALRT-DBCONN" } },
    },
    card = {
      symptom    = "Order latency climbs from milliseconds to 30 s, then 5xx on every order route, even those that never touch payments; the database starts refusing clients.",
      root_cause = "The payment gateway slowed to 30 s and checkout kept its DB connection for the whole call, so a pool of 50 served under two requests a second and ran dry.",
      solution   = "Open a breaker on order->payment so checkout fails fast and the pool drains; then an automatic breaker, a 2-3 s call timeout, a 3 s acquire timeout and split read/write pools.",
      prevention = "Alert when connections in use pass 70% of the maximum, give each downstream its own bulkhead, and never hold a transaction open across a remote call.",
    },
  },

  signals = {
    components = { "order", "checkout", "payment", "paygw", "db_pool" },
    scope = { "order", "checkout", "history" },
    fix_work = { "deploy order *", "set order.db_pool.split *", "set order->payment.timeout *",
                 "breaker auto order->payment" },
    recent_change = nil,
    isolating = { "breaker open order->payment", "enable breaker order->payment",
                  "enable bulkhead order->payment *", "flag on async_payment",
                  "set order.db_pool.split *", "set order.db_pool.acquire_timeout *" },
    global = { "restart *", "scale order [6-9]", "scale order [1-9][0-9]*", "scale order.db_pool *",
               "ratelimit *" },
  },

  expert = [[
# An expert response to §1.1: acknowledge, look at the pool and what holds
# it, name the systemic cause, fail fast on payments, then make it
# permanent with an automatic breaker, a short timeout and split pools.
2:15 ack ALRT-POOL
2:20 show svc order
2:35 show db activity --app order
2:50 trace POST /checkout
3:00 changes --since 3d
3:10 diagnose slow-dependency-holds-connections
3:15 breaker open order->payment
3:20 note opened the order->payment breaker: checkout fails fast, history should recover
3:30 scale order 5
3:40 show svc order
4:00 set order->payment.timeout 2s
4:05 enable breaker order->payment
4:10 set order.db_pool.acquire_timeout 3s
4:15 set order.db_pool.split read=30,write=15
4:30 enable alert ORDER-POOL-70 db_pool_utilization_pct{svc="order"} > 70
10:00 breaker auto order->payment
10:05 note paygw recovered; the automatic breaker guards checkout from now on
]],
}
