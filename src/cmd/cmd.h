/*
 * The command table: every verb a player, a script, a replay or a team
 * client can submit, as one constant entry (name, alias, usage, help,
 * flags, handler) in the style of tmux's cmd_entry.  Lookup accepts a
 * unique prefix; the catalog's aliases are rewritten to canonical form
 * first.  Handlers change the game only through the engine's API and
 * report to their context; nothing here prints.
 */
#ifndef FD_CMD_H
#define FD_CMD_H

#include "engine/game.h"
#include "util/buf.h"

#define CMD_MAXARGS	32
#define CMD_MAXLINE	1024

#define CMDF_MUTATES	0x1	/* changes the world: logged in `changes` */
#define CMDF_CONSOLE	0x2	/* meaningful only in the live console */
#define CMDF_GAME	0x4	/* game bookkeeping (ack, note, …) */

struct cmd_ctx {
	struct game	*g;
	const char	*actor;
	struct buf	*out;
	const char	*canonical;
};

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*usage;
	const char	*help;
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Parse and run one line for actor.  Output (or the one-line error) is
 * appended to out.  Returns 0, or -1 when the line was refused and nothing
 * changed.
 */
int	cmd_execute(struct game *, const char *actor, const char *line,
	    struct buf *out);
/* Split into words (double quotes group); -1 with cause. */
int	cmd_split(const char *line, int *argc, char ***argv, char **cause);
void	cmd_free_argv(int, char **);
/* Alias rewrite into the canonical command line (caller's string). */
char	*cmd_canonical(int argc, char **argv);
/* Unique-prefix lookup; on failure cause says unknown/ambiguous + hint. */
const struct cmd_entry *cmd_find(const char *name, char **cause);
/* Candidates completing word number `index` of the partial line. */
int	cmd_complete(const struct game *, const char *line, char ***out);
/* Help text for one verb or all (into out). */
/* 1 when a command line's verb changes the world (CMDF_MUTATES). */
int	cmd_mutates(const char *line);
void	cmd_help(const char *verb, struct buf *out);
/* Edit distance, for "did you mean". */
int	cmd_distance(const char *, const char *);
/* Glob match used by incident classification ("scale order.db_pool *"). */
int	cmd_glob(const char *pattern, const char *text);

/* Handlers, one file per family. */
int	cmd_show_exec(struct cmd_ctx *, int, char **);
int	cmd_logs_exec(struct cmd_ctx *, int, char **);
int	cmd_trace_exec(struct cmd_ctx *, int, char **);
int	cmd_changes_exec(struct cmd_ctx *, int, char **);
int	cmd_graph_exec(struct cmd_ctx *, int, char **);
int	cmd_ack_exec(struct cmd_ctx *, int, char **);
int	cmd_declare_exec(struct cmd_ctx *, int, char **);
int	cmd_diagnose_exec(struct cmd_ctx *, int, char **);
int	cmd_status_exec(struct cmd_ctx *, int, char **);
int	cmd_hint_exec(struct cmd_ctx *, int, char **);
int	cmd_note_exec(struct cmd_ctx *, int, char **);
int	cmd_page_exec(struct cmd_ctx *, int, char **);
int	cmd_breaker_exec(struct cmd_ctx *, int, char **);
int	cmd_set_exec(struct cmd_ctx *, int, char **);
int	cmd_scale_exec(struct cmd_ctx *, int, char **);
int	cmd_rollback_exec(struct cmd_ctx *, int, char **);
int	cmd_deploy_exec(struct cmd_ctx *, int, char **);
int	cmd_flag_exec(struct cmd_ctx *, int, char **);
int	cmd_restart_exec(struct cmd_ctx *, int, char **);
int	cmd_enable_exec(struct cmd_ctx *, int, char **);
int	cmd_kill_exec(struct cmd_ctx *, int, char **);
int	cmd_run_exec(struct cmd_ctx *, int, char **);
int	cmd_help_exec(struct cmd_ctx *, int, char **);
int	cmd_abandon_exec(struct cmd_ctx *, int, char **);
int	cmd_ratelimit_exec(struct cmd_ctx *, int, char **);
/* The cache's share of show, enable and run (cmd-cache.c). */
void	cmd_show_cache(struct cmd_ctx *, int, char **);
int	cmd_enable_cache(struct cmd_ctx *, int on, int, char **);
int	cmd_validate(struct cmd_ctx *, int on, int, char **);
int	cmd_run_cache(struct cmd_ctx *, int, char **);
/* The database's share (cmd-db.c). */
void	cmd_db_backends(struct cmd_ctx *, const char *app);
int	cmd_show_db(struct cmd_ctx *, int, char **);
int	cmd_explain_exec(struct cmd_ctx *, int, char **);
int	cmd_kill_db(struct cmd_ctx *, int, char **);
int	cmd_run_db(struct cmd_ctx *, int, char **);
int	cmd_set_db(struct cmd_ctx *, int, char **);
/* The database volume's (cmd-disk.c). */
int	cmd_show_disk(struct cmd_ctx *, int, char **);
int	cmd_run_disk(struct cmd_ctx *, int, char **);
int	cmd_set_disk(struct cmd_ctx *, int, char **);
int	cmd_enable_disk(struct cmd_ctx *, int on, int, char **);
/* Replication's share (cmd-repl.c); -2: not a replication command. */
int	cmd_show_repl(struct cmd_ctx *);
int	cmd_enable_repl(struct cmd_ctx *, int on, int, char **);
int	cmd_set_repl(struct cmd_ctx *, int, char **);
/* Tenants sharing a database (cmd-tenant.c). */
int	cmd_show_infra(struct cmd_ctx *, int, char **);
int	cmd_set_tenant(struct cmd_ctx *, int, char **);
int	cmd_kill_tenant_job(struct cmd_ctx *, const char *);
void	cmd_page_tenant(struct cmd_ctx *, const char *team);
void	cmd_tenant_sessions(struct cmd_ctx *, const char *app);
int	cmd_graph_by(struct cmd_ctx *, int, char **);
int	cmd_run_infra(struct cmd_ctx *, int, char **);
int	cmd_repl_failover(struct cmd_ctx *, const char *node);
void	cmd_show_svc_reads(struct cmd_ctx *, int svc);
int	cmd_set_job(struct cmd_ctx *, int, char **);
int	cmd_scale_job(struct cmd_ctx *, int, char **);
int	cmd_console_exec(struct cmd_ctx *, int, char **);

/* Shared helpers for handlers. */
int	cmd_error(struct cmd_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Format a latency for people: "41ms", "30.0s". */
const char *cmd_fmt_ms(double ms, char *buf, unsigned len);
/* Wall-clock "14:03:27" for a sim time. */
const char *cmd_fmt_clock(const struct game *, long t_ms, char *buf,
	    unsigned len);
/* Find a service by name, with a suggestion on failure. */
int	cmd_svc(struct cmd_ctx *, const char *);
int	cmd_edge(struct cmd_ctx *, const char *);
/* Record a world change attributed to the actor. */
void	cmd_changed(struct cmd_ctx *, const char *target, const char *text);

#endif
