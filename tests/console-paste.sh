#!/bin/sh
# Long pastes into the console's command line, under a private tmux
# server: the end of a long line is shown as it is typed, a line over
# the limit is refused with one line and loses nothing else, and after a
# 60,000-character paste the console still answers (quit works).
# Polls the screen; never sleeps blind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

T=$TESTS_TMPDIR/console-paste
rm -rf "$T"
mkdir -p "$T"
NAME=paste
. "${TESTS_SRCDIR:-$(dirname "$0")}/tmux.sh"

# letters N SEED: N pseudo-random letters and spaces (seeded), no newline
letters() {
	awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++)
	    printf "%c", rand() < 0.15 ? 32 : 97 + int(rand() * 26) }'
}

paste_text() {	# SESSION FILE
	$TM load-buffer -b p "$2"
	$TM paste-buffer -b p -t "$1"
}

$TM new-session -d -s p -x 100 -y 30 \
    "env TERM=tmux-256color LANG=C.UTF-8 FIREDRILL_DB='$T/p.db' '$FIREDRILL' play db-pool-exhaustion --seed 1 2>'$T/p.err'; echo EXITED \$? > '$T/p.exit'; sleep 30"
step p "Enter: start the shift" 10 "the console opens the briefing"
$TM send-keys -t p Enter
step p "Tab complete" 10 "the incident starts"
$TM send-keys -t p "pause" Enter

# A long line under the limit: its end, where the cursor is, shows.
{ letters 3000 1; printf ' TAIL-OF-THE-LINE'; } > "$T/long"
paste_text p "$T/long"
step p "fd›….* TAIL-OF-THE-LINE *$" 20 "a long line scrolls: its end and the cursor show, a mark for the rest"
$TM send-keys -t p Home
step p "fd› [a-z ]*…$" 5 "Home shows its start, with a mark for the hidden end"
$TM send-keys -t p End
step p "TAIL-OF-THE-LINE *$" 5 "End shows the end again"
$TM send-keys -t p Escape

# Over the limit: dropped, said so, and Enter refuses it; a command
# pasted after it on its own line still runs.
{ letters 6000 2; printf '\nspeed 5\n'; } > "$T/over"
paste_text p "$T/over"
step p "▶ 5×" 20 "the command after an over-long pasted line still runs"
$TM send-keys -t p "pause" Enter
{ letters 6000 3; printf '\n'; } > "$T/over2"
paste_text p "$T/over2"
step p "not run: the line was longer than 4096 bytes" 20 "an over-long line is refused with one line"

# 60,000 characters, then quit: the console answers at once.
letters 60000 4 > "$T/huge"
paste_text p "$T/huge"
step p "over 4096 bytes: the rest was dropped" 30 "a 60,000-character paste is cut at the limit and says so"
$TM send-keys -t p Escape
step p "Tab complete" 10 "Esc clears it"
$TM send-keys -t p "quit" Enter
step p "Abandon this incident" 10 "quit answers after the paste"
$TM send-keys -t p y
step p "post-mortem · step 1 of 4" 10 "and the incident ends"
$TM send-keys -t p C-c
i=0
while [ ! -s "$T/p.exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "the console exits with status 0" grep -q "EXITED 0" "$T/p.exit"
check "with nothing on stderr" test ! -s "$T/p.err"

done_testing
