/*
 * The platform model: gateway routes, services with request classes,
 * thread pools, DB pools and call edges, external dependencies, database
 * nodes, deploys, flags and faults.  Everything lives in arrays indexed by
 * small ids; scripts and commands name things, the model uses ids.  The
 * world is built from data (the platform and incident scripts) and stepped
 * by model.c; this header is the read-only view commands use too.
 */
#ifndef FD_WORLD_H
#define FD_WORLD_H

#include <stdint.h>

#include "engine/cache.h"
#include "engine/dbx.h"
#include "engine/disk.h"
#include "engine/metric.h"
#include "engine/pool.h"
#include "engine/prim.h"
#include "engine/repl.h"
#include "engine/tenant.h"

#define NAME_MAX_FD	48
#define CLASS_MAXCALLS	4
#define HIST_BUCKETS	80

/* A log-bucketed latency histogram (0.1 ms .. ~2.6 h). */
struct hist {
	double	b[HIST_BUCKETS];
	double	total;
	/* The values seen in each bucket: a point mass (30.0 s lock
	 * timeouts) reads back exactly, not smeared across its bucket. */
	double	mn[HIST_BUCKETS], mx[HIST_BUCKETS];
};

void	hist_clear(struct hist *);
void	hist_add(struct hist *, double ms, double mass);
void	hist_merge(struct hist *, const struct hist *);
double	hist_quantile(const struct hist *, double q);

enum db_kind {
	DBK_NONE,
	DBK_READ,
	DBK_WRITE,
};

enum callee_kind {
	CALLEE_SVC,
	CALLEE_EXT,
};

struct call {
	int	edge;
	double	p;		/* calls per request */
};

/* One kind of request a service handles (an endpoint or an RPC). */
struct svc_class {
	char		 name[NAME_MAX_FD];
	int		 svc;
	double		 cpu_ms;
	enum db_kind	 db;
	double		 db_ms;		/* time the query holds a connection */
	double		 err_pct;	/* intrinsic error rate */
	struct call	 calls[CLASS_MAXCALLS];
	int		 ncalls;
	int		 ix;		/* index within its service */
	int		 cache_ks;	/* keyspace it reads, or -1 */
	int		 cache_hot;	/* hot key it reads, or -1 */
	double		 cache_ms;	/* cache time of the last tick */
	double		 cache_err;	/* share failing on the cache */
	int		 table;		/* the table it queries, or -1 */
	int		 locked;	/* waiting behind a lock now */

	/* dynamics */
	double		 arrivals;	/* rps this tick */
	double		 est_ms;	/* latency a caller expects now */
	double		 hold_ms;	/* thread hold of the last admission */
	double		 conn_ms;	/* connection hold of the last admission */
	double		 err_p;		/* failure chance of an admitted request */
	double		 ok_win[TICKS_PER_S], err_win[TICKS_PER_S];
	double		 rej_win[TICKS_PER_S];	/* turned away at once */
	double		 err_ratio;	/* over the last second */
	double		 rej_frac;	/* share failing fast (queue full) */
	double		 slow_err;	/* failure share of the rest */
	double		 rps;		/* served+failed over the last second */
	struct hist	 h_cur, h_last;	/* this second, the last whole second */
};

struct dbpool {
	char		 name[16];	/* main, read, write */
	enum db_kind	 kind;		/* DBK_NONE serves every class */
	double		 per_instance;
	double		 acquire_timeout_ms;
	int		 node;
	struct pool	 pool;
	struct hist	 wait_cur, wait_last;
	double		 timeouts_win[TICKS_PER_S];
	int		 m_active, m_util, m_waiting, m_wait_p99, m_timeouts,
			 m_capacity, m_size;
	int		*m_capacity_c;	/* per class of the service */
};

#define SVC_MAXPOOLS	3

enum rollout_kind {
	ROLL_NONE,
	ROLL_BUILD,
	ROLL_DEPLOY,
	ROLL_ROLLBACK,
};

#define CANARY_MAXSTAGES 8

struct canary {
	int	on;
	double	stages[CANARY_MAXSTAGES];	/* fractions; <0 means 1 server */
	int	nstages;
	double	bake_s;
	double	rollback_err_pct;	/* 0: no automatic rollback */
	double	rollback_p99_x;
};

struct svc {
	char		 name[NAME_MAX_FD];
	int		 ix;
	double		 instances;	/* ready */
	double		 threads_per_instance;
	double		 cores_per_instance;
	double		 queue_timeout_ms;	/* longest wait for a thread */
	double		 queue_per_instance;	/* bounded accept queue; 0 = none */
	double		 startup_s;
	double		 boot_s;	/* new instances, when scaling */
	int		 hold_conn_across_calls;
	double		 retries_on_deadlock;	/* a victim's transaction retried */
	double		 loss_pct;	/* calls to it vanish (node down) */
	int		 first_class, nclass;
	struct pool	 threads;	/* the shared pool */
	struct dbpool	 pools[SVC_MAXPOOLS];
	int		 npools;
	struct rate_res	 cpu;
	double		 cpu_rho0;	/* load the cpu_ms figures are quoted at */

	/* versions and rollout */
	char		 version[NAME_MAX_FD];
	char		 prev_version[NAME_MAX_FD];
	char		 to_version[NAME_MAX_FD];
	double		 to_frac;	/* share of instances on to_version */
	enum rollout_kind roll;
	double		 roll_rate;	/* frac per tick */
	long		 roll_until;	/* build end / stage end */
	int		 roll_patch;
	int		 roll_stage;
	long		 roll_bad_since;
	struct canary	 canary;

	/* instance lifecycle */
	double		 booting;	/* instances starting */
	long		 boot_ready;	/* tick they become ready */
	double		 down;		/* instances restarting */
	long		 down_until;
	double		 restarts;

	/* autoscaler */
	int		 hpa_on;
	double		 hpa_min, hpa_max, hpa_target_pct;
	int		 hpa_metric;	/* 0 cpu, 1 threads */
	long		 hpa_above_since, hpa_last;
	double		 hpa_cooldown_s;

	/* last-second figures */
	double		 rps, err_ratio, p99_ms, threads_needed;
	int		 m_rps, m_err, m_p99, m_busy, m_busy_pct, m_needed,
			 m_queue, m_ready, m_restarts, m_cpu;
};

struct edge {
	char		 name[2 * NAME_MAX_FD + 2];	/* "order->payment" */
	int		 from;
	enum callee_kind to_kind;
	int		 to;		/* svc or ext id */
	int		 to_class;	/* class of the callee service */
	struct retry_policy retry;
	int		 optional;	/* the caller degrades, not fails */
	int		 async;		/* fire and forget (queued) */
	struct breaker	 br;
	double		 bulkhead;	/* threads; 0 = none */
	struct pool	 bulk;		/* when bulkhead > 0 */
	double		 fail_due[POOL_RING];	/* failures surfacing later */

	/* dynamics */
	double		 rps;		/* attempts per second */
	double		 lat_ms;	/* mean wait seen by the caller */
	double		 fail_p;	/* final failure of a call */
	double		 attempts;
	double		 att_fail_p, att_fail_ms, att_ok_ms;
	double		 retries_rps, timeouts_rps;
	int		 m_rps, m_p99, m_timeouts, m_retries, m_state, m_bulk;
};

struct ext {
	char		 name[NAME_MAX_FD];
	double		 p50_ms, p99_ms;
	double		 err_pct;
	double		 loss_pct;
	double		 rps;
	int		 m_p99, m_timeouts, m_rps;
	double		 timeouts_rps;
};

struct route {
	char		 name[2 * NAME_MAX_FD];	/* "GET /orders/history" */
	int		 cls;
	double		 rps_base;
	double		 mult;
	double		 noise;		/* this second's demand wobble */
	double		 slo_p99_ms;
	double		 validate_max;	/* ids above are refused (400) */
	double		 limit404_per_ip;	/* per-IP rate for 404s */
	double		 limit_rps;	/* global rate limit; 0 = none */
	double		 nf_base;	/* legit 404s per second */
	double		 nf_rps;	/* 404s this tick */
	double		 limited_rps;	/* shed by it this tick */
	/* dynamics */
	double		 rps, err_ratio, p99_ms, avg_ms;
	double		 ok_win[TICKS_PER_S], err_win[TICKS_PER_S];
	double		 lat_win[TICKS_PER_S];	/* admitted mass * ms */
	double		 adm_win[TICKS_PER_S];
	struct hist	 h_cur, h_last;
	int		 m_rps, m_err, m_p99, m_avg, m_good, m_404;
};

struct dbnode {
	char		 name[NAME_MAX_FD];
	double		 max_connections;
	double		 reserved;
	double		 other_connections;
	double		 vcpu;
	double		 other_cpu_pct;
	struct rate_res	 cpu;
	double		 conns_demand, conns_used, refused_frac;
	long		 down_until;	/* restarting: refuses everyone */
	double		 rho0;		/* CPU load the query times are quoted at */
	double		 qps, qps_last;
	double		 cache_cpu_ms;	/* loads from caches, per second */
	double		 backend_cores;	/* long queries and maintenance */
	int		 m_longest, m_active, m_lockwait;
	struct disk	 disk;
	int		 m_deadlocks;
	double		 cache_cpu_last;
	int		 m_used, m_demand, m_cpu, m_qps, m_refused;
};

struct flag {
	char		 name[NAME_MAX_FD];
	char		 svc[NAME_MAX_FD];
	int		 on;
	char		*desc;
};

/* A cause inside a version (and, optionally, behind a flag). */
struct fault {
	int		 svc;
	int		 cls;		/* -1: every class */
	char		 version[NAME_MAX_FD];	/* "" = any version */
	char		 flag[NAME_MAX_FD];	/* "" = no flag needed */
	double		 err_pct;
	double		 lat_ms;
};

struct patch {
	char		 name[NAME_MAX_FD];
	int		 svc;
	char		 version[NAME_MAX_FD];
	double		 build_s;
	double		 rollout_s;
	char		*desc;
	int		 shipped;
};

struct gauge {
	int		 metric;
	double		 value;
};

struct change {
	long		 t_ms;
	char		*who;
	char		*target;
	char		*text;
};

enum ramp_shape {
	RAMP_LINEAR,
	RAMP_STEP,
};

struct ramp {
	char		*path;
	double		 from, to;
	long		 start, ticks;
	int		 done;
};

struct action {
	long		 due;
	long		 started;
	char		*label;		/* shown while in progress */
	char		*path;		/* parameter to set, or NULL */
	double		 value;
	int		 kind;		/* ACT_* in world.c */
	int		 a, b;
	char		*str;
};

struct world {
	struct svc	*svc;	int nsvc;
	struct svc_class *cls;	int ncls;
	struct edge	*edge;	int nedge;
	struct ext	*ext;	int next;
	struct route	*route;	int nroute;
	struct dbnode	*db;	int ndb;
	struct flag	*flag;	int nflag;
	struct fault	*fault;	int nfault;
	struct patch	*patch;	int npatch;
	struct gauge	*gauge;	int ngauge;
	struct change	*change; int nchange;
	struct ramp	*ramp;	int nramp;
	struct action	*act;	int nact;

	int		*order;		/* services, callers first */

	/* gateway */
	double		 gw_inflight_max;
	double		 gw_timeout_ms;
	struct pool	 gw;
	double		 gw_rejected_rps;
	int		 m_gw_inflight, m_gw_rejected, m_gw_p99_worst;

	/* SLIs and budget */
	double		 budget_total_s;	/* 43.2 min = 2592 s */
	double		 budget_burned_pct;
	double		 impact_min;
	double		 failed_requests;	/* errors and rejections, all told */
	double		 bad_fraction;		/* this tick */
	int		 m_budget, m_impact, m_budget_total, m_bad;

	double		 noise_pct;		/* route demand wobble */
	struct cache	 cache;
	struct dbx	 dbx;
	struct repl	 repl;
	struct tenants	 tenant;	/* pgbouncer pools sharing nodes */
	int		 finalized;
};

/* The engine context a model step needs besides the world. */
struct game;

/* ---- building (from scripts) ---- */
void	 world_init(struct world *);
void	 world_fini(struct world *);
int	 world_find_svc(const struct world *, const char *);
int	 world_find_class(const struct world *, const char *svc,
	    const char *cls);
int	 world_find_edge(const struct world *, const char *);
int	 world_find_ext(const struct world *, const char *);
int	 world_find_route(const struct world *, const char *);
int	 world_find_db(const struct world *, const char *);
int	 world_find_flag(const struct world *, const char *);
int	 world_flag_on(const struct world *, const char *);
int	 world_find_patch(const struct world *, const char *);

int	 world_add_svc(struct world *, const char *name, char **cause);
int	 world_add_class(struct world *, int svc, const char *name,
	    char **cause);
int	 world_add_pool(struct world *, int svc, const char *name,
	    enum db_kind, double per_instance, double acquire_timeout_ms,
	    int node, char **cause);
int	 world_add_ext(struct world *, const char *name, char **cause);
/* to is "svc" (with to_class) or an external's name. */
int	 world_add_edge(struct world *, int from, const char *to,
	    const char *to_class, char **cause);
int	 world_add_call(struct world *, int cls, int edge, double p,
	    char **cause);
int	 world_add_route(struct world *, const char *name, int cls,
	    double rps, char **cause);
int	 world_add_db(struct world *, const char *name, char **cause);
int	 world_add_flag(struct world *, const char *name, const char *svc,
	    int on, const char *desc, char **cause);
int	 world_add_fault(struct world *, const struct fault *, char **cause);
int	 world_add_patch(struct world *, const char *name, int svc,
	    const char *version, double build_s, const char *desc,
	    char **cause);
int	 world_add_gauge(struct world *, struct metrics *, const char *name,
	    const char *lkey, const char *lval, double value);
void	 world_add_change(struct world *, long t_ms, const char *who,
	    const char *target, const char *text);
int	 world_add_shards(struct world *, int n, double capacity,
	    double base_ops, char **cause);
int	 world_add_keyspace(struct world *, const char *pattern, char **cause);
int	 world_find_keyspace(const struct world *, const char *pattern);
int	 world_add_hotkey(struct world *, const char *key, int ks, int shard,
	    char **cause);
int	 world_find_hotkey(const struct world *, const char *key);
/* A family the model can publish (externals' and gauges' aside). */
int	 world_metric_family(const char *name);
/* Check the graph, order services and register every metric. */
int	 world_finalize(struct world *, struct metrics *, char **cause);

/* ---- parameters by path: "svc.order.instances", "edge.a->b.timeout_ms" ---- */
int	 world_get(const struct world *, const char *path, double *,
	    char **cause);
int	 world_set(struct world *, const char *path, double, char **cause);
/* Text value for string parameters (versions, strategy). */
int	 world_get_str(const struct world *, const char *path, char *out,
	    size_t len, char **cause);
void	 world_ramp(struct world *, const char *path, double from,
	    double to, long start_tick, long ticks);

/* ---- weights used by the model and views ---- */
/* Share of a service's instances on a version. */
double	 svc_version_share(const struct svc *, const char *version);
/* Thread pool a class runs in: the shared one or an edge's bulkhead. */
struct pool *svc_class_threads(struct world *, const struct svc_class *,
	    int *bulk_edge);
struct dbpool *svc_class_pool(struct svc *, const struct svc_class *);
double	 dbpool_size(const struct world *, const struct svc *,
	    const struct dbpool *);

#endif
