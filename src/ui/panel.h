/*
 * Panels and screens: each draws one part of the console into a canvas
 * rectangle, from the view and the console's own view state (focus,
 * scroll, selection).  None touches the game; commands are the only way
 * back, as strings the console submits.
 */
#ifndef FD_PANEL_H
#define FD_PANEL_H

#include "ui/canvas.h"
#include "ui/view.h"

#define UI_MAX_PIN	2
#define UI_MIN_W	80
#define UI_MIN_H	24

enum focus {
	F_CMDLINE,
	F_SERVICES,
	F_ALERTS,
	F_LOGS,
	F_OUTPUT,
};

/* What the console keeps of its own: never game state. */
struct ui_state {
	enum focus	 focus;
	int		 svc_sel;
	int		 out_scroll;	/* lines up from the bottom */
	char		*out_title;	/* the command the output came from */
	char		*out_text;	/* its output */
	int		 out_error;
	char		*pinned[UI_MAX_PIN];
	int		 npinned;
	char		*log_src;	/* logs SERVICE */
	char		*log_filter;	/* /text */
	double		 speed;
	int		 paused;
	int		 flash;		/* frames left to flash a new page */
	int		 help;		/* the help overlay is open */
	int		 overlay_out;	/* output shown as an overlay (small) */
	const char	*line;		/* the command line, borrowed */
	size_t		 line_len;	/* bytes of it to show; 0: all */
	int		 line_col;	/* the cursor, from where line starts */
	int		 line_left;	/* a long line: text hidden left */
	int		 line_right;	/* ... and right of what is shown */
	int		 line_too_long;	/* text was dropped from the line */
	const char	*line_prompt;	/* Ctrl-R search prompt or NULL */
	char *const	*matches;	/* completion candidates */
	int		 nmatches;
	char		*message;	/* one-line feedback under the line */
	int		 message_error;
	int		 confirm_quit;	/* "abandon the incident? y/n" */
	int		 color;		/* colour is available (for legends) */
	const char	*tag;		/* "REPLAY #12" on the status bar, or NULL */
	const struct view_ghost *ghost;	/* pace to beat, or NULL */
};

struct layout {
	int		 too_small;
	int		 compact;	/* 80x24 arrangement */
	struct rect	 status, services, graphs, alerts, output, logs;
	struct rect	 cmdline, hint;
};

void	layout_compute(struct layout *, int w, int h);

/* Number formats with units that keep their column. */
const char *fmt_ms(double ms, char *buf, size_t len);
const char *fmt_rate(double v, char *buf, size_t len);
const char *fmt_clock_ms(long ms, char *buf, size_t len);
enum role role_of_health(enum health);

void	panel_status_draw(struct canvas *, struct rect, const struct view *,
	    const struct ui_state *);
void	panel_services_draw(struct canvas *, struct rect, const struct view *,
	    const struct ui_state *);
void	panel_graphs_draw(struct canvas *, struct rect, const struct view *,
	    const struct ui_state *);
void	panel_alerts_draw(struct canvas *, struct rect, const struct view *,
	    const struct ui_state *);
void	panel_logs_draw(struct canvas *, struct rect, const struct view *,
	    const struct ui_state *);
void	panel_output_draw(struct canvas *, struct rect,
	    const struct ui_state *);
void	panel_cmdline_draw(struct canvas *, struct rect cmd, struct rect hint,
	    const struct ui_state *);
/* Columns the command line's text gets on this canvas (after the prompt). */
int	panel_cmdline_width(const struct canvas *, const struct ui_state *);
void	panel_help_draw(struct canvas *, const struct ui_state *);
/* One braille (or ASCII) line chart with axes, unit and markers. */
void	chart_draw(struct canvas *, struct rect, const struct view_graph *,
	    const struct view *, enum role);

/* The whole live console for a view. */
void	screen_console_draw(struct canvas *, const struct view *,
	    const struct ui_state *);
/* Below the minimum size: what is needed. */
void	screen_too_small_draw(struct canvas *);

#endif
