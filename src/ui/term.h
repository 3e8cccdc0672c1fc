/*
 * The terminal: the only code that includes curses.  It opens the screen
 * (refusing when stdout is not a terminal or TERM is unusable), maps
 * roles to colours or attributes by capability (256, 8, none, NO_COLOR),
 * copies a canvas with one doupdate per frame, reads keys, and restores
 * the terminal on every exit path.
 */
#ifndef FD_TERM_H
#define FD_TERM_H

#include "ui/canvas.h"
#include "ui/theme.h"

/* Keys beyond characters, as the console sees them. */
enum {
	K_NONE = -1,
	K_RESIZE = 0x110000,
	K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_DEL, K_BACKSPACE,
	K_PGUP, K_PGDN, K_F1, K_F5, K_ENTER, K_TAB, K_BTAB,
	K_ALT1, K_ALT2, K_ALT3, K_ALT4, K_ALT5,
};

int	term_open(int want_bell, char **cause);
void	term_close(void);		/* idempotent; safe from atexit */
int	term_utf8(void);
enum color_mode term_color_mode(void);
void	term_size(int *w, int *h);
/*
 * Wait up to timeout_ms (-1: forever) for a key: a Unicode code point,
 * one of the K_* above, or K_NONE on timeout.
 */
int	term_key(int timeout_ms);
void	term_draw(const struct canvas *);
void	term_bell(void);

#endif
