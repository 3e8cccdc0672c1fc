# TAP helpers shared by the shell tests: plan as you go, one line a check.
# Source it; call ok/not_ok/check, then done_testing.

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok - $*"
}

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi
}

# jcheck DESCRIPTION FILE JQ-CONDITION: a non-empty JSON file meets it
# (jq -e alone succeeds on empty input).
jcheck() {
	if [ -s "$2" ] && jq -e "$3" "$2" >/dev/null 2>&1; then
		ok "$1"
	else
		not_ok "$1"
	fi
}

diag() {
	echo "# $*"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

: "${FIREDRILL:?FIREDRILL must name the built binary}"
: "${TESTS_SRCDIR:?TESTS_SRCDIR must name tests/ in the source tree}"
TESTS_TMPDIR=${TESTS_TMPDIR:-${TMPDIR:-/tmp}}
mkdir -p "$TESTS_TMPDIR"
