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
  },
}
