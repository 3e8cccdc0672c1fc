/*
 * Actions: the verbs that change the platform.  Each validates everything
 * first, then schedules its effect with the catalog's duration, so a
 * refused command changes nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

#define PROPAGATE_MS	5000

static int
number(struct cmd_ctx *c, const char *s, double lo, double hi, double *v)
{
	char	*end;

	*v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(*v)) {
		cmd_error(c, "'%.40s' is not a number", s);
		return (-1);
	}
	if (*v < lo || *v > hi) {
		cmd_error(c, "%.40s is out of range (%g..%g)", s, lo, hi);
		return (-1);
	}
	return (0);
}

int
cmd_breaker_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 e, pin;

	if (argc != 3)
		return (cmd_error(c, "usage: breaker open|close|auto EDGE"));
	if (strcmp(argv[1], "open") == 0)
		pin = PIN_OPEN;
	else if (strcmp(argv[1], "close") == 0 ||
	    strcmp(argv[1], "closed") == 0)
		pin = PIN_CLOSED;
	else if (strcmp(argv[1], "auto") == 0)
		pin = PIN_NONE;
	else
		return (cmd_error(c, "breaker: '%.20s' is not open, close or"
		    " auto", argv[1]));
	if ((e = cmd_edge(c, argv[2])) == -1)
		return (-1);
	w->edge[e].br.pin = (enum breaker_pin)pin;
	buf_printf(c->out, "breaker %s: %s%s\n", w->edge[e].name,
	    pin == PIN_OPEN ? "pinned OPEN: calls fail fast" :
	    pin == PIN_CLOSED ? "pinned CLOSED" : "automatic",
	    pin == PIN_NONE && !w->edge[e].br.auto_on ?
	    " (no automatic policy: enable breaker EDGE)" : "");
	cmd_changed(c, w->edge[e].name, c->canonical);
	return (0);
}

/* Settable keys: user key, target kind, parameter, unit. */
struct setkey {
	const char	*key;
	char		 kind;	/* 's' service, 'e' edge */
	const char	*param;
	char		 unit;	/* 'd' duration ms, 'n' number, 'b' bool */
	double		 lo, hi;
};

static const struct setkey setkeys[] = {
	{ "timeout", 'e', "timeout_ms", 'd', 1, 600000 },
	{ "retries", 'e', "retries", 'n', 0, 10 },
	{ "retries.on_deadlock", 's', "retries_on_deadlock", 'n', 0, 10 },
	{ "budget", 'e', "budget_ms", 'd', 0, 600000 },
	{ "db_pool.acquire_timeout", 's', "db_pool.acquire_timeout_ms", 'd',
	    1, 600000 },
	{ "queue_timeout", 's', "queue_timeout_ms", 'd', 1, 600000 },
	{ "hold_conn_across_calls", 's', "hold_conn_across_calls", 'b', 0, 1 },
	{ NULL, 0, NULL, 0, 0, 0 }
};

static int
set_split(struct cmd_ctx *c, int s, const char *spec)
{
	struct svc	*sv = &c->g->w.svc[s];
	double		 rd = -1, wr = -1;
	char		 extra;

	if (sscanf(spec, "read=%lf,write=%lf%c", &rd, &wr, &extra) != 2 ||
	    rd < 1 || wr < 1 || rd > 2000 || wr > 2000)
		return (cmd_error(c, "usage: set SVC.db_pool.split"
		    " read=N,write=M (1..2000)"));
	if (sv->npools == 0)
		return (cmd_error(c, "%s has no database pool", sv->name));
	if (sv->npools > 1)
		return (cmd_error(c, "%s's pools are already split", sv->name));
	if (sv->npools == SVC_MAXPOOLS)
		return (cmd_error(c, "%s: no room for another pool", sv->name));
	{
		struct dbpool	*p = &sv->pools[0];
		struct dbpool	*q = &sv->pools[1];
		double		 inst = fmax(1, sv->instances);

		/* The old "main" series end here. */
		int old[] = { p->m_active, p->m_util, p->m_waiting,
		    p->m_wait_p99, p->m_timeouts, p->m_capacity, p->m_size };
		for (size_t o = 0; o < sizeof old / sizeof old[0]; o++)
			c->g->m.v[old[o]].retired = 1;
		for (int k = 0; k < sv->nclass; k++)
			if (p->m_capacity_c[k] != -1)
				c->g->m.v[p->m_capacity_c[k]].retired = 1;
		/* The new write pool starts empty; the old becomes reads. */
		*q = *p;
		pool_init(&q->pool, sv->nclass, 0, p->acquire_timeout_ms);
		hist_clear(&q->wait_cur);
		hist_clear(&q->wait_last);
		memset(q->timeouts_win, 0, sizeof q->timeouts_win);
		q->m_capacity_c = NULL;
		strlcpy_fd(p->name, "read", sizeof p->name);
		strlcpy_fd(q->name, "write", sizeof q->name);
		p->kind = DBK_READ;
		q->kind = DBK_WRITE;
		p->per_instance = rd / inst;
		q->per_instance = wr / inst;
		sv->npools = 2;
		/* Series for the new pools. */
		{
			struct metrics	*m = &c->g->m;
			int		 j, k;

			for (j = 0; j < 2; j++) {
				struct dbpool *d = &sv->pools[j];

				d->m_active = metrics_add(m, "db_pool_active",
				    "svc", sv->name, "pool", d->name,
				    (char *)NULL);
				d->m_util = metrics_add(m,
				    "db_pool_utilization_pct", "svc", sv->name,
				    "pool", d->name, (char *)NULL);
				d->m_waiting = metrics_add(m,
				    "db_pool_waiting", "svc", sv->name, "pool",
				    d->name, (char *)NULL);
				d->m_wait_p99 = metrics_add(m,
				    "db_pool_wait_ms_p99", "svc", sv->name,
				    "pool", d->name, (char *)NULL);
				d->m_timeouts = metrics_add(m,
				    "db_pool_acquire_timeouts_per_s", "svc",
				    sv->name, "pool", d->name, (char *)NULL);
				d->m_capacity = metrics_add(m,
				    "db_pool_capacity_rps", "svc", sv->name,
				    "pool", d->name, (char *)NULL);
				d->m_size = metrics_add(m, "db_pool_size",
				    "svc", sv->name, "pool", d->name,
				    (char *)NULL);
				free(d->m_capacity_c);
				d->m_capacity_c = xcalloc(sv->nclass,
				    sizeof (int));
				for (k = 0; k < sv->nclass; k++) {
					struct svc_class *cl = &c->g->w.cls[
					    sv->first_class + k];

					d->m_capacity_c[k] = -1;
					if (cl->db != d->kind)
						continue;
					d->m_capacity_c[k] = metrics_add(m,
					    "db_pool_capacity_rps", "svc",
					    sv->name, "pool", d->name, "class",
					    cl->name, (char *)NULL);
				}
			}
			game_rebind(c->g);
		}
	}
	buf_printf(c->out, "%s: pools split: read %g, write %g connections\n",
	    sv->name, rd, wr);
	cmd_changed(c, sv->name, c->canonical);
	return (0);
}

static int
set_strategy(struct cmd_ctx *c, int s, int argc, char **argv)
{
	struct canary	 cn;
	char		*copy, *tok, *save = NULL;
	long		 ms;
	int		 i;

	memset(&cn, 0, sizeof cn);
	if (argc < 3)
		return (cmd_error(c, "usage: set deploy.SVC.strategy canary"
		    " [1srv,5,25,50,100] [bake=10m] [auto_rollback=\"err>1%%\"]"
		    " | rolling"));
	if (strcmp(argv[2], "rolling") == 0) {
		c->g->w.svc[s].canary.on = 0;
		buf_printf(c->out, "%s: rolling deploys\n",
		    c->g->w.svc[s].name);
		cmd_changed(c, c->g->w.svc[s].name, c->canonical);
		return (0);
	}
	if (strcmp(argv[2], "canary") != 0)
		return (cmd_error(c, "strategy must be canary or rolling"));
	cn.on = 1;
	cn.bake_s = 600;
	cn.rollback_err_pct = 1;
	cn.rollback_p99_x = 2;
	cn.stages[0] = -1;
	cn.stages[1] = 0.05;
	cn.stages[2] = 0.25;
	cn.stages[3] = 0.5;
	cn.stages[4] = 1;
	cn.nstages = 5;
	for (i = 3; i < argc; i++) {
		if (strncmp(argv[i], "bake=", 5) == 0) {
			if (duration_parse(argv[i] + 5, &ms) != 0 ||
			    ms > 86400000)
				return (cmd_error(c, "bad bake time '%.20s'",
				    argv[i] + 5));
			cn.bake_s = ms / 1000.0;
		} else if (strncmp(argv[i], "auto_rollback=", 14) == 0) {
			const char *e = strstr(argv[i], "err>");

			if (e == NULL || sscanf(e + 4, "%lf",
			    &cn.rollback_err_pct) != 1 ||
			    cn.rollback_err_pct <= 0)
				return (cmd_error(c, "auto_rollback needs"
				    " err>N%%"));
		} else {
			cn.nstages = 0;
			copy = xstrdup(argv[i]);
			for (tok = strtok_r(copy, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save)) {
				double v;
				char *end;

				if (cn.nstages == CANARY_MAXSTAGES) {
					free(copy);
					return (cmd_error(c, "at most %d"
					    " stages", CANARY_MAXSTAGES));
				}
				if (strcmp(tok, "1srv") == 0) {
					cn.stages[cn.nstages++] = -1;
					continue;
				}
				v = strtod(tok, &end);
				if (end == tok || (*end != '\0' &&
				    strcmp(end, "%") != 0) || v <= 0 ||
				    v > 100) {
					/* tok points into copy: quote first. */
					cmd_error(c, "bad canary stage '%.20s'",
					    tok);
					free(copy);
					return (-1);
				}
				cn.stages[cn.nstages++] = v / 100;
			}
			free(copy);
			if (cn.nstages == 0)
				return (cmd_error(c, "no canary stages"));
		}
	}
	c->g->w.svc[s].canary = cn;
	buf_printf(c->out, "%s: canary deploys, %d stages, bake %.0f s,"
	    " automatic rollback at error > %g%%\n", c->g->w.svc[s].name,
	    cn.nstages, cn.bake_s, cn.rollback_err_pct);
	cmd_changed(c, c->g->w.svc[s].name, c->canonical);
	return (0);
}

static int
parse_backoff(struct cmd_ctx *c, int e, const char *spec)
{
	struct retry_policy	*r = &c->g->w.edge[e].retry;
	char			*copy = xstrdup(spec), *tok, *save = NULL;
	long			 ms;
	double			 v[RETRY_MAX_BACKOFF];
	int			 n = 0, i;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (n == RETRY_MAX_BACKOFF || duration_parse(tok, &ms) != 0 ||
		    ms > 600000) {
			free(copy);
			return (cmd_error(c, "backoff: a list of durations"
			    " like 1s,2s,4s"));
		}
		v[n++] = (double)ms;
	}
	free(copy);
	if (n == 0)
		return (cmd_error(c, "backoff: a list of durations like"
		    " 1s,2s,4s"));
	for (i = 0; i < n; i++)
		r->backoff_ms[i] = v[i];
	r->nbackoff = n;
	buf_printf(c->out, "%s: backoff set\n", c->g->w.edge[e].name);
	cmd_changed(c, c->g->w.edge[e].name, c->canonical);
	return (0);
}

int
cmd_set_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world		*w = &c->g->w;
	const struct setkey	*k;
	char			 target[128], path[192], *dot, *cause = NULL;
	const char		*key;
	double			 v, cur;
	long			 ms;
	int			 ix;

	if (argc < 3)
		return (cmd_error(c, "usage: set TARGET.KEY VALUE (e.g. set"
		    " order->payment.timeout 2s)"));
	if (strncmp(argv[1], "deploy.", 7) == 0) {
		const char *svc = argv[1] + 7, *d2 = strchr(svc, '.');

		if (d2 == NULL || strcmp(d2, ".strategy") != 0)
			return (cmd_error(c, "usage: set deploy.SVC.strategy"
			    " canary|rolling …"));
		snprintf(target, sizeof target, "%.*s", (int)(d2 - svc), svc);
		if ((ix = cmd_svc(c, target)) == -1)
			return (-1);
		return (set_strategy(c, ix, argc, argv));
	}
	if (strcmp(argv[1], "db.wal_archive") == 0 ||
	    strcmp(argv[1], "db.fsync") == 0 ||
	    strcmp(argv[1], "db.autovacuum.scale_factor") == 0)
		return (cmd_set_disk(c, argc, argv));
	if (strncmp(argv[1], "db.", 3) == 0)
		return (cmd_set_db(c, argc, argv));
	if ((ix = cmd_set_tenant(c, argc, argv)) != -2)
		return (ix);
	if (strncmp(argv[1], "job:", 4) == 0)
		return (cmd_set_job(c, argc, argv));
	if ((ix = cmd_set_repl(c, argc, argv)) != -2)
		return (ix);
	if (strcmp(argv[1], "cache.maxmemory_policy") == 0 && argc == 3) {
		if (w->cache.nshard == 0)
			return (cmd_error(c, "this platform has no cache"
			    " cluster"));
		if (strcmp(argv[2], "allkeys-lfu") != 0 &&
		    strcmp(argv[2], "allkeys-lru") != 0)
			return (cmd_error(c, "maxmemory_policy: allkeys-lfu or"
			    " allkeys-lru"));
		w->cache.lfu = strcmp(argv[2], "allkeys-lfu") == 0;
		buf_printf(c->out, "CONFIG SET maxmemory-policy %s: OK\n",
		    argv[2]);
		cmd_changed(c, "cache", c->canonical);
		return (0);
	}
	if (strncmp(argv[1], "cache.", 6) == 0 && argc == 3 &&
	    strlen(argv[1]) > 10 && strcmp(argv[1] + strlen(argv[1]) - 4,
	    ".ttl") == 0) {
		char	 what[96];
		int	 h, ki;

		snprintf(what, sizeof what, "%.*s",
		    (int)(strlen(argv[1]) - 10), argv[1] + 6);
		if (duration_parse(argv[2], &ms) != 0 || ms < 1000)
			return (cmd_error(c, "ttl: a duration of 1s or more"));
		if ((h = world_find_hotkey(w, what)) != -1)
			w->cache.hot[h].ttl_s = ms / 1000.0;
		else if ((ki = world_find_keyspace(w, what)) != -1)
			w->cache.ks[ki].ttl_s = ms / 1000.0;
		else
			return (cmd_error(c, "no key or keyspace '%.40s'",
			    what));
		buf_printf(c->out, "%s: ttl %s from the next SET\n", what,
		    argv[2]);
		cmd_changed(c, what, c->canonical);
		return (0);
	}
	if (strlen(argv[1]) >= sizeof target)
		return (cmd_error(c, "target too long"));
	strlcpy_fd(target, argv[1], sizeof target);
	/* Edges hold no dots; services neither: split at the first dot. */
	if ((dot = strchr(target, '.')) == NULL)
		return (cmd_error(c, "usage: set TARGET.KEY VALUE"));
	*dot = '\0';
	key = dot + 1;
	if (strcmp(key, "db_pool.split") == 0) {
		if ((ix = cmd_svc(c, target)) == -1)
			return (-1);
		return (set_split(c, ix, argv[2]));
	}
	if (strcmp(key, "backoff") == 0) {
		if ((ix = cmd_edge(c, target)) == -1)
			return (-1);
		return (parse_backoff(c, ix, argv[2]));
	}
	if (argc != 3)
		return (cmd_error(c, "usage: set TARGET.KEY VALUE"));
	for (k = setkeys; k->key != NULL; k++)
		if (strcmp(k->key, key) == 0)
			break;
	if (k->key == NULL)
		return (cmd_error(c, "set: unknown key '%.40s' (timeout,"
		    " retries, backoff, budget, db_pool.acquire_timeout,"
		    " db_pool.split, queue_timeout, strategy)", key));
	if (k->kind == 'e') {
		if ((ix = cmd_edge(c, target)) == -1)
			return (-1);
		snprintf(path, sizeof path, "edge.%s.%s", w->edge[ix].name,
		    k->param);
	} else {
		if ((ix = cmd_svc(c, target)) == -1)
			return (-1);
		if (strncmp(k->param, "db_pool", 7) == 0 &&
		    w->svc[ix].npools == 0)
			return (cmd_error(c, "%s has no database pool",
			    w->svc[ix].name));
		snprintf(path, sizeof path, "svc.%s.%s", w->svc[ix].name,
		    k->param);
	}
	if (k->unit == 'd') {
		if (duration_parse(argv[2], &ms) != 0)
			return (cmd_error(c, "'%.30s' is not a duration (2s,"
			    " 500ms, 1m)", argv[2]));
		v = (double)ms;
		if (v < k->lo || v > k->hi)
			return (cmd_error(c, "%s out of range (%gms..%gms)",
			    key, k->lo, k->hi));
	} else if (k->unit == 'b') {
		if (strcmp(argv[2], "on") == 0 || strcmp(argv[2], "true") == 0)
			v = 1;
		else if (strcmp(argv[2], "off") == 0 ||
		    strcmp(argv[2], "false") == 0)
			v = 0;
		else
			return (cmd_error(c, "%s takes on or off", key));
	} else if (number(c, argv[2], k->lo, k->hi, &v) != 0)
		return (-1);
	if (world_get(w, path, &cur, &cause) != 0) {
		cmd_error(c, "%s", cause);
		free(cause);
		return (-1);
	}
	game_schedule(c->g, ACT_SET, PROPAGATE_MS, c->canonical, path, v, 0, 0);
	buf_printf(c->out, "%s: %s → %s (takes effect in 5 s)\n", target, key,
	    argv[2]);
	cmd_changed(c, target, c->canonical);
	return (0);
}

int
cmd_scale_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 name[128], path[192], *dot;
	double		 n;
	int		 s;

	if (argc != 3)
		return (cmd_error(c, "usage: scale SVC|SVC.db_pool|SVC.threads"
		    " N"));
	if (strncmp(argv[1], "job:", 4) == 0)
		return (cmd_scale_job(c, argc, argv));
	if (strchr(argv[1], ':') != NULL)
		return (cmd_error(c, "scale: %.40s: there is no queue or"
		    " consumer group in this platform", argv[1]));
	strlcpy_fd(name, argv[1], sizeof name);
	if ((dot = strchr(name, '.')) != NULL)
		*dot++ = '\0';
	if ((s = cmd_svc(c, name)) == -1)
		return (-1);
	if (dot == NULL) {
		if (number(c, argv[2], 0, 500, &n) != 0)
			return (-1);
		if (n != floor(n))
			return (cmd_error(c, "scale: whole pods only"));
		game_schedule(c->g, ACT_SCALE, 0, NULL, NULL, n, s, 0);
		buf_printf(c->out, "%s: scaling %g → %g pods (new pods boot in"
		    " about %.0f s)\n", name, w->svc[s].instances, n,
		    w->svc[s].boot_s);
	} else if (strcmp(dot, "db_pool") == 0) {
		if (w->svc[s].npools == 0)
			return (cmd_error(c, "%s has no database pool", name));
		if (number(c, argv[2], 1, 5000, &n) != 0)
			return (-1);
		snprintf(path, sizeof path, "svc.%s.db_pool", name);
		game_schedule(c->g, ACT_SET, PROPAGATE_MS, c->canonical, path,
		    n, 0, 0);
		buf_printf(c->out, "%s: DB pool → %g connections in total"
		    " (5 s)\n", name, n);
	} else if (strcmp(dot, "threads") == 0) {
		if (number(c, argv[2], 1, 100000, &n) != 0)
			return (-1);
		snprintf(path, sizeof path, "svc.%s.threads", name);
		game_schedule(c->g, ACT_SET, PROPAGATE_MS, c->canonical, path,
		    n / fmax(1, w->svc[s].instances), 0, 0);
		buf_printf(c->out, "%s: %g worker threads in total (5 s)\n",
		    name, n);
	} else
		return (cmd_error(c, "scale: unknown target '%.40s' (SVC,"
		    " SVC.db_pool, SVC.threads)", argv[1]));
	cmd_changed(c, name, c->canonical);
	return (0);
}

int
cmd_rollback_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct svc	*sv;
	int		 s;

	if (argc != 2)
		return (cmd_error(c, "usage: rollback SVC"));
	if ((s = cmd_svc(c, argv[1])) == -1)
		return (-1);
	sv = &c->g->w.svc[s];
	if (sv->roll == ROLL_NONE && sv->prev_version[0] == '\0')
		return (cmd_error(c, "%s: no previous version to roll back to",
		    sv->name));
	if (sv->roll == ROLL_ROLLBACK)
		return (cmd_error(c, "%s: a rollback is already running",
		    sv->name));
	game_schedule(c->g, ACT_ROLLBACK, 0, NULL, NULL, 0, s, 0);
	buf_printf(c->out, "%s: rolling back %s → %s (about 90 s)\n",
	    sv->name, sv->roll != ROLL_NONE ? sv->to_version : sv->version,
	    sv->roll != ROLL_NONE ? sv->version : sv->prev_version);
	cmd_changed(c, sv->name, c->canonical);
	return (0);
}

int
cmd_deploy_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 s, p;

	if (argc != 3)
		return (cmd_error(c, "usage: deploy SVC PATCH (show patches"
		    " lists them)"));
	if ((s = cmd_svc(c, argv[1])) == -1)
		return (-1);
	if ((p = world_find_patch(w, argv[2])) == -1)
		return (cmd_error(c, "no patch '%.40s' (show patches lists"
		    " them)", argv[2]));
	if (w->patch[p].svc != s)
		return (cmd_error(c, "patch %s is for %s, not %s",
		    w->patch[p].name, w->svc[w->patch[p].svc].name,
		    w->svc[s].name));
	if (w->svc[s].roll != ROLL_NONE)
		return (cmd_error(c, "%s: a deploy or rollback is already"
		    " running", w->svc[s].name));
	game_schedule(c->g, ACT_DEPLOY, 0, NULL, NULL, 0, s, p);
	buf_printf(c->out, "%s: building %s (%s), about %.0f s, then %s"
	    " rollout\n", w->svc[s].name, w->patch[p].name,
	    w->patch[p].version, w->patch[p].build_s,
	    w->svc[s].canary.on ? "a canary" : "a rolling");
	cmd_changed(c, w->svc[s].name, c->canonical);
	return (0);
}

int
cmd_flag_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 f, on;

	if (argc < 3 || argc > 5)
		return (cmd_error(c, "usage: flag on|off NAME"));
	if (strcmp(argv[1], "on") == 0)
		on = 1;
	else if (strcmp(argv[1], "off") == 0)
		on = 0;
	else
		return (cmd_error(c, "flag: '%.20s' is not on or off",
		    argv[1]));
	if ((f = world_find_flag(w, argv[2])) == -1)
		return (cmd_error(c, "no flag '%.40s' (show flags lists them)",
		    argv[2]));
	game_schedule(c->g, ACT_FLAG, PROPAGATE_MS, c->canonical, NULL, 0, f,
	    on);
	buf_printf(c->out, "flag %s → %s (5 s to propagate)\n",
	    w->flag[f].name, on ? "on" : "off");
	cmd_changed(c, w->flag[f].name, c->canonical);
	return (0);
}

int
cmd_restart_exec(struct cmd_ctx *c, int argc, char **argv)
{
	int	s, rolling = 0;

	if (argc == 3 && strcmp(argv[2], "--rolling") == 0)
		rolling = 1;
	else if (argc != 2)
		return (cmd_error(c, "usage: restart SVC [--rolling]"));
	if ((s = world_find_db(&c->g->w, argv[1])) != -1) {
		game_schedule(c->g, ACT_RESTART_DB, 0, NULL, NULL, 0, s, 0);
		buf_printf(c->out, "%s: restarting; every connection drops"
		    " (about 60 s)\n", argv[1]);
		cmd_changed(c, argv[1], c->canonical);
		return (0);
	}
	for (s = 0; s < c->g->w.cache.nshard; s++) {
		struct cache_shard *sh = &c->g->w.cache.shard[s];

		if (strcmp(sh->name, argv[1]) != 0)
			continue;
		/* Failover: the replica takes the same load, cold. */
		sh->down_until = c->g->tick + 10 * TICKS_PER_S;
		buf_printf(c->out, "%s: restarting; its replica takes over\n",
		    sh->name);
		cmd_changed(c, argv[1], c->canonical);
		return (0);
	}
	if ((s = cmd_svc(c, argv[1])) == -1)
		return (-1);
	game_schedule(c->g, ACT_RESTART, 0, NULL, NULL, 0, s, rolling);
	buf_printf(c->out, "%s: %s restart (pods back in about %.0f s)\n",
	    argv[1], rolling ? "rolling" : "full",
	    c->g->w.svc[s].startup_s);
	cmd_changed(c, argv[1], c->canonical);
	return (0);
}

int
cmd_enable_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 on = strcmp(argv[0], "enable") == 0, e;
	char		 path[192];
	double		 n;

	if (argc < 3)
		return (cmd_error(c, "usage: enable|disable breaker EDGE |"
		    " bulkhead EDGE threads=N | alert ID EXPR"));
	if (strcmp(argv[1], "breaker") == 0) {
		if (argc != 3)
			return (cmd_error(c, "usage: %s breaker EDGE",
			    argv[0]));
		if ((e = cmd_edge(c, argv[2])) == -1)
			return (-1);
		snprintf(path, sizeof path, "edge.%s.breaker", w->edge[e].name);
		game_schedule(c->g, ACT_SET, 10000, c->canonical, path, on, 0,
		    0);
		buf_printf(c->out, "%s: automatic breaker %s (5 failures in"
		    " 10 s → open 30 s → 1 probe), live in 10 s\n",
		    w->edge[e].name, on ? "on" : "off");
	} else if (strcmp(argv[1], "bulkhead") == 0) {
		if ((e = cmd_edge(c, argv[2])) == -1)
			return (-1);
		n = 0;
		if (on) {
			if (argc != 4 || strncmp(argv[3], "threads=", 8) != 0)
				return (cmd_error(c, "usage: enable bulkhead"
				    " EDGE threads=N"));
			if (number(c, argv[3] + 8, 1, 10000, &n) != 0)
				return (-1);
		}
		snprintf(path, sizeof path, "edge.%s.bulkhead",
		    w->edge[e].name);
		game_schedule(c->g, ACT_SET, 10000, c->canonical, path, n, 0,
		    0);
		buf_printf(c->out, "%s: bulkhead %s, live in 10 s\n",
		    w->edge[e].name, on ? argv[3] : "off");
	} else if (strcmp(argv[1], "alert") == 0) {
		char	*cause = NULL, *expr;
		int	 i;

		if (!on) {
			if ((i = alerts_find(&c->g->alerts, argv[2])) == -1)
				return (cmd_error(c, "no alert '%.40s'",
				    argv[2]));
			c->g->alerts.v[i].muted = 1;
			buf_printf(c->out, "alert %s muted\n", argv[2]);
		} else if (argc == 3) {
			/* A declared monitor nobody switched on. */
			if ((i = alerts_find(&c->g->alerts, argv[2])) == -1)
				return (cmd_error(c, "no alert '%.40s': give"
				    " its expression, enable alert ID"
				    " 'metric{labels} > N'", argv[2]));
			c->g->alerts.v[i].muted = 0;
			buf_printf(c->out, "alert %s on: %s\n", argv[2],
			    c->g->alerts.v[i].expr);
		} else {
			struct buf b;

			buf_init(&b);
			for (i = 3; i < argc; i++)
				buf_printf(&b, "%s%s", i > 3 ? " " : "",
				    argv[i]);
			expr = buf_steal(&b);
			if ((i = alerts_add(&c->g->alerts, argv[2], expr, 30,
			    ALERT_PAGE, expr, &cause)) == -1) {
				free(expr);
				cmd_error(c, "%s", cause);
				free(cause);
				return (-1);
			}
			free(expr);
			alerts_bind(&c->g->alerts, &c->g->m);
			if (c->g->alerts.v[i].nids == 0) {
				alerts_remove(&c->g->alerts, i);
				return (cmd_error(c, "that expression matches"
				    " no metric (show metrics lists them)"));
			}
			buf_printf(c->out, "alert %s added\n", argv[2]);
		}
	} else if (strcmp(argv[1], "validate") == 0) {
		return (cmd_validate(c, on, argc, argv));
	} else {
		/* Each family answers -2 for a mechanism not its own. */
		int rc = cmd_enable_repl(c, on, argc, argv);

		if (rc == -2)
			rc = cmd_enable_cache(c, on, argc, argv);
		if (rc == -2)
			rc = cmd_enable_disk(c, on, argc, argv);
		if (rc != -2)
			return (rc);
		return (cmd_error(c, "%s %.30s: no such mechanism here"
		    " (breaker, bulkhead, alert, validate, mutex, bg-refresh,"
		    " xfetch, ttl-jitter, null-cache, bloom, serve-stale,"
		    " local-cache, replicate-key, coalesce, sticky-reads,"
		    " causal-reads, sync-repl, disk-autoexpand)", argv[0],
		    argv[1]));
	}
	cmd_changed(c, argv[2], c->canonical);
	return (0);
}

int
cmd_kill_exec(struct cmd_ctx *c, int argc, char **argv)
{
	return (cmd_kill_db(c, argc, argv));
}

int
cmd_run_exec(struct cmd_ctx *c, int argc, char **argv)
{
	if (argc < 2)
		return (cmd_error(c, "usage: run OP ARGS"));
	if (strcmp(argv[1], "cache") == 0)
		return (cmd_run_cache(c, argc, argv));
	if (strcmp(argv[1], "db") == 0)
		return (cmd_run_db(c, argc, argv));
	if (strcmp(argv[1], "disk") == 0)
		return (cmd_run_disk(c, argc, argv));
	if (strcmp(argv[1], "infra") == 0)
		return (cmd_run_infra(c, argc, argv));
	return (cmd_error(c, "run %.30s: no runbook operation of that name"
	    " exists for this platform", argv[1]));
}
