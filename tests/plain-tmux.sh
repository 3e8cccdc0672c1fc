#!/bin/sh
# The line mode (play --plain) at a real terminal, under a private tmux
# server, as a screen reader user would meet it: no alternate screen, no
# escape sequences, one line per event, typed commands, the dashboard on
# demand, the post-mortem as questions; Ctrl-C leaves and still records.
# Polls the pane; never sleeps blind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }

T=$TESTS_TMPDIR/plain-tmux
rm -rf "$T"
mkdir -p "$T"
SOCK=fd-plain-$$
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null' EXIT INT TERM

pane() {	# the whole pane, history included (-e: with escape sequences)
	$TM capture-pane -p -J -S - $1 -t "$2" 2>/dev/null
}

# wait_for SESSION PATTERN SECONDS [SPEEDUP]: poll until the pattern
# shows; with SPEEDUP, type `speed 60` again whenever a page dropped it.
wait_for() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		s=$(pane "" "$1")
		if printf '%s\n' "$s" | grep -q -- "$2"; then
			return 0
		fi
		if [ -n "${4:-}" ] && printf '%s\n' "$s" | grep -v '^$' |
		    tail -1 | grep -q 'speed back to 1x'; then
			$TM send-keys -t "$1" "speed 60" Enter
		fi
		sleep 0.1
		i=$((i + 1))
	done
	pane "" "$1" > "$T/last-$1.txt"
	return 1
}

step() {	# step SESSION PATTERN SECONDS DESCRIPTION [SPEEDUP]
	if wait_for "$1" "$2" "$3" "${5:-}"; then ok "$4"; else
		not_ok "$4"
		tail -6 "$T/last-$1.txt" | sed 's/^/# /'
	fi
}

start() {	# start SESSION ARGS...
	name=$1
	shift
	$TM new-session -d -s "$name" -x 100 -y 30 \
	    "env TERM=tmux-256color LANG=C.UTF-8 '$FIREDRILL' $* --db '$T/plain.db' 2>'$T/$name.err'; echo EXITED \$? > '$T/$name.exit'; sleep 30"
}

exited() {	# exited SESSION: wait for the program to end
	i=0
	while [ ! -s "$T/$1.exit" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

start plain play --plain cache-hot-key --seed 1 --speed 60 --player tty-tester
step plain "Press Enter to start the shift" 10 "play --plain tells the briefing"
check "no alternate screen" sh -c "[ \"\$($TM display-message -p -t plain '#{alternate_on}')\" = 0 ]"
$TM send-keys -t plain Enter
step plain "the shift starts" 10 "Enter starts the shift"
$TM send-keys -t plain "status" Enter
step plain "^services:" 10 "status tells the dashboard as lines"
step plain "^  feed: .* requests/s" 2 "…a service a line"
step plain "alert: ALRT-SHARD page:" 30 "the page is told in one line"
$TM send-keys -t plain "ack ALRT-SHARD" Enter
step plain "phase: DETECT reached" 10 "ack reaches DETECT, told as it happens"
$TM send-keys -t plain "show cache shards" Enter
step plain "cache-3" 10 "command output is told"
$TM send-keys -t plain "diagnose single-hot-key-on-shard" Enter
step plain "phase: TRIAGE reached" 10 "the diagnosis reaches TRIAGE"
$TM send-keys -t plain "enable local-cache tweet:1881 ttl=1s" Enter
$TM send-keys -t plain "enable local-cache tweet:* ttl=1s" Enter
$TM send-keys -t plain "speed 60" Enter
step plain "incident over: won" 90 "the incident is won, in real time at 60x" x
step plain "DETECT: what happened then" 5 "the post-mortem asks its questions"
$TM send-keys -t plain "the shard page" Enter Enter Enter Enter
step plain "The root cause, by number:" 5 "a step at a time"
$TM send-keys -t plain "1" Enter
step plain "ITEM:OWNER:DEADLINE" 5 "action items are chosen by number"
$TM send-keys -t plain "1:1:1" Enter
step plain "The monitoring to add" 5 "then the monitors"
$TM send-keys -t plain Enter
step plain "^Results: won" 10 "the results follow"
exited plain
check "it exits with status 0" grep -q "EXITED 0" "$T/plain.exit"
check "nothing on stderr" test ! -s "$T/plain.err"
pane -e plain > "$T/plain.screen"
check "no escape sequence reached the terminal" sh -c \
    "! LC_ALL=C grep -q \"\$(printf '\\033')\" '$T/plain.screen'"
check "still no alternate screen" sh -c "[ \"\$($TM display-message -p -t plain '#{alternate_on}')\" = 0 ]"

# Ctrl-C leaves: the incident is abandoned and recorded, not lost.
start quit play --plain bad-deploy --seed 2
step quit "Press Enter to start the shift" 10 "a second line mode starts"
$TM send-keys -t quit Enter
step quit "the shift starts" 10 "its incident runs"
$TM send-keys -t quit "hint" Enter
$TM send-keys -t quit C-c
step quit "interrupted: the incident is abandoned" 10 "Ctrl-C abandons the incident"
step quit "^Results: abandoned" 10 "the post-mortem is skipped and the results follow"
exited quit
check "and it exits with status 0" grep -q "EXITED 0" "$T/quit.exit"
"$FIREDRILL" history --db "$T/plain.db" > "$T/history" 2>&1
check "both sessions are recorded" sh -c \
    "grep -q 'cache-hot-key .* won' '$T/history' && grep -q 'bad-deploy .* abandoned' '$T/history'"

done_testing
