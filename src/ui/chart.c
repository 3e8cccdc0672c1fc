/*
 * A line chart of one series: braille dots (2x4 per cell) when the locale
 * is UTF-8, an ASCII ramp otherwise; a y axis with units, the current
 * value, time labels and markers for alerts and the player's actions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/panel.h"

/* A round ceiling for the y axis. */
static double
nice_max(double v, const char *unit)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double	mag, s;
	int	i;

	if (strcmp(unit, "%") == 0 && v > 50)
		return (100);
	if (v <= 0 || v != v)
		return (strcmp(unit, "%") == 0 ? 1 : 10);
	mag = pow(10, floor(log10(v)));
	for (i = 0; i < 5; i++) {
		s = steps[i] * mag;
		if (s >= v)
			return (s);
	}
	return (10 * mag);
}

static void
axis_label(char *buf, size_t len, double v, const char *unit)
{
	if (strcmp(unit, "ms") == 0)
		fmt_ms(v, buf, len);
	else if (strcmp(unit, "%") == 0)
		snprintf(buf, len, "%g%%", v);
	else {
		fmt_rate(v, buf, len);
		strncat(buf, unit, len - strlen(buf) - 1);
	}
}

static void
braille_cell(struct canvas *c, int x, int y, unsigned bits, enum role role)
{
	unsigned	cp = 0x2800 + bits;
	char		u[4];

	u[0] = (char)(0xe0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	u[3] = '\0';
	canvas_cell(c, x, y, role, u);
}

void
chart_draw(struct canvas *c, struct rect r, const struct view_graph *gr,
    const struct view *v, enum role role)
{
	const struct glyphs	*g = c->gl;
	char			 lab[24], cur[32];
	int			 axis = 6, pw, ph, x, y, i, k, cols, dots_x;
	int			 free_from = 0;
	double			 ymax = 0, val;
	long			 t0;

	if (r.w < 20 || r.h < 3)
		return;
	/* Title line: what and how much, now. */
	if (strcmp(gr->unit, "%") == 0)
		snprintf(cur, sizeof cur, "%.1f%%", gr->now);
	else
		axis_label(cur, sizeof cur, gr->now, gr->unit);
	canvas_put(c, r.x, r.y, r.w - utf8_width(cur) - 1, ROLE_TITLE, gr->title);
	canvas_put_right(c, r.x, r.y, r.w, role, cur);
	ph = r.h - 2;			/* plot rows: title above, axis below */
	pw = r.w - axis - 1;
	cols = pw;
	dots_x = g->utf8 ? cols * 2 : cols;
	for (i = 0; i < gr->n; i++)
		if (gr->v[i] == gr->v[i] && gr->v[i] > ymax)
			ymax = gr->v[i];
	ymax = nice_max(ymax, gr->unit);
	axis_label(lab, sizeof lab, ymax, gr->unit);
	canvas_put_right(c, r.x, r.y + 1, axis - 1, ROLE_DIM, lab);
	axis_label(lab, sizeof lab, 0, gr->unit);
	canvas_put_right(c, r.x, r.y + ph, axis - 1, ROLE_DIM, lab);
	for (y = 0; y < ph; y++)
		canvas_cell(c, r.x + axis - 1, r.y + 1 + y, ROLE_DIM, g->v);

	/* The newest sample at the right edge, one dot per second. */
	if (g->utf8) {
		unsigned	bits[cols > 0 ? cols : 1][ph > 0 ? ph : 1];
		int		prev = -1, lvl, lo, hi;

		memset(bits, 0, sizeof bits);
		for (i = 0; i < dots_x; i++) {
			int idx = gr->n - dots_x + i;

			if (idx < 0 || gr->v[idx] != gr->v[idx]) {
				prev = -1;
				continue;
			}
			val = fmin(gr->v[idx], ymax);
			lvl = (int)lround(val / ymax * (ph * 4 - 1));
			lo = prev < 0 ? lvl : (prev < lvl ? prev : lvl);
			hi = prev < 0 ? lvl : (prev > lvl ? prev : lvl);
			for (k = lo; k <= hi; k++) {
				int row = ph - 1 - k / 4, sub = 3 - k % 4;
				static const unsigned left[] = { 0x01, 0x02,
				    0x04, 0x40 }, right[] = { 0x08, 0x10,
				    0x20, 0x80 };

				bits[i / 2][row] |= (i % 2 ? right : left)[sub];
			}
			prev = lvl;
		}
		for (x = 0; x < cols; x++)
			for (y = 0; y < ph; y++)
				if (bits[x][y] != 0)
					braille_cell(c, r.x + axis + x,
					    r.y + 1 + y, bits[x][y], role);
	} else {
		for (x = 0; x < cols; x++) {
			int idx = gr->n - cols + x, lvl;

			if (idx < 0 || gr->v[idx] != gr->v[idx])
				continue;
			val = fmin(gr->v[idx], ymax);
			lvl = (int)lround(val / ymax * (ph * 3 - 1));
			canvas_cell(c, r.x + axis + x, r.y + ph - lvl / 3,
			    role, lvl % 3 == 0 ? "_" : lvl % 3 == 1 ? "-" :
			    "'");
		}
	}

	/* The bottom line: time labels, then markers over them. */
	t0 = v->now_ms / 1000 - dots_x / (g->utf8 ? 1 : 1) + 1;
	for (x = 0; x + 8 < cols; x += cols / 3 > 10 ? cols / 3 : 10) {
		long t = v->now_ms / 1000 - (long)(g->utf8 ? (cols - x) * 2 :
		    cols - x);

		if (t < 0)
			continue;
		fmt_clock_ms(t * 1000, lab, sizeof lab);
		canvas_put(c, r.x + axis + x, r.y + r.h - 1, 8, ROLE_DIM, lab);
	}
	/* Markers oldest first; a label only where it does not run into
	 * the next marker, so none is ever garbled. */
	for (i = v->nmark - 1; i >= 0; i--) {
		long	off = v->mark[i].t_s - t0, noff;
		int	room = cols, nx;

		x = g->utf8 ? (int)(off / 2) : (int)off;
		if (off < 0 || x >= cols)
			continue;
		for (k = i - 1; k >= 0; k--) {
			noff = v->mark[k].t_s - t0;
			nx = g->utf8 ? (int)(noff / 2) : (int)noff;
			if (nx > x) {
				room = nx - x;
				break;
			}
		}
		if (x < free_from)
			continue;
		canvas_put(c, r.x + axis + x, r.y + r.h - 1, 1,
		    v->mark[i].alert ? ROLE_CRIT : ROLE_ACCENT, g->marker);
		if (room - 1 > utf8_width(v->mark[i].label))
			canvas_put(c, r.x + axis + x + 1, r.y + r.h - 1,
			    cols - x - 1, v->mark[i].alert ? ROLE_CRIT :
			    ROLE_ACCENT, v->mark[i].label);
		free_from = x + 1;
	}
}
