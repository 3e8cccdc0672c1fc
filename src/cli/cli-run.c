/*
 * `firedrill run`: play an incident headless from a file of timed
 * commands and report the outcome as a readable summary or one JSON
 * object.  This interface is a contract other tools rely on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/escape.h"
#include "util/xmalloc.h"

/*
 * The most trace points one run may collect (series times samples):
 * about 25 MB of JSON.  Past it, a run would take gigabytes.
 */
#define TRACE_MAX_POINTS	1000000
/*
 * The longest --until: a week of sim time (slow incidents play for days).
 * Without --until a run stops at SESSION_RUN_CAP_MS.
 */
#define RUN_UNTIL_MAX_MS	(7L * 86400 * 1000)

struct trace {
	int	 id;
	struct buf pts;		/* "[t,v]," pairs */
	int	 n;
};

char *
cli_slurp(FILE *f, const char *name, char **cause)
{
	struct buf	b;
	char		chunk[4096];
	size_t		n;

	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > 4u << 20) {
			buf_fini(&b);
			*cause = xasprintf("%s: larger than 4 MiB", name);
			return (NULL);
		}
	}
	if (ferror(f)) {
		buf_fini(&b);
		*cause = xasprintf("cannot read %s: %s", name, strerror(errno));
		return (NULL);
	}
	if (memchr(buf_str(&b), '\0', b.len) != NULL) {
		buf_fini(&b);
		*cause = xasprintf("%s: not a text file", name);
		return (NULL);
	}
	return (buf_steal(&b));
}

static int
add_traces(struct session *s, const char *spec, struct trace **tr, int *ntr,
    char **cause)
{
	char	*copy = xstrdup(spec), *p = copy, *item;
	int	 depth = 0, i, n, *ids;

	/* Split on commas outside braces. */
	for (item = p; ; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		if (*p != '\0' && (*p != ',' || depth > 0))
			continue;
		{
			struct selector	sel;
			char		end = *p;

			*p = '\0';
			if (*item == '\0' || selector_parse(&sel, item,
			    cause) != 0) {
				if (*item == '\0')
					*cause = xstrdup("--trace: empty"
					    " metric name");
				free(copy);
				return (-1);
			}
			n = selector_resolve(&sel, &s->g.m, &ids);
			if (n == 0) {
				*cause = xasprintf("--trace: no metric matches"
				    " '%s'", item);
				free(copy);
				return (-1);
			}
			for (i = 0; i < n; i++) {
				int j;

				/* A metric named twice is one series. */
				for (j = 0; j < *ntr; j++)
					if ((*tr)[j].id == ids[i])
						break;
				if (j < *ntr)
					continue;
				*tr = xreallocarray(*tr, *ntr + 1,
				    sizeof **tr);
				(*tr)[*ntr].id = ids[i];
				buf_init(&(*tr)[*ntr].pts);
				(*tr)[*ntr].n = 0;
				(*ntr)++;
			}
			free(ids);
			if (end == '\0')
				break;
			item = p + 1;
		}
	}
	free(copy);
	return (0);
}

static void
sample(struct session *s, struct trace *tr, int ntr)
{
	double	t = session_now_ms(s) / 1000.0;
	int	i;

	for (i = 0; i < ntr; i++) {
		buf_puts(&tr[i].pts, tr[i].n++ ? ",[" : "[");
		buf_json_num(&tr[i].pts, t);
		buf_putc(&tr[i].pts, ',');
		buf_json_num(&tr[i].pts, s->g.m.v[tr[i].id].value);
		buf_putc(&tr[i].pts, ']');
	}
}

static void
phase_json(struct buf *b, const char *name, long ms, int first)
{
	buf_printf(b, "%s\"%s\":", first ? "" : ",", name);
	if (ms < 0)
		buf_puts(b, "null");
	else
		buf_printf(b, "%ld", ms);
}

static void
print_json(struct session *s, const struct score *sc, struct trace *tr,
    int ntr)
{
	struct game	*g = &s->g;
	struct buf	 b;
	char		*sj;
	int		 i, first;

	buf_init(&b);
	buf_puts(&b, "{\"incident\":");
	buf_json_str(&b, g->inc.id);
	buf_printf(&b, ",\"seed\":%llu,\"api\":%d,\"engine\":\"%s\","
	    "\"outcome\":", (unsigned long long)g->seed, FD_API_VERSION,
	    ENGINE_VERSION);
	buf_json_str(&b, g->outcome);
	buf_printf(&b, ",\"sim_ms\":%ld,\"t0_ms\":", game_now_ms(g));
	if (g->ph.t0 < 0)
		buf_puts(&b, "null");
	else
		buf_printf(&b, "%ld", g->ph.t0);
	buf_puts(&b, ",\"phases\":{");
	phase_json(&b, "detect_ms", game_phase_ms(g, PH_DETECT), 1);
	phase_json(&b, "triage_ms", game_phase_ms(g, PH_TRIAGE), 0);
	phase_json(&b, "mitigate_ms", game_phase_ms(g, PH_MITIGATE), 0);
	phase_json(&b, "fix_ms", game_phase_ms(g, PH_FIX), 0);
	sj = record_score_json(s, sc);
	buf_printf(&b, "},\"score\":%s,\"metrics\":{", sj);
	free(sj);
	for (i = 0; i < g->m.n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_json_str(&b, g->m.v[i].full);
		buf_putc(&b, ':');
		buf_json_num(&b, g->m.v[i].value);
	}
	buf_puts(&b, "},\"trace\":{");
	for (i = 0, first = 1; i < ntr; i++) {
		if (!first)
			buf_putc(&b, ',');
		first = 0;
		buf_json_str(&b, g->m.v[tr[i].id].full);
		buf_puts(&b, ":[");
		buf_puts(&b, buf_str(&tr[i].pts));
		buf_putc(&b, ']');
	}
	buf_puts(&b, "},\"events\":[");
	for (i = 0; i < g->tl.n; i++) {
		const struct event *e = &g->tl.v[i];

		buf_printf(&b, "%s{\"t_ms\":%ld,\"kind\":\"%s\",\"actor\":",
		    i ? "," : "", e->t_ms, ev_kind_name(e->kind));
		buf_json_str(&b, e->actor);
		buf_puts(&b, ",\"text\":");
		buf_json_str(&b, e->text);
		if (e->kind == EV_COMMAND && e->arg != HARM_NONE) {
			buf_printf(&b, ",\"harm\":\"%s\"", harm_name(e->arg));
		}
		if (e->detail != NULL) {
			buf_puts(&b, ",\"detail\":");
			buf_json_str(&b, e->detail);
		}
		if (e->result != NULL) {
			buf_puts(&b, ",\"result\":");
			buf_json_str(&b, e->result);
		}
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"commands\":[");
	for (i = 0; i < s->nres; i++) {
		buf_printf(&b, "%s{\"t_ms\":%ld,\"line\":", i ? "," : "",
		    s->res[i].t_ms);
		buf_json_str(&b, s->res[i].line);
		buf_printf(&b, ",\"ok\":%s,\"output\":", s->res[i].ok ?
		    "true" : "false");
		buf_json_str(&b, s->res[i].output);
		buf_putc(&b, '}');
	}
	buf_printf(&b, "],\"state_hash\":\"%016llx\"}\n",
	    (unsigned long long)game_state_hash(g));
	fputs(buf_str(&b), stdout);
	buf_fini(&b);
}

static void
print_summary(struct session *s, const struct score *sc, int quiet)
{
	struct game	*g = &s->g;
	char		 a[32], b[32], clk[16];
	int		 i, p;

	printf("firedrill run · %s · §%s %s · seed %llu\n", g->inc.id,
	    g->inc.section, g->inc.title, (unsigned long long)g->seed);
	if (!quiet && s->nres > 0) {
		printf("\nCommands\n");
		for (i = 0; i < s->nres; i++) {
			char *line = escape_str(s->res[i].line);

			duration_clock(s->res[i].t_ms, a, sizeof a);
			/* A refused line may hold anything: show it as text. */
			printf("[%s] > %s%s\n", a, line,
			    s->res[i].ok ? "" : "   (refused)");
			free(line);
			if (*s->res[i].output != '\0') {
				const char *o = s->res[i].output, *nl;

				while (*o != '\0') {
					nl = strchr(o, '\n');
					printf("    %.*s\n", nl != NULL ?
					    (int)(nl - o) : (int)strlen(o), o);
					o = nl != NULL ? nl + 1 : o + strlen(o);
				}
			}
		}
	}
	duration_clock(game_now_ms(g), a, sizeof a);
	printf("\nOutcome: %s after %s of sim time", g->outcome, a);
	if (g->ph.t0 >= 0) {
		duration_clock(g->ph.t0, b, sizeof b);
		printf(" (impact began at %s)", b);
	}
	printf("\n\nPhase       time / target    points\n");
	for (p = 0; p < PH_COUNT; p++) {
		long t = game_phase_ms(g, p);

		duration_clock(game_phase_target_ms(g, p), b, sizeof b);
		if (t >= 0)
			duration_clock(t, a, sizeof a);
		else
			snprintf(a, sizeof a, "-");
		printf("%-9s %7s / %-7s %4d/%d%s\n", phase_name(p), a, b,
		    sc->phase_pts[p], sc->phase_max[p], t < 0 ? "  not reached" :
		    t <= game_phase_target_ms(g, p) ? "" : "  late");
	}
	printf("\nScore %d (grade %s): harmful actions -%d, error budget -%d"
	    " (%.2f%% burned), hints -%d, wrong diagnoses -%d, bonus +%d\n",
	    sc->total, sc->grade, sc->harm_penalty, sc->budget_penalty,
	    sc->budget_burned_pct, sc->hint_penalty, sc->diag_penalty,
	    sc->bonus);
	printf("\nTimeline\n");
	for (i = 0; i < g->tl.n; i++) {
		const struct event *e = &g->tl.v[i];

		if (e->kind == EV_COMMAND && quiet)
			continue;
		duration_clock(e->t_ms, a, sizeof a);
		printf("  %7s %s  %-14s %s%s%s%s\n", a,
		    cmd_fmt_clock(g, e->t_ms, clk, sizeof clk),
		    ev_kind_name(e->kind), e->text,
		    e->kind == EV_COMMAND && e->arg != HARM_NONE ? "  [" : "",
		    e->kind == EV_COMMAND && e->arg != HARM_NONE ?
		    harm_name(e->arg) : "",
		    e->kind == EV_COMMAND && e->arg != HARM_NONE ? "]" : "");
		if (e->kind == EV_COMMAND && e->detail != NULL &&
		    e->arg != HARM_NONE)
			printf("            why: %s\n", e->detail);
	}
}

void
cli_run_report(struct session *s, const struct score *sc, int json,
    int quiet)
{
	if (json)
		print_json(s, sc, NULL, 0);
	else
		print_summary(s, sc, quiet);
}

static void
usage_run(FILE *f)
{
	fputs("usage: firedrill run INCIDENT [--seed N] [--commands FILE|-]"
	    " [--until DURATION]\n"
	    "                     [--trace METRIC[,METRIC...]]"
	    " [--trace-every DURATION] [--json]\n"
	    "                     [--db PATH] [--no-record]"
	    " [--player NAME] [--quiet] [--play-on]\n\n"
	    "  INCIDENT            an id from 'firedrill list' or the path of"
	    " an incident .lua\n"
	    "  --seed N            the run's seed (default 1)\n"
	    "  --commands FILE|-   timed commands, one a line: '1:30 ack"
	    " ALRT-POOL' (also 90s, 2m, 1:02:03)\n"
	    "  --expert            play the incident's own expert path\n"
	    "  --until DURATION    stop at this sim time (outcome timeout if"
	    " undecided)\n"
	    "  --trace M[,M...]    per-second series of these metrics (a bare"
	    " name: every series)\n"
	    "  --trace-every DUR   trace resolution, a multiple of 100ms"
	    " (default 1s)\n"
	    "  --json              one JSON object instead of the summary\n"
	    "  --db PATH           the session database (default: $FIREDRILL_DB"
	    " or\n"
	    "                      $XDG_DATA_HOME/firedrill/firedrill.db)\n"
	    "  --no-record         do not record the session\n"
	    "  --player NAME       who played (default $USER)\n"
	    "  --quiet             leave command output and commands out of"
	    " the summary\n"
	    "  --play-on           keep simulating after the outcome, up to"
	    " --until\n\n"
	    "--until is at most 7d; without it a run stops at 4:00:00 (the run"
	    " cap).  A command\n"
	    "timed at or after the end of the run is an error.  A trace holds"
	    " at most 1000000\n"
	    "points (series x samples).\n", f);
}

int
cli_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "commands", required_argument, NULL, 'c' },
		{ "until", required_argument, NULL, 'u' },
		{ "trace", required_argument, NULL, 't' },
		{ "trace-every", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "no-record", no_argument, NULL, 'n' },
		{ "player", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "play-on", no_argument, NULL, 'P' },
		{ "expert", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct session	 s;
	struct score	 sc;
	struct recording rec;
	struct trace	*tr = NULL;
	const char	*commands = NULL, *db = NULL, *player = NULL;
	char		*cause = NULL, *text, **traces = NULL;
	unsigned long long seed = 1;
	long		 until = -1, every = 1000, now;
	int		 ch, json = 0, norecord = 0, quiet = 0, i, ntr = 0;
	int		 playon = 0, expert = 0;
	int		 ntraces = 0, status = 0;
	const char	*env;
	char		 clk[32], clk2[32];

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cli_parse_number(optarg, ULLONG_MAX, &seed) != 0) {
				cli_error("--seed: '%s' is not a whole number",
				    optarg);
				goto usage;
			}
			break;
		case 'c':
			commands = optarg;
			break;
		case 'u':
			if (duration_parse(optarg, &until) != 0) {
				cli_error("--until: bad duration '%s'", optarg);
				goto usage;
			}
			if (until > RUN_UNTIL_MAX_MS) {
				cli_error("--until: at most 7 days (7d), not"
				    " '%s'", optarg);
				goto usage;
			}
			break;
		case 't':
			traces = xreallocarray(traces, ntraces + 1,
			    sizeof *traces);
			traces[ntraces++] = optarg;
			break;
		case 'e':
			if (duration_parse(optarg, &every) != 0 ||
			    every < TICK_MS || every % TICK_MS != 0) {
				cli_error("--trace-every: a multiple of 100ms,"
				    " not '%s'", optarg);
				goto usage;
			}
			break;
		case 'j':
			json = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'n':
			norecord = 1;
			break;
		case 'p':
			if (cli_check_name("--player", optarg) != 0)
				goto usage;
			player = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'P':
			playon = 1;
			break;
		case 'x':
			expert = 1;
			break;
		case 'h':
			usage_run(stdout);
			free(traces);
			return (0);
		default:
			usage_run(stderr);
			free(traces);
			return (2);
		}
	}
	if (argc - optind != 1) {
		usage_run(stderr);
		free(traces);
		return (2);
	}
	/* An empty path would be SQLite's private temporary database. */
	if (db != NULL && *db == '\0') {
		cli_error("--db: the path is empty");
		free(traces);
		return (2);
	}
	if (session_open(&s, cli_datadir(), argv[optind], seed, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		free(traces);
		return (1);
	}
	if (expert && commands != NULL) {
		cli_error("--expert and --commands: choose one");
		goto fail;
	}
	if (expert) {
		char *name = xasprintf("%s (expert)", s.g.inc.id);

		if (s.g.inc.db.expert == NULL) {
			cli_error("%s has no expert path", s.g.inc.id);
			free(name);
			goto fail;
		}
		i = session_queue_text(&s, name, s.g.inc.db.expert, &cause);
		free(name);
		if (i != 0) {
			cli_error("%s", cause);
			free(cause);
			goto fail;
		}
	}
	if (commands != NULL) {
		FILE	*f = strcmp(commands, "-") == 0 ? stdin :
			    fopen(commands, "r");

		if (f == NULL) {
			cli_error("cannot open %s: %s", commands,
			    strerror(errno));
			goto fail;
		}
		text = cli_slurp(f, commands, &cause);
		if (f != stdin)
			fclose(f);
		if (text == NULL || session_queue_text(&s, strcmp(commands,
		    "-") == 0 ? "<stdin>" : commands, text, &cause) != 0) {
			free(text);
			cli_error("%s", cause);
			free(cause);
			goto fail;
		}
		free(text);
		/* The loop below stops at end: later commands never run. */
		for (i = s.qpos; i < s.nq; i++) {
			long end_ms = until >= 0 ? until : SESSION_RUN_CAP_MS;

			if (s.q[i].t_ms < end_ms)
				continue;
			duration_clock(s.q[i].t_ms, clk, sizeof clk);
			duration_clock(end_ms, clk2, sizeof clk2);
			cli_error("%s: %s is after the end of the run (%s, %s)",
			    s.q[i].where, clk, clk2, until >= 0 ? "--until" :
			    "the run cap");
			goto fail;
		}
	}
	for (i = 0; i < ntraces; i++) {
		if (add_traces(&s, traces[i], &tr, &ntr, &cause) != 0) {
			cli_error("%s", cause);
			free(cause);
			goto fail;
		}
	}
	if (ntr > 0) {
		long end_ms = until >= 0 ? until : SESSION_RUN_CAP_MS;
		long long points = (long long)ntr * (end_ms / every + 1);

		if (points > TRACE_MAX_POINTS) {
			duration_clock(end_ms, clk, sizeof clk);
			cli_error("--trace: %d series every %ld ms for %s is"
			    " %lld points, more than %d (fewer metrics, a"
			    " shorter --until or a larger --trace-every)", ntr,
			    every, clk, points, TRACE_MAX_POINTS);
			goto fail;
		}
	}
	if (playon && until < 0) {
		cli_error("--play-on needs --until");
		goto fail;
	}
	s.g.play_on = playon;
	memset(&rec, 0, sizeof rec);
	if (!norecord)
		record_begin(&rec, &s, db, "run", player != NULL ? player :
		    (getenv("USER") != NULL ? getenv("USER") : "player"));
	sample(&s, tr, ntr);
	for (;;) {
		now = session_now_ms(&s);
		if ((s.g.over && !playon) ||
		    now >= (until >= 0 ? until : SESSION_RUN_CAP_MS))
			break;
		session_tick(&s);
		if (!norecord)
			record_tick(&rec, &s);
		if (session_now_ms(&s) % every == 0)
			sample(&s, tr, ntr);
	}
	if (!s.g.over)
		game_end(&s.g, "timeout");
	record_score(&s, &sc);
	if (!norecord && record_end(&rec, &s, &sc, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		/* A database the user named must be there: say so in $?. */
		env = getenv("FIREDRILL_DB");
		if (db != NULL || (env != NULL && *env != '\0'))
			status = 1;
	}
	record_fini(&rec);
	if (json)
		print_json(&s, &sc, tr, ntr);
	else
		print_summary(&s, &sc, quiet);
	for (i = 0; i < ntr; i++)
		buf_fini(&tr[i].pts);
	free(tr);
	free(traces);
	session_close(&s);
	return (status);
fail:
	for (i = 0; i < ntr; i++)
		buf_fini(&tr[i].pts);
	free(tr);
	free(traces);
	session_close(&s);
	return (1);
usage:
	/* A bad option value: its one-line error is out already. */
	free(traces);
	return (2);
}
