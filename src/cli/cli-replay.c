/*
 * `firedrill replay SESSION`: a recorded session again, from its incident,
 * seed and commands.  --verify checks it headless against the recorded
 * state hashes; --branch-at turns it into a new live session from a point
 * in its past; otherwise the console plays it back.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "session/replay.h"
#include "store/store.h"
#include "ui/console.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static void
usage_replay(FILE *f)
{
	fputs("usage: firedrill replay SESSION [--db PATH] [--verify]"
	    " [--branch-at TIME]\n"
	    "                        [--commands FILE] [--json] [--speed N]"
	    " [--player NAME]\n\n"
	    "  SESSION           a session id from the database, or 'last'\n"
	    "  --db PATH         the session database (default: $FIREDRILL_DB"
	    " or\n"
	    "                    $XDG_DATA_HOME/firedrill/firedrill.db)\n"
	    "  --verify          replay headless and check every recorded"
	    " state hash;\n"
	    "                    exit 1 at the first difference\n"
	    "  --branch-at TIME  replay up to TIME (4:30, 270s), then play on"
	    " as a new\n"
	    "                    session: in the console, or headless with"
	    " --commands\n"
	    "  --commands FILE   with --branch-at: timed commands from TIME on"
	    " (absolute\n"
	    "                    sim times), run like 'firedrill run'\n"
	    "  --json            with --commands: the result as 'firedrill run"
	    " --json'\n"
	    "  --speed N         playback speed: 1, 2, 5, 10 or 20 (default"
	    " 1)\n"
	    "  --player NAME     who plays a branch (default $USER)\n\n"
	    "Keys during playback: space pause, + - speed, . or s one tick"
	    " while paused,\n"
	    "b branch here and play on, q quit.\n", f);
}

/* "2:03.4": the clock with tenths, as a tick is 100 ms. */
static void
clock_tenths(long ms, char *buf, size_t len)
{
	char	c[16];

	duration_clock(ms, c, sizeof c);
	snprintf(buf, len, "%s.%ld", c, ms % 1000 / 100);
}

static int
verify(struct session *s, const struct stored_session *ss)
{
	struct replay_check	rc;
	char			t[32];

	if (replay_verify(s, ss, &rc) != 0) {
		clock_tenths(rc.t_ms, t, sizeof t);
		cli_error("replay: session %lld diverges at tick %ld (%s): %s"
		    " %s expected %s", (long long)ss->id, rc.t_ms / TICK_MS, t,
		    rc.what, rc.got, rc.want);
		return (1);
	}
	if (ss->outcome != NULL && strcmp(ss->outcome, "interrupted") == 0) {
		duration_clock((long)ss->sim_ms, t, sizeof t);
		printf("session %lld verified up to %s, where it was"
		    " interrupted: %zu checkpoints\n", (long long)ss->id, t,
		    rc.checked);
	} else if (ss->every_ms > 0 && ss->nhashes > 0)
		printf("session %lld verified: %zu checkpoints, final state"
		    " %s (%s)\n", (long long)ss->id, rc.checked, rc.got,
		    s->g.outcome);
	else
		printf("session %lld verified: final state %s (%s); it has no"
		    " checkpoints (recorded before schema 2)\n",
		    (long long)ss->id, rc.got, s->g.outcome);
	return (0);
}

/* Queue the branch's own commands: all at or after the branch. */
static int
branch_commands(struct session *s, const char *file, long at)
{
	FILE	*f;
	char	*text, *cause = NULL, a[16], b[16];
	int	 from = s->nq;

	if ((f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r")) == NULL) {
		cli_error("cannot open %s: %s", file, strerror(errno));
		return (-1);
	}
	text = cli_slurp(f, file, &cause);
	if (f != stdin)
		fclose(f);
	if (text == NULL || session_queue_text(s, strcmp(file, "-") == 0 ?
	    "<stdin>" : file, text, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		free(text);
		return (-1);
	}
	free(text);
	/* Queued in time order, so the earliest new one is first. */
	if (s->nq > from && s->q[from].t_ms < at) {
		duration_clock(s->q[from].t_ms, a, sizeof a);
		duration_clock(at, b, sizeof b);
		cli_error("%s: %s (%s) is before the branch at %s",
		    s->q[from].where, a, s->q[from].line, b);
		return (-1);
	}
	return (0);
}

static int
run_branch(struct session *s, const char *db, const char *player, int json)
{
	struct score	 sc;
	const char	*env;
	char		*cause = NULL, t[16];
	int		 status = 0;

	while (!s->g.over && session_now_ms(s) < SESSION_RUN_CAP_MS)
		session_tick(s);
	if (!s->g.over)
		game_end(&s->g, "timeout");
	record_score(s, &sc);
	if (record_session(s, &sc, db, "run", player, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		/* As `firedrill run`: a named database must take it. */
		env = getenv("FIREDRILL_DB");
		if (db != NULL || (env != NULL && *env != '\0'))
			status = 1;
	}
	cli_run_report(s, &sc, json, 0);
	if (!json && s->db_id > 0) {
		duration_clock(s->branch_ms, t, sizeof t);
		printf("\nBranched from session %lld at %s; recorded as"
		    " session %lld.\n", (long long)s->parent_id, t,
		    (long long)s->db_id);
	}
	return (status);
}

int
cli_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "verify", no_argument, NULL, 'v' },
		{ "branch-at", required_argument, NULL, 'b' },
		{ "commands", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "speed", required_argument, NULL, 'x' },
		{ "player", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stored_session	 ss;
	struct session		 s;
	struct console_opts	 o;
	const char		*db = NULL, *commands = NULL, *player;
	char			*cause = NULL, a[16], b[16];
	unsigned long long	 num;
	long			 at = -1;
	int64_t			 id;
	double			 speed = 1;
	int			 ch, doverify = 0, json = 0, rc = 1;

	player = getenv("USER") != NULL ? getenv("USER") : "player";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'v':
			doverify = 1;
			break;
		case 'b':
			if (duration_parse(optarg, &at) != 0 ||
			    at % TICK_MS != 0) {
				cli_error("--branch-at: bad time '%s' (use 4:30,"
				    " 270s or 1:02:03)", optarg);
				return (2);
			}
			break;
		case 'c':
			commands = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'x':
			speed = cli_parse_number(optarg, 20, &num) != 0 ?
			    0 : (double)num;
			if (!(speed == 1 || speed == 2 ||
			    speed == 5 || speed == 10 || speed == 20)) {
				cli_error("--speed: 1, 2, 5, 10 or 20, not '%s'",
				    optarg);
				return (2);
			}
			break;
		case 'p':
			if (cli_check_name("--player", optarg) != 0)
				return (2);
			player = optarg;
			break;
		case 'h':
			usage_replay(stdout);
			return (0);
		default:
			usage_replay(stderr);
			return (2);
		}
	}
	if (argc - optind != 1) {
		usage_replay(stderr);
		return (2);
	}
	if (cli_session_id("replay", argv[optind], &id) != 0)
		return (2);
	if (doverify && at >= 0) {
		cli_error("replay: --verify and --branch-at: choose one");
		return (2);
	}
	if ((commands != NULL || json) && at < 0) {
		cli_error("replay: --%s needs --branch-at", commands != NULL ?
		    "commands" : "json");
		return (2);
	}
	if (json && commands == NULL) {
		cli_error("replay: --json needs --commands");
		return (2);
	}
	if (cli_load_session(db, id, &ss) != 0)
		return (1);
	if (ss.outcome == NULL) {
		cli_error("replay: session %lld never finished", (long long)id);
		goto out;
	}
	if (at > ss.sim_ms) {
		duration_clock(at, a, sizeof a);
		duration_clock(ss.sim_ms, b, sizeof b);
		cli_error("replay: --branch-at %s is past the end of session"
		    " %lld (%s)", a, (long long)ss.id, b);
		goto out;
	}
	if (doverify || commands != NULL) {
		if (replay_open(&s, cli_datadir(), &ss, at, &cause) != 0) {
			cli_error("replay: session %lld: %s", (long long)ss.id,
			    cause);
			free(cause);
			goto out;
		}
		if (doverify)
			rc = verify(&s, &ss);
		else if (replay_branch_at(&s, &ss, at, &cause) != 0) {
			cli_error("replay: %s", cause);
			free(cause);
		} else if (branch_commands(&s, commands, at) == 0)
			rc = run_branch(&s, db, player, json);
		session_close(&s);
		goto out;
	}
	/* The console builds the replay itself, in place. */
	memset(&o, 0, sizeof o);
	o.datadir = cli_datadir();
	o.speed = speed;
	o.player = player;
	o.db = db;
	o.replay = &ss;
	o.branch_ms = at;
	if (console_run(&o, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	rc = 0;
out:
	stored_session_free(&ss);
	return (rc);
}
