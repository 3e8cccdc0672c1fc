/*
 * Observation verbs: show, logs, trace, changes, graph.  They read the
 * model and never change it; any sampling they do draws from the cosmetic
 * stream only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static const char *state_names[] = { "CLOSED", "OPEN", "HALF_OPEN" };

static const char *
health(double err, double busy_pct)
{
	if (err >= 5 || busy_pct >= 99)
		return ("CRIT");
	if (err >= 1 || busy_pct >= 80)
		return ("WARN");
	return ("OK");
}

static void
show_overview(struct cmd_ctx *c)
{
	struct game	*g = c->g;
	char		 a[16], b[16];
	int		 i, firing = 0;

	buf_printf(c->out, "%-28s %8s %7s %8s %8s\n", "ROUTE", "RPS", "ERR%",
	    "P99", "AVG");
	for (i = 0; i < g->w.nroute; i++) {
		const struct route *r = &g->w.route[i];

		buf_printf(c->out, "%-28s %8.0f %6.1f%% %8s %8s\n", r->name,
		    r->rps, r->err_ratio, cmd_fmt_ms(r->p99_ms, a, sizeof a),
		    cmd_fmt_ms(r->avg_ms, b, sizeof b));
	}
	for (i = 0; i < g->alerts.n; i++)
		firing += g->alerts.v[i].state == AL_FIRING &&
		    !g->alerts.v[i].muted;
	buf_printf(c->out, "gateway in-flight %.0f / %.0f · %d alert(s)"
	    " firing · error budget burned %.2f%%\n", g->w.gw.busy,
	    g->w.gw_inflight_max, firing, g->w.budget_burned_pct);
}

static void
show_svc(struct cmd_ctx *c, int s)
{
	struct game	*g = c->g;
	struct svc	*sv = &g->w.svc[s];
	char		 a[16], b[16];
	int		 i, k;

	buf_printf(c->out, "%s %s%s · pods %g/%g ready%s · cpu %.0f%% · rps"
	    " %.0f · errors %.1f%% · p99 %s\n", sv->name, sv->version,
	    sv->roll != ROLL_NONE ? " (rollout in progress)" : "",
	    fmax(0, sv->instances - sv->down), sv->instances,
	    sv->booting > 0 ? " (+booting)" : "", sv->cpu.util_pct, sv->rps,
	    sv->err_ratio, cmd_fmt_ms(sv->p99_ms, a, sizeof a));
	buf_printf(c->out, "  threads  busy %.0f/%.0f (%.0f%%) · queued %.0f"
	    " · needed %.1f\n", metrics_get(&g->m, sv->m_busy),
	    sv->threads.size, metrics_get(&g->m, sv->m_busy_pct),
	    sv->threads.qtotal, sv->threads_needed);
	for (i = 0; i < sv->npools; i++) {
		struct dbpool *p = &sv->pools[i];

		buf_printf(c->out, "  pool %-5s active %.0f/%.0f (%.0f%%) ·"
		    " idle %.0f · waiting %.0f · wait p99 %s · acquire timeout"
		    " %s\n", p->name, p->pool.busy, p->pool.size,
		    p->pool.size > 0 ? fmin(100, 100 * p->pool.busy /
		    p->pool.size) : 100, fmax(0, p->pool.size - p->pool.busy),
		    p->pool.qtotal, cmd_fmt_ms(hist_quantile(&p->wait_last,
		    0.99), a, sizeof a), cmd_fmt_ms(p->acquire_timeout_ms, b,
		    sizeof b));
	}
	cmd_show_svc_reads(c, s);
	buf_printf(c->out, "  %-12s %7s %7s %9s %9s\n", "CLASS", "RPS",
	    "ERR%", "LATENCY", "CONN HOLD");
	for (k = 0; k < sv->nclass; k++) {
		struct svc_class *cl = &g->w.cls[sv->first_class + k];

		buf_printf(c->out, "  %-12s %7.0f %6.1f%% %9s %9s\n",
		    cl->name, cl->rps, 100 * cl->err_ratio,
		    cmd_fmt_ms(cl->est_ms, a, sizeof a), cl->db != DBK_NONE ?
		    cmd_fmt_ms(cl->conn_ms, b, sizeof b) : "-");
	}
	for (i = 0; i < g->w.nedge; i++) {
		struct edge *e = &g->w.edge[i];

		if (e->from != s)
			continue;
		buf_printf(c->out, "  dep %-18s rps %.0f · p99 %s · fails %.0f%%"
		    " · timeout %s · retries %d · breaker %s%s%s%s\n", e->name,
		    e->rps, cmd_fmt_ms(metrics_get(&g->m, e->m_p99), a,
		    sizeof a), 100 * e->fail_p, cmd_fmt_ms(e->retry.timeout_ms,
		    b, sizeof b), e->retry.retries,
		    state_names[breaker_effective(&e->br)],
		    e->br.pin != PIN_NONE ? " (pinned)" : e->br.auto_on ?
		    " (auto)" : " (no policy)", e->bulkhead > 0 ?
		    " · bulkhead" : "", sv->hold_conn_across_calls &&
		    e->to_kind == CALLEE_SVC ? " · called inside the DB"
		    " transaction" : "");
	}
	for (i = 0; i < g->w.nflag; i++)
		if (strcmp(g->w.flag[i].svc, sv->name) == 0)
			buf_printf(c->out, "  flag %s %s\n", g->w.flag[i].name,
			    g->w.flag[i].on ? "on" : "off");
	for (i = 0; i < g->w.nfault; i++) {
		struct fault *f = &g->w.fault[i];
		double share;

		if (f->svc != s || f->version[0] == '\0')
			continue;
		share = svc_version_share(sv, f->version);
		if (share > 0)
			buf_printf(c->out, "  version %s on %.0f%% of pods\n",
			    f->version, 100 * share);
	}
}

static void
show_map(struct cmd_ctx *c)
{
	struct game	*g = c->g;
	char		 a[16];
	int		 i;

	buf_printf(c->out, "%-10s %7s %7s %9s %6s  %s\n", "SERVICE", "RPS",
	    "ERR%", "P99", "BUSY", "STATE");
	for (i = 0; i < g->w.nsvc; i++) {
		struct svc *s = &g->w.svc[g->w.order[i]];
		double busy = metrics_get(&g->m, s->m_busy_pct);

		buf_printf(c->out, "%-10s %7.0f %6.1f%% %9s %5.0f%%  %s\n",
		    s->name, s->rps, s->err_ratio, cmd_fmt_ms(s->p99_ms, a,
		    sizeof a), busy, health(s->err_ratio, busy));
	}
	buf_printf(c->out, "\n%-24s %7s %9s %6s  %s\n", "EDGE", "RPS", "P99",
	    "FAIL%", "BREAKER");
	for (i = 0; i < g->w.nedge; i++) {
		struct edge *e = &g->w.edge[i];

		buf_printf(c->out, "%-24s %7.0f %9s %5.0f%%  %s%s\n", e->name,
		    e->rps, cmd_fmt_ms(metrics_get(&g->m, e->m_p99), a,
		    sizeof a), 100 * e->fail_p,
		    state_names[breaker_effective(&e->br)],
		    e->br.pin != PIN_NONE ? " (pinned)" : "");
	}
}

static void
show_gw(struct cmd_ctx *c, const char *route)
{
	struct game	*g = c->g;
	char		 a[16];
	int		 i;

	buf_printf(c->out, "gateway in-flight %.0f / %.0f (cap) · rejected"
	    " %.0f rps (503) · upstream timeout %s\n", g->w.gw.busy,
	    g->w.gw_inflight_max, g->w.gw_rejected_rps,
	    cmd_fmt_ms(g->w.gw_timeout_ms, a, sizeof a));
	for (i = 0; i < g->w.nroute; i++) {
		const struct route *r = &g->w.route[i];

		if (route != NULL && strstr(r->name, route) == NULL)
			continue;
		buf_printf(c->out, "  %-28s → %s.%s  %6.0f rps  %5.1f%%"
		    " errors  p99 %s\n", r->name,
		    g->w.svc[g->w.cls[r->cls].svc].name, g->w.cls[r->cls].name,
		    r->rps, r->err_ratio, cmd_fmt_ms(r->p99_ms, a, sizeof a));
	}
}

struct session_row {
	int	pid;
	double	dur_ms;
	int	cls;
	int	idle_in_txn;
};

static int
row_cmp(const void *a, const void *b)
{
	const struct session_row *x = a, *y = b;

	return (x->dur_ms < y->dur_ms ? 1 : x->dur_ms > y->dur_ms ? -1 : 0);
}

static void
show_db_activity(struct cmd_ctx *c, const char *app)
{
	struct game		*g = c->g;
	struct session_row	*rows = NULL;
	struct rng		 r;
	char			 a[16];
	int			 n = 0, i, j, k, cnt;

	/* A sample of its own, so looking never shifts the log's stream. */
	rng_init(&r, g->seed ^ (uint64_t)g->tick * 0x9e3779b97f4a7c15ULL,
	    RNG_COSMETIC);
	for (i = 0; i < g->w.nsvc; i++) {
		struct svc *s = &g->w.svc[i];

		if (app != NULL && strcmp(s->name, app) != 0)
			continue;
		for (j = 0; j < s->npools; j++) {
			for (k = 0; k < s->nclass; k++) {
				struct svc_class *cl =
				    &g->w.cls[s->first_class + k];

				cnt = (int)lround(s->pools[j].pool.busy_c[k]);
				while (cnt-- > 0 && n < 2000) {
					rows = xreallocarray(rows, n + 1,
					    sizeof *rows);
					rows[n].pid = (int)rng_range(&r,
					    1000, 99999);
					rows[n].dur_ms = rng_uniform(&r,
					    0, fmax(1, cl->conn_ms));
					rows[n].cls = s->first_class + k;
					/* Waiting on a remote call, not SQL. */
					rows[n].idle_in_txn =
					    s->hold_conn_across_calls &&
					    cl->ncalls > 0 &&
					    rows[n].dur_ms > cl->db_ms;
					n++;
				}
			}
		}
	}

	if (n > 0)	/* rows is NULL when nothing was sampled */
		qsort(rows, n, sizeof *rows, row_cmp);
	buf_printf(c->out, "%6s  %-10s %-20s %-10s %8s  %s\n", "PID",
	    "APP", "STATE", "WAIT", "DURATION", "QUERY");
	cmd_db_backends(c, app);
	cmd_tenant_sessions(c, app);
	for (i = 0; i < n && i < 20; i++) {
		struct svc_class *cl = &g->w.cls[rows[i].cls];
		const char *svc = g->w.svc[cl->svc].name;

		buf_printf(c->out, "%6d  %-10s %-20s %-10s %8s  %s\n",
		    rows[i].pid, svc, rows[i].idle_in_txn ?
		    "idle in transaction" : "active", rows[i].idle_in_txn ?
		    "ClientRead" : "", cmd_fmt_ms(rows[i].dur_ms, a, sizeof a),
		    cl->db == DBK_WRITE ? "UPDATE … SET status = $1 WHERE id"
		    " = $2" : "SELECT … WHERE id = $1");
	}
	if (n > 20)
		buf_printf(c->out, "… %d more sessions\n", n - 20);
	buf_printf(c->out, "%d sessions from %s\n", n, app != NULL ? app :
	    "all applications");
	free(rows);
}

static void
show_alerts(struct cmd_ctx *c, int all)
{
	struct game	*g = c->g;
	char		 a[16];
	long		 now = game_now_ms(g);
	int		 i, n = 0;

	for (i = 0; i < g->alerts.n; i++) {
		struct alert_rule *r = &g->alerts.v[i];
		const char *st;

		if (r->state == AL_FIRING)
			st = r->acked ? "ACKED " : "FIRING";
		else if (r->fired_count > 0)
			st = "resolved";
		else if (all)
			st = "ok";
		else
			continue;
		if (r->muted && !all)
			continue;
		duration_clock(r->state == AL_FIRING ? now - r->fired_at :
		    r->resolved_at >= 0 ? now - r->resolved_at : 0, a,
		    sizeof a);
		buf_printf(c->out, "%-8s %-15s %-6s %-50s %s%s\n", st, r->id,
		    alert_sev_name(r->sev), r->summary, r->fired_count > 0 ? a :
		    "", r->muted ? " (muted)" : "");
		n++;
	}
	if (n == 0)
		buf_puts(c->out, "no alerts\n");
}

static void
show_slo(struct cmd_ctx *c)
{
	struct game	*g = c->g;
	int		 i, k;

	for (i = 0; i < g->inc.nslo; i++) {
		const struct slo *s = &g->inc.slo[i];

		buf_printf(c->out, "SLO %s\n", s->expr);
		for (k = 0; k < s->nids; k++) {
			const struct series *sr = &g->m.v[s->ids[k]];
			int ok = s->op == '<' ? sr->value < s->value :
			    sr->value > s->value;

			buf_printf(c->out, "  %-4s %-60s %.2f\n", ok ? "ok" :
			    "BAD", sr->full, sr->value);
		}
	}
	buf_printf(c->out, "error budget: %.1f min for 30 days at 99.9%% ·"
	    " burned %.2f%% · user impact %.2f min\n",
	    g->w.budget_total_s / 60, g->w.budget_burned_pct, g->w.impact_min);
}

static void
show_impact(struct cmd_ctx *c)
{
	struct game	*g = c->g;
	double		 total = 0, bad = 0;
	int		 i;

	buf_puts(c->out, "affected routes (errors > 1%):\n");
	for (i = 0; i < g->w.nroute; i++) {
		const struct route *r = &g->w.route[i];

		total += r->rps;
		bad += r->rps * r->err_ratio / 100;
		if (r->err_ratio > 1)
			buf_printf(c->out, "  %-28s %5.1f%% of %0.f rps\n",
			    r->name, r->err_ratio, r->rps);
	}
	buf_printf(c->out, "failing requests: %.1f%% of all traffic\n",
	    total > 0 ? 100 * bad / total : 0);
}

static void
show_metrics(struct cmd_ctx *c, const char *pat)
{
	int	i, n = 0;

	for (i = 0; i < c->g->m.n; i++) {
		if (pat != NULL && strstr(c->g->m.v[i].full, pat) == NULL)
			continue;
		buf_printf(c->out, "%-70s %.4g\n", c->g->m.v[i].full,
		    c->g->m.v[i].value);
		n++;
	}
	if (n == 0)
		buf_puts(c->out, "no such metric\n");
}

int
cmd_show_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*what = argc > 1 ? argv[1] : "overview";
	int		 s, i;

	if (strcmp(what, "overview") == 0)
		show_overview(c);
	else if (strcmp(what, "svc") == 0 || strcmp(what, "service") == 0) {
		if (argc != 3)
			return (cmd_error(c, "usage: show svc NAME"));
		if ((s = cmd_svc(c, argv[2])) == -1)
			return (-1);
		show_svc(c, s);
	} else if (world_find_svc(w, what) != -1 && argc == 2)
		show_svc(c, world_find_svc(w, what));
	else if (strcmp(what, "map") == 0)
		show_map(c);
	else if (strcmp(what, "infra") == 0)
		return (cmd_show_infra(c, argc, argv));
	else if (strcmp(what, "gw") == 0)
		show_gw(c, argc > 2 ? argv[2] : NULL);
	else if (strcmp(what, "db") == 0) {
		const char *app = NULL;

		if (argc < 3 || strcmp(argv[2], "activity") != 0)
			return (cmd_show_db(c, argc, argv));
		for (i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--app") == 0 && i + 1 < argc)
				app = argv[++i];
			else
				return (cmd_error(c, "show db activity: bad"
				    " option '%.30s'", argv[i]));
		}
		if (app != NULL && world_find_svc(w, app) == -1) {
			int j, known = 0;

			for (j = 0; j < w->dbx.njob; j++)
				known |= strcmp(w->dbx.job[j].app, app) == 0;
			for (j = 0; j < w->tenant.n; j++)
				known |= strcmp(w->tenant.v[j].app, app) == 0;
			if (!known)
				return (cmd_svc(c, app));
		}
		show_db_activity(c, app);
	} else if (strcmp(what, "alerts") == 0)
		show_alerts(c, argc > 2 && strcmp(argv[2], "--all") == 0);
	else if (strcmp(what, "slo") == 0)
		show_slo(c);
	else if (strcmp(what, "impact") == 0)
		show_impact(c);
	else if (strcmp(what, "flags") == 0) {
		for (i = 0; i < w->nflag; i++)
			buf_printf(c->out, "%-24s %-4s %-10s %s\n",
			    w->flag[i].name, w->flag[i].on ? "on" : "off",
			    w->flag[i].svc, w->flag[i].desc);
		if (w->nflag == 0)
			buf_puts(c->out, "no feature flags\n");
	} else if (strcmp(what, "patches") == 0) {
		for (i = 0; i < w->npatch; i++)
			buf_printf(c->out, "%-32s %-8s %-10s build %.0fs  %s\n",
			    w->patch[i].name, w->svc[w->patch[i].svc].name,
			    w->patch[i].version, w->patch[i].build_s,
			    w->patch[i].desc);
		if (w->npatch == 0)
			buf_puts(c->out, "no prepared patches\n");
	} else if (strcmp(what, "metrics") == 0)
		show_metrics(c, argc > 2 ? argv[2] : NULL);
	else if (strcmp(what, "cache") == 0)
		cmd_show_cache(c, argc, argv);
	else if (strcmp(what, "queue") == 0 ||
	    strcmp(what, "dns") == 0 || strcmp(what, "cert") == 0 ||
	    strcmp(what, "clock") == 0)
		return (cmd_error(c, "show %s: this platform has none", what));
	else
		return (cmd_error(c, "show: unknown view '%.30s' (overview, svc,"
		    " map, gw, db activity, alerts, slo, impact, flags,"
		    " patches, metrics)", what));
	return (0);
}

int
cmd_logs_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game		*g = c->g;
	const char		*target = NULL, *grep = NULL;
	long			 since = -1, n = 20, i, total, shown = 0;
	long			*pick;
	char			 clk[16];
	int			 a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-g") == 0 && a + 1 < argc)
			grep = argv[++a];
		else if (strcmp(argv[a], "--since") == 0 && a + 1 < argc) {
			if (duration_parse(argv[++a], &since) != 0)
				return (cmd_error(c, "logs: bad duration"
				    " '%.20s'", argv[a]));
		} else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) {
			n = strtol(argv[++a], NULL, 10);
			if (n < 1 || n > 1000)
				return (cmd_error(c, "logs: -n takes 1..1000"));
		} else if (argv[a][0] == '-')
			return (cmd_error(c, "logs: unknown option '%.20s'",
			    argv[a]));
		else if (target == NULL)
			target = argv[a];
		else
			return (cmd_error(c, "usage: logs TARGET|all [-g TEXT]"
			    " [--since DUR] [-n N]"));
	}
	if (target == NULL)
		return (cmd_error(c, "usage: logs TARGET|all [-g TEXT]"
		    " [--since DUR] [-n N]"));
	total = simlog_count(&g->log);
	pick = xcalloc(n, sizeof *pick);
	for (i = total - 1; i >= 0 && shown < n; i--) {
		const struct logline *l = simlog_get(&g->log, i);

		if (strcmp(target, "all") != 0 && strcmp(l->src, target) != 0)
			continue;
		if (grep != NULL && strstr(l->text, grep) == NULL &&
		    strstr(l->level, grep) == NULL)
			continue;
		if (since >= 0 && l->t_ms < game_now_ms(g) - since)
			break;
		pick[shown++] = i;
	}
	for (i = shown - 1; i >= 0; i--) {
		const struct logline *l = simlog_get(&g->log, pick[i]);

		buf_printf(c->out, "%s %-7s %-5s %s\n", cmd_fmt_clock(g,
		    l->t_ms, clk, sizeof clk), l->src, l->level, l->text);
	}
	if (shown == 0)
		buf_printf(c->out, "no log lines from %s%s\n", target,
		    grep != NULL ? " matching" : "");
	free(pick);
	return (0);
}

static void
trace_class(struct cmd_ctx *c, int cls, int depth, double wait)
{
	struct world		*w = &c->g->w;
	struct svc_class	*cl = &w->cls[cls];
	struct svc		*s = &w->svc[cl->svc];
	struct dbpool		*dp = svc_class_pool(s, cl);
	char			 a[16], b[16];
	int			 i;

	buf_printf(c->out, "%*s%s.%s  %s (thread wait %s)\n", depth * 2, "",
	    s->name, cl->name, cmd_fmt_ms(cl->est_ms, a, sizeof a),
	    cmd_fmt_ms(wait, b, sizeof b));
	if (dp != NULL) {
		buf_printf(c->out, "%*s  db pool %s acquire  %s\n", depth * 2,
		    "", dp->name, cmd_fmt_ms(pool_wait_estimate(&dp->pool), a,
		    sizeof a));
		buf_printf(c->out, "%*s  db query  %s%s\n", depth * 2, "",
		    cmd_fmt_ms(cl->db_ms, a, sizeof a),
		    s->hold_conn_across_calls && cl->ncalls > 0 ?
		    "  (transaction stays open across the calls below)" : "");
	}
	for (i = 0; i < cl->ncalls; i++) {
		struct edge *e = &w->edge[cl->calls[i].edge];

		buf_printf(c->out, "%*s  call %s  %s  timeout=%s%s%s\n",
		    depth * 2, "", e->name, cmd_fmt_ms(e->lat_ms, a, sizeof a),
		    cmd_fmt_ms(e->retry.timeout_ms, b, sizeof b),
		    breaker_effective(&e->br) == BREAKER_OPEN ?
		    "  (breaker open: failed fast)" : "",
		    cl->calls[i].p < 1 ? "  (some requests)" : "");
		if (e->to_kind == CALLEE_SVC && depth < 6 &&
		    breaker_effective(&e->br) != BREAKER_OPEN)
			trace_class(c, e->to_class, depth + 2,
			    pool_wait_estimate(&w->svc[e->to].threads));
		else if (e->to_kind == CALLEE_EXT)
			buf_printf(c->out, "%*s    external %s  p99 %s\n",
			    depth * 2, "", w->ext[e->to].name,
			    cmd_fmt_ms(w->ext[e->to].p99_ms, a, sizeof a));
	}
}

int
cmd_trace_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	struct buf	 q;
	char		 a[16];
	int		 i, found = -1;

	if (argc < 2)
		return (cmd_error(c, "usage: trace ROUTE (e.g. trace POST"
		    " /checkout)"));
	buf_init(&q);
	for (i = 1; i < argc; i++)
		buf_printf(&q, "%s%s", i > 1 ? " " : "", argv[i]);
	for (i = 0; i < w->nroute; i++)
		if (strcmp(w->route[i].name, buf_str(&q)) == 0)
			found = i;
	for (i = 0; found == -1 && i < w->nroute; i++)
		if (strstr(w->route[i].name, buf_str(&q)) != NULL)
			found = i;
	if (found == -1) {
		cmd_error(c, "trace: no route matches '%.60s' (show gw lists"
		    " routes)", buf_str(&q));
		buf_fini(&q);
		return (-1);
	}
	buf_fini(&q);
	buf_printf(c->out, "trace %s  total %s%s\n", w->route[found].name,
	    cmd_fmt_ms(fmin(w->cls[w->route[found].cls].est_ms,
	    w->gw_timeout_ms), a, sizeof a),
	    w->cls[w->route[found].cls].est_ms >= w->gw_timeout_ms ?
	    "  → 504 gateway timeout" : "");
	trace_class(c, w->route[found].cls, 1,
	    pool_wait_estimate(&w->svc[w->cls[w->route[found].cls].svc].threads));
	return (0);
}

int
cmd_changes_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game	*g = c->g;
	const char	*target = NULL;
	long		 since = -1;
	char		 clk[16], ago[32];
	int		 i, a, n = 0;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--since") == 0 && a + 1 < argc) {
			if (duration_parse(argv[++a], &since) != 0)
				return (cmd_error(c, "changes: bad duration"
				    " '%.20s'", argv[a]));
		} else if (argv[a][0] == '-')
			return (cmd_error(c, "changes: unknown option '%.20s'",
			    argv[a]));
		else
			target = argv[a];
	}
	for (i = 0; i < g->w.nchange; i++) {
		const struct change *ch = &g->w.change[i];
		long dt = game_now_ms(g) - ch->t_ms;

		if (target != NULL && strcmp(ch->target, target) != 0)
			continue;
		if (since >= 0 && dt > since)
			continue;
		if (dt >= 86400000)
			snprintf(ago, sizeof ago, "%ldd ago", dt / 86400000);
		else if (dt >= 3600000)
			snprintf(ago, sizeof ago, "%ldh ago", dt / 3600000);
		else
			snprintf(ago, sizeof ago, "%ldm%02lds ago", dt / 60000,
			    dt / 1000 % 60);
		buf_printf(c->out, "%s  %-10s %-12s %-10s %s\n",
		    cmd_fmt_clock(g, ch->t_ms, clk, sizeof clk), ago, ch->who,
		    ch->target, ch->text);
		n++;
	}
	if (n == 0)
		buf_puts(c->out, "no changes\n");
	return (0);
}

int
cmd_graph_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game		*g = c->g;
	static const char	 ramp[] = " .:-=+*#%@";
	long			 win = 600000, ago, step;
	double			 lo = INFINITY, hi = -INFINITY, v;
	int			 id, i, width = 60;
	struct buf		 line;

	if (argc < 2)
		return (cmd_error(c, "usage: graph METRIC[{labels}]"
		    " [--window DUR]"));
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--by") == 0)
			return (cmd_graph_by(c, argc, argv));
	if (argc == 4 && strcmp(argv[2], "--window") == 0) {
		if (duration_parse(argv[3], &win) != 0 || win < 10000)
			return (cmd_error(c, "graph: bad window '%.20s'",
			    argv[3]));
	} else if (argc != 2)
		return (cmd_error(c, "usage: graph METRIC[{labels}]"
		    " [--window DUR]"));
	if ((id = metrics_find(&g->m, argv[1])) == -1) {
		struct selector	 sel;
		char		*cause = NULL;
		int		*ids = NULL, n;

		if (selector_parse(&sel, argv[1], &cause) != 0) {
			free(cause);
			return (cmd_error(c, "graph: no metric '%.60s' (show"
			    " metrics)", argv[1]));
		}
		n = selector_resolve(&sel, &g->m, &ids);
		id = n > 0 ? ids[0] : -1;
		free(ids);
		if (id == -1)
			return (cmd_error(c, "graph: no metric '%.60s' (show"
			    " metrics)", argv[1]));
	}
	step = win / 1000 / width;
	if (step < 1)
		step = 1;
	for (i = 0; i < width; i++) {
		v = metrics_history(&g->m, id, (long)(width - 1 - i) * step);
		if (isfinite(v)) {
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	buf_init(&line);
	for (i = 0; i < width; i++) {
		ago = (long)(width - 1 - i) * step;
		v = metrics_history(&g->m, id, ago);
		if (!isfinite(v))
			buf_putc(&line, ' ');
		else
			buf_putc(&line, ramp[hi > lo ? (int)((v - lo) /
			    (hi - lo) * 9 + 0.5) : 1]);
	}
	buf_printf(c->out, "%s  now %.4g  min %.4g  max %.4g  (last %lds)\n"
	    "|%s|\n", g->m.v[id].full, g->m.v[id].value,
	    isfinite(lo) ? lo : 0, isfinite(hi) ? hi : 0, win / 1000,
	    buf_str(&line));
	buf_fini(&line);
	return (0);
}
