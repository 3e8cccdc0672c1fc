/*
 * `firedrill list` and `firedrill help COMMAND`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "util/buf.h"

int
cli_list(int argc, char **argv)
{
	struct incident_info	*v;
	struct buf		 b;
	char			*cause = NULL;
	int			 n, i, json = 0, first;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else {
			cli_error("usage: firedrill list [--json]");
			return (2);
		}
	}
	if (incident_list(cli_datadir(), &v, &n, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return (1);
	}
	for (i = 0; i < n; i++)
		if (v[i].error != NULL)
			cli_error("skipping %s", v[i].error);
	buf_init(&b);
	if (json) {
		buf_putc(&b, '[');
		for (i = 0, first = 1; i < n; i++) {
			if (v[i].error != NULL)
				continue;
			buf_puts(&b, first ? "{\"id\":" : ",{\"id\":");
			first = 0;
			buf_json_str(&b, v[i].id);
			buf_puts(&b, ",\"section\":");
			buf_json_str(&b, v[i].section);
			buf_puts(&b, ",\"title\":");
			buf_json_str(&b, v[i].title);
			buf_printf(&b, ",\"difficulty\":%d,\"severity\":",
			    v[i].difficulty);
			buf_json_str(&b, v[i].severity);
			buf_putc(&b, '}');
		}
		buf_puts(&b, "]\n");
	} else {
		buf_printf(&b, "%-24s %-5s %-4s %-4s %s\n", "ID", "§",
		    "DIFF", "SEV", "TITLE");
		for (i = 0; i < n; i++)
			if (v[i].error == NULL)
				buf_printf(&b, "%-24s %-5s %-4d %-4s %s\n", v[i].id,
			    v[i].section, v[i].difficulty, v[i].severity,
			    v[i].title);
	}
	fputs(buf_str(&b), stdout);
	buf_fini(&b);
	incident_list_free(v, n);
	return (0);
}

int
cli_help(int argc, char **argv)
{
	struct buf	b;
	char		*cause = NULL;

	if (argc > 2) {
		cli_error("usage: firedrill help [COMMAND]");
		return (2);
	}
	/* An unknown verb is an error like any other: stderr, status 1. */
	if (argc == 2 && cmd_find(argv[1], &cause) == NULL) {
		cli_error("%s", cause);
		free(cause);
		return (1);
	}
	buf_init(&b);
	cmd_help(argc > 1 ? argv[1] : NULL, &b);
	fputs(buf_str(&b), stdout);
	buf_fini(&b);
	return (0);
}
