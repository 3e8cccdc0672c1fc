/*
 * Unit tests for the console's command line: editing keys, history kept
 * across editors, completion, search and display columns, all fed as raw
 * bytes with no terminal.  Every call into the editor is made with stdout
 * and stderr captured, and must leave both empty.
 */

#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/input.h"
#include "util/xmalloc.h"
#include "testutil.h"

#define MAX_LINES	2048

/* What the callbacks saw, and what completion should offer. */
struct rec {
	char			*lines[MAX_LINES];
	int			 nlines;

	const char *const	*offer;
	int			 noffer;
	char			*before;
	char			*word;
	int			 ncomplete;

	/* Things to do from inside the accept callback. */
	int			 clear_in_accept;
	int			 free_in_accept;
	char			*text_in_accept;
};

struct fx {
	struct line_editor	*ed;
	struct rec		 rec;
	char			*dir;
};

/* Captured output of the calls under test. */
struct quiet {
	FILE	*f;
	int	 out;
	int	 err;
};

static char	*inputrc_path;

static void
quiet_begin(struct quiet *q)
{
	fflush(stdout);
	fflush(stderr);
	q->f = tmpfile();
	assert_non_null(q->f);
	q->out = dup(STDOUT_FILENO);
	q->err = dup(STDERR_FILENO);
	assert_true(q->out != -1 && q->err != -1);
	assert_true(dup2(fileno(q->f), STDOUT_FILENO) != -1);
	assert_true(dup2(fileno(q->f), STDERR_FILENO) != -1);
}

static void
quiet_end(struct quiet *q)
{
	char	 got[256];
	size_t	 n;
	long	 size;

	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(q->out, STDOUT_FILENO) != -1);
	assert_true(dup2(q->err, STDERR_FILENO) != -1);
	close(q->out);
	close(q->err);
	assert_int_equal(fseek(q->f, 0, SEEK_END), 0);
	size = ftell(q->f);
	if (size != 0) {
		rewind(q->f);
		n = fread(got, 1, sizeof got - 1, q->f);
		got[n] = '\0';
		fclose(q->f);
		fail_msg("the editor wrote %ld bytes: \"%s\"", size, got);
	}
	fclose(q->f);
}

static void
on_accept(void *ctx, const char *line)
{
	struct fx	*f = ctx;
	struct rec	*r = &f->rec;

	if (r->nlines < MAX_LINES)
		r->lines[r->nlines++] = xstrdup(line);
	free(r->text_in_accept);
	r->text_in_accept = xstrdup(line_text(f->ed));
	if (r->clear_in_accept)
		line_clear(f->ed);
	if (r->free_in_accept) {
		line_free(f->ed);
		f->ed = NULL;
	}
}

static int
on_complete(void *ctx, const char *before, const char *word, char ***out)
{
	struct fx	*f = ctx;
	struct rec	*r = &f->rec;
	char		**v;
	int		 i;

	free(r->before);
	free(r->word);
	r->before = xstrdup(before);
	r->word = xstrdup(word);
	r->ncomplete++;
	if (r->noffer == 0)
		return (0);
	v = xreallocarray(NULL, (size_t)r->noffer, sizeof *v);
	for (i = 0; i < r->noffer; i++)
		v[i] = xstrdup(r->offer[i]);
	*out = v;
	return (r->noffer);
}

static int
fx_setup(void **state)
{
	struct fx	*f;

	f = xcalloc(1, sizeof *f);
	if ((f->dir = tu_tmpdir("input")) == NULL) {
		free(f);
		return (-1);
	}
	*state = f;
	return (0);
}

static int
fx_teardown(void **state)
{
	struct fx	*f = *state;
	int		 i;

	/* A failed test may leave its editor behind; the next needs it gone. */
	line_free(f->ed);
	for (i = 0; i < f->rec.nlines; i++)
		free(f->rec.lines[i]);
	free(f->rec.before);
	free(f->rec.word);
	free(f->rec.text_in_accept);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	(void)setlocale(LC_ALL, "C");
	return (0);
}

static char *
fx_path(struct fx *f, const char *name)
{
	return (xasprintf("%s/%s", f->dir, name));
}

/* Start an editor, quietly, that must succeed. */
static struct line_editor *
ed_new(struct fx *f, const char *history_path, int with_completion)
{
	struct line_editor	*ed;
	struct quiet		 q;
	char			*cause = NULL;

	quiet_begin(&q);
	ed = line_new(history_path, on_accept,
	    with_completion ? on_complete : NULL, f, &cause);
	/* Kept before any check, so teardown frees it if one fails. */
	f->ed = ed;
	quiet_end(&q);
	if (ed == NULL)
		fail_msg("line_new: %s", cause);
	assert_null(cause);
	return (ed);
}

static void
ed_free(struct fx *f)
{
	struct quiet	q;

	quiet_begin(&q);
	line_free(f->ed);
	quiet_end(&q);
	f->ed = NULL;
}

static void
feed(struct fx *f, const char *s)
{
	struct quiet	q;

	quiet_begin(&q);
	line_feed(f->ed, s, strlen(s));
	quiet_end(&q);
}

static int
count_lines(const char *path)
{
	FILE	*fp;
	int	 c, n = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while ((c = getc(fp)) != EOF)
		if (c == '\n')
			n++;
	fclose(fp);
	return (n);
}

static void
test_input_enter_accepts_and_empties(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	assert_true(line_is_empty(f->ed));
	feed(f, "ack ALRT-POOL");
	assert_string_equal(line_text(f->ed), "ack ALRT-POOL");
	assert_int_equal(line_cursor_col(f->ed), 13);
	assert_false(line_is_empty(f->ed));
	assert_int_equal(f->rec.nlines, 0);

	feed(f, "\r");
	assert_int_equal(f->rec.nlines, 1);
	assert_string_equal(f->rec.lines[0], "ack ALRT-POOL");
	/* By the time the callback runs the line is already empty. */
	assert_string_equal(f->rec.text_in_accept, "");
	assert_string_equal(line_text(f->ed), "");
	assert_int_equal(line_cursor_col(f->ed), 0);
	assert_true(line_is_empty(f->ed));

	/* The handler stays installed: a second line works the same. */
	feed(f, "status\n");
	assert_int_equal(f->rec.nlines, 2);
	assert_string_equal(f->rec.lines[1], "status");

	/* Several lines in one feed each reach the callback, in order. */
	feed(f, "one\rtwo\r");
	assert_int_equal(f->rec.nlines, 4);
	assert_string_equal(f->rec.lines[2], "one");
	assert_string_equal(f->rec.lines[3], "two");
	ed_free(f);
}

static void
test_input_empty_line_is_passed_on(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "\r");
	assert_int_equal(f->rec.nlines, 1);
	assert_string_equal(f->rec.lines[0], "");
	/* Ctrl-D on an empty line is end of file: nothing is accepted. */
	feed(f, "\004");
	assert_int_equal(f->rec.nlines, 1);
	feed(f, "x\r");
	assert_int_equal(f->rec.nlines, 2);
	assert_string_equal(f->rec.lines[1], "x");
	ed_free(f);
}

static void
test_input_backspace_edits(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "ackk\177");
	assert_string_equal(line_text(f->ed), "ack");
	assert_int_equal(line_cursor_col(f->ed), 3);
	feed(f, "\177\177\177\177");
	assert_string_equal(line_text(f->ed), "");
	assert_true(line_is_empty(f->ed));
	ed_free(f);
}

static void
test_input_ctrl_a_inserts_at_start(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "status");
	feed(f, "\001");
	assert_int_equal(line_cursor_col(f->ed), 0);
	feed(f, "x ");
	assert_string_equal(line_text(f->ed), "x status");
	assert_int_equal(line_cursor_col(f->ed), 2);
	feed(f, "\005");
	assert_int_equal(line_cursor_col(f->ed), 8);
	ed_free(f);
}

static void
test_input_arrows_move_cursor(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "abc");
	assert_int_equal(line_cursor_col(f->ed), 3);
	feed(f, "\033[D");
	assert_int_equal(line_cursor_col(f->ed), 2);
	feed(f, "X");
	assert_string_equal(line_text(f->ed), "abXc");
	feed(f, "\033[C");
	assert_int_equal(line_cursor_col(f->ed), 4);

	/* A sequence split across feeds, as a slow terminal sends it. */
	feed(f, "\033");
	feed(f, "[");
	feed(f, "D");
	assert_int_equal(line_cursor_col(f->ed), 3);
	assert_string_equal(line_text(f->ed), "abXc");
	ed_free(f);
}

static void
test_input_home_end_delete_keys(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "restart web");
	feed(f, "\033[H");
	assert_int_equal(line_cursor_col(f->ed), 0);
	feed(f, "\033[3~");
	assert_string_equal(line_text(f->ed), "estart web");
	feed(f, "\033[F");
	assert_int_equal(line_cursor_col(f->ed), 10);
	feed(f, "\033[1~");
	assert_int_equal(line_cursor_col(f->ed), 0);
	feed(f, "\033[4~");
	assert_int_equal(line_cursor_col(f->ed), 10);
	ed_free(f);
}

static void
test_input_kill_keys(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "scale web 4");
	feed(f, "\027");			/* Ctrl-W: the last word */
	assert_string_equal(line_text(f->ed), "scale web ");
	feed(f, "\001\006\006\013");		/* Ctrl-A, Ctrl-F twice, Ctrl-K */
	assert_string_equal(line_text(f->ed), "sc");
	feed(f, "\025");			/* Ctrl-U: to the start */
	assert_string_equal(line_text(f->ed), "");
	ed_free(f);
}

static void
test_input_up_arrow_recalls_history(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "one\rtwo\r");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "two");
	assert_int_equal(line_cursor_col(f->ed), 3);
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "one");
	feed(f, "\033[B");
	assert_string_equal(line_text(f->ed), "two");
	feed(f, "\033[B");
	assert_string_equal(line_text(f->ed), "");

	/* Recall, edit and run: the edited line is what is accepted. */
	feed(f, "\033[A\033[A!\r");
	assert_int_equal(f->rec.nlines, 3);
	assert_string_equal(f->rec.lines[2], "one!");
	ed_free(f);
}

static void
test_input_history_skips_empty_and_repeats(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "a\ra\r\r   \rb\ra\r");
	assert_int_equal(f->rec.nlines, 6);
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "a");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "b");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "a");
	/* That was the oldest line: up stays put. */
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "a");
	ed_free(f);
}

static void
test_input_history_persists(void **state)
{
	struct fx	*f = *state;
	char		*path;

	path = fx_path(f, "history");
	ed_new(f, path, 0);
	feed(f, "ack ALRT-POOL\rstatus\r");
	ed_free(f);
	assert_int_equal(count_lines(path), 2);

	ed_new(f, path, 0);
	assert_true(line_is_empty(f->ed));
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "status");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "ack ALRT-POOL");
	ed_free(f);
	free(path);
}

static void
test_input_history_missing_file_and_limit(void **state)
{
	struct fx	*f = *state;
	char		*path, line[32];
	int		 i;

	path = fx_path(f, "new-history");
	ed_new(f, path, 0);
	assert_true(line_is_empty(f->ed));
	for (i = 0; i < 1005; i++) {
		snprintf(line, sizeof line, "cmd %d\r", i);
		feed(f, line);
	}
	ed_free(f);
	assert_int_equal(count_lines(path), 1000);

	/* The oldest five went; the newest is last. */
	ed_new(f, path, 0);
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "cmd 1004");
	ed_free(f);
	free(path);
}

static void
test_input_no_history_file(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "first\r");
	ed_free(f);

	/* Without a file nothing is kept from one editor to the next. */
	ed_new(f, NULL, 0);
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "");
	ed_free(f);
}

static void
test_input_tab_completes_one(void **state)
{
	struct fx		*f = *state;
	static const char	*one[] = { "breaker" };

	f->rec.offer = one;
	f->rec.noffer = 1;
	ed_new(f, NULL, 1);
	feed(f, "inspect bre");
	feed(f, "\t");
	assert_int_equal(f->rec.ncomplete, 1);
	assert_string_equal(f->rec.before, "inspect bre");
	assert_string_equal(f->rec.word, "bre");
	/* No space is added after the word. */
	assert_string_equal(line_text(f->ed), "inspect breaker");
	assert_int_equal(line_cursor_col(f->ed), 15);
	ed_free(f);
}

static void
test_input_tab_completes_mid_line(void **state)
{
	struct fx		*f = *state;
	static const char	*one[] = { "breaker" };

	f->rec.offer = one;
	f->rec.noffer = 1;
	ed_new(f, NULL, 1);
	feed(f, "bre web");
	feed(f, "\001\033[C\033[C\033[C");
	feed(f, "\t");
	assert_string_equal(f->rec.before, "bre");
	assert_string_equal(f->rec.word, "bre");
	assert_string_equal(line_text(f->ed), "breaker web");
	assert_int_equal(line_cursor_col(f->ed), 7);
	ed_free(f);
}

static void
test_input_tab_lists_several(void **state)
{
	struct fx		*f = *state;
	static const char	*two[] = { "status", "show" };
	char *const		*v;

	f->rec.offer = two;
	f->rec.noffer = 2;
	ed_new(f, NULL, 1);
	feed(f, "s");
	(void)line_changed(f->ed);
	feed(f, "\t");
	assert_true(line_changed(f->ed));
	assert_string_equal(line_text(f->ed), "s");
	assert_int_equal(line_matches(f->ed, &v), 2);
	assert_non_null(v);
	/* Sorted, as readline sorts them. */
	assert_string_equal(v[0], "show");
	assert_string_equal(v[1], "status");

	/* The list goes away with the next key. */
	feed(f, "h");
	assert_int_equal(line_matches(f->ed, &v), 0);
	assert_null(v);
	assert_string_equal(line_text(f->ed), "sh");
	ed_free(f);
}

static void
test_input_tab_extends_common_prefix(void **state)
{
	struct fx		*f = *state;
	static const char	*two[] = { "status", "stop" };
	char *const		*v;

	f->rec.offer = two;
	f->rec.noffer = 2;
	ed_new(f, NULL, 1);
	feed(f, "s\t");
	assert_string_equal(line_text(f->ed), "st");
	assert_int_equal(line_matches(f->ed, &v), 2);
	ed_free(f);
}

static void
test_input_tab_never_completes_file_names(void **state)
{
	struct fx	*f = *state;
	char *const	*v;
	char		*cwd;

	/* A directory with a file readline could have offered. */
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir(f->dir), 0);
	fclose(fopen("history-file", "w"));

	ed_new(f, NULL, 1);
	feed(f, "hist\t");
	assert_int_equal(f->rec.ncomplete, 1);
	assert_string_equal(line_text(f->ed), "hist");
	assert_int_equal(line_matches(f->ed, &v), 0);
	ed_free(f);

	/* Nor without a completion callback at all. */
	ed_new(f, NULL, 0);
	feed(f, "hist\t\t");
	assert_string_equal(line_text(f->ed), "hist");
	assert_int_equal(line_matches(f->ed, &v), 0);
	ed_free(f);

	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

static void
test_input_second_editor_refused(void **state)
{
	struct fx		*f = *state;
	struct line_editor	*other;
	char			*cause = NULL;

	ed_new(f, NULL, 0);
	other = line_new(NULL, on_accept, NULL, f, &cause);
	assert_null(other);
	assert_non_null(cause);
	assert_true(strlen(cause) > 0);
	free(cause);

	/* The first one is untouched. */
	feed(f, "ok\r");
	assert_int_equal(f->rec.nlines, 1);
	assert_string_equal(f->rec.lines[0], "ok");
	ed_free(f);

	/* And once it is gone, a new one may start. */
	ed_new(f, NULL, 0);
	ed_free(f);
	line_free(NULL);
}

static void
test_input_ctrl_r_searches_history(void **state)
{
	struct fx	*f = *state;
	const char	*p;

	ed_new(f, NULL, 0);
	feed(f, "ack ALRT-POOL\rstatus\rshow web\r");
	assert_null(line_prompt(f->ed));

	feed(f, "\022");
	p = line_prompt(f->ed);
	assert_non_null(p);
	assert_non_null(strstr(p, "search"));

	feed(f, "ack");
	p = line_prompt(f->ed);
	assert_non_null(p);
	assert_non_null(strstr(p, "ack"));
	assert_string_equal(line_text(f->ed), "ack ALRT-POOL");

	/* Enter ends the search and runs the line found. */
	feed(f, "\r");
	assert_null(line_prompt(f->ed));
	assert_int_equal(f->rec.nlines, 4);
	assert_string_equal(f->rec.lines[3], "ack ALRT-POOL");
	assert_string_equal(line_text(f->ed), "");

	/* An arrow key ends the search and then moves. */
	feed(f, "\022sta");
	assert_string_equal(line_text(f->ed), "status");
	feed(f, "\033[D");
	assert_null(line_prompt(f->ed));
	assert_string_equal(line_text(f->ed), "status");
	ed_free(f);
}

static void
test_input_clear(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "restart db");
	(void)line_changed(f->ed);
	line_clear(f->ed);
	assert_true(line_changed(f->ed));
	assert_string_equal(line_text(f->ed), "");
	assert_int_equal(line_cursor_col(f->ed), 0);
	assert_true(line_is_empty(f->ed));
	feed(f, "ok\r");
	assert_int_equal(f->rec.nlines, 1);
	assert_string_equal(f->rec.lines[0], "ok");
	ed_free(f);
}

static void
test_input_clear_during_search(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "ack ALRT-POOL\r");
	feed(f, "\022ack");
	assert_non_null(line_prompt(f->ed));
	line_clear(f->ed);
	assert_null(line_prompt(f->ed));
	assert_string_equal(line_text(f->ed), "");

	/* Typing afterwards edits a fresh line, not the search. */
	feed(f, "status\r");
	assert_int_equal(f->rec.nlines, 2);
	assert_string_equal(f->rec.lines[1], "status");
	ed_free(f);
}

static void
test_input_clear_keeps_recalled_history_intact(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	feed(f, "first\rsecond\r");
	/* Recall a line, change it, clear, and run something else. */
	feed(f, "\033[AXY");
	assert_string_equal(line_text(f->ed), "secondXY");
	line_clear(f->ed);
	feed(f, "third\r");
	assert_string_equal(f->rec.lines[2], "third");

	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "third");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "second");
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "first");
	ed_free(f);
}

static void
test_input_changed_flag(void **state)
{
	struct fx	*f = *state;

	ed_new(f, NULL, 0);
	assert_true(line_changed(f->ed));
	assert_false(line_changed(f->ed));
	feed(f, "a");
	assert_true(line_changed(f->ed));
	assert_false(line_changed(f->ed));
	feed(f, "\r");
	assert_true(line_changed(f->ed));
	ed_free(f);
}

static void
test_input_utf8_columns(void **state)
{
	struct fx	*f = *state;

	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	ed_new(f, NULL, 0);
	feed(f, "note caf\xc3\xa9");
	assert_string_equal(line_text(f->ed), "note caf\xc3\xa9");
	assert_int_equal(line_cursor_col(f->ed), 9);

	/* Left and Backspace move by characters, not bytes. */
	feed(f, "\033[D");
	assert_int_equal(line_cursor_col(f->ed), 8);
	feed(f, "\177");
	assert_string_equal(line_text(f->ed), "note ca\xc3\xa9");
	assert_int_equal(line_cursor_col(f->ed), 7);
	feed(f, "\005\177");
	assert_string_equal(line_text(f->ed), "note ca");

	/*
	 * Wide characters are drawn as one '?' each by the canvas, so the
	 * cursor goes one column past each (it went two, off the text).
	 */
	feed(f, " \xe6\x97\xa5\xe6\x9c\xac");
	assert_int_equal(line_cursor_col(f->ed), 10);
	feed(f, "\r");
	assert_string_equal(f->rec.lines[0], "note ca \xe6\x97\xa5\xe6\x9c\xac");
	ed_free(f);
}

static void
test_input_locale_kept_against_environment(void **state)
{
	struct fx	*f = *state;
	const char	*cur;
	char		*old;

	/*
	 * Readline takes LC_CTYPE from the environment each time it
	 * initializes; the caller's own choice must survive that.
	 */
	old = getenv("LC_ALL") != NULL ? xstrdup(getenv("LC_ALL")) : NULL;
	assert_int_equal(setenv("LC_ALL", "C", 1), 0);
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));

	ed_new(f, NULL, 0);
	cur = setlocale(LC_CTYPE, NULL);
	assert_non_null(cur);
	assert_string_not_equal(cur, "C");
	feed(f, "caf\xc3\xa9\r");
	feed(f, "caf\xc3\xa9");
	assert_int_equal(line_cursor_col(f->ed), 4);
	cur = setlocale(LC_CTYPE, NULL);
	assert_non_null(cur);
	assert_string_not_equal(cur, "C");
	ed_free(f);

	if (old != NULL) {
		assert_int_equal(setenv("LC_ALL", old, 1), 0);
		free(old);
	} else
		assert_int_equal(unsetenv("LC_ALL"), 0);
	assert_string_equal(f->rec.lines[0], "caf\xc3\xa9");
}

static void
test_input_c_locale_columns(void **state)
{
	struct fx	*f = *state;

	/* Without a UTF-8 locale each byte is a column. */
	assert_non_null(setlocale(LC_ALL, "C"));
	ed_new(f, NULL, 0);
	feed(f, "abc");
	assert_int_equal(line_cursor_col(f->ed), 3);
	ed_free(f);
}

static void
test_input_accept_callback_may_clear_or_free(void **state)
{
	struct fx	*f = *state;

	f->rec.clear_in_accept = 1;
	ed_new(f, NULL, 0);
	feed(f, "one\rtwo");
	assert_string_equal(f->rec.lines[0], "one");
	assert_string_equal(line_text(f->ed), "two");
	f->rec.clear_in_accept = 0;

	/* Freeing from the callback drops the rest of the input. */
	f->rec.free_in_accept = 1;
	feed(f, "\rthree\r");
	assert_null(f->ed);
	assert_int_equal(f->rec.nlines, 2);
	assert_string_equal(f->rec.lines[1], "two");
	f->rec.free_in_accept = 0;

	ed_new(f, NULL, 0);
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "");
	ed_free(f);
}

static void
test_input_inputrc_noise_stays_quiet(void **state)
{
	struct fx	*f = *state;
	static const char	*none[] = { NULL };

	/*
	 * The inputrc main() wrote has an error and turns the audible bell
	 * on; a Tab with nothing to offer and Up with no history would ring
	 * it.  feed() fails if any of it reached stdout or stderr.
	 */
	f->rec.offer = none;
	f->rec.noffer = 0;
	ed_new(f, NULL, 1);
	feed(f, "zz\t\t");
	feed(f, "\033[A\033[B\007");
	assert_string_equal(line_text(f->ed), "zz");
	feed(f, "\030\025");	/* Ctrl-X Ctrl-U: undo the typing */
	assert_string_equal(line_text(f->ed), "");
	ed_free(f);
}

/* Feed n bytes of s one at a time, as the console does key by key. */
static void
feed_keys(struct fx *f, const char *s, size_t n, int width,
    struct line_window *w, int *calls)
{
	struct quiet	q;
	size_t		i;

	quiet_begin(&q);
	for (i = 0; i < n && f->ed != NULL; i++) {
		line_feed(f->ed, s + i, 1);
		if (width > 0) {
			line_window(f->ed, width, w);
			(*calls)++;
		}
	}
	quiet_end(&q);
}

static char *
letters(size_t n)
{
	char	*s = xmalloc(n + 1);
	size_t	 i;

	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	s[n] = '\0';
	return (s);
}

static void
test_input_long_paste_is_capped_and_refused(void **state)
{
	struct fx	*f = *state;
	char		*s, *note;

	ed_new(f, NULL, 0);
	feed(f, "ack ALRT-POOL\r");
	s = letters(60000);
	feed(f, s);
	/* The line stops at the limit and says so, once. */
	assert_int_equal(strlen(line_text(f->ed)), 4096);
	assert_true(line_too_long(f->ed));
	note = line_take_notice(f->ed);
	assert_non_null(note);
	assert_non_null(strstr(note, "4096"));
	assert_null(strchr(note, '\n'));
	free(note);
	assert_null(line_take_notice(f->ed));

	/* Enter refuses what is left of it rather than run it. */
	feed(f, "\r");
	assert_int_equal(f->rec.nlines, 1);
	note = line_take_notice(f->ed);
	assert_non_null(note);
	assert_non_null(strstr(note, "not run"));
	free(note);
	assert_true(line_is_empty(f->ed));
	assert_false(line_too_long(f->ed));

	/* Nothing else is lost: the history, the next line. */
	feed(f, "\033[A");
	assert_string_equal(line_text(f->ed), "ack ALRT-POOL");
	feed(f, "\r");
	assert_int_equal(f->rec.nlines, 2);
	assert_string_equal(f->rec.lines[1], "ack ALRT-POOL");

	/* Esc (line_clear) forgets the over-long line too. */
	feed(f, s);
	line_clear(f->ed);
	assert_false(line_too_long(f->ed));
	free(line_take_notice(f->ed));
	feed(f, "status\r");
	assert_int_equal(f->rec.nlines, 3);
	assert_string_equal(f->rec.lines[2], "status");
	free(s);
	ed_free(f);
}

static void
test_input_limit_is_exact_and_keeps_characters_whole(void **state)
{
	struct fx	*f = *state;
	char		*s;

	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	ed_new(f, NULL, 0);
	/* Exactly the limit is a line like any other. */
	s = letters(4096);
	feed(f, s);
	assert_false(line_too_long(f->ed));
	feed(f, "\r");
	assert_int_equal(f->rec.nlines, 1);
	assert_int_equal(strlen(f->rec.lines[0]), 4096);
	free(s);

	/* A two-byte character that does not fit is dropped whole. */
	s = letters(4095);
	feed(f, s);
	feed(f, "\xc3\xa9");
	assert_int_equal(strlen(line_text(f->ed)), 4095);
	assert_true(line_too_long(f->ed));
	free(line_take_notice(f->ed));
	/* Shortened by hand, the line still refuses: text was lost. */
	feed(f, "\177\177\r");
	assert_int_equal(f->rec.nlines, 1);
	free(line_take_notice(f->ed));

	/* Pasted in the middle of a full line: the end is kept. */
	feed(f, s);
	feed(f, "Z\001XYZ");
	assert_int_equal(strlen(line_text(f->ed)), 4096);
	assert_int_equal(line_text(f->ed)[4095], 'Z');
	assert_int_equal(line_text(f->ed)[0], 'a');
	free(line_take_notice(f->ed));
	free(s);
	ed_free(f);
}

static void
test_input_window_scrolls_with_the_cursor(void **state)
{
	struct fx		*f = *state;
	struct line_window	 w;
	const char		*text;
	char			*s;
	int			 calls = 0, i, k;
	static const char	*const keys[] = {
		"\033[D", "\033[C", "\033[H", "\033[F", "x", "\177",
		"\033[3~", "\027", "\031",
	};

	ed_new(f, NULL, 0);
	s = letters(50);
	feed(f, s);
	line_window(f->ed, 20, &w);
	/* Typing at the end: the end of the line and the cursor show. */
	assert_true(w.left);
	assert_false(w.right);
	assert_ptr_equal(w.text + w.len, line_text(f->ed) + 50);
	assert_true(w.cursor <= 19);
	assert_int_equal(line_text(f->ed) + 50 - w.text, w.cursor);

	feed(f, "\033[H");
	line_window(f->ed, 20, &w);
	assert_false(w.left);
	assert_true(w.right);
	assert_int_equal(w.cursor, 0);
	assert_int_equal(w.len, 20);

	feed(f, "\033[F");
	line_window(f->ed, 20, &w);
	assert_false(w.right);
	assert_int_equal(line_text(f->ed) + 50 - w.text, w.cursor);

	/* Any key, any order: the cursor is always in the window. */
	for (i = 0; i < 2000; i++) {
		k = (int)((unsigned)(i * 7919 + i / 13) % (sizeof keys /
		    sizeof keys[0]));
		feed(f, keys[k]);
		line_window(f->ed, 20, &w);
		text = line_text(f->ed);
		assert_true(w.cursor >= 0 && w.cursor <= 19);
		assert_true(w.len <= 20);
		assert_int_equal((int)(w.text - text) + w.cursor,
		    line_cursor_col(f->ed));
		assert_int_equal(w.left, w.text > text);
		assert_int_equal(w.right, w.text + w.len < text +
		    strlen(text));
	}

	/* A line that fits is shown whole, from its start. */
	line_clear(f->ed);
	feed(f, "scale order 5");
	line_window(f->ed, 20, &w);
	assert_false(w.left);
	assert_false(w.right);
	assert_int_equal(w.len, 13);
	assert_int_equal(w.cursor, 13);
	(void)calls;
	free(s);
	ed_free(f);
}

static void
test_input_long_paste_costs_what_is_typed(void **state)
{
	struct fx		*f = *state;
	struct line_window	 w;
	char			*s;
	int			 calls = 0;

	/*
	 * 60,000 keys, the line laid out after each as the console draws
	 * it: the work is a few widths a call, never the line's length
	 * (re-measuring the line each time looked at 240 million bytes).
	 */
	ed_new(f, NULL, 0);
	s = letters(60000);
	feed_keys(f, s, 60000, 100, &w, &calls);
	assert_int_equal(calls, 60000);
	assert_true(line_work(f->ed) <= (size_t)calls * 3 * 100);
	assert_ptr_equal(w.text + w.len, line_text(f->ed) + 4096);
	assert_int_equal(w.cursor, (int)(line_text(f->ed) + 4096 - w.text));
	free(line_take_notice(f->ed));
	free(s);
	ed_free(f);
}

/* An inputrc of our own, so the user's cannot change the keys. */
static char *
write_inputrc(void)
{
	const char	*base;
	char		*path;
	FILE		*fp;
	int		 fd;

	base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	path = xasprintf("%s/firedrill-inputrc.XXXXXX", base);
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "inputrc: cannot create %s\n", path);
		exit(1);
	}
	fputs("set bell-style audible\n"
	    "set no-such-variable on\n"
	    "$if firedrill\n"
	    "set completion-ignore-case off\n"
	    "$endif\n", fp);
	fclose(fp);
	return (path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
		T(test_input_inputrc_noise_stays_quiet),
		T(test_input_enter_accepts_and_empties),
		T(test_input_empty_line_is_passed_on),
		T(test_input_backspace_edits),
		T(test_input_ctrl_a_inserts_at_start),
		T(test_input_arrows_move_cursor),
		T(test_input_home_end_delete_keys),
		T(test_input_kill_keys),
		T(test_input_up_arrow_recalls_history),
		T(test_input_history_skips_empty_and_repeats),
		T(test_input_history_persists),
		T(test_input_history_missing_file_and_limit),
		T(test_input_no_history_file),
		T(test_input_tab_completes_one),
		T(test_input_tab_completes_mid_line),
		T(test_input_tab_lists_several),
		T(test_input_tab_extends_common_prefix),
		T(test_input_tab_never_completes_file_names),
		T(test_input_second_editor_refused),
		T(test_input_ctrl_r_searches_history),
		T(test_input_clear),
		T(test_input_clear_during_search),
		T(test_input_clear_keeps_recalled_history_intact),
		T(test_input_changed_flag),
		T(test_input_utf8_columns),
		T(test_input_locale_kept_against_environment),
		T(test_input_c_locale_columns),
		T(test_input_accept_callback_may_clear_or_free),
		T(test_input_long_paste_is_capped_and_refused),
		T(test_input_limit_is_exact_and_keeps_characters_whole),
		T(test_input_window_scrolls_with_the_cursor),
		T(test_input_long_paste_costs_what_is_typed),
#undef T
	};
	int	rc;

	inputrc_path = write_inputrc();
	if (setenv("INPUTRC", inputrc_path, 1) != 0)
		return (1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	(void)unlink(inputrc_path);
	free(inputrc_path);
	return (rc);
}
