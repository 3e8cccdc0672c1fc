/*
 * Replication's commands: `show db repl`, the read-routing mechanisms
 * `enable sticky-reads|causal-reads|sync-repl`, `set SVC.read_target`,
 * `set job:NAME.rate`, and `run db failover NODE`.  A world without
 * replicas answers plainly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static int
no_repl(struct cmd_ctx *c)
{
	if (c->g->w.repl.primary < 0)
		return (cmd_error(c, "this platform has no streaming replicas"));
	return (0);
}

int
cmd_show_repl(struct cmd_ctx *c)
{
	struct world	*w = &c->g->w;
	struct repl	*r = &w->repl;
	int		 i;

	if (no_repl(c) != 0)
		return (-1);
	buf_printf(c->out, "primary %s · WAL %.1f MB/s (base %.1f) ·"
	    " synchronous commit %s%s\n", w->db[r->primary].name, r->wal_mb_s,
	    r->base_wal_mb_s, r->sync ? "on for " : "off (async)",
	    r->sync ? r->sync_tables : "");
	buf_printf(c->out, "%-10s %8s %10s %12s  %s\n", "REPLICA", "LAG",
	    "LAG_MB", "REPLAY_MB/S", "STATE");
	for (i = 0; i < r->nrep; i++) {
		struct repl_replica *rp = &r->rep[i];

		buf_printf(c->out, "%-10s %7.2fs %10.1f %12.0f  %s\n",
		    w->db[rp->node].name, rp->lag_s, rp->lag_mb,
		    rp->replay_mb_s, c->g->tick < w->db[rp->node].down_until ?
		    "catching up (restarting)" : "streaming");
	}
	if (r->nrep == 0)
		buf_puts(c->out, "(no replicas streaming)\n");
	buf_puts(c->out, "top WAL writers:\n");
	buf_printf(c->out, "  %-18s %6.1f MB/s  (steady traffic)\n", "primary",
	    r->base_wal_mb_s);
	for (i = 0; i < r->nwr; i++) {
		struct repl_writer *wr = &r->wr[i];

		buf_printf(c->out, "  %-18s %6.1f MB/s  bursts of %.0f MB/s,"
		    " rate %.0f%%%s\n", wr->name, wr->cur_mb_s, wr->mb_s,
		    100 * wr->rate, !wr->enabled ? ", stopped" :
		    c->g->tick < wr->start ? ", not started" : "");
	}
	for (i = 0; i < r->nsv; i++) {
		struct repl_svc *s = &r->sv[i];

		buf_printf(c->out, "reads: %s → %s", w->svc[s->svc].name,
		    s->replicas ? "replicas" : "primary");
		if (s->sticky_s > 0)
			buf_printf(c->out, " · sticky-reads %.0fs", s->sticky_s);
		if (s->causal)
			buf_puts(c->out, " · causal-reads");
		buf_putc(c->out, '\n');
	}
	for (i = 0; i < r->nraw; i++)
		buf_printf(c->out, "read-after-write %s (gap %.0f–%.0f ms):"
		    " %.1f%% not found · %.0f stale-read 404s so far\n",
		    w->route[r->raw[i].route].name, r->raw[i].gap_lo_s * 1000,
		    r->raw[i].gap_hi_s * 1000, 100 * r->raw[i].stale_frac,
		    r->raw[i].stale_total);
	if (r->lost_writes > 0)
		buf_printf(c->out, "LOST WRITES (failover): %.0f\n",
		    r->lost_writes);
	return (0);
}

/* enable|disable sticky-reads SVC [window=DUR] | causal-reads SVC |
 * sync-repl TABLE[,TABLE]; -2 when the mechanism is not ours. */
int
cmd_enable_repl(struct cmd_ctx *c, int on, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*mech = argv[1];
	char		 path[160];
	double		 v = on;
	long		 ms;
	int		 s;

	if (strcmp(mech, "sticky-reads") != 0 && strcmp(mech,
	    "causal-reads") != 0 && strcmp(mech, "sync-repl") != 0)
		return (-2);
	if (no_repl(c) != 0)
		return (-1);
	if (strcmp(mech, "sync-repl") == 0) {
		snprintf(w->repl.sync_tables, sizeof w->repl.sync_tables, "%s",
		    argv[2]);
		game_schedule(c->g, ACT_SET, 10000, c->canonical, "repl.sync",
		    v, 0, 0);
		buf_printf(c->out, "synchronous_standby_names = 'ANY 1 (...)'"
		    " for %s: %s in 10 s (commits wait for one replica;"
		    " write p99 +1–2 ms)\n", argv[2], on ? "on" : "off");
		cmd_changed(c, argv[2], c->canonical);
		return (0);
	}
	if ((s = cmd_svc(c, argv[2])) == -1)
		return (-1);
	if (strcmp(mech, "sticky-reads") == 0) {
		v = on ? 5 : 0;
		if (on && argc > 3) {
			if (strncmp(argv[3], "window=", 7) != 0 ||
			    duration_parse(argv[3] + 7, &ms) != 0 ||
			    ms <= 0 || ms > 3600000)
				return (cmd_error(c, "usage: enable sticky-reads"
				    " SVC window=5s"));
			v = ms / 1000.0;
		}
		snprintf(path, sizeof path, "repl.sticky_s.%s",
		    w->svc[s].name);
		if (on)
			buf_printf(c->out, "%s: sticky reads on (a session's"
			    " reads go to the primary for %.0f s after its"
			    " write), live in 10 s\n", w->svc[s].name, v);
		else
			buf_printf(c->out, "%s: sticky reads off, in 10 s\n",
			    w->svc[s].name);
	} else {
		snprintf(path, sizeof path, "repl.causal.%s", w->svc[s].name);
		buf_printf(c->out, "%s: causal reads %s (LSN token; a replica"
		    " waits ≤ %.0f s to replay it), live in 10 s\n",
		    w->svc[s].name, on ? "on" : "off", REPL_CAUSAL_WAIT_S);
	}
	game_schedule(c->g, ACT_SET, 10000, c->canonical, path, v, 0, 0);
	cmd_changed(c, argv[2], c->canonical);
	return (0);
}

/* set SVC.read_target primary|replica, set job:NAME.rate PCT; -2 when
 * the key is not ours. */
int
cmd_set_repl(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	char		 name[64], path[160], *end;
	const char	*dot = strrchr(argv[1], '.');
	double		 v;
	int		 s;

	if (argc != 3 || dot == NULL || (size_t)(dot - argv[1]) >= sizeof name)
		return (-2);
	snprintf(name, sizeof name, "%.*s", (int)(dot - argv[1]), argv[1]);
	if (strcmp(dot, ".read_target") == 0) {
		if (no_repl(c) != 0 || (s = cmd_svc(c, name)) == -1)
			return (-1);
		if (strcmp(argv[2], "primary") != 0 && strcmp(argv[2],
		    "replica") != 0)
			return (cmd_error(c, "read_target: primary or"
			    " replica"));
		snprintf(path, sizeof path, "repl.replicas.%s",
		    w->svc[s].name);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path,
		    strcmp(argv[2], "replica") == 0, 0, 0);
		buf_printf(c->out, "%s: reads → %s (takes effect in 5 s)\n",
		    w->svc[s].name, argv[2]);
	} else if (strcmp(dot, ".rate") == 0 && strncmp(name, "job:", 4) ==
	    0) {
		if (repl_find_writer(&w->repl, name + 4) == -1)
			return (cmd_error(c, "no bulk job '%.40s' writing to"
			    " the database", name + 4));
		v = strtod(argv[2], &end);
		if ((*end != '\0' && strcmp(end, "%") != 0) || v <= 0 ||
		    v > 100)
			return (cmd_error(c, "rate: a percentage (25%%)"));
		snprintf(path, sizeof path, "repl.rate.%s", name + 4);
		game_schedule(c->g, ACT_SET, 5000, c->canonical, path,
		    v / 100, 0, 0);
		buf_printf(c->out, "%s: throttled to %.0f%% (batches at full"
		    " speed, longer pauses), in 5 s\n", name + 4, v);
	} else
		return (-2);
	cmd_changed(c, name, c->canonical);
	return (0);
}

int
cmd_repl_failover(struct cmd_ctx *c, const char *node)
{
	struct world	*w = &c->g->w;
	char		*cause = NULL;
	double		 lost;
	int		 d;

	if (no_repl(c) != 0)
		return (-1);
	if ((d = world_find_db(w, node)) == -1)
		return (cmd_error(c, "no database node '%.40s'", node));
	if ((lost = repl_failover(c->g, d, &cause)) < 0) {
		cmd_error(c, "%s", cause);
		free(cause);
		return (-1);
	}
	buf_printf(c->out, "pg_promote(): %s is the primary (timeline"
	    " switch); clients follow it\n", node);
	if (lost > 0)
		buf_printf(c->out, "%.0f committed writes it had not received"
		    " are gone\n", lost);
	cmd_changed(c, node, c->canonical);
	return (0);
}

/* show svc: where the service's reads go, when it has read routing. */
void
cmd_show_svc_reads(struct cmd_ctx *c, int svc)
{
	struct world	*w = &c->g->w;
	struct repl	*r = &w->repl;
	int		 i, j;

	if (r->primary < 0)
		return;
	for (i = 0; i < r->nsv; i++) {
		struct repl_svc *s = &r->sv[i];

		if (s->svc != svc)
			continue;
		buf_printf(c->out, "  reads    read_target=%s",
		    s->replicas && r->nrep > 0 ? "replica" : "primary");
		if (s->replicas)
			for (j = 0; j < r->nrep; j++)
				buf_printf(c->out, "%s%s %.0f%%", j == 0 ? " · " :
				    ", ", w->db[r->rep[j].node].name,
				    100.0 / r->nrep);
		buf_printf(c->out, " · sticky-reads %s · causal-reads %s\n",
		    s->sticky_s > 0 ? "on" : "off", s->causal ? "on" : "off");
	}
}
