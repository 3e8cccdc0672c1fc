/*
 * Tenants' commands: `show infra db` (CPU and IOPS of each node by
 * tenant), `set tenant:NAME.pool_size N` (the pgbouncer per-pool limit),
 * `set tenant:NAME.db_target NODE`, `set job:NAME.window HH:MM-HH:MM`,
 * and the tenant side of `kill job` and `page`.  A world without tenants
 * answers plainly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/xmalloc.h"

static void
fmt_window(const struct tenant *t, char *buf, size_t len)
{
	if (t->win_lo == t->win_hi)
		snprintf(buf, len, "any time");
	else
		snprintf(buf, len, "%02d:%02d-%02d:%02d", t->win_lo / 3600,
		    t->win_lo / 60 % 60, t->win_hi / 3600, t->win_hi / 60 % 60);
}

static const char *
job_state(const struct tenant *t)
{
	if (t->job[0] == '\0')
		return ("-");
	if (!t->job_enabled)
		return ("killed");
	if (t->paused)
		return ("paused");
	if (t->running)
		return ("running");
	return (t->pause_at != 0 ? "pausing" : "idle");
}

int
cmd_show_infra(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 win[48];
	int		 i, j;

	if (argc != 3 || strcmp(argv[2], "db") != 0)
		return (cmd_error(c, "usage: show infra db (redis and kafka"
		    " have no shared tenants on this platform)"));
	if (w->tenant.n == 0) {
		buf_puts(c->out, "no shared tenants: every database user here"
		    " is ours\n");
		return (0);
	}
	buf_printf(c->out, "%-8s %6s %8s  %s\n", "NODE", "CPU%", "IOPS",
	    "TENANTS");
	for (i = 0; i < w->ndb; i++) {
		struct dbnode	*d = &w->db[i];
		int		 any = 0;

		buf_printf(c->out, "%-8s %5.0f%% %8.0f  ", d->name,
		    d->cpu.util_pct, tenant_node_iops(w, i));
		for (j = 0; j < w->tenant.n; j++) {
			struct tenant *t = &w->tenant.v[j];

			if (t->node != i || t->isolated)
				continue;
			buf_printf(c->out, "%s%s %.0f%%", any ? ", " : "",
			    t->name, t->ours ? t->ours_cpu_pct :
			    t->load_cpu_pct);
			any = 1;
		}
		buf_puts(c->out, any ? "\n" : "-\n");
	}
	buf_printf(c->out, "\n%-12s %-8s %5s %7s %6s %8s  %-16s %-9s %s\n",
	    "TENANT", "TARGET", "POOL", "ACTIVE", "CPU%", "IOPS", "JOB",
	    "STATE", "WINDOW");
	for (j = 0; j < w->tenant.n; j++) {
		struct tenant *t = &w->tenant.v[j];

		fmt_window(t, win, sizeof win);
		if (t->ours)
			buf_printf(c->out, "%-12s %-8s %5s %7s %5.0f%% %8.0f  %-16s"
			    " %-9s %s\n", t->name, w->db[t->node].name, "-",
			    "-", t->ours_cpu_pct, t->iops, "(us)", "-", "-");
		else
			buf_printf(c->out, "%-12s %-8s %5.0f %7.0f %5.1f%% %8.0f"
			    "  %-16s %-9s %s\n", t->name, t->isolated ?
			    "olap-db" : w->db[t->node].name,
			    t->pool_size, t->active, t->load_cpu_pct,
			    t->load_iops, t->job[0] != '\0' ? t->job : "-",
			    job_state(t), t->job[0] != '\0' ? win : "-");
	}
	return (0);
}

/* Sessions a tenant's running job holds, for show db activity. */
void
cmd_tenant_sessions(struct cmd_ctx *c, const char *app)
{
	struct game	*g = c->g;
	char		 a[16];
	int		 i, k;

	for (i = 0; i < g->w.tenant.n; i++) {
		struct tenant *t = &g->w.tenant.v[i];
		long since;

		if (!t->running || (app != NULL && strcmp(app, t->app) != 0))
			continue;
		since = g->tick - g->tick0 - t->run[t->cur].start;
		for (k = 0; k < (int)lround(t->active) && k < 8; k++)
			buf_printf(c->out, "%6d  %-10.10s %-20s %-10s %8s  %s"
			    " [usename=%s application_name=%s on %s]\n",
			    7001 + i * 100 + k, t->app, "active", k % 3 == 0 ?
			    "DataFileRead" : "", cmd_fmt_ms((double)since *
			    TICK_MS, a, sizeof a), "INSERT INTO … SELECT …"
			    " FROM events e JOIN orders o …", t->role, t->app,
			    t->isolated ? "olap-db" : g->w.db[t->node].name);
		if (t->active > 8)
			buf_printf(c->out, "… %.0f more %s sessions\n",
			    t->active - 8, t->app);
	}
}

static int
node_arg(struct cmd_ctx *c, const char *s)
{
	int	n;

	if ((n = world_find_db(&c->g->w, s)) == -1)
		return (cmd_error(c, "no database node '%.30s' (show infra"
		    " db)", s));
	return (n);
}

/* set tenant:NAME.pool_size N | tenant:NAME.db_target NODE |
 * job:NAME.window HH:MM-HH:MM; -2 when not ours. */
int
cmd_set_tenant(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 name[64], path[160], *end;
	const char	*dot = strrchr(argv[1], '.');
	struct tenant	*t;
	double		 v;
	int		 i, n, lo, hi;

	if (argc != 3 || dot == NULL || (size_t)(dot - argv[1]) >= sizeof name)
		return (-2);
	snprintf(name, sizeof name, "%.*s", (int)(dot - argv[1]), argv[1]);
	if (strncmp(name, "job:", 4) == 0 && (strcmp(dot, ".window") == 0 ||
	    strcmp(dot, ".schedule") == 0)) {
		/* Not a tenant's: perhaps the database's own (cmd-db). */
		if ((i = tenant_find_job(&w->tenant, name + 4)) == -1)
			return (-2);
		if (clock_parse_window(argv[2], &lo, &hi) != 0)
			return (cmd_error(c, "window: HH:MM-HH:MM, e.g."
			    " 02:00-06:00"));
		t = &w->tenant.v[i];
		t->win_lo = lo;
		t->win_hi = hi;
		buf_printf(c->out, "%s: runs only %s from its next start"
		    " (a run outside the window waits for it)\n", t->job,
		    argv[2]);
		cmd_changed(c, name, c->canonical);
		return (0);
	}
	if (strncmp(name, "tenant:", 7) != 0)
		return (-2);
	if ((i = tenant_find(&w->tenant, name + 7)) == -1)
		return (cmd_error(c, w->tenant.n == 0 ? "this platform has no"
		    " shared tenants" : "no tenant '%.40s' (show infra db)",
		    name + 7));
	t = &w->tenant.v[i];
	if (t->ours)
		return (cmd_error(c, "%s is us: size our pools with scale"
		    " SVC.db_pool N", t->name));
	if (strcmp(dot, ".pool_size") == 0) {
		v = strtod(argv[2], &end);
		if (*end != '\0' || v < 0 || v > 500 || v != floor(v))
			return (cmd_error(c, "pool_size: connections, 0-500"));
		snprintf(path, sizeof path, "tenant.%s.pool_size", t->name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path, v, 0, 0);
		buf_printf(c->out, "pgbouncer: pool %s limited to %.0f server"
		    " connections (was %.0f), in 5 s\n", t->name, v,
		    t->pool_size);
	} else if (strcmp(dot, ".db_target") == 0) {
		if ((n = node_arg(c, argv[2])) == -1)
			return (-1);
		snprintf(path, sizeof path, "tenant.%s.node", t->name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path, n, 0, 0);
		buf_printf(c->out, "pgbouncer: pool %s now points at %s (was"
		    " %s); new server connections go there, in 5 s\n",
		    t->name, w->db[n].name, w->db[t->node].name);
	} else
		return (cmd_error(c, "tenant keys: pool_size, db_target"));
	cmd_changed(c, name, c->canonical);
	return (0);
}

/* kill job NAME for a tenant's batch job; -2 when no tenant runs it. */
int
cmd_kill_tenant_job(struct cmd_ctx *c, const char *name)
{
	struct tenants	*ts = &c->g->w.tenant;
	struct tenant	*t;
	int		 i;

	if ((i = tenant_find_job(ts, name)) == -1)
		return (-2);
	t = &ts->v[i];
	t->job_enabled = 0;
	buf_printf(c->out, "job %s (owner: %s) killed: its %.0f sessions"
	    " terminated, the run's transaction rolls back\n", t->job,
	    t->team, t->active);
	/* Someone else's job: its owners expect a page (tenant_step marks
	 * the kill if none comes within 5 min). */
	if (!t->paged) {
		t->killed_at = c->g->tick;
		buf_printf(c->out, "%s owns this job: page %s to tell them\n",
		    t->name, t->team);
	}
	cmd_changed(c, name, c->canonical);
	return (0);
}

/* After the page is on the timeline: the team's tenants respond. */
void
cmd_page_tenant(struct cmd_ctx *c, const char *team)
{
	struct tenants	*ts = &c->g->w.tenant;
	int		 i;

	if (tenant_page(c->g, team) == 0)
		return;
	for (i = 0; i < ts->n; i++) {
		struct tenant *t = &ts->v[i];

		if (strcmp(t->team, team) != 0 || t->job[0] == '\0')
			continue;
		buf_printf(c->out, "%s on-call: ack — we'll pause %s (about"
		    " %.0f min)\n", team, t->job, fmax(1, round(t->page_delay_s /
		    60)));
	}
}

/*
 * graph METRIC --by LABEL [--window DUR]: one chart per value of LABEL.
 * A figure kept per label lives in its own family (db_cpu_pct by tenant
 * is db_cpu_by_tenant_pct); otherwise the metric's own series carrying
 * that label.
 */
int
cmd_graph_by(struct cmd_ctx *c, int argc, char **argv)
{
	struct metrics	*m = &c->g->m;
	const char	*metric = NULL, *by = NULL, *win = NULL;
	char		 fam[128], *gv[4];
	size_t		 len;
	int		 i, k, n = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--by") == 0 && i + 1 < argc)
			by = argv[++i];
		else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			win = argv[++i];
		else if (metric == NULL && argv[i][0] != '-')
			metric = argv[i];
		else
			return (cmd_error(c, "usage: graph METRIC --by LABEL"
			    " [--window DUR]"));
	}
	if (metric == NULL || by == NULL)
		return (cmd_error(c, "usage: graph METRIC --by LABEL"
		    " [--window DUR]"));
	/* Labels on METRIC name the family only. */
	len = strcspn(metric, "{");
	if (len > 4 && strncmp(metric + len - 4, "_pct", 4) == 0)
		snprintf(fam, sizeof fam, "%.*s_by_%s_pct", (int)(len - 4),
		    metric, by);
	else
		snprintf(fam, sizeof fam, "%.*s_by_%s", (int)len, metric, by);
	for (k = 0; k < 2 && n == 0; k++) {
		for (i = 0; i < m->n; i++) {
			struct series	*s = &m->v[i];
			int		 j, has = 0;

			if (s->retired || (k == 0 ? strcmp(s->name, fam) :
			    strncmp(s->name, metric, len) != 0 ||
			    s->name[len] != '\0'))
				continue;
			for (j = 0; j < s->nlbl; j++)
				has |= strcmp(s->lbl[j].key, by) == 0;
			if (!has)
				continue;
			gv[0] = argv[0];
			gv[1] = s->full;
			gv[2] = "--window";
			gv[3] = (char *)(win != NULL ? win : "10m");
			if ((rc = cmd_graph_exec(c, 4, gv)) != 0)
				return (rc);
			n++;
		}
	}
	if (n == 0)
		return (cmd_error(c, "graph: no series of %.60s by '%.20s'",
		    metric, by));
	return (0);
}

/* run infra provision olap-db [TENANT]: a dedicated instance for the
 * tenants with batch jobs (or one), ready after 30 minutes. */
int
cmd_run_infra(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 path[96];
	int		 i, n = 0;

	if (argc < 4 || argc > 5 || strcmp(argv[2], "provision") != 0 ||
	    strcmp(argv[3], "olap-db") != 0)
		return (cmd_error(c, "usage: run infra provision olap-db"
		    " [TENANT]"));
	for (i = 0; i < w->tenant.n; i++) {
		struct tenant *t = &w->tenant.v[i];

		if (t->ours || t->isolated || (argc == 5 ?
		    strcmp(t->name, argv[4]) != 0 : t->job[0] == '\0'))
			continue;
		snprintf(path, sizeof path, "tenant.%s.isolated", t->name);
		game_schedule(c->g, ACT_SET, 30 * 60 * 1000, c->canonical,
		    path, 1, 0, 0);
		buf_printf(c->out, "provisioning olap-db for %s: a replica"
		    " of its tables, its pool repointed when ready (about 30"
		    " min)\n", t->name);
		n++;
	}
	if (n == 0)
		return (cmd_error(c, w->tenant.n == 0 ? "this platform has no"
		    " shared tenants" : "no tenant with a batch job to move"
		    " (show infra db)"));
	cmd_changed(c, "olap-db", c->canonical);
	return (0);
}
