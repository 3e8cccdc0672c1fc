/*
 * Scoring as a pure function of a timeline (catalog D.1-D.5): phase points
 * against severity-scaled targets with linear decay, penalties, bonuses,
 * the post-mortem form's points and the five interview signals, each with
 * the evidence behind it.  The inputs are what the store keeps: the
 * timeline, the incident's debrief data and the post-mortem answers.
 * Versioned so a stored session keeps the score it was given.
 */
#ifndef FD_SCORE_H
#define FD_SCORE_H

#include "engine/game.h"
#include "engine/timeline.h"

/*
 * 1: phases, harm, hints, diagnoses, budget, proactive detection.
 * 2: adds the post-mortem form, scope/remediation bonuses, data-integrity
 *    damage, security flags and the five signals.
 */
#define SCORE_VERSION	2

struct score_input {
	const struct timeline	*tl;
	long			 t0_ms;		/* impact start; -1: from the timeline */
	double			 sev_scale;	/* P1 1, P2 2, P3 4 */
	const struct debrief_def *db;		/* NULL: no debrief data */
	const struct pm_answers	*pm;		/* NULL: no form (headless) */
};

enum signal {
	SIG_SYSTEMATIC,
	SIG_MITIGATION,
	SIG_BLAST,
	SIG_PREVENTION,
	SIG_BLAMELESS,
	SIG__COUNT
};

/* One star of a signal: met or not, and the evidence either way. */
struct star {
	int	met;
	char	evidence[200];
};

struct signal_score {
	int		stars;
	struct star	star[3];
};

/* The post-mortem form's parts (D.4). */
enum pm_part {
	PMP_TIMELINE,
	PMP_ROOT_CAUSE,
	PMP_ACTIONS,
	PMP_OWNERS,
	PMP_MONITORS,
	PMP__COUNT
};

struct score {
	int	phase_pts[4];
	int	phase_max[4];
	long	phase_ms[4];		/* from t0; -1 not reached */
	long	t0_ms;		/* 0 when impact never began */
	int	impact_began;
	int	harm_penalty;
	int	budget_penalty;
	int	hint_penalty;
	int	diag_penalty;
	int	integrity_penalty;
	int	bonus;
	int	pm_pts[PMP__COUNT];
	int	pm_max[PMP__COUNT];
	char	pm_why[PMP__COUNT][160];	/* what earned or cost points */
	int	pm_total;
	int	total;
	char	grade[2];
	double	budget_burned_pct;
	double	bad_records;
	long	failed_requests;	/* user requests that failed */
	int	remediated;
	int	harmful_count;
	int	security_count;
	int	wrong_diagnoses;
	char	bonus_why[8][120];
	int	nbonus_why;
	struct signal_score sig[SIG__COUNT];
};

struct buf;

void	score_compute(const struct score_input *, struct score *);
/* The breakdown as one JSON object (scores.breakdown_json, run --json). */
void	score_json(const struct score *, double sev_scale, struct buf *);
/* Points for reaching a phase at t against target T (D.1). */
int	score_phase_points(int max, long t_ms, long target_ms);
const char *score_grade(int total);
const char *signal_name(enum signal);	/* "systematic", ... (JSON keys) */
const char *signal_title(enum signal);	/* "Systematic debugging", ... */
const char *pm_part_name(enum pm_part);

/* The form's menus, shared by the console and the scoring. */
extern const char *const score_generic_distractors[];	/* NULL-ended */
extern const char *const score_owner_menu[];		/* NULL-ended */
extern const char *const score_deadline_menu[];		/* NULL-ended */
extern const char *const score_handbook_monitors[];	/* NULL-ended */
/*
 * 1 when a command is an action by the rubric: not a look (show, logs,
 * trace, explain, changes, graph, status) and not game bookkeeping (ack,
 * note, declare, diagnose, hint, page, abandon).
 */
int	score_is_action(const char *text);
/* 1 when handbook monitor i is what an incident's monitor text watches. */
int	score_handbook_covers(int i, const char *incident_monitor);
/* 1 for a team or role, 0 for a named person or nothing. */
int	score_owner_is_team(const char *owner);
/* Case-insensitive: the text holds a word of the blame lexicon. */
int	score_blames(const char *text);

#endif
