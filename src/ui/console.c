/*
 * The console's loop: read a key or wait for the next visible change,
 * turn elapsed wall time into whole ticks at the chosen speed, build a
 * view, draw it with one doupdate.  Commands are the only way the console
 * changes the game.  Idle costs little: when nothing moves (paused, a
 * menu) it sleeps until a key arrives.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "session/record.h"
#include "session/replay.h"
#include "store/store.h"
#include "ui/console.h"
#include "ui/ghost.h"
#include "ui/input.h"
#include "ui/pmform.h"
#include "ui/pace.h"
#include "ui/panel.h"
#include "ui/replay-view.h"
#include "ui/recommend.h"
#include "ui/screens.h"
#include "ui/term.h"
#include "ui/unsaved.h"
#include "util/buf.h"
#include "util/xmalloc.h"

enum screen {
	SCR_TITLE,
	SCR_PICKER,
	SCR_BRIEFING,
	SCR_PLAY,
	SCR_UNSAVED,
	SCR_FORM,
	SCR_RESULTS,
	SCR_QUIT,
};


/* Keys handled at most between two frames, so time still moves. */
#define KEY_BATCH	4096

struct console {
	const struct console_opts *o;
	enum screen		 scr;
	struct canvas		 cv;
	struct line_editor	*le;
	int			 dirty;

	/* picker */
	struct incident_info	*inc;
	int			 ninc;
	struct picker_row	*rows;
	int			 sel;
	char			 filter[64];

	/* play */
	struct session		 s;
	int			 playing;
	struct ui_state		 st;
	struct view		 v;
	struct view_ghost	 ghost;
	int			 seen;
	double			 acc_ms;
	long			 last_wall;
	long			 last_second;
	int			 speed_ix;

	/* the post-mortem form and the results; the ended session stays
	 * open (s_open) until the player leaves them */
	int			 s_open;
	struct session		 x;	/* the expert path, same seed */
	int			 x_open;
	struct pmform		 pmf;
	char			 rec_note[200];	/* recording failed */
	struct recording	 rec;		/* the session being recorded */
	int			 rec_on;	/* rec is set up */
	struct unsaved		 uns;		/* SCR_UNSAVED */
	char			*quit_note;	/* said after the screen */
	struct results		 res;
	int			 res_scroll;

	struct replay_view	*rv;	/* firedrill replay, else NULL */
};

static long
wall_ms(void)
{
	return (pace_wall_ms());
}

static void
set_message(struct console *c, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_message(struct console *c, int error, const char *fmt, ...)
{
	va_list	ap;

	free(c->st.message);
	va_start(ap, fmt);
	c->st.message = xvasprintf(fmt, ap);
	va_end(ap);
	c->st.message_error = error;
}

static void
set_output(struct console *c, const char *title, const char *text, int err)
{
	free(c->st.out_title);
	free(c->st.out_text);
	c->st.out_title = xstrdup(title);
	c->st.out_text = xstrdup(text);
	c->st.out_error = err;
	c->st.out_scroll = 0;
}

/* ---- the picker ---- */

static void
load_picker(struct console *c)
{
	struct store	*st = NULL;
	char		*cause = NULL, *path = NULL;
	int		 i;

	incident_list_free(c->inc, c->ninc);
	free(c->rows);
	c->inc = NULL;
	c->ninc = 0;
	if (incident_list(c->o->datadir, &c->inc, &c->ninc, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	c->rows = xcalloc(c->ninc > 0 ? c->ninc : 1, sizeof *c->rows);
	if (c->o->db != NULL)
		st = store_open(c->o->db, 0, &cause);
	else if ((path = store_default_path(&cause)) != NULL)
		st = store_open(path, 1, &cause);
	free(cause);
	cause = NULL;
	for (i = 0; i < c->ninc; i++) {
		struct picker_row *r = &c->rows[i];

		strlcpy_fd(r->id, c->inc[i].id, sizeof r->id);
		strlcpy_fd(r->section, c->inc[i].section, sizeof r->section);
		strlcpy_fd(r->title, c->inc[i].error != NULL ?
		    "(cannot be loaded)" : c->inc[i].title, sizeof r->title);
		strlcpy_fd(r->severity, c->inc[i].severity, sizeof r->severity);
		r->difficulty = c->inc[i].difficulty;
		r->best = -1;
		r->visible = 1;
		if (st != NULL && store_incident_best(st, r->id, &r->played,
		    &r->best, r->grade, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
	}
	recommend_from_store(c->rows, c->ninc, st);
	store_close(st);
	free(path);
}

static void
apply_filter(struct console *c)
{
	int	i, first = -1;

	for (i = 0; i < c->ninc; i++) {
		c->rows[i].visible = c->filter[0] == '\0' ||
		    strcasestr(c->rows[i].id, c->filter) != NULL ||
		    strcasestr(c->rows[i].title, c->filter) != NULL ||
		    strcasestr(c->rows[i].section, c->filter) != NULL;
		if (c->rows[i].visible && first < 0)
			first = i;
	}
	if (c->sel < 0 || c->sel >= c->ninc || !c->rows[c->sel].visible)
		c->sel = first;
}

static void
picker_move(struct console *c, int dir)
{
	int	i = c->sel;

	for (;;) {
		i += dir;
		if (i < 0 || i >= c->ninc)
			return;
		if (c->rows[i].visible) {
			c->sel = i;
			return;
		}
	}
}

/* ---- starting, ending and recording an incident ---- */

static void begin_play(struct console *);

/* Done with the session (and its form): leaving the results, or quitting. */
static void
close_session(struct console *c)
{
	if (!c->s_open)
		return;
	session_close(&c->s);
	if (c->rec_on)
		record_fini(&c->rec);
	c->rec_on = 0;
	pmform_fini(&c->pmf);
	if (c->x_open)
		session_close(&c->x);
	c->s_open = c->x_open = 0;
	c->playing = 0;
}

static int
start_incident(struct console *c, const char *id, char **cause)
{
	uint64_t	seed = c->o->seed_set ? c->o->seed :
			    (uint64_t)time(NULL) ^ (uint64_t)wall_ms();

	close_session(c);
	if (session_open(&c->s, c->o->datadir, id, seed, cause) != 0)
		return (-1);
	c->s_open = 1;
	begin_play(c);
	/* Recorded as it goes: a crash or kill loses a few seconds at most. */
	record_begin(&c->rec, &c->s, c->o->db, "play", c->o->player);
	c->rec_on = 1;
	if (c->o->ghost) {
		char *note = ghost_load(&c->ghost, c->o->db, c->o->player,
		    c->s.g.inc.id, seed);

		/* The compact layout has no output pane: the line too. */
		c->st.ghost = &c->ghost;
		set_output(c, "ghost", note, 0);
		set_message(c, 0, "%s", note);
		free(note);
	}
	return (0);
}

/* The session is open (new, or a replay's): reset the play screen. */
static void
begin_play(struct console *c)
{
	c->playing = 1;
	memset(&c->v, 0, sizeof c->v);
	free(c->st.message);
	free(c->st.out_title);
	free(c->st.out_text);
	for (int i = 0; i < c->st.npinned; i++)
		free(c->st.pinned[i]);
	free(c->st.log_src);
	free(c->st.log_filter);
	memset(&c->st, 0, sizeof c->st);
	c->st.color = term_color_mode() != COLOR_NONE;
	c->speed_ix = 0;
	c->st.speed = c->o->speed > 0 ? c->o->speed : 1;
	c->seen = c->s.g.tl.n;
	c->acc_ms = 0;
	c->last_wall = wall_ms();
	c->last_second = -1;
	line_clear(c->le);
}

/* A replay still playing back: its keys, its ticks, nothing recorded. */
static int
playback(const struct console *c)
{
	return (c->playing && replay_view_playing(c->rv));
}

/* The results from the session as it stands (its post-mortem included). */
static void
build_results(struct console *c)
{
	struct score	sc;

	record_score(&c->s, &sc);
	results_build(&c->res, &c->s, &sc, c->x_open ? &c->x.g.tl : NULL,
	    c->cv.gl != NULL && c->cv.gl->utf8);
	strlcpy_fd(c->res.note, c->rec_note, sizeof c->res.note);
	c->res_scroll = 0;
}

/*
 * The incident's expert path on the same seed, for the debrief to set
 * beside the player's (a fraction of a second of simulation).
 */
static void
run_expert(struct console *c)
{
	const struct game	*g = &c->s.g;
	char			*cause = NULL;

	if (c->x_open || g->inc.db.expert == NULL)
		return;
	c->x_open = session_expert(&c->x, c->o->datadir, c->s.path != NULL ?
	    c->s.path : g->inc.id, g->seed, &cause) == 0;
	free(cause);
}

/*
 * The incident is over: record it at once (so quitting from the form
 * loses nothing), then open the post-mortem form before the results.
 */
static void
end_incident(struct console *c)
{
	struct score	 sc;
	char		*why = NULL;

	view_build(&c->v, &c->s, (const char *const *)c->st.pinned,
	    c->st.npinned, c->st.log_src, c->st.log_filter, NULL);
	record_score(&c->s, &sc);
	c->rec_note[0] = '\0';
	/* A replay turned live is recorded whole, here. */
	if (!c->rec_on) {
		record_init(&c->rec, c->o->db, "play", c->o->player);
		c->rec_on = 1;
	}
	run_expert(c);
	pmform_init(&c->pmf, &c->s.g.inc.db, &c->s.g.tl, c->s.g.seed);
	c->playing = 0;
	c->scr = SCR_FORM;
	c->dirty = 1;
	if (record_end(&c->rec, &c->s, &sc, &why) != 0) {
		/* Never silently: the player sees it and chooses. */
		strlcpy_fd(c->rec_note, why, sizeof c->rec_note);
		unsaved_open(&c->uns, c->rec.cause != NULL ?
		    c->rec.cause : why, c->rec.saved);
		free(c->quit_note);
		c->quit_note = why;
		c->scr = SCR_UNSAVED;
	}
	build_results(c);
}

/* A key on the "not recorded" screen. */
static void
unsaved_act(struct console *c, int k)
{
	struct score	 sc;
	char		*why = NULL;
	int		 rc;

	switch (unsaved_key(&c->uns, k)) {
	case UNS_RETRY:
	case UNS_OTHER:
		record_score(&c->s, &sc);
		rc = record_retry(&c->rec, &c->s, &sc, c->uns.typing ||
		    c->uns.path[0] == '\0' ? NULL : c->uns.path, &why);
		c->uns.path[0] = '\0';
		if (rc == 0) {
			free(c->quit_note);
			c->quit_note = NULL;
			c->rec_note[0] = '\0';
			build_results(c);
			c->scr = SCR_FORM;
		} else {
			strlcpy_fd(c->rec_note, why, sizeof c->rec_note);
			unsaved_open(&c->uns, c->rec.cause != NULL ?
			    c->rec.cause : why, c->rec.saved);
			free(c->quit_note);
			c->quit_note = why;
		}
		break;
	case UNS_GO_ON:
		c->scr = SCR_FORM;
		break;
	default:
		break;
	}
}

/* The form was finished: score the answers, save them, show the results. */
static void
finish_postmortem(struct console *c)
{
	struct score	 sc;
	char		*why = NULL;

	pmform_answers(&c->pmf, &c->s.pm);
	record_score(&c->s, &sc);
	build_results(c);
	if (c->s.db_id > 0 && record_postmortem(&c->s, &sc, c->rec_on &&
	    c->rec.db != NULL ? c->rec.db : c->o->db, &why) != 0) {
		strlcpy_fd(c->res.note, why, sizeof c->res.note);
		free(why);
	} else if (c->s.db_id <= 0 && c->rec_on && c->rec.saved != NULL) {
		/* Not recorded: the saved JSON gets the answers too. */
		char *path = xstrdup(c->rec.saved);

		unlink(path);
		if (record_save_json(&c->rec, &c->s, &sc, path, &why) != 0) {
			strlcpy_fd(c->res.note, why, sizeof c->res.note);
			free(why);
		}
		free(path);
	}
	c->scr = SCR_RESULTS;
}

/* ---- commands from the line ---- */

static void
pin_graph(struct console *c, const char *metric)
{
	int	i;

	for (i = 0; i < c->st.npinned; i++)
		if (strcmp(c->st.pinned[i], metric) == 0)
			return;
	if (c->st.npinned == UI_MAX_PIN) {
		free(c->st.pinned[0]);
		memmove(c->st.pinned, c->st.pinned + 1,
		    (UI_MAX_PIN - 1) * sizeof *c->st.pinned);
		c->st.npinned--;
	}
	c->st.pinned[c->st.npinned++] = xstrdup(metric);
}

static void
set_speed(struct console *c, double speed)
{
	c->st.speed = speed;
	c->st.paused = 0;
	set_message(c, 0, "speed %g×", speed);
}

static void
run_line(struct console *c, const char *line)
{
	const struct cmd_entry	*e;
	struct buf		 out;
	char			**argv = NULL, *cause = NULL;
	int			 argc = 0, rc, i;

	free(c->st.message);
	c->st.message = NULL;
	while (*line == ' ')
		line++;
	if (*line == '\0')
		return;
	if (*line == '/') {
		free(c->st.log_filter);
		c->st.log_filter = line[1] != '\0' ? xstrdup(line + 1) : NULL;
		set_message(c, 0, line[1] != '\0' ? "logs filtered by '%s'" :
		    "%slog filter cleared", line + 1);
		return;
	}
	if (cmd_split(line, &argc, &argv, &cause) != 0) {
		set_message(c, 1, "%s", cause);
		free(cause);
		return;
	}
	e = cmd_find(argv[0], &cause);
	free(cause);
	cause = NULL;
	switch (pace_verb(e, argc, argv, &i)) {
	case PACE_NOT_OURS:
		break;
	case PACE_QUIT:
		c->st.confirm_quit = 1;
		break;
	case PACE_PAUSE:
		c->st.paused = 1;
		break;
	case PACE_RESUME:
		c->st.paused = 0;
		break;
	case PACE_SPEED:
		c->speed_ix = i;
		set_speed(c, pace_speeds[i]);
		break;
	case PACE_BAD_SPEED:
		set_message(c, 1, "usage: %s", e->usage);
		break;
	case PACE_POSTMORTEM:
		set_message(c, 0, "the post-mortem form opens when the"
		    " incident ends (and again with p on the results)");
		break;
	}
	if (e != NULL && (e->flags & CMDF_CONSOLE)) {
		cmd_free_argv(argc, argv);
		return;
	}
	if (e != NULL && strcmp(e->name, "help") == 0 && argc == 1) {
		c->st.help = 1;
		cmd_free_argv(argc, argv);
		return;
	}
	buf_init(&out);
	rc = session_command(&c->s, line, &out);
	if (rc != 0) {
		/* One line; the usage rides along when there is one. */
		char	*nl = strchr(buf_str(&out), '\n');

		if (nl != NULL)
			*nl = '\0';
		if (e != NULL && strstr(buf_str(&out), "usage") == NULL)
			set_message(c, 1, "%s  ·  usage: %s", buf_str(&out),
			    e->usage);
		else
			set_message(c, 1, "%s", buf_str(&out));
	} else {
		if (e != NULL && strcmp(e->name, "graph") == 0 && argc >= 2)
			pin_graph(c, argv[1]);
		if (e != NULL && strcmp(e->name, "logs") == 0 && argc >= 2) {
			free(c->st.log_src);
			c->st.log_src = strcmp(argv[1], "all") == 0 ? NULL :
			    xstrdup(argv[1]);
			for (i = 2; i + 1 < argc; i++)
				if (strcmp(argv[i], "-g") == 0) {
					free(c->st.log_filter);
					c->st.log_filter = xstrdup(argv[i + 1]);
				}
		}
		if (strchr(buf_str(&out), '\n') != NULL &&
		    strchr(buf_str(&out), '\n')[1] != '\0') {
			set_output(c, line, buf_str(&out), 0);
			c->st.overlay_out = 1;
		} else {
			char *nl = strchr(buf_str(&out), '\n');

			if (nl != NULL)
				*nl = '\0';
			set_message(c, 0, "%s", buf_str(&out));
			set_output(c, line, buf_str(&out), 0);
		}
	}
	buf_fini(&out);
	cmd_free_argv(argc, argv);
}

static void
accept_cb(void *ctx, const char *line)
{
	struct console	*c = ctx;

	if (c->scr == SCR_PLAY && c->playing)
		run_line(c, line);
	c->dirty = 1;
}

static int
complete_cb(void *ctx, const char *before, const char *word, char ***out)
{
	struct console	*c = ctx;

	(void)word;
	if (!c->playing)
		return (0);
	return (cmd_complete(&c->s.g, before, out));
}

/* ---- keys ---- */

static void
feed_key(struct console *c, int k)
{
	char	buf[8];
	size_t	n = 0;

	switch (k) {
	case K_ENTER:		line_feed(c->le, "\r", 1); return;
	case K_TAB:		line_feed(c->le, "\t", 1); return;
	case K_BACKSPACE:	line_feed(c->le, "\x7f", 1); return;
	case K_LEFT:		line_feed(c->le, "\033[D", 3); return;
	case K_RIGHT:		line_feed(c->le, "\033[C", 3); return;
	case K_UP:		line_feed(c->le, "\033[A", 3); return;
	case K_DOWN:		line_feed(c->le, "\033[B", 3); return;
	case K_HOME:		line_feed(c->le, "\033[H", 3); return;
	case K_END:		line_feed(c->le, "\033[F", 3); return;
	case K_DEL:		line_feed(c->le, "\033[3~", 4); return;
	default:
		break;
	}
	if (k < 0 || k >= K_RESIZE)
		return;
	if (k < 0x80)
		buf[n++] = (char)k;
	else if (k < 0x800) {
		buf[n++] = (char)(0xc0 | (k >> 6));
		buf[n++] = (char)(0x80 | (k & 0x3f));
	} else if (k < 0x10000) {
		buf[n++] = (char)(0xe0 | (k >> 12));
		buf[n++] = (char)(0x80 | ((k >> 6) & 0x3f));
		buf[n++] = (char)(0x80 | (k & 0x3f));
	} else {
		buf[n++] = (char)(0xf0 | (k >> 18));
		buf[n++] = (char)(0x80 | ((k >> 12) & 0x3f));
		buf[n++] = (char)(0x80 | ((k >> 6) & 0x3f));
		buf[n++] = (char)(0x80 | (k & 0x3f));
	}
	line_feed(c->le, buf, n);
}

static void
play_key(struct console *c, int k)
{
	struct ui_state	*st = &c->st;
	int		 empty = line_is_empty(c->le);

	if (playback(c)) {
		if (replay_view_key(c->rv, &c->s, st, k) == RV_QUIT) {
			close_session(c);
			c->scr = SCR_QUIT;
		}
		return;
	}
	if (st->confirm_quit) {
		if (k == 'y' || k == 'Y') {
			struct buf out;

			/* Like every change to the game: a command. */
			st->confirm_quit = 0;
			buf_init(&out);
			session_command(&c->s, "abandon", &out);
			buf_fini(&out);
			end_incident(c);
		} else if (k == 'n' || k == 'N' || k == 27)
			st->confirm_quit = 0;
		return;
	}
	if (st->help) {
		if (k == 27 || k == K_F1 || k == 'q' || k == '?' ||
		    k == K_ENTER)
			st->help = 0;
		return;
	}
	if (k != K_TAB) {
		free(st->message);
		st->message = NULL;
	}
	switch (k) {
	case K_F1:
		st->help = 1;
		return;
	case K_F5:
	case 0:		/* Ctrl-Space */
		st->paused = !st->paused;
		c->last_wall = wall_ms();
		return;
	case 3:		/* Ctrl-C */
		st->confirm_quit = 1;
		return;
	case K_PGUP:
		st->out_scroll += 10;
		return;
	case K_PGDN:
		st->out_scroll = st->out_scroll > 10 ? st->out_scroll - 10 : 0;
		return;
	case K_ALT1: case K_ALT2: case K_ALT3: case K_ALT4: case K_ALT5:
		st->focus = (enum focus)(k - K_ALT1);
		return;
	case 27:
		if (st->overlay_out)
			st->overlay_out = 0;
		else if (st->focus != F_CMDLINE)
			st->focus = F_CMDLINE;
		else
			line_clear(c->le);
		return;
	}
	if (empty && st->focus == F_CMDLINE) {
		if (k == '?') {
			st->help = 1;
			return;
		}
		if (k == '+' || k == '-') {
			c->speed_ix += k == '+' ? 1 : -1;
			if (c->speed_ix < 0)
				c->speed_ix = 0;
			if (c->speed_ix >= PACE_NSPEEDS)
				c->speed_ix = PACE_NSPEEDS - 1;
			set_speed(c, pace_speeds[c->speed_ix]);
			return;
		}
	}
	if (st->focus == F_SERVICES) {
		if (k == K_UP && st->svc_sel > 0) {
			st->svc_sel--;
			return;
		}
		if (k == K_DOWN && st->svc_sel + 1 < c->v.nsvc) {
			st->svc_sel++;
			return;
		}
		if (k == K_ENTER && st->svc_sel < c->v.nsvc) {
			char *cmd = xasprintf(c->v.svc[st->svc_sel].external ||
			    strcmp(c->v.svc[st->svc_sel].name, "gw") == 0 ?
			    "show map" : "show svc %s",
			    c->v.svc[st->svc_sel].name);

			run_line(c, cmd);
			free(cmd);
			return;
		}
		if (k == K_UP || k == K_DOWN)
			return;
		st->focus = F_CMDLINE;
	}
	if (st->focus == F_OUTPUT && (k == K_UP || k == K_DOWN)) {
		st->out_scroll += k == K_UP ? 1 : -1;
		if (st->out_scroll < 0)
			st->out_scroll = 0;
		return;
	}
	if (st->focus != F_CMDLINE && k != K_UP && k != K_DOWN)
		st->focus = F_CMDLINE;
	feed_key(c, k);
}

static void
menu_key(struct console *c, int k)
{
	char	*cause = NULL;
	size_t	 n;

	switch (c->scr) {
	case SCR_TITLE:
		if (k == 'q' || k == 3 || k == 27)
			c->scr = SCR_QUIT;
		else if (k == K_ENTER || k == ' ') {
			load_picker(c);
			apply_filter(c);
			c->scr = SCR_PICKER;
		}
		break;
	case SCR_PICKER:
		n = strlen(c->filter);
		if (k == 3 || (k == 'q' && n == 0))
			c->scr = SCR_QUIT;
		else if (k == 27) {
			if (n > 0) {
				c->filter[0] = '\0';
				apply_filter(c);
			} else
				c->scr = SCR_TITLE;
		} else if (k == K_UP)
			picker_move(c, -1);
		else if (k == K_DOWN)
			picker_move(c, 1);
		else if (k == K_BACKSPACE && n > 0) {
			c->filter[n - 1] = '\0';
			apply_filter(c);
		} else if (k == K_ENTER && c->sel >= 0 && c->sel < c->ninc &&
		    c->rows[c->sel].visible && c->inc[c->sel].error == NULL)
			c->scr = SCR_BRIEFING;
		else if (k >= 0x20 && k < 0x7f && n + 1 < sizeof c->filter) {
			c->filter[n] = (char)k;
			c->filter[n + 1] = '\0';
			apply_filter(c);
		}
		break;
	case SCR_BRIEFING:
		if (k == 27 || k == 'q') {
			c->scr = SCR_PICKER;
			apply_filter(c);
		} else if (k == K_ENTER) {
			if (start_incident(c, c->inc[c->sel].path,
			    &cause) != 0) {
				c->scr = SCR_PICKER;
				free(cause);
			} else
				c->scr = SCR_PLAY;
		}
		break;
	case SCR_UNSAVED:
		if (k == 3 || (k == 'q' && !c->uns.typing))
			c->scr = SCR_QUIT;
		else
			unsaved_act(c, k);
		break;
	case SCR_FORM:
		if (k == 3)
			c->scr = SCR_QUIT;
		else if (pmform_key(&c->pmf, k) == PMF_FINISHED)
			finish_postmortem(c);
		break;
	case SCR_RESULTS:
		if (k == 'q' || k == 3)
			c->scr = SCR_QUIT;
		else if ((k == 'p' || k == 'P') && c->s_open) {
			pmform_reopen(&c->pmf);
			c->scr = SCR_FORM;
		}
		else if (k == K_DOWN)
			c->res_scroll += c->res_scroll + 1 < c->res.nlines;
		else if (k == K_UP && c->res_scroll > 0)
			c->res_scroll--;
		else if (k == K_PGDN)
			c->res_scroll = c->res_scroll + 10 < c->res.nlines ?
			    c->res_scroll + 10 : c->res_scroll;
		else if (k == K_PGUP)
			c->res_scroll = c->res_scroll > 10 ?
			    c->res_scroll - 10 : 0;
		else if (k == K_ENTER || k == 27) {
			close_session(c);
			load_picker(c);
			apply_filter(c);
			c->scr = SCR_PICKER;
		}
		break;
	default:
		break;
	}
}

/* One key, wherever it goes; what the editor has to say is shown. */
static void
handle_key(struct console *c, int k)
{
	char	*note;

	if (c->scr == SCR_PLAY && c->playing)
		play_key(c, k);
	else
		menu_key(c, k);
	if ((note = line_take_notice(c->le)) != NULL) {
		set_message(c, 1, "%s", note);
		free(note);
	}
}

/* ---- time ---- */

static void
advance(struct console *c)
{
	long	now = wall_ms(), n;
	int	dropped;

	if (!c->playing || c->st.paused || c->s.g.over) {
		c->last_wall = now;
		return;
	}
	c->acc_ms += (double)(now - c->last_wall) * c->st.speed;
	c->last_wall = now;
	n = (long)(c->acc_ms / TICK_MS);
	/* After a long stall, do not race to catch up. */
	if (n > 6000) {
		n = 6000;
		c->acc_ms = 0;
	} else
		c->acc_ms -= (double)n * TICK_MS;
	if (playback(c)) {
		replay_view_advance(c->rv, &c->s, &c->st, n);
		return;
	}
	/* A new page stops fast-forward at once. */
	pace_ticks(&c->s, n, &c->st.speed, &dropped);
	/* The recorder writes a batch only when one is due. */
	if (c->rec_on)
		record_tick(&c->rec, &c->s);
	if (dropped) {
		c->speed_ix = 0;
		c->acc_ms = 0;
	}
}

static int
wait_ms(const struct console *c)
{
	long	ms;

	if (c->scr != SCR_PLAY || !c->playing || c->st.paused ||
	    c->s.g.over)
		return (c->st.flash > 0 ? 500 : -1);
	/* Until the shown second changes, at most ten frames a second. */
	ms = (long)((1000 - session_now_ms(&c->s) % 1000 - c->acc_ms) /
	    c->st.speed);
	if (ms < 100)
		ms = 100;
	return ((int)ms);
}

static void
draw(struct console *c)
{
	int	w, h;

	term_size(&w, &h);
	if (w != c->cv.w || h != c->cv.h)
		canvas_resize(&c->cv, w, h);
	c->cv.cursor_on = 0;
	switch (c->scr) {
	case SCR_TITLE:
		screen_title_draw(&c->cv);
		break;
	case SCR_PICKER:
		screen_picker_draw(&c->cv, c->rows, c->ninc, c->sel, c->filter);
		break;
	case SCR_BRIEFING:
		screen_briefing_draw(&c->cv, &c->rows[c->sel],
		    c->inc[c->sel].briefing, c->inc[c->sel].clock);
		break;
	case SCR_PLAY: {
		struct line_window lw;

		c->st.line_prompt = line_prompt(c->le);
		/* Only the window around the cursor: a long line scrolls. */
		line_window(c->le, panel_cmdline_width(&c->cv, &c->st), &lw);
		c->st.line = lw.text;
		c->st.line_len = lw.len;
		c->st.line_col = lw.cursor;
		c->st.line_left = lw.left;
		c->st.line_right = lw.right;
		c->st.line_too_long = line_too_long(c->le);
		c->st.nmatches = line_matches(c->le, &c->st.matches);
		screen_console_draw(&c->cv, &c->v, &c->st);
		break;
	}
	case SCR_UNSAVED:
		unsaved_draw(&c->uns, &c->cv);
		break;
	case SCR_FORM:
		pmform_draw(&c->pmf, &c->cv);
		break;
	case SCR_RESULTS:
		screen_results_draw(&c->cv, &c->v, &c->res, c->res_scroll);
		break;
	default:
		return;
	}
	if (c->cv.w < UI_MIN_W || c->cv.h < UI_MIN_H)
		screen_too_small_draw(&c->cv);
	term_draw(&c->cv);
}

static char *
history_path(void)
{
	char	*db, *slash, *p;

	if ((db = store_default_path(&p)) == NULL) {
		free(p);
		return (NULL);
	}
	if ((slash = strrchr(db, '/')) != NULL) {
		*slash = '\0';
		/* The data directory, private as the database is. */
		if (mkdir(db, 0700) != 0 && errno != EEXIST) {
			free(db);
			return (NULL);
		}
		p = xasprintf("%s/history", db);
		free(db);
		return (p);
	}
	free(db);
	return (NULL);
}

int
console_run(const struct console_opts *o, char **cause)
{
	struct console	 c;
	char		*hist;
	int		 k, i;

	memset(&c, 0, sizeof c);
	c.o = o;
	/* A replay is built in place: the script keeps a pointer to it. */
	if (o->replay != NULL && (replay_open(&c.s, o->datadir, o->replay,
	    o->branch_ms, cause) != 0 || (o->branch_ms >= 0 &&
	    replay_branch_at(&c.s, o->replay, o->branch_ms, cause) != 0))) {
		session_close(&c.s);
		return (-1);
	}
	if (term_open(o->bell, cause) != 0) {
		session_close(&c.s);
		return (-1);
	}
	hist = history_path();
	c.le = line_new(hist, accept_cb, complete_cb, &c, cause);
	free(hist);
	if (c.le == NULL) {
		session_close(&c.s);
		term_close();
		return (-1);
	}
	canvas_init(&c.cv, 80, 24);
	c.cv.gl = glyphs_get(term_utf8());
	c.st.speed = 1;
	c.scr = SCR_TITLE;
	load_picker(&c);
	apply_filter(&c);
	if (o->incident != NULL) {
		c.sel = -1;
		for (i = 0; i < c.ninc; i++)
			if (strcmp(c.inc[i].id, o->incident) == 0 ||
			    strcmp(c.inc[i].path, o->incident) == 0)
				c.sel = i;
		if (c.sel < 0) {
			line_free(c.le);
			term_close();
			*cause = xasprintf("unknown incident '%s' (see"
			    " 'firedrill list')", o->incident);
			return (-1);
		}
		c.scr = SCR_BRIEFING;
	}
	if (o->replay != NULL) {
		c.s_open = 1;
		begin_play(&c);
		c.rv = replay_view_new(o, &c.st);
		c.scr = SCR_PLAY;
	}
	c.dirty = 1;
	while (c.scr != SCR_QUIT) {
		advance(&c);
		if (c.scr == SCR_PLAY && c.playing) {
			view_build(&c.v, &c.s, (const char *const *)c.st.pinned,
			    c.st.npinned, c.st.log_src, c.st.log_filter,
			    &c.seen);
			if (c.v.new_page) {
				c.st.flash = 2;
				term_bell();
				c.dirty = 1;
			}
			if (c.v.now_ms / 1000 != c.last_second) {
				c.last_second = c.v.now_ms / 1000;
				c.dirty = 1;
			}
			if (c.s.g.over && !playback(&c))
				end_incident(&c);
		}
		if (line_changed(c.le))
			c.dirty = 1;
		if (c.dirty) {
			draw(&c);
			c.dirty = 0;
			if (c.st.flash > 0)
				c.st.flash--;
		}
		k = term_key(wait_ms(&c));
		if (k == K_NONE)
			continue;
		c.dirty = 1;
		/*
		 * Every key already waiting is handled before the next
		 * frame: a paste costs its keys, not a frame per key.
		 */
		for (i = 0; k != K_NONE && c.scr != SCR_QUIT; i++) {
			if (k != K_RESIZE)
				handle_key(&c, k);
			k = i + 1 < KEY_BATCH ? term_key(0) : K_NONE;
		}
	}
	if (playback(&c))
		close_session(&c);
	if (c.playing) {
		struct buf out;

		buf_init(&out);
		session_command(&c.s, "abandon", &out);
		buf_fini(&out);
		end_incident(&c);
	}
	close_session(&c);
	line_free(c.le);
	canvas_fini(&c.cv);
	term_close();
	incident_list_free(c.inc, c.ninc);
	free(c.rows);
	replay_view_free(c.rv);
	results_fini(&c.res);
	free(c.st.message);
	free(c.st.out_title);
	free(c.st.out_text);
	for (i = 0; i < c.st.npinned; i++)
		free(c.st.pinned[i]);
	free(c.st.log_src);
	free(c.st.log_filter);
	/* Quitting from the "not recorded" screen: say it once more. */
	if (c.quit_note != NULL) {
		*cause = c.quit_note;
		return (-1);
	}
	return (0);
}
