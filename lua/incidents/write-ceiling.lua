-- §6.2 Database writes outgrowing a single node.
--
-- Teaches: write IOPS are rows x (1 + indexes) + commits.  The events
-- table takes 1,500 single-row autocommit INSERTs a second into 7 indexes,
-- three of them never read: 13,500 of the volume's 16,000 IOPS, growing 4%
-- a week, and the 11:00 peak takes it to 95% where every commit waits.
-- Cheapest first: drop the unused indexes, batch the inserts, then plan
-- the capacity.  Trap: dropping the index that is used turns 23 lookups a
-- second into sequential scans of 2 billion rows; fsync off trades the
-- ceiling for corruption.

local pg1 = '{node="pg-1"}'
local WEEKLY = 1.04

return {
  api = 1,
  id = "write-ceiling",
  section = "6.2",
  title = "Database Writes Outgrowing a Single Node",
  difficulty = 2,
  severity = "P3",
  clock = "2025-03-10T10:00:00",
  platform = "shopco",
  briefing = [[
Monday, 10:00.  Checkout commits have been getting slower week over week;
this morning the volume behind pg-1 (gp3, 16,000 IOPS, WAL on the same
disk) pages.  The 11:00 peak is an hour away.  You are the database
on-call.]],

  world = function(w)
    w:table{ name = "events", rows = 2000000000, size_gb = 900,
             indexes = { "events_pkey(id)",
                         "idx_events_user_created(user_id,created_at)",
                         "idx_events_type(type)",
                         "idx_events_product(product_id)",
                         "idx_events_session(session_id)",
                         "idx_events_referrer(referrer)",
                         "idx_events_ua(user_agent)" },
             -- 30 days of idx_scan: three never read.
             index_scans = { events_pkey = 4100000, idx_events_user_created = 60000000,
                             idx_events_type = 120000, idx_events_product = 2900000,
                             idx_events_session = 0, idx_events_referrer = 0,
                             idx_events_ua = 0 } }
    w:table{ name = "orders", rows = 500000000, size_gb = 700,
             indexes = { "orders_pkey(id)" },
             used_by = { "order.write", "order.checkout" } }
    w:disk{ db = "pg-1", size_gb = 4000, tables_gb = 1600, indexes_gb = 700,
            pg_wal_gb = 40, logs_gb = 10, wal_gb_per_h = 2, iops_limit = 16000,
            io_base_ms = 5.6 }
    w:service{ name = "ingestion", instances = 6, threads = 20,
      version = "v3.8.0", prev_version = "v3.7.2",
      classes = { { name = "event", cpu_ms = 1 } } }
    w:flag{ name = "batch_inserts", svc = "ingestion", on = false,
            desc = "COPY events in batches of 1,000 rows instead of one INSERT each" }
    w:writes{ table = "events", name = "INSERT INTO events", rows_per_s = 1500,
              batch_rows = 1000, batch_flag = "batch_inserts" }
    -- The users' activity feed reads events by (user_id, created_at):
    -- 23 lookups a second, each 2 ms on its index.
    w:query{ id = "Q-5e21", table = "events", where = { "user_id", "created_at" },
             sql = "SELECT * FROM events WHERE user_id=$1 AND created_at>$2 ORDER BY created_at DESC LIMIT 50",
             scan_rows_per_s = 2000000, workers = 4, index_ms = 2 }
    w:job{ name = "activity-feed", query = "Q-5e21", every_s = 1, app = "user" }
    w:alert{ id = "ALRT-IOPS", expr = 'db_iops_util_pct > 80', for_s = 60,
             summary = "database volume write IOPS above 80% of the limit" }
    -- The capacity-plan monitor is a prevention item: declared, off.
    w:alert{ id = "ALRT-IOPS-FORECAST", expr = 'db_iops_util_pct > 70', for_s = 600,
             summary = "write IOPS on course to the volume's limit within 4 weeks",
             muted = true }
  end,

  events = {
    -- The Monday ramp to the 11:00 peak: +13% rows by 11:00.
    { at = 0, note = "Monday traffic ramps to the 11:00 peak",
      run = function(w) w:ramp("writes.events.rows_per_s", 1500, 1700, 3600) end },
  },

  logs = {
    { when = 'db_iops_util_pct' .. pg1 .. ' > 80', src = "pg-1", level = "LOG", every_s = 24,
      line = "checkpoints are occurring too frequently (24 seconds apart)" },
    { when = 'db_iops_util_pct' .. pg1 .. ' > 80', src = "pg-1", level = "HINT", every_s = 24,
      line = "Consider increasing the configuration parameter \"max_wal_size\"." },
    { when = 'db_write_latency_p99_ms' .. pg1 .. ' > 30', src = "ingestion", level = "WARN", every_s = 5,
      line = "INSERT INTO events ... took {rand:90-160}ms (p50 3ms)" },
  },

  relevant_alerts = { "ALRT-IOPS", "ALRT-P99" },
  root_cause = "write-iops-ceiling",
  near_miss = {
    { id = "too-many-indexes", why = "part of it: what do rows, indexes and commits add up to against the volume?" },
  },
  decoys = { "slow-query", "noisy-neighbor", "disk-full" },

  slo = {
    'db_iops_util_pct' .. pg1 .. ' < 80',
    'db_write_latency_p99_ms' .. pg1 .. ' < 30',
  },
  hold_s = 600,

  mitigated = function(w)
    return w:metric('db_iops_util_pct' .. pg1) < 70
        and w:metric('db_write_latency_p99_ms' .. pg1) < 15
  end,

  -- Two cheap optimisations standing, and the growth watched.
  fixed = function(w)
    local n = 0
    if w:get("writes.events.indexes") <= 4 then n = n + 1 end
    if w:get("flag.batch_inserts") == 1 then n = n + 1 end
    return n >= 2 and w:alert_on("ALRT-IOPS-FORECAST")
  end,

  -- Eight weeks on at 4% a week, at the peak.
  probe = {
    after_fix_s = 30, duration_s = 600,
    run = function(w)
      w:set("writes.events.rows_per_s", 1700 * WEEKLY ^ 8)
      w:log("ingestion", "INFO", "8 weeks later: events at " .. math.floor(1700 * WEEKLY ^ 8) .. " rows/s at peak")
    end,
  },

  classify = {
    works = { "run db drop-index *", "flag on batch_inserts" },
    harmful = {
      { match = "run db drop-index *idx_events_user_created*", class = "major",
        why = "2M lookups a day lose their index: sequential scans of 2 billion rows" },
      { match = "set db.fsync off", class = "critical", security = true,
        why = "a crash can now corrupt the cluster; synchronous_commit off on events alone was the trade-off" },
      { match = "run db vacuum *--full", class = "major",
        why = "AccessExclusiveLock on a table that takes 1,500 writes a second" },
      { match = "restart pg-1", class = "major", why = "every query drops; the ceiling is still there" },
      { match = "scale *", class = "useless", why = "more writers for a volume at its IOPS limit" },
    },
  },

  hints = {
    "The volume pages, not the CPU. What turns into disk writes, and how many per row?",
    "show db stats lists the writers; show db indexes events shows which indexes are ever read.",
    "1,500 rows x (1 + 7 indexes) + 1,500 commits = 13,500 of 16,000 IOPS: write-iops-ceiling. Drop the unused indexes, batch the inserts.",
  },

  lose = { budget_pct = 50, unmitigated_s = 5400 },

  postmortem = {
    prevention = {
      "IOPS and WAL-queue dashboards with a growth forecast",
      "A regular unused-index review",
      "Batched inserts for high-rate tables",
      "Write-behind for counters; UNLOGGED for non-critical data",
      "A CQRS read model, and a sharding plan as the last resort",
    },
    root_cause = {
      systemic = "No one tracked write IOPS against the volume limit; each row paid for 7 indexes and its own commit",
      symptom  = "Write latency on pg-1 grew week over week",
      wrong    = "A slow query on pg-1 is using up the disk's throughput",
      blame    = "The ingestion team was careless and put too many indexes on events",
    },
    distractors = {
      "Shard the events table by user id this quarter",
      "Turn fsync off to cut the disk's write load",
      "Drop every secondary index on events",
    },
    monitors = {
      { text = "Write IOPS on course to the volume's limit (growth forecast)",
        match = { "enable alert ALRT-IOPS-FORECAST", "enable alert * db_iops_util_pct*",
                  "enable alert * db_write_iops*" } },
      { text = "WAL write queue growing",
        match = { "enable alert * db_wal_write_queue*" } },
      { text = "Write latency p99 above twice its baseline",
        match = { "enable alert * db_write_latency_p*" } },
    },
    card = {
      symptom    = "Write latency rises week after week, the WAL write queue grows, and at peak the volume nears its IOPS limit.",
      root_cause = "Events arrive as single-row autocommit INSERTs into seven indexes, three never read: rows x (1 + indexes) + commits fill the volume's IOPS, growing 4% a week.",
      solution   = "Cheapest first: drop the unused indexes and batch the inserts, then write-behind for counters and UNLOGGED tables for data you can lose; CQRS, and sharding last.",
      prevention = "IOPS and WAL-queue dashboards with a growth forecast, a regular review of unused indexes, and batched writes for every high-rate table.",
    },
  },

  signals = {
    components = { "iops", "db stats", "indexes", "events", "pg-1", "ingestion", "write" },
    scope = { "write", "checkout", "events", "ingestion", "pg-1", "commit" },
    fix_work = { "enable alert ALRT-IOPS-FORECAST", "enable alert * db_iops_util_pct*" },
    recent_change = nil,
    isolating = { "run db drop-index *", "flag on batch_inserts", "enable write-behind *",
                  "set table.* unlogged" },
    global = { "restart *", "scale *", "ratelimit *", "set db.fsync off" },
  },

  -- Catalog D.3: the handbook's ordering, cheapest first. The cheap moves
  -- (dead indexes, batching) before buying IOPS or restarting anything.
  bonuses = {
    { why = "cheapest first: dead indexes or batching before more IOPS or a restart",
      match = { "run db drop-index *", "flag on batch_inserts" },
      before = { "scale *", "restart *", "run disk expand *", "set db.fsync off" } },
  },

  expert = [[
# An expert response to §6.2: the volume pages, not the CPU. Count the
# writes: rows x (1 + indexes) + commits. Drop the three indexes nobody
# reads, batch the inserts, and put the growth under a forecast alert.
1:05 ack ALRT-IOPS
1:15 show db stats
1:25 show db indexes events
1:40 graph db_write_iops
2:00 diagnose write-iops-ceiling
2:10 run db drop-index idx_events_session,idx_events_referrer,idx_events_ua
2:20 flag on batch_inserts
2:30 enable alert ALRT-IOPS-FORECAST
2:40 note dropped 3 unused indexes on events, batched inserts (1,000 rows); IOPS forecast alert on; capacity plan: CQRS read model, sharding as the last resort
20:00 show db stats
]],
}
