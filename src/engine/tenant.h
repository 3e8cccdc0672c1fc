/*
 * Tenants sharing a database node (catalog A.2.6): each team reaches the
 * node through its own pgbouncer pool {name, pool_size, target_node}.  A
 * tenant with a batch job (an ETL) adds CPU and IOPS to the node it
 * targets while a run is on; the load grows with the connections the pool
 * lets it hold, so a per-pool limit really caps it, and moving the target
 * really moves it.  Our own queries then slow by the node's P1 factor
 * (1 - rho0) / (1 - rho) in the model.  Runs come from Lua (seeded);
 * paging the owning team pauses the job after a delay, a time window
 * keeps it to its hours.  No C knows a tenant by name.
 */
#ifndef FD_TENANT_H
#define FD_TENANT_H

#define TENANT_NAME	48

struct tenant_run {
	long	 start, end;	/* ticks */
	double	 cpu_pct;	/* of the node, at the full connection count */
};

struct tenant {
	char		 name[TENANT_NAME];
	char		 team[TENANT_NAME];	/* who answers a page */
	char		 job[TENANT_NAME];	/* "" = no batch job */
	char		 app[TENANT_NAME];	/* application_name */
	char		 role[TENANT_NAME];	/* usename */
	int		 ours;		/* the platform itself: the rest */
	int		 node, home;	/* target node, and the declared one */
	double		 pool_size;	/* pgbouncer per-pool limit */
	double		 conns;		/* connections a run wants */
	double		 cpu_pct;	/* a run's default, at conns */
	double		 iops;		/* a run's, at conns */
	double		 page_delay_s;
	struct tenant_run *run;
	int		 nrun;
	int		 job_enabled;
	long		 pause_at;	/* tick the page takes effect, 0 */
	int		 paused, paged;
	int		 win_lo, win_hi;	/* seconds of day; equal = any */
	int		 isolated;	/* moved to a dedicated instance */
	long		 killed_at;	/* tick someone else killed the job */
	/* Derived each tick. */
	int		 running, cur;
	double		 active, load_cpu_pct, load_iops;
	double		 ours_cpu_pct;
	int		 m_cpu;
};

struct tenants {
	struct tenant	*v;
	int		 n;
};

struct game;
struct world;
struct metrics;

/* Connections a pool lets a tenant hold. */
double	tenant_active(double want, double pool_size);
/* Its share of a node's CPU: proportional to the connections held. */
double	tenant_load(double full, double want, double pool_size);
/* The P1 slowdown at rho against the load figures were quoted at. */
double	tenant_p1_factor(double rho0, double rho);

int	tenant_find(const struct tenants *, const char *name);
int	tenant_find_job(const struct tenants *, const char *job);
/* A run starting at tick start for dur_s seconds; cpu_pct <= 0 takes the
 * tenant's default. */
void	tenant_add_run(struct tenant *, long start, double dur_s,
	    double cpu_pct);
/* Page TEAM: its tenants pause their jobs after their delay.  Returns how
 * many tenants that team owns. */
int	tenant_page(struct game *, const char *team);
/* CPU ms per second the tenants put on node. */
double	tenant_node_cpu_ms(const struct world *, int node);
double	tenant_node_iops(const struct world *, int node);
void	tenant_step(struct game *);
void	tenant_register(struct world *, struct metrics *);
void	tenant_publish(struct game *);
/* Parameter paths below "tenant." (NAME.KEY); -2 when not ours. */
int	tenant_param(struct world *, const char *path, double *get,
	    const double *set, char **cause);
void	tenant_fini(struct tenants *);

#endif
