/*
 * Building the world from data, naming things, and the parameter paths
 * through which scripts and commands read and change it.  The dynamics are
 * in model.c.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "util/xmalloc.h"

/* ---- latency histogram: bucket i covers 0.1 ms * 1.25^i ---- */

#define HIST_BASE	0.1
#define HIST_GROWTH	1.25

void
hist_clear(struct hist *h)
{
	memset(h, 0, sizeof *h);
}

void
hist_add(struct hist *h, double ms, double mass)
{
	int	i;

	if (mass <= 0)
		return;
	if (ms <= HIST_BASE)
		i = 0;
	else
		i = (int)ceil(log(ms / HIST_BASE) / log(HIST_GROWTH));
	if (i >= HIST_BUCKETS)
		i = HIST_BUCKETS - 1;
	if (h->b[i] <= 0)
		h->mn[i] = h->mx[i] = ms;
	else {
		h->mn[i] = fmin(h->mn[i], ms);
		h->mx[i] = fmax(h->mx[i], ms);
	}
	h->b[i] += mass;
	h->total += mass;
}

void
hist_merge(struct hist *h, const struct hist *o)
{
	int	i;

	for (i = 0; i < HIST_BUCKETS; i++) {
		if (o->b[i] <= 0)
			continue;
		if (h->b[i] <= 0) {
			h->mn[i] = o->mn[i];
			h->mx[i] = o->mx[i];
		} else {
			h->mn[i] = fmin(h->mn[i], o->mn[i]);
			h->mx[i] = fmax(h->mx[i], o->mx[i]);
		}
		h->b[i] += o->b[i];
	}
	h->total += o->total;
}

double
hist_quantile(const struct hist *h, double q)
{
	double	want, acc = 0, lo, hi;
	int	i;

	if (h->total <= 0)
		return (0);
	want = q * h->total;
	for (i = 0; i < HIST_BUCKETS; i++) {
		if (acc + h->b[i] >= want && h->b[i] > 0) {
			hi = HIST_BASE * pow(HIST_GROWTH, i);
			lo = i == 0 ? 0 : hi / HIST_GROWTH;
			/* Within what the bucket really holds. */
			if (h->mx[i] > 0 && h->mx[i] >= h->mn[i]) {
				lo = fmax(lo, h->mn[i]);
				hi = fmin(hi, h->mx[i]);
				if (hi < lo)
					hi = lo;
			}
			return (lo + (hi - lo) * (want - acc) / h->b[i]);
		}
		acc += h->b[i];
	}
	return (HIST_BASE * pow(HIST_GROWTH, HIST_BUCKETS - 1));
}

/* ---- lifecycle ---- */

void
world_init(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->gw_inflight_max = 10000;
	w->gw_timeout_ms = 30000;
	w->budget_total_s = 43.2 * 60;
	w->noise_pct = 1;
	w->cache.timeout_ms = 200;
	w->dbx.lock_wait_timeout_ms = 30000;
	w->dbx.index_build_s = 720;
	w->dbx.autovacuum_scale_factor = 0.2;	/* the Postgres default */
	w->dbx.next_pid = 4121;
	w->repl.primary = -1;
}

void
world_fini(struct world *w)
{
	int	i, j;

	for (i = 0; i < w->nsvc; i++) {
		if (w->finalized)
			pool_fini(&w->svc[i].threads);
		for (j = 0; j < w->svc[i].npools; j++) {
			if (w->finalized)
				pool_fini(&w->svc[i].pools[j].pool);
			free(w->svc[i].pools[j].m_capacity_c);
		}
	}
	for (i = 0; i < w->nedge; i++)
		if (w->edge[i].bulk.due != NULL)
			pool_fini(&w->edge[i].bulk);
	if (w->finalized)
		pool_fini(&w->gw);
	for (i = 0; i < w->nflag; i++)
		free(w->flag[i].desc);
	for (i = 0; i < w->npatch; i++)
		free(w->patch[i].desc);
	for (i = 0; i < w->nchange; i++) {
		free(w->change[i].who);
		free(w->change[i].target);
		free(w->change[i].text);
	}
	for (i = 0; i < w->nramp; i++)
		free(w->ramp[i].path);
	for (i = 0; i < w->nact; i++) {
		free(w->act[i].label);
		free(w->act[i].path);
		free(w->act[i].str);
	}
	for (i = 0; i < w->cache.nks; i++) {
		free(w->cache.ks[i].exp);
		bloom_fini(&w->cache.ks[i].bloom);
	}
	free(w->cache.ks);
	free(w->cache.shard);
	free(w->cache.hot);
	for (i = 0; i < w->dbx.nquery; i++)
		free(w->dbx.query[i].sql);
	free(w->dbx.query);
	free(w->dbx.table);
	free(w->dbx.be);
	free(w->dbx.job);
	free(w->dbx.role);
	free(w->dbx.ws);
	repl_fini(&w->repl);
	free(w->dbx.dl);
	tenant_fini(&w->tenant);
	free(w->svc);
	free(w->cls);
	free(w->edge);
	free(w->ext);
	free(w->route);
	free(w->db);
	free(w->flag);
	free(w->fault);
	free(w->patch);
	free(w->gauge);
	free(w->change);
	free(w->ramp);
	free(w->act);
	free(w->order);
	memset(w, 0, sizeof *w);
}

/* ---- lookup ---- */

int
world_find_svc(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->nsvc; i++)
		if (strcmp(w->svc[i].name, name) == 0)
			return (i);
	return (-1);
}

int
world_find_class(const struct world *w, const char *svc, const char *cls)
{
	int	s = world_find_svc(w, svc), i;

	if (s == -1)
		return (-1);
	for (i = 0; i < w->ncls; i++)
		if (w->cls[i].svc == s && strcmp(w->cls[i].name, cls) == 0)
			return (i);
	return (-1);
}

int
world_find_edge(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->nedge; i++)
		if (strcmp(w->edge[i].name, name) == 0)
			return (i);
	return (-1);
}

int
world_find_ext(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->next; i++)
		if (strcmp(w->ext[i].name, name) == 0)
			return (i);
	return (-1);
}

int
world_find_route(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->nroute; i++)
		if (strcmp(w->route[i].name, name) == 0)
			return (i);
	return (-1);
}

int
world_find_db(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->ndb; i++)
		if (strcmp(w->db[i].name, name) == 0)
			return (i);
	return (-1);
}

int
world_find_flag(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->nflag; i++)
		if (strcmp(w->flag[i].name, name) == 0)
			return (i);
	return (-1);
}

/* 1 when the named flag exists and is on ("" names none: 0). */
int
world_flag_on(const struct world *w, const char *name)
{
	int	f = world_find_flag(w, name);

	return (f != -1 && w->flag[f].on);
}

int
world_find_patch(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->npatch; i++)
		if (strcmp(w->patch[i].name, name) == 0)
			return (i);
	return (-1);
}

/* ---- building ---- */

static int
check_name(const char *what, const char *name, size_t max, char **cause)
{
	const char	*p;

	if (*name == '\0' || strlen(name) >= max) {
		*cause = xasprintf("bad %s name: '%s'", what, name);
		return (-1);
	}
	for (p = name; *p != '\0'; p++) {
		if (*p == '.' || *p == ' ' || *p == '"' || *p == '{') {
			*cause = xasprintf("bad %s name '%s': no dots, spaces,"
			    " quotes or braces", what, name);
			return (-1);
		}
	}
	return (0);
}

static int
built(const struct world *w, char **cause)
{
	if (w->finalized) {
		*cause = xstrdup("the world is already built: declare"
		    " components in the platform or the incident's world()");
		return (-1);
	}
	return (0);
}

int
world_add_svc(struct world *w, const char *name, char **cause)
{
	struct svc	*s;

	if (built(w, cause) != 0 ||
	    check_name("service", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if (world_find_svc(w, name) != -1) {
		*cause = xasprintf("service %s declared twice", name);
		return (-1);
	}
	w->svc = xreallocarray(w->svc, w->nsvc + 1, sizeof *w->svc);
	s = &w->svc[w->nsvc];
	memset(s, 0, sizeof *s);
	strlcpy_fd(s->name, name, sizeof s->name);
	s->ix = w->nsvc;
	s->instances = 1;
	s->threads_per_instance = 20;
	s->cores_per_instance = 4;
	s->queue_timeout_ms = 30000;
	s->startup_s = 45;
	s->boot_s = 240;
	s->first_class = -1;
	s->roll_patch = -1;
	s->hpa_target_pct = 80;
	s->hpa_cooldown_s = 300;
	s->hpa_above_since = -1;
	s->hpa_last = -1000000;
	strlcpy_fd(s->version, "v1.0.0", sizeof s->version);
	s->cpu.service_ms = 1;
	return (w->nsvc++);
}

int
world_add_class(struct world *w, int svc, const char *name, char **cause)
{
	struct svc_class	*c;
	int			 i;

	if (built(w, cause) != 0 ||
	    check_name("class", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if (svc < 0 || svc >= w->nsvc) {
		*cause = xstrdup("class of an unknown service");
		return (-1);
	}
	if (world_find_class(w, w->svc[svc].name, name) != -1) {
		*cause = xasprintf("class %s.%s declared twice",
		    w->svc[svc].name, name);
		return (-1);
	}
	/* Keep a service's classes contiguous: insert after its last one. */
	for (i = 0; i < w->ncls; i++)
		if (w->cls[i].svc > svc)
			break;
	if (i != w->ncls) {
		*cause = xstrdup("declare a service's classes right after it");
		return (-1);
	}
	w->cls = xreallocarray(w->cls, w->ncls + 1, sizeof *w->cls);
	c = &w->cls[w->ncls];
	memset(c, 0, sizeof *c);
	strlcpy_fd(c->name, name, sizeof c->name);
	c->svc = svc;
	c->cpu_ms = 5;
	c->cache_ks = c->cache_hot = -1;
	c->table = -1;
	if (w->svc[svc].first_class == -1)
		w->svc[svc].first_class = w->ncls;
	c->ix = w->svc[svc].nclass++;
	return (w->ncls++);
}

int
world_add_pool(struct world *w, int svc, const char *name, enum db_kind kind,
    double per_instance, double acquire_timeout_ms, int node, char **cause)
{
	struct svc	*s;
	struct dbpool	*p;

	if (built(w, cause) != 0)
		return (-1);
	s = &w->svc[svc];
	if (s->npools == SVC_MAXPOOLS) {
		*cause = xasprintf("%s: at most %d DB pools", s->name,
		    SVC_MAXPOOLS);
		return (-1);
	}
	p = &s->pools[s->npools];
	memset(p, 0, sizeof *p);
	strlcpy_fd(p->name, name, sizeof p->name);
	p->kind = kind;
	p->per_instance = per_instance;
	p->acquire_timeout_ms = acquire_timeout_ms;
	p->node = node;
	return (s->npools++);
}

int
world_add_ext(struct world *w, const char *name, char **cause)
{
	struct ext	*e;

	if (built(w, cause) != 0 ||
	    check_name("external", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if (world_find_ext(w, name) != -1 || world_find_svc(w, name) != -1) {
		*cause = xasprintf("%s declared twice", name);
		return (-1);
	}
	w->ext = xreallocarray(w->ext, w->next + 1, sizeof *w->ext);
	e = &w->ext[w->next];
	memset(e, 0, sizeof *e);
	strlcpy_fd(e->name, name, sizeof e->name);
	e->p50_ms = 100;
	e->p99_ms = 300;
	return (w->next++);
}

int
world_add_edge(struct world *w, int from, const char *to,
    const char *to_class, char **cause)
{
	struct edge	*e;
	int		 t, tc = -1;
	enum callee_kind kind;

	if (built(w, cause) != 0)
		return (-1);
	if ((t = world_find_svc(w, to)) != -1) {
		kind = CALLEE_SVC;
		if (to_class == NULL ||
		    (tc = world_find_class(w, to, to_class)) == -1) {
			*cause = xasprintf("edge %s->%s: unknown class '%s'",
			    w->svc[from].name, to,
			    to_class != NULL ? to_class : "");
			return (-1);
		}
	} else if ((t = world_find_ext(w, to)) != -1)
		kind = CALLEE_EXT;
	else {
		*cause = xasprintf("edge %s->%s: unknown callee",
		    w->svc[from].name, to);
		return (-1);
	}
	w->edge = xreallocarray(w->edge, w->nedge + 1, sizeof *w->edge);
	e = &w->edge[w->nedge];
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s->%s", w->svc[from].name, to);
	if (world_find_edge(w, e->name) != -1) {
		*cause = xasprintf("edge %s declared twice", e->name);
		return (-1);
	}
	e->from = from;
	e->to_kind = kind;
	e->to = t;
	e->to_class = tc;
	e->retry.timeout_ms = 30000;
	breaker_init(&e->br);
	return (w->nedge++);
}

int
world_add_call(struct world *w, int cls, int edge, double p, char **cause)
{
	struct svc_class	*c = &w->cls[cls];

	if (c->ncalls == CLASS_MAXCALLS) {
		*cause = xasprintf("class %s: at most %d calls", c->name,
		    CLASS_MAXCALLS);
		return (-1);
	}
	if (w->edge[edge].from != c->svc) {
		*cause = xasprintf("class %s calls %s, which starts elsewhere",
		    c->name, w->edge[edge].name);
		return (-1);
	}
	c->calls[c->ncalls].edge = edge;
	c->calls[c->ncalls].p = p;
	c->ncalls++;
	return (0);
}

int
world_add_route(struct world *w, const char *name, int cls, double rps,
    char **cause)
{
	struct route	*r;

	if (built(w, cause) != 0)
		return (-1);
	if (*name == '\0' || strlen(name) >= sizeof r->name ||
	    strpbrk(name, "\".{}") != NULL) {
		*cause = xasprintf("bad route name '%s'", name);
		return (-1);
	}
	if (world_find_route(w, name) != -1) {
		*cause = xasprintf("route %s declared twice", name);
		return (-1);
	}
	w->route = xreallocarray(w->route, w->nroute + 1, sizeof *w->route);
	r = &w->route[w->nroute];
	memset(r, 0, sizeof *r);
	strlcpy_fd(r->name, name, sizeof r->name);
	r->cls = cls;
	r->rps_base = rps;
	r->mult = 1;
	r->noise = 1;
	r->nf_base = rps * 0.0005;
	return (w->nroute++);
}

int
world_add_db(struct world *w, const char *name, char **cause)
{
	struct dbnode	*d;

	if (built(w, cause) != 0 ||
	    check_name("database", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if (world_find_db(w, name) != -1) {
		*cause = xasprintf("database %s declared twice", name);
		return (-1);
	}
	w->db = xreallocarray(w->db, w->ndb + 1, sizeof *w->db);
	d = &w->db[w->ndb];
	memset(d, 0, sizeof *d);
	strlcpy_fd(d->name, name, sizeof d->name);
	d->max_connections = 500;
	d->reserved = 3;
	d->vcpu = 32;
	d->cpu.service_ms = 1;
	return (w->ndb++);
}

int
world_add_flag(struct world *w, const char *name, const char *svc, int on,
    const char *desc, char **cause)
{
	struct flag	*f;
	int		 i;

	if (check_name("flag", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if ((i = world_find_flag(w, name)) != -1) {
		w->flag[i].on = on;
		return (i);
	}
	w->flag = xreallocarray(w->flag, w->nflag + 1, sizeof *w->flag);
	f = &w->flag[w->nflag];
	memset(f, 0, sizeof *f);
	strlcpy_fd(f->name, name, sizeof f->name);
	strlcpy_fd(f->svc, svc != NULL ? svc : "", sizeof f->svc);
	f->on = on;
	f->desc = xstrdup(desc != NULL ? desc : "");
	return (w->nflag++);
}

int
world_add_fault(struct world *w, const struct fault *f, char **cause)
{
	if (f->svc < 0 || f->svc >= w->nsvc) {
		*cause = xstrdup("fault on an unknown service");
		return (-1);
	}
	w->fault = xreallocarray(w->fault, w->nfault + 1, sizeof *w->fault);
	w->fault[w->nfault] = *f;
	return (w->nfault++);
}

int
world_add_patch(struct world *w, const char *name, int svc,
    const char *version, double build_s, const char *desc, char **cause)
{
	struct patch	*p;

	if (check_name("patch", name, NAME_MAX_FD, cause) != 0)
		return (-1);
	if (world_find_patch(w, name) != -1) {
		*cause = xasprintf("patch %s declared twice", name);
		return (-1);
	}
	w->patch = xreallocarray(w->patch, w->npatch + 1, sizeof *w->patch);
	p = &w->patch[w->npatch];
	memset(p, 0, sizeof *p);
	strlcpy_fd(p->name, name, sizeof p->name);
	p->svc = svc;
	strlcpy_fd(p->version, version, sizeof p->version);
	p->build_s = build_s;
	p->rollout_s = 60;
	p->desc = xstrdup(desc != NULL ? desc : "");
	return (w->npatch++);
}

int
world_add_gauge(struct world *w, struct metrics *m, const char *name,
    const char *lkey, const char *lval, double value)
{
	struct gauge	*g;

	w->gauge = xreallocarray(w->gauge, w->ngauge + 1, sizeof *w->gauge);
	g = &w->gauge[w->ngauge];
	if (lkey != NULL)
		g->metric = metrics_add(m, name, lkey, lval, (char *)NULL);
	else
		g->metric = metrics_add(m, name, (char *)NULL);
	g->value = value;
	metrics_set(m, g->metric, value);
	return (w->ngauge++);
}

void
world_add_change(struct world *w, long t_ms, const char *who,
    const char *target, const char *text)
{
	struct change	*c;

	w->change = xreallocarray(w->change, w->nchange + 1,
	    sizeof *w->change);
	c = &w->change[w->nchange++];
	c->t_ms = t_ms;
	c->who = xstrdup(who);
	c->target = xstrdup(target);
	c->text = xstrdup(text);
}

int
world_add_shards(struct world *w, int n, double capacity, double base_ops,
    char **cause)
{
	int	i;

	if (built(w, cause) != 0)
		return (-1);
	if (n < 1 || n > 256 || w->cache.nshard > 0) {
		*cause = xstrdup("cache: 1..256 shards, declared once");
		return (-1);
	}
	w->cache.shard = xcalloc(n, sizeof *w->cache.shard);
	w->cache.nshard = n;
	for (i = 0; i < n; i++) {
		struct cache_shard *s = &w->cache.shard[i];

		snprintf(s->name, sizeof s->name, "cache-%d", i);
		s->capacity = capacity;
		s->base_ms = 0.4;
		s->base_ops = base_ops;
		s->lat_ms = s->base_ms;
		s->down_until = -1;
	}
	return (0);
}

int
world_find_keyspace(const struct world *w, const char *pattern)
{
	int	i;

	for (i = 0; i < w->cache.nks; i++)
		if (strcmp(w->cache.ks[i].pattern, pattern) == 0)
			return (i);
	return (-1);
}

int
world_add_keyspace(struct world *w, const char *pattern, char **cause)
{
	struct keyspace	*k;

	if (built(w, cause) != 0)
		return (-1);
	if (*pattern == '\0' || strlen(pattern) >= CACHE_NAME ||
	    strpbrk(pattern, ". \"{}") != NULL) {
		*cause = xasprintf("bad keyspace '%s'", pattern);
		return (-1);
	}
	if (w->cache.nshard == 0) {
		*cause = xstrdup("declare the cache (w:cache) before keyspaces");
		return (-1);
	}
	if (world_find_keyspace(w, pattern) != -1) {
		*cause = xasprintf("keyspace %s declared twice", pattern);
		return (-1);
	}
	w->cache.ks = xreallocarray(w->cache.ks, w->cache.nks + 1,
	    sizeof *w->cache.ks);
	k = &w->cache.ks[w->cache.nks];
	memset(k, 0, sizeof *k);
	strlcpy_fd(k->pattern, pattern, sizeof k->pattern);
	k->keys = 1000;
	k->hit_max = 0.97;
	k->w = 1;
	k->ttl_s = 3600;
	k->fill_s = 0.05;
	k->db = w->ndb > 0 ? 0 : -1;
	k->load_cpu_ms = 2;
	k->dup = 0.5;
	k->exp = xcalloc(CACHE_EXP_RING, sizeof *k->exp);
	return (w->cache.nks++);
}

int
world_find_hotkey(const struct world *w, const char *key)
{
	int	i;

	for (i = 0; i < w->cache.nhot; i++)
		if (strcmp(w->cache.hot[i].key, key) == 0)
			return (i);
	return (-1);
}

int
world_add_hotkey(struct world *w, const char *key, int ks, int shard,
    char **cause)
{
	struct hotkey	*h;

	if (*key == '\0' || strlen(key) >= CACHE_NAME ||
	    strpbrk(key, ". \"{}") != NULL) {
		*cause = xasprintf("bad key '%s'", key);
		return (-1);
	}
	if (ks < 0 || ks >= w->cache.nks || shard < 0 ||
	    shard >= w->cache.nshard) {
		*cause = xasprintf("key %s: unknown keyspace or shard", key);
		return (-1);
	}
	if (world_find_hotkey(w, key) != -1) {
		*cause = xasprintf("key %s declared twice", key);
		return (-1);
	}
	w->cache.hot = xreallocarray(w->cache.hot, w->cache.nhot + 1,
	    sizeof *w->cache.hot);
	h = &w->cache.hot[w->cache.nhot];
	memset(h, 0, sizeof *h);
	strlcpy_fd(h->key, key, sizeof h->key);
	h->ks = ks;
	h->shard = shard;
	h->copies = 1;
	h->expires = -1;
	h->fill_until = -1;
	return (w->cache.nhot++);
}

/* ---- finalize: order the call graph, size pools, register metrics ---- */

static int
visit(struct world *w, int s, int *mark, int *n, char **cause)
{
	int	i;

	if (mark[s] == 2)
		return (0);
	if (mark[s] == 1) {
		*cause = xasprintf("call graph has a cycle through %s",
		    w->svc[s].name);
		return (-1);
	}
	mark[s] = 1;
	for (i = 0; i < w->nedge; i++) {
		if (w->edge[i].to_kind != CALLEE_SVC || w->edge[i].to != s)
			continue;
		if (visit(w, w->edge[i].from, mark, n, cause) != 0)
			return (-1);
	}
	mark[s] = 2;
	w->order[(*n)++] = s;
	return (0);
}

static void
register_metrics(struct world *w, struct metrics *m)
{
	int	 i, j, k;
	char	 num[16];

	m->n = m->n;	/* gauges may already be there */
	for (i = 0; i < w->nroute; i++) {
		struct route *r = &w->route[i];

		r->m_rps = metrics_add(m, "gw_requests_rps", "route", r->name,
		    (char *)NULL);
		r->m_err = metrics_add(m, "gw_error_ratio_pct", "route",
		    r->name, (char *)NULL);
		r->m_p99 = metrics_add(m, "gw_latency_p99_ms", "route",
		    r->name, (char *)NULL);
		r->m_avg = metrics_add(m, "gw_latency_avg_ms", "route",
		    r->name, (char *)NULL);
		r->m_good = metrics_add(m, "slo_good_ratio_pct", "route",
		    r->name, (char *)NULL);
		r->m_404 = metrics_add(m, "http_404_per_s", "route", r->name,
		    (char *)NULL);
	}
	w->m_gw_inflight = metrics_add(m, "gw_inflight_requests", (char *)NULL);
	w->m_gw_rejected = metrics_add(m, "gw_rejected_rps", (char *)NULL);
	w->m_gw_p99_worst = metrics_add(m, "gw_latency_p99_worst_ms",
	    (char *)NULL);
	for (i = 0; i < w->nsvc; i++) {
		struct svc *s = &w->svc[i];
		const char *n = s->name;

		s->m_rps = metrics_add(m, "svc_rps", "svc", n, (char *)NULL);
		s->m_err = metrics_add(m, "svc_error_ratio_pct", "svc", n,
		    (char *)NULL);
		s->m_p99 = metrics_add(m, "svc_latency_p99_ms", "svc", n,
		    (char *)NULL);
		s->m_busy = metrics_add(m, "svc_threads_busy", "svc", n,
		    (char *)NULL);
		s->m_busy_pct = metrics_add(m, "svc_threads_busy_pct", "svc",
		    n, (char *)NULL);
		s->m_needed = metrics_add(m, "svc_threads_needed", "svc", n,
		    (char *)NULL);
		s->m_queue = metrics_add(m, "svc_queue_depth", "svc", n,
		    (char *)NULL);
		s->m_ready = metrics_add(m, "svc_instances_ready", "svc", n,
		    (char *)NULL);
		s->m_restarts = metrics_add(m, "svc_restarts_total", "svc", n,
		    (char *)NULL);
		s->m_cpu = metrics_add(m, "svc_cpu_pct", "svc", n,
		    (char *)NULL);
		for (j = 0; j < s->npools; j++) {
			struct dbpool *p = &s->pools[j];

			p->m_active = metrics_add(m, "db_pool_active", "svc", n,
			    "pool", p->name, (char *)NULL);
			p->m_util = metrics_add(m, "db_pool_utilization_pct",
			    "svc", n, "pool", p->name, (char *)NULL);
			p->m_waiting = metrics_add(m, "db_pool_waiting", "svc",
			    n, "pool", p->name, (char *)NULL);
			p->m_wait_p99 = metrics_add(m, "db_pool_wait_ms_p99",
			    "svc", n, "pool", p->name, (char *)NULL);
			p->m_timeouts = metrics_add(m,
			    "db_pool_acquire_timeouts_per_s", "svc", n, "pool",
			    p->name, (char *)NULL);
			p->m_capacity = metrics_add(m, "db_pool_capacity_rps",
			    "svc", n, "pool", p->name, (char *)NULL);
			p->m_size = metrics_add(m, "db_pool_size", "svc", n,
			    "pool", p->name, (char *)NULL);
			free(p->m_capacity_c);
			p->m_capacity_c = xcalloc(s->nclass, sizeof (int));
			for (k = 0; k < s->nclass; k++) {
				struct svc_class *c =
				    &w->cls[s->first_class + k];

				p->m_capacity_c[k] = -1;
				if (c->db == DBK_NONE || (p->kind != DBK_NONE &&
				    p->kind != c->db))
					continue;
				p->m_capacity_c[k] = metrics_add(m,
				    "db_pool_capacity_rps", "svc", n, "pool",
				    p->name, "class", c->name, (char *)NULL);
			}
		}
	}
	for (i = 0; i < w->nedge; i++) {
		struct edge *e = &w->edge[i];

		e->m_rps = metrics_add(m, "dep_rps", "edge", e->name,
		    (char *)NULL);
		e->m_p99 = metrics_add(m, "dep_latency_p99_ms", "edge",
		    e->name, (char *)NULL);
		e->m_timeouts = metrics_add(m, "dep_timeouts_per_s", "edge",
		    e->name, (char *)NULL);
		e->m_retries = metrics_add(m, "dep_retries_per_s", "edge",
		    e->name, (char *)NULL);
		e->m_state = metrics_add(m, "breaker_state", "edge", e->name,
		    (char *)NULL);
		e->m_bulk = metrics_add(m, "bulkhead_busy", "edge", e->name,
		    (char *)NULL);
	}
	for (i = 0; i < w->next; i++) {
		struct ext	*x = &w->ext[i];
		char		 name[NAME_MAX_FD + 32];

		snprintf(name, sizeof name, "%s_latency_p99_ms", x->name);
		x->m_p99 = metrics_add(m, name, (char *)NULL);
		snprintf(name, sizeof name, "%s_timeouts_per_s", x->name);
		x->m_timeouts = metrics_add(m, name, (char *)NULL);
		snprintf(name, sizeof name, "%s_rps", x->name);
		x->m_rps = metrics_add(m, name, (char *)NULL);
	}
	for (i = 0; i < w->ndb; i++) {
		struct dbnode *d = &w->db[i];

		d->m_used = metrics_add(m, "db_connections_used", "node",
		    d->name, (char *)NULL);
		d->m_demand = metrics_add(m, "db_connections_demand", "node",
		    d->name, (char *)NULL);
		d->m_refused = metrics_add(m, "db_connections_refused", "node",
		    d->name, (char *)NULL);
		d->m_cpu = metrics_add(m, "db_cpu_pct", "node", d->name,
		    (char *)NULL);
		d->m_qps = metrics_add(m, "db_qps", "node", d->name,
		    (char *)NULL);
		d->m_longest = metrics_add(m, "db_longest_query_s", "node",
		    d->name, (char *)NULL);
		d->m_active = metrics_add(m, "db_active_sessions", "node",
		    d->name, (char *)NULL);
		d->m_lockwait = metrics_add(m, "db_lock_wait_sessions", "node",
		    d->name, (char *)NULL);
		d->m_deadlocks = metrics_add(m, "db_deadlocks_per_min", "node",
		    d->name, (char *)NULL);
	}
	for (i = 0; i < w->dbx.njob; i++) {
		struct dbx_job	*jb = &w->dbx.job[i];
		char		 lag[DBX_NAME + 8], *p;

		/* A continuous job's lag, as "inventory_sync_lag_s". */
		if (jb->route < 0)
			continue;
		snprintf(lag, sizeof lag, "%s_lag_s", jb->name);
		for (p = lag; *p != '\0'; p++)
			if (*p == '-')
				*p = '_';
		jb->m_lag = metrics_add(m, lag, (char *)NULL);
	}
	disk_register(w, m);
	for (i = 0; i < w->cache.nshard; i++) {
		struct cache_shard *s = &w->cache.shard[i];

		s->m_ops = metrics_add(m, "cache_shard_ops_per_s", "shard",
		    s->name, (char *)NULL);
		s->m_cpu = metrics_add(m, "cache_shard_cpu_pct", "shard",
		    s->name, (char *)NULL);
		s->m_lat = metrics_add(m, "cache_latency_p99_ms", "shard",
		    s->name, (char *)NULL);
	}
	for (i = 0; i < w->cache.nks; i++) {
		struct keyspace *ksp = &w->cache.ks[i];
		const char *p = ksp->pattern;

		ksp->m_hit = metrics_add(m, "cache_hit_ratio_pct", "keyspace", p,
		    (char *)NULL);
		ksp->m_miss = metrics_add(m, "cache_misses_per_s", "keyspace", p,
		    (char *)NULL);
		ksp->m_loads = metrics_add(m, "cache_db_loads_per_s", "keyspace",
		    p, (char *)NULL);
		ksp->m_loads_total = metrics_add(m, "cache_db_loads_total",
		    "keyspace", p, (char *)NULL);
		ksp->m_null = metrics_add(m, "cache_null_hits_per_s", "keyspace",
		    p, (char *)NULL);
		ksp->m_bloom = metrics_add(m, "bloom_rejects_per_s", "keyspace",
		    p, (char *)NULL);
		ksp->m_drop = metrics_add(m, "cache_hit_drop_pct", "keyspace", p,
		    (char *)NULL);
		ksp->m_expiring = metrics_add(m, "cache_expiring_keys_per_s",
		    "keyspace", p, (char *)NULL);
		ksp->m_fp = metrics_add(m, "bloom_false_positive_pct",
		    "keyspace", p, (char *)NULL);
	}
	for (i = 0; i < w->cache.nhot; i++)
		w->cache.hot[i].m_ops = metrics_add(m,
		    "cache_hotkey_ops_per_s", "key", w->cache.hot[i].key,
		    (char *)NULL);
	w->m_budget = metrics_add(m, "error_budget_burned_pct", (char *)NULL);
	w->m_impact = metrics_add(m, "user_impact_min", (char *)NULL);
	w->m_budget_total = metrics_add(m, "error_budget_total_min",
	    (char *)NULL);
	w->m_bad = metrics_add(m, "slo_bad_fraction_pct", (char *)NULL);
	(void)num;
}

int
world_finalize(struct world *w, struct metrics *m, char **cause)
{
	int	*mark, n = 0, i, j;

	if (w->nsvc == 0 || w->nroute == 0) {
		*cause = xstrdup("the world needs at least one service and"
		    " one route");
		return (-1);
	}
	for (i = 0; i < w->nsvc; i++) {
		if (w->svc[i].nclass == 0) {
			*cause = xasprintf("service %s has no request class",
			    w->svc[i].name);
			return (-1);
		}
		for (j = 0; j < w->svc[i].npools; j++) {
			if (w->svc[i].pools[j].node < 0 ||
			    w->svc[i].pools[j].node >= w->ndb) {
				*cause = xasprintf("%s: pool %s names no"
				    " database", w->svc[i].name,
				    w->svc[i].pools[j].name);
				return (-1);
			}
		}
	}
	for (i = 0; i < w->ncls; i++) {
		if (w->cls[i].db != DBK_NONE && w->svc[w->cls[i].svc].npools == 0) {
			*cause = xasprintf("%s.%s queries the database but %s"
			    " has no pool", w->svc[w->cls[i].svc].name,
			    w->cls[i].name, w->svc[w->cls[i].svc].name);
			return (-1);
		}
	}
	w->order = xcalloc(w->nsvc, sizeof *w->order);
	mark = xcalloc(w->nsvc, sizeof *mark);
	/* visit() places callers before callees: reverse of a DFS on callees. */
	for (i = 0; i < w->nsvc; i++) {
		if (visit(w, i, mark, &n, cause) != 0) {
			free(mark);
			return (-1);
		}
	}
	free(mark);

	for (i = 0; i < w->nsvc; i++) {
		struct svc *s = &w->svc[i];

		/* Sized from the start so the first tick is already sane. */
		pool_init(&s->threads, s->nclass, s->instances *
		    s->threads_per_instance, s->queue_timeout_ms);
		for (j = 0; j < s->npools; j++)
			pool_init(&s->pools[j].pool, s->nclass, s->instances *
			    s->pools[j].per_instance,
			    s->pools[j].acquire_timeout_ms);
	}
	for (i = 0; i < w->nedge; i++) {
		struct edge *e = &w->edge[i];

		pool_init(&e->bulk, w->svc[e->from].nclass, 0, 0);
	}
	pool_init(&w->gw, w->nroute, w->gw_inflight_max, 0);
	register_metrics(w, m);
	metrics_set(m, w->m_budget_total, w->budget_total_s / 60);
	w->finalized = 1;
	repl_register(w, m);
	tenant_register(w, m);
	return (0);
}

/*
 * Every metric family the model can publish, whether or not this world
 * has the component: an alert over a family the world lacks is inert, a
 * name outside this list is a typo.
 */
static const char *const families[] = {
	"bloom_false_positive_pct", "bloom_rejects_per_s", "breaker_state",
	"bulkhead_busy", "cache_db_loads_per_s", "cache_db_loads_total",
	"cache_expiring_keys_per_s", "cache_hit_drop_pct",
	"cache_hit_ratio_pct", "cache_hotkey_ops_per_s",
	"cache_latency_p99_ms", "cache_misses_per_s", "cache_null_hits_per_s",
	"cache_shard_cpu_pct", "cache_shard_ops_per_s",
	"db_connections_demand", "db_connections_refused",
	"db_connections_used", "db_cpu_pct", "db_pool_acquire_timeouts_per_s",
	"db_pool_active", "db_pool_capacity_rps", "db_pool_size",
	"db_pool_utilization_pct", "db_pool_wait_ms_p99", "db_pool_waiting",
	"db_qps", "db_longest_query_s", "db_active_sessions",
	"db_dead_tuples", "db_disk_free_gb", "db_disk_growth_gb_per_h",
	"db_disk_used_pct", "db_wal_archive_gb", "db_iops_util_pct",
	"db_wal_write_queue", "db_write_iops", "db_write_latency_p99_ms",
	"db_cpu_by_tenant_pct",
	"db_lock_wait_sessions", "db_replication_lag_s", "db_wal_rate_mb_s",
	"dep_latency_p99_ms", "dep_retries_per_s", "dep_rps",
	"db_lock_wait_sessions", "dep_latency_p99_ms", "dep_retries_per_s", "dep_rps",
	"db_deadlocks_per_min",
	"dep_timeouts_per_s", "error_budget_burned_pct",
	"error_budget_total_min", "gw_error_ratio_pct", "gw_inflight_requests",
	"gw_latency_avg_ms", "gw_latency_p99_ms", "gw_latency_p99_worst_ms",
	"gw_rejected_rps", "gw_requests_rps", "http_404_per_s",
	"slo_bad_fraction_pct", "slo_good_ratio_pct", "svc_cpu_pct",
	"svc_error_ratio_pct", "svc_instances_ready", "svc_latency_p99_ms",
	"svc_queue_depth", "svc_restarts_total", "svc_rps", "svc_threads_busy",
	"svc_threads_busy_pct", "svc_threads_needed", "user_impact_min",
	NULL
};

int
world_metric_family(const char *name)
{
	const char *const	*f;

	for (f = families; *f != NULL; f++)
		if (strcmp(*f, name) == 0)
			return (1);
	return (0);
}

/* ---- helpers the model and the views share ---- */

double
svc_version_share(const struct svc *s, const char *version)
{
	double	share = 0;

	if (strcmp(s->version, version) == 0)
		share += 1 - s->to_frac;
	if (s->roll != ROLL_NONE && s->roll != ROLL_BUILD &&
	    strcmp(s->to_version, version) == 0)
		share += s->to_frac;
	return (share);
}

struct pool *
svc_class_threads(struct world *w, const struct svc_class *c, int *bulk_edge)
{
	int	i;

	for (i = 0; i < c->ncalls; i++) {
		struct edge *e = &w->edge[c->calls[i].edge];

		if (e->bulkhead > 0) {
			if (bulk_edge != NULL)
				*bulk_edge = c->calls[i].edge;
			return (&e->bulk);
		}
	}
	if (bulk_edge != NULL)
		*bulk_edge = -1;
	return (&w->svc[c->svc].threads);
}

struct dbpool *
svc_class_pool(struct svc *s, const struct svc_class *c)
{
	int	i;

	if (c->db == DBK_NONE)
		return (NULL);
	for (i = 0; i < s->npools; i++)
		if (s->pools[i].kind == c->db)
			return (&s->pools[i]);
	for (i = 0; i < s->npools; i++)
		if (s->pools[i].kind == DBK_NONE)
			return (&s->pools[i]);
	return (s->npools > 0 ? &s->pools[0] : NULL);
}

double
dbpool_size(const struct world *w, const struct svc *s, const struct dbpool *p)
{
	double	size = s->instances * p->per_instance;

	if (p->node >= 0 && p->node < w->ndb)
		size *= 1 - w->db[p->node].refused_frac;
	return (size);
}
