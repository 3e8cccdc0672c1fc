/*
 * The command-line interface: subcommands and what they share (where the
 * game data lives, recording a finished session in the store).
 */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <stdio.h>

#include "session/session.h"
#include "score/score.h"
#include "session/record.h"

/* Game data directory: $FIREDRILL_DATADIR or the installed one. */
const char	*cli_datadir(void);
/* One-line error to stderr, prefixed with the program name. */
void		 cli_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
/*
 * A whole number as an option gives it: digits only (no sign, space, hex
 * or exponent), at most max.  0 and *v, or -1.
 */
int		 cli_parse_number(const char *, unsigned long long max,
		    unsigned long long *v);
/*
 * A name the game will print later (--player): UTF-8 text without
 * control characters, at most 100 bytes.  -1 after a one-line error.
 */
int		 cli_check_name(const char *option, const char *);
/* rc, or 1 after a one-line error when stdout could not be written. */
int		 cli_close_stdout(int rc);


/* A whole text file (at most 4 MiB, no NULs); caller's string. */
char	*cli_slurp(FILE *, const char *name, char **cause);
/* What `firedrill run` prints at the end: the summary, or its JSON. */
void	 cli_run_report(struct session *, const struct score *, int json,
	    int quiet);

struct stored_session;
/* SESSION on a command line: a number, or "last" (0).  -1 after an error. */
int	cli_session_id(const char *cmd, const char *arg, int64_t *id);
/*
 * Load a stored session from db (NULL: the default path), which must
 * exist.  -1 after printing the one-line error.
 */
int	cli_load_session(const char *db, int64_t id, struct stored_session *);
struct store;

/*
 * Open the session database to read it: --db PATH when given, else
 * $FIREDRILL_DB or the default path, as `firedrill run` chooses.  It is
 * never created here.  NULL with *cause on an error; NULL with *cause NULL
 * when the default database does not exist yet (nothing played).
 */
struct store	*cli_store_read(const char *db, char **cause);
/* The dash for "none" in tables: an em dash in UTF-8, else "-". */
const char	*cli_dash(void);

int	cli_run(int, char **);
int	cli_debrief(int, char **);
int	cli_replay(int, char **);
int	cli_list(int, char **);
int	cli_help(int, char **);
int	cli_play(int, char **);
int	cli_history(int, char **);
int	cli_stats(int, char **);
int	cli_import(int, char **);

#endif
