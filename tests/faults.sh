#!/bin/sh
# Database faults: a missing directory, a read-only file and directory, a
# lock held by another process, a damaged file, a future schema, files
# that are not ours, a full file system, kill -9 while recording and many
# writers at once.  Each case asserts that nothing outside firedrill's own
# files changed (checksums, no stray -journal/-wal/-shm) and that no
# played session is silently lost: it is recorded, or saved as JSON that
# `firedrill import` loads, and the message says where.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum is not installed"
T=$TESTS_TMPDIR/faults
rm -rf "$T"
mkdir -p "$T"
chmod 755 "$T"
FD=$FIREDRILL
# Where sessions that cannot be recorded go when no better place exists.
export XDG_STATE_HOME="$T/state"
mkdir -p "$XDG_STATE_HOME"
unset FIREDRILL_DB
GOOD=$T/good.db

# Permissions mean nothing to root: the read-only cases run as nobody.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	chown 65534 "$XDG_STATE_HOME"
	noperm=
elif [ "$(id -u)" = 0 ]; then
	noperm="running as root without setpriv"
else
	asuser() { "$@"; }
	noperm=
fi

sum() { sha256sum "$1" | cut -d' ' -f1; }
no_stray() {	# DB: none of SQLite's side files are left next to it
	[ ! -e "$1-journal" ] && [ ! -e "$1-wal" ] && [ ! -e "$1-shm" ]
}
# fdrun DB [ENV...]: a short headless run recorded into DB; status in $st.
fdrun() {
	db=$1
	shift
	env "$@" "$FD" run bad-deploy --until 20s --db "$db" --json \
	    > "$T/out" 2> "$T/err"
	st=$?
}
# The JSON the last run says it saved the session to, or "".
saved() {
	sed -n 's/.*saved to \([^ ]*\.json\).*/\1/p' "$T/err" | head -1
}
# lost DESC: the last run's session was not recorded, so it must have
# said so in one line, exited non-zero (--db was given), saved the session
# as JSON, and that JSON must load into a good database.
lost() {
	j=$(saved)
	n0=$(sqlite3 "$GOOD" 'select count(*) from sessions')
	if [ "$st" -ne 0 ] && [ "$(wc -l < "$T/err")" -eq 1 ] &&
	    [ -n "$j" ] && [ -s "$j" ] && jq -e '.events | length > 0' "$j" \
	    > /dev/null 2>&1 && "$FD" import "$j" --db "$GOOD" > /dev/null &&
	    [ "$(sqlite3 "$GOOD" 'select count(*) from sessions')" -eq \
	    $((n0 + 1)) ]; then
		ok "$1: said so, exit $st, saved as JSON that imports"
		last_json=$j
	else
		not_ok "$1: status $st, JSON '$j'"
		sed 's/^/# /' "$T/err" | head -3
	fi
}
unchanged() {	# DESC FILE SUM
	if [ "$(sum "$2")" = "$3" ] && no_stray "$2"; then
		ok "$1: file unchanged, no side files"
	else
		not_ok "$1: file changed or side files left"
		ls -la "$(dirname "$2")" | sed 's/^/# /'
	fi
}

fdrun "$GOOD"
check "a good database records (status 0)" test "$st" -eq 0
check "…and it carries firedrill's application_id" sh -c \
    "[ \"\$(sqlite3 '$GOOD' 'pragma application_id')\" = 1178890860 ]"

# --- a missing directory ---
fdrun "$T/nodir/x.db"
lost "missing directory"
check "missing directory: not created" test ! -e "$T/nodir"
check "missing directory: saved under XDG_STATE_HOME" sh -c \
    "sed -n 's/.*saved to //p' '$T/err' | grep -q '^$XDG_STATE_HOME/firedrill/unsaved/'"

# --- read-only file and directory ---
if [ -n "$noperm" ]; then
	ok "# SKIP read-only cases: $noperm"
else
	mkdir -p "$T/ro" "$T/rodir"
	cp "$GOOD" "$T/ro/ro.db"
	cp "$GOOD" "$T/rodir/x.db"
	chown -R 65534 "$T/ro" "$T/rodir" "$XDG_STATE_HOME" 2>/dev/null
	chmod 444 "$T/ro/ro.db"
	s=$(sum "$T/ro/ro.db")
	asuser "$FD" run bad-deploy --until 20s --db "$T/ro/ro.db" --json \
	    > "$T/out" 2> "$T/err"
	st=$?
	lost "read-only file"
	unchanged "read-only file" "$T/ro/ro.db" "$s"
	check "read-only file: the JSON is saved beside it" sh -c \
	    "grep -q 'saved to $T/ro/' '$T/err'"
	chmod 555 "$T/rodir"
	s=$(sum "$T/rodir/x.db")
	asuser "$FD" run bad-deploy --until 20s --db "$T/rodir/x.db" --json \
	    > "$T/out" 2> "$T/err"
	st=$?
	lost "read-only directory"
	unchanged "read-only directory" "$T/rodir/x.db" "$s"
	chmod 755 "$T/rodir"
fi

# --- a lock held by another process ---
cp "$GOOD" "$T/locked.db"
lock() {	# DB SECONDS: hold a write lock in the background
	{ echo '.timeout 5000'; echo 'BEGIN EXCLUSIVE;'
	  sleep "$2"; echo 'COMMIT;'; } | sqlite3 "$1" &
	lockpid=$!
	i=0
	while [ $i -lt 200 ] && sqlite3 "$1" 'PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;' \
	    > /dev/null 2>&1; do
		i=$((i + 1))
		sleep 0.01
	done
}
n0=$(sqlite3 "$T/locked.db" 'select count(*) from sessions')
lock "$T/locked.db" 1
fdrun "$T/locked.db"
wait $lockpid
check "locked for 1 s: the writer waits its turn and records" sh -c \
    "[ $st -eq 0 ] && [ \"\$(sqlite3 '$T/locked.db' \"select count(*) from sessions where outcome = 'timeout'\")\" -eq $((n0 + 1)) ]"
lock "$T/locked.db" 3
fdrun "$T/locked.db" FIREDRILL_BUSY_MS=300
wait $lockpid
lost "locked past the retries"
check "locked past the retries: no partial row left running" sh -c \
    "[ \"\$(sqlite3 '$T/locked.db' \"select count(*) from sessions where outcome = 'running'\")\" -eq 0 ]"

# Locked in the middle of a recording, past its end: the part written is
# not left running, the JSON holds it all, and importing it makes it whole.
cp "$GOOD" "$T/midlock.db"
n0=$(sqlite3 "$T/midlock.db" "select count(*) from sessions where outcome = 'lost'")
FIREDRILL_BUSY_MS=300 "$FD" run bad-deploy --until 4h --play-on --db "$T/midlock.db" \
    > /dev/null 2> "$T/err" &
runpid=$!
i=0
while [ $i -lt 100 ] && [ "$(sqlite3 "$T/midlock.db" "select count(*) from sessions where outcome = 'running'" 2>/dev/null)" != 1 ]; do
	i=$((i + 1))
	sleep 0.02
done
# Held until the run is over, so the lock outlasts its end on any machine.
{ echo '.timeout 5000'; echo 'BEGIN EXCLUSIVE;'
  while [ ! -e "$T/release" ]; do sleep 0.05; done; echo 'COMMIT;'; } |
    sqlite3 "$T/midlock.db" &
lockpid=$!
wait $runpid
st=$?
touch "$T/release"
wait $lockpid
"$FD" history --db "$T/midlock.db" > /dev/null 2>&1
if [ "$st" -eq 0 ]; then
	check "locked mid-recording: it finished before the lock (recorded)" \
	    test "$(sqlite3 "$T/midlock.db" "select count(*) from sessions where outcome = 'lost'")" -eq $((n0 + 1))
else
	j=$(saved)
	if [ -n "$j" ] && "$FD" import "$j" --db "$T/midlock.db" > /dev/null 2>&1 &&
	    [ "$(sqlite3 "$T/midlock.db" "select count(*) from sessions where outcome in ('running', 'interrupted')")" = 0 ]; then
		ok "locked mid-recording: saved as JSON; the import makes the partial session whole"
	else
		not_ok "locked mid-recording: status $st, JSON '$j'"
		sed 's/^/# /' "$T/err" | head -3
	fi
fi

# --- damaged: seeded random bytes over the last pages ---
cp "$GOOD" "$T/corrupt.db"
for i in 1 2 3; do "$FD" run bad-deploy --until 2m --db "$T/corrupt.db" > /dev/null 2>&1; done
size=$(wc -c < "$T/corrupt.db")
pages=$((size / 4096))
awk -v n=8192 'BEGIN { srand(9); for (i = 0; i < n; i++) printf "%02x", int(rand() * 256) }' |
    xxd -r -p | dd of="$T/corrupt.db" bs=4096 seek=$((pages - 2)) conv=notrunc 2>/dev/null
check "damaged: sqlite3's quick_check sees it" sh -c \
    "[ \"\$(sqlite3 '$T/corrupt.db' 'pragma quick_check' 2>&1 | head -1)\" != ok ]"
s=$(sum "$T/corrupt.db")
fdrun "$T/corrupt.db"
lost "damaged"
unchanged "damaged" "$T/corrupt.db" "$s"
check "damaged: the message says how to recover" grep -q 'sqlite3 .*\.recover' "$T/err"

# --- a future schema, a foreign file, not SQLite at all ---
cp "$GOOD" "$T/future.db"
sqlite3 "$T/future.db" 'PRAGMA user_version = 99'
s=$(sum "$T/future.db")
fdrun "$T/future.db"
lost "future schema"
unchanged "future schema" "$T/future.db" "$s"
check "future schema: says a newer firedrill made it" grep -q 'newer firedrill' "$T/err"
"$FD" history --db "$T/future.db" > /dev/null 2>&1
unchanged "future schema, read by history" "$T/future.db" "$s"

# A database of today's firedrill (no application_id) at schema 99.
sqlite3 "$T/future0.db" 'CREATE TABLE players (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE sessions (id INTEGER PRIMARY KEY); CREATE TABLE events (id INTEGER PRIMARY KEY); CREATE TABLE scores (session_id INTEGER PRIMARY KEY); PRAGMA user_version = 99;' > /dev/null
s=$(sum "$T/future0.db")
fdrun "$T/future0.db"
lost "future schema without application_id"
unchanged "future schema without application_id" "$T/future0.db" "$s"

sqlite3 "$T/foreign.db" 'CREATE TABLE notes (x); INSERT INTO notes VALUES (1);'
s=$(sum "$T/foreign.db")
fdrun "$T/foreign.db"
lost "foreign SQLite file"
unchanged "foreign SQLite file" "$T/foreign.db" "$s"
check "foreign SQLite file: still in its own journal mode" sh -c \
    "[ \"\$(sqlite3 '$T/foreign.db' 'pragma journal_mode')\" = delete ]"

sqlite3 "$T/foreignwal.db" 'PRAGMA journal_mode = WAL; CREATE TABLE notes (x);' > /dev/null
s=$(sum "$T/foreignwal.db")
"$FD" history --db "$T/foreignwal.db" > /dev/null 2> "$T/err"
check "foreign WAL file read by history: refused in one line" sh -c \
    "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'not a firedrill database' '$T/err'"
unchanged "foreign WAL file read by history" "$T/foreignwal.db" "$s"

sqlite3 "$T/appid.db" 'PRAGMA application_id = 1234; PRAGMA user_version = 2;'
s=$(sum "$T/appid.db")
fdrun "$T/appid.db"
lost "another program's application_id"
unchanged "another program's application_id" "$T/appid.db" "$s"

printf 'just some text\n' > "$T/text.db"
s=$(sum "$T/text.db")
fdrun "$T/text.db"
lost "not an SQLite file"
unchanged "not an SQLite file" "$T/text.db" "$s"

"$FD" run bad-deploy --until 20s --db "" > "$T/out" 2> "$T/err"
st=$?
check "--db '': refused in one line, nothing run" sh -c \
    "[ $st -ne 0 ] && [ \$(wc -l < '$T/err') -eq 1 ] && [ ! -s '$T/out' ]"
"$FD" run bad-deploy --until 20s --db /dev/null > "$T/out" 2> "$T/err"
st=$?
check "--db /dev/null: refused, one line, no /dev/null-journal" sh -c \
    "[ $st -ne 0 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'not a regular file' '$T/err' && [ ! -e /dev/null-journal ]"

# --- import: once, and bad files in one line with nothing written ---
s=$(sum "$GOOD")
"$FD" import "$last_json" --db "$GOOD" > "$T/out" 2> "$T/err"
st=$?
check "import twice: refused in one line naming the session" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'already in .* as session [0-9]' '$T/err'"
printf '{"format":"firedrill-session",' > "$T/bad.json"
"$FD" import "$T/bad.json" --db "$GOOD" > "$T/out" 2> "$T/err"
st=$?
check "import of broken JSON: one line, status 1" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'bad.json: not valid JSON' '$T/err'"
jq '.events[3].t_ms = "soon"' "$last_json" > "$T/bad2.json"
"$FD" import "$T/bad2.json" --db "$GOOD" > "$T/out" 2> "$T/err"
st=$?
check "import of a bad field: one line naming it" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'events\[3\] is missing or of the wrong type' '$T/err'"
"$FD" import "$T/no-such.json" --db "$GOOD" > "$T/out" 2> "$T/err"
st=$?
check "import of a missing file: one line" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ]"
check "…and none of them changed the database" test "$(sum "$GOOD")" = "$s"

# --- a full file system: the file size limit of the process ---
(trap '' XFSZ; ulimit -f 24; exec "$FD" run bad-deploy --until 20s \
    --db "$T/full.db" --json > /dev/null 2> "$T/err")
st=$?
if [ "$st" -eq 0 ] && [ "$(sqlite3 "$T/full.db" "select count(*) from sessions where outcome = 'timeout'")" = 1 ]; then
	ok "full file system: recorded after all"
else
	lost "full file system"
fi
check "full file system: the database passes its check" sh -c \
    "[ ! -e '$T/full.db' ] || [ \"\$(sqlite3 '$T/full.db' 'pragma integrity_check')\" = ok ]"

# --- kill -9 at seeded moments while recording ---
KDB=$T/kill.db
awk 'BEGIN { srand(7); for (i = 0; i < 5; i++) printf "%.2f\n", 0.1 + rand() * 0.9 }' > "$T/delays"
while read -r d; do
	"$FD" run bad-deploy --until 4h --play-on --db "$KDB" > /dev/null 2>&1 &
	p=$!
	sleep "$d"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	[ "$(sqlite3 "$KDB" 'pragma integrity_check' 2>&1)" = ok ] || break
done < "$T/delays"
check "kill -9: the database passes integrity_check every time" sh -c \
    "[ \"\$(sqlite3 '$KDB' 'pragma integrity_check')\" = ok ]"
"$FD" history --db "$KDB" --json > "$T/kh.json"
jcheck "kill -9: next open marks the killed sessions interrupted" "$T/kh.json" \
    'length > 0 and all(.[]; .outcome != "running") and any(.[]; .outcome == "interrupted")'
kid=$(jq '[.[] | select(.outcome == "interrupted")][0].id' "$T/kh.json")
check "kill -9: replay --verify checks what was recorded" \
    "$FD" replay "$kid" --verify --db "$KDB"
"$FD" debrief "$kid" --db "$KDB" > "$T/kd.md" 2> "$T/err"
check "kill -9: debrief says where it was interrupted" grep -q 'interrupted at [0-9]' "$T/kd.md"
printf '' > "$T/none.cmds"
kat=$(jq "[.[] | select(.id == $kid)][0].sim_ms / 2000 | floor" "$T/kh.json")
check "kill -9: replay --branch-at plays on from it" \
    "$FD" replay "$kid" --branch-at "${kat}s" --commands "$T/none.cmds" --db "$KDB"

# --- concurrent writers ---
CDB=$T/many.db
"$FD" run bad-deploy --until 1s --db "$CDB" > /dev/null
pids=
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$FD" run db-pool-exhaustion --expert --play-on --until 20m --seed $i \
	    --db "$CDB" > /dev/null 2> "$T/c$i.err" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait $p || fails=$((fails + 1)); done
check "10 concurrent writers all exit 0" test "$fails" -eq 0
check "…each is recorded whole, none left running" sh -c \
    "[ \"\$(sqlite3 '$CDB' \"select count(*) from sessions s join scores c on c.session_id = s.id where s.outcome <> 'running' and s.incident = 'db-pool-exhaustion'\")\" -eq 10 ] && [ \"\$(sqlite3 '$CDB' \"select count(*) from sessions where outcome = 'running'\")\" -eq 0 ]"
"$FD" run db-pool-exhaustion --expert --play-on --until 20m --seed 3 --no-record --json > "$T/c3.json"
check "…with every event" sh -c \
    "[ \"\$(sqlite3 '$CDB' \"select count(*) from events e join sessions s on s.id = e.session_id where s.seed = 3 and s.incident = 'db-pool-exhaustion'\")\" -eq \$(jq '.events | length' '$T/c3.json') ]"

done_testing
