/*
 * Inside the database (catalog A.2.6): tables with their indexes, query
 * classes whose plan follows the indexes (sequential or index scan),
 * long-running backends (what pg_stat_activity lists) with statement
 * timeouts, scheduled jobs that start them, and table locks with the
 * Postgres conflict matrix and a FIFO queue, so maintenance operations
 * (index builds, VACUUM FULL) block what they really block.  Data comes
 * from Lua; no C knows a table or a query by name.
 */
#ifndef FD_DBX_H
#define FD_DBX_H

#include "engine/disk.h"

#define DBX_NAME	48
#define DBX_MAXIDX	12
#define DBX_MAXCOLS	4

enum lock_mode {
	LK_NONE,
	LK_ACCESS_SHARE,		/* SELECT */
	LK_ROW_EXCLUSIVE,		/* INSERT, UPDATE, DELETE */
	LK_SHARE_UPDATE_EXCLUSIVE,	/* VACUUM, CREATE INDEX CONCURRENTLY */
	LK_SHARE,			/* CREATE INDEX */
	LK_ACCESS_EXCLUSIVE,		/* VACUUM FULL, DDL */
	LK__COUNT
};

/* 1 when a lock in mode a conflicts with one in mode b (Postgres). */
int		 lock_conflicts(enum lock_mode a, enum lock_mode b);
const char	*lock_mode_name(enum lock_mode);

struct dbx_index {
	char	 name[DBX_NAME];
	char	 cols[DBX_MAXCOLS][32];
	int	 ncols;
	double	 scans;		/* idx_scan */
};

struct dbx_table {
	char		 name[DBX_NAME];
	int		 node;
	double		 rows;
	struct dbx_index idx[DBX_MAXIDX];
	int		 nidx;
	/* On disk: the heap, its dead tuples and the space vacuum freed
	 * for reuse (never given back to the volume). */
	double		 size_gb, dead, reusable_gb, row_gb;
	int		 autovacuum;	/* running */
	int		 m_dead;
};

struct dbx_query {
	char		 id[24];	/* "Q-7f3a" */
	char		*sql;
	int		 table;
	char		 where[DBX_MAXCOLS][32];	/* filtered columns */
	int		 nwhere;
	double		 scan_rows_per_s;	/* a sequential scan's speed */
	int		 workers;	/* parallel workers of a seq scan */
	double		 index_ms;	/* with a matching index */
	double		 calls, total_ms;	/* pg_stat_statements */
};

enum op_kind {
	OP_QUERY,	/* a long query: a report run */
	OP_INDEX,	/* CREATE INDEX [CONCURRENTLY] */
	OP_VACUUM_FULL,
};

/* A running backend: a long query or a maintenance operation. */
struct dbx_backend {
	int		 pid;
	enum op_kind	 kind;
	int		 query;		/* OP_QUERY */
	int		 table;
	enum lock_mode	 lock;
	int		 granted;	/* holds its lock (else queued) */
	long		 start, wait_since;	/* ticks */
	double		 duration_s;	/* planned, once running */
	double		 cores;
	double		 rows_done, rows_per_s;
	double		 timeout_ms;	/* its role's, at session start */
	char		 app[DBX_NAME];
	char		 role[DBX_NAME];
	/* OP_INDEX */
	char		 idx_name[DBX_NAME];
	char		 idx_cols[DBX_MAXCOLS][32];
	int		 idx_ncols;
	int		 concurrently;
	int		 waiting_snapshots;
	int		 doomed;	/* VACUUM FULL without room: fails */
	int		 done;
};

struct dbx_job {
	char		 name[DBX_NAME];
	int		 query;
	double		 every_s;
	char		 app[DBX_NAME];
	char		 role[DBX_NAME];
	char		 flag[DBX_NAME];	/* runs only while on; "" = always */
	char		 version[DBX_NAME];	/* runs only on this app version */
	int		 svc;		/* the app's service, -1 */
	int		 enabled;
	long		 next;		/* tick of the next run */
	int		 runs;
	/* A writer (query == -1): updates rows_total rows of table at
	 * rows_per_s, writing WAL and bloating the heap as it goes. */
	int		 table;
	double		 rows_per_s, rows_total, rows_done;
	double		 wal_gb_min, bloat_gb_min;
	long		 start;		/* tick it starts */
	/* A continuous job (a sync): drives a route at rate × workers. */
	int		 route;		/* -1: a scheduled query job */
	double		 rate;		/* tx/s per worker */
	double		 workers;
	double		 win_from_s, win_to_s;	/* time of day; from < 0: always */
	int		 running;
	double		 lag_s;		/* stock counts behind, seconds */
	int		 m_lag;
};

/*
 * Two request classes that lock the same two tables in opposite orders
 * (catalog A.2.6): deadlocks at the Poisson rate kappa·λA·λB per minute
 * while both sides run a version with the inconsistent order.  Each one
 * holds both sessions for lock_wait_timeout, blocking the A sessions on
 * the same hot rows (hot_pct of A) meanwhile, then aborts one of the pair.
 */
struct dbx_deadlock {
	char		 name[DBX_NAME];	/* "checkout-sync" */
	int		 a, b;		/* classes */
	char		 a_version[DBX_NAME], b_version[DBX_NAME];
	char		 a_table[DBX_NAME], b_table[DBX_NAME];	/* first locked */
	int		 node;
	double		 kappa;		/* per min per (tx/s)^2 */
	double		 hot_pct;	/* share of A on the pair's hot rows */
	double		 b_hot_pct;	/* … and of B */
	double		 inst_a0, inst_b0;	/* instances at start (overlap) */
	/* dynamics */
	double		 per_min;	/* expected rate now */
	double		 followers;	/* A sessions stuck behind each */
	double		 b_followers;	/* B sessions */
	double		 sessions;	/* deadlocked sessions now */
	double		 waiters;	/* all sessions waiting on them */
	double		 share_a, share_b;	/* requests caught */
	double		 total;		/* deadlocks so far */
	double		 logged;
	int		 pid_a, pid_b, row_a, row_b;	/* the last one */
	int		 pid_first;	/* of the first one */
};

struct dbx_role {
	char		 name[DBX_NAME];
	double		 statement_timeout_ms;	/* 0 = none */
};

struct dbx {
	struct dbx_table	*table;	int ntable;
	struct dbx_query	*query;	int nquery;
	struct dbx_backend	*be;	int nbe;
	struct dbx_job		*job;	int njob;
	struct dbx_role		*role;	int nrole;
	struct write_stream	*ws;	int nws;
	struct dbx_deadlock	*dl;	int ndl;
	int			 next_pid;
	double			 lock_wait_timeout_ms;
	double			 index_build_s;	/* on a 500M-row table */
	double			 autovacuum_scale_factor;
};

/* Deadlocks per minute, kappa·λA·λB (pure; for tests). */
double		 deadlock_rate(double kappa, double la, double lb);
/* Share of A requests caught: the deadlocked one and its followers. */
double		 deadlock_share(double per_min, double followers, double la);

#endif
