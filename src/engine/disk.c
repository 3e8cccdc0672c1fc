/*
 * Database volumes: used += (table growth + bloat + WAL archived locally +
 * logs - cleanup) dt.  A full volume fails data-file writes (model.c reads
 * disk.full) and stalls writers; reads keep working (handbook §1.5).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "engine/world.h"
#include "util/xmalloc.h"

#define VACUUM_ROWS_S	500000.0	/* an autovacuum worker's pace */

static const char *const cat_names[DISK__COUNT] = {
	"tables", "indexes", "pg_wal", "wal-archive", "logs"
};

const char *
disk_cat_name(enum disk_cat c)
{
	return (cat_names[c]);
}

int
disk_cat_find(const char *name)
{
	int	i;

	for (i = 0; i < DISK__COUNT; i++)
		if (strcmp(cat_names[i], name) == 0)
			return (i);
	if (strcmp(name, "pg-wal") == 0 || strcmp(name, "wal") == 0)
		return (DISK_WAL);
	return (-1);
}

double
disk_used_gb(const struct disk *d)
{
	double	u = 0;
	int	i;

	for (i = 0; i < DISK__COUNT; i++)
		u += d->gb[i];
	return (u);
}

double
disk_free_gb(const struct disk *d)
{
	return (fmax(0, d->size_gb - disk_used_gb(d)));
}

double
disk_used_pct(const struct disk *d)
{
	return (d->size_gb > 0 ? 100 * fmin(1, disk_used_gb(d) /
	    d->size_gb) : 0);
}

double
disk_autovacuum_threshold(double rows, double scale_factor)
{
	return (50 + scale_factor * rows);
}

double
disk_clean_estimate(const struct disk *d, enum disk_cat c, double keep_s)
{
	double	keep;

	switch (c) {
	case DISK_ARCHIVE:
		/* Archived WAL is kept by age: the burst since the last
		 * base backup is the newest. */
		if (keep_s < 0)
			keep = d->recent_archive_gb;
		else
			keep = fmin(d->recent_archive_gb, d->recent_archive_gb *
			    keep_s / fmax(1, d->backup_age_s)) +
			    (keep_s > d->backup_age_s ? d->wal_gb_h *
			    (keep_s - d->backup_age_s) / 3600 : 0);
		break;
	case DISK_LOGS:
		keep = keep_s < 0 ? d->gb[c] : d->log_gb_h * keep_s / 3600;
		break;
	case DISK_WAL:
		keep = 0;	/* everything: the PANIC the catalog warns of */
		break;
	default:
		return (0);
	}
	return (fmax(0, d->gb[c] - keep));
}

int
disk_expand(struct game *g, int node, double to_gb, char **cause)
{
	struct disk	*d = &g->w.db[node].disk;

	if (d->expand_at > 0) {
		*cause = xasprintf("%s: a resize is already in progress",
		    g->w.db[node].name);
		return (-1);
	}
	if (g->tick < d->resize_ok_at) {
		*cause = xasprintf("%s: the volume was modified %.0f min ago;"
		    " the next change is possible in %.1f h (6 h cooldown)",
		    g->w.db[node].name, (g->tick - (d->resize_ok_at -
		    d->cooldown_s * TICKS_PER_S)) / (60.0 * TICKS_PER_S),
		    (d->resize_ok_at - g->tick) / (3600.0 * TICKS_PER_S));
		return (-1);
	}
	if (to_gb <= d->size_gb) {
		*cause = xasprintf("%s: volumes only grow (now %.0f GB)",
		    g->w.db[node].name, d->size_gb);
		return (-1);
	}
	d->expand_to_gb = to_gb;
	d->expand_at = g->tick + 60L * TICKS_PER_S;
	d->resize_ok_at = g->tick + (long)(d->cooldown_s * TICKS_PER_S);
	return (0);
}

/* Writers: each updated row leaves a dead tuple and, where vacuum has
 * freed no room, new heap; its WAL is archived. */
static void
step_writers(struct game *g)
{
	struct world	*w = &g->w;
	int		 i;

	for (i = 0; i < w->dbx.njob; i++) {
		struct dbx_job		*j = &w->dbx.job[i];
		struct dbx_table	*t;
		struct disk		*d;
		double			 rows, bloat, batch0;

		if (j->query >= 0 || g->tick < j->start ||
		    j->rows_done >= j->rows_total || !dbx_job_allowed(w, j))
			continue;
		t = &w->dbx.table[j->table];
		d = &w->db[t->node].disk;
		if (w->db[t->node].down_until > g->tick)
			continue;
		if (d->on && d->full) {
			if (g->tick % (5 * TICKS_PER_S) == 0)
				game_log(g, j->app, "ERROR", "batch %.0f failed:"
				    " could not extend file: No space left on"
				    " device", floor(j->rows_done / 1e5) + 1);
			continue;
		}
		rows = fmin(j->rows_per_s * TICK_S, j->rows_total -
		    j->rows_done);
		batch0 = floor(j->rows_done / 1e5);
		j->rows_done += rows;
		t->dead += rows;
		if (rows > 0 && t->row_gb == 0)
			t->row_gb = j->bloat_gb_min / 60 / j->rows_per_s;
		bloat = j->bloat_gb_min / 60 * TICK_S * rows /
		    (j->rows_per_s * TICK_S);
		if (t->reusable_gb >= bloat)
			t->reusable_gb -= bloat;
		else {
			bloat -= t->reusable_gb;
			t->reusable_gb = 0;
			t->size_gb += bloat;
			d->gb[DISK_TABLES] += bloat;
		}
		d->pend_wal_gb += j->wal_gb_min / 60 * TICK_S;
		if (floor(j->rows_done / 1e5) > batch0)
			game_log(g, j->app, "INFO", "batch %.0f/%.0f UPDATE"
			    " 100000 rows", floor(j->rows_done / 1e5),
			    ceil(j->rows_total / 1e5));
		if (j->rows_done >= j->rows_total)
			game_log(g, j->app, "INFO", "done: %.0f rows updated",
			    j->rows_done);
	}
}

/* Autovacuum: past the threshold a worker turns dead tuples into space
 * the table reuses. */
static void
step_vacuum(struct game *g)
{
	struct world	*w = &g->w;
	int		 i;

	for (i = 0; i < w->dbx.ntable; i++) {
		struct dbx_table	*t = &w->dbx.table[i];
		double			 n;

		if (!t->autovacuum && t->dead > disk_autovacuum_threshold(
		    t->rows, w->dbx.autovacuum_scale_factor)) {
			t->autovacuum = 1;
			game_log(g, w->db[t->node].name, "LOG", "automatic"
			    " vacuum of table \"%s\": %.0f dead tuples",
			    t->name, t->dead);
		}
		if (!t->autovacuum)
			continue;
		n = fmin(t->dead, VACUUM_ROWS_S * TICK_S);
		t->dead -= n;
		t->reusable_gb += n * t->row_gb;
		if (t->dead <= 0)
			t->autovacuum = 0;
	}
}

static void
step_volume(struct game *g, struct dbnode *n)
{
	struct disk	*d = &n->disk;
	double		 wal, used;
	int		 c;

	if (d->expand_at > 0 && g->tick >= d->expand_at) {
		game_log(g, n->name, "LOG", "volume resized: %.0f GB -> %.0f"
		    " GB", d->size_gb, d->expand_to_gb);
		d->size_gb = d->expand_to_gb;
		d->expand_at = 0;
	}
	if (d->clean_at > 0 && g->tick >= d->clean_at) {
		for (c = 0; c < DISK__COUNT; c++) {
			d->gb[c] = fmax(0, d->gb[c] - d->clean_gb[c]);
			d->clean_gb[c] = 0;
		}
		d->recent_archive_gb = fmin(d->recent_archive_gb,
		    d->gb[DISK_ARCHIVE]);
		d->clean_at = 0;
		if (d->gb[DISK_WAL] <= 0 && !d->panicked) {
			/* Without pg_wal there is no checkpoint to start
			 * from: the primary is gone until a restore. */
			d->panicked = 1;
			n->down_until = LONG_MAX / 2;
			game_log(g, n->name, "PANIC", "could not locate a valid"
			    " checkpoint record");
		}
	}
	d->backup_age_s += TICK_S;
	wal = d->pend_wal_gb + d->wal_gb_h / 3600 * TICK_S;
	d->pend_wal_gb = 0;
	if (!d->full && !d->panicked) {
		d->gb[DISK_TABLES] += d->table_gb_h / 3600 * TICK_S;
		d->gb[DISK_LOGS] += d->log_gb_h / 3600 * TICK_S;
		/* The archiver copies WAL out of pg_wal: to the local
		 * archive directory, or away to object storage. */
		d->recent_archive_gb += wal;
		if (!d->archive_s3)
			d->gb[DISK_ARCHIVE] += wal;
		else	/* shipped; what is older than retain_local goes */
			d->gb[DISK_ARCHIVE] = fmin(d->gb[DISK_ARCHIVE] + wal,
			    d->wal_gb_h * d->retain_local_s / 3600);
	} else if (d->full && g->tick % (10 * TICKS_PER_S) == 0)
		game_log(g, n->name, "LOG", "archive command failed with"
		    " exit code 1");
	used = disk_used_gb(d);
	if (used >= d->size_gb) {
		/* Nothing more fits: the last write that tried failed. */
		d->gb[DISK_TABLES] -= used - d->size_gb;
		if (!d->full)
			game_log(g, n->name, "ERROR", "could not extend file"
			    " \"base/16384/16423.412\": No space left on"
			    " device");
		d->full = 1;
	} else if (used < d->size_gb - 0.5)
		d->full = 0;
	if (d->autoexpand_at_pct > 0 && disk_used_pct(d) >=
	    d->autoexpand_at_pct && d->expand_at == 0 &&
	    g->tick >= d->resize_ok_at) {
		char *cause = NULL;

		if (disk_expand(g, (int)(n - g->w.db), ceil(d->size_gb * 1.5),
		    &cause) == 0)
			game_log(g, n->name, "LOG", "auto-expand at %.0f%%:"
			    " resizing to %.0f GB", disk_used_pct(d),
			    d->expand_to_gb);
		free(cause);
	}
	/* Growth per hour, smoothed over about a minute. */
	d->growth_gb_h += ((used - d->used_prev) * 3600 * TICKS_PER_S -
	    d->growth_gb_h) / (60.0 * TICKS_PER_S);
	d->used_prev = disk_used_gb(d);
}

double
disk_write_iops(double rows_per_s, int nidx, double batch, int fsync_off)
{
	double	pages = rows_per_s * (1 + nidx), commits;

	if (batch < 1)
		batch = 1;
	commits = rows_per_s / batch;
	if (batch > 1)
		pages *= 0.5;
	/* Without fsync the OS coalesces: commits flush nothing. */
	return (pages + (fsync_off ? 0 : commits));
}

double
disk_write_factor(const struct disk *d)
{
	if (!d->on || d->iops_limit <= 0)
		return (1);
	return (fmin(50, fmax(1, (1 - d->io_rho0) / (1 - d->io_rho))));
}

/* Write IOPS per volume, and what they do to write latency. */
static void
step_iops(struct game *g)
{
	struct world	*w = &g->w;
	int		 i;

	for (i = 0; i < w->ndb; i++)
		w->db[i].disk.write_iops = 0;
	for (i = 0; i < w->dbx.nws; i++) {
		const struct write_stream	*s = &w->dbx.ws[i];
		const struct dbx_table		*t = &w->dbx.table[s->table];
		struct disk			*d = &w->db[t->node].disk;

		d->write_iops += disk_write_iops(s->rows_per_s, t->nidx,
		    world_flag_on(w, s->batch_flag) ? s->batch_rows : 1, d->fsync_off);
	}
	for (i = 0; i < w->ndb; i++) {
		struct disk *d = &w->db[i].disk;

		if (!d->on || d->iops_limit <= 0)
			continue;
		d->io_rho = fmin(0.99, d->write_iops / d->iops_limit);
		/* Quoted figures hold at the load the world starts at. */
		if (!g->started)
			d->io_rho0 = fmin(0.95, d->io_rho);
		d->write_p99_ms = d->io_base_ms / (1 - d->io_rho);
		/* M/M/1: the mean number of flushes waiting their turn. */
		d->wal_queue = d->io_rho * d->io_rho / (1 - d->io_rho);
	}
}

void
disk_step(struct game *g)
{
	int	i;

	step_writers(g);
	step_vacuum(g);
	step_iops(g);
	for (i = 0; i < g->w.ndb; i++)
		if (g->w.db[i].disk.on)
			step_volume(g, &g->w.db[i]);
}

void
disk_register(struct world *w, struct metrics *m)
{
	int	i;

	for (i = 0; i < w->ndb; i++) {
		struct dbnode	*n = &w->db[i];
		struct disk	*d = &n->disk;

		if (!d->on)
			continue;
		d->m_used = metrics_add(m, "db_disk_used_pct", "node", n->name,
		    (char *)NULL);
		d->m_free = metrics_add(m, "db_disk_free_gb", "node", n->name,
		    (char *)NULL);
		d->m_growth = metrics_add(m, "db_disk_growth_gb_per_h", "node",
		    n->name, (char *)NULL);
		d->m_archive = metrics_add(m, "db_wal_archive_gb", "node",
		    n->name, (char *)NULL);
		if (d->iops_limit <= 0)
			continue;
		d->m_iops = metrics_add(m, "db_write_iops", "node", n->name,
		    (char *)NULL);
		d->m_iops_util = metrics_add(m, "db_iops_util_pct", "node",
		    n->name, (char *)NULL);
		d->m_wlat = metrics_add(m, "db_write_latency_p99_ms", "node",
		    n->name, (char *)NULL);
		d->m_walq = metrics_add(m, "db_wal_write_queue", "node",
		    n->name, (char *)NULL);
	}
	for (i = 0; i < w->dbx.ntable; i++)
		if (w->db[w->dbx.table[i].node].disk.on)
			w->dbx.table[i].m_dead = metrics_add(m,
			    "db_dead_tuples", "table", w->dbx.table[i].name,
			    (char *)NULL);
}

void
disk_publish(struct game *g)
{
	struct world	*w = &g->w;
	int		 i;

	for (i = 0; i < w->ndb; i++) {
		struct disk *d = &w->db[i].disk;

		if (!d->on)
			continue;
		metrics_set(&g->m, d->m_used, disk_used_pct(d));
		metrics_set(&g->m, d->m_free, disk_free_gb(d));
		metrics_set(&g->m, d->m_growth, fmax(0, d->growth_gb_h));
		metrics_set(&g->m, d->m_archive, d->gb[DISK_ARCHIVE]);
		if (d->iops_limit <= 0)
			continue;
		metrics_set(&g->m, d->m_iops, d->write_iops);
		metrics_set(&g->m, d->m_iops_util, 100 * d->write_iops /
		    d->iops_limit);
		metrics_set(&g->m, d->m_wlat, d->write_p99_ms);
		metrics_set(&g->m, d->m_walq, d->wal_queue);
	}
	for (i = 0; i < w->dbx.ntable; i++)
		if (w->db[w->dbx.table[i].node].disk.on)
			metrics_set(&g->m, w->dbx.table[i].m_dead,
			    w->dbx.table[i].dead);
}
