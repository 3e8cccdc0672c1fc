#!/bin/sh
# Hostile incident scripts (tests/hostile/cases.txt): each is refused at load
# with one "file:line:" line, or contained at run time with exactly one
# script error naming file:line while the game runs to its end; never a
# crash, a sanitizer report, raw control bytes or a hang.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
T=$TESTS_TMPDIR/hostile
FD=$FIREDRILL
# Only a guard against a hang taking the whole suite down, not a timing.
GUARD=${HOSTILE_GUARD:-300}
UNTIL=20

# make_case N WHERE LUA: write $T/hostile-N.lua
make_case() {
	f=$T/hostile-$1.lua
	pre='' world='' tick='' ev=''
	case $2 in
	load)	pre=$3 ;;
	world)	world="world = function(w) $3 end," ;;
	once)	tick="on_tick = function(w, now) if now == 2 then $3 end end," ;;
	tick)	tick="on_tick = function(w, now) if now >= 2 then $3 end end," ;;
	event)	ev="events = { { at = 2, run = function(w) $3 end } }," ;;
	esac
	cat > "$f" <<LUA
$pre
return {
  api = 1, id = "hostile-$1", section = "0.9", title = "Hostile $1",
  severity = "P1", platform = "shopco", root_cause = "hostile",
  slo = { 'gw_error_ratio_pct{route="GET /search"} < 1' },
  lose = { budget_pct = 100, unmitigated_s = 100000 },
  $world
  $tick
  $ev
}
LUA
}

# No byte below 0x20 but newline, and no DEL, in a file.
no_ctl() {
	! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1"
}

# run_case N WHERE EXPECT LUA: print "ok - ..." or "not ok - ..." and
# diagnostics for one case.
run_case() {
	n=$1 where=$2 expect=$3 lua=$4
	make_case "$n" "$where" "$lua"
	f=$T/hostile-$n.lua
	o=$T/out-$n e=$T/err-$n
	desc="$n $where $expect: $lua"
	# The file and line, as Lua names a chunk: a path longer than its
	# LUA_IDSIZE keeps its end behind "..." (distcheck's deep build tree).
	loc="([^ ]*/)?hostile-$n\\.lua:[0-9]+: "
	timeout "$GUARD" "$FD" run "$f" --until ${UNTIL}s --no-record --json \
	    > "$o" 2> "$e" < /dev/null
	st=$?
	why=
	if [ "$st" -ge 124 ]; then
		why="status $st (hang, crash or sanitizer)"
	elif ! no_ctl "$e"; then
		why="raw control bytes on stderr"
	elif [ "$expect" = refused ]; then
		if [ "$st" -ne 1 ]; then
			why="status $st, not 1"
		elif [ "$(wc -l < "$e")" -ne 1 ]; then
			why="$(wc -l < "$e") lines on stderr"
		elif ! grep -Eq "^firedrill: $loc" "$e"; then
			why="no file:line"
		fi
	elif [ "$st" -ne 0 ] || [ -s "$e" ]; then
		why="status $st"
	else
		jq -r '.events[] | select(.detail == "script error") | .text' \
		    "$o" > "$e.errs" 2>/dev/null
		nerr=$(wc -l < "$e.errs")
		if [ "$(jq -r .sim_ms "$o")" != $((UNTIL * 1000)) ]; then
			why="the game did not run to its end"
		elif [ "$expect" = clean ] && [ "$nerr" -ne 0 ]; then
			why="$nerr script errors: $(head -c 200 "$e.errs")"
		elif [ "$expect" = contained ] && [ "$nerr" -ne 1 ]; then
			why="$nerr script errors, not 1: $(head -c 200 "$e.errs")"
		elif [ "$expect" = contained ] &&
		    ! grep -Eq "^$loc" "$e.errs"; then
			why="no file:line: $(head -c 200 "$e.errs")"
		elif ! no_ctl "$e.errs"; then
			why="raw control bytes in the script error"
		fi
	fi
	if [ -z "$why" ]; then
		printf 'ok - %s\n' "$desc"
		rm -f "$f" "$o" "$e" "$e.errs"
	else
		printf 'not ok - %s (%s)\n' "$desc" "$why"
		head -c 300 "$e" | sed 's/^/# /'
	fi
}

if [ "${1:-}" = --case ]; then
	# One case, by number: the parallel runs below call back here.
	sed -n "$2p" "$T/cases" | {
		IFS='|' read -r where expect lua
		run_case "$2" "$where" "$expect" "$lua"
	} > "$T/result-$2"
	exit 0
fi

rm -rf "$T"
mkdir -p "$T"
grep '^[a-z]' "$TESTS_SRCDIR/hostile/cases.txt" > "$T/cases"
ncases=$(wc -l < "$T/cases")
# Cases are independent: run them HOSTILE_JOBS at a time, report in order.
seq 1 "$ncases" | xargs -P "${HOSTILE_JOBS:-2}" -I{} \
    sh "$0" --case {}
i=1
while [ "$i" -le "$ncases" ]; do
	if [ -s "$T/result-$i" ]; then
		cat "$T/result-$i"
		case $(head -1 "$T/result-$i") in
		"ok "*)	tap_n=$((tap_n + 1)) ;;
		*)	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)) ;;
		esac
	else
		not_ok "case $i: no result"
	fi
	i=$((i + 1))
done
done_testing
