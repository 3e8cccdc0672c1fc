/*
 * The console's panels drawn without a terminal: a real session is built
 * (the Lua content from FIREDRILL_DATADIR), stepped, turned into a view
 * and drawn into an off-screen canvas whose text the tests read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/cmd.h"
#include "ui/panel.h"
#include "session/record.h"
#include "store/store.h"
#include "ui/pmform.h"
#include "ui/screens.h"
#include "ui/recommend.h"
#include "ui/term.h"
#include "ui/unsaved.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *
datadir(void)
{
	const char *d = getenv("FIREDRILL_DATADIR");

	return (d != NULL ? d : ".");
}

static void
open_at(struct session *s, const char *incident, long sec)
{
	char	*cause = NULL;

	assert_int_equal(session_open(s, datadir(), incident, 1, &cause), 0);
	while (session_now_ms(s) < sec * 1000)
		session_tick(s);
}

static int
contains(const char *text, const char *what)
{
	return (strstr(text, what) != NULL);
}

static void
draw_console(struct canvas *c, struct session *s, struct ui_state *st,
    int w, int h, int utf8, char **text)
{
	struct view	v;

	canvas_init(c, w, h);
	c->gl = glyphs_get(utf8);
	view_build(&v, s, (const char *const *)st->pinned, st->npinned,
	    st->log_src, st->log_filter, NULL);
	screen_console_draw(c, &v, st);
	*text = canvas_text(c);
}

static void
test_ui_full_console_shows_every_panel(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1, .line = "ack ALR" };
	struct canvas	 c;
	char		*t;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 150);
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	assert_true(contains(t, "db-pool-exhaustion"));
	assert_true(contains(t, "DETECT"));
	assert_true(contains(t, "MITIGATE"));
	assert_true(contains(t, "Services"));
	assert_true(contains(t, "Graphs"));
	assert_true(contains(t, "Alerts"));
	assert_true(contains(t, "Logs"));
	assert_true(contains(t, "Output"));
	assert_true(contains(t, "fd› ack ALR"));
	/* The pool is exhausted and says so with a word, not only colour. */
	assert_true(contains(t, "order"));
	assert_true(contains(t, "CRIT"));
	assert_true(contains(t, "ALRT-POOL"));
	assert_true(contains(t, "HikariPool"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

/*
 * A window of a long command line: the marks say text is hidden on
 * either side, the cursor lands in the window, and the hint line says
 * when text was dropped.
 */
static void
test_ui_long_command_line_marks_hidden_text(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1, .line = "middle of it",
			    .line_len = 6, .line_col = 3, .line_left = 1,
			    .line_right = 1, .line_too_long = 1 };
	struct canvas	 c;
	char		*t;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 30);
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	assert_true(contains(t, "fd›…middle "));
	assert_false(contains(t, "middle of"));
	assert_int_equal(panel_cmdline_width(&c, &st), 120 - 1 - 4 - 1);
	assert_true(c.cursor_on);
	assert_int_equal(c.cur_x, 5 + 3);
	assert_true(contains(t, "over 4096 bytes"));
	free(t);
	canvas_fini(&c);

	st.line_len = 0;
	st.line_left = st.line_right = st.line_too_long = 0;
	draw_console(&c, &s, &st, 120, 40, 0, &t);
	assert_true(contains(t, "fd> middle of it"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

/* Service names wider than the column are cut with a mark, so
 * "inventory-sync" does not read as a second "inventory". */
static void
test_ui_long_service_names_are_marked(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	char		*t;

	(void)state;
	open_at(&s, "deadlock-lock-order", 30);
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	assert_true(contains(t, "inventor…"));
	assert_true(contains(t, "inventory "));
	free(t);
	canvas_fini(&c);
	draw_console(&c, &s, &st, 120, 40, 0, &t);
	assert_true(contains(t, "inventor~"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_status_counts_firing_and_clock(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 5 };
	struct canvas	 c;
	char		*t, *row;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 150);
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	row = canvas_row_text(&c, 0);
	/* 14:00 start + 150 s; a Tuesday. */
	assert_true(contains(row, "Tue 14:02:30"));
	assert_true(contains(row, "5×"));
	free(row);
	row = canvas_row_text(&c, 1);
	assert_true(contains(row, "firing"));
	free(row);
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_ascii_when_not_utf8(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	char		*t, *p;

	(void)state;
	open_at(&s, "cascading-failure", 130);
	draw_console(&c, &s, &st, 120, 40, 0, &t);
	for (p = t; *p != '\0'; p++)
		assert_true((unsigned char)*p < 0x80);
	assert_true(contains(t, "X CRIT"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_compact_layout_at_80x24(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	char		*t;

	(void)state;
	open_at(&s, "bad-deploy", 150);
	draw_console(&c, &s, &st, 80, 24, 1, &t);
	assert_true(contains(t, "Services"));
	assert_true(contains(t, "Alerts"));
	assert_true(contains(t, "Logs"));
	/* Output is an overlay here, not a pane. */
	assert_false(contains(t, "Output"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_too_small_says_what_it_needs(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	char		*t;

	(void)state;
	open_at(&s, "bad-deploy", 5);
	draw_console(&c, &s, &st, 60, 15, 1, &t);
	assert_true(contains(t, "needs 80x24 (this is 60x15)"));
	assert_false(contains(t, "Services"));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_output_pane_scrolls(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	struct buf	 out;
	char		*t;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 150);
	buf_init(&out);
	assert_int_equal(session_command(&s, "show db activity --app order",
	    &out), 0);
	st.out_title = (char *)"show db activity --app order";
	st.out_text = (char *)buf_str(&out);
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	assert_true(contains(t, "idle in transaction"));
	assert_true(contains(t, "sessions from order"));
	free(t);
	canvas_fini(&c);
	/* Scrolled to the top the first rows show instead of the last. */
	st.out_scroll = 100;
	draw_console(&c, &s, &st, 120, 40, 1, &t);
	assert_true(contains(t, "PID"));
	assert_false(contains(t, "sessions from order"));
	free(t);
	canvas_fini(&c);
	buf_fini(&out);
	session_close(&s);
}

static void
test_ui_graph_shows_series_and_markers(void **state)
{
	struct session	 s;
	struct ui_state	 st = { .speed = 1 };
	struct canvas	 c;
	struct buf	 out;
	char		*t;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 130);
	buf_init(&out);
	assert_int_equal(session_command(&s, "breaker open order->payment",
	    &out), 0);
	while (session_now_ms(&s) < 200000)
		session_tick(&s);
	st.pinned[0] = (char *)"db_pool_utilization_pct{svc=\"order\"}";
	st.npinned = 1;
	draw_console(&c, &s, &st, 140, 50, 1, &t);
	assert_true(contains(t, "user-facing error rate"));
	assert_true(contains(t, "db_pool_utilization_pct"));
	/* Braille dots are drawn, and the player's action is marked. */
	assert_true(contains(t, "⠀") || strstr(t, "\xe2\xa0") != NULL ||
	    strstr(t, "\xe2\xa1") != NULL || strstr(t, "\xe2\xa2") != NULL ||
	    strstr(t, "\xe2\xa3") != NULL);
	assert_true(contains(t, "▲breaker"));
	free(t);
	canvas_fini(&c);
	buf_fini(&out);
	session_close(&s);
}

static void
test_ui_help_lists_every_command(void **state)
{
	struct session			 s;
	struct ui_state			 st = { .speed = 1, .help = 1 };
	struct canvas			 c;
	const struct cmd_entry *const	*e;
	char				*t;

	(void)state;
	open_at(&s, "bad-deploy", 1);
	draw_console(&c, &s, &st, 140, 50, 1, &t);
	assert_true(contains(t, "Help"));
	for (e = cmd_table; *e != NULL; e++)
		assert_true(contains(t, (*e)->name));
	free(t);
	canvas_fini(&c);
	session_close(&s);
}

static void
test_ui_picker_filters_and_marks_best(void **state)
{
	struct picker_row	 rows[2];
	struct canvas		 c;
	char			*t;

	(void)state;
	memset(rows, 0, sizeof rows);
	strcpy(rows[0].id, "bad-deploy");
	strcpy(rows[0].section, "4.4");
	strcpy(rows[0].title, "Deployment Causes Outage");
	rows[0].difficulty = 1;
	rows[0].best = 812;
	strcpy(rows[0].grade, "A");
	rows[0].played = 3;
	rows[0].visible = 1;
	strcpy(rows[1].id, "cascading-failure");
	strcpy(rows[1].title, "Cascading Failure");
	rows[1].best = -1;
	rows[1].visible = 0;
	canvas_init(&c, 120, 30);
	c.gl = glyphs_get(1);
	screen_picker_draw(&c, rows, 2, 0, "dep");
	t = canvas_text(&c);
	assert_true(contains(t, "bad-deploy"));
	assert_true(contains(t, "A 812"));
	assert_true(contains(t, "3×"));
	assert_false(contains(t, "cascading-failure"));
	assert_true(contains(t, "filter: dep"));
	free(t);
	canvas_fini(&c);
}

static void
row(struct picker_row *r, const char *id, const char *section, int best,
    const char *grade, int played)
{
	memset(r, 0, sizeof *r);
	strcpy(r->id, id);
	strcpy(r->section, section);
	strcpy(r->title, id);
	r->best = best;
	strcpy(r->grade, grade);
	r->played = played;
	r->visible = 1;
}

static void
test_ui_picker_recommends_the_weakest_family(void **state)
{
	struct picker_row	 rows[6];
	const char		*recent[3] = { "c-b", NULL, NULL };
	struct canvas		 c;
	char			*t;

	(void)state;
	row(&rows[0], "db-a", "1.1", 800, "A", 2);
	row(&rows[1], "db-b", "1.2", -1, "", 0);
	row(&rows[2], "c-a", "2.1", 450, "C", 1);
	row(&rows[3], "c-b", "2.3", 600, "B", 1);
	row(&rows[4], "s-a", "3.1", 950, "S", 1);
	row(&rows[5], "d-a", "5.1", -1, "", 0);

	/* Caching's best is B, the weakest played family; C is its worst. */
	assert_int_equal(recommend_pick(rows, 5, NULL, 0), 2);
	assert_true(rows[2].recommended);
	assert_string_equal(rows[2].why, "Recommended: c-a — Caching is your"
	    " weakest family (best B)");
	/* Caching was just played: Databases next, its unplayed incident. */
	assert_int_equal(recommend_pick(rows, 5, recent, 1), 1);
	assert_false(rows[2].recommended);
	assert_true(contains(rows[1].why, "Databases is your weakest family"
	    " (best A)"));
	/* A family never played is weaker than any grade. */
	assert_int_equal(recommend_pick(rows, 6, recent, 1), 5);
	assert_true(contains(rows[5].why, "no graded Distributed systems"));
	/* Everything played lately: recency no longer decides. */
	recent[1] = "db-a";
	recent[2] = "s-a";
	assert_int_equal(recommend_pick(rows, 5, recent, 3), 2);
	assert_int_equal(recommend_pick(rows, 0, NULL, 0), -1);

	/* The picker marks it and says why, at 80 columns, in ASCII too. */
	recommend_pick(rows, 5, NULL, 0);
	canvas_init(&c, 80, 24);
	c.gl = glyphs_get(0);
	screen_picker_draw(&c, rows, 5, 0, "");
	t = canvas_text(&c);
	assert_true(contains(t, "> 2.1"));
	assert_true(contains(t, "C 450"));
	assert_true(contains(t, "> Recommended: c-a - Caching"));
	free(t);
	canvas_fini(&c);
}

static void
test_ui_canvas_clips_and_replaces_controls(void **state)
{
	struct canvas	 c;
	char		*row;

	(void)state;
	canvas_init(&c, 10, 2);
	canvas_put(&c, 0, 0, 100, ROLE_TEXT, "ab\tc\x1b[31mdefghijklmnop");
	row = canvas_row_text(&c, 0);
	assert_string_equal(row, "ab?c?[31md");
	free(row);
	canvas_put(&c, 8, 1, 10, ROLE_TEXT, "xyz");
	row = canvas_row_text(&c, 1);
	assert_string_equal(row, "        xy");
	free(row);
	canvas_fini(&c);
}

/* ---- the post-mortem form ---- */

static void
keys(struct pmform *f, const char *text)
{
	for (; *text != '\0'; text++)
		assert_int_equal(pmform_key(f, (unsigned char)*text),
		    PMF_CONTINUE);
}

/*
 * A session a minute in, with two notes taken during play and the four
 * key events marked reached (annotations count only on events that
 * happened).
 */
static void
noted_session(struct session *s)
{
	struct buf	out;
	int		p;

	open_at(s, "db-pool-exhaustion", 60);
	buf_init(&out);
	assert_int_equal(session_command(s, "note pool at 100%", &out), 0);
	assert_int_equal(session_command(s, "note payment slow", &out), 0);
	buf_fini(&out);
	for (p = 0; p < PH_COUNT; p++)
		game_phase(&s->g, (enum phase)p);
}

static int
count_rows(const struct pm_answers *pm, const char *part, const char *key)
{
	int	i, n = 0;

	for (i = 0; i < pm->n; i++)
		if (strcmp(pm->v[i].part, part) == 0 && (key == NULL ||
		    (pm->v[i].key != NULL && strcmp(pm->v[i].key, key) == 0)))
			n++;
	return (n);
}

static void
test_pmform_full_form_scores_as_expected(void **state)
{
	struct session		 s;
	struct pmform		 f;
	struct score		 sc;
	const struct debrief_def *db;
	int			 i, chosen = 0, want;

	(void)state;
	noted_session(&s);
	db = &s.g.inc.db;
	pmform_init(&f, db, &s.g.tl, s.g.seed);
	assert_true(f.ntl > 0);
	/* Timeline: four one-line annotations, Enter after each. */
	for (i = 0; i < 4; i++) {
		keys(&f, "saw it, did it");
		assert_int_equal(pmform_key(&f, K_ENTER), PMF_CONTINUE);
	}
	assert_int_equal(f.step, PMF_ROOT_CAUSE);
	/* Root cause: the systemic phrasing, wherever the shuffle put it. */
	for (i = 0; f.rc_order[i] != PM_RC_SYSTEMIC; i++)
		pmform_key(&f, K_DOWN);
	assert_int_equal(pmform_key(&f, K_ENTER), PMF_CONTINUE);
	/* Five prevention items, each with a team owner and a deadline. */
	assert_int_equal(f.step, PMF_ACTIONS);
	for (i = 0; i < f.nitem; i++) {
		if (f.item[i].prevention && chosen < 5) {
			keys(&f, " ");
			pmform_key(&f, K_RIGHT);	/* owning service team */
			keys(&f, "d");			/* this week */
			chosen++;
		}
		pmform_key(&f, K_DOWN);
	}
	assert_int_equal(chosen, 5);
	assert_int_equal(pmform_key(&f, K_ENTER), PMF_CONTINUE);
	/* One monitor of the incident's own. */
	assert_int_equal(f.step, PMF_MONITORS);
	for (i = 0; strcmp(f.mon[i].text, db->monitors[0].text) != 0; i++)
		pmform_key(&f, K_DOWN);
	keys(&f, " ");
	assert_int_equal(pmform_key(&f, K_ENTER), PMF_FINISHED);

	pmform_answers(&f, &s.pm);
	assert_true(s.pm.filled);
	assert_int_equal(count_rows(&s.pm, "annotation", NULL), 4);
	assert_int_equal(count_rows(&s.pm, "root_cause", "systemic"), 1);
	assert_int_equal(count_rows(&s.pm, "action", "prevention"), 5);
	assert_int_equal(count_rows(&s.pm, "action", "distractor"), 0);
	assert_int_equal(count_rows(&s.pm, "monitor", NULL), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", NULL), 0);
	for (i = 0; i < s.pm.n; i++)
		if (strcmp(s.pm.v[i].part, "action") == 0) {
			assert_string_equal(s.pm.v[i].owner,
			    "owning service team");
			assert_string_equal(s.pm.v[i].deadline, "this week");
		}
	record_score(&s, &sc);
	assert_int_equal(sc.pm_pts[PMP_TIMELINE], 40);
	assert_int_equal(sc.pm_pts[PMP_ROOT_CAUSE], 40);
	assert_int_equal(sc.pm_pts[PMP_ACTIONS], 50);
	assert_int_equal(sc.pm_pts[PMP_OWNERS], 20);
	assert_int_equal(sc.pm_pts[PMP_MONITORS], 5);
	want = 40 + 40 + 50 + 20 + 5;
	assert_int_equal(sc.pm_total, want);
	assert_int_equal(sc.sig[SIG_BLAMELESS].star[0].met, 1);
	assert_int_equal(sc.sig[SIG_BLAMELESS].star[2].met, 1);
	pmform_fini(&f);
	session_close(&s);
}

static void
test_pmform_skip_everything_keeps_the_notes(void **state)
{
	struct session	s;
	struct pmform	f;
	struct score	sc;

	(void)state;
	noted_session(&s);
	pmform_init(&f, &s.g.inc.db, &s.g.tl, s.g.seed);
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	assert_true(s.pm.filled);
	assert_int_equal(s.pm.n, 4);
	assert_int_equal(count_rows(&s.pm, "skipped", "timeline"), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", "root_cause"), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", "actions"), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", "monitors"), 1);
	record_score(&s, &sc);
	/* Two notes in play: 20 of the timeline's 40; nothing else. */
	assert_int_equal(sc.pm_total, 20);
	assert_true(contains(sc.pm_why[PMP_ROOT_CAUSE], "skipped"));
	pmform_fini(&f);
	session_close(&s);
}

static void
test_pmform_skip_one_step_and_reopen(void **state)
{
	struct session	 s;
	struct pmform	 f;
	struct canvas	 c;
	char		*t;

	(void)state;
	noted_session(&s);
	pmform_init(&f, &s.g.inc.db, &s.g.tl, s.g.seed);
	/* 's' is a letter in a text field; Tab skips an empty step. */
	keys(&f, "saw spikes");
	assert_string_equal(f.ann[0], "saw spikes");
	assert_int_equal(pmform_key(&f, K_BACKSPACE), PMF_CONTINUE);
	assert_string_equal(f.ann[0], "saw spike");
	assert_int_equal(pmform_key(&f, 21), PMF_CONTINUE);	/* Ctrl-U */
	assert_string_equal(f.ann[0], "");
	assert_int_equal(pmform_key(&f, K_TAB), PMF_CONTINUE);
	assert_int_equal(f.step, PMF_ROOT_CAUSE);
	canvas_init(&c, 80, 24);
	c.gl = glyphs_get(1);
	pmform_draw(&f, &c);
	t = canvas_text(&c);
	assert_true(contains(t, "Root cause · 40 pts · skip: -40"));
	assert_true(contains(t, "step 2 of 4"));
	free(t);
	/* Outside a text field 's' skips too; the skip is recorded. */
	keys(&f, "s");
	assert_int_equal(f.step, PMF_ACTIONS);
	pmform_draw(&f, &c);
	t = canvas_text(&c);
	assert_true(contains(t, "skip: -100"));
	free(t);
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	assert_int_equal(count_rows(&s.pm, "skipped", NULL), 4);
	assert_int_equal(count_rows(&s.pm, "annotation", NULL), 0);
	/* Esc keeps what the current step shows: one item ticked. */
	pmform_reopen(&f);
	pmform_key(&f, K_TAB);
	pmform_key(&f, K_TAB);
	keys(&f, " ");
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	assert_int_equal(count_rows(&s.pm, "action", NULL), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", "actions"), 0);
	assert_int_equal(count_rows(&s.pm, "skipped", "timeline"), 1);
	/* Tab on a step with answers moves on and keeps them. */
	pmform_reopen(&f);
	assert_int_equal(f.step, PMF_TIMELINE);
	keys(&f, "kept\r");	/* not K_ENTER: a control byte is ignored */
	assert_int_equal(pmform_key(&f, K_TAB), PMF_CONTINUE);
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	assert_int_equal(count_rows(&s.pm, "annotation", "detect"), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", "timeline"), 0);
	/* The item ticked last time is still there. */
	assert_int_equal(count_rows(&s.pm, "action", NULL), 1);
	canvas_fini(&c);
	pmform_fini(&f);
	session_close(&s);
}

static void
test_pmform_shuffle_is_stable_per_seed(void **state)
{
	struct session	s;
	struct pmform	a, b;
	int		seed, first[PM_RC__COUNT] = { 0 }, i, differ = 0;

	(void)state;
	open_at(&s, "db-pool-exhaustion", 0);
	pmform_init(&a, &s.g.inc.db, NULL, 7);
	pmform_init(&b, &s.g.inc.db, NULL, 7);
	assert_memory_equal(a.rc_order, b.rc_order, sizeof a.rc_order);
	for (i = 0; i < a.nitem; i++)
		assert_string_equal(a.item[i].text, b.item[i].text);
	pmform_fini(&b);
	for (seed = 1; seed <= 16; seed++) {
		pmform_init(&b, &s.g.inc.db, NULL, (uint64_t)seed);
		first[b.rc_order[0]]++;
		for (i = 0; i < a.nitem && !differ; i++)
			differ = strcmp(a.item[i].text, b.item[i].text) != 0;
		pmform_fini(&b);
	}
	/* The systemic phrasing is not always the first one shown. */
	assert_true(first[PM_RC_SYSTEMIC] < 16);
	assert_true(differ);
	/* Distractors, generic and the incident's, are on the list. */
	for (i = 0, differ = 0; i < a.nitem; i++)
		differ += !a.item[i].prevention;
	assert_true(differ >= 4 + s.g.inc.db.distractors.n - 1);
	pmform_fini(&a);
	session_close(&s);
}

static void
test_results_show_signals_and_chart(void **state)
{
	struct session	 s;
	struct results	 r;
	struct score	 sc;
	struct view	 v;
	struct canvas	 c;
	struct buf	 out;
	char		*t;
	int		 i, found = 0;

	(void)state;
	memset(&r, 0, sizeof r);
	open_at(&s, "db-pool-exhaustion", 200);
	buf_init(&out);
	assert_int_equal(session_command(&s, "breaker open order->payment",
	    &out), 0);
	buf_fini(&out);
	while (session_now_ms(&s) < 260 * 1000)
		session_tick(&s);
	record_score(&s, &sc);
	results_build(&r, &s, &sc, NULL, 1);
	assert_true(r.nerr > 200);
	for (i = 0; i < r.nmark; i++)
		found += !r.mark[i].phase && strcmp(r.mark[i].label,
		    "breaker") == 0;
	assert_int_equal(found, 1);
	/* The debrief follows the breakdown, as plain lines. */
	for (i = 0, found = 0; i < r.nlines; i++)
		found += strcmp(r.lines[i], "Summary") == 0 ||
		    strcmp(r.lines[i], "The five interview signals") == 0 ||
		    contains(r.lines[i], "```");
	assert_int_equal(found, 2);
	view_build(&v, &s, NULL, 0, NULL, NULL, NULL);
	canvas_init(&c, 80, 24);
	c.gl = glyphs_get(1);
	screen_results_draw(&c, &v, &r, 0);
	t = canvas_text(&c);
	assert_true(contains(t, "user-facing error rate, whole session"));
	assert_true(contains(t, "▲breaker"));
	assert_true(contains(t, "Post-mortem"));
	free(t);
	/* Scrolled down to the signals, with their stars and evidence. */
	for (i = 0; i < r.nlines; i++)
		if (contains(r.lines[i], "Interview signals"))
			break;
	screen_results_draw(&c, &v, &r, i);
	t = canvas_text(&c);
	assert_true(contains(t, "Systematic debugging"));
	assert_true(contains(t, "☆"));
	free(t);
	canvas_fini(&c);
	/* ASCII: the same content, no byte outside ASCII. */
	results_build(&r, &s, &sc, NULL, 0);
	canvas_init(&c, 120, 40);
	c.gl = glyphs_get(0);
	screen_results_draw(&c, &v, &r, i);
	t = canvas_text(&c);
	for (i = 0; t[i] != '\0'; i++)
		assert_true((unsigned char)t[i] < 0x80);
	assert_true(contains(t, "^breaker") || contains(t, "Blameless"));
	free(t);
	canvas_fini(&c);
	results_fini(&r);
	session_close(&s);
}

static void
test_record_postmortem_updates_the_session(void **state)
{
	struct session		 s;
	struct pmform		 f;
	struct score		 sc, sc2;
	struct store		*st;
	struct stored_session	 ss;
	struct buf		 out;
	const char		*tmp = getenv("TESTS_TMPDIR");
	char			*path, *why = NULL, *cause = NULL;

	(void)state;
	path = xasprintf("%s/test-ui-pm-%ld.db", tmp != NULL ? tmp : "/tmp",
	    (long)getpid());
	unlink(path);
	noted_session(&s);
	buf_init(&out);
	assert_int_equal(session_command(&s, "abandon", &out), 0);
	buf_fini(&out);
	record_score(&s, &sc);
	assert_int_equal(record_session(&s, &sc, path, "play", "tester",
	    &why), 0);
	assert_true(s.db_id > 0);
	pmform_init(&f, &s.g.inc.db, &s.g.tl, s.g.seed);
	pmform_key(&f, K_TAB);
	while (f.rc_order[f.rc_sel] != PM_RC_SYSTEMIC)
		pmform_key(&f, K_DOWN);
	pmform_key(&f, K_ENTER);
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	record_score(&s, &sc2);
	assert_int_equal(sc2.pm_total, sc.pm_total + 40);
	/* Reopened and left with Esc: the root cause answered stays. */
	pmform_reopen(&f);
	assert_int_equal(pmform_key(&f, 27), PMF_FINISHED);
	pmform_answers(&f, &s.pm);
	assert_int_equal(count_rows(&s.pm, "root_cause", "systemic"), 1);
	assert_int_equal(count_rows(&s.pm, "skipped", NULL), 3);
	assert_int_equal(record_postmortem(&s, &sc2, path, &why), 0);
	st = store_open(path, 0, &cause);
	assert_non_null(st);
	assert_int_equal(store_session_load(st, s.db_id, &ss, &cause), 0);
	assert_int_equal(ss.pm.n, s.pm.n);
	assert_int_equal(ss.score_total, sc2.total);
	stored_session_free(&ss);
	store_close(st);
	/* A database that cannot be opened: one line, nothing else lost. */
	assert_int_equal(record_postmortem(&s, &sc2, "/nonexistent/dir/x.db",
	    &why), -1);
	assert_true(contains(why, "post-mortem not saved"));
	free(why);
	unlink(path);
	free(path);
	pmform_fini(&f);
	session_close(&s);
}


/*
 * The "not recorded" screen: it says why and where the JSON went, and
 * the game goes on only once the session is safe somewhere.
 */
static void
test_unsaved_choices(void **state)
{
	struct unsaved	u;
	struct canvas	cv;
	char		*text;
	const char	*p;

	(void)state;
	memset(&u, 0, sizeof u);
	unsaved_open(&u, "database x.db is read-only", "/tmp/s.json");
	canvas_init(&cv, 100, 24);
	unsaved_draw(&u, &cv);
	text = canvas_text(&cv);
	assert_non_null(strstr(text, "database x.db is read-only"));
	assert_non_null(strstr(text, "/tmp/s.json"));
	assert_non_null(strstr(text, "firedrill import"));
	assert_non_null(strstr(text, "r: retry"));
	free(text);

	assert_int_equal(unsaved_key(&u, 'x'), UNS_NONE);
	assert_int_equal(unsaved_key(&u, 'r'), UNS_RETRY);
	assert_int_equal(u.tries, 1);
	/* Another database: typed, Esc goes back, Enter records there. */
	assert_int_equal(unsaved_key(&u, 'd'), UNS_NONE);
	assert_true(u.typing);
	for (p = "b.dbX"; *p != '\0'; p++)
		assert_int_equal(unsaved_key(&u, *p), UNS_NONE);
	assert_int_equal(unsaved_key(&u, K_BACKSPACE), UNS_NONE);
	assert_int_equal(unsaved_key(&u, 'r'), UNS_NONE);	/* typed */
	assert_string_equal(u.path, "b.dbr");
	assert_int_equal(unsaved_key(&u, K_BACKSPACE), UNS_NONE);
	assert_int_equal(unsaved_key(&u, K_ENTER), UNS_OTHER);
	assert_string_equal(u.path, "b.db");
	assert_false(u.typing);
	assert_int_equal(unsaved_key(&u, K_ENTER), UNS_GO_ON);

	/* Saved nowhere: Enter does not go on. */
	unsaved_open(&u, "disk full", NULL);
	assert_int_equal(u.tries, 1);
	assert_int_equal(unsaved_key(&u, K_ENTER), UNS_NONE);
	unsaved_draw(&u, &cv);
	text = canvas_text(&cv);
	assert_non_null(strstr(text, "could not be saved as JSON either"));
	assert_null(strstr(text, "Enter: go on"));
	free(text);
	canvas_fini(&cv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ui_full_console_shows_every_panel),
		cmocka_unit_test(test_ui_long_service_names_are_marked),
		cmocka_unit_test(test_ui_long_command_line_marks_hidden_text),
		cmocka_unit_test(test_ui_status_counts_firing_and_clock),
		cmocka_unit_test(test_ui_ascii_when_not_utf8),
		cmocka_unit_test(test_ui_compact_layout_at_80x24),
		cmocka_unit_test(test_ui_too_small_says_what_it_needs),
		cmocka_unit_test(test_ui_output_pane_scrolls),
		cmocka_unit_test(test_ui_graph_shows_series_and_markers),
		cmocka_unit_test(test_ui_help_lists_every_command),
		cmocka_unit_test(test_ui_picker_filters_and_marks_best),
		cmocka_unit_test(test_ui_picker_recommends_the_weakest_family),
		cmocka_unit_test(test_ui_canvas_clips_and_replaces_controls),
		cmocka_unit_test(test_pmform_full_form_scores_as_expected),
		cmocka_unit_test(test_pmform_skip_everything_keeps_the_notes),
		cmocka_unit_test(test_pmform_skip_one_step_and_reopen),
		cmocka_unit_test(test_pmform_shuffle_is_stable_per_seed),
		cmocka_unit_test(test_results_show_signals_and_chart),
		cmocka_unit_test(test_record_postmortem_updates_the_session),
		cmocka_unit_test(test_unsaved_choices),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
