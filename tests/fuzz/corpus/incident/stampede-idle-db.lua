-- Fixture for catalog E.1 row 18: one hot key of 10,000 rps expiring at
-- t = 10 s with a 1.6 s refill and 60 ms of database CPU per load, on a
-- 32-core database with nothing else to do.
return {
  api = 1,
  id = "fixture-stampede",
  section = "0.3",
  title = "Fixture: a hot key's expiry on an idle database",
  severity = "P1",
  platform = "shopco",
  world = function(w)
    w:set("db.pg-1.other_cpu_pct", 0)
    for _, r in ipairs({ "GET /products/:id", "GET /orders/history", "POST /orders",
                         "POST /checkout", "GET /search", "GET /users/me" }) do
      w:set("route." .. r .. ".rps", 0)
    end
    w:set("gw.inflight_max", 100000)
    w:keyspace{ pattern = "home:*", keys = 1, ttl_s = 3600, fill_s = 1.6,
                load_cpu_ms = 60, dup = 0, hit_max = 1 }
    w:hotkey{ key = "home:products", keyspace = "home:*", shard = 2,
              rps = 10000, ttl_s = 3600, expires_at = 10 }
    w:service{ name = "web", instances = 20, threads = 1000,
      classes = { { name = "home", cpu_ms = 1, cache_key = "home:products" } } }
    w:route{ name = "GET /home", svc = "web", class = "home", rps = 10000 }
  end,
  root_cause = "fixture",
  slo = { 'gw_error_ratio_pct{route="GET /home"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
}
