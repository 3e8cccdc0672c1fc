/*
 * A session: a game, its incident script and the queue of timed commands,
 * driven by the one game loop.  The headless runner, the tests and (next)
 * the console all advance a session; wall time never enters here — the
 * caller says how far to go.
 */
#ifndef FD_SESSION_H
#define FD_SESSION_H

#include <stdint.h>

#include "engine/game.h"
#include "script/incident.h"
#include "util/buf.h"

struct timed_cmd {
	long	 t_ms;
	char	*line;
	char	*where;		/* "file:line" for messages */
	char	*actor;		/* NULL: the session's actor */
};

struct cmd_result {
	long	 t_ms;
	char	*line;
	char	*where;
	int	 ok;
	char	*output;
};

struct session {
	struct game		 g;
	struct script		*sc;
	char			*path;
	struct timed_cmd	*q;
	int			 nq, qpos;
	struct cmd_result	*res;
	int			 nres;
	const char		*actor;
	uint64_t		*hashes;	/* state hash every SESSION_CHECK_MS */
	size_t			 nhashes;
	int64_t			 parent_id;	/* branched from; 0 none */
	long			 branch_ms;
	int64_t			 db_id;		/* its row once recorded; 0 */
	struct pm_answers	 pm;		/* the post-mortem form's answers */
};

/* How long a session runs headless when nothing ends it: 4 h of sim time. */
#define SESSION_RUN_CAP_MS	(4L * 3600 * 1000)

/* Replay checkpoints: the state hash once a second of sim time. */
#define SESSION_CHECK_MS	1000

/* Load the incident (an id or a path) and warm the world up. */
int	session_open(struct session *, const char *datadir,
	    const char *incident, uint64_t seed, char **cause);
void	session_close(struct session *);
/* Queue a command at sim time t_ms (kept in time order). */
void	session_queue(struct session *, long t_ms, const char *line,
	    const char *where);
/* The same, run as actor (a replay keeps who did what). */
void	session_queue_as(struct session *, long t_ms, const char *line,
	    const char *where, const char *actor);
/* Forget the commands not yet run (a replay turned live). */
void	session_drop_queue(struct session *);
/*
 * Parse a commands file's text ("1:30 ack ALRT-POOL", '#' comments).
 * name is used in messages.  -1 with cause "name:LINE: message".
 */
int	session_queue_text(struct session *, const char *name,
	    const char *text, char **cause);
/* Run one command now (the console path); output into out. */
int	session_command(struct session *, const char *line, struct buf *out);
/*
 * Run the queued commands due now, without stepping: what the end of a
 * recording needs when its last command ended the game between ticks.
 */
void	session_run_due(struct session *);
/*
 * The incident's own expert path on seed, run to its end (or the cap):
 * what the debrief sets beside the player's.  -1 with cause when the
 * incident does not load or has no expert path.
 */
int	session_expert(struct session *, const char *datadir,
	    const char *incident, uint64_t seed, char **cause);
/* Advance one tick, delivering due commands first. */
void	session_tick(struct session *);
long	session_now_ms(const struct session *);

#endif
