/*
 * The rubric of catalog D.1-D.5, computed only from the timeline, the
 * incident's debrief data and the post-mortem answers.  Nothing here
 * reads the world: a stored session scores the same years later.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "score/score.h"
#include "util/buf.h"
#include "util/duration.h"

static const int	 phase_max[4] = { 100, 200, 300, 200 };
static const long	 phase_target[4] = { 60000, 300000, 900000, 3600000 };
static const int	 pm_max[PMP__COUNT] = { 40, 40, 80, 20, 20 };

const char *const score_generic_distractors[] = {
	"Tell the developer to be more careful",
	"Permanently double all servers",
	"Mute the noisy alert",
	"Ban Friday deploys",
	NULL
};

/* The blame item: choosing it fails the blameless signal. */
#define BLAME_ITEM	0

const char *const score_owner_menu[] = {
	"owning service team",
	"platform team",
	"database team",
	"SRE on-call rotation",
	"incident commander",
	"Dave (who shipped the change)",
	NULL
};

/* Entries of score_owner_menu from here on name a person. */
#define OWNER_FIRST_PERSON	5

const char *const score_deadline_menu[] = {
	"this week",
	"within two weeks",
	"this quarter",
	"no deadline",
	NULL
};

#define DEADLINE_NONE	3

/* The handbook's monitoring thresholds (D.4), as the form offers them. */
const char *const score_handbook_monitors[] = {
	"Pool utilisation above 70%",
	"Replication lag above 1 s",
	"Disk usage above 70%",
	"Consumer lag above 10,000",
	"Certificate expiry under 30 days",
	"Deadlocks above 0 per minute",
	"404 rate spike",
	"RSS growth over hours",
	NULL
};

/* What each handbook monitor watches, as words an incident's monitor uses. */
static const char *const handbook_keys[][3] = {
	{ "pool utilisation", "pool utilization", NULL },
	{ "replication lag", NULL },
	{ "disk", "volume above", NULL },
	{ "consumer lag", NULL },
	{ "certificate", "cert ", NULL },
	{ "deadlock", NULL },
	{ "404", NULL },
	{ "rss", "memory", NULL },
};

static const char *const blame_words[] = {
	"careless", "forgot", "stupid", "idiot", "incompetent", "sloppy",
	"lazy", "blame", "fault", "screwed up", "should have known",
	"his mistake", "her mistake", "their mistake", "dumb", NULL
};

static const char *const sig_names[SIG__COUNT] = {
	"systematic", "mitigation", "blast_radius", "prevention", "blameless"
};
static const char *const sig_titles[SIG__COUNT] = {
	"Systematic debugging", "Immediate mitigation",
	"Blast radius thinking", "Prevention mindset", "Blameless culture"
};
static const char *const phase_keys[4] = {
	"detect", "triage", "mitigate", "fix"
};
static const char *const pm_names[PMP__COUNT] = {
	"timeline", "root_cause", "action_items", "owners", "monitoring"
};

const char *
signal_name(enum signal s)
{
	return (s < SIG__COUNT ? sig_names[s] : "?");
}

const char *
signal_title(enum signal s)
{
	return (s < SIG__COUNT ? sig_titles[s] : "?");
}

const char *
pm_part_name(enum pm_part p)
{
	return (p < PMP__COUNT ? pm_names[p] : "?");
}

int
score_phase_points(int max, long t, long target)
{
	double	f;

	if (t < 0)
		return (0);
	if (t <= target)
		return (max);
	f = (3.0 * target - t) / (2.0 * target);
	return (f <= 0 ? 0 : (int)floor(max * f + 0.5));
}

const char *
score_grade(int total)
{
	if (total >= 900)
		return ("S");
	if (total >= 750)
		return ("A");
	if (total >= 600)
		return ("B");
	if (total >= 400)
		return ("C");
	return ("D");
}

int
score_handbook_covers(int i, const char *text)
{
	char	low[256];
	size_t	j;
	int	k;

	if (i < 0 || i >= (int)(sizeof handbook_keys /
	    sizeof handbook_keys[0]) || text == NULL)
		return (0);
	for (j = 0; text[j] != '\0' && j + 1 < sizeof low; j++)
		low[j] = (char)tolower((unsigned char)text[j]);
	low[j] = '\0';
	for (k = 0; k < 3 && handbook_keys[i][k] != NULL; k++)
		if (strstr(low, handbook_keys[i][k]) != NULL)
			return (1);
	return (0);
}

/* The handbook entry the text is, or -1. */
static int
handbook_index(const char *text)
{
	int	i;

	for (i = 0; text != NULL && score_handbook_monitors[i] != NULL; i++)
		if (strcmp(text, score_handbook_monitors[i]) == 0)
			return (i);
	return (-1);
}

int
score_owner_is_team(const char *owner)
{
	int	i;

	if (owner == NULL || *owner == '\0')
		return (0);
	for (i = 0; score_owner_menu[i] != NULL; i++)
		if (strcasecmp(owner, score_owner_menu[i]) == 0)
			return (i < OWNER_FIRST_PERSON);
	/* A free-text owner: a team or role unless it is a person's name. */
	return (strstr(owner, "team") != NULL || strstr(owner, "on-call") !=
	    NULL || strstr(owner, "SRE") != NULL || strstr(owner, "DBA") !=
	    NULL || strstr(owner, "commander") != NULL);
}

int
score_blames(const char *text)
{
	char	low[512];
	size_t	i;

	if (text == NULL)
		return (0);
	for (i = 0; text[i] != '\0' && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)text[i]);
	low[i] = '\0';
	/* Whole words only: "default" holds no fault, "blameless" no blame. */
	for (i = 0; blame_words[i] != NULL; i++) {
		size_t		 n = strlen(blame_words[i]);
		const char	*p;

		for (p = low; (p = strstr(p, blame_words[i])) != NULL; p++)
			if ((p == low || !isalnum((unsigned char)p[-1])) &&
			    !isalnum((unsigned char)p[n]))
				return (1);
	}
	return (0);
}

/* ---- reading the timeline ---- */

enum verb_class { VC_OBSERVE, VC_GAME, VC_ACTION };

static enum verb_class
verb_class(const char *text)
{
	static const char *const observe[] = { "show", "logs", "trace",
	    "explain", "changes", "graph", "status", "help", "audit", NULL };
	static const char *const game[] = { "ack", "declare", "diagnose",
	    "hint", "note", "page", "abandon", NULL };
	size_t	n = strcspn(text, " ");
	int	i;

	for (i = 0; observe[i] != NULL; i++)
		if (strlen(observe[i]) == n && strncmp(text, observe[i], n) == 0)
			return (VC_OBSERVE);
	for (i = 0; game[i] != NULL; i++)
		if (strlen(game[i]) == n && strncmp(text, game[i], n) == 0)
			return (VC_GAME);
	return (VC_ACTION);
}

int
score_is_action(const char *text)
{
	return (verb_class(text) == VC_ACTION);
}

static int
is_cmd(const struct event *e)
{
	return (e->kind == EV_COMMAND && e->text != NULL);
}

static int
verb_is(const struct event *e, const char *verb)
{
	size_t	n = strlen(verb);

	return (is_cmd(e) && strncmp(e->text, verb, n) == 0 &&
	    (e->text[n] == '\0' || e->text[n] == ' '));
}

/* Case-insensitive: text contains any of the strings. */
static int
mentions(const struct strv *v, const char *text)
{
	char	low[512], pat[128];
	size_t	i, j;
	int	k;

	if (text == NULL)
		return (0);
	for (i = 0; text[i] != '\0' && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)text[i]);
	low[i] = '\0';
	for (k = 0; k < v->n; k++) {
		for (j = 0; v->v[k][j] != '\0' && j + 1 < sizeof pat; j++)
			pat[j] = (char)tolower((unsigned char)v->v[k][j]);
		pat[j] = '\0';
		if (*pat != '\0' && strstr(low, pat) != NULL)
			return (1);
	}
	return (0);
}

static void
star(struct signal_score *sg, int i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
star(struct signal_score *sg, int i, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(sg->star[i].evidence, sizeof sg->star[i].evidence, fmt, ap);
	va_end(ap);
}

/* Index of the first event matching, or -1. */
static int
first_action(const struct timeline *tl)
{
	int	i;

	for (i = 0; i < tl->n; i++)
		if (is_cmd(&tl->v[i]) && verb_class(tl->v[i].text) ==
		    VC_ACTION)
			return (i);
	return (-1);
}

static int
first_glob(const struct timeline *tl, const struct strv *globs)
{
	int	i;

	for (i = 0; i < tl->n && globs->n > 0; i++)
		if (is_cmd(&tl->v[i]) && strv_glob(globs, tl->v[i].text))
			return (i);
	return (-1);
}

static int
first_works(const struct timeline *tl)
{
	int	i;

	for (i = 0; i < tl->n; i++)
		if (is_cmd(&tl->v[i]) && tl->v[i].val >= 1 &&
		    verb_class(tl->v[i].text) == VC_ACTION)
			return (i);
	return (-1);
}

static long
phase_at(const struct timeline *tl, int phase)
{
	int	i;

	for (i = 0; i < tl->n; i++)
		if (tl->v[i].kind == EV_PHASE && tl->v[i].arg == phase)
			return (tl->v[i].t_ms);
	return (-1);
}

/* ---- the five signals (D.5) ---- */

static const struct strv	 no_strv;

static void
sig_systematic(const struct score_input *in, struct score *s,
    const struct strv *comp)
{
	const struct timeline	*tl = in->tl;
	struct signal_score	*sg = &s->sig[SIG_SYSTEMATIC];
	int			 i, j, n = 0, act = first_action(tl), view = -1;
	int			 changes = -1, ev[2] = { -1, -1 }, nev = 0;
	int			 diag = -1, burst = -1;
	char			 t1[24], t2[24];

	for (i = 0; i < tl->n && n < 3; i++) {
		if (!is_cmd(&tl->v[i]))
			continue;
		n++;
		if (view < 0 && (verb_is(&tl->v[i], "graph") ||
		    strncmp(tl->v[i].text, "show overview", 13) == 0 ||
		    strncmp(tl->v[i].text, "show svc", 8) == 0 ||
		    strncmp(tl->v[i].text, "show gw", 7) == 0))
			view = i;
	}
	for (i = 0; i < tl->n && (act < 0 || i < act); i++)
		if (verb_is(&tl->v[i], "changes")) {
			changes = i;
			break;
		}
	if (view >= 0 && changes >= 0) {
		sg->star[0].met = 1;
		duration_clock(tl->v[view].t_ms, t1, sizeof t1);
		duration_clock(tl->v[changes].t_ms, t2, sizeof t2);
		star(sg, 0, "opened with `%.60s` at %s and ran `changes` at %s"
		    " before the first action", tl->v[view].text, t1, t2);
	} else if (view < 0)
		star(sg, 0, "none of the first three commands was a metrics"
		    " view (show overview, show svc, graph)");
	else
		star(sg, 0, "`changes` was not run before the first action");

	for (i = 0; i < tl->n; i++)
		if (tl->v[i].kind == EV_DIAGNOSIS && tl->v[i].arg == 1) {
			diag = i;
			break;
		}
	for (i = 0; i < (diag >= 0 ? diag : tl->n) && nev < 2; i++)
		if (is_cmd(&tl->v[i]) && verb_class(tl->v[i].text) ==
		    VC_OBSERVE && mentions(comp, tl->v[i].text))
			ev[nev++] = i;
	if (nev == 2 && diag >= 0) {
		sg->star[1].met = 1;
		duration_clock(tl->v[ev[0]].t_ms, t1, sizeof t1);
		duration_clock(tl->v[ev[1]].t_ms, t2, sizeof t2);
		star(sg, 1, "`%.50s` at %s and `%.50s` at %s before the"
		    " diagnosis", tl->v[ev[0]].text, t1, tl->v[ev[1]].text, t2);
	} else if (diag < 0)
		star(sg, 1, "the root cause was never named with `diagnose`");
	else
		star(sg, 1, "fewer than two looks at the root-cause component"
		    " before `diagnose`");

	/* A shotgun burst: three unrelated actions inside a minute. */
	for (i = 0; i < tl->n && burst < 0; i++) {
		if (!is_cmd(&tl->v[i]) || verb_class(tl->v[i].text) !=
		    VC_ACTION || tl->v[i].val >= 1 ||
		    mentions(comp, tl->v[i].text))
			continue;
		n = 1;
		for (j = i + 1; j < tl->n && tl->v[j].t_ms - tl->v[i].t_ms <=
		    60000; j++)
			if (is_cmd(&tl->v[j]) && verb_class(tl->v[j].text) ==
			    VC_ACTION && tl->v[j].val < 1 &&
			    !mentions(comp, tl->v[j].text) && ++n >= 3)
				burst = i;
	}
	if (burst < 0 && s->wrong_diagnoses <= 1) {
		sg->star[2].met = 1;
		star(sg, 2, "no burst of unrelated actions and %d wrong"
		    " diagnos%s", s->wrong_diagnoses, s->wrong_diagnoses == 1 ?
		    "is" : "es");
	} else if (burst >= 0) {
		duration_clock(tl->v[burst].t_ms, t1, sizeof t1);
		star(sg, 2, "three unrelated actions within a minute from %s,"
		    " starting with `%.60s`", t1, tl->v[burst].text);
	} else
		star(sg, 2, "%d wrong diagnoses", s->wrong_diagnoses);
}

static void
sig_mitigation(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	const struct debrief_def *db = in->db;
	struct signal_score	*sg = &s->sig[SIG_MITIGATION];
	int			 w = first_works(tl), fw, act, i, rb = -1;
	long			 det = phase_at(tl, 0), fix = phase_at(tl, 3);
	char			 t1[24], t2[24];

	if (det < 0)
		det = s->t0_ms;
	if (w >= 0 && tl->v[w].t_ms - det <= 300000) {
		sg->star[0].met = 1;
		duration_clock(tl->v[w].t_ms, t1, sizeof t1);
		star(sg, 0, "`%.60s` at %s, %ld s after detection",
		    tl->v[w].text, t1, (tl->v[w].t_ms - det) / 1000);
	} else if (w >= 0) {
		duration_clock(tl->v[w].t_ms, t1, sizeof t1);
		star(sg, 0, "the first effective mitigation came at %s, more"
		    " than 5 min after detection", t1);
	} else
		star(sg, 0, "no effective mitigation was taken");

	fw = db != NULL ? first_glob(tl, &db->fix_work) : -1;
	if (w >= 0 && (fw < 0 || w < fw) && (fw >= 0 || fix < 0 ||
	    tl->v[w].t_ms <= fix)) {
		sg->star[1].met = 1;
		duration_clock(tl->v[w].t_ms, t1, sizeof t1);
		if (fw >= 0) {
			duration_clock(tl->v[fw].t_ms, t2, sizeof t2);
			star(sg, 1, "mitigated at %s before fix work (`%.50s`"
			    " at %s)", t1, tl->v[fw].text, t2);
		} else
			star(sg, 1, "mitigated at %s before any fix work", t1);
	} else if (w < 0)
		star(sg, 1, "no mitigation preceded the fix work");
	else if (fw >= 0) {
		duration_clock(tl->v[fw].t_ms, t2, sizeof t2);
		star(sg, 1, "fix work (`%.60s` at %s) came before any"
		    " mitigation", tl->v[fw].text, t2);
	} else {
		/* FIX was reached before the first mitigation. */
		duration_clock(tl->v[w].t_ms, t1, sizeof t1);
		duration_clock(fix, t2, sizeof t2);
		star(sg, 1, "the first mitigation (`%.50s` at %s) came after"
		    " the fix at %s", tl->v[w].text, t1, t2);
	}

	act = first_action(tl);
	for (i = 0; i < tl->n; i++)
		if (verb_is(&tl->v[i], "rollback")) {
			rb = i;
			break;
		}
	if (db != NULL && db->recent_change.n > 0) {
		if (act >= 0 && strv_glob(&db->recent_change,
		    tl->v[act].text)) {
			sg->star[2].met = 1;
			duration_clock(tl->v[act].t_ms, t1, sizeof t1);
			star(sg, 2, "the recent change was undone first:"
			    " `%.60s` at %s", tl->v[act].text, t1);
		} else
			star(sg, 2, "a change under an hour old was implicated,"
			    " but the first action was %s%.60s%s",
			    act >= 0 ? "`" : "", act >= 0 ? tl->v[act].text :
			    "never taken", act >= 0 ? "`" : "");
	} else if (rb < 0) {
		sg->star[2].met = 1;
		star(sg, 2, "no recent change was implicated and nothing was"
		    " rolled back needlessly");
	} else {
		duration_clock(tl->v[rb].t_ms, t1, sizeof t1);
		star(sg, 2, "`%.60s` at %s rolled back a change that was not"
		    " the cause", tl->v[rb].text, t1);
	}
}

static void
sig_blast(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	const struct debrief_def *db = in->db;
	struct signal_score	*sg = &s->sig[SIG_BLAST];
	int			 act = first_action(tl), i, look = -1, decl = -1;
	int			 iso = -1, glob = -1, rem = -1;
	long			 limit = s->t0_ms + (long)(phase_target[1] *
				    in->sev_scale);
	char			 t1[24];

	for (i = 0; i < (act >= 0 ? act : tl->n); i++)
		if (is_cmd(&tl->v[i]) && (strncmp(tl->v[i].text,
		    "show impact", 11) == 0 || strncmp(tl->v[i].text,
		    "show slo", 8) == 0 || verb_is(&tl->v[i], "audit"))) {
			look = i;
			break;
		}
	if (look >= 0) {
		sg->star[0].met = 1;
		duration_clock(tl->v[look].t_ms, t1, sizeof t1);
		star(sg, 0, "`%.60s` at %s before the first action",
		    tl->v[look].text, t1);
	} else
		star(sg, 0, "neither `show impact` nor `show slo` before the"
		    " first action");

	for (i = 0; i < tl->n; i++)
		if (tl->v[i].kind == EV_DECLARE && tl->v[i].detail != NULL &&
		    *tl->v[i].detail != '\0') {
			decl = i;
			if (db != NULL && mentions(&db->scope,
			    tl->v[i].detail) && tl->v[i].t_ms <= limit)
				break;
		}
	if (decl >= 0 && db != NULL && mentions(&db->scope,
	    tl->v[decl].detail) && tl->v[decl].t_ms <= limit) {
		sg->star[1].met = 1;
		duration_clock(tl->v[decl].t_ms, t1, sizeof t1);
		star(sg, 1, "declared with scope \"%.60s\" at %s",
		    tl->v[decl].detail, t1);
	} else if (decl >= 0)
		star(sg, 1, "the declared scope \"%.60s\" missed the affected"
		    " segment or came after the TRIAGE window",
		    tl->v[decl].detail);
	else
		star(sg, 1, "no `declare --scope` named the affected segment");

	if (db != NULL) {
		iso = first_glob(tl, &db->isolating);
		glob = first_glob(tl, &db->global);
		rem = first_glob(tl, &db->remediate);
	}
	if (iso >= 0 && glob < 0 && (db->remediate.n == 0 || rem >= 0)) {
		sg->star[2].met = 1;
		duration_clock(tl->v[iso].t_ms, t1, sizeof t1);
		star(sg, 2, "isolated the impact with `%.60s` at %s%s", tl->v[
		    iso].text, t1, rem >= 0 ? " and remediated the records" :
		    "");
	} else if (glob >= 0)
		star(sg, 2, "a global action (`%.60s`) where an isolating one"
		    " would do", tl->v[glob].text);
	else if (iso < 0)
		star(sg, 2, "no isolating action (breaker, bulkhead, drain,"
		    " per-IP limit, quota)");
	else
		star(sg, 2, "the affected records were not remediated");
}

/* Chosen action items: correct ones, distractors, the blame item. */
static void
count_actions(const struct pm_answers *pm, int *good, int *bad, int *blame,
    int *owned, int *person, int *n)
{
	int	i;

	*good = *bad = *blame = *owned = *person = *n = 0;
	for (i = 0; pm != NULL && i < pm->n; i++) {
		const struct pm_row *r = &pm->v[i];

		if (strcmp(r->part, "action") != 0)
			continue;
		(*n)++;
		if (r->key != NULL && strcmp(r->key, "prevention") == 0)
			(*good)++;
		else
			(*bad)++;
		if (r->text != NULL && strcmp(r->text,
		    score_generic_distractors[BLAME_ITEM]) == 0)
			(*blame)++;
		if (score_owner_is_team(r->owner) && r->deadline != NULL &&
		    *r->deadline != '\0' && strcmp(r->deadline,
		    score_deadline_menu[DEADLINE_NONE]) != 0)
			(*owned)++;
		if (r->owner != NULL && *r->owner != '\0' &&
		    !score_owner_is_team(r->owner))
			(*person)++;
	}
}

static const char *
rc_choice(const struct pm_answers *pm)
{
	int	i;

	for (i = 0; pm != NULL && i < pm->n; i++)
		if (strcmp(pm->v[i].part, "root_cause") == 0)
			return (pm->v[i].key);
	return (NULL);
}

static void
sig_prevention(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	const struct debrief_def *db = in->db;
	struct signal_score	*sg = &s->sig[SIG_PREVENTION];
	long			 fix = phase_at(tl, 3);
	int			 i, j, mon = -1, good, bad, blame, owned, person;
	int			 n, need;
	char			 t1[24];

	if (fix >= 0) {
		sg->star[0].met = 1;
		duration_clock(fix, t1, sizeof t1);
		star(sg, 0, "a systemic fix was in place at %s", t1);
	} else
		star(sg, 0, "only mitigations: no permanent fix was made");

	for (i = 0; i < tl->n && mon < 0 && db != NULL; i++) {
		if (!verb_is(&tl->v[i], "enable") || strncmp(tl->v[i].text,
		    "enable alert", 12) != 0)
			continue;
		for (j = 0; j < db->nmonitors; j++)
			if (strv_glob(&db->monitors[j].match, tl->v[i].text))
				mon = i;
	}
	if (mon >= 0) {
		sg->star[1].met = 1;
		duration_clock(tl->v[mon].t_ms, t1, sizeof t1);
		star(sg, 1, "`%.70s` at %s", tl->v[mon].text, t1);
	} else
		star(sg, 1, "no monitor at the handbook's threshold was"
		    " enabled in-game");

	count_actions(in->pm, &good, &bad, &blame, &owned, &person, &n);
	/* Without the incident's prevention list there is nothing to cover. */
	need = db != NULL ? (int)ceil(0.6 * db->prevention.n) : 0;
	if (in->pm != NULL && in->pm->filled && good >= need && bad == 0 &&
	    need > 0) {
		sg->star[2].met = 1;
		star(sg, 2, "action items cover %d of %d prevention items with"
		    " no distractor", good, db->prevention.n);
	} else if (in->pm == NULL || !in->pm->filled)
		star(sg, 2, "no post-mortem action items");
	else
		star(sg, 2, "action items cover %d of %d prevention items"
		    " (60%% needed) with %d distractor%s", good,
		    db != NULL ? db->prevention.n : 0, bad, bad == 1 ? "" : "s");
}

static void
sig_blameless(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	const struct debrief_def *db = in->db;
	struct signal_score	*sg = &s->sig[SIG_BLAMELESS];
	const char		*rc = rc_choice(in->pm);
	int			 i, ot = -1, page = -1, blamed = -1;
	int			 good, bad, blame, owned, person, n;
	char			 t1[24];

	if (rc != NULL && strcmp(rc, "systemic") == 0) {
		sg->star[0].met = 1;
		star(sg, 0, "the root cause names the systemic gap");
	} else if (rc != NULL)
		star(sg, 0, "the root cause chosen was the %s phrasing", rc);
	else
		star(sg, 0, "no root-cause statement was chosen");

	if (db != NULL)
		ot = first_glob(tl, &db->other_team);
	for (i = 0; i < tl->n; i++) {
		if (page < 0 && verb_is(&tl->v[i], "page"))
			page = i;
		if (blamed < 0 && (tl->v[i].kind == EV_NOTE ||
		    verb_is(&tl->v[i], "page")) && score_blames(tl->v[i].text))
			blamed = i;
	}
	if (blamed >= 0) {
		duration_clock(tl->v[blamed].t_ms, t1, sizeof t1);
		star(sg, 1, "blame in the words at %s: \"%.70s\"", t1,
		    tl->v[blamed].text);
	} else if (ot >= 0 && (page < 0 || page > ot)) {
		duration_clock(tl->v[ot].t_ms, t1, sizeof t1);
		star(sg, 1, "acted on another team's asset (`%.50s` at %s)"
		    " without paging them first", tl->v[ot].text, t1);
	} else {
		sg->star[1].met = 1;
		if (ot >= 0) {
			duration_clock(tl->v[page].t_ms, t1, sizeof t1);
			star(sg, 1, "paged the owners at %s before touching"
			    " their asset; notes free of blame", t1);
		} else
			star(sg, 1, "notes and pages free of blame");
	}

	count_actions(in->pm, &good, &bad, &blame, &owned, &person, &n);
	if (n > 0 && owned == n && person == 0 && blame == 0) {
		sg->star[2].met = 1;
		star(sg, 2, "all %d action items owned by teams or roles, with"
		    " deadlines", n);
	} else if (n == 0)
		star(sg, 2, "no action items were assigned");
	else if (blame > 0)
		star(sg, 2, "an action item asks people to be more careful");
	else if (person > 0)
		star(sg, 2, "an action item is owned by a named person");
	else
		star(sg, 2, "%d of %d action items lack a team owner or a"
		    " deadline", n - owned, n);
}

/* ---- the post-mortem form (D.4) ---- */

static void
pm_why(struct score *s, enum pm_part p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pm_why(struct score *s, enum pm_part p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(s->pm_why[p], sizeof s->pm_why[p], fmt, ap);
	va_end(ap);
}

static void
score_postmortem(const struct score_input *in, struct score *s)
{
	const struct pm_answers	*pm = in->pm;
	const struct debrief_def *db = in->db;
	const char		*rc = rc_choice(pm);
	int			 i, j, k, notes = 0, ann = 0, good, bad, blame;
	int			 owned, person, n, mon = 0, pts;

	for (i = 0; i < PMP__COUNT; i++)
		s->pm_max[i] = pm_max[i];
	for (i = 0; i < in->tl->n; i++)
		if (in->tl->v[i].kind == EV_NOTE)
			notes++;
	/*
	 * Each of the four key events counts once, however often annotated,
	 * and only if it happened.
	 */
	for (k = 0; k < 4; k++)
		for (i = 0; pm != NULL && s->phase_ms[k] >= 0 && i < pm->n; i++)
			if (strcmp(pm->v[i].part, "annotation") == 0 &&
			    pm->v[i].key != NULL && strcmp(pm->v[i].key,
			    phase_keys[k]) == 0 && pm->v[i].text != NULL &&
			    *pm->v[i].text != '\0') {
				ann++;
				break;
			}
	s->pm_pts[PMP_TIMELINE] = 10 * (notes >= 2 ? 2 : notes) + 5 * ann;
	pm_why(s, PMP_TIMELINE, "%d note%s in play (2 wanted), %d of 4 key"
	    " events annotated", notes, notes == 1 ? "" : "s", ann);

	if (pm == NULL || !pm->filled) {
		for (i = PMP_ROOT_CAUSE; i < PMP__COUNT; i++)
			pm_why(s, (enum pm_part)i, "skipped: -%d",
			    pm_max[i]);
		return;
	}
	if (rc == NULL)
		pm_why(s, PMP_ROOT_CAUSE, "skipped: -40");
	else if (strcmp(rc, "systemic") == 0) {
		s->pm_pts[PMP_ROOT_CAUSE] = 40;
		pm_why(s, PMP_ROOT_CAUSE, "names the systemic gap");
	} else if (strcmp(rc, "symptom") == 0) {
		s->pm_pts[PMP_ROOT_CAUSE] = 15;
		pm_why(s, PMP_ROOT_CAUSE, "symptom-level: says what broke, not"
		    " what allowed it");
	} else if (strcmp(rc, "blame") == 0)
		pm_why(s, PMP_ROOT_CAUSE, "\"human error\" is not a root"
		    " cause: what let one person's slip reach production?");
	else
		pm_why(s, PMP_ROOT_CAUSE, "not what happened");

	count_actions(pm, &good, &bad, &blame, &owned, &person, &n);
	pts = 10 * (good > 8 ? 8 : good) - 10 * bad;
	s->pm_pts[PMP_ACTIONS] = pts < 0 ? 0 : pts > 80 ? 80 : pts;
	if (n == 0)
		pm_why(s, PMP_ACTIONS, "skipped: -80");
	else
		pm_why(s, PMP_ACTIONS, "%d prevention item%s (+10 each), %d"
		    " distractor%s (-10 each)", good, good == 1 ? "" : "s", bad,
		    bad == 1 ? "" : "s");

	if (n == 0)
		pm_why(s, PMP_OWNERS, "no items to own: -20");
	else if (person > 0)
		pm_why(s, PMP_OWNERS, "a named person \"to blame\" owns an"
		    " item: 0");
	else {
		s->pm_pts[PMP_OWNERS] = 20 * owned / n;
		pm_why(s, PMP_OWNERS, "%d of %d items have a team owner and a"
		    " deadline", owned, n);
	}

	/* Each of the incident's monitors counts once, however often chosen. */
	for (j = 0; db != NULL && j < db->nmonitors; j++) {
		/* Its own words, or the handbook's entry for the same. */
		for (i = 0; i < pm->n; i++)
			if (strcmp(pm->v[i].part, "monitor") == 0 &&
			    pm->v[i].text != NULL && (strcmp(pm->v[i].text,
			    db->monitors[j].text) == 0 || score_handbook_covers(
			    handbook_index(pm->v[i].text),
			    db->monitors[j].text)))
				break;
		if (i < pm->n) {
			pts = 5;
			for (k = 0; k < in->tl->n; k++)
				if (is_cmd(&in->tl->v[k]) && strv_glob(
				    &db->monitors[j].match, in->tl->v[k].text))
					pts = 10;
			mon += pts;
		}
	}
	s->pm_pts[PMP_MONITORS] = mon > 20 ? 20 : mon;
	pm_why(s, PMP_MONITORS, "+5 per monitor at the handbook's threshold,"
	    " doubled when enabled in-game");
}

/* ---- the whole score ---- */

void
score_compute(const struct score_input *in, struct score *s)
{
	const struct timeline	*tl = in->tl;
	const struct debrief_def *db = in->db;
	static const int	 harm_pts[] = { 0, 10, 25, 75, 150 };
	const struct strv	*comp = db != NULL ? &db->components : &no_strv;
	int			 i, j, p, tier3 = 0, again, scoped = 0;
	int			 proactive = 0;
	long			 t0 = in->t0_ms;

	memset(s, 0, sizeof *s);
	if (t0 < 0)
		for (i = 0; i < tl->n && t0 < 0; i++)
			if (tl->v[i].kind == EV_IMPACT)
				t0 = tl->v[i].t_ms;
	s->impact_began = t0 >= 0;
	s->t0_ms = t0 = t0 > 0 ? t0 : 0;
	for (p = 0; p < 4; p++) {
		s->phase_ms[p] = -1;
		s->phase_max[p] = phase_max[p];
	}
	for (i = 0; i < tl->n; i++) {
		const struct event *e = &tl->v[i];

		switch (e->kind) {
		case EV_PHASE:
			if (e->arg >= 0 && e->arg < 4 &&
			    s->phase_ms[e->arg] < 0)
				s->phase_ms[e->arg] = e->t_ms > t0 ?
				    e->t_ms - t0 : 0;
			break;
		case EV_COMMAND:
			if (e->arg <= HARM_NONE || e->arg > HARM_CRITICAL)
				break;
			s->harmful_count++;
			if (e->detail != NULL && strncmp(e->detail,
			    HARM_SECURITY_TAG, strlen(HARM_SECURITY_TAG)) == 0)
				s->security_count++;
			/* The same useless command repeated costs half. */
			again = 0;
			for (j = 0; j < i && e->arg == HARM_USELESS; j++)
				if (tl->v[j].kind == EV_COMMAND &&
				    tl->v[j].arg == HARM_USELESS &&
				    strcmp(tl->v[j].text, e->text) == 0)
					again = 1;
			s->harm_penalty += again ? 5 : harm_pts[e->arg];
			break;
		case EV_HINT:
			s->hint_penalty += e->arg == 1 ? 10 : e->arg == 2 ?
			    25 : 60;
			if (e->arg >= 3)
				tier3 = 1;
			break;
		case EV_DIAGNOSIS:
			if (e->arg != DIAG_CORRECT)
				s->wrong_diagnoses++;
			break;
		case EV_DECLARE:
			/* One bonus, however often declared early. */
			if (e->arg == 1 && !proactive) {
				proactive = 1;
				s->bonus += 25;
				snprintf(s->bonus_why[s->nbonus_why++],
				    sizeof s->bonus_why[0], "+25 proactive"
				    " detection: declared before any page");
			}
			break;
		case EV_DAMAGE:
			s->bad_records = e->val;
			break;
		case EV_END:
			s->budget_burned_pct = e->val;
			s->failed_requests = e->arg;
			break;
		default:
			break;
		}
	}
	for (p = 0; p < 4; p++) {
		long target = (long)(phase_target[p] * in->sev_scale);

		s->phase_pts[p] = score_phase_points(phase_max[p],
		    s->phase_ms[p], target);
	}
	s->diag_penalty = 20 * s->wrong_diagnoses;
	/* After three wrong ids or a tier-3 hint TRIAGE is worth 100 at most. */
	if ((s->wrong_diagnoses >= 3 || tier3) && s->phase_pts[1] > 100)
		s->phase_pts[1] = 100;
	s->budget_penalty = (int)floor(2 * s->budget_burned_pct + 0.5);
	if (s->budget_penalty > 200)
		s->budget_penalty = 200;

	sig_systematic(in, s, comp);
	sig_mitigation(in, s);
	sig_blast(in, s);
	sig_prevention(in, s);
	score_postmortem(in, s);
	sig_blameless(in, s);
	for (i = 0; i < SIG__COUNT; i++)
		for (j = 0; j < 3; j++)
			s->sig[i].stars += s->sig[i].star[j].met;

	/* Bonuses (D.3) that this timeline can show. */
	scoped = s->sig[SIG_BLAST].star[1].met;
	if (scoped && s->nbonus_why < 8) {
		s->bonus += 25;
		snprintf(s->bonus_why[s->nbonus_why++], sizeof s->bonus_why[0],
		    "+25 blast radius: the declared scope fits");
	}
	if (db != NULL && first_glob(tl, &db->remediate) >= 0) {
		s->remediated = 1;
		if (s->nbonus_why < 8) {
			s->bonus += 25;
			snprintf(s->bonus_why[s->nbonus_why++],
			    sizeof s->bonus_why[0], "+25 affected records"
			    " remediated");
		}
	}
	/* The incident's own: its move, before any of the costlier ones. */
	for (i = 0; db != NULL && i < db->nbonuses; i++) {
		const struct bonus_rule *r = &db->bonuses[i];

		for (j = 0; j < tl->n; j++)
			if (is_cmd(&tl->v[j]) && (strv_glob(&r->match,
			    tl->v[j].text) || strv_glob(&r->before,
			    tl->v[j].text)))
				break;
		if (j == tl->n || !strv_glob(&r->match, tl->v[j].text))
			continue;
		s->bonus += r->points;
		if (s->nbonus_why < 8)
			snprintf(s->bonus_why[s->nbonus_why++],
			    sizeof s->bonus_why[0], "%+d %s", r->points,
			    r->why);
	}
	/* Data integrity: -1 per 100 bad records, halved if remediated. */
	s->integrity_penalty = (int)floor(s->bad_records / 100.0 /
	    (s->remediated ? 2 : 1));
	if (s->integrity_penalty > 150)
		s->integrity_penalty = 150;

	for (i = 0; i < PMP__COUNT; i++)
		s->pm_total += s->pm_pts[i];
	s->total = s->bonus + s->pm_total - s->harm_penalty -
	    s->budget_penalty - s->hint_penalty - s->diag_penalty -
	    s->integrity_penalty;
	for (p = 0; p < 4; p++)
		s->total += s->phase_pts[p];
	if (s->total < 0)
		s->total = 0;
	memcpy(s->grade, score_grade(s->total), 2);
}

void
score_json(const struct score *sc, double sev_scale, struct buf *b)
{
	static const char *names[] = { "detect", "triage", "mitigate", "fix" };
	int	p, i, j;

	buf_printf(b, "{\"version\":%d,\"total\":%d,\"grade\":\"%s\","
	    "\"t0_ms\":%ld,\"phases\":{", SCORE_VERSION, sc->total, sc->grade,
	    sc->t0_ms);
	for (p = 0; p < 4; p++) {
		buf_printf(b, "%s\"%s\":{\"points\":%d,\"max\":%d,"
		    "\"target_ms\":%ld,\"ms\":", p ? "," : "", names[p],
		    sc->phase_pts[p], sc->phase_max[p],
		    (long)(phase_target[p] * sev_scale));
		if (sc->phase_ms[p] < 0)
			buf_puts(b, "null");
		else
			buf_printf(b, "%ld", sc->phase_ms[p]);
		buf_putc(b, '}');
	}
	buf_printf(b, "},\"penalties\":{\"harmful_actions\":%d,"
	    "\"error_budget\":%d,\"hints\":%d,\"wrong_diagnoses\":%d,"
	    "\"data_integrity\":%d},\"bonus\":%d,\"bonuses\":[",
	    sc->harm_penalty, sc->budget_penalty, sc->hint_penalty,
	    sc->diag_penalty, sc->integrity_penalty, sc->bonus);
	for (i = 0; i < sc->nbonus_why; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_json_str(b, sc->bonus_why[i]);
	}
	buf_printf(b, "],\"postmortem\":{\"total\":%d", sc->pm_total);
	for (i = 0; i < PMP__COUNT; i++) {
		buf_printf(b, ",\"%s\":{\"points\":%d,\"max\":%d,\"why\":",
		    pm_names[i], sc->pm_pts[i], sc->pm_max[i]);
		buf_json_str(b, sc->pm_why[i]);
		buf_putc(b, '}');
	}
	buf_puts(b, "},\"signals\":{");
	for (i = 0; i < SIG__COUNT; i++) {
		buf_printf(b, "%s\"%s\":{\"stars\":%d,\"evidence\":[",
		    i ? "," : "", sig_names[i], sc->sig[i].stars);
		for (j = 0; j < 3; j++) {
			buf_printf(b, "%s{\"met\":%s,\"text\":", j ? "," : "",
			    sc->sig[i].star[j].met ? "true" : "false");
			buf_json_str(b, sc->sig[i].star[j].evidence);
			buf_putc(b, '}');
		}
		buf_puts(b, "]}");
	}
	buf_printf(b, "},\"harmful_count\":%d,\"security_violations\":%d,"
	    "\"bad_records\":", sc->harmful_count, sc->security_count);
	buf_json_num(b, sc->bad_records);
	buf_puts(b, ",\"budget_burned_pct\":");
	buf_json_num(b, sc->budget_burned_pct);
	buf_putc(b, '}');
}
