/*
 * The post-mortem form: a model the keys drive and the console draws.
 * It holds the player's choices only; the rows it hands back are scored
 * by score.c and kept by the store.  It never touches the game.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "engine/rng.h"
#include "score/score.h"
#include "ui/panel.h"
#include "ui/pmform.h"
#include "ui/screens.h"
#include "ui/term.h"
#include "util/xmalloc.h"

static const char *const ann_keys[4] = { "detect", "triage", "mitigate",
    "fix" };
static const char *const ann_names[4] = { "DETECT", "TRIAGE", "MITIGATE",
    "FIX" };
static const char *const rc_keys[PM_RC__COUNT] = { "systemic", "symptom",
    "wrong", "blame" };
static const char *const step_keys[PMF__STEPS] = { "timeline",
    "root_cause", "actions", "monitors" };
static const char *const step_titles[PMF__STEPS] = {
	"Timeline · 40 pts",
	"Root cause · 40 pts",
	"Action items · 80 pts + owners 20",
	"Monitoring to add · 20 pts",
};
/* What skipping costs: the notes taken in play still count. */
static const char *const step_costs[PMF__STEPS] = {
	"skip: -20 (5 per key event)",
	"skip: -40",
	"skip: -100",
	"skip: -20",
};

const char *
pmform_step_title(enum pmf_step s)
{
	return (s < PMF__STEPS ? step_titles[s] : "Done");
}

const char *
pmform_step_cost(enum pmf_step s)
{
	return (s < PMF__STEPS ? step_costs[s] : "");
}

int
pmform_menu_len(const char *const *m)
{
	int	n = 0;

	while (m[n] != NULL)
		n++;
	return (n);
}

/* Fisher-Yates from the form's own stream: stable for a seed. */
static void
shuffle_ints(struct rng *r, int *v, int n)
{
	int	i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (int)rng_range(r, 0, i);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void
add_item(struct pmform *f, const char *text, int prevention)
{
	int	i;

	if (text == NULL || *text == '\0')
		return;
	for (i = 0; i < f->nitem; i++)
		if (strcasecmp(f->item[i].text, text) == 0)
			return;
	f->item = xreallocarray(f->item, f->nitem + 1, sizeof *f->item);
	f->item[f->nitem].text = text;
	f->item[f->nitem].prevention = prevention;
	f->item[f->nitem].on = 0;
	f->item[f->nitem].owner = -1;
	f->item[f->nitem].deadline = -1;
	f->nitem++;
}

static void
add_check(struct pmform *f, const char *text)
{
	int	i;

	if (text == NULL || *text == '\0')
		return;
	for (i = 0; i < f->nmon; i++)
		if (strcasecmp(f->mon[i].text, text) == 0)
			return;
	f->mon = xreallocarray(f->mon, f->nmon + 1, sizeof *f->mon);
	f->mon[f->nmon].text = text;
	f->mon[f->nmon].on = 0;
	f->nmon++;
}

/* Whether a command belongs on the timeline: anything but looking. */
static int
tl_command(const struct event *e)
{
	return (e->kind == EV_COMMAND && cmd_mutates(e->text));
}

static void
build_timeline(struct pmform *f, const struct timeline *tl)
{
	char	t[16];
	int	i;

	for (i = 0; tl != NULL && i < tl->n; i++) {
		const struct event	*e = &tl->v[i];
		const char		*what;

		switch (e->kind) {
		case EV_FAULT:		what = "trigger"; break;
		case EV_IMPACT:		what = "impact"; break;
		case EV_ALERT_FIRED:	what = "alert"; break;
		case EV_ALERT_ACKED:	what = "ack"; break;
		case EV_PHASE:
			what = "phase";
			if (e->arg >= 0 && e->arg < 4)
				f->phase_at[e->arg] = e->t_ms;
			break;
		case EV_NOTE:		what = "note"; break;
		case EV_DIAGNOSIS:	what = "diagnosis"; break;
		case EV_DECLARE:	what = "declare"; break;
		case EV_HINT:		what = "hint"; break;
		case EV_END:		what = "end"; break;
		case EV_COMMAND:
			if (!tl_command(e))
				continue;
			what = "action";
			break;
		default:
			continue;
		}
		fmt_clock_ms(e->t_ms, t, sizeof t);
		f->tl = xreallocarray(f->tl, f->ntl + 1, sizeof *f->tl);
		f->tl[f->ntl++] = xasprintf("%7s  %-9s %s", t, what,
		    e->text != NULL ? e->text : "");
	}
}

void
pmform_init(struct pmform *f, const struct debrief_def *db,
    const struct timeline *tl, uint64_t seed)
{
	struct rng	 r;
	struct pmf_item	*tmp;
	int		*ord, i, j;

	memset(f, 0, sizeof *f);
	f->rc_chosen = -1;
	for (i = 0; i < PMF__STEPS; i++)
		f->was_skipped[i] = 1;
	/* Its own stream off the seed: the game's draws stay untouched. */
	rng_init(&r, seed ^ 0x706d666f726dULL, RNG_COSMETIC);
	for (i = 0; i < PM_RC__COUNT; i++) {
		f->rc_order[i] = i;
		f->rc_text[i] = db != NULL ? db->rc[i] : NULL;
	}
	shuffle_ints(&r, f->rc_order, PM_RC__COUNT);

	for (i = 0; db != NULL && i < db->prevention.n; i++)
		add_item(f, db->prevention.v[i], 1);
	for (i = 0; score_generic_distractors[i] != NULL; i++)
		add_item(f, score_generic_distractors[i], 0);
	for (i = 0; db != NULL && i < db->distractors.n; i++)
		add_item(f, db->distractors.v[i], 0);
	if (f->nitem > 0) {
		ord = xcalloc(f->nitem, sizeof *ord);
		for (i = 0; i < f->nitem; i++)
			ord[i] = i;
		shuffle_ints(&r, ord, f->nitem);
		tmp = xcalloc(f->nitem, sizeof *tmp);
		for (i = 0; i < f->nitem; i++)
			tmp[i] = f->item[ord[i]];
		free(f->item);
		f->item = tmp;
		free(ord);
	}

	/* The handbook's list, less what the incident names in its own words. */
	for (i = 0; score_handbook_monitors[i] != NULL; i++) {
		for (j = 0; db != NULL && j < db->nmonitors; j++)
			if (score_handbook_covers(i, db->monitors[j].text))
				break;
		if (db == NULL || j == db->nmonitors)
			add_check(f, score_handbook_monitors[i]);
	}
	for (i = 0; db != NULL && i < db->nmonitors; i++)
		add_check(f, db->monitors[i].text);
	if (f->nmon > 0) {
		struct pmf_check *mt = xcalloc(f->nmon, sizeof *mt);

		ord = xcalloc(f->nmon, sizeof *ord);
		for (i = 0; i < f->nmon; i++)
			ord[i] = i;
		shuffle_ints(&r, ord, f->nmon);
		for (i = 0; i < f->nmon; i++)
			mt[i] = f->mon[ord[i]];
		free(f->mon);
		f->mon = mt;
		free(ord);
	}
	for (i = 0; i < 4; i++)
		f->phase_at[i] = -1;
	build_timeline(f, tl);
	/* Start the list where the story starts to matter: its end. */
	f->tl_scroll = 0;
}

void
pmform_fini(struct pmform *f)
{
	int	i;

	for (i = 0; i < f->ntl; i++)
		free(f->tl[i]);
	free(f->tl);
	free(f->item);
	free(f->mon);
	memset(f, 0, sizeof *f);
}

void
pmform_reopen(struct pmform *f)
{
	memset(f->skipped, 0, sizeof f->skipped);
	f->step = PMF_TIMELINE;
	f->field = 0;
}

/* Append one code point to a text field, if it fits. */
static void
text_add(char *s, size_t size, int k)
{
	char	u[5];
	size_t	n = 0, len = strlen(s);

	if (k < 0x20 || k == 0x7f || k >= 0x110000)
		return;
	if (k < 0x80)
		u[n++] = (char)k;
	else if (k < 0x800) {
		u[n++] = (char)(0xc0 | (k >> 6));
		u[n++] = (char)(0x80 | (k & 0x3f));
	} else if (k < 0x10000) {
		u[n++] = (char)(0xe0 | (k >> 12));
		u[n++] = (char)(0x80 | ((k >> 6) & 0x3f));
		u[n++] = (char)(0x80 | (k & 0x3f));
	} else {
		u[n++] = (char)(0xf0 | (k >> 18));
		u[n++] = (char)(0x80 | ((k >> 12) & 0x3f));
		u[n++] = (char)(0x80 | ((k >> 6) & 0x3f));
		u[n++] = (char)(0x80 | (k & 0x3f));
	}
	if (len + n + 1 > size)
		return;
	memcpy(s + len, u, n);
	s[len + n] = '\0';
}

static void
text_backspace(char *s)
{
	size_t	len = strlen(s);

	while (len > 0 && ((unsigned char)s[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	s[len] = '\0';
}

/* Whether a step holds any answer. */
static int
has_input(const struct pmform *f, enum pmf_step s)
{
	int	i;

	switch (s) {
	case PMF_TIMELINE:
		for (i = 0; i < 4; i++)
			if (f->ann[i][0] != '\0')
				return (1);
		return (0);
	case PMF_ROOT_CAUSE:
		return (f->rc_chosen >= 0);
	case PMF_ACTIONS:
		for (i = 0; i < f->nitem; i++)
			if (f->item[i].on)
				return (1);
		return (0);
	case PMF_MONITORS:
		for (i = 0; i < f->nmon; i++)
			if (f->mon[i].on)
				return (1);
		return (0);
	default:
		return (0);
	}
}

static enum pmf_result
next_step(struct pmform *f)
{
	if (f->step < PMF__STEPS)
		f->step++;
	if (f->step < PMF__STEPS)
		return (PMF_CONTINUE);
	memcpy(f->was_skipped, f->skipped, sizeof f->was_skipped);
	return (PMF_FINISHED);
}

static int
cycle(int v, int n, int dir)
{
	/* -1 (nothing chosen) sits before the first entry. */
	v += dir;
	if (v < -1)
		v = n - 1;
	if (v >= n)
		v = -1;
	return (v);
}

static void
move(int *sel, int n, int dir)
{
	*sel += dir;
	if (*sel < 0)
		*sel = 0;
	if (*sel >= n)
		*sel = n > 0 ? n - 1 : 0;
}

enum pmf_result
pmform_key(struct pmform *f, int k)
{
	struct pmf_item	*it;
	int		 i;

	if (f->step >= PMF__STEPS)
		return (PMF_FINISHED);
	if (k == 27) {
		/* The rest is skipped, but nothing on screen is lost: a
		 * step with answers (this pass or the last) keeps them. */
		for (i = f->step; i < PMF__STEPS; i++)
			f->skipped[i] = has_input(f, (enum pmf_step)i) ? 0 :
			    f->was_skipped[i];
		f->step = PMF__STEPS - 1;
		return (next_step(f));
	}
	if (k == K_TAB || ((k == 's' || k == 'S') &&
	    f->step != PMF_TIMELINE)) {
		/* Skipping never throws away what the step shows. */
		f->skipped[f->step] = !has_input(f, f->step);
		return (next_step(f));
	}
	if (k == K_BTAB) {
		if (f->step > 0) {
			f->step--;
			f->skipped[f->step] = 0;
		}
		return (PMF_CONTINUE);
	}
	switch (f->step) {
	case PMF_TIMELINE:
		if (k == K_ENTER || k == K_DOWN) {
			if (f->field < 3)
				f->field++;
			else if (k == K_ENTER)
				return (next_step(f));
		} else if (k == K_UP && f->field > 0)
			f->field--;
		else if (k == K_PGUP)
			f->tl_scroll = f->tl_scroll > 5 ? f->tl_scroll - 5 : 0;
		else if (k == K_PGDN)
			f->tl_scroll = f->tl_scroll + 5 < f->ntl ?
			    f->tl_scroll + 5 : f->tl_scroll;
		else if (k == K_BACKSPACE)
			text_backspace(f->ann[f->field]);
		else if (k == 21)	/* Ctrl-U */
			f->ann[f->field][0] = '\0';
		else if (k < K_RESIZE)
			text_add(f->ann[f->field], sizeof f->ann[f->field], k);
		break;
	case PMF_ROOT_CAUSE:
		if (k == K_UP || k == K_DOWN)
			move(&f->rc_sel, PM_RC__COUNT, k == K_UP ? -1 : 1);
		else if (k >= '1' && k < '1' + PM_RC__COUNT) {
			f->rc_sel = k - '1';
			f->rc_chosen = f->rc_order[f->rc_sel];
		} else if (k == ' ')
			f->rc_chosen = f->rc_order[f->rc_sel];
		else if (k == K_ENTER) {
			f->rc_chosen = f->rc_order[f->rc_sel];
			return (next_step(f));
		}
		break;
	case PMF_ACTIONS:
		if (f->nitem == 0) {
			if (k == K_ENTER)
				return (next_step(f));
			break;
		}
		it = &f->item[f->item_sel];
		if (k == K_UP || k == K_DOWN)
			move(&f->item_sel, f->nitem, k == K_UP ? -1 : 1);
		else if (k == ' ')
			it->on = !it->on;
		else if (k == K_LEFT || k == K_RIGHT) {
			it->owner = cycle(it->owner,
			    pmform_menu_len(score_owner_menu),
			    k == K_LEFT ? -1 : 1);
			it->on = 1;
		} else if (k == 'd' || k == 'D') {
			it->deadline = cycle(it->deadline,
			    pmform_menu_len(score_deadline_menu),
			    k == 'd' ? 1 : -1);
			it->on = 1;
		} else if (k == K_ENTER)
			return (next_step(f));
		break;
	case PMF_MONITORS:
		if (k == K_UP || k == K_DOWN)
			move(&f->mon_sel, f->nmon, k == K_UP ? -1 : 1);
		else if (k == ' ' && f->nmon > 0)
			f->mon[f->mon_sel].on = !f->mon[f->mon_sel].on;
		else if (k == K_ENTER)
			return (next_step(f));
		break;
	default:
		break;
	}
	return (PMF_CONTINUE);
}

void
pmform_answers(const struct pmform *f, struct pm_answers *pm)
{
	int	i;

	pm_free(pm);
	for (i = 0; i < PMF__STEPS; i++)
		if (f->skipped[i])
			pm_add(pm, "skipped", step_keys[i], NULL, NULL, NULL);
	if (!f->skipped[PMF_TIMELINE])
		for (i = 0; i < 4; i++)
			if (f->ann[i][0] != '\0')
				pm_add(pm, "annotation", ann_keys[i],
				    f->ann[i], NULL, NULL);
	if (!f->skipped[PMF_ROOT_CAUSE] && f->rc_chosen >= 0)
		pm_add(pm, "root_cause", rc_keys[f->rc_chosen],
		    f->rc_text[f->rc_chosen], NULL, NULL);
	if (!f->skipped[PMF_ACTIONS])
		for (i = 0; i < f->nitem; i++) {
			const struct pmf_item *it = &f->item[i];

			if (!it->on)
				continue;
			pm_add(pm, "action", it->prevention ? "prevention" :
			    "distractor", it->text, it->owner >= 0 ?
			    score_owner_menu[it->owner] : NULL,
			    it->deadline >= 0 ?
			    score_deadline_menu[it->deadline] : NULL);
		}
	if (!f->skipped[PMF_MONITORS])
		for (i = 0; i < f->nmon; i++)
			if (f->mon[i].on)
				pm_add(pm, "monitor", NULL, f->mon[i].text,
				    NULL, NULL);
	pm->filled = 1;
}

/* ---- drawing ---- */

/* First row of a list of n so that sel shows in rows. */
static int
list_top(int sel, int n, int rows)
{
	int	top = sel - rows / 2;

	if (top > n - rows)
		top = n - rows;
	return (top < 0 ? 0 : top);
}

static void
draw_timeline(const struct pmform *f, struct canvas *c, int y, int bottom)
{
	char	t[16];
	int	rows, i, x, top, lab = 17;

	/* Four fields and a hint at the bottom; the story above. */
	rows = bottom - y - 7;
	canvas_put(c, 2, y++, c->w - 4, ROLE_DIM, "What happened, from the"
	    " event log (PgUp/PgDn scroll):");
	top = f->ntl - rows - f->tl_scroll;
	if (top < 0)
		top = 0;
	for (i = top; i < f->ntl && i < top + rows; i++)
		canvas_put(c, 2, y++, c->w - 4, strstr(f->tl[i], " note ") !=
		    NULL ? ROLE_INFO : strstr(f->tl[i], " phase ") != NULL ?
		    ROLE_OK : ROLE_TEXT, f->tl[i]);
	if (f->ntl == 0)
		canvas_put(c, 2, y, c->w - 4, ROLE_DIM, "(no events)");
	y = bottom - 5;
	canvas_put(c, 2, y++, c->w - 4, ROLE_TITLE, "Annotate the four key"
	    " events: what we saw / what we did");
	for (i = 0; i < 4; i++, y++) {
		enum role r = i == f->field ? ROLE_SELECT : ROLE_TEXT;

		canvas_fill(c, (struct rect){ 2, y, c->w - 4, 1 }, r);
		if (f->phase_at[i] >= 0)
			fmt_clock_ms(f->phase_at[i], t, sizeof t);
		else
			snprintf(t, sizeof t, "–");
		canvas_printf(c, 2, y, lab, i == f->field ? ROLE_SELECT :
		    ROLE_BOLD, "%-8s %s", ann_names[i], t);
		x = 2 + lab;
		if (f->ann[i][0] == '\0' && i != f->field)
			canvas_put(c, x, y, c->w - x - 2, ROLE_DIM, "(empty)");
		else {
			int w = utf8_width(f->ann[i]), room = c->w - x - 3;
			const char *p = f->ann[i];

			/* Keep the end of a long line in view. */
			while (w > room && *p != '\0') {
				p++;
				while ((*p & 0xc0) == 0x80)
					p++;
				w = utf8_width(p);
			}
			canvas_put(c, x, y, room + 1, r, p);
			if (i == f->field) {
				c->cursor_on = 1;
				c->cur_x = x + w;
				c->cur_y = y;
			}
		}
	}
}

static void
draw_root_cause(const struct pmform *f, struct canvas *c, int y, int bottom)
{
	int	i, k;

	canvas_put(c, 2, y++, c->w - 4, ROLE_DIM, "Which statement names the"
	    " root cause?  (not who: what let it happen)");
	y++;
	for (i = 0; i < PM_RC__COUNT && y < bottom; i++) {
		enum role r = i == f->rc_sel ? ROLE_SELECT : ROLE_TEXT;
		int chosen = f->rc_order[i] == f->rc_chosen;
		char head[16];

		k = f->rc_order[i];
		snprintf(head, sizeof head, "%d. (%s)", i + 1, chosen ?
		    (c->gl->utf8 ? "●" : "*") : " ");
		canvas_fill(c, (struct rect){ 2, y, c->w - 4, 1 }, r);
		canvas_put(c, 2, y, 8, r, head);
		y += wrap_text(c, (struct rect){ 10, y, c->w - 12,
		    bottom - y }, r, f->rc_text[k] != NULL ? f->rc_text[k] :
		    "(none)");
		y++;
	}
}

static void
draw_actions(const struct pmform *f, struct canvas *c, int y, int bottom)
{
	const struct pmf_item	*sel;
	int			 rows, top, i, wide = c->w >= 110, tw;
	const char		*lt = c->gl->utf8 ? "◂" : "<";
	const char		*gt = c->gl->utf8 ? "▸" : ">";

	canvas_put(c, 2, y++, c->w - 4, ROLE_DIM, "Pick what prevents a"
	    " repeat; give each item a team owner and a deadline.");
	rows = bottom - y - 3;
	top = list_top(f->item_sel, f->nitem, rows);
	tw = wide ? c->w - 4 - 4 - 42 : c->w - 4 - 4 - 13;
	for (i = top; i < f->nitem && i < top + rows; i++, y++) {
		const struct pmf_item *it = &f->item[i];
		enum role r = i == f->item_sel ? ROLE_SELECT : it->on ?
		    ROLE_ACCENT : ROLE_TEXT;

		canvas_fill(c, (struct rect){ 2, y, c->w - 4, 1 }, r);
		canvas_printf(c, 2, y, 4, r, "[%s]", it->on ? "x" : " ");
		canvas_put(c, 6, y, tw, r, it->text);
		if (wide && it->on)
			canvas_printf(c, 6 + tw + 1, y, 41, r, "%-24.24s %s",
			    it->owner >= 0 ? score_owner_menu[it->owner] :
			    "owner?", it->deadline >= 0 ?
			    score_deadline_menu[it->deadline] : "deadline?");
		else if (it->on) {
			char tag[20];

			/* Narrow: the owner, cut short, once it is complete. */
			const char *o = it->owner < 0 ? "owner?" :
			    it->deadline < 0 ? "deadline?" :
			    score_owner_menu[it->owner];

			snprintf(tag, sizeof tag, strlen(o) > 12 ? "%.11s…" :
			    "%s", o);
			canvas_put_right(c, 0, y, c->w - 2, r, tag);
		}
	}
	if (f->nitem == 0)
		return;
	sel = &f->item[f->item_sel];
	y = bottom - 2;
	canvas_put(c, 2, y++, c->w - 4, ROLE_TEXT, sel->text);
	canvas_printf(c, 2, y, c->w - 4, sel->on ? ROLE_ACCENT : ROLE_DIM,
	    "owner %s %s %s    deadline (d) %s", lt, sel->owner >= 0 ?
	    score_owner_menu[sel->owner] : "none", gt, sel->deadline >= 0 ?
	    score_deadline_menu[sel->deadline] : "none");
}

static void
draw_monitors(const struct pmform *f, struct canvas *c, int y, int bottom)
{
	int	rows, top, i;

	canvas_put(c, 2, y++, c->w - 4, ROLE_DIM, "Which alerts would have"
	    " caught this sooner?  (at the handbook's thresholds)");
	y++;
	rows = bottom - y;
	top = list_top(f->mon_sel, f->nmon, rows);
	for (i = top; i < f->nmon && i < top + rows; i++, y++) {
		enum role r = i == f->mon_sel ? ROLE_SELECT : f->mon[i].on ?
		    ROLE_ACCENT : ROLE_TEXT;

		canvas_fill(c, (struct rect){ 2, y, c->w - 4, 1 }, r);
		canvas_printf(c, 2, y, c->w - 4, r, "[%s] %s", f->mon[i].on ?
		    "x" : " ", f->mon[i].text);
	}
}

void
pmform_draw(const struct pmform *f, struct canvas *c)
{
	static const char *const keys[PMF__STEPS] = {
		"type · Enter/↓ next field (FIX: next step) · Tab: skip step"
		    " · Esc: skip rest",
		"↑↓ choose · Enter: pick · s/Tab: skip step · Esc: skip the"
		    " rest",
		"↑↓ Space:toggle ←→:owner d:deadline Enter:next s/Tab:skip"
		    " Esc:skip the rest",
		"↑↓ move · Space: toggle · Enter: finish · s/Tab: skip ·"
		    " Esc: skip the rest",
	};
	const struct glyphs	*g = c->gl;
	enum pmf_step		 s = f->step < PMF__STEPS ? f->step :
				    PMF__STEPS - 1;
	char			 prog[128];
	int			 i, n = 0, bottom = c->h - 2;

	canvas_clear(c);
	c->cursor_on = 0;
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_printf(c, 1, 0, c->w - 2, ROLE_BAR, "firedrill · post-mortem"
	    " · step %d of %d", (int)s + 1, PMF__STEPS);
	for (i = 0; i < PMF__STEPS; i++)
		n += snprintf(prog + n, sizeof prog - (size_t)n, "%s%s",
		    i > 0 ? " " : "", i < (int)s ? (f->skipped[i] ? "-" :
		    g->done) : i == (int)s ? g->running : g->waiting);
	canvas_put_right(c, 0, 0, c->w - 1, ROLE_BAR, prog);
	canvas_printf(c, 2, 1, c->w - 4, ROLE_TITLE, "%s · %s",
	    step_titles[s], step_costs[s]);
	switch (s) {
	case PMF_TIMELINE:
		draw_timeline(f, c, 3, bottom);
		break;
	case PMF_ROOT_CAUSE:
		draw_root_cause(f, c, 3, bottom);
		break;
	case PMF_ACTIONS:
		draw_actions(f, c, 3, bottom);
		break;
	case PMF_MONITORS:
		draw_monitors(f, c, 3, bottom);
		break;
	default:
		break;
	}
	canvas_put(c, 1, c->h - 1, c->w - 2, ROLE_DIM, g->utf8 ? keys[s] :
	    s == PMF_TIMELINE ? "type . Enter/Down next field (on FIX: next"
	    " step) . Tab: skip step . Esc: skip the rest" : s ==
	    PMF_ACTIONS ? "Up/Dn Space:toggle Left/Right:owner d:deadline"
	    " Enter:next s/Tab:skip Esc:rest" :
	    "Up/Down choose . Space/Enter pick . s/Tab: skip step . Esc:"
	    " skip the rest");
}
