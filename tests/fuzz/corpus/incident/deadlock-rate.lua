-- Fixture for catalog E.1 row 14: ShopCo with the checkout/inventory-sync
-- lock-order pair of §1.3 at a constant 100 sync tx/s, no autoscaler,
-- and checkout stepping (not ramping) from 150 to 300 tx/s at t = 60 s.
return {
  api = 1,
  id = "fixture-deadlock-rate",
  section = "0.3",
  title = "Fixture: deadlock rate arithmetic",
  severity = "P2",
  platform = "shopco",
  world = function(w)
    w:table{ name = "orders", rows = 500000000, indexes = { "orders_pkey(id)" } }
    w:table{ name = "products", rows = 2000000, indexes = { "products_pkey(id)" } }
    w:service{ name = "inventory-sync", instances = 2, threads = 50,
      version = "v1.4.0",
      pools = { { name = "main", per_instance = 5, acquire_timeout_s = 30 } },
      classes = { { name = "sync", cpu_ms = 2, db = "write", db_ms = 20 } } }
    w:route{ name = "POST /internal/inventory/sync", svc = "inventory-sync",
             class = "sync", rps = 100 }
    w:job{ name = "inventory-sync", route = "POST /internal/inventory/sync",
           app = "inventory-sync", rate = 100, workers = 1 }
    w:deadlock{ a = "order.checkout", b = "inventory-sync.sync",
                tables = { "orders", "products" },
                kappa = 2 / (150 * 100), hot_pct = 1.2 }
    w:set("svc.order.hpa", 0)
    w:set("svc.order.threads", 200)
    w:set("db.pg-1.other_connections", 0)
    w:set("svc.order.db_pool", 270)
    w:set("route.POST /checkout.rps", 150)
  end,
  events = {
    { at = 60, note = "checkout doubles", run = function(w)
        w:set("route.POST /checkout.rps", 300)
      end },
  },
  root_cause = "fixture",
  slo = { 'db_deadlocks_per_min{node="pg-1"} < 0.01' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
}
