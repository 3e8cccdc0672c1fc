#!/bin/sh
# Headless speed and memory: a 60-minute run of every incident (the model
# keeps running after the outcome with --play-on), reported as sim-seconds
# per wall-second and peak RSS, each also as a ratio to the first incident
# measured in the same run (the baseline), so machines can be compared.
#
# usage: bench/bench-headless.sh [FIREDRILL] [REPEATS]
# Run on demand, not by `make check`.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
fd=${1:-$here/firedrill}
repeats=${2:-3}
[ -x "$fd" ] || fd=$here/_build/firedrill
[ -x "$fd" ] || { echo "bench: build firedrill first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
export FIREDRILL_DATADIR=${FIREDRILL_DATADIR:-$here}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

incidents=$("$fd" list --json | sed 's/},{/}\n{/g' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
printf '%-24s %12s %12s %10s %10s\n' INCIDENT "SIM-S/WALL-S" "PEAK RSS" "SPEED x" "RSS x"
base_speed= base_rss=
for id in $incidents; do
	best=
	rss=0
	i=0
	while [ "$i" -lt "$repeats" ]; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$tmp/t" "$fd" run "$id" --until 60m \
		    --play-on --no-record --quiet > /dev/null
		t1=$(date +%s%N)
		set -- "$(awk "BEGIN{printf \"%.6f\", ($t1 - $t0) / 1e9}")" "$(cat "$tmp/t")"
		# Best of the repeats: the least disturbed run.
		if [ -z "$best" ] || awk "BEGIN{exit !($1 < $best)}"; then best=$1; fi
		[ "$2" -gt "$rss" ] && rss=$2
		i=$((i + 1))
	done
	speed=$(awk "BEGIN{w=$best; if (w < 0.001) w = 0.001; printf \"%.0f\", 3600 / w}")
	[ -n "$base_speed" ] || { base_speed=$speed; base_rss=$rss; }
	printf '%-24s %12s %9s MiB %10s %10s\n' "$id" "$speed" \
	    "$(awk "BEGIN{printf \"%.1f\", $rss / 1024}")" \
	    "$(awk "BEGIN{printf \"%.2f\", $speed / $base_speed}")" \
	    "$(awk "BEGIN{printf \"%.2f\", $rss / $base_rss}")"
done
