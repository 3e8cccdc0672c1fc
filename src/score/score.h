/*
 * Scoring as a pure function of a timeline (catalog D.1-D.3): phase points
 * against severity-scaled targets with linear decay, penalties for harmful
 * actions, hints, wrong diagnoses and burned error budget, and bonuses.
 * Versioned so a stored session keeps the score it was given.
 */
#ifndef FD_SCORE_H
#define FD_SCORE_H

#include "engine/timeline.h"

#define SCORE_VERSION	1

struct score_input {
	const struct timeline	*tl;
	long			 t0_ms;		/* impact start; -1 unknown */
	double			 sev_scale;	/* P1 1, P2 2, P3 4 */
};

struct score {
	int	phase_pts[4];
	int	phase_max[4];
	long	phase_ms[4];		/* from t0; -1 not reached */
	int	harm_penalty;
	int	budget_penalty;
	int	hint_penalty;
	int	diag_penalty;
	int	bonus;
	int	total;
	char	grade[2];
	double	budget_burned_pct;
	int	harmful_count;
};

void	score_compute(const struct score_input *, struct score *);
/* Points for reaching a phase at t against target T (D.1). */
int	score_phase_points(int max, long t_ms, long target_ms);
const char *score_grade(int total);

#endif
