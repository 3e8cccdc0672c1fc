#!/bin/sh
# firedrill replay in the console, for real under a private tmux server:
# a recorded session plays back with REPLAY on the status bar, pauses,
# refuses typed commands with a hint, branches into a live game, and
# quits without recording the playback.  Polls; never sleeps blind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"

T=$TESTS_TMPDIR/replay-console
rm -rf "$T"
mkdir -p "$T"
DB=$T/replay.db
NAME=replay
. "${TESTS_SRCDIR:-$(dirname "$0")}/tmux.sh"

"$FIREDRILL" run db-pool-exhaustion --db "$DB" --quiet --expert > /dev/null
$TM new-session -d -s r -x 120 -y 40 \
    "env TERM=tmux-256color LANG=C.UTF-8 FIREDRILL_DB='$DB' '$FIREDRILL' replay last --speed 20 2>'$T/r.err'; echo EXITED \$? > '$T/r.exit'; sleep 30"
step r "REPLAY #1" 10 "the status bar says REPLAY and the session id"
step r "2:15 › ack ALRT-POOL" 20 "the recorded commands play back at their times"
$TM send-keys -t r ' '
step r "PAUSED" 5 "space pauses"
$TM send-keys -t r 'x'
step r "commands wait until you branch (b)" 5 "typing shows the hint about b"
$TM send-keys -t r 'q'
i=0
while [ ! -s "$T/r.exit" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "q quits with status 0" grep -q "EXITED 0" "$T/r.exit"
check "the terminal was restored (no error output)" test ! -s "$T/r.err"
check "the playback recorded nothing" test "$(sqlite3 "$DB" 'select count(*) from sessions')" -eq 1

$TM new-session -d -s b -x 120 -y 40 \
    "env TERM=tmux-256color LANG=C.UTF-8 FIREDRILL_DB='$DB' '$FIREDRILL' replay 1 --speed 20 2>'$T/b.err'; echo EXITED \$? > '$T/b.exit'; sleep 30"
step b "REPLAY #1" 10 "a second playback starts"
$TM send-keys -t b 'b'
step b "BRANCH of #1" 5 "b branches: the status bar says so"
$TM send-keys -t b "quit" Enter
step b "Abandon this incident" 5 "the branch is a live game (quit asks)"
$TM send-keys -t b y
step b "post-mortem · step 1 of 4" 10 "…and opens the post-mortem form"
$TM send-keys -t b Escape
step b "ABANDONED" 5 "…and reaches the results"
$TM send-keys -t b q
i=0
while [ ! -s "$T/b.exit" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "the branch was recorded with its parent" test \
    "$(sqlite3 "$DB" 'select parent_id from sessions where id = 2')" = 1
check "…and replays and verifies" "$FIREDRILL" replay 2 --db "$DB" --verify

done_testing
