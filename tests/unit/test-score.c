/*
 * Unit tests for scoring (catalog D.1-D.3) as a pure function of a
 * hand-built timeline: phase points with severity-scaled targets and
 * linear decay, every penalty and its cap, the proactive-detection bonus,
 * the TRIAGE cap and the grade boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "engine/timeline.h"
#include "score/score.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define MIN	60000L

struct fx {
	struct timeline		tl;
	struct score		s;
	struct debrief_def	db;
	struct pm_answers	pm;
};

static int
setup(void **state)
{
	static struct fx	f;

	memset(&f, 0, sizeof f);
	timeline_init(&f.tl);
	*state = &f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx		*f = *state;
	struct debrief_def	*db = &f->db;

	timeline_fini(&f->tl);
	debrief_def_free(db);
	memset(db, 0, sizeof *db);
	pm_free(&f->pm);
	return (0);
}

/* A phase reached at sim time `at` (ms). */
static void
phase(struct fx *f, int p, long at)
{
	timeline_add(&f->tl, at, EV_PHASE, "system", "phase reached", NULL,
	    p, (double)at);
}

static void
command(struct fx *f, const char *text, enum harm h)
{
	timeline_add(&f->tl, 0, EV_COMMAND, "player", text, NULL, h, 0);
}

static void
end(struct fx *f, double burned_pct)
{
	timeline_add(&f->tl, 0, EV_END, "system", "won", NULL, 0, burned_pct);
}

static const struct score *
compute(struct fx *f, long t0, double sev_scale)
{
	struct score_input	in = { 0 };

	in.tl = &f->tl;
	in.t0_ms = t0;
	in.sev_scale = sev_scale;
	score_compute(&in, &f->s);
	return (&f->s);
}

static void
test_score_phase_points_full_then_linear_to_zero_at_3t(void **state)
{
	(void)state;
	assert_int_equal(score_phase_points(100, 0, MIN), 100);
	assert_int_equal(score_phase_points(100, MIN, MIN), 100);
	assert_int_equal(score_phase_points(100, 90000, MIN), 75);
	assert_int_equal(score_phase_points(100, 2 * MIN, MIN), 50);
	assert_int_equal(score_phase_points(100, 3 * MIN, MIN), 0);
	assert_int_equal(score_phase_points(100, 10 * MIN, MIN), 0);
	assert_int_equal(score_phase_points(300, 30 * MIN, 15 * MIN), 150);
	/* Not reached. */
	assert_int_equal(score_phase_points(100, -1, MIN), 0);
}

static void
test_score_detect_at_2min_of_1min_target_is_50(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 2 * MIN);
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_ms[0], 2 * MIN);
	assert_int_equal(s->phase_pts[0], 50);
	assert_int_equal(s->phase_max[0], 100);
	assert_int_equal(s->phase_ms[1], -1);
	assert_int_equal(s->phase_pts[1], 0);
	assert_int_equal(s->total, 50);
	assert_string_equal(s->grade, "D");
}

static void
test_score_detect_at_3min_is_zero(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 3 * MIN);
	s = compute(f, -1, 1);
	assert_int_equal(s->phase_pts[0], 0);
	assert_int_equal(s->total, 0);
}

static void
test_score_phase_time_measured_from_t0(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/* Impact starts at 30 s; DETECT at 2:30 is 2 min after it. */
	phase(f, 0, 150000);
	/* TRIAGE reached before t0 counts as instant. */
	phase(f, 1, 10000);
	s = compute(f, 30000, 1);
	assert_int_equal(s->phase_ms[0], 120000);
	assert_int_equal(s->phase_pts[0], 50);
	assert_int_equal(s->phase_ms[1], 0);
	assert_int_equal(s->phase_pts[1], 200);
}

static void
test_score_only_first_phase_event_counts(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 30000);
	phase(f, 0, 10 * MIN);
	/* Unknown phase indices are ignored. */
	phase(f, 4, 0);
	phase(f, -1, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_ms[0], 30000);
	assert_int_equal(s->phase_pts[0], 100);
	assert_int_equal(s->total, 100);
}

static void
test_score_all_phases_on_target_give_800(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 1 * MIN);
	phase(f, 1, 5 * MIN);
	phase(f, 2, 15 * MIN);
	phase(f, 3, 60 * MIN);
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_pts[0], 100);
	assert_int_equal(s->phase_pts[1], 200);
	assert_int_equal(s->phase_pts[2], 300);
	assert_int_equal(s->phase_pts[3], 200);
	assert_int_equal(s->total, 800);
	assert_string_equal(s->grade, "A");
}

static void
test_score_severity_scale_stretches_targets(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/* P2 doubles every target. */
	phase(f, 0, 2 * MIN);
	phase(f, 1, 20 * MIN);		/* 2T of 10 min: half */
	phase(f, 2, 30 * MIN);
	phase(f, 3, 360 * MIN);		/* 3T of 120 min: zero */
	s = compute(f, 0, 2);
	assert_int_equal(s->phase_pts[0], 100);
	assert_int_equal(s->phase_pts[1], 100);
	assert_int_equal(s->phase_pts[2], 300);
	assert_int_equal(s->phase_pts[3], 0);
	assert_int_equal(s->total, 500);

	/* P1 on the same timeline is much worse. */
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_pts[0], 50);
	assert_int_equal(s->phase_pts[1], 0);
	assert_int_equal(s->phase_pts[2], 300 / 2);
	assert_int_equal(s->phase_pts[3], 0);

	/* P3 scales by 4. */
	s = compute(f, 0, 4);
	assert_int_equal(s->phase_pts[1], 200);
	/* FIX at 360 min of a 240-min target: (720 - 360) / 480. */
	assert_int_equal(s->phase_pts[3], 150);
}

static void
test_score_harm_penalties_by_class(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	command(f, "show overview", HARM_NONE);
	command(f, "scale order.db_pool 100", HARM_MINOR);
	command(f, "scale order 15", HARM_MAJOR);
	command(f, "restart pg-1", HARM_CRITICAL);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 25 + 75 + 150);
	assert_int_equal(s->harmful_count, 3);
	assert_int_equal(s->total, 0);
}

static void
test_score_repeated_useless_command_costs_5(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 3, 0);
	command(f, "rollback order", HARM_USELESS);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 10);
	command(f, "rollback order", HARM_USELESS);
	command(f, "rollback order", HARM_USELESS);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 10 + 5 + 5);
	assert_int_equal(s->harmful_count, 3);
	assert_int_equal(s->total, 200 - 20);
}

static void
test_score_distinct_useless_commands_cost_10_each(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/*
	 * Catalog D.2: useless -10; only the *same* useless command
	 * repeated costs -5.  Two different useless actions are two
	 * full penalties.
	 */
	command(f, "rollback order", HARM_USELESS);
	command(f, "kill query 4242", HARM_USELESS);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 10 + 10);
}

static void
test_score_hint_tiers_cost_10_25_60(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 1, 1 * MIN);
	timeline_add(&f->tl, 0, EV_HINT, "player", "hint", NULL, 1, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->hint_penalty, 10);
	assert_int_equal(s->phase_pts[1], 200);
	timeline_add(&f->tl, 0, EV_HINT, "player", "hint", NULL, 2, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->hint_penalty, 35);
	assert_int_equal(s->phase_pts[1], 200);
	/* The root cause given away: TRIAGE is worth 100 at most. */
	timeline_add(&f->tl, 0, EV_HINT, "player", "hint", NULL, 3, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->hint_penalty, 95);
	assert_int_equal(s->phase_pts[1], 100);
	assert_int_equal(s->total, 100 - 95);
}

static void
diagnosis(struct fx *f, enum diag d)
{
	timeline_add(&f->tl, 0, EV_DIAGNOSIS, "player", "diagnose x", NULL, d,
	    0);
}

static void
test_score_wrong_diagnoses_cost_20_and_three_cap_triage(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 1, 2 * MIN);
	diagnosis(f, DIAG_WRONG);
	diagnosis(f, DIAG_NEAR_MISS);
	diagnosis(f, DIAG_CORRECT);
	s = compute(f, 0, 1);
	assert_int_equal(s->diag_penalty, 40);
	assert_int_equal(s->phase_pts[1], 200);
	assert_int_equal(s->total, 160);
	diagnosis(f, DIAG_WRONG);
	s = compute(f, 0, 1);
	assert_int_equal(s->diag_penalty, 60);
	assert_int_equal(s->phase_pts[1], 100);
	assert_int_equal(s->total, 40);
}

static void
test_score_triage_cap_keeps_lower_points(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/* Late TRIAGE already under 100 is not raised by the cap. */
	phase(f, 1, 13 * MIN);		/* (15 - 13) / 10 of 200 = 40 */
	timeline_add(&f->tl, 0, EV_HINT, "player", "hint", NULL, 3, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_pts[1], 40);
}

static void
test_score_budget_penalty_2_per_pct_capped_at_200(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 2, 0);
	/* 50% errors for 10 min = 5 impact-min = 11.6% of 43.2 min. */
	end(f, 5.0 / 43.2 * 100);
	s = compute(f, 0, 1);
	assert_int_equal(s->budget_penalty, 23);
	assert_int_equal(s->total, 300 - 23);
	assert_true(s->budget_burned_pct > 11.57 && s->budget_burned_pct <
	    11.58);
	timeline_fini(&f->tl);

	phase(f, 2, 0);
	end(f, 99.9);
	s = compute(f, 0, 1);
	assert_int_equal(s->budget_penalty, 200);
	timeline_fini(&f->tl);

	phase(f, 2, 0);
	end(f, 250);
	s = compute(f, 0, 1);
	assert_int_equal(s->budget_penalty, 200);
	assert_int_equal(s->total, 100);
	timeline_fini(&f->tl);

	phase(f, 2, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->budget_penalty, 0);
}

static void
test_score_proactive_declare_bonus_25(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 0, EV_DECLARE, "player", "declare SEV1", NULL, 0,
	    0);
	s = compute(f, 0, 1);
	assert_int_equal(s->bonus, 0);
	timeline_add(&f->tl, 0, EV_DECLARE, "player", "declare SEV1", NULL, 1,
	    0);
	s = compute(f, 0, 1);
	assert_int_equal(s->bonus, 25);
	assert_int_equal(s->total, 25);
}

static void
test_score_grade_boundaries(void **state)
{
	(void)state;
	assert_string_equal(score_grade(1000), "S");
	assert_string_equal(score_grade(900), "S");
	assert_string_equal(score_grade(899), "A");
	assert_string_equal(score_grade(750), "A");
	assert_string_equal(score_grade(749), "B");
	assert_string_equal(score_grade(600), "B");
	assert_string_equal(score_grade(599), "C");
	assert_string_equal(score_grade(400), "C");
	assert_string_equal(score_grade(399), "D");
	assert_string_equal(score_grade(0), "D");
}

static void
test_score_total_never_below_zero(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	command(f, "restart pg-1", HARM_CRITICAL);
	command(f, "restart pg-1", HARM_CRITICAL);
	diagnosis(f, DIAG_WRONG);
	end(f, 100);
	s = compute(f, 0, 1);
	assert_int_equal(s->total, 0);
	assert_string_equal(s->grade, "D");
}

static void
test_score_other_events_do_not_score(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 0, EV_START, NULL, "x", NULL, 3, 9);
	timeline_add(&f->tl, 0, EV_ALERT_FIRED, NULL, "x", NULL, 1, 9);
	timeline_add(&f->tl, 0, EV_ALERT_ACKED, NULL, "x", NULL, 1, 9);
	timeline_add(&f->tl, 0, EV_NOTE, NULL, "x", NULL, 4, 9);
	timeline_add(&f->tl, 0, EV_PROBE, NULL, "x", NULL, 2, 9);
	timeline_add(&f->tl, 0, EV_INFO, NULL, "x", NULL, 4, 9);
	/* A command with an out-of-range harm class is not a penalty. */
	timeline_add(&f->tl, 0, EV_COMMAND, NULL, "x", NULL, 9, 0);
	s = compute(f, 0, 1);
	/* The note earns its part of the post-mortem timeline, nothing else. */
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 10);
	assert_int_equal(s->total, 10);
	assert_int_equal(s->harm_penalty, 0);
	assert_int_equal(s->harmful_count, 0);
	assert_int_equal(s->hint_penalty + s->diag_penalty + s->bonus, 0);
}

static void
test_score_full_run_adds_up(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 20000, EV_DECLARE, "player", "declare SEV1", NULL,
	    1, 0);
	phase(f, 0, 50000);
	timeline_add(&f->tl, 60000, EV_HINT, "player", "hint", NULL, 1, 0);
	command(f, "rollback order", HARM_USELESS);
	diagnosis(f, DIAG_CORRECT);
	phase(f, 1, 4 * MIN);
	/* 20 min after t0: (45 - 20) / 30 of 300 = 250. */
	phase(f, 2, 20 * MIN + 10000);
	/* 90 min after t0: (180 - 90) / 120 of 200 = 150. */
	phase(f, 3, 90 * MIN + 10000);
	end(f, 11.6);
	s = compute(f, 10000, 1);
	assert_int_equal(s->phase_pts[0], 100);
	assert_int_equal(s->phase_pts[1], 200);
	assert_int_equal(s->phase_pts[2], 250);
	assert_int_equal(s->phase_pts[3], 150);
	assert_int_equal(s->total, 100 + 200 + 250 + 150 + 25 - 10 - 10 - 23);
	assert_string_equal(s->grade, "B");
}

/* ---- score version 2: hand-built debrief data and post-mortem form ---- */

#define SEC	1000L

/* Append a string to a strv (owned; freed by teardown). */
static void
sv(struct strv *v, const char *s)
{
	v->v = xreallocarray(v->v, (size_t)v->n + 1, sizeof *v->v);
	v->v[v->n++] = xstrdup(s);
}

static void
monitor(struct fx *f, const char *text, const char *glob)
{
	struct debrief_def	*db = &f->db;
	struct pm_monitor	*m;

	db->monitors = xreallocarray(db->monitors, (size_t)db->nmonitors + 1,
	    sizeof *db->monitors);
	m = &db->monitors[db->nmonitors++];
	memset(m, 0, sizeof *m);
	m->text = xstrdup(text);
	sv(&m->match, glob);
}

/* A player command at t: harm class and whether it "works". */
static void
cmd(struct fx *f, long t, const char *text, enum harm h, int works)
{
	timeline_add(&f->tl, t, EV_COMMAND, "player", text, NULL, h, works);
}

static void
note(struct fx *f, long t, const char *text)
{
	timeline_add(&f->tl, t, EV_NOTE, "player", text, NULL, 0, 0);
}

static void
declare(struct fx *f, long t, const char *scope, int early)
{
	timeline_add(&f->tl, t, EV_DECLARE, "player", "SEV1", scope, early, 0);
}

static void
diag_at(struct fx *f, long t, enum diag d)
{
	timeline_add(&f->tl, t, EV_DIAGNOSIS, "player", "diagnose x", NULL, d,
	    0);
}

/* Score with the fixture's debrief data (db) and form (pm) as asked. */
static const struct score *
compute2(struct fx *f, long t0, double sev_scale, int with_db, int with_pm)
{
	struct score_input	in = { 0 };

	in.tl = &f->tl;
	in.t0_ms = t0;
	in.sev_scale = sev_scale;
	in.db = with_db ? &f->db : NULL;
	in.pm = with_pm ? &f->pm : NULL;
	score_compute(&in, &f->s);
	return (&f->s);
}

static const struct star *
star_of(const struct score *s, enum signal sg, int i)
{
	return (&s->sig[sg].star[i]);
}

#define assert_evidence(s, sg, i, sub) do {				\
	const char *ev_ = star_of((s), (sg), (i))->evidence;		\
	if (strstr(ev_, (sub)) == NULL)					\
		fail_msg("evidence \"%s\" lacks \"%s\"", ev_, (sub));	\
} while (0)

/* ---- D.1: phases and grades on computed totals ---- */

/* All four phases on target, then the budget penalty burns k points. */
static const struct score *
phases_minus(struct fx *f, int nphases, int k)
{
	int	p;

	timeline_fini(&f->tl);
	for (p = 0; p < 4; p++)
		if (p < nphases || (nphases == -1 && p != 1 && p != 3))
			phase(f, p, 0);
	end(f, k / 2.0);
	return (compute(f, 0, 1));
}

static void
test_score_computed_totals_at_grade_boundaries(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/*
	 * 900: DETECT at 1:06 (95), the rest on target (700), proactive
	 * declare (25), two notes (20), four annotations (20) and the
	 * systemic root cause (40).  1:07.2 gives 94: 899.
	 */
	declare(f, 0, "", 1);
	phase(f, 0, 66 * SEC);
	phase(f, 1, 0);
	phase(f, 2, 0);
	phase(f, 3, 0);
	note(f, 0, "pool at 100%");
	note(f, 0, "breaker opened");
	pm_add(&f->pm, "root_cause", "systemic", "x", NULL, NULL);
	pm_add(&f->pm, "annotation", "detect", "saw", NULL, NULL);
	pm_add(&f->pm, "annotation", "triage", "saw", NULL, NULL);
	pm_add(&f->pm, "annotation", "mitigate", "did", NULL, NULL);
	pm_add(&f->pm, "annotation", "fix", "did", NULL, NULL);
	f->pm.filled = 1;
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->phase_pts[0], 95);
	assert_int_equal(s->total, 900);
	assert_string_equal(s->grade, "S");
	f->tl.v[1].t_ms = 67200;
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->phase_pts[0], 94);
	assert_int_equal(s->total, 899);
	assert_string_equal(s->grade, "A");

	s = phases_minus(f, 4, 50);
	assert_int_equal(s->total, 750);
	assert_string_equal(s->grade, "A");
	s = phases_minus(f, 4, 51);
	assert_int_equal(s->total, 749);
	assert_string_equal(s->grade, "B");
	s = phases_minus(f, 3, 0);
	assert_int_equal(s->total, 600);
	assert_string_equal(s->grade, "B");
	s = phases_minus(f, 3, 1);
	assert_int_equal(s->total, 599);
	assert_string_equal(s->grade, "C");
	/* DETECT and MITIGATE only: 400. */
	s = phases_minus(f, -1, 0);
	assert_int_equal(s->total, 400);
	assert_string_equal(s->grade, "C");
	s = phases_minus(f, -1, 1);
	assert_int_equal(s->total, 399);
	assert_string_equal(s->grade, "D");
}

static void
test_score_triage_decays_over_p2_and_p3_targets(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/* TRIAGE at 15 min: P1 3T (0), P2 1.5T (150), P3 under T (200). */
	phase(f, 1, 15 * MIN);
	s = compute(f, 0, 1);
	assert_int_equal(s->phase_pts[1], 0);
	s = compute(f, 0, 2);
	assert_int_equal(s->phase_pts[1], 150);
	s = compute(f, 0, 4);
	assert_int_equal(s->phase_pts[1], 200);
	/* MITIGATE at 90 min of P3 (T 60 min): (180 - 90) / 120 of 300. */
	phase(f, 2, 90 * MIN);
	s = compute(f, 0, 4);
	assert_int_equal(s->phase_pts[2], 225);
}

static void
test_score_t0_from_impact_event_when_unset(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 30 * SEC, EV_IMPACT, "system", "impact", NULL, 0,
	    0);
	phase(f, 0, 90 * SEC);
	s = compute(f, -1, 1);
	assert_int_equal(s->t0_ms, 30 * SEC);
	assert_int_equal(s->phase_ms[0], 60 * SEC);
	assert_int_equal(s->phase_pts[0], 100);
	/* An explicit t0 wins over the event. */
	s = compute(f, 0, 1);
	assert_int_equal(s->t0_ms, 0);
	assert_int_equal(s->phase_pts[0], 75);
}

static void
test_score_t0_zero_without_impact_event(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 90 * SEC);
	s = compute(f, -1, 1);
	assert_int_equal(s->t0_ms, 0);
	assert_int_equal(s->phase_ms[0], 90 * SEC);
	/* Bug: the results said "from the start of user impact, 0:00" when
	 * impact never began. */
	assert_int_equal(s->impact_began, 0);
	timeline_add(&f->tl, 30 * SEC, EV_IMPACT, "system", "impact", NULL, 0,
	    0);
	s = compute(f, -1, 1);
	assert_int_equal(s->impact_began, 1);
}

/* ---- D.2: penalties ---- */

static void
test_score_harm_useless_10_minor_25_major_75_critical_150(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 0, "kill query 4242", HARM_USELESS, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 10);
	cmd(f, 0, "restart order", HARM_MINOR, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 35);
	cmd(f, 0, "scale order 15", HARM_MAJOR, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 110);
	cmd(f, 0, "restart pg-1", HARM_CRITICAL, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->harm_penalty, 260);
	assert_int_equal(s->harmful_count, 4);
	assert_int_equal(s->security_count, 0);
}

static void
test_score_security_violation_counts_as_security(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 0, EV_COMMAND, "player", "disable tls gw",
	    HARM_SECURITY_TAG "TLS off", HARM_CRITICAL, 0);
	/* A harmful command with another reason is not a violation. */
	timeline_add(&f->tl, 0, EV_COMMAND, "player", "restart pg-1",
	    "global outage", HARM_CRITICAL, 0);
	/* The tag must lead the detail. */
	timeline_add(&f->tl, 0, EV_COMMAND, "player", "scale order 15",
	    "not a " HARM_SECURITY_TAG "x", HARM_MAJOR, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->security_count, 1);
	assert_int_equal(s->harmful_count, 3);
	assert_int_equal(s->harm_penalty, 150 + 150 + 75);
}

static void
test_score_damage_1_per_100_records_capped_at_150(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	timeline_add(&f->tl, 0, EV_DAMAGE, "system", "duplicate charges", NULL,
	    0, 1250);
	s = compute(f, 0, 1);
	assert_true(s->bad_records == 1250);
	assert_int_equal(s->integrity_penalty, 12);
	assert_int_equal(s->remediated, 0);
	timeline_fini(&f->tl);
	timeline_add(&f->tl, 0, EV_DAMAGE, "system", "duplicate charges", NULL,
	    0, 99);
	s = compute(f, 0, 1);
	assert_int_equal(s->integrity_penalty, 0);
	timeline_fini(&f->tl);
	timeline_add(&f->tl, 0, EV_DAMAGE, "system", "duplicate charges", NULL,
	    0, 1e6);
	phase(f, 2, 0);
	s = compute(f, 0, 1);
	assert_int_equal(s->integrity_penalty, 150);
	assert_int_equal(s->total, 300 - 150);
}

static void
test_score_damage_halved_when_remediated(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.remediate, "run refund *");
	timeline_add(&f->tl, 0, EV_DAMAGE, "system", "duplicate charges", NULL,
	    0, 1250);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->integrity_penalty, 12);
	cmd(f, 10 * MIN, "run refund duplicates", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->remediated, 1);
	assert_int_equal(s->integrity_penalty, 6);
	/* The cap applies after halving. */
	f->tl.v[0].val = 1e6;
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->integrity_penalty, 150);
}

/* ---- D.3: bonuses ---- */

static void
test_score_proactive_declare_bonus_counts_once(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;
	int			 i;

	/* D.3: proactive detection is one +25, however often declared. */
	for (i = 0; i < 6; i++)
		declare(f, i * SEC, "", 1);
	s = compute(f, 0, 1);
	assert_int_equal(s->bonus, 25);
	assert_int_equal(s->total, 25);
	assert_true(s->nbonus_why <= 4);
	assert_non_null(strstr(s->bonus_why[0], "proactive"));
}

static void
scope_fixture(struct fx *f)
{
	sv(&f->db.scope, "checkout");
	sv(&f->db.scope, "/orders");
}

static void
test_score_declared_scope_in_triage_window_bonus_25(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	scope_fixture(f);
	declare(f, 2 * MIN, "all users on /Checkout", 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 25);
	assert_int_equal(s->nbonus_why, 1);
	assert_non_null(strstr(s->bonus_why[0], "blast radius"));
	assert_int_equal(star_of(s, SIG_BLAST, 1)->met, 1);
	assert_evidence(s, SIG_BLAST, 1, "\"all users on /Checkout\" at 2:00");
}

static void
test_score_declared_scope_late_no_bonus(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	scope_fixture(f);
	/* The TRIAGE window is 5 min from t0 at P1. */
	declare(f, 6 * MIN, "checkout", 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 1)->met, 0);
	assert_evidence(s, SIG_BLAST, 1, "after the TRIAGE window");
	/* ...measured from t0, and 10 min at P2. */
	s = compute2(f, 2 * MIN, 1, 1, 0);
	assert_int_equal(s->bonus, 25);
	s = compute2(f, 0, 2, 1, 0);
	assert_int_equal(s->bonus, 25);
}

static void
test_score_declared_scope_wrong_no_bonus(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	scope_fixture(f);
	declare(f, 1 * MIN, "search", 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	assert_evidence(s, SIG_BLAST, 1, "\"search\" missed");
	/* A later fitting declare in the window still counts. */
	declare(f, 3 * MIN, "checkout", 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 25);
	assert_evidence(s, SIG_BLAST, 1, "\"checkout\" at 3:00");
	/* No debrief data: no scope can fit. */
	s = compute2(f, 0, 1, 0, 0);
	assert_int_equal(s->bonus, 0);
}

static void
test_score_no_declare_no_scope_star(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	scope_fixture(f);
	/* A declare without --scope names no segment. */
	declare(f, 1 * MIN, "", 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	assert_evidence(s, SIG_BLAST, 1, "no `declare --scope`");
}

static void
test_score_remediation_bonus_25(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.remediate, "run refund *");
	cmd(f, 5 * MIN, "run reconcile ledger", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	assert_int_equal(s->remediated, 0);
	cmd(f, 6 * MIN, "run refund duplicates", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 25);
	assert_int_equal(s->remediated, 1);
	assert_non_null(strstr(s->bonus_why[0], "remediated"));
}

static void
test_score_all_bonuses_add_up(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	scope_fixture(f);
	sv(&f->db.remediate, "run refund *");
	declare(f, 10 * SEC, "checkout", 1);
	cmd(f, 6 * MIN, "run refund duplicates", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 75);
	assert_int_equal(s->nbonus_why, 3);
	assert_int_equal(s->total, 75);
}

/* An incident's own bonus (D.3: cheapest-first ordering, §6.2). */
static void
cheapest_first(struct fx *f)
{
	struct bonus_rule	*r;

	f->db.bonuses = xcalloc(1, sizeof *f->db.bonuses);
	f->db.nbonuses = 1;
	r = &f->db.bonuses[0];
	r->why = xstrdup("cheapest first: dropped dead indexes before scaling");
	r->points = 25;
	sv(&r->match, "run db drop-index *");
	sv(&r->before, "scale *");
}

static void
test_score_incident_bonus_when_its_command_comes_first(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cheapest_first(f);
	cmd(f, 3 * MIN, "show db indexes events", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	cmd(f, 4 * MIN, "run db drop-index idx_events_tmp", HARM_NONE, 1);
	cmd(f, 5 * MIN, "scale pg-1.iops 20000", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 25);
	assert_non_null(strstr(s->bonus_why[0], "cheapest first"));
}

static void
test_score_incident_bonus_lost_when_the_costly_move_comes_first(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cheapest_first(f);
	cmd(f, 3 * MIN, "scale pg-1.iops 20000", HARM_NONE, 0);
	cmd(f, 4 * MIN, "run db drop-index idx_events_tmp", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(s->bonus, 0);
	assert_int_equal(s->nbonus_why, 0);
}

/* ---- D.4: the post-mortem form ---- */

static void
test_score_pm_timeline_notes_and_annotations(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	f->pm.filled = 1;
	/* Annotations count on key events that happened. */
	phase(f, 0, 1 * MIN);
	phase(f, 1, 2 * MIN);
	phase(f, 2, 3 * MIN);
	phase(f, 3, 4 * MIN);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 0);
	assert_int_equal(s->pm_max[PMP_TIMELINE], 40);
	note(f, 10 * SEC, "pool at 100%");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 10);
	note(f, 20 * SEC, "opened the breaker");
	note(f, 30 * SEC, "a third note earns nothing more");
	pm_add(&f->pm, "annotation", "detect", "pool alert", NULL, NULL);
	/* An empty annotation does not count. */
	pm_add(&f->pm, "annotation", "triage", "", NULL, NULL);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 20 + 5);
	assert_non_null(strstr(s->pm_why[PMP_TIMELINE], "1 of 4"));
	pm_add(&f->pm, "annotation", "triage", "db activity", NULL, NULL);
	pm_add(&f->pm, "annotation", "mitigate", "breaker", NULL, NULL);
	pm_add(&f->pm, "annotation", "fix", "patch", NULL, NULL);
	pm_add(&f->pm, "annotation", "fix", "probe", NULL, NULL);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 40);
}

static void
root_cause(struct fx *f, const char *key)
{
	pm_free(&f->pm);
	pm_add(&f->pm, "root_cause", key, "phrasing", NULL, NULL);
	f->pm.filled = 1;
}

static void
test_score_pm_root_cause_systemic_40_symptom_15(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	root_cause(f, "systemic");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ROOT_CAUSE], 40);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 0)->met, 1);
	root_cause(f, "symptom");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ROOT_CAUSE], 15);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 0)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 0, "symptom phrasing");
}

static void
test_score_pm_root_cause_wrong_and_blame_0(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	root_cause(f, "wrong");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ROOT_CAUSE], 0);
	assert_non_null(strstr(s->pm_why[PMP_ROOT_CAUSE], "not what"));
	root_cause(f, "blame");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ROOT_CAUSE], 0);
	assert_non_null(strstr(s->pm_why[PMP_ROOT_CAUSE], "human error"));
	assert_int_equal(star_of(s, SIG_BLAMELESS, 0)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 0, "blame phrasing");
}

static void
action(struct fx *f, const char *key, const char *text, const char *owner,
    const char *deadline)
{
	pm_add(&f->pm, "action", key, text, owner, deadline);
	f->pm.filled = 1;
}

static void
test_score_pm_action_items_10_each_max_8(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;
	int			 i;

	for (i = 0; i < 3; i++)
		action(f, "prevention", "breaker", "platform team", "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 30);
	for (i = 0; i < 6; i++)
		action(f, "prevention", "alert", "platform team", "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 80);
	assert_int_equal(s->pm_max[PMP_ACTIONS], 80);
	/* A distractor costs 10 from the capped 80. */
	action(f, "distractor", "Ban Friday deploys", "platform team",
	    "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 70);
	assert_non_null(strstr(s->pm_why[PMP_ACTIONS], "1 distractor"));
}

static void
test_score_pm_distractors_floor_at_0(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	action(f, "prevention", "breaker", "platform team", "this week");
	action(f, "distractor", "Mute the noisy alert", "platform team",
	    "this week");
	action(f, "distractor", "Ban Friday deploys", "platform team",
	    "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 0);
	/* No items at all. */
	pm_free(&f->pm);
	root_cause(f, "systemic");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 0);
	assert_non_null(strstr(s->pm_why[PMP_ACTIONS], "skipped"));
	assert_int_equal(s->pm_pts[PMP_OWNERS], 0);
}

static void
test_score_pm_owners_teams_with_deadlines_20(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	action(f, "prevention", "a", "platform team", "this week");
	action(f, "prevention", "b", "SRE on-call rotation", "this quarter");
	action(f, "prevention", "c", "payments team", "within two weeks");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_OWNERS], 20);
	assert_int_equal(s->pm_max[PMP_OWNERS], 20);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 1);
	assert_evidence(s, SIG_BLAMELESS, 2, "all 3 action items");
}

static void
test_score_pm_owners_named_person_0(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	action(f, "prevention", "a", "platform team", "this week");
	action(f, "prevention", "b", "Dave (who shipped the change)",
	    "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_OWNERS], 0);
	assert_non_null(strstr(s->pm_why[PMP_OWNERS], "named person"));
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 2, "named person");
}

static void
test_score_pm_owners_partial(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	action(f, "prevention", "a", "platform team", "this week");
	action(f, "prevention", "b", "database team", "no deadline");
	action(f, "prevention", "c", "", "this week");
	action(f, "prevention", "d", "incident commander", "this quarter");
	s = compute2(f, 0, 1, 0, 1);
	/* 2 of 4 owned with a deadline: 20 * 2 / 4. */
	assert_int_equal(s->pm_pts[PMP_OWNERS], 10);
	assert_non_null(strstr(s->pm_why[PMP_OWNERS], "2 of 4"));
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 2, "2 of 4 action items lack");
}

static void
monitors_fixture(struct fx *f)
{
	monitor(f, "Pool utilisation above 70%", "enable alert *pool*70*");
	monitor(f, "Replication lag above 1 s", "enable alert *lag*1s*");
	monitor(f, "Deadlocks above 0 per minute", "enable alert *deadlock*");
}

static void
test_score_pm_monitor_5_each_doubled_when_enabled_capped_20(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	monitors_fixture(f);
	f->pm.filled = 1;
	pm_add(&f->pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 5);
	assert_int_equal(s->pm_max[PMP_MONITORS], 20);
	/* Not one of this incident's monitors: nothing. */
	pm_add(&f->pm, "monitor", NULL, "RSS growth over hours", NULL, NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 5);
	/* Enabled in-game: doubled. */
	cmd(f, 3 * MIN, "enable alert order.pool>70%", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 10);
	pm_add(&f->pm, "monitor", NULL, "Replication lag above 1 s", NULL,
	    NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 15);
	cmd(f, 4 * MIN, "enable alert pg-2.lag>1s", HARM_NONE, 0);
	pm_add(&f->pm, "monitor", NULL, "Deadlocks above 0 per minute", NULL,
	    NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 20);
	/* Without debrief data no monitor matches. */
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 0);
}

static void
check_skipped(const struct score *s)
{
	int	p;

	for (p = PMP_ROOT_CAUSE; p < PMP__COUNT; p++) {
		assert_int_equal(s->pm_pts[p], 0);
		assert_non_null(strstr(s->pm_why[p], "skipped"));
	}
}

static void
test_score_pm_skipped_form_gives_0(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	monitors_fixture(f);
	note(f, 0, "one");
	note(f, 0, "two");
	root_cause(f, "systemic");
	action(f, "prevention", "a", "platform team", "this week");
	pm_add(&f->pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_total, 20 + 40 + 10 + 20 + 5);
	/* Opened and not finished. */
	f->pm.filled = 0;
	s = compute2(f, 0, 1, 1, 1);
	check_skipped(s);
	/* The notes still earn the timeline part. */
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 20);
	assert_int_equal(s->pm_total, 20);
	assert_int_equal(s->total, 20);
	/* Headless: no form at all. */
	s = compute2(f, 0, 1, 1, 0);
	check_skipped(s);
	assert_int_equal(s->pm_total, 20);
}

/* ---- D.5: systematic debugging ---- */

static void
test_score_systematic_star1_view_then_changes_before_action(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 10 * SEC, "ack ALRT-POOL", HARM_NONE, 0);
	cmd(f, 20 * SEC, "show overview", HARM_NONE, 0);
	cmd(f, 40 * SEC, "changes", HARM_NONE, 0);
	cmd(f, 70 * SEC, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 0)->met, 1);
	assert_evidence(s, SIG_SYSTEMATIC, 0, "`show overview` at 0:20");
	assert_evidence(s, SIG_SYSTEMATIC, 0, "`changes` at 0:40");
}

static void
test_score_systematic_star1_no_view_in_first_three(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 10 * SEC, "ack ALRT-POOL", HARM_NONE, 0);
	cmd(f, 20 * SEC, "logs order", HARM_NONE, 0);
	cmd(f, 30 * SEC, "changes", HARM_NONE, 0);
	cmd(f, 40 * SEC, "graph db_pool_utilization_pct", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 0)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 0, "none of the first three");
}

static void
test_score_systematic_star1_changes_after_first_action(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 10 * SEC, "show svc order", HARM_NONE, 0);
	cmd(f, 20 * SEC, "restart order", HARM_MINOR, 0);
	cmd(f, 30 * SEC, "changes", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 0)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 0, "`changes` was not run before");
}

static void
test_score_systematic_star2_two_looks_before_diagnosis(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.components, "db activity");
	sv(&f->db.components, "checkout");
	cmd(f, 30 * SEC, "show db activity --app order", HARM_NONE, 0);
	cmd(f, 50 * SEC, "show overview", HARM_NONE, 0);
	cmd(f, 75 * SEC, "trace POST /checkout", HARM_NONE, 0);
	diag_at(f, 2 * MIN, DIAG_CORRECT);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 1)->met, 1);
	assert_evidence(s, SIG_SYSTEMATIC, 1,
	    "`show db activity --app order` at 0:30");
	assert_evidence(s, SIG_SYSTEMATIC, 1, "`trace POST /checkout` at 1:15");
}

static void
test_score_systematic_star2_one_look_is_not_enough(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.components, "db activity");
	sv(&f->db.components, "checkout");
	cmd(f, 30 * SEC, "show db activity", HARM_NONE, 0);
	diag_at(f, 2 * MIN, DIAG_CORRECT);
	/* A look after the diagnosis does not count, nor does an action. */
	cmd(f, 3 * MIN, "trace POST /checkout", HARM_NONE, 0);
	cmd(f, 40 * SEC, "breaker open checkout", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 1)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 1, "fewer than two looks");
	/* Never diagnosed. */
	timeline_fini(&f->tl);
	cmd(f, 30 * SEC, "show db activity", HARM_NONE, 0);
	cmd(f, 40 * SEC, "trace POST /checkout", HARM_NONE, 0);
	diag_at(f, 2 * MIN, DIAG_WRONG);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 1)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 1, "never named");
}

static void
test_score_systematic_star3_no_burst_one_wrong_diagnosis(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.components, "order");
	/* Two unrelated actions a minute apart and one wrong id. */
	cmd(f, 1 * MIN, "restart search", HARM_USELESS, 0);
	cmd(f, 2 * MIN + SEC, "restart user", HARM_USELESS, 0);
	/* Actions on the root-cause component are not a burst. */
	cmd(f, 2 * MIN + 2 * SEC, "restart order", HARM_MINOR, 0);
	diag_at(f, 3 * MIN, DIAG_WRONG);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 2)->met, 1);
	assert_evidence(s, SIG_SYSTEMATIC, 2, "1 wrong diagnosis");
}

static void
test_score_systematic_star3_shotgun_burst(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.components, "order");
	cmd(f, 60 * SEC, "restart search", HARM_USELESS, 0);
	cmd(f, 80 * SEC, "scale user 10", HARM_USELESS, 0);
	cmd(f, 2 * MIN, "restart pg-2", HARM_MAJOR, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 2)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 2, "from 1:00");
	assert_evidence(s, SIG_SYSTEMATIC, 2, "`restart search`");
}

static void
test_score_systematic_star3_two_wrong_diagnoses(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	diag_at(f, 1 * MIN, DIAG_WRONG);
	diag_at(f, 2 * MIN, DIAG_NEAR_MISS);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_SYSTEMATIC, 2)->met, 0);
	assert_evidence(s, SIG_SYSTEMATIC, 2, "2 wrong diagnoses");
}

/* ---- D.5: immediate mitigation ---- */

static void
test_score_mitigation_star1_within_5min_of_detect(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 1 * MIN);
	/* A working observe command is not a mitigation. */
	cmd(f, 90 * SEC, "show svc order", HARM_NONE, 1);
	cmd(f, 2 * MIN, "restart order", HARM_MINOR, 0);
	cmd(f, 5 * MIN + 30 * SEC, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 0)->met, 1);
	assert_evidence(s, SIG_MITIGATION, 0,
	    "`breaker open order->payment` at 5:30, 270 s after detection");
}

static void
test_score_mitigation_star1_late_or_none(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	phase(f, 0, 1 * MIN);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 0)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 0, "no effective mitigation");
	cmd(f, 6 * MIN + SEC, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 0)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 0, "at 6:01, more than 5 min");
}

static void
test_score_mitigation_star2_before_fix_work(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.fix_work, "deploy order *");
	sv(&f->db.fix_work, "set order.db_pool.split *");
	cmd(f, 2 * MIN, "breaker open order->payment", HARM_NONE, 1);
	cmd(f, 10 * MIN, "deploy order release-conn-before-remote-call",
	    HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 1)->met, 1);
	assert_evidence(s, SIG_MITIGATION, 1, "mitigated at 2:00 before fix"
	    " work (`deploy order release-conn-before-remote-call` at 10:00)");
}

static void
test_score_mitigation_star2_fix_work_first(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.fix_work, "set order.db_pool.split *");
	cmd(f, 1 * MIN, "set order.db_pool.split read=30,write=15", HARM_NONE,
	    0);
	cmd(f, 2 * MIN, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 1)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 1, "fix work (`set order.db_pool"
	    ".split read=30,write=15` at 1:00) came before");
	/* No mitigation at all. */
	timeline_fini(&f->tl);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 1)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 1, "no mitigation preceded");
}

static void
test_score_mitigation_star2_mitigation_after_fix_phase(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/*
	 * FIX reached before any working mitigation, and no fix_work glob
	 * matched (or no debrief data): the star is not met, and the
	 * evidence must not point at a fix-work command that does not exist.
	 */
	phase(f, 3, 10 * MIN);
	cmd(f, 20 * MIN, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 1)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 1, "20:00");
	s = compute2(f, 0, 1, 0, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 1)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 1, "20:00");
}

static void
test_score_mitigation_star3_recent_change_undone_first(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.recent_change, "rollback report*");
	sv(&f->db.recent_change, "flag off pending_orders_report");
	cmd(f, 30 * SEC, "changes", HARM_NONE, 0);
	cmd(f, 50 * SEC, "flag off pending_orders_report", HARM_NONE, 1);
	cmd(f, 70 * SEC, "kill query 48213", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 2)->met, 1);
	assert_evidence(s, SIG_MITIGATION, 2,
	    "`flag off pending_orders_report` at 0:50");
}

static void
test_score_mitigation_star3_recent_change_not_first(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.recent_change, "rollback report*");
	cmd(f, 50 * SEC, "kill query 48213", HARM_NONE, 1);
	cmd(f, 70 * SEC, "rollback report", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 2)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 2, "first action was `kill query"
	    " 48213`");
	timeline_fini(&f->tl);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 2)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 2, "never taken");
}

static void
test_score_mitigation_star3_no_needless_rollback(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 50 * SEC, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 2)->met, 1);
	assert_evidence(s, SIG_MITIGATION, 2, "nothing was rolled back");
	cmd(f, 90 * SEC, "rollback order", HARM_USELESS, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_MITIGATION, 2)->met, 0);
	assert_evidence(s, SIG_MITIGATION, 2, "`rollback order` at 1:30");
}

/* ---- D.5: blast radius ---- */

static void
test_score_blast_star1_impact_before_first_action(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	cmd(f, 20 * SEC, "show slo", HARM_NONE, 0);
	cmd(f, 40 * SEC, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 0)->met, 1);
	assert_evidence(s, SIG_BLAST, 0, "`show slo` at 0:20");
	timeline_fini(&f->tl);
	cmd(f, 20 * SEC, "breaker open order->payment", HARM_NONE, 1);
	cmd(f, 40 * SEC, "show impact", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 0)->met, 0);
	assert_evidence(s, SIG_BLAST, 0, "neither `show impact`");
}

/* Bug: "fault" matched "default" and "blame" matched "blameless". */
static void
test_score_blame_words_are_whole_words(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	assert_int_equal(score_blames("raised the default timeout"), 0);
	assert_int_equal(score_blames("blameless review at 15:00"), 0);
	assert_int_equal(score_blames("it was Dave's fault"), 1);
	assert_int_equal(score_blames("Forgot to release the connection"), 1);
	note(f, 10 * SEC, "raised the default timeout; blameless review later");
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 1);
}

/* Bug: four annotations on DETECT alone earned the whole 20. */
static void
test_score_pm_annotations_count_each_key_event_once(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	f->pm.filled = 1;
	phase(f, 0, 60 * SEC);
	pm_add(&f->pm, "annotation", "detect", "one", NULL, NULL);
	pm_add(&f->pm, "annotation", "detect", "two", NULL, NULL);
	pm_add(&f->pm, "annotation", "detect", "three", NULL, NULL);
	pm_add(&f->pm, "annotation", "detect", "four", NULL, NULL);
	pm_add(&f->pm, "annotation", "later", "not a key event", NULL, NULL);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 5);
}

/* Bug: the handbook's generic "Pool utilisation above 70%" paid nothing
 * on a pool incident whose own monitor is worded differently. */
static void
test_score_pm_generic_monitor_counts_when_it_covers(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	monitor(f, "Order pool utilisation above 70%", "enable alert *pool*");
	f->pm.filled = 1;
	pm_add(&f->pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	pm_add(&f->pm, "monitor", NULL, "Disk usage above 70%", NULL, NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 5);
	assert_int_equal(score_handbook_covers(0,
	    "Order pool utilisation above 70%"), 1);
	assert_int_equal(score_handbook_covers(2, "Database volume above 70%"),
	    1);
	assert_int_equal(score_handbook_covers(1, "Database CPU above 90%"), 0);
}

/* Bug: a stray keystroke on DETECT's line earned 5 in a game abandoned
 * before anything was detected. */
static void
test_score_pm_annotation_of_a_phase_never_reached_earns_nothing(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	f->pm.filled = 1;
	pm_add(&f->pm, "annotation", "detect", "y", NULL, NULL);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 0);
	phase(f, 0, 90 * SEC);
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(s->pm_pts[PMP_TIMELINE], 5);
}

/* Bug: the same monitor chosen twice was paid twice. */
static void
test_score_pm_monitor_counted_once(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	monitors_fixture(f);
	f->pm.filled = 1;
	pm_add(&f->pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	pm_add(&f->pm, "monitor", NULL, "Pool utilisation above 70%", NULL,
	    NULL);
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(s->pm_pts[PMP_MONITORS], 5);
}

static void
isolation_fixture(struct fx *f, int with_remediate)
{
	sv(&f->db.isolating, "breaker open *");
	sv(&f->db.isolating, "enable bulkhead *");
	sv(&f->db.global, "restart-all *");
	sv(&f->db.global, "set gw.rate_limit *");
	if (with_remediate)
		sv(&f->db.remediate, "run refund *");
}

static void
test_score_blast_star3_isolating_without_global(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	isolation_fixture(f, 0);
	cmd(f, 3 * MIN, "enable bulkhead order->payment threads=10",
	    HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 1);
	assert_evidence(s, SIG_BLAST, 2, "`enable bulkhead order->payment"
	    " threads=10` at 3:00");
	cmd(f, 4 * MIN, "set gw.rate_limit 100", HARM_MINOR, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 0);
	assert_evidence(s, SIG_BLAST, 2, "a global action (`set gw.rate_limit"
	    " 100`)");
}

static void
test_score_blast_star3_needs_remediation_when_set(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	isolation_fixture(f, 1);
	cmd(f, 3 * MIN, "breaker open payment->paygw", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 0);
	assert_evidence(s, SIG_BLAST, 2, "not remediated");
	cmd(f, 9 * MIN, "run refund duplicates", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 1);
	assert_evidence(s, SIG_BLAST, 2, "and remediated the records");
}

static void
test_score_blast_star3_no_isolating_action(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	isolation_fixture(f, 0);
	cmd(f, 3 * MIN, "restart order", HARM_MINOR, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 0);
	assert_evidence(s, SIG_BLAST, 2, "no isolating action");
	/* No debrief data: nothing isolates. */
	cmd(f, 4 * MIN, "breaker open order->payment", HARM_NONE, 1);
	s = compute2(f, 0, 1, 0, 0);
	assert_int_equal(star_of(s, SIG_BLAST, 2)->met, 0);
}

/* ---- D.5: prevention ---- */

static void
test_score_prevention_star1_fix_reached(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_PREVENTION, 0)->met, 0);
	assert_evidence(s, SIG_PREVENTION, 0, "only mitigations");
	phase(f, 3, 42 * MIN);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_PREVENTION, 0)->met, 1);
	assert_evidence(s, SIG_PREVENTION, 0, "in place at 42:00");
}

static void
test_score_prevention_star2_monitor_enabled(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	monitors_fixture(f);
	cmd(f, 2 * MIN, "enable alert order.error_ratio>5%", HARM_NONE, 0);
	/* Matching the glob but not an `enable alert`. */
	cmd(f, 3 * MIN, "show pool 70", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_PREVENTION, 1)->met, 0);
	assert_evidence(s, SIG_PREVENTION, 1, "no monitor");
	cmd(f, 4 * MIN, "enable alert order.pool>70%", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_PREVENTION, 1)->met, 1);
	assert_evidence(s, SIG_PREVENTION, 1,
	    "`enable alert order.pool>70%` at 4:00");
	/* Without debrief data nothing matches. */
	s = compute2(f, 0, 1, 0, 0);
	assert_int_equal(star_of(s, SIG_PREVENTION, 1)->met, 0);
}

static void
prevention_fixture(struct fx *f)
{
	sv(&f->db.prevention, "Alert at pool > 70%");
	sv(&f->db.prevention, "Breaker on payment");
	sv(&f->db.prevention, "Split read/write pools");
	sv(&f->db.prevention, "Acquire timeout 3 s");
	sv(&f->db.prevention, "Bulkhead per downstream");
}

static void
test_score_prevention_star3_60pct_no_distractor(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	prevention_fixture(f);
	/* 60% of 5 is 3. */
	action(f, "prevention", "Alert at pool > 70%", "platform team", "x");
	action(f, "prevention", "Breaker on payment", "platform team", "x");
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(star_of(s, SIG_PREVENTION, 2)->met, 0);
	assert_evidence(s, SIG_PREVENTION, 2, "cover 2 of 5");
	action(f, "prevention", "Split read/write pools", "platform team",
	    "x");
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(star_of(s, SIG_PREVENTION, 2)->met, 1);
	assert_evidence(s, SIG_PREVENTION, 2, "cover 3 of 5 prevention items"
	    " with no distractor");
	action(f, "distractor", "Ban Friday deploys", "platform team", "x");
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(star_of(s, SIG_PREVENTION, 2)->met, 0);
	assert_evidence(s, SIG_PREVENTION, 2, "with 1 distractor");
	/* An unfinished form has no action items. */
	f->pm.filled = 0;
	s = compute2(f, 0, 1, 1, 1);
	assert_int_equal(star_of(s, SIG_PREVENTION, 2)->met, 0);
	assert_evidence(s, SIG_PREVENTION, 2, "no post-mortem action items");
}

static void
test_score_prevention_star3_without_debrief_data(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	/*
	 * A form but no debrief data (the score_input allows it): without
	 * the incident's prevention list coverage cannot be judged.
	 */
	action(f, "prevention", "Breaker on payment", "platform team",
	    "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(star_of(s, SIG_PREVENTION, 2)->met, 0);
	assert_int_equal(s->pm_pts[PMP_ACTIONS], 10);
}

/* ---- D.5: blameless culture ---- */

static void
test_score_blameless_star2_page_before_other_teams_asset(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.other_team, "kill job etl-*");
	note(f, 1 * MIN, "ETL job saturating the shared pg");
	cmd(f, 2 * MIN, "page data-team \"your ETL is hurting pg-1\"",
	    HARM_NONE, 0);
	cmd(f, 3 * MIN, "kill job etl-nightly", HARM_NONE, 1);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 1);
	assert_evidence(s, SIG_BLAMELESS, 1, "paged the owners at 2:00");
}

static void
test_score_blameless_star2_acted_without_paging(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	sv(&f->db.other_team, "kill job etl-*");
	cmd(f, 3 * MIN, "kill job etl-nightly", HARM_NONE, 1);
	cmd(f, 4 * MIN, "page data-team \"killed your job\"", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 1,
	    "`kill job etl-nightly` at 3:00) without paging");
	/* Nothing of another team's touched: free of blame is enough. */
	timeline_fini(&f->tl);
	note(f, 1 * MIN, "pool exhausted");
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 1);
	assert_evidence(s, SIG_BLAMELESS, 1, "free of blame");
}

static void
test_score_blameless_star2_blame_words_in_notes_or_pages(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	note(f, 1 * MIN, "pool exhausted");
	note(f, 95 * SEC, "Dave FORGOT the index");
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 1, "at 1:35: \"Dave FORGOT");
	timeline_fini(&f->tl);
	cmd(f, 2 * MIN, "page data-team \"this is your fault\"", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 1, "your fault");
	/* Blame in another command's text is not a note or a page. */
	timeline_fini(&f->tl);
	cmd(f, 2 * MIN, "logs order --grep careless", HARM_NONE, 0);
	s = compute2(f, 0, 1, 1, 0);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 1)->met, 1);
}

static void
test_score_blameless_star3_be_more_careful_item(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	action(f, "prevention", "a", "platform team", "this week");
	action(f, "distractor", "Tell the developer to be more careful",
	    "platform team", "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 2, "more careful");
	/* Another distractor does not fail blamelessness. */
	pm_free(&f->pm);
	action(f, "distractor", "Ban Friday deploys", "platform team",
	    "this week");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 1);
	/* No items: no star. */
	pm_free(&f->pm);
	root_cause(f, "systemic");
	s = compute2(f, 0, 1, 0, 1);
	assert_int_equal(star_of(s, SIG_BLAMELESS, 2)->met, 0);
	assert_evidence(s, SIG_BLAMELESS, 2, "no action items");
}

static void
test_score_signal_stars_sum_met(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;

	root_cause(f, "systemic");
	action(f, "prevention", "a", "platform team", "this week");
	s = compute2(f, 0, 1, 1, 1);
	/* Systemic phrasing, no blame, owned items. */
	assert_int_equal(s->sig[SIG_BLAMELESS].stars, 3);
	/* No action at all: no burst, no rollback. */
	assert_int_equal(s->sig[SIG_MITIGATION].stars, 1);
	assert_int_equal(s->sig[SIG_SYSTEMATIC].stars, 1);
	assert_int_equal(s->sig[SIG_BLAST].stars, 0);
}

/* ---- the breakdown as JSON ---- */

static void
test_score_json_has_signals_and_breakdown(void **state)
{
	struct fx		*f = *state;
	const struct score	*s;
	struct buf		 b;
	const char		*j;

	monitors_fixture(f);
	phase(f, 0, 30 * SEC);
	cmd(f, 20 * SEC, "show overview", HARM_NONE, 0);
	cmd(f, 40 * SEC, "changes", HARM_NONE, 0);
	cmd(f, 60 * SEC, "restart pg-1", HARM_CRITICAL, 0);
	note(f, 70 * SEC, "the \"pool\" is at 100%\tnow");
	root_cause(f, "systemic");
	s = compute2(f, 0, 2, 1, 1);
	buf_init(&b);
	score_json(s, 2, &b);
	j = buf_str(&b);
	assert_non_null(strstr(j, "{\"version\":2,"));
	assert_non_null(strstr(j, "\"detect\":{\"points\":100,\"max\":100,"
	    "\"target_ms\":120000,\"ms\":30000}"));
	assert_non_null(strstr(j, "\"triage\":{\"points\":0,\"max\":200,"
	    "\"target_ms\":600000,\"ms\":null}"));
	assert_non_null(strstr(j, "\"harmful_actions\":150"));
	assert_non_null(strstr(j, "\"signals\":{\"systematic\":{\"stars\":"));
	assert_non_null(strstr(j, "\"blast_radius\":{"));
	assert_non_null(strstr(j, "\"prevention\":{"));
	assert_non_null(strstr(j, "\"blameless\":{\"stars\":"));
	assert_non_null(strstr(j, "{\"met\":true,\"text\":\"opened with "
	    "`show overview` at 0:20"));
	assert_non_null(strstr(j, "\"root_cause\":{\"points\":40,\"max\":40,"
	    "\"why\":\"names the systemic gap\"}"));
	assert_non_null(strstr(j, "\"security_violations\":0"));
	/* Balanced braces and brackets outside strings, no raw controls. */
	{
		int	depth = 0, in_str = 0;
		size_t	i;

		for (i = 0; j[i] != '\0'; i++) {
			assert_true((unsigned char)j[i] >= 0x20);
			if (in_str) {
				if (j[i] == '\\')
					i++;
				else if (j[i] == '"')
					in_str = 0;
			} else if (j[i] == '"')
				in_str = 1;
			else if (j[i] == '{' || j[i] == '[')
				depth++;
			else if (j[i] == '}' || j[i] == ']')
				assert_true(--depth >= 0);
		}
		assert_int_equal(depth, 0);
		assert_int_equal(in_str, 0);
		assert_int_equal(j[i - 1], '}');
	}
	buf_fini(&b);
}

int
main(void)
{
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_score_phase_points_full_then_linear_to_zero_at_3t),
		T(test_score_detect_at_2min_of_1min_target_is_50),
		T(test_score_detect_at_3min_is_zero),
		T(test_score_phase_time_measured_from_t0),
		T(test_score_only_first_phase_event_counts),
		T(test_score_all_phases_on_target_give_800),
		T(test_score_severity_scale_stretches_targets),
		T(test_score_harm_penalties_by_class),
		T(test_score_repeated_useless_command_costs_5),
		T(test_score_distinct_useless_commands_cost_10_each),
		T(test_score_hint_tiers_cost_10_25_60),
		T(test_score_wrong_diagnoses_cost_20_and_three_cap_triage),
		T(test_score_triage_cap_keeps_lower_points),
		T(test_score_budget_penalty_2_per_pct_capped_at_200),
		T(test_score_proactive_declare_bonus_25),
		cmocka_unit_test(test_score_grade_boundaries),
		T(test_score_total_never_below_zero),
		T(test_score_other_events_do_not_score),
		T(test_score_full_run_adds_up),
		T(test_score_computed_totals_at_grade_boundaries),
		T(test_score_triage_decays_over_p2_and_p3_targets),
		T(test_score_t0_from_impact_event_when_unset),
		T(test_score_t0_zero_without_impact_event),
		T(test_score_harm_useless_10_minor_25_major_75_critical_150),
		T(test_score_security_violation_counts_as_security),
		T(test_score_damage_1_per_100_records_capped_at_150),
		T(test_score_damage_halved_when_remediated),
		T(test_score_proactive_declare_bonus_counts_once),
		T(test_score_declared_scope_in_triage_window_bonus_25),
		T(test_score_declared_scope_late_no_bonus),
		T(test_score_declared_scope_wrong_no_bonus),
		T(test_score_no_declare_no_scope_star),
		T(test_score_remediation_bonus_25),
		T(test_score_all_bonuses_add_up),
		T(test_score_incident_bonus_when_its_command_comes_first),
		T(test_score_incident_bonus_lost_when_the_costly_move_comes_first),
		T(test_score_pm_timeline_notes_and_annotations),
		T(test_score_blame_words_are_whole_words),
		T(test_score_pm_annotations_count_each_key_event_once),
		T(test_score_pm_monitor_counted_once),
		T(test_score_pm_annotation_of_a_phase_never_reached_earns_nothing),
		T(test_score_pm_generic_monitor_counts_when_it_covers),
		T(test_score_pm_root_cause_systemic_40_symptom_15),
		T(test_score_pm_root_cause_wrong_and_blame_0),
		T(test_score_pm_action_items_10_each_max_8),
		T(test_score_pm_distractors_floor_at_0),
		T(test_score_pm_owners_teams_with_deadlines_20),
		T(test_score_pm_owners_named_person_0),
		T(test_score_pm_owners_partial),
		T(test_score_pm_monitor_5_each_doubled_when_enabled_capped_20),
		T(test_score_pm_skipped_form_gives_0),
		T(test_score_systematic_star1_view_then_changes_before_action),
		T(test_score_systematic_star1_no_view_in_first_three),
		T(test_score_systematic_star1_changes_after_first_action),
		T(test_score_systematic_star2_two_looks_before_diagnosis),
		T(test_score_systematic_star2_one_look_is_not_enough),
		T(test_score_systematic_star3_no_burst_one_wrong_diagnosis),
		T(test_score_systematic_star3_shotgun_burst),
		T(test_score_systematic_star3_two_wrong_diagnoses),
		T(test_score_mitigation_star1_within_5min_of_detect),
		T(test_score_mitigation_star1_late_or_none),
		T(test_score_mitigation_star2_before_fix_work),
		T(test_score_mitigation_star2_fix_work_first),
		T(test_score_mitigation_star2_mitigation_after_fix_phase),
		T(test_score_mitigation_star3_recent_change_undone_first),
		T(test_score_mitigation_star3_recent_change_not_first),
		T(test_score_mitigation_star3_no_needless_rollback),
		T(test_score_blast_star1_impact_before_first_action),
		T(test_score_blast_star3_isolating_without_global),
		T(test_score_blast_star3_needs_remediation_when_set),
		T(test_score_blast_star3_no_isolating_action),
		T(test_score_prevention_star1_fix_reached),
		T(test_score_prevention_star2_monitor_enabled),
		T(test_score_prevention_star3_60pct_no_distractor),
		T(test_score_prevention_star3_without_debrief_data),
		T(test_score_blameless_star2_page_before_other_teams_asset),
		T(test_score_blameless_star2_acted_without_paging),
		T(test_score_blameless_star2_blame_words_in_notes_or_pages),
		T(test_score_blameless_star3_be_more_careful_item),
		T(test_score_signal_stars_sum_met),
		T(test_score_json_has_signals_and_breakdown),
	};
#undef T

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
