/*
 * Unit tests for the command layer a player types into: word splitting and
 * its refusals, the catalog B.5 aliases, verb lookup by name, alias and
 * unique prefix with "did you mean", the classification glob, durations,
 * and help covering every verb of the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "engine/game.h"
#include "engine/timeline.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/escape.h"

/* ---- cmd_split ---- */

static void
split_ok(const char *line, int want_argc, const char *const *want)
{
	char	**argv, *cause = NULL;
	int	  argc, i;

	if (cmd_split(line, &argc, &argv, &cause) != 0)
		fail_msg("'%s' refused: %s", line, cause);
	assert_null(cause);
	assert_int_equal(argc, want_argc);
	for (i = 0; i < argc; i++)
		assert_string_equal(argv[i], want[i]);
	cmd_free_argv(argc, argv);
}

static void
split_bad(const char *line, const char *needle)
{
	char	**argv = (char **)1, *cause = NULL;
	int	  argc = -1;

	if (cmd_split(line, &argc, &argv, &cause) != -1) {
		cmd_free_argv(argc, argv);
		fail_msg("'%.40s' accepted", line);
	}
	assert_non_null(cause);
	if (strstr(cause, needle) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, needle);
	assert_int_equal(argc, 0);
	assert_null(argv);
	free(cause);
}

static void
test_cmd_split_words_and_quotes(void **state)
{
	static const char *const	w1[] = { "show", "db", "activity",
	    "--app", "order" };
	static const char *const	w2[] = { "note", "pool at 100% now",
	    "x" };
	static const char *const	w3[] = { "ab cd", "", "e" };
	static const char *const	w4[] = { "page", "dba" };

	(void)state;
	split_ok("show db activity --app order", 5, w1);
	split_ok("  show\tdb  activity --app\t order  ", 5, w1);
	split_ok("note \"pool at 100% now\" x", 3, w2);
	/* Quotes group inside a word and may be empty. */
	split_ok("a\"b c\"d \"\" e", 3, w3);
	split_ok("page dba", 2, w4);
	split_ok("", 0, NULL);
	split_ok(" \t ", 0, NULL);
}

static void
test_cmd_split_unterminated_quote_refused(void **state)
{
	(void)state;
	split_bad("note \"forgot to close", "unterminated quote");
	split_bad("\"", "unterminated quote");
}

static void
test_cmd_split_line_length_limit(void **state)
{
	char	line[CMD_MAXLINE + 2];
	char	**argv, *cause = NULL;
	int	argc;

	(void)state;
	/* Exactly CMD_MAXLINE bytes is fine. */
	memset(line, 'a', CMD_MAXLINE);
	line[CMD_MAXLINE] = '\0';
	assert_int_equal(cmd_split(line, &argc, &argv, &cause), 0);
	assert_int_equal(argc, 1);
	assert_int_equal(strlen(argv[0]), CMD_MAXLINE);
	cmd_free_argv(argc, argv);
	/* One more is not. */
	line[CMD_MAXLINE] = 'a';
	line[CMD_MAXLINE + 1] = '\0';
	split_bad(line, "command too long");
}

static void
test_cmd_split_control_characters_refused(void **state)
{
	(void)state;
	split_bad("show\x01 overview", "control characters");
	split_bad("note a\nrestart order", "control characters");
	split_bad("note \x1b[31mred", "control characters");
	split_bad("show overview\r", "control characters");
}

static void
test_cmd_split_del_character_refused(void **state)
{
	(void)state;
	/* DEL (0x7f) is a control character too (iscntrl). */
	split_bad("note a\x7f" "b", "control characters");
}

static void
test_cmd_split_word_count_limit(void **state)
{
	char	line[CMD_MAXLINE];
	char	**argv, *cause = NULL;
	int	argc, i;

	(void)state;
	line[0] = '\0';
	for (i = 0; i < CMD_MAXARGS; i++)
		strcat(line, "w ");
	assert_int_equal(cmd_split(line, &argc, &argv, &cause), 0);
	assert_int_equal(argc, CMD_MAXARGS);
	cmd_free_argv(argc, argv);
	strcat(line, "one-too-many");
	split_bad(line, "too many words");
}

/* ---- aliases (catalog B.5) ---- */

static void
canon(const char *line, const char *want)
{
	char	**argv, *cause = NULL, *got;
	int	  argc;

	if (cmd_split(line, &argc, &argv, &cause) != 0)
		fail_msg("'%s' refused: %s", line, cause);
	got = cmd_canonical(argc, argv);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' -> '%s', want '%s'", line, got, want);
	free(got);
	cmd_free_argv(argc, argv);
}

static void
test_cmd_canonical_handbook_aliases(void **state)
{
	(void)state;
	canon("kill-query 4242", "kill query 4242");
	canon("pool resize order 100", "scale order.db_pool 100");
	canon("pool split order 30/15",
	    "set order.db_pool.split read=30,write=15");
	canon("timeout set order->payment 2s", "set order->payment.timeout 2s");
	canon("db activity --app order", "show db activity --app order");
	canon("db locks", "show db locks");
	canon("hypothesis slow-dependency-holds-connections",
	    "diagnose slow-dependency-holds-connections");
	canon("deploys", "changes");
	canon("deploys --since 1h", "changes --since 1h");
	canon("create-index t(a)", "run db create-index t(a)");
	canon("create-index orders(user_id,created_at) --concurrently",
	    "run db create-index orders(user_id,created_at) --concurrently");
	canon("cache hotkeys", "show cache hotkeys");
	canon("cache warm home:*", "run cache warm home:*");
	canon("cache jitter pct=10", "enable ttl-jitter pct=10");
	canon("cache bloom", "enable bloom");
	canon("partition add product-updates 50",
	    "scale topic:product-updates.partitions 50");
	canon("consumer scale search-indexer 20",
	    "scale group:search-indexer 20");
	canon("dns ttl api.shop.example.com 60",
	    "set dns:api.shop.example.com.ttl 60");
	canon("cert renew shop", "run cert renew shop");
	canon("cert", "show cert");
	canon("clock", "show clock");
	canon("fence pg-2", "run db fence pg-2");
	canon("failover pg-2", "run db failover pg-2");
}

static void
test_cmd_canonical_leaves_other_lines_alone(void **state)
{
	(void)state;
	canon("show svc order", "show svc order");
	canon("breaker open order->payment", "breaker open order->payment");
	/* Words with spaces are quoted again. */
	canon("note \"pool at 100%\"", "note \"pool at 100%\"");
	/* Malformed alias forms are not rewritten. */
	canon("pool split order 30", "pool split order 30");
	canon("pool resize order", "pool resize order");
	canon("timeout order->payment 2s", "timeout order->payment 2s");
}

/* ---- lookup ---- */

static const struct cmd_entry *
find(const char *name, char **cause)
{
	*cause = NULL;
	return (cmd_find(name, cause));
}

static void
test_cmd_find_exact_alias_and_prefix(void **state)
{
	const struct cmd_entry	*e;
	char			*cause;

	(void)state;
	e = find("show", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "show");
	e = find("hypothesis", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "diagnose");
	e = find("disable", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "enable");
	e = find("sh", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "show");
	e = find("dia", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "diagnose");
	e = find("ro", &cause);
	assert_non_null(e);
	assert_string_equal(e->name, "rollback");
	assert_null(cause);
}

static void
test_cmd_find_ambiguous_prefix_lists_candidates(void **state)
{
	const struct cmd_entry	*e;
	char			*cause;
	static const char *const want[] = { " show", " status", " set",
	    " scale", " speed" };
	size_t			 i;

	(void)state;
	e = find("s", &cause);
	assert_null(e);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "ambiguous command 's'"));
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(cause, want[i]) == NULL)
			fail_msg("'%s' lacks '%s'", cause, want[i]);
	assert_null(strstr(cause, "rollback"));
	free(cause);
	e = find("re", &cause);
	assert_null(e);
	assert_non_null(strstr(cause, "restart"));
	assert_non_null(strstr(cause, "resume"));
	free(cause);
}

static void
test_cmd_find_unknown_suggests_nearest(void **state)
{
	const struct cmd_entry	*e;
	char			*cause;

	(void)state;
	e = find("shwo", &cause);
	assert_null(e);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "unknown command 'shwo'"));
	assert_non_null(strstr(cause, "did you mean 'show'"));
	free(cause);
	e = find("rollbak", &cause);
	assert_null(e);
	assert_non_null(strstr(cause, "did you mean 'rollback'"));
	free(cause);
	/* Nothing close: no suggestion. */
	e = find("xyzzyq", &cause);
	assert_null(e);
	assert_non_null(strstr(cause, "unknown command 'xyzzyq'"));
	assert_null(strstr(cause, "did you mean"));
	free(cause);
}

static void
test_cmd_glob_matches_classification_patterns(void **state)
{
	(void)state;
	assert_true(cmd_glob("scale order.db_pool *",
	    "scale order.db_pool 100"));
	assert_false(cmd_glob("scale order.db_pool *",
	    "scale user.db_pool 100"));
	assert_false(cmd_glob("scale order.db_pool *", "scale order 15"));
	assert_true(cmd_glob("breaker open order->payment",
	    "breaker open order->payment"));
	assert_true(cmd_glob("set *->payment.timeout *",
	    "set order->payment.timeout 2s"));
	assert_true(cmd_glob("restart order*", "restart order --rolling"));
	assert_false(cmd_glob("restart order", "restart order --rolling"));
}

static void
test_cmd_distance_is_edit_distance(void **state)
{
	char	longer[40];

	(void)state;
	assert_int_equal(cmd_distance("", ""), 0);
	assert_int_equal(cmd_distance("", "abc"), 3);
	assert_int_equal(cmd_distance("abc", ""), 3);
	assert_int_equal(cmd_distance("show", "show"), 0);
	assert_int_equal(cmd_distance("shwo", "show"), 2);
	assert_int_equal(cmd_distance("sho", "show"), 1);
	assert_int_equal(cmd_distance("shows", "show"), 1);
	assert_int_equal(cmd_distance("shaw", "show"), 1);
	assert_int_equal(cmd_distance("kitten", "sitting"), 3);
	assert_int_equal(cmd_distance("sitting", "kitten"), 3);
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	/* Too long to bother: never a suggestion. */
	assert_true(cmd_distance(longer, "show") > 2);
}

/* ---- durations ---- */

static void
dur_ok(const char *s, long want)
{
	long	ms = -12345;

	if (duration_parse(s, &ms) != 0)
		fail_msg("'%s' refused", s);
	if (ms != want)
		fail_msg("'%s' -> %ld ms, want %ld", s, ms, want);
}

static void
dur_bad(const char *s)
{
	long	ms = -12345;

	if (duration_parse(s, &ms) != -1)
		fail_msg("'%s' accepted as %ld ms", s, ms);
}

static void
test_duration_parse_accepts_people_forms(void **state)
{
	(void)state;
	dur_ok("90s", 90000);
	dur_ok("2m", 120000);
	dur_ok("2min", 120000);
	dur_ok("1:30", 90000);
	dur_ok("1:02:03", 3723000);
	dur_ok("500ms", 500);
	dur_ok("1h", 3600000);
	dur_ok("2d", 172800000);
	dur_ok("7", 7000);
	dur_ok("0", 0);
	dur_ok("1.5s", 1500);
	dur_ok(".5s", 500);
	dur_ok("0:05", 5000);
}

static void
test_duration_parse_refuses_garbage(void **state)
{
	(void)state;
	dur_bad("");
	dur_bad("x");
	dur_bad("-5");
	dur_bad("1:x");
	dur_bad("1:");
	dur_bad(":30");
	dur_bad("1:2:3:4");
	dur_bad("5 s");
	dur_bad("5sec");
	dur_bad("10y");
	dur_bad("s");
	dur_bad("1e10");
	dur_bad("123456789012345678901234567890123s");
}

static void
test_duration_parse_refuses_out_of_range(void **state)
{
	(void)state;
	/* Used to convert an out-of-range double to long (UBSan). */
	dur_bad("5555555555555555555551:30");
	dur_bad("99999999999999999999");
	dur_bad("99999999999999999999:00");
	/* Seconds and minutes of a clock are 00..59, two digits. */
	dur_bad("99999:99");
	dur_bad("1:99");
	dur_bad("1:60");
	dur_bad("1:60:00");
	dur_bad("1:00:60");
	dur_bad("1:5");
	dur_bad("1:1e15");
	dur_bad("1:30e0");
	dur_bad("0x10");
	dur_bad("0x10s");
	dur_bad("1e3");
	dur_bad("1e3s");
	dur_bad("inf");
	dur_bad("nan");
	dur_bad("1..5s");
	dur_bad(".s");
	dur_bad("1: 30");
	dur_bad("1:30 ");
	/* Past a year is nobody's incident. */
	dur_bad("9999999h");
	dur_bad("400d");
	dur_ok("365d", 365L * 86400000);
	dur_ok("59:59", 3599000);
	dur_ok("120:00", 7200000);
	dur_ok("1:00:00", 3600000);
	dur_ok("1:30.5", 90500);
	dur_ok("0.1s", 100);
}

/* ---- quoting input in messages ---- */

static void
escaped_is(const char *in, const char *want)
{
	char	*got = escape_str(in);

	if (strcmp(got, want) != 0)
		fail_msg("escape_str -> '%s', want '%s'", got, want);
	free(got);
}

static void
test_escape_str_makes_control_bytes_visible(void **state)
{
	(void)state;
	escaped_is("plain text", "plain text");
	escaped_is("caf\303\251 \342\200\246", "caf\303\251 \342\200\246");
	escaped_is("a\tb\nc", "a\\tb\\nc");
	escaped_is("\v\f\r", "\\v\\f\\r");
	escaped_is("\033[2J", "\\e[2J");
	escaped_is("\001\177", "\\x01\\x7f");
	/* C1 controls (a one-byte CSI to some terminals) and broken UTF-8. */
	escaped_is("\302\233" "1m", "\\xc2\\x9b1m");
	escaped_is("\377x\303", "\\xffx\\xc3");
	escaped_is("\340\200\200", "\\xe0\\x80\\x80");
	escaped_is("", "");
}

static void
test_buf_json_str_is_utf8_without_controls(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b);
	buf_json_str(&b, "a\177b\302\233" "c\377d\303\251\033");
	assert_string_equal(buf_str(&b),
	    "\"a\\u007fb\\u009bc\\ufffdd\303\251\\u001b\"");
	buf_fini(&b);
}

static void
test_cmd_split_refuses_c1_and_bad_utf8(void **state)
{
	(void)state;
	split_bad("show \302\233" "2J", "control characters");
	split_bad("note \377", "UTF-8");
	split_bad("note caf\303", "UTF-8");
	split_ok("note caf\303\251", 2, (const char *const[]){ "note",
	    "caf\303\251" });
}

static void
clock_is(long ms, const char *want)
{
	char	buf[32];

	duration_clock(ms, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%ld ms -> '%s', want '%s'", ms, buf, want);
}

static void
test_duration_clock_formats(void **state)
{
	(void)state;
	clock_is(0, "0:00");
	clock_is(999, "0:00");
	clock_is(59999, "0:59");
	clock_is(90000, "1:30");
	clock_is(3599000, "59:59");
	clock_is(3600000, "1:00:00");
	clock_is(3723000, "1:02:03");
	clock_is(36000000, "10:00:00");
	clock_is(-1, "-");
}

/* ---- help and the table ---- */

static void
test_cmd_help_lists_every_verb(void **state)
{
	const struct cmd_entry *const	*e;
	struct buf			 out;
	char				 line[64];
	int				 n = 0;

	(void)state;
	buf_init(&out);
	cmd_help(NULL, &out);
	for (e = cmd_table; *e != NULL; e++) {
		snprintf(line, sizeof line, "\n  %s ", (*e)->name);
		if (strstr(buf_str(&out), line) == NULL)
			fail_msg("help lacks '%s'", (*e)->name);
		n++;
	}
	assert_true(n >= 20);
	buf_fini(&out);
}

static void
test_cmd_help_one_verb_shows_usage_and_alias(void **state)
{
	struct buf	out;

	(void)state;
	buf_init(&out);
	cmd_help("hypothesis", &out);
	assert_non_null(strstr(buf_str(&out), "usage: diagnose ROOT_CAUSE_ID"));
	assert_non_null(strstr(buf_str(&out), "alias: hypothesis"));
	buf_clear(&out);
	cmd_help("sh", &out);
	assert_non_null(strstr(buf_str(&out), "usage: show "));
	buf_clear(&out);
	cmd_help("shwo", &out);
	assert_non_null(strstr(buf_str(&out), "did you mean 'show'"));
	buf_fini(&out);
}

static void
test_cmd_table_entries_are_complete_and_unique(void **state)
{
	const struct cmd_entry *const	*e, *const *o;

	(void)state;
	for (e = cmd_table; *e != NULL; e++) {
		assert_non_null((*e)->name);
		assert_non_null((*e)->usage);
		assert_non_null((*e)->help);
		assert_non_null((*e)->exec);
		/* Usage starts with the verb. */
		if (strncmp((*e)->usage, (*e)->name, strlen((*e)->name)) != 0)
			fail_msg("usage of %s: '%s'", (*e)->name,
			    (*e)->usage);
		for (o = e + 1; *o != NULL; o++) {
			assert_string_not_equal((*e)->name, (*o)->name);
			if ((*o)->alias != NULL)
				assert_string_not_equal((*e)->name,
				    (*o)->alias);
		}
	}
}

/* ---- the dispatcher's refusals, on an empty game ---- */

static void
test_cmd_execute_refusals_leave_no_event(void **state)
{
	struct game	g;
	struct buf	out;

	(void)state;
	game_init(&g, 1);
	buf_init(&out);
	assert_int_equal(cmd_execute(&g, "player", "shwo", &out), -1);
	assert_non_null(strstr(buf_str(&out), "did you mean 'show'"));
	buf_clear(&out);
	assert_int_equal(cmd_execute(&g, "player", "note \"open", &out), -1);
	assert_non_null(strstr(buf_str(&out), "unterminated quote"));
	buf_clear(&out);
	assert_int_equal(cmd_execute(&g, "player", "s", &out), -1);
	assert_non_null(strstr(buf_str(&out), "ambiguous"));
	buf_clear(&out);
	assert_int_equal(cmd_execute(&g, "player", "   ", &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(g.tl.n, 0);
	buf_fini(&out);
	game_fini(&g);
}

static void
test_cmd_execute_records_full_verb_for_prefix(void **state)
{
	struct game	g;
	struct buf	out;

	(void)state;
	game_init(&g, 1);
	buf_init(&out);
	assert_int_equal(cmd_execute(&g, "player", "he", &out), 0);
	assert_non_null(strstr(buf_str(&out), "Commands"));
	assert_int_equal(g.tl.n, 1);
	assert_int_equal(g.tl.v[0].kind, EV_COMMAND);
	assert_string_equal(g.tl.v[0].text, "help");
	assert_string_equal(g.tl.v[0].actor, "player");
	assert_int_equal(g.tl.v[0].arg, HARM_NONE);
	/* The answer's first line goes with it. */
	assert_non_null(g.tl.v[0].result);
	assert_non_null(strstr(g.tl.v[0].result, "Commands"));
	assert_null(strchr(g.tl.v[0].result, '\n'));
	buf_fini(&out);
	game_fini(&g);
}

static void
test_cmd_result_truncation_keeps_utf8_whole(void **state)
{
	struct timeline	 tl;
	struct event	*e;
	char		 text[300];
	size_t		 n;
	int		 cut, short_ok;

	(void)state;
	timeline_init(&tl);
	e = timeline_add(&tl, 0, EV_COMMAND, "player", "status", NULL, 0, 0);
	/* 199 ASCII bytes, then a two-byte character across byte 200. */
	memset(text, 'a', 199);
	strcpy(text + 199, "\xc2\xb7 more");
	timeline_set_result(e, text);
	n = strlen(e->result);
	/* No lead byte may be left without its continuation. */
	cut = n > 0 && ((unsigned char)e->result[n - 1] & 0xc0) == 0xc0;
	/* Short results are kept whole, up to the first newline. */
	timeline_set_result(e, "ok \xc2\xb7 done\nsecond line");
	short_ok = strcmp(e->result, "ok \xc2\xb7 done") == 0;
	timeline_fini(&tl);
	assert_true(n <= 200);
	assert_true(short_ok);
	if (cut)
		fail_msg("result ends in a cut character (%zu bytes)", n);
}

static void
test_cmd_complete_first_word_from_table(void **state)
{
	struct game	  g;
	char		**v;
	int		  n, i;

	(void)state;
	game_init(&g, 1);
	n = cmd_complete(&g, "st", &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "status");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	n = cmd_complete(&g, "s", &v);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	game_fini(&g);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_cmd_split_words_and_quotes),
		cmocka_unit_test(test_cmd_split_unterminated_quote_refused),
		cmocka_unit_test(test_cmd_split_line_length_limit),
		cmocka_unit_test(test_cmd_split_control_characters_refused),
		cmocka_unit_test(test_cmd_split_del_character_refused),
		cmocka_unit_test(test_cmd_split_word_count_limit),
		cmocka_unit_test(test_cmd_canonical_handbook_aliases),
		cmocka_unit_test(test_cmd_canonical_leaves_other_lines_alone),
		cmocka_unit_test(test_cmd_find_exact_alias_and_prefix),
		cmocka_unit_test(
		    test_cmd_find_ambiguous_prefix_lists_candidates),
		cmocka_unit_test(test_cmd_find_unknown_suggests_nearest),
		cmocka_unit_test(
		    test_cmd_glob_matches_classification_patterns),
		cmocka_unit_test(test_cmd_distance_is_edit_distance),
		cmocka_unit_test(test_duration_parse_accepts_people_forms),
		cmocka_unit_test(test_duration_parse_refuses_garbage),
		cmocka_unit_test(test_duration_parse_refuses_out_of_range),
		cmocka_unit_test(test_escape_str_makes_control_bytes_visible),
		cmocka_unit_test(test_cmd_split_refuses_c1_and_bad_utf8),
		cmocka_unit_test(test_buf_json_str_is_utf8_without_controls),
		cmocka_unit_test(test_duration_clock_formats),
		cmocka_unit_test(test_cmd_help_lists_every_verb),
		cmocka_unit_test(
		    test_cmd_help_one_verb_shows_usage_and_alias),
		cmocka_unit_test(
		    test_cmd_table_entries_are_complete_and_unique),
		cmocka_unit_test(test_cmd_execute_refusals_leave_no_event),
		cmocka_unit_test(
		    test_cmd_execute_records_full_verb_for_prefix),
		cmocka_unit_test(test_cmd_result_truncation_keeps_utf8_whole),
		cmocka_unit_test(test_cmd_complete_first_word_from_table),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
