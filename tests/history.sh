#!/bin/sh
# `firedrill history` and `firedrill stats` over sessions recorded by
# `firedrill run`: the table, the filters, the JSON contract, an empty
# database, a bad path and the FIREDRILL_DB override.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
T=$TESTS_TMPDIR/history
rm -rf "$T"
mkdir -p "$T"
FD=$FIREDRILL
DB=$T/h.db
TR=$TESTS_SRCDIR/transcripts

# --- nothing played yet ---
"$FD" history --db "$T/none.db" > "$T/out" 2> "$T/err"
st=$?
check "history of a database that is not there: status 1" test "$st" -eq 1
check "…with one line naming it" sh -c "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'none.db' '$T/err'"
check "…and it is not created" test ! -e "$T/none.db"
: > "$T/empty.db"
"$FD" history --db "$T/empty.db" > "$T/out" 2> "$T/err"
st=$?
check "history of an empty database: status 0" test "$st" -eq 0
check "…says there are no sessions yet" grep -q 'no sessions yet.*firedrill play' "$T/out"
check "stats of an empty database says so too" sh -c \
    "'$FD' stats --db '$T/empty.db' | grep -q 'no sessions yet'"
"$FD" history --json --db "$T/empty.db" > "$T/empty.json"
jcheck "history --json of an empty database is []" "$T/empty.json" '. == []'
"$FD" stats --json --db "$T/empty.db" > "$T/empty-stats.json"
jcheck "stats --json of an empty database: zeros and nulls" "$T/empty-stats.json" \
    '.overall.played == 0 and .overall.best_grade == null and (.families | length) == 6'
"$FD" history --db "$T/no-dir/h.db" > "$T/out" 2> "$T/err"
st=$?
check "a --db in a missing directory: status 1, one line, nothing on stdout" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && [ ! -s '$T/out' ]"
"$FD" stats --db "$T" > "$T/out" 2> "$T/err"
st=$?
check "a --db that is a directory: status 1, one line" sh -c \
    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'directory' '$T/err'"
check "history --limit banana is a usage error" sh -c \
    "'$FD' history --limit banana --db '$DB' 2>/dev/null; [ \$? -eq 2 ]"
check "history --help shows its options" sh -c "'$FD' history --help | grep -q -- '--incident'"
check "stats --help shows its options" sh -c "'$FD' stats --help | grep -q -- '--json'"
check "firedrill --help lists history and stats" sh -c \
    "'$FD' --help | grep -q '^  history' && '$FD' --help | grep -q '^  stats'"

# --- record some sessions: transcripts, seeds, one without commands ---
rec() {	# rec INCIDENT SEED [TRANSCRIPT]
	if [ "${3:-}" = expert ]; then
		"$FD" run "$1" --seed "$2" --expert --db "$DB" --quiet
	elif [ -n "${3:-}" ]; then
		"$FD" run "$1" --seed "$2" --commands "$TR/$1/$3.cmds" --db "$DB" --quiet
	else
		"$FD" run "$1" --seed "$2" --until 2m --db "$DB" --quiet
	fi > /dev/null 2>> "$T/rec.err"
}
rec bad-deploy 1 expert
rec bad-deploy 2 idle
rec cache-hot-key 1 expert
rec cache-stampede 3 harmful
rec db-pool-exhaustion 1 expert
rec cascading-failure 5
check "six sessions recorded" sh -c "[ \$('$FD' history --json --db '$DB' | jq length) -eq 6 ]"

# --- history ---
"$FD" history --db "$DB" > "$T/hist.txt"
check "history prints a header" grep -q '^ *ID  WHEN .*INCIDENT .*SEED .*OUTCOME .*SCORE .*GRADE .*DETECT .*TRIAGE .*MITIGATE .*FIX' "$T/hist.txt"
check "…one row a session" test "$(wc -l < "$T/hist.txt")" -eq 7
check "…newest first" sh -c "sed -n 2p '$T/hist.txt' | grep -q 'cascading-failure'"
check "…phase times as m:ss" grep -q 'db-pool-exhaustion .* won .*[0-9]:[0-5][0-9]' "$T/hist.txt"
check "…and a dash for a phase never reached" sh -c "grep 'cascading-failure' '$T/hist.txt' | grep -qE '(—|-) *\$'"
"$FD" history --incident bad-deploy --db "$DB" > "$T/bd.txt"
check "history --incident keeps that incident only" sh -c \
    "[ \$(grep -c 'bad-deploy' '$T/bd.txt') -eq 2 ] && ! grep -q 'cache-' '$T/bd.txt'"
check "history --incident of an unplayed one says so" sh -c \
    "'$FD' history --incident split-brain --db '$DB' | grep -q 'no sessions of split-brain yet'"
check "history --limit 2 shows two" test "$("$FD" history --limit 2 --db "$DB" | wc -l)" -eq 3

"$FD" history --json --db "$DB" > "$T/hist.json"
jcheck "history --json: every object has the stable keys" "$T/hist.json" \
    'all(.[]; keys == (["detect_ms","fix_ms","grade","id","incident","mitigate_ms","mode","outcome","player","score","seed","sim_ms","started_at","triage_ms"]))'
jcheck "…newest first by id" "$T/hist.json" '[.[].id] == ([.[].id] | sort | reverse)'
jcheck "…seed, outcome and grade as recorded" "$T/hist.json" \
    '[.[] | select(.incident == "cache-stampede")][0] | .seed == 3 and .mode == "run" and (.grade | test("^[SABCD]$"))'
jcheck "…an expert run reaches all four phases" "$T/hist.json" \
    '[.[] | select(.incident == "db-pool-exhaustion")][0] | .outcome == "won" and .detect_ms > 0 and .fix_ms > .mitigate_ms'
jcheck "…a phase never reached is null" "$T/hist.json" \
    '[.[] | select(.incident == "cascading-failure")][0].fix_ms == null'
"$FD" history --json --incident bad-deploy --limit 1 --db "$DB" > "$T/bd.json"
jcheck "history --json --incident --limit" "$T/bd.json" 'length == 1 and .[0].incident == "bad-deploy" and .[0].seed == 2'

# --- stats ---
"$FD" stats --db "$DB" > "$T/stats.txt"
check "stats prints one row a family" sh -c \
    "grep -q '^1 Databases' '$T/stats.txt' && grep -q '^2 Caching' '$T/stats.txt' && grep -q '^6 Scale' '$T/stats.txt'"
check "…and an overall line with all six" grep -q '^overall  *6 ' "$T/stats.txt"
check "…an unplayed family shows 0 played" grep -q '^5 Distributed systems  *0 ' "$T/stats.txt"
"$FD" stats --json --db "$DB" > "$T/stats.json"
jcheck "stats --json: six families with stable keys" "$T/stats.json" \
    '(.families | length) == 6 and all(.families[]; has("family") and has("name") and has("played") and has("best_grade") and has("best_score") and has("median_ms") and has("weakest_signal") and has("last_played_at"))'
jcheck "…Caching played twice" "$T/stats.json" '.families[1] | .name == "Caching" and .played == 2'
jcheck "…Infrastructure's best is bad-deploy's expert grade" "$T/stats.json" \
    ".families[3].best_grade == \"$(jq -r '[.[] | select(.incident == "bad-deploy" and .seed == 1)][0].grade' "$T/hist.json")\""
jcheck "…the median DETECT of Caching lies between its sessions'" "$T/stats.json" \
    ".families[1].median_ms.detect >= $(jq '[.[] | select(.incident | startswith("cache-")) | .detect_ms] | min' "$T/hist.json")"
jcheck "…overall counts every session" "$T/stats.json" '.overall.played == 6'

# --- signals, once the scores carry them (hand-written for old builds) ---
if command -v sqlite3 >/dev/null 2>&1; then
	cp "$DB" "$T/sig.db"
	sqlite3 "$T/sig.db" "UPDATE scores SET breakdown_json = json_set(breakdown_json, '\$.signals', json('{\"systematic\":{\"stars\":3},\"mitigation\":{\"stars\":2},\"blast_radius\":{\"stars\":0},\"prevention\":{\"stars\":1},\"blameless\":{\"stars\":3}}')) WHERE session_id = (SELECT id FROM sessions WHERE incident = 'cache-hot-key')"
	"$FD" stats --json --db "$T/sig.db" > "$T/sig.json"
	jcheck "stats --json names the weakest signal" "$T/sig.json" \
	    '.families[1].weakest_signal == "blast_radius" and .families[1].sessions_with_signals == 2'
	check "stats shows it in words" sh -c "'$FD' stats --db '$T/sig.db' | grep -q '^2 Caching.*blast radius (0.0/3)'"
fi

# --- where the database is ---
FIREDRILL_DB=$DB "$FD" history --json > "$T/env.json"
jcheck "FIREDRILL_DB chooses the database" "$T/env.json" 'length == 6'
FIREDRILL_DB=$T/empty.db "$FD" history --db "$DB" --json > "$T/over.json"
jcheck "--db wins over FIREDRILL_DB" "$T/over.json" 'length == 6'
FIREDRILL_DB=$T/gone.db "$FD" stats > "$T/out" 2> "$T/err"
st=$?
check "a FIREDRILL_DB that is not there is an error, not created" sh -c \
    "[ $st -eq 1 ] && grep -q 'gone.db' '$T/err' && [ ! -e '$T/gone.db' ]"
env -u FIREDRILL_DB XDG_DATA_HOME="$T/xdg" "$FD" history > "$T/out" 2> "$T/err"
st=$?
check "no database at the default path yet: the friendly line, status 0" sh -c \
    "[ $st -eq 0 ] && grep -q 'no sessions yet' '$T/out' && [ ! -e '$T/xdg/firedrill/firedrill.db' ]"
if [ "$(id -u)" -ne 0 ]; then
	cp "$DB" "$T/locked.db"
	chmod 000 "$T/locked.db"
	"$FD" history --db "$T/locked.db" > "$T/out" 2> "$T/err"
	st=$?
	check "an unreadable database: status 1, one line" sh -c \
	    "[ $st -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'cannot read' '$T/err'"
	chmod 600 "$T/locked.db"
fi
if command -v sqlite3 >/dev/null 2>&1; then
	# Hold the write lock while history reads.
	( printf 'BEGIN EXCLUSIVE;\nSELECT 1;\n'; sleep 4; printf 'COMMIT;\n' ) | sqlite3 "$T/locked.db" > /dev/null &
	lockpid=$!
	sleep 0.5
	"$FD" history --db "$T/locked.db" > "$T/out" 2> "$T/err"
	st=$?
	wait $lockpid
	# Nothing is written before it is needed, and WAL readers do not
	# wait for a writer: history reads a database another process holds.
	check "a database locked by a writer: history still reads it" sh -c \
	    "[ $st -eq 0 ] && [ ! -s '$T/err' ]"
fi

done_testing
