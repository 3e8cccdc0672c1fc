-- ShopCo: the baseline world of catalog A.3 that incidents override.
-- A gateway in front of product, order, search and user; order calls
-- payment, which calls the external payment gateway; one Postgres primary
-- with ~420 of its 500 connections in use.  Callees are declared before
-- their callers.
return {
  id = "shopco",
  build = function(w)
    w:db{ name = "pg-1", max_connections = 500, reserved = 3,
          other_connections = 150, vcpu = 32, other_cpu_pct = 20 }
    -- Async streaming replicas in AZ-b and AZ-c (catalog A.3): WAL
    -- 12 MB/s at rest, 60 MB/s of replay each, lag 20 ms.
    w:db{ name = "pg-2", max_connections = 500, reserved = 3,
          other_connections = 40, vcpu = 32, other_cpu_pct = 10 }
    w:db{ name = "pg-3", max_connections = 500, reserved = 3,
          other_connections = 40, vcpu = 32, other_cpu_pct = 10 }
    w:replication{ primary = "pg-1", replicas = { "pg-2", "pg-3" },
                   wal_mb_s = 12, replay_mb_s = 60 }
    w:external{ name = "paygw", p50_ms = 200, p99_ms = 400 }
    -- Redis: 10 shards of 100,000 ops/s, each at ~20% from other keys.
    w:cache{ shards = 10, capacity = 100000, base_ops = 20000, timeout_ms = 200 }

    w:service{ name = "payment", instances = 4, threads = 20,
      version = "v3.8.2", prev_version = "v3.8.1", startup_s = 90,
      classes = { { name = "charge", cpu_ms = 5, calls = { { to = "paygw" } } } } }
    w:edge{ name = "payment->paygw", timeout_s = 60 }

    w:service{ name = "inventory", instances = 4, threads = 20,
      version = "v2.2.0", prev_version = "v2.1.9",
      pools = { { name = "main", per_instance = 10, acquire_timeout_s = 30 } },
      classes = { { name = "reserve", cpu_ms = 3, db = "write", db_ms = 10 } } }

    w:service{ name = "order", instances = 5, threads = 40,
      version = "v5.2.1", prev_version = "v5.2.0", boot_s = 30,
      queue_per_instance = 100,
      pools = { { name = "main", per_instance = 10, acquire_timeout_s = 30 } },
      hpa = { min = 5, max = 15, target_pct = 80, metric = "threads",
              cooldown_s = 300 },
      classes = {
        { name = "read", cpu_ms = 3, db = "read", db_ms = 50 },
        { name = "write", cpu_ms = 3, db = "write", db_ms = 50 },
        { name = "checkout", cpu_ms = 3, db = "write", db_ms = 50,
          calls = { { to = "payment", class = "charge" } } },
        { name = "recent", cpu_ms = 1 },
      } }
    w:edge{ name = "order->payment", timeout_s = 30 }

    w:service{ name = "product", instances = 20, threads = 20,
      version = "v2.13.4", prev_version = "v2.13.3",
      pools = { { name = "main", per_instance = 5, acquire_timeout_s = 30 } },
      classes = {
        { name = "page", cpu_ms = 10, db = "read", db_ms = 5, error_pct = 0.1,
          calls = { { to = "order", class = "recent", p = 0.1 } } },
      } }
    w:edge{ name = "product->order", timeout_s = 0.3, optional = true }

    w:service{ name = "search", instances = 4, threads = 50, cores = 8,
      version = "v7.0.3", prev_version = "v7.0.2",
      classes = { { name = "query", cpu_ms = 20 } } }

    w:service{ name = "user", instances = 8, threads = 20,
      version = "v4.1.0", prev_version = "v4.0.9",
      pools = { { name = "main", per_instance = 10, acquire_timeout_s = 30 } },
      classes = { { name = "profile", cpu_ms = 4, db = "read", db_ms = 5 } } }

    w:route{ name = "GET /products/:id", svc = "product", class = "page", rps = 4000 }
    w:route{ name = "GET /orders/history", svc = "order", class = "read", rps = 400 }
    w:route{ name = "POST /orders", svc = "order", class = "write", rps = 75 }
    w:route{ name = "POST /checkout", svc = "order", class = "checkout", rps = 25 }
    w:route{ name = "GET /search", svc = "search", class = "query", rps = 800 }
    w:route{ name = "GET /users/me", svc = "user", class = "profile", rps = 1500 }

    -- The standard alert catalog (A.2.11), as far as this world has metrics.
    w:alert{ id = "ALRT-ERR", expr = "gw_error_ratio_pct > 1", for_s = 60,
      summary = "route error ratio above 1%" }
    w:alert{ id = "ALRT-P99", expr = "gw_latency_p99_ms > 2x", for_s = 120,
      summary = "route p99 above twice its baseline" }
    w:alert{ id = "ALRT-POOL", expr = "db_pool_utilization_pct > 70", for_s = 30,
      summary = "DB connection pool above 70% in use" }
    w:alert{ id = "ALRT-DBCPU", expr = "db_cpu_pct > 90", for_s = 30,
      summary = "database CPU above 90%" }
    w:alert{ id = "ALRT-DBCONN", expr = "db_connections_refused > 0",
      summary = "database refusing connections (max_connections)" }
    w:alert{ id = "ALRT-SLOWQ", expr = "db_longest_query_s > 30",
      summary = "a query has run for more than 30 s" }
    w:alert{ id = "ALRT-DEADLOCK", expr = "db_deadlocks_per_min > 0",
      summary = "the database is resolving deadlocks" }
    w:alert{ id = "ALRT-HIT", expr = "cache_hit_drop_pct > 20",
      summary = "cache hit ratio fell more than 20 points in a minute" }
    w:alert{ id = "ALRT-SHARD", expr = "cache_shard_cpu_pct > 90", for_s = 60,
      summary = "a cache shard above 90% CPU" }
    -- Lag saw-tooths under bulk writes; any second above 1 s pages.
    w:alert{ id = "ALRT-REPL", expr = "db_replication_lag_s > 1",
      summary = "replication lag above 1 s" }
    w:alert{ id = "ALRT-404", expr = "http_404_per_s > 10x",
      summary = "404s above ten times their baseline" }
    w:alert{ id = "ALRT-THREADS", expr = "svc_threads_busy_pct > 90", for_s = 60,
      severity = "info", summary = "worker threads saturated" }

    -- Background noise: fires in every scenario and never counts.
    w:gauge{ name = "host_disk_used_pct", label = { "host", "ci-runner-3" }, value = 93 }
    w:alert{ id = "ALRT-CI-DISK", expr = 'host_disk_used_pct{host="ci-runner-3"} > 90',
      severity = "ticket", noise = true, summary = "ci-runner-3 disk above 90%" }

    w:change{ at_s = -3 * 86400, who = "ci", target = "order",
      text = "deploy order v5.2.1 (rolling)" }
    w:change{ at_s = -26 * 3600, who = "ci", target = "search",
      text = "deploy search v7.0.3 (rolling)" }
    w:change{ at_s = -6 * 86400, who = "ci", target = "product",
      text = "deploy product v2.13.4 (rolling)" }
  end,
}
