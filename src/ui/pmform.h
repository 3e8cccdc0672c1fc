/*
 * The post-mortem form (catalog D.4) as a model: four steps (timeline
 * annotations, root cause, action items with owners and deadlines,
 * monitors), driven by keys, turned into pm_answers rows at the end.
 * Pure: no terminal, no store, no wall clock; the shuffles come from the
 * session's seed.  Drawing is a separate function over a canvas.
 */
#ifndef FD_PMFORM_H
#define FD_PMFORM_H

#include <stdint.h>

#include "engine/game.h"
#include "engine/timeline.h"
#include "ui/canvas.h"

enum pmf_step {
	PMF_TIMELINE,
	PMF_ROOT_CAUSE,
	PMF_ACTIONS,
	PMF_MONITORS,
	PMF__STEPS,
};

#define PMF_TEXT	160

struct pmf_item {
	const char	*text;		/* borrowed from the debrief data */
	int		 prevention;	/* 1 prevention item, 0 distractor */
	int		 on;
	int		 owner;		/* index in score_owner_menu; -1 none */
	int		 deadline;	/* index in score_deadline_menu; -1 */
};

struct pmf_check {
	const char	*text;
	int		 on;
};

struct pmform {
	enum pmf_step	 step;		/* PMF__STEPS: finished */
	int		 skipped[PMF__STEPS];
	int		 was_skipped[PMF__STEPS];	/* at the last finish */

	char		 ann[4][PMF_TEXT];	/* detect triage mitigate fix */
	int		 field;
	char		**tl;		/* the auto-built timeline, owned */
	int		 ntl;
	int		 tl_scroll;
	long		 phase_at[4];	/* when each phase was reached, -1 */

	int		 rc_order[PM_RC__COUNT];	/* shown order */
	int		 rc_sel;	/* row */
	int		 rc_chosen;	/* enum pm_rc, -1 none */
	const char	*rc_text[PM_RC__COUNT];

	struct pmf_item	*item;
	int		 nitem;
	int		 item_sel;

	struct pmf_check *mon;
	int		 nmon;
	int		 mon_sel;
};

enum pmf_result {
	PMF_CONTINUE,
	PMF_FINISHED,
};

/*
 * Build the form for an incident's debrief data; the item and root-cause
 * orders are shuffled from seed (stable for a session).  tl, if not NULL,
 * gives the auto-built timeline shown in the first step.
 */
void	pmform_init(struct pmform *, const struct debrief_def *,
	    const struct timeline *tl, uint64_t seed);
void	pmform_fini(struct pmform *);
/*
 * Open it again at the first step, keeping the answers given so far;
 * Esc then keeps the steps answered last time as they were.
 */
void	pmform_reopen(struct pmform *);
/*
 * One key: a Unicode code point or a K_* of ui/term.h.  Tab skips the
 * step (and `s` outside a text field), Esc skips the rest; a step that
 * holds answers (this pass or the last) keeps them rather than being
 * skipped, so nothing on screen is ever thrown away.
 */
enum pmf_result pmform_key(struct pmform *, int key);
/* The answers as rows (pm is emptied first); filled is set. */
void	pmform_answers(const struct pmform *, struct pm_answers *);
/* "Root cause · 40 pts · skip: -40" for a step. */
const char *pmform_step_title(enum pmf_step);
const char *pmform_step_cost(enum pmf_step);
/* How many entries a NULL-ended menu (owners, deadlines) has. */
int	pmform_menu_len(const char *const *);
/* Draw the current step into the whole canvas. */
void	pmform_draw(const struct pmform *, struct canvas *);

#endif
