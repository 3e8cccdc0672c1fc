/*
 * Things that take time: delayed actions, deploys and rollbacks (rolling
 * or canary with automatic rollback), restarts, scaling with boot times and
 * the autoscaler.  Each advances once per tick from game_step.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "util/xmalloc.h"

void
game_schedule(struct game *g, enum act_kind kind, long delay_ms,
    const char *label, const char *path, double value, int a, int b)
{
	struct world	*w = &g->w;
	struct action	*ac;

	w->act = xreallocarray(w->act, w->nact + 1, sizeof *w->act);
	ac = &w->act[w->nact++];
	memset(ac, 0, sizeof *ac);
	ac->started = g->tick;
	ac->due = g->tick + (delay_ms + TICK_MS - 1) / TICK_MS;
	ac->kind = kind;
	ac->label = xstrdup(label != NULL ? label : "");
	ac->path = path != NULL ? xstrdup(path) : NULL;
	ac->value = value;
	ac->a = a;
	ac->b = b;
}

static void
apply(struct game *g, struct action *ac)
{
	struct world	*w = &g->w;
	char		*cause = NULL;

	switch ((enum act_kind)ac->kind) {
	case ACT_SET:
		if (world_set(w, ac->path, ac->value, &cause) != 0) {
			game_event(g, EV_INFO, "system", cause, NULL, 0, 0);
			free(cause);
			return;
		}
		break;
	case ACT_FLAG:
		w->flag[ac->a].on = ac->b;
		if (g->hooks.flag_cb != NULL)
			g->hooks.flag_cb(g->hooks.ctx, g, ac->a);
		break;
	case ACT_SCALE:
		model_scale(g, ac->a, ac->value);
		break;
	case ACT_RESTART:
		model_restart(g, ac->a, ac->b);
		break;
	case ACT_ROLLBACK:
		model_rollback(g, ac->a);
		break;
	case ACT_DEPLOY:
		w->svc[ac->a].roll = ROLL_BUILD;
		w->svc[ac->a].roll_patch = ac->b;
		strlcpy_fd(w->svc[ac->a].to_version, w->patch[ac->b].version,
		    sizeof w->svc[ac->a].to_version);
		w->svc[ac->a].to_frac = 0;
		w->svc[ac->a].roll_until = g->tick +
		    (long)(w->patch[ac->b].build_s * TICKS_PER_S);
		game_log(g, "ci", "INFO", "building %s %s (%s)",
		    w->svc[ac->a].name, w->patch[ac->b].version,
		    w->patch[ac->b].name);
		break;
	case ACT_RESTART_DB:
		model_restart_db(g, ac->a);
		break;
	case ACT_BREAKER_PIN:
		w->edge[ac->a].br.pin = (enum breaker_pin)ac->b;
		break;
	}
	if (ac->label[0] != '\0')
		game_event(g, EV_ACTION_DONE, "system", ac->label, NULL, 0, 0);
}

static void
step_actions(struct game *g)
{
	struct world	*w = &g->w;
	int		 i = 0;

	while (i < w->nact) {
		struct action ac = w->act[i];

		if (ac.due > g->tick) {
			i++;
			continue;
		}
		/* Remove first: apply() may schedule more. */
		memmove(&w->act[i], &w->act[i + 1],
		    (w->nact - i - 1) * sizeof *w->act);
		w->nact--;
		apply(g, &ac);
		free(ac.label);
		free(ac.path);
		free(ac.str);
	}
}

void
model_deploy(struct game *g, int svc, const char *version, double rollout_s,
    int patch)
{
	struct svc	*s = &g->w.svc[svc];

	strlcpy_fd(s->to_version, version, sizeof s->to_version);
	s->to_frac = 0;
	s->roll = ROLL_DEPLOY;
	s->roll_patch = patch;
	s->roll_rate = 1 / fmax(1, rollout_s * TICKS_PER_S);
	s->roll_stage = 0;
	s->roll_bad_since = -1;
	s->roll_until = g->tick;
	{
		char	*t = xasprintf("deploy %s %s (%s)", s->name, version,
			    s->canary.on ? "canary" : "rolling");

		world_add_change(&g->w, game_now_ms(g), patch >= 0 ?
		    "deploy-bot" : "ci", s->name, t);
		free(t);
	}
	game_log(g, "deploy", "INFO", "%s %s rollout started (%s, %s)",
	    s->name, version, s->canary.on ? "canary" : "rolling",
	    s->canary.on ? "staged" : "all instances");
}

void
model_rollback(struct game *g, int svc)
{
	struct svc	*s = &g->w.svc[svc];

	if (s->roll == ROLL_DEPLOY || s->roll == ROLL_BUILD) {
		/* Abort the rollout in flight: back to the running version. */
		s->roll = ROLL_ROLLBACK;
		s->roll_rate = 1 / (90.0 * TICKS_PER_S);
		game_log(g, "deploy", "INFO", "%s rollback: reverting %s to %s",
		    s->name, s->to_version, s->version);
		return;
	}
	if (s->prev_version[0] == '\0')
		return;
	/* Roll forward to the previous version, as a deploy of it. */
	model_deploy(g, svc, s->prev_version, 90, -1);
	s->roll = ROLL_DEPLOY;
}

void
model_restart(struct game *g, int svc, int rolling)
{
	struct svc	*s = &g->w.svc[svc];
	int		 i, c;

	if (rolling) {
		s->down = fmin(1, s->instances);
		s->down_until = g->tick + (long)(s->startup_s * TICKS_PER_S *
		    fmax(1, s->instances));
	} else {
		/* Everything in flight is lost. */
		for (c = 0; c < s->nclass; c++) {
			struct svc_class *cl = &g->w.cls[s->first_class + c];

			cl->err_win[g->tick % TICKS_PER_S] +=
			    s->threads.busy_c[c] + s->threads.q_c[c];
		}
		pool_reset(&s->threads);
		for (i = 0; i < s->npools; i++)
			pool_reset(&s->pools[i].pool);
		s->down = s->instances;
		s->down_until = g->tick + (long)(s->startup_s * TICKS_PER_S);
	}
	s->restarts += s->instances;
	/* New pods land on healthy nodes: host-level faults go away. */
	s->loss_pct = 0;
	game_log(g, "k8s", "INFO", "%s: %s restart of %g pods", s->name,
	    rolling ? "rolling" : "full", s->instances);
}

void
model_restart_db(struct game *g, int node)
{
	struct world	*w = &g->w;
	int		 i, j;

	w->db[node].down_until = g->tick + 60 * TICKS_PER_S;
	for (i = 0; i < w->nsvc; i++)
		for (j = 0; j < w->svc[i].npools; j++)
			if (w->svc[i].pools[j].node == node)
				pool_reset(&w->svc[i].pools[j].pool);
	game_log(g, w->db[node].name, "LOG", "received fast shutdown request;"
	    " database system is shut down");
}

void
model_scale(struct game *g, int svc, double n)
{
	struct svc	*s = &g->w.svc[svc];
	double		 have = s->instances + s->booting;

	if (n < have) {
		s->instances = fmin(s->instances, n);
		s->booting = fmax(0, n - s->instances);
		game_log(g, "k8s", "INFO", "%s scaled down to %g pods",
		    s->name, n);
		return;
	}
	if (n == have)
		return;
	s->booting += n - have;
	s->boot_ready = g->tick + (long)(s->boot_s * TICKS_PER_S);
	game_log(g, "k8s", "INFO", "%s scaling to %g pods (+%g starting,"
	    " ready in %.0f s)", s->name, n, n - have, s->boot_s);
}

static void
finish_rollout(struct game *g, struct svc *s)
{
	int	patch = s->roll_patch;

	strlcpy_fd(s->prev_version, s->version, sizeof s->prev_version);
	strlcpy_fd(s->version, s->to_version, sizeof s->version);
	s->to_frac = 0;
	s->roll = ROLL_NONE;
	s->roll_patch = -1;
	game_log(g, "deploy", "INFO", "%s %s rollout complete", s->name,
	    s->version);
	{
		char	*t = xasprintf("%s %s rollout complete", s->name,
			    s->version);

		game_event(g, EV_DEPLOY, "system", t, NULL, 1, 0);
		free(t);
	}
	if (patch >= 0) {
		g->w.patch[patch].shipped = 1;
		if (g->hooks.patch_cb != NULL)
			g->hooks.patch_cb(g->hooks.ctx, g, patch);
	}
}

static double
stage_frac(const struct svc *s, int stage)
{
	double	f = s->canary.stages[stage];

	if (f < 0)	/* one server */
		return (s->instances > 0 ? 1 / s->instances : 1);
	return (f);
}

static void
step_rollout(struct game *g, struct svc *s)
{
	switch (s->roll) {
	case ROLL_NONE:
		return;
	case ROLL_BUILD:
		if (g->tick < s->roll_until)
			return;
		model_deploy(g, s->ix, s->to_version, s->roll_patch >= 0 ?
		    g->w.patch[s->roll_patch].rollout_s : 60, s->roll_patch);
		return;
	case ROLL_ROLLBACK:
		s->to_frac -= s->roll_rate;
		if (s->to_frac <= 0) {
			s->to_frac = 0;
			s->roll = ROLL_NONE;
			game_log(g, "deploy", "INFO", "%s rollback complete: %s",
			    s->name, s->version);
			char	*t = xasprintf("%s rolled back to %s", s->name,
				    s->version);

			game_event(g, EV_DEPLOY, "system", t, NULL, 2, 0);
			free(t);
		}
		return;
	case ROLL_DEPLOY:
		break;
	}
	if (!s->canary.on || s->canary.nstages == 0) {
		s->to_frac += s->roll_rate;
		if (s->to_frac >= 1)
			finish_rollout(g, s);
		return;
	}
	/* Canary: hold each stage for its bake, watching the error rate. */
	if (s->roll_stage < s->canary.nstages) {
		double target = stage_frac(s, s->roll_stage);

		if (s->to_frac < target) {
			s->to_frac = fmin(target, s->to_frac + 0.05);
			if (s->to_frac >= target)
				s->roll_until = g->tick +
				    (long)(s->canary.bake_s * TICKS_PER_S);
			return;
		}
	}
	if (s->canary.rollback_err_pct > 0 &&
	    s->err_ratio > s->canary.rollback_err_pct) {
		if (s->roll_bad_since < 0)
			s->roll_bad_since = g->tick;
		else if (g->tick - s->roll_bad_since >= 30 * TICKS_PER_S) {
			game_log(g, "deploy", "WARN", "%s %s canary at %.0f%%:"
			    " error ratio %.2f%% > %.2f%%, automatic rollback",
			    s->name, s->to_version, 100 * s->to_frac,
			    s->err_ratio, s->canary.rollback_err_pct);
			char	*t = xasprintf("%s %s canary stopped: automatic"
				    " rollback (error ratio %.2f%%)", s->name,
				    s->to_version, s->err_ratio);

			game_event(g, EV_DEPLOY, "system", t, NULL, 3,
			    s->err_ratio);
			free(t);
			s->to_frac = 0;
			s->roll = ROLL_NONE;
			s->roll_patch = -1;
			return;
		}
	} else
		s->roll_bad_since = -1;
	if (g->tick < s->roll_until)
		return;
	if (++s->roll_stage >= s->canary.nstages) {
		finish_rollout(g, s);
		return;
	}
	game_log(g, "deploy", "INFO", "%s %s canary stage %d: %.0f%%",
	    s->name, s->to_version, s->roll_stage + 1,
	    100 * stage_frac(s, s->roll_stage));
}

static void
step_instances(struct game *g, struct svc *s)
{
	if (s->booting > 0 && g->tick >= s->boot_ready) {
		s->instances += s->booting;
		game_log(g, "k8s", "INFO", "%s: %g new pods ready (%g total)",
		    s->name, s->booting, s->instances);
		s->booting = 0;
	}
	if (s->down > 0 && g->tick >= s->down_until) {
		s->down = 0;
		game_log(g, "k8s", "INFO", "%s: pods ready after restart",
		    s->name);
	}
}

static void
step_hpa(struct game *g, struct svc *s)
{
	double	metric, desired;
	long	now = g->tick;

	if (!s->hpa_on || now % TICKS_PER_S != 0)
		return;
	/* Threads: demanded, not busy, so saturation shows its real size. */
	metric = s->hpa_metric == 1 ?
	    (s->threads.size > 0 ? 100 * s->threads_needed / s->threads.size :
	    0) : s->cpu.util_pct;
	if (metric <= s->hpa_target_pct) {
		s->hpa_above_since = -1;
		desired = fmax(s->hpa_min, ceil(s->instances * metric /
		    s->hpa_target_pct));
		if (metric < s->hpa_target_pct / 2 && desired < s->instances &&
		    s->booting == 0 && now - s->hpa_last >=
		    (long)(s->hpa_cooldown_s * TICKS_PER_S)) {
			s->hpa_last = now;
			game_log(g, "k8s", "INFO", "HorizontalPodAutoscaler %s:"
			    " New size: %g; reason: all metrics below target",
			    s->name, desired);
			model_scale(g, s->ix, desired);
		}
		return;
	}
	if (s->hpa_above_since < 0)
		s->hpa_above_since = now;
	if (now - s->hpa_above_since < 60 * TICKS_PER_S || s->booting > 0 ||
	    now - s->hpa_last < (long)(s->hpa_cooldown_s * TICKS_PER_S))
		return;
	desired = ceil(s->instances * metric / s->hpa_target_pct);
	desired = fmin(s->hpa_max > 0 ? s->hpa_max : desired, desired);
	desired = fmax(s->hpa_min, desired);
	if (desired <= s->instances)
		return;
	s->hpa_last = now;
	game_log(g, "k8s", "INFO", "HorizontalPodAutoscaler %s: New size: %g;"
	    " reason: %s above target", s->name, desired,
	    s->hpa_metric == 1 ? "thread utilization" : "cpu utilization");
	{
		char	*t = xasprintf("autoscaler: %s %g -> %g pods", s->name,
			    s->instances, desired);

		game_event(g, EV_INFO, "hpa", t, NULL, 0, desired);
		free(t);
	}
	model_scale(g, s->ix, desired);
}

void
lifecycle_step(struct game *g)
{
	int	i;

	step_actions(g);
	for (i = 0; i < g->w.nsvc; i++) {
		step_instances(g, &g->w.svc[i]);
		step_rollout(g, &g->w.svc[i]);
		step_hpa(g, &g->w.svc[i]);
	}
}
