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

#define RESULTS_MAX_LINES 512

struct results {
	long	 phase_ms[4], target_ms[4];
	int	 points[4], max[4];
	int	 total, harm, budget, hints, diag, bonus;
	char	 grade[2];
	char	 note[200];	/* e.g. "session not recorded: …" */
	char	*lines[RESULTS_MAX_LINES];
	enum role line_role[RESULTS_MAX_LINES];
	int	 nlines;
};

void	screen_title_draw(struct canvas *);
void	screen_picker_draw(struct canvas *, const struct picker_row *, int n,
	    int sel, const char *filter);
void	screen_briefing_draw(struct canvas *, const struct picker_row *,
	    const char *briefing, const char *clock);
void	screen_results_draw(struct canvas *, const struct view *,
	    const struct results *, int scroll);
int	wrap_text(struct canvas *, struct rect, enum role, const char *);

#endif
