/*
 * `firedrill import FILE [--db PATH]`: load a session saved as JSON (when
 * it could not be recorded) into a database.  Validation and the write
 * are the store's: one transaction, so a bad file changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/xmalloc.h"

static void
usage_import(FILE *f)
{
	fputs("usage: firedrill import FILE [--db PATH]\n\n"
	    "Load a session that could not be recorded, saved as JSON, into"
	    " the database.\n\n"
	    "  FILE       the session's JSON, as firedrill saved it\n"
	    "  --db PATH  the session database (default: $FIREDRILL_DB or\n"
	    "             $XDG_DATA_HOME/firedrill/firedrill.db)\n", f);
}

int
cli_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store	*st;
	const char	*db = NULL, *file;
	char		*text, *cause = NULL, *path = NULL;
	int64_t		 id;
	int		 ch, rc = 1;
	FILE		*f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage_import(stdout);
			return (0);
		default:
			usage_import(stderr);
			return (2);
		}
	}
	if (argc - optind != 1) {
		usage_import(stderr);
		return (2);
	}
	if (db != NULL && *db == '\0') {
		cli_error("--db: the path is empty");
		return (2);
	}
	file = argv[optind];
	if ((f = fopen(file, "r")) == NULL) {
		cli_error("import: cannot open %s: %s", file, strerror(errno));
		return (1);
	}
	text = cli_slurp(f, file, &cause);
	fclose(f);
	if (text == NULL) {
		cli_error("import: %s", cause);
		free(cause);
		return (1);
	}
	if (db == NULL && (path = store_default_path(&cause)) == NULL) {
		cli_error("import: %s", cause);
		free(cause);
		free(text);
		return (1);
	}
	st = store_open(db != NULL ? db : path, db == NULL, &cause);
	if (st == NULL || store_import(st, text, file, &id, &cause) != 0)
		cli_error("import: %s", cause);
	else {
		printf("imported %s as session %lld in %s\n", file,
		    (long long)id, store_path(st));
		rc = 0;
	}
	free(cause);
	store_close(st);
	free(path);
	free(text);
	return (rc);
}
