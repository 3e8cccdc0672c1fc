-- Fixture for the handbook's pool arithmetic (catalog E.1 rows 1-10):
-- ShopCo with order holding its connection across the payment call, no
-- autoscaler, and a payment gateway that steps (not ramps) to exactly
-- 30 s at t = 10 s and recovers at t = 35 s, so times can be measured.
return {
  api = 1,
  id = "fixture-pool-hold",
  section = "0.1",
  title = "Fixture: connection hold arithmetic",
  severity = "P1",
  platform = "shopco",
  world = function(w)
    w:set("svc.order.hold_conn_across_calls", 1)
    w:set("svc.order.hpa", 0)
  end,
  events = {
    { at = 10, note = "paygw steps to 30 s", run = function(w)
        w:set("ext.paygw.latency_p50_ms", 30000)
        w:set("ext.paygw.latency_p99_ms", 30000)
      end },
    { at = 35, note = "paygw back to 200 ms", run = function(w)
        w:set("ext.paygw.latency_p50_ms", 200)
        w:set("ext.paygw.latency_p99_ms", 400)
      end },
  },
  root_cause = "fixture",
  slo = { 'gw_error_ratio_pct{route="GET /orders/history"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
}
