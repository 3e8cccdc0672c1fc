/*
 * The database's inside: plans that follow the indexes, long backends,
 * jobs that start them, and table locks in the Postgres conflict matrix
 * with a FIFO queue.  A queued ACCESS EXCLUSIVE blocks everything behind
 * it; a non-concurrent index build blocks writers; CREATE INDEX
 * CONCURRENTLY waits for the snapshots older than itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "util/xmalloc.h"

/* Rows: the requested mode; columns: a held mode (Postgres docs). */
static const unsigned char conflict[LK__COUNT][LK__COUNT] = {
	/*		 none AS RE SUE SH AE */
	[LK_NONE] =		{ 0, 0, 0, 0, 0, 0 },
	[LK_ACCESS_SHARE] =	{ 0, 0, 0, 0, 0, 1 },
	[LK_ROW_EXCLUSIVE] =	{ 0, 0, 0, 0, 1, 1 },
	[LK_SHARE_UPDATE_EXCLUSIVE] = { 0, 0, 0, 1, 1, 1 },
	[LK_SHARE] =		{ 0, 0, 1, 1, 0, 1 },
	[LK_ACCESS_EXCLUSIVE] =	{ 0, 1, 1, 1, 1, 1 },
};

int
lock_conflicts(enum lock_mode a, enum lock_mode b)
{
	return (conflict[a][b]);
}

const char *
lock_mode_name(enum lock_mode m)
{
	static const char *names[] = { "none", "AccessShareLock",
	    "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
	    "AccessExclusiveLock" };

	return (names[m]);
}

/* The index whose leading columns cover the query's filter, or -1. */
int
dbx_plan_index(const struct world *w, const struct dbx_query *q)
{
	const struct dbx_table	*t = &w->dbx.table[q->table];
	int			 i, j, k, cover;

	for (i = 0; i < t->nidx; i++) {
		cover = 0;
		/* Leading columns, in any order of the filter's. */
		for (j = 0; j < t->idx[i].ncols; j++) {
			for (k = 0; k < q->nwhere; k++)
				if (strcmp(t->idx[i].cols[j], q->where[k]) == 0)
					break;
			if (k == q->nwhere)
				break;
			cover++;
		}
		if (cover == q->nwhere && cover > 0)
			return (i);
	}
	return (-1);
}

/* How long one run of the query takes, and on how many cores. */
double
dbx_plan_seconds(const struct world *w, const struct dbx_query *q,
    double *cores)
{
	const struct dbx_table *t = &w->dbx.table[q->table];

	if (dbx_plan_index(w, q) >= 0) {
		*cores = 1;
		return (q->index_ms / 1000);
	}
	*cores = q->workers > 0 ? q->workers : 1;
	return (t->rows / fmax(1, q->scan_rows_per_s));
}

int
dbx_table_blocked(const struct world *w, int table, enum lock_mode want)
{
	int	i;

	if (table < 0)
		return (0);
	/* Granted conflicts, and queued ones: a waiting strong lock blocks
	 * everyone who asks after it. */
	for (i = 0; i < w->dbx.nbe; i++) {
		const struct dbx_backend *b = &w->dbx.be[i];

		if (b->done || b->table != table || b->lock == LK_NONE)
			continue;
		if (lock_conflicts(want, b->lock))
			return (1);
	}
	return (0);
}

static struct dbx_backend *
new_backend(struct game *g, enum op_kind kind, int table, enum lock_mode lk,
    const char *app, const char *role)
{
	struct dbx	*d = &g->w.dbx;
	struct dbx_backend *b;

	d->be = xreallocarray(d->be, d->nbe + 1, sizeof *d->be);
	b = &d->be[d->nbe++];
	memset(b, 0, sizeof *b);
	b->pid = d->next_pid;
	d->next_pid += 1 + (int)rng_range(&g->cos, 1, 160);
	b->kind = kind;
	b->table = table;
	b->lock = lk;
	b->start = b->wait_since = g->tick;
	b->query = -1;
	strlcpy_fd(b->app, app, sizeof b->app);
	strlcpy_fd(b->role, role, sizeof b->role);
	return (b);
}

int
dbx_start_query(struct game *g, int query, const char *app, const char *role)
{
	struct world		*w = &g->w;
	struct dbx_query	*q = &w->dbx.query[query];
	struct dbx_backend	*b;
	double			 cores, secs;
	int			 i;

	secs = dbx_plan_seconds(w, q, &cores);
	if ((i = dbx_plan_index(w, q)) >= 0)
		w->dbx.table[q->table].idx[i].scans++;
	q->calls++;
	q->total_ms += secs * 1000;
	if (secs < 1)
		return (-1);	/* a short query: no backend to watch */
	b = new_backend(g, OP_QUERY, q->table, LK_ACCESS_SHARE, app, role);
	b->query = query;
	b->duration_s = secs;
	b->cores = cores;
	b->rows_per_s = q->scan_rows_per_s;
	/* ALTER ROLE … SET reaches new sessions only. */
	for (i = 0; i < w->dbx.nrole; i++)
		if (strcmp(w->dbx.role[i].name, role) == 0)
			b->timeout_ms = w->dbx.role[i].statement_timeout_ms;
	return (b->pid);
}

int
dbx_start_index(struct game *g, int table, const char *name,
    char cols[][32], int ncols, int concurrently)
{
	struct dbx_backend	*b;
	int			 i;

	b = new_backend(g, OP_INDEX, table, concurrently ?
	    LK_SHARE_UPDATE_EXCLUSIVE : LK_SHARE, "psql", "dba");
	strlcpy_fd(b->idx_name, name, sizeof b->idx_name);
	for (i = 0; i < ncols && i < DBX_MAXCOLS; i++)
		strlcpy_fd(b->idx_cols[i], cols[i], sizeof b->idx_cols[i]);
	b->idx_ncols = ncols;
	b->concurrently = concurrently;
	b->waiting_snapshots = concurrently;
	/* Build time scales with the table: 12 min for 500M rows. */
	b->duration_s = g->w.dbx.index_build_s *
	    g->w.dbx.table[table].rows / 500e6;
	b->cores = 2;
	return (b->pid);
}

int
dbx_start_vacuum_full(struct game *g, int table)
{
	const struct dbx_table	*t = &g->w.dbx.table[table];
	const struct disk	*dk = &g->w.db[t->node].disk;
	struct dbx_backend	*b;

	b = new_backend(g, OP_VACUUM_FULL, table, LK_ACCESS_EXCLUSIVE, "psql",
	    "dba");
	/* A rewrite of the whole table: hours.  It needs room for a second
	 * copy; without it, it fails once it has the lock and has begun. */
	b->duration_s = 3 * 3600 * g->w.dbx.table[table].rows / 500e6;
	if (dk->on && disk_free_gb(dk) < t->size_gb) {
		b->duration_s = 20;
		b->doomed = 1;
	}
	b->cores = 1;
	return (b->pid);
}

int
dbx_kill(struct game *g, int pid)
{
	struct dbx	*d = &g->w.dbx;
	int		 i;

	for (i = 0; i < d->nbe; i++) {
		if (d->be[i].pid == pid && !d->be[i].done) {
			d->be[i].done = 1;
			game_log(g, g->w.db[d->table[d->be[i].table].node].name,
			    "FATAL", "terminating connection due to"
			    " administrator command (pid %d)", pid);
			return (0);
		}
	}
	return (-1);
}

int
dbx_job_allowed(const struct world *w, const struct dbx_job *j)
{
	if (!j->enabled)
		return (0);
	if (j->flag[0] != '\0' && !world_flag_on(w, j->flag))
		return (0);
	if (j->version[0] != '\0' && j->svc >= 0 &&
	    svc_version_share(&w->svc[j->svc], j->version) < 0.5)
		return (0);
	return (1);
}

/* A lock is granted when nothing earlier in the queue conflicts. */
static void
grant(struct world *w, int i)
{
	struct dbx_backend	*b = &w->dbx.be[i];
	int			 k;

	for (k = 0; k < i; k++) {
		const struct dbx_backend *o = &w->dbx.be[k];

		if (o->done || o->table != b->table)
			continue;
		if (lock_conflicts(b->lock, o->lock))
			return;
	}
	b->granted = 1;
	b->start = -1;
}

void
dbx_step(struct game *g)
{
	struct world	*w = &g->w;
	struct dbx	*d = &w->dbx;
	int		 i, k, n;

	for (i = 0; i < w->ndb; i++)
		w->db[i].backend_cores = 0;
	for (i = 0; i < d->njob; i++) {
		struct dbx_job *j = &d->job[i];

		if (j->query < 0 || j->next < 0 || g->tick < j->next)
			continue;	/* writers run in disk_step */
		j->next = g->tick + (long)(j->every_s * TICKS_PER_S);
		if (!dbx_job_allowed(w, j))
			continue;
		j->runs++;
		if (dbx_start_query(g, j->query, j->app, j->role) >= 0)
			game_log(g, j->app, "INFO", "scheduler: run %s #%d"
			    " started", j->name, j->runs);
	}
	n = d->nbe;
	for (i = 0; i < n; i++) {
		struct dbx_backend *b = &d->be[i];
		double elapsed;

		if (b->done)
			continue;
		if (!b->granted) {
			grant(w, i);
			if (!b->granted)
				continue;
			b->start = g->tick;
		}
		if (b->kind == OP_INDEX && b->waiting_snapshots) {
			/* CIC: every transaction older than it must end. */
			int old = 0;

			for (k = 0; k < i; k++)
				old |= !d->be[k].done &&
				    d->be[k].kind == OP_QUERY &&
				    d->be[k].table == b->table;
			if (old)
				continue;
			b->waiting_snapshots = 0;
			b->start = g->tick;
		}
		elapsed = (double)(g->tick - b->start) * TICK_S;
		if (b->kind == OP_QUERY) {
			if (b->timeout_ms > 0 &&
			    elapsed * 1000 >= b->timeout_ms) {
				char	*t;

				b->done = 1;
				game_log(g, b->app, "ERROR", "canceling statement"
				    " due to statement timeout (pid %d, %.0f"
				    " rows scanned)", b->pid, b->rows_done);
				t = xasprintf("statement timeout canceled pid %d"
				    " after %.0f rows", b->pid, b->rows_done);
				game_event(g, EV_INFO, "db", t, NULL, 0,
				    b->rows_done);
				free(t);
				continue;
			}
			b->rows_done += b->rows_per_s * TICK_S;
		}
		w->db[d->table[b->table].node].backend_cores += b->cores;
		if (elapsed < b->duration_s)
			continue;
		b->done = 1;
		if (b->kind == OP_INDEX) {
			struct dbx_table *t = &d->table[b->table];

			if (t->nidx < DBX_MAXIDX) {
				struct dbx_index *x = &t->idx[t->nidx++];

				memset(x, 0, sizeof *x);
				strlcpy_fd(x->name, b->idx_name, sizeof x->name);
				for (k = 0; k < b->idx_ncols; k++)
					strlcpy_fd(x->cols[k], b->idx_cols[k],
					    sizeof x->cols[k]);
				x->ncols = b->idx_ncols;
			}
			game_log(g, w->db[t->node].name, "LOG", "index %s on"
			    " %s built", b->idx_name, t->name);
			game_event(g, EV_ACTION_DONE, "system", b->idx_name,
			    "index built", 0, 0);
		} else if (b->kind == OP_VACUUM_FULL) {
			struct dbx_table *t = &d->table[b->table];
			struct disk *dk = &w->db[t->node].disk;
			double shrink = t->reusable_gb + t->dead * t->row_gb;

			if (b->doomed) {
				game_log(g, w->db[t->node].name, "ERROR",
				    "could not extend file: No space left on"
				    " device (VACUUM FULL %s, pid %d)",
				    t->name, b->pid);
				continue;
			}
			t->size_gb -= shrink;
			t->dead = t->reusable_gb = 0;
			if (dk->on)
				dk->gb[DISK_TABLES] -= shrink;
			game_log(g, w->db[t->node].name, "LOG", "VACUUM FULL"
			    " %s done: %.0f GB returned", t->name, shrink);
		}
	}
	/* Keep the array small: drop what ended long ago. */
	for (i = k = 0; i < d->nbe; i++)
		if (!d->be[i].done || g->tick - d->be[i].start <
		    60 * TICKS_PER_S)
			d->be[k++] = d->be[i];
	d->nbe = k;
	dbx_deadlock_step(g);
}

/* Longest running backend, seconds, on node. */
double
dbx_longest(const struct game *g, int node)
{
	const struct dbx	*d = &g->w.dbx;
	double			 longest = 0;
	int			 i;

	for (i = 0; i < d->nbe; i++) {
		const struct dbx_backend *b = &d->be[i];

		if (b->done || d->table[b->table].node != node ||
		    b->kind != OP_QUERY || !b->granted)
			continue;
		longest = fmax(longest, (double)(g->tick - b->start) * TICK_S);
	}
	return (longest);
}
