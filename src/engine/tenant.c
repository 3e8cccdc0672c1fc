/*
 * Tenants sharing a database node (see tenant.h).  A run's load is its
 * CPU share at its full connection count scaled by the connections its
 * pgbouncer pool lets it hold; the node's model adds it to its own demand,
 * so the slowdown our queries see is the P1 factor of the total.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "util/xmalloc.h"

double
tenant_active(double want, double pool_size)
{
	return (fmax(0, fmin(want, pool_size)));
}

double
tenant_load(double full, double want, double pool_size)
{
	if (want <= 0)
		return (0);
	return (full * tenant_active(want, pool_size) / want);
}

double
tenant_p1_factor(double rho0, double rho)
{
	if (rho >= 1)
		return (INFINITY);
	return (fmax(1, (1 - rho0) / (1 - rho)));
}

int
tenant_find(const struct tenants *t, const char *name)
{
	int	i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return (i);
	return (-1);
}

int
tenant_find_job(const struct tenants *t, const char *job)
{
	int	i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].job[0] != '\0' && strcmp(t->v[i].job, job) == 0)
			return (i);
	return (-1);
}

void
tenant_add_run(struct tenant *t, long start, double dur_s, double cpu_pct)
{
	struct tenant_run	*r;

	t->run = xreallocarray(t->run, t->nrun + 1, sizeof *t->run);
	r = &t->run[t->nrun++];
	r->start = start;
	r->end = start + (long)(dur_s * TICKS_PER_S);
	r->cpu_pct = cpu_pct > 0 ? cpu_pct : t->cpu_pct;
}

int
tenant_page(struct game *g, const char *team)
{
	struct tenants	*ts = &g->w.tenant;
	int		 i, n = 0;

	for (i = 0; i < ts->n; i++) {
		struct tenant *t = &ts->v[i];

		if (strcmp(t->team, team) != 0 || t->ours)
			continue;
		n++;
		t->paged = 1;
		if (t->job[0] != '\0' && !t->paused && t->pause_at == 0)
			t->pause_at = g->tick + (long)(t->page_delay_s *
			    TICKS_PER_S);
	}
	return (n);
}

double
tenant_node_cpu_ms(const struct world *w, int node)
{
	double	s = 0;
	int	i;

	for (i = 0; i < w->tenant.n; i++)
		if (w->tenant.v[i].node == node && !w->tenant.v[i].ours &&
		    !w->tenant.v[i].isolated)
			s += w->tenant.v[i].load_cpu_pct / 100 *
			    w->db[node].vcpu * 1000;
	return (s);
}

double
tenant_node_iops(const struct world *w, int node)
{
	double	s = 0;
	int	i;

	for (i = 0; i < w->tenant.n; i++)
		if (w->tenant.v[i].node == node && !w->tenant.v[i].isolated)
			s += w->tenant.v[i].ours ? w->tenant.v[i].iops :
			    w->tenant.v[i].load_iops;
	return (s);
}

/* Which of its runs is on now, -1: between runs, paused or held to its
 * window. */
static int
current_run(const struct game *g, const struct tenant *t)
{
	long	now = g->tick - g->tick0;
	long	sod;
	int	i;

	if (!g->started || !t->job_enabled || t->paused)
		return (-1);
	sod = game_time_of_day(g);
	if (!clock_in_window(sod, t->win_lo, t->win_hi))
		return (-1);
	for (i = 0; i < t->nrun; i++)
		if (now >= t->run[i].start && now < t->run[i].end)
			return (i);
	return (-1);
}

void
tenant_step(struct game *g)
{
	struct tenants	*ts = &g->w.tenant;
	int		 i, r, was;

	for (i = 0; i < ts->n; i++) {
		struct tenant *t = &ts->v[i];

		if (t->ours || t->job[0] == '\0')
			continue;
		/* Someone else's job killed, and five minutes on still no
		 * word to its owners: not blameless coordination. */
		if (t->killed_at > 0 && !t->paged && g->tick >= t->killed_at +
		    300 * TICKS_PER_S) {
			t->killed_at = 0;
			game_event(g, EV_INFO, "you", "killed another team's"
			    " job without paging them within 5 min", t->team,
			    0, 0);
		}
		if (t->pause_at != 0 && g->tick >= t->pause_at) {
			t->pause_at = 0;
			t->paused = 1;
			game_log(g, t->team, "INFO", "%s paused at the request"
			    " of the paging team; holding until further"
			    " notice", t->job);
		}
		was = t->running;
		r = current_run(g, t);
		t->running = r >= 0;
		t->cur = r;
		t->active = t->running ? tenant_active(t->conns, t->pool_size) :
		    0;
		t->load_cpu_pct = t->running ? tenant_load(t->run[r].cpu_pct,
		    t->conns, t->pool_size) : 0;
		t->load_iops = t->running ? tenant_load(t->iops, t->conns,
		    t->pool_size) : 0;
		if (t->running && !was)
			game_log(g, g->w.db[t->node].name, "LOG", "connection"
			    " authorized: user=%s database=shop"
			    " application_name=%s (%.0f of pool %.0f)",
			    t->role, t->app, t->active, t->pool_size);
	}
}

void
tenant_register(struct world *w, struct metrics *m)
{
	int	i;

	for (i = 0; i < w->tenant.n; i++)
		w->tenant.v[i].m_cpu = metrics_add(m, "db_cpu_by_tenant_pct",
		    "tenant", w->tenant.v[i].name, (char *)NULL);
}

void
tenant_publish(struct game *g)
{
	struct world	*w = &g->w;
	int		 i, j;

	for (i = 0; i < w->tenant.n; i++) {
		struct tenant	*t = &w->tenant.v[i];
		double		 v = t->load_cpu_pct;

		if (t->ours) {
			/* Ours is what the node does that no one else
			 * declared doing. */
			v = w->db[t->node].cpu.util_pct;
			for (j = 0; j < w->tenant.n; j++)
				if (!w->tenant.v[j].ours &&
				    !w->tenant.v[j].isolated &&
				    w->tenant.v[j].node == t->node)
					v -= w->tenant.v[j].load_cpu_pct;
			v = fmax(0, v);
			t->ours_cpu_pct = v;
		}
		metrics_set(&g->m, t->m_cpu, v);
	}
}

int
tenant_param(struct world *w, const char *path, double *get,
    const double *set, char **cause)
{
	const char	*dot = strchr(path, '.');
	char		 name[TENANT_NAME];
	struct tenant	*t;
	double		*dp = NULL, v = 0;
	int		*ip = NULL, i, ro = 0;

	if (dot == NULL || (size_t)(dot - path) >= sizeof name)
		goto unknown;
	snprintf(name, sizeof name, "%.*s", (int)(dot - path), path);
	if ((i = tenant_find(&w->tenant, name)) == -1)
		goto unknown;
	t = &w->tenant.v[i];
	dot++;
	if (strcmp(dot, "pool_size") == 0)
		dp = &t->pool_size;
	else if (strcmp(dot, "node") == 0)
		ip = &t->node;
	else if (strcmp(dot, "home") == 0) {
		v = t->home;
		ro = 1;
	} else if (strcmp(dot, "job_enabled") == 0)
		ip = &t->job_enabled;
	else if (strcmp(dot, "paused") == 0)
		ip = &t->paused;
	else if (strcmp(dot, "paged") == 0)
		ip = &t->paged;
	else if (strcmp(dot, "isolated") == 0)
		ip = &t->isolated;
	else if (strcmp(dot, "windowed") == 0) {
		v = t->win_lo != t->win_hi;
		ro = 1;
	} else if (strcmp(dot, "running") == 0) {
		v = t->running;
		ro = 1;
	} else if (strcmp(dot, "cpu_pct") == 0) {
		v = t->ours ? t->ours_cpu_pct : t->load_cpu_pct;
		ro = 1;
	} else if (strcmp(dot, "iops") == 0) {
		v = t->load_iops;
		ro = 1;
	} else
		goto unknown;
	if (get != NULL) {
		*get = dp != NULL ? *dp : ip != NULL ? *ip : v;
		return (0);
	}
	if (ro) {
		*cause = xasprintf("tenant.%s is read-only", path);
		return (-1);
	}
	if (ip == &t->node && (*set < 0 || *set >= w->ndb)) {
		*cause = xasprintf("tenant.%s: no node %g", path, *set);
		return (-1);
	}
	if (dp != NULL)
		*dp = fmax(0, *set);
	else
		*ip = (int)*set;
	if (ip == &t->paused && *set == 0)
		t->pause_at = 0;
	return (0);
unknown:
	*cause = xasprintf("unknown parameter 'tenant.%s'", path);
	return (-1);
}

void
tenant_fini(struct tenants *t)
{
	int	i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].run);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
