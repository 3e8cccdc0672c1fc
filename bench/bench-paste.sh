#!/bin/sh
# CPU seconds the console spends on a paste of N characters into its
# command line (one line, no newline), and whether it still quits at
# once afterwards.  Run on demand, not by `make check`.
#
# usage: bench/bench-paste.sh [FIREDRILL] [N...]   (default 10000 30000 60000)
# Needs tmux.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
fd=${1:-$here/firedrill}
[ $# -gt 0 ] && shift
sizes=${*:-10000 30000 60000}
[ -x "$fd" ] || fd=$here/_build/firedrill
[ -x "$fd" ] || { echo "bench: build firedrill first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "bench: needs tmux" >&2; exit 1; }
export FIREDRILL_DATADIR=${FIREDRILL_DATADIR:-$here}
tmp=$(mktemp -d)
sock=fd-paste-$$
tm="tmux -L $sock -f /dev/null"
trap '$tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
tck=$(getconf CLK_TCK)

pid_of() {
	p=$($tm display-message -p -t "$1" '#{pane_pid}')
	c=$(pgrep -P "$p" | head -1)
	echo "${c:-$p}"
}
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wait_for() {	# NAME PATTERN TENTHS
	i=0
	until $tm capture-pane -p -t "$1" | grep -q -- "$2"; do
		i=$((i + 1))
		[ $i -lt "$3" ] || return 1
		sleep 0.1
	done
}
# Seconds (tenths) until the CPU time stops growing: the paste is digested.
settle() {
	last=-1
	k=0
	while :; do
		c=$(cpu "$1")
		[ "$c" = "$last" ] && break
		last=$c
		sleep 0.5
		k=$((k + 1))
		[ $k -lt 600 ] || break
	done
}

printf '%-10s %10s %s\n' CHARS "CPU S" "QUIT"
# One session outlives the measured ones, so the server stays up.
$tm new-session -d -s keep "sleep 3600"
for n in $sizes; do
	name=p$n
	$tm new-session -d -s "$name" -x 120 -y 40 \
	    "env TERM=tmux-256color LANG=C.UTF-8 '$fd' play db-pool-exhaustion --seed 1 --db '$tmp/b.db'; echo EXITED > '$tmp/$name.exit'; sleep 60"
	wait_for "$name" "Enter: start" 100
	$tm send-keys -t "$name" Enter
	wait_for "$name" "Services" 100
	$tm send-keys -t "$name" "pause" Enter
	sleep 0.5
	pid=$(pid_of "$name")
	# Letters, digits and spaces, no newline: one long line.
	LC_ALL=C tr -dc 'a-z0-9 ' < /dev/urandom | head -c "$n" > "$tmp/paste"
	c0=$(cpu "$pid")
	$tm load-buffer -b x "$tmp/paste"
	$tm paste-buffer -b x -t "$name"
	settle "$pid"
	c1=$(cpu "$pid")
	# Quitting: Esc clears the line, then quit and y.
	$tm send-keys -t "$name" Escape
	sleep 0.2
	$tm send-keys -t "$name" C-c
	sleep 0.2
	$tm send-keys -t "$name" y
	q=no
	i=0
	while [ $i -lt 100 ]; do
		if $tm capture-pane -p -t "$name" | grep -q "post-mortem"; then
			q=yes; break
		fi
		sleep 0.1; i=$((i + 1))
	done
	awk -v n="$n" -v c="$((c1 - c0))" -v t="$tck" -v q="$q" \
	    'BEGIN { printf "%-10s %10.2f %s\n", n, c / t, q }'
	$tm kill-session -t "$name"
done
