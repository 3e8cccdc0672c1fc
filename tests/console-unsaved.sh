#!/bin/sh
# The console when a session cannot be recorded, for real under tmux:
# the player is stopped on a screen that says why and where the JSON
# went, and "another database" records it there.  The refused file is
# left as it was.  Polls the screen; never sleeps blind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"

T=$TESTS_TMPDIR/console-unsaved
rm -rf "$T"
mkdir -p "$T"
NAME=unsaved
. "${TESTS_SRCDIR:-$(dirname "$0")}/tmux.sh"

sqlite3 "$T/notes.db" 'CREATE TABLE notes (x); INSERT INTO notes VALUES (1);'
before=$(sha256sum "$T/notes.db" | cut -d' ' -f1)
$TM new-session -d -s u -x 120 -y 40 \
    "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME='$T/state' FIREDRILL_DB='$T/default.db' '$FIREDRILL' play bad-deploy --seed 3 --db '$T/notes.db' 2>'$T/err'; echo EXITED \$? > '$T/exit'; sleep 30"
step u "Enter: start the shift" 10 "the console starts"
$TM send-keys -t u Enter
step u "DETECT" 10 "the incident runs"
$TM send-keys -t u "quit" Enter
step u "Abandon this incident" 5 "quit asks before abandoning"
$TM send-keys -t u y
step u "the session was not recorded" 10 "a session that cannot be recorded stops on a screen that says so"
step u "not a firedrill database" 2 "…with the reason"
# The path is broken to fit the width: read the screen with no layout.
j=$(ls "$T"/firedrill-session-bad-deploy-*.json 2>/dev/null | head -1)
check "the JSON is there" test -s "$j"
check "…and the screen names it, whole" sh -c \
    "$TM capture-pane -p -t u | tr -d ' \n' | grep -qF '$j'"
$TM send-keys -t u d
step u "Another database" 2 "d asks for another database"
$TM send-keys -t u -l "$T/other.db"
$TM send-keys -t u Enter
step u "post-mortem · step 1 of 4" 10 "recorded there, the post-mortem follows"
check "…in that database" sh -c \
    "[ \"\$(sqlite3 '$T/other.db' \"select outcome from sessions\")\" = abandoned ]"
check "…and the JSON copy is gone" sh -c "! ls '$T'/firedrill-session-*.json 2>/dev/null"
check "the refused file is byte for byte as it was, no side files" sh -c \
    "[ \"\$(sha256sum '$T/notes.db' | cut -d' ' -f1)\" = '$before' ] && [ ! -e '$T/notes.db-wal' ] && [ ! -e '$T/notes.db-journal' ]"
$TM send-keys -t u C-c
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "quitting afterwards: status 0, nothing on stderr" sh -c \
    "grep -q 'EXITED 0' '$T/exit' && [ ! -s '$T/err' ]"

done_testing
