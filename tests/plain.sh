#!/bin/sh
# The line mode (play --plain) with stdin piped: an expert path typed a
# line at a time (each line waits for its sim time, as in a commands
# file), the dashboard on demand, bad lines refused on stderr, then the
# post-mortem answered as numbered questions.  Asserts plain lines only
# (no escape byte anywhere) and a session recorded like the console's.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

T=$TESTS_TMPDIR/plain
rm -rf "$T"
mkdir -p "$T"
DB=$T/plain.db

# The incident's expert path, with `speed 60` again after each first
# page (a page drops the speed to 1x, in this mode as in the console).
{
	echo ""			# Enter starts the shift
	echo "0:05 status"
	echo "0:06 frobnicate the database"
	awk 'BEGIN { for (i = 0; i < 5000; i++) printf "x"; print "" }'
	echo "0:07 note still here after two bad lines"
	echo "2:14 ack ALRT-SHARD"
	echo "2:15 speed 60"
	echo "2:18 speed 60"
	echo "2:20 show cache shards"
	echo "2:25 show cache hotkeys"
	echo "2:30 set cache.maxmemory_policy allkeys-lfu"
	echo "2:35 show cache hotkeys"
	echo "2:45 diagnose single-hot-key-on-shard"
	echo "2:50 enable local-cache tweet:1881 ttl=1s"
	echo "3:00 note L1 copy of tweet:1881 on every feed instance"
	echo "3:11 speed 60"
	echo "3:30 enable local-cache tweet:* ttl=1s"
	echo "3:35 enable alert SHARD-HOT cache_shard_cpu_pct > 80"
	# Holds the answers below back until the incident is over.
	echo "30:00 status"
	# The post-mortem: four annotations, a root cause, action items
	# (ITEM:OWNER:DEADLINE), monitors.
	echo "the shard page at 2:13"
	echo "one key, tweet:1881, on cache-3"
	echo "a local copy of the key on every instance"
	echo "local copies for the whole keyspace"
	echo "9"
	echo "1"
	echo "1:1:1 2:1:2"
	echo "1 2"
} > "$T/in"

"$FIREDRILL" play --plain cache-hot-key --seed 1 --speed 60 --db "$DB" \
    --player plain-tester < "$T/in" > "$T/out" 2> "$T/err"
rc=$?
check "play --plain from a pipe exits 0" test "$rc" -eq 0
check "the briefing is told first" grep -q "^Briefing: " "$T/out"
check "a page is one line" grep -q "alert: ALRT-SHARD page:" "$T/out"
check "a piped line is echoed with its sim time" grep -q "02:14 > ack ALRT-SHARD" "$T/out"
check "phases are told" grep -q "phase: DETECT reached" "$T/out"
check "a page drops the speed to 1x, and says so" grep -q "speed back to 1x" "$T/out"
check "status shows the status bar" grep -q "sim 0:05, speed 60x, score" "$T/out"
check "status shows the services as lines" grep -q "^  feed: .* requests/s, p99" "$T/out"
check "command output is told" grep -q "allkeys-lfu" "$T/out"
check "the end is told" grep -q "incident over: won" "$T/out"
check "an unknown command is one line on stderr" grep -q "frobnicate" "$T/err"
check "an over-long line is refused on stderr" grep -q "not run: the line was longer than 4096 bytes" "$T/err"
check "and nothing else was lost" grep -q "> note still here after two bad lines" "$T/out"
check "a timed line past the end is not run, and says so" grep -q "not run: status (the incident ended first)" "$T/err"
check "errors are one line each" sh -c "[ \$(wc -l < '$T/err') -eq 4 ]"
check "the post-mortem asks numbered questions" grep -q "^  1\. " "$T/out"
check "a bad answer is refused and asked again" grep -q "'9': a number from 1 to 4" "$T/err" 
check "the results follow" grep -q "^Results: won after 7:22 of sim time" "$T/out"
check "the debrief is part of them" grep -q "^Debrief" "$T/out"
check "no escape byte on stdout" sh -c "! LC_ALL=C grep -q \"\$(printf '\\033')\" '$T/out'"
check "no escape byte on stderr" sh -c "! LC_ALL=C grep -q \"\$(printf '\\033')\" '$T/err'"
check "no control character but tab on stdout" sh -c "! LC_ALL=C tr -d '\\t\\n' < '$T/out' | LC_ALL=C grep -q '[[:cntrl:]]'"
"$FIREDRILL" history --db "$DB" > "$T/history" 2>&1
check "the session is recorded, won" grep -q "cache-hot-key .* won" "$T/history"
if command -v sqlite3 >/dev/null 2>&1; then
	check "as a played session, by its player" sh -c \
	    "[ \"\$(sqlite3 '$DB' \"select s.mode || ' ' || p.name from sessions s join players p on p.id = s.player_id\")\" = 'play plain-tester' ]"
	check "its post-mortem answers were saved" sh -c \
	    "[ \"\$(sqlite3 '$DB' \"select count(*) from postmortems where part in ('annotation', 'root_cause', 'action', 'monitor')\")\" -ge 8 ]"
	check "nothing was skipped" sh -c \
	    "[ \"\$(sqlite3 '$DB' \"select count(*) from postmortems where part = 'skipped'\")\" -eq 0 ]"
fi

# abandon ends the incident; the end of input then skips the
# post-mortem (at its cost) and the session is recorded all the same.
printf '\n0:30 abandon\n' > "$T/in3"
"$FIREDRILL" play --plain cache-hot-key --seed 3 --speed 60 --db "$DB" \
    < "$T/in3" > "$T/out3" 2> "$T/err3"
check "abandon ends it; end of input skips the post-mortem" grep -q "^Results: abandoned" "$T/out3"
if command -v sqlite3 >/dev/null 2>&1; then
	check "…and the session is recorded with its skips" sh -c \
	    "[ \"\$(sqlite3 '$DB' \"select count(*) from postmortems p join sessions s on s.id = p.session_id where s.seed = 3 and p.part = 'skipped'\")\" -eq 4 ]"
fi

# Without an incident: a numbered list to choose from, by number or id.
printf 'nope\ncache-hot-key\n\n0:01 abandon\n' | "$FIREDRILL" play --plain \
    --seed 5 --speed 60 --db "$DB" > "$T/out6" 2> "$T/err6"
check "without an incident, play --plain lists them by number" \
    grep -q "^[0-9]*\. cache-hot-key: Hot Key Problem" "$T/out6"
check "an answer that is not one of them is refused" \
    grep -q "'nope' is not one of the incidents listed" "$T/err6"
check "an id chooses one" grep -q "^Briefing: Hot Key Problem" "$T/out6"

# A session that cannot be recorded is said so, and the status is 1.
printf '\n0:10 abandon\n' | "$FIREDRILL" play --plain cache-hot-key --seed 4 \
    --speed 60 --db "$T/no/such/dir/x.db" > "$T/out5" 2> "$T/err5"
check "a session that cannot be recorded exits 1" test $? -eq 1
check "…with one line saying why" sh -c \
    "[ \$(wc -l < '$T/err5') -eq 1 ] && grep -q 'session not recorded' '$T/err5'"

# Bad options and incidents: one line, non-zero.
"$FIREDRILL" play --plain no-such-incident < /dev/null > "$T/out4" 2> "$T/err4"
check "an unknown incident is refused, non-zero" test $? -ne 0
check "…with one line" sh -c "[ \$(wc -l < '$T/err4') -eq 1 ] && grep -q 'no-such-incident' '$T/err4'"
"$FIREDRILL" play --help > "$T/help"
check "play --help documents --plain" grep -q -- "--plain" "$T/help"

done_testing
