/*
 * The database's commands: `show db activity|locks|stats|indexes|progress`,
 * `explain`, `kill query|job`, `run db create-index|drop-index|vacuum`,
 * and the settings that live in the database (statement timeouts per
 * role, the lock wait timeout).  They work on any world with tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static int
find_table(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->dbx.ntable; i++)
		if (strcmp(w->dbx.table[i].name, name) == 0)
			return (i);
	return (-1);
}

static int
find_query(const struct world *w, const char *id)
{
	int	i;

	for (i = 0; i < w->dbx.nquery; i++)
		if (strcmp(w->dbx.query[i].id, id) == 0)
			return (i);
	return (-1);
}

/* Long-running backends, as pg_stat_activity's first rows. */
void
cmd_db_backends(struct cmd_ctx *c, const char *app)
{
	const struct world	*w = &c->g->w;
	char			 a[16], what[160];
	int			 i;

	for (i = 0; i < w->dbx.nbe; i++) {
		const struct dbx_backend *b = &w->dbx.be[i];
		double secs;

		if (b->done || (app != NULL && strcmp(b->app, app) != 0))
			continue;
		secs = (double)(c->g->tick - (b->granted ? b->start :
		    b->wait_since)) * TICK_S;
		if (b->kind == OP_QUERY)
			snprintf(what, sizeof what, "%.70s",
			    w->dbx.query[b->query].sql);
		else if (b->kind == OP_INDEX)
			snprintf(what, sizeof what, "CREATE INDEX %s%s ON %s",
			    b->concurrently ? "CONCURRENTLY " : "", b->idx_name,
			    w->dbx.table[b->table].name);
		else
			snprintf(what, sizeof what, "VACUUM FULL %s",
			    w->dbx.table[b->table].name);
		buf_printf(c->out, "%6d  %-10.10s %-20s %-10s %8s  %s\n",
		    b->pid, b->app, b->granted ? "active" : "active (waiting)",
		    !b->granted ? "Lock" : b->waiting_snapshots ?
		    "Snapshot" : "CPU", cmd_fmt_ms(secs * 1000, a, sizeof a),
		    what);
	}
	/* The last deadlocked pair, each waiting for the other's row. */
	for (i = 0; i < w->dbx.ndl; i++) {
		const struct dbx_deadlock *d = &w->dbx.dl[i];
		const struct svc_class *ca = &w->cls[d->a], *cb = &w->cls[d->b];

		if (d->pid_a == 0 || d->sessions < 0.05)
			continue;
		if (app == NULL || strcmp(app, w->svc[ca->svc].name) == 0)
			buf_printf(c->out, "%6d  %-10.10s %-20s %-10s %8s  UPDATE"
			    " %s SET … WHERE id = %d\n", d->pid_a,
			    w->svc[ca->svc].name, "active (waiting)", "Lock",
			    cmd_fmt_ms(dbx_lock_hold_ms(w) / 2, a, sizeof a),
			    d->b_table, d->row_b);
		if (app == NULL || strcmp(app, w->svc[cb->svc].name) == 0)
			buf_printf(c->out, "%6d  %-10.10s %-20s %-10s %8s  UPDATE"
			    " %s SET … WHERE id = %d\n", d->pid_b,
			    w->svc[cb->svc].name, "active (waiting)", "Lock",
			    cmd_fmt_ms(dbx_lock_hold_ms(w) / 2, a, sizeof a),
			    d->a_table, d->row_a);
	}
}

static void
show_locks(struct cmd_ctx *c)
{
	const struct world	*w = &c->g->w;
	int			 i, k, n = 0;

	buf_printf(c->out, "%6s  %-12s %-26s %-8s %s\n", "PID", "TABLE",
	    "MODE", "GRANTED", "BLOCKED BY");
	for (i = 0; i < w->dbx.nbe; i++) {
		const struct dbx_backend *b = &w->dbx.be[i];

		if (b->done || b->lock == LK_NONE)
			continue;
		buf_printf(c->out, "%6d  %-12s %-26s %-8s", b->pid,
		    w->dbx.table[b->table].name, lock_mode_name(b->lock),
		    b->granted ? "yes" : "no");
		for (k = 0; k < i && !b->granted; k++)
			if (!w->dbx.be[k].done && w->dbx.be[k].table ==
			    b->table && lock_conflicts(b->lock,
			    w->dbx.be[k].lock))
				buf_printf(c->out, " %d", w->dbx.be[k].pid);
		buf_putc(c->out, '\n');
		n++;
	}
	for (i = 0; i < w->ncls; i++)
		if (w->cls[i].locked)
			buf_printf(c->out, "   …  %-12s %-26s %-8s %s.%s queries"
			    " wait up to %.0f s\n",
			    w->dbx.table[w->cls[i].table].name,
			    w->cls[i].db == DBK_WRITE ? "RowExclusiveLock" :
			    "AccessShareLock", "no", w->svc[w->cls[i].svc].name,
			    w->cls[i].name, w->dbx.lock_wait_timeout_ms / 1000);
	for (i = 0; i < w->dbx.ndl; i++) {
		const struct dbx_deadlock *d = &w->dbx.dl[i];
		const struct svc_class *ca = &w->cls[d->a], *cb = &w->cls[d->b];

		if (d->pid_a == 0 || d->per_min <= 0)
			continue;
		buf_printf(c->out, "wait-for cycle (deadlock, %.1f/min):\n"
		    "  %d %s.%s: holds %s#%d, waits %s#%d\n"
		    "  %d %s.%s: holds %s#%d, waits %s#%d\n"
		    "  ≈%.0f sessions wait on the pair's rows (up to %.0f s)\n",
		    d->per_min, d->pid_a, w->svc[ca->svc].name, ca->name,
		    d->a_table, d->row_a, d->b_table, d->row_b, d->pid_b,
		    w->svc[cb->svc].name, cb->name, d->b_table, d->row_b,
		    d->a_table, d->row_a, d->waiters,
		    dbx_lock_hold_ms(w) / 1000);
		n++;
	}
	if (n == 0)
		buf_puts(c->out, "no long-held table locks, no deadlocks\n");
}

static void
show_stats(struct cmd_ctx *c)
{
	const struct world	*w = &c->g->w;
	int			 i;

	buf_printf(c->out, "%-8s %10s %14s %12s  %s\n", "QUERY", "CALLS",
	    "TOTAL MS", "MEAN MS", "SQL");
	for (i = 0; i < w->dbx.nquery; i++) {
		const struct dbx_query *q = &w->dbx.query[i];

		buf_printf(c->out, "%-8s %10.0f %14.0f %12.0f  %.60s\n", q->id,
		    q->calls, q->total_ms, q->calls > 0 ? q->total_ms / q->calls :
		    0, q->sql);
	}
	for (i = 0; i < w->dbx.nws; i++) {
		const struct write_stream *ws = &w->dbx.ws[i];
		const struct dbx_table *t = &w->dbx.table[ws->table];
		int batched = world_flag_on(w, ws->batch_flag);

		buf_printf(c->out, "%-24s %.0f rows/s, %.0f calls/s (%s), %d"
		    " indexes\n", ws->name, ws->rows_per_s,
		    ws->rows_per_s / (batched ? ws->batch_rows : 1), batched ?
		    "batched" : "autocommit", t->nidx);
	}
}

/* pg_stat_user_tables, roughly: what each table holds and owes. */
static void
show_tables(struct cmd_ctx *c)
{
	const struct world	*w = &c->g->w;
	int			 i;

	if (w->dbx.ntable == 0) {
		buf_puts(c->out, "no tables described in this world\n");
		return;
	}
	buf_printf(c->out, "%-16s %-6s %14s %9s %12s %4s\n", "TABLE", "NODE",
	    "ROWS", "SIZE GB", "DEAD", "IDX");
	for (i = 0; i < w->dbx.ntable; i++) {
		const struct dbx_table *t = &w->dbx.table[i];

		buf_printf(c->out, "%-16.16s %-6.6s %14.0f %9.0f %12.0f %4d%s\n",
		    t->name, w->db[t->node].name, t->rows, t->size_gb, t->dead,
		    t->nidx, t->autovacuum ? "  vacuuming" : "");
	}
}

static int
show_indexes(struct cmd_ctx *c, const char *table)
{
	const struct world	*w = &c->g->w;
	int			 t, i, k;

	if ((t = find_table(w, table)) == -1)
		return (cmd_error(c, "no table '%.40s' (show db tables)",
		    table));
	buf_printf(c->out, "%s: %.0f rows\n", table, w->dbx.table[t].rows);
	for (i = 0; i < w->dbx.table[t].nidx; i++) {
		const struct dbx_index *x = &w->dbx.table[t].idx[i];

		char cols[128] = "";

		for (k = 0; k < x->ncols; k++)
			snprintf(cols + strlen(cols), sizeof cols - strlen(cols),
			    "%s%s", k ? ", " : "", x->cols[k]);
		buf_printf(c->out, "  %-32s %-28s idx_scan %.0f\n", x->name,
		    cols, x->scans);
	}
	return (0);
}

static void
show_progress(struct cmd_ctx *c)
{
	const struct world	*w = &c->g->w;
	char			 state[64];
	int			 i, n = 0;

	for (i = 0; i < w->dbx.nbe; i++) {
		const struct dbx_backend *b = &w->dbx.be[i];
		double pct;

		if (b->done || b->kind == OP_QUERY)
			continue;
		pct = b->granted && !b->waiting_snapshots ? 100 *
		    (double)(c->g->tick - b->start) * TICK_S /
		    fmax(1, b->duration_s) : 0;
		if (!b->granted)
			snprintf(state, sizeof state, "waiting for a lock");
		else if (b->waiting_snapshots)
			snprintf(state, sizeof state, "waiting for old snapshots");
		else
			snprintf(state, sizeof state, "%s %.0f%%", b->kind ==
			    OP_INDEX ? "building" : "rewriting", pct);
		buf_printf(c->out, "%6d  %s %s: %s\n", b->pid, b->kind ==
		    OP_INDEX ? "CREATE INDEX" : "VACUUM FULL", b->kind ==
		    OP_INDEX ? b->idx_name : w->dbx.table[b->table].name, state);
		n++;
	}
	if (n == 0)
		buf_puts(c->out, "no maintenance running\n");
}

int
cmd_show_db(struct cmd_ctx *c, int argc, char **argv)
{
	const char	*what = argc > 2 ? argv[2] : "";

	if (strcmp(what, "locks") == 0)
		show_locks(c);
	else if (strcmp(what, "stats") == 0)
		show_stats(c);
	else if (strcmp(what, "indexes") == 0) {
		if (argc != 4)
			return (cmd_error(c, "usage: show db indexes TABLE"));
		return (show_indexes(c, argv[3]));
	} else if (strcmp(what, "tables") == 0)
		show_tables(c);
	else if (strcmp(what, "progress") == 0)
		show_progress(c);
	else if (strcmp(what, "disk") == 0)
		return (cmd_show_disk(c, argc, argv));
	else if (strcmp(what, "repl") == 0 || strcmp(what, "replication") == 0)
		return (cmd_show_repl(c));
	else
		return (cmd_error(c, "show db activity [--app SVC] | locks |"
		    " stats | tables | indexes TABLE | progress | disk [NODE] |"
		    " repl"));
	return (0);
}

int
cmd_explain_exec(struct cmd_ctx *c, int argc, char **argv)
{
	const struct world	*w = &c->g->w;
	const struct dbx_query	*q;
	char			 a[16];
	double			 cores, secs;
	int			 i, x;

	if (argc != 2)
		return (cmd_error(c, "usage: explain QUERY_ID (show db stats"
		    " lists them)"));
	if ((i = find_query(w, argv[1])) == -1)
		return (cmd_error(c, "no query '%.30s' (show db stats)",
		    argv[1]));
	q = &w->dbx.query[i];
	secs = dbx_plan_seconds(w, q, &cores);
	buf_printf(c->out, "%s\n", q->sql);
	if ((x = dbx_plan_index(w, q)) >= 0)
		buf_printf(c->out, "Index Scan using %s on %s  (rows=%.0f)\n"
		    "  est. time %s\n", w->dbx.table[q->table].idx[x].name,
		    w->dbx.table[q->table].name, 1000.0,
		    cmd_fmt_ms(secs * 1000, a, sizeof a));
	else
		buf_printf(c->out, "Gather  (workers planned: %d)\n"
		    "  ->  Parallel Seq Scan on %s  (rows=%.0f)\n"
		    "  est. time %.0f min\n", q->workers,
		    w->dbx.table[q->table].name, w->dbx.table[q->table].rows,
		    secs / 60);
	return (0);
}

/* kill query PID (a backend) or kill job NAME. */
int
cmd_kill_db(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		*end;
	long		 pid;
	int		 i;

	if (argc == 3 && strcmp(argv[1], "job") == 0) {
		const char *name = strncmp(argv[2], "job:", 4) == 0 ?
		    argv[2] + 4 : argv[2];

		for (i = 0; i < w->dbx.njob; i++)
			if (strcmp(w->dbx.job[i].name, name) == 0)
				break;
		if (i == w->dbx.njob) {
			/* -2: no tenant job by that name either. */
			int rc = cmd_kill_tenant_job(c, name);

			if (rc != -2)
				return (rc);
			return (cmd_error(c, "no job '%.40s' (show jobs)",
			    name));
		}
		w->dbx.job[i].enabled = 0;
		if (w->dbx.job[i].route >= 0)
			buf_printf(c->out, "job %s stopped\n", name);
		else if (w->dbx.job[i].rows_total > 0)
			buf_printf(c->out, "job %s stopped after %.0f of %.0f"
			    " rows (the current batch rolls back)\n", name,
			    w->dbx.job[i].rows_done, w->dbx.job[i].rows_total);
		else
			buf_printf(c->out, "job %s stopped: no new runs (running"
			    " ones continue; kill query PID for those)\n",
			    name);
		cmd_changed(c, name, c->canonical);
		return (0);
	}
	if (argc != 3 || strcmp(argv[1], "query") != 0)
		return (cmd_error(c, "usage: kill query PID | kill job NAME"));
	pid = strtol(argv[2], &end, 10);
	if (*end != '\0' || pid < 1 || pid > 99999999)
		return (cmd_error(c, "kill query: '%.20s' is not a pid",
		    argv[2]));
	if (dbx_kill(c->g, (int)pid) == 0) {
		buf_printf(c->out, "pg_terminate_backend(%ld): t\n", pid);
		cmd_changed(c, "db", c->canonical);
		return (0);
	}
	for (i = 0; i < w->dbx.ndl; i++)
		if (w->dbx.dl[i].pid_first > 0 && pid >= w->dbx.dl[i].pid_first
		    && pid <= w->dbx.dl[i].pid_b) {
			buf_printf(c->out, "pg_terminate_backend(%ld): t — its"
			    " request fails; the database ends each deadlock"
			    " by itself, and the next one follows\n", pid);
			cmd_changed(c, "db", c->canonical);
			return (0);
		}
	/* A sampled pool session: its transaction rolls back, another
	 * request takes the connection. */
	buf_printf(c->out, "pg_terminate_backend(%ld): t — the session's"
	    " transaction rolled back; the pool opens a new connection\n", pid);
	cmd_changed(c, "db", c->canonical);
	return (0);
}

int
cmd_run_db(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 cols[DBX_MAXCOLS][32], tname[48], name[96];
	const char	*spec, *open, *p;
	int		 t, n = 0, conc = 0, i, pid;
	size_t		 len;

	if (argc == 4 && strcmp(argv[2], "failover") == 0)
		return (cmd_repl_failover(c, argv[3]));
	if (argc < 4)
		return (cmd_error(c, "usage: run db create-index T(cols)"
		    " [--concurrently] | drop-index NAMES | vacuum T [--full]"));
	if (strcmp(argv[2], "create-index") == 0) {
		spec = argv[3];
		if ((open = strchr(spec, '(')) == NULL ||
		    spec[strlen(spec) - 1] != ')' || open == spec ||
		    (size_t)(open - spec) >= sizeof tname)
			return (cmd_error(c, "create-index: TABLE(col,col)"));
		memcpy(tname, spec, (size_t)(open - spec));
		tname[open - spec] = '\0';
		if ((t = find_table(w, tname)) == -1)
			return (cmd_error(c, "no table '%.40s'", tname));
		for (p = open + 1; *p != ')' && n < DBX_MAXCOLS; ) {
			len = strcspn(p, ",)");
			if (len == 0 || len >= sizeof cols[0])
				return (cmd_error(c, "create-index: bad column"
				    " list"));
			memcpy(cols[n], p, len);
			cols[n++][len] = '\0';
			p += len + (p[len] == ',');
		}
		for (i = 4; i < argc; i++) {
			if (strcmp(argv[i], "--concurrently") == 0)
				conc = 1;
			else if (strcmp(argv[i], "--unique") != 0)
				return (cmd_error(c, "create-index: unknown"
				    " option '%.20s'", argv[i]));
		}
		snprintf(name, sizeof name, "idx_%s", tname);
		for (i = 0; i < n; i++) {
			strncat(name, "_", sizeof name - strlen(name) - 1);
			strncat(name, cols[i], sizeof name - strlen(name) - 1);
		}
		pid = dbx_start_index(c->g, t, name, cols, n, conc);
		buf_printf(c->out, "CREATE INDEX %s%s ON %s: pid %d, about"
		    " %.0f min%s\n", conc ? "CONCURRENTLY " : "", name, tname,
		    pid, w->dbx.index_build_s * w->dbx.table[t].rows / 500e6 /
		    60, conc ? " once older transactions end" :
		    "; writes to the table wait (ShareLock)");
	} else if (strcmp(argv[2], "vacuum") == 0) {
		if ((t = find_table(w, argv[3])) == -1)
			return (cmd_error(c, "no table '%.40s'", argv[3]));
		if (argc == 5 && strcmp(argv[4], "--full") == 0) {
			pid = dbx_start_vacuum_full(c->g, t);
			buf_printf(c->out, "VACUUM FULL %s: pid %d, needs"
			    " AccessExclusiveLock\n", argv[3], pid);
		} else if (argc == 4) {
			/* Plain VACUUM: the autovacuum worker's job, now. */
			w->dbx.table[t].autovacuum = 1;
			buf_printf(c->out, "VACUUM %s: %.0f dead tuples to mark"
			    " reusable\n", argv[3], w->dbx.table[t].dead);
		} else
			return (cmd_error(c, "usage: run db vacuum T [--full]"));
	} else if (strcmp(argv[2], "drop-index") == 0) {
		char *copy = xstrdup(argv[3]), *tok, *save = NULL;
		int dropped = 0;

		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			for (t = 0; t < w->dbx.ntable; t++) {
				struct dbx_table *tb = &w->dbx.table[t];

				for (i = 0; i < tb->nidx; i++) {
					if (strcmp(tb->idx[i].name, tok) != 0)
						continue;
					memmove(&tb->idx[i], &tb->idx[i + 1],
					    (tb->nidx - i - 1) *
					    sizeof tb->idx[0]);
					tb->nidx--;
					dropped++;
					break;
				}
			}
		}
		free(copy);
		if (dropped == 0)
			return (cmd_error(c, "no index named '%.40s'",
			    argv[3]));
		buf_printf(c->out, "DROP INDEX CONCURRENTLY: %d dropped\n",
		    dropped);
	} else
		return (cmd_error(c, "run db: create-index, drop-index or"
		    " vacuum"));
	cmd_changed(c, argv[3], c->canonical);
	return (0);
}

/* set db.role.NAME.statement_timeout DUR, set db.lock_wait_timeout DUR */
int
cmd_set_db(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 role[64], path[160];
	const char	*p = argv[1] + 3, *dot;
	long		 ms;

	if (argc != 3 || duration_parse(argv[2], &ms) != 0 ||
	    ms > 86400000)
		return (cmd_error(c, "usage: set db.role.NAME.statement_timeout"
		    " DUR | set db.lock_wait_timeout DUR"));
	if (strcmp(p, "lock_wait_timeout") == 0) {
		game_schedule(c->g, ACT_SET, 5000, c->canonical,
		    "world.lock_wait_timeout_ms", (double)ms, 0, 0);
		buf_printf(c->out, "lock_wait_timeout → %s (5 s)\n", argv[2]);
	} else if (strncmp(p, "role.", 5) == 0 && (dot = strchr(p + 5, '.')) !=
	    NULL && strcmp(dot, ".statement_timeout") == 0 &&
	    (size_t)(dot - p - 5) < sizeof role) {
		double v;
		char *cause = NULL;

		snprintf(role, sizeof role, "%.*s", (int)(dot - p - 5), p + 5);
		snprintf(path, sizeof path, "role.%s.statement_timeout_ms",
		    role);
		if (world_get(w, path, &v, &cause) != 0) {
			free(cause);
			return (cmd_error(c, "no database role '%.40s'", role));
		}
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path,
		    (double)ms, 0, 0);
		buf_printf(c->out, "ALTER ROLE %s SET statement_timeout ="
		    " '%s' (new sessions, 5 s)\n", role, argv[2]);
	} else
		return (cmd_error(c, "usage: set db.role.NAME.statement_timeout"
		    " DUR | set db.lock_wait_timeout DUR"));
	cmd_changed(c, "db", c->canonical);
	return (0);
}

static int
find_job(struct cmd_ctx *c, const char *target, size_t len)
{
	const struct world	*w = &c->g->w;
	int			 i;

	for (i = 0; i < w->dbx.njob; i++)
		if (strlen(w->dbx.job[i].name) == len &&
		    strncmp(w->dbx.job[i].name, target, len) == 0)
			return (i);
	cmd_error(c, "no job '%.*s'", (int)(len > 40 ? 40 : len), target);
	return (-1);
}

/* set job:NAME.window HH:MM-HH:MM|always, set job:NAME.rate N */
int
cmd_set_job(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*p = argv[1] + 4, *dot = strchr(p, '.');
	char		 path[160], *end;
	double		 from, to, v;
	int		 j, lo, hi;

	if (argc != 3 || dot == NULL)
		return (cmd_error(c, "usage: set job:NAME.window HH:MM-HH:MM"
		    " | set job:NAME.rate N"));
	if ((j = find_job(c, p, (size_t)(dot - p))) == -1)
		return (-1);
	if (strcmp(dot, ".window") == 0) {
		if (w->dbx.job[j].route < 0)
			return (cmd_error(c, "job %s runs on a schedule, not in"
			    " a window", w->dbx.job[j].name));
		if (strcmp(argv[2], "always") == 0)
			from = -1, to = 0;
		else if (clock_parse_window(argv[2], &lo, &hi) != 0)
			return (cmd_error(c, "window: HH:MM-HH:MM (or always)"));
		else
			from = lo, to = hi;
		snprintf(path, sizeof path, "job.%s.win_to_s",
		    w->dbx.job[j].name);
		game_schedule(c->g, ACT_SET, 5000, NULL, path, to, 0, 0);
		snprintf(path, sizeof path, "job.%s.win_from_s",
		    w->dbx.job[j].name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path, from,
		    0, 0);
		buf_printf(c->out, "job %s: runs %s%s (5 s)\n",
		    w->dbx.job[j].name, from < 0 ? "" : "only in ",
		    from < 0 ? "around the clock" : argv[2]);
	} else if (strcmp(dot, ".rate") == 0) {
		v = strtod(argv[2], &end);
		if (end == argv[2] || (*end != '\0' && strcmp(end, "/s") != 0) ||
		    v < 0 || v > 100000)
			return (cmd_error(c, "rate: transactions per second"
			    " per worker"));
		snprintf(path, sizeof path, "job.%s.rate", w->dbx.job[j].name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path, v, 0, 0);
		buf_printf(c->out, "job %s: %g tx/s per worker (5 s)\n",
		    w->dbx.job[j].name, v);
	} else
		return (cmd_error(c, "usage: set job:NAME.window HH:MM-HH:MM"
		    " | set job:NAME.rate N"));
	cmd_changed(c, w->dbx.job[j].name, c->canonical);
	return (0);
}

/* scale job:NAME N: its workers; 0 pauses it. */
int
cmd_scale_job(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*p = argv[1] + 4;
	char		 path[160], *end;
	double		 n;
	int		 j;

	if ((j = find_job(c, p, strlen(p))) == -1)
		return (-1);
	n = strtod(argv[2], &end);
	if (argc != 3 || *end != '\0' || n < 0 || n > 64 || n != floor(n))
		return (cmd_error(c, "usage: scale job:NAME WORKERS (0-64)"));
	if (w->dbx.job[j].route < 0)
		return (cmd_error(c, "job %s runs on a schedule (kill job to"
		    " stop it)", w->dbx.job[j].name));
	snprintf(path, sizeof path, "job.%s.workers", w->dbx.job[j].name);
	game_schedule(c->g, ACT_SET, 5000, c->canonical, path, n, 0, 0);
	buf_printf(c->out, "job %s: %g → %g workers (5 s)\n",
	    w->dbx.job[j].name, w->dbx.job[j].workers, n);
	cmd_changed(c, w->dbx.job[j].name, c->canonical);
	return (0);
}
