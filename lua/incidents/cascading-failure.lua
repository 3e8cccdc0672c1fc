-- §3.1 Cascading failure: one service takes down everything.
--
-- Teaches: a synchronous call without a breaker or bulkhead lets one dead
-- dependency eat every thread upstream: payment dies, order's 50 threads
-- hang on it for 30 s, product's badge calls hang on order, the gateway
-- reaches its 10,000 in-flight cap and search and user go down with it.
-- Trap: restarting the victims; they re-saturate within seconds.
local restore_probe

return {
  api = 1,
  id = "cascading-failure",
  section = "3.1",
  title = "Cascading Failure (One Service Takes Down Everything)",
  difficulty = 3,
  severity = "P1",
  clock = "2025-06-17T13:00:00",
  platform = "shopco",
  briefing = [[
Tuesday, 13:00, lunch-time traffic. You are the on-call SRE for the whole
ShopCo platform. Nothing has been deployed today. Product pages show a
"you bought this" badge that asks the order service; order calls payment
for checkouts.]],

  world = function(w)
    -- Catalog 3.1: order runs 5 pods x 10 threads and does not hold its
    -- connection across calls; the badge call waits as long as order does.
    w:set("svc.order.threads", 10)
    w:set("svc.order.queue_per_instance", 0)
    w:set("svc.order.hpa", 0)
    w:set("class.order.read.db_ms", 47)
    w:set("class.order.write.db_ms", 47)
    w:set("class.order.checkout.db_ms", 47)
    w:set("edge.product->order.timeout_ms", 30000)
  end,

  events = {
    { at = 60, note = "the node hosting every payment pod fails; SYNs are black-holed",
      run = function(w)
        w:ramp("svc.payment.loss_pct", 0, 100, 30)
        w:log("k8s", "WARN", "Node ip-10-0-7-21 NotReady; pods payment-0..3 Unknown")
      end },
  },

  logs = {
    { when = 'svc_threads_busy_pct{svc="order"} > 95', src = "order", level = "ERROR", every_s = 3,
      line = "PaymentClient: connect timed out after 30000ms (payment.svc:8443)" },
    { when = 'svc_queue_depth{svc="order"} > 100', src = "order", level = "WARN", every_s = 4,
      line = 'pool order-http exhausted (50/50 busy, {metric:svc_queue_depth{svc="order"}} queued)' },
    { when = 'svc_threads_busy_pct{svc="product"} > 95', src = "product", level = "WARN", every_s = 3,
      line = "OrderClient GET /orders/recent?user=u_{rand:1000-99999} timed out after 30000ms" },
    { when = 'gw_rejected_rps > 1', src = "gw", level = "error", every_s = 2,
      line = "503 Service Unavailable: in-flight limit 10000 reached (route {pick:/search|/users/me|/products/5521})" },
    { src = "search", level = "INFO", every_s = 9,
      line = "GET /search?q={pick:shoes|lamp|desk|mug} 200 {rand:15-40}ms" },
  },

  relevant_alerts = { "ALRT-ERR", "ALRT-P99" },
  root_cause = "sync-call-without-breaker",
  near_miss = {
    { id = "payment-down",
      why = "that is the trigger; why are search and user, which never call payment, down too?" },
  },
  decoys = { "gateway-overload", "traffic-spike", "db-overload" },

  slo = {
    'gw_error_ratio_pct{route!="POST /checkout"} < 1',
    'gw_latency_p99_ms{route="GET /search"} < 100',
    'gw_latency_p99_ms{route="GET /users/me"} < 100',
  },
  hold_s = 120,

  mitigated = function(w)
    return fd.breaker_open(w, "order->payment")
        or fd.breaker_open(w, "product->order")
        or w:get("flag.async_payment") == 1
        or w:get("edge.order->payment.bulkhead") > 0
        or w:get("svc.payment.loss_pct") == 0
  end,

  -- Automatic breakers on both sync edges, plus a bulkhead or short timeout.
  fixed = function(w)
    return fd.breaker_auto(w, "order->payment")
       and fd.breaker_auto(w, "product->order")
       and (w:get("edge.order->payment.bulkhead") > 0
            or w:get("edge.order->payment.timeout_ms") <= 3000)
  end,

  probe = {
    after_fix_s = 60, duration_s = 120,
    run = function(w)
      restore_probe = fd.saved(w, { "svc.payment.loss_pct" })
      w:set("svc.payment.loss_pct", 100)
      w:log("chaos", "INFO", "chaos experiment: payment pods black-holed for 2 minutes")
    end,
    restore = function(w) if restore_probe then restore_probe() end end,
  },

  flags = {
    async_payment = { svc = "order", default = false,
      desc = "accept the order now, charge the card from a queue",
      on = function(w) w:set("edge.order->payment.async", 1) end,
      off = function(w) w:set("edge.order->payment.async", 0) end },
  },

  classify = {
    works = { "breaker open order->payment", "breaker open product->order",
              "flag on async_payment", "enable bulkhead order->payment *",
              "restart payment*" },
    harmful = {
      { match = "restart order*", class = "major",
        why = "order re-saturates within seconds; cold JVMs and in-flight orders are lost" },
      { match = "restart product*", class = "major",
        why = "product re-saturates within seconds; cold JVMs and in-flight requests are lost" },
      { match = "scale order *", class = "minor",
        why = "more threads to hang on a dead dependency, and more DB connections" },
      { match = "set order->payment.retries *", class = "major",
        why = "retries triple the load on a dependency that is already dead" },
    },
  },

  hints = {
    "Every route fails, but the services did not all break at once: follow the calls from the gateway down.",
    "show map and trace GET /products/:id show where the threads wait.",
    "A synchronous call with no breaker lets a dead payment take everyone down: sync-call-without-breaker.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Keep a dependency map of every synchronous call",
      "Circuit breakers on every sync edge (5 failures in 10 s, open 30 s, one probe)",
      "Bulkheads: separate thread pools per downstream (10/10/30)",
      "Timeouts: connect 1 s, read 3 s; 3 retries with jittered backoff inside a 10 s budget",
      "Graceful degradation for non-critical dependencies (the badge)",
      "Chaos engineering: kill payment on purpose, weekly",
      "Pod anti-affinity so one node cannot host every replica",
    },
    root_cause = {
      systemic = "Sync calls had 30 s timeouts and no breaker or bulkhead, so a dead payment ate every caller's threads",
      symptom  = "Every route returned 503 once the gateway hit its in-flight limit",
      wrong    = "The API gateway was overloaded by lunch-time traffic",
      blame    = "The order team forgot to put a circuit breaker on the payment client",
    },
    distractors = {
      "Raise the gateway's in-flight limit to 50,000",
      "Retry failed payment calls three times",
      "Give the order service more pods and threads",
    },
    monitors = {
      { text = "Worker threads busy above 90% per service",
        match = { "enable alert *svc_threads_busy_pct*", "enable alert ALRT-THREADS" } },
      { text = "Timeouts per second on each dependency call",
        match = { "enable alert *dep_timeouts_per_s*" } },
      { text = "Error ratio above 1% per route",
        match = { "enable alert *error_ratio_pct*", "enable alert ALRT-ERR" } },
    },
    card = {
      symptom    = "Payment fails, then order slows, then product, then the gateway: the whole platform returns 503, even routes that never touch payment.",
      root_cause = "Order calls payment synchronously with a 30 s timeout; each thread hangs on the dead service until the pool is gone, and every caller of order hangs the same way.",
      solution   = "Open a circuit breaker so calls to the dead service fail in a millisecond, give each downstream its own small thread pool, cap timeouts at 1 s connect / 3 s read, and degrade non-critical features.",
      prevention = "Keep a map of who calls whom synchronously and break things on purpose (chaos engineering) to prove the breakers, bulkheads and timeouts work.",
    },
  },

  signals = {
    components = { "payment", "order", "product", "map" },
    scope = { "all ", "platform", "every", "entire", "whole" },
    fix_work = { "enable breaker *", "enable bulkhead *", "set *->*.timeout *",
                 "breaker auto *" },
    isolating = { "breaker open *", "enable bulkhead *", "flag on async_payment" },
    global = { "restart order*", "restart product*", "restart gw*", "restart search*",
               "restart user*", "ratelimit gw:*", "scale order *", "scale product *" },
  },

  expert = [[
# An expert response to §3.1: acknowledge, follow the calls down from the
# gateway, cut the dead dependency off with a breaker so the threads
# drain, then make breakers automatic on both sync edges and fence the
# payment path behind a bulkhead and a short timeout.
2:01 ack ALRT-ERR
2:05 show map
2:15 trace GET /products/:id
2:25 show svc order
2:35 show svc payment
2:40 changes --since 1d
2:45 breaker open order->payment
2:50 breaker open product->order
2:55 note opened breakers on order->payment and product->order: threads drain, pages render without the badge
3:00 diagnose sync-call-without-breaker
3:10 restart payment
3:20 set order->payment.timeout 3s
3:25 enable bulkhead order->payment threads=10
3:30 enable breaker order->payment
3:35 enable breaker product->order
3:40 set product->order.timeout 300ms
8:00 show svc payment
8:10 breaker auto product->order
8:20 breaker auto order->payment
8:30 note payment rescheduled on healthy nodes; breakers back to automatic
]],
}
