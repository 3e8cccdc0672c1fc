/*
 * The command table, the parser and the dispatcher.  Every line goes
 * through the same path: split, rewrite aliases, look up the verb, run it,
 * then classify it against the incident (works / harmful) and put it on
 * the timeline.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "util/escape.h"
#include "util/xmalloc.h"

#define E2(n, a, u, h, f, x, fn) \
	static const struct cmd_entry cmd_##x##_entry = { n, a, u, h, f, \
	    cmd_##fn##_exec }
#define E(n, a, u, h, f, x) E2(n, a, u, h, f, x, x)

E("show", NULL, "show overview|svc NAME|map|gw [ROUTE]|db activity [--app SVC]"
    "|db locks|stats|tables|indexes T|progress|disk [NODE]|repl"
    "|alerts [--all]|slo|impact|flags|patches|metrics [NAME]",
    "look at the platform (no side effects)", 0, show);
E("logs", NULL, "logs TARGET|all [-g TEXT] [--since DUR] [-n N]",
    "tail the simulated logs of a service or source", 0, logs);
E("trace", NULL, "trace ROUTE", "follow one sampled request through the"
    " call graph", 0, trace);
E("explain", NULL, "explain QUERY_ID", "a query's plan and its cost", 0,
    explain);
E("changes", NULL, "changes [--since DUR] [TARGET]",
    "deploys, flags, config and player actions, newest last", 0, changes);
E("graph", NULL, "graph METRIC[{labels}] [--window DUR] [--by LABEL]",
    "a metric's history as a chart", 0, graph);
E("ack", NULL, "ack ALERT_ID|all", "acknowledge a firing alert", CMDF_GAME,
    ack);
E("declare", NULL, "declare SEV [--scope \"routes/users/segment\"]",
    "open the incident (SEV1..SEV4)", CMDF_GAME, declare);
E("diagnose", "hypothesis", "diagnose ROOT_CAUSE_ID",
    "name the root cause (TRIAGE)", CMDF_GAME, diagnose);
E("status", NULL, "status", "phase timers, SLIs, budget, actions in"
    " progress", CMDF_GAME, status);
E("hint", NULL, "hint", "a hint (costs points: 10, 25, 60)", CMDF_GAME,
    hint);
E("note", NULL, "note TEXT", "a timestamped note for the post-mortem",
    CMDF_GAME, note);
E("page", NULL, "page TEAM \"message\"", "ask another team or vendor to"
    " act", CMDF_GAME, page);
E("breaker", NULL, "breaker open|close|auto EDGE",
    "pin a circuit breaker open or closed, or return it to auto",
    CMDF_MUTATES, breaker);
E("set", NULL, "set TARGET.KEY VALUE", "change a setting (timeout,"
    " retries, backoff, budget, db_pool.acquire_timeout, db_pool.split,"
    " strategy …)", CMDF_MUTATES, set);
E("scale", NULL, "scale SVC|SVC.db_pool|SVC.threads N",
    "change a capacity count", CMDF_MUTATES, scale);
E("rollback", NULL, "rollback SVC", "revert a service to its previous"
    " version (about 90 s)", CMDF_MUTATES, rollback);
E("deploy", NULL, "deploy SVC PATCH", "ship a prepared fix (see show"
    " patches)", CMDF_MUTATES, deploy);
E("flag", NULL, "flag on|off NAME", "toggle a feature flag (5 s)",
    CMDF_MUTATES, flag);
E("restart", NULL, "restart SVC [--rolling]", "restart a service's pods",
    CMDF_MUTATES, restart);
E("enable", "disable", "enable|disable breaker EDGE | bulkhead EDGE"
    " threads=N | alert ID [EXPR] | mutex|bg-refresh|xfetch|coalesce|"
    "ttl-jitter|null-cache|bloom|serve-stale|local-cache|replicate-key"
    " KEYSPACE [k=v] | sticky-reads|causal-reads SVC [window=DUR] |"
    " sync-repl TABLES | disk-autoexpand NODE [at=P%]", "toggle a resilience mechanism",
    CMDF_MUTATES, enable);
E("ratelimit", NULL, "ratelimit gw:ROUTE RPS|off [--per-ip] [--status 404]",
    "a token bucket at the gateway (global, or per IP for 404s)",
    CMDF_MUTATES, ratelimit);
E("kill", NULL, "kill query PID | job NAME",
    "terminate a database backend, or stop a job's new runs",
    CMDF_MUTATES, kill);
E("run", NULL, "run db create-index T(COLS) [--concurrently] | db drop-index"
    " NAMES | db vacuum T [--full] | db failover NODE | disk expand NODE SIZE"
    " | disk clean NODE wal-archive|logs --older DUR | disk clean NODE"
    " wal-archive --before-last-basebackup"
    " | cache warm|flush PATTERN | infra provision olap-db",
    "one-off runbook operations", CMDF_MUTATES, run);
E("abandon", NULL, "abandon", "end the incident now, recorded as abandoned",
    CMDF_GAME, abandon);
E("help", NULL, "help [VERB]", "commands and their usage", 0, help);
E2("pause", NULL, "pause", "stop the clock (console)", CMDF_CONSOLE,
    pause, console);
E2("resume", NULL, "resume", "restart the clock (console)", CMDF_CONSOLE,
    resume, console);
E2("speed", NULL, "speed 1|2|5|10|60", "time speed (console)", CMDF_CONSOLE,
    speed, console);
E2("postmortem", NULL, "postmortem", "open the post-mortem form (console)",
    CMDF_CONSOLE, postmortem, console);
E2("quit", NULL, "quit", "leave the incident (console)", CMDF_CONSOLE,
    quit, console);

const struct cmd_entry *const cmd_table[] = {
	&cmd_show_entry, &cmd_logs_entry, &cmd_trace_entry, &cmd_explain_entry,
	&cmd_changes_entry, &cmd_graph_entry, &cmd_ack_entry,
	&cmd_declare_entry, &cmd_diagnose_entry, &cmd_status_entry,
	&cmd_hint_entry, &cmd_note_entry, &cmd_page_entry,
	&cmd_breaker_entry, &cmd_set_entry, &cmd_scale_entry,
	&cmd_rollback_entry, &cmd_deploy_entry, &cmd_flag_entry,
	&cmd_restart_entry, &cmd_enable_entry, &cmd_ratelimit_entry,
	&cmd_kill_entry,
	&cmd_run_entry, &cmd_abandon_entry, &cmd_help_entry, &cmd_pause_entry,
	&cmd_resume_entry, &cmd_speed_entry, &cmd_postmortem_entry,
	&cmd_quit_entry, NULL
};

int
cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *e;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	/*
	 * Errors quote what was typed, cut with %.40s: escape the whole
	 * line, so a sequence cut in half still reaches the screen as text.
	 */
	e = escape_str(s);
	buf_puts(c->out, e);
	buf_putc(c->out, '\n');
	free(e);
	free(s);
	return (-1);
}

int
cmd_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j;
	int	d[33][33];

	if (la > 32 || lb > 32)
		return (99);
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	return (d[la][lb]);
}

int
cmd_glob(const char *pattern, const char *text)
{
	return (fnmatch(pattern, text, 0) == 0);
}

int
cmd_split(const char *line, int *argc, char ***argv, char **cause)
{
	const char	*p = line;
	char		 word[CMD_MAXLINE + 1];
	size_t		 n;
	int		 quoted;

	*argc = 0;
	*argv = NULL;
	if (strlen(line) > CMD_MAXLINE) {
		*cause = xasprintf("command too long (%zu bytes, at most %d)",
		    strlen(line), CMD_MAXLINE);
		return (-1);
	}
	/*
	 * What reaches the screen and the record must be text: no control
	 * bytes (C1 controls act on some terminals too), only UTF-8.
	 */
	for (; *p != '\0'; p += n) {
		const unsigned char *u = (const unsigned char *)p;

		if (*p == '\t') {
			n = 1;
			continue;
		}
		if ((n = escape_utf8_len(u)) > 0)
			continue;
		if (*u < 0x20 || *u == 0x7f || (*u == 0xc2 && u[1] >= 0x80 &&
		    u[1] <= 0x9f))
			*cause = xstrdup("command contains control characters");
		else
			*cause = xstrdup("command is not valid UTF-8");
		return (-1);
	}
	p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		n = 0;
		quoted = 0;
		while (*p != '\0' && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			/* A tab separates words; inside one it is a control
			 * byte that would reach the screen raw. */
			if (*p == '\t') {
				cmd_free_argv(*argc, *argv);
				*argc = 0;
				*argv = NULL;
				*cause = xstrdup("a tab inside quotes (use a"
				    " space)");
				return (-1);
			}
			word[n++] = *p++;
		}
		if (quoted) {
			cmd_free_argv(*argc, *argv);
			*argc = 0;
			*argv = NULL;
			*cause = xstrdup("unterminated quote");
			return (-1);
		}
		word[n] = '\0';
		if (*argc == CMD_MAXARGS) {
			cmd_free_argv(*argc, *argv);
			*argc = 0;
			*argv = NULL;
			*cause = xasprintf("too many words (at most %d)",
			    CMD_MAXARGS);
			return (-1);
		}
		*argv = xreallocarray(*argv, *argc + 1, sizeof **argv);
		(*argv)[(*argc)++] = xstrdup(word);
	}
	return (0);
}

void
cmd_free_argv(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void
join_from(struct buf *b, int argc, char **argv, int from)
{
	int	i;

	for (i = from; i < argc; i++) {
		buf_putc(b, ' ');
		if (strchr(argv[i], ' ') != NULL) {
			buf_putc(b, '"');
			buf_puts(b, argv[i]);
			buf_putc(b, '"');
		} else
			buf_puts(b, argv[i]);
	}
}

/* catalog B.5: the handbook's named actions as parser sugar. */
char *
cmd_canonical(int argc, char **argv)
{
	struct buf	 b;
	const char	*v = argc > 0 ? argv[0] : "";
	char		*slash;

	buf_init(&b);
	if (strcmp(v, "kill-query") == 0) {
		buf_puts(&b, "kill query");
		join_from(&b, argc, argv, 1);
	} else if (strcmp(v, "create-index") == 0) {
		buf_puts(&b, "run db create-index");
		join_from(&b, argc, argv, 1);
	} else if (strcmp(v, "pool") == 0 && argc == 4 &&
	    strcmp(argv[1], "resize") == 0) {
		buf_printf(&b, "scale %s.db_pool %s", argv[2], argv[3]);
	} else if (strcmp(v, "pool") == 0 && argc == 4 &&
	    strcmp(argv[1], "split") == 0 &&
	    (slash = strchr(argv[3], '/')) != NULL) {
		buf_printf(&b, "set %s.db_pool.split read=%.*s,write=%s",
		    argv[2], (int)(slash - argv[3]), argv[3], slash + 1);
	} else if (strcmp(v, "timeout") == 0 && argc == 4 &&
	    strcmp(argv[1], "set") == 0) {
		buf_printf(&b, "set %s.timeout %s", argv[2], argv[3]);
	} else if (strcmp(v, "cache") == 0 && argc >= 2 &&
	    strcmp(argv[1], "hotkeys") != 0) {
		if (strcmp(argv[1], "warm") == 0)
			buf_puts(&b, "run cache warm");
		else if (strcmp(argv[1], "jitter") == 0)
			buf_puts(&b, "enable ttl-jitter");
		else
			buf_printf(&b, "enable %s", argv[1]);
		join_from(&b, argc, argv, 2);
	} else if (strcmp(v, "partition") == 0 && argc == 4 &&
	    strcmp(argv[1], "add") == 0) {
		buf_printf(&b, "scale topic:%s.partitions %s", argv[2],
		    argv[3]);
	} else if (strcmp(v, "consumer") == 0 && argc == 4 &&
	    strcmp(argv[1], "scale") == 0) {
		buf_printf(&b, "scale group:%s %s", argv[2], argv[3]);
	} else if (strcmp(v, "dns") == 0 && argc == 4 &&
	    strcmp(argv[1], "ttl") == 0) {
		buf_printf(&b, "set dns:%s.ttl %s", argv[2], argv[3]);
	} else if (strcmp(v, "cert") == 0 && argc >= 2 &&
	    strcmp(argv[1], "renew") == 0) {
		buf_puts(&b, "run cert renew");
		join_from(&b, argc, argv, 2);
	} else if (strcmp(v, "fence") == 0 || strcmp(v, "failover") == 0) {
		buf_printf(&b, "run db %s", v);
		join_from(&b, argc, argv, 1);
	} else if (strcmp(v, "db") == 0 || (strcmp(v, "cache") == 0) ||
	    strcmp(v, "queue") == 0 || strcmp(v, "dns") == 0 ||
	    strcmp(v, "cert") == 0 || strcmp(v, "clock") == 0) {
		buf_printf(&b, "show %s", v);
		join_from(&b, argc, argv, 1);
	} else if (strcmp(v, "deploys") == 0) {
		buf_puts(&b, "changes");
		join_from(&b, argc, argv, 1);
	} else if (strcmp(v, "hypothesis") == 0) {
		buf_puts(&b, "diagnose");
		join_from(&b, argc, argv, 1);
	} else {
		buf_puts(&b, v);
		join_from(&b, argc, argv, 1);
	}
	return (buf_steal(&b));
}

const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*found = NULL, *best = NULL;
	size_t				 len = strlen(name);
	int				 n = 0, d, bestd = 99;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 || ((*e)->alias != NULL &&
		    strcmp((*e)->alias, name) == 0))
			return (*e);
	}
	for (e = cmd_table; *e != NULL; e++) {
		if (strncmp((*e)->name, name, len) == 0) {
			found = *e;
			n++;
		}
	}
	if (n == 1 && len > 0)
		return (found);
	if (n > 1) {
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "ambiguous command '%s': could be", name);
		for (e = cmd_table; *e != NULL; e++)
			if (strncmp((*e)->name, name, len) == 0)
				buf_printf(&b, " %s", (*e)->name);
		*cause = buf_steal(&b);
		return (NULL);
	}
	for (e = cmd_table; *e != NULL; e++) {
		d = cmd_distance(name, (*e)->name);
		if (d < bestd) {
			bestd = d;
			best = *e;
		}
	}
	if (best != NULL && bestd <= 2)
		*cause = xasprintf("unknown command '%.40s': did you mean '%s'?"
		    " (help lists commands)", name, best->name);
	else
		*cause = xasprintf("unknown command '%.40s' (help lists"
		    " commands)", name);
	return (NULL);
}

static void
classify(struct cmd_ctx *c, const char *canon, enum harm *harm,
    const char **why, int *works)
{
	const struct incident_def	*in = &c->g->inc;
	int				 i;

	*harm = HARM_NONE;
	*why = NULL;
	*works = 0;
	for (i = 0; i < in->nharm; i++) {
		if (cmd_glob(in->harm[i].match, canon)) {
			*harm = in->harm[i].cls;
			*why = in->harm[i].why;
			break;
		}
	}
	for (i = 0; i < in->nworks; i++)
		if (cmd_glob(in->works[i], canon))
			*works = 1;
}

int
cmd_execute(struct game *g, const char *actor, const char *line,
    struct buf *out)
{
	const struct cmd_entry	*e;
	struct cmd_ctx		 c;
	char			**argv = NULL, **cargv = NULL, *cause = NULL;
	char			*canon = NULL;
	int			 argc = 0, cargc = 0, rc = -1, works;
	enum harm		 harm;
	const char		*why;

	memset(&c, 0, sizeof c);
	c.g = g;
	c.actor = actor;
	c.out = out;
	if (cmd_split(line, &argc, &argv, &cause) != 0) {
		cmd_error(&c, "%s", cause);
		free(cause);
		return (-1);
	}
	if (argc == 0) {
		cmd_free_argv(argc, argv);
		return (0);
	}
	canon = cmd_canonical(argc, argv);
	if (cmd_split(canon, &cargc, &cargv, &cause) != 0 || cargc == 0) {
		cmd_error(&c, "%s", cause != NULL ? cause : "empty command");
		free(cause);
		goto out;
	}
	if ((e = cmd_find(cargv[0], &cause)) == NULL) {
		cmd_error(&c, "%s", cause);
		free(cause);
		goto out;
	}
	/* The verb as typed may be a prefix: store the full name. */
	free(cargv[0]);
	cargv[0] = xstrdup(e->name);
	if (e->alias != NULL && strcmp(argv[0], e->alias) == 0 &&
	    strcmp(e->name, "enable") == 0) {
		free(cargv[0]);
		cargv[0] = xstrdup("disable");
	}
	free(canon);
	{
		struct buf b;

		buf_init(&b);
		buf_puts(&b, cargv[0]);
		join_from(&b, cargc, cargv, 1);
		canon = buf_steal(&b);
	}
	c.canonical = canon;
	if (g->over && !(e->flags & CMDF_CONSOLE) && e->exec != cmd_help_exec) {
		cmd_error(&c, "the incident is over (%s)", g->outcome);
		goto out;
	}
	if ((rc = e->exec(&c, cargc, cargv)) != 0) {
		/* A refused command is not an event: it changed nothing. */
		if (out->len == 0 || out->data[out->len - 1] != '\n')
			buf_putc(out, '\n');
		goto out;
	}
	if (e->flags & CMDF_CONSOLE)
		goto out;
	classify(&c, canon, &harm, &why, &works);
	timeline_set_result(game_event(g, EV_COMMAND, actor, canon, why, harm,
	    works), buf_str(out));
out:
	free(canon);
	cmd_free_argv(argc, argv);
	cmd_free_argv(cargc, cargv);
	return (rc);
}

int
cmd_mutates(const char *line)
{
	const struct cmd_entry	*e;
	char			 verb[32], *cause = NULL;
	size_t			 n = strcspn(line, " ");

	if (n >= sizeof verb)
		return (0);
	memcpy(verb, line, n);
	verb[n] = '\0';
	e = cmd_find(verb, &cause);
	free(cause);
	return (e != NULL && (e->flags & CMDF_MUTATES));
}

void
cmd_help(const char *verb, struct buf *out)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*one;
	char				*cause = NULL;
	const char			*u, *bar;

	if (verb != NULL) {
		if ((one = cmd_find(verb, &cause)) == NULL) {
			buf_printf(out, "%s\n", cause);
			free(cause);
			return;
		}
		/* One line per " | " alternative: they fit the console. */
		buf_puts(out, "usage: ");
		for (u = one->usage; (bar = strstr(u, " | ")) != NULL;
		    u = bar + 3)
			buf_printf(out, "%.*s\n       %s ", (int)(bar - u), u,
			    one->name);
		buf_printf(out, "%s\n  %s\n", u, one->help);
		if (one->alias != NULL)
			buf_printf(out, "  alias: %s\n", one->alias);
		return;
	}
	buf_puts(out, "Commands (a unique prefix is enough; help VERB for"
	    " more):\n");
	for (e = cmd_table; *e != NULL; e++)
		buf_printf(out, "  %-10s %s\n", (*e)->name, (*e)->help);
	buf_puts(out, "Aliases: kill-query, create-index, pool resize|split,"
	    " timeout set, db activity, deploys, hypothesis …\n");
}

static void
add_cand(char ***v, int *n, const char *word, const char *prefix)
{
	int	i;

	if (strncmp(word, prefix, strlen(prefix)) != 0)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], word) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(word);
}

int
cmd_complete(const struct game *g, const char *line, char ***out)
{
	const struct cmd_entry *const	*e;
	const char			*last;
	int				 n = 0, words = 0, i;
	const char			*p;

	*out = NULL;
	last = strrchr(line, ' ');
	last = last != NULL ? last + 1 : line;
	for (p = line; *p != '\0'; p++)
		if (*p == ' ' && p[1] != ' ' && p[1] != '\0')
			words++;
	if (last == line) {
		for (e = cmd_table; *e != NULL; e++)
			add_cand(out, &n, (*e)->name, last);
		return (n);
	}
	(void)words;
	for (i = 0; i < g->w.nsvc; i++)
		add_cand(out, &n, g->w.svc[i].name, last);
	for (i = 0; i < g->w.nedge; i++)
		add_cand(out, &n, g->w.edge[i].name, last);
	for (i = 0; i < g->alerts.n; i++)
		add_cand(out, &n, g->alerts.v[i].id, last);
	for (i = 0; i < g->w.nflag; i++)
		add_cand(out, &n, g->w.flag[i].name, last);
	for (i = 0; i < g->w.npatch; i++)
		add_cand(out, &n, g->w.patch[i].name, last);
	if (g->inc.root_cause != NULL)
		add_cand(out, &n, g->inc.root_cause, last);
	for (i = 0; i < g->inc.nnear; i++)
		add_cand(out, &n, g->inc.near[i].id, last);
	for (i = 0; i < g->inc.ndecoys; i++)
		add_cand(out, &n, g->inc.decoys[i], last);
	for (i = 0; i < g->m.n; i++)
		add_cand(out, &n, g->m.v[i].name, last);
	return (n);
}

const char *
cmd_fmt_ms(double ms, char *buf, unsigned len)
{
	if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms);
	else
		snprintf(buf, len, "%.1fs", ms / 1000);
	return (buf);
}

const char *
cmd_fmt_clock(const struct game *g, long t_ms, char *buf, unsigned len)
{
	int64_t	s = g->inc.start_epoch + t_ms / 1000;
	long	day = (long)(((s % 86400) + 86400) % 86400);

	snprintf(buf, len, "%02ld:%02ld:%02ld", day / 3600, day / 60 % 60,
	    day % 60);
	return (buf);
}

int
cmd_svc(struct cmd_ctx *c, const char *name)
{
	int	i, best = -1, bd = 99, d;

	if ((i = world_find_svc(&c->g->w, name)) != -1)
		return (i);
	for (i = 0; i < c->g->w.nsvc; i++) {
		d = cmd_distance(name, c->g->w.svc[i].name);
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	if (best != -1 && bd <= 2)
		cmd_error(c, "unknown service '%.40s': did you mean '%s'?",
		    name, c->g->w.svc[best].name);
	else
		cmd_error(c, "unknown service '%.40s' (show map lists them)",
		    name);
	return (-1);
}

int
cmd_edge(struct cmd_ctx *c, const char *name)
{
	int	i;

	if ((i = world_find_edge(&c->g->w, name)) != -1)
		return (i);
	cmd_error(c, "unknown edge '%.60s': edges look like order->payment"
	    " (show map lists them)", name);
	return (-1);
}

void
cmd_changed(struct cmd_ctx *c, const char *target, const char *text)
{
	world_add_change(&c->g->w, game_now_ms(c->g), c->actor, target, text);
}

int
cmd_help_exec(struct cmd_ctx *c, int argc, char **argv)
{
	cmd_help(argc > 1 ? argv[1] : NULL, c->out);
	return (0);
}

int
cmd_console_exec(struct cmd_ctx *c, int argc, char **argv)
{
	(void)argc;
	buf_printf(c->out, "%s: only in the live console; a headless run"
	    " keeps its own time\n", argv[0]);
	return (0);
}
