#!/bin/sh
# Every file of every fuzz corpus (tests/fuzz/corpus/HARNESS/) once
# through its harness: with the normal build's replay driver, or with
# libFuzzer's own when built with --enable-fuzzing.  A crash found once
# stays fixed.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tap.sh"

B=${TESTS_BUILDDIR:-$(dirname "$FIREDRILL")/tests}/fuzz
T=$TESTS_TMPDIR/fuzz-corpora
mkdir -p "$T"
for h in command cmdfile duration incident; do
	c=$TESTS_SRCDIR/fuzz/corpus/$h
	n=$(ls "$c" | wc -l)
	if [ ! -x "$B/fuzz-$h" ]; then
		not_ok "fuzz-$h is not built"
		continue
	fi
	# libFuzzer reads FILE arguments as inputs to run once.
	if (cd "$T" && "$B/fuzz-$h" "$c"/* > "$T/$h.log" 2>&1); then
		ok "fuzz-$h replays its $n corpus files"
	else
		not_ok "fuzz-$h crashed on its corpus"
		grep -E 'ERROR|Running|runtime error|Assertion' "$T/$h.log" |
		    head -5 | sed 's/^/# /'
	fi
done
done_testing
