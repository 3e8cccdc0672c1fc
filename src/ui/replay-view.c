/*
 * Playback of a recorded session in the console.  The recording drives
 * the game through its queued commands, so the keys here only move time:
 * they never touch the game, except `b`, which drops what is left of the
 * recording and hands the game to the player as a new session that knows
 * its parent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/replay.h"
#include "store/store.h"
#include "ui/replay-view.h"
#include "ui/term.h"
#include "util/xmalloc.h"

static const double replay_speeds[] = { 1, 2, 5, 10, 20 };
#define NSPEEDS	((int)(sizeof replay_speeds / sizeof replay_speeds[0]))

static void
say(struct ui_state *st, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct ui_state *st, int error, const char *fmt, ...)
{
	va_list	ap;

	free(st->message);
	va_start(ap, fmt);
	st->message = xvasprintf(fmt, ap);
	va_end(ap);
	st->message_error = error;
}

struct replay_view *
replay_view_new(const struct console_opts *o, struct ui_state *st)
{
	struct replay_view	*rv = xcalloc(1, sizeof *rv);

	rv->id = o->replay->id;
	rv->end_ms = o->replay->sim_ms;
	rv->live = o->branch_ms >= 0;
	for (rv->speed_ix = NSPEEDS - 1; rv->speed_ix > 0; rv->speed_ix--)
		if (replay_speeds[rv->speed_ix] <= o->speed)
			break;
	if (rv->live) {
		snprintf(rv->tag, sizeof rv->tag, "BRANCH of #%lld",
		    (long long)rv->id);
		st->speed = 1;
		st->paused = 1;
		say(st, 0, "a new session from session %lld: the game is"
		    " yours · F5 resumes", (long long)rv->id);
	} else {
		snprintf(rv->tag, sizeof rv->tag, "REPLAY #%lld",
		    (long long)rv->id);
		st->speed = replay_speeds[rv->speed_ix];
		say(st, 0, "replay of session %lld · space pause · + - speed"
		    " · b branch here · q quit", (long long)rv->id);
	}
	st->tag = rv->tag;
	return (rv);
}

void
replay_view_free(struct replay_view *rv)
{
	free(rv);
}

int
replay_view_playing(const struct replay_view *rv)
{
	return (rv != NULL && !rv->live);
}

static void	show_commands(struct replay_view *, const struct session *,
		    struct ui_state *);

static void
reach_end(struct replay_view *rv, struct session *s, struct ui_state *st)
{
	/* The recording may end on a command between ticks (abandon). */
	session_run_due(s);
	show_commands(rv, s, st);
	rv->at_end = 1;
	st->paused = 1;
	if (s->g.over)
		say(st, 0, "end of session %lld (%s) · q quits",
		    (long long)rv->id, s->g.outcome);
	else
		say(st, 0, "end of session %lld · b plays on from here · q"
		    " quits", (long long)rv->id);
}

/* The recorded commands show as the player saw them: line and output. */
static void
show_commands(struct replay_view *rv, const struct session *s,
    struct ui_state *st)
{
	const struct cmd_result	*r;
	char			 t[16];

	if (rv->shown >= s->nres)
		return;
	rv->shown = s->nres;
	r = &s->res[s->nres - 1];
	fmt_clock_ms(r->t_ms, t, sizeof t);
	say(st, !r->ok, "%s › %s", t, r->line);
	free(st->out_title);
	free(st->out_text);
	st->out_title = xstrdup(r->line);
	st->out_text = xstrdup(r->output);
	st->out_error = !r->ok;
	st->out_scroll = 0;
}

void
replay_view_advance(struct replay_view *rv, struct session *s,
    struct ui_state *st, long n)
{
	long	i;

	for (i = 0; i < n && session_now_ms(s) < rv->end_ms; i++)
		session_tick(s);
	show_commands(rv, s, st);
	if (session_now_ms(s) >= rv->end_ms && !rv->at_end)
		reach_end(rv, s, st);
}

static enum replay_act
branch(struct replay_view *rv, struct session *s, struct ui_state *st)
{
	char	t[16];

	if (s->g.over) {
		say(st, 1, "the incident is over (%s): nothing to play on",
		    s->g.outcome);
		return (RV_DONE);
	}
	/* What is left of the recording is the past that did not happen. */
	replay_branch(s, rv->id);
	rv->live = 1;
	snprintf(rv->tag, sizeof rv->tag, "BRANCH of #%lld",
	    (long long)rv->id);
	st->speed = 1;
	st->paused = 0;
	fmt_clock_ms(s->branch_ms, t, sizeof t);
	say(st, 0, "branched from session %lld at %s: the game is yours",
	    (long long)rv->id, t);
	return (RV_BRANCH);
}

enum replay_act
replay_view_key(struct replay_view *rv, struct session *s,
    struct ui_state *st, int k)
{
	switch (k) {
	case 'q':
	case 'Q':
	case 3:		/* Ctrl-C */
		return (RV_QUIT);
	case ' ':
	case K_F5:
	case 0:		/* Ctrl-Space */
		if (rv->at_end)
			return (RV_DONE);
		st->paused = !st->paused;
		say(st, 0, st->paused ? "paused · . or s steps one tick · b"
		    " branches here" : "playing at %g×", st->speed);
		return (RV_DONE);
	case '+':
	case '-':
		rv->speed_ix += k == '+' ? 1 : -1;
		if (rv->speed_ix < 0)
			rv->speed_ix = 0;
		if (rv->speed_ix >= NSPEEDS)
			rv->speed_ix = NSPEEDS - 1;
		st->speed = replay_speeds[rv->speed_ix];
		say(st, 0, "speed %g×", st->speed);
		return (RV_DONE);
	case '.':
	case 's':
		if (rv->at_end)
			say(st, 0, "the recording ends here");
		else if (!st->paused)
			say(st, 0, "step: pause first (space)");
		else
			replay_view_advance(rv, s, st, 1);
		return (RV_DONE);
	case 'b':
	case 'B':
		return (branch(rv, s, st));
	case 27:
		free(st->message);
		st->message = NULL;
		return (RV_DONE);
	default:
		break;
	}
	if (k >= 0x20 && k < K_RESIZE)
		say(st, 1, "this is a replay: commands wait until you branch"
		    " (b) and take over");
	return (RV_DONE);
}
