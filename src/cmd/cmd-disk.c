/*
 * The database volume's commands: show db disk, run disk expand|clean,
 * set db.wal_archive, set db.autovacuum.scale_factor and enable
 * disk-autoexpand.  They work on any world; a node without a declared
 * volume says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

/* The node named, or the first with a volume; -1 after an error. */
static int
disk_node(struct cmd_ctx *c, const char *name)
{
	struct world	*w = &c->g->w;
	int		 i;

	if (name != NULL) {
		if ((i = world_find_db(w, name)) == -1)
			return (cmd_error(c, "no database node '%.40s'", name));
		if (!w->db[i].disk.on)
			return (cmd_error(c, "%s: no volume figures in this"
			    " world", name));
		return (i);
	}
	for (i = 0; i < w->ndb; i++)
		if (w->db[i].disk.on)
			return (i);
	return (cmd_error(c, "no database volume in this world"));
}

static void
show_disk_one(struct cmd_ctx *c, int node)
{
	struct world	*w = &c->g->w;
	struct disk	*d = &w->db[node].disk;
	int		 i;

	/* Narrow enough for the console's output panel (62 columns). */
	buf_printf(c->out, "%s  %.0f of %.0f GB (%.1f%%), %.0f GB free, %+.1f"
	    " GB/h\n", w->db[node].name, disk_used_gb(d), d->size_gb,
	    disk_used_pct(d), disk_free_gb(d), fmax(0, d->growth_gb_h));
	if (d->full)
		buf_puts(c->out, "  FULL: data-file writes fail, reads work\n");
	for (i = 0; i < DISK__COUNT; i++)
		buf_printf(c->out, "  %-12s %8.0f GB  %5.1f%%\n",
		    disk_cat_name(i), d->gb[i], d->size_gb > 0 ? 100 *
		    d->gb[i] / d->size_gb : 0);
	if (d->archive_s3)
		buf_printf(c->out, "  WAL archive: object storage, local"
		    " copies %.0f h\n", d->retain_local_s / 3600);
	else
		buf_puts(c->out, "  WAL archive: local directory, never"
		    " rotated\n");
	buf_printf(c->out, "  last base backup %.1f d ago, %.0f GB archived"
	    " since\n", d->backup_age_s / 86400, d->recent_archive_gb);
	if (d->expand_at > 0)
		buf_printf(c->out, "  resizing to %.0f GB\n", d->expand_to_gb);
	if (d->autoexpand_at_pct > 0)
		buf_printf(c->out, "  auto-expand at %.0f%%\n",
		    d->autoexpand_at_pct);
	if (d->iops_limit > 0)
		buf_printf(c->out, "  write IOPS %.0f of %.0f (%.0f%%), p99 %.1f"
		    " ms\n", d->write_iops, d->iops_limit, 100 *
		    d->write_iops / d->iops_limit, d->write_p99_ms);
	buf_printf(c->out, "  %-14s %8s %12s %12s\n", "TABLE", "SIZE GB",
	    "DEAD TUPLES", "AUTOVAC AT");
	for (i = 0; i < w->dbx.ntable; i++) {
		struct dbx_table *t = &w->dbx.table[i];

		if (t->node != node)
			continue;
		buf_printf(c->out, "  %-14.14s %8.0f %12.0f %12.0f%s\n",
		    t->name, t->size_gb, t->dead, disk_autovacuum_threshold(
		    t->rows, w->dbx.autovacuum_scale_factor), t->autovacuum ?
		    " vacuum" : "");
	}
	buf_printf(c->out, "  autovacuum at 50 + %.2f x rows dead\n",
	    w->dbx.autovacuum_scale_factor);
}

int
cmd_show_disk(struct cmd_ctx *c, int argc, char **argv)
{
	int	node;

	if (argc > 4)
		return (cmd_error(c, "usage: show db disk [NODE]"));
	if ((node = disk_node(c, argc == 4 ? argv[3] : NULL)) == -1)
		return (-1);
	show_disk_one(c, node);
	return (0);
}

/* "3000GB", "3000", "3TB" */
static int
parse_size_gb(const char *s, double *gb)
{
	char	*end;
	double	 v = strtod(s, &end);

	if (end == s || v <= 0 || !isfinite(v))
		return (-1);
	if (*end == '\0' || strcasecmp(end, "GB") == 0 ||
	    strcasecmp(end, "G") == 0)
		*gb = v;
	else if (strcasecmp(end, "TB") == 0 || strcasecmp(end, "T") == 0)
		*gb = v * 1000;
	else
		return (-1);
	return (0);
}

/* run disk expand NODE SIZE | run disk clean NODE CAT [--older DUR |
 * --before-last-basebackup] */
int
cmd_run_disk(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	struct disk	*d;
	int		 node, cat;
	double		 gb, keep_s = -1, freed;
	char		*cause = NULL;
	long		 ms;

	if (argc < 4 || (strcmp(argv[2], "expand") != 0 &&
	    strcmp(argv[2], "clean") != 0))
		return (cmd_error(c, "usage: run disk expand NODE SIZE | run"
		    " disk clean NODE wal-archive|logs [--older DUR |"
		    " --before-last-basebackup]"));
	if ((node = disk_node(c, argv[3])) == -1)
		return (-1);
	d = &w->db[node].disk;
	if (strcmp(argv[2], "expand") == 0) {
		if (argc != 5 || parse_size_gb(argv[4], &gb) != 0)
			return (cmd_error(c, "usage: run disk expand NODE SIZE"
			    " (e.g. 3000GB)"));
		if (disk_expand(c->g, node, gb, &cause) != 0) {
			cmd_error(c, "%s", cause);
			free(cause);
			return (-1);
		}
		buf_printf(c->out, "%s: volume %.0f GB -> %.0f GB, effective in"
		    " about 60 s; the next modification is possible in 6 h\n",
		    argv[3], d->size_gb, gb);
		cmd_changed(c, argv[3], c->canonical);
		return (0);
	}
	if (argc < 5 || (cat = disk_cat_find(argv[4])) == -1 ||
	    cat == DISK_TABLES || cat == DISK_INDEXES)
		return (cmd_error(c, "usage: run disk clean NODE wal-archive|"
		    "logs [--older DUR | --before-last-basebackup]"));
	if (cat == DISK_WAL) {
		/* pg_wal is not an archive: asked twice, whatever the age. */
		if (argc != 6 || strcmp(argv[5], "--force") != 0)
			return (cmd_error(c, "pg_wal holds the live write-ahead"
			    " log, not archived copies: deleting it PANICs the"
			    " server (add --force if you mean it)"));
	} else if (argc == 7 && strcmp(argv[5], "--older") == 0) {
		if (duration_parse(argv[6], &ms) != 0)
			return (cmd_error(c, "--older takes a duration, e.g."
			    " 7d"));
		keep_s = ms / 1000.0;
	} else if (argc == 6 && strcmp(argv[5], "--before-last-basebackup") ==
	    0) {
		if (cat != DISK_ARCHIVE)
			return (cmd_error(c, "--before-last-basebackup applies"
			    " to wal-archive"));
	} else
		return (cmd_error(c, "say what to keep: --older DUR or"
		    " --before-last-basebackup"));
	if (d->clean_at > 0)
		return (cmd_error(c, "%s: a clean is already running",
		    argv[3]));
	freed = disk_clean_estimate(d, cat, keep_s);
	d->clean_gb[cat] = freed;
	d->clean_at = c->g->tick + 30L * TICKS_PER_S;
	if (cat == DISK_WAL)
		buf_printf(c->out, "rm -rf %s/pg_wal/*: %.0f GB of live"
		    " write-ahead log, in 30 s\n", argv[3], freed);
	else
		buf_printf(c->out, "%s: deleting %.0f GB of %s, in about"
		    " 30 s\n", argv[3], freed, disk_cat_name(cat));
	if (cat == DISK_ARCHIVE && keep_s >= 0 && keep_s < d->backup_age_s &&
	    !d->archive_s3) {
		/* The archive since the last base backup is what a
		 * point-in-time restore replays: now there is none. */
		game_event(c->g, EV_INFO, "db", "PITR chain broken: WAL"
		    " archived since the last base backup deleted", NULL, 0,
		    0);
		buf_puts(c->out, "warning: that includes WAL archived since"
		    " the last base backup\n");
	}
	cmd_changed(c, argv[3], c->canonical);
	return (0);
}

/* set db.wal_archive s3|local [retain_local=DUR],
 * set db.autovacuum.scale_factor X, set db.fsync on|off */
int
cmd_set_disk(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 path[128];
	long		 ms = 24L * 3600 * 1000;
	int		 i, s3;
	double		 v;
	char		*end;

	if (strcmp(argv[1], "db.fsync") == 0) {
		if (argc != 3 || (strcmp(argv[2], "on") != 0 &&
		    strcmp(argv[2], "off") != 0))
			return (cmd_error(c, "usage: set db.fsync on|off"));
		for (i = 0; i < w->ndb; i++) {
			snprintf(path, sizeof path, "db.%s.disk.fsync_off",
			    w->db[i].name);
			game_schedule(c->g, ACT_SET, 5000, c->canonical, path,
			    strcmp(argv[2], "off") == 0, 0, 0);
		}
		buf_printf(c->out, "fsync = %s (5 s)%s\n", argv[2],
		    strcmp(argv[2], "off") == 0 ? ": a crash can now corrupt"
		    " the cluster" : "");
		cmd_changed(c, "db", c->canonical);
		return (0);
	}
	if (strcmp(argv[1], "db.autovacuum.scale_factor") == 0) {
		if (argc != 3 || (v = strtod(argv[2], &end), *end != '\0') ||
		    v <= 0 || v > 1)
			return (cmd_error(c, "usage: set"
			    " db.autovacuum.scale_factor X (0 < X <= 1)"));
		game_schedule(c->g, ACT_SET, 5000, c->canonical,
		    "world.autovacuum_scale_factor", v, 0, 0);
		buf_printf(c->out, "autovacuum_vacuum_scale_factor → %g (5 s)\n",
		    v);
		cmd_changed(c, "db", c->canonical);
		return (0);
	}
	if (argc < 3 || argc > 4 || (strcmp(argv[2], "s3") != 0 &&
	    strcmp(argv[2], "local") != 0) || (argc == 4 &&
	    (strncmp(argv[3], "retain_local=", 13) != 0 ||
	    duration_parse(argv[3] + 13, &ms) != 0)))
		return (cmd_error(c, "usage: set db.wal_archive s3|local"
		    " [retain_local=DUR]"));
	s3 = strcmp(argv[2], "s3") == 0;
	for (i = 0; i < w->ndb; i++) {
		if (!w->db[i].disk.on)
			continue;
		snprintf(path, sizeof path, "db.%s.disk.archive_s3",
		    w->db[i].name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path, s3, 0,
		    0);
		snprintf(path, sizeof path, "db.%s.disk.retain_local_s",
		    w->db[i].name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path,
		    ms / 1000.0, 0, 0);
	}
	if (s3)
		buf_printf(c->out, "archive_command → object storage; local"
		    " copies older than %s deleted (5 s)\n", argc == 4 ?
		    argv[3] + 13 : "24h");
	else
		buf_puts(c->out, "archive_command → local directory (5 s)\n");
	cmd_changed(c, "db", c->canonical);
	return (0);
}

/* enable|disable disk-autoexpand NODE [at=P%] */
int
cmd_enable_disk(struct cmd_ctx *c, int on, int argc, char **argv)
{
	char	 path[128];
	double	 at = 80;
	char	*end;
	int	 node;

	if (strcmp(argv[1], "disk-autoexpand") != 0)
		return (-2);
	if ((node = disk_node(c, argv[2])) == -1)
		return (-1);
	if (on && argc == 4) {
		if (strncmp(argv[3], "at=", 3) != 0 ||
		    (at = strtod(argv[3] + 3, &end), end == argv[3] + 3) ||
		    (*end != '\0' && strcmp(end, "%") != 0) || at < 10 ||
		    at > 99)
			return (cmd_error(c, "usage: enable disk-autoexpand"
			    " NODE [at=P%%]"));
	} else if (argc != 3)
		return (cmd_error(c, "usage: %s disk-autoexpand NODE%s",
		    argv[0], on ? " [at=P%]" : ""));
	snprintf(path, sizeof path, "db.%s.disk.autoexpand_at_pct",
	    c->g->w.db[node].name);
	game_schedule(c->g, ACT_SET, 10000, c->canonical, path, on ? at : 0,
	    0, 0);
	if (on)
		buf_printf(c->out, "%s: the volume grows by half when %.0f%%"
		    " full (6 h between resizes), live in 10 s\n", argv[2], at);
	else
		buf_printf(c->out, "%s: auto-expand off\n", argv[2]);
	cmd_changed(c, argv[2], c->canonical);
	return (0);
}
