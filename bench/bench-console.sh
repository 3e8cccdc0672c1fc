#!/bin/sh
# The console's cost at rest and at work, beside htop in an identical
# tmux pane over the same window: CPU seconds used, bytes written to the
# terminal per second and peak RSS.  Run on demand, not by `make check`.
#
# usage: bench/bench-console.sh [FIREDRILL] [SECONDS]
# Needs tmux and htop (apt-get install tmux htop).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
fd=${1:-$here/firedrill}
secs=${2:-30}
[ -x "$fd" ] || fd=$here/_build/firedrill
[ -x "$fd" ] || { echo "bench: build firedrill first" >&2; exit 1; }
for p in tmux htop; do
	command -v $p >/dev/null || { echo "bench: needs $p" >&2; exit 1; }
done
export FIREDRILL_DATADIR=${FIREDRILL_DATADIR:-$here}
tmp=$(mktemp -d)
sock=fd-bench-$$
tm="tmux -L $sock -f /dev/null"
trap '$tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

tck=$(getconf CLK_TCK)

start() {	# start NAME COMMAND: a 120x40 pane, its output counted
	$tm new-session -d -s "$1" -x 120 -y 40 "env TERM=tmux-256color LANG=C.UTF-8 $2"
	$tm pipe-pane -t "$1" -o "cat > '$tmp/$1.out'"
}

pid_of() {	# the pane's program (its only child of the pane shell)
	p=$($tm display-message -p -t "$1" '#{pane_pid}')
	c=$(pgrep -P "$p" | head -1)
	echo "${c:-$p}"
}

cpu() {		# utime + stime in ticks
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

measure() {	# NAME: run for $secs, print one row
	pid=$(pid_of "$1")
	: > "$tmp/$1.out"
	c0=$(cpu "$pid")
	sleep "$secs"
	c1=$(cpu "$pid")
	bytes=$(wc -c < "$tmp/$1.out")
	rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
	awk -v n="$2" -v c="$((c1 - c0))" -v t="$tck" -v b="$bytes" \
	    -v s="$secs" -v r="$rss" 'BEGIN { printf "%-28s %10.2f %14.0f %10.1f\n",
	    n, c / t, b / s, r / 1024 }'
}

wait_for() {	# NAME PATTERN
	i=0
	until $tm capture-pane -p -t "$1" | grep -q -- "$2"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: '$2' never showed" >&2; exit 1; }
		sleep 0.1
	done
}

printf '%ds per row; 120x40 panes\n' "$secs"
printf '%-28s %10s %14s %10s\n' PROGRAM "CPU S" "TERM BYTES/S" "RSS MiB"

start htop "htop -d 10"
sleep 1
measure htop "htop (1 s refresh)"

start idle "$fd play db-pool-exhaustion --seed 1 --db $tmp/b.db"
wait_for idle "Enter: start"
$tm send-keys -t idle Enter
wait_for idle "Services"
$tm send-keys -t idle "pause" Enter
measure idle "firedrill, paused"

$tm send-keys -t idle "resume" Enter
measure idle "firedrill, 1x, calm"

$tm send-keys -t idle "speed 10" Enter
measure idle "firedrill, 10x, incident"
