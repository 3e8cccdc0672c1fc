/*
 * The debrief as Markdown and JSON.  Everything here is read from the
 * inputs: the timeline says what happened, the score says what it was
 * worth and why, the incident's debrief data says what the gap was and
 * what prevents it, and the expert's run on the same seed is the pace.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/debrief.h"
#include "util/buf.h"
#include "util/duration.h"

static const char *const phase_caps[4] = {
	"DETECT", "TRIAGE", "MITIGATE", "FIX"
};
static const char *const phase_keys[4] = {
	"detect", "triage", "mitigate", "fix"
};

static const char *
clock_of(long ms, char *out, size_t len)
{
	return (duration_clock(ms, out, (unsigned)len));
}

/* Markdown inline text: table pipes and backticks would break the layout. */
static void
md_text(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

static void
md_code(struct buf *b, const char *s)
{
	buf_putc(b, '`');
	for (; s != NULL && *s != '\0'; s++)
		buf_putc(b, *s == '`' ? '\'' : *s == '|' ? '/' : *s);
	buf_putc(b, '`');
}

/* A command that changed something (game bookkeeping has its own events). */
static int
is_action(const struct event *e)
{
	return (e->kind == EV_COMMAND && e->text != NULL &&
	    score_is_action(e->text));
}

static const char *
annotation(const struct pm_answers *pm, int phase)
{
	int	i;

	for (i = 0; pm != NULL && i < pm->n; i++)
		if (strcmp(pm->v[i].part, "annotation") == 0 &&
		    pm->v[i].key != NULL &&
		    strcmp(pm->v[i].key, phase_keys[phase]) == 0)
			return (pm->v[i].text);
	return (NULL);
}

static long
phase_at(const struct timeline *tl, int phase)
{
	int	i;

	for (i = 0; tl != NULL && i < tl->n; i++)
		if (tl->v[i].kind == EV_PHASE && tl->v[i].arg == phase)
			return (tl->v[i].t_ms);
	return (-1);
}

static const char *
first_page(const struct timeline *tl, long *at)
{
	int	i;

	for (i = 0; i < tl->n; i++)
		if (tl->v[i].kind == EV_ALERT_FIRED && tl->v[i].arg == 1) {
			*at = tl->v[i].t_ms;
			return (tl->v[i].text);
		}
	*at = -1;
	return (NULL);
}

static const char *
stars(int n)
{
	static const char *const s[] = { "☆☆☆", "★☆☆", "★★☆", "★★★" };

	return (s[n < 0 ? 0 : n > 3 ? 3 : n]);
}

/* ---- sections ---- */

static void
md_header(const struct debrief_in *in, struct buf *b)
{
	const struct incident_def	*inc = in->inc;
	char				 t[24];
	/* Old rules keep their grade; today's rules say it again. */
	int				 old = in->stored_total >= 0 &&
					    in->score_version != SCORE_VERSION;
	int				 total = old ? in->stored_total :
					    in->sc->total;
	const char			*grade = old && in->stored_grade !=
					    NULL ? in->stored_grade :
					    in->sc->grade;

	buf_printf(b, "# Post-mortem: %s\n\n", inc->title);
	if (in->session_id > 0)
		buf_printf(b, "Session %lld · ", (long long)in->session_id);
	buf_printf(b, "incident `%s` (handbook §%s, %s) · seed %llu · "
	    "player %s\n", inc->id, inc->section, inc->severity,
	    (unsigned long long)in->seed, in->player != NULL ? in->player :
	    "player");
	buf_printf(b, "Outcome **%s** after %s of sim time · score **%d**,"
	    " grade **%s** (scoring rules v%d)\n\n", in->outcome,
	    clock_of(in->sim_ms, t, sizeof t), total, grade,
	    in->score_version > 0 ? in->score_version : SCORE_VERSION);
}

static void
md_summary(const struct debrief_in *in, struct buf *b)
{
	const struct score	*sc = in->sc;
	const char		*page;
	char			 t[24];
	long			 at;
	int			 p, reached = 0;

	buf_puts(b, "## Summary\n\n");
	if (in->inc->db.card[CARD_SYMPTOM] != NULL) {
		md_text(b, in->inc->db.card[CARD_SYMPTOM]);
		buf_puts(b, " ");
	}
	page = first_page(in->tl, &at);
	if (page != NULL)
		buf_printf(b, "The first page, %.*s, fired at %s. ",
		    (int)strcspn(page, " "), page, clock_of(at, t, sizeof t));
	for (p = 0; p < 4; p++)
		reached += sc->phase_ms[p] >= 0;
	if (reached == 0)
		buf_puts(b, "No response phase was completed.");
	else {
		buf_puts(b, "Measured from the start of user impact at ");
		buf_printf(b, "%s: ", clock_of(sc->t0_ms, t, sizeof t));
		for (p = 0; p < 4; p++) {
			buf_printf(b, "%s%s ", p ? ", " : "", phase_caps[p]);
			if (sc->phase_ms[p] >= 0)
				buf_printf(b, "after %s", clock_of(
				    sc->phase_ms[p], t, sizeof t));
			else
				buf_puts(b, "never");
		}
		buf_puts(b, ".");
	}
	buf_puts(b, "\n\n");
}

static void
md_impact(const struct debrief_in *in, struct buf *b)
{
	const struct score	*sc = in->sc;
	char			 t[24];

	buf_puts(b, "## Impact\n\n");
	buf_printf(b, "- Error budget: %.1f%% of the 30-day budget burned"
	    " (%.1f minutes of full outage equivalent; 43.2 min = 100%%)\n",
	    sc->budget_burned_pct, sc->budget_burned_pct * 43.2 / 100);
	if (sc->failed_requests > 0)
		buf_printf(b, "- Users: %ld requests failed or were turned"
		    " away\n", sc->failed_requests);
	if (in->err != NULL && in->err->n > 0) {
		double	peak = 0, sum = 0;
		int	i, at = 0;

		for (i = 0; i < in->err->n; i++) {
			sum += in->err->v[i];
			if (in->err->v[i] > peak) {
				peak = in->err->v[i];
				at = i;
			}
		}
		buf_printf(b, "- User-facing error rate: peak %.1f%% at %s,"
		    " %.1f%% on average over the session\n", peak,
		    clock_of(at * 1000L, t, sizeof t), sum / in->err->n);
	}
	if (sc->bad_records > 0)
		buf_printf(b, "- Data: %.0f %s%s\n", sc->bad_records,
		    in->inc->db.bad_what != NULL ? in->inc->db.bad_what :
		    "bad records", sc->remediated ? " (remediated)" : "");
	else
		buf_puts(b, "- Data: no records lost, duplicated or"
		    " corrupted\n");
	buf_putc(b, '\n');
}

/* A braille-free chart that survives any Markdown viewer. */
static void
md_chart(const struct debrief_in *in, struct buf *b)
{
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅",
	    "▆", "▇", "█" };
	const struct rate_series *e = in->err;
	int			 cols = 72, c, i, lo, hi, k;
	double			 peak = 0, v;
	char			 marks[80];

	if (e == NULL || e->n < 2)
		return;
	for (i = 0; i < e->n; i++)
		if (e->v[i] > peak)
			peak = e->v[i];
	if (cols > e->n)
		cols = e->n;
	memset(marks, ' ', sizeof marks);
	for (i = 0; i < in->tl->n; i++) {
		const struct event *ev = &in->tl->v[i];

		c = (int)(ev->t_ms / 1000 * cols / e->n);
		if (c < 0 || c >= cols)
			continue;
		if (ev->kind == EV_PHASE && ev->arg >= 0 && ev->arg < 4)
			marks[c] = phase_caps[ev->arg][0];
		else if (is_action(ev) && marks[c] == ' ')
			marks[c] = '^';
	}
	buf_printf(b, "User-facing error rate (peak %.1f%%), one column per"
	    " %.0f s; ^ your actions, D T M F the phases:\n\n```\n", peak,
	    (double)e->n / cols);
	for (c = 0; c < cols; c++) {
		lo = c * e->n / cols;
		hi = (c + 1) * e->n / cols;
		for (v = 0, i = lo; i < hi; i++)
			v = fmax(v, e->v[i]);
		k = peak > 0 ? (int)ceil(8 * v / peak) : 0;
		buf_puts(b, bars[k < 0 ? 0 : k > 8 ? 8 : k]);
	}
	buf_putc(b, '\n');
	buf_add(b, marks, (size_t)cols);
	buf_puts(b, "\n```\n\n");
}

static void
md_timeline(const struct debrief_in *in, struct buf *b)
{
	const struct timeline	*tl = in->tl;
	char			 t[24];
	int			 i;

	buf_puts(b, "## Timeline\n\n| Time | Mark | What happened |\n"
	    "|---:|:---:|---|\n");
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];
		const char *ann;

		switch (e->kind) {
		case EV_START:
		case EV_ALERT_RESOLVED:
		case EV_INFO:
		case EV_ACTION_DONE:
		case EV_DEPLOY:
			continue;
		case EV_ALERT_FIRED:
			if (e->arg != 1)
				continue;	/* noise stays out */
			break;
		case EV_COMMAND:
			/* Actions, and pages to other teams. */
			if (!is_action(e) && strncmp(e->text, "page ", 5) != 0)
				continue;
			break;
		default:
			break;
		}
		buf_printf(b, "| %s | ", clock_of(e->t_ms, t, sizeof t));
		if (e->kind == EV_PHASE && e->arg >= 0 && e->arg < 4)
			buf_printf(b, "**%s**", phase_caps[e->arg]);
		buf_puts(b, " | ");
		switch (e->kind) {
		case EV_FAULT:
			buf_puts(b, "Trigger: ");
			md_text(b, e->text);
			break;
		case EV_IMPACT:
			buf_puts(b, "User impact begins (phase clocks start)");
			break;
		case EV_ALERT_FIRED:
			buf_printf(b, "Page: %s fired", e->text);
			break;
		case EV_ALERT_ACKED:
			buf_printf(b, "Acknowledged %s", e->text);
			break;
		case EV_COMMAND:
			md_code(b, e->text);
			if (e->arg != HARM_NONE)
				buf_printf(b, " — *%s*", harm_name(e->arg));
			else if (e->val >= 1)
				buf_puts(b, " — mitigates");
			break;
		case EV_PHASE:
			md_text(b, e->text);
			if ((ann = annotation(in->pm, e->arg)) != NULL) {
				buf_puts(b, " — “");
				md_text(b, ann);
				buf_puts(b, "”");
			}
			break;
		case EV_NOTE:
			buf_puts(b, "Note: “");
			md_text(b, e->text);
			buf_puts(b, "”");
			break;
		case EV_DIAGNOSIS:
			buf_printf(b, "Diagnosis `%s`: %s", e->text,
			    e->arg == DIAG_CORRECT ? "correct" : e->arg ==
			    DIAG_NEAR_MISS ? "near miss" : "wrong");
			break;
		case EV_HINT:
			buf_printf(b, "Hint, tier %d", e->arg);
			break;
		case EV_DECLARE:
			buf_printf(b, "Declared %s", e->text);
			if (e->detail != NULL && *e->detail != '\0') {
				buf_puts(b, ", scope “");
				md_text(b, e->detail);
				buf_puts(b, "”");
			}
			break;
		case EV_DAMAGE:
			buf_printf(b, "%.0f ", e->val);
			md_text(b, e->text);
			break;
		default:
			buf_printf(b, "%s: ", ev_kind_name(e->kind));
			md_text(b, e->text);
			break;
		}
		buf_puts(b, " |\n");
	}
	buf_putc(b, '\n');
}

static const char *
rc_chosen(const struct pm_answers *pm, const char **kind)
{
	int	i;

	for (i = 0; pm != NULL && i < pm->n; i++)
		if (strcmp(pm->v[i].part, "root_cause") == 0) {
			*kind = pm->v[i].key;
			return (pm->v[i].text);
		}
	*kind = NULL;
	return (NULL);
}

static void
md_root_cause(const struct debrief_in *in, struct buf *b)
{
	const struct debrief_def	*db = &in->inc->db;
	const char			*kind, *text = rc_chosen(in->pm, &kind);

	buf_puts(b, "## Root cause\n\n");
	if (db->rc[PM_RC_SYSTEMIC] != NULL) {
		md_text(b, db->rc[PM_RC_SYSTEMIC]);
		buf_puts(b, ".\n\n");
	} else if (db->card[CARD_ROOT_CAUSE] != NULL) {
		md_text(b, db->card[CARD_ROOT_CAUSE]);
		buf_puts(b, "\n\n");
	}
	buf_printf(b, "Root-cause id: `%s`.", in->inc->root_cause != NULL ?
	    in->inc->root_cause : "?");
	if (text != NULL) {
		buf_puts(b, " Your statement: “");
		md_text(b, text);
		buf_printf(b, "” (%s, %d/40: %s).", kind != NULL ? kind : "?",
		    in->sc->pm_pts[PMP_ROOT_CAUSE],
		    in->sc->pm_why[PMP_ROOT_CAUSE]);
	} else
		buf_puts(b, " You chose no root-cause statement.");
	buf_puts(b, "\n\n");
}

static void
md_went(const struct debrief_in *in, struct buf *b)
{
	const struct score	*sc = in->sc;
	const struct timeline	*tl = in->tl;
	char			 t[24], t2[24];
	int			 i, s, k, any = 0;

	buf_puts(b, "## What went well\n\n");
	for (i = 0; i < 4; i++)
		if (sc->phase_ms[i] >= 0 && sc->phase_pts[i] ==
		    sc->phase_max[i]) {
			buf_printf(b, "- %s within target (%s)\n",
			    phase_caps[i], clock_of(sc->phase_ms[i], t,
			    sizeof t));
			any = 1;
		}
	for (i = 0; i < sc->nbonus_why; i++) {
		buf_printf(b, "- %s\n", sc->bonus_why[i]);
		any = 1;
	}
	for (s = 0; s < SIG__COUNT; s++)
		for (k = 0; k < 3; k++)
			if (sc->sig[s].star[k].met) {
				buf_printf(b, "- %s: ", signal_title(s));
				md_text(b, sc->sig[s].star[k].evidence);
				buf_putc(b, '\n');
				any = 1;
			}
	if (!any)
		buf_puts(b, "- Nothing yet: every phase was late or missed.\n");

	buf_puts(b, "\n## What went badly\n\n");
	any = 0;
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];
		int sec;

		if (e->kind != EV_COMMAND || e->arg <= HARM_NONE)
			continue;
		sec = e->detail != NULL && strncmp(e->detail,
		    HARM_SECURITY_TAG, strlen(HARM_SECURITY_TAG)) == 0;
		buf_printf(b, "- %s ", clock_of(e->t_ms, t, sizeof t));
		md_code(b, e->text);
		buf_printf(b, " was **%s**", harm_name(e->arg));
		if (e->detail != NULL && *e->detail != '\0') {
			buf_puts(b, ": ");
			md_text(b, sec ? e->detail + strlen(HARM_SECURITY_TAG) :
			    e->detail);
		}
		buf_puts(b, ".");
		if (sec)
			buf_puts(b, " **Security violation** — what systemic"
			    " gap allowed a safety mechanism to be switched"
			    " off in production?");
		buf_putc(b, '\n');
		any = 1;
	}
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];

		if (e->kind == EV_DIAGNOSIS && e->arg != DIAG_CORRECT) {
			buf_printf(b, "- %s diagnosis `%s` was %s (-20)\n",
			    clock_of(e->t_ms, t, sizeof t), e->text,
			    e->arg == DIAG_NEAR_MISS ? "a near miss" :
			    "wrong");
			any = 1;
		}
		if (e->kind == EV_HINT) {
			buf_printf(b, "- %s took a tier-%d hint (-%d)\n",
			    clock_of(e->t_ms, t, sizeof t), e->arg,
			    e->arg == 1 ? 10 : e->arg == 2 ? 25 : 60);
			any = 1;
		}
	}
	for (i = 0; i < 4; i++) {
		if (sc->phase_ms[i] < 0) {
			buf_printf(b, "- %s was never reached (0/%d)\n",
			    phase_caps[i], sc->phase_max[i]);
			any = 1;
		} else if (sc->phase_pts[i] < sc->phase_max[i]) {
			long target = in->inc->sev_scale > 0 ? (long)(
			    (i == 0 ? 60000L : i == 1 ? 300000L : i == 2 ?
			    900000L : 3600000L) * in->inc->sev_scale) : 0;

			buf_printf(b, "- %s at %s against a target of %s"
			    " (%d/%d)\n", phase_caps[i], clock_of(
			    sc->phase_ms[i], t, sizeof t), clock_of(target, t2,
			    sizeof t2), sc->phase_pts[i], sc->phase_max[i]);
			any = 1;
		}
	}
	if (sc->budget_penalty > 0) {
		buf_printf(b, "- %.1f%% of the error budget burned (-%d)\n",
		    sc->budget_burned_pct, sc->budget_penalty);
		any = 1;
	}
	if (sc->integrity_penalty > 0) {
		buf_printf(b, "- %.0f bad records (-%d)\n", sc->bad_records,
		    sc->integrity_penalty);
		any = 1;
	}
	if (!any)
		buf_puts(b, "- Nothing harmful, nothing missed.\n");
	buf_putc(b, '\n');
}

static void
path_cell(struct buf *b, const struct timeline *tl, int *pos)
{
	char	t[24];

	while (tl != NULL && *pos < tl->n && !(tl->v[*pos].kind ==
	    EV_COMMAND || tl->v[*pos].kind == EV_PHASE))
		(*pos)++;
	if (tl == NULL || *pos >= tl->n) {
		buf_puts(b, " |");
		return;
	}
	buf_printf(b, " %s ", clock_of(tl->v[*pos].t_ms, t, sizeof t));
	if (tl->v[*pos].kind == EV_PHASE)
		buf_printf(b, "**%s**", phase_caps[tl->v[*pos].arg & 3]);
	else
		md_code(b, tl->v[*pos].text);
	buf_puts(b, " |");
	(*pos)++;
}

static void
md_paths(const struct debrief_in *in, struct buf *b)
{
	char	t1[24], t2[24];
	long	e0, p0;
	int	i, pe = 0, pp = 0, more;

	if (in->expert == NULL)
		return;
	buf_puts(b, "## The expert path beside yours\n\n"
	    "| Phase | Expert | You |\n|---|---:|---:|\n");
	for (i = 0; i < 4; i++) {
		e0 = phase_at(in->expert, i);
		p0 = phase_at(in->tl, i);
		buf_printf(b, "| %s | %s | %s |\n", phase_caps[i],
		    e0 >= 0 ? clock_of(e0, t1, sizeof t1) : "—",
		    p0 >= 0 ? clock_of(p0, t2, sizeof t2) : "—");
	}
	buf_puts(b, "\n| Expert | You |\n|---|---|\n");
	for (;;) {
		int ie = pe, ip = pp;

		while (ie < in->expert->n && in->expert->v[ie].kind !=
		    EV_COMMAND && in->expert->v[ie].kind != EV_PHASE)
			ie++;
		while (ip < in->tl->n && in->tl->v[ip].kind != EV_COMMAND &&
		    in->tl->v[ip].kind != EV_PHASE)
			ip++;
		more = ie < in->expert->n || ip < in->tl->n;
		if (!more)
			break;
		buf_putc(b, '|');
		path_cell(b, in->expert, &pe);
		path_cell(b, in->tl, &pp);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void
md_actions(const struct debrief_in *in, struct buf *b)
{
	const struct debrief_def	*db = &in->inc->db;
	const struct pm_answers		*pm = in->pm;
	int				 i, j, chosen, any = 0;

	buf_printf(b, "## Action items (%d/80)\n\n",
	    in->sc->pm_pts[PMP_ACTIONS]);
	for (i = 0; pm != NULL && i < pm->n; i++) {
		const struct pm_row *r = &pm->v[i];

		if (strcmp(r->part, "action") != 0)
			continue;
		if (!any)
			buf_puts(b, "| Item | Owner | Deadline | |\n"
			    "|---|---|---|---|\n");
		any = 1;
		buf_puts(b, "| ");
		md_text(b, r->text);
		buf_puts(b, " | ");
		md_text(b, r->owner != NULL ? r->owner : "—");
		buf_puts(b, " | ");
		md_text(b, r->deadline != NULL ? r->deadline : "—");
		buf_printf(b, " | %s |\n", r->key != NULL && strcmp(r->key,
		    "prevention") == 0 ? "prevents a repeat" :
		    "distractor: does not address the gap");
	}
	if (!any)
		buf_puts(b, "No action items were chosen.\n");
	buf_puts(b, "\nFrom the handbook's prevention list");
	buf_puts(b, any ? ", not chosen:\n\n" : ":\n\n");
	for (i = 0; i < db->prevention.n; i++) {
		chosen = 0;
		for (j = 0; pm != NULL && j < pm->n; j++)
			if (strcmp(pm->v[j].part, "action") == 0 &&
			    pm->v[j].text != NULL && strcmp(pm->v[j].text,
			    db->prevention.v[i]) == 0)
				chosen = 1;
		if (!chosen) {
			buf_puts(b, "- ");
			md_text(b, db->prevention.v[i]);
			buf_putc(b, '\n');
		}
	}
	buf_printf(b, "\n## Monitoring to add (%d/20)\n\n",
	    in->sc->pm_pts[PMP_MONITORS]);
	for (i = 0; i < db->nmonitors; i++) {
		buf_puts(b, "- ");
		md_text(b, db->monitors[i].text);
		for (j = 0, chosen = 0; pm != NULL && j < pm->n; j++)
			if (strcmp(pm->v[j].part, "monitor") == 0 &&
			    pm->v[j].text != NULL && strcmp(pm->v[j].text,
			    db->monitors[i].text) == 0)
				chosen = 1;
		buf_puts(b, chosen ? " — chosen\n" : " — not chosen\n");
	}
	buf_putc(b, '\n');
}

static void
md_score(const struct debrief_in *in, struct buf *b)
{
	const struct score	*sc = in->sc;
	char			 t[24];
	int			 p;

	buf_puts(b, "## Score\n\n| Part | Points | Why |\n|---|---:|---|\n");
	for (p = 0; p < 4; p++)
		buf_printf(b, "| %s | %d/%d | %s |\n", phase_caps[p],
		    sc->phase_pts[p], sc->phase_max[p], sc->phase_ms[p] >= 0 ?
		    clock_of(sc->phase_ms[p], t, sizeof t) : "not reached");
	for (p = 0; p < PMP__COUNT; p++) {
		buf_printf(b, "| Post-mortem: %s | %d/%d | ", pm_part_name(p),
		    sc->pm_pts[p], sc->pm_max[p]);
		md_text(b, sc->pm_why[p]);
		buf_puts(b, " |\n");
	}
	buf_printf(b, "| Bonuses | +%d | |\n", sc->bonus);
	buf_printf(b, "| Harmful actions | -%d | %d harmful, %d security |\n",
	    sc->harm_penalty, sc->harmful_count, sc->security_count);
	buf_printf(b, "| Error budget | -%d | %.1f%% burned |\n",
	    sc->budget_penalty, sc->budget_burned_pct);
	buf_printf(b, "| Hints | -%d | |\n", sc->hint_penalty);
	buf_printf(b, "| Wrong diagnoses | -%d | |\n", sc->diag_penalty);
	buf_printf(b, "| Data integrity | -%d | |\n", sc->integrity_penalty);
	buf_printf(b, "| **Total** | **%d** | grade **%s** |\n\n", sc->total,
	    sc->grade);
	if (in->stored_total >= 0 && in->score_version != SCORE_VERSION)
		buf_printf(b, "Graded %d (%s) when played, by scoring rules"
		    " v%d; today's rules (v%d) give %d.\n\n", in->stored_total,
		    in->stored_grade != NULL ? in->stored_grade : "?",
		    in->score_version, SCORE_VERSION, sc->total);
	else if (in->stored_total >= 0 && in->stored_total != sc->total)
		buf_printf(b, "Recorded as %d when the incident ended; the"
		    " post-mortem written since makes it %d.\n\n",
		    in->stored_total, sc->total);
}

static void
md_signals(const struct debrief_in *in, struct buf *b)
{
	const struct score	*sc = in->sc;
	int			 s, k, weakest = 0;

	buf_puts(b, "## The five interview signals\n\n");
	for (s = 0; s < SIG__COUNT; s++) {
		if (sc->sig[s].stars < sc->sig[weakest].stars)
			weakest = s;
		buf_printf(b, "**%s** %s\n\n", signal_title(s),
		    stars(sc->sig[s].stars));
		for (k = 0; k < 3; k++) {
			buf_printf(b, "- %s ", sc->sig[s].star[k].met ? "✓" :
			    "✗");
			md_text(b, sc->sig[s].star[k].evidence);
			buf_putc(b, '\n');
		}
		buf_putc(b, '\n');
	}
	buf_printf(b, "Weakest signal: **%s**.\n\n", signal_title(weakest));
}

void
debrief_card(const struct debrief_in *in, struct buf *b)
{
	const struct debrief_def	*db = &in->inc->db;
	const struct timeline		*tl = in->tl;
	const char			*page;
	char				 t[24];
	long				 at;
	int				 i, n = 0;

	buf_puts(b, "**Symptom.** ");
	if (db->card[CARD_SYMPTOM] != NULL)
		md_text(b, db->card[CARD_SYMPTOM]);
	if ((page = first_page(tl, &at)) != NULL)
		buf_printf(b, " (here: %.*s paged at %s)",
		    (int)strcspn(page, " "), page, clock_of(at, t, sizeof t));
	buf_puts(b, "\n\n**Root cause.** ");
	md_text(b, db->card[CARD_ROOT_CAUSE] != NULL ?
	    db->card[CARD_ROOT_CAUSE] : db->rc[PM_RC_SYSTEMIC]);
	buf_puts(b, "\n\n**Solution.** ");
	if (db->card[CARD_SOLUTION] != NULL)
		md_text(b, db->card[CARD_SOLUTION]);
	for (i = 0; i < tl->n && n < 3; i++)
		if (tl->v[i].kind == EV_COMMAND && tl->v[i].val >= 1 &&
		    is_action(&tl->v[i])) {
			buf_puts(b, n == 0 ? " What I did: " : ", then ");
			md_code(b, tl->v[i].text);
			buf_printf(b, " at %s", clock_of(tl->v[i].t_ms, t,
			    sizeof t));
			n++;
		}
	if (n > 0)
		buf_putc(b, '.');
	buf_puts(b, "\n\n**Prevention.** ");
	if (db->card[CARD_PREVENTION] != NULL)
		md_text(b, db->card[CARD_PREVENTION]);
	buf_puts(b, "\n");
}

void
debrief_markdown(const struct debrief_in *in, struct buf *b)
{
	md_header(in, b);
	md_summary(in, b);
	md_impact(in, b);
	md_chart(in, b);
	md_timeline(in, b);
	md_root_cause(in, b);
	md_went(in, b);
	md_paths(in, b);
	md_actions(in, b);
	md_signals(in, b);
	md_score(in, b);
	buf_puts(b, "## Interview answer card\n\n");
	debrief_card(in, b);
}

/* ---- JSON ---- */

static void
json_kv(struct buf *b, const char *k, const char *v, int comma)
{
	buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
	if (v == NULL)
		buf_puts(b, "null");
	else
		buf_json_str(b, v);
}

static void
json_timeline(struct buf *b, const struct timeline *tl)
{
	int	i;

	buf_putc(b, '[');
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];

		buf_printf(b, "%s{\"t_ms\":%ld", i ? "," : "", e->t_ms);
		json_kv(b, "kind", ev_kind_name(e->kind), 1);
		json_kv(b, "text", e->text, 1);
		if (e->kind == EV_PHASE && e->arg >= 0 && e->arg < 4)
			json_kv(b, "phase", phase_keys[e->arg], 1);
		if (e->kind == EV_COMMAND) {
			json_kv(b, "harm", harm_name(e->arg), 1);
			json_kv(b, "why", e->detail, 1);
			buf_printf(b, ",\"works\":%s", e->val >= 1 ? "true" :
			    "false");
		}
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

void
debrief_json(const struct debrief_in *in, struct buf *b)
{
	const struct debrief_def	*db = &in->inc->db;
	struct buf			 card, md;
	int				 i;

	buf_putc(b, '{');
	buf_printf(b, "\"session\":%lld", (long long)in->session_id);
	json_kv(b, "incident", in->inc->id, 1);
	json_kv(b, "title", in->inc->title, 1);
	json_kv(b, "section", in->inc->section, 1);
	json_kv(b, "severity", in->inc->severity, 1);
	json_kv(b, "player", in->player, 1);
	json_kv(b, "outcome", in->outcome, 1);
	buf_printf(b, ",\"seed\":\"%llu\",\"sim_ms\":%ld",
	    (unsigned long long)in->seed, in->sim_ms);
	buf_printf(b, ",\"recorded\":{\"version\":%d,\"total\":",
	    in->score_version > 0 ? in->score_version : SCORE_VERSION);
	if (in->stored_total >= 0)
		buf_printf(b, "%d", in->stored_total);
	else
		buf_puts(b, "null");
	json_kv(b, "grade", in->stored_grade != NULL && *in->stored_grade ?
	    in->stored_grade : NULL, 1);
	buf_puts(b, "},\"score\":");
	score_json(in->sc, in->inc->sev_scale, b);
	json_kv(b, "root_cause_id", in->inc->root_cause, 1);
	json_kv(b, "root_cause", db->rc[PM_RC_SYSTEMIC], 1);
	buf_puts(b, ",\"prevention\":[");
	for (i = 0; i < db->prevention.n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_json_str(b, db->prevention.v[i]);
	}
	buf_puts(b, "],\"postmortem\":[");
	for (i = 0; in->pm != NULL && i < in->pm->n; i++) {
		const struct pm_row *r = &in->pm->v[i];

		buf_putc(b, i ? ',' : '{');
		if (i > 0)
			buf_putc(b, '{');
		json_kv(b, "part", r->part, 0);
		json_kv(b, "key", r->key, 1);
		json_kv(b, "text", r->text, 1);
		json_kv(b, "owner", r->owner, 1);
		json_kv(b, "deadline", r->deadline, 1);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"timeline\":");
	json_timeline(b, in->tl);
	buf_puts(b, ",\"expert_timeline\":");
	if (in->expert != NULL)
		json_timeline(b, in->expert);
	else
		buf_puts(b, "null");
	buf_init(&card);
	debrief_card(in, &card);
	json_kv(b, "answer_card", buf_str(&card), 1);
	buf_fini(&card);
	buf_init(&md);
	debrief_markdown(in, &md);
	json_kv(b, "markdown", buf_str(&md), 1);
	buf_fini(&md);
	buf_puts(b, "}\n");
}
