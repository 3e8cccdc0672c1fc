/*
 * The session store: one SQLite database of players, sessions, their event
 * timelines and scores.  Only this module includes sqlite3.h.  Every
 * failure is returned as -1/NULL with a one-line cause; nothing here prints.
 */
#ifndef FD_STORE_H
#define FD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/timeline.h"

#define STORE_SCHEMA_VERSION 3

/*
 * PRAGMA application_id of a firedrill database: "FDrl" in ASCII.  A file
 * with another application_id is never opened for writing.
 */
#define STORE_APP_ID	0x4644726c

struct store;

/*
 * The database path to use when none is given: $FIREDRILL_DB if set and
 * non-empty, else $XDG_DATA_HOME/firedrill/firedrill.db when XDG_DATA_HOME is
 * an absolute path, else $HOME/.local/share/firedrill/firedrill.db.  The
 * result is the caller's.  NULL with cause when HOME is unset too.
 */
char		*store_default_path(char **cause);

/*
 * Open (creating if needed) the database at path and migrate it to
 * STORE_SCHEMA_VERSION.  ":memory:" is accepted.  When create_dir is set,
 * a missing parent directory is created with mode 0700 (used for the
 * default path); otherwise a missing directory is an error.
 *
 * A file that exists is inspected before anything is written: it must be
 * a regular file and either empty or a firedrill database (our
 * application_id, or a schema-1/2 database with our tables) of a schema
 * this firedrill knows.  Anything else is refused with the file left
 * exactly as it was.  Then WAL, synchronous=NORMAL, foreign keys and a
 * busy timeout ($FIREDRILL_BUSY_MS, default 15 s).  Before the first
 * write a quick_check runs; a damaged database is never written.  Last,
 * sessions left "running" by a process of this host that is gone are
 * marked "interrupted" (when the database can be written).
 */
struct store	*store_open(const char *path, int create_dir, char **cause);
void		 store_close(struct store *);	/* accepts NULL */
/* Whether the last failure was another process's lock. */
int		 store_busy(const struct store *);
/* Wait at most ms for a lock from now on (-1: the default). */
void		 store_wait(struct store *, int ms);
/* Borrowed path the store was opened with. */
const char	*store_path(const struct store *);

struct store_session {
	const char	*player;	/* created on first use */
	const char	*incident;	/* incident id */
	uint64_t	 seed;
	const char	*engine_version;
	int		 api_version;
	const char	*mode;		/* "run" (headless) or "play" */
	int64_t		 started_at;	/* unix seconds, wall clock */
	const char	*source;	/* incident file as resolved, or NULL */
	int64_t		 parent_id;	/* branched from this session; 0 none */
	int64_t		 branch_ms;	/* ...at this sim time; -1 none */
	const char	*uid;		/* unique across databases, or NULL */
	int64_t		 pid;		/* the recording process; 0 unknown */
	const char	*host;		/* its host name, or NULL */
	const char	*proc_start;	/* its start (pid reuse), or NULL */
};

/* Insert a session row in state "running"; *id gets its rowid. */
int	store_session_begin(struct store *, const struct store_session *,
	    int64_t *id, char **cause);

struct store_event {
	int64_t		 t_ms;		/* sim time since start */
	const char	*kind;
	const char	*actor;
	const char	*text;
	int		 arg;
	double		 val;
	const char	*detail;
	const char	*result;
};

/* Append events in one transaction (BEGIN IMMEDIATE). */
int	store_events_add(struct store *, int64_t session,
	    const struct store_event *, size_t n, char **cause);

struct store_result {
	const char	*outcome;	/* won lost timeout abandoned */
	int64_t		 ended_at;	/* unix seconds, wall clock */
	int64_t		 sim_ms;
	int64_t		 phase_ms[4];	/* detect triage mitigate fix; -1 = not reached */
	int		 score_total;
	const char	*grade;
	int		 score_version;
	const char	*score_json;	/* breakdown, stored verbatim */
	double		 budget_burned_pct;
	const char	*state_hash;
	int64_t		 every_ms;	/* state-hash checkpoints, one per */
	const uint64_t	*hashes;	/* every_ms of sim time from the start */
	size_t		 nhashes;
};

/* Close the session: outcome on the session row plus one scores row. */
int	store_session_end(struct store *, int64_t session,
	    const struct store_result *, char **cause);

/* What a running session adds since its last batch. */
struct store_batch {
	const struct store_event *ev;	/* events to append */
	size_t		 nev;
	int64_t		 every_ms;	/* checkpoint spacing */
	const uint64_t	*hashes;	/* checkpoints to append */
	size_t		 nhashes;
	int64_t		 sim_ms;	/* sim time reached */
};

/* Append one batch to a running session: one transaction. */
int	store_session_batch(struct store *, int64_t session,
	    const struct store_batch *, char **cause);
/*
 * The last batch (may be NULL) and the end, in one transaction.  sr's
 * hashes replace the checkpoints appended so far.
 */
int	store_session_finish(struct store *, int64_t session,
	    const struct store_batch *, const struct store_result *,
	    char **cause);
/*
 * Load a session exported as JSON (the format session_export writes) as
 * a new session; name is used in messages.  A session with the same uid
 * that is finished is refused ("already in DB as session N"); one left
 * running or interrupted is replaced by the whole one.
 */
int	store_import(struct store *, const char *json, const char *name,
	    int64_t *id, char **cause);
/*
 * Mark a running session interrupted at the sim time its batches reached
 * (its end could not be written).
 */
int	store_session_interrupt(struct store *, int64_t session, char **cause);
/* Mark sessions whose recording process is gone; *n gets how many. */
int	store_recover(struct store *, int *n, char **cause);

/*
 * Replace a session's post-mortem answers and, when sr is not NULL, its
 * score row with the score they give: one transaction, so the answers and
 * the score never disagree.
 */
int	store_postmortem_put(struct store *, int64_t session,
	    const struct pm_answers *, const struct store_result *sr,
	    char **cause);

/* A stored session, whole: what replay, the debrief and rescoring read. */
struct stored_session {
	int64_t		 id;
	char		*player;
	char		*incident;
	char		*source;	/* NULL for sessions before schema 2 */
	char		*mode;
	char		*outcome;	/* "interrupted": sim_ms is how far */
	char		*engine_version;
	char		*uid;		/* NULL before schema 3 */
	char		*state_hash;
	uint64_t	 seed;
	int		 api_version;
	int64_t		 started_at, ended_at, sim_ms;
	int64_t		 parent_id;	/* 0 none */
	int64_t		 branch_ms;	/* -1 none */
	int		 scored;
	int		 score_version;
	int		 score_total;
	char		 grade[2];
	int64_t		 phase_ms[4];	/* -1 not reached */
	double		 budget_burned_pct;
	char		*score_json;
	struct timeline	 tl;		/* events with kind, arg, val, ... */
	int64_t		 every_ms;	/* 0: no checkpoints */
	uint64_t	*hashes;
	size_t		 nhashes;
	struct pm_answers pm;
};

/*
 * Load session id (0: the most recent finished one).  -1 with cause
 * "database PATH has no session N" and the like.
 */
int	store_session_load(struct store *, int64_t id, struct stored_session *,
	    char **cause);
void	stored_session_free(struct stored_session *);

/* How many sessions / events are stored (tests, `firedrill history` later). */
int	store_count_sessions(struct store *, int64_t *n, char **cause);
int	store_count_events(struct store *, int64_t session, int64_t *n,
	    char **cause);

/*
 * How often an incident was played to an end, and its best score and
 * grade (best = -1, grade "" when never scored).
 */
int	store_incident_best(struct store *, const char *incident, int *played,
	    int *best, char grade[2], char **cause);

/* ---- history: what `firedrill history`, `stats`, the picker and --ghost read ---- */

/* One session as history lists it. */
struct store_hist {
	int64_t		 id;
	int64_t		 started_at;	/* unix seconds */
	char		*player;
	char		*incident;
	char		*mode;
	char		*outcome;	/* "running" while unfinished */
	uint64_t	 seed;
	int64_t		 sim_ms;	/* -1 unknown */
	int		 scored;	/* the fields below are valid */
	int		 total;
	char		 grade[2];
	int64_t		 phase_ms[4];	/* detect triage mitigate fix; -1 */
};

/*
 * Sessions newest first (started_at, then id), of one incident or of all
 * (incident NULL), at most limit of them (limit < 0: all).  *v is the
 * caller's, freed with store_history_free; *n may be 0.
 */
int	store_history(struct store *, const char *incident, int limit,
	    struct store_hist **v, size_t *n, char **cause);
void	store_history_free(struct store_hist *, size_t);

/* A best session: what the picker and the ghost show. */
struct store_best {
	int		 found;		/* 0: nothing scored matches */
	int64_t		 session;
	uint64_t	 seed;
	int		 total;
	char		 grade[2];
	int64_t		 phase_ms[4];	/* -1 not reached */
};

/*
 * The best scored session of an incident: of one seed (seed non-NULL) or
 * any, of one player (player non-NULL) or any.  Highest total wins; on a
 * tie the earliest session, the one that set the mark first.
 */
int	store_best(struct store *, const char *incident, const uint64_t *seed,
	    const char *player, struct store_best *, char **cause);

/* The five interview signals as breakdown_json names them, in order. */
#define STORE_NSIGNALS	5
const char	*store_signal_name(int);

/* How a set of incidents has gone: one family, one incident, or all. */
struct store_stats {
	int		 played;	/* sessions played to an end */
	int		 best_rank;	/* 0 S .. 4 D; -1 never scored */
	char		 best_grade[2];	/* "" never scored */
	int		 best_total;	/* -1 never scored */
	int		 reached[4];	/* sessions that reached each phase */
	int64_t		 median_ms[4];	/* over those sessions; -1 none */
	int		 nsignals;	/* sessions whose score has signals */
	double		 signal_avg[STORE_NSIGNALS];	/* stars; -1 no data */
	int64_t		 last_at;	/* latest started_at; 0 never */
};

/*
 * Statistics over the finished sessions whose incident is one of ids[0..n)
 * (ids NULL: every session).  Sessions scored before signals existed count
 * everywhere except in the signal averages.
 */
int	store_stats(struct store *, const char *const *ids, size_t n,
	    struct store_stats *, char **cause);
/* Index of the signal with the lowest average (first on ties); -1 none. */
int	store_stats_weakest(const struct store_stats *);

#endif
