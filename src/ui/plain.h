/*
 * The line mode (`firedrill play --plain`): the live game for screen
 * readers and braille displays.  No curses, no escape sequences: one line
 * per event on stdout, commands read a line at a time from stdin (a
 * terminal or a pipe), one-line errors on stderr.  It plays the same
 * session, at the same pace, with the same commands, scoring and
 * recording as the console.
 */
#ifndef FD_PLAIN_H
#define FD_PLAIN_H

#include "ui/console.h"

/*
 * Play one incident (o->incident, or one chosen from a numbered list)
 * and return the exit status: 0, or 1 when it could not start (with
 * cause) or the session could not be recorded.
 */
int	plain_run(const struct console_opts *, char **cause);

#endif
