/*
 * Game bookkeeping verbs: ack, declare, diagnose, status, hint, note,
 * page.  They write the timeline events that phases and scoring read.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static void
ack_one(struct cmd_ctx *c, struct alert_rule *r)
{
	int	rel = game_alert_relevant(c->g, r->id) && !r->noise;

	r->acked = 1;
	r->acked_at = game_now_ms(c->g);
	game_event(c->g, EV_ALERT_ACKED, c->actor, r->id, NULL, rel, 0);
	buf_printf(c->out, "acknowledged %s: %s\n", r->id, r->summary);
	if (rel)
		game_phase(c->g, PH_DETECT);
}

int
cmd_ack_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct alerts	*a = &c->g->alerts;
	int		 i, n = 0;

	if (argc != 2)
		return (cmd_error(c, "usage: ack ALERT_ID|all"));
	if (strcmp(argv[1], "all") == 0) {
		for (i = 0; i < a->n; i++)
			if (a->v[i].state == AL_FIRING && !a->v[i].acked &&
			    !a->v[i].muted) {
				ack_one(c, &a->v[i]);
				n++;
			}
		if (n == 0)
			return (cmd_error(c, "ack: nothing is firing"));
		return (0);
	}
	for (i = 0; i < a->n; i++)
		if (strcasecmp(a->v[i].id, argv[1]) == 0)
			break;
	if (i == a->n)
		return (cmd_error(c, "ack: no alert '%.40s' (show alerts)",
		    argv[1]));
	if (a->v[i].state != AL_FIRING || a->v[i].muted)
		return (cmd_error(c, "ack: %s is not firing", a->v[i].id));
	if (a->v[i].acked)
		return (cmd_error(c, "ack: %s is already acknowledged",
		    a->v[i].id));
	ack_one(c, &a->v[i]);
	return (0);
}

int
cmd_declare_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game	*g = c->g;
	const char	*scope = "";
	int		 i, early, any_fired = 0;

	if (argc < 2 || (strncasecmp(argv[1], "SEV", 3) != 0 &&
	    toupper((unsigned char)argv[1][0]) != 'P') ||
	    argv[1][strlen(argv[1]) - 1] < '1' ||
	    argv[1][strlen(argv[1]) - 1] > '4')
		return (cmd_error(c, "usage: declare SEV1..SEV4 [--scope"
		    " \"routes/users/segment\"]"));
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
			scope = argv[++i];
		else
			return (cmd_error(c, "declare: unexpected '%.30s'",
			    argv[i]));
	}
	for (i = 0; i < g->alerts.n; i++)
		if (g->alerts.v[i].fired_count > 0 && !g->alerts.v[i].noise)
			any_fired = 1;
	early = !any_fired && g->ph.t0 >= 0;
	game_event(g, EV_DECLARE, c->actor, argv[1], scope, early, 0);
	buf_printf(c->out, "incident declared %s%s%s\n", argv[1],
	    *scope ? ", scope: " : "", scope);
	if (early) {
		g->ph.declared_early = 1;
		game_phase(g, PH_DETECT);
		buf_puts(c->out, "proactive detection: declared before any"
		    " page\n");
	}
	return (0);
}

int
cmd_diagnose_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game	*g = c->g;
	const char	*id;
	int		 i;

	if (argc != 2)
		return (cmd_error(c, "usage: diagnose ROOT_CAUSE_ID (Tab"
		    " lists the menu)"));
	id = argv[1];
	for (const char *p = id; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p)
		    && *p != '-' && *p != ':')
			return (cmd_error(c, "diagnose: a root-cause id is"
			    " lower-case words joined by dashes (Tab lists"
			    " them)"));
	if (g->ph.done[PH_TRIAGE] >= 0)
		return (cmd_error(c, "diagnose: TRIAGE is already done (%s)",
		    g->inc.root_cause));
	if (strcmp(id, g->inc.root_cause) == 0) {
		game_event(g, EV_DIAGNOSIS, c->actor, id, NULL, DIAG_CORRECT,
		    0);
		game_phase(g, PH_TRIAGE);
		buf_printf(c->out, "correct: %s — TRIAGE done\n", id);
		return (0);
	}
	for (i = 0; i < g->inc.nnear; i++) {
		if (strcmp(id, g->inc.near[i].id) == 0) {
			g->ph.wrong_diag++;
			game_event(g, EV_DIAGNOSIS, c->actor, id,
			    g->inc.near[i].why, DIAG_NEAR_MISS, 0);
			buf_printf(c->out, "close, but no: %s\n",
			    g->inc.near[i].why);
			return (0);
		}
	}
	g->ph.wrong_diag++;
	game_event(g, EV_DIAGNOSIS, c->actor, id, NULL, DIAG_WRONG, 0);
	buf_printf(c->out, "not the root cause: %s (−20); keep gathering"
	    " evidence\n", id);
	return (0);
}

int
cmd_status_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game	*g = c->g;
	char		 a[32], b[32];
	long		 now = game_now_ms(g), t;
	int		 p, i;

	(void)argc;
	(void)argv;
	duration_clock(now, a, sizeof a);
	buf_printf(c->out, "%s · %s · sim %s (%s)\n", g->inc.id, g->inc.title,
	    a, cmd_fmt_clock(g, now, b, sizeof b));
	for (p = 0; p < PH_COUNT; p++) {
		t = game_phase_ms(g, p);
		duration_clock(game_phase_target_ms(g, p), b, sizeof b);
		if (t >= 0) {
			duration_clock(t, a, sizeof a);
			buf_printf(c->out, "  %-9s done %s / %s%s\n",
			    phase_name(p), a, b, t <= game_phase_target_ms(g,
			    p) ? "" : " (late)");
		} else if (g->ph.t0 >= 0) {
			duration_clock(now - g->ph.t0, a, sizeof a);
			buf_printf(c->out, "  %-9s running %s / %s\n",
			    phase_name(p), a, b);
		} else
			buf_printf(c->out, "  %-9s waiting / %s\n",
			    phase_name(p), b);
	}
	if (g->ph.probe == 1)
		buf_puts(c->out, "  probe running: the trigger is back\n");
	buf_printf(c->out, "  SLOs %s · error budget burned %.2f%% · user"
	    " impact %.2f min\n", game_slos_hold(g) ? "holding" : "BREACHED",
	    g->w.budget_burned_pct, g->w.impact_min);
	for (i = 0; i < g->w.nact; i++) {
		duration_clock((g->w.act[i].due - g->tick) * TICK_MS, a,
		    sizeof a);
		if (g->w.act[i].label[0] != '\0')
			buf_printf(c->out, "  in progress: %s (%s left)\n",
			    g->w.act[i].label, a);
	}
	for (i = 0; i < g->w.nsvc; i++) {
		const struct svc *s = &g->w.svc[i];

		if (s->roll == ROLL_BUILD)
			buf_printf(c->out, "  in progress: building %s %s\n",
			    s->name, s->to_version);
		else if (s->roll != ROLL_NONE)
			buf_printf(c->out, "  in progress: %s %s %s %.0f%%\n",
			    s->roll == ROLL_ROLLBACK ? "rollback of" :
			    "rollout of", s->name, s->to_version,
			    100 * s->to_frac);
		if (s->booting > 0)
			buf_printf(c->out, "  in progress: %s +%g pods"
			    " booting\n", s->name, s->booting);
	}
	return (0);
}

int
cmd_hint_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct game	*g = c->g;
	static const int cost[] = { 10, 25, 60 };
	int		 tier = g->ph.hint_tier + 1;

	(void)argc;
	(void)argv;
	if (tier > 3)
		return (cmd_error(c, "hint: no more hints (all three taken)"));
	if (g->inc.hints[tier - 1] == NULL)
		return (cmd_error(c, "hint: this incident has no tier %d hint",
		    tier));
	g->ph.hint_tier = tier;
	game_event(g, EV_HINT, c->actor, g->inc.hints[tier - 1], NULL, tier,
	    cost[tier - 1]);
	buf_printf(c->out, "hint %d/3 (−%d): %s\n", tier, cost[tier - 1],
	    g->inc.hints[tier - 1]);
	return (0);
}

static int
join_text(struct cmd_ctx *c, int argc, char **argv, int from,
    enum ev_kind kind, const char *what)
{
	struct buf	b;
	int		i;

	if (argc <= from)
		return (cmd_error(c, "usage: %s", what));
	buf_init(&b);
	for (i = from; i < argc; i++)
		buf_printf(&b, "%s%s", i > from ? " " : "", argv[i]);
	game_event(c->g, kind, c->actor, buf_str(&b),
	    kind == EV_NOTE && from == 2 ? argv[1] : NULL, 0, 0);
	buf_fini(&b);
	return (0);
}

int
cmd_note_exec(struct cmd_ctx *c, int argc, char **argv)
{
	if (join_text(c, argc, argv, 1, EV_NOTE, "note TEXT") != 0)
		return (-1);
	buf_puts(c->out, "noted\n");
	return (0);
}

int
cmd_page_exec(struct cmd_ctx *c, int argc, char **argv)
{
	if (argc < 3)
		return (cmd_error(c, "usage: page TEAM \"message\""));
	if (join_text(c, argc, argv, 2, EV_NOTE, "page TEAM message") != 0)
		return (-1);
	buf_printf(c->out, "paged %s; expect an answer in a few minutes\n",
	    argv[1]);
	cmd_page_tenant(c, argv[1]);
	return (0);
}

int
cmd_abandon_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return (cmd_error(c, "usage: abandon"));
	/* The event goes first so the timeline says who ended it. */
	game_event(c->g, EV_INFO, c->actor, "incident abandoned", NULL, 0, 0);
	game_end(c->g, "abandoned");
	buf_puts(c->out, "incident abandoned\n");
	return (0);
}
