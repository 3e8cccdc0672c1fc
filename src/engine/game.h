/*
 * A game: one incident played on one world from one seed.  It owns the
 * model, metrics, alerts, logs, timeline and phase tracking, and advances
 * them in fixed 100 ms ticks with game_step().  It never reads the wall
 * clock, does no I/O and knows no Lua: the script layer plugs in through
 * struct game_hooks.
 */
#ifndef FD_GAME_H
#define FD_GAME_H

#include <stdint.h>

#include "engine/alert.h"
#include "engine/metric.h"
#include "engine/rng.h"
#include "engine/simlog.h"
#include "engine/timeline.h"
#include "engine/world.h"

#define ENGINE_VERSION	"0.1.0"

enum phase {
	PH_DETECT,
	PH_TRIAGE,
	PH_MITIGATE,
	PH_FIX,
	PH_COUNT
};

enum check {
	CHECK_MITIGATED,	/* a "works" action is in effect */
	CHECK_FIXED,		/* the permanent condition holds */
	CHECK_PROBE_PASSED,	/* custom probe verdict; -1 = use the SLOs */
};

struct game;

struct game_hooks {
	void	*ctx;
	/* Start of every tick: due script events, on_tick. */
	void	(*tick_cb)(void *ctx, struct game *);
	/* 1 true, 0 false, -1 undefined. */
	int	(*check_cb)(void *ctx, struct game *, enum check);
	/* Probe: start (1) re-injects the trigger, stop (0) restores. */
	void	(*probe_cb)(void *ctx, struct game *, int start);
	void	(*flag_cb)(void *ctx, struct game *, int flag);
	void	(*patch_cb)(void *ctx, struct game *, int patch);
};

struct slo {
	char		*expr;
	struct selector	 sel;
	int		*ids;
	int		 nids;
	char		 op;
	double		 value;
};

struct log_rule {
	struct slo	 cond;		/* when; nids == 0 means always */
	int		 always;
	char		 src[NAME_MAX_FD];
	char		 level[8];
	char		*line;
	int		 every_s;
	long		 last_s;
};

struct harm_rule {
	char		*match;		/* glob on the canonical command */
	enum harm	 cls;
	char		*why;
	int		 security;	/* turns off a safety mechanism */
};

/* A list of strings (globs, names, items). */
struct strv {
	char		**v;
	int		  n;
};

/* Post-mortem root-cause phrasings (catalog D.4), by kind. */
enum pm_rc {
	PM_RC_SYSTEMIC,
	PM_RC_SYMPTOM,
	PM_RC_WRONG,
	PM_RC_BLAME,
	PM_RC__COUNT
};

/* The answer card's parts (Symptom -> Root Cause -> Solution -> Prevention). */
enum card_part {
	CARD_SYMPTOM,
	CARD_ROOT_CAUSE,
	CARD_SOLUTION,
	CARD_PREVENTION,
	CARD__COUNT
};

/* An incident's own bonus (D.3): a command that comes before the others. */
struct bonus_rule {
	char		*why;
	int		 points;
	struct strv	 match;		/* the move that earns it */
	struct strv	 before;	/* ...if it comes before any of these */
};

struct pm_monitor {
	char		*text;
	struct strv	 match;		/* globs of the enabling command */
};

/*
 * What the debrief, the post-mortem form and the interview signals need
 * to know of an incident (its `postmortem`, `signals` and `expert`).
 */
struct debrief_def {
	struct strv	 prevention;
	char		*rc[PM_RC__COUNT];
	struct strv	 distractors;
	struct pm_monitor *monitors;	int nmonitors;
	char		*card[CARD__COUNT];
	char		*bad_param;	/* world parameter counting bad records */
	char		*bad_what;
	struct strv	 components;	/* evidence on the root-cause component */
	struct strv	 scope;		/* declare --scope that fits */
	struct strv	 fix_work;
	struct strv	 recent_change;	/* n == 0: no recent change implicated */
	struct strv	 isolating;
	struct strv	 global;
	struct strv	 remediate;
	struct strv	 other_team;
	char		*expert;	/* the expert transcript's text */
	struct bonus_rule *bonuses;	int nbonuses;
};

struct near_miss {
	char		*id;
	char		*why;
};

/* What C needs to know of an incident; the rest stays in its script. */
struct incident_def {
	char		*id;
	char		*section;
	char		*title;
	char		*severity;	/* P1 P2 P3 */
	char		*briefing;
	char		*clock;		/* ISO start, for display */
	int64_t		 start_epoch;
	int		 difficulty;
	double		 sev_scale;	/* P1 1, P2 2, P3 4 */
	char		**relevant;	int nrelevant;
	char		*root_cause;
	struct near_miss *near;		int nnear;
	char		**decoys;	int ndecoys;
	struct slo	*slo;		int nslo;
	int		 hold_s;
	char		**works;	int nworks;
	struct harm_rule *harm;		int nharm;
	char		*hints[3];
	char		*hint_cmds;	/* unused placeholder for tier text */
	double		 lose_budget_pct;
	int		 lose_unmitigated_s;
	int		 has_probe;
	int		 probe_after_s;
	int		 probe_duration_s;
	int		 warmup_s;
	struct debrief_def db;
};

struct phases {
	long	t0;			/* impact start, ms; -1 before */
	long	done[PH_COUNT];		/* ms since start; -1 not reached */
	long	hold_start;		/* current good window, -1 none */
	long	fix_met;		/* fix condition first held, -1 */
	int	probe;			/* 0 idle, 1 running, 2 passed */
	long	probe_at;
	int	probe_ok;
	int	wrong_diag;
	int	hint_tier;		/* highest tier taken */
	int	declared_early;
	long	first_alert;		/* ms, -1 */
	long	probe_bad;		/* last SLO breach in the probe */
};

struct game {
	struct world	 w;
	struct metrics	 m;
	struct alerts	 alerts;
	struct simlog	 log;
	struct timeline	 tl;
	struct rng	 out;		/* outcomes */
	struct rng	 cos;		/* cosmetics */
	uint64_t	 seed;
	long		 tick;		/* ticks stepped, warm-up included */
	long		 tick0;		/* tick at which the incident starts */
	struct incident_def inc;
	struct log_rule	*lrule;		int nlrule;
	struct phases	 ph;
	struct game_hooks hooks;
	int		 started;
	int		 over;
	int		 play_on;	/* keep simulating after the outcome */
	char		 outcome[16];
	long		 last_action_ms;
};

void	game_init(struct game *, uint64_t seed);
void	game_fini(struct game *);
/* Parse "selector OP value" into an SLO or condition. */
int	game_slo_parse(struct slo *, const char *expr, char **cause);
void	game_slo_free(struct slo *);
/* After the world is built: bind selectors, run the warm-up, start. */
int	game_start(struct game *, char **cause);
/* Re-resolve SLOs, log rules and alerts after series come or go. */
void	game_rebind(struct game *);
/* One 100 ms tick. */
void	game_step(struct game *);
long	game_now_ms(const struct game *);
long	game_time_of_day(const struct game *);
/* "HH:MM-HH:MM" to seconds of the day: 0, or -1 when malformed. */
int	clock_parse_window(const char *, int *lo, int *hi);
/* 1 when second-of-day sod falls in [lo, hi) (wrapping; lo == hi: all). */
int	clock_in_window(long sod, int lo, int hi);
/* Every SLO holds now (all matched series within bounds). */
int	game_slos_hold(const struct game *);
/* Record a timeline event at the current time. */
struct event *game_event(struct game *, enum ev_kind, const char *actor,
	    const char *text, const char *detail, int arg, double val);
void	game_log(struct game *, const char *src, const char *level,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The alert is in the incident's relevant set (DETECT counts it). */
int	game_alert_relevant(const struct game *, const char *id);
/* A phase reached now (idempotent). */
void	game_phase(struct game *, enum phase);
/* End the game with an outcome ("won", "lost", "timeout", "abandoned"). */
void	game_end(struct game *, const char *outcome);
/* 1 when canonical command text matches any glob of v. */
int	strv_glob(const struct strv *, const char *text);
void	strv_free(struct strv *);
void	debrief_def_free(struct debrief_def *);
/* FNV-1a over every piece of model state and the timeline. */
uint64_t game_state_hash(const struct game *);
const char *phase_name(enum phase);
/* Phase time relative to t0, or -1. */
long	game_phase_ms(const struct game *, enum phase);
/* Target for a phase in ms, scaled by severity. */
long	game_phase_target_ms(const struct game *, enum phase);

/* ---- the model (model.c) ---- */
void	model_step(struct game *);
/* ---- the cache (cache.c) ---- */
void	cache_lookup(struct game *, struct svc_class *, double rps,
	    double *ms, double *err);
void	cache_step(struct game *);
/*
 * Start building keyspace ks's Bloom filter from the ids that exist now;
 * it is filled a share each tick and usable after build_ticks.
 */
void	cache_bloom_start(struct game *, int ks, long build_ticks);
double	cache_hit_ratio(const struct keyspace *);
/* fraction of a keyspace's keys expire at sim second at_s. */
void	cache_expire_keys(struct game *, int ks, double fraction, long at_s);
void	cache_set_hot_expiry(struct game *, int hot, long at_s);
/* ---- inside the database (dbx.c) ---- */
void	dbx_step(struct game *);
int	dbx_plan_index(const struct world *, const struct dbx_query *);
double	dbx_plan_seconds(const struct world *, const struct dbx_query *,
	    double *cores);
int	dbx_table_blocked(const struct world *, int table, enum lock_mode);
/* Start backends; each returns the pid (or -1 for a short query). */
int	dbx_start_query(struct game *, int query, const char *app,
	    const char *role);
int	dbx_start_index(struct game *, int table, const char *name,
	    char cols[][32], int ncols, int concurrently);
int	dbx_start_vacuum_full(struct game *, int table);
int	dbx_job_allowed(const struct world *, const struct dbx_job *);
/* Terminate a backend: 0, or -1 when there is no such pid. */
int	dbx_kill(struct game *, int pid);
double	dbx_longest(const struct game *, int node);
/* Deadlocks (dbx.c): step, a class's caught share, per-node figures. */
void	dbx_deadlock_step(struct game *);
double	dbx_deadlock_share(const struct world *, int cls, double *abort_p);
double	dbx_deadlocks_per_min(const struct world *, int node);
double	dbx_deadlock_waiters(const struct world *, int node);
/* How long a deadlocked or lock-blocked session waits (0: unbounded). */
double	dbx_lock_hold_ms(const struct world *);
/* Delayed actions (actions.c) */
enum act_kind {
	ACT_SET,		/* path = value */
	ACT_FLAG,		/* a = flag, b = on */
	ACT_SCALE,		/* a = svc, value = instances */
	ACT_RESTART,		/* a = svc, b = rolling */
	ACT_ROLLBACK,		/* a = svc */
	ACT_DEPLOY,		/* a = svc, b = patch */
	ACT_BREAKER_PIN,	/* a = edge, b = pin */
	ACT_RESTART_DB,		/* a = db node */
};
/* Schedule an action after delay_ms; label shows in status. */
void	game_schedule(struct game *, enum act_kind, long delay_ms,
	    const char *label, const char *path, double value, int a, int b);
/* Start a deploy of version on svc (scripts and commands). */
void	model_deploy(struct game *, int svc, const char *version,
	    double rollout_s, int patch);
void	model_rollback(struct game *, int svc);
/* Delayed actions, rollouts, boots, restarts, autoscaler: one tick. */
void	lifecycle_step(struct game *);
void	model_restart(struct game *, int svc, int rolling);
void	model_scale(struct game *, int svc, double instances);
/* A database node restart: every connection drops for ~60 s. */
void	model_restart_db(struct game *, int node);

#endif
