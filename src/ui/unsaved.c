/*
 * "Session not recorded": the one screen between a failed recording and
 * the post-mortem.  The game never goes on without the player having
 * read where the session went.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/canvas.h"
#include "ui/screens.h"
#include "ui/term.h"
#include "ui/unsaved.h"
#include "util/xmalloc.h"

void
unsaved_open(struct unsaved *u, const char *why, const char *saved)
{
	int	tries = u->tries;

	memset(u, 0, sizeof *u);
	u->tries = tries;
	strlcpy_fd(u->why, why != NULL ? why : "session not recorded",
	    sizeof u->why);
	strlcpy_fd(u->saved, saved != NULL ? saved : "", sizeof u->saved);
}

enum unsaved_act
unsaved_key(struct unsaved *u, int k)
{
	size_t	n = strlen(u->path);

	if (u->typing) {
		if (k == 27) {
			u->typing = 0;
			u->path[0] = '\0';
		} else if (k == K_ENTER && n > 0) {
			u->typing = 0;
			return (UNS_OTHER);
		} else if (k == K_BACKSPACE && n > 0)
			u->path[n - 1] = '\0';
		else if (k >= 0x20 && k < 0x7f && n + 1 < sizeof u->path) {
			u->path[n] = (char)k;
			u->path[n + 1] = '\0';
		}
		return (UNS_NONE);
	}
	switch (k) {
	case 'r':
	case 'R':
		u->tries++;
		return (UNS_RETRY);
	case 'd':
	case 'D':
		u->typing = 1;
		u->path[0] = '\0';
		return (UNS_NONE);
	case K_ENTER:
	case 'c':
	case 'C':
		/* Only with the session safe somewhere. */
		return (u->saved[0] != '\0' ? UNS_GO_ON : UNS_NONE);
	}
	return (UNS_NONE);
}

/* A path, broken anywhere to fit: it must be read whole. */
static int
put_long(struct canvas *c, int x, int y, int w, enum role role,
    const char *text)
{
	const char	*p = text, *q;
	int		 rows = 0, cols;

	while (*p != '\0' && w > 0) {
		/* w characters: UTF-8 continuation bytes do not count. */
		for (q = p, cols = 0; *q != '\0'; q++) {
			if (((unsigned char)*q & 0xc0) == 0x80)
				continue;
			if (cols == w)
				break;
			cols++;
		}
		canvas_printf(c, x, y + rows, w, role, "%.*s", (int)(q - p), p);
		rows++;
		p = q;
	}
	return (rows);
}

void
unsaved_draw(const struct unsaved *u, struct canvas *c)
{
	int	 y = 2;

	canvas_clear(c);
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_put(c, 1, 0, c->w - 2, ROLE_BAR,
	    "firedrill · the session was not recorded");
	y += wrap_text(c, (struct rect){ 2, y, c->w - 4, 6 }, ROLE_WARN,
	    u->why) + 1;
	if (u->saved[0] != '\0') {
		canvas_put(c, 2, y++, c->w - 4, ROLE_BOLD,
		    "It is safe as JSON in");
		y += put_long(c, 4, y, c->w - 6, ROLE_BOLD, u->saved);
		canvas_put(c, 2, y++, c->w - 4, ROLE_TEXT,
		    "Load it later with: firedrill import FILE (the file"
		    " above)");
		y++;
	} else
		y += wrap_text(c, (struct rect){ 2, y, c->w - 4, 3 },
		    ROLE_CRIT, "It could not be saved as JSON either: retry,"
		    " or record it in another database.") + 1;
	if (u->typing) {
		canvas_put(c, 2, y++, c->w - 4, ROLE_ACCENT,
		    "Another database (Enter: record there · Esc: back):");
		canvas_printf(c, 4, y++, c->w - 6, ROLE_TEXT, "> %s_",
		    u->path);
	} else {
		canvas_put(c, 2, y++, c->w - 4, ROLE_ACCENT,
		    "r: retry   d: another database");
		if (u->saved[0] != '\0')
			canvas_put(c, 2, y++, c->w - 4, ROLE_ACCENT,
			    "Enter: go on to the post-mortem (the JSON is"
			    " kept)");
	}
	if (u->tries > 0)
		canvas_printf(c, 2, y + 1, c->w - 4, ROLE_DIM, "%d %s so far",
		    u->tries, u->tries == 1 ? "retry" : "retries");
}
