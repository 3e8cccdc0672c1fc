/*
 * Replay: a recorded session rebuilt from its incident, its seed and the
 * commands on its timeline, each at its sim time and by its actor, and
 * checked against the state hashes recorded once a sim second.  It reads
 * a stored session but never opens the store, and never draws.
 */
#ifndef FD_REPLAY_H
#define FD_REPLAY_H

#include "session/session.h"
#include "store/store.h"

/*
 * Open the stored session's incident (its recorded source; the incident
 * id under datadir when that file is gone or no longer loads) with its
 * seed, and queue its commands with t_ms < until_ms (-1: all).  -1 with
 * cause when neither loads.
 */
int	replay_open(struct session *, const char *datadir,
	    const struct stored_session *, long until_ms, char **cause);

/*
 * Tick the opened replay to at_ms, then make it a session of its own
 * branched from ss there (replay_branch).  -1 with cause when the game
 * was over by then.
 */
int	replay_branch_at(struct session *, const struct stored_session *,
	    long at_ms, char **cause);
/*
 * From now on a new session: what is left of the recording is dropped,
 * and it is recorded with its parent and the time it branched.
 */
void	replay_branch(struct session *, int64_t parent_id);

/* Where a replay first differed from its recording. */
struct replay_check {
	long		 t_ms;		/* sim time of the difference */
	const char	*what;		/* "state hash", "final state hash",
					   "outcome" */
	char		 got[32], want[32];
	size_t		 checked;	/* checkpoints compared */
};

/*
 * Tick the opened replay to the recorded sim time, comparing each
 * checkpoint as it passes, then the outcome and the final state hash.
 * 0 when everything matches; -1 at the first difference, told in *rc.
 */
int	replay_verify(struct session *, const struct stored_session *,
	    struct replay_check *rc);

/*
 * After a tick: -1 when the sim time is a checkpoint the recording has
 * and the state differs from it, else 0.  *checked counts comparisons.
 */
int	replay_checkpoint(const struct session *, const struct stored_session *,
	    struct replay_check *rc);

#endif
