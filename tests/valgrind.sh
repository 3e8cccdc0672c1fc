#!/bin/sh
# Every incident's expert path through the headless runner under
# valgrind's memcheck, recorded into a scratch database: no invalid read
# or write, no use of uninitialised values, no definite leak.  Run by
# `make check-valgrind` on a build without sanitizers (valgrind cannot run
# an ASan binary).
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
if grep -q __asan_init "$FIREDRILL" 2>/dev/null; then
	skip_all "$FIREDRILL is built with sanitizers"
fi
T=$TESTS_TMPDIR/valgrind
rm -rf "$T"
mkdir -p "$T"
export FIREDRILL_DB="$T/vg.db"
for inc in $("$FIREDRILL" list --json | jq -r '.[].id'); do
	valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    --suppressions="$TESTS_SRCDIR/valgrind.supp" \
	    --log-file="$T/$inc.log" \
	    "$FIREDRILL" run "$inc" --expert --json > "$T/$inc.json" 2> "$T/$inc.err"
	st=$?
	if [ "$st" -eq 0 ] && [ ! -s "$T/$inc.log" ]; then
		ok "$inc: the expert path is memcheck-clean"
	else
		not_ok "$inc: status $st under memcheck"
		grep -E '==[0-9]+== +(Invalid|Conditional|Use of|[0-9,]+ bytes|at|by)' \
		    "$T/$inc.log" | head -8 | sed 's/^/# /'
	fi
done
done_testing
