/*
 * The debrief: a post-mortem the player could hand in, written from the
 * session's timeline, its score, the post-mortem answers and the
 * incident's debrief data, beside the expert path's run on the same seed.
 * Pure functions of their inputs: no store, no terminal.
 */
#ifndef FD_DEBRIEF_H
#define FD_DEBRIEF_H

#include <stdint.h>

#include "engine/game.h"
#include "score/score.h"

struct buf;

/* A per-second series (the user-facing error rate) for the chart. */
struct rate_series {
	double	*v;		/* v[i]: value at second i of sim time */
	int	 n;
};

struct debrief_in {
	const struct incident_def *inc;		/* id, title, severity, db */
	const struct timeline	*tl;		/* the player's session */
	const struct timeline	*expert;	/* the expert path, or NULL */
	const struct pm_answers	*pm;
	const struct score	*sc;		/* scored from tl and pm */
	const struct rate_series *err;		/* error rate %, or NULL */
	int64_t			 session_id;	/* 0: not recorded */
	const char		*player;
	const char		*outcome;
	uint64_t		 seed;
	long			 sim_ms;
	int			 score_version;	/* the version it was graded by */
	int			 stored_total;	/* its total then; -1 = sc's */
	const char		*stored_grade;
};

/* The whole debrief as Markdown. */
void	debrief_markdown(const struct debrief_in *, struct buf *);
/* The same content as one JSON object. */
void	debrief_json(const struct debrief_in *, struct buf *);
/* "Symptom -> Root cause -> Solution -> Prevention", built from the run. */
void	debrief_card(const struct debrief_in *, struct buf *);

#endif
