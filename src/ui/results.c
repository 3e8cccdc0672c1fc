/*
 * What the results screen shows, built once from a finished session and
 * its score: the breakdown by phase, the post-mortem's parts and why,
 * penalties and bonuses, the five signals with their evidence, the
 * debrief and the timeline, plus the error-rate series the chart draws.
 * It reads the session; it never changes it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "score/score.h"
#include "session/session.h"
#include "ui/panel.h"
#include "ui/screens.h"
#include "util/xmalloc.h"

static void
add(struct results *r, enum role role, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct results *r, enum role role, int indent, const char *fmt, ...)
{
	va_list	ap;

	if (r->nlines >= RESULTS_MAX_LINES)
		return;
	va_start(ap, fmt);
	r->lines[r->nlines] = xvasprintf(fmt, ap);
	va_end(ap);
	r->line_role[r->nlines] = role;
	r->line_indent[r->nlines] = (unsigned char)indent;
	r->nlines++;
}

/* A command that changed something (not a look around). */
static int
is_action(const struct event *e)
{
	const struct cmd_entry	*ce;
	char			 verb[32], *cause = NULL;
	size_t			 n = strcspn(e->text, " ");

	if (e->kind != EV_COMMAND || n >= sizeof verb)
		return (0);
	memcpy(verb, e->text, n);
	verb[n] = '\0';
	ce = cmd_find(verb, &cause);
	free(cause);
	return (ce != NULL && (ce->flags & CMDF_MUTATES));
}

static void
build_series(struct results *r, const struct session *s)
{
	const struct game	*g = &s->g;
	long			 now_s = game_now_ms(g) / 1000, held, k;
	int			 id, i;

	id = metrics_find(&g->m, "slo_bad_fraction_pct");
	if (id >= 0) {
		held = g->m.v[id].nsamples;
		if (held > now_s + 1)
			held = now_s + 1;
		if (held > METRIC_HIST_S)
			held = METRIC_HIST_S;
		r->nerr = (int)held;
		r->err_first_s = now_s - held + 1;
		r->err = xcalloc(held > 0 ? (size_t)held : 1, sizeof *r->err);
		for (k = 0; k < held; k++)
			r->err[k] = metrics_history(&g->m, id, held - 1 - k);
	}
	for (i = 0; i < g->tl.n && r->nmark < RESULTS_MAX_MARK; i++) {
		const struct event	*e = &g->tl.v[i];
		struct results_mark	*m;

		if (e->kind == EV_PHASE && e->arg >= 0 && e->arg < 4) {
			m = &r->mark[r->nmark++];
			m->phase = 1;
			snprintf(m->label, sizeof m->label, "%s",
			    phase_name(e->arg));
		} else if (is_action(e)) {
			m = &r->mark[r->nmark++];
			m->phase = 0;
			snprintf(m->label, sizeof m->label, "%.*s",
			    (int)strcspn(e->text, " "), e->text);
		} else
			continue;
		m->t_s = e->t_ms / 1000;
	}
}

/* What the form's skipped steps add to a part's why. */
static const char *
skip_note(const struct pm_answers *pm, int part)
{
	static const char *const step[PMP__COUNT] = { "timeline",
	    "root_cause", "actions", "actions", "monitors" };
	int	i;

	for (i = 0; i < pm->n; i++)
		if (strcmp(pm->v[i].part, "skipped") == 0 && pm->v[i].key !=
		    NULL && strcmp(pm->v[i].key, step[part]) == 0)
			return (part == PMP_TIMELINE ? "; annotations"
			    " skipped: -20" : part == PMP_MONITORS ?
			    "skipped: -20" : "");
	return ("");
}

static void
add_signals(struct results *r, const struct score *sc, int utf8)
{
	int	i, k;
	char	stars[32];

	add(r, ROLE_TITLE, 0, "Interview signals (reported apart from the"
	    " score)");
	for (i = 0; i < SIG__COUNT; i++) {
		const struct signal_score *sg = &sc->sig[i];
		size_t n = 0;

		for (k = 0; k < 3; k++)
			n += (size_t)snprintf(stars + n, sizeof stars - n, "%s",
			    k < sg->stars ? (utf8 ? "★" : "*") :
			    (utf8 ? "☆" : "."));
		add(r, sg->stars == 3 ? ROLE_OK : sg->stars == 0 ?
		    ROLE_CRIT : ROLE_WARN, 2, "%-24s %s  %d/3",
		    signal_title((enum signal)i), stars, sg->stars);
		for (k = 0; k < 3; k++)
			add(r, sg->star[k].met ? ROLE_TEXT : ROLE_DIM, 6,
			    "%s %s", sg->star[k].met ? (utf8 ? "✓" : "+") :
			    (utf8 ? "✗" : "-"), sg->star[k].evidence);
	}
}

/*
 * DEBRIEF CALL SITE.  src/report/debrief.c (debrief_markdown) is not in
 * this tree yet: until it is, the debrief shows the incident's answer
 * card.  Once merged, build a struct debrief_in here (inc, tl, pm, sc,
 * the error series r->err, session_id = s->db_id, outcome, seed, sim_ms)
 * and add each line of debrief_markdown() with add().
 */
static void
add_debrief(struct results *r, const struct session *s,
    const struct score *sc)
{
	static const char *const parts[CARD__COUNT] = { "Symptom",
	    "Root cause", "Solution", "Prevention" };
	const struct debrief_def *db = &s->g.inc.db;
	int	i;

	(void)sc;
	add(r, ROLE_TITLE, 0, "Debrief: the answer card (Symptom → Root"
	    " cause → Solution → Prevention)");
	for (i = 0; i < CARD__COUNT; i++)
		if (db->card[i] != NULL)
			add(r, ROLE_TEXT, 2, "%s: %s", parts[i], db->card[i]);
}

static void
add_timeline(struct results *r, const struct session *s)
{
	char	t[16];
	int	i;

	add(r, ROLE_TITLE, 0, "Timeline");
	for (i = 0; i < s->g.tl.n; i++) {
		const struct event *e = &s->g.tl.v[i];
		enum role role;

		switch (e->kind) {
		case EV_ALERT_FIRED:
		case EV_FAULT:
			role = ROLE_CRIT;
			break;
		case EV_PHASE:
		case EV_END:
			role = ROLE_OK;
			break;
		case EV_COMMAND:
			role = e->arg != HARM_NONE ? ROLE_WARN : ROLE_ACCENT;
			break;
		case EV_NOTE:
			role = ROLE_INFO;
			break;
		default:
			role = ROLE_DIM;
			break;
		}
		fmt_clock_ms(e->t_ms, t, sizeof t);
		if (e->kind == EV_COMMAND && e->arg != HARM_NONE)
			add(r, role, 2, "%7s  %-14s %s  [%s]", t,
			    ev_kind_name(e->kind), e->text, harm_name(e->arg));
		else
			add(r, role, 2, "%7s  %-14s %s", t,
			    ev_kind_name(e->kind), e->text);
	}
}

void
results_fini(struct results *r)
{
	int	i;

	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->err);
	memset(r, 0, sizeof *r);
}

void
results_build(struct results *r, const struct session *s,
    const struct score *sc, int utf8)
{
	static const char *const pm_titles[PMP__COUNT] = { "Timeline",
	    "Root cause", "Action items", "Owners + deadlines",
	    "Monitoring" };
	char	a[16], b[16];
	int	p, i;

	results_fini(r);
	for (p = 0; p < 4; p++) {
		r->phase_ms[p] = sc->phase_ms[p];
		r->target_ms[p] = game_phase_target_ms(&s->g, p);
		r->points[p] = sc->phase_pts[p];
		r->max[p] = sc->phase_max[p];
	}
	r->total = sc->total;
	memcpy(r->grade, sc->grade, sizeof r->grade);
	r->harm = sc->harm_penalty;
	r->budget = sc->budget_penalty;
	r->hints = sc->hint_penalty;
	r->diag = sc->diag_penalty;
	r->bonus = sc->bonus;
	r->pm_total = sc->pm_total;
	build_series(r, s);

	fmt_clock_ms(sc->t0_ms, a, sizeof a);
	add(r, ROLE_TITLE, 0, "Phases  (times from the start of user impact,"
	    " %s)", sc->t0_ms >= 0 ? a : "never");
	add(r, ROLE_DIM, 2, "%-10s %8s %8s %7s", "PHASE", "TIME", "TARGET",
	    "POINTS");
	for (p = 0; p < 4; p++) {
		fmt_clock_ms(r->phase_ms[p], a, sizeof a);
		fmt_clock_ms(r->target_ms[p], b, sizeof b);
		add(r, r->phase_ms[p] < 0 ? ROLE_DIM : r->phase_ms[p] <=
		    r->target_ms[p] ? ROLE_OK : ROLE_WARN, 2,
		    "%-10s %8s %8s %3d/%d", phase_name(p), a, b, r->points[p],
		    r->max[p]);
	}
	add(r, ROLE_TEXT, 0, "%s", "");
	add(r, ROLE_TITLE, 0, "Post-mortem  %d/200%s", sc->pm_total,
	    s->pm.filled ? "" : "  (not filled in: press p)");
	for (i = 0; i < PMP__COUNT; i++) {
		const char *skip = skip_note(&s->pm, i);

		/* A skipped monitor step says so rather than the rule. */
		add(r, sc->pm_pts[i] == sc->pm_max[i] ? ROLE_OK :
		    sc->pm_pts[i] == 0 ? ROLE_CRIT : ROLE_WARN, 2,
		    "%-19s %3d/%-3d %s%s", pm_titles[i], sc->pm_pts[i],
		    sc->pm_max[i], i == PMP_MONITORS && *skip != '\0' ? "" :
		    sc->pm_why[i], skip);
	}
	add(r, ROLE_TEXT, 0, "%s", "");
	add(r, ROLE_TITLE, 0, "Penalties and bonuses");
	add(r, sc->harm_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %d harmful or useless action%s%s", "Actions",
	    -sc->harm_penalty, sc->harmful_count, sc->harmful_count == 1 ?
	    "" : "s", sc->security_count > 0 ? ", a security violation" :
	    "");
	add(r, sc->budget_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %.1f%% of the 30-day error budget burned", "User impact",
	    -sc->budget_penalty, sc->budget_burned_pct);
	add(r, sc->hint_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d",
	    "Hints", -sc->hint_penalty);
	add(r, sc->diag_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %d wrong", "Wrong diagnoses", -sc->diag_penalty,
	    sc->wrong_diagnoses);
	add(r, sc->integrity_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s"
	    " %4d  %.0f bad records%s", "Data integrity",
	    -sc->integrity_penalty, sc->bad_records, sc->remediated ?
	    " (remediated)" : "");
	add(r, sc->bonus > 0 ? ROLE_OK : ROLE_DIM, 2, "%-19s %+4d", "Bonus",
	    sc->bonus);
	for (i = 0; i < sc->nbonus_why; i++)
		add(r, ROLE_OK, 6, "%s", sc->bonus_why[i]);
	add(r, ROLE_TEXT, 0, "%s", "");
	add_signals(r, sc, utf8);
	add(r, ROLE_TEXT, 0, "%s", "");
	add_debrief(r, s, sc);
	add(r, ROLE_TEXT, 0, "%s", "");
	add_timeline(r, s);
}
