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

/* Encode a braille cell (U+2800 + bits) into u. */
static void
braille(char u[4], unsigned bits)
{
	unsigned	cp = 0x2800 + bits;

	u[0] = (char)(0xe0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	u[3] = '\0';
}

/*
 * The whole session's error rate, squeezed to the width (each dot the
 * worst second of its slice, so a spike is never averaged away), with
 * the player's actions (▲) and the phases reached (D T M F) beneath.
 */
static void
session_chart(struct canvas *c, struct rect r, const struct results *res)
{
	static const unsigned	 left[] = { 0x01, 0x02, 0x04, 0x40 };
	static const unsigned	 right[] = { 0x08, 0x10, 0x20, 0x80 };
	const struct glyphs	*g = c->gl;
	int			 axis = 6, cols = r.w - axis - 1, ph = r.h - 3;
	int			 dots, x, y, i, k, prev = -1, free_from = 0;
	double			 peak = 0, ymax, span;
	char			 lab[24], u[4];

	if (cols < 10 || ph < 1)
		return;
	for (i = 0; i < res->nerr; i++)
		if (res->err[i] == res->err[i] && res->err[i] > peak)
			peak = res->err[i];
	ymax = peak > 50 ? 100 : peak > 10 ? 50 : peak > 5 ? 10 : peak > 1 ?
	    5 : 1;
	canvas_put(c, r.x, r.y, r.w, ROLE_TITLE, "user-facing error rate,"
	    " whole session");
	snprintf(lab, sizeof lab, "peak %.1f%%", peak);
	canvas_put_right(c, r.x, r.y, r.w, peak >= 1 ? ROLE_CRIT : ROLE_OK,
	    lab);
	snprintf(lab, sizeof lab, "%g%%", ymax);
	canvas_put_right(c, r.x, r.y + 1, axis - 1, ROLE_DIM, lab);
	canvas_put_right(c, r.x, r.y + ph, axis - 1, ROLE_DIM, "0%");
	for (y = 0; y < ph; y++)
		canvas_cell(c, r.x + axis - 1, r.y + 1 + y, ROLE_DIM, g->v);
	if (res->nerr <= 0)
		return;
	dots = g->utf8 ? cols * 2 : cols;
	span = (double)res->nerr / dots;
	{
		unsigned	bits[cols][ph];

		memset(bits, 0, sizeof bits);
		for (i = 0; i < dots; i++) {
			int	a = (int)(i * span), b = (int)((i + 1) * span);
			int	lvl, lo, hi, have = 0;
			double	v = 0;

			if (b <= a)
				b = a + 1;
			for (k = a; k < b && k < res->nerr; k++)
				if (res->err[k] == res->err[k] && (!have ||
				    res->err[k] > v)) {
					v = res->err[k];
					have = 1;
				}
			if (!have) {
				prev = -1;
				continue;
			}
			if (v > ymax)
				v = ymax;
			if (!g->utf8) {
				lvl = (int)(v / ymax * (ph * 3 - 1) + 0.5);
				canvas_cell(c, r.x + axis + i, r.y + ph -
				    lvl / 3, ROLE_CRIT, lvl % 3 == 0 ? "_" :
				    lvl % 3 == 1 ? "-" : "'");
				continue;
			}
			lvl = (int)(v / ymax * (ph * 4 - 1) + 0.5);
			lo = prev < 0 ? lvl : prev < lvl ? prev : lvl;
			hi = prev < 0 ? lvl : prev > lvl ? prev : lvl;
			for (k = lo; k <= hi; k++)
				bits[i / 2][ph - 1 - k / 4] |=
				    (i % 2 ? right : left)[3 - k % 4];
			prev = lvl;
		}
		for (x = 0; g->utf8 && x < cols; x++)
			for (y = 0; y < ph; y++)
				if (bits[x][y] != 0) {
					braille(u, bits[x][y]);
					canvas_cell(c, r.x + axis + x,
					    r.y + 1 + y, ROLE_CRIT, u);
				}
	}
	/* Marks: actions with their verb where it fits, phases on top. */
	y = r.y + ph + 1;
	for (i = 0; i < res->nmark; i++) {
		const struct results_mark *m = &res->mark[i];
		int nx = cols;

		if (m->phase)
			continue;
		x = (int)((m->t_s - res->err_first_s) * cols / res->nerr);
		if (x < 0 || x >= cols || x < free_from)
			continue;
		for (k = i + 1; k < res->nmark; k++) {
			int kx = (int)((res->mark[k].t_s - res->err_first_s) *
			    cols / res->nerr);

			if (!res->mark[k].phase && kx > x) {
				nx = kx;
				break;
			}
		}
		canvas_put(c, r.x + axis + x, y, 1, ROLE_ACCENT, g->marker);
		free_from = x + 1;
		if (nx - x - 1 > utf8_width(m->label)) {
			canvas_put(c, r.x + axis + x + 1, y, cols - x - 1,
			    ROLE_ACCENT, m->label);
			free_from = x + 1 + utf8_width(m->label);
		}
	}
	/* Phases: a dotted rule through the plot, its initial on top. */
	for (i = 0; i < res->nmark; i++) {
		const struct results_mark *m = &res->mark[i];
		char one[2] = { m->label[0], '\0' };
		int row;

		if (!m->phase)
			continue;
		x = (int)((m->t_s - res->err_first_s) * cols / res->nerr);
		if (x >= cols)
			x = cols - 1;
		if (x < 0)
			continue;
		for (row = 1; row <= ph; row++) {
			const struct cell *cl;

			if (r.y + row >= c->h || r.x + axis + x >= c->w)
				break;
			cl = &c->cells[(r.y + row) * c->w + r.x + axis + x];
			if (row == 1)
				canvas_put(c, r.x + axis + x, r.y + row, 1,
				    ROLE_OK, one);
			else if (strcmp(cl->ch, " ") == 0 || cl->ch[0] ==
			    '\0')
				canvas_put(c, r.x + axis + x, r.y + row, 1,
				    ROLE_DIM, g->utf8 ? "┊" : ":");
		}
	}
	canvas_put(c, r.x, y, axis - 1, ROLE_DIM, "acts");
	/* Time labels at the start, middle and end. */
	y++;
	for (k = 0; k < 3; k++) {
		long t = res->err_first_s + (long)res->nerr * k / 2;

		fmt_clock_ms(t * 1000, lab, sizeof lab);
		x = k == 0 ? 0 : k == 1 ? cols / 2 - 3 : cols - utf8_width(lab);
		canvas_put(c, r.x + axis + x, y, 8, ROLE_DIM, lab);
	}
}

/*
 * Text at (x, y) within w columns, wrapped at spaces onto at most rows
 * rows; the first row keeps its spacing so table columns stay aligned.
 * Bullets and table rows hang under their text; prose does not.
 * Returns the rows used.
 */
static int
put_hanging(struct canvas *c, int x, int y, int w, int rows, enum role role,
    const char *text)
{
	const char	*p = text;
	char		 buf[512];
	int		 n = 0, hang = 0, cut, i, len, next;

	next = strncmp(text, "- ", 2) == 0 || strncmp(text, "+ ", 2) == 0 ||
	    strncmp(text, "✓ ", 4) == 0 || strncmp(text, "✗ ", 4) == 0 ? 2 :
	    strstr(text, "  ") != NULL ? 4 : 0;
	while (*p != '\0' && n < rows) {
		len = (int)strlen(p);
		if (utf8_width(p) <= w - hang || len >= (int)sizeof buf) {
			canvas_put(c, x + hang, y + n++, w - hang, role, p);
			break;
		}
		/* The last space at which the row still fits. */
		cut = -1;
		for (i = 1; i < len; i++) {
			if (p[i] != ' ')
				continue;
			memcpy(buf, p, (size_t)i);
			buf[i] = '\0';
			if (utf8_width(buf) > w - hang)
				break;
			cut = i;
		}
		if (cut < 0) {
			canvas_put(c, x + hang, y + n++, w - hang, role, p);
			break;
		}
		memcpy(buf, p, (size_t)cut);
		buf[cut] = '\0';
		canvas_put(c, x + hang, y + n++, w - hang, role, buf);
		p += cut;
		while (*p == ' ')
			p++;
		hang = next;
	}
	return (n > 0 ? n : 1);
}

void
screen_results_draw(struct canvas *c, const struct view *v,
    const struct results *res, int scroll)
{
	char	a[16];
	int	y = 1, i, ch, bottom = c->h - 2;

	canvas_clear(c);
	canvas_fill(c, (struct rect){ 0, 0, c->w, 1 }, ROLE_BAR);
	canvas_printf(c, 1, 0, c->w - 2, ROLE_BAR, "firedrill · results ·"
	    " %s", v->incident);
	fmt_clock_ms(v->now_ms, a, sizeof a);
	i = canvas_printf(c, 2, y, c->w - 4, strcmp(v->outcome, "won") == 0 ?
	    ROLE_OK : ROLE_CRIT, "%s", strcmp(v->outcome, "won") == 0 ?
	    "WON — all four phases reached" : strcmp(v->outcome,
	    "abandoned") == 0 ? "ABANDONED" : strcmp(v->outcome, "lost") ==
	    0 ? "LOST" : v->outcome);
	canvas_printf(c, 2 + i, y++, c->w - 4 - i, ROLE_DIM, "  ·  %s of sim"
	    " time · budget burned %.2f%%", a, v->budget_pct);
	if (c->w >= 110)
		canvas_printf(c, 2, y++, c->w - 4, ROLE_BOLD, "Score %d,"
		    " grade %s  ·  post-mortem %d/200  ·  harm -%d · budget -%d"
		    " · hints -%d · diagnoses -%d · bonus +%d", res->total,
		    res->grade, res->pm_total, res->harm, res->budget,
		    res->hints, res->diag, res->bonus);
	else
		canvas_printf(c, 2, y++, c->w - 4, ROLE_BOLD, "Score %d,"
		    " grade %s  ·  post-mortem %d/200", res->total, res->grade,
		    res->pm_total);
	if (res->note[0] != '\0')
		canvas_put(c, 2, y++, c->w - 4, ROLE_WARN, res->note);
	ch = c->h >= 36 ? 10 : c->h >= 30 ? 8 : 6;
	session_chart(c, (struct rect){ 2, y, c->w - 4, ch }, res);
	y += ch + 1;
	for (i = scroll; i < res->nlines && y < bottom; i++) {
		int ind = 2 + res->line_indent[i];

		if (res->lines[i][0] == '\0') {
			y++;
			continue;
		}
		y += put_hanging(c, ind, y, c->w - ind - 2, bottom - y,
		    res->line_role[i], res->lines[i]);
	}
	if (i < res->nlines)
		canvas_put_right(c, 0, c->h - 1, c->w - 1, ROLE_DIM, "more ↓");
	canvas_put(c, 2, c->h - 1, c->w - 12, ROLE_ACCENT, "↑↓ PgUp PgDn:"
	    " scroll · p: post-mortem · Enter: incidents · q: quit");
}
