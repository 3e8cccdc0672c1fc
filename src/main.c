/*
 * firedrill: a terminal incident-training game.  main() only dispatches
 * subcommands; each lives in src/cli/.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void
usage(FILE *f)
{
	fputs("usage: firedrill COMMAND [ARGS]\n\n"
	    "Practise production incidents on a simulated platform.\n\n"
	    "With no command, the console opens on the title screen.\n\n"
	    "Commands:\n"
	    "  play [INCIDENT] [OPTIONS]  the live console (firedrill play"
	    " --help)\n"
	    "  list [--json]              the incidents you can play\n"
	    "  run INCIDENT [OPTIONS]     play an incident headless from"
	    " timed commands\n"
	    "                             (firedrill run --help for options)\n"
	    "  replay SESSION [OPTIONS]   a recorded session again: watch it,"
	    " --verify it,\n"
	    "                             or --branch-at a time and play on\n"
	    "                             (firedrill replay --help)\n"
	    "  debrief [SESSION]          a session's post-mortem as Markdown"
	    " or JSON\n"
	    "                             (firedrill debrief --help)\n"
	    "  history [OPTIONS]          past sessions, newest first"
	    " (--incident, --json)\n"
	    "  stats [--json]             how each incident family has gone\n"
	    "  import FILE [--db PATH]    load a session saved as JSON when it"
	    " could not\n"
	    "                             be recorded (firedrill import"
	    " --help)\n"
	    "  help [COMMAND]             in-game commands and their usage\n\n"
	    "Options:\n"
	    "  --help                     this text\n"
	    "  --version                  version and API\n\n"
	    "Environment:\n"
	    "  FIREDRILL_DATADIR          game data (lua/) to use instead of"
	    " the installed\n"
	    "  FIREDRILL_DB               session database path\n"
	    "  XDG_DATA_HOME              where the database lives by"
	    " default\n\n"
	    "Report bugs to: " PACKAGE_BUGREPORT "\n", f);
}

static int
dispatch(int argc, char **argv)
{
	if (argc < 2)
		return (cli_play(argc, argv));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return (0);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("firedrill %s (engine %s, incident API 1)\n"
		    "License GPL-3.0-or-later.\n", PACKAGE_VERSION,
		    PACKAGE_VERSION);
		return (0);
	}
	if (strcmp(argv[1], "play") == 0)
		return (cli_play(argc - 1, argv + 1));
	if (strcmp(argv[1], "run") == 0)
		return (cli_run(argc - 1, argv + 1));
	if (strcmp(argv[1], "debrief") == 0)
		return (cli_debrief(argc - 1, argv + 1));
	if (strcmp(argv[1], "replay") == 0)
		return (cli_replay(argc - 1, argv + 1));
	if (strcmp(argv[1], "list") == 0)
		return (cli_list(argc - 1, argv + 1));
	if (strcmp(argv[1], "history") == 0)
		return (cli_history(argc - 1, argv + 1));
	if (strcmp(argv[1], "stats") == 0)
		return (cli_stats(argc - 1, argv + 1));
	if (strcmp(argv[1], "import") == 0)
		return (cli_import(argc - 1, argv + 1));
	if (strcmp(argv[1], "help") == 0)
		return (cli_help(argc - 1, argv + 1));
	cli_error("unknown command '%.40s' (firedrill --help)", argv[1]);
	return (2);
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return (cli_close_stdout(dispatch(argc, argv)));
}
