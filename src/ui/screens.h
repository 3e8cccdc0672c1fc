/*
 * The screens around an incident, drawn from plain data.
 */
#ifndef FD_SCREENS_H
#define FD_SCREENS_H

#include "ui/canvas.h"
#include "ui/view.h"

struct picker_row {
	char	 id[64];
	char	 section[16];
	char	 title[128];
	char	 severity[8];
	int	 difficulty;
	int	 played;
	int	 best;		/* -1: never scored */
	char	 grade[2];
	int	 visible;	/* matches the filter */
	int	 recommended;	/* the one to play next */
	char	 why[160];	/* ...and why, for the picker's last lines */
};

#define RESULTS_MAX_LINES 1024
#define RESULTS_MAX_MARK 64

/* A mark on the session chart: a player's action or a phase reached. */
struct results_mark {
	long	 t_s;
	char	 label[16];
	int	 phase;		/* 1: a phase (label "DETECT"…), 0: action */
};

struct results {
	long	 phase_ms[4], target_ms[4];
	int	 points[4], max[4];
	int	 total, harm, budget, hints, diag, bonus, pm_total;
	char	 grade[2];
	char	 note[200];	/* e.g. "session not recorded: …" */
	double	*err;		/* error rate % per second, owned */
	int	 nerr;
	long	 err_first_s;	/* sim second of err[0] */
	struct results_mark mark[RESULTS_MAX_MARK];
	int	 nmark;
	/* The scrolled part: one logical line each, wrapped when drawn. */
	char	*lines[RESULTS_MAX_LINES];
	enum role line_role[RESULTS_MAX_LINES];
	unsigned char line_indent[RESULTS_MAX_LINES];
	int	 nlines;
};

struct session;
struct score;
struct timeline;

/*
 * Fill r from a finished session and its score (which may include the
 * post-mortem): the breakdown, the signals with their evidence, the
 * debrief (report/debrief.c, beside the expert path when expert is not
 * NULL) and the timeline as lines, and the error-rate series with the
 * player's actions for the chart.  utf8 picks the star glyphs.
 */
void	results_build(struct results *, const struct session *,
	    const struct score *, const struct timeline *expert, int utf8);
void	results_fini(struct results *);

void	screen_title_draw(struct canvas *);
void	screen_picker_draw(struct canvas *, const struct picker_row *, int n,
	    int sel, const char *filter);
void	screen_briefing_draw(struct canvas *, const struct picker_row *,
	    const char *briefing, const char *clock);
void	screen_results_draw(struct canvas *, const struct view *,
	    const struct results *, int scroll);
int	wrap_text(struct canvas *, struct rect, enum role, const char *);

#endif
