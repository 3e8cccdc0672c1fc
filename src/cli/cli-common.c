/*
 * What the subcommands share: locating the data, scoring and recording.
 * Recording is best effort by design: a locked or read-only database is
 * reported in one line and the run's result still stands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/firedrill"
#endif

static int
has_data(const char *dir)
{
	char		*p = xasprintf("%s/lua/platforms", dir);
	struct stat	 st;
	int		 ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return (ok);
}

/*
 * $FIREDRILL_DATADIR wins; then the installed data; then, for a binary
 * run from its build tree, the source tree beside or above it.
 */
const char *
cli_datadir(void)
{
	static char	 found[PATH_MAX];
	const char	*d = getenv("FIREDRILL_DATADIR");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;
	int		 up;

	if (d != NULL && *d != '\0')
		return (d);
	if (has_data(PKGDATADIR))
		return (PKGDATADIR);
	if (found[0] != '\0')
		return (found);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (up = 0; up < 2; up++) {
			if ((slash = strrchr(exe, '/')) == NULL)
				break;
			*slash = '\0';
			if (has_data(exe)) {
				strlcpy_fd(found, exe, sizeof found);
				return (found);
			}
		}
	}
	return (PKGDATADIR);
}

void
cli_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("firedrill: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_score(const struct session *s, struct score *sc)
{
	struct score_input	in;

	in.tl = &s->g.tl;
	in.t0_ms = s->g.ph.t0;
	in.sev_scale = s->g.inc.sev_scale;
	score_compute(&in, sc);
}

char *
cli_score_json(const struct session *s, const struct score *sc)
{
	static const char *names[] = { "detect", "triage", "mitigate", "fix" };
	struct buf	b;
	int		p;

	buf_init(&b);
	buf_printf(&b, "{\"version\":%d,\"total\":%d,\"grade\":\"%s\","
	    "\"phases\":{", SCORE_VERSION, sc->total, sc->grade);
	for (p = 0; p < 4; p++) {
		buf_printf(&b, "%s\"%s\":{\"points\":%d,\"max\":%d,"
		    "\"target_ms\":%ld,\"ms\":", p ? "," : "", names[p],
		    sc->phase_pts[p], sc->phase_max[p],
		    game_phase_target_ms(&s->g, p));
		if (sc->phase_ms[p] < 0)
			buf_puts(&b, "null");
		else
			buf_printf(&b, "%ld", sc->phase_ms[p]);
		buf_putc(&b, '}');
	}
	buf_printf(&b, "},\"penalties\":{\"harmful_actions\":%d,"
	    "\"error_budget\":%d,\"hints\":%d,\"wrong_diagnoses\":%d},"
	    "\"bonus\":%d,\"harmful_count\":%d,\"budget_burned_pct\":",
	    sc->harm_penalty, sc->budget_penalty, sc->hint_penalty,
	    sc->diag_penalty, sc->bonus, sc->harmful_count);
	buf_json_num(&b, sc->budget_burned_pct);
	buf_putc(&b, '}');
	return (buf_steal(&b));
}

int
cli_record(const struct session *s, const struct score *sc,
    const char *db_path, const char *mode, const char *player)
{
	struct store		*st;
	struct store_session	 ss;
	struct store_result	 sr;
	struct store_event	*ev;
	char			*path = NULL, *cause = NULL, *json, hash[24];
	int64_t			 id;
	int			 i, rc = -1, create = db_path == NULL;

	if (db_path == NULL && (path = store_default_path(&cause)) == NULL)
		goto out;
	if ((st = store_open(db_path != NULL ? db_path : path, create,
	    &cause)) == NULL)
		goto out;
	memset(&ss, 0, sizeof ss);
	ss.player = player;
	ss.incident = s->g.inc.id;
	ss.seed = s->g.seed;
	ss.engine_version = ENGINE_VERSION;
	ss.api_version = FD_API_VERSION;
	ss.mode = mode;
	ss.started_at = (int64_t)time(NULL);
	if (store_session_begin(st, &ss, &id, &cause) != 0)
		goto close;
	ev = xcalloc(s->g.tl.n > 0 ? s->g.tl.n : 1, sizeof *ev);
	for (i = 0; i < s->g.tl.n; i++) {
		ev[i].t_ms = s->g.tl.v[i].t_ms;
		ev[i].kind = ev_kind_name(s->g.tl.v[i].kind);
		ev[i].actor = s->g.tl.v[i].actor;
		ev[i].text = s->g.tl.v[i].text;
	}
	i = store_events_add(st, id, ev, s->g.tl.n, &cause);
	free(ev);
	if (i != 0)
		goto close;
	memset(&sr, 0, sizeof sr);
	sr.outcome = s->g.over ? s->g.outcome : "timeout";
	sr.ended_at = (int64_t)time(NULL);
	sr.sim_ms = game_now_ms(&s->g);
	for (i = 0; i < 4; i++)
		sr.phase_ms[i] = sc->phase_ms[i];
	sr.score_total = sc->total;
	sr.grade = sc->grade;
	sr.score_version = SCORE_VERSION;
	json = cli_score_json(s, sc);
	sr.score_json = json;
	sr.budget_burned_pct = s->g.w.budget_burned_pct;
	snprintf(hash, sizeof hash, "%016llx",
	    (unsigned long long)game_state_hash(&s->g));
	sr.state_hash = hash;
	i = store_session_end(st, id, &sr, &cause);
	free(json);
	if (i == 0)
		rc = 0;
close:
	store_close(st);
out:
	if (rc != 0) {
		cli_error("session not recorded: %s", cause != NULL ? cause :
		    "unknown error");
		free(cause);
	}
	free(path);
	return (rc);
}
