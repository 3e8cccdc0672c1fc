/*
 * The command-line interface: subcommands and what they share (where the
 * game data lives, recording a finished session in the store).
 */
#ifndef FD_CLI_H
#define FD_CLI_H

#include "session/session.h"
#include "score/score.h"

/* Game data directory: $FIREDRILL_DATADIR or the installed one. */
const char	*cli_datadir(void);
/* One-line error to stderr, prefixed with the program name. */
void		 cli_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
/* Score a finished (or stopped) session. */
void		 cli_score(const struct session *, struct score *);
/* The score breakdown as JSON (caller's string). */
char		*cli_score_json(const struct session *, const struct score *);
/*
 * Record the session in the store at db_path (NULL: the default).  On
 * failure prints one warning line and returns -1; the caller goes on.
 */
int		 cli_record(const struct session *, const struct score *,
		    const char *db_path, const char *mode, const char *player);

int	cli_run(int, char **);
int	cli_list(int, char **);
int	cli_help(int, char **);

#endif
