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

void
line_feed(struct line_editor *ed, const char *bytes, size_t n)
{
	struct line_guard	g;

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
	/* Each call reads at least one byte; the rest of a key sequence
	 * is read by later calls. */
	while (ed->qoff < ed->qlen && !ed->dying) {
		line_enter(ed, &g);
		rl_callback_read_char();
		line_leave(&g);
		line_deliver(ed);
	}
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

/* Display columns taken by the first len bytes of s. */
static int
line_width(const char *s, size_t len)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		i, k;
	int		w, col;

	memset(&ps, 0, sizeof ps);
	col = 0;
	i = 0;
	while (i < len) {
		k = mbrtowc(&wc, s + i, len - i, &ps);
		if (k == (size_t)-1 || k == (size_t)-2) {
			/* Not a character here: a byte is drawn as one. */
			memset(&ps, 0, sizeof ps);
			col++;
			i++;
			continue;
		}
		if (k == 0)
			k = 1;
		w = wcwidth(wc);
		if (w < 0) {
			/* Curses shows a control character as ^X. */
			w = (wc < 0x20 || wc == 0x7f) ? 2 : 1;
		}
		col += w;
		i += k;
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
