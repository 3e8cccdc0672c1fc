-- §1.5 Database disk full: writes fail.
--
-- Teaches: a volume at 99.6% with nobody watching, because the WAL archive
-- has been written to the local disk for twenty days and never rotated.
-- The nightly bulk-archive job writes 1 GB of WAL and 1.2 GB of heap bloat
-- a minute, and 8 GB of headroom lasts 3.6 minutes.  Every INSERT and
-- UPDATE then fails; reads still work.  Free space where it is safe to
-- (archived WAL older than the last base backup), stop the burst, then
-- ship the archive to object storage and put a monitor on the volume.
-- Trap: deleting pg_wal PANICs the primary; cleaning the archive past the
-- last base backup breaks point-in-time recovery; VACUUM FULL needs a
-- second copy of the table it cannot have.

local pg1 = '{node="pg-1"}'

return {
  api = 1,
  id = "db-disk-full",
  section = "1.5",
  title = "Database Disk Full: Writes Fail",
  difficulty = 1,
  severity = "P1",
  clock = "2025-03-09T01:55:00",
  platform = "shopco",
  briefing = [[
Sunday, 01:55.  Quiet night shop traffic.  The nightly bulk-archive job
(marks pre-2023 orders archived) is scheduled for 02:00.  There is no disk
monitor on the database volume.  You are the database on-call.]],

  world = function(w)
    w:table{ name = "orders", rows = 500000000, size_gb = 700,
             indexes = { "orders_pkey(id)", "idx_orders_customer_id(customer_id)" },
             used_by = { "order.read", "order.write", "order.checkout" } }
    -- 2,000 GB: 1,150 of tables (orders 700), 300 of indexes, 40 of
    -- pg_wal, 480 of archived WAL (20 days x 24 GB) and 22 of logs.
    w:disk{ db = "pg-1", size_gb = 2000, tables_gb = 1150, indexes_gb = 300,
            pg_wal_gb = 40, wal_archive_gb = 480, logs_gb = 22,
            wal_gb_per_h = 1, table_gb_per_h = 0.05, log_gb_per_h = 0.024,
            basebackup_age_s = 2 * 86400, archived_since_basebackup_gb = 48 }
    w:service{ name = "bulk-archive", instances = 1, threads = 4,
      version = "v2.0.1", prev_version = "v2.0.0",
      classes = { { name = "batch", cpu_ms = 5 } } }
    -- UPDATE orders SET archived = true WHERE created_at < '2023-01-01':
    -- 50M rows in batches of 100,000 at about 60,000 rows a second.
    w:job{ name = "bulk-archive", table = "orders", app = "bulk-archive",
           rows_per_s = 60000, rows = 50000000, wal_gb_per_min = 1.0,
           bloat_gb_per_min = 1.2, start_s = 300 }
    -- The volume monitor is a prevention item: declared, switched off.
    w:alert{ id = "ALRT-DISK", expr = 'db_disk_used_pct > 70', for_s = 60,
             summary = "database volume above 70%", muted = true }
  end,

  events = {
    { at = 300, note = "02:00: the scheduler starts bulk-archive",
      run = function(w) w:log("bulk-archive", "INFO", "start: 50000000 rows, batches of 100000") end },
  },

  logs = {
    { when = 'db_disk_free_gb' .. pg1 .. ' < 1', src = "pg-1", level = "HINT", every_s = 5,
      line = "Check free disk space." },
    { when = 'db_disk_free_gb' .. pg1 .. ' < 1', src = "order", level = "ERROR", every_s = 2,
      line = "POST /orders 500: could not extend file \"base/16384/16423.{rand:100-999}\": No space left on device" },
    { when = 'db_disk_free_gb' .. pg1 .. ' < 1', src = "order", level = "INFO", every_s = 3,
      line = "GET /orders/history 200 {rand:40-60}ms" },
  },

  relevant_alerts = { "ALRT-ERR" },
  root_cause = "wal-archive-no-rotation",
  near_miss = {
    { id = "bulk-job-wal-burst", why = "that is the trigger; what had already eaten the other 480 GB?" },
  },
  decoys = { "disk-hardware-failure", "log-volume", "replication-slot" },

  slo = {
    'gw_error_ratio_pct{route="POST /orders"} < 1',
    'gw_error_ratio_pct{route="POST /checkout"} < 1',
  },
  hold_s = 120,

  -- Writes work again with at least 10% of the volume free.
  mitigated = function(w)
    return w:get("db.pg-1.disk.full") == 0
        and w:metric('db_disk_used_pct' .. pg1) < 90
  end,

  -- The archive leaves the volume, and the volume is watched.
  fixed = function(w)
    return w:get("db.pg-1.disk.archive_s3") == 1
        and w:get("db.pg-1.disk.retain_local_s") <= 86400
        and (w:alert_on("ALRT-DISK") or w:get("db.pg-1.disk.autoexpand_at_pct") > 0)
  end,

  -- Tomorrow night: the job runs again over another 50M rows.
  probe = {
    after_fix_s = 30, duration_s = 600,
    run = function(w)
      w:set("job.bulk-archive.enabled", 1)
      w:set("job.bulk-archive.rows_total", w:get("job.bulk-archive.rows_done") + 50000000)
      w:log("bulk-archive", "INFO", "start: 50000000 rows, batches of 100000")
    end,
  },

  classify = {
    works = { "run disk clean pg-1 wal-archive --before-last-basebackup",
              "run disk expand pg-1 *", "kill job bulk-archive",
              "run disk clean pg-1 logs *" },
    harmful = {
      { match = "run disk clean pg-1 pg_wal*", class = "critical", security = true,
        why = "pg_wal is the live write-ahead log: the primary PANICs and needs a restore" },
      { match = "run disk clean pg-1 wal-archive --older *h", class = "major",
        why = "deletes WAL archived since the last base backup: point-in-time recovery is gone" },
      { match = "run disk clean pg-1 wal-archive --older 1d", class = "major",
        why = "deletes WAL archived since the last base backup: point-in-time recovery is gone" },
      { match = "run db vacuum orders --full", class = "major",
        why = "VACUUM FULL needs ~700 GB free for its copy; it locks orders and fails" },
      { match = "restart pg-1", class = "major",
        why = "a restart frees nothing; the volume is still full and every query drops" },
      { match = "scale *", class = "useless", why = "more clients do not make disk space" },
    },
  },

  hints = {
    "Writes fail and reads work. What does a database need to write that it does not need to read?",
    "show db disk breaks the volume down by category; look at what is not tables or indexes.",
    "480 GB of archived WAL, 20 days of it, never rotated: wal-archive-no-rotation. Clean what predates the last base backup.",
  },

  lose = { budget_pct = 50, unmitigated_s = 2700 },

  postmortem = {
    prevention = {
      "A disk alert at 70% and auto-expand at 80%",
      "WAL archiving to S3, local copies deleted after 24 h",
      "Date partitioning of orders, with old partitions dropped",
      "autovacuum_vacuum_scale_factor 0.01 and dead-tuple tracking",
      "Log rotation",
    },
    root_cause = {
      systemic = "WAL was archived to the database's own volume with no rotation and no disk monitor",
      symptom  = "The database volume filled up and every write failed",
      wrong    = "Server logs grew without rotation and filled the volume",
      blame    = "The DBA forgot to set up cleanup of the WAL archive",
    },
    distractors = {
      "Run VACUUM FULL on orders after every bulk job",
      "Delete files in pg_wal whenever the disk passes 90%",
      "Double the volume to 4 TB and keep the archive on it",
    },
    monitors = {
      { text = "Database volume above 70%",
        match = { "enable alert ALRT-DISK", "enable alert * db_disk_used_pct*" } },
      { text = "Local WAL archive size",
        match = { "enable alert * db_wal_archive_gb*" } },
      { text = "Dead tuples on large tables",
        match = { "enable alert * db_dead_tuples*" } },
    },
    card = {
      symptom    = "Every INSERT and UPDATE fails with \"No space left on device\" while reads still work, so the service is half down.",
      root_cause = "Twenty days of archived WAL sat on the local volume and were never rotated; the nightly bulk job's WAL and bloat then used the last few GB within minutes.",
      solution   = "Free space safely (archived WAL older than the last base backup, or expand the volume) and stop the bulk job; then archive WAL to S3 and keep 24 h locally.",
      prevention = "Alert at 70% disk and auto-expand at 80%, partition orders by date and drop old partitions, vacuum after 1% changes, and rotate logs.",
    },
  },

  signals = {
    components = { "disk", "pg-1", "wal", "bulk-archive" },
    scope = { "write", "POST", "checkout", "insert" },
    fix_work = { "set db.wal_archive *", "enable disk-autoexpand *", "set db.autovacuum.*" },
    recent_change = nil,
    isolating = { "kill job bulk-archive" },
    global = { "restart *", "run db failover *", "scale *", "ratelimit *" },
  },

  expert = [[
# An expert response to §1.5: writes fail and reads work; the volume is
# full of archived WAL nobody rotated. Free what predates the last base
# backup, stop the burst, ship the archive away and watch the volume.
9:37 ack ALRT-ERR
9:45 logs pg-1 -n 5
9:50 show db disk
10:00 diagnose wal-archive-no-rotation
10:05 run disk clean pg-1 wal-archive --before-last-basebackup
10:10 kill job bulk-archive
10:20 set db.wal_archive s3 retain_local=24h
10:25 enable alert ALRT-DISK
10:30 enable disk-autoexpand pg-1 at=80%
10:35 set db.autovacuum.scale_factor 0.01
10:40 note freed 432 GB of WAL archived before the last base backup; archive now to S3 with 24 h local; disk alert at 70% and auto-expand at 80%
12:00 show db disk
]],
}
