/*
 * Scoring a session and recording it in the store: shared by the headless
 * runner and the console.  Recording is best effort by design: a locked
 * or read-only database costs one line of cause and the result stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script/incident.h"
#include "session/record.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xmalloc.h"

void
record_score(const struct session *s, struct score *sc)
{
	struct score_input	in = { 0 };

	in.tl = &s->g.tl;
	in.t0_ms = s->g.ph.t0;
	in.sev_scale = s->g.inc.sev_scale;
	in.db = &s->g.inc.db;
	in.pm = &s->pm;
	score_compute(&in, sc);
}

char *
record_score_json(const struct session *s, const struct score *sc)
{
	struct buf	b;

	buf_init(&b);
	score_json(sc, s->g.inc.sev_scale, &b);
	return (buf_steal(&b));
}

/* The score row's fields; *json and hash are the caller's to keep. */
static void
fill_result(const struct session *s, const struct score *sc,
    struct store_result *sr, char *hash, size_t hashlen, char **json)
{
	int	i;

	memset(sr, 0, sizeof *sr);
	sr->outcome = s->g.over ? s->g.outcome : "timeout";
	sr->ended_at = (int64_t)time(NULL);
	sr->sim_ms = game_now_ms(&s->g);
	for (i = 0; i < 4; i++)
		sr->phase_ms[i] = sc->phase_ms[i];
	sr->score_total = sc->total;
	sr->grade = sc->grade;
	sr->score_version = SCORE_VERSION;
	*json = record_score_json(s, sc);
	sr->score_json = *json;
	sr->budget_burned_pct = s->g.w.budget_burned_pct;
	snprintf(hash, hashlen, "%016llx",
	    (unsigned long long)game_state_hash(&s->g));
	sr->state_hash = hash;
	sr->every_ms = SESSION_CHECK_MS;
	sr->hashes = s->hashes;
	sr->nhashes = s->nhashes;
}

/* db_path, or the default path with its directory made on the way. */
static struct store *
open_store(const char *db_path, char **cause)
{
	struct store	*st;
	char		*path = NULL;

	if (db_path == NULL && (path = store_default_path(cause)) == NULL)
		return (NULL);
	st = store_open(db_path != NULL ? db_path : path, db_path == NULL,
	    cause);
	free(path);
	return (st);
}

int
record_session(struct session *s, const struct score *sc,
    const char *db_path, const char *mode, const char *player,
    char **why)
{
	struct store		*st;
	struct store_session	 ss;
	struct store_result	 sr;
	struct store_event	*ev;
	char			*cause = NULL, *json, hash[24];
	int64_t			 id;
	int			 i, rc = -1;

	if ((st = open_store(db_path, &cause)) == NULL)
		goto out;
	memset(&ss, 0, sizeof ss);
	ss.player = player;
	ss.incident = s->g.inc.id;
	ss.seed = s->g.seed;
	ss.engine_version = ENGINE_VERSION;
	ss.api_version = FD_API_VERSION;
	ss.mode = mode;
	ss.started_at = (int64_t)time(NULL);
	ss.source = s->path;
	ss.parent_id = s->parent_id;
	ss.branch_ms = s->parent_id > 0 ? s->branch_ms : -1;
	if (store_session_begin(st, &ss, &id, &cause) != 0)
		goto close;
	ev = xcalloc(s->g.tl.n > 0 ? s->g.tl.n : 1, sizeof *ev);
	for (i = 0; i < s->g.tl.n; i++) {
		ev[i].t_ms = s->g.tl.v[i].t_ms;
		ev[i].kind = ev_kind_name(s->g.tl.v[i].kind);
		ev[i].actor = s->g.tl.v[i].actor;
		ev[i].text = s->g.tl.v[i].text;
		ev[i].arg = s->g.tl.v[i].arg;
		ev[i].val = s->g.tl.v[i].val;
		ev[i].detail = s->g.tl.v[i].detail;
		ev[i].result = s->g.tl.v[i].result;
	}
	i = store_events_add(st, id, ev, s->g.tl.n, &cause);
	free(ev);
	if (i != 0)
		goto close;
	fill_result(s, sc, &sr, hash, sizeof hash, &json);
	i = store_session_end(st, id, &sr, &cause);
	free(json);
	if (i == 0) {
		rc = 0;
		s->db_id = id;
	}
close:
	store_close(st);
out:
	if (rc != 0)
		*why = xasprintf("session not recorded: %s", cause != NULL ?
		    cause : "unknown error");
	free(cause);
	return (rc);
}

int
record_postmortem(const struct session *s, const struct score *sc,
    const char *db_path, char **why)
{
	struct store		*st;
	struct store_result	 sr;
	char			*cause = NULL, *json = NULL;
	char			 hash[24];
	int			 rc = -1;

	if (s->db_id <= 0) {
		*why = xstrdup("post-mortem not saved: the session was not"
		    " recorded");
		return (-1);
	}
	if ((st = open_store(db_path, &cause)) == NULL)
		goto out;
	fill_result(s, sc, &sr, hash, sizeof hash, &json);
	if (store_postmortem_put(st, s->db_id, &s->pm, &sr, &cause) == 0)
		rc = 0;
	free(json);
	store_close(st);
out:
	if (rc != 0)
		*why = xasprintf("post-mortem not saved: %s", cause != NULL ?
		    cause : "unknown error");
	free(cause);
	return (rc);
}
