-- Fixture for catalog E.1 row 24: 2,000,000 keys with a one-day TTL,
-- warmed at 10% a minute with TTL jitter of 10% (8,640 s), on a world
-- with no traffic, so the expiries a day later are the warm's alone.
return {
  api = 1,
  id = "fixture-warm-jitter",
  section = "0.4",
  title = "Fixture: a staggered, jittered warm-up",
  severity = "P1",
  platform = "shopco",
  world = function(w)
    for _, r in ipairs({ "GET /products/:id", "GET /orders/history", "POST /orders",
                         "POST /checkout", "GET /search", "GET /users/me" }) do
      w:set("route." .. r .. ".rps", 0)
    end
    w:keyspace{ pattern = "product:*", keys = 2000000, ttl_s = 86400,
                hit_max = 0.96, fill_s = 0.02, load_cpu_ms = 2, dup = 0,
                spread = false }
  end,
  root_cause = "fixture",
  slo = { 'gw_error_ratio_pct{route="GET /products/:id"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 1000000 },
}
