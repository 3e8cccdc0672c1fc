#!/bin/sh
# Bad input a player or a script will sooner or later type: commands that
# used to crash, times and options that were wrong but accepted, output
# that went nowhere, and control bytes echoed raw.  Each gets one clear
# line, the right exit status, and nothing raw reaches the terminal.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

T=$TESTS_TMPDIR/bad-input
rm -rf "$T"
mkdir -p "$T"
FD=$FIREDRILL
INCIDENTS="db-pool-exhaustion cascading-failure bad-deploy cache-stampede
cache-penetration cache-hot-key cache-avalanche slow-query-full-scan
db-disk-full replica-lag-stale-read write-ceiling deadlock-lock-order
noisy-neighbor"

# run_cmds DESC INCIDENT LINE...: the lines at 0:01, a short run; passes
# when firedrill exits 0 and says nothing on stderr (no sanitizer report).
run_cmds() {
	desc=$1 inc=$2
	shift 2
	: > "$T/in.cmds"
	for l in "$@"; do printf '0:01 %s\n' "$l" >> "$T/in.cmds"; done
	"$FD" run "$inc" --commands "$T/in.cmds" --until 3s --no-record \
	    > "$T/out" 2> "$T/err"
	st=$?
	if [ "$st" -eq 0 ] && [ ! -s "$T/err" ]; then
		ok "$desc"
	else
		not_ok "$desc (status $st)"
		head -3 "$T/err" | sed 's/^/# /'
	fi
}

# --- typed commands that crashed ---
diag "section: typed commands"
for inc in $INCIDENTS; do
	run_cmds "kill job nosuchjob in $inc" "$inc" "kill job nosuchjob"
	check "… is refused by name in $inc" grep -q "no job 'nosuchjob'" "$T/out"
done
run_cmds "a bad canary stage after a good one" bad-deploy \
    "set deploy.product.strategy canary 1srv,abc,50"
check "… is refused naming the stage" grep -q "bad canary stage 'abc'" "$T/out"

# A tab inside quotes stayed in the word and reached the screen raw
# ("no log lines from a<TAB>b"; found by fuzz-command in CI).
run_cmds "a tab inside quotes" bad-deploy "$(printf 'logs "a\tb"')"
check "… is refused, saying so" grep -q "tab inside quotes" "$T/out"
check "… and no raw tab is printed" sh -c "! grep -q '$(printf 'a\tb')' '$T/out'"

# one_line DESC STATUS ARGS...: exactly one line on stderr, empty stdout.
one_line() {
	desc=$1 want=$2
	shift 2
	"$FD" "$@" > "$T/out" 2> "$T/err"
	st=$?
	if [ "$st" -eq "$want" ] && [ "$(wc -l < "$T/err")" -eq 1 ] &&
	    [ ! -s "$T/out" ] && ! grep -q 'runtime error' "$T/err"; then
		ok "$desc"
	else
		not_ok "$desc (status $st)"
		head -3 "$T/err" | sed 's/^/# /'
	fi
}

# has_ctl FILE: the file holds a C0 control byte other than \n or \t, or
# DEL, or a UTF-8 C1 control.
has_ctl() {
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" ||
	    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"
}

# --- times in a commands file ---
diag "section: times"
for t in 5555555555555555555551:30 99999:99 1:99 1:60:00 1:1e15 0x10 1e3 \
    1:5 inf nan 99999999999999999999 1:30:00:00 '1: 30' 9999999h; do
	printf '0:01 status\n%s status\n' "$t" > "$T/t.cmds"
	one_line "time '$t' is refused" 1 run bad-deploy --commands "$T/t.cmds" \
	    --no-record
	check "… naming the line" grep -q "t.cmds:2: " "$T/err"
done
printf '0:01 status\n5:00 status\n' > "$T/late.cmds"
one_line "a command after --until is refused" 1 run bad-deploy \
    --commands "$T/late.cmds" --until 2m --no-record
check "… naming the line and the end" grep -q "late.cmds:2: .*after the end of the run" "$T/err"
printf '0:01 status\n4:00:01 status\n' > "$T/cap.cmds"
one_line "a command after the run cap is refused" 1 run bad-deploy \
    --commands "$T/cap.cmds" --no-record
check "… naming the line" grep -q "cap.cmds:2: " "$T/err"

# --- options ---
diag "section: options"
one_line "--until 1e9d is refused" 2 run bad-deploy --until 1e9d --no-record
one_line "--until 8d is refused" 2 run bad-deploy --until 8d --no-record
check "… naming the limit" grep -q "at most 7 days" "$T/err"
one_line "--seed ' -1' is refused" 2 run bad-deploy --seed " -1" --no-record
one_line "--seed -1 is refused" 2 run bad-deploy --seed -1 --no-record
one_line "--seed +1 is refused" 2 run bad-deploy --seed +1 --no-record
one_line "--seed past 2^64 is refused" 2 run bad-deploy --seed 18446744073709551616 --no-record
# After --trace, a bad value used to leak the trace list (LSan's report
# made the error more than one line).
one_line "--trace then a bad --seed: one line" 2 run bad-deploy --trace rps --seed x
one_line "--trace then a bad --until: one line" 2 run bad-deploy --trace rps --until x
one_line "--trace-every 0x10 is refused" 2 run bad-deploy --trace-every 0x10 --no-record
one_line "a trace too large is refused" 1 run bad-deploy --until 4h \
    --trace-every 100ms --trace cache_latency_p99_ms --json --no-record
check "… saying why" grep -q -- "--trace" "$T/err"
"$FD" run bad-deploy --until 2m --trace breaker_state \
    --trace 'breaker_state{edge="order->payment"}' --json --no-record > "$T/tr.json" 2> "$T/err"
check "a metric traced twice is one series" sh -c "[ \$(jq '.trace | length' '$T/tr.json') -eq \$(jq '[.trace | keys[]] | unique | length' '$T/tr.json') ] && [ ! -s '$T/err' ]"

# --- every subcommand's numbers: digits only, in range ---
diag "section: options"
one_line "play --seed ' -1' is refused" 2 play bad-deploy --seed " -1"
one_line "play --speed 0x1 is refused" 2 play bad-deploy --speed 0x1
one_line "play --speed 1e0 is refused" 2 play bad-deploy --speed 1e0
one_line "replay --speed ' 2' is refused" 2 replay last --speed " 2"
one_line "replay --branch-at 1:99 is refused" 2 replay last --branch-at 1:99
# An empty path would be SQLite's private temporary database: the
# session would vanish with the process.
one_line "play --db '' is refused" 2 play bad-deploy --db ""
one_line "play --plain --db '' is refused" 2 play --plain bad-deploy --db ""
one_line "history --limit ' 5' is refused" 2 history --limit " 5"
one_line "history --limit +5 is refused" 2 history --limit +5
for id in ' 5' +5 0x5 99999999999999999999; do
	one_line "debrief '$id' is refused" 2 debrief "$id"
	check "… as not a session id" grep -q "is not a session id" "$T/err"
done

# --- names the game prints later ---
diag "section: control bytes"
one_line "run --player with an escape is refused" 2 run bad-deploy --until 5s \
    --player "$(printf 'x\033[2Jy')"
if has_ctl "$T/err"; then not_ok "… raw on stderr"; else ok "… not raw on stderr"; fi
one_line "run --player '' is refused" 2 run bad-deploy --until 5s --player ""
one_line "play --player with a C1 control is refused" 2 play bad-deploy \
    --player "$(printf 'x\302\233y')"
one_line "replay --player with invalid UTF-8 is refused" 2 replay last \
    --player "$(printf 'x\377')"

# --- help ---
diag "section: options"
one_line "help of an unknown verb is an error on stderr" 1 help nosuchverb
check "… that names it" grep -q "unknown command 'nosuchverb'" "$T/err"
check "help of a known verb still works" sh -c "'$FD' help ack | grep -q 'usage: ack'"

# --- output that cannot be written ---
diag "section: output"
if [ -w /dev/full ]; then
	"$FD" run bad-deploy --until 10s --json --no-record > /dev/full 2> "$T/err"
	st=$?
	check "run --json > /dev/full exits 1" test "$st" -eq 1
	check "… with one line on stderr" sh -c "[ \$(wc -l < '$T/err') -eq 1 ]"
	"$FD" run bad-deploy --until 10s --no-record > /dev/full 2> "$T/err"
	check "run's summary > /dev/full exits 1" test $? -eq 1
	"$FD" list > /dev/full 2> "$T/err"
	check "list > /dev/full exits 1" test $? -eq 1
	"$FD" help > /dev/full 2> "$T/err"
	check "help > /dev/full exits 1" test $? -eq 1
fi

# --- control bytes never reach the terminal raw ---
diag "section: control bytes"
# Each byte sequence with a printable label (TAP lines stay clean).
for lb in 'VT:\v' 'FF:\f' 'CR:\r' 'CSI:\033[2J' 'OSC:\033]0;x\007' 'C1-CSI:\302\233'; do
	b=${lb#*:} lb=${lb%%:*}
	printf "0:01 status\n1:0$b status\n" > "$T/c.cmds"
	"$FD" run bad-deploy --commands "$T/c.cmds" --no-record > "$T/out" 2> "$T/err"
	st=$?
	check "a bad time with $lb: status 1" test "$st" -eq 1
	if has_ctl "$T/err" || [ "$(wc -l < "$T/err")" -ne 1 ]; then
		not_ok "… $lb reached stderr raw"
	else
		ok "… $lb is escaped in the one-line error"
	fi
	printf "0:01 show$b\n" > "$T/c.cmds"
	"$FD" run bad-deploy --commands "$T/c.cmds" --until 3s --no-record > "$T/out" 2> "$T/err"
	if has_ctl "$T/out" || has_ctl "$T/err"; then
		not_ok "a command with $lb is echoed raw"
	else
		ok "a command with $lb is escaped in the summary"
	fi
done
one_line "an option value with an escape is escaped" 2 run bad-deploy --until "$(printf '1\033[2J')"
if has_ctl "$T/err"; then not_ok "… raw on stderr"; else ok "… not raw on stderr"; fi
one_line "an incident name with an escape is escaped" 1 run "$(printf 'x\033[2J')" --no-record
if has_ctl "$T/err"; then not_ok "… raw on stderr"; else ok "… not raw on stderr"; fi

done_testing
