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

#include <cmocka.h>

#include "cmd/cmd.h"
#include "ui/panel.h"
#include "ui/screens.h"
#include "ui/recommend.h"
#include "util/buf.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ui_full_console_shows_every_panel),
		cmocka_unit_test(test_ui_long_service_names_are_marked),
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
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
