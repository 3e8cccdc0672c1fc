/*
 * An off-screen grid of cells that every panel draws into.  The terminal
 * backend copies it to curses; tests read its text back.  A canvas knows
 * nothing of curses and nothing of the game.
 */
#ifndef FD_CANVAS_H
#define FD_CANVAS_H

#include <stddef.h>

#include "ui/theme.h"

/* Roles, not colours: the theme maps them to colours or attributes. */
enum role {
	ROLE_TEXT,
	ROLE_DIM,
	ROLE_BOLD,
	ROLE_TITLE,	/* panel titles, headings */
	ROLE_OK,
	ROLE_WARN,
	ROLE_CRIT,
	ROLE_ACK,
	ROLE_ACCENT,	/* the player's own actions, selections */
	ROLE_INFO,
	ROLE_BAR,		/* status bar background */
	ROLE_SELECT,	/* the selected row */
	ROLE_FLASH,	/* a new page, for two frames */
	ROLE__COUNT
};

struct cell {
	char		 ch[5];		/* one UTF-8 code point, NUL-ended */
	unsigned char	 role;
};

struct canvas {
	int		 w, h;
	struct cell	*cells;
	int		 cur_x, cur_y;	/* where the terminal cursor goes */
	int		 cursor_on;
	const struct glyphs *gl;	/* box and state glyphs */
};

struct rect {
	int	x, y, w, h;
};

void	canvas_init(struct canvas *, int w, int h);
void	canvas_fini(struct canvas *);
void	canvas_resize(struct canvas *, int w, int h);
void	canvas_clear(struct canvas *);
/* Fill a rectangle with spaces of a role. */
void	canvas_fill(struct canvas *, struct rect, enum role);
/*
 * Write UTF-8 text at (x, y), clipped to max columns; control bytes
 * become '?'.  Returns the columns used.
 */
int	canvas_put(struct canvas *, int x, int y, int max, enum role,
	    const char *);
int	canvas_printf(struct canvas *, int x, int y, int max, enum role,
	    const char *, ...) __attribute__((format(printf, 6, 7)));
/* Right-aligned within [x, x + w). */
void	canvas_put_right(struct canvas *, int x, int y, int w, enum role,
	    const char *);
/* One cell. */
void	canvas_cell(struct canvas *, int x, int y, enum role, const char *);
/* A box with a title in its top edge. */
void	canvas_box(struct canvas *, struct rect, const char *title,
	    enum role);
/* The inside of a box. */
struct rect rect_inner(struct rect);
/* Row y as plain UTF-8 text, trailing spaces trimmed (caller frees). */
char	*canvas_row_text(const struct canvas *, int y);
/* The whole canvas as text, one line per row (caller frees). */
char	*canvas_text(const struct canvas *);
/* Display width of UTF-8 text as the canvas counts it. */
int	utf8_width(const char *);

#endif
