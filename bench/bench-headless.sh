#!/bin/sh
# Headless speed and memory: a 60-minute run of every incident (the model
# keeps running after the outcome with --play-on), reported as sim-seconds
# per wall-second and peak RSS, each also as a ratio to the first incident
# measured in the same run (the baseline), so machines can be compared.
#
# With --against BASE, every incident is timed on both binaries in turns
# (BASE, then FIREDRILL, REPEATS times) and the table gives FIREDRILL's
# speed and peak RSS as ratios to BASE's: 1.00 is as fast, 0.90 is 10 %
# slower.  Taking the runs in turns keeps a busy machine from favouring
# either side.
#
# usage: bench/bench-headless.sh [--against BASE] [FIREDRILL] [REPEATS]
# Run on demand, not by `make check`.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
against=
if [ "${1:-}" = --against ]; then
	[ $# -ge 2 ] || { echo "bench: --against needs a firedrill binary" >&2; exit 2; }
	against=$2
	shift 2
	[ -x "$against" ] || { echo "bench: $against is not an executable" >&2; exit 1; }
fi
fd=${1:-$here/firedrill}
repeats=${2:-3}
[ -x "$fd" ] || fd=$here/_build/firedrill
[ -x "$fd" ] || { echo "bench: build firedrill first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
export FIREDRILL_DATADIR=${FIREDRILL_DATADIR:-$here}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# time_run BINARY ID: one 60-minute run; prints "WALL-SECONDS PEAK-KIB".
time_run() {
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$tmp/t" "$1" run "$2" --until 60m \
	    --play-on --no-record --quiet > /dev/null
	t1=$(date +%s%N)
	echo "$(awk "BEGIN{printf \"%.6f\", ($t1 - $t0) / 1e9}")" "$(cat "$tmp/t")"
}

# The least disturbed of the repeats is the one that counts.
min() { awk "BEGIN{print ($1 < $2) ? $1 : $2}"; }
max() { awk "BEGIN{print ($1 > $2) ? $1 : $2}"; }
speed_of() { awk "BEGIN{w=$1; if (w < 0.001) w = 0.001; printf \"%.0f\", 3600 / w}"; }
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

incidents=$("$fd" list --json | sed 's/},{/}\n{/g' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
if [ -n "$against" ]; then
	printf '%-24s %12s %12s %10s %10s\n' INCIDENT "BASE SIM-S/S" "SIM-S/WALL-S" "SPEED x" "RSS x"
else
	printf '%-24s %12s %12s %10s %10s\n' INCIDENT "SIM-S/WALL-S" "PEAK RSS" "SPEED x" "RSS x"
fi
base_speed= base_rss= worst=
for id in $incidents; do
	best=999999 rss=0 bbest=999999 brss=0
	i=0
	while [ "$i" -lt "$repeats" ]; do
		if [ -n "$against" ]; then
			set -- $(time_run "$against" "$id")
			bbest=$(min "$1" "$bbest"); brss=$(max "$2" "$brss")
		fi
		set -- $(time_run "$fd" "$id")
		best=$(min "$1" "$best"); rss=$(max "$2" "$rss")
		i=$((i + 1))
	done
	speed=$(speed_of "$best")
	if [ -n "$against" ]; then
		bspeed=$(speed_of "$bbest")
		r=$(ratio "$speed" "$bspeed")
		printf '%-24s %12s %12s %10s %10s\n' "$id" "$bspeed" "$speed" \
		    "$r" "$(ratio "$rss" "$brss")"
		if [ -z "$worst" ] || awk "BEGIN{exit !($r < $worst)}"; then
			worst=$r
		fi
		continue
	fi
	[ -n "$base_speed" ] || { base_speed=$speed; base_rss=$rss; }
	printf '%-24s %12s %9s MiB %10s %10s\n' "$id" "$speed" \
	    "$(awk "BEGIN{printf \"%.1f\", $rss / 1024}")" \
	    "$(ratio "$speed" "$base_speed")" "$(ratio "$rss" "$base_rss")"
done
[ -z "$against" ] || echo "slowest incident against the base: ${worst}x"
