/*
 * Building the view: a copy of what the screens show, taken from the
 * session once per frame.  Reads the game; never changes it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "score/score.h"
#include "ui/view.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static enum health
health_of(double err, double sat)
{
	if (err >= 5 || sat >= 99)
		return (H_CRIT);
	if (err >= 1 || sat >= 80)
		return (H_WARN);
	return (H_OK);
}

static void
build_services(struct view *v, const struct game *g)
{
	const struct world	*w = &g->w;
	int			 i, j, k;

	/* The gateway first: it is what users see. */
	if (v->nsvc < VIEW_MAX_SVC) {
		struct view_svc	*r = &v->svc[v->nsvc++];
		double		 rps = 0, bad = 0;

		memset(r, 0, sizeof *r);
		strlcpy_fd(r->name, "gw", sizeof r->name);
		for (i = 0; i < w->nroute; i++) {
			rps += w->route[i].rps;
			bad += w->route[i].rps * w->route[i].err_ratio / 100;
		}
		r->rps = rps;
		r->err_pct = rps > 0 ? 100 * bad / rps : 0;
		r->p99_ms = metrics_get(&g->m, w->m_gw_p99_worst);
		r->sat_pct = w->gw_inflight_max > 0 ? 100 * w->gw.busy /
		    w->gw_inflight_max : 0;
		r->ready = r->instances = 1;
		r->health = health_of(r->err_pct, r->sat_pct);
	}
	for (i = 0; i < w->nsvc && v->nsvc < VIEW_MAX_SVC; i++) {
		const struct svc	*s = &w->svc[w->order[i]];
		struct view_svc		*r = &v->svc[v->nsvc++];

		memset(r, 0, sizeof *r);
		strlcpy_fd(r->name, s->name, sizeof r->name);
		strlcpy_fd(r->version, s->version, sizeof r->version);
		r->rps = s->rps;
		r->err_pct = s->err_ratio;
		r->p99_ms = s->p99_ms;
		r->sat_pct = metrics_get(&g->m, s->m_busy_pct);
		r->ready = fmax(0, s->instances - s->down);
		r->instances = s->instances;
		for (j = 0; j < s->npools; j++) {
			const struct dbpool *p = &s->pools[j];
			double u = p->pool.size > 0 ? fmin(100, 100 *
			    p->pool.busy / p->pool.size) : 100;

			if (!r->pools || u > r->pool_pct) {
				strlcpy_fd(r->pool_name, p->name,
				    sizeof r->pool_name);
				r->pool_pct = u;
				r->pool_active = p->pool.busy;
				r->pool_size = p->pool.size;
				r->pool_waiting = p->pool.qtotal;
			}
			r->pools = 1;
		}
		for (k = 0; k < w->nedge; k++)
			if (w->edge[k].from == s->ix && (int)breaker_effective(
			    &w->edge[k].br) > r->breaker)
				r->breaker = breaker_effective(&w->edge[k].br);
		r->health = r->ready <= 0 ? H_CRIT :
		    health_of(r->err_pct, fmax(r->sat_pct, r->pool_pct));
	}
	for (i = 0; i < w->next && v->nsvc < VIEW_MAX_SVC; i++) {
		const struct ext	*x = &w->ext[i];
		struct view_svc		*r = &v->svc[v->nsvc++];
		double			 p99 = metrics_get(&g->m, x->m_p99);

		memset(r, 0, sizeof *r);
		strlcpy_fd(r->name, x->name, sizeof r->name);
		r->external = 1;
		r->rps = x->rps;
		r->p99_ms = p99;
		r->err_pct = x->err_pct;
		/* An external we cannot fix: slow is a warning at most. */
		r->health = p99 >= 5000 || x->err_pct >= 1 ? H_WARN : H_OK;
	}
}

static int
alert_cmp(const void *a, const void *b)
{
	const struct view_alert *x = a, *y = b;
	int rx = x->firing ? (x->acked ? 1 : 0) : 2;
	int ry = y->firing ? (y->acked ? 1 : 0) : 2;

	if (rx != ry)
		return (rx - ry);
	return (x->fired_at < y->fired_at ? 1 : x->fired_at > y->fired_at ?
	    -1 : 0);
}

static void
build_alerts(struct view *v, const struct game *g)
{
	long	now = game_now_ms(g);
	int	i;

	for (i = 0; i < g->alerts.n && v->nalert < VIEW_MAX_ALERT; i++) {
		const struct alert_rule	*r = &g->alerts.v[i];
		struct view_alert	*a;

		if (r->fired_count == 0 || r->muted)
			continue;
		a = &v->alert[v->nalert++];
		memset(a, 0, sizeof *a);
		strlcpy_fd(a->id, r->id, sizeof a->id);
		strlcpy_fd(a->summary, r->summary, sizeof a->summary);
		strlcpy_fd(a->severity, alert_sev_name(r->sev),
		    sizeof a->severity);
		a->firing = r->state == AL_FIRING;
		a->acked = a->firing && r->acked;
		a->resolved = !a->firing;
		a->fired_at = r->fired_at;
		a->age_ms = a->firing ? now - r->fired_at : now -
		    r->resolved_at;
		if (a->firing && !a->acked)
			v->nfiring++;
		if (a->acked)
			v->nacked++;
	}
	qsort(v->alert, v->nalert, sizeof *v->alert, alert_cmp);
}

static void
build_logs(struct view *v, const struct game *g, const char *src,
    const char *filter)
{
	long	total = simlog_count(&g->log), i;
	int	n = 0;

	/* Newest last; collect from the end, then reverse. */
	for (i = total - 1; i >= 0 && n < VIEW_MAX_LOG; i--) {
		const struct logline *l = simlog_get(&g->log, i);

		if (src != NULL && strcmp(l->src, src) != 0)
			continue;
		if (filter != NULL && strcasestr(l->text, filter) == NULL &&
		    strcasestr(l->src, filter) == NULL)
			continue;
		v->log[n].t_ms = l->t_ms;
		strlcpy_fd(v->log[n].src, l->src, sizeof v->log[n].src);
		strlcpy_fd(v->log[n].level, l->level, sizeof v->log[n].level);
		strlcpy_fd(v->log[n].text, l->text, sizeof v->log[n].text);
		n++;
	}
	for (i = 0; i < n / 2; i++) {
		struct view_log t = v->log[i];

		v->log[i] = v->log[n - 1 - i];
		v->log[n - 1 - i] = t;
	}
	v->nlog = n;
}

static void
add_graph(struct view *v, const struct game *g, int id, const char *title,
    const char *unit)
{
	struct view_graph	*gr;
	long			 held, k;

	if (id < 0 || v->ngraph >= VIEW_MAX_GRAPH)
		return;
	gr = &v->graph[v->ngraph++];
	strlcpy_fd(gr->title, title, sizeof gr->title);
	strlcpy_fd(gr->unit, unit, sizeof gr->unit);
	gr->now = g->m.v[id].value;
	held = g->m.v[id].nsamples;
	/* Only what happened since the start: the warm-up is not shown. */
	if (held > game_now_ms(g) / 1000 + 1)
		held = game_now_ms(g) / 1000 + 1;
	gr->n = held < VIEW_HIST ? (int)held : VIEW_HIST;
	for (k = 0; k < gr->n; k++)
		gr->v[k] = metrics_history(&g->m, id, gr->n - 1 - k);
}

static const char *
unit_of(const char *name)
{
	size_t	n = strlen(name);

	if (n > 4 && strcmp(name + n - 4, "_pct") == 0)
		return ("%");
	if (n > 3 && strcmp(name + n - 3, "_ms") == 0)
		return ("ms");
	if (n > 4 && strcmp(name + n - 4, "_rps") == 0)
		return ("/s");
	if (n > 6 && strcmp(name + n - 6, "_per_s") == 0)
		return ("/s");
	return ("");
}

static int
find_metric(const struct game *g, const char *name)
{
	struct selector	 sel;
	char		*cause = NULL;
	int		*ids = NULL, n, id;

	if ((id = metrics_find(&g->m, name)) != -1)
		return (id);
	if (selector_parse(&sel, name, &cause) != 0) {
		free(cause);
		return (-1);
	}
	n = selector_resolve(&sel, &g->m, &ids);
	id = n > 0 ? ids[0] : -1;
	free(ids);
	return (id);
}

static void
build_marks(struct view *v, const struct game *g)
{
	long	now_s = game_now_ms(g) / 1000;
	int	i;

	for (i = g->tl.n - 1; i >= 0 && v->nmark < VIEW_MAX_MARK; i--) {
		const struct event	*e = &g->tl.v[i];
		struct view_mark	*m;
		const char		*sp;
		size_t			 n;

		if (e->t_ms / 1000 < now_s - VIEW_HIST)
			break;
		if (e->kind == EV_ALERT_FIRED && e->arg == 1) {
			m = &v->mark[v->nmark++];
			m->alert = 1;
			/* "ALRT-POOL" marks as "POOL": the room is small. */
			strlcpy_fd(m->label, e->detail == NULL ? "alert" :
			    strncmp(e->detail, "ALRT-", 5) == 0 ? e->detail + 5 :
			    e->detail, sizeof m->label);
		} else if (e->kind == EV_COMMAND && e->val == 1) {
			m = &v->mark[v->nmark++];
			m->alert = 0;
			/* The verb and its object: "breaker", "rollback". */
			sp = strchr(e->text, ' ');
			n = sp != NULL ? (size_t)(sp - e->text) :
			    strlen(e->text);
			snprintf(m->label, sizeof m->label, "%.*s", (int)n,
			    e->text);
		} else
			continue;
		m->t_s = e->t_ms / 1000;
	}
}

static void
build_progress(struct view *v, const struct game *g)
{
	const struct world	*w = &g->w;
	char			 a[16];
	int			 i;

	v->progress[0] = '\0';
	for (i = 0; i < w->nsvc; i++) {
		const struct svc *s = &w->svc[i];

		if (s->roll == ROLL_BUILD) {
			duration_clock((s->roll_until - g->tick) * TICK_MS, a,
			    sizeof a);
			snprintf(v->progress, sizeof v->progress,
			    "building %s %s %s left", s->name, s->to_version,
			    a);
			return;
		}
		if (s->roll != ROLL_NONE) {
			snprintf(v->progress, sizeof v->progress, "%s %s %s"
			    " %.0f%%", s->roll == ROLL_ROLLBACK ? "rollback" :
			    "rollout", s->name, s->to_version,
			    100 * s->to_frac);
			return;
		}
		if (s->booting > 0) {
			duration_clock((s->boot_ready - g->tick) * TICK_MS, a,
			    sizeof a);
			snprintf(v->progress, sizeof v->progress, "scale %s"
			    " +%g pods %s left", s->name, s->booting, a);
			return;
		}
	}
	for (i = 0; i < w->nact; i++) {
		if (w->act[i].label[0] == '\0')
			continue;
		duration_clock((w->act[i].due - g->tick) * TICK_MS, a,
		    sizeof a);
		snprintf(v->progress, sizeof v->progress, "%s %s left",
		    w->act[i].label, a);
		return;
	}
}

void
view_build(struct view *v, const struct session *s,
    const char *const *pinned, int npinned, const char *log_src,
    const char *log_filter, int *seen)
{
	const struct game	*g = &s->g;
	struct score_input	 in;
	struct score		 sc;
	static const char	*days[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
				    "Tue", "Wed" };
	int64_t			 secs;
	int			 p, i;

	memset(v, 0, sizeof *v);
	strlcpy_fd(v->incident, g->inc.id, sizeof v->incident);
	strlcpy_fd(v->title, g->inc.title, sizeof v->title);
	strlcpy_fd(v->section, g->inc.section, sizeof v->section);
	v->now_ms = game_now_ms(g);
	cmd_fmt_clock(g, v->now_ms, v->clock, sizeof v->clock);
	secs = g->inc.start_epoch + v->now_ms / 1000;
	snprintf(v->date, sizeof v->date, "%s %s",
	    days[((secs / 86400) % 7 + 7) % 7], v->clock);
	v->over = g->over;
	strlcpy_fd(v->outcome, g->outcome, sizeof v->outcome);
	for (p = 0; p < PH_COUNT; p++) {
		v->phase[p].name = phase_name(p);
		v->phase[p].t_ms = game_phase_ms(g, p);
		v->phase[p].target_ms = game_phase_target_ms(g, p);
		v->phase[p].running_ms = v->phase[p].t_ms < 0 && g->ph.t0 >= 0 ?
		    v->now_ms - g->ph.t0 : -1;
	}
	memset(&in, 0, sizeof in);
	in.tl = &g->tl;
	in.t0_ms = g->ph.t0;
	in.sev_scale = g->inc.sev_scale;
	in.db = &g->inc.db;
	score_compute(&in, &sc);
	/* Running score: the budget so far counts too. */
	v->score = sc.total - (int)floor(2 * g->w.budget_burned_pct + 0.5);
	if (v->score < 0)
		v->score = 0;
	memcpy(v->grade, sc.grade, sizeof v->grade);
	v->budget_pct = g->w.budget_burned_pct;

	build_services(v, g);
	build_alerts(v, g);
	build_logs(v, g, log_src, log_filter);
	add_graph(v, g, metrics_find(&g->m, "slo_bad_fraction_pct"),
	    "user-facing error rate", "%");
	add_graph(v, g, metrics_find(&g->m, "gw_latency_p99_worst_ms"),
	    "p99 latency, worst route", "ms");
	for (i = 0; i < npinned; i++) {
		int id = find_metric(g, pinned[i]);

		if (id >= 0)
			add_graph(v, g, id, g->m.v[id].full,
			    unit_of(g->m.v[id].name));
	}
	build_marks(v, g);
	build_progress(v, g);

	/* A page fired since the caller last looked. */
	for (i = seen != NULL ? *seen : g->tl.n; i < g->tl.n; i++) {
		const struct event *e = &g->tl.v[i];
		int r;

		if (e->kind != EV_ALERT_FIRED || e->detail == NULL)
			continue;
		r = alerts_find(&g->alerts, e->detail);
		if (r >= 0 && g->alerts.v[r].sev == ALERT_PAGE &&
		    !g->alerts.v[r].noise)
			v->new_page = 1;
	}
	if (seen != NULL)
		*seen = g->tl.n;
}
