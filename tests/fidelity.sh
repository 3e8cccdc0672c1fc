#!/bin/sh
# The handbook's figures (catalog E.1, rows for the foundation slice)
# asserted through the headless runner, within the stated tolerance.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

FIX="$TESTS_SRCDIR/fixtures"
T=$TESTS_TMPDIR

# run NAME INCIDENT UNTIL "COMMANDS" [runner options...]
run() {
	name=$1 incident=$2 until=$3 cmds=$4
	shift 4
	printf '%s\n' "$cmds" > "$T/fid-$name.cmds"
	"$FIREDRILL" run "$incident" --seed 1 --no-record --json \
	    --until "$until" --commands "$T/fid-$name.cmds" "$@" \
	    > "$T/fid-$name.json" 2> "$T/fid-$name.err"
}

# expect NAME "DESCRIPTION" JQ-CONDITION
expect() {
	if [ -s "$T/fid-$1.json" ] && jq -e "$3" "$T/fid-$1.json" >/dev/null 2>&1; then
		ok "$2"
	else
		not_ok "$2"
		diag "$(head -c 300 "$T/fid-$1.err")"
	fi
}

# The first traced time at which SERIES reaches at least V.
first_at='def first_at(s; v): [.trace[s][] | select(.[1] >= v) | .[0]] | first;'
near='def near(x; want; tol): x != null and x >= want * (1 - tol) and x <= want * (1 + tol);'

pool='db_pool_utilization_pct{svc="order",pool="main"}'

# Rows 1, 3 and 48 at the steady state of 1.1.
run base db-pool-exhaustion 60s "0:00 status"
expect base "row 1: pool 50 at 50 ms serves 1,000 rps" \
    "$near near(.metrics[\"db_pool_capacity_rps{svc=\\\"order\\\",pool=\\\"main\\\",class=\\\"read\\\"}\"]; 1000; 0.05)"
expect base "row 3: 400 reads + 75 writes at 50 ms + 25 checkouts at 250 ms use 60% of the pool" \
    "$near near(.metrics[\"$(echo "$pool" | sed 's/"/\\"/g')\"]; 60; 0.05)"
expect base "row 3: no ALRT-POOL at baseline" \
    '[.events[] | select(.kind == "alert_fired" and (.text | startswith("ALRT-POOL")))] | length == 0'
expect base "row 48: gateway in-flight = sum of rps x latency (Little's law)" \
    "$near . as \$r | [.metrics | to_entries[] | select(.key | startswith(\"gw_requests_rps\")) | .key |= sub(\"gw_requests_rps\"; \"\") ] as \$routes | (\$routes | map(.value * \$r.metrics[\"gw_latency_avg_ms\" + .key] / 1000) | add) as \$little | near(\$r.metrics[\"gw_inflight_requests\"]; \$little; 0.05)"

# Row 2: with paygw at 30 s a checkout holds its connection ~30 s.
run slow db-pool-exhaustion 150s "0:00 status"
expect slow "row 2: pool 50 at a 30 s hold serves 1.67 rps" \
    "$near near(.metrics[\"db_pool_capacity_rps{svc=\\\"order\\\",pool=\\\"main\\\",class=\\\"checkout\\\"}\"]; 1.67; 0.05)"

# Rows 4-8 on the fixture: paygw steps to 30 s at 10 s; order sees it one
# tick later (callers use their callees' previous-tick latency, A.0).
tr="--trace-every 100ms --trace $pool"
run r4 "$FIX/pool-hold.lua" 20s "0:00 status" $tr
expect r4 "row 4: 23.75 + 25 t = 50: the pool is exhausted after ~1.05 s" \
    "$first_at $near near(first_at(\"$(echo "$pool" | sed 's/"/\\"/g')\"; 99.5) - 10.1; 1.05; 0.1)"
run r5 "$FIX/pool-hold.lua" 20s "0:01 scale order.db_pool 100" $tr
expect r5 "row 5: a pool of 100 is exhausted after ~3.05 s: it only delays" \
    "$first_at $near near(first_at(\"$(echo "$pool" | sed 's/"/\\"/g')\"; 99.5) - 10.1; 3.05; 0.05)"
run r6 "$FIX/pool-hold.lua" 25s "0:01 set order->payment.timeout 2s"
expect r6 "row 6: a 2 s timeout alone still needs 73.75 > 50: 100%" \
    ".metrics[\"$(echo "$pool" | sed 's/"/\\"/g')\"] >= 99"
run r7 "$FIX/pool-hold.lua" 30s "0:01 breaker open order->payment"
expect r7 "row 7: breaker open: about 25 connections, 50%" \
    "$near near(.metrics[\"$(echo "$pool" | sed 's/"/\\"/g')\"]; 50; 0.05)"
run r8a "$FIX/pool-hold.lua" 9s "0:01 set order.db_pool.split read=30,write=15"
expect r8a "row 8: split 30/15: reads use 67% and writes 67%" \
    "$near near(.metrics[\"db_pool_utilization_pct{svc=\\\"order\\\",pool=\\\"read\\\"}\"]; 66.7; 0.05) and near(.metrics[\"db_pool_utilization_pct{svc=\\\"order\\\",pool=\\\"write\\\"}\"]; 66.7; 0.05)"
# Writes waiting on their pool still hold threads: with order's 200
# threads they would starve the reads too, so the pool claim is measured
# with threads to spare.
run r8b "$FIX/pool-hold.lua" 25s "0:01 set order.db_pool.split read=30,write=15
0:01 scale order.threads 5000"
expect r8b "row 8: with paygw slow the write pool is exhausted and reads stay at 67%" \
    "$near .metrics[\"db_pool_utilization_pct{svc=\\\"order\\\",pool=\\\"write\\\"}\"] >= 99 and near(.metrics[\"db_pool_utilization_pct{svc=\\\"order\\\",pool=\\\"read\\\"}\"]; 66.7; 0.05)"

# Row 9: the autoscaler takes order to 15 pods: 420 - 50 + 150 = 520 > 497.
run r9 db-pool-exhaustion 6m "0:00 status"
expect r9 "row 9: 15 pods x 10 connections: 520 wanted of 497 usable" \
    '.metrics["db_connections_demand{node=\"pg-1\"}"] == 520 and .metrics["db_connections_refused{node=\"pg-1\"}"] == 23'
expect r9 "row 9: 'too many clients' reaches other services" \
    '.metrics["gw_error_ratio_pct{route=\"GET /users/me\"}"] > 1'

# Row 10: the automatic breaker: 5 failures in 10 s open it; 30 s later
# one probe; paygw is back by then, so it closes.
br='breaker_state{edge="order->payment"}'
run r10 "$FIX/pool-hold.lua" 60s "0:01 set order->payment.timeout 2s
0:01 enable breaker order->payment" --trace-every 100ms --trace "$br"
q=$(echo "$br" | sed 's/"/\\"/g')
expect r10 "row 10: opens once 5 calls have timed out (2 s after the hang)" \
    "$first_at $near near(first_at(\"$q\"; 1) - 10.1; 2.1; 0.1)"
expect r10 "row 10: half-open 30 s after opening, with one probe" \
    "$first_at . as \$r | ([.trace[\"$q\"][] | select(.[1] == 2) | .[0]] | first) as \$h | (\$r | first_at(\"$q\"; 1)) as \$o | (\$h - \$o) >= 29.9 and (\$h - \$o) <= 30.2"
expect r10 "row 10: the probe succeeds and the breaker closes" \
    ".metrics[\"$q\"] == 0 and ([.trace[\"$q\"][] | select(.[1] == 2)] | length) >= 1"

# Row 26: order's 50 threads behind a 30 s hang, then with a bulkhead.
run r26a "$FIX/threads-hang.lua" 50s "0:00 status"
expect r26a "row 26: 475 x 0.05 + 25 x 30 = 773.75 threads needed, of 50" \
    "$near near(.metrics[\"svc_threads_needed{svc=\\\"order\\\"}\"]; 773.75; 0.05)"
run r26b "$FIX/threads-hang.lua" 60s "0:01 enable bulkhead order->payment threads=10"
expect r26b "row 26: bulkhead 10: the payment path gets at most 10/30 = 0.33 rps" \
    '.metrics["dep_rps{edge=\"order->payment\"}"] <= 0.35'
expect r26b "row 26: the other 40 threads serve 475 rps at 59%" \
    "$near near(.metrics[\"svc_threads_busy_pct{svc=\\\"order\\\"}\"]; 59.4; 0.05)"

# Row 27: the cascade reaches the gateway's cap; every route fails.
run r27 cascading-failure 150s "0:00 status"
expect r27 "row 27: the gateway is at its 10,000 in-flight cap" \
    '.metrics["gw_inflight_requests"] >= 9990'
expect r27 "row 27: search and user, which never call payment, fail too" \
    '.metrics["gw_error_ratio_pct{route=\"GET /search\"}"] > 50 and .metrics["gw_error_ratio_pct{route=\"GET /users/me\"}"] > 50'

# Row 28: 3 attempts x 3 s + 1 s + 2 s backoff = 12 s, cut at the 10 s budget.
run r28 cascading-failure 110s "0:01 set order->payment.timeout 3s
0:01 set order->payment.retries 2
0:01 set order->payment.backoff 1s,2s
0:01 set order->payment.budget 10s"
expect r28 "row 28: a dead dependency costs the 10 s budget, not 12 s" \
    "$near near(.metrics[\"dep_latency_p99_ms{edge=\\\"order->payment\\\"}\"]; 10000; 0.05)"

# Row 36: a canary at 5% of a 50% bug: 2.6% > 1%, automatic rollback.
"$FIREDRILL" run bad-deploy --seed 1 --no-record --json --expert \
    > "$T/fid-r36.json" 2> "$T/fid-r36.err"
expect r36 "row 36: canary 5% x 50% + 95% x 0.1% = 2.6% > 1%: automatic rollback" \
    "$near [.events[] | select(.kind == \"deploy\" and (.text | test(\"automatic rollback\"))) | .text | capture(\"ratio (?<r>[0-9.]+)%\") | .r | tonumber] | length == 1 and near(.[0]; 2.6; 0.05)"

# Row 47: the 30-day budget at 99.9% is 43.2 minutes, and burns as the
# bad fraction integrates over time.
run r47 bad-deploy 20m "0:00 status" --trace slo_bad_fraction_pct
expect r47 "row 47: the error budget is 43.2 min" \
    '.metrics["error_budget_total_min"] == 43.2'
expect r47 "row 47: burned % = integral of the bad fraction / 2,592 s" \
    "$near near(.metrics[\"error_budget_burned_pct\"]; ([.trace[\"slo_bad_fraction_pct\"][] | .[1]] | add) / 2592; 0.05)"

# --- the cache (rows 18-25) ---
run r18 "$FIX/stampede-idle-db.lua" 60s "0:00 status"
expect r18 "row 18: 10,000 rps x 1.6 s = 16,000 loads of the expired key" \
    "$near near(.metrics[\"cache_db_loads_total{keyspace=\\\"home:*\\\"}\"]; 16000; 0.05)"
run r18b "$FIX/stampede-idle-db.lua" 60s "0:00 status" --trace 'db_cpu_pct{node="pg-1"}'
expect r18b "row 18: 960 CPU-s on 32 cores: the database at 100% for 30 s" \
    "$near near([.trace[\"db_cpu_pct{node=\\\"pg-1\\\"}\"][] | select(.[1] >= 99.5)] | length; 30; 0.07)"
run r18c "$FIX/stampede-idle-db.lua" 60s "0:01 enable mutex home:*"
expect r18c "row 18: with a mutex, one load" \
    '.metrics["cache_db_loads_total{keyspace=\"home:*\"}"] == 1'

run r19 cache-avalanche 70m "0:01 set cache.product:*.ttl 3600s
0:01 enable ttl-jitter product:* s=300
0:02 run cache warm product:* --rate 100" --play-on \
    --trace 'cache_expiring_keys_per_s{keyspace="product:*"}'
q19='cache_expiring_keys_per_s{keyspace=\"product:*\"}'
expect r19 "row 19: jitter random(0,300) on 3,600: the expiries spread over +0-300 s" \
    "$near [.trace[\"$q19\"][] | select(.[0] > 3600)] as \$t | ([\$t[] | select(.[1] > 100) | .[0]] | (min >= 3600 and max <= 4030)) and near(([\$t[] | select(.[0] > 3720 and .[0] < 3900) | .[1]] | add / length); 2000000 / 300; 0.05)"

run r20 cache-penetration 5m "1:30 enable bloom user:*"
expect r20 "row 20: a Bloom filter at 10 bits per id, k = 7: false positives 0.82%" \
    "$near near(.metrics[\"bloom_false_positive_pct{keyspace=\\\"user:*\\\"}\"]; 0.82; 0.05)"
expect r20 "row 20: 52M ids take 65 MB" '.commands[0].output | test("52000000 ids, 65 MB, k=7")'

run r21 cache-penetration 5m "1:30 enable null-cache user:* ttl=60s"
expect r21 "row 21: null-cache: ~100% of the 3,200 rps cycle answered from null entries, 0% of the sweep" \
    "$near near(.metrics[\"cache_null_hits_per_s{keyspace=\\\"user:*\\\"}\"]; 3200; 0.05) and .metrics[\"cache_db_loads_per_s{keyspace=\\\"user:*\\\"}\"] > 4800"

run r22 cache-penetration 5m "1:30 ratelimit gw:/users/* 5 --per-ip --status 404"
expect r22 "row 22: 5 404s a second per IP x 40 IPs: at most 200 bot rps reach the DB" \
    '.metrics["cache_db_loads_per_s{keyspace=\"user:*\"}"] <= 200 + 800 * 0.04'

run r23 cache-hot-key 4m "0:00 status"
expect r23 "row 23: a 500K ops/s key on a 100K shard: rho 5" \
    "$near near(.metrics[\"cache_shard_ops_per_s{shard=\\\"cache-3\\\"}\"] / 100000; 5.2; 0.05)"
run r23b cache-hot-key 4m "0:01 enable local-cache tweet:1881 ttl=1s"
expect r23b "row 23: L1 of 1 s on 50 servers: 50 ops/s reach Redis" \
    "$near near(.metrics[\"cache_hotkey_ops_per_s{key=\\\"tweet:1881\\\"}\"]; 50; 0.05)"
run r23c cache-hot-key 4m "0:01 enable replicate-key tweet:1881 copies=10"
expect r23c "row 23: replicated x10: +50K ops/s on every shard, 70% each" \
    "$near near(.metrics[\"cache_shard_cpu_pct{shard=\\\"cache-3\\\"}\"]; 70; 0.05) and near(.metrics[\"cache_shard_cpu_pct{shard=\\\"cache-8\\\"}\"]; 70; 0.05)"

run r25 cache-avalanche 185s "0:00 status"
expect r25 "row 25: 20K qps x 2 ms = 40 cores of 32: the database at 100%" \
    '.metrics["db_cpu_pct{node=\"pg-1\"}"] >= 99.5'

# Row 11: 500M rows at 185,185 rows/s; a 30 s statement timeout on the
# report role reaches new sessions only, and cancels a run after 5.56M rows.
run r11 slow-query-full-scan 8m "2:01 set db.role.report.statement_timeout 30s
2:10 explain Q-7f3a"
expect r11 "row 11: the report's plan is a 45-minute parallel seq scan" \
    '.commands[1].output | test("Seq Scan on orders") and test("est. time 45 min")'
expect r11 "row 11: statement_timeout 30 s cancels a run after ~5.56M rows" \
    "$near [.events[] | select(.kind == \"info\") | .text | capture(\"statement timeout canceled pid [0-9]+ after (?<n>[0-9]+) rows\").n | tonumber] | length == 1 and near(.[0]; 5555555; 0.01)"
expect r11 "row 11: the run already going when the role changed is not canceled" \
    '[.events[] | select(.text | test("canceled pid 4121"))] | length == 0'

# Row 12: after the composite index, the plan is an index scan of 200 ms.
run r12 slow-query-full-scan 17m "2:01 kill job report-pending
2:02 kill query 4121
2:10 run db create-index orders(status,created_at) --concurrently
16:00 explain Q-7f3a"
expect r12 "row 12: explain after the index: Index Scan, 200 ms" \
    '.commands[3].output | test("Index Scan using idx_orders_status_created_at") and test("est. time 200ms")'

# Row 13: lock modes against a running report (AccessShareLock).
run r13a slow-query-full-scan 3m "2:01 run db create-index orders(status,created_at) --concurrently
2:30 show db progress"
expect r13a "row 13: CIC waits for old snapshots while the report runs" \
    '.commands[1].output | test("waiting for old snapshots")'
run r13b slow-query-full-scan 3m "2:01 run db create-index orders(status,created_at)
2:30 show db locks"
expect r13b "row 13: a plain CREATE INDEX (ShareLock) blocks INSERTs" \
    '.commands[1].output | test("RowExclusiveLock +no +order.write queries wait")'
expect r13b "row 13: ... but not SELECTs" \
    '.commands[1].output | test("order.read") | not'
run r13c slow-query-full-scan 3m "2:30 run db vacuum orders --full
2:40 show db locks"
expect r13c "row 13: VACUUM FULL queues behind the report" \
    '.commands[1].output | test("AccessExclusiveLock +no +4121")'
expect r13c "row 13: ... and every later SELECT queues behind it" \
    '.commands[1].output | test("AccessShareLock +no +order.read queries wait")'

# Row 16: autovacuum thresholds on 500M rows, 0.2 against 0.01.
run r16 db-disk-full 1m "0:01 show db disk
0:02 set db.autovacuum.scale_factor 0.01
0:10 show db disk"
expect r16 "row 16: threshold 50 + 0.2 x 500M = 100,000,050" \
    '.commands[0].output | test("orders +700 +0 +100000050")'
expect r16 "row 16: at 0.01 it is 5,000,050" \
    '.commands[2].output | test("orders +[0-9]+ +[0-9]+ +5000050")'

# Row 17: 8 GB free and 2.2 GB/min from 02:00 (300 s): full in 3.6 min;
# a resize lands 60 s later; the next one waits out the 6 h cooldown.
free='db_disk_free_gb{node="pg-1"}'
run r17 db-disk-full 11m "9:00 run disk expand pg-1 3000GB
10:30 run disk expand pg-1 4000GB" --trace-every 1s --trace "$free"
expect r17 "row 17: 8 GB at +2.2 GB/min: full ~3.6 min after the job starts" \
    "$near near([.trace[\"$(echo "$free" | sed 's/"/\\"/g')\"][] | select(.[1] <= 0) | .[0]] | first - 300; 216; 0.03)"
expect r17 "row 17: the resize is effective 60 s after the command" \
    "$near near([.trace[\"$(echo "$free" | sed 's/"/\\"/g')\"][] | select(.[1] >= 900) | .[0]] | first; 600; 0.01)"
expect r17 "row 17: a second resize is refused for 6 h" \
    '(.commands[1].ok | not) and (.commands[1].output | test("6 h cooldown"))'
run r17b db-disk-full 9m "0:00 status"
expect r17b "row 17: on a full volume writes fail and reads work" \
    '.metrics["gw_error_ratio_pct{route=\"POST /orders\"}"] > 99 and .metrics["gw_error_ratio_pct{route=\"GET /orders/history\"}"] < 1'

# The catalog's critical trap: pg_wal is not an archive.
run walrm db-disk-full 10m "9:00 run disk clean pg-1 pg_wal
9:01 run disk clean pg-1 pg_wal --older 1d
9:05 run disk clean pg-1 pg_wal --force"
expect walrm "deleting pg_wal is refused unless forced" \
    '(.commands[0].ok | not) and (.commands[0].output | test("PANIC"))'
expect walrm "... even by age" \
    '(.commands[1].ok | not) and (.commands[1].output | test("PANIC"))'
expect walrm "forced, it PANICs the primary: reads fail too" \
    '.metrics["gw_error_ratio_pct{route=\"GET /orders/history\"}"] > 99'

# Row 15: catalog-import's WAL bursts keep the replicas 0.5-2 s behind; a
# GET 0.15-0.4 s after its write misses on a replica nearly always, a
# refresh 2 s later finds the order, and sticky reads (5 s) end it.
lag='db_replication_lag_s{replica="pg-2"}'
lagq='db_replication_lag_s{replica=\"pg-2\"}'
raw='order_read_after_write_404_pct'
run r15a replica-lag-stale-read 4m "0:00 status" --trace-every 1s \
    --trace "$lag,$raw"
expect r15a "row 15: lag saw-tooths between 0.5 and ~2 s under the import" \
    "[.trace[\"$lagq\"][] | select(.[0] >= 80) | .[1]] | min >= 0.45 and max <= 2.25 and max >= 1.9"
expect r15a "row 15: at rest the lag is 20 ms and nothing is stale" \
    "[.trace[\"$lagq\"][] | select(.[0] < 60) | .[1]] | max <= 0.05"
expect r15a "row 15: read-after-write 404 ≈ 100% of replica-routed GETs" \
    "[.trace[\"$raw\"][] | select(.[0] >= 65) | .[1]] | min >= 99"
expect r15a "row 15: a refresh 2 s later (gap 2.15-2.4 s) almost always finds it" \
    "[.trace[\"$lagq\"][] | select(.[0] >= 80) | .[1] | ((. - 2.15) / 0.25) | if . < 0 then 0 elif . > 1 then 1 else . end] | add / length < 0.05"
run r15b replica-lag-stale-read 4m "1:10 enable sticky-reads order window=5s" \
    --trace-every 1s --trace "$raw,db_qps{node=\"pg-1\"}"
expect r15b "row 15: sticky reads 5 s: 404 → 0% within 10 s of going live" \
    "[.trace[\"$raw\"][] | select(.[0] >= 90) | .[1]] | max == 0"
expect r15b "row 15: ... and the primary serves those reads (its load rises)" \
    "([.trace[\"db_qps{node=\\\"pg-1\\\"}\"][] | select(.[0] >= 20 and .[0] < 60) | .[1]] | add / length) as \$before | ([.trace[\"db_qps{node=\\\"pg-1\\\"}\"][] | select(.[0] >= 120) | .[1]] | add / length) > \$before + 40"

# Row 46: 1,500 rows/s into 7 indexes, autocommit: 13,500 IOPS of 16,000;
# three indexes dropped: 9,000; and batched 1,000 rows a statement: ~3,750.
# At 4% a week, 100% in ln(16,000/13,500)/ln(1.04) = 4.3 weeks.
iops='db_write_iops{node="pg-1"}'
iopsq='db_write_iops{node=\"pg-1\"}'
run r46 write-ceiling 5m "1:00 run db drop-index idx_events_session,idx_events_referrer,idx_events_ua
2:00 flag on batch_inserts" --trace-every 1s --trace "$iops"
expect r46 "row 46: 1,500 x (1 + 7) + 1,500 = 13,500 IOPS (84%)" \
    "$near near([.trace[\"$iopsq\"][] | select(.[0] == 50) | .[1]] | first; 13500; 0.01)"
expect r46 "row 46: three unused indexes dropped: 9,000" \
    "$near near([.trace[\"$iopsq\"][] | select(.[0] == 110) | .[1]] | first; 9000; 0.01)"
expect r46 "row 46: and batched: ~3,750" \
    "$near near(.metrics[\"$iopsq\"]; 3750; 0.02)"
expect r46 "row 46: 4.3 weeks to 100% at 4% a week" \
    "([.trace[\"$iopsq\"][] | select(.[0] == 50) | .[1]] | first) as \$x | (16000 / \$x | log) / (1.04 | log) | . > 4.2 and . < 4.4"

# Row 24: 2M keys warmed at 10%/min with jitter 10% of a day (8,640 s):
# a day later they expire over 8,640 s at 231 keys/s, reached over the
# warm's 10 minutes.
expq='cache_expiring_keys_per_s{keyspace=\"product:*\"}'
run r24 "$FIX/warm-jitter.lua" 25h "0:05 enable ttl-jitter product:* pct=10
0:10 run cache warm product:* --rate 10%/min" --trace-every 10s \
    --trace 'cache_expiring_keys_per_s{keyspace="product:*"}'
expect r24 "row 24: jitter 10% of 86,400 s: 2M keys expire at 231 keys/s" \
    "$near near([.trace[\"$expq\"][] | select(.[0] == 90000) | .[1]] | first; 231; 0.01)"
expect r24 "row 24: the staggered warm (10%/min) takes 10 min" \
    "$near [.trace[\"$expq\"][] | select(.[1] > 0.5) | .[0]] as \$on | [.trace[\"$expq\"][] | select(.[1] >= 231) | .[0]] as \$full | near((\$full | first) - (\$on | first); 600; 0.05)"

# Row 14: the lock-order pair at 150 checkout and 100 sync tx/s; checkout
# doubles at t = 60 s with the sync constant.
run r14a "$FIX/deadlock-rate.lua" 55s "0:00 status"
run r14b "$FIX/deadlock-rate.lua" 120s "0:00 status"
expect r14a "row 14: ~2 deadlocks a minute at 150 x 100 tx/s" \
    "$near near(.metrics[\"db_deadlocks_per_min{node=\\\"pg-1\\\"}\"]; 2; 0.1)"
expect r14a "row 14: the caught checkouts wait out the lock timeout: p99 = 30.0 s" \
    "$near near(.metrics[\"gw_latency_p99_ms{route=\\\"POST /checkout\\\"}\"]; 30000; 0.01)"
d14=$(jq '.metrics["db_deadlocks_per_min{node=\"pg-1\"}"]' "$T/fid-r14a.json" 2>/dev/null)
expect r14b "row 14: doubling checkout with the sync constant doubles the deadlock rate" \
    "$near near(.metrics[\"db_deadlocks_per_min{node=\\\"pg-1\\\"}\"] / (${d14:-0} + 1e-9); 2; 0.1)"

# Row 35: ours at rho0 0.30 plus a tenant's batch of 55/60/62% of pg-1:
# our query latency x4.7 (rho 0.85), x7 (0.90), x8.75 (0.92), from the P1
# factor (1 - 0.3)/(1 - rho); a pool of 4 of its 40 connections caps it.
cap='db_pool_capacity_rps{svc="order",pool="main",class="read"}'
capq='db_pool_capacity_rps{svc=\"order\",pool=\"main\",class=\"read\"}'
ratio="def ratio(a; b): ([.trace[\"$capq\"][] | select(.[0] >= 30 and .[0] < 90) | .[1]] | add / length) / ([.trace[\"$capq\"][] | select(.[0] >= a and .[0] < b) | .[1]] | add / length);"
run r35 "$FIX/noisy-rho.lua" 390s "0:00 status" --trace-every 1s \
    --trace "$cap,db_cpu_pct{node=\"pg-1\"}"
expect r35 "row 35: at rest pg-1 is at 30% (ours)" \
    "$near near([.trace[\"db_cpu_pct{node=\\\"pg-1\\\"}\"][] | select(.[0] >= 30 and .[0] < 90) | .[1]] | add / length; 30; 0.03)"
expect r35 "row 35: +55% (rho 0.85): our queries x4.7" \
    "$near $ratio near(ratio(120; 155); 4.667; 0.05)"
expect r35 "row 35: +60% (rho 0.90): x7" \
    "$near $ratio near(ratio(220; 255); 7; 0.05)"
expect r35 "row 35: +62% (rho 0.92): x8.75" \
    "$near $ratio near(ratio(320; 355); 8.75; 0.05)"
run r35b "$FIX/noisy-rho.lua" 390s "0:30 set tenant:batch.pool_size 4" \
    --trace-every 1s --trace "db_cpu_by_tenant_pct{tenant=\"batch\"}"
expect r35b "row 35: pool_size 4 of 40 caps the batch at <= 6% of the node" \
    "[.trace[\"db_cpu_by_tenant_pct{tenant=\\\"batch\\\"}\"][] | .[1]] | max <= 6.2 and max > 5"

done_testing
