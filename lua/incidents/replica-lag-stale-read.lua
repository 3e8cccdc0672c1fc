-- §1.4 Replication lag causes stale reads.
--
-- Teaches: an order is written to the primary and the browser, redirected,
-- reads it back 150-400 ms later from an async replica.  When a bulk job
-- floods the WAL the replicas fall 0.5-2 s behind and nearly every such
-- read finds nothing (404), while everything else stays green.  Route a
-- session's reads to the primary right after it writes, then make reads
-- causal (or stop reading back at all).  Trap: promoting a replica that
-- is two seconds behind throws away the orders it never received.

return {
  api = 1,
  id = "replica-lag-stale-read",
  section = "1.4",
  title = "Replication Lag Causes Stale Reads",
  difficulty = 2,
  severity = "P2",
  clock = "2025-03-12T12:00:00",
  platform = "shopco",
  briefing = [[
Wednesday, 12:00, the lunch peak.  Customers place an order, the site
redirects them to the order page... and support starts getting tickets
saying "my order disappeared".  You are the on-call engineer for order.]],

  world = function(w)
    w:table{ name = "orders", rows = 500000000,
             indexes = { "orders_pkey(id)", "idx_orders_customer_id(customer_id)" },
             used_by = { "order.read", "order.write", "order.checkout" } }
    w:table{ name = "products", rows = 2000000, indexes = { "products_pkey(id)" },
             used_by = { "product.page" } }
    -- POST /orders -> 303 -> GET /orders/:id, 150-400 ms later.
    w:route{ name = "GET /orders/:id", svc = "order", class = "read", rps = 75 }
    w:read_routing{ svc = "order", target = "replica" }
    w:read_after_write{ route = "GET /orders/:id", gap_s = { 0.15, 0.4 } }
    -- catalog-import: 2M price updates in batches written at 90 MB/s of
    -- WAL; against 60 MB/s of replay a batch adds 100.8 MB and a pause
    -- drains as much: the lag saw-tooths 0.5-2.2 s.
    w:wal_writer{ name = "catalog-import", mb_s = 90, batch_s = 2.4,
                  pause_s = 2.1, first_batch_s = 3.1, start_s = 60 }
    w:change{ at_s = -2 * 3600, who = "catalog-team", target = "catalog-import",
      text = "schedule catalog-import (2M price updates) at 12:01" }
  end,

  events = {
    { at = 60, note = "catalog-import starts its 2M price updates" },
  },

  logs = {
    { when = 'order_read_after_write_404_pct > 20', src = "order", level = "INFO", every_s = 2,
      line = "POST /orders 201 id={rand:780-990}112 db=pg-1" },
    { when = 'order_read_after_write_404_pct > 20', src = "order", level = "WARN", every_s = 2,
      line = "GET /orders/{rand:780-990}112 404 order not found db={pick:pg-2|pg-3}" },
    { when = 'order_read_after_write_404_pct > 20', src = "order", level = "INFO", every_s = 5,
      line = "GET /orders/{rand:780-990}112 200 db={pick:pg-2|pg-3} (customer refreshed)" },
    { when = 'db_wal_rate_mb_s > 50', src = "catalog-import", level = "INFO", every_s = 5,
      line = "batch {rand:100-1999}/2000 updated 1000 rows (products.price)" },
  },

  relevant_alerts = { "ALRT-REPL", "ALRT-404" },
  root_cause = "read-after-write-on-lagging-replica",
  near_miss = {
    { id = "replication-lag", why = "yes, the replicas lag — but lag is normal for async replicas; what reads them too soon?" },
  },
  decoys = { "order-write-failing", "cache-stale", "replica-broken" },

  slo = {
    'order_read_after_write_404_pct < 0.1',
  },
  hold_s = 120,

  -- A session's reads after its write no longer land on a lagging replica.
  mitigated = function(w)
    return w:get("repl.sticky_s.order") >= 0.4
        or w:get("repl.replicas.order") == 0
        or w:get("repl.causal.order") == 1
        or w:get_str("svc.order.version") == "v5.2.2"
        or w:get("repl.rate.catalog-import") <= 0.25
        or w:get("repl.enabled.catalog-import") == 0
  end,

  -- Read-your-writes by design: the POST returns the order, or reads are
  -- causal, or commits wait for a replica and sessions stick.
  fixed = function(w)
    return w:get_str("svc.order.version") == "v5.2.2"
        or w:get("repl.causal.order") == 1
        or (w:get("repl.sync") == 1 and w:get("repl.sticky_s.order") >= 0.4)
  end,

  probe = {
    after_fix_s = 30, duration_s = 300,
    run = function(w)
      w:set("repl.enabled.catalog-import", 1)
      w:set("repl.rate.catalog-import", 1)
      w:log("catalog-import", "INFO", "catalog-import re-run at full speed")
    end,
  },

  patches = {
    ["return-order-in-post"] = { svc = "order", version = "v5.2.2", build_s = 420,
      desc = "POST /orders returns the order body: no redirect, no read-back",
      apply = function(w) w:set("route.GET /orders/:id.rps", 0) end },
  },

  classify = {
    works = { "enable sticky-reads order*", "enable causal-reads order*",
              "set order.read_target primary", "set job:catalog-import.rate *",
              "enable sync-repl *", "deploy order return-order-in-post" },
    harmful = {
      { match = "run db failover *", class = "critical",
        why = "promotes a replica seconds behind: the committed orders it never received are lost" },
      { match = "restart pg-2", class = "major",
        why = "its reads shift to pg-3 and it falls further behind while it catches up" },
      { match = "restart pg-3", class = "major",
        why = "its reads shift to pg-2 and it falls further behind while it catches up" },
      { match = "scale db.replicas *", class = "useless",
        why = "a new replica takes 30+ minutes and replays the same WAL at the same speed" },
      { match = "run cache flush*", class = "useless", why = "the 404s come from the database, not the cache" },
    },
  },

  hints = {
    "Only GET /orders/:id right after an order is placed returns 404; refreshing later works. Where do reads go?",
    "show db repl shows the replicas' lag and who writes the WAL; show svc order shows reads going to replicas.",
    "Reads on a replica that is 0.5-2 s behind miss orders written 0.2 s ago: read-after-write-on-lagging-replica. Make a session's reads sticky to the primary, then causal.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "A replication-lag alert above 1 s and a per-replica lag dashboard",
      "Read-your-writes for critical flows (sticky or causal reads)",
      "Synchronous replication for orders and payments",
      "A WAL-rate budget for bulk jobs",
    },
    root_cause = {
      systemic = "The order page reads a just-written order from an async replica, with no read-your-writes guarantee",
      symptom  = "Replication lag reached 2 s and new orders returned 404",
      wrong    = "The replicas were broken and had stopped applying changes",
      blame    = "The catalog team was careless to run a 2M-row import at the lunch peak",
    },
    distractors = {
      "Add more read replicas to spread the lag",
      "Fail over to the least-lagging replica whenever lag passes 1 s",
      "Flush the cache when customers report missing orders",
    },
    monitors = {
      { text = "Replication lag above 1 s, per replica",
        match = { "enable alert * db_replication_lag_s*", "enable alert ALRT-REPL" } },
      { text = "A spike of 404s on GET /orders/:id",
        match = { "enable alert * http_404_per_s*", "enable alert * order_read_after_write_404_pct*",
                  "enable alert ALRT-404" } },
      { text = "WAL rate of bulk jobs above their budget",
        match = { "enable alert * db_wal_rate_mb_s*" } },
    },
    card = {
      symptom    = "Right after placing an order, customers see \"order not found\"; a refresh a couple of seconds later shows it, and nothing else looks wrong.",
      root_cause = "The write goes to the primary, but the redirected read 150-400 ms later lands on an async replica that a bulk import has put 0.5-2 s behind.",
      solution   = "Send a session's reads to the primary for a few seconds after it writes, then make reads causal (LSN token) or return the order from the POST; sync replication for orders.",
      prevention = "Alert on replication lag above 1 s with a per-replica dashboard, guarantee read-your-writes on critical flows, and give bulk jobs a WAL-rate budget.",
    },
    bad_records = { param = "repl.lost_writes", what = "orders lost in a failover" },
  },

  signals = {
    components = { "repl", "order", "catalog-import", "pg-2", "pg-3", "wal" },
    scope = { "orders/:id", "order page", "order details", "read-after-write", "new order" },
    fix_work = { "enable causal-reads order*", "deploy order *", "enable sync-repl *" },
    recent_change = nil,
    isolating = { "enable sticky-reads order*", "enable causal-reads order*",
                  "set job:catalog-import.rate *" },
    global = { "set order.read_target primary", "run db failover *", "restart *",
               "run cache flush*", "ratelimit *" },
    -- catalog-import belongs to the catalog team.
    other_team = { "set job:catalog-import.*", "kill job catalog-import" },
  },

  expert = [[
# An expert response to §1.4: the lag page and the 404s; the replicas'
# lag and its WAL source; reads of a fresh order go to a replica.  Send a
# session's reads to the primary right after its write, then make reads
# causal so a replica waits for the session's LSN.
1:10 ack ALRT-REPL
1:20 show db repl
1:25 show svc order
1:30 logs order
1:40 diagnose read-after-write-on-lagging-replica
1:45 enable sticky-reads order window=5s
1:50 enable causal-reads order
1:55 note order reads after a write hit replicas 0.5-2 s behind (catalog-import WAL bursts); sticky reads 5 s, then causal reads
5:00 show db repl
10:00 show db repl
]],
}
