#!/bin/sh
# The command-line contract other tools rely on, and bad input of every
# kind: each gets one clear line and changes nothing.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
T=$TESTS_TMPDIR/cli
rm -rf "$T"
mkdir -p "$T"
FD=$FIREDRILL

# --- GNU-style options and the in-game help ---
check "--version names the program and the API" sh -c "'$FD' --version | grep -q 'firedrill .*API 1'"
check "--help lists the subcommands" sh -c "'$FD' --help | grep -q 'run INCIDENT'"
check "run --help shows run's options" sh -c "'$FD' run --help | grep -q -- '--trace'"
check "help ack shows its usage" sh -c "'$FD' help ack | grep -q 'usage: ack'"
check "help for an unknown verb suggests one" sh -c "'$FD' help shwo 2>&1 | grep -q \"did you mean 'show'\""

# --- list ---
"$FD" list --json > "$T/list.json"
jcheck "list --json lists the incidents" "$T/list.json" '[.[].id] | contains(["db-pool-exhaustion","cascading-failure","bad-deploy","cache-stampede","cache-penetration","cache-hot-key","cache-avalanche"])'
jcheck "list --json gives id, section, title and difficulty" "$T/list.json" 'all(.[]; has("id") and has("section") and has("title") and has("difficulty"))'
check "list prints a table" sh -c "'$FD' list | grep -q '^bad-deploy .*4.4'"

# --- bad usage: one line, non-zero ---
one_line_error() {	# DESC EXPECTED-STATUS ARGS...
	desc=$1 want=$2
	shift 2
	"$FD" "$@" > "$T/out" 2> "$T/err"
	st=$?
	if [ "$st" -eq "$want" ] && [ "$(wc -l < "$T/err")" -ge 1 ] &&
	    [ ! -s "$T/out" ] || { [ "$st" -eq "$want" ] && [ "$want" -eq 2 ]; }; then
		ok "$desc"
	else
		not_ok "$desc (status $st)"
		sed 's/^/# /' "$T/err" | head -3
	fi
}
one_line_error "an unknown incident is refused" 1 run no-such-incident
check "… and the message names it" grep -q "unknown incident 'no-such-incident'" "$T/err"
one_line_error "run without an incident is a usage error" 2 run
one_line_error "a bad seed is a usage error" 2 run bad-deploy --seed banana
one_line_error "a bad --until is a usage error" 2 run bad-deploy --until soon
one_line_error "an unknown subcommand is a usage error" 2 frobnicate
printf '0:10 status\nsoon ack ALRT-ERR\n' > "$T/badtime.cmds"
one_line_error "a bad time in a commands file is refused" 1 run bad-deploy --commands "$T/badtime.cmds"
check "… with file:line" grep -q "badtime.cmds:2: bad time 'soon'" "$T/err"
printf '1:00 status\n0:30 status\n' > "$T/back.cmds"
one_line_error "time going backwards is refused" 1 run bad-deploy --commands "$T/back.cmds"
one_line_error "--trace of an unknown metric is refused" 1 run bad-deploy --until 1s --trace no_such_metric

# --- the console refuses what it cannot draw on ---
"$FD" play bad-deploy < /dev/null > "$T/play.out" 2> "$T/play.err"
st=$?
check "play without a terminal: status 1" test "$st" -eq 1
check "…with one line pointing at firedrill run" sh -c \
    "[ \$(wc -l < '$T/play.err') -eq 1 ] && grep -q 'needs a terminal.*firedrill run' '$T/play.err'"
check "…and nothing drawn on stdout" test ! -s "$T/play.out"
"$FD" < /dev/null > "$T/bare.out" 2> "$T/bare.err"
check "bare firedrill without a terminal refuses the same way" grep -q 'needs a terminal' "$T/bare.err"
one_line_error "play of an unknown incident is refused before the screen" 1 play no-such-incident
one_line_error "play with a bad speed is a usage error" 2 play bad-deploy --speed 3
if command -v script >/dev/null 2>&1; then
	TERM=dumb script -qec "'$FD' play bad-deploy" /dev/null > "$T/dumb.out" 2>&1
	check "TERM=dumb is refused with a hint" grep -q 'TERM=dumb cannot draw' "$T/dumb.out"
fi

# --- broken and hostile scripts: refused with file:line, never a crash ---
script_refused() {	# DESC FILE PATTERN
	"$FD" run "$2" --until 1s --no-record > "$T/out" 2> "$T/err"
	st=$?
	if [ "$st" -eq 1 ] && grep -qE "$3" "$T/err" && [ "$(wc -l < "$T/err")" -eq 1 ]; then
		ok "$1"
	else
		not_ok "$1 (status $st)"
		sed 's/^/# /' "$T/err" | head -3
	fi
}
cat > "$T/syntax.lua" <<'LUA'
return {
  api = 1, id = "broken", title = "Broken",
  root_cause = "x"
  slo = {},
}
LUA
script_refused "a syntax error is refused with file:line" "$T/syntax.lua" 'syntax.lua:4: .*expected'
cat > "$T/loop.lua" <<'LUA'
return {
  api = 1, id = "loop", title = "Endless", root_cause = "x",
  world = function(w)
    while true do end
  end,
}
LUA
script_refused "an endless loop is stopped by the instruction budget" "$T/loop.lua" 'loop.lua:4: instruction budget exceeded'
cat > "$T/mem.lua" <<'LUA'
return {
  api = 1, id = "mem", title = "Greedy", root_cause = "x",
  world = function(w)
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
  end,
}
LUA
script_refused "a 1 GB allocation is stopped by the memory cap" "$T/mem.lua" 'mem.lua.*memory limit'
cat > "$T/io.lua" <<'LUA'
return {
  api = 1, id = "io", title = "Escape", root_cause = "x",
  world = function(w)
    io.open("/etc/passwd")
  end,
}
LUA
script_refused "io is absent from the sandbox" "$T/io.lua" "io.lua:4: .*'io'"
cat > "$T/os.lua" <<'LUA'
os.execute("touch /tmp/firedrill-pwned")
return { api = 1, id = "os", title = "Escape", root_cause = "x" }
LUA
script_refused "os is absent from the sandbox" "$T/os.lua" "os.lua:1: .*'os'"
cat > "$T/unknown.lua" <<'LUA'
return { api = 1, id = "typo", title = "Typo", root_cause = "x", rootcause = "y" }
LUA
script_refused "an unknown field is refused" "$T/unknown.lua" "unknown.lua: .*unknown field 'rootcause'"
cat > "$T/api.lua" <<'LUA'
return { api = 2, id = "future", title = "Future", root_cause = "x" }
LUA
script_refused "a newer API version is refused" "$T/api.lua" "API 2"
cat > "$T/badslo.lua" <<'LUA'
return { api = 1, id = "slo", title = "Bad SLO", root_cause = "x",
  slo = { "no_such_metric < 1" } }
LUA
script_refused "an SLO naming no metric is refused" "$T/badslo.lua" "no_such_metric"
cat > "$T/badsvc.lua" <<'LUA'
return { api = 1, id = "svc", title = "Bad service", root_cause = "x",
  world = function(w) w:set("svc.nope.instances", 3) end }
LUA
script_refused "an unknown service in world() is refused with its line" "$T/badsvc.lua" "badsvc.lua:2: unknown service 'nope'"
cat > "$T/badtable.lua" <<'LUA'
return { api = 1, id = "tbl", title = "Bad table", root_cause = "x",
  world = function(w)
    w:table{ name = "orders", used_by = { "order.nope" } } end }
LUA
script_refused "a table used by an unknown class is refused with its line" "$T/badtable.lua" "badtable.lua:3: table orders: unknown class 'order.nope'"
cat > "$T/runtime.lua" <<'LUA'
return { api = 1, id = "rt", title = "Runtime", root_cause = "x",
  events = { { at = 1, run = function(w) local x = nil; return x.y end } } }
LUA
"$FD" run "$T/runtime.lua" --until 3s --no-record --json > "$T/rt.json" 2> "$T/err"
jcheck "an error in a running event is recorded, and the run completes" "$T/rt.json" \
    '[.events[] | select(.kind == "info" and (.text | test("runtime.lua:2: attempt to index")))] | length == 1'
check "no script escaped the sandbox" test ! -e /tmp/firedrill-pwned

# --- malformed commands: one line each, nothing changes ---
{
	echo "0:05 frobnicate everything"
	echo "0:05 shwo map"
	echo "0:05 scale"
	echo "0:05 scale nosuchservice 3"
	echo "0:05 scale order 100000"
	echo "0:05 scale order -3"
	echo "0:05 set order->payment.timeout forever"
	echo "0:05 breaker sideways order->payment"
	echo "0:05 breaker open nowhere->nothing"
	echo "0:05 ack ALRT-NOPE"
	echo "0:05 diagnose Not An Id"
	echo "0:05 flag on no_such_flag"
	echo "0:05 deploy order no-such-patch"
	echo "0:05 rollback"
	echo "0:05 set \"unterminated"
	printf '0:05 '; head -c 10240 /dev/zero | tr '\0' 'x'; echo
} > "$T/garbage.cmds"
"$FD" run bad-deploy --seed 7 --until 90s --no-record --json --commands "$T/garbage.cmds" > "$T/garbage.json" 2>"$T/err"
jcheck "malformed commands do not stop the run" "$T/garbage.json" '.outcome == "timeout"'
jcheck "every malformed command is refused" "$T/garbage.json" '[.commands[] | select(.ok)] | length == 0'
jcheck "each refusal is one line" "$T/garbage.json" 'all(.commands[]; (.output | rtrimstr("\n") | split("\n") | length) == 1)'
printf '0:05 enable mutex no-such-keyspace\n0:05 enable disk-autoexpand pg-1 at=80%%\n0:05 run disk expand pg-1 3000GB\n' > "$T/mech.cmds"
"$FD" run cache-stampede --seed 1 --until 10s --no-record --json --commands "$T/mech.cmds" > "$T/mech.json" 2>"$T/err"
jcheck "an unknown keyspace is named in the refusal" "$T/mech.json" '.commands[0].output | test("no-such-keyspace")'
jcheck "a disk mechanism on a world without a volume says so" "$T/mech.json" '(.commands[1].output | test("no (database )?volume")) and (.commands[1].ok | not)'
jcheck "so does a disk operation" "$T/mech.json" '(.commands[2].output | test("no (database )?volume")) and (.commands[2].ok | not)'
printf '0:05 show db tables\n0:05 show db indexes nope\n0:05 show db replication\n' > "$T/dbshow.cmds"
"$FD" run db-disk-full --seed 1 --until 10s --no-record --json --commands "$T/dbshow.cmds" > "$T/dbshow.json" 2>"$T/err"
jcheck "show db tables lists the tables with size and dead tuples" "$T/dbshow.json" '.commands[0].ok and (.commands[0].output | test("orders +pg-1 +500000000 +700"))'
jcheck "show db indexes of an unknown table is refused" "$T/dbshow.json" '(.commands[1].ok | not) and (.commands[1].output | test("no table .nope."))'
jcheck "show db replication is show db repl" "$T/dbshow.json" '.commands[2].ok'
printf '0:01 help run\n' > "$T/helprun.cmds"
"$FD" run db-disk-full --until 5s --no-record --json --commands "$T/helprun.cmds" > "$T/helprun.json" 2>"$T/err"
jcheck "help run lists each operation on its own line" "$T/helprun.json" '.commands[0].output | test("\n +run disk clean NODE") and (split("\n") | all(length < 90))'
jcheck "an unknown verb gets a suggestion" "$T/garbage.json" '.commands[1].output | test("did you mean .show.")'
jcheck "10 kB of garbage is refused as too long" "$T/garbage.json" '.commands[-1].output | test("too long")'
printf '# nothing\n' > "$T/one.cmds"
"$FD" run bad-deploy --seed 7 --until 90s --no-record --json --commands "$T/one.cmds" > "$T/clean.json"
check "refused commands change nothing: the state hash is the same" \
    sh -c "[ \"\$(jq -r .state_hash '$T/garbage.json')\" = \"\$(jq -r .state_hash '$T/clean.json')\" ]"

# --- determinism ---
"$FD" run db-pool-exhaustion --seed 42 --no-record --json --expert > "$T/d1.json"
"$FD" run db-pool-exhaustion --seed 42 --no-record --json --expert > "$T/d2.json"
"$FD" run db-pool-exhaustion --seed 43 --no-record --json --expert > "$T/d3.json"
check "same seed and commands: identical state hash" \
    sh -c "[ \"\$(jq -r .state_hash '$T/d1.json')\" = \"\$(jq -r .state_hash '$T/d2.json')\" ]"
check "same seed and commands: identical timeline" \
    sh -c "[ \"\$(jq -c .events '$T/d1.json')\" = \"\$(jq -c .events '$T/d2.json')\" ]"
check "another seed: different detail" \
    sh -c "[ \"\$(jq -r .state_hash '$T/d1.json')\" != \"\$(jq -r .state_hash '$T/d3.json')\" ]"
check "another seed: the same lesson (won, same phases reached)" \
    sh -c "[ \"\$(jq -c '[.outcome, (.phases|map_values(. != null))]' '$T/d1.json')\" = \"\$(jq -c '[.outcome, (.phases|map_values(. != null))]' '$T/d3.json')\" ]"

# --- the JSON contract ---
"$FD" run bad-deploy --seed 3 --until 3m --json --no-record \
    --trace gw_error_ratio_pct,svc_rps{svc=product} > "$T/contract.json"
jcheck "JSON has every contract key" "$T/contract.json" 'has("incident") and has("seed") and has("api") and has("outcome") and has("phases") and has("score") and has("metrics") and has("trace") and has("events") and has("state_hash")'
jcheck "phases has the four timers" "$T/contract.json" '.phases | has("detect_ms") and has("triage_ms") and has("mitigate_ms") and has("fix_ms")'
jcheck "--until first: outcome timeout" "$T/contract.json" '.outcome == "timeout" and .seed == 3 and .api == 1'
jcheck "a name without labels traces every series of it" "$T/contract.json" '[.trace | keys[] | select(startswith("gw_error_ratio_pct{"))] | length == 6'
jcheck "traces are per second as [t_s, value]" "$T/contract.json" '.trace["svc_rps{svc=\"product\"}"] | length == 181 and .[0][0] == 0 and .[180][0] == 180'
jcheck "metrics are keyed by full name with labels" "$T/contract.json" '.metrics | has("db_pool_utilization_pct{svc=\"order\",pool=\"main\"}")'
jcheck "events carry t_ms, kind, actor and text" "$T/contract.json" 'all(.events[]; has("t_ms") and has("kind") and has("actor") and has("text"))'
check "an incident can be given as a .lua path" sh -c \
    "'$FD' run '$TESTS_SRCDIR/../lua/incidents/bad-deploy.lua' --until 10s --no-record --json | jq -e '.incident == \"bad-deploy\"'"
check "commands can come from standard input" sh -c \
    "printf '0:01 status\n' | '$FD' run bad-deploy --until 5s --no-record --json --commands - | jq -e '.commands | length == 1'"
check "the readable summary shows outcome, phases, score and timeline" sh -c \
    "'$FD' run bad-deploy --until 3m --no-record | grep -q '^Outcome: timeout' && '$FD' run bad-deploy --until 3m --no-record | grep -q '^Timeline'"

# --- the store ---
DB="$T/sessions.db"
"$FD" run bad-deploy --until 2m --db "$DB" --player ada > /dev/null
"$FD" run bad-deploy --until 1m --db "$DB" --player ada > /dev/null
if command -v sqlite3 >/dev/null 2>&1; then
	check "every run is recorded" sh -c "[ \"\$(sqlite3 '$DB' 'select count(*) from sessions')\" = 2 ]"
	check "with its outcome, score and events" sh -c \
	    "[ \"\$(sqlite3 '$DB' \"select count(*) from sessions s join scores c on c.session_id = s.id where s.outcome = 'timeout' and s.incident = 'bad-deploy'\")\" = 2 ] && [ \"\$(sqlite3 '$DB' 'select count(*) from events')\" -gt 4 ]"
	check "the database is in WAL mode" sh -c "[ \"\$(sqlite3 '$DB' 'pragma journal_mode')\" = wal ]"
fi
"$FD" run bad-deploy --until 30s --json --db /nonexistent/dir/x.db > "$T/nodb.json" 2> "$T/nodb.err"
check "a missing database directory: one warning line, the run still completes" sh -c \
    "jq -e '.outcome == \"timeout\"' '$T/nodb.json' >/dev/null && [ \$(wc -l < '$T/nodb.err') -eq 1 ] && grep -q 'session not recorded: .*does not exist' '$T/nodb.err'"
FIREDRILL_DB="$T/env.db" "$FD" run bad-deploy --until 10s > /dev/null
check "FIREDRILL_DB picks the database" test -s "$T/env.db"
XDG_DATA_HOME="$T/xdg" FIREDRILL_DB= "$FD" run bad-deploy --until 10s > /dev/null
check "the default database lives under XDG_DATA_HOME/firedrill" test -s "$T/xdg/firedrill/firedrill.db"

done_testing
