/*
 * Scoring a session and recording it in the store as it is played:
 * the session row when it starts, its events and checkpoints in batches,
 * its end and score in one last transaction.  A session that cannot be
 * recorded is never dropped: it is saved as JSON (record_export) in a
 * fallback place that the message names, for `firedrill import`.
 */
#ifndef FD_RECORD_H
#define FD_RECORD_H

#include <stdint.h>

#include "score/score.h"
#include "session/session.h"

struct store;

/* A recording in progress; zero it, then record_begin. */
struct recording {
	struct store	*st;
	char		*db;		/* the path given, or NULL: default */
	char		*mode;
	char		*player;
	char		 uid[40];
	int64_t		 started_at;
	int64_t		 id;		/* the session row; 0 none yet */
	int		 nev;		/* events written */
	size_t		 nhash;		/* checkpoints written */
	long		 last_sim, last_wall;
	int		 busy;		/* batches put off by a lock in a row */
	long		 retry_at;	/* not before this wall time (ms) */
	int		 failed;	/* no more batches: written whole */
	char		*cause;		/* why it is not recorded */
	char		*saved;		/* the JSON it was saved to */
};

/* Score the session's timeline as it stands. */
void	 record_score(const struct session *, struct score *);
/* The score breakdown as JSON (caller's string). */
char	*record_score_json(const struct session *, const struct score *);

/*
 * Start recording s at db_path (NULL: the default path, its directory
 * created): the session row now.  A failure is kept for record_end; the
 * game goes on.
 */
void	 record_begin(struct recording *, struct session *,
	    const char *db_path, const char *mode, const char *player);
/* Ready to record the session whole at its end (nothing opened yet). */
void	 record_init(struct recording *, const char *db_path,
	    const char *mode, const char *player);
/* After a tick: write a batch when enough has happened. */
void	 record_tick(struct recording *, struct session *);
/*
 * The end: the rest of the events, the outcome and the score, in one
 * transaction (or the whole session in one when batches failed).  0 when
 * recorded (s->db_id set).  -1 with *why = "session not recorded: CAUSE;
 * saved to FILE (load it with: firedrill import FILE)" when it was saved
 * as JSON instead (rec->saved), or "...; not saved: ..." when even that
 * failed.  Caller frees *why.
 */
int	 record_end(struct recording *, struct session *, const struct score *,
	    char **why);
/* Try the end again, at db_path (NULL: the same place). */
int	 record_retry(struct recording *, struct session *,
	    const struct score *, const char *db_path, char **why);
/* Save the session as JSON at path (NULL: the fallback places). */
int	 record_save_json(struct recording *, struct session *,
	    const struct score *, const char *path, char **cause);
void	 record_fini(struct recording *);

/* The session, whole, in the export format: a caller's string. */
char	*record_export(const struct recording *, const struct session *,
	    const struct score *);

/*
 * A session recorded whole at its end (replay branches): record_begin,
 * record_end and record_fini in one.
 */
int	 record_session(struct session *, const struct score *,
	    const char *db_path, const char *mode, const char *player,
	    char **why);

/*
 * Save the post-mortem answers (s->pm) and the score they give to the
 * session already recorded as s->db_id, at db_path (NULL: the default).
 * -1 with *why = "post-mortem not saved: …" (caller frees).
 */
int	 record_postmortem(const struct session *, const struct score *,
	    const char *db_path, char **why);

#endif
