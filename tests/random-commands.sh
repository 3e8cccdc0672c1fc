#!/bin/sh
# About 34,000 random command lines, deterministic from a seed, across
# every incident through the headless runner (under the sanitizers in the
# _san build).  A run passes when it exits 0 with nothing on stderr (no
# sanitizer report, no crash), its JSON parses, and every command's
# output is well-formed UTF-8 with no control byte but newline.
# RANDOM_COMMANDS_SEED and RANDOM_COMMANDS_TOTAL change the draw.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
GEN=${TESTS_BUILDDIR:-$(dirname "$FIREDRILL")/tests}/gen-commands
[ -x "$GEN" ] || skip_all "tests/gen-commands is not built"
T=$TESTS_TMPDIR/random-commands
rm -rf "$T"
mkdir -p "$T"
SEED=${RANDOM_COMMANDS_SEED:-9}
TOTAL=${RANDOM_COMMANDS_TOTAL:-34008}
RUNS=3			# runs per incident, each a batch of commands
SPAN=30000		# sim ms a batch is spread over
INCIDENTS=$("$FIREDRILL" list --json | jq -r '.[].id')
NINC=$(echo "$INCIDENTS" | wc -l)
PER=$((TOTAL / NINC / RUNS))
diag "seed $SEED: $NINC incidents x $RUNS runs x $PER lines"

bad_bytes() {	# FILE: a control byte other than newline, or broken UTF-8
	LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1" ||
	    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" ||
	    ! iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1
}

lines=0
for inc in $INCIDENTS; do
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		s=$((SEED * 1000 + r))
		f=$T/$inc-$r.cmds
		"$GEN" "$inc" "$s" "$PER" "$SPAN" > "$f"
		"$FIREDRILL" run "$inc" --seed "$s" --commands "$f" \
		    --until $((SPAN / 1000 + 1))s --json --no-record \
		    > "$T/out.json" 2> "$T/err"
		st=$?
		desc="$inc, seed $s, $PER lines"
		if [ "$st" -ne 0 ] || [ -s "$T/err" ]; then
			not_ok "$desc: status $st (replay: $f)"
			head -5 "$T/err" | sed 's/^/# /'
		elif ! jq -e '.commands | length > 0' "$T/out.json" \
		    > /dev/null 2>&1; then
			not_ok "$desc: the JSON does not parse"
		else
			jq -r '.commands[].output' "$T/out.json" > "$T/outputs"
			if bad_bytes "$T/out.json" || bad_bytes "$T/outputs"; then
				not_ok "$desc: control bytes or broken UTF-8 in the output"
				LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" \
				    "$T/outputs" | head -3 | cat -v | sed 's/^/# /'
			else
				ok "$desc"
			fi
		fi
		lines=$((lines + PER))
		r=$((r + 1))
	done
done
diag "$lines command lines"
done_testing
