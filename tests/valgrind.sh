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
# Scratch databases, one per incident: memcheck runs JOBS at a time.
JOBS=${VALGRIND_JOBS:-2}
vg() {	# INCIDENT
	FIREDRILL_DB="$T/$1.db" valgrind -q --tool=memcheck \
	    --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
	    --errors-for-leak-kinds=definite \
	    --suppressions="$TESTS_SRCDIR/valgrind.supp" \
	    --log-file="$T/$1.log" \
	    "$FIREDRILL" run "$1" --expert --json > "$T/$1.json" 2> "$T/$1.err"
	echo $? > "$T/$1.status"
}
INCIDENTS=$("$FIREDRILL" list --json | jq -r '.[].id')
n=0
for inc in $INCIDENTS; do
	vg "$inc" &
	n=$((n + 1))
	[ $((n % JOBS)) -eq 0 ] && wait
done
wait
for inc in $INCIDENTS; do
	st=$(cat "$T/$inc.status" 2>/dev/null || echo missing)
	if [ "$st" = 0 ] && [ ! -s "$T/$inc.log" ]; then
		ok "$inc: the expert path is memcheck-clean"
	else
		not_ok "$inc: status $st under memcheck"
		grep -E '==[0-9]+== +(Invalid|Conditional|Use of|[0-9,]+ bytes|at|by)' \
		    "$T/$inc.log" | head -8 | sed 's/^/# /'
	fi
done
done_testing
