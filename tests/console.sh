#!/bin/sh
# The console for real, under a private tmux server: play the pool
# incident from the briefing to the results screen, resize below the
# minimum and back, and check that NO_COLOR and LANG=C are honoured.
# Polls the screen; never sleeps blind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }

T=$TESTS_TMPDIR/console
rm -rf "$T"
mkdir -p "$T"
SOCK=fd-test-$$
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null' EXIT INT TERM

screen() {	# the pane as text (-e: with escape sequences)
	$TM capture-pane -p $1 -t "$2" 2>/dev/null
}

# wait_for SESSION PATTERN SECONDS [SPEEDUP]: poll until the pattern shows;
# with SPEEDUP, put the clock back to 60x whenever a page dropped it to 1x.
wait_for() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		s=$(screen "" "$1")
		if printf '%s' "$s" | grep -q -- "$2"; then
			return 0
		fi
		if [ -n "${4:-}" ] && printf '%s' "$s" | grep -q '▶ 1×'; then
			$TM send-keys -t "$1" "speed 60" Enter
		fi
		sleep 0.1
		i=$((i + 1))
	done
	screen "" "$1" > "$T/last-$1.txt"
	return 1
}

start() {	# start SESSION ENV... -- ARGS...
	name=$1
	shift
	envs=""
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	$TM new-session -d -s "$name" -x 120 -y 40 \
	    "env TERM=tmux-256color FIREDRILL_DB='$T/play.db' $envs '$FIREDRILL' $* 2>'$T/$name.err'; echo EXITED \$? > '$T/$name.exit'; sleep 30"
}

step() {	# step SESSION PATTERN SECONDS DESCRIPTION [SPEEDUP]
	if wait_for "$1" "$2" "$3" "${5:-}"; then ok "$4"; else
		not_ok "$4"
		sed 's/^/# /' "$T/last-$1.txt" | head -12
	fi
}

# --- a whole incident ---
start play LANG=C.UTF-8 -- play db-pool-exhaustion --seed 1 --speed 10
step play "Enter: start the shift" 10 "play INCIDENT opens its briefing"
$TM send-keys -t play Enter
step play "DETECT" 10 "Enter starts the live console"
step play "Services" 2 "the console shows its panels"
step play "CRIT ALRT-POOL" 60 "the pool page fires and shows at once"
$TM send-keys -t play "ack ALRT-POOL" Enter
step play "ack  ALRT-POOL" 10 "ack acknowledges it"
step play "DETECT ✓" 5 "and DETECT is done"
$TM send-keys -t play "show db activity --app order" Enter
step play "idle in transaction" 10 "a diagnostic answers in the output pane"
$TM send-keys -t play "diagnose slow-dependency-holds-connections" Enter
step play "TRIAGE ✓" 10 "the right root cause completes TRIAGE"
$TM send-keys -t play "breaker open order->payment" Enter
$TM send-keys -t play "scale order 5" Enter
$TM send-keys -t play "speed 10" Enter
step play "user-facing error rate  *0\.[0-9]%" 60 "the error rate falls below 1% once the breaker is open" x
$TM send-keys -t play "set order->payment.timeout 2s" Enter
$TM send-keys -t play "enable breaker order->payment" Enter
$TM send-keys -t play "set order.db_pool.split read=30,write=15" Enter
$TM send-keys -t play "speed 60" Enter
step play "MITIGATE ✓" 60 "MITIGATE completes" x
step play "Tue 14:1[0-9]" 60 "time passes at 60x" x
$TM send-keys -t play "breaker auto order->payment" Enter
step play "post-mortem · step 1 of 4" 90 "the fix holds the probe and the post-mortem form opens" x
$TM send-keys -t play Escape
step play "WON" 5 "Esc skips the rest of the form; the results show the win"
step play "Score [0-9]" 2 "the results screen shows the score"
step play "DETECT .*1:00" 2 "and the phase times against their targets"

# --- resizing ---
$TM send-keys -t play Enter
step play "choose an incident" 10 "Enter goes back to the picker"
$TM resize-window -t play -x 60 -y 15
step play "needs 80x24 (this is 60x15)" 10 "below 80x24 it says what it needs"
$TM resize-window -t play -x 120 -y 40
step play "choose an incident" 10 "and recovers when enlarged"
$TM send-keys -t play q
i=0
while [ ! -s "$T/play.exit" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "q on the picker quits, with status 0" grep -q "EXITED 0" "$T/play.exit"
check "the terminal was restored (no error output)" test ! -s "$T/play.err"
if command -v sqlite3 >/dev/null 2>&1; then
	check "the played session was recorded as won" sh -c \
	    "[ \"\$(sqlite3 '$T/play.db' \"select outcome from sessions where mode = 'play'\")\" = won ]"
fi

# --- abandoning ---
start quit LANG=C.UTF-8 -- play bad-deploy --seed 2
step quit "Enter: start the shift" 10 "a second console starts"
$TM send-keys -t quit Enter
step quit "DETECT" 10 "its incident runs"
$TM send-keys -t quit "quit" Enter
step quit "Abandon this incident" 5 "quit asks before abandoning"
$TM send-keys -t quit y
step quit "post-mortem · step 1 of 4" 10 "an abandoned incident opens the post-mortem form"
step quit "Timeline · 40 pts · skip: -20" 2 "each step's header says what skipping costs"
$TM send-keys -t quit "saw 5xx on checkout, rolled back" Enter
step quit "saw 5xx on checkout, rolled back" 2 "a key event is annotated"
$TM send-keys -t quit Tab
step quit "Root cause · 40 pts · skip: -40" 2 "Tab skips the step; the next says its cost"
$TM send-keys -t quit 1 Enter
step quit "Action items · 80 pts" 2 "a root cause is picked"
$TM send-keys -t quit Space Right d Enter
step quit "Monitoring to add · 20 pts" 2 "an action item with an owner and a deadline"
$TM send-keys -t quit s
step quit "ABANDONED" 10 "s skips the last step and the results follow"
step quit "user-facing error rate, whole session" 2 "the results chart the session's error rate"
step quit "Post-mortem  [0-9]*/200" 2 "and the post-mortem's parts"
step quit "Monitoring .*skipped: -20" 2 "with what was skipped"
$TM send-keys -t quit PageDown PageDown
step quit "Systematic debugging .*[★☆]" 5 "the five signals with their stars"
if command -v sqlite3 >/dev/null 2>&1; then
	check "the post-mortem was saved with the session" sh -c \
	    "[ \"\$(sqlite3 '$T/play.db' \"select count(*) from postmortems p join sessions s on s.id = p.session_id where s.incident = 'bad-deploy'\")\" -gt 0 ]"
	check "its skipped steps are rows too" sh -c \
	    "[ \"\$(sqlite3 '$T/play.db' \"select count(*) from postmortems where part = 'skipped'\")\" -gt 0 ]"
fi
$TM send-keys -t quit p
step quit "post-mortem · step 1 of 4" 5 "p on the results opens the form again"
$TM send-keys -t quit Escape
step quit "ABANDONED" 5 "and Esc goes back to the results"

# --- racing a ghost, and the picker's recommendation ---
"$FIREDRILL" run bad-deploy --seed 4 --player ghost-tester --quiet --expert \
    --db "$T/play.db" > /dev/null 2>&1
start ghost LANG=C.UTF-8 -- play bad-deploy --seed 4 --ghost --player ghost-tester
step ghost "Enter: start the shift" 10 "play --ghost opens the briefing"
$TM send-keys -t ghost Enter
step ghost "ghost D [0-9]*:[0-5][0-9] T [0-9]*:[0-5][0-9] M" 10 "the ghost's phase marks show on the status bar"
step ghost "racing your best at seed 4" 5 "…and the output pane says which best it races"
start noghost LANG=C.UTF-8 -- play cache-avalanche --seed 4 --ghost --player nobody
step noghost "Enter: start the shift" 10 "play --ghost without a best opens the briefing"
$TM send-keys -t noghost Enter
step noghost "no best for cache-avalanche yet" 10 "no best yet: one line says so"
step noghost "DETECT" 2 "…and play goes on"
start picker LANG=C.UTF-8 --
step picker "Enter: choose an incident" 10 "bare firedrill opens the title"
$TM send-keys -t picker Enter
step picker "Recommended: [a-z-]* — " 10 "the picker recommends an incident and says why"

# --- colour and locale ---
start color LANG=C.UTF-8 -- play cascading-failure --seed 3
step color "Enter: start" 10 "a colour console starts"
$TM send-keys -t color Enter
step color "Services" 10 "…and draws"
check "colours are used when the terminal has them" sh -c \
    "$TM capture-pane -e -p -t color | grep -q \"\$(printf '\\033')\\[[0-9;]*38;5;\""

start nocolor LANG=C.UTF-8 NO_COLOR=1 -- play cascading-failure --seed 3
step nocolor "Enter: start" 10 "NO_COLOR: the console starts"
$TM send-keys -t nocolor Enter
step nocolor "Services" 10 "NO_COLOR: it draws"
$TM capture-pane -e -p -t nocolor > "$T/nocolor.txt"
# 39 and 49 are "default colour", which tmux itself writes.
check "NO_COLOR=1: no colour codes at all" sh -c \
    "! grep -qE \"\$(printf '\\033')\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|m)\" '$T/nocolor.txt'"
check "NO_COLOR=1: state still reads as words" grep -q "OK" "$T/nocolor.txt"

start ascii LANG=C LC_ALL=C -- play cascading-failure --seed 3
step ascii "Enter: start" 10 "LANG=C: the console starts"
$TM send-keys -t ascii Enter
step ascii "Services" 10 "LANG=C: it draws"
$TM capture-pane -p -t ascii > "$T/ascii.txt"
check "LANG=C: no byte outside ASCII on screen" sh -c \
    "! LC_ALL=C grep -q '[^ -~]' '$T/ascii.txt'"
check "LANG=C: ASCII glyphs carry the meaning" sh -c "grep -q 'fd>' '$T/ascii.txt' && grep -q '\* OK' '$T/ascii.txt'"

done_testing
