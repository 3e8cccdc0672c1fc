/*
 * `firedrill debrief [SESSION]`: the post-mortem of a recorded session as
 * Markdown or JSON.  The session is replayed from its seed and commands
 * to recover the error-rate curve (only summaries are stored), the
 * expert path is run on the same seed beside it, and the score is
 * recomputed from the stored timeline and post-mortem answers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/debrief.h"
#include "session/replay.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static void
usage_debrief(FILE *f)
{
	fputs("usage: firedrill debrief [SESSION] [--format md|json]"
	    " [-o FILE] [--db PATH]\n\n"
	    "  SESSION           a session id, or 'last' (the default)\n"
	    "  --format md|json  Markdown (default) or one JSON object\n"
	    "  -o FILE           write to FILE instead of standard output\n"
	    "  --db PATH         the session database (default: $FIREDRILL_DB"
	    " or\n"
	    "                    $XDG_DATA_HOME/firedrill/firedrill.db)\n", f);
}

/* The user-facing error rate, once a sim second, by replaying. */
static void
error_curve(struct session *s, long until_ms, struct rate_series *err)
{
	int	id = metrics_find(&s->g.m, "slo_bad_fraction_pct");

	err->n = 0;
	err->v = xcalloc((size_t)(until_ms / 1000 + 2), sizeof *err->v);
	while (session_now_ms(s) < until_ms) {
		session_tick(s);
		if (session_now_ms(s) % 1000 == 0 && id >= 0 &&
		    err->n <= until_ms / 1000)
			err->v[err->n++] = metrics_get(&s->g.m, id);
	}
}

int
cli_debrief(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stored_session	 ss;
	struct session		 s, x;
	struct score_input	 in = { 0 };
	struct score		 sc;
	struct debrief_in	 d;
	struct rate_series	 err = { NULL, 0 };
	struct buf		 out;
	const char		*db = NULL, *file = NULL, *format = "md";
	char			*cause = NULL, *outcome = NULL, clk[16];
	int64_t			 id = 0;
	int			 ch, have_x, rc = 1;
	FILE			*f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			if (strcmp(format, "md") != 0 &&
			    strcmp(format, "json") != 0) {
				cli_error("debrief: --format is md or json, not"
				    " '%s'", optarg);
				return (2);
			}
			break;
		case 'o':
			file = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage_debrief(stdout);
			return (0);
		default:
			usage_debrief(stderr);
			return (2);
		}
	}
	if (argc - optind > 1) {
		usage_debrief(stderr);
		return (2);
	}
	if (argc - optind == 1 && cli_session_id("debrief", argv[optind],
	    &id) != 0)
		return (2);
	if (cli_load_session(db, id, &ss) != 0)
		return (1);
	if (ss.outcome == NULL || strcmp(ss.outcome, "running") == 0) {
		cli_error("debrief: session %lld has not ended",
		    (long long)ss.id);
		stored_session_free(&ss);
		return (1);
	}
	if (replay_open(&s, cli_datadir(), &ss, -1, &cause) != 0) {
		cli_error("debrief: %s", cause);
		free(cause);
		stored_session_free(&ss);
		return (1);
	}
	error_curve(&s, (long)ss.sim_ms, &err);
	/* No expert path: the debrief goes without that section. */
	have_x = session_expert(&x, cli_datadir(), s.path, ss.seed,
	    &cause) == 0;
	free(cause);
	cause = NULL;

	in.tl = &ss.tl;
	in.t0_ms = -1;
	in.sev_scale = s.g.inc.sev_scale;
	in.db = &s.g.inc.db;
	in.pm = &ss.pm;
	score_compute(&in, &sc);

	memset(&d, 0, sizeof d);
	d.inc = &s.g.inc;
	d.tl = &ss.tl;
	d.expert = have_x ? &x.g.tl : NULL;
	d.pm = &ss.pm;
	d.sc = &sc;
	d.err = &err;
	d.session_id = ss.id;
	d.player = ss.player;
	d.outcome = ss.outcome;
	/* What was recorded before the process died, and where it stops. */
	if (strcmp(ss.outcome, "interrupted") == 0 &&
	    strcmp(format, "md") == 0) {
		duration_clock((long)ss.sim_ms, clk, sizeof clk);
		outcome = xasprintf("interrupted at %s", clk);
		d.outcome = outcome;
	}
	d.seed = ss.seed;
	d.sim_ms = (long)ss.sim_ms;
	d.score_version = ss.scored ? ss.score_version : SCORE_VERSION;
	d.stored_total = ss.scored ? ss.score_total : -1;
	d.stored_grade = ss.scored ? ss.grade : NULL;
	buf_init(&out);
	if (strcmp(format, "json") == 0)
		debrief_json(&d, &out);
	else
		debrief_markdown(&d, &out);

	f = file != NULL ? fopen(file, "w") : stdout;
	if (f == NULL)
		cli_error("debrief: cannot write %s: %s", file,
		    strerror(errno));
	else {
		if (fwrite(out.data, 1, out.len, f) == out.len &&
		    fflush(f) == 0)
			rc = 0;
		else
			cli_error("debrief: cannot write %s: %s", file != NULL ?
			    file : "standard output", strerror(errno));
		if (f != stdout && fclose(f) != 0 && rc == 0) {
			cli_error("debrief: cannot write %s: %s", file,
			    strerror(errno));
			rc = 1;
		}
	}
	buf_fini(&out);
	free(outcome);
	free(err.v);
	if (have_x)
		session_close(&x);
	session_close(&s);
	stored_session_free(&ss);
	return (rc);
}
