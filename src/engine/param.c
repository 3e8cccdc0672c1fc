/*
 * Parameter paths: the one way scripts and commands read and change the
 * model's knobs, as "kind.name.key" (svc.order.instances,
 * edge.order->payment.timeout_ms, class.order.checkout.db_ms,
 * route.GET /orders/history.rps).  Names never contain dots.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "engine/world.h"
#include "util/xmalloc.h"

enum ptype {
	PT_DBL,
	PT_INT,
	PT_RO_DBL,	/* read-only double */
};

struct pdesc {
	const char	*key;
	size_t		 off;
	enum ptype	 type;
};

#define D(s, f)		{ #f, offsetof(struct s, f), PT_DBL }
#define DK(k, s, f)	{ k, offsetof(struct s, f), PT_DBL }
#define I(s, f)		{ #f, offsetof(struct s, f), PT_INT }
#define IK(k, s, f)	{ k, offsetof(struct s, f), PT_INT }
#define R(k, s, f)	{ k, offsetof(struct s, f), PT_RO_DBL }

static const struct pdesc svc_params[] = {
	D(svc, instances),
	DK("threads", svc, threads_per_instance),
	DK("cores", svc, cores_per_instance),
	D(svc, queue_timeout_ms),
	D(svc, queue_per_instance),
	D(svc, retries_on_deadlock),
	D(svc, startup_s),
	D(svc, boot_s),
	I(svc, hold_conn_across_calls),
	D(svc, loss_pct),
	IK("hpa", svc, hpa_on),
	D(svc, hpa_min),
	D(svc, hpa_max),
	D(svc, hpa_target_pct),
	I(svc, hpa_metric),
	D(svc, hpa_cooldown_s),
	IK("canary", svc, canary.on),
	DK("canary.bake_s", svc, canary.bake_s),
	DK("canary.rollback_err_pct", svc, canary.rollback_err_pct),
	DK("canary.rollback_p99_x", svc, canary.rollback_p99_x),
	R("restarts", svc, restarts),
	R("rps", svc, rps),
	R("error_ratio_pct", svc, err_ratio),
	R("p99_ms", svc, p99_ms),
	R("to_frac", svc, to_frac),
	R("booting", svc, booting),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc class_params[] = {
	D(svc_class, cpu_ms),
	D(svc_class, db_ms),
	D(svc_class, err_pct),
	R("rps", svc_class, rps),
	R("error_ratio_pct", svc_class, err_ratio),
	R("latency_ms", svc_class, est_ms),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc edge_params[] = {
	DK("timeout_ms", edge, retry.timeout_ms),
	IK("retries", edge, retry.retries),
	DK("budget_ms", edge, retry.budget_ms),
	I(edge, optional),
	I(edge, async),
	D(edge, bulkhead),
	IK("breaker", edge, br.auto_on),
	R("rps", edge, rps),
	R("latency_ms", edge, lat_ms),
	R("fail_p", edge, fail_p),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc ext_params[] = {
	DK("latency_p50_ms", ext, p50_ms),
	DK("latency_p99_ms", ext, p99_ms),
	D(ext, err_pct),
	DK("error_pct", ext, err_pct),
	D(ext, loss_pct),
	R("rps", ext, rps),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc route_params[] = {
	DK("rps", route, rps_base),
	D(route, mult),
	D(route, slo_p99_ms),
	R("error_ratio_pct", route, err_ratio),
	R("p99_ms", route, p99_ms),
	R("served_rps", route, rps),
	D(route, validate_max),
	D(route, limit404_per_ip),
	D(route, limit_rps),
	DK("base_404_rps", route, nf_base),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc db_params[] = {
	D(dbnode, max_connections),
	D(dbnode, reserved),
	D(dbnode, other_connections),
	D(dbnode, vcpu),
	D(dbnode, other_cpu_pct),
	R("connections_demand", dbnode, conns_demand),
	R("connections_used", dbnode, conns_used),
	R("refused_frac", dbnode, refused_frac),
	DK("disk.size_gb", dbnode, disk.size_gb),
	IK("disk.archive_s3", dbnode, disk.archive_s3),
	DK("disk.retain_local_s", dbnode, disk.retain_local_s),
	DK("disk.autoexpand_at_pct", dbnode, disk.autoexpand_at_pct),
	DK("disk.wal_gb_per_h", dbnode, disk.wal_gb_h),
	IK("disk.full", dbnode, disk.full),
	IK("disk.fsync_off", dbnode, disk.fsync_off),
	DK("disk.iops_limit", dbnode, disk.iops_limit),
	R("disk.write_iops", dbnode, disk.write_iops),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc ks_params[] = {
	D(keyspace, keys),
	D(keyspace, hit_max),
	D(keyspace, w),
	D(keyspace, ttl_s),
	D(keyspace, jitter_s),
	D(keyspace, fill_s),
	D(keyspace, load_cpu_ms),
	D(keyspace, dup),
	I(keyspace, mutex),
	IK("bg_refresh", keyspace, bg_refresh),
	I(keyspace, xfetch),
	I(keyspace, coalesce),
	D(keyspace, null_ttl_s),
	D(keyspace, serve_stale_s),
	D(keyspace, l1_ttl_s),
	IK("bloom", keyspace, bloom_on),
	DK("attack_sweep_rps", keyspace, stream_rps[0]),
	DK("attack_cycle_rps", keyspace, stream_rps[1]),
	R("hit_ratio_pct", keyspace, hit_ratio),
	R("loads_total", keyspace, loads_total),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc hot_params[] = {
	D(hotkey, rps),
	D(hotkey, copies),
	D(hotkey, l1_ttl_s),
	D(hotkey, ttl_s),
	R("redis_rps", hotkey, redis_rps),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc shard_params[] = {
	D(cache_shard, capacity),
	D(cache_shard, base_ops),
	R("util_pct", cache_shard, util_pct),
	R("latency_ms", cache_shard, lat_ms),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc job_params[] = {
	I(dbx_job, enabled),
	D(dbx_job, every_s),
	D(dbx_job, rows_per_s),
	D(dbx_job, rows_total),
	R("rows_done", dbx_job, rows_done),
	D(dbx_job, rate),
	D(dbx_job, workers),
	D(dbx_job, win_from_s),
	D(dbx_job, win_to_s),
	I(dbx_job, running),
	R("lag_s", dbx_job, lag_s),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc deadlock_params[] = {
	D(dbx_deadlock, kappa),
	D(dbx_deadlock, hot_pct),
	D(dbx_deadlock, b_hot_pct),
	R("per_min", dbx_deadlock, per_min),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc ws_params[] = {
	D(write_stream, rows_per_s),
	D(write_stream, batch_rows),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc role_params[] = {
	D(dbx_role, statement_timeout_ms),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc gw_params[] = {
	DK("inflight_max", world, gw_inflight_max),
	DK("timeout_ms", world, gw_timeout_ms),
	R("rejected_rps", world, gw_rejected_rps),
	{ NULL, 0, PT_DBL }
};

static const struct pdesc world_params[] = {
	D(world, noise_pct),
	DK("lock_wait_timeout_ms", world, dbx.lock_wait_timeout_ms),
	DK("autovacuum_scale_factor", world, dbx.autovacuum_scale_factor),
	R("budget_burned_pct", world, budget_burned_pct),
	R("impact_min", world, impact_min),
	{ NULL, 0, PT_DBL }
};

struct target {
	const struct pdesc	*table;
	void			*obj;
	const char		*key;
	int			 kind;	/* 's' 'c' 'e' 'x' 'r' 'd' 'g' 'w' 'f' */
	int			 ix;
	char			 name[2 * NAME_MAX_FD + 2];
};

static int
resolve(const struct world *cw, const char *path, struct target *t,
    char **cause)
{
	struct world	*w = (struct world *)cw;
	const char	*dot, *last, *rest;
	char		 kind[16], a[2 * NAME_MAX_FD + 2];
	size_t		 n;

	memset(t, 0, sizeof *t);
	if ((dot = strchr(path, '.')) == NULL ||
	    (size_t)(dot - path) >= sizeof kind)
		goto bad;
	memcpy(kind, path, (size_t)(dot - path));
	kind[dot - path] = '\0';
	rest = dot + 1;

	if (strcmp(kind, "gw") == 0) {
		t->table = gw_params;
		t->obj = w;
		t->key = rest;
		t->kind = 'g';
		return (0);
	}
	if (strcmp(kind, "world") == 0) {
		t->table = world_params;
		t->obj = w;
		t->key = rest;
		t->kind = 'w';
		return (0);
	}
	if (strcmp(kind, "route") == 0) {
		/* Route names hold spaces and slashes but no dots. */
		if ((last = strrchr(rest, '.')) == NULL)
			goto bad;
		n = (size_t)(last - rest);
		if (n >= sizeof a)
			goto bad;
		memcpy(a, rest, n);
		a[n] = '\0';
		if ((t->ix = world_find_route(w, a)) == -1) {
			*cause = xasprintf("unknown route '%s'", a);
			return (-1);
		}
		t->table = route_params;
		t->obj = &w->route[t->ix];
		t->key = last + 1;
		t->kind = 'r';
		strlcpy_fd(t->name, a, sizeof t->name);
		return (0);
	}
	if ((dot = strchr(rest, '.')) == NULL) {
		if (strcmp(kind, "flag") != 0)
			goto bad;
		dot = rest + strlen(rest);
	}
	n = (size_t)(dot - rest);
	if (n >= sizeof a)
		goto bad;
	memcpy(a, rest, n);
	a[n] = '\0';
	strlcpy_fd(t->name, a, sizeof t->name);
	t->key = *dot == '.' ? dot + 1 : dot;
	if (strcmp(kind, "svc") == 0) {
		if ((t->ix = world_find_svc(w, a)) == -1) {
			*cause = xasprintf("unknown service '%s'", a);
			return (-1);
		}
		t->table = svc_params;
		t->obj = &w->svc[t->ix];
		t->kind = 's';
	} else if (strcmp(kind, "class") == 0) {
		const char *cl = t->key, *d2 = strchr(cl, '.');
		char cname[NAME_MAX_FD];

		if (d2 == NULL || (size_t)(d2 - cl) >= sizeof cname)
			goto bad;
		memcpy(cname, cl, (size_t)(d2 - cl));
		cname[d2 - cl] = '\0';
		if ((t->ix = world_find_class(w, a, cname)) == -1) {
			*cause = xasprintf("unknown class '%s.%s'", a, cname);
			return (-1);
		}
		t->table = class_params;
		t->obj = &w->cls[t->ix];
		t->key = d2 + 1;
		t->kind = 'c';
	} else if (strcmp(kind, "edge") == 0) {
		if ((t->ix = world_find_edge(w, a)) == -1) {
			*cause = xasprintf("unknown edge '%s'", a);
			return (-1);
		}
		t->table = edge_params;
		t->obj = &w->edge[t->ix];
		t->kind = 'e';
	} else if (strcmp(kind, "ext") == 0) {
		if ((t->ix = world_find_ext(w, a)) == -1) {
			*cause = xasprintf("unknown external '%s'", a);
			return (-1);
		}
		t->table = ext_params;
		t->obj = &w->ext[t->ix];
		t->kind = 'x';
	} else if (strcmp(kind, "db") == 0) {
		if ((t->ix = world_find_db(w, a)) == -1) {
			*cause = xasprintf("unknown database '%s'", a);
			return (-1);
		}
		t->table = db_params;
		t->obj = &w->db[t->ix];
		t->kind = 'd';
	} else if (strcmp(kind, "ks") == 0) {
		if ((t->ix = world_find_keyspace(w, a)) == -1) {
			*cause = xasprintf("unknown keyspace '%s'", a);
			return (-1);
		}
		t->table = ks_params;
		t->obj = &w->cache.ks[t->ix];
		t->kind = 'k';
	} else if (strcmp(kind, "key") == 0) {
		if ((t->ix = world_find_hotkey(w, a)) == -1) {
			*cause = xasprintf("unknown key '%s'", a);
			return (-1);
		}
		t->table = hot_params;
		t->obj = &w->cache.hot[t->ix];
		t->kind = 'h';
	} else if (strcmp(kind, "shard") == 0) {
		int i;

		for (i = 0; i < w->cache.nshard; i++)
			if (strcmp(w->cache.shard[i].name, a) == 0)
				break;
		if (i == w->cache.nshard) {
			*cause = xasprintf("unknown shard '%s'", a);
			return (-1);
		}
		t->ix = i;
		t->table = shard_params;
		t->obj = &w->cache.shard[i];
		t->kind = 'c';
	} else if (strcmp(kind, "query") == 0) {
		for (t->ix = 0; t->ix < w->dbx.nquery; t->ix++)
			if (strcmp(w->dbx.query[t->ix].id, a) == 0)
				break;
		if (t->ix == w->dbx.nquery) {
			*cause = xasprintf("unknown query '%s'", a);
			return (-1);
		}
		t->kind = 'q';
	} else if (strcmp(kind, "writes") == 0) {
		int i;

		/* A write stream, by its table's name. */
		for (i = 0; i < w->dbx.nws; i++)
			if (strcmp(w->dbx.table[w->dbx.ws[i].table].name,
			    a) == 0)
				break;
		if (i == w->dbx.nws) {
			*cause = xasprintf("no write stream into '%s'", a);
			return (-1);
		}
		t->ix = i;
		t->table = ws_params;
		t->obj = &w->dbx.ws[i];
		t->kind = 'W';
	} else if (strcmp(kind, "job") == 0 || strcmp(kind, "role") == 0) {
		int i, cnt = kind[0] == 'j' ? w->dbx.njob : w->dbx.nrole;

		for (i = 0; i < cnt; i++)
			if (strcmp(kind[0] == 'j' ? w->dbx.job[i].name :
			    w->dbx.role[i].name, a) == 0)
				break;
		if (i == cnt) {
			*cause = xasprintf("unknown %s '%s'", kind, a);
			return (-1);
		}
		t->ix = i;
		t->table = kind[0] == 'j' ? job_params : role_params;
		t->obj = kind[0] == 'j' ? (void *)&w->dbx.job[i] :
		    (void *)&w->dbx.role[i];
		t->kind = kind[0] == 'j' ? 'j' : 'o';
	} else if (strcmp(kind, "deadlock") == 0) {
		for (t->ix = 0; t->ix < w->dbx.ndl; t->ix++)
			if (strcmp(w->dbx.dl[t->ix].name, a) == 0)
				break;
		if (t->ix == w->dbx.ndl) {
			*cause = xasprintf("unknown deadlock pair '%s'", a);
			return (-1);
		}
		t->table = deadlock_params;
		t->obj = &w->dbx.dl[t->ix];
		t->kind = 'l';
	} else if (strcmp(kind, "flag") == 0) {
		if ((t->ix = world_find_flag(w, a)) == -1) {
			*cause = xasprintf("unknown flag '%s'", a);
			return (-1);
		}
		t->kind = 'f';
	} else
		goto bad;
	return (0);
bad:
	*cause = xasprintf("bad parameter path '%s'", path);
	return (-1);
}

static const struct pdesc *
find_key(const struct pdesc *table, const char *key)
{
	for (; table != NULL && table->key != NULL; table++)
		if (strcmp(table->key, key) == 0)
			return (table);
	return (NULL);
}

/* Pools: "db_pool" (total), "db_pool.NAME" (total of one), acquire timeout. */
static int
pool_get(const struct world *w, const struct svc *s, const char *key,
    double *v)
{
	int	i;

	if (strcmp(key, "db_pool") == 0) {
		*v = 0;
		for (i = 0; i < s->npools; i++)
			*v += s->instances * s->pools[i].per_instance;
		return (0);
	}
	if (strcmp(key, "db_pool.acquire_timeout_ms") == 0) {
		*v = s->npools > 0 ? s->pools[0].acquire_timeout_ms : 0;
		return (0);
	}
	if (strcmp(key, "db_pool.split") == 0) {
		*v = s->npools > 1;
		return (0);
	}
	if (strncmp(key, "db_pool.", 8) == 0) {
		for (i = 0; i < s->npools; i++) {
			if (strcmp(s->pools[i].name, key + 8) == 0) {
				*v = s->instances * s->pools[i].per_instance;
				return (0);
			}
		}
	}
	(void)w;
	return (-1);
}

static int
pool_set(struct world *w, struct svc *s, const char *key, double v)
{
	double	total = 0, inst = s->instances > 0 ? s->instances : 1;
	int	i;

	if (strcmp(key, "db_pool") == 0) {
		if (s->npools == 0)
			return (-1);
		for (i = 0; i < s->npools; i++)
			total += s->pools[i].per_instance;
		for (i = 0; i < s->npools; i++)
			s->pools[i].per_instance = total > 0 ?
			    v / inst * s->pools[i].per_instance / total :
			    v / inst / s->npools;
		return (0);
	}
	if (strcmp(key, "db_pool.acquire_timeout_ms") == 0) {
		for (i = 0; i < s->npools; i++) {
			s->pools[i].acquire_timeout_ms = v;
			s->pools[i].pool.timeout_ms = v;
		}
		return (s->npools > 0 ? 0 : -1);
	}
	if (strncmp(key, "db_pool.", 8) == 0) {
		for (i = 0; i < s->npools; i++) {
			if (strcmp(s->pools[i].name, key + 8) == 0) {
				s->pools[i].per_instance = v / inst;
				return (0);
			}
		}
	}
	(void)w;
	return (-1);
}

int
world_get(const struct world *w, const char *path, double *v, char **cause)
{
	struct target		 t;
	const struct pdesc	*d;

	if (strncmp(path, "repl.", 5) == 0)
		return (repl_param((struct world *)w, path + 5, v, NULL,
		    cause));
	if (strncmp(path, "tenant.", 7) == 0)
		return (tenant_param((struct world *)w, path + 7, v, NULL,
		    cause));
	if (resolve(w, path, &t, cause) != 0)
		return (-1);
	if (t.kind == 'f') {
		*v = w->flag[t.ix].on;
		return (0);
	}
	if (t.kind == 's' && pool_get(w, t.obj, t.key, v) == 0)
		return (0);
	if (t.kind == 'e' && strcmp(t.key, "breaker_state") == 0) {
		*v = breaker_effective(&w->edge[t.ix].br);
		return (0);
	}
	if (t.kind == 'q') {
		/* The plan follows the indexes: 1 when one serves it. */
		*v = dbx_plan_index(w, &w->dbx.query[t.ix]) >= 0;
		return (strcmp(t.key, "indexed") == 0 ? 0 : (*cause =
		    xasprintf("unknown parameter '%s' in '%s'", t.key, path),
		    -1));
	}
	if (t.kind == 'e' && strcmp(t.key, "breaker_pin") == 0) {
		*v = w->edge[t.ix].br.pin;
		return (0);
	}
	if (t.kind == 'W' && strcmp(t.key, "indexes") == 0) {
		/* The table it writes into, as it is now. */
		*v = w->dbx.table[w->dbx.ws[t.ix].table].nidx;
		return (0);
	}
	if ((d = find_key(t.table, t.key)) == NULL) {
		*cause = xasprintf("unknown parameter '%s' in '%s'", t.key,
		    path);
		return (-1);
	}
	if (d->type == PT_INT)
		*v = *(int *)((char *)t.obj + d->off);
	else
		*v = *(double *)((char *)t.obj + d->off);
	return (0);
}

int
world_set(struct world *w, const char *path, double v, char **cause)
{
	struct target		 t;
	const struct pdesc	*d;

	if (!isfinite(v)) {
		*cause = xasprintf("%s: not a finite number", path);
		return (-1);
	}
	if (strncmp(path, "repl.", 5) == 0)
		return (repl_param(w, path + 5, NULL, &v, cause));
	if (strncmp(path, "tenant.", 7) == 0)
		return (tenant_param(w, path + 7, NULL, &v, cause));
	if (resolve(w, path, &t, cause) != 0)
		return (-1);
	if (t.kind == 'f') {
		w->flag[t.ix].on = v != 0;
		return (0);
	}
	if (t.kind == 's' && strncmp(t.key, "db_pool", 7) == 0) {
		if (v < 0 || pool_set(w, t.obj, t.key, v) != 0) {
			*cause = xasprintf("cannot set '%s'", path);
			return (-1);
		}
		return (0);
	}
	if (t.kind == 'e' && strcmp(t.key, "breaker_pin") == 0) {
		if (v < 0 || v > 2) {
			*cause = xasprintf("%s: 0 none, 1 open, 2 closed", path);
			return (-1);
		}
		w->edge[t.ix].br.pin = (enum breaker_pin)(int)v;
		return (0);
	}
	if ((d = find_key(t.table, t.key)) == NULL) {
		*cause = xasprintf("unknown parameter '%s' in '%s'", t.key,
		    path);
		return (-1);
	}
	if (d->type == PT_RO_DBL) {
		*cause = xasprintf("'%s' is read-only", path);
		return (-1);
	}
	if (v < 0) {
		*cause = xasprintf("%s: must not be negative", path);
		return (-1);
	}
	if (d->type == PT_INT)
		*(int *)((char *)t.obj + d->off) = (int)v;
	else
		*(double *)((char *)t.obj + d->off) = v;
	if (t.kind == 's' && strcmp(t.key, "queue_timeout_ms") == 0)
		w->svc[t.ix].threads.timeout_ms = v;
	if (t.kind == 'g' && strcmp(t.key, "inflight_max") == 0)
		w->gw.size = v;
	return (0);
}

int
world_get_str(const struct world *w, const char *path, char *out, size_t len,
    char **cause)
{
	struct target	 t;
	double		 v;

	if (resolve(w, path, &t, cause) != 0)
		return (-1);
	if (t.kind == 's') {
		const struct svc *s = t.obj;
		static const char *rolls[] = { "none", "build", "deploy",
		    "rollback" };

		if (strcmp(t.key, "version") == 0) {
			strlcpy_fd(out, s->version, len);
			return (0);
		}
		if (strcmp(t.key, "prev_version") == 0) {
			strlcpy_fd(out, s->prev_version, len);
			return (0);
		}
		if (strcmp(t.key, "to_version") == 0) {
			strlcpy_fd(out, s->roll == ROLL_NONE ? "" :
			    s->to_version, len);
			return (0);
		}
		if (strcmp(t.key, "strategy") == 0) {
			strlcpy_fd(out, s->canary.on ? "canary" : "rolling",
			    len);
			return (0);
		}
		if (strcmp(t.key, "rollout") == 0) {
			strlcpy_fd(out, rolls[s->roll], len);
			return (0);
		}
	}
	if (t.kind == 'e' && strcmp(t.key, "breaker_state") == 0) {
		static const char *st[] = { "closed", "open", "half-open" };

		strlcpy_fd(out, st[breaker_effective(&w->edge[t.ix].br)], len);
		return (0);
	}
	if (world_get(w, path, &v, cause) != 0)
		return (-1);
	snprintf(out, len, "%g", v);
	return (0);
}

void
world_ramp(struct world *w, const char *path, double from, double to,
    long start, long ticks)
{
	struct ramp	*r;
	int		 i;

	/* A new ramp on the same knob replaces the old one. */
	for (i = 0; i < w->nramp; i++) {
		if (!w->ramp[i].done && strcmp(w->ramp[i].path, path) == 0)
			w->ramp[i].done = 1;
	}
	w->ramp = xreallocarray(w->ramp, w->nramp + 1, sizeof *w->ramp);
	r = &w->ramp[w->nramp++];
	r->path = xstrdup(path);
	r->from = from;
	r->to = to;
	r->start = start;
	r->ticks = ticks > 0 ? ticks : 1;
	r->done = 0;
}
