#!/bin/sh
# `firedrill debrief`: a fixed transcript with a filled-in post-mortem
# gives exactly the golden Markdown; the JSON carries the same facts; the
# answers, the harmful actions and the expert path all show; bad input
# gets one line.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 is not installed"
T=$TESTS_TMPDIR/debrief
rm -rf "$T"
mkdir -p "$T"
FD=$FIREDRILL
DB=$T/d.db
G=$TESTS_SRCDIR/golden

# The golden run: db-pool-exhaustion's expert path at seed 1, then the
# post-mortem form's answers as the console would store them.
"$FD" run db-pool-exhaustion --seed 1 --expert --db "$DB" --player tester \
    --quiet > /dev/null
N=$(sqlite3 "$DB" "select max(id) from sessions")
sqlite3 "$DB" <<SQL
INSERT INTO postmortems (session_id, seq, part, key, text, owner, deadline) VALUES
 ($N, 1, 'annotation', 'detect', 'pool at 100%, paged by ALRT-POOL', NULL, NULL),
 ($N, 2, 'annotation', 'triage', 'connections held across the payment call', NULL, NULL),
 ($N, 3, 'root_cause', 'systemic', 'Checkout held its DB connection across the payment call, with no timeout, breaker or bulkhead', NULL, NULL),
 ($N, 4, 'action', 'prevention', 'Alert when active/max connections exceeds 70%', 'owning service team', 'this week'),
 ($N, 5, 'action', 'prevention', 'Never hold a DB transaction across a remote call', 'owning service team', 'within two weeks'),
 ($N, 6, 'action', 'distractor', 'Tell the developer to be more careful', 'Dave (who shipped the change)', 'no deadline'),
 ($N, 7, 'monitor', NULL, 'Order pool utilisation above 70%', NULL, NULL);
SQL

"$FD" debrief "$N" --db "$DB" > "$T/debrief.md" 2> "$T/err"
check "debrief exits 0" test $? -eq 0
if cmp -s "$G/debrief-db-pool-exhaustion.md" "$T/debrief.md"; then
	ok "the Markdown is the golden one"
else
	not_ok "the Markdown is the golden one"
	diff "$G/debrief-db-pool-exhaustion.md" "$T/debrief.md" | head -20 |
	    sed 's/^/# /'
fi
for section in "## Summary" "## Impact" "## Timeline" "## Root cause" \
    "## What went well" "## What went badly" \
    "## The expert path beside yours" "## Action items" \
    "## The five interview signals" "## Score" "## Interview answer card"; do
	check "it has $section" grep -q "^$section" "$T/debrief.md"
done
check "the phases are marked on the timeline" grep -q '| \*\*MITIGATE\*\* |' "$T/debrief.md"
check "the player's annotation sits on its phase" grep -q 'DETECT reached — “pool at 100%' "$T/debrief.md"
check "the chosen root cause is quoted and scored" grep -q 'Your statement: “Checkout held.*(systemic, 40/40' "$T/debrief.md"
check "a distractor is called one" grep -q 'Tell the developer to be more careful.*distractor' "$T/debrief.md"
check "the error-rate chart marks the phases" grep -q '^ *D  *T' "$T/debrief.md"
check "the answer card has all four parts" sh -c \
    "grep -q '^\*\*Symptom\.\*\*' '$T/debrief.md' && grep -q '^\*\*Root cause\.\*\*' '$T/debrief.md' && grep -q '^\*\*Solution\.\*\*' '$T/debrief.md' && grep -q '^\*\*Prevention\.\*\*' '$T/debrief.md'"

"$FD" debrief last --db "$DB" --format json -o "$T/debrief.json"
jcheck "--format json -o writes the same session" "$T/debrief.json" ".session == $N and .incident == \"db-pool-exhaustion\""
jcheck "…with five signals, each with three pieces of evidence" "$T/debrief.json" \
    '[.score.signals[] | .evidence | length] == [3,3,3,3,3]'
jcheck "…the blameless signal fails on the person and the careful item" "$T/debrief.json" \
    '.score.signals.blameless.evidence[2].met == false'
jcheck "…the post-mortem scored: systemic 40, two items less one distractor 10" "$T/debrief.json" \
    '.score.postmortem.root_cause.points == 40 and .score.postmortem.action_items.points == 10'
jcheck "…the expert's timeline beside the player's" "$T/debrief.json" \
    '(.expert_timeline | length) > 0 and ([.timeline[] | select(.kind == "phase")] | length) == 4'

# A harmful run: each harmful action is explained.
"$FD" run db-pool-exhaustion --seed 1 --db "$DB" --quiet \
    --commands "$TESTS_SRCDIR/transcripts/db-pool-exhaustion/harmful.cmds" > /dev/null
"$FD" debrief --db "$DB" > "$T/harm.md"
check "a harmful command is named with its class and why" \
    grep -q '^- [0-9:]* `[^`]*` was \*\*\(minor\|major\|critical\)\*\*: ' "$T/harm.md"

# Bad input: one line each.
"$FD" debrief 999 --db "$DB" > /dev/null 2> "$T/err"
check "an unknown session: status 1 and one line" sh -c \
    "[ $? -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'no session 999' '$T/err'"
"$FD" debrief --format pdf --db "$DB" > /dev/null 2> "$T/err"
check "a bad --format: status 2" test $? -eq 2
"$FD" debrief --db "$T/missing.db" > /dev/null 2> "$T/err"
check "a missing database: status 1, not created" sh -c \
    "[ $? -eq 1 ] && [ ! -e '$T/missing.db' ]"
"$FD" debrief "$N" --db "$DB" -o "$T/no-dir/x.md" 2> "$T/err"
check "an unwritable -o: status 1 and one line" sh -c \
    "[ $? -eq 1 ] && [ \$(wc -l < '$T/err') -eq 1 ]"
done_testing
