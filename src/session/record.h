/*
 * Scoring a finished session and recording it in the store.
 */
#ifndef FD_RECORD_H
#define FD_RECORD_H

#include "score/score.h"
#include "session/session.h"

/* Score the session's timeline as it stands. */
void	 record_score(const struct session *, struct score *);
/* The score breakdown as JSON (caller's string). */
char	*record_score_json(const struct session *, const struct score *);
/*
 * Record the session at db_path (NULL: the default path, its directory
 * created) and note its row in s->db_id.  -1 with *why = "session not
 * recorded: …" (caller frees).
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
