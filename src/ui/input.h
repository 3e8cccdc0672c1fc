/*
 * The console's command line: GNU readline's callback interface driven
 * from the console's own key loop (readline never touches the terminal),
 * with history kept in a file across sessions and completion supplied by
 * the caller.  Readline is a singleton, so there is one line editor.
 */
#ifndef FD_INPUT_H
#define FD_INPUT_H

#include <stddef.h>

struct line_editor;

/*
 * The longest line the editor holds, in bytes.  Characters past it are
 * dropped, the editor says so once (line_take_notice), and Enter refuses
 * the line rather than run what is left of it.
 */
#define LINE_MAX_BYTES	4096

/* What to show of a line that may be wider than its space. */
struct line_window {
	const char	*text;		/* the first character shown */
	size_t		 len;		/* bytes shown */
	int		 cursor;	/* the cursor's column in them */
	int		 left;		/* text hidden before them */
	int		 right;		/* ... and after them */
};

/* Enter was pressed on line (borrowed for the call). */
typedef void	(*line_accept_cb)(void *ctx, const char *line);
/*
 * Candidates for the word being completed.  before is the line up to the
 * cursor; word is the partial word at its end.  Store a malloc'd array of
 * malloc'd strings in *out and return the count (0: none).
 */
typedef int	(*line_complete_cb)(void *ctx, const char *before,
		    const char *word, char ***out);

/*
 * Start the editor.  history_path may be NULL (no file); a missing file
 * is not an error.  Returns NULL with cause if one already exists.
 */
struct line_editor *line_new(const char *history_path, line_accept_cb,
		    line_complete_cb, void *ctx, char **cause);
/* Save the history (at most 1000 lines) and stop; accepts NULL. */
void		 line_free(struct line_editor *);
/*
 * Feed raw input bytes as a terminal would send them: printable UTF-8,
 * control characters (Ctrl-A, Ctrl-E, Ctrl-K, Ctrl-R, Ctrl-U, Ctrl-W,
 * Tab, Enter, Backspace 0x7f) and ANSI sequences for the arrows, Home,
 * End and Delete ("\033[A" …).  Calls accept for each completed line.
 */
void		 line_feed(struct line_editor *, const char *bytes, size_t n);
/*
 * The text being edited (borrowed) and the cursor as a display column:
 * one per character, as the canvas draws them (a wide character is one
 * '?').
 */
const char	*line_text(const struct line_editor *);
int		 line_cursor_col(const struct line_editor *);
/*
 * The part of the line to draw in width columns, scrolled so the cursor
 * is always in it (and the end of the line with it while typing at the
 * end).  The window only moves when the cursor leaves it, and the cost of
 * a call is the width plus the characters typed since the last one.
 */
void		 line_window(struct line_editor *, int width,
		    struct line_window *);
/* Bytes examined so far laying out windows: for tests of the cost. */
size_t		 line_work(const struct line_editor *);
/* Text was dropped from the line being edited (over LINE_MAX_BYTES). */
int		 line_too_long(const struct line_editor *);
/*
 * A one-line notice to show the user, once (caller frees), or NULL: the
 * line became too long, or Enter refused a line that was.
 */
char		*line_take_notice(struct line_editor *);
int		 line_is_empty(const struct line_editor *);
/* Empty the line (Esc). */
void		 line_clear(struct line_editor *);
/*
 * When a Tab found several candidates, they are kept here to be shown
 * (borrowed; n = 0 when none) until the next key.
 */
int		 line_matches(const struct line_editor *, char *const **v);
/* A search prompt is active (Ctrl-R): its prompt text, else NULL. */
const char	*line_prompt(const struct line_editor *);
/* Something changed since the last call (for redraws). */
int		 line_changed(struct line_editor *);

#endif
