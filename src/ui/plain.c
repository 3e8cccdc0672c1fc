/*
 * The line mode: the console's game for screen readers and braille
 * displays.  The session, the pace, the commands, the scoring and the
 * recording are the console's own (session_tick through ui/pace.c,
 * session_command, the recorder); only the presentation differs: what
 * happens is told a line at a time, and the dashboard is a command away.
 * Nothing written here is an escape sequence: every byte from a script or
 * the input that is a control character is shown as '?'.
 */
#include <ctype.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "score/score.h"
#include "session/record.h"
#include "ui/ghost.h"
#include "ui/input.h"
#include "ui/pace.h"
#include "ui/panel.h"
#include "ui/plain.h"
#include "ui/pmform.h"
#include "ui/screens.h"
#include "ui/view.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/xmalloc.h"


/* What read_line hands back for a line over LINE_MAX_BYTES. */
#define PLAIN_TOO_LONG	"\001"

struct plain {
	const struct console_opts *o;
	struct session	 s;
	int		 s_open;
	struct session	 x;		/* the expert path */
	int		 x_open;
	struct pace	 pace;
	int		 seen;		/* events already told */
	int		 tty;		/* stdin is a terminal */
	int		 utf8;

	char		*in;		/* read, not yet a whole line */
	size_t		 inlen;
	size_t		 incap;
	size_t		 linelen;	/* of the unfinished line */
	int		 dropping;	/* and it is too long */
	int		 eof;

	long		 at_ms;		/* a timed line's time */
	char		*at_line;
	int		 confirm_quit;
	int		 not_recorded;
	struct recording rec;		/* recorded as it goes */
};

static volatile sig_atomic_t plain_interrupted;

static void
plain_sigint(int sig)
{
	(void)sig;
	plain_interrupted = 1;
}

/* One line to f, a control character shown as '?'. */
static void
put_clean(FILE *f, const char *s, size_t n)
{
	size_t		i;
	unsigned char	ch;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		putc(ch == '\t' || (ch >= 0x20 && ch != 0x7f) ? ch : '?', f);
	}
	putc('\n', f);
}

/* Each line of text to f, cleaned. */
static void
put_lines(FILE *f, const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		put_clean(f, p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	fflush(f);
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
say(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	put_lines(stdout, s);
	free(s);
}

/* A one-line error, on stderr. */
static void
complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
complain(const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *nl;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if ((nl = strchr(s, '\n')) != NULL)
		*nl = '\0';
	fflush(stdout);
	put_clean(stderr, s, strlen(s));
	fflush(stderr);
	free(s);
}

static const char *
sim_clock(const struct plain *p, long t_ms, char *buf, size_t len)
{
	return (cmd_fmt_clock(&p->s.g, t_ms, buf, len));
}

/* ---- input ---- */

static void
in_add(struct plain *p, char ch)
{
	if (p->inlen == p->incap) {
		p->incap = p->incap == 0 ? 4096 : p->incap * 2;
		p->in = xrealloc(p->in, p->incap);
	}
	p->in[p->inlen++] = ch;
}

/*
 * Take in read bytes.  A line longer than LINE_MAX_BYTES is cut back to
 * a marker and the rest of it dropped, as the console's line does.
 */
static void
in_take(struct plain *p, const char *buf, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			in_add(p, '\n');
			p->linelen = 0;
			p->dropping = 0;
			continue;
		}
		if (p->dropping)
			continue;
		if (p->linelen == LINE_MAX_BYTES) {
			p->inlen -= p->linelen;
			in_add(p, PLAIN_TOO_LONG[0]);
			p->linelen = 1;
			p->dropping = 1;
			continue;
		}
		in_add(p, buf[i]);
		p->linelen++;
	}
}

/*
 * The next line (caller frees): 1, or 0 when none came within timeout_ms
 * (-1: wait for one), or -1 at the end of input.
 */
static int
read_line(struct plain *p, int timeout_ms, char **line)
{
	struct pollfd	 pfd;
	char		 chunk[4096], *nl;
	ssize_t		 n;
	size_t		 k;
	int		 rc;

	for (;;) {
		nl = p->inlen > 0 ? memchr(p->in, '\n', p->inlen) : NULL;
		if (nl != NULL || (p->eof && p->inlen > 0)) {
			k = nl != NULL ? (size_t)(nl - p->in) : p->inlen;
			*line = xstrndup(p->in, k);
			if (k > 0 && (*line)[k - 1] == '\r')
				(*line)[k - 1] = '\0';
			if (nl != NULL)
				k++;
			memmove(p->in, p->in + k, p->inlen - k);
			p->inlen -= k;
			if (nl == NULL)
				p->linelen = p->dropping = 0;
			return (1);
		}
		if (p->eof || plain_interrupted)
			return (-1);
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, timeout_ms);
		if (rc == 0 || (rc < 0 && errno == EINTR))
			return (0);
		if (rc < 0) {
			p->eof = 1;
			continue;
		}
		n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return (0);
		if (n <= 0) {
			p->eof = 1;
			continue;
		}
		in_take(p, chunk, (size_t)n);
		timeout_ms = 0;
	}
}

/* ---- what happens ---- */

/* Each new event of the timeline a player would see, as one line. */
static void
tell_events(struct plain *p)
{
	const struct timeline	*tl = &p->s.g.tl;
	const struct event	*e;
	char			 clk[32];
	const char		*what;

	for (; p->seen < tl->n; p->seen++) {
		e = &tl->v[p->seen];
		switch (e->kind) {
		case EV_ALERT_FIRED:
			what = "alert";
			break;
		case EV_ALERT_RESOLVED:
			what = "resolved";
			break;
		case EV_PHASE:
			what = "phase";
			break;
		case EV_ACTION_DONE:
			what = "done";
			break;
		case EV_DEPLOY:
			what = "deploy";
			break;
		case EV_PROBE:
			what = "probe";
			break;
		case EV_INFO:
			what = "info";
			break;
		case EV_END:
			what = "incident over";
			break;
		default:
			/* The player's own doings were answered already; a
			 * fault is what they are there to find. */
			continue;
		}
		say("%s %s: %s", sim_clock(p, e->t_ms, clk, sizeof clk), what,
		    e->text != NULL ? e->text : "");
		if (e->kind == EV_ALERT_FIRED && p->o->bell) {
			fputs("\a", stdout);
			fflush(stdout);
		}
	}
}

static const char *
health_word(enum health h)
{
	switch (h) {
	case H_CRIT:
		return ("CRIT");
	case H_WARN:
		return ("WARN");
	case H_IDLE:
		return ("idle");
	default:
		return ("OK");
	}
}

/* The console's status bar and panels, as lines: `status` in this mode. */
static void
tell_dashboard(struct plain *p, const char *status_out)
{
	struct view	*v = xcalloc(1, sizeof *v);
	char		 a[32], b[32], c[32];
	int		 i;

	view_build(v, &p->s, NULL, 0, NULL, NULL, NULL);
	duration_clock(v->now_ms, b, sizeof b);
	if (p->pace.paused)
		snprintf(c, sizeof c, "paused");
	else
		snprintf(c, sizeof c, "speed %gx", p->pace.speed);
	say("%s, sim %s, %s, score %d, error budget %.2f%% burned, %d alert%s"
	    " firing, %d acknowledged%s%s", v->date, b, c, v->score,
	    v->budget_pct, v->nfiring, v->nfiring == 1 ? "" : "s", v->nacked,
	    v->progress[0] != '\0' ? ", " : "", v->progress);
	put_lines(stdout, status_out);
	say("services:");
	for (i = 0; i < v->nsvc; i++) {
		const struct view_svc *s = &v->svc[i];

		if (s->external) {
			say("  %s (external): %s requests/s, p99 %s, %s",
			    s->name, fmt_rate(s->rps, a, sizeof a),
			    fmt_ms(s->p99_ms, b, sizeof b),
			    health_word(s->health));
			continue;
		}
		snprintf(c, sizeof c, "%.1f%%", s->err_pct);
		say("  %s: %s requests/s, p99 %s, errors %s, saturation %.0f%%,"
		    " %s%s%s", s->name, fmt_rate(s->rps, a, sizeof a),
		    fmt_ms(s->p99_ms, b, sizeof b), s->err_pct == s->err_pct ?
		    c : "none", s->sat_pct, health_word(s->health),
		    s->breaker ? ", a breaker open" : "", s->pools ?
		    ", pool in use" : "");
		if (s->pools)
			say("    pool %s: %.0f of %.0f in use, %.0f waiting",
			    s->pool_name, s->pool_active, s->pool_size,
			    s->pool_waiting);
	}
	for (i = 0; i < v->nalert; i++) {
		const struct view_alert *al = &v->alert[i];

		if (!al->firing)
			continue;
		fmt_clock_ms(al->age_ms, a, sizeof a);
		say("alert %s %s%s for %s: %s", al->id, al->severity,
		    al->acked ? " acknowledged" : " firing", a, al->summary);
	}
	free(v);
}

/* ---- commands ---- */

static void
set_speed(struct plain *p, double speed)
{
	p->pace.speed = speed;
	p->pace.paused = 0;
	say("speed %gx", speed);
}

static void
abandon(struct plain *p)
{
	struct buf	out;

	buf_init(&out);
	session_command(&p->s, "abandon", &out);
	buf_fini(&out);
}

static void
run_line(struct plain *p, const char *line, int timed)
{
	const struct cmd_entry	*e;
	struct buf		 out;
	char			**argv = NULL, *cause = NULL, *nl, clk[32];
	int			 argc = 0, rc, i;

	if (timed || !p->tty)
		say("%s > %s", sim_clock(p, session_now_ms(&p->s), clk,
		    sizeof clk), line);
	if (*line == '/') {
		complain("no log pane here: 'logs all -g TEXT' filters the"
		    " logs");
		return;
	}
	if (cmd_split(line, &argc, &argv, &cause) != 0) {
		complain("%s", cause);
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
		p->confirm_quit = 1;
		say("Abandon this incident? It is recorded as abandoned.  y or"
		    " n");
		break;
	case PACE_PAUSE:
		p->pace.paused = 1;
		say("paused at %s", sim_clock(p, session_now_ms(&p->s), clk,
		    sizeof clk));
		break;
	case PACE_RESUME:
		p->pace.paused = 0;
		say("running at %gx", p->pace.speed);
		break;
	case PACE_SPEED:
		set_speed(p, pace_speeds[i]);
		break;
	case PACE_BAD_SPEED:
		complain("usage: %s", e->usage);
		break;
	case PACE_POSTMORTEM:
		say("the post-mortem questions come when the incident ends");
		break;
	}
	if (e != NULL && (e->flags & CMDF_CONSOLE)) {
		cmd_free_argv(argc, argv);
		return;
	}
	buf_init(&out);
	if (e != NULL && strcmp(e->name, "help") == 0 && argc == 1) {
		cmd_help(NULL, &out);
		put_lines(stdout, buf_str(&out));
		say("In this mode: a line that starts with a sim time (2:30"
		    " ack ALRT-X) waits for it; status shows the dashboard.");
		buf_fini(&out);
		cmd_free_argv(argc, argv);
		return;
	}
	rc = session_command(&p->s, line, &out);
	if (rc != 0) {
		if ((nl = strchr(buf_str(&out), '\n')) != NULL)
			*nl = '\0';
		if (e != NULL && strstr(buf_str(&out), "usage") == NULL)
			complain("%s (usage: %s)", buf_str(&out), e->usage);
		else
			complain("%s", buf_str(&out));
	} else if (e != NULL && strcmp(e->name, "status") == 0)
		tell_dashboard(p, buf_str(&out));
	else
		put_lines(stdout, buf_str(&out));
	buf_fini(&out);
	cmd_free_argv(argc, argv);
}

/* A line typed during play. */
static void
handle_input(struct plain *p, char *line)
{
	char	*cmd, *rest, clk[32], stamp[40];
	long	 t;
	size_t	 n;

	if (strcmp(line, PLAIN_TOO_LONG) == 0) {
		complain("not run: the line was longer than %d bytes, the most"
		    " a command line holds", LINE_MAX_BYTES);
		return;
	}
	cmd = line + strspn(line, " \t");
	n = strlen(cmd);
	while (n > 0 && (cmd[n - 1] == ' ' || cmd[n - 1] == '\t'))
		cmd[--n] = '\0';
	if (p->confirm_quit) {
		p->confirm_quit = 0;
		if (strcasecmp(cmd, "y") == 0 || strcasecmp(cmd, "yes") == 0)
			abandon(p);
		else
			say("carrying on");
		return;
	}
	if (*cmd == '\0')
		return;
	/* "2:30 ack ALRT-X": the line waits for its time, input with it. */
	n = strcspn(cmd, " \t");
	if (isdigit((unsigned char)*cmd) && n < sizeof stamp) {
		memcpy(stamp, cmd, n);
		stamp[n] = '\0';
		rest = cmd + n + strspn(cmd + n, " \t");
		if (duration_parse(stamp, &t) != 0) {
			complain("bad time '%s' (use 90s, 2m, 1:30 or 1:02:03)",
			    stamp);
			return;
		}
		if (*rest == '\0') {
			complain("a time with no command");
			return;
		}
		if (t < session_now_ms(&p->s)) {
			complain("not run: %s has passed (the sim clock is at"
			    " %s)", stamp, duration_clock(session_now_ms(&p->s),
			    clk, sizeof clk));
			return;
		}
		p->at_ms = t;
		p->at_line = xstrdup(rest);
		return;
	}
	run_line(p, cmd, 0);
}

/* Play until the incident is over; first is what was typed at Enter. */
static void
play(struct plain *p, char *first)
{
	char	*line, clk[32];
	long	 n, ran;
	int	 dropped, rc, timeout;

	pace_start(&p->pace, p->o->speed);
	p->seen = p->s.g.tl.n;
	say("%s the shift starts; type help for the commands, status for the"
	    " dashboard", sim_clock(p, session_now_ms(&p->s), clk,
	    sizeof clk));
	if (*first != '\0')
		handle_input(p, first);
	tell_events(p);
	while (!p->s.g.over) {
		if (plain_interrupted) {
			say("interrupted: the incident is abandoned");
			abandon(p);
			break;
		}
		/*
		 * Input first: a timed line must be known before the clock
		 * passes its time.  A timed line holds the input behind it
		 * until it has run (unless paused: resume must get through).
		 */
		rc = 0;
		while ((p->at_line == NULL || p->pace.paused) &&
		    !p->s.g.over &&
		    (rc = read_line(p, 0, &line)) == 1) {
			handle_input(p, line);
			free(line);
			tell_events(p);
		}
		if (p->s.g.over)
			break;
		if (rc < 0 && p->tty) {
			say("end of input: the incident is abandoned");
			abandon(p);
			break;
		}
		/* From a pipe, the incident plays on to its end. */
		if (rc < 0 && p->pace.paused)
			p->pace.paused = 0;

		n = pace_due(&p->pace, &p->s);
		ran = 0;
		dropped = 0;
		while (ran < n && !p->s.g.over && !dropped) {
			if (p->at_line != NULL &&
			    session_now_ms(&p->s) >= p->at_ms)
				break;
			ran += pace_ticks(&p->s, 1, &p->pace.speed, &dropped);
		}
		/* The recorder writes a batch only when one is due. */
		record_tick(&p->rec, &p->s);
		if (dropped) {
			p->pace.acc_ms = 0;
			tell_events(p);
			say("a page fired: speed back to 1x");
		} else
			pace_giveback(&p->pace, n - ran);
		tell_events(p);
		if (p->s.g.over)
			break;
		if (p->at_line != NULL && !p->pace.paused &&
		    session_now_ms(&p->s) >= p->at_ms) {
			line = p->at_line;
			p->at_line = NULL;
			run_line(p, line, 1);
			free(line);
			tell_events(p);
			continue;
		}

		/* Sleep until a key or the next tenth of a second. */
		timeout = p->pace.paused ? -1 : 100;
		if (p->eof || (p->at_line != NULL && !p->pace.paused))
			poll(NULL, 0, 20);
		else {
			struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };

			poll(&pfd, 1, timeout);
		}
	}
	tell_events(p);
	if (p->at_line != NULL) {
		complain("not run: %s (the incident ended first)", p->at_line);
		free(p->at_line);
		p->at_line = NULL;
	}
}

/* ---- the end: recording, the post-mortem, the results ---- */

/* A line for a question; NULL at the end of input. */
static char *
ask(struct plain *p, const char *question)
{
	char	*line = NULL;
	size_t	 n;

	say("%s", question);
	if (plain_interrupted || read_line(p, -1, &line) != 1)
		return (NULL);
	if (strcmp(line, PLAIN_TOO_LONG) == 0)
		line[0] = '\0';
	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	if (!p->tty)
		say("> %s", line);
	return (line);
}

/* "3:1:2" into item 3, owner 1, deadline 2 (0: none).  -1 when bad. */
static int
parse_item(const char *w, int nitem, int nown, int ndl, int *it, int *own,
    int *dl)
{
	char	*end;
	long	 v[3] = { 0, 0, 0 };
	int	 k;

	for (k = 0; k < 3; k++) {
		if (!isdigit((unsigned char)*w))
			return (-1);
		v[k] = strtol(w, &end, 10);
		w = end;
		if (*w == '\0')
			break;
		if (*w != ':' || k == 2)
			return (-1);
		w++;
	}
	if (v[0] < 1 || v[0] > nitem || v[1] < 0 || v[1] > nown || v[2] < 0 ||
	    v[2] > ndl)
		return (-1);
	*it = (int)v[0] - 1;
	*own = (int)v[1] - 1;
	*dl = (int)v[2] - 1;
	return (0);
}

/*
 * The form as numbered questions.  An empty answer skips a step (at the
 * cost the step names), q skips the rest, as Tab and Esc do in the
 * console; the answers become the same rows.
 */
static void
postmortem(struct plain *p, struct pmform *f)
{
	char		*a = NULL, *w, *save;
	int		 i, k, done = 0, it, own, dl, nown, ndl, bad;
	struct buf	 b;

	nown = pmform_menu_len(score_owner_menu);
	ndl = pmform_menu_len(score_deadline_menu);
	say("Post-mortem: four steps.  An empty answer skips a step at the"
	    " cost it names; q skips the rest.");

	say("Step 1 of 4: %s, %s", pmform_step_title(PMF_TIMELINE),
	    pmform_step_cost(PMF_TIMELINE));
	for (i = 0; i < f->ntl; i++)
		say("  %s", f->tl[i]);
	for (i = 0; i < 4 && !done; i++) {
		char *q = xasprintf("%s: what happened then, in your words?",
		    phase_name((enum phase)i));

		a = ask(p, q);
		free(q);
		if (a == NULL || strcmp(a, "q") == 0)
			done = 1;
		else
			strlcpy_fd(f->ann[i], a, sizeof f->ann[i]);
		free(a);
	}
	f->skipped[PMF_TIMELINE] = 1;
	for (i = 0; i < 4; i++)
		if (f->ann[i][0] != '\0')
			f->skipped[PMF_TIMELINE] = 0;

	f->skipped[PMF_ROOT_CAUSE] = 1;
	if (!done) {
		say("Step 2 of 4: %s, %s", pmform_step_title(PMF_ROOT_CAUSE),
		    pmform_step_cost(PMF_ROOT_CAUSE));
		for (i = 0; i < PM_RC__COUNT; i++)
			say("  %d. %s", i + 1, f->rc_text[f->rc_order[i]] !=
			    NULL ? f->rc_text[f->rc_order[i]] : "-");
		for (;;) {
			a = ask(p, "The root cause, by number:");
			if (a == NULL || strcmp(a, "q") == 0) {
				done = 1;
				break;
			}
			if (*a == '\0')
				break;
			k = atoi(a);
			if (k >= 1 && k <= PM_RC__COUNT && a[1] == '\0') {
				f->rc_chosen = f->rc_order[k - 1];
				f->skipped[PMF_ROOT_CAUSE] = 0;
				break;
			}
			complain("'%s': a number from 1 to %d", a,
			    PM_RC__COUNT);
			free(a);
		}
		free(a);
	}

	f->skipped[PMF_ACTIONS] = 1;
	if (!done && f->nitem > 0) {
		say("Step 3 of 4: %s, %s", pmform_step_title(PMF_ACTIONS),
		    pmform_step_cost(PMF_ACTIONS));
		for (i = 0; i < f->nitem; i++)
			say("  %d. %s", i + 1, f->item[i].text);
		buf_init(&b);
		for (i = 0; i < nown; i++)
			buf_printf(&b, "%s%d %s", i ? ", " : "", i + 1,
			    score_owner_menu[i]);
		say("Owners: %s", buf_str(&b));
		buf_clear(&b);
		for (i = 0; i < ndl; i++)
			buf_printf(&b, "%s%d %s", i ? ", " : "", i + 1,
			    score_deadline_menu[i]);
		say("Deadlines: %s", buf_str(&b));
		buf_fini(&b);
		for (;;) {
			a = ask(p, "The action items, by number, each with an"
			    " owner and a deadline as ITEM:OWNER:DEADLINE"
			    " (3:1:2 5):");
			if (a == NULL || strcmp(a, "q") == 0) {
				done = 1;
				break;
			}
			if (*a == '\0')
				break;
			bad = 0;
			for (i = 0; i < f->nitem; i++)
				f->item[i].on = 0;
			for (w = strtok_r(a, " ,", &save); w != NULL;
			    w = strtok_r(NULL, " ,", &save)) {
				if (parse_item(w, f->nitem, nown, ndl, &it,
				    &own, &dl) != 0) {
					complain("'%s': ITEM[:OWNER["
					    ":DEADLINE]], numbers from the"
					    " lists", w);
					bad = 1;
					break;
				}
				f->item[it].on = 1;
				f->item[it].owner = own;
				f->item[it].deadline = dl;
			}
			if (!bad) {
				f->skipped[PMF_ACTIONS] = 0;
				break;
			}
			free(a);
		}
		free(a);
	}

	f->skipped[PMF_MONITORS] = 1;
	if (!done && f->nmon > 0) {
		say("Step 4 of 4: %s, %s", pmform_step_title(PMF_MONITORS),
		    pmform_step_cost(PMF_MONITORS));
		for (i = 0; i < f->nmon; i++)
			say("  %d. %s", i + 1, f->mon[i].text);
		for (;;) {
			a = ask(p, "The monitoring to add, by number (2 5):");
			if (a == NULL || *a == '\0' || strcmp(a, "q") == 0)
				break;
			bad = 0;
			for (i = 0; i < f->nmon; i++)
				f->mon[i].on = 0;
			for (w = strtok_r(a, " ,", &save); w != NULL;
			    w = strtok_r(NULL, " ,", &save)) {
				k = atoi(w);
				if (k < 1 || k > f->nmon ||
				    strspn(w, "0123456789") != strlen(w)) {
					complain("'%s': a number from 1 to %d",
					    w, f->nmon);
					bad = 1;
					break;
				}
				f->mon[k - 1].on = 1;
			}
			if (!bad) {
				f->skipped[PMF_MONITORS] = 0;
				break;
			}
			free(a);
		}
		free(a);
	}
	f->step = PMF__STEPS;
}

/* The results screen's lines, after the score. */
static void
tell_results(struct plain *p, const struct score *sc)
{
	struct results	*r = xcalloc(1, sizeof *r);
	char		 a[32];
	int		 i;

	results_build(r, &p->s, sc, p->x_open ? &p->x.g.tl : NULL, p->utf8);
	duration_clock(session_now_ms(&p->s), a, sizeof a);
	say("Results: %s after %s of sim time.  Score %d, grade %s; post-mortem"
	    " %d of 200; harm -%d, budget -%d, hints -%d, diagnoses -%d, bonus"
	    " +%d", p->s.g.outcome, a, r->total, r->grade, r->pm_total,
	    r->harm, r->budget, r->hints, r->diag, r->bonus);
	for (i = 0; i < r->nlines; i++)
		say("%*s%s", r->line_indent[i], "", r->lines[i]);
	results_fini(r);
	free(r);
}

/*
 * Recording failed at the end: say why and where the JSON went, then let
 * the player try again, name another database, or go on with the JSON
 * kept, as the console's screen does.
 */
static void
not_recorded(struct plain *p, char *why)
{
	struct score	 sc;
	char		*a;

	for (;;) {
		complain("%s", why);
		free(why);
		why = NULL;
		a = ask(p, "Not recorded. r to try again, a database path to"
		    " record it there, or Enter to go on with the JSON kept.");
		if (a == NULL || a[0] == '\0') {
			free(a);
			p->not_recorded = 1;
			return;
		}
		record_score(&p->s, &sc);
		if (record_retry(&p->rec, &p->s, &sc, strcmp(a, "r") == 0 ?
		    NULL : a, &why) == 0) {
			say("recorded as session %lld", (long long)p->s.db_id);
			free(a);
			return;
		}
		free(a);
	}
}

static void
finish(struct plain *p)
{
	struct pmform	 f;
	struct score	 sc;
	char		*why = NULL, *cause = NULL;

	/* Recorded at once, as the console does, before the questions. */
	record_score(&p->s, &sc);
	if (record_end(&p->rec, &p->s, &sc, &why) != 0)
		not_recorded(p, why);
	if (p->s.g.inc.db.expert != NULL)
		p->x_open = session_expert(&p->x, p->o->datadir, p->s.path,
		    p->s.g.seed, &cause) == 0;
	free(cause);

	pmform_init(&f, &p->s.g.inc.db, &p->s.g.tl, p->s.g.seed);
	postmortem(p, &f);
	pmform_answers(&f, &p->s.pm);
	pmform_fini(&f);
	record_score(&p->s, &sc);
	if (p->s.db_id > 0 && record_postmortem(&p->s, &sc,
	    p->rec.db != NULL ? p->rec.db : p->o->db, &why) != 0) {
		complain("%s", why);
		free(why);
	} else if (p->s.db_id <= 0 && p->rec.saved != NULL) {
		/* Not recorded: the saved JSON gets the answers too. */
		char *path = xstrdup(p->rec.saved);

		unlink(path);
		if (record_save_json(&p->rec, &p->s, &sc, path, &why) != 0) {
			complain("%s", why);
			free(why);
		}
		free(path);
	}
	tell_results(p, &sc);
}

/* ---- choosing ---- */

/* The incident to play, from the command line or a numbered list. */
static int
choose(struct plain *p, struct incident_info *inc, int ninc)
{
	char	*a;
	int	 i, k;

	if (p->o->incident != NULL) {
		for (i = 0; i < ninc; i++)
			if (strcmp(inc[i].id, p->o->incident) == 0 ||
			    strcmp(inc[i].path, p->o->incident) == 0)
				return (i);
		return (-2);
	}
	for (i = 0; i < ninc; i++)
		say("%d. %s: %s, section %s, difficulty %d of 5%s", i + 1,
		    inc[i].id, inc[i].title, inc[i].section, inc[i].difficulty,
		    inc[i].error != NULL ? " (cannot be loaded)" : "");
	for (;;) {
		if ((a = ask(p, "Which incident, by number or id?")) == NULL)
			return (-1);
		k = atoi(a);
		for (i = 0; i < ninc; i++)
			if ((k == i + 1 && strspn(a, "0123456789") ==
			    strlen(a)) || strcmp(inc[i].id, a) == 0)
				break;
		if (i < ninc && inc[i].error == NULL) {
			free(a);
			return (i);
		}
		if (*a != '\0')
			complain("'%s' is not one of the incidents listed", a);
		free(a);
	}
}

int
plain_run(const struct console_opts *o, char **cause)
{
	struct plain		 p;
	struct incident_info	*inc = NULL;
	struct sigaction	 sa, old;
	const char		*cs;
	char			*a, *note;
	uint64_t		 seed;
	int			 ninc = 0, i, rc = 0;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.tty = isatty(STDIN_FILENO);
	cs = nl_langinfo(CODESET);
	p.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	if (incident_list(o->datadir, &inc, &ninc, cause) != 0)
		return (-1);
	if ((i = choose(&p, inc, ninc)) < 0) {
		if (i == -2)
			*cause = xasprintf("unknown incident '%s' (see"
			    " 'firedrill list')", o->incident);
		incident_list_free(inc, ninc);
		free(p.in);
		return (i == -2 ? -1 : 0);
	}
	say("Briefing: %s, section %s, severity %s, difficulty %d of 5, starts"
	    " %s", inc[i].title, inc[i].section, inc[i].severity,
	    inc[i].difficulty, inc[i].clock);
	put_lines(stdout, inc[i].briefing != NULL ? inc[i].briefing : "");
	a = ask(&p, "Press Enter to start the shift.");
	if (a == NULL) {
		incident_list_free(inc, ninc);
		free(p.in);
		return (0);
	}
	seed = o->seed_set ? o->seed : (uint64_t)time(NULL) ^
	    (uint64_t)pace_wall_ms();
	if (session_open(&p.s, o->datadir, inc[i].path, seed, cause) != 0) {
		free(a);
		incident_list_free(inc, ninc);
		free(p.in);
		return (-1);
	}
	incident_list_free(inc, ninc);
	p.s_open = 1;
	/* Recorded as it goes: a crash or kill loses a few seconds at most. */
	record_begin(&p.rec, &p.s, o->db, "play", o->player);
	if (o->ghost) {
		struct view_ghost gh;

		note = ghost_load(&gh, o->db, o->player, p.s.g.inc.id, seed);
		say("%s", note);
		free(note);
	}

	/* Ctrl-C leaves like quit: the session is recorded, not lost. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	plain_interrupted = 0;

	play(&p, a);
	free(a);
	finish(&p);
	sigaction(SIGINT, &old, NULL);

	rc = p.not_recorded ? 1 : 0;
	record_fini(&p.rec);
	if (p.x_open)
		session_close(&p.x);
	session_close(&p.s);
	free(p.at_line);
	free(p.in);
	return (rc);
}
