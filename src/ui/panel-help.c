/*
 * The help overlay: the keys, then every command with its one-line help,
 * generated from the command table so it can never disagree with it.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "ui/panel.h"

void
panel_help_draw(struct canvas *c, const struct ui_state *st)
{
	const struct cmd_entry *const	*e;
	static const char *const keys[][2] = {
		{ "Enter", "run the command line" },
		{ "Tab", "complete verbs, services, edges, alerts, metrics" },
		{ "Up/Down Ctrl-R", "history (kept across sessions)" },
		{ "F5 Ctrl-Space", "pause / resume" },
		{ "+ -  (empty line)", "speed 1x 2x 5x 10x 60x" },
		{ "PgUp PgDn", "scroll the output" },
		{ "Alt-1..5", "focus: line, services, alerts, logs, output" },
		{ "Esc", "close this, clear the line, back to the line" },
		{ "F1 ?  (empty line)", "this help" },
		{ "q quit", "leave (asks before abandoning)" },
	};
	struct rect	r;
	int		y, i, half;

	(void)st;
	r = (struct rect){ 2, 1, c->w - 4, c->h - 2 };
	canvas_fill(c, r, ROLE_TEXT);
	canvas_box(c, r, "Help · Esc closes", ROLE_ACCENT);
	y = r.y + 1;
	canvas_put(c, r.x + 2, y++, r.w - 4, ROLE_TITLE, "Keys");
	for (i = 0; i < (int)(sizeof keys / sizeof keys[0]) &&
	    y < r.y + r.h - 1; i++, y++)
		canvas_printf(c, r.x + 2, y, r.w - 4, ROLE_TEXT, "%-20s %s",
		    keys[i][0], keys[i][1]);
	y++;
	canvas_put(c, r.x + 2, y++, r.w - 4, ROLE_TITLE,
	    "Commands (help VERB for usage; a unique prefix is enough)");
	half = (r.w - 4) / 2;
	for (e = cmd_table, i = 0; *e != NULL && y < r.y + r.h - 1; e++, i++) {
		int x = r.x + 2 + (i % 2) * half;

		canvas_printf(c, x, y, half - 1, ROLE_TEXT, "%-10s %s",
		    (*e)->name, (*e)->help);
		if (i % 2 == 1)
			y++;
	}
}
