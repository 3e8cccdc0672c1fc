-- §1.3 Deadlock between two services.
--
-- Teaches: checkout locks an orders row and then a products row; the
-- inventory sync, moved to business hours two weeks ago, locks products
-- and then orders.  Where the two overlap on a flash deal's hot rows they
-- deadlock at κ·λA·λB; each deadlock holds both sessions (and every other
-- checkout of the hot product) for the 30 s lock wait timeout, then one
-- side gets a 500.  Move the sync off-peak, then make the lock order
-- consistent.
-- Trap: scaling either side adds overlap; a zero lock timeout makes the
-- hangs unbounded; killing a deadlocked pid only fails a checkout.
local restore_probe

return {
  api = 1,
  id = "deadlock-lock-order",
  section = "1.3",
  title = "Deadlock Between Two Services",
  difficulty = 2,
  severity = "P2",
  clock = "2025-05-16T18:30:00",
  platform = "shopco",
  briefing = [[
Friday, 18:30.  Marketing starts a flash deal on a handful of products;
checkout traffic will double over the next hour.  You are on call for
the order platform and its database.]],

  world = function(w)
    w:table{ name = "orders", rows = 500000000,
             indexes = { "orders_pkey(id)" },
             used_by = { "order.write", "order.checkout" } }
    w:table{ name = "products", rows = 2000000, indexes = { "products_pkey(id)" },
             used_by = { "product.page" } }
    w:service{ name = "inventory-sync", instances = 2, threads = 50,
      version = "v1.4.0", prev_version = "v1.3.2",
      pools = { { name = "main", per_instance = 25, acquire_timeout_s = 30 } },
      classes = { { name = "sync", cpu_ms = 2, db = "write", db_ms = 20 } } }
    w:route{ name = "POST /internal/inventory/sync", svc = "inventory-sync",
             class = "sync", rps = 100 }
    -- 100 tx/s from one worker, in business hours since two weeks ago.
    w:job{ name = "inventory-sync", route = "POST /internal/inventory/sync",
           app = "inventory-sync", rate = 100, workers = 1,
           window = "08:00-22:00" }
    -- Checkout: orders then products; the sync: products then orders.
    -- They meet only on hot rows: none until the deal starts.
    w:deadlock{ name = "checkout-sync", a = "order.checkout", b = "inventory-sync.sync",
                tables = { "orders", "products" }, kappa = 0,
                hot_pct = 1.2, b_hot_pct = 1.2,
                a_version = "v5.2.1", b_version = "v1.4.0" }
    -- The deal was load-tested: threads and connections to spare (pg-1
    -- has room for ~160 order and ~50 sync connections).
    w:set("svc.order.threads", 100)
    w:set("db.pg-1.other_connections", 60)
    w:set("svc.order.db_pool", 160)
    w:set("route.POST /checkout.rps", 150)
    w:change{ at_s = -14 * 86400, who = "data-team", target = "inventory-sync",
      text = "job inventory-sync window 02:00-06:00 → 08:00-22:00 (fresher stock counts)" }
  end,

  events = {
    { at = 60, note = "the flash deal: checkouts 150 → 300 tx/s over the hour",
      run = function(w)
        w:ramp("route.POST /checkout.rps", 150, 300, 3600)
        -- A few products take the deal's checkouts: ~2 deadlocks a minute
        -- now, ~8 at the peak as the overlap on the hot rows grows too.
        w:ramp("deadlock.checkout-sync.kappa", 2 / (150 * 100), 4 / (150 * 100), 3600)
        w:log("order", "INFO", "flash deal live: 6 products at -40%")
      end },
  },

  logs = {
    { when = 'db_deadlocks_per_min{node="pg-1"} > 0', src = "inventory-sync", level = "WARN",
      every_s = 20,
      line = "batch {rand:1000-9999}: UPDATE products SET stock=… then UPDATE orders SET reserved=… took {rand:29000-30010}ms" },
    { when = 'db_lock_wait_sessions{node="pg-1"} > 10', src = "pg-1", level = "LOG", every_s = 10,
      line = "process {rand:4000-4999} still waiting for ShareLock on transaction {rand:88000-88999} after 1000.{rand:100-999} ms" },
    { when = 'inventory_sync_lag_s > 600', src = "inventory-sync", level = "WARN", every_s = 60,
      line = "stock counts behind by more than 10 min: flash-deal items may oversell" },
    { src = "order", level = "INFO", every_s = 5,
      line = "POST /checkout 200 {rand:240-320}ms order=o_{rand:10000-99999}" },
  },

  relevant_alerts = { "ALRT-DEADLOCK", "ALRT-P99" },
  root_cause = "inconsistent-lock-order",
  near_miss = {
    { id = "hot-row-contention",
      why = "the deal makes the rows hot, but contention alone waits and succeeds; what closes the cycle?" },
  },
  decoys = { "db-overloaded", "long-transactions" },

  slo = {
    'gw_latency_p99_ms{route="POST /checkout"} < 600',
    'db_deadlocks_per_min{node="pg-1"} < 0.01',
  },
  hold_s = 300,

  -- The two sides no longer overlap, or one takes the locks in order.
  mitigated = function(w)
    return w:get("job.inventory-sync.running") == 0
        or w:get_str("svc.inventory-sync.version") ~= "v1.4.0"
        or w:get_str("svc.order.version") ~= "v5.2.1"
  end,

  -- A patched side, and the sync back at work in business hours.
  fixed = function(w)
    return (w:get_str("svc.inventory-sync.version") ~= "v1.4.0"
            or w:get_str("svc.order.version") ~= "v5.2.1")
       and w:get("job.inventory-sync.running") == 1
  end,

  probe = {
    after_fix_s = 60, duration_s = 300,
    run = function(w)
      restore_probe = fd.saved(w, { "job.inventory-sync.rate" })
      w:set("job.inventory-sync.rate", 2 * w:get("job.inventory-sync.rate"))
      w:log("inventory-sync", "INFO", "catch-up: sync rate doubled")
    end,
    restore = function(w) if restore_probe then restore_probe() end end,
  },

  patches = {
    ["lock-order"] = { svc = "inventory-sync", version = "v1.4.1", build_s = 300,
      desc = "lock orders before products (tables alphabetical, then id ascending)" },
    ["advisory-lock"] = { svc = "inventory-sync", version = "v1.4.1-adv", build_s = 300,
      desc = "take a per-product advisory lock (5 s timeout) before the batch" },
    ["optimistic-locking"] = { svc = "order", version = "v5.2.2", build_s = 420,
      desc = "version column on products: no row lock, 0 rows updated → retry" },
  },

  classify = {
    works = { "set job:inventory-sync.window *", "scale job:inventory-sync 0",
              "deploy inventory-sync lock-order", "deploy inventory-sync advisory-lock",
              "deploy order optimistic-locking" },
    harmful = {
      { match = "scale order *", class = "minor",
        why = "more checkout sessions racing for the hot rows: more deadlocks" },
      { match = "scale job:inventory-sync [2-9]*", class = "minor",
        why = "more sync workers, more overlap: more deadlocks" },
      { match = "kill query *", class = "useless",
        why = "the database already ends each deadlock; a checkout fails" },
      { match = "set db.lock_wait_timeout 0*", class = "major",
        why = "no lock timeout: deadlocked sessions hang without bound" },
      { match = "restart pg-1", class = "critical",
        why = "every service loses its database for a minute" },
    },
  },

  hints = {
    "/checkout's p99 sits at exactly 30 s, with few errors. What waits 30 s?",
    "show db locks shows a wait-for cycle; changes shows what moved two weeks ago.",
    "Checkout locks orders then products; the sync products then orders: inconsistent-lock-order. Move the sync off-peak, then fix the order.",
  },

  lose = { budget_pct = 50, unmitigated_s = 2700 },

  postmortem = {
    prevention = {
      "Alert on deadlocks > 0/min and monitor wait_event='Lock'",
      "A documented, linted lock-ordering rule (tables alphabetical, ids ascending)",
      "Optimistic locking where contention is low",
      "Lock timeouts on every session",
      "Bulk syncs off-peak",
    },
    root_cause = {
      systemic = "Checkout and the inventory sync lock orders and products in opposite order; no lock-order rule",
      symptom  = "Checkouts hung for 30 s and some returned 500 during the flash deal",
      wrong    = "The database was overloaded by the flash deal's checkout traffic",
      blame    = "The data team was careless when they moved the sync into business hours",
    },
    distractors = {
      "Add order pods before every flash deal",
      "Kill the deadlocked sessions by hand when the alert fires",
      "Give pg-1 more CPU for flash deals",
    },
    monitors = {
      { text = "Deadlocks above 0 per minute",
        match = { "enable alert * db_deadlocks_per_min*", "enable alert ALRT-DEADLOCK" } },
      { text = "Sessions waiting on locks (wait_event = 'Lock')",
        match = { "enable alert * db_lock_wait_sessions*" } },
    },
    card = {
      symptom    = "During peak, /checkout and the inventory sync hang for exactly 30 s and then one of them returns 500; it gets worse as traffic grows.",
      root_cause = "Checkout locks an order row and then a product row; the sync locks the product and then the order. On the deal's hot rows each waits for the other.",
      solution   = "Move the sync off-peak to stop the overlap now, then make both take locks in one order (tables alphabetical, ids ascending), or use advisory locks or optimistic versions.",
      prevention = "Alert on any deadlock per minute and watch Lock waits, enforce a documented lock-ordering rule, set lock timeouts, and run bulk syncs off-peak.",
    },
  },

  signals = {
    components = { "lock", "deadlock", "db activity", "inventory-sync", "checkout" },
    scope = { "checkout", "flash deal", "hot product", "inventory" },
    fix_work = { "deploy inventory-sync *", "deploy order *" },
    recent_change = nil,
    isolating = { "set job:inventory-sync.window *", "scale job:inventory-sync 0" },
    global = { "restart *", "scale order *", "ratelimit *", "set db.lock_wait_timeout *" },
  },

  expert = [[
# An expert response to §1.3: the deadlock page; the wait-for cycle in
# show db locks and the sync's move to business hours in changes; move
# the sync back off-peak, then ship the consistent lock order and let
# the sync run in business hours again.
1:10 ack ALRT-DEADLOCK
1:30 show db locks
1:35 show db activity
1:38 changes --since 30d
1:40 diagnose inconsistent-lock-order
1:50 set job:inventory-sync.window 02:00-06:00
2:00 note sync moved off-peak (02:00-06:00): deadlocks stop; shipping the lock-order fix
2:10 deploy inventory-sync lock-order
12:00 set job:inventory-sync.window 08:00-22:00
14:00 show db locks
]],
}
