#!/bin/sh
# The layers' rules (DESIGN.md), enforced on the source: each outside
# library has one gateway, the engine does no I/O and never reads the
# clock, and no C file knows the name of an incident.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

SRC="$TESTS_SRCDIR/../src"

none() {	# none DESCRIPTION PATTERN FILES...: no line matches
	desc=$1 pat=$2
	shift 2
	hits=$(grep -nE "$pat" "$@" 2>/dev/null)
	if [ -z "$hits" ]; then ok "$desc"; else
		not_ok "$desc"
		echo "$hits" | head -5 | sed 's/^/# /'
	fi
}

none "engine includes no curses, Lua or SQLite" \
    '#include *[<"](n?curses|lua|lauxlib|lualib|sqlite3)' "$SRC"/engine/*.[ch]
none "engine reads no wall clock and draws no libc randomness" \
    '\b(time|clock|gettimeofday|clock_gettime|rand|srand|random)\(' "$SRC"/engine/*.c
none "engine does no I/O" \
    '\b(printf|fprintf|puts|fputs|fopen|open|read|write|getenv)\(' "$SRC"/engine/*.c
none "only src/script includes Lua" \
    '#include *[<"](lua|lauxlib|lualib)' "$SRC"/cmd/*.[ch] "$SRC"/store/*.[ch] \
    "$SRC"/score/*.[ch] "$SRC"/session/*.[ch] "$SRC"/cli/*.[ch] "$SRC"/util/*.[ch]
none "only src/store includes SQLite" \
    '#include *[<"]sqlite3' "$SRC"/engine/*.[ch] "$SRC"/script/*.[ch] \
    "$SRC"/cmd/*.[ch] "$SRC"/score/*.[ch] "$SRC"/session/*.[ch] "$SRC"/cli/*.[ch]
none "nothing but the UI includes curses" \
    '#include *[<"]n?curses' "$SRC"/engine/*.[ch] "$SRC"/script/*.[ch] \
    "$SRC"/cmd/*.[ch] "$SRC"/store/*.[ch] "$SRC"/cli/*.[ch]
none "the console changes the game only by submitting commands" \
    '\b(game_end|game_phase|game_event|game_schedule|world_set|world_ramp|model_[a-z]+)\(' \
    "$SRC"/ui/*.c
none "only src/ui includes curses or readline" \
    '#include *[<"](n?curses|readline/)' "$SRC"/engine/*.[ch] "$SRC"/script/*.[ch] \
    "$SRC"/cmd/*.[ch] "$SRC"/store/*.[ch] "$SRC"/cli/*.[ch] "$SRC"/session/*.[ch]
none "commands print nothing themselves" \
    '\b(printf|fprintf|puts|fputs)\(' "$SRC"/cmd/*.c

# No incident-specific C: ids and root causes of every incident.
for f in "$TESTS_SRCDIR"/../lua/incidents/*.lua; do
	id=$(basename "$f" .lua)
	rc=$(sed -n 's/^ *root_cause = "\([^"]*\)".*/\1/p' "$f")
	none "no C knows incident $id" "$id" -r "$SRC"
	[ -n "$rc" ] && none "no C knows root cause $rc" "$rc" -r "$SRC"
done
done_testing
