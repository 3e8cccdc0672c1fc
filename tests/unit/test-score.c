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

#include <string.h>

#include "engine/timeline.h"
#include "score/score.h"

#define MIN	60000L

struct fx {
	struct timeline	tl;
	struct score	s;
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
	struct fx	*f = *state;

	timeline_fini(&f->tl);
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
	};
#undef T

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
