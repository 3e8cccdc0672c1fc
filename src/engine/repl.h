/*
 * Streaming replication (catalog A.2.6): a primary's WAL stream, replicas
 * that replay it at a bounded rate, bulk jobs that write WAL in bursts,
 * services that route reads to replicas (or to the primary: read target,
 * sticky reads, causal reads), and client flows that read right after
 * they write.  A read-after-write GET on a replica finds nothing when the
 * replica's lag exceeds the client's gap: that is the stale-read 404.
 * Data comes from Lua; no C knows a node, job or route by name.
 */
#ifndef FD_REPL_H
#define FD_REPL_H

#define REPL_NAME	48
#define REPL_MAXNODES	8
#define REPL_LAG_FLOOR_S 0.02	/* network and apply latency at rest */
#define REPL_CAUSAL_WAIT_S 2.0	/* a causal read waits at most this */
#define REPL_SYNC_ACK_MS 1.5	/* a synchronous commit's standby ack */

struct repl_replica {
	int	 node;		/* db id */
	double	 lag_mb;	/* WAL sent but not replayed */
	double	 replay_mb_s;
	double	 lag_s;
	int	 m_lag;
};

/* A bulk job writing WAL in bursts (a batch at full speed, then a pause). */
struct repl_writer {
	char	 name[REPL_NAME];
	double	 mb_s;		/* WAL rate while a batch writes */
	double	 on_s, off_s;	/* one batch, one pause, at full rate */
	double	 first_on_s;	/* the first, larger batch */
	double	 rate;		/* 1 = full speed; 0.25 = a quarter */
	long	 start;		/* tick the job starts */
	int	 enabled;
	double	 cur_mb_s;	/* this tick */
};

/* A service's read routing. */
struct repl_svc {
	int	 svc;
	int	 replicas;	/* reads go to the replicas (else primary) */
	double	 sticky_s;	/* reads within s of a write go to primary */
	int	 causal;	/* replica waits for the session's LSN */
	double	 moved_qps;	/* reads sent to the replicas, last tick */
};

/* A client flow: a GET on this route follows a write after a gap. */
struct repl_raw {
	int	 route;
	int	 svc;		/* repl_svc index */
	double	 gap_lo_s, gap_hi_s;
	double	 stale_frac;	/* this tick */
	double	 win[10];	/* per-tick fractions, the last second */
	double	 stale_total;	/* 404s so far (the ledger) */
	int	 m_pct;
};

struct repl {
	int			 primary;	/* db id, -1 = none */
	double			 base_wal_mb_s;
	double			 wal_mb_s;	/* this tick */
	struct repl_replica	 rep[REPL_MAXNODES];
	int			 nrep;
	struct repl_writer	*wr;	int nwr;
	struct repl_svc		*sv;	int nsv;
	struct repl_raw		*raw;	int nraw;
	int			 sync;		/* commits wait for a replica */
	char			 sync_tables[96];
	double			 lost_writes;	/* by failover (the ledger) */
	int			 m_wal;
};

/* ---- pure arithmetic (unit-tested) ---- */
/* lag_bytes += (wal - replay)·dt, floored at 0 (MB). */
double	repl_lag_advance(double lag_mb, double wal_mb_s, double replay_mb_s,
	    double dt_s);
/* lag_s = lag/replay + 0.02. */
double	repl_lag_seconds(double lag_mb, double replay_mb_s);
/* P(lag > gap) for gap ~ U(lo, hi). */
double	repl_p_stale(double lag_s, double gap_lo_s, double gap_hi_s);
/* Share of a writer's time spent writing at a rate: on·rate per cycle. */
int	repl_writer_on(const struct repl_writer *, double elapsed_s);

struct world;
struct metrics;
struct game;
struct svc_class;
int	repl_table_synced(const struct world *, int table);
double	repl_commit_wait_ms(const struct world *, const struct svc_class *);
void	repl_fini(struct repl *);
int	repl_find_replica(const struct repl *, int node);
int	repl_svc_get(struct repl *, int svc);	/* index, added on demand */
int	repl_find_writer(const struct repl *, const char *name);
void	repl_register(struct world *, struct metrics *);
void	repl_step(struct game *);
/* Parameter paths below "repl." (see repl.c); -2 when not ours. */
int	repl_param(struct world *, const char *path, double *get,
	    const double *set, char **cause);
/* Promote a replica: lost writes counted; returns the count or -1. */
double	repl_failover(struct game *, int replica_node, char **cause);

#endif
