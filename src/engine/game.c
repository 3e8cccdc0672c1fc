/*
 * The game loop's one step, phase tracking, log rules and the state hash.
 * Wall time never enters: the caller decides how many ticks to run.
 */
#include <fnmatch.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/fnv.h"
#include "engine/game.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *phase_names[PH_COUNT] = {
	"DETECT", "TRIAGE", "MITIGATE", "FIX"
};

static const long phase_targets_ms[PH_COUNT] = {
	60000, 300000, 900000, 3600000
};

void
game_init(struct game *g, uint64_t seed)
{
	int	i;

	memset(g, 0, sizeof *g);
	world_init(&g->w);
	metrics_init(&g->m);
	alerts_init(&g->alerts);
	simlog_init(&g->log);
	timeline_init(&g->tl);
	g->seed = seed;
	rng_init(&g->out, seed, RNG_OUTCOME);
	rng_init(&g->cos, seed, RNG_COSMETIC);
	g->ph.t0 = -1;
	g->ph.hold_start = -1;
	g->ph.fix_met = -1;
	g->ph.first_alert = -1;
	g->ph.probe_bad = -1;
	for (i = 0; i < PH_COUNT; i++)
		g->ph.done[i] = -1;
	g->inc.sev_scale = 1;
	g->inc.hold_s = 120;
	g->inc.warmup_s = 60;
	g->inc.probe_duration_s = 120;
	g->inc.probe_after_s = 60;
	g->inc.lose_budget_pct = 100;
	g->inc.lose_unmitigated_s = 2700;
}

void
game_slo_free(struct slo *s)
{
	free(s->expr);
	free(s->ids);
	memset(s, 0, sizeof *s);
}

static void
free_strv(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
strv_free(struct strv *sv)
{
	free_strv(sv->v, sv->n);
	sv->v = NULL;
	sv->n = 0;
}

int
strv_glob(const struct strv *sv, const char *text)
{
	int	i;

	for (i = 0; i < sv->n; i++)
		if (fnmatch(sv->v[i], text, 0) == 0)
			return (1);
	return (0);
}

void
debrief_def_free(struct debrief_def *d)
{
	int	i;

	strv_free(&d->prevention);
	strv_free(&d->distractors);
	for (i = 0; i < PM_RC__COUNT; i++)
		free(d->rc[i]);
	for (i = 0; i < CARD__COUNT; i++)
		free(d->card[i]);
	for (i = 0; i < d->nmonitors; i++) {
		free(d->monitors[i].text);
		strv_free(&d->monitors[i].match);
	}
	free(d->monitors);
	free(d->bad_param);
	free(d->bad_what);
	strv_free(&d->components);
	strv_free(&d->scope);
	strv_free(&d->fix_work);
	strv_free(&d->recent_change);
	strv_free(&d->isolating);
	strv_free(&d->global);
	strv_free(&d->remediate);
	strv_free(&d->other_team);
	free(d->expert);
	for (i = 0; i < d->nbonuses; i++) {
		free(d->bonuses[i].why);
		strv_free(&d->bonuses[i].match);
		strv_free(&d->bonuses[i].before);
	}
	free(d->bonuses);
}

void
game_fini(struct game *g)
{
	struct incident_def	*in = &g->inc;
	int			 i;

	world_fini(&g->w);
	metrics_fini(&g->m);
	alerts_fini(&g->alerts);
	simlog_fini(&g->log);
	timeline_fini(&g->tl);
	free(in->id);
	free(in->section);
	free(in->title);
	free(in->severity);
	free(in->briefing);
	free(in->clock);
	free(in->root_cause);
	free(in->hint_cmds);
	free_strv(in->relevant, in->nrelevant);
	free_strv(in->decoys, in->ndecoys);
	free_strv(in->works, in->nworks);
	for (i = 0; i < in->nnear; i++) {
		free(in->near[i].id);
		free(in->near[i].why);
	}
	free(in->near);
	for (i = 0; i < in->nslo; i++)
		game_slo_free(&in->slo[i]);
	free(in->slo);
	for (i = 0; i < in->nharm; i++) {
		free(in->harm[i].match);
		free(in->harm[i].why);
	}
	free(in->harm);
	for (i = 0; i < 3; i++)
		free(in->hints[i]);
	debrief_def_free(&in->db);
	for (i = 0; i < g->nlrule; i++) {
		game_slo_free(&g->lrule[i].cond);
		free(g->lrule[i].line);
	}
	free(g->lrule);
	memset(g, 0, sizeof *g);
}

int
game_slo_parse(struct slo *s, const char *expr, char **cause)
{
	char	*copy, *op, *end;

	memset(s, 0, sizeof *s);
	copy = xstrdup(expr);
	if ((op = strpbrk(copy, "<>")) == NULL) {
		*cause = xasprintf("condition needs < or >: %s", expr);
		free(copy);
		return (-1);
	}
	s->op = *op;
	*op = '\0';
	if (selector_parse(&s->sel, copy, cause) != 0) {
		free(copy);
		return (-1);
	}
	s->value = strtod(op + 1, &end);
	while (*end == ' ')
		end++;
	if (end == op + 1 || *end != '\0') {
		*cause = xasprintf("bad threshold in condition: %s", expr);
		free(copy);
		return (-1);
	}
	free(copy);
	s->expr = xstrdup(expr);
	return (0);
}

/* Worst matching value, and whether every matched series holds. */
static int
slo_holds(const struct game *g, const struct slo *s, double *worst)
{
	int	i, ok = 1;
	double	v;

	*worst = NAN;
	for (i = 0; i < s->nids; i++) {
		v = g->m.v[s->ids[i]].value;
		if (!isfinite(*worst) || (s->op == '<' ? v > *worst :
		    v < *worst))
			*worst = v;
		if (s->op == '<' ? !(v < s->value) : !(v > s->value))
			ok = 0;
	}
	return (ok);
}

int
game_slos_hold(const struct game *g)
{
	double	worst;
	int	i;

	for (i = 0; i < g->inc.nslo; i++)
		if (!slo_holds(g, &g->inc.slo[i], &worst))
			return (0);
	return (1);
}

long
game_now_ms(const struct game *g)
{
	return ((g->tick - g->tick0) * TICK_MS);
}

/* Seconds since midnight on the incident's clock. */
long
game_time_of_day(const struct game *g)
{
	long long s = (long long)g->inc.start_epoch + game_now_ms(g) / 1000;

	return ((long)(((s % 86400) + 86400) % 86400));
}

/* Daily windows, "HH:MM-HH:MM", in seconds of the day; lo == hi means
 * always and lo > hi wraps past midnight. */
int
clock_in_window(long sod, int lo, int hi)
{
	sod %= 86400;
	if (sod < 0)
		sod += 86400;
	if (lo == hi)
		return (1);
	if (lo < hi)
		return (sod >= lo && sod < hi);
	return (sod >= lo || sod < hi);	/* 22:00-04:00 */
}

static int
hhmm(const char *s, const char **end)
{
	char	*e;
	long	 h, m;

	h = strtol(s, &e, 10);
	if (e == s || *e != ':' || h < 0 || h > 24)
		return (-1);
	s = e + 1;
	m = strtol(s, &e, 10);
	if (e - s != 2 || m < 0 || m > 59 || h * 60 + m > 1440)
		return (-1);
	*end = e;
	return ((int)(h * 3600 + m * 60));
}

int
clock_parse_window(const char *s, int *lo, int *hi)
{
	const char	*p;
	int		 a, b;

	if ((a = hhmm(s, &p)) < 0 || *p != '-')
		return (-1);
	if ((b = hhmm(p + 1, &p)) < 0 || *p != '\0' || a == b)
		return (-1);
	*lo = a % 86400;
	*hi = b % 86400;
	return (0);
}

struct event *
game_event(struct game *g, enum ev_kind kind, const char *actor,
    const char *text, const char *detail, int arg, double val)
{
	return (timeline_add(&g->tl, game_now_ms(g), kind, actor, text,
	    detail, arg, val));
}

void
game_log(struct game *g, const char *src, const char *level,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	simlog_add(&g->log, game_now_ms(g), src, level, text);
	free(text);
}

const char *
phase_name(enum phase p)
{
	return (phase_names[p]);
}

long
game_phase_ms(const struct game *g, enum phase p)
{
	long	t0 = g->ph.t0 >= 0 ? g->ph.t0 : 0;

	if (g->ph.done[p] < 0)
		return (-1);
	return (g->ph.done[p] > t0 ? g->ph.done[p] - t0 : 0);
}

long
game_phase_target_ms(const struct game *g, enum phase p)
{
	return ((long)(phase_targets_ms[p] * g->inc.sev_scale));
}

void
game_phase(struct game *g, enum phase p)
{
	char	text[96];
	long	at;

	if (g->ph.done[p] >= 0 || g->over)
		return;
	at = game_now_ms(g);
	if (p == PH_MITIGATE && g->ph.hold_start >= 0)
		at = g->ph.hold_start;
	if (p == PH_FIX && g->ph.fix_met >= 0)
		at = g->ph.fix_met;
	g->ph.done[p] = at;
	snprintf(text, sizeof text, "%s reached", phase_names[p]);
	game_event(g, EV_PHASE, "system", text, NULL, p, (double)at);
}

void
game_end(struct game *g, const char *outcome)
{
	if (g->over)
		return;
	g->over = 1;
	strlcpy_fd(g->outcome, outcome, sizeof g->outcome);
	if (g->inc.db.bad_param != NULL) {
		double	bad;
		char	*cause = NULL;

		if (world_get(&g->w, g->inc.db.bad_param, &bad, &cause) == 0)
			game_event(g, EV_DAMAGE, "system", g->inc.db.bad_what !=
			    NULL ? g->inc.db.bad_what : "bad records", NULL, 0,
			    bad);
		free(cause);
	}
	game_event(g, EV_END, "system", outcome, NULL,
	    g->w.failed_requests < INT_MAX ? (int)g->w.failed_requests :
	    INT_MAX, g->w.budget_burned_pct);
}

/* ---- log rules: {rand:A-B} {pick:a|b} {value} {metric:sel} ---- */

static void
expand(struct game *g, const char *tmpl, double value, struct buf *b)
{
	const char	*p, *end;
	char		 tok[256];
	size_t		 n;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL ||
		    (n = (size_t)(end - p - 1)) >= sizeof tok) {
			buf_putc(b, *p);
			continue;
		}
		memcpy(tok, p + 1, n);
		tok[n] = '\0';
		if (strncmp(tok, "rand:", 5) == 0) {
			long lo = 0, hi = 0;

			if (sscanf(tok + 5, "%ld-%ld", &lo, &hi) == 2 &&
			    lo <= hi)
				buf_printf(b, "%lld", (long long)rng_range(
				    &g->cos, lo, hi));
		} else if (strncmp(tok, "pick:", 5) == 0) {
			const char	*opt = tok + 5, *bar;
			int		 count = 1, k, i;

			for (bar = opt; *bar != '\0'; bar++)
				count += *bar == '|';
			k = (int)rng_range(&g->cos, 0, count - 1);
			for (i = 0; i < k; i++)
				opt = strchr(opt, '|') + 1;
			bar = strchr(opt, '|');
			buf_add(b, opt, bar != NULL ? (size_t)(bar - opt) :
			    strlen(opt));
		} else if (strcmp(tok, "value") == 0)
			buf_printf(b, "%.0f", value);
		else if (strncmp(tok, "metric:", 7) == 0) {
			int id = metrics_find(&g->m, tok + 7);

			buf_printf(b, "%.0f", id >= 0 ? g->m.v[id].value : 0);
		} else {
			buf_putc(b, '{');
			continue;
		}
		p = end;
	}
}

static void
run_log_rules(struct game *g, long now_s)
{
	struct buf	b;
	double		worst;
	int		i;

	buf_init(&b);
	for (i = 0; i < g->nlrule; i++) {
		struct log_rule *r = &g->lrule[i];

		if (now_s - r->last_s < r->every_s)
			continue;
		worst = 0;
		if (!r->always) {
			/* The rule speaks while its condition is true. */
			if (r->cond.nids == 0)
				continue;
			if (slo_holds(g, &r->cond, &worst) == 0) {
				int k, any = 0;

				for (k = 0; k < r->cond.nids; k++) {
					double v = g->m.v[r->cond.ids[k]].value;

					if (r->cond.op == '>' ?
					    v > r->cond.value :
					    v < r->cond.value)
						any = 1;
				}
				if (!any)
					continue;
			}
		}
		r->last_s = now_s;
		buf_clear(&b);
		expand(g, r->line, worst, &b);
		simlog_add(&g->log, game_now_ms(g), r->src, r->level,
		    buf_str(&b));
	}
	buf_fini(&b);
}

static void
bind_slo(struct game *g, struct slo *s)
{
	free(s->ids);
	s->nids = selector_resolve(&s->sel, &g->m, &s->ids);
}

void
game_rebind(struct game *g)
{
	int	i;

	for (i = 0; i < g->inc.nslo; i++)
		bind_slo(g, &g->inc.slo[i]);
	for (i = 0; i < g->nlrule; i++)
		if (!g->lrule[i].always)
			bind_slo(g, &g->lrule[i].cond);
	alerts_bind(&g->alerts, &g->m);
}

int
game_start(struct game *g, char **cause)
{
	long	i, n;

	for (i = 0; i < g->inc.nslo; i++) {
		bind_slo(g, &g->inc.slo[i]);
		if (g->inc.slo[i].nids == 0) {
			*cause = xasprintf("SLO '%s' matches no metric",
			    g->inc.slo[i].expr);
			return (-1);
		}
	}
	for (i = 0; i < g->nlrule; i++) {
		if (g->lrule[i].always)
			continue;
		bind_slo(g, &g->lrule[i].cond);
		if (g->lrule[i].cond.nids == 0) {
			*cause = xasprintf("log rule condition '%s' matches"
			    " no metric", g->lrule[i].cond.expr);
			return (-1);
		}
	}
	/* A platform's alert over a component this world lacks is inert;
	 * a name the model never publishes is a typo. */
	alerts_bind(&g->alerts, &g->m);
	for (i = 0; i < g->alerts.n; i++) {
		if (g->alerts.v[i].nids == 0 &&
		    !world_metric_family(g->alerts.v[i].sel.name)) {
			*cause = xasprintf("alert %s: '%s' matches no metric",
			    g->alerts.v[i].id, g->alerts.v[i].expr);
			return (-1);
		}
	}
	/* Warm up to the steady state; its end is the baseline. */
	n = (long)g->inc.warmup_s * TICKS_PER_S;
	for (i = 0; i < n; i++) {
		lifecycle_step(g);
		model_step(g);
		if (g->tick % TICKS_PER_S == 0)
			metrics_sample(&g->m);
		g->tick++;
	}
	metrics_mark_baseline(&g->m);
	/* The warm-up is the platform's past, not the player's impact. */
	g->w.budget_burned_pct = 0;
	g->w.impact_min = 0;
	g->tick0 = g->tick;
	g->started = 1;
	game_event(g, EV_START, "system", g->inc.id != NULL ? g->inc.id : "",
	    NULL, 0, 0);
	return (0);
}

int
game_alert_relevant(const struct game *g, const char *id)
{
	int	i;

	for (i = 0; i < g->inc.nrelevant; i++)
		if (strcmp(g->inc.relevant[i], id) == 0)
			return (1);
	return (0);
}

static void
eval_alerts(struct game *g, long now)
{
	char	text[256];
	int	i;

	for (i = 0; i < g->alerts.n; i++) {
		struct alert_rule *r = &g->alerts.v[i];

		switch (alerts_eval(&g->alerts, i, &g->m, now)) {
		case AC_FIRED:
			snprintf(text, sizeof text, "%s %s: %s (%s = %.4g)",
			    r->id, alert_sev_name(r->sev), r->summary,
			    r->worst, r->worst_value);
			game_event(g, EV_ALERT_FIRED, "alertmanager", text,
			    r->id, game_alert_relevant(g, r->id), r->worst_value);
			if (game_alert_relevant(g, r->id) && g->ph.first_alert < 0)
				g->ph.first_alert = now;
			break;
		case AC_RESOLVED:
			snprintf(text, sizeof text, "%s resolved", r->id);
			game_event(g, EV_ALERT_RESOLVED, "alertmanager", text,
			    r->id, game_alert_relevant(g, r->id), 0);
			break;
		case AC_NONE:
			break;
		}
	}
}

static int
check(struct game *g, enum check c)
{
	if (g->hooks.check_cb == NULL)
		return (-1);
	return (g->hooks.check_cb(g->hooks.ctx, g, c));
}

static void
track_phases(struct game *g, long now)
{
	struct phases	*ph = &g->ph;
	int		 holds = game_slos_hold(g), verdict;

	if (ph->t0 < 0 && (!holds || ph->first_alert >= 0)) {
		ph->t0 = now;
		game_event(g, EV_IMPACT, "system", holds ? "first page" :
		    "SLO breached", NULL, 0, 0);
	}
	if (ph->t0 < 0)
		return;

	if (ph->done[PH_MITIGATE] < 0) {
		if (holds && check(g, CHECK_MITIGATED) == 1) {
			if (ph->hold_start < 0)
				ph->hold_start = now;
			if (now - ph->hold_start >= (long)g->inc.hold_s * 1000)
				game_phase(g, PH_MITIGATE);
		} else
			ph->hold_start = -1;
	}

	if (ph->done[PH_FIX] < 0 && ph->done[PH_MITIGATE] >= 0) {
		if (ph->probe == 0) {
			if (check(g, CHECK_FIXED) != 1) {
				ph->fix_met = -1;
			} else {
				if (ph->fix_met < 0)
					ph->fix_met = now;
				if (!g->inc.has_probe)
					game_phase(g, PH_FIX);
				else if (now - ph->fix_met >=
				    (long)g->inc.probe_after_s * 1000) {
					ph->probe = 1;
					ph->probe_at = now;
					ph->probe_bad = -1;
					game_event(g, EV_PROBE, "system",
					    "probe: re-injecting the trigger",
					    NULL, 0, 0);
					if (g->hooks.probe_cb != NULL)
						g->hooks.probe_cb(g->hooks.ctx,
						    g, 1);
				}
			}
		} else if (ph->probe == 1) {
			if (!holds)
				ph->probe_bad = now;
			if (now - ph->probe_at >=
			    (long)g->inc.probe_duration_s * 1000) {
				verdict = check(g, CHECK_PROBE_PASSED);
				if (verdict == -1)
					/* The SLOs must be holding again. */
					verdict = ph->probe_bad < 0 ||
					    now - ph->probe_bad >= 30000;
				if (g->hooks.probe_cb != NULL)
					g->hooks.probe_cb(g->hooks.ctx, g, 0);
				ph->probe = 0;
				if (verdict) {
					game_event(g, EV_PROBE, "system",
					    "probe passed: the fix held", NULL,
					    1, 0);
					game_phase(g, PH_FIX);
				} else {
					game_event(g, EV_PROBE, "system",
					    "probe failed: FIX reopened", NULL,
					    2, 0);
					ph->fix_met = -1;
				}
			}
		}
	}

	if (ph->done[PH_DETECT] >= 0 && ph->done[PH_TRIAGE] >= 0 &&
	    ph->done[PH_MITIGATE] >= 0 && ph->done[PH_FIX] >= 0) {
		game_end(g, "won");
		return;
	}
	if (g->w.budget_burned_pct >= g->inc.lose_budget_pct) {
		game_event(g, EV_INFO, "system", "the error budget is spent",
		    NULL, 0, g->w.budget_burned_pct);
		game_end(g, "lost");
		return;
	}
	if (ph->done[PH_MITIGATE] < 0 && g->inc.lose_unmitigated_s > 0 &&
	    now - ph->t0 >= (long)g->inc.lose_unmitigated_s * 1000) {
		game_event(g, EV_INFO, "system", "time limit passed without"
		    " mitigation", NULL, 0, 0);
		game_end(g, "lost");
	}
}

void
game_step(struct game *g)
{
	long	now;

	if (g->over && !g->play_on)
		return;
	if (g->hooks.tick_cb != NULL)
		g->hooks.tick_cb(g->hooks.ctx, g);
	lifecycle_step(g);
	model_step(g);
	g->tick++;
	if (g->tick % TICKS_PER_S != 0)
		return;
	now = game_now_ms(g);
	metrics_sample(&g->m);
	eval_alerts(g, now);
	run_log_rules(g, now / 1000);
	if (!g->over)
		track_phases(g, now);
}

/* ---- the state hash ---- */

uint64_t
game_state_hash(const struct game *g)
{
	uint64_t	h = FNV_OFFSET;
	int		i;

	fnv_add(&h, &g->tick, sizeof g->tick);
	for (i = 0; i < g->m.n; i++)
		fnv_add(&h, &g->m.v[i].value, sizeof g->m.v[i].value);
	for (i = 0; i < g->w.nsvc; i++) {
		fnv_add(&h, &g->w.svc[i].instances, sizeof (double));
		fnv_add_str(&h, g->w.svc[i].version);
	}
	for (i = 0; i < g->w.nflag; i++)
		fnv_add(&h, &g->w.flag[i].on, sizeof (int));
	/* The timeline's and the log's running hashes stand for all of them. */
	fnv_add(&h, &g->tl.hash, sizeof g->tl.hash);
	fnv_add(&h, &g->log.hash, sizeof g->log.hash);
	return (h);
}
