-- Fixture for catalog E.1 row 26: order as in 3.1 (5 x 10 threads, the
-- connection released before calls) with payment black-holed at t = 20 s,
-- and a gateway cap high enough that order's own arithmetic shows.
return {
  api = 1,
  id = "fixture-threads-hang",
  section = "0.2",
  title = "Fixture: thread demand behind a hung dependency",
  severity = "P1",
  platform = "shopco",
  world = function(w)
    w:set("svc.order.threads", 10)
    w:set("svc.order.queue_per_instance", 0)
    w:set("svc.order.hpa", 0)
    w:set("class.order.read.db_ms", 47)
    w:set("class.order.write.db_ms", 47)
    w:set("class.order.checkout.db_ms", 47)
    w:set("gw.inflight_max", 1000000)
  end,
  events = {
    { at = 20, note = "payment black-holed", run = function(w)
        w:set("svc.payment.loss_pct", 100)
      end },
  },
  root_cause = "fixture",
  slo = { 'gw_error_ratio_pct{route="GET /search"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
}
