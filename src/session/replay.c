/*
 * Rebuilding a recorded session.  The contract that makes this work: same
 * incident, seed and commands at the same ticks give the same timeline
 * and state; a command typed in the console at time t ran between ticks,
 * exactly where a command queued at t runs.  So the commands on the
 * timeline are all a replay needs, and the checkpoints say where it went
 * wrong if the engine ever breaks the contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/replay.h"
#include "util/duration.h"
#include "util/xmalloc.h"

int
replay_open(struct session *s, const char *datadir,
    const struct stored_session *ss, long until_ms, char **cause)
{
	char	*first = NULL, *where;
	int	 i;

	/*
	 * The file as it was resolved is the best guess at the script that
	 * ran; the id under today's data directory is the fallback.
	 */
	if (ss->source == NULL || session_open(s, datadir, ss->source,
	    ss->seed, &first) != 0) {
		if (session_open(s, datadir, ss->incident, ss->seed,
		    cause) != 0) {
			if (first != NULL) {
				free(*cause);
				*cause = first;
			}
			return (-1);
		}
	}
	free(first);
	for (i = 0; i < ss->tl.n; i++) {
		const struct event *e = &ss->tl.v[i];

		if (e->kind != EV_COMMAND)
			continue;
		if (until_ms >= 0 && e->t_ms >= until_ms)
			break;
		where = xasprintf("session %lld event %d", (long long)ss->id,
		    i + 1);
		session_queue_as(s, e->t_ms, e->text, where, e->actor);
		free(where);
	}
	/* The recording may have played on past its outcome (run --play-on). */
	s->g.play_on = 1;
	return (0);
}

int
replay_branch_at(struct session *s, const struct stored_session *ss,
    long at_ms, char **cause)
{
	char	t[16];

	while (session_now_ms(s) < at_ms && !s->g.over)
		session_tick(s);
	if (s->g.over) {
		duration_clock(at_ms, t, sizeof t);
		*cause = xasprintf("session %lld was already over (%s) at %s",
		    (long long)ss->id, s->g.outcome, t);
		return (-1);
	}
	replay_branch(s, ss->id);
	return (0);
}

void
replay_branch(struct session *s, int64_t parent_id)
{
	session_drop_queue(s);
	s->g.play_on = 0;
	s->parent_id = parent_id;
	s->branch_ms = session_now_ms(s);
}

static void
hex(char *buf, size_t len, uint64_t h)
{
	snprintf(buf, len, "%016llx", (unsigned long long)h);
}

int
replay_checkpoint(const struct session *s, const struct stored_session *ss,
    struct replay_check *rc)
{
	long		now = session_now_ms(s);
	size_t		k;
	uint64_t	h;

	if (ss->every_ms <= 0 || now == 0 || now % ss->every_ms != 0)
		return (0);
	k = (size_t)(now / ss->every_ms) - 1;
	if (k >= ss->nhashes)
		return (0);
	rc->checked++;
	if ((h = game_state_hash(&s->g)) == ss->hashes[k])
		return (0);
	rc->t_ms = now;
	rc->what = "state hash";
	hex(rc->got, sizeof rc->got, h);
	hex(rc->want, sizeof rc->want, ss->hashes[k]);
	return (-1);
}

int
replay_verify(struct session *s, const struct stored_session *ss,
    struct replay_check *rc)
{
	memset(rc, 0, sizeof *rc);
	while (session_now_ms(s) < ss->sim_ms) {
		session_tick(s);
		if (replay_checkpoint(s, ss, rc) != 0)
			return (-1);
	}
	/* Interrupted: no outcome or final state, the checkpoints say it. */
	if (ss->outcome != NULL && strcmp(ss->outcome, "interrupted") == 0) {
		rc->t_ms = session_now_ms(s);
		hex(rc->got, sizeof rc->got, game_state_hash(&s->g));
		return (0);
	}
	/* A command between the last tick and the end (abandon, say). */
	session_run_due(s);
	/* As the runner does: a run cut short ends in a timeout. */
	if (!s->g.over)
		game_end(&s->g, "timeout");
	rc->t_ms = session_now_ms(s);
	if (ss->outcome != NULL && strcmp(s->g.outcome, ss->outcome) != 0) {
		rc->what = "outcome";
		snprintf(rc->got, sizeof rc->got, "%s", s->g.outcome);
		snprintf(rc->want, sizeof rc->want, "%s", ss->outcome);
		return (-1);
	}
	hex(rc->got, sizeof rc->got, game_state_hash(&s->g));
	if (ss->state_hash != NULL && strcmp(rc->got, ss->state_hash) != 0) {
		rc->what = "final state hash";
		snprintf(rc->want, sizeof rc->want, "%s", ss->state_hash);
		return (-1);
	}
	return (0);
}
