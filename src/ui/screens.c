/*
 * The screens around an incident: title, picker, briefing and results.
 * Each draws from plain data the console hands it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/panel.h"
#include "ui/screens.h"

static void
center(struct canvas *c, int y, enum role role, const char *s)
{
	int	w = utf8_width(s);

	canvas_put(c, (c->w - w) / 2 > 0 ? (c->w - w) / 2 : 0, y, c->w, role,
	    s);
}

/* Word-wrap text into the rectangle; returns the rows used. */
int
wrap_text(struct canvas *c, struct rect r, enum role role, const char *text)
{
	char		 line[512];
	const char	*p = text, *word;
	int		 y = r.y, len = 0, wl;

	line[0] = '\0';
	while (*p != '\0' && y < r.y + r.h) {
		while (*p == ' ')
			p++;
		if (*p == '\n') {
			canvas_put(c, r.x, y++, r.w, role, line);
			line[0] = '\0';
			len = 0;
			p++;
			if (*p == '\n') {
				y++;
				p++;
			}
			continue;
		}
		word = p;
		while (*p != '\0' && *p != ' ' && *p != '\n')
			p++;
		wl = (int)(p - word);
		if (len > 0 && len + 1 + wl > r.w) {
			canvas_put(c, r.x, y++, r.w, role, line);
			line[0] = '\0';
			len = 0;
		}
		if (len + wl + 2 >= (int)sizeof line)
			continue;
		if (len > 0)
			line[len++] = ' ';
		memcpy(line + len, word, (size_t)wl);
		len += wl;
		line[len] = '\0';
	}
	if (len > 0 && y < r.y + r.h)
		canvas_put(c, r.x, y++, r.w, role, line);
	return (y - r.y);
}

void
screen_title_draw(struct canvas *c)
{
	static const char *const art[] = {
		"  __ _              _      _ _ _ ",
		" / _(_)_ __ ___  __| |_ __(_) | |",
		"| |_| | '__/ _ \\/ _` | '__| | | |",
		"|  _| | | |  __/ (_| | |  | | | |",
		"|_| |_|_|  \\___|\\__,_|_|  |_|_|_|",
	};
	int	i, y = c->h / 2 - 6;

	canvas_clear(c);
	for (i = 0; i < 5; i++)
		center(c, y + i, ROLE_CRIT, art[i]);
	center(c, y + 7, ROLE_TITLE, "production incidents, simulated for"
	    " real");
	center(c, y + 9, ROLE_DIM, "a platform that answers whatever you"
	    " try · scored DETECT → TRIAGE → MITIGATE → FIX");
	center(c, y + 12, ROLE_ACCENT, "Enter: choose an incident    q: quit");
}

void
screen_picker_draw(struct canvas *c, const struct picker_row *rows, int n,
    int sel, const char *filter)
{
	char		 diff[16], best[24], played[24];
	const char	*why = NULL;
	int		 i, y = 3, shown = 0, first, tw;

	/* The title gives way first, so BEST fits at 80 columns. */
	tw = c->w - 4 - 2 - 31 - 23;
	if (tw > 44)
		tw = 44;
	if (tw < 10)
		tw = 10;
	canvas_clear(c);
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_put(c, 1, 0, c->w - 2, ROLE_BAR, "firedrill · choose an"
	    " incident");
	/* printf pads bytes, not columns: § and – are two and three. */
	canvas_printf(c, 4, 2, c->w - 6, ROLE_DIM, "§     %-24s %-*s %-6s"
	    " %-8s %s", "ID", tw, "TITLE", "DIFF", "BEST", "PLAYED");
	first = sel - (c->h - 9) + 1;
	if (first < 0)
		first = 0;
	for (i = 0; i < n; i++)
		if (rows[i].recommended)
			why = rows[i].why;
	for (i = 0; i < n; i++) {
		const struct picker_row *r = &rows[i];
		enum role role = i == sel ? ROLE_SELECT : ROLE_TEXT;
		int d;

		if (!r->visible)
			continue;
		if (shown++ < first)
			continue;
		if (y >= c->h - 5)
			break;
		for (d = 0; d < r->difficulty && d < 5; d++)
			diff[d] = '*';
		diff[d] = '\0';
		if (r->best >= 0)
			snprintf(best, sizeof best, "%s %d", r->grade,
			    r->best);
		else
			snprintf(best, sizeof best, "–");
		if (r->played > 0)
			snprintf(played, sizeof played, "%d×", r->played);
		else
			snprintf(played, sizeof played, "new");
		if (i == sel)
			canvas_fill(c, (struct rect){ 1, y, c->w - 2, 1 },
			    ROLE_SELECT);
		if (r->recommended)
			canvas_put(c, 2, y, 2, i == sel ? ROLE_SELECT :
			    ROLE_ACCENT, c->gl->play);
		canvas_printf(c, 4, y, c->w - 6, role, "%-5s %-24.24s %-*.*s"
		    " %-6s %-*s %s", r->section, r->id, tw, tw, r->title, diff,
		    8 + (int)strlen(best) - utf8_width(best), best, played);
		y++;
	}
	if (shown == 0)
		canvas_put(c, 4, y, c->w - 6, ROLE_DIM, "no incident matches");
	if (why != NULL)
		canvas_printf(c, 2, c->h - 4, c->w - 4, ROLE_INFO, "%s %s",
		    c->gl->play, why);
	canvas_printf(c, 2, c->h - 3, c->w - 4, ROLE_ACCENT, "filter: %s",
	    filter);
	c->cursor_on = 1;
	c->cur_x = 10 + utf8_width(filter);
	c->cur_y = c->h - 3;
	canvas_put(c, 2, c->h - 1, c->w - 4, ROLE_DIM, "type to filter ·"
	    " ↑↓ choose · Enter: briefing · Esc: clear / back · Ctrl-C or q"
	    " on an empty filter: quit");
}

void
screen_briefing_draw(struct canvas *c, const struct picker_row *r,
    const char *briefing, const char *clock)
{
	int	y = 2;

	canvas_clear(c);
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_printf(c, 1, 0, c->w - 2, ROLE_BAR, "firedrill · briefing ·"
	    " §%s %s", r->section, r->title);
	canvas_printf(c, 4, y++, c->w - 8, ROLE_TITLE, "%s", r->title);
	canvas_printf(c, 4, y++, c->w - 8, ROLE_DIM, "§%s · severity %s ·"
	    " difficulty %d of 5 · starts %s", r->section, r->severity,
	    r->difficulty, clock);
	y++;
	y += wrap_text(c, (struct rect){ 4, y, c->w - 8, c->h - y - 8 },
	    ROLE_TEXT, briefing);
	y += 1;
	wrap_text(c, (struct rect){ 4, y, c->w - 8, 5 }, ROLE_INFO,
	    "You have the command line.  Tab completes, help lists the"
	    " commands, F1 shows the keys.  When a page fires, ack it; then"
	    " find the root cause, mitigate, and fix it for good.");
	canvas_put(c, 4, c->h - 2, c->w - 8, ROLE_ACCENT, "Enter: start the"
	    " shift    Esc: back");
}

void
screen_results_draw(struct canvas *c, const struct view *v,
    const struct results *res, int scroll)
{
	static const char *names[] = { "DETECT", "TRIAGE", "MITIGATE", "FIX" };
	char	a[16], b[16];
	int	y = 2, p, i, rows;

	canvas_clear(c);
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_printf(c, 1, 0, c->w - 2, ROLE_BAR, "firedrill · results ·"
	    " %s", v->incident);
	canvas_printf(c, 4, y++, c->w - 8, strcmp(v->outcome, "won") == 0 ?
	    ROLE_OK : ROLE_CRIT, "%s", strcmp(v->outcome, "won") == 0 ?
	    "WON — all four phases reached" : strcmp(v->outcome,
	    "abandoned") == 0 ? "ABANDONED" : strcmp(v->outcome, "lost") ==
	    0 ? "LOST" : v->outcome);
	fmt_clock_ms(v->now_ms, a, sizeof a);
	canvas_printf(c, 4, y++, c->w - 8, ROLE_DIM, "%s of sim time · error"
	    " budget burned %.2f%%", a, v->budget_pct);
	y++;
	canvas_printf(c, 4, y++, c->w - 8, ROLE_TITLE, "%-10s %8s %8s %7s",
	    "PHASE", "TIME", "TARGET", "POINTS");
	for (p = 0; p < 4; p++) {
		fmt_clock_ms(res->phase_ms[p], a, sizeof a);
		fmt_clock_ms(res->target_ms[p], b, sizeof b);
		canvas_printf(c, 4, y++, c->w - 8, res->phase_ms[p] < 0 ?
		    ROLE_DIM : res->phase_ms[p] <= res->target_ms[p] ? ROLE_OK :
		    ROLE_WARN, "%-10s %8s %8s %3d/%d", names[p], a, b,
		    res->points[p], res->max[p]);
	}
	y++;
	canvas_printf(c, 4, y++, c->w - 8, ROLE_BOLD, "Score %d, grade %s",
	    res->total, res->grade);
	canvas_printf(c, 4, y++, c->w - 8, ROLE_DIM, "harmful actions -%d ·"
	    " error budget -%d · hints -%d · wrong diagnoses -%d · bonus +%d",
	    res->harm, res->budget, res->hints, res->diag, res->bonus);
	if (res->note[0] != '\0')
		canvas_put(c, 4, y++, c->w - 8, ROLE_WARN, res->note);
	y++;
	canvas_put(c, 4, y++, c->w - 8, ROLE_TITLE, "Timeline");
	rows = c->h - y - 2;
	for (i = scroll; i < res->nlines && rows-- > 0; i++)
		canvas_put(c, 4, y++, c->w - 8, res->line_role[i],
		    res->lines[i]);
	canvas_put(c, 4, c->h - 1, c->w - 8, ROLE_ACCENT, "↑↓ PgUp PgDn:"
	    " timeline    Enter: back to the incidents    q: quit");
}
