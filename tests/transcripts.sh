#!/bin/sh
# Incident transcripts: each tests/transcripts/INCIDENT/NAME.cmds is played
# headless and NAME.expect lists jq conditions its JSON result must meet.
# The expert path is the incident's own (`firedrill run ID --expert`),
# checked against expert.expect.
# $expert is the same incident's expert result, so a harmful transcript
# can be held to scoring worse.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

for dir in "$TESTS_SRCDIR"/transcripts/*/; do
	incident=$(basename "$dir")
	expert="$TESTS_TMPDIR/$incident-expert.json"
	# The expert path lives in the incident itself (its `expert` field).
	"$FIREDRILL" run "$incident" --seed 1 --no-record --json \
	    --expert > "$expert" 2>"$expert.err" ||
	    not_ok "$incident: expert run exits 0 ($(head -c 200 "$expert.err"))"
	for cmds in "$dir"*.cmds "$dir"expert.expect; do
		case $cmds in
		*/expert.expect)
			name=expert out=$expert
			;;
		*)
			name=$(basename "$cmds" .cmds)
			out="$TESTS_TMPDIR/$incident-$name.json"
			if ! "$FIREDRILL" run "$incident" --seed 1 --no-record \
			    --json --commands "$cmds" > "$out" 2>"$out.err"; then
				not_ok "$incident/$name: runs ($(head -c 200 "$out.err"))"
				continue
			fi
			;;
		esac
		# Every command of a transcript is accepted.
		refused=$(jq '[.commands[] | select(.ok | not) | .line] | join("; ")' "$out")
		if [ "$refused" = '""' ]; then
			ok "$incident/$name: every command accepted"
		else
			not_ok "$incident/$name: refused $refused"
		fi
		grep -v '^[[:space:]]*\(#\|$\)' "$dir/$name.expect" \
		    > "$out.expect"
		while IFS= read -r cond; do
			if [ -s "$out" ] && [ -s "$expert" ] &&
			    jq -e --slurpfile e "$expert" \
			    "(\$e[0]) as \$expert | ($cond)" "$out" >/dev/null; then
				ok "$incident/$name: $cond"
			else
				not_ok "$incident/$name: $cond"
				jq -c '{outcome, phases, score: .score.total}' "$out" |
				    sed 's/^/# /'
			fi
		done < "$out.expect"
	done
done
done_testing
