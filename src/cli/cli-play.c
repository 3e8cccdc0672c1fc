/*
 * `firedrill play [INCIDENT]` and bare `firedrill`: the live console.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ui/console.h"
#include "ui/pace.h"
#include "ui/plain.h"
#include "util/xmalloc.h"

static void
usage_play(FILE *f)
{
	fputs("usage: firedrill play [INCIDENT] [--seed N] [--speed X]"
	    " [--player NAME] [--db PATH] [--bell]\n"
	    "                      [--ghost] [--plain]\n\n"
	    "  INCIDENT         start at its briefing (default: the title"
	    " screen)\n"
	    "  --seed N         the run's seed (default: a new one each time)\n"
	    "  --speed X        1, 2, 5, 10 or 60 times real time (default"
	    " 1)\n"
	    "  --player NAME    who plays (default $USER)\n"
	    "  --db PATH        the session database\n"
	    "  --bell           ring the terminal bell when a page fires\n"
	    "  --ghost          race your best at this incident and seed (or"
	    " any seed):\n"
	    "                   its DETECT/TRIAGE/MITIGATE/FIX marks on the"
	    " status bar\n"
	    "  --plain          line mode for screen readers and braille"
	    " displays: no\n"
	    "                   screen, no colours, no escape sequences; one"
	    " line per event\n"
	    "                   on stdout, commands one a line from stdin (a"
	    " terminal or a\n"
	    "                   pipe), errors on stderr; 'status' shows the"
	    " dashboard, and\n"
	    "                   a line starting with a sim time ('2:30 ack"
	    " ALRT-X') waits for it\n",
	    f);
}

int
cli_play(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "speed", required_argument, NULL, 'x' },
		{ "player", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },
		{ "bell", no_argument, NULL, 'b' },
		{ "ghost", no_argument, NULL, 'g' },
		{ "plain", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct console_opts	 o;
	char			*cause = NULL;
	unsigned long long	 num;
	int			 ch, plain = 0, rc;

	memset(&o, 0, sizeof o);
	o.datadir = cli_datadir();
	o.speed = 1;
	o.player = getenv("USER") != NULL ? getenv("USER") : "player";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cli_parse_number(optarg, ULLONG_MAX, &num) != 0) {
				cli_error("--seed: '%s' is not a whole number",
				    optarg);
				return (2);
			}
			o.seed = num;
			o.seed_set = 1;
			break;
		case 'x':
			o.speed = cli_parse_number(optarg, 60, &num) != 0 ?
			    0 : (double)num;
			if (pace_speed_index(o.speed) < 0) {
				cli_error("--speed: 1, 2, 5, 10 or 60, not '%s'",
				    optarg);
				return (2);
			}
			break;
		case 'p':
			if (cli_check_name("--player", optarg) != 0)
				return (2);
			o.player = optarg;
			break;
		case 'd':
			o.db = optarg;
			break;
		case 'b':
			o.bell = 1;
			break;
		case 'g':
			o.ghost = 1;
			break;
		case 'P':
			plain = 1;
			break;
		case 'h':
			usage_play(stdout);
			return (0);
		default:
			usage_play(stderr);
			return (2);
		}
	}
	if (argc - optind > 1) {
		usage_play(stderr);
		return (2);
	}
	/* An empty path would be SQLite's private temporary database. */
	if (o.db != NULL && *o.db == '\0') {
		cli_error("--db: the path is empty");
		return (2);
	}
	o.incident = argc - optind == 1 ? argv[optind] : NULL;
	if (o.incident != NULL) {
		/* Refuse an unknown incident before taking the screen. */
		char *path = incident_resolve(o.datadir, o.incident, &cause);

		if (path == NULL) {
			cli_error("%s", cause);
			free(cause);
			return (1);
		}
		free(path);
	}
	if (plain) {
		if ((rc = plain_run(&o, &cause)) < 0) {
			cli_error("%s", cause);
			free(cause);
			return (1);
		}
		return (rc);
	}
	if (console_run(&o, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return (1);
	}
	return (0);
}
