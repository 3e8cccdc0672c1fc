/*
 * A database node's volume (catalog A.2.6): space used by category, what
 * makes each grow (table writes and their bloat, WAL archived locally or
 * shipped away, server logs), autovacuum turning dead tuples into reusable
 * space, and the operator's levers (expand with its cooldown, cleaning a
 * category).  When the volume is full, data-file writes fail and reads
 * still work.
 */
#ifndef FD_DISK_H
#define FD_DISK_H

enum disk_cat {
	DISK_TABLES,
	DISK_INDEXES,
	DISK_WAL,		/* pg_wal: recycled, never cleaned by hand */
	DISK_ARCHIVE,		/* archived WAL kept on the local volume */
	DISK_LOGS,
	DISK__COUNT
};

struct disk {
	int	 on;		/* declared by w:disk */
	double	 size_gb;
	double	 gb[DISK__COUNT];
	/* Steady growth, GB per hour. */
	double	 wal_gb_h;	/* WAL written, archived on */
	double	 table_gb_h;
	double	 log_gb_h;
	/* WAL archiving: local unless shipped to object storage. */
	int	 archive_s3;
	double	 retain_local_s;	/* with s3: how much stays local */
	double	 backup_age_s;		/* since the last base backup */
	double	 recent_archive_gb;	/* archived since that backup */
	/* Operations. */
	long	 expand_at;		/* tick the resize lands, 0 = none */
	double	 expand_to_gb;
	long	 resize_ok_at;		/* the cooldown ends */
	double	 cooldown_s;
	double	 autoexpand_at_pct;	/* 0 = off */
	long	 clean_at;		/* tick a clean lands, 0 = none */
	double	 clean_gb[DISK__COUNT];
	int	 full, panicked;
	double	 pend_wal_gb;	/* this tick's WAL from writers */
	/* Derived each tick. */
	double	 growth_gb_h, used_prev;
	int	 m_used, m_free, m_growth, m_archive;
	/* Write IOPS against the volume's limit (gp3: 16,000): every row
	 * writes its heap page and one page per index, every commit
	 * flushes WAL (catalog A.2.6 IOPS write model). */
	double	 iops_limit;		/* 0 = not modelled */
	double	 io_base_ms;		/* write latency at an idle volume */
	int	 fsync_off;
	double	 write_iops, io_rho, io_rho0, write_p99_ms, wal_queue;
	int	 m_iops, m_iops_util, m_wlat, m_walq;
};

/* A steady stream of writes into a table: INSERTs of rows_per_s rows,
 * autocommit or batched while a flag is on. */
struct write_stream {
	char	 name[64];	/* "INSERT INTO events" */
	int	 table;
	double	 rows_per_s;
	double	 batch_rows;	/* rows per statement when batched */
	char	 batch_flag[48];	/* "" = never batched */
	int	 m_rows;
};

struct game;
struct world;
struct metrics;

const char	*disk_cat_name(enum disk_cat);
int		 disk_cat_find(const char *);
double		 disk_used_gb(const struct disk *);
double		 disk_free_gb(const struct disk *);
double		 disk_used_pct(const struct disk *);
/* Autovacuum starts on a table past 50 + scale_factor x rows dead. */
double		 disk_autovacuum_threshold(double rows, double scale_factor);
/* What a clean of CAT keeping the newest KEEP_S seconds would free;
 * keep_s < 0 keeps what the last base backup still needs. */
double		 disk_clean_estimate(const struct disk *, enum disk_cat,
		    double keep_s);
/* Start a resize; -1 with *cause while cooling down. */
int		 disk_expand(struct game *, int node, double to_gb,
		    char **cause);
/* IOPS of rows/s into a table with nidx indexes, batch rows per
 * statement (1 = autocommit): rows x (1 + nidx) x page factor + commits;
 * batching halves page writes (adjacent rows share pages). */
double		 disk_write_iops(double rows_per_s, int nidx, double batch,
		    int fsync_off);
/* How much slower writes are than at the load they were quoted at. */
double		 disk_write_factor(const struct disk *);
void		 disk_step(struct game *);
void		 disk_register(struct world *, struct metrics *);
void		 disk_publish(struct game *);

#endif
