#!/bin/sh
# firedrill replay: every incident's expert path replays bit for bit
# against its recorded checkpoints; a tampered checkpoint is caught at its
# tick; a branch from a lost run plays on to a win as a session of its own
# that replays too; bad input gets one line.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"
T=$TESTS_TMPDIR/replay
rm -rf "$T"
mkdir -p "$T"
FD=$FIREDRILL
DB=$T/replay.db
TR=$TESTS_SRCDIR/transcripts
LUA=${FIREDRILL_DATADIR:-$TESTS_SRCDIR/..}/lua/incidents

last_id() {
	sqlite3 "$DB" "select max(id) from sessions"
}

# verify DESC ID: replay --verify exits 0 with its one line.
verify() {
	if "$FD" replay "$2" --db "$DB" --verify > "$T/out" 2> "$T/err" &&
	    grep -q "^session $2 verified: [0-9]* checkpoints" "$T/out"; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/# /' "$T/out" "$T/err" | head -3
	fi
}

# --- every incident, recorded and verified ---
for f in "$LUA"/*.lua; do
	id=$(basename "$f" .lua)
	if ! "$FD" run "$id" --expert --db "$DB" --quiet > /dev/null 2> "$T/err"; then
		not_ok "$id: the expert run is recorded"
		sed 's/^/# /' "$T/err" | head -3
		continue
	fi
	verify "$id: replay --verify of its expert run" "$(last_id)"
done

# --- a tampered checkpoint is caught at its tick ---
"$FD" run db-pool-exhaustion --expert --db "$DB" --quiet > /dev/null
N=$(last_id)
verify "replay last is the latest session" "$N"
# Checkpoint 100 (index 99) is the hash after the tick that ends at 100 s.
sqlite3 "$DB" "update checkpoints set hashes = substr(hashes, 1, 792) ||
    zeroblob(8) || substr(hashes, 801) where session_id = $N"
"$FD" replay "$N" --db "$DB" --verify > "$T/out" 2> "$T/err"
st=$?
check "a tampered checkpoint fails verification with status 1" test "$st" -eq 1
check "…in one line that names tick 1000 (1:40.0)" sh -c \
    "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'session $N diverges at tick 1000 (1:40.0): state hash [0-9a-f]* expected 0000000000000000' '$T/err'"
sqlite3 "$DB" "update sessions set state_hash = '0123456789abcdef' where id = $N;
    delete from checkpoints where session_id = $N"
"$FD" replay "$N" --db "$DB" --verify > "$T/out" 2> "$T/err"
st=$?
check "without checkpoints, the final hash is still checked" sh -c \
    "[ $st -eq 1 ] && grep -q 'final state hash [0-9a-f]* expected 0123456789abcdef' '$T/err'"

# --- bad input: one line each ---
one_line() {	# DESC STATUS PATTERN ARGS...
	desc=$1 want=$2 pat=$3
	shift 3
	"$FD" "$@" > "$T/out" 2> "$T/err"
	st=$?
	if [ "$st" -eq "$want" ] && [ "$(wc -l < "$T/err")" -eq 1 ] &&
	    grep -q -- "$pat" "$T/err" && [ ! -s "$T/out" ]; then
		ok "$desc"
	else
		not_ok "$desc (status $st)"
		sed 's/^/# /' "$T/err" | head -3
	fi
}
one_line "an unknown session id" 1 "has no session 4242" replay 4242 --db "$DB" --verify
one_line "a missing database" 1 "cannot open database" replay 1 --db "$T/none.db" --verify
check "…which is not created" test ! -e "$T/none.db"
one_line "a session id that is not a number" 2 "not a session id" replay one --db "$DB"
one_line "a bad --branch-at time" 2 "bad time 'soon'" replay 1 --db "$DB" --branch-at soon
one_line "--branch-at past the end of the session" 1 "past the end" replay 1 --db "$DB" --branch-at 9:00:00
one_line "--commands without --branch-at" 2 "needs --branch-at" replay 1 --db "$DB" --commands /dev/null
one_line "a bad speed" 2 "speed" replay 1 --db "$DB" --speed 3
check "replay --help shows its options" sh -c "'$FD' replay --help | grep -q -- '--branch-at'"
check "firedrill --help lists replay" sh -c "'$FD' --help | grep -q 'replay SESSION'"

# An incident file that no longer loads, with no incident of its id to
# fall back on.
sed 's/id = "bad-deploy"/id = "my-deploy"/' "$LUA/bad-deploy.lua" > "$T/my-deploy.lua"
"$FD" run "$T/my-deploy.lua" --until 1m --db "$DB" > /dev/null 2>&1
M=$(last_id)
echo 'this is not lua' >> "$T/my-deploy.lua"
one_line "an incident changed so that it no longer loads" 1 "session $M: .*my-deploy.lua" replay "$M" --db "$DB" --verify

# --- branching: lose, go back to 2:10, play the expert path from 2:15 ---
"$FD" run db-pool-exhaustion --commands "$TR/db-pool-exhaustion/idle.cmds" \
    --db "$DB" --json > "$T/idle.json"
jcheck "the idle run is lost" "$T/idle.json" '.outcome == "lost"'
P=$(last_id)
# The expert path is the incident's `expert = [[ ... ]]` field.
awk '/expert = \[\[/ { p = 1; next } p && /^\]\]/ { p = 0 }
    p && !/^#/ && NF { split($1, t, ":"); if (t[1] * 60 + t[2] >= 135) print }' \
    "$LUA/db-pool-exhaustion.lua" > "$T/from-2-15.cmds"
check "the branch's commands start at 2:15" grep -q '^2:15 ack ALRT-POOL' "$T/from-2-15.cmds"
"$FD" replay "$P" --db "$DB" --branch-at 2:10 --commands "$T/from-2-15.cmds" \
    --json > "$T/branch.json" 2> "$T/err"
jcheck "the branch wins" "$T/branch.json" '.outcome == "won"'
jcheck "…and kept the parent's past (its first page at 2:01)" "$T/branch.json" \
    '[.events[] | select(.kind == "alert_fired" and (.text | startswith("ALRT-POOL")))][0].t_ms == 121000'
B=$(last_id)
check "the branch is a new session" test "$B" -gt "$P"
check "…recorded with parent_id and branch_ms" sh -c \
    "[ \"\$(sqlite3 '$DB' 'select parent_id, branch_ms from sessions where id = $B')\" = '$P|130000' ]"
verify "the branched session replays and verifies itself" "$B"
printf '2:00 ack ALRT-POOL\n' > "$T/early.cmds"
one_line "branch commands before the branch time are refused" 1 "before the branch" \
    replay "$P" --db "$DB" --branch-at 2:10 --commands "$T/early.cmds"
"$FD" replay "$P" --db "$DB" --branch-at 2:10 --commands "$T/from-2-15.cmds" > "$T/branch.txt"
check "the summary says where the branch came from" grep -q "Branched from session $P at 2:10; recorded as session" "$T/branch.txt"

done_testing
