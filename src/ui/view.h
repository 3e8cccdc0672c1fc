/*
 * The read-only view the console draws: everything a screen shows,
 * copied out of a session once per frame.  Panels draw from a view, never
 * from the game, so the same screens can draw a remote game later.
 */
#ifndef FD_VIEW_H
#define FD_VIEW_H

#include "session/session.h"

#define VIEW_MAX_SVC	32
#define VIEW_MAX_ALERT	32
#define VIEW_MAX_LOG	64
#define VIEW_MAX_GRAPH	4
#define VIEW_HIST	600	/* seconds of graph history */
#define VIEW_MAX_MARK	32

enum health {
	H_OK,
	H_WARN,
	H_CRIT,
	H_IDLE,
};

struct view_svc {
	char		name[48];
	double		rps, p99_ms, err_pct, sat_pct;
	int		breaker;	/* worst breaker on its outgoing edges */
	int		pools;		/* with db pools: util of the fullest */
	double		pool_pct, pool_active, pool_size, pool_waiting;
	char		pool_name[16];
	char		version[32];
	double		ready, instances;
	enum health	health;
	int		external;	/* an external dependency row */
};

struct view_alert {
	char		id[48];
	char		summary[128];
	char		severity[8];
	int		firing, acked, resolved;
	long		age_ms;
	long		fired_at;
};

struct view_log {
	long		t_ms;
	char		src[24];
	char		level[8];
	char		text[240];
};

struct view_mark {
	long		t_s;
	char		label[24];
	int		alert;		/* 1 alert fired, 0 player action */
};

struct view_graph {
	char		title[96];
	char		unit[8];	/* "%", "ms" */
	double		now;
	double		v[VIEW_HIST];	/* oldest first; NaN = no data */
	int		n;
};

struct view_phase {
	const char	*name;
	long		t_ms;		/* from t0; -1 */
	long		target_ms;
	long		running_ms;	/* since t0, when not done; -1 */
};

/*
 * A past best to pace against (play --ghost): when it reached each phase,
 * from t0 as the live phases count.  Loaded once; not part of the game.
 */
struct view_ghost {
	int		 on;
	long		 mark_ms[4];	/* detect triage mitigate fix; -1 never */
	int		 total;
	char		 grade[2];
};

struct view {
	char		incident[64];
	char		title[128];
	char		section[16];
	char		clock[16];	/* wall-clock style, from the start */
	char		date[32];
	long		now_ms;
	int		over;
	char		outcome[16];
	struct view_phase phase[4];
	int		score;
	char		grade[2];
	double		budget_pct;
	int		nfiring, nacked;
	struct view_svc	 svc[VIEW_MAX_SVC];
	int		nsvc;
	struct view_alert alert[VIEW_MAX_ALERT];
	int		nalert;
	struct view_log	 log[VIEW_MAX_LOG];
	int		nlog;
	struct view_graph graph[VIEW_MAX_GRAPH];
	int		ngraph;
	struct view_mark mark[VIEW_MAX_MARK];
	int		nmark;
	char		progress[128];	/* an action in flight, or "" */
	int		new_page;	/* a page fired since the last view */
	long		last_page_event;
};

/*
 * Fill v from the session.  pinned lists up to VIEW_MAX_GRAPH - 2 metric
 * names the player pinned with `graph`; log_filter and log_src narrow the
 * log tail (NULL: all).  seen is the index of the last timeline event the
 * caller has seen, for new-page detection; it is updated.
 */
void	view_build(struct view *, const struct session *,
	    const char *const *pinned, int npinned, const char *log_src,
	    const char *log_filter, int *seen);

#endif
