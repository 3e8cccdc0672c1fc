/*
 * Streaming replication: WAL rate, replica lag, read routing and the
 * stale reads that follow (see repl.h).  The lag follows catalog A.2.6:
 * lag += (wal - replay)·dt, floored at 0, and lag_s = lag/replay + 0.02.
 * A read-after-write GET arrives a gap U(lo, hi) after its write; on a
 * replica it misses (404) with P(lag > gap).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "util/xmalloc.h"

double
repl_lag_advance(double lag_mb, double wal_mb_s, double replay_mb_s,
    double dt_s)
{
	return (fmax(0, lag_mb + (wal_mb_s - replay_mb_s) * dt_s));
}

double
repl_lag_seconds(double lag_mb, double replay_mb_s)
{
	if (replay_mb_s <= 0)
		return (lag_mb > 0 ? 1e9 : REPL_LAG_FLOOR_S);
	return (lag_mb / replay_mb_s + REPL_LAG_FLOOR_S);
}

double
repl_p_stale(double lag_s, double lo, double hi)
{
	if (hi <= lo)
		return (lag_s > lo ? 1 : 0);
	return (fmin(1, fmax(0, (lag_s - lo) / (hi - lo))));
}

/*
 * A throttled job writes each batch at full speed and sleeps longer: at
 * rate r a cycle holds on_s·r of writing and the rest pause.
 */
int
repl_writer_on(const struct repl_writer *wr, double e)
{
	double	r = fmin(1, fmax(0.01, wr->rate));
	double	first = wr->first_on_s * r, cyc = wr->on_s + wr->off_s, pos;

	if (e < 0)
		return (0);
	/* Times come from whole ticks: nudge them off the boundaries so
	 * every cycle has the same number of writing ticks. */
	e += 1e-6;
	if (e < first)
		return (1);
	if (cyc <= 0)
		return (1);
	pos = fmod(e - first, cyc);
	return (pos >= cyc - wr->on_s * r);
}

void
repl_fini(struct repl *r)
{
	free(r->wr);
	free(r->sv);
	free(r->raw);
}

int
repl_find_replica(const struct repl *r, int node)
{
	int	i;

	for (i = 0; i < r->nrep; i++)
		if (r->rep[i].node == node)
			return (i);
	return (-1);
}

int
repl_svc_get(struct repl *r, int svc)
{
	int	i;

	for (i = 0; i < r->nsv; i++)
		if (r->sv[i].svc == svc)
			return (i);
	r->sv = xreallocarray(r->sv, r->nsv + 1, sizeof *r->sv);
	memset(&r->sv[r->nsv], 0, sizeof r->sv[0]);
	r->sv[r->nsv].svc = svc;
	return (r->nsv++);
}

int
repl_find_writer(const struct repl *r, const char *name)
{
	int	i;

	for (i = 0; i < r->nwr; i++)
		if (strcmp(r->wr[i].name, name) == 0)
			return (i);
	return (-1);
}

void
repl_register(struct world *w, struct metrics *m)
{
	struct repl	*r = &w->repl;
	char		 name[NAME_MAX_FD + 40];
	int		 i;

	if (r->primary < 0 || r->nrep == 0)
		return;
	r->m_wal = metrics_add(m, "db_wal_rate_mb_s", (char *)NULL);
	for (i = 0; i < r->nrep; i++)
		r->rep[i].m_lag = metrics_add(m, "db_replication_lag_s",
		    "replica", w->db[r->rep[i].node].name, (char *)NULL);
	for (i = 0; i < r->nraw; i++) {
		snprintf(name, sizeof name, "%s_read_after_write_404_pct",
		    w->svc[r->sv[r->raw[i].svc].svc].name);
		r->raw[i].m_pct = metrics_add(m, name, (char *)NULL);
	}
}

/* A replica serving reads: streaming and not restarting. */
static int
live(const struct game *g, const struct repl_replica *rp)
{
	return (g->tick >= g->w.db[rp->node].down_until);
}

/* Commits to the table wait for one replica (sync-repl TABLE,...). */
int
repl_table_synced(const struct world *w, int table)
{
	const char	*list = w->repl.sync_tables, *name, *p;
	size_t		 n;

	if (!w->repl.sync || table < 0 || table >= w->dbx.ntable)
		return (0);
	name = w->dbx.table[table].name;
	n = strlen(name);
	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' ||
		    p[n] == ','))
			return (1);
	return (0);
}

/* Extra connection hold of a write: the standby's ack, one RTT. */
double
repl_commit_wait_ms(const struct world *w, const struct svc_class *c)
{
	if (c->db != DBK_WRITE || w->repl.nrep == 0 ||
	    !repl_table_synced(w, c->table))
		return (0);
	return (REPL_SYNC_ACK_MS);
}

/* Share of a flow's reads the service sends to the primary. */
static double
primary_share(const struct repl_svc *s, const struct repl_raw *raw)
{
	if (!s->replicas)
		return (1);
	if (s->sticky_s <= 0)
		return (0);
	/* A GET within the window of its session's write is sticky:
	 * P(gap < window). */
	return (repl_p_stale(s->sticky_s, raw->gap_lo_s, raw->gap_hi_s));
}

/* Reads the replicas take instead of the primary: the query counts move. */
static void
move_reads(struct game *g, int si)
{
	struct world	*w = &g->w;
	struct repl	*r = &w->repl;
	struct repl_svc	*rs = &r->sv[si];
	struct svc	*s = &w->svc[rs->svc];
	double		 moved = 0, sticky, nlive = 0;
	int		 k, i;

	rs->moved_qps = 0;
	if (!rs->replicas || r->nrep == 0)
		return;
	for (k = 0; k < s->nclass; k++) {
		struct svc_class	*c = &w->cls[s->first_class + k];
		struct dbpool		*dp = svc_class_pool(s, c);

		if (c->db != DBK_READ || dp == NULL || dp->node != r->primary)
			continue;
		sticky = 0;
		for (i = 0; i < r->nraw; i++)
			if (r->raw[i].svc == si && w->route[r->raw[i].route].cls ==
			    s->first_class + k)
				sticky += w->route[r->raw[i].route].rps *
				    primary_share(rs, &r->raw[i]);
		moved += fmax(0, c->rps - sticky);
	}
	for (i = 0; i < r->nrep; i++)
		nlive += live(g, &r->rep[i]);
	if (nlive == 0)
		return;
	moved = fmin(moved, w->db[r->primary].qps);
	w->db[r->primary].qps -= moved;
	/* A restarting replica's share goes to the others. */
	for (i = 0; i < r->nrep; i++)
		if (live(g, &r->rep[i]))
			w->db[r->rep[i].node].qps += moved / nlive;
	rs->moved_qps = moved;
}

void
repl_step(struct game *g)
{
	struct world	*w = &g->w;
	struct repl	*r = &w->repl;
	double		 e, f, p, sum;
	int		 i, j, n, slot = (int)(g->tick % TICKS_PER_S);

	if (r->primary < 0 || r->nrep == 0)
		return;
	r->wal_mb_s = r->base_wal_mb_s;
	for (i = 0; i < r->nwr; i++) {
		struct repl_writer *wr = &r->wr[i];

		e = (double)(g->tick - wr->start) / TICKS_PER_S;
		wr->cur_mb_s = wr->enabled && repl_writer_on(wr, e) ?
		    wr->mb_s : 0;
		r->wal_mb_s += wr->cur_mb_s;
	}
	for (i = 0; i < r->nrep; i++) {
		struct repl_replica	*rp = &r->rep[i];
		/* A restarting replica replays nothing. */
		double			 replay = g->tick <
					    w->db[rp->node].down_until ? 0 :
					    rp->replay_mb_s;

		rp->lag_mb = repl_lag_advance(rp->lag_mb, r->wal_mb_s, replay,
		    TICK_S);
		rp->lag_s = repl_lag_seconds(rp->lag_mb, rp->replay_mb_s);
		metrics_set(&g->m, rp->m_lag, rp->lag_s);
	}
	metrics_set(&g->m, r->m_wal, r->wal_mb_s);
	for (i = 0; i < r->nsv; i++)
		move_reads(g, i);
	for (i = 0; i < r->nraw; i++) {
		struct repl_raw	*raw = &r->raw[i];
		struct repl_svc	*rs = &r->sv[raw->svc];
		struct route	*rt = &w->route[raw->route];

		p = 0;
		n = 0;
		for (j = 0; j < r->nrep; j++) {
			if (!live(g, &r->rep[j]))
				continue;
			p += repl_p_stale(r->rep[j].lag_s - (rs->causal ?
			    REPL_CAUSAL_WAIT_S : 0), raw->gap_lo_s,
			    raw->gap_hi_s);
			n++;
		}
		/* With no replica up the service reads the primary. */
		f = n > 0 ? (1 - primary_share(rs, raw)) * p / n : 0;
		raw->stale_frac = f;
		raw->win[slot] = f;
		rt->nf_rps += rt->rps * f;
		raw->stale_total += rt->rps * f * TICK_S;
		for (sum = 0, j = 0; j < TICKS_PER_S; j++)
			sum += raw->win[j];
		metrics_set(&g->m, raw->m_pct, 100 * sum / TICKS_PER_S);
	}
}

/*
 * Paths below "repl.": KEY or KEY.NAME, where NAME is a db node, a
 * writer (job), a service or a route.
 */
int
repl_param(struct world *w, const char *path, double *get, const double *set,
    char **cause)
{
	struct repl	*r = &w->repl;
	const char	*name, *dot = strchr(path, '.');
	char		 key[32];
	double		*dp = NULL, v = 0;
	int		 i, ro = 0, *ip = NULL;

	if (dot == NULL) {
		name = "";
		snprintf(key, sizeof key, "%s", path);
	} else {
		name = dot + 1;
		snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
	}
	if (strcmp(key, "wal_mb_s") == 0) {
		v = r->wal_mb_s;
		ro = 1;
	} else if (strcmp(key, "lost_writes") == 0) {
		v = r->lost_writes;
		ro = 1;
	} else if (strcmp(key, "sync") == 0)
		ip = &r->sync;
	else if (strcmp(key, "lag_s") == 0 || strcmp(key, "replay_mb_s") == 0) {
		if ((i = world_find_db(w, name)) == -1 ||
		    (i = repl_find_replica(r, i)) == -1)
			goto unknown;
		if (key[0] == 'l') {
			v = r->rep[i].lag_s;
			ro = 1;
		} else
			dp = &r->rep[i].replay_mb_s;
	} else if (strcmp(key, "rate") == 0 || strcmp(key, "enabled") == 0) {
		if ((i = repl_find_writer(r, name)) == -1)
			goto unknown;
		if (key[0] == 'r')
			dp = &r->wr[i].rate;
		else
			ip = &r->wr[i].enabled;
	} else if (strcmp(key, "replicas") == 0 || strcmp(key, "sticky_s") ==
	    0 || strcmp(key, "causal") == 0) {
		if ((i = world_find_svc(w, name)) == -1)
			goto unknown;
		i = repl_svc_get(r, i);
		if (key[0] == 'r')
			ip = &r->sv[i].replicas;
		else if (key[0] == 's')
			dp = &r->sv[i].sticky_s;
		else
			ip = &r->sv[i].causal;
	} else if (strcmp(key, "stale_pct") == 0 || strcmp(key,
	    "stale_total") == 0) {
		int rt = world_find_route(w, name);

		for (i = 0; i < r->nraw; i++)
			if (r->raw[i].route == rt)
				break;
		if (rt == -1 || i == r->nraw)
			goto unknown;
		v = key[6] == 'p' ? 100 * r->raw[i].stale_frac :
		    r->raw[i].stale_total;
		ro = 1;
	} else {
		*cause = xasprintf("bad parameter path 'repl.%s'", path);
		return (-1);
	}
	if (get != NULL)
		*get = dp != NULL ? *dp : ip != NULL ? *ip : v;
	if (set != NULL) {
		if (ro) {
			*cause = xasprintf("repl.%s is read-only", path);
			return (-1);
		}
		if (dp != NULL)
			*dp = *set;
		else
			*ip = *set != 0;
	}
	return (0);
unknown:
	*cause = xasprintf("repl.%s: unknown %s", path, name);
	return (-1);
}

/*
 * Promote a replica.  Writes the primary committed but the replica had
 * not received are gone: the write rate times its lag, unless commits
 * waited for a replica.  Pools follow the new primary; the old one has
 * diverged and must be rebuilt.
 */
double
repl_failover(struct game *g, int node, char **cause)
{
	struct world	*w = &g->w;
	struct repl	*r = &w->repl;
	double		 writes = 0, lost, lag;
	int		 i, k, ri = repl_find_replica(r, node), old = r->primary;

	if (r->primary < 0 || ri == -1) {
		*cause = xasprintf("%s is not a streaming replica",
		    node >= 0 ? w->db[node].name : "that node");
		return (-1);
	}
	for (i = 0; i < w->ncls; i++) {
		struct svc_class	*c = &w->cls[i];
		struct dbpool		*dp = svc_class_pool(&w->svc[c->svc], c);

		/* Commits that waited for a standby are on it. */
		if (c->db == DBK_WRITE && dp != NULL && dp->node == old &&
		    !repl_table_synced(w, c->table))
			writes += c->rps;
	}
	lag = r->rep[ri].lag_s;
	lost = writes * lag;
	r->lost_writes += lost;
	for (i = 0; i < w->nsvc; i++)
		for (k = 0; k < w->svc[i].npools; k++)
			if (w->svc[i].pools[k].node == old)
				w->svc[i].pools[k].node = node;
	r->primary = node;
	metrics_set(&g->m, r->rep[ri].m_lag, 0);
	memmove(&r->rep[ri], &r->rep[ri + 1], (r->nrep - ri - 1) *
	    sizeof r->rep[0]);
	r->nrep--;
	game_log(g, w->db[node].name, "LOG", "database system is ready to"
	    " accept connections (promoted, timeline switch; %s must be"
	    " rebuilt)", w->db[old].name);
	if (lost > 0)
		game_log(g, w->db[node].name, "WARN", "promoted %.2f s behind"
		    " the old primary: %.0f committed transactions lost",
		    lag, lost);
	return (lost);
}
