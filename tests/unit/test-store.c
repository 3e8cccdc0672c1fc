/*
 * Unit tests for the session store: opening and migrating, the session
 * lifecycle, and each failure the caller is expected to explain.  The
 * tests look at the database with sqlite3 directly to check what the store
 * wrote; they must never leave temporary directories behind.
 */

#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "util/proc.h"
#include "util/xmalloc.h"
#include "testutil.h"

struct tmp {
	char	*dir;
};

static int
tmp_setup(void **state)
{
	struct tmp	*t;

	t = xcalloc(1, sizeof *t);
	if ((t->dir = tu_tmpdir("store")) == NULL) {
		free(t);
		return (-1);
	}
	*state = t;
	return (0);
}

static int
tmp_teardown(void **state)
{
	struct tmp	*t = *state;

	tu_rmtree(t->dir);
	free(t->dir);
	free(t);
	return (0);
}

/* A path inside the test's directory.  Caller frees. */
static char *
tmp_path(void **state, const char *name)
{
	struct tmp	*t = *state;

	return (xasprintf("%s/%s", t->dir, name));
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3	*db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db,
	    SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	return (db);
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static int64_t
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	return (v);
}

/* First column of the first row as text, "(null)" for NULL.  Caller frees. */
static char *
raw_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt		*st;
	const unsigned char	*p;
	char			*v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	p = sqlite3_column_text(st, 0);
	v = xstrdup(p == NULL ? "(null)" : (const char *)p);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	return (v);
}

static void
raw_close(sqlite3 *db)
{
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static struct store *
open_ok(const char *path, int create_dir)
{
	struct store	*s;
	char		*cause = NULL;

	s = store_open(path, create_dir, &cause);
	if (s == NULL)
		fail_msg("store_open %s: %s", path, cause);
	assert_null(cause);
	return (s);
}

static struct store_session
sample_session(const char *player)
{
	struct store_session	ss = {
		.player = player,
		.incident = "disk-full-db",
		.seed = UINT64_C(0xfedcba9876543210),
		.engine_version = "0.1.0",
		.api_version = 1,
		.mode = "run",
		.started_at = 1700000000,
	};

	return (ss);
}

static struct store_result
sample_result(void)
{
	struct store_result	sr = {
		.outcome = "won",
		.ended_at = 1700000900,
		.sim_ms = 845000,
		.phase_ms = { 1500, 4000, -1, -1 },
		.score_total = 712,
		.grade = "B",
		.score_version = 1,
		.score_json = "{\"detect\":180}",
		.budget_burned_pct = 37.5,
		.state_hash = "9f2c",
	};

	return (sr);
}

static int64_t
begin_ok(struct store *s, const char *player)
{
	struct store_session	 ss = sample_session(player);
	int64_t			 id = -1;
	char			*cause = NULL;

	if (store_session_begin(s, &ss, &id, &cause) != 0)
		fail_msg("store_session_begin: %s", cause);
	assert_true(id > 0);
	return (id);
}

static int64_t
count_sessions(struct store *s)
{
	int64_t	 n = -1;
	char	*cause = NULL;

	if (store_count_sessions(s, &n, &cause) != 0)
		fail_msg("store_count_sessions: %s", cause);
	return (n);
}

static int64_t
count_events(struct store *s, int64_t session)
{
	int64_t	 n = -1;
	char	*cause = NULL;

	if (store_count_events(s, session, &n, &cause) != 0)
		fail_msg("store_count_events: %s", cause);
	return (n);
}

/* Add n events numbered from first, so their text can be checked later. */
static void
add_events(struct store *s, int64_t session, size_t first, size_t n)
{
	struct store_event	*ev;
	char			**text, *cause = NULL;
	size_t			 i;

	ev = xcalloc(n, sizeof *ev);
	text = xcalloc(n, sizeof *text);
	for (i = 0; i < n; i++) {
		text[i] = xasprintf("event %zu", first + i);
		ev[i].t_ms = (int64_t)(first + i) * 10;
		ev[i].kind = (i % 2 == 0) ? "observe" : "action";
		ev[i].actor = (i % 3 == 0) ? NULL : "player";
		ev[i].text = text[i];
	}
	if (store_events_add(s, session, ev, n, &cause) != 0)
		fail_msg("store_events_add: %s", cause);
	for (i = 0; i < n; i++)
		free(text[i]);
	free(text);
	free(ev);
}

static double
now_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
test_close_null(void **state)
{
	(void)state;
	store_close(NULL);
}

static void
test_open_memory(void **state)
{
	struct store	*s;
	int64_t		 id;

	(void)state;
	s = open_ok(":memory:", 0);
	assert_string_equal(store_path(s), ":memory:");
	assert_int_equal(count_sessions(s), 0);
	id = begin_ok(s, "alice");
	add_events(s, id, 1, 3);
	assert_int_equal(count_events(s, id), 3);
	assert_int_equal(count_sessions(s), 1);
	store_close(s);
}

static void
test_schema_version(void **state)
{
	struct store	*s;
	sqlite3		*db;
	char		*path;

	path = tmp_path(state, "schema.db");
	s = open_ok(path, 0);
	store_close(s);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 3);
	/* "FDrl": what tells our files from everybody else's. */
	assert_int_equal(raw_int(db, "PRAGMA application_id"), STORE_APP_ID);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('players', 'sessions', "
	    "'events', 'scores', 'checkpoints', 'postmortems')"), 6);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND tbl_name = 'events' AND sql LIKE "
	    "'%session_id, seq%'"), 1);
	raw_close(db);

	/* Opening again finds the schema current and changes nothing. */
	s = open_ok(path, 0);
	assert_int_equal(count_sessions(s), 0);
	store_close(s);
	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 3);
	raw_close(db);
	free(path);
}

static void
test_lifecycle(void **state)
{
	struct store		*s;
	struct store_result	 sr = sample_result();
	sqlite3			*db;
	char			*path, *v, *cause = NULL;
	int64_t			 id, other;

	path = tmp_path(state, "life.db");
	s = open_ok(path, 0);
	id = begin_ok(s, "alice");

	/* Running sessions are visible to readers while the store is open. */
	db = raw_open(path);
	v = raw_text(db, "SELECT outcome FROM sessions");
	assert_string_equal(v, "running");
	free(v);
	raw_close(db);

	/* Two calls: the second continues the numbering of the first. */
	add_events(s, id, 1, 600);
	add_events(s, id, 601, 400);
	assert_int_equal(count_events(s, id), 1000);

	/* Another session's numbering is its own. */
	other = begin_ok(s, "bob");
	add_events(s, other, 1, 5);
	assert_int_equal(count_events(s, other), 5);
	assert_int_equal(count_events(s, id), 1000);

	if (store_session_end(s, id, &sr, &cause) != 0)
		fail_msg("store_session_end: %s", cause);
	assert_int_equal(count_sessions(s), 2);

	/* Ending again replaces the score rather than adding one. */
	sr.score_total = 713;
	if (store_session_end(s, id, &sr, &cause) != 0)
		fail_msg("store_session_end: %s", cause);
	store_close(s);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "SELECT min(seq) FROM events "
	    "WHERE session_id = 1"), 1);
	assert_int_equal(raw_int(db, "SELECT max(seq) FROM events "
	    "WHERE session_id = 1"), 1000);
	assert_int_equal(raw_int(db, "SELECT count(DISTINCT seq) FROM events "
	    "WHERE session_id = 1"), 1000);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM events WHERE "
	    "session_id = 1 AND text = 'event ' || seq AND t_ms = seq * 10"),
	    1000);
	assert_int_equal(raw_int(db, "SELECT max(seq) FROM events "
	    "WHERE session_id = 2"), 5);
	assert_int_equal((uint64_t)raw_int(db, "SELECT seed FROM sessions "
	    "WHERE id = 1"), UINT64_C(0xfedcba9876543210));
	assert_true(raw_int(db, "SELECT seed FROM sessions WHERE id = 1") < 0);

	v = raw_text(db, "SELECT outcome || ' ' || ended_at || ' ' || sim_ms "
	    "|| ' ' || state_hash FROM sessions WHERE id = 1");
	assert_string_equal(v, "won 1700000900 845000 9f2c");
	free(v);
	v = raw_text(db, "SELECT outcome FROM sessions WHERE id = 2");
	assert_string_equal(v, "running");
	free(v);

	assert_int_equal(raw_int(db, "SELECT count(*) FROM scores"), 1);
	v = raw_text(db, "SELECT version || ' ' || total || ' ' || grade || "
	    "' ' || detect_ms || ' ' || triage_ms || ' ' || "
	    "budget_burned_pct || ' ' || breakdown_json FROM scores");
	assert_string_equal(v, "1 713 B 1500 4000 37.5 {\"detect\":180}");
	free(v);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM scores WHERE "
	    "mitigate_ms IS NULL AND fix_ms IS NULL"), 1);

	v = raw_text(db, "SELECT group_concat(name) FROM (SELECT name FROM "
	    "players ORDER BY id)");
	assert_string_equal(v, "alice,bob");
	free(v);

	/* The cascade works, so foreign keys are declared as documented. */
	raw_exec(db, "PRAGMA foreign_keys = ON");
	raw_exec(db, "DELETE FROM sessions WHERE id = 1");
	assert_int_equal(raw_int(db, "SELECT count(*) FROM events"), 5);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM scores"), 0);
	raw_close(db);
	free(path);
}

static void
test_wal(void **state)
{
	struct store	*s;
	struct stat	 sb;
	sqlite3		*db;
	char		*path, *wal, *v;

	path = tmp_path(state, "wal.db");
	wal = tmp_path(state, "wal.db-wal");
	s = open_ok(path, 0);
	begin_ok(s, "alice");
	assert_int_equal(stat(wal, &sb), 0);

	db = raw_open(path);
	v = raw_text(db, "PRAGMA journal_mode");
	assert_string_equal(v, "wal");
	free(v);
	raw_close(db);
	store_close(s);
	free(wal);
	free(path);
}

static void
test_reopen(void **state)
{
	struct store	*s;
	sqlite3		*db;
	char		*path;

	path = tmp_path(state, "reopen.db");
	s = open_ok(path, 0);
	begin_ok(s, "alice");
	begin_ok(s, "alice");
	begin_ok(s, "bob");
	store_close(s);

	s = open_ok(path, 0);
	assert_int_equal(count_sessions(s), 3);
	begin_ok(s, "alice");
	assert_int_equal(count_sessions(s), 4);
	store_close(s);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM players"), 2);
	assert_int_equal(raw_int(db, "SELECT created_at FROM players WHERE "
	    "name = 'alice'"), 1700000000);
	raw_close(db);
	free(path);
}

static void
test_missing_dir(void **state)
{
	struct tmp	*t = *state;
	struct store	*s;
	struct stat	 sb;
	char		*path, *want, *cause = NULL, *dir;

	path = tmp_path(state, "a/b/x.db");
	s = store_open(path, 0, &cause);
	assert_null(s);
	assert_non_null(cause);
	want = xasprintf("cannot open database %s: directory %s/a/b does not "
	    "exist", path, t->dir);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	dir = tmp_path(state, "a");
	assert_int_not_equal(stat(dir, &sb), 0);
	free(dir);

	s = open_ok(path, 1);
	store_close(s);
	assert_int_equal(stat(path, &sb), 0);
	dir = tmp_path(state, "a");
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(dir);
	dir = tmp_path(state, "a/b");
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(dir);
	free(path);

	/* A directory that is already there keeps its mode. */
	dir = tmp_path(state, "c");
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	path = tmp_path(state, "c/d/x.db");
	s = open_ok(path, 1);
	store_close(s);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0755);
	free(dir);
	dir = tmp_path(state, "c/d");
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(dir);
	free(path);
}

static void
test_locked(void **state)
{
	struct store		*s;
	struct store_session	 ss = sample_session("alice");
	struct store_event	 ev = { 5, "observe", "player", "look", 0, 0, NULL,
	    NULL };
	sqlite3			*db;
	char			*path, *want, *cause = NULL;
	int64_t			 id, id2;
	double			 t0;

	/* Writers wait their turn; this test need not wait 15 s. */
	setenv("FIREDRILL_BUSY_MS", "300", 1);
	path = tmp_path(state, "locked.db");
	want = xasprintf("database %s is locked by another process", path);
	s = open_ok(path, 0);
	id = begin_ok(s, "alice");

	db = raw_open(path);
	raw_exec(db, "BEGIN EXCLUSIVE");

	t0 = now_seconds();
	assert_int_equal(store_session_begin(s, &ss, &id2, &cause), -1);
	assert_true(now_seconds() - t0 < 10.0);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "locked"));
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	t0 = now_seconds();
	assert_int_equal(store_events_add(s, id, &ev, 1, &cause), -1);
	assert_true(now_seconds() - t0 < 10.0);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* Once the other writer is gone, everything works again. */
	raw_exec(db, "ROLLBACK");
	raw_close(db);
	assert_int_equal(count_sessions(s), 1);
	assert_int_equal(count_events(s, id), 0);
	add_events(s, id, 1, 2);
	assert_int_equal(count_events(s, id), 2);
	begin_ok(s, "alice");
	assert_int_equal(count_sessions(s), 2);
	store_close(s);
	free(want);
	free(path);
	unsetenv("FIREDRILL_BUSY_MS");
}

static void
test_readonly(void **state)
{
	struct tmp	*t = *state;
	struct store	*s;
	char		*path, *want, *cause = NULL;

	path = tmp_path(state, "ro.db");
	s = open_ok(path, 0);
	begin_ok(s, "alice");
	store_close(s);
	assert_int_equal(chmod(path, 0444), 0);

	s = store_open(path, 0, &cause);
	if (geteuid() == 0) {
		/* Permissions do not bind root; either answer is fine. */
		store_close(s);
		free(cause);
	} else {
		assert_null(s);
		want = xasprintf("database %s is read-only", path);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
	}
	cause = NULL;

	/* A writable file in a directory nobody may write. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chmod(t->dir, 0555), 0);
	s = store_open(path, 0, &cause);
	if (geteuid() == 0) {
		store_close(s);
		free(cause);
	} else {
		assert_null(s);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "read-only"));
		free(cause);
	}
	cause = NULL;
	free(path);

	/* A new database in that directory cannot be made. */
	path = tmp_path(state, "new.db");
	s = store_open(path, 0, &cause);
	if (geteuid() == 0) {
		store_close(s);
		free(cause);
	} else {
		assert_null(s);
		want = xasprintf("cannot create database %s: directory %s is "
		    "not writable", path, t->dir);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
	}
	assert_int_equal(chmod(t->dir, 0700), 0);
	free(path);
}

static void
test_garbage(void **state)
{
	struct store	*s;
	FILE		*f;
	char		*path, *want, *cause = NULL;
	int		 i;

	path = tmp_path(state, "garbage.db");
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < 512; i++)
		fputs("this is not a database\n", f);
	assert_int_equal(fclose(f), 0);

	s = store_open(path, 0, &cause);
	assert_null(s);
	want = xasprintf("%s is not a firedrill database (not an SQLite "
	    "file)", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);
}

static void
test_foreign(void **state)
{
	struct store	*s;
	sqlite3		*db;
	char		*path, *cause = NULL;

	path = tmp_path(state, "foreign.db");
	db = raw_open(path);
	raw_exec(db, "CREATE TABLE notes (x TEXT)");
	raw_close(db);

	s = store_open(path, 0, &cause);
	assert_null(s);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "not a firedrill database"));
	free(cause);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master"), 1);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 0);
	raw_close(db);
	free(path);
}

static void
test_newer(void **state)
{
	struct store	*s;
	sqlite3		*db;
	char		*path, *want, *cause = NULL;

	path = tmp_path(state, "newer.db");
	db = raw_open(path);
	raw_exec(db, "PRAGMA user_version = 99");
	raw_close(db);

	s = store_open(path, 0, &cause);
	assert_null(s);
	want = xasprintf("database %s was made by a newer firedrill (schema "
	    "version 99, this one knows %d)", path, STORE_SCHEMA_VERSION);
	assert_string_equal(cause, want);
	free(want);
	free(cause);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 99);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master"), 0);
	raw_close(db);
	free(path);
}

static void
test_no_session(void **state)
{
	struct store		*s;
	struct store_event	 ev = { 5, "observe", "player", "look", 0, 0, NULL,
	    NULL };
	struct store_result	 sr = sample_result();
	char			*cause = NULL;

	(void)state;
	s = open_ok(":memory:", 0);
	assert_int_equal(store_events_add(s, 42, &ev, 1, &cause), -1);
	assert_string_equal(cause, "database :memory: has no session 42");
	free(cause);
	cause = NULL;
	assert_int_equal(store_session_end(s, 42, &sr, &cause), -1);
	assert_string_equal(cause, "database :memory: has no session 42");
	free(cause);
	assert_int_equal(count_events(s, 42), 0);
	assert_int_equal(count_sessions(s), 0);
	store_close(s);
}

/* Set or unset (value NULL) an environment variable. */
static void
env_set(const char *name, const char *value)
{
	if (value == NULL)
		assert_int_equal(unsetenv(name), 0);
	else
		assert_int_equal(setenv(name, value, 1), 0);
}

static void
check_default(const char *want)
{
	char	*path, *cause = NULL;

	path = store_default_path(&cause);
	if (want == NULL) {
		assert_null(path);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "HOME"));
		free(cause);
		return;
	}
	assert_non_null(path);
	assert_string_equal(path, want);
	free(path);
}

static void
test_default_path(void **state)
{
	static const char	*names[] = {
		"FIREDRILL_DB", "XDG_DATA_HOME", "HOME"
	};
	char			*saved[3];
	const char		*v;
	size_t			 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		v = getenv(names[i]);
		saved[i] = (v == NULL) ? NULL : xstrdup(v);
	}

	env_set("FIREDRILL_DB", "/srv/fd/drill.db");
	env_set("XDG_DATA_HOME", "/xdg");
	env_set("HOME", "/home/u");
	check_default("/srv/fd/drill.db");

	env_set("FIREDRILL_DB", "");
	check_default("/xdg/firedrill/firedrill.db");
	env_set("FIREDRILL_DB", NULL);
	check_default("/xdg/firedrill/firedrill.db");

	env_set("XDG_DATA_HOME", "relative/data");
	check_default("/home/u/.local/share/firedrill/firedrill.db");
	env_set("XDG_DATA_HOME", "");
	check_default("/home/u/.local/share/firedrill/firedrill.db");
	env_set("XDG_DATA_HOME", NULL);
	check_default("/home/u/.local/share/firedrill/firedrill.db");

	env_set("HOME", NULL);
	check_default(NULL);
	env_set("HOME", "");
	check_default(NULL);
	env_set("FIREDRILL_DB", "rel.db");
	check_default("rel.db");

	for (i = 0; i < 3; i++) {
		env_set(names[i], saved[i]);
		free(saved[i]);
	}
}

/* The whole of a file, NUL-terminated.  Caller frees. */
static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*v;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	v = xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(v, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return (v);
}

/* A fixture of tests/data: $TESTS_SRCDIR (set by make check) or ../tests. */
static char *
data_path(const char *name)
{
	const char	*dir = getenv("TESTS_SRCDIR");

	if (dir == NULL || *dir == '\0')
		dir = "../tests";
	return (xasprintf("%s/data/%s", dir, name));
}

static struct stored_session *
load_ok(struct store *s, int64_t id)
{
	struct stored_session	*ss;
	char			*cause = NULL;

	ss = xcalloc(1, sizeof *ss);
	if (store_session_load(s, id, ss, &cause) != 0)
		fail_msg("store_session_load %lld: %s", (long long)id, cause);
	return (ss);
}

static void
load_free(struct stored_session *ss)
{
	stored_session_free(ss);
	free(ss);
}

static void
test_migrate_v1(void **state)
{
	static const struct {
		enum ev_kind	 kind;
		long		 t_ms;
		const char	*actor, *text;
	} want[] = {
		{ EV_START, 0, "system", "db-pool-exhaustion" },
		{ EV_ALERT_FIRED, 90000, "system", "ALRT-POOL" },
		{ EV_COMMAND, 95000, "player", "ack ALRT-POOL" },
		{ EV_PHASE, 95000, "system", "DETECT" },
		{ EV_COMMAND, 140000, "player", "breaker open order->payment" },
		{ EV_END, 845000, "system", "won" },
	};
	struct store		*s;
	struct stored_session	*ss;
	struct store_result	 sr = sample_result();
	sqlite3			*db;
	char			*path, *file, *sql;
	int64_t			 id;
	size_t			 i;

	/* The database exactly as firedrill 0.1 left it. */
	path = tmp_path(state, "v1.db");
	file = data_path("schema-v1.sql");
	sql = slurp(file);
	db = raw_open(path);
	raw_exec(db, sql);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 1);
	raw_close(db);
	free(sql);
	free(file);

	s = open_ok(path, 0);
	assert_int_equal(count_sessions(s), 1);
	assert_int_equal(count_events(s, 1), 6);

	ss = load_ok(s, 1);
	assert_int_equal(ss->id, 1);
	assert_string_equal(ss->player, "alice");
	assert_string_equal(ss->incident, "db-pool-exhaustion");
	assert_true(ss->seed == 42);
	assert_string_equal(ss->engine_version, "0.1.0");
	assert_int_equal(ss->api_version, 1);
	assert_string_equal(ss->mode, "run");
	assert_string_equal(ss->outcome, "won");
	assert_int_equal(ss->started_at, 1700000000);
	assert_int_equal(ss->ended_at, 1700000900);
	assert_int_equal(ss->sim_ms, 845000);
	assert_string_equal(ss->state_hash, "9f2c");
	/* Columns schema 2 added: absent, with their defaults. */
	assert_null(ss->source);
	assert_int_equal(ss->parent_id, 0);
	assert_int_equal(ss->branch_ms, -1);
	assert_int_equal(ss->every_ms, 0);
	assert_int_equal(ss->nhashes, 0);
	assert_int_equal(ss->pm.n, 0);
	/* The score. */
	assert_int_equal(ss->scored, 1);
	assert_int_equal(ss->score_version, 1);
	assert_int_equal(ss->score_total, 712);
	assert_string_equal(ss->grade, "B");
	assert_int_equal(ss->phase_ms[0], 5000);
	assert_int_equal(ss->phase_ms[1], 240000);
	assert_int_equal(ss->phase_ms[2], -1);
	assert_int_equal(ss->phase_ms[3], -1);
	assert_true(ss->budget_burned_pct == 37.5);
	assert_string_equal(ss->score_json, "{\"detect\":100}");
	/* The events, in order; arg and val default to 0. */
	assert_int_equal(ss->tl.n, (int)(sizeof want / sizeof want[0]));
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct event *e = &ss->tl.v[i];

		assert_int_equal(e->kind, want[i].kind);
		assert_int_equal(e->t_ms, want[i].t_ms);
		assert_string_equal(e->actor, want[i].actor);
		assert_string_equal(e->text, want[i].text);
		assert_int_equal(e->arg, 0);
		assert_true(e->val == 0);
		assert_null(e->detail);
		assert_null(e->result);
	}
	load_free(ss);

	/* The most recent finished session is the old one. */
	ss = load_ok(s, 0);
	assert_int_equal(ss->id, 1);
	load_free(ss);

	/* A new session is recorded next to it. */
	id = begin_ok(s, "alice");
	assert_true(id > 1);
	add_events(s, id, 1, 3);
	sr.score_version = 2;
	{
		char *cause = NULL;

		if (store_session_end(s, id, &sr, &cause) != 0)
			fail_msg("store_session_end: %s", cause);
	}
	assert_int_equal(count_sessions(s), 2);
	ss = load_ok(s, id);
	assert_string_equal(ss->player, "alice");
	assert_string_equal(ss->incident, "disk-full-db");
	assert_int_equal(ss->tl.n, 3);
	assert_int_equal(ss->score_total, 712);
	assert_int_equal(ss->score_version, 2);
	load_free(ss);
	ss = load_ok(s, 1);
	assert_int_equal(ss->tl.n, 6);
	assert_int_equal(ss->score_version, 1);
	load_free(ss);
	store_close(s);

	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	/* One player row: alice was found, not created again. */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM players"), 1);
	raw_close(db);
	free(path);
}

static void
test_postmortem_roundtrip(void **state)
{
	struct store		*s;
	struct stored_session	*ss;
	struct store_result	 sr = sample_result();
	struct pm_answers	 pm = { 0 };
	char			*path, *cause = NULL;
	int64_t			 id;
	int			 i;

	path = tmp_path(state, "pm.db");
	s = open_ok(path, 0);
	id = begin_ok(s, "alice");
	if (store_session_end(s, id, &sr, &cause) != 0)
		fail_msg("store_session_end: %s", cause);
	pm_add(&pm, "root_cause", "systemic", "no breaker on payment", NULL,
	    NULL);
	pm_add(&pm, "action", "prevention", "Breaker on payment",
	    "platform team", "this week");
	pm_add(&pm, "action", "distractor", "Ban Friday deploys", NULL, NULL);
	pm_add(&pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	pm_add(&pm, "annotation", "detect", "pool \"100%\" at 1:30", NULL,
	    NULL);
	pm.filled = 1;
	if (store_postmortem_put(s, id, &pm, NULL, &cause) != 0)
		fail_msg("store_postmortem_put: %s", cause);
	store_close(s);

	s = open_ok(path, 0);
	ss = load_ok(s, id);
	assert_int_equal(ss->pm.n, pm.n);
	for (i = 0; i < pm.n; i++) {
#define SAME(f) do {							\
	if (pm.v[i].f == NULL)						\
		assert_null(ss->pm.v[i].f);				\
	else								\
		assert_string_equal(ss->pm.v[i].f, pm.v[i].f);		\
} while (0)
		SAME(part);
		SAME(key);
		SAME(text);
		SAME(owner);
		SAME(deadline);
#undef SAME
	}
	load_free(ss);

	/* Putting again replaces the rows. */
	pm_free(&pm);
	pm_add(&pm, "skipped", "actions", NULL, NULL, NULL);
	if (store_postmortem_put(s, id, &pm, NULL, &cause) != 0)
		fail_msg("store_postmortem_put: %s", cause);
	ss = load_ok(s, id);
	assert_int_equal(ss->pm.n, 1);
	assert_string_equal(ss->pm.v[0].part, "skipped");
	assert_string_equal(ss->pm.v[0].key, "actions");
	assert_null(ss->pm.v[0].text);
	load_free(ss);
	pm_free(&pm);
	store_close(s);
	free(path);
}

static void
test_checkpoints_roundtrip(void **state)
{
	static const uint64_t	 hashes[] = {
		0, 1, UINT64_C(0x8000000000000000), UINT64_C(0xffffffffffffffff),
		UINT64_C(0xdeadbeefcafef00d), UINT64_C(0x0123456789abcdef),
	};
	struct store		*s;
	struct stored_session	*ss;
	struct store_result	 sr = sample_result();
	char			*path, *cause = NULL;
	int64_t			 id, plain;
	size_t			 i;

	path = tmp_path(state, "ckpt.db");
	s = open_ok(path, 0);
	id = begin_ok(s, "alice");
	sr.every_ms = 5000;
	sr.hashes = hashes;
	sr.nhashes = sizeof hashes / sizeof hashes[0];
	if (store_session_end(s, id, &sr, &cause) != 0)
		fail_msg("store_session_end: %s", cause);
	/* A session without checkpoints has none. */
	plain = begin_ok(s, "bob");
	sr.every_ms = 0;
	sr.hashes = NULL;
	sr.nhashes = 0;
	if (store_session_end(s, plain, &sr, &cause) != 0)
		fail_msg("store_session_end: %s", cause);
	store_close(s);

	s = open_ok(path, 0);
	ss = load_ok(s, id);
	assert_int_equal(ss->every_ms, 5000);
	assert_int_equal(ss->nhashes, sizeof hashes / sizeof hashes[0]);
	for (i = 0; i < ss->nhashes; i++)
		if (ss->hashes[i] != hashes[i])
			fail_msg("hash %zu: %016llx, want %016llx", i,
			    (unsigned long long)ss->hashes[i],
			    (unsigned long long)hashes[i]);
	load_free(ss);
	ss = load_ok(s, plain);
	assert_int_equal(ss->every_ms, 0);
	assert_int_equal(ss->nhashes, 0);
	load_free(ss);
	store_close(s);
	free(path);
}


/*
 * A schema-1/2 database (no application_id) is ours by its tables: the
 * migration gives it our application_id, and a session its firedrill
 * left running (it wrote sessions whole at their end, so its process
 * died) becomes interrupted at the last event it reached.
 */
static void
test_migrate_running(void **state)
{
	struct store		*s;
	struct stored_session	 got;
	sqlite3			*db;
	char			*path, *file, *sql, *cause = NULL;

	path = tmp_path(state, "old.db");
	file = data_path("schema-v1.sql");
	sql = slurp(file);
	db = raw_open(path);
	raw_exec(db, sql);
	raw_exec(db, "INSERT INTO sessions (id, player_id, incident, seed,"
	    " started_at, outcome) VALUES (2, 1, 'bad-deploy', 1, 1700001000,"
	    " 'running')");
	raw_exec(db, "INSERT INTO events (session_id, seq, t_ms, kind, text)"
	    " VALUES (2, 1, 0, 'start', 'x'), (2, 2, 192000, 'info', 'y')");
	assert_int_equal(raw_int(db, "PRAGMA application_id"), 0);
	raw_close(db);
	free(sql);
	free(file);

	s = open_ok(path, 0);
	TU_OK(store_session_load(s, 2, &got, &cause), &cause);
	assert_string_equal(got.outcome, "interrupted");
	assert_int_equal(got.sim_ms, 192000);
	stored_session_free(&got);
	store_close(s);
	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA application_id"), STORE_APP_ID);
	assert_int_equal(raw_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	raw_close(db);
	free(path);
}

/* A WAL file of another program: refused with no side file made. */
static void
test_foreign_wal_untouched(void **state)
{
	struct store	*s;
	sqlite3		*db;
	struct stat	 sb;
	char		*path, *side, *cause = NULL;

	path = tmp_path(state, "other.db");
	db = raw_open(path);
	raw_exec(db, "PRAGMA journal_mode = WAL");
	raw_exec(db, "CREATE TABLE notes (x TEXT)");
	raw_close(db);

	s = store_open(path, 0, &cause);
	assert_null(s);
	assert_non_null(strstr(cause, "not a firedrill database"));
	free(cause);
	side = xasprintf("%s-wal", path);
	assert_int_not_equal(stat(side, &sb), 0);
	free(side);
	side = xasprintf("%s-shm", path);
	assert_int_not_equal(stat(side, &sb), 0);
	free(side);

	/* Another program's application_id is enough to refuse. */
	db = raw_open(path);
	raw_exec(db, "DROP TABLE notes");
	raw_exec(db, "PRAGMA application_id = 7");
	raw_close(db);
	s = store_open(path, 0, &cause);
	assert_null(s);
	assert_non_null(strstr(cause, "another program"));
	free(cause);
	free(path);
}

/* A session whose process is gone is interrupted at the next open. */
static void
test_recover_interrupted(void **state)
{
	struct store		*s;
	struct store_session	 ss = sample_session("ada");
	struct store_batch	 b;
	struct stored_session	 got;
	struct store_event	 ev = { 4200, "command", "ada", "status", 0, 0,
	    NULL, "ok" };
	uint64_t		 h[3] = { 1, 2, 3 };
	char			*path, *host, *cause = NULL;
	int64_t			 id, live;
	int			 n;

	path = tmp_path(state, "recover.db");
	s = open_ok(path, 0);
	host = proc_host();
	ss.host = host;
	ss.uid = "dead";
	/* Beyond pid_max: no process has it. */
	ss.pid = INT64_C(0x7ffffffe);
	TU_OK(store_session_begin(s, &ss, &id, &cause), &cause);
	memset(&b, 0, sizeof b);
	b.ev = &ev;
	b.nev = 1;
	b.every_ms = 1000;
	b.hashes = h;
	b.nhashes = 3;
	b.sim_ms = 4200;
	TU_OK(store_session_batch(s, id, &b, &cause), &cause);
	b.nev = 0;
	b.hashes = h + 2;
	b.nhashes = 1;
	TU_OK(store_session_batch(s, id, &b, &cause), &cause);
	/* Ours, alive: left alone. */
	ss.uid = "live";
	ss.pid = (int64_t)getpid();
	TU_OK(store_session_begin(s, &ss, &live, &cause), &cause);
	store_close(s);

	s = open_ok(path, 0);
	TU_OK(store_session_load(s, id, &got, &cause), &cause);
	assert_string_equal(got.outcome, "interrupted");
	assert_int_equal(got.sim_ms, 4200);
	assert_int_equal(got.tl.n, 1);
	/* Checkpoints appended batch by batch, in order. */
	assert_int_equal(got.nhashes, 4);
	assert_int_equal(got.hashes[2], 3);
	assert_int_equal(got.hashes[3], 3);
	stored_session_free(&got);
	TU_OK(store_session_load(s, live, &got, &cause), &cause);
	assert_string_equal(got.outcome, "running");
	stored_session_free(&got);
	TU_OK(store_recover(s, &n, &cause), &cause);
	assert_int_equal(n, 0);
	store_close(s);
	free(host);
	free(path);
}

static const char *import_doc =
    "{\"format\":\"firedrill-session\",\"version\":1,\"session\":{"
    "\"uid\":\"u1\",\"player\":\"ada\",\"incident\":\"bad-deploy\","
    "\"seed\":\"18446744073709551615\",\"engine_version\":\"0.1.0\","
    "\"api_version\":1,\"mode\":\"run\",\"started_at\":1700000000,"
    "\"ended_at\":1700000100,\"outcome\":\"won\",\"sim_ms\":5000,"
    "\"state_hash\":\"00000000000000ff\",\"source\":null,\"parent_id\":null,"
    "\"branch_ms\":null},\"events\":[{\"t_ms\":0,\"kind\":\"start\","
    "\"actor\":null,\"text\":\"go\",\"arg\":0,\"val\":0.5,\"detail\":null,"
    "\"result\":null},{\"t_ms\":1000,\"kind\":\"command\",\"actor\":\"ada\","
    "\"text\":\"status\",\"arg\":0,\"val\":0,\"detail\":null,"
    "\"result\":\"ok\"}],\"checkpoints\":{\"every_ms\":1000,\"hashes\":"
    "\"00000000000000010000000000000002\"},\"score\":{\"version\":2,"
    "\"total\":900,\"grade\":\"A\",\"detect_ms\":10,\"triage_ms\":null,"
    "\"mitigate_ms\":null,\"fix_ms\":null,\"budget_burned_pct\":1.5,"
    "\"breakdown\":{\"x\":1}},\"postmortem\":[{\"part\":\"monitor\","
    "\"key\":null,\"text\":\"m\",\"owner\":null,\"deadline\":null}]}";

static void
test_import(void **state)
{
	struct store		*s;
	struct stored_session	 got;
	char			*path, *cause = NULL, *bad;
	int64_t			 id, id2;

	path = tmp_path(state, "import.db");
	s = open_ok(path, 0);
	TU_OK(store_import(s, import_doc, "f.json", &id, &cause), &cause);
	TU_OK(store_session_load(s, id, &got, &cause), &cause);
	assert_string_equal(got.outcome, "won");
	assert_true(got.seed == UINT64_MAX);
	assert_int_equal(got.tl.n, 2);
	assert_string_equal(got.tl.v[1].result, "ok");
	assert_int_equal(got.nhashes, 2);
	assert_int_equal(got.hashes[1], 2);
	assert_int_equal(got.score_total, 900);
	assert_int_equal(got.pm.n, 1);
	stored_session_free(&got);

	/* Once only. */
	assert_int_equal(store_import(s, import_doc, "f.json", &id2, &cause),
	    -1);
	assert_non_null(strstr(cause, "already in"));
	free(cause);
	cause = NULL;

	/* Bad files: one line, nothing written. */
	assert_int_equal(store_import(s, "{", "g.json", &id2, &cause), -1);
	assert_string_equal(cause, "g.json: not valid JSON");
	free(cause);
	cause = NULL;
	assert_int_equal(store_import(s, "{\"a\":1}", "g.json", &id2, &cause),
	    -1);
	assert_non_null(strstr(cause, "not a firedrill session"));
	free(cause);
	cause = NULL;
	bad = xstrdup(import_doc);
	memcpy(strstr(bad, "\"t_ms\":1000"), "\"t_ms\":\"xx\"", 11);
	assert_int_equal(store_import(s, bad, "g.json", &id2, &cause), -1);
	assert_string_equal(cause, "g.json: $.events[1] is missing or of the"
	    " wrong type");
	free(cause);
	free(bad);
	assert_int_equal(count_sessions(s), 1);
	store_close(s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_close_null),
		cmocka_unit_test(test_open_memory),
		cmocka_unit_test_setup_teardown(test_schema_version,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_wal,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_reopen,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_locked,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_readonly,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_garbage,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_foreign,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_newer,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_no_session),
		cmocka_unit_test_setup_teardown(test_migrate_v1,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_postmortem_roundtrip,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints_roundtrip,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test_setup_teardown(test_migrate_running,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_foreign_wal_untouched,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_recover_interrupted,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_import,
		    tmp_setup, tmp_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
