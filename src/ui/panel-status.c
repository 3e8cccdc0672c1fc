/*
 * The status bar: what is happening and how it is going, in two lines —
 * incident, sim clock, speed, score and budget (and a ghost's marks to
 * beat); then the four phases against their targets, alert counts and the
 * action in flight.
 */
#include <stdio.h>
#include <string.h>

#include "ui/panel.h"

/*
 * The ghost's four marks, right-aligned to end at column end, in the
 * widest of three forms that leaves min columns to its left.  Each mark
 * turns green once the player reaches that phase no later than the ghost
 * did, red once reached later, amber while running past it; a symbol
 * repeats the colour's meaning for monochrome terminals.  Returns the
 * first column used, or end when even the tiniest form does not fit.
 */
static int
draw_ghost(struct canvas *c, int min, int end, int y, int narrow,
    const struct view *v, const struct view_ghost *gh)
{
	static const char *const label[3] = { "ghost", "gh", "gh" };
	static const char	 letter[4] = { 'D', 'T', 'M', 'F' };
	const struct glyphs	*g = c->gl;
	char			 t[16], item[4][32];
	enum role		 role[4];
	const char		*sym[4];
	int			 p, w = 0, x, form;

	for (p = 0; p < 4; p++) {
		const struct view_phase	*ph = &v->phase[p];
		long			 mark = gh->mark_ms[p];

		role[p] = ROLE_BAR;
		sym[p] = "";
		if (ph->t_ms >= 0 && (mark < 0 || ph->t_ms <= mark)) {
			role[p] = ROLE_OK;
			sym[p] = g->done;
		} else if (ph->t_ms >= 0) {
			role[p] = ROLE_CRIT;
			sym[p] = g->late;
		} else if (mark >= 0 && ph->running_ms > mark)
			role[p] = ROLE_WARN;
	}
	for (form = narrow ? 1 : 0; form < 3; form++) {
		w = utf8_width(label[form]);
		for (p = 0; p < 4; p++) {
			fmt_clock_ms(gh->mark_ms[p], t, sizeof t);
			if (form == 0)
				snprintf(item[p], sizeof item[p], "%c %s%s",
				    letter[p], t, sym[p]);
			else if (form == 1)
				snprintf(item[p], sizeof item[p], "%c%s%s",
				    letter[p], t, sym[p]);
			else
				snprintf(item[p], sizeof item[p], "%s%s", t,
				    sym[p]);
			w += 1 + utf8_width(item[p]);
		}
		if (end - w >= min)
			break;
	}
	if (form == 3)
		return (end);
	x = end - w;
	w = x + canvas_put(c, x, y, end - x, ROLE_BAR, label[form]);
	for (p = 0; p < 4; p++)
		w += 1 + canvas_put(c, w + 1, y, end - w - 1, role[p],
		    item[p]);
	return (x);
}

void
panel_status_draw(struct canvas *c, struct rect r, const struct view *v,
    const struct ui_state *st)
{
	const struct glyphs	*g = c->gl;
	char			 a[32], b[32], right[160];
	int			 x, p, i, filled;

	canvas_fill(c, (struct rect){ r.x, r.y, r.w, 1 }, ROLE_BAR);
	/* The right end: clock, speed, score, budget. */
	filled = (int)(v->budget_pct / 20 + 0.5);
	if (filled > 5)
		filled = 5;
	if (st->paused)
		snprintf(a, sizeof a, "%s PAUSED", g->pause);
	else
		snprintf(a, sizeof a, "%s %g%s", g->play, st->speed, g->times);
	snprintf(right, sizeof right, "%s  %s   score %d   budget ", v->date,
	    a, v->score);
	{
		int rw = utf8_width(right) + 5 + 6;
		int rx = r.x + r.w - rw - 1;
		int tx = rx;

		/* The title gives way to the clock, the score and a ghost. */
		if (st->ghost != NULL && st->ghost->on)
			tx = draw_ghost(c, r.x + 1, rx - 2, r.y, r.w < 110,
			    v, st->ghost);
		x = canvas_printf(c, r.x + 1, r.y, tx - r.x - 3, ROLE_BAR,
		    "firedrill %s%s%s%s%s %s %s §%s %s", st->tag != NULL ?
		    g->dot : "", st->tag != NULL ? " " : "", st->tag != NULL ?
		    st->tag : "", st->tag != NULL ? " " : "", g->dot,
		    v->incident, g->dot, v->section, v->title);
		if (rx > r.x + x + 2) {
			canvas_put(c, rx, r.y, rw, ROLE_BAR, right);
			rx += utf8_width(right);
			for (i = 0; i < 5; i++)
				canvas_cell(c, rx + i, r.y, i < filled ?
				    ROLE_CRIT : ROLE_BAR, i < filled ? g->bar_full :
				    g->bar_empty);
			snprintf(b, sizeof b, " %3.0f%%", v->budget_pct);
			canvas_put(c, rx + 5, r.y, 6, ROLE_BAR, b);
		}
	}

	/* Phases. */
	x = r.x + 1;
	for (p = 0; p < 4; p++) {
		const struct view_phase	*ph = &v->phase[p];
		const char		*sym;
		enum role		 role;
		long			 t;

		if (ph->t_ms >= 0) {
			t = ph->t_ms;
			sym = ph->t_ms <= ph->target_ms ? g->done : g->late;
			role = ph->t_ms <= ph->target_ms ? ROLE_OK : ROLE_WARN;
		} else if (ph->running_ms >= 0) {
			t = ph->running_ms;
			sym = t <= ph->target_ms ? g->running : g->late;
			role = t <= ph->target_ms ? ROLE_TEXT : ROLE_CRIT;
		} else {
			t = -1;
			sym = g->waiting;
			role = ROLE_DIM;
		}
		/* Narrow terminals get the phases' first three letters. */
		x += canvas_printf(c, x, r.y + 1, r.x + r.w - x, role,
		    "%.*s %s ", r.w < 110 ? 3 : 8, ph->name, sym);
		fmt_clock_ms(t, a, sizeof a);
		fmt_clock_ms(ph->target_ms, b, sizeof b);
		x += canvas_printf(c, x, r.y + 1, r.x + r.w - x, role,
		    "%s/%s", a, b);
		if (ph->t_ms < 0 && ph->running_ms > ph->target_ms &&
		    r.w >= 110)
			x += canvas_put(c, x, r.y + 1, r.x + r.w - x, ROLE_CRIT,
			    " late");
		x += r.w < 110 ? 1 : 3;
	}
	if (v->progress[0] != '\0' && x < r.x + r.w - 40)
		x += canvas_printf(c, x, r.y + 1, r.x + r.w - x - 22,
		    ROLE_ACCENT, "%s %s", g->arrow, v->progress) + 2;
	if (r.w < 110)
		snprintf(right, sizeof right, "%d firing", v->nfiring);
	else
		snprintf(right, sizeof right, "%d firing %s %d acked",
		    v->nfiring, g->dot, v->nacked);
	canvas_put_right(c, r.x, r.y + 1, r.w - 1, st->flash > 0 ? ROLE_FLASH :
	    v->nfiring > 0 ? ROLE_CRIT : ROLE_DIM, right);
}
