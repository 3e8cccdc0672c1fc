/*
 * One tick of the platform model, in the order of catalog A.0: traffic,
 * gateway, services callers-first (each using its callees' previous-tick
 * latency and errors), databases, then SLIs and metrics.  Requests are a
 * fluid; pools hold cohorts (pool.c), so Little's law and the handbook's
 * arithmetic come out of the dynamics rather than being drawn.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"

#define FAST_FAIL_MS	1.0
#define SMOOTH_WIDTH	0.15	/* log-width of an internal timeout edge */

/* Failure chance a caller sees from a callee whose latency is r. */
static double
over_timeout(double r, double t)
{
	if (r <= 0 || t <= 0)
		return (r > t ? 1 : 0);
	return (1 / (1 + exp(-log(r / t) / SMOOTH_WIDTH)));
}

static double
win_sum(const double *v)
{
	double	s = 0;
	int	i;

	for (i = 0; i < TICKS_PER_S; i++)
		s += v[i];
	return (s);
}

/*
 * Slowdown relative to the load at which the base figures were quoted
 * (catalog P1: R/R0 = (1 - rho0) / (1 - rho)).  During warm-up the
 * reference follows the load, so quoted figures hold at baseline.
 */
static double
relative_factor(const struct game *g, const struct rate_res *r, double *rho0)
{
	if (!g->started)
		*rho0 = r->rho < 0.95 ? r->rho : 0.95;
	return (fmin(50, fmax(1, rate_factor(r) * (1 - *rho0))));
}

/* What one attempt on an edge looks like from the caller, last tick. */
static void
edge_view(struct game *g, struct edge *e)
{
	struct world	*w = &g->w;
	double		 t = e->retry.timeout_ms, pt, err, loss, ok_ms;
	struct retry_out out;

	if (e->to_kind == CALLEE_EXT) {
		struct ext	*x = &w->ext[e->to];
		struct lognorm	 ln;

		lognorm_from_p50_p99(&ln, x->p50_ms, x->p99_ms);
		loss = fmin(1, x->loss_pct / 100);
		pt = loss + (1 - loss) * (1 - lognorm_cdf(&ln, t));
		ok_ms = lognorm_mean_below(&ln, t);
		err = fmin(1, x->err_pct / 100);
	} else {
		struct svc		*s = &w->svc[e->to];
		struct svc_class	*c = &w->cls[e->to_class];
		double			 r = c->est_ms, fast, slow;

		loss = fmin(1, s->loss_pct / 100);
		ok_ms = fmin(r, t);
		if (s->instances - s->down <= 0 && loss < 1) {
			/* Nobody listens: refused at once, not a hang. */
			fast = 1 - loss;
			pt = loss;
		} else {
			fast = (1 - loss) * c->rej_frac;
			pt = (1 - loss - fast) * over_timeout(r, t) + loss;
		}
		/* Three ways to fail: at once, by timeout, by an error. */
		err = fmin(1, fmax(c->slow_err, c->err_p));
		slow = fmax(0, 1 - fast - pt) * err;
		e->att_ok_ms = ok_ms;
		e->att_fail_p = fmin(1, fast + pt + slow);
		e->att_fail_ms = e->att_fail_p > 0 ? (fast * FAST_FAIL_MS +
		    pt * t + slow * ok_ms) / e->att_fail_p : t;
		goto policy;
	}
	e->att_ok_ms = ok_ms;
	e->att_fail_p = pt + (1 - pt) * err;
	e->att_fail_ms = e->att_fail_p > 0 ?
	    (pt * t + (1 - pt) * err * ok_ms) / e->att_fail_p : t;
policy:

	if (breaker_effective(&e->br) != BREAKER_CLOSED) {
		e->lat_ms = FAST_FAIL_MS;
		e->fail_p = 1;
		e->attempts = 0;
		return;
	}
	if (e->async) {
		e->lat_ms = FAST_FAIL_MS;
		e->fail_p = 0;
		e->attempts = 1;
		return;
	}
	retry_eval(&e->retry, ok_ms, e->att_fail_ms, e->att_fail_p, &out);
	e->lat_ms = out.latency_ms;
	e->fail_p = out.fail_p;
	e->attempts = out.attempts;
}

static double
edge_p99(const struct world *w, const struct edge *e)
{
	struct retry_out worst;
	double		 base;

	if (breaker_effective(&e->br) != BREAKER_CLOSED || e->async)
		return (FAST_FAIL_MS);
	if (e->to_kind == CALLEE_EXT) {
		struct lognorm ln;
		const struct ext *x = &w->ext[e->to];

		lognorm_from_p50_p99(&ln, x->p50_ms, x->p99_ms);
		base = lognorm_quantile(&ln, 0.99);
	} else
		base = hist_quantile(&w->cls[e->to_class].h_last, 0.99);
	if (e->att_fail_p >= 0.01) {
		retry_eval(&e->retry, e->att_ok_ms, e->retry.timeout_ms, 1,
		    &worst);
		return (worst.latency_ms);
	}
	return (fmin(base, e->retry.timeout_ms));
}

/* Error share and added latency the active faults give a class. */
static void
class_faults(const struct world *w, const struct svc_class *c, double *err,
    double *lat)
{
	const struct svc	*s = &w->svc[c->svc];
	double			 ok = 1, share;
	int			 i;

	*lat = 0;
	for (i = 0; i < w->nfault; i++) {
		const struct fault *ft = &w->fault[i];

		if (ft->svc != c->svc || (ft->cls != -1 && ft->cls !=
		    (int)(c - w->cls)))
			continue;
		if (ft->flag[0] != '\0' && !world_flag_on(w, ft->flag))
			continue;
		share = ft->version[0] == '\0' ? 1 :
		    svc_version_share(s, ft->version);
		ok *= 1 - share * ft->err_pct / 100;
		*lat += share * ft->lat_ms;
	}
	*err = 1 - ok;
}

static void
add_call_load(struct world *w, const struct svc_class *c, double mass)
{
	int	i;

	for (i = 0; i < c->ncalls; i++) {
		struct edge	*e = &w->edge[c->calls[i].edge];
		double		 rps = mass * TICKS_PER_S * c->calls[i].p *
				    e->attempts;

		e->rps += rps;
		if (e->to_kind == CALLEE_EXT)
			w->ext[e->to].rps += rps;
		else
			w->cls[e->to_class].arrivals += rps;
	}
}

static void
record_failures(struct game *g, const struct svc_class *c, double mass)
{
	struct world	*w = &g->w;
	int		 i;
	long		 at;

	for (i = 0; i < c->ncalls; i++) {
		struct edge	*e = &w->edge[c->calls[i].edge];
		double		 fails;

		if (e->attempts <= 0)
			continue;
		/* Failed attempts per call, surfacing when they time out. */
		fails = mass * c->calls[i].p * e->attempts * e->att_fail_p;
		at = g->tick + (long)ceil(e->att_fail_ms / TICK_MS);
		if (at - g->tick >= POOL_RING)
			at = g->tick + POOL_RING - 1;
		e->fail_due[at % POOL_RING] += fails;
		if (e->att_fail_ms >= e->retry.timeout_ms * 0.99)
			e->timeouts_rps += fails * TICKS_PER_S;
		e->retries_rps += mass * TICKS_PER_S * c->calls[i].p *
		    fmax(0, e->attempts - 1);
	}
}

/*
 * A request of a class holds a thread from admission to completion.  For a
 * class that queries the database the thread's occupancy is tracked by the
 * DB pool itself (its waiters and holders), plus a scheduled tail for
 * calls made after the connection is released; other classes hold their
 * thread for their computed time.  No thread is booked on an estimate.
 */
static void
step_service(struct game *g, struct svc *s)
{
	struct world	*w = &g->w;
	double		 hold[64], conn[64], post[64], errp[64], full[64];
	double		 occ[64], dlk[64];	/* share caught in deadlocks */
	double		 ready, bulk = 0, cpu_demand = 0, factor, dbf, dl, ab;
	int		 i, k, slot = (int)(g->tick % TICKS_PER_S);
	int		 n = s->nclass < 64 ? s->nclass : 64;
	struct pool	*tp;

	ready = fmax(0, s->instances - s->down);
	for (i = 0; i < w->nedge; i++)
		if (w->edge[i].from == s->ix && w->edge[i].bulkhead > 0) {
			w->edge[i].bulk.size = w->edge[i].bulkhead *
			    (ready > 0 ? 1 : 0);
			w->edge[i].bulk.ext = 0;
			bulk += w->edge[i].bulkhead;
		}
	s->threads.size = fmax(0, ready * s->threads_per_instance - bulk);
	s->threads.timeout_ms = s->queue_timeout_ms;
	s->threads.ext = 0;
	/* A bounded accept queue turns the excess away at once (503). */
	s->threads.qmax = s->queue_per_instance > 0 ?
	    fmax(1e-9, s->queue_per_instance * ready) : 0;

	for (k = 0; k < n; k++)
		cpu_demand += w->cls[s->first_class + k].arrivals *
		    w->cls[s->first_class + k].cpu_ms;
	s->cpu.capacity = fmax(1e-9, ready * s->cores_per_instance * 1000);
	rate_step(&s->cpu, cpu_demand, 30);
	factor = relative_factor(g, &s->cpu, &s->cpu_rho0);

	s->threads_needed = 0;
	for (k = 0; k < n; k++) {
		struct svc_class	*c = &w->cls[s->first_class + k];
		struct dbpool		*dp = svc_class_pool(s, c);
		double			 calls_ms = 0, ok = 1, fe, flat, cpu;
		double			 wait_db;

		dlk[k] = 0;
		for (i = 0; i < c->ncalls; i++) {
			struct edge *e = &w->edge[c->calls[i].edge];

			calls_ms += c->calls[i].p * e->lat_ms;
			if (!e->optional)
				ok *= pow(1 - e->fail_p, c->calls[i].p);
		}
		class_faults(w, c, &fe, &flat);
		if (c->cache_ks >= 0 || c->cache_hot >= 0) {
			cache_lookup(g, c, c->arrivals, &c->cache_ms,
			    &c->cache_err);
			flat += c->cache_ms;
			ok *= 1 - fmin(1, c->cache_err);
		}
		cpu = c->cpu_ms * factor;
		errp[k] = 1 - ok * (1 - fe) * (1 - c->err_pct / 100);
		tp = svc_class_threads(w, c, NULL);
		if (dp != NULL) {
			dbf = relative_factor(g, &w->db[dp->node].cpu,
			    &w->db[dp->node].rho0);
			if (c->db == DBK_WRITE)	/* commits wait on the disk */
				dbf *= disk_write_factor(&w->db[dp->node].disk);
			conn[k] = c->db_ms * dbf + (s->hold_conn_across_calls ?
			    calls_ms : 0) + repl_commit_wait_ms(w, c);
			post[k] = (s->hold_conn_across_calls ? 0 : calls_ms) +
			    flat;
			/* Occupancy follows the DB pool from here on; on
			 * admission it takes the share of a tick it will. */
			wait_db = pool_wait_estimate(&dp->pool);
			hold[k] = 0;
			occ[k] = fmax(1e-9, fmin(1, (wait_db + conn[k] +
			    post[k]) / TICK_MS));
			full[k] = cpu + wait_db + conn[k] + post[k];
			errp[k] = 1 - (1 - errp[k]) *
			    (1 - w->db[dp->node].refused_frac);
			/* A lock in the way: the query waits out the lock
			 * timeout, holding its connection, and fails. */
			if (dbx_table_blocked(w, c->table, c->db == DBK_WRITE ?
			    LK_ROW_EXCLUSIVE : LK_ACCESS_SHARE)) {
				conn[k] = w->dbx.lock_wait_timeout_ms;
				post[k] = 0;
				errp[k] = 1;
				c->locked = 1;
			} else
				c->locked = 0;
			/* A full volume: the write fails at once. */
			if (c->db == DBK_WRITE && w->db[dp->node].disk.full) {
				conn[k] = fmin(conn[k], 5);
				errp[k] = 1;
			}
			/* Deadlocks: the caught share holds its connection
			 * for the lock timeout; the victims fail. */
			if (!c->locked && (dl = dlk[k] = dbx_deadlock_share(w,
			    s->first_class + k, &ab)) > 0) {
				conn[k] = (1 - dl) * conn[k] + dl *
				    dbx_lock_hold_ms(w);
				errp[k] = 1 - (1 - errp[k]) * (1 - ab);
			}
			/* Its waiters and holders keep their threads. */
			tp->ext += pool_carry(&dp->pool, k, g->tick);
		} else {
			conn[k] = post[k] = 0;
			occ[k] = 0;
			hold[k] = full[k] = cpu + calls_ms + flat;
		}
		c->hold_ms = full[k];
		c->conn_ms = conn[k];
		c->err_p = errp[k];
		s->threads_needed += c->arrivals * full[k] / 1000;
		hold[k] /= TICK_MS;
		conn[k] /= TICK_MS;
		pool_offer(tp, c->ix, c->arrivals * TICK_S);
		c->arrivals = 0;
	}

	pool_step(&s->threads, g->tick, hold, occ);
	for (i = 0; i < w->nedge; i++)
		if (w->edge[i].from == s->ix && w->edge[i].bulkhead > 0)
			pool_step(&w->edge[i].bulk, g->tick, hold, occ);

	for (k = 0; k < n; k++) {
		struct svc_class	*c = &w->cls[s->first_class + k];
		struct dbpool		*dp = svc_class_pool(s, c);
		double			 m, wt, ex, rj;

		tp = svc_class_threads(w, c, NULL);
		m = tp->admitted[k];
		wt = m > 0 ? tp->wait_ms[k] / m : 0;
		ex = tp->expired[k];
		rj = tp->rejected[k];
		tp->rejected[k] = 0;
		c->ok_win[slot] = 0;
		c->err_win[slot] = ex + rj;
		c->rej_win[slot] = rj + (tp->timeout_ms > 0 ? 0 : ex);
		hist_add(&c->h_cur, tp->timeout_ms > 0 ? tp->timeout_ms :
		    FAST_FAIL_MS, ex);
		hist_add(&c->h_cur, FAST_FAIL_MS, rj);
		hist_add(&c->h_cur, wt + full[k], m * (1 - dlk[k]));
		hist_add(&c->h_cur, dbx_lock_hold_ms(w), m * dlk[k]);
		if (dp != NULL)
			pool_offer(&dp->pool, k, m);
		else {
			c->ok_win[slot] += m * (1 - errp[k]);
			c->err_win[slot] += m * errp[k];
			add_call_load(w, c, m);
			record_failures(g, c, m);
		}
		c->est_ms = pool_wait_estimate(tp) + full[k];
	}

	for (i = 0; i < s->npools; i++) {
		struct dbpool *dp = &s->pools[i];

		dp->pool.size = dbpool_size(w, s, dp);
		pool_step(&dp->pool, g->tick, conn, NULL);
		dp->timeouts_win[slot] = 0;
		for (k = 0; k < n; k++) {
			struct svc_class	*c = &w->cls[s->first_class + k];
			double			 m = dp->pool.admitted[k];

			if (svc_class_pool(s, c) != dp)
				continue;
			c->ok_win[slot] += m * (1 - errp[k]);
			c->err_win[slot] += m * errp[k] + dp->pool.expired[k];
			dp->timeouts_win[slot] += dp->pool.expired[k];
			if (m > 0)
				hist_add(&dp->wait_cur, dp->pool.wait_ms[k] / m,
				    m);
			hist_add(&dp->wait_cur, dp->acquire_timeout_ms,
			    dp->pool.expired[k]);
			/* Calls after the connection is back hold the thread. */
			if (post[k] > 0)
				pool_occupy(svc_class_threads(w, c, NULL), k,
				    m, post[k] / TICK_MS);
			add_call_load(w, c, m);
			record_failures(g, c, m);
			w->db[dp->node].qps += m * TICKS_PER_S;
		}
	}

	/* Per-class windows. */
	for (k = 0; k < s->nclass; k++) {
		struct svc_class *c = &w->cls[s->first_class + k];
		double ok = win_sum(c->ok_win), err = win_sum(c->err_win);
		double rej = win_sum(c->rej_win);

		c->rps = ok + err;
		c->err_ratio = c->rps > 0 ? err / c->rps : 0;
		c->rej_frac = c->rps > 0 ? rej / c->rps : 0;
		c->slow_err = c->rps - rej > 1e-9 ? (err - rej) /
		    (c->rps - rej) : 0;
	}
}

/*
 * Bot streams entering at route i, after the gateway's validation and
 * per-IP 404 limits; what passes goes on to the service.
 */
static double
gateway_attacks(struct world *w, int route)
{
	const struct route	*r = &w->route[route];
	double			 sum = 0, pass, ips = 0, cap;
	int			 i, s;

	for (i = 0; i < w->cache.nks; i++) {
		struct keyspace *k = &w->cache.ks[i];

		for (s = 0; s < 2; s++) {
			if (k->stream_route[s] != route || k->stream_rps[s] <= 0) {
				if (k->stream_route[s] == route)
					k->stream_pass[s] = 0;
				continue;
			}
			pass = k->stream_rps[s];
			/* Out-of-range ids fail validation at the edge. */
			if (k->stream[s] == STREAM_SWEEP && r->validate_max > 0)
				pass = 0;
			k->stream_pass[s] = pass;
			ips = fmax(ips, k->stream_ips[s]);
			sum += pass;
		}
	}
	/* The bot's addresses share one per-IP budget of 404s. */
	if (r->limit404_per_ip > 0 && sum > (cap = ips * r->limit404_per_ip)) {
		for (i = 0; i < w->cache.nks; i++)
			for (s = 0; s < 2; s++)
				if (w->cache.ks[i].stream_route[s] == route)
					w->cache.ks[i].stream_pass[s] *= cap / sum;
		sum = cap;
	}
	return (sum);
}

static void
step_gateway(struct game *g)
{
	struct world	*w = &g->w;
	double		 hold[256], total = 0, bad = 0;
	int		 i, slot = (int)(g->tick % TICKS_PER_S);

	w->gw.size = w->gw_inflight_max;
	for (i = 0; i < w->nroute && i < 256; i++) {
		struct route	*r = &w->route[i];
		struct svc_class *c = &w->cls[r->cls];
		double		 demand;

		/* Demand wobbles a little, once a second, per seed. */
		if (g->tick % TICKS_PER_S == 0)
			r->noise = 1 + w->noise_pct / 100 *
			    (2 * rng_double(&g->out) - 1);
		demand = r->rps_base * r->mult * r->noise;
		r->nf_rps = gateway_attacks(w, i);
		demand += r->nf_rps;
		r->nf_rps += r->nf_base;
		/* A global limit sheds users as well as bots. */
		r->limited_rps = 0;
		if (r->limit_rps > 0 && demand > r->limit_rps) {
			r->limited_rps = demand - r->limit_rps;
			demand = r->limit_rps;
		}
		pool_offer(&w->gw, i, demand * TICK_S);
		/* Requests the backend turns away come back at once. */
		hold[i] = (c->rej_frac * FAST_FAIL_MS + (1 - c->rej_frac) *
		    fmin(c->est_ms, w->gw_timeout_ms)) / TICK_MS;
	}
	pool_step(&w->gw, g->tick, hold, NULL);
	w->gw_rejected_rps = 0;
	for (i = 0; i < w->nroute && i < 256; i++) {
		struct route	*r = &w->route[i];
		struct svc_class *c = &w->cls[r->cls];
		double		 m = w->gw.admitted[i], rej = w->gw.expired[i];
		double		 e, slow, dl, lat = fmin(c->est_ms,
				    w->gw_timeout_ms);

		slow = c->est_ms >= w->gw_timeout_ms ? 1 :
		    fmax(c->slow_err, c->err_p);
		e = c->rej_frac + (1 - c->rej_frac) * slow;
		r->ok_win[slot] = m * (1 - e);
		r->err_win[slot] = m * e + rej + r->limited_rps * TICK_S;
		r->adm_win[slot] = m + rej;
		r->lat_win[slot] = m * (c->rej_frac * FAST_FAIL_MS +
		    (1 - c->rej_frac) * lat);
		dl = c->locked ? 0 : dbx_deadlock_share(w, r->cls, NULL);
		hist_add(&r->h_cur, lat, m * (1 - c->rej_frac) * (1 - dl));
		hist_add(&r->h_cur, fmin(dbx_lock_hold_ms(w), w->gw_timeout_ms),
		    m * (1 - c->rej_frac) * dl);
		hist_add(&r->h_cur, FAST_FAIL_MS, rej + m * c->rej_frac);
		c->arrivals += m * TICKS_PER_S;
		w->gw_rejected_rps += rej * TICKS_PER_S;
		total += m + rej + r->limited_rps * TICK_S;
		bad += m * e + rej + r->limited_rps * TICK_S;
	}
	w->bad_fraction = total > 0 ? bad / total : 0;
	w->budget_burned_pct += w->bad_fraction * TICK_S / w->budget_total_s *
	    100;
	w->impact_min += w->bad_fraction * TICK_S / 60;
	w->failed_requests += bad;
}

static void
step_db(struct game *g)
{
	struct world	*w = &g->w;
	int	i, j, k;

	for (i = 0; i < w->ndb; i++) {
		struct dbnode	*d = &w->db[i];
		double		 demand = d->other_connections, usable, cpu;

		for (j = 0; j < w->nsvc; j++)
			for (k = 0; k < w->svc[j].npools; k++)
				if (w->svc[j].pools[k].node == i)
					demand += w->svc[j].instances *
					    w->svc[j].pools[k].per_instance;
		usable = d->max_connections - d->reserved;
		d->conns_demand = demand;
		d->conns_used = fmin(demand, usable);
		d->refused_frac = demand > usable ? (demand - usable) / demand :
		    0;
		if (g->tick < d->down_until) {
			d->conns_used = 0;
			d->refused_frac = 1;
		}
		cpu = d->other_cpu_pct / 100 * d->vcpu * 1000 +
		    d->qps * 1 +	/* 1 ms of CPU per query */
		    d->cache_cpu_ms +	/* loads behind cache misses */
		    d->backend_cores * 1000 +	/* long queries, builds */
		    tenant_node_cpu_ms(w, i);	/* other teams' pools */
		d->cache_cpu_last = d->cache_cpu_ms;
		d->cache_cpu_ms = 0;
		d->cpu.capacity = d->vcpu * 1000;
		rate_step(&d->cpu, cpu, 30);
		d->qps_last = d->qps;
		d->qps = 0;	/* the services fill it again this tick */
	}
}

static void
publish(struct game *g, int whole_second)
{
	struct world	*w = &g->w;
	struct metrics	*m = &g->m;
	int		 i, j, k;

	for (i = 0; i < w->nroute; i++) {
		struct route *r = &w->route[i];
		double ok = win_sum(r->ok_win), err = win_sum(r->err_win);
		double adm = win_sum(r->adm_win);

		if (whole_second) {
			r->h_last = r->h_cur;
			hist_clear(&r->h_cur);
			r->p99_ms = hist_quantile(&r->h_last, 0.99);
		}
		r->rps = ok + err;
		r->err_ratio = r->rps > 0 ? 100 * err / r->rps : 0;
		r->avg_ms = adm > 0 ? win_sum(r->lat_win) / adm : 0;
		metrics_set(m, r->m_rps, r->rps);
		metrics_set(m, r->m_err, r->err_ratio);
		metrics_set(m, r->m_p99, r->p99_ms);
		metrics_set(m, r->m_avg, r->avg_ms);
		metrics_set(m, r->m_good, 100 - r->err_ratio);
		metrics_set(m, r->m_404, r->nf_rps);
	}
	{
		double worst = 0;

		for (i = 0; i < w->nroute; i++)
			worst = fmax(worst, w->route[i].p99_ms);
		metrics_set(m, w->m_gw_p99_worst, worst);
	}
	metrics_set(m, w->m_gw_inflight, w->gw.busy);
	metrics_set(m, w->m_gw_rejected, w->gw_rejected_rps);
	for (i = 0; i < w->nsvc; i++) {
		struct svc	*s = &w->svc[i];
		struct hist	 h;
		double		 rps = 0, err = 0;
		double		 busy = s->threads.busy + s->threads.ext +
				    s->threads.transient;
		double		 size = s->threads.size;

		hist_clear(&h);
		for (k = 0; k < s->nclass; k++) {
			struct svc_class *c = &w->cls[s->first_class + k];

			if (whole_second) {
				c->h_last = c->h_cur;
				hist_clear(&c->h_cur);
			}
			hist_merge(&h, &c->h_last);
			rps += c->rps;
			err += c->rps * c->err_ratio;
		}
		s->rps = rps;
		s->err_ratio = rps > 0 ? 100 * err / rps : 0;
		if (whole_second)
			s->p99_ms = hist_quantile(&h, 0.99);
		metrics_set(m, s->m_rps, s->rps);
		metrics_set(m, s->m_err, s->err_ratio);
		metrics_set(m, s->m_p99, s->p99_ms);
		metrics_set(m, s->m_busy, busy);
		metrics_set(m, s->m_busy_pct, size > 0 ? 100 * busy / size :
		    (busy > 0 ? 100 : 0));
		metrics_set(m, s->m_needed, s->threads_needed);
		metrics_set(m, s->m_queue, s->threads.qtotal);
		metrics_set(m, s->m_ready, fmax(0, s->instances - s->down));
		metrics_set(m, s->m_restarts, s->restarts);
		metrics_set(m, s->m_cpu, s->cpu.util_pct);
		for (j = 0; j < s->npools; j++) {
			struct dbpool	*p = &s->pools[j];
			double		 hsum = 0, n = 0;

			if (whole_second) {
				p->wait_last = p->wait_cur;
				hist_clear(&p->wait_cur);
			}
			metrics_set(m, p->m_active, p->pool.busy);
			metrics_set(m, p->m_util, p->pool.size > 0 ?
			    fmin(100, 100 * p->pool.busy / p->pool.size) : 100);
			metrics_set(m, p->m_waiting, p->pool.qtotal);
			metrics_set(m, p->m_wait_p99,
			    hist_quantile(&p->wait_last, 0.99));
			metrics_set(m, p->m_timeouts, win_sum(p->timeouts_win));
			metrics_set(m, p->m_size, p->pool.size);
			for (k = 0; k < s->nclass; k++) {
				struct svc_class *c =
				    &w->cls[s->first_class + k];
				double cap;

				if (p->m_capacity_c[k] == -1)
					continue;
				cap = c->conn_ms > 0 ? p->pool.size /
				    (c->conn_ms / 1000) : 0;
				metrics_set(m, p->m_capacity_c[k], cap);
				hsum += c->rps * c->conn_ms;
				n += c->rps;
			}
			/* Capacity at the current mix: N / mean hold. */
			metrics_set(m, p->m_capacity, hsum > 0 ?
			    p->pool.size / (hsum / n / 1000) : 0);
		}
	}
	for (i = 0; i < w->nedge; i++) {
		struct edge *e = &w->edge[i];

		metrics_set(m, e->m_rps, e->rps);
		metrics_set(m, e->m_p99, edge_p99(w, e));
		metrics_set(m, e->m_timeouts, e->timeouts_rps);
		metrics_set(m, e->m_retries, e->retries_rps);
		metrics_set(m, e->m_state, breaker_effective(&e->br));
		metrics_set(m, e->m_bulk, e->bulkhead > 0 ? e->bulk.busy : 0);
	}
	for (i = 0; i < w->next; i++) {
		struct ext	*x = &w->ext[i];
		struct lognorm	 ln;

		lognorm_from_p50_p99(&ln, x->p50_ms, x->p99_ms);
		metrics_set(m, x->m_p99, lognorm_quantile(&ln, 0.99));
		metrics_set(m, x->m_rps, x->rps);
		metrics_set(m, x->m_timeouts, x->timeouts_rps);
	}
	for (i = 0; i < w->ndb; i++) {
		struct dbnode *d = &w->db[i];

		metrics_set(m, d->m_used, d->conns_used);
		metrics_set(m, d->m_demand, d->conns_demand);
		metrics_set(m, d->m_refused, fmax(0, d->conns_demand -
		    d->conns_used));
		metrics_set(m, d->m_cpu, d->cpu.util_pct);
		metrics_set(m, d->m_qps, d->qps_last);
		metrics_set(m, d->m_longest, dbx_longest(g, i));
		{
			double active = 0, waits = 0;
			int b, p;

			for (b = 0; b < w->dbx.nbe; b++)
				if (!w->dbx.be[b].done && w->dbx.table[
				    w->dbx.be[b].table].node == i) {
					active++;
					waits += !w->dbx.be[b].granted;
				}
			for (b = 0; b < w->nsvc; b++)
				for (p = 0; p < w->svc[b].npools; p++)
					if (w->svc[b].pools[p].node == i)
						active += w->svc[b].pools[p].pool.busy;
			/* Lock waiters hold their connections: no more of
			 * them than each pool has busy. */
			for (b = 0; b < w->nsvc; b++)
				for (p = 0; p < w->svc[b].npools; p++) {
					const struct dbpool *dp =
					    &w->svc[b].pools[p];
					double want = 0;
					int q;

					if (dp->node != i)
						continue;
					for (q = 0; q < w->svc[b].nclass;
					    q++) {
						struct svc_class *c = &w->cls[
						    w->svc[b].first_class + q];

						if (c->locked && svc_class_pool(
						    &w->svc[b], c) == dp)
							want += c->rps * w->dbx.
							    lock_wait_timeout_ms
							    / 1000;
					}
					waits += fmin(want, dp->pool.busy);
				}
			waits += dbx_deadlock_waiters(w, i);
			metrics_set(m, d->m_active, active);
			metrics_set(m, d->m_lockwait, waits);
			metrics_set(m, d->m_deadlocks,
			    dbx_deadlocks_per_min(w, i));
		}
	}
	disk_publish(g);
	tenant_publish(g);
	for (i = 0; i < w->ngauge; i++)
		metrics_set(m, w->gauge[i].metric, w->gauge[i].value);
	metrics_set(m, w->m_budget, w->budget_burned_pct);
	metrics_set(m, w->m_impact, w->impact_min);
	metrics_set(m, w->m_bad, 100 * w->bad_fraction);
	for (i = 0; i < w->dbx.njob; i++)
		if (w->dbx.job[i].route >= 0)
			metrics_set(m, w->dbx.job[i].m_lag, w->dbx.job[i].lag_s);
}

static void
step_ramps(struct game *g)
{
	struct world	*w = &g->w;
	char		*cause = NULL;
	double		 f;
	int		 i;

	for (i = 0; i < w->nramp; i++) {
		struct ramp *r = &w->ramp[i];

		if (r->done || g->tick < r->start)
			continue;
		f = (double)(g->tick - r->start) / (double)r->ticks;
		if (f >= 1) {
			f = 1;
			r->done = 1;
		}
		if (world_set(w, r->path, r->from + (r->to - r->from) * f,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
			r->done = 1;
		}
	}
}

static void
step_breakers(struct game *g)
{
	struct world	*w = &g->w;
	static const char *names[] = { "CLOSED", "OPEN", "HALF_OPEN" };
	int		 i;

	for (i = 0; i < w->nedge; i++) {
		struct edge		*e = &w->edge[i];
		int			 slot = (int)(g->tick % POOL_RING);
		double			 fails = e->fail_due[slot], u = 0;
		enum breaker_state	 before = e->br.state;

		e->fail_due[slot] = 0;
		if (e->br.state == BREAKER_OPEN && e->br.pin == PIN_NONE &&
		    g->tick - e->br.opened_tick >=
		    (long)e->br.open_s * TICKS_PER_S)
			u = rng_double(&g->out);
		if (breaker_step(&e->br, g->tick, fails, e->att_fail_p,
		    e->att_fail_p >= 0.5 ? e->att_fail_ms : e->att_ok_ms, u))
			game_log(g, w->svc[e->from].name, "WARN",
			    "CircuitBreaker '%s' changed state from %s to %s",
			    e->name, names[before], names[e->br.state]);
	}
}

void
model_step(struct game *g)
{
	struct world	*w = &g->w;
	int		 i, whole = g->tick % TICKS_PER_S == 0;

	step_ramps(g);
	for (i = 0; i < w->nedge; i++) {
		edge_view(g, &w->edge[i]);
		w->edge[i].rps = 0;
		w->edge[i].timeouts_rps = 0;
		w->edge[i].retries_rps = 0;
	}
	for (i = 0; i < w->next; i++)
		w->ext[i].rps = 0;
	dbx_step(g);
	disk_step(g);
	tenant_step(g);
	step_db(g);
	step_gateway(g);
	for (i = 0; i < w->nsvc; i++)
		step_service(g, &w->svc[w->order[i]]);
	for (i = 0; i < w->next; i++)
		w->ext[i].timeouts_rps = 0;
	for (i = 0; i < w->nedge; i++)
		if (w->edge[i].to_kind == CALLEE_EXT)
			w->ext[w->edge[i].to].timeouts_rps +=
			    w->edge[i].timeouts_rps;
	step_breakers(g);
	cache_step(g);
	repl_step(g);
	publish(g, whole);
}
