#!/bin/sh
# Hostile incident scripts (tests/hostile/cases.txt): each is refused at load
# with one "file:line:" line, or contained at run time with exactly one
# script error naming file:line while the game runs to its end; never a
# crash, a sanitizer report, raw control bytes or a hang.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
T=$TESTS_TMPDIR/hostile
rm -rf "$T"
mkdir -p "$T"
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

n=0
grep '^[a-z]' "$TESTS_SRCDIR/hostile/cases.txt" > "$T/cases"
while IFS='|' read -r where expect lua; do
	n=$((n + 1))
	make_case "$n" "$where" "$lua"
	f=$T/hostile-$n.lua
	desc="$n $where $expect: $lua"
	timeout "$GUARD" "$FD" run "$f" --until ${UNTIL}s --no-record --json \
	    > "$T/out" 2> "$T/err" < /dev/null
	st=$?
	why=
	if [ "$st" -ge 124 ]; then
		why="status $st (hang, crash or sanitizer)"
	elif ! no_ctl "$T/err"; then
		why="raw control bytes on stderr"
	elif [ "$expect" = refused ]; then
		if [ "$st" -ne 1 ]; then
			why="status $st, not 1"
		elif [ "$(wc -l < "$T/err")" -ne 1 ]; then
			why="$(wc -l < "$T/err") lines on stderr"
		elif ! grep -q "^firedrill: $f:[0-9][0-9]*: " "$T/err"; then
			why="no file:line"
		fi
	elif [ "$st" -ne 0 ] || [ -s "$T/err" ]; then
		why="status $st"
	else
		jq -r '[.events[] | select(.detail == "script error") |
		    .text] | length' "$T/out" > "$T/nerr" 2>/dev/null
		jq -r '.events[] | select(.detail == "script error") | .text' \
		    "$T/out" > "$T/errs" 2>/dev/null
		nerr=$(cat "$T/nerr")
		if [ "$(jq -r .sim_ms "$T/out")" != $((UNTIL * 1000)) ]; then
			why="the game did not run to its end"
		elif [ "$expect" = clean ] && [ "$nerr" != 0 ]; then
			why="$nerr script errors: $(head -c 200 "$T/errs")"
		elif [ "$expect" = contained ] && [ "$nerr" != 1 ]; then
			why="$nerr script errors, not 1: $(head -c 200 "$T/errs")"
		elif [ "$expect" = contained ] &&
		    ! grep -q "^$f:[0-9][0-9]*: " "$T/errs"; then
			why="no file:line: $(head -c 200 "$T/errs")"
		elif ! no_ctl "$T/errs"; then
			why="raw control bytes in the script error"
		fi
	fi
	if [ -z "$why" ]; then
		ok "$desc"
		rm -f "$f"
	else
		not_ok "$desc ($why)"
		head -c 300 "$T/err" | sed 's/^/# /'
	fi
done < "$T/cases"
done_testing
