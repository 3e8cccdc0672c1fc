/*
 * The command-line interface: subcommands and what they share (where the
 * game data lives, recording a finished session in the store).
 */
#ifndef FD_CLI_H
#define FD_CLI_H

#include "session/session.h"
#include "score/score.h"
#include "session/record.h"

/* Game data directory: $FIREDRILL_DATADIR or the installed one. */
const char	*cli_datadir(void);
/* One-line error to stderr, prefixed with the program name. */
void		 cli_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

int	cli_run(int, char **);
int	cli_list(int, char **);
int	cli_help(int, char **);
int	cli_play(int, char **);

#endif
