# The console under a private tmux server, for the tests that drive it:
# source after tap.sh with T (the scratch directory, made) and NAME (the
# server's name) set.  Skips the test when tmux is not installed; the
# server goes when the test ends.  Polls the screen; never sleeps blind.

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
SOCK=fd-$NAME-$$
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null' EXIT INT TERM

# wait_for SESSION PATTERN SECONDS: the pattern is on the screen in time;
# else the screen is kept in $T/last-SESSION.txt.
wait_for() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		if $TM capture-pane -p -t "$1" 2>/dev/null | grep -q -- "$2"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	$TM capture-pane -p -t "$1" > "$T/last-$1.txt" 2>/dev/null
	return 1
}

# step SESSION PATTERN SECONDS DESCRIPTION: one TAP line, with the screen
# as diagnostics when it fails.
step() {
	if wait_for "$1" "$2" "$3"; then ok "$4"; else
		not_ok "$4"
		sed 's/^/# /' "$T/last-$1.txt" | head -12
	fi
}
