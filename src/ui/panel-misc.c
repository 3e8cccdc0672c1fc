/*
 * The smaller panels: graphs (one chart each), alerts, the log tail, the
 * output of observation commands, and the command line with its hints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/input.h"
#include "ui/panel.h"
#include "util/xmalloc.h"

void
panel_graphs_draw(struct canvas *c, struct rect r, const struct view *v,
    const struct ui_state *st)
{
	struct rect	in = rect_inner(r);
	int		i, n = v->ngraph, h, y;

	(void)st;
	canvas_box(c, r, "Graphs", ROLE_TITLE);
	if (n == 0)
		return;
	/* As many charts as fit at 5 rows or more each. */
	while (n > 1 && in.h / n < 5)
		n--;
	h = in.h / n;
	for (i = 0, y = in.y; i < n; i++, y += h) {
		const struct view_graph *gr = &v->graph[i];
		enum role role = ROLE_INFO;

		if (strcmp(gr->unit, "%") == 0 && gr->now >= 5)
			role = ROLE_CRIT;
		else if (strcmp(gr->unit, "%") == 0 && gr->now >= 1)
			role = ROLE_WARN;
		chart_draw(c, (struct rect){ in.x, y, in.w, h }, gr, v, role);
	}
}

void
panel_alerts_draw(struct canvas *c, struct rect r, const struct view *v,
    const struct ui_state *st)
{
	const struct glyphs	*g = c->gl;
	struct rect		 in = rect_inner(r);
	char			 age[16];
	int			 i, y = in.y;

	canvas_box(c, r, "Alerts", st->focus == F_ALERTS ? ROLE_ACCENT :
	    ROLE_TITLE);
	if (v->nalert == 0)
		canvas_put(c, in.x, y, in.w, ROLE_DIM, "no alerts");
	for (i = 0; i < v->nalert && y < in.y + in.h; i++, y++) {
		const struct view_alert	*a = &v->alert[i];
		enum role		 role;
		const char		*sym, *word;

		if (a->acked) {
			role = ROLE_ACK;
			sym = g->ack;
			word = "ack ";
		} else if (a->firing) {
			role = strcmp(a->severity, "page") == 0 ? ROLE_CRIT :
			    ROLE_WARN;
			sym = strcmp(a->severity, "page") == 0 ? g->crit :
			    g->warn;
			word = strcmp(a->severity, "page") == 0 ? "CRIT" :
			    "WARN";
			if (st->flash > 0 && a->age_ms < 3000)
				role = ROLE_FLASH;
		} else {
			role = ROLE_DIM;
			sym = g->ok;
			word = "res ";
		}
		fmt_clock_ms(a->age_ms, age, sizeof age);
		canvas_printf(c, in.x, y, in.w - 7, role, "%s %s %-13.13s %s",
		    sym, word, a->id, a->summary);
		canvas_put_right(c, in.x, y, in.w, role, age);
	}
}

void
panel_logs_draw(struct canvas *c, struct rect r, const struct view *v,
    const struct ui_state *st)
{
	struct rect	 in = rect_inner(r);
	char		 title[160], clk[16];
	int		 i, y, first;

	snprintf(title, sizeof title, "Logs %s %s%s%s", c->gl->dot,
	    st->log_src != NULL ? st->log_src : "all",
	    st->log_filter != NULL ? " /" : "",
	    st->log_filter != NULL ? st->log_filter : "");
	canvas_box(c, r, title, st->focus == F_LOGS ? ROLE_ACCENT : ROLE_TITLE);
	first = v->nlog > in.h ? v->nlog - in.h : 0;
	for (i = first, y = in.y; i < v->nlog; i++, y++) {
		const struct view_log	*l = &v->log[i];
		enum role		 role = ROLE_TEXT;
		int			 x;

		if (strcmp(l->level, "ERROR") == 0 ||
		    strcmp(l->level, "FATAL") == 0 ||
		    strcmp(l->level, "error") == 0)
			role = ROLE_CRIT;
		else if (strcmp(l->level, "WARN") == 0)
			role = ROLE_WARN;
		fmt_clock_ms(l->t_ms, clk, sizeof clk);
		x = canvas_printf(c, in.x, y, in.w, ROLE_DIM, "%7s ", clk);
		x += canvas_printf(c, in.x + x, y, in.w - x, ROLE_BOLD, "%-7.7s ",
		    l->src);
		x += canvas_printf(c, in.x + x, y, in.w - x, role, "%-5.5s ",
		    l->level);
		canvas_put(c, in.x + x, y, in.w - x, role, l->text);
	}
}

void
panel_output_draw(struct canvas *c, struct rect r, const struct ui_state *st)
{
	struct rect	 in;
	char		 title[160], pos[32];
	const char	*p, *nl;
	int		 lines = 0, first, i, y;

	canvas_fill(c, r, ROLE_TEXT);
	if (st->out_title != NULL)
		snprintf(title, sizeof title, "Output %s %s", c->gl->dot,
		    st->out_title);
	else
		snprintf(title, sizeof title, "Output");
	canvas_box(c, r, title, st->focus == F_OUTPUT || st->overlay_out ?
	    ROLE_ACCENT : ROLE_TITLE);
	in = rect_inner(r);
	if (st->out_text == NULL) {
		canvas_put(c, in.x, in.y, in.w, ROLE_DIM, "observation commands"
		    " (show, logs, trace, changes, graph, status) answer here");
		return;
	}
	for (p = st->out_text; *p != '\0'; p = nl + 1) {
		lines++;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
	}
	first = lines - in.h - st->out_scroll;
	if (first < 0)
		first = 0;
	for (p = st->out_text, i = 0, y = in.y; *p != '\0' && y < in.y + in.h;
	    i++) {
		char	*line;

		nl = strchr(p, '\n');
		line = nl != NULL ? strndup(p, (size_t)(nl - p)) : strdup(p);
		if (i >= first) {
			canvas_put(c, in.x, y, in.w, st->out_error ? ROLE_CRIT :
			    ROLE_TEXT, line != NULL ? line : "");
			y++;
		}
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (lines > in.h) {
		snprintf(pos, sizeof pos, " %d/%d ", first + in.h < lines ?
		    first + in.h : lines, lines);
		canvas_put_right(c, r.x, r.y, r.w - 2, ROLE_DIM, pos);
	}
}

static const char *
cmdline_prompt(const struct canvas *c, const struct ui_state *st)
{
	if (st->line_prompt != NULL)
		return (st->line_prompt);
	return (c->gl->utf8 ? "fd› " : "fd> ");
}

/*
 * The text starts a column in, after the prompt; a column is kept free
 * at each end for the marks of a long line's hidden parts.
 */
int
panel_cmdline_width(const struct canvas *c, const struct ui_state *st)
{
	struct layout	l;
	int		w;

	layout_compute(&l, c->w, c->h);
	w = l.cmdline.w - 1 - utf8_width(cmdline_prompt(c, st)) - 1;
	return (w > 1 ? w : 1);
}

void
panel_cmdline_draw(struct canvas *c, struct rect cmd, struct rect hint,
    const struct ui_state *st)
{
	const struct glyphs	*g = c->gl;
	const char		*prompt = cmdline_prompt(c, st);
	char			*text;
	int			 x, i, w;

	canvas_fill(c, cmd, ROLE_TEXT);
	canvas_fill(c, hint, ROLE_DIM);
	if (st->confirm_quit) {
		canvas_put(c, cmd.x + 1, cmd.y, cmd.w - 2, ROLE_WARN, "Abandon"
		    " this incident? It is recorded as abandoned.  y / n");
		return;
	}
	x = canvas_put(c, cmd.x + 1, cmd.y, cmd.w - 2, ROLE_ACCENT, prompt) + 1;
	w = cmd.w - x - 1;
	text = st->line == NULL ? xstrdup("") : st->line_len > 0 ?
	    xstrndup(st->line, st->line_len) : xstrdup(st->line);
	canvas_put(c, cmd.x + x, cmd.y, w, ROLE_TEXT, text);
	free(text);
	/* The marks take the prompt's space and the last column. */
	if (st->line_left)
		canvas_put(c, cmd.x + x - 1, cmd.y, 1, ROLE_ACCENT,
		    g->utf8 ? "…" : "<");
	if (st->line_right)
		canvas_put(c, cmd.x + x + w, cmd.y, 1, ROLE_ACCENT,
		    g->utf8 ? "…" : ">");
	c->cursor_on = st->focus == F_CMDLINE && !st->help;
	c->cur_x = cmd.x + x + st->line_col;
	c->cur_y = cmd.y;
	if (st->nmatches > 0) {
		x = hint.x + 1;
		for (i = 0; i < st->nmatches && x < hint.x + hint.w - 4; i++)
			x += canvas_printf(c, x, hint.y, hint.x + hint.w - x,
			    ROLE_INFO, "%s  ", st->matches[i]);
		return;
	}
	if (st->message != NULL) {
		canvas_put(c, hint.x + 1, hint.y, hint.w - 2,
		    st->message_error ? ROLE_CRIT : ROLE_INFO, st->message);
		return;
	}
	if (st->line_too_long) {
		canvas_printf(c, hint.x + 1, hint.y, hint.w - 2, ROLE_CRIT,
		    "over %d bytes: the rest was dropped and Enter will not run"
		    " it · Esc clears", LINE_MAX_BYTES);
		return;
	}
	canvas_put_right(c, hint.x, hint.y, hint.w - 1, ROLE_DIM, g->utf8 ?
	    "Tab complete · ↑ history · PgUp/PgDn output · F1 help · F5 pause"
	    " · +/- speed" : "Tab complete - Up history - PgUp/PgDn output -"
	    " F1 help - F5 pause - +/- speed");
}

void
screen_too_small_draw(struct canvas *c)
{
	char	msg[96];

	canvas_clear(c);
	snprintf(msg, sizeof msg, "firedrill needs %dx%d (this is %dx%d)",
	    UI_MIN_W, UI_MIN_H, c->w, c->h);
	canvas_put(c, 0, c->h / 2, c->w, ROLE_WARN, msg);
}

void
screen_console_draw(struct canvas *c, const struct view *v,
    const struct ui_state *st)
{
	struct layout	l;

	layout_compute(&l, c->w, c->h);
	canvas_clear(c);
	if (l.too_small) {
		screen_too_small_draw(c);
		return;
	}
	panel_status_draw(c, l.status, v, st);
	panel_services_draw(c, l.services, v, st);
	panel_graphs_draw(c, l.graphs, v, st);
	panel_alerts_draw(c, l.alerts, v, st);
	panel_logs_draw(c, l.logs, v, st);
	if (!l.compact)
		panel_output_draw(c, l.output, st);
	else if (st->overlay_out)
		panel_output_draw(c, l.output, st);
	panel_cmdline_draw(c, l.cmdline, l.hint, st);
	if (st->help)
		panel_help_draw(c, st);
}
