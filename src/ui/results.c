/*
 * What the results screen shows, built once from a finished session and
 * its score: the breakdown by phase, the post-mortem's parts and why,
 * penalties and bonuses, the five signals with their evidence, then the
 * debrief (timeline included), plus the error-rate series the chart
 * draws.
 * It reads the session; it never changes it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "report/debrief.h"
#include "score/score.h"
#include "session/session.h"
#include "ui/panel.h"
#include "ui/screens.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static void
add(struct results *r, enum role role, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct results *r, enum role role, int indent, const char *fmt, ...)
{
	va_list	ap;

	if (r->nlines >= RESULTS_MAX_LINES)
		return;
	va_start(ap, fmt);
	r->lines[r->nlines] = xvasprintf(fmt, ap);
	va_end(ap);
	r->line_role[r->nlines] = role;
	r->line_indent[r->nlines] = (unsigned char)indent;
	r->nlines++;
}

/* A command that changed something (not a look around). */
static int
is_action(const struct event *e)
{
	return (e->kind == EV_COMMAND && cmd_mutates(e->text));
}

static void
build_series(struct results *r, const struct session *s)
{
	const struct game	*g = &s->g;
	long			 now_s = game_now_ms(g) / 1000, held, k;
	int			 id, i;

	id = metrics_find(&g->m, "slo_bad_fraction_pct");
	if (id >= 0) {
		held = g->m.v[id].nsamples;
		if (held > now_s + 1)
			held = now_s + 1;
		if (held > METRIC_HIST_S)
			held = METRIC_HIST_S;
		r->nerr = (int)held;
		r->err_first_s = now_s - held + 1;
		r->err = xcalloc(held > 0 ? (size_t)held : 1, sizeof *r->err);
		for (k = 0; k < held; k++)
			r->err[k] = metrics_history(&g->m, id, held - 1 - k);
	}
	for (i = 0; i < g->tl.n && r->nmark < RESULTS_MAX_MARK; i++) {
		const struct event	*e = &g->tl.v[i];
		struct results_mark	*m;

		if (e->kind == EV_PHASE && e->arg >= 0 && e->arg < 4) {
			m = &r->mark[r->nmark++];
			m->phase = 1;
			snprintf(m->label, sizeof m->label, "%s",
			    phase_name(e->arg));
		} else if (is_action(e)) {
			m = &r->mark[r->nmark++];
			m->phase = 0;
			snprintf(m->label, sizeof m->label, "%.*s",
			    (int)strcspn(e->text, " "), e->text);
		} else
			continue;
		m->t_s = e->t_ms / 1000;
	}
}

/* What the form's skipped steps add to a part's why. */
static const char *
skip_note(const struct pm_answers *pm, int part)
{
	static const char *const step[PMP__COUNT] = { "timeline",
	    "root_cause", "actions", "actions", "monitors" };
	int	i;

	for (i = 0; i < pm->n; i++)
		if (strcmp(pm->v[i].part, "skipped") == 0 && pm->v[i].key !=
		    NULL && strcmp(pm->v[i].key, step[part]) == 0)
			return (part == PMP_TIMELINE ? "; annotations"
			    " skipped: -20" : part == PMP_MONITORS ?
			    "skipped: -20" : "");
	return ("");
}

static void
add_signals(struct results *r, const struct score *sc, int utf8)
{
	int	i, k;
	char	stars[32];

	add(r, ROLE_TITLE, 0, "Interview signals (reported apart from the"
	    " score)");
	for (i = 0; i < SIG__COUNT; i++) {
		const struct signal_score *sg = &sc->sig[i];
		size_t n = 0;

		for (k = 0; k < 3; k++)
			n += (size_t)snprintf(stars + n, sizeof stars - n, "%s",
			    k < sg->stars ? (utf8 ? "★" : "*") :
			    (utf8 ? "☆" : "."));
		add(r, sg->stars == 3 ? ROLE_OK : sg->stars == 0 ?
		    ROLE_CRIT : ROLE_WARN, 2, "%-24s %s  %d/3",
		    signal_title((enum signal)i), stars, sg->stars);
		for (k = 0; k < 3; k++)
			add(r, sg->star[k].met ? ROLE_TEXT : ROLE_DIM, 6,
			    "%s %s", sg->star[k].met ? (utf8 ? "✓" : "+") :
			    (utf8 ? "✗" : "-"), sg->star[k].evidence);
	}
}

/* Drop Markdown's emphasis marks: the screen has roles for that. */
static void
plain(char *dst, size_t size, const char *src, size_t n)
{
	size_t	o = 0, i;

	for (i = 0; i < n && o + 1 < size; i++) {
		if (src[i] == '*' && i + 1 < n && src[i + 1] == '*') {
			i++;
			continue;
		}
		dst[o++] = src[i];
	}
	dst[o] = '\0';
}

/* Split a table row "| a | b |" into trimmed cells; returns the count. */
static int
table_cells(const char *line, char cells[][256], int max)
{
	const char	*p = line + 1, *e;
	int		 n = 0;
	size_t		 len;

	while (*p != '\0' && n < max) {
		e = strchr(p, '|');
		if (e == NULL)
			break;
		while (p < e && *p == ' ')
			p++;
		len = (size_t)(e - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		plain(cells[n++], 256, p, len);
		p = e + 1;
	}
	return (n);
}

#define TBL_COLS	6

/* One Markdown table as aligned rows (its separator row dropped). */
static void
add_table(struct results *r, char **rows, int nrows)
{
	static char	 cells[TBL_COLS][256];
	int		 w[TBL_COLS] = { 0 }, i, k, n, cw;
	struct buf	 b;

	for (i = 0; i < nrows; i++) {
		if (strspn(rows[i], "|-: ") == strlen(rows[i]))
			continue;
		n = table_cells(rows[i], cells, TBL_COLS);
		for (k = 0; k < n; k++)
			if ((cw = utf8_width(cells[k])) > w[k])
				w[k] = cw;
	}
	for (i = 0; i < nrows; i++) {
		if (strspn(rows[i], "|-: ") == strlen(rows[i]))
			continue;
		n = table_cells(rows[i], cells, TBL_COLS);
		buf_init(&b);
		for (k = 0; k < n; k++) {
			buf_puts(&b, cells[k]);
			if (k + 1 < n)
				for (cw = utf8_width(cells[k]); cw < w[k] + 2;
				    cw++)
					buf_putc(&b, ' ');
		}
		add(r, i == 0 ? ROLE_DIM : ROLE_TEXT, 2, "%s", buf_str(&b));
		buf_fini(&b);
	}
}

/*
 * The debrief (report/debrief.c) as plain lines: headings as titles,
 * tables aligned, emphasis dropped; its text chart is left out, as the
 * screen draws its own above.
 */
static void
add_debrief(struct results *r, const struct session *s,
    const struct score *sc, const struct timeline *expert)
{
	struct debrief_in	 d;
	struct rate_series	 err = { r->err, r->nerr };
	struct buf		 md;
	char			**lines = NULL, *p, *nl, line[1024];
	int			 n = 0, i, j, fence = 0;

	memset(&d, 0, sizeof d);
	d.inc = &s->g.inc;
	d.tl = &s->g.tl;
	d.expert = expert;
	d.pm = &s->pm;
	d.sc = sc;
	d.err = r->err_first_s == 0 && r->nerr > 0 ? &err : NULL;
	d.session_id = s->db_id;
	d.player = s->actor;
	d.outcome = s->g.over ? s->g.outcome : "timeout";
	d.seed = s->g.seed;
	d.sim_ms = game_now_ms(&s->g);
	d.score_version = SCORE_VERSION;
	d.stored_total = -1;
	buf_init(&md);
	debrief_markdown(&d, &md);
	for (p = md.data; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = xstrndup(p, (size_t)(nl - p));
		if (*nl == '\0')
			break;
	}
	buf_fini(&md);
	add(r, ROLE_TITLE, 0, "%s", "Debrief");
	for (i = 0; i < n; i++) {
		if (strncmp(lines[i], "```", 3) == 0) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		/* The sentence that introduces the text chart goes too. */
		if (i + 1 < n && strncmp(lines[i + 1], "```", 3) == 0)
			continue;
		if (lines[i][0] == '|') {
			for (j = i; j < n && lines[j][0] == '|'; j++)
				;
			add_table(r, lines + i, j - i);
			i = j - 1;
			continue;
		}
		plain(line, sizeof line, lines[i], strlen(lines[i]));
		if (line[0] == '#')
			add(r, ROLE_TITLE, 0, "%s", line + strspn(line, "# "));
		else if (line[0] == '\0') {
			/* One blank line at most. */
			if (r->nlines > 0 && r->lines[r->nlines - 1][0] != '\0')
				add(r, ROLE_TEXT, 0, "%s", "");
		} else
			add(r, ROLE_TEXT, line[0] == '-' ? 2 : 0, "%s", line);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void
results_fini(struct results *r)
{
	int	i;

	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->err);
	memset(r, 0, sizeof *r);
}

void
results_build(struct results *r, const struct session *s,
    const struct score *sc, const struct timeline *expert, int utf8)
{
	static const char *const pm_titles[PMP__COUNT] = { "Timeline",
	    "Root cause", "Action items", "Owners + deadlines",
	    "Monitoring" };
	char	a[16], b[16];
	int	p, i;

	results_fini(r);
	for (p = 0; p < 4; p++) {
		r->phase_ms[p] = sc->phase_ms[p];
		r->target_ms[p] = game_phase_target_ms(&s->g, p);
		r->points[p] = sc->phase_pts[p];
		r->max[p] = sc->phase_max[p];
	}
	r->total = sc->total;
	memcpy(r->grade, sc->grade, sizeof r->grade);
	r->harm = sc->harm_penalty;
	r->budget = sc->budget_penalty;
	r->hints = sc->hint_penalty;
	r->diag = sc->diag_penalty;
	r->bonus = sc->bonus;
	r->pm_total = sc->pm_total;
	build_series(r, s);

	fmt_clock_ms(sc->t0_ms, a, sizeof a);
	if (sc->impact_began)
		add(r, ROLE_TITLE, 0, "Phases  (times from the start of user"
		    " impact, %s)", a);
	else
		add(r, ROLE_TITLE, 0, "Phases  (user impact never began)");
	add(r, ROLE_DIM, 2, "%-10s %8s %8s %7s", "PHASE", "TIME", "TARGET",
	    "POINTS");
	for (p = 0; p < 4; p++) {
		fmt_clock_ms(r->phase_ms[p], a, sizeof a);
		fmt_clock_ms(r->target_ms[p], b, sizeof b);
		add(r, r->phase_ms[p] < 0 ? ROLE_DIM : r->phase_ms[p] <=
		    r->target_ms[p] ? ROLE_OK : ROLE_WARN, 2,
		    "%-10s %8s %8s %3d/%d", phase_name(p), a, b, r->points[p],
		    r->max[p]);
	}
	add(r, ROLE_TEXT, 0, "%s", "");
	add(r, ROLE_TITLE, 0, "Post-mortem  %d/200%s", sc->pm_total,
	    s->pm.filled ? "" : "  (not filled in: press p)");
	for (i = 0; i < PMP__COUNT; i++) {
		const char *skip = skip_note(&s->pm, i);

		/* A skipped monitor step says so rather than the rule. */
		add(r, sc->pm_pts[i] == sc->pm_max[i] ? ROLE_OK :
		    sc->pm_pts[i] == 0 ? ROLE_CRIT : ROLE_WARN, 2,
		    "%-19s %3d/%-3d %s%s", pm_titles[i], sc->pm_pts[i],
		    sc->pm_max[i], i == PMP_MONITORS && *skip != '\0' ? "" :
		    sc->pm_why[i], skip);
	}
	add(r, ROLE_TEXT, 0, "%s", "");
	add(r, ROLE_TITLE, 0, "Penalties and bonuses");
	add(r, sc->harm_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %d harmful or useless action%s%s", "Actions",
	    -sc->harm_penalty, sc->harmful_count, sc->harmful_count == 1 ?
	    "" : "s", sc->security_count > 0 ? ", a security violation" :
	    "");
	add(r, sc->budget_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %.1f%% of the 30-day error budget burned", "User impact",
	    -sc->budget_penalty, sc->budget_burned_pct);
	add(r, sc->hint_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d",
	    "Hints", -sc->hint_penalty);
	add(r, sc->diag_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s %4d"
	    "  %d wrong", "Wrong diagnoses", -sc->diag_penalty,
	    sc->wrong_diagnoses);
	add(r, sc->integrity_penalty > 0 ? ROLE_WARN : ROLE_DIM, 2, "%-19s"
	    " %4d  %.0f bad records%s", "Data integrity",
	    -sc->integrity_penalty, sc->bad_records, sc->remediated ?
	    " (remediated)" : "");
	add(r, sc->bonus > 0 ? ROLE_OK : ROLE_DIM, 2, "%-19s %+4d", "Bonus",
	    sc->bonus);
	for (i = 0; i < sc->nbonus_why; i++)
		add(r, ROLE_OK, 6, "%s", sc->bonus_why[i]);
	add(r, ROLE_TEXT, 0, "%s", "");
	add_signals(r, sc, utf8);
	add(r, ROLE_TEXT, 0, "%s", "");
	/* The debrief carries the timeline, with the expert's beside it. */
	add_debrief(r, s, sc, expert);
}
