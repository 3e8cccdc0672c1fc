/*
 * The session store: players, sessions, their event timelines and scores,
 * kept in one SQLite database.  This is the only file that may include
 * sqlite3.h.  It must never print, exit or abort on an expected failure:
 * every such failure returns -1 or NULL with a one-line cause the caller
 * shows and frees.
 */

#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/proc.h"
#include "util/xmalloc.h"

/*
 * How long to wait for another process's write lock before giving up:
 * long enough for twenty writers taking turns with their batches.
 * $FIREDRILL_BUSY_MS overrides it (the fault tests use a short one).
 */
#define STORE_BUSY_MS	15000

/*
 * Statements are prepared on first use and kept until store_close, so the
 * event loop does not parse SQL for every row.
 */
enum store_stmt_id {
	ST_JOURNAL_WAL,
	ST_USER_VERSION,
	ST_SCHEMA_SIZE,
	ST_PLAYER_ADD,
	ST_SESSION_ADD,
	ST_EVENT_NEXT,
	ST_EVENT_ADD,
	ST_SESSION_END,
	ST_SCORE_PUT,
	ST_COUNT_SESSIONS,
	ST_COUNT_EVENTS,
	ST_INCIDENT_BEST,
	ST_SESSION_SOURCE,
	ST_CHECKPOINTS_PUT,
	ST_SESSION_GET,
	ST_SESSION_LATEST,
	ST_EVENTS_GET,
	ST_CHECKPOINTS_GET,
	ST_PM_CLEAR,
	ST_PM_ADD,
	ST_PM_GET,
	ST_SESSION_WHO,
	ST_CHECKPOINTS_ADD,
	ST_SESSION_SIM,
	ST_RUNNING,
	ST_INTERRUPT,
	ST_UID_FIND,
	ST_HISTORY,
	ST_BEST,
	ST_STATS,
	ST_STATS_PHASE,
	ST__COUNT
};

static const char *store_sql[ST__COUNT] = {
	[ST_JOURNAL_WAL] = "PRAGMA journal_mode = WAL",
	[ST_SESSION_WHO] =
	    "UPDATE sessions SET uid = ?2, pid = ?3, host = ?4, proc_start = ?5"
	    " WHERE id = ?1",
	/* Checkpoints grow batch by batch; the blob stays a blob. */
	[ST_CHECKPOINTS_ADD] =
	    "INSERT INTO checkpoints (session_id, every_ms, hashes)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (session_id) DO UPDATE SET"
	    " hashes = CAST(hashes || excluded.hashes AS BLOB)",
	[ST_SESSION_SIM] = "UPDATE sessions SET sim_ms = ?2 WHERE id = ?1",
	[ST_RUNNING] =
	    "SELECT id, pid, host, proc_start FROM sessions"
	    " WHERE outcome = 'running'",
	[ST_INTERRUPT] =
	    "UPDATE sessions SET outcome = 'interrupted', sim_ms ="
	    " coalesce(sim_ms, (SELECT max(t_ms) FROM events"
	    " WHERE session_id = ?1), 0) WHERE id = ?1 AND outcome = 'running'",
	[ST_UID_FIND] = "SELECT id, outcome FROM sessions WHERE uid = ?1",
	[ST_USER_VERSION] = "PRAGMA user_version",
	[ST_SCHEMA_SIZE] = "SELECT count(*) FROM sqlite_master",
	[ST_PLAYER_ADD] =
	    "INSERT INTO players (name, created_at) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO NOTHING",
	[ST_SESSION_ADD] =
	    "INSERT INTO sessions (player_id, incident, seed, engine_version,"
	    " api_version, mode, started_at, outcome) VALUES"
	    " ((SELECT id FROM players WHERE name = ?1), ?2, ?3, ?4, ?5, ?6,"
	    " ?7, 'running')",
	[ST_EVENT_NEXT] =
	    "SELECT (SELECT count(*) FROM sessions WHERE id = ?1),"
	    " (SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?1)",
	[ST_EVENT_ADD] =
	    "INSERT INTO events (session_id, seq, t_ms, kind, actor, text, arg,"
	    " val, detail, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10)",
	[ST_SESSION_END] =
	    "UPDATE sessions SET ended_at = ?2, outcome = ?3, sim_ms = ?4,"
	    " state_hash = ?5 WHERE id = ?1",
	[ST_SCORE_PUT] =
	    "INSERT OR REPLACE INTO scores (session_id, version, total, grade,"
	    " detect_ms, triage_ms, mitigate_ms, fix_ms, budget_burned_pct,"
	    " breakdown_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_COUNT_SESSIONS] = "SELECT count(*) FROM sessions",
	[ST_COUNT_EVENTS] = "SELECT count(*) FROM events WHERE session_id = ?1",
	[ST_INCIDENT_BEST] =
	    "SELECT count(*), max(c.total), (SELECT c2.grade FROM scores c2"
	    " JOIN sessions s2 ON s2.id = c2.session_id WHERE s2.incident = ?1"
	    " ORDER BY c2.total DESC LIMIT 1) FROM sessions s LEFT JOIN scores c"
	    " ON c.session_id = s.id WHERE s.incident = ?1 AND s.outcome IS NOT"
	    " NULL AND s.outcome NOT IN ('running', 'interrupted')",
	[ST_SESSION_SOURCE] =
	    "UPDATE sessions SET source = ?2, parent_id = ?3, branch_ms = ?4"
	    " WHERE id = ?1",
	[ST_CHECKPOINTS_PUT] =
	    "INSERT OR REPLACE INTO checkpoints (session_id, every_ms, hashes)"
	    " VALUES (?1, ?2, ?3)",
	[ST_SESSION_GET] =
	    "SELECT s.id, p.name, s.incident, s.seed, s.engine_version,"
	    " s.api_version, s.mode, s.started_at, s.ended_at, s.outcome,"
	    " s.sim_ms, s.state_hash, s.source, s.parent_id, s.branch_ms,"
	    " c.version, c.total, c.grade, c.detect_ms, c.triage_ms,"
	    " c.mitigate_ms, c.fix_ms, c.budget_burned_pct, c.breakdown_json,"
	    " s.uid FROM sessions s JOIN players p ON p.id = s.player_id"
	    " LEFT JOIN scores c ON c.session_id = s.id WHERE s.id = ?1",
	[ST_SESSION_LATEST] =
	    "SELECT id FROM sessions WHERE outcome IS NOT NULL AND"
	    " outcome <> 'running' ORDER BY started_at DESC, id DESC LIMIT 1",
	[ST_EVENTS_GET] =
	    "SELECT t_ms, kind, actor, text, arg, val, detail, result"
	    " FROM events WHERE session_id = ?1 ORDER BY seq",
	[ST_CHECKPOINTS_GET] =
	    "SELECT every_ms, hashes FROM checkpoints WHERE session_id = ?1",
	[ST_PM_CLEAR] = "DELETE FROM postmortems WHERE session_id = ?1",
	[ST_PM_ADD] =
	    "INSERT INTO postmortems (session_id, seq, part, key, text, owner,"
	    " deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_PM_GET] =
	    "SELECT part, key, text, owner, deadline FROM postmortems"
	    " WHERE session_id = ?1 ORDER BY seq",
	/* The history queries read schema-1 columns only. */
	[ST_HISTORY] =
	    "SELECT s.id, s.started_at, p.name, s.incident, s.mode, s.outcome,"
	    " s.seed, s.sim_ms, c.total, c.grade, c.detect_ms, c.triage_ms,"
	    " c.mitigate_ms, c.fix_ms FROM sessions s"
	    " JOIN players p ON p.id = s.player_id"
	    " LEFT JOIN scores c ON c.session_id = s.id"
	    " WHERE ?1 IS NULL OR s.incident = ?1"
	    " ORDER BY s.started_at DESC, s.id DESC LIMIT ?2",
	[ST_BEST] =
	    "SELECT s.id, s.seed, c.total, c.grade, c.detect_ms, c.triage_ms,"
	    " c.mitigate_ms, c.fix_ms FROM sessions s"
	    " JOIN scores c ON c.session_id = s.id"
	    " JOIN players p ON p.id = s.player_id"
	    " WHERE s.incident = ?1 AND (?2 IS NULL OR s.seed = ?2)"
	    " AND (?3 IS NULL OR p.name = ?3)"
	    " ORDER BY c.total DESC, s.started_at, s.id LIMIT 1",
	/*
	 * ?1 is a JSON array of incident ids, or NULL for all.  Signals are
	 * read only from valid JSON: one damaged breakdown must not fail
	 * the whole query.  A missing signals object is NULL, which count()
	 * and avg() skip: old sessions are "no data", not zero stars.
	 */
	[ST_STATS] =
	    "SELECT count(*), min(nullif(instr('SABCD', c.grade), 0)),"
	    " max(c.total), count(j.sig),"
	    " avg(json_extract(j.sig, '$.systematic.stars')),"
	    " avg(json_extract(j.sig, '$.mitigation.stars')),"
	    " avg(json_extract(j.sig, '$.blast_radius.stars')),"
	    " avg(json_extract(j.sig, '$.prevention.stars')),"
	    " avg(json_extract(j.sig, '$.blameless.stars')),"
	    " max(s.started_at) FROM sessions s"
	    " LEFT JOIN scores c ON c.session_id = s.id"
	    " LEFT JOIN (SELECT session_id, CASE WHEN json_valid(breakdown_json)"
	    " THEN json_extract(breakdown_json, '$.signals') END AS sig"
	    " FROM scores) j ON j.session_id = s.id"
	    " WHERE s.outcome IS NOT NULL"
	    " AND s.outcome NOT IN ('running', 'interrupted')"
	    " AND (?1 IS NULL OR s.incident IN (SELECT value FROM json_each(?1)))",
	[ST_STATS_PHASE] =
	    "SELECT t FROM (SELECT CASE ?2 WHEN 0 THEN c.detect_ms"
	    " WHEN 1 THEN c.triage_ms WHEN 2 THEN c.mitigate_ms"
	    " ELSE c.fix_ms END AS t FROM sessions s"
	    " JOIN scores c ON c.session_id = s.id"
	    " WHERE s.outcome IS NOT NULL"
	    " AND s.outcome NOT IN ('running', 'interrupted')"
	    " AND (?1 IS NULL OR s.incident IN (SELECT value FROM json_each(?1))))"
	    " WHERE t IS NOT NULL ORDER BY t",
};

/*
 * Schema migrations: entry n takes user_version n to n + 1.  Never edit a
 * released entry; add a new one and bump STORE_SCHEMA_VERSION.
 * data/schema.md describes the result for people using the sqlite3 shell.
 */
static const char *store_migrations[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE players ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT UNIQUE NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  player_id INTEGER NOT NULL REFERENCES players (id),"
	"  incident TEXT NOT NULL,"
	"  seed INTEGER NOT NULL,"
	"  engine_version TEXT,"
	"  api_version INTEGER,"
	"  mode TEXT,"
	"  started_at INTEGER,"
	"  ended_at INTEGER,"
	"  outcome TEXT,"
	"  sim_ms INTEGER,"
	"  state_hash TEXT"
	");"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  session_id INTEGER NOT NULL"
	"    REFERENCES sessions (id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  t_ms INTEGER NOT NULL,"
	"  kind TEXT,"
	"  actor TEXT,"
	"  text TEXT"
	");"
	"CREATE UNIQUE INDEX events_session_seq ON events (session_id, seq);"
	"CREATE TABLE scores ("
	"  session_id INTEGER PRIMARY KEY"
	"    REFERENCES sessions (id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  grade TEXT,"
	"  detect_ms INTEGER,"
	"  triage_ms INTEGER,"
	"  mitigate_ms INTEGER,"
	"  fix_ms INTEGER,"
	"  budget_burned_pct REAL,"
	"  breakdown_json TEXT"
	");",
	/* 1 -> 2: what replay, the debrief and history need */
	"ALTER TABLE events ADD COLUMN arg INTEGER;"
	"ALTER TABLE events ADD COLUMN val REAL;"
	"ALTER TABLE events ADD COLUMN detail TEXT;"
	"ALTER TABLE events ADD COLUMN result TEXT;"
	"ALTER TABLE sessions ADD COLUMN source TEXT;"
	"ALTER TABLE sessions ADD COLUMN parent_id INTEGER"
	"  REFERENCES sessions (id) ON DELETE SET NULL;"
	"ALTER TABLE sessions ADD COLUMN branch_ms INTEGER;"
	"CREATE INDEX sessions_incident ON sessions (incident, started_at);"
	"CREATE TABLE checkpoints ("
	"  session_id INTEGER PRIMARY KEY"
	"    REFERENCES sessions (id) ON DELETE CASCADE,"
	"  every_ms INTEGER NOT NULL,"
	"  hashes BLOB NOT NULL"
	");"
	"CREATE TABLE postmortems ("
	"  session_id INTEGER NOT NULL"
	"    REFERENCES sessions (id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  part TEXT NOT NULL,"
	"  key TEXT,"
	"  text TEXT,"
	"  owner TEXT,"
	"  deadline TEXT,"
	"  PRIMARY KEY (session_id, seq)"
	");",
	/*
	 * 2 -> 3: recorded as it goes, so who is recording; a uid so an
	 * exported session is imported once; our application_id.  Schema-2
	 * firedrill wrote a session whole at its end, so a row still
	 * running is one whose process died: interrupted.
	 */
	"ALTER TABLE sessions ADD COLUMN uid TEXT;"
	"ALTER TABLE sessions ADD COLUMN pid INTEGER;"
	"ALTER TABLE sessions ADD COLUMN host TEXT;"
	"ALTER TABLE sessions ADD COLUMN proc_start TEXT;"
	"CREATE UNIQUE INDEX sessions_uid ON sessions (uid);"
	"UPDATE sessions SET outcome = 'interrupted', sim_ms = coalesce(sim_ms,"
	"  (SELECT max(t_ms) FROM events WHERE session_id = sessions.id), 0)"
	"  WHERE outcome = 'running' OR outcome IS NULL;"
	"PRAGMA application_id = 1178890860;",
};

struct store {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[ST__COUNT];
	int		 checked;	/* quick_check ran: 1 ok, -1 damaged */
	int		 busy;		/* the last failure was a lock */
	char		*damage;	/* why, when damaged */
};

static int	store_is_file(const char *);
static char	*store_parent(const char *);
static char	*store_why_unwritable(const char *);
static int	store_check(struct store *, int, const char *, char **);
static int	store_mkdirs(const char *, char **);
static int	store_check_dir(const char *, int, char **);
static int	store_stmt(struct store *, enum store_stmt_id, sqlite3_stmt **,
		    char **);
static void	store_stmt_done(struct store *, sqlite3_stmt *);
static int	store_exec(struct store *, const char *, const char *, char **);
static int	store_begin(struct store *, char **);
static int	store_commit(struct store *, char **);
static void	store_rollback(struct store *);
static int	store_query_int(struct store *, enum store_stmt_id, int64_t,
		    int64_t *, const char *, char **);
static int	store_use_wal(struct store *, char **);
static int	store_migrate(struct store *, char **);
static int	store_migrate_step(struct store *, int *, char **);
static int64_t	store_seed_bits(uint64_t);

/* Whether path names a file on disk rather than a memory or temp database. */
static int
store_is_file(const char *path)
{
	return (*path != '\0' && strcmp(path, ":memory:") != 0);
}

/* The directory holding path, without a trailing slash.  Caller frees. */
static char *
store_parent(const char *path)
{
	const char	*end;

	if ((end = strrchr(path, '/')) == NULL)
		return (xstrdup("."));
	while (end > path && end[-1] == '/')
		end--;
	if (end == path)
		return (xstrdup("/"));
	return (xstrndup(path, end - path));
}

/*
 * Look at the file system to explain why SQLite could not open or write
 * path.  NULL if nothing there explains it.
 */
static char *
store_why_unwritable(const char *path)
{
	struct stat	 sb;
	char		*dir, *why = NULL;

	if (!store_is_file(path))
		return (NULL);
	dir = store_parent(path);
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			why = xasprintf("cannot open database %s: it is a "
			    "directory", path);
		} else if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
			why = xasprintf("database %s is read-only", path);
		else if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) != 0) {
			why = xasprintf("database %s is read-only (directory "
			    "%s is not writable)", path, dir);
		}
	} else if (errno == ENOENT &&
	    faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) != 0) {
		why = xasprintf("cannot create database %s: directory %s is "
		    "not writable", path, dir);
	}
	free(dir);
	return (why);
}

/*
 * Every SQLite return code goes through here.  Success (OK, ROW or DONE)
 * gives 0.  Anything else gives -1 and, when cause is not NULL, a message
 * saying what failed; what is the action being attempted ("add events").
 */
static int
store_check(struct store *s, int rc, const char *what, char **cause)
{
	const char	*msg;

	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return (0);
	s->busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	if (cause == NULL)
		return (-1);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		*cause = xasprintf("database %s is locked by another process",
		    s->path);
		return (-1);
	case SQLITE_NOTADB:
		*cause = xasprintf("%s is not a firedrill database (%s)",
		    s->path, sqlite3_errstr(rc));
		return (-1);
	case SQLITE_CORRUPT:
		*cause = xasprintf("database %s is damaged (%s); recover it"
		    " with: sqlite3 %s .recover | sqlite3 NEW.db", s->path,
		    sqlite3_errstr(rc), s->path);
		return (-1);
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		if ((*cause = store_why_unwritable(s->path)) != NULL)
			return (-1);
		if ((rc & 0xff) == SQLITE_READONLY) {
			*cause = xasprintf("database %s is read-only",
			    s->path);
			return (-1);
		}
		break;
	}

	if (s->db != NULL)
		msg = sqlite3_errmsg(s->db);
	else
		msg = sqlite3_errstr(rc);
	/* "disk I/O error" alone does not say "file too large" or "full". */
	if (s->db != NULL && ((rc & 0xff) == SQLITE_IOERR ||
	    (rc & 0xff) == SQLITE_FULL) && sqlite3_system_errno(s->db) != 0) {
		*cause = xasprintf("database %s: cannot %s: %s (%s)", s->path,
		    what, msg, strerror(sqlite3_system_errno(s->db)));
		return (-1);
	}
	*cause = xasprintf("database %s: cannot %s: %s", s->path, what, msg);
	return (-1);
}

/* Create the missing directories of dir, each with mode 0700. */
static int
store_mkdirs(const char *dir, char **cause)
{
	struct stat	 sb;
	char		*copy, *p, save;
	int		 error = 0;

	copy = xstrdup(dir);
	p = copy;
	for (;;) {
		while (*p == '/')
			p++;
		while (*p != '\0' && *p != '/')
			p++;
		save = *p;
		*p = '\0';

		if (stat(copy, &sb) == 0) {
			if (!S_ISDIR(sb.st_mode)) {
				*cause = xasprintf("cannot create directory "
				    "%s: %s exists and is not a directory",
				    dir, copy);
				error = -1;
				break;
			}
		} else if (errno != ENOENT) {
			*cause = xasprintf("cannot create directory %s: %s",
			    copy, strerror(errno));
			error = -1;
			break;
		} else if (mkdir(copy, 0700) == 0) {
			/* Exactly 0700 whatever the umask says. */
			if (chmod(copy, 0700) != 0) {
				*cause = xasprintf("cannot set mode of "
				    "directory %s: %s", copy, strerror(errno));
				error = -1;
				break;
			}
		} else if (errno != EEXIST) {
			*cause = xasprintf("cannot create directory %s: %s",
			    copy, strerror(errno));
			error = -1;
			break;
		}

		*p = save;
		if (save == '\0')
			break;
	}
	free(copy);
	return (error);
}

/* Make sure the directory for path is there, creating it if asked. */
static int
store_check_dir(const char *path, int create_dir, char **cause)
{
	struct stat	 sb;
	char		*dir;
	int		 error = -1;

	dir = store_parent(path);
	if (create_dir && store_mkdirs(dir, cause) != 0)
		goto out;

	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT) {
			*cause = xasprintf("cannot open database %s: "
			    "directory %s does not exist", path, dir);
		} else {
			*cause = xasprintf("cannot open database %s: "
			    "directory %s: %s", path, dir, strerror(errno));
		}
		goto out;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("cannot open database %s: %s is not a "
		    "directory", path, dir);
		goto out;
	}
	error = 0;

out:
	free(dir);
	return (error);
}

/* Get a kept statement, preparing it the first time. */
static int
store_stmt(struct store *s, enum store_stmt_id id, sqlite3_stmt **st,
    char **cause)
{
	int	rc;

	if (s->stmt[id] == NULL) {
		rc = sqlite3_prepare_v3(s->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
		if (store_check(s, rc, "prepare a query", cause) != 0)
			return (-1);
	}
	*st = s->stmt[id];
	return (0);
}

/*
 * Reset a statement after use so it holds no lock and no pointer into the
 * caller's strings.  A failed step has already been reported; reset only
 * repeats that code, so it is not turned into a second message.
 */
static void
store_stmt_done(struct store *s, sqlite3_stmt *st)
{
	(void)store_check(s, sqlite3_reset(st), NULL, NULL);
	(void)store_check(s, sqlite3_clear_bindings(st), NULL, NULL);
}

/* Run SQL that returns no rows. */
static int
store_exec(struct store *s, const char *sql, const char *what, char **cause)
{
	return (store_check(s, sqlite3_exec(s->db, sql, NULL, NULL, NULL),
	    what, cause));
}

/*
 * The gate before the first write of the process: a damaged database is
 * never written, whatever the write.  quick_check reads every page but
 * skips the index cross-checks, so it costs little next to a session.
 */
static int
store_may_write(struct store *s, char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*t;
	int			 rc;

	if (s->checked == 0) {
		s->checked = 1;
		rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st,
		    NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			t = sqlite3_column_text(st, 0);
			if (t == NULL || strcmp((const char *)t, "ok") != 0) {
				char *p;

				s->damage = xstrdup(t != NULL ?
				    (const char *)t : "no answer");
				/* The message stays one line. */
				for (p = s->damage; *p != '\0'; p++)
					if (*p == '\n' || *p == '\r')
						*p = ' ';
			}
		} else if ((rc & 0xff) == SQLITE_CORRUPT ||
		    (rc & 0xff) == SQLITE_NOTADB)
			s->damage = xstrdup(sqlite3_errstr(rc));
		else if (rc != SQLITE_DONE) {
			/* Not damage (read-only, I/O...): say what it is. */
			sqlite3_finalize(st);
			s->checked = 0;
			return (store_check(s, rc, "check the database",
			    cause));
		}
		sqlite3_finalize(st);
		if (s->damage != NULL)
			s->checked = -1;
	}
	if (s->checked > 0)
		return (0);
	if (cause != NULL)
		*cause = xasprintf("database %s is damaged (quick_check:"
		    " %.80s); nothing was written to it; recover it with:"
		    " sqlite3 %s .recover | sqlite3 NEW.db", s->path,
		    s->damage, s->path);
	return (-1);
}

static int
store_begin(struct store *s, char **cause)
{
	if (store_may_write(s, cause) != 0)
		return (-1);
	return (store_exec(s, "BEGIN IMMEDIATE", "start a transaction",
	    cause));
}

static int
store_commit(struct store *s, char **cause)
{
	return (store_exec(s, "COMMIT", "commit a transaction", cause));
}

/* Undo the open transaction, if any.  The first error is what matters. */
static void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		(void)store_exec(s, "ROLLBACK", "roll back", NULL);
}

/* Run a one-row, one-integer query with an optional first parameter. */
static int
store_query_int(struct store *s, enum store_stmt_id id, int64_t arg,
    int64_t *n, const char *what, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if (store_stmt(s, id, &st, cause) != 0)
		return (-1);
	if (sqlite3_bind_parameter_count(st) > 0)
		rc = sqlite3_bind_int64(st, 1, arg);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (store_check(s, rc, what, cause) != 0) {
		store_stmt_done(s, st);
		return (-1);
	}
	*n = (rc == SQLITE_ROW) ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(s, st);
	return (0);
}

/*
 * Switch to write-ahead logging.  The answer is the mode now in force; a
 * memory database answers "memory", which is fine.
 */
static int
store_use_wal(struct store *s, char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*mode;
	int			 rc, error = 0, wal = 0;

	/* Asking is a read; switching writes the header, so it is gated. */
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    (mode = sqlite3_column_text(st, 0)) != NULL)
		wal = strcmp((const char *)mode, "wal") == 0;
	sqlite3_finalize(st);
	if (wal)
		return (0);
	if (store_is_file(s->path) && store_may_write(s, cause) != 0)
		return (-1);
	if (store_stmt(s, ST_JOURNAL_WAL, &st, cause) != 0)
		return (-1);
	rc = sqlite3_step(st);
	if (store_check(s, rc, "enable write-ahead logging", cause) != 0) {
		store_stmt_done(s, st);
		return (-1);
	}
	mode = (rc == SQLITE_ROW) ? sqlite3_column_text(st, 0) : NULL;
	if (store_is_file(s->path) &&
	    (mode == NULL || strcmp((const char *)mode, "wal") != 0)) {
		*cause = xasprintf("database %s: cannot enable write-ahead "
		    "logging (journal mode is %s)", s->path,
		    mode == NULL ? "unknown" : (const char *)mode);
		error = -1;
	}
	store_stmt_done(s, st);
	return (error);
}

/*
 * Take the schema from *version to the next version in one transaction.
 * The version is read again under the write lock, because another process
 * may have migrated in the meantime; *version gets what is there now.
 */
static int
store_migrate_step(struct store *s, int *version, char **cause)
{
	int64_t	 v, tables;
	char	*sql;
	int	 error;

	if (store_begin(s, cause) != 0)
		return (-1);
	if (store_query_int(s, ST_USER_VERSION, 0, &v, "read the schema "
	    "version", cause) != 0)
		goto fail;
	if (v > STORE_SCHEMA_VERSION) {
		*cause = xasprintf("database %s was made by a newer firedrill "
		    "(schema version %lld, this one knows %d)", s->path,
		    (long long)v, STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (v == STORE_SCHEMA_VERSION) {
		store_rollback(s);
		*version = (int)v;
		return (0);
	}

	/* Never build our tables next to somebody else's. */
	if (v == 0) {
		if (store_query_int(s, ST_SCHEMA_SIZE, 0, &tables, "read the "
		    "schema", cause) != 0)
			goto fail;
		if (tables != 0) {
			*cause = xasprintf("%s is not a firedrill database "
			    "(it holds other tables)", s->path);
			goto fail;
		}
	}

	sql = xasprintf("migrate to schema version %lld", (long long)v + 1);
	error = store_exec(s, store_migrations[v], sql, cause);
	free(sql);
	if (error != 0)
		goto fail;
	sql = xasprintf("PRAGMA user_version = %lld", (long long)v + 1);
	error = store_exec(s, sql, "set the schema version", cause);
	free(sql);
	if (error != 0)
		goto fail;
	if (store_commit(s, cause) != 0)
		goto fail;
	*version = (int)v + 1;
	return (0);

fail:
	store_rollback(s);
	return (-1);
}

/* Bring the schema up to STORE_SCHEMA_VERSION, refusing newer ones. */
static int
store_migrate(struct store *s, char **cause)
{
	int64_t	v;
	int	version;

	if (store_query_int(s, ST_USER_VERSION, 0, &v, "read the schema "
	    "version", cause) != 0)
		return (-1);
	if (v < 0 || v > STORE_SCHEMA_VERSION) {
		*cause = xasprintf("database %s was made by a newer firedrill "
		    "(schema version %lld, this one knows %d)", s->path,
		    (long long)v, STORE_SCHEMA_VERSION);
		return (-1);
	}
	version = (int)v;
	while (version < STORE_SCHEMA_VERSION) {
		if (store_migrate_step(s, &version, cause) != 0)
			return (-1);
	}
	return (0);
}

/* A uint64_t seed is stored as the int64_t with the same bits. */
static int64_t
store_seed_bits(uint64_t seed)
{
	int64_t	v;

	memcpy(&v, &seed, sizeof v);
	return (v);
}

char *
store_default_path(char **cause)
{
	const char	*env;

	if ((env = getenv("FIREDRILL_DB")) != NULL && *env != '\0')
		return (xstrdup(env));
	if ((env = getenv("XDG_DATA_HOME")) != NULL && *env == '/')
		return (xasprintf("%s/firedrill/firedrill.db", env));
	if ((env = getenv("HOME")) != NULL && *env != '\0') {
		return (xasprintf("%s/.local/share/firedrill/firedrill.db",
		    env));
	}
	*cause = xstrdup("cannot choose a database path: HOME is not set "
	    "(set FIREDRILL_DB)");
	return (NULL);
}

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/* path as an SQLite URI with the given query ("immutable=1"). */
static char *
store_uri(const char *path, const char *query)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b);
	buf_puts(&b, "file:");
	for (p = path; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c) != NULL)
			buf_putc(&b, (char)c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	buf_printf(&b, "?%s", query);
	return (buf_steal(&b));
}

static char *
newer(const char *path, int64_t v)
{
	return (xasprintf("database %s was made by a newer firedrill (schema"
	    " version %lld, this one knows %d)", path, (long long)v,
	    STORE_SCHEMA_VERSION));
}

/*
 * Is the existing, non-empty file at path ours?  Decided without writing
 * a byte or leaving a side file: the header is read directly, and when it
 * does not settle it (no application_id: an empty database, a firedrill
 * one of schema 1 or 2, or another program's) the schema is read through
 * an immutable connection, or a read-only one when a -wal file shows the
 * file is live in WAL mode.
 */
static int
store_probe(const char *path, char **cause)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char	 h[100];
	struct stat	 sb;
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	char		*uri, *wal;
	uint32_t	 app;
	int64_t		 v = 0, ours = 0, all = 0;
	ssize_t		 n;
	int		 fd, rc, live;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY)) < 0) {
		*cause = xasprintf("cannot read database %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	n = read(fd, h, sizeof h);
	close(fd);
	/* Another firedrill creating it this instant: not yet a header. */
	if (n >= 0 && n < (ssize_t)sizeof h &&
	    memcmp(h, magic, (size_t)n < sizeof magic ? (size_t)n :
	    sizeof magic) == 0)
		return (0);
	if (n != (ssize_t)sizeof h || memcmp(h, magic, sizeof magic) != 0) {
		*cause = xasprintf("%s is not a firedrill database (not an"
		    " SQLite file)", path);
		return (-1);
	}
	app = be32(h + 68);
	v = be32(h + 60);
	if (app == STORE_APP_ID) {
		if (v > STORE_SCHEMA_VERSION) {
			*cause = newer(path, v);
			return (-1);
		}
		return (0);
	}
	if (app != 0) {
		*cause = xasprintf("%s is not a firedrill database (it belongs"
		    " to another program: application_id %#x)", path, app);
		return (-1);
	}

	wal = xasprintf("%s-wal", path);
	live = stat(wal, &sb) == 0;
	free(wal);
	uri = store_uri(path, live ? "mode=ro" : "immutable=1");
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY|SQLITE_OPEN_URI,
	    NULL);
	free(uri);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM"
		    " pragma_user_version), (SELECT count(*) FROM sqlite_master"
		    " WHERE type = 'table' AND name IN ('players', 'sessions',"
		    " 'events', 'scores')),"
		    " (SELECT count(*) FROM sqlite_master),"
		    " (SELECT application_id FROM pragma_application_id)", -1,
		    &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		ours = sqlite3_column_int64(st, 1);
		all = sqlite3_column_int64(st, 2);
		app = (uint32_t)sqlite3_column_int64(st, 3);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_CORRUPT)
			*cause = xasprintf("database %s is damaged (%s);"
			    " recover it with: sqlite3 %s .recover | sqlite3"
			    " NEW.db", path, sqlite3_errstr(rc), path);
		else if ((rc & 0xff) == SQLITE_NOTADB)
			*cause = xasprintf("%s is not a firedrill database"
			    " (%s)", path, sqlite3_errstr(rc));
		else
			*cause = xasprintf("cannot read database %s: %s", path,
			    sqlite3_errstr(rc));
		return (-1);
	}
	if (app == STORE_APP_ID && v <= STORE_SCHEMA_VERSION)
		return (0);
	if (all == 0 && app == 0) {
		if (v == 0)
			return (0);	/* empty: ours to fill */
		if (v > STORE_SCHEMA_VERSION) {
			*cause = newer(path, v);
			return (-1);
		}
	}
	if (ours == 4 && (app == 0 || app == STORE_APP_ID)) {
		if (v > STORE_SCHEMA_VERSION) {
			*cause = newer(path, v);
			return (-1);
		}
		if (v >= 1)
			return (0);
	}
	*cause = xasprintf("%s is not a firedrill database (it holds other"
	    " tables)", path);
	return (-1);
}

/* How long to wait for a lock: $FIREDRILL_BUSY_MS or STORE_BUSY_MS. */
static int
store_busy_ms(void)
{
	const char	*e = getenv("FIREDRILL_BUSY_MS");
	char		*end;
	long		 v;

	if (e == NULL || *e == '\0')
		return (STORE_BUSY_MS);
	v = strtol(e, &end, 10);
	if (*end != '\0' || v < 0 || v > 600000)
		return (STORE_BUSY_MS);
	return ((int)v);
}

struct store *
store_open(const char *path, int create_dir, char **cause)
{
	struct store	*s;
	struct stat	 sb;
	int		 flags, rc, n;
	char		*ignore = NULL;

	if (*path == '\0') {
		*cause = xstrdup("the database path is empty");
		return (NULL);
	}
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);

	if (store_is_file(path) && store_check_dir(path, create_dir,
	    cause) != 0)
		goto fail;
	/* Nothing is written until the file is known to be ours. */
	if (store_is_file(path) && stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			*cause = xasprintf("cannot open database %s: it is a "
			    "directory", path);
			goto fail;
		}
		if (!S_ISREG(sb.st_mode)) {
			*cause = xasprintf("cannot open database %s: not a"
			    " regular file", path);
			goto fail;
		}
		if (sb.st_size > 0 && store_probe(path, cause) != 0)
			goto fail;
	}

	flags = SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE;
#ifdef SQLITE_OPEN_EXRESCODE
	flags |= SQLITE_OPEN_EXRESCODE;
#endif
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (store_check(s, rc, "open", cause) != 0)
		goto fail;
	rc = sqlite3_extended_result_codes(s->db, 1);
	if (store_check(s, rc, "enable extended result codes", cause) != 0)
		goto fail;

	/* SQLite quietly falls back to read-only; we want to know. */
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		if ((*cause = store_why_unwritable(path)) == NULL)
			*cause = xasprintf("database %s is read-only", path);
		goto fail;
	}

	/* Before anything that reads, so every step waits for locks. */
	rc = sqlite3_busy_timeout(s->db, store_busy_ms());
	if (store_check(s, rc, "set the busy timeout", cause) != 0)
		goto fail;

	if (store_use_wal(s, cause) != 0)
		goto fail;
	if (store_exec(s, "PRAGMA synchronous = NORMAL", "set synchronous "
	    "mode", cause) != 0)
		goto fail;
	if (store_exec(s, "PRAGMA foreign_keys = ON", "enable foreign keys",
	    cause) != 0)
		goto fail;
	if (store_migrate(s, cause) != 0)
		goto fail;
	/* Best effort: a reader of a locked or damaged file still reads. */
	if (store_recover(s, &n, &ignore) != 0)
		free(ignore);
	return (s);

fail:
	store_close(s);
	return (NULL);
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < ST__COUNT; i++) {
		/* Finalize repeats the last step's error; already reported. */
		(void)store_check(s, sqlite3_finalize(s->stmt[i]), NULL, NULL);
	}
	/* Every statement is finalized, so closing cannot be refused. */
	(void)store_check(s, sqlite3_close(s->db), NULL, NULL);
	free(s->damage);
	free(s->path);
	free(s);
}

int
store_busy(const struct store *s)
{
	return (s != NULL && s->busy);
}

void
store_wait(struct store *s, int ms)
{
	(void)sqlite3_busy_timeout(s->db, ms < 0 ? store_busy_ms() : ms);
}

const char *
store_path(const struct store *s)
{
	return (s == NULL ? NULL : s->path);
}

int
store_session_begin(struct store *s, const struct store_session *ss,
    int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	if (store_begin(s, cause) != 0)
		return (-1);

	/* A player row is made the first time a name is seen. */
	if (store_stmt(s, ST_PLAYER_ADD, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_text(st, 1, ss->player, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, ss->started_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "add the player", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;

	if (store_stmt(s, ST_SESSION_ADD, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_text(st, 1, ss->player, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, ss->incident, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 3, store_seed_bits(ss->seed));
	if (rc == SQLITE_OK) {
		rc = sqlite3_bind_text(st, 4, ss->engine_version, -1,
		    SQLITE_STATIC);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 5, ss->api_version);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 6, ss->mode, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 7, ss->started_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "start the session", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(s->db);

	if (store_stmt(s, ST_SESSION_SOURCE, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_int64(st, 1, *id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, ss->source, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = ss->parent_id > 0 ? sqlite3_bind_int64(st, 3,
		    ss->parent_id) : sqlite3_bind_null(st, 3);
	if (rc == SQLITE_OK)
		rc = ss->branch_ms >= 0 ? sqlite3_bind_int64(st, 4,
		    ss->branch_ms) : sqlite3_bind_null(st, 4);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "start the session", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;

	if (store_stmt(s, ST_SESSION_WHO, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_int64(st, 1, *id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, ss->uid, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = ss->pid > 0 ? sqlite3_bind_int64(st, 3, ss->pid) :
		    sqlite3_bind_null(st, 3);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, ss->host, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 5, ss->proc_start, -1,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "start the session", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;

	if (store_commit(s, cause) != 0)
		goto fail;
	return (0);

fail:
	store_rollback(s);
	return (-1);
}

static int add_events(struct store *, int64_t, const struct store_event *,
		    size_t, char **);

int
store_events_add(struct store *s, int64_t session,
    const struct store_event *ev, size_t n, char **cause)
{
	if (store_begin(s, cause) != 0)
		return (-1);
	if (add_events(s, session, ev, n, cause) != 0 ||
	    store_commit(s, cause) != 0) {
		store_rollback(s);
		return (-1);
	}
	return (0);
}

/* The events, numbered on from the last; inside the caller's transaction. */
static int
add_events(struct store *s, int64_t session,
    const struct store_event *ev, size_t n, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 seq;
	size_t		 i;
	int		 rc, error, found;

	/* Under the write lock, nobody else can take the same numbers. */
	if (store_stmt(s, ST_EVENT_NEXT, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (store_check(s, rc, "add events", cause) != 0) {
		store_stmt_done(s, st);
		return (-1);
	}
	found = (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) != 0);
	seq = (rc == SQLITE_ROW) ? sqlite3_column_int64(st, 1) : 0;
	store_stmt_done(s, st);
	if (!found) {
		*cause = xasprintf("database %s has no session %lld", s->path,
		    (long long)session);
		return (-1);
	}
	if (n == 0)
		return (0);

	if (store_stmt(s, ST_EVENT_ADD, &st, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		rc = sqlite3_bind_int64(st, 1, session);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(st, 2, ++seq);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(st, 3, ev[i].t_ms);
		if (rc == SQLITE_OK) {
			rc = sqlite3_bind_text(st, 4, ev[i].kind, -1,
			    SQLITE_STATIC);
		}
		if (rc == SQLITE_OK) {
			rc = sqlite3_bind_text(st, 5, ev[i].actor, -1,
			    SQLITE_STATIC);
		}
		if (rc == SQLITE_OK) {
			rc = sqlite3_bind_text(st, 6, ev[i].text, -1,
			    SQLITE_STATIC);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(st, 7, ev[i].arg);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_double(st, 8, ev[i].val);
		if (rc == SQLITE_OK) {
			rc = sqlite3_bind_text(st, 9, ev[i].detail, -1,
			    SQLITE_STATIC);
		}
		if (rc == SQLITE_OK) {
			rc = sqlite3_bind_text(st, 10, ev[i].result, -1,
			    SQLITE_STATIC);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		error = store_check(s, rc, "add events", cause);
		store_stmt_done(s, st);
		if (error != 0)
			return (-1);
	}
	return (0);
}

/* The scores row; inside the caller's transaction. */
static int
put_score(struct store *s, int64_t session, const struct store_result *sr,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error, i;

	if (store_stmt(s, ST_SCORE_PUT, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 2, sr->score_version);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 3, sr->score_total);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, sr->grade, -1, SQLITE_STATIC);
	/* A phase that was never reached (-1) is stored as NULL. */
	for (i = 0; i < 4 && rc == SQLITE_OK; i++) {
		if (sr->phase_ms[i] < 0)
			rc = sqlite3_bind_null(st, 5 + i);
		else
			rc = sqlite3_bind_int64(st, 5 + i, sr->phase_ms[i]);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_double(st, 9, sr->budget_burned_pct);
	if (rc == SQLITE_OK) {
		rc = sqlite3_bind_text(st, 10, sr->score_json, -1,
		    SQLITE_STATIC);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "save the score", cause);
	store_stmt_done(s, st);
	return (error);
}

/* State-hash checkpoints as one blob of little-endian 64-bit words. */
static int
put_checkpoints(struct store *s, int64_t session, enum store_stmt_id id,
    int64_t every_ms, const uint64_t *hashes, size_t n, char **cause)
{
	sqlite3_stmt	*st;
	unsigned char	*blob;
	size_t		 i;
	int		 b, rc, error;

	blob = xcalloc(n > 0 ? n : 1, 8);
	for (i = 0; i < n; i++)
		for (b = 0; b < 8; b++)
			blob[i * 8 + b] = (unsigned char)(hashes[i] >> (8 * b));
	if (store_stmt(s, id, &st, cause) != 0) {
		free(blob);
		return (-1);
	}
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, every_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 3, blob, (int)(n * 8),
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "save the replay checkpoints", cause);
	store_stmt_done(s, st);
	free(blob);
	return (error);
}

/* A batch; inside the caller's transaction. */
static int
put_batch(struct store *s, int64_t session, const struct store_batch *b,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	if (add_events(s, session, b->ev, b->nev, cause) != 0)
		return (-1);
	if (b->nhashes > 0 && put_checkpoints(s, session, ST_CHECKPOINTS_ADD,
	    b->every_ms, b->hashes, b->nhashes, cause) != 0)
		return (-1);
	if (store_stmt(s, ST_SESSION_SIM, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, b->sim_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "add events", cause);
	store_stmt_done(s, st);
	return (error);
}

int
store_session_batch(struct store *s, int64_t session,
    const struct store_batch *b, char **cause)
{
	if (store_begin(s, cause) != 0)
		return (-1);
	if (put_batch(s, session, b, cause) != 0 ||
	    store_commit(s, cause) != 0) {
		store_rollback(s);
		return (-1);
	}
	return (0);
}

int
store_session_end(struct store *s, int64_t session,
    const struct store_result *sr, char **cause)
{
	return (store_session_finish(s, session, NULL, sr, cause));
}

int
store_session_finish(struct store *s, int64_t session,
    const struct store_batch *b, const struct store_result *sr, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	if (store_begin(s, cause) != 0)
		return (-1);
	if (b != NULL && put_batch(s, session, b, cause) != 0)
		goto fail;

	if (store_stmt(s, ST_SESSION_END, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, sr->ended_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, sr->outcome, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 4, sr->sim_ms);
	if (rc == SQLITE_OK) {
		rc = sqlite3_bind_text(st, 5, sr->state_hash, -1,
		    SQLITE_STATIC);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "end the session", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		*cause = xasprintf("database %s has no session %lld", s->path,
		    (long long)session);
		goto fail;
	}

	if (put_score(s, session, sr, cause) != 0)
		goto fail;
	if (sr->nhashes > 0 && put_checkpoints(s, session, ST_CHECKPOINTS_PUT,
	    sr->every_ms, sr->hashes, sr->nhashes, cause) != 0)
		goto fail;

	if (store_commit(s, cause) != 0)
		goto fail;
	return (0);

fail:
	store_rollback(s);
	return (-1);
}

int
store_count_sessions(struct store *s, int64_t *n, char **cause)
{
	return (store_query_int(s, ST_COUNT_SESSIONS, 0, n, "count sessions",
	    cause));
}

int
store_count_events(struct store *s, int64_t session, int64_t *n,
    char **cause)
{
	return (store_query_int(s, ST_COUNT_EVENTS, session, n, "count events",
	    cause));
}

int
store_incident_best(struct store *s, const char *incident, int *played,
    int *best, char grade[2], char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*g;
	int			 rc;

	*played = 0;
	*best = -1;
	grade[0] = grade[1] = '\0';
	if (store_stmt(s, ST_INCIDENT_BEST, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_text(st, 1, incident, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (store_check(s, rc, "read the best score", cause) != 0) {
		store_stmt_done(s, st);
		return (-1);
	}
	if (rc == SQLITE_ROW) {
		*played = sqlite3_column_int(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*best = sqlite3_column_int(st, 1);
		if ((g = sqlite3_column_text(st, 2)) != NULL)
			grade[0] = (char)g[0];
	}
	store_stmt_done(s, st);
	return (0);
}

int
store_postmortem_put(struct store *s, int64_t session,
    const struct pm_answers *pm, const struct store_result *sr, char **cause)
{
	sqlite3_stmt	*st;
	int		 i, rc, error;

	if (store_begin(s, cause) != 0)
		return (-1);
	if (store_stmt(s, ST_PM_CLEAR, &st, cause) != 0)
		goto fail;
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "save the post-mortem", cause);
	store_stmt_done(s, st);
	if (error != 0)
		goto fail;
	if (store_stmt(s, ST_PM_ADD, &st, cause) != 0)
		goto fail;
	for (i = 0; i < pm->n; i++) {
		const struct pm_row *r = &pm->v[i];

		rc = sqlite3_bind_int64(st, 1, session);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(st, 2, i + 1);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 3, r->part, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 4, r->key, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 5, r->text, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 6, r->owner, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 7, r->deadline, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		error = store_check(s, rc, "save the post-mortem", cause);
		store_stmt_done(s, st);
		if (error != 0)
			goto fail;
	}
	if (sr != NULL && put_score(s, session, sr, cause) != 0)
		goto fail;
	if (store_commit(s, cause) != 0)
		goto fail;
	return (0);
fail:
	store_rollback(s);
	return (-1);
}

/* A copy of a text column, or NULL. */
static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return (t != NULL ? xstrdup((const char *)t) : NULL);
}

static int64_t
col_int_or(sqlite3_stmt *st, int i, int64_t def)
{
	return (sqlite3_column_type(st, i) == SQLITE_NULL ? def :
	    sqlite3_column_int64(st, i));
}

static void
load_row(sqlite3_stmt *st, struct stored_session *ss)
{
	int64_t	seed = sqlite3_column_int64(st, 3);
	int	i;

	ss->id = sqlite3_column_int64(st, 0);
	ss->player = col_dup(st, 1);
	ss->incident = col_dup(st, 2);
	memcpy(&ss->seed, &seed, sizeof ss->seed);
	ss->engine_version = col_dup(st, 4);
	ss->api_version = sqlite3_column_int(st, 5);
	ss->mode = col_dup(st, 6);
	ss->started_at = sqlite3_column_int64(st, 7);
	ss->ended_at = sqlite3_column_int64(st, 8);
	ss->outcome = col_dup(st, 9);
	ss->sim_ms = sqlite3_column_int64(st, 10);
	ss->state_hash = col_dup(st, 11);
	ss->source = col_dup(st, 12);
	ss->parent_id = col_int_or(st, 13, 0);
	ss->branch_ms = col_int_or(st, 14, -1);
	ss->scored = sqlite3_column_type(st, 15) != SQLITE_NULL;
	ss->score_version = sqlite3_column_int(st, 15);
	ss->score_total = sqlite3_column_int(st, 16);
	if (sqlite3_column_text(st, 17) != NULL)
		ss->grade[0] = (char)sqlite3_column_text(st, 17)[0];
	for (i = 0; i < 4; i++)
		ss->phase_ms[i] = col_int_or(st, 18 + i, -1);
	ss->budget_burned_pct = sqlite3_column_double(st, 22);
	ss->score_json = col_dup(st, 23);
	ss->uid = col_dup(st, 24);
}

static int
load_events(struct store *s, struct stored_session *ss, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, kind;

	if (store_stmt(s, ST_EVENTS_GET, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, ss->id);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 1);
		struct event *e;

		kind = k != NULL ? ev_kind_from_name(k) : -1;
		e = timeline_add(&ss->tl, (long)sqlite3_column_int64(st, 0),
		    kind >= 0 ? (enum ev_kind)kind : EV_INFO,
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 6),
		    sqlite3_column_int(st, 4), sqlite3_column_double(st, 5));
		if (sqlite3_column_text(st, 7) != NULL)
			timeline_set_result(e,
			    (const char *)sqlite3_column_text(st, 7));
		rc = SQLITE_OK;
	}
	rc = store_check(s, rc, "read the session's events", cause);
	store_stmt_done(s, st);
	return (rc);
}

static int
load_checkpoints(struct store *s, struct stored_session *ss, char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*blob;
	size_t			 i, n;
	int			 rc, b;

	if (store_stmt(s, ST_CHECKPOINTS_GET, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, ss->id);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ss->every_ms = sqlite3_column_int64(st, 0);
		blob = sqlite3_column_blob(st, 1);
		n = (size_t)sqlite3_column_bytes(st, 1) / 8;
		ss->hashes = xcalloc(n > 0 ? n : 1, sizeof *ss->hashes);
		for (i = 0; blob != NULL && i < n; i++)
			for (b = 0; b < 8; b++)
				ss->hashes[i] |= (uint64_t)blob[i * 8 + b] <<
				    (8 * b);
		ss->nhashes = n;
		rc = SQLITE_OK;
	}
	rc = store_check(s, rc, "read the replay checkpoints", cause);
	store_stmt_done(s, st);
	return (rc);
}

static int
load_postmortem(struct store *s, struct stored_session *ss, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_stmt(s, ST_PM_GET, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, ss->id);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		pm_add(&ss->pm, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4));
		rc = SQLITE_OK;
	}
	ss->pm.filled = ss->pm.n > 0;
	rc = store_check(s, rc, "read the post-mortem", cause);
	store_stmt_done(s, st);
	return (rc);
}

int
store_session_load(struct store *s, int64_t id, struct stored_session *ss,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	memset(ss, 0, sizeof *ss);
	timeline_init(&ss->tl);
	if (id <= 0) {
		if (store_query_int(s, ST_SESSION_LATEST, 0, &id, "find the"
		    " latest session", cause) != 0)
			return (-1);
		if (id <= 0) {
			*cause = xasprintf("database %s holds no finished"
			    " session yet", s->path);
			return (-1);
		}
	}
	if (store_stmt(s, ST_SESSION_GET, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "read the session", cause);
	if (error == 0 && rc != SQLITE_ROW) {
		*cause = xasprintf("database %s has no session %lld", s->path,
		    (long long)id);
		error = -1;
	}
	if (error == 0)
		load_row(st, ss);
	store_stmt_done(s, st);
	if (error == 0 && (load_events(s, ss, cause) != 0 ||
	    load_checkpoints(s, ss, cause) != 0 ||
	    load_postmortem(s, ss, cause) != 0))
		error = -1;
	if (error != 0)
		stored_session_free(ss);
	return (error);
}

void
stored_session_free(struct stored_session *ss)
{
	free(ss->player);
	free(ss->incident);
	free(ss->source);
	free(ss->mode);
	free(ss->outcome);
	free(ss->engine_version);
	free(ss->state_hash);
	free(ss->score_json);
	free(ss->uid);
	timeline_fini(&ss->tl);
	free(ss->hashes);
	pm_free(&ss->pm);
	memset(ss, 0, sizeof *ss);
}

/* ---- interrupted sessions ---- */

int
store_recover(struct store *s, int *n, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		*dead = NULL;
	size_t		 nd = 0, i;
	char		*host;
	int		 rc, error;

	*n = 0;
	if (!store_is_file(s->path))
		return (0);
	host = proc_host();
	if (store_stmt(s, ST_RUNNING, &st, cause) != 0) {
		free(host);
		return (-1);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 2);

		/* Another host's process, or one we cannot name: unknown. */
		if (sqlite3_column_type(st, 1) == SQLITE_NULL || h == NULL ||
		    strcmp(h, host) != 0)
			continue;
		if (proc_alive(sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 3)))
			continue;
		dead = xreallocarray(dead, nd + 1, sizeof *dead);
		dead[nd++] = sqlite3_column_int64(st, 0);
	}
	error = store_check(s, rc, "find interrupted sessions", cause);
	store_stmt_done(s, st);
	free(host);
	if (error != 0 || nd == 0) {
		free(dead);
		return (error);
	}
	if (store_begin(s, cause) != 0) {
		free(dead);
		return (-1);
	}
	for (i = 0; i < nd && error == 0; i++) {
		if (store_stmt(s, ST_INTERRUPT, &st, cause) != 0) {
			error = -1;
			break;
		}
		rc = sqlite3_bind_int64(st, 1, dead[i]);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		error = store_check(s, rc, "mark a session interrupted", cause);
		*n += sqlite3_changes(s->db);
		store_stmt_done(s, st);
	}
	free(dead);
	if (error == 0 && store_commit(s, cause) == 0)
		return (0);
	store_rollback(s);
	*n = 0;
	return (-1);
}

int
store_session_interrupt(struct store *s, int64_t session, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	if (store_stmt(s, ST_INTERRUPT, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_int64(st, 1, session);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "mark the session interrupted", cause);
	store_stmt_done(s, st);
	return (error);
}

/* ---- import ---- */

/* Run one statement of the import with ?1 the JSON and ?2 the session. */
static int
import_exec(struct store *s, const char *sql, const char *json, int64_t id,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, error;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
		rc = sqlite3_bind_int64(st, 2, id);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
	error = store_check(s, rc, "import the session", cause);
	sqlite3_finalize(st);
	return (error);
}

/* The first text column of a query on the JSON (?1), or NULL. Caller's. */
static char *
import_text(struct store *s, const char *sql, const char *json, int *failed)
{
	sqlite3_stmt	*st;
	char		*t = NULL;
	int		 rc;

	*failed = 0;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		t = col_dup(st, 0);
	else if (rc != SQLITE_DONE)
		*failed = 1;
	sqlite3_finalize(st);
	return (t);
}

/* Every field the import reads, with the JSON types it accepts. */
static const char *import_check_sql =
    "SELECT column1 FROM (VALUES"
    " ('$.session.uid', ',text,'), ('$.session.player', ',text,'),"
    " ('$.session.incident', ',text,'), ('$.session.seed', ',text,'),"
    " ('$.session.engine_version', ',text,null,'),"
    " ('$.session.api_version', ',integer,null,'),"
    " ('$.session.mode', ',text,null,'),"
    " ('$.session.started_at', ',integer,'),"
    " ('$.session.ended_at', ',integer,null,'),"
    " ('$.session.outcome', ',text,'), ('$.session.sim_ms', ',integer,'),"
    " ('$.session.state_hash', ',text,null,'),"
    " ('$.session.source', ',text,null,'),"
    " ('$.session.parent_id', ',integer,null,'),"
    " ('$.session.branch_ms', ',integer,null,'),"
    " ('$.events', ',array,'), ('$.checkpoints', ',object,null,'),"
    " ('$.score', ',object,null,'), ('$.postmortem', ',array,null,'))"
    " WHERE instr(column2, ',' || coalesce(json_type(?1, column1), 'null')"
    " || ',') = 0"
    " UNION ALL SELECT '$.checkpoints.every_ms' WHERE json_type(?1,"
    " '$.checkpoints') = 'object' AND coalesce(json_type(?1,"
    " '$.checkpoints.every_ms'), '') <> 'integer'"
    " UNION ALL SELECT '$.checkpoints.hashes' WHERE json_type(?1,"
    " '$.checkpoints') = 'object' AND coalesce(json_type(?1,"
    " '$.checkpoints.hashes'), '') <> 'text'"
    " UNION ALL SELECT '$.score' WHERE json_type(?1, '$.score') = 'object'"
    " AND (coalesce(json_type(?1, '$.score.version'), '') <> 'integer' OR"
    " coalesce(json_type(?1, '$.score.total'), '') <> 'integer' OR"
    " coalesce(json_type(?1, '$.score.grade'), '') <> 'text')"
    " UNION ALL SELECT '$.events[' || key || ']'"
    " FROM json_each(?1, '$.events') WHERE type <> 'object' OR"
    " coalesce(json_type(value, '$.t_ms'), '') <> 'integer' OR"
    " coalesce(json_type(value, '$.kind'), '') <> 'text' OR"
    " coalesce(json_type(value, '$.text'), 'null') NOT IN ('text', 'null')"
    " OR coalesce(json_type(value, '$.actor'), 'null') NOT IN ('text', 'null')"
    " UNION ALL SELECT '$.postmortem[' || key || ']'"
    " FROM json_each(?1, '$.postmortem') WHERE type <> 'object' OR"
    " coalesce(json_type(value, '$.part'), '') <> 'text'"
    " LIMIT 1";

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

int
store_import(struct store *s, const char *json, const char *name,
    int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	char		*t, *end, *hx = NULL;
	uint64_t	*hashes = NULL, seed;
	int64_t		 every = 0, old = 0;
	size_t		 nh = 0, i;
	int		 rc, failed, d, k, error = -1;

	t = import_text(s, "SELECT CASE WHEN NOT json_valid(?1) THEN 'json'"
	    " WHEN json_type(?1, '$.format') IS NOT 'text' OR"
	    " json_extract(?1, '$.format') <> 'firedrill-session' THEN 'format'"
	    " WHEN json_type(?1, '$.version') IS NOT 'integer' THEN 'format'"
	    " WHEN json_extract(?1, '$.version') > 1 THEN 'newer'"
	    " ELSE 'ok' END", json, &failed);
	if (t == NULL || strcmp(t, "ok") != 0) {
		if (t != NULL && strcmp(t, "json") == 0)
			*cause = xasprintf("%s: not valid JSON", name);
		else if (t != NULL && strcmp(t, "newer") == 0)
			*cause = xasprintf("%s: made by a newer firedrill"
			    " (format version above 1)", name);
		else
			*cause = xasprintf("%s: not a firedrill session (no"
			    " \"format\": \"firedrill-session\")", name);
		free(t);
		return (-1);
	}
	free(t);
	if ((t = import_text(s, import_check_sql, json, &failed)) != NULL ||
	    failed) {
		*cause = xasprintf("%s: %s is missing or of the wrong type",
		    name, t != NULL ? t : "a field");
		free(t);
		return (-1);
	}
	t = import_text(s, "SELECT json_extract(?1, '$.session.seed')", json,
	    &failed);
	errno = 0;
	seed = t != NULL && *t >= '0' && *t <= '9' ? strtoull(t, &end, 10) : 0;
	if (t == NULL || *t < '0' || *t > '9' || *end != '\0' || errno != 0) {
		*cause = xasprintf("%s: $.session.seed is not a seed", name);
		free(t);
		return (-1);
	}
	free(t);
	t = import_text(s, "SELECT json_extract(?1, '$.session.outcome')",
	    json, &failed);
	if (t == NULL || strcmp(t, "running") == 0) {
		*cause = xasprintf("%s: the session has no outcome", name);
		free(t);
		return (-1);
	}
	free(t);
	hx = import_text(s, "SELECT json_extract(?1, '$.checkpoints.hashes')",
	    json, &failed);
	if (hx != NULL) {
		t = import_text(s, "SELECT json_extract(?1,"
		    " '$.checkpoints.every_ms')", json, &failed);
		every = t != NULL ? strtoll(t, NULL, 10) : 0;
		free(t);
		nh = strlen(hx) / 16;
		if (strlen(hx) % 16 != 0 || every <= 0) {
			*cause = xasprintf("%s: $.checkpoints is malformed",
			    name);
			goto out;
		}
		hashes = xcalloc(nh > 0 ? nh : 1, sizeof *hashes);
		for (i = 0; i < nh; i++)
			for (k = 0; k < 16; k++) {
				if ((d = hexval((unsigned char)hx[i * 16 +
				    k])) < 0) {
					*cause = xasprintf("%s: $.checkpoints"
					    " is malformed", name);
					goto out;
				}
				hashes[i] = hashes[i] << 4 | (uint64_t)d;
			}
	}

	if (store_begin(s, cause) != 0)
		goto out;
	/* The same session again: refused, unless only part of it is here. */
	if (store_stmt(s, ST_UID_FIND, &st, cause) != 0)
		goto fail;
	t = import_text(s, "SELECT json_extract(?1, '$.session.uid')", json,
	    &failed);
	rc = sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	free(t);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (store_check(s, rc, "import the session", cause) != 0) {
		store_stmt_done(s, st);
		goto fail;
	}
	if (rc == SQLITE_ROW) {
		const char *o = (const char *)sqlite3_column_text(st, 1);

		old = sqlite3_column_int64(st, 0);
		if (o == NULL || (strcmp(o, "running") != 0 &&
		    strcmp(o, "interrupted") != 0)) {
			*cause = xasprintf("%s: already in %s as session %lld",
			    name, s->path, (long long)old);
			store_stmt_done(s, st);
			goto fail;
		}
	}
	store_stmt_done(s, st);
	if (old > 0 && import_exec(s, "DELETE FROM sessions WHERE id = ?2",
	    json, old, cause) != 0)
		goto fail;

	if (import_exec(s, "INSERT INTO players (name, created_at) SELECT"
	    " json_extract(?1, '$.session.player'), json_extract(?1,"
	    " '$.session.started_at') WHERE true ON CONFLICT (name) DO NOTHING",
	    json, 0, cause) != 0)
		goto fail;
	if (import_exec(s, "INSERT INTO sessions (player_id, incident, seed,"
	    " engine_version, api_version, mode, started_at, ended_at, outcome,"
	    " sim_ms, state_hash, source, parent_id, branch_ms, uid) SELECT"
	    " (SELECT id FROM players WHERE name = json_extract(?1,"
	    " '$.session.player')), json_extract(?1, '$.session.incident'), ?2,"
	    " json_extract(?1, '$.session.engine_version'),"
	    " json_extract(?1, '$.session.api_version'),"
	    " json_extract(?1, '$.session.mode'),"
	    " json_extract(?1, '$.session.started_at'),"
	    " json_extract(?1, '$.session.ended_at'),"
	    " json_extract(?1, '$.session.outcome'),"
	    " json_extract(?1, '$.session.sim_ms'),"
	    " json_extract(?1, '$.session.state_hash'),"
	    " json_extract(?1, '$.session.source'),"
	    " (SELECT id FROM sessions WHERE id = json_extract(?1,"
	    " '$.session.parent_id')), json_extract(?1, '$.session.branch_ms'),"
	    " json_extract(?1, '$.session.uid')", json, store_seed_bits(seed),
	    cause) != 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(s->db);
	if (import_exec(s, "INSERT INTO events (session_id, seq, t_ms, kind,"
	    " actor, text, arg, val, detail, result) SELECT ?2, key + 1,"
	    " json_extract(value, '$.t_ms'), json_extract(value, '$.kind'),"
	    " json_extract(value, '$.actor'), json_extract(value, '$.text'),"
	    " json_extract(value, '$.arg'), json_extract(value, '$.val'),"
	    " json_extract(value, '$.detail'), json_extract(value, '$.result')"
	    " FROM json_each(?1, '$.events')", json, *id, cause) != 0)
		goto fail;
	if (import_exec(s, "INSERT INTO scores (session_id, version, total,"
	    " grade, detect_ms, triage_ms, mitigate_ms, fix_ms,"
	    " budget_burned_pct, breakdown_json) SELECT ?2,"
	    " json_extract(?1, '$.score.version'),"
	    " json_extract(?1, '$.score.total'),"
	    " json_extract(?1, '$.score.grade'),"
	    " json_extract(?1, '$.score.detect_ms'),"
	    " json_extract(?1, '$.score.triage_ms'),"
	    " json_extract(?1, '$.score.mitigate_ms'),"
	    " json_extract(?1, '$.score.fix_ms'),"
	    " json_extract(?1, '$.score.budget_burned_pct'),"
	    " json_extract(?1, '$.score.breakdown')"
	    " WHERE json_type(?1, '$.score') = 'object'", json, *id,
	    cause) != 0)
		goto fail;
	if (import_exec(s, "INSERT INTO postmortems (session_id, seq, part,"
	    " key, text, owner, deadline) SELECT ?2, key + 1,"
	    " json_extract(value, '$.part'), json_extract(value, '$.key'),"
	    " json_extract(value, '$.text'), json_extract(value, '$.owner'),"
	    " json_extract(value, '$.deadline')"
	    " FROM json_each(?1, '$.postmortem')", json, *id, cause) != 0)
		goto fail;
	if (hx != NULL && put_checkpoints(s, *id, ST_CHECKPOINTS_PUT, every,
	    hashes, nh, cause) != 0)
		goto fail;
	if (store_commit(s, cause) != 0)
		goto fail;
	error = 0;
	goto out;
fail:
	store_rollback(s);
out:
	free(hx);
	free(hashes);
	return (error);
}

/* ---- history ---- */

int
store_history(struct store *s, const char *incident, int limit,
    struct store_hist **v, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	struct store_hist *h;
	size_t		 cap = 0;
	int64_t		 seed;
	int		 rc, i;

	*v = NULL;
	*n = 0;
	if (store_stmt(s, ST_HISTORY, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_text(st, 1, incident, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 2, limit < 0 ? -1 : limit);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*v = xreallocarray(*v, cap, sizeof **v);
		}
		h = &(*v)[(*n)++];
		memset(h, 0, sizeof *h);
		h->id = sqlite3_column_int64(st, 0);
		h->started_at = sqlite3_column_int64(st, 1);
		h->player = col_dup(st, 2);
		h->incident = col_dup(st, 3);
		h->mode = col_dup(st, 4);
		h->outcome = col_dup(st, 5);
		seed = sqlite3_column_int64(st, 6);
		memcpy(&h->seed, &seed, sizeof h->seed);
		h->sim_ms = col_int_or(st, 7, -1);
		h->scored = sqlite3_column_type(st, 8) != SQLITE_NULL;
		h->total = sqlite3_column_int(st, 8);
		if (sqlite3_column_text(st, 9) != NULL)
			h->grade[0] = (char)sqlite3_column_text(st, 9)[0];
		for (i = 0; i < 4; i++)
			h->phase_ms[i] = col_int_or(st, 10 + i, -1);
		rc = SQLITE_OK;
	}
	rc = store_check(s, rc, "read the session history", cause);
	store_stmt_done(s, st);
	if (rc != 0) {
		store_history_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return (rc);
}

void
store_history_free(struct store_hist *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].player);
		free(v[i].incident);
		free(v[i].mode);
		free(v[i].outcome);
	}
	free(v);
}

int
store_best(struct store *s, const char *incident, const uint64_t *seed,
    const char *player, struct store_best *b, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 bits;
	int		 rc, i;

	memset(b, 0, sizeof *b);
	b->total = -1;
	for (i = 0; i < 4; i++)
		b->phase_ms[i] = -1;
	if (store_stmt(s, ST_BEST, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_text(st, 1, incident, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && seed != NULL)
		rc = sqlite3_bind_int64(st, 2, store_seed_bits(*seed));
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, player, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (store_check(s, rc, "read the best session", cause) != 0) {
		store_stmt_done(s, st);
		return (-1);
	}
	if (rc == SQLITE_ROW) {
		b->found = 1;
		b->session = sqlite3_column_int64(st, 0);
		bits = sqlite3_column_int64(st, 1);
		memcpy(&b->seed, &bits, sizeof b->seed);
		b->total = sqlite3_column_int(st, 2);
		if (sqlite3_column_text(st, 3) != NULL)
			b->grade[0] = (char)sqlite3_column_text(st, 3)[0];
		for (i = 0; i < 4; i++)
			b->phase_ms[i] = col_int_or(st, 4 + i, -1);
	}
	store_stmt_done(s, st);
	return (0);
}

const char *
store_signal_name(int i)
{
	static const char *names[STORE_NSIGNALS] = {
		"systematic", "mitigation", "blast_radius", "prevention",
		"blameless"
	};

	return (i >= 0 && i < STORE_NSIGNALS ? names[i] : NULL);
}

/* The phase times reached, in order, and their median. */
static int
stats_median(struct store *s, const char *ids, int phase, int *reached,
    int64_t *median, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		*t = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	*reached = 0;
	*median = -1;
	if (store_stmt(s, ST_STATS_PHASE, &st, cause) != 0)
		return (-1);
	rc = sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 2, phase);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			t = xreallocarray(t, cap, sizeof *t);
		}
		t[n++] = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	rc = store_check(s, rc, "read the phase times", cause);
	store_stmt_done(s, st);
	if (rc == 0 && n > 0) {
		*reached = (int)n;
		/* Even counts take the mean of the middle two. */
		*median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	}
	free(t);
	return (rc);
}

int
store_stats(struct store *s, const char *const *ids, size_t n,
    struct store_stats *ss, char **cause)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	char		*json = NULL;
	size_t		 i;
	int		 rc, k, error;

	memset(ss, 0, sizeof *ss);
	ss->best_rank = -1;
	ss->best_total = -1;
	for (k = 0; k < 4; k++)
		ss->median_ms[k] = -1;
	for (k = 0; k < STORE_NSIGNALS; k++)
		ss->signal_avg[k] = -1;
	/* One statement for any set: the ids travel as a JSON array. */
	if (ids != NULL) {
		buf_init(&b);
		buf_putc(&b, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_putc(&b, ',');
			buf_json_str(&b, ids[i]);
		}
		buf_putc(&b, ']');
		json = buf_steal(&b);
	}
	if (store_stmt(s, ST_STATS, &st, cause) != 0) {
		free(json);
		return (-1);
	}
	rc = sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	error = store_check(s, rc, "read the statistics", cause);
	if (error == 0 && rc == SQLITE_ROW) {
		ss->played = sqlite3_column_int(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			ss->best_rank = sqlite3_column_int(st, 1) - 1;
			ss->best_grade[0] = "SABCD"[ss->best_rank];
		}
		ss->best_total = (int)col_int_or(st, 2, -1);
		ss->nsignals = sqlite3_column_int(st, 3);
		for (k = 0; k < STORE_NSIGNALS; k++)
			if (sqlite3_column_type(st, 4 + k) != SQLITE_NULL)
				ss->signal_avg[k] = sqlite3_column_double(st,
				    4 + k);
		ss->last_at = col_int_or(st, 9, 0);
	}
	store_stmt_done(s, st);
	for (k = 0; k < 4 && error == 0; k++)
		error = stats_median(s, json, k, &ss->reached[k],
		    &ss->median_ms[k], cause);
	free(json);
	return (error);
}

int
store_stats_weakest(const struct store_stats *ss)
{
	int	k, w = -1;

	for (k = 0; k < STORE_NSIGNALS; k++)
		if (ss->signal_avg[k] >= 0 && (w < 0 ||
		    ss->signal_avg[k] < ss->signal_avg[w]))
			w = k;
	return (w);
}
