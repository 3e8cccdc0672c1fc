/*
 * The services table: every service and dependency with its rate, p99,
 * error ratio, saturation and breaker, health as a symbol and a word.  In
 * focus, arrows select a row and Enter asks for `show svc NAME`.
 */
#include <stdio.h>
#include <string.h>

#include "ui/panel.h"

static void
satbar(struct canvas *c, int x, int y, int w, double pct, enum role role)
{
	const struct glyphs	*g = c->gl;
	int			 i, n = (int)(pct / 100 * w + 0.5);

	if (n > w)
		n = w;
	for (i = 0; i < w; i++)
		canvas_cell(c, x + i, y, i < n ? role : ROLE_DIM,
		    i < n ? g->bar_full : g->bar_empty);
}

void
panel_services_draw(struct canvas *c, struct rect r, const struct view *v,
    const struct ui_state *st)
{
	const struct glyphs	*g = c->gl;
	struct rect		 in = rect_inner(r);
	char			 rps[16], p99[16], err[16];
	static const char	*brk[] = { "", "OPEN", "HALF" };
	int			 i, y, row;
	int			 bar = in.w >= 56 ? 10 : in.w >= 50 ? 6 : 4;

	canvas_box(c, r, st->focus != F_SERVICES ? "Services" : g->utf8 ?
	    "Services · ↑↓ Enter" : "Services - arrows, Enter",
	    st->focus == F_SERVICES ? ROLE_ACCENT : ROLE_TITLE);
	canvas_printf(c, in.x, in.y, in.w, ROLE_DIM, "%-9s %6s %7s %6s %-*s %s",
	    "NAME", "RPS", "P99", "ERR%", bar, "SAT", "STATE");
	y = in.y + 1;
	for (i = 0; i < v->nsvc && y < in.y + in.h; i++) {
		const struct view_svc	*s = &v->svc[i];
		enum role		 hr = role_of_health(s->health);
		const char		*sym, *word;
		int			 x;

		row = y;
		if (st->focus == F_SERVICES && st->svc_sel == i)
			canvas_fill(c, (struct rect){ in.x, y, in.w, 1 },
			    ROLE_SELECT);
		fmt_rate(s->rps, rps, sizeof rps);
		fmt_ms(s->p99_ms, p99, sizeof p99);
		if (s->external)
			snprintf(err, sizeof err, "–");
		else
			snprintf(err, sizeof err, "%.1f%%", s->err_pct);
		if (s->external)
			x = canvas_printf(c, in.x, row, in.w, ROLE_TEXT,
			    "%s %-7s %6s %7s %6s", g->sub, s->name, rps, p99,
			    err);
		else {
			char name[32];

			/* Too wide: cut with a mark, never to another's name
			 * ("inventory-sync" is not "inventory"). */
			if (strlen(s->name) > 9)
				snprintf(name, sizeof name, "%.8s%s", s->name,
				    g->utf8 ? "…" : "~");
			else
				snprintf(name, sizeof name, "%s", s->name);
			/* A cut name is 9 columns however many bytes. */
			x = canvas_printf(c, in.x, row, in.w, ROLE_TEXT,
			    "%-9s %6s %7s %6s", name, rps, p99, err);
		}
		x += 1;
		if (!s->external)
			satbar(c, in.x + x, row, bar, s->sat_pct, hr);
		x += bar + 1;
		switch (s->health) {
		case H_CRIT:
			sym = g->crit;
			word = "CRIT";
			break;
		case H_WARN:
			sym = g->warn;
			word = s->external ? "SLOW" : "WARN";
			break;
		default:
			sym = g->ok;
			word = "OK";
			break;
		}
		x += canvas_printf(c, in.x + x, row, in.w - x, hr, "%s %s",
		    sym, word);
		if (s->breaker > 0)
			canvas_printf(c, in.x + x + 1, row, in.w - x - 1,
			    ROLE_ACCENT, "brk:%s", brk[s->breaker]);
		y++;
		/* The pool under its service when it is under pressure. */
		if (s->pools && s->pool_pct >= 70 && y < in.y + in.h) {
			x = canvas_printf(c, in.x + 1, y, in.w - 1, ROLE_DIM,
			    " pool %s/%s %.0f/%.0f ", s->name, s->pool_name,
			    s->pool_active, s->pool_size);
			satbar(c, in.x + 1 + x, y, bar, s->pool_pct,
			    s->pool_pct >= 99 ? ROLE_CRIT : ROLE_WARN);
			canvas_printf(c, in.x + 2 + x + bar, y,
			    in.w - x - bar - 2, ROLE_DIM, "wait %.0f",
			    s->pool_waiting);
			y++;
		}
	}
}
