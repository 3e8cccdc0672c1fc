-- Fixture for catalog E.1 row 35: pg-1 at 30% from us, then another
-- tenant's batch adds 55%, 60% and 62% of the node for a minute each
-- (rho 0.85, 0.90, 0.92), with quiet minutes between.
return {
  api = 1,
  id = "fixture-noisy-rho",
  section = "0.35",
  title = "Fixture: a tenant's batch on our database at three loads",
  severity = "P2",
  platform = "shopco",
  world = function(w)
    w:set("db.pg-1.other_cpu_pct", 11.3)
    w:set("class.order.read.db_ms", 8)
    w:set("class.order.write.db_ms", 8)
    w:set("class.order.checkout.db_ms", 8)
    w:set("class.product.page.db_ms", 1.5)
    w:tenant{ name = "shop", db = "pg-1", ours = true }
    w:tenant{ name = "batch", db = "pg-1", pool_size = 40, iops = 9000,
              job = "batch-etl", runs = {
                { at = 100, for_s = 60, cpu_pct = 55 },
                { at = 200, for_s = 60, cpu_pct = 60 },
                { at = 300, for_s = 60, cpu_pct = 62 } } }
  end,
  root_cause = "fixture",
  slo = { 'gw_error_ratio_pct{route="POST /orders"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
}
