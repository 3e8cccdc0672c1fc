/*
 * Unit tests for the inside of the database: the Postgres lock conflict
 * matrix, plans switching to an index that covers the filter, and the
 * volume's arithmetic (used and free, autovacuum thresholds, what a clean
 * frees, write IOPS from rows, indexes and commits).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/game.h"
#include "engine/world.h"

static void
test_lock_matrix(void **state)
{
	/* Postgres, "Conflicting Lock Modes", for the five modes we use. */
	static const int want[LK__COUNT][LK__COUNT] = {
		[LK_ACCESS_SHARE] =		{ 0, 0, 0, 0, 0, 1 },
		[LK_ROW_EXCLUSIVE] =		{ 0, 0, 0, 0, 1, 1 },
		[LK_SHARE_UPDATE_EXCLUSIVE] =	{ 0, 0, 0, 1, 1, 1 },
		[LK_SHARE] =			{ 0, 0, 1, 1, 0, 1 },
		[LK_ACCESS_EXCLUSIVE] =		{ 0, 1, 1, 1, 1, 1 },
	};
	int	a, b;

	(void)state;
	for (a = LK_ACCESS_SHARE; a < LK__COUNT; a++)
		for (b = LK_ACCESS_SHARE; b < LK__COUNT; b++) {
			assert_int_equal(lock_conflicts(a, b), want[a][b]);
			/* Conflict is symmetric. */
			assert_int_equal(lock_conflicts(a, b),
			    lock_conflicts(b, a));
		}
	/* The cases the incidents rest on. */
	assert_true(lock_conflicts(LK_SHARE, LK_ROW_EXCLUSIVE));
	assert_false(lock_conflicts(LK_SHARE, LK_ACCESS_SHARE));
	assert_false(lock_conflicts(LK_SHARE_UPDATE_EXCLUSIVE,
	    LK_ROW_EXCLUSIVE));
	assert_true(lock_conflicts(LK_ACCESS_EXCLUSIVE, LK_ACCESS_SHARE));
}

static void
add_index(struct dbx_table *t, const char *name, const char *c1,
    const char *c2)
{
	struct dbx_index *x = &t->idx[t->nidx++];

	memset(x, 0, sizeof *x);
	strcpy(x->name, name);
	strcpy(x->cols[x->ncols++], c1);
	if (c2 != NULL)
		strcpy(x->cols[x->ncols++], c2);
}

static void
test_plan_switching(void **state)
{
	struct world		*w = calloc(1, sizeof *w);
	struct dbx_table	 t;
	struct dbx_query	 q;
	double			 cores, secs;

	(void)state;
	assert_non_null(w);
	memset(&t, 0, sizeof t);
	memset(&q, 0, sizeof q);
	t.rows = 500e6;
	add_index(&t, "orders_pkey", "id", NULL);
	add_index(&t, "idx_orders_customer_id", "customer_id", NULL);
	w->dbx.table = &t;
	w->dbx.ntable = 1;
	q.table = 0;
	strcpy(q.where[q.nwhere++], "status");
	strcpy(q.where[q.nwhere++], "created_at");
	q.scan_rows_per_s = 185185;
	q.workers = 8;
	q.index_ms = 200;

	/* No index covers (status, created_at): a 45-minute parallel scan. */
	assert_int_equal(dbx_plan_index(w, &q), -1);
	secs = dbx_plan_seconds(w, &q, &cores);
	assert_true(fabs(secs - 2700) < 1);
	assert_true(cores == 8);

	/* An index on status alone does not cover the filter. */
	add_index(&t, "idx_orders_status", "status", NULL);
	assert_int_equal(dbx_plan_index(w, &q), -1);

	/* The composite does, in either column order: 200 ms on 1 core. */
	add_index(&t, "idx_orders_created_status", "created_at", "status");
	assert_int_equal(dbx_plan_index(w, &q), 3);
	secs = dbx_plan_seconds(w, &q, &cores);
	assert_true(fabs(secs - 0.2) < 1e-9);
	assert_true(cores == 1);

	/* Dropped, the plan falls back to the scan. */
	t.nidx = 3;
	assert_int_equal(dbx_plan_index(w, &q), -1);
	free(w);
}

static void
disk_1_5(struct disk *d)
{
	memset(d, 0, sizeof *d);
	d->on = 1;
	d->size_gb = 2000;
	d->gb[DISK_TABLES] = 1150;
	d->gb[DISK_INDEXES] = 300;
	d->gb[DISK_WAL] = 40;
	d->gb[DISK_ARCHIVE] = 480;
	d->gb[DISK_LOGS] = 22;
	d->wal_gb_h = 1;
	d->log_gb_h = 4.0 / (7 * 24);
	d->backup_age_s = 2 * 86400;
	d->recent_archive_gb = 48;
	d->cooldown_s = 6 * 3600;
}

static void
test_disk_arithmetic(void **state)
{
	struct disk	d;

	(void)state;
	disk_1_5(&d);
	assert_true(fabs(disk_used_gb(&d) - 1992) < 1e-9);
	assert_true(fabs(disk_free_gb(&d) - 8) < 1e-9);
	assert_true(fabs(disk_used_pct(&d) - 99.6) < 1e-9);
	/* Free is never negative, used never above 100%. */
	d.gb[DISK_LOGS] += 100;
	assert_true(disk_free_gb(&d) == 0);
	assert_true(disk_used_pct(&d) == 100);

	/* Handbook: 50 + 0.2 x 500M against 50 + 0.01 x 500M. */
	assert_true(disk_autovacuum_threshold(500e6, 0.2) == 100000050);
	assert_true(disk_autovacuum_threshold(500e6, 0.01) == 5000050);
}

static void
test_disk_clean(void **state)
{
	struct disk	d;

	(void)state;
	disk_1_5(&d);
	/* 18 of 20 days of archive predate the last base backup. */
	assert_true(fabs(disk_clean_estimate(&d, DISK_ARCHIVE, -1) - 432) <
	    1e-9);
	/* Logs older than 7 days: all but the last week's 4 GB. */
	assert_true(fabs(disk_clean_estimate(&d, DISK_LOGS, 7 * 86400) - 18) <
	    1e-6);
	/* Keeping less than the backup needs frees more (and breaks PITR). */
	assert_true(disk_clean_estimate(&d, DISK_ARCHIVE, 12 * 3600) > 432);
	/* Keeping more frees less. */
	assert_true(disk_clean_estimate(&d, DISK_ARCHIVE, 5 * 86400) < 432);
	/* Tables and indexes are not cleaned by deleting files. */
	assert_true(disk_clean_estimate(&d, DISK_TABLES, 0) == 0);
	assert_true(disk_clean_estimate(&d, DISK_INDEXES, 0) == 0);
	assert_int_equal(disk_cat_find("wal-archive"), DISK_ARCHIVE);
	assert_int_equal(disk_cat_find("pg_wal"), DISK_WAL);
	assert_int_equal(disk_cat_find("tmp"), -1);
}

static void
test_write_iops(void **state)
{
	(void)state;
	/* Catalog row 46: 1,500 rows/s, 7 indexes, autocommit. */
	assert_true(disk_write_iops(1500, 7, 1, 0) == 13500);
	/* Three unused indexes dropped. */
	assert_true(disk_write_iops(1500, 4, 1, 0) == 9000);
	/* And 1,000 rows a statement: half the page writes, 1.5 commits. */
	assert_true(fabs(disk_write_iops(1500, 4, 1000, 0) - 3751.5) < 1e-9);
	/* fsync off: commits flush nothing (and risk corruption). */
	assert_true(disk_write_iops(1500, 7, 1, 1) == 12000);
	/* A batch below one row is autocommit. */
	assert_true(disk_write_iops(100, 0, 0, 0) == 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_matrix),
		cmocka_unit_test(test_plan_switching),
		cmocka_unit_test(test_disk_arithmetic),
		cmocka_unit_test(test_disk_clean),
		cmocka_unit_test(test_write_iops),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
