/*
 * The rubric of catalog D.1-D.3, computed only from timeline events.
 */
#include <math.h>
#include <string.h>

#include "score/score.h"

static const int	 phase_max[4] = { 100, 200, 300, 200 };
static const long	 phase_target[4] = { 60000, 300000, 900000, 3600000 };

int
score_phase_points(int max, long t, long target)
{
	double	f;

	if (t < 0)
		return (0);
	if (t <= target)
		return (max);
	f = (3.0 * target - t) / (2.0 * target);
	return (f <= 0 ? 0 : (int)floor(max * f + 0.5));
}

const char *
score_grade(int total)
{
	if (total >= 900)
		return ("S");
	if (total >= 750)
		return ("A");
	if (total >= 600)
		return ("B");
	if (total >= 400)
		return ("C");
	return ("D");
}

void
score_compute(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	static const int	 harm_pts[] = { 0, 10, 25, 75, 150 };
	int			 i, j, p, wrong = 0, tier3 = 0, again;
	long			 t0 = in->t0_ms > 0 ? in->t0_ms : 0;

	memset(s, 0, sizeof *s);
	for (p = 0; p < 4; p++) {
		s->phase_ms[p] = -1;
		s->phase_max[p] = phase_max[p];
	}
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];

		switch (e->kind) {
		case EV_PHASE:
			if (e->arg >= 0 && e->arg < 4 &&
			    s->phase_ms[e->arg] < 0) {
				long at = (long)e->val;

				s->phase_ms[e->arg] = at > t0 ? at - t0 : 0;
			}
			break;
		case EV_COMMAND:
			if (e->arg <= HARM_NONE || e->arg > HARM_CRITICAL)
				break;
			s->harmful_count++;
			/* The same useless command repeated costs half. */
			again = 0;
			for (j = 0; j < i && e->arg == HARM_USELESS; j++)
				if (tl->v[j].kind == EV_COMMAND &&
				    tl->v[j].arg == HARM_USELESS &&
				    strcmp(tl->v[j].text, e->text) == 0)
					again = 1;
			s->harm_penalty += again ? 5 : harm_pts[e->arg];
			break;
		case EV_HINT:
			s->hint_penalty += e->arg == 1 ? 10 : e->arg == 2 ?
			    25 : 60;
			if (e->arg >= 3)
				tier3 = 1;
			break;
		case EV_DIAGNOSIS:
			if (e->arg != 1)	/* DIAG_CORRECT */
				wrong++;
			break;
		case EV_DECLARE:
			if (e->arg == 1)
				s->bonus += 25;
			break;
		case EV_END:
			s->budget_burned_pct = e->val;
			break;
		default:
			break;
		}
	}
	for (p = 0; p < 4; p++) {
		long target = (long)(phase_target[p] * in->sev_scale);

		s->phase_pts[p] = score_phase_points(phase_max[p],
		    s->phase_ms[p], target);
	}
	s->diag_penalty = 20 * wrong;
	/* After three wrong ids or a tier-3 hint TRIAGE is worth 100 at most. */
	if ((wrong >= 3 || tier3) && s->phase_pts[1] > 100)
		s->phase_pts[1] = 100;
	s->budget_penalty = (int)floor(2 * s->budget_burned_pct + 0.5);
	if (s->budget_penalty > 200)
		s->budget_penalty = 200;
	s->total = s->bonus - s->harm_penalty - s->budget_penalty -
	    s->hint_penalty - s->diag_penalty;
	for (p = 0; p < 4; p++)
		s->total += s->phase_pts[p];
	if (s->total < 0)
		s->total = 0;
	memcpy(s->grade, score_grade(s->total), 2);
}
