/*
 * The console's command line on GNU readline's callback interface.  The
 * console reads keys itself and feeds the bytes here; readline edits a line
 * that it never draws, and the console draws it from what this file reports.
 */

#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700
#endif

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "ui/input.h"
#include "util/xmalloc.h"

#define LINE_HISTORY_MAX	1000

struct line_editor {
	char			*history_path;
	line_accept_cb		 accept;
	line_complete_cb	 complete;
	void			*ctx;

	/*
	 * Readline's streams: it still writes some things of its own
	 * (cursor moves around a completion list) that must never reach
	 * the terminal ncurses owns.
	 */
	FILE			*devnull;

	/* Bytes fed and not yet read by readline. */
	unsigned char		*queue;
	size_t			 qoff;
	size_t			 qlen;
	size_t			 qcap;

	/* Lines readline accepted, waiting to be passed on. */
	char			**accepted;
	size_t			 naccepted;

	/* Candidates for completion, copied from readline's list. */
	char			**matches;
	int			 nmatches;

	/* Candidates handed out one by one to rl_completion_matches. */
	char			**cands;
	int			 ncands;
	int			 nextcand;

	/*
	 * The line grew past LINE_MAX_BYTES and text was dropped: Enter
	 * will refuse it.  The notice is for the caller to show, once.
	 */
	int			 too_long;
	char			*notice;

	/*
	 * The window shown of a long line: the byte its first column
	 * holds, and the starts of the characters before the cursor,
	 * kept while scanning so the window can be moved without a
	 * second pass.  work counts the bytes looked at (for tests).
	 */
	size_t			 hs;
	size_t			*ring;
	int			 nring;
	size_t			 work;

	int			 changed;
	int			 busy;		/* inside line_feed */
	int			 dying;		/* line_free from a callback */
};

/* Readline keeps all of its state in globals, so its hooks find us here. */
static struct line_editor *line_current;

/* What to undo after a call into readline. */
struct line_guard {
	char	*locale;
	int	 saved_err;
};

static int
line_getc(FILE *f)
{
	struct line_editor	*ed = line_current;

	(void)f;
	/* line_feed only calls readline while bytes are queued. */
	if (ed == NULL || ed->qoff == ed->qlen)
		return (EOF);
	return (ed->queue[ed->qoff++]);
}

/*
 * Readline asks this when deciding whether ESC starts a key sequence or
 * stands alone; it must answer at once, never wait.
 */
static int
line_input_available(void)
{
	struct line_editor	*ed = line_current;

	return (ed != NULL && ed->qoff < ed->qlen);
}

/*
 * The line, point and prompt are read straight from readline's globals
 * when asked for, so a redisplay only has to say that they moved.
 */
static void
line_redisplay(void)
{
	if (line_current != NULL)
		line_current->changed = 1;
}

static void
line_matches_clear(struct line_editor *ed)
{
	int	i;

	if (ed->matches == NULL)
		return;
	for (i = 0; i < ed->nmatches; i++)
		free(ed->matches[i]);
	free(ed->matches);
	ed->matches = NULL;
	ed->nmatches = 0;
	ed->changed = 1;
}

/* Readline would print the list; keep it for the console to show. */
static void
line_display_matches(char **matches, int n, int maxlen)
{
	struct line_editor	*ed = line_current;
	int			 i;

	(void)maxlen;
	if (ed == NULL || n <= 0)
		return;
	line_matches_clear(ed);
	/* matches[0] is the common prefix; the candidates follow it. */
	ed->matches = xreallocarray(NULL, (size_t)n + 1, sizeof *ed->matches);
	for (i = 0; i < n; i++)
		ed->matches[i] = xstrdup(matches[i + 1]);
	ed->matches[n] = NULL;
	ed->nmatches = n;
	ed->changed = 1;
}

/* Hand rl_completion_matches the caller's candidates, giving each away. */
static char *
line_next_candidate(const char *text, int state)
{
	struct line_editor	*ed = line_current;

	(void)text;
	if (ed == NULL)
		return (NULL);
	if (state == 0)
		ed->nextcand = 0;
	if (ed->nextcand >= ed->ncands)
		return (NULL);
	return (ed->cands[ed->nextcand++]);
}

static char **
line_attempt_completion(const char *text, int start, int end)
{
	struct line_editor	*ed = line_current;
	char			**out = NULL, **m, *before;
	int			 n, i;

	(void)start;
	(void)end;
	/* Never fall back to file names, and add nothing after a match. */
	rl_attempted_completion_over = 1;
	rl_completion_append_character = '\0';
	if (ed == NULL || ed->complete == NULL)
		return (NULL);

	before = xstrndup(rl_line_buffer, (size_t)rl_point);
	n = ed->complete(ed->ctx, before, text, &out);
	free(before);
	if (n <= 0 || out == NULL) {
		free(out);
		return (NULL);
	}

	/*
	 * rl_completion_matches works out the common prefix the way the
	 * user's completion settings (case folding and so on) ask for; the
	 * candidate strings become readline's to free.
	 */
	ed->cands = out;
	ed->ncands = n;
	m = rl_completion_matches(text, line_next_candidate);
	for (i = ed->nextcand; i < n; i++)
		free(out[i]);
	free(out);
	ed->cands = NULL;
	ed->ncands = ed->nextcand = 0;
	return (m);
}

/* The last line in the history is line. */
static int
line_history_last_is(const char *line)
{
	HIST_ENTRY	*h;

	if (history_length <= 0)
		return (0);
	h = history_get(history_base + history_length - 1);
	return (h != NULL && h->line != NULL && strcmp(h->line, line) == 0);
}

/*
 * Readline has a line.  The accept callback runs later, from line_feed,
 * once readline has returned: the console may then do anything, even
 * clear or free the editor, without readline's state under its feet.
 */
static void
line_handler(char *line)
{
	struct line_editor	*ed = line_current;

	/* NULL is end of file (Ctrl-D on an empty line): nothing to run. */
	if (line == NULL)
		return;
	if (ed == NULL) {
		free(line);
		return;
	}
	if (ed->too_long || strlen(line) > LINE_MAX_BYTES) {
		/* Part of it is gone: running the rest could do anything. */
		free(ed->notice);
		ed->notice = xasprintf("not run: the line was longer than %d"
		    " bytes, the most a command line holds", LINE_MAX_BYTES);
		ed->too_long = 0;
		ed->changed = 1;
		free(line);
		return;
	}
	if (line[strspn(line, " \t")] != '\0' && !line_history_last_is(line))
		add_history(line);
	ed->accepted = xreallocarray(ed->accepted, ed->naccepted + 1,
	    sizeof *ed->accepted);
	ed->accepted[ed->naccepted++] = line;
}

/* Run the accept callback for each line readline finished. */
static void
line_deliver(struct line_editor *ed)
{
	char	*line;
	size_t	 i;

	while (ed->naccepted > 0 && !ed->dying) {
		line = ed->accepted[0];
		ed->naccepted--;
		for (i = 0; i < ed->naccepted; i++)
			ed->accepted[i] = ed->accepted[i + 1];
		ed->changed = 1;
		if (ed->accept != NULL)
			ed->accept(ed->ctx, line);
		free(line);
	}
}

/*
 * Readline resets LC_CTYPE from LC_ALL, LC_CTYPE or LANG in the
 * environment every time it initializes, which is at every new line, so
 * a locale the caller chose with setlocale would silently be replaced.
 * Readline also prints init file errors straight to stderr, which is the
 * terminal under ncurses.  Both are undone around each call into it.
 */
static void
line_enter(struct line_editor *ed, struct line_guard *g)
{
	const char	*cur;

	cur = setlocale(LC_CTYPE, NULL);
	g->locale = cur != NULL ? xstrdup(cur) : NULL;

	fflush(stderr);
	g->saved_err = dup(STDERR_FILENO);
	if (g->saved_err != -1 &&
	    dup2(fileno(ed->devnull), STDERR_FILENO) == -1) {
		close(g->saved_err);
		g->saved_err = -1;
	}
}

static void
line_leave(struct line_guard *g)
{
	const char	*cur;

	if (g->saved_err != -1) {
		fflush(stderr);
		(void)dup2(g->saved_err, STDERR_FILENO);
		close(g->saved_err);
	}
	if (g->locale != NULL) {
		cur = setlocale(LC_CTYPE, NULL);
		if (cur == NULL || strcmp(cur, g->locale) != 0)
			(void)setlocale(LC_CTYPE, g->locale);
		free(g->locale);
	}
}

/*
 * The console sends these for Delete, Home and End whatever the terminal
 * is; bind them unless the user's inputrc already did.
 */
static void
line_bind_keys(void)
{
	static const struct {
		const char		*seq;
		rl_command_func_t	*fn;
	} keys[] = {
		{ "\033[3~", rl_delete },
		{ "\033[H", rl_beg_of_line },
		{ "\033[F", rl_end_of_line },
		{ "\033[1~", rl_beg_of_line },
		{ "\033[4~", rl_end_of_line },
	};
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		rl_bind_keyseq_if_unbound_in_map(keys[i].seq, keys[i].fn,
		    emacs_standard_keymap);
		rl_bind_keyseq_if_unbound_in_map(keys[i].seq, keys[i].fn,
		    vi_insertion_keymap);
	}
}

struct line_editor *
line_new(const char *history_path, line_accept_cb accept,
    line_complete_cb complete, void *ctx, char **cause)
{
	struct line_editor	*ed;
	struct line_guard	 g;
	FILE			*devnull;

	if (line_current != NULL) {
		*cause = xstrdup("the command line is already in use");
		return (NULL);
	}
	if ((devnull = fopen("/dev/null", "r+")) == NULL) {
		*cause = xasprintf("/dev/null: %s", strerror(errno));
		return (NULL);
	}

	ed = xcalloc(1, sizeof *ed);
	ed->accept = accept;
	ed->complete = complete;
	ed->ctx = ctx;
	ed->devnull = devnull;
	ed->changed = 1;
	if (history_path != NULL)
		ed->history_path = xstrdup(history_path);
	line_current = ed;

	/* All of this must be in place before readline initializes. */
	rl_readline_name = "firedrill";
	rl_instream = devnull;
	rl_outstream = devnull;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = line_getc;
	rl_input_available_hook = line_input_available;
	rl_redisplay_function = line_redisplay;
	rl_attempted_completion_function = line_attempt_completion;
	rl_completion_display_matches_hook = line_display_matches;
	/* Commands split on blanks, so '=' or '@' belong to the word. */
	rl_completer_word_break_characters = " \t";
	/*
	 * Show candidates on the first Tab.  Only before readline reads the
	 * inputrc, which it does once, so the user's setting still wins.
	 */
	if (!RL_ISSTATE(RL_STATE_INITIALIZED))
		rl_variable_bind("show-all-if-ambiguous", "on");

	using_history();
	stifle_history(LINE_HISTORY_MAX);
	if (ed->history_path != NULL)
		(void)read_history(ed->history_path);	/* missing is fine */

	/* This initializes readline (reading the inputrc) the first time. */
	line_enter(ed, &g);
	rl_callback_handler_install("", line_handler);
	line_leave(&g);

	/*
	 * An audible bell is written to stderr, not rl_outstream, so no
	 * inputrc may turn it back on.  (The variable behind this is
	 * private to readline; bell-style is the public way to set it.)
	 */
	rl_variable_bind("bell-style", "none");
	line_bind_keys();
	return (ed);
}

static void
line_destroy(struct line_editor *ed)
{
	size_t	i;

	/* Leave no half-finished search or key sequence for the next one. */
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
	rl_free_line_state();
	rl_replace_line("", 1);

	if (ed->history_path != NULL)
		(void)write_history(ed->history_path);	/* nowhere to report */
	clear_history();

	rl_instream = NULL;
	rl_outstream = NULL;
	fclose(ed->devnull);

	line_matches_clear(ed);
	for (i = 0; i < ed->naccepted; i++)
		free(ed->accepted[i]);
	free(ed->accepted);
	free(ed->queue);
	free(ed->notice);
	free(ed->ring);
	free(ed->history_path);
	free(ed);
	line_current = NULL;
}

void
line_free(struct line_editor *ed)
{
	if (ed == NULL)
		return;
	/* From the accept callback: line_feed finishes the job. */
	if (ed->busy > 0) {
		ed->dying = 1;
		return;
	}
	line_destroy(ed);
}

/* Readline is in the middle of something a byte may belong to. */
#define LINE_BUSY_STATES (RL_STATE_MOREINPUT | RL_STATE_MULTIKEY | \
	RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_NUMERICARG | \
	RL_STATE_CHARSEARCH | RL_STATE_VIMOTION)

static void
line_note_too_long(struct line_editor *ed)
{
	if (ed->too_long)
		return;
	ed->too_long = 1;
	ed->changed = 1;
	free(ed->notice);
	ed->notice = xasprintf("the command line holds at most %d bytes:"
	    " the rest was dropped and Enter will not run it (Esc clears)",
	    LINE_MAX_BYTES);
}

/*
 * A full line takes no more characters: a byte that would only be
 * inserted is dropped before readline sees it.  Keys that edit or move
 * still work, so the line can be cleared or shortened.
 */
static int
line_drop_byte(struct line_editor *ed, unsigned char ch)
{
	if (rl_end < LINE_MAX_BYTES || ch < 0x20 || ch == 0x7f ||
	    RL_ISSTATE(LINE_BUSY_STATES))
		return (0);
	/* In vi's command mode letters edit: they must get through. */
	if (rl_editing_mode == 0 && rl_get_keymap() == vi_movement_keymap)
		return (0);
	line_note_too_long(ed);
	return (1);
}

/*
 * Anything else that made the line too long (the last character before
 * the limit, a yank, a completion, a recalled line) is taken back: what
 * was just inserted when that is what happened, else the end.
 */
static void
line_cap(struct line_editor *ed, int end0, int point0)
{
	int	cut;

	if (rl_end <= LINE_MAX_BYTES || RL_ISSTATE(RL_STATE_ISEARCH |
	    RL_STATE_NSEARCH))
		return;
	if (rl_end > end0 && rl_point - point0 == rl_end - end0 &&
	    point0 >= 0 && end0 <= LINE_MAX_BYTES) {
		/*
		 * Readline inserts typed-ahead characters in one go: keep
		 * those that fit, whole characters only.
		 */
		cut = point0 + (LINE_MAX_BYTES - end0);
		while (cut > point0 && MB_CUR_MAX > 1 &&
		    ((unsigned char)rl_line_buffer[cut] & 0xc0) == 0x80)
			cut--;
		rl_delete_text(cut, rl_point);
		rl_point = cut;
	} else {
		/* Never in the middle of a character. */
		cut = LINE_MAX_BYTES;
		while (cut > 0 && MB_CUR_MAX > 1 &&
		    ((unsigned char)rl_line_buffer[cut] & 0xc0) == 0x80)
			cut--;
		rl_delete_text(cut, rl_end);
		if (rl_point > rl_end)
			rl_point = rl_end;
	}
	if (rl_mark > rl_end)
		rl_mark = rl_end;
	line_note_too_long(ed);
}

void
line_feed(struct line_editor *ed, const char *bytes, size_t n)
{
	struct line_guard	g;
	int			end0, point0;

	if (ed == NULL || n == 0 || ed->dying)
		return;

	/* The candidates are shown until the next key. */
	line_matches_clear(ed);

	if (ed->qoff == ed->qlen)
		ed->qoff = ed->qlen = 0;
	if (ed->qlen + n > ed->qcap) {
		ed->qcap = ed->qlen + n;
		ed->queue = xrealloc(ed->queue, ed->qcap);
	}
	memcpy(ed->queue + ed->qlen, bytes, n);
	ed->qlen += n;

	ed->busy++;
	/*
	 * Each call reads at least one byte; the rest of a key sequence
	 * is read by later calls.  The guard is set once for the lot and
	 * lifted only to hand a finished line on.
	 */
	line_enter(ed, &g);
	while (ed->qoff < ed->qlen && !ed->dying) {
		if (line_drop_byte(ed, ed->queue[ed->qoff])) {
			ed->qoff++;
			continue;
		}
		end0 = rl_end;
		point0 = rl_point;
		rl_callback_read_char();
		if (ed->naccepted == 0) {
			line_cap(ed, end0, point0);
			/* Emptied by hand: a fresh line. */
			if (rl_end == 0)
				ed->too_long = 0;
			continue;
		}
		line_leave(&g);
		line_deliver(ed);
		line_enter(ed, &g);
	}
	line_leave(&g);
	ed->busy--;

	if (ed->dying && ed->busy == 0)
		line_destroy(ed);
}

const char *
line_text(const struct line_editor *ed)
{
	if (ed == NULL || rl_line_buffer == NULL)
		return ("");
	return (rl_line_buffer);
}

/*
 * The bytes of the character at s (len > 0 bytes left).  Every character
 * takes one column, as the canvas draws it: a wide one or a control
 * character becomes one '?', and so does a byte that is not a character
 * here.
 */
static size_t
line_char_len(const char *s, size_t len)
{
	mbstate_t	ps;
	size_t		k;

	if ((unsigned char)*s < 0x80 || MB_CUR_MAX == 1)
		return (1);
	memset(&ps, 0, sizeof ps);
	k = mbrtowc(NULL, s, len, &ps);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
		return (1);
	return (k);
}

/* Display columns taken by the first len bytes of s. */
static int
line_width(const char *s, size_t len)
{
	size_t	i = 0;
	int	col = 0;

	while (i < len) {
		i += line_char_len(s + i, len - i);
		col++;
	}
	return (col);
}

int
line_cursor_col(const struct line_editor *ed)
{
	if (ed == NULL || rl_line_buffer == NULL || rl_point <= 0)
		return (0);
	return (line_width(rl_line_buffer, (size_t)rl_point));
}

/*
 * Scan from byte `from` to the cursor, keeping the starts of the last
 * width characters; the count of characters is returned.
 */
static int
line_scan(struct line_editor *ed, size_t from, size_t point, size_t end,
    int width)
{
	size_t	p = from;
	int	cols = 0;

	while (p < point) {
		ed->ring[cols % width] = p;
		p += line_char_len(rl_line_buffer + p, end - p);
		cols++;
	}
	ed->work += point - from;
	return (cols);
}

void
line_window(struct line_editor *ed, int width, struct line_window *w)
{
	size_t	end, point, hs, p;
	int	cols, target, n, left;

	memset(w, 0, sizeof *w);
	w->text = "";
	if (ed == NULL || rl_line_buffer == NULL || width < 1)
		return;
	end = (size_t)rl_end;
	point = (size_t)(rl_point < 0 ? 0 : rl_point);
	if (point > end)
		point = end;
	if (width > ed->nring) {
		ed->ring = xreallocarray(ed->ring, (size_t)width,
		    sizeof *ed->ring);
		ed->nring = width;
	}

	/*
	 * A line that fits is shown whole.  Otherwise the window stays
	 * where it was while the cursor is inside it, so typing at the end
	 * costs only the characters typed since the last call.
	 */
	for (p = 0, n = 0; p < end && n < width; n++)
		p += line_char_len(rl_line_buffer + p, end - p);
	ed->work += p;
	left = 0;
	if (p >= end && n < width)
		hs = 0;
	else if (point < ed->hs) {
		left = 1;
		hs = 0;
	} else {
		hs = ed->hs;
		/* An edit before it may have left it inside a character. */
		while (hs > 0 && MB_CUR_MAX > 1 &&
		    ((unsigned char)rl_line_buffer[hs] & 0xc0) == 0x80)
			hs--;
	}
	cols = line_scan(ed, hs, point, end, width);
	if (left || cols > width - 1) {
		/*
		 * The cursor left the window: move it by a third of the
		 * width at least, so the window does not crawl a column a
		 * key.  Off the right, the cursor lands two thirds across;
		 * off the left, a third across.
		 */
		target = left ? width / 3 : width - 1 - width / 3;
		if (cols <= target)
			hs = 0;
		else {
			hs = target == 0 ? point :
			    ed->ring[(cols - target) % width];
			cols = target;
		}
	}
	ed->hs = hs;

	/* Then as much after the cursor as fits. */
	p = point;
	for (n = cols; p < end && n < width; n++)
		p += line_char_len(rl_line_buffer + p, end - p);
	ed->work += p - point;
	w->text = rl_line_buffer + hs;
	w->len = p - hs;
	w->cursor = cols;
	w->left = hs > 0;
	w->right = p < end;
}

size_t
line_work(const struct line_editor *ed)
{
	return (ed != NULL ? ed->work : 0);
}

int
line_too_long(const struct line_editor *ed)
{
	return (ed != NULL && ed->too_long);
}

char *
line_take_notice(struct line_editor *ed)
{
	char	*n;

	if (ed == NULL)
		return (NULL);
	n = ed->notice;
	ed->notice = NULL;
	return (n);
}

int
line_is_empty(const struct line_editor *ed)
{
	return (ed == NULL || rl_line_buffer == NULL || rl_end == 0);
}

void
line_clear(struct line_editor *ed)
{
	if (ed == NULL)
		return;

	/* Leave a search, numeric argument or half-typed key sequence. */
	rl_callback_sigcleanup();
	rl_discard_argument();	/* also clears a search's message */

	/*
	 * Deleting through readline records the change for undo;
	 * overwriting the buffer would leave an undo list that no longer
	 * matches it, which readline replays on history lines at Enter.
	 */
	if (rl_end > 0)
		rl_delete_text(0, rl_end);
	rl_point = rl_end = rl_mark = 0;
	ed->too_long = 0;
	ed->hs = 0;
	line_matches_clear(ed);
	ed->changed = 1;
}

int
line_matches(const struct line_editor *ed, char *const **v)
{
	if (ed == NULL || ed->nmatches == 0) {
		*v = NULL;
		return (0);
	}
	*v = ed->matches;
	return (ed->nmatches);
}

const char *
line_prompt(const struct line_editor *ed)
{
	/* Searches and numeric arguments replace our empty prompt. */
	if (ed == NULL || rl_display_prompt == NULL ||
	    *rl_display_prompt == '\0')
		return (NULL);
	return (rl_display_prompt);
}

int
line_changed(struct line_editor *ed)
{
	int	changed;

	if (ed == NULL)
		return (0);
	changed = ed->changed;
	ed->changed = 0;
	return (changed);
}
