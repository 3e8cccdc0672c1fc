/*
 * `firedrill history` and `firedrill stats`: what the store remembers of
 * past sessions, as a table or as JSON.  Both only read the database;
 * neither creates one.  The JSON keys are a contract, like run --json's.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "script/family.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/xmalloc.h"

#define HISTORY_LIMIT	20	/* rows by default */

static const char *phase_names[4] = { "detect", "triage", "mitigate", "fix" };

static const char *nothing_yet =
    "no sessions yet — play one with `firedrill play`";

/* Columns a UTF-8 string takes: one per character. */
static int
width(const char *s)
{
	int	w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return (w);
}

/* s padded to w columns, on the left when right is set. */
static void
cell(struct buf *b, const char *s, int w, int right)
{
	int	pad = w - width(s);

	if (right)
		while (pad-- > 0)
			buf_putc(b, ' ');
	buf_puts(b, s);
	if (!right)
		while (pad-- > 0)
			buf_putc(b, ' ');
}

/* m:ss (h:mm:ss from an hour), or the dash when never reached. */
static const char *
clock_ms(int64_t ms, char *out, size_t len)
{
	if (ms >= 0)
		return (duration_clock((long)ms, out, (unsigned)len));
	snprintf(out, len, "%s", cli_dash());
	return (out);
}

static void
json_ms(struct buf *b, int64_t ms)
{
	if (ms < 0)
		buf_puts(b, "null");
	else
		buf_printf(b, "%lld", (long long)ms);
}

/* Open the database or say why not; NULL with *status 0: none yet. */
static struct store *
open_db(const char *db, int *status)
{
	struct store	*s;
	char		*cause = NULL;

	*status = 0;
	if ((s = cli_store_read(db, &cause)) == NULL && cause != NULL) {
		cli_error("%s", cause);
		free(cause);
		*status = 1;
	}
	return (s);
}

static void
usage_history(FILE *f)
{
	fputs("usage: firedrill history [--incident ID] [--limit N] [--json]"
	    " [--db PATH]\n\n"
	    "Past sessions, newest first: when, incident, seed, outcome,"
	    " score, grade and\n"
	    "the DETECT, TRIAGE, MITIGATE and FIX times (— when never"
	    " reached).\n\n"
	    "  --incident ID    only this incident's sessions\n"
	    "  --limit N        at most N sessions (default 20; 0: all)\n"
	    "  --json           an array of objects instead of the table\n"
	    "  --db PATH        the session database (default: $FIREDRILL_DB"
	    " or\n"
	    "                   $XDG_DATA_HOME/firedrill/firedrill.db)\n", f);
}

static void
history_json(struct buf *b, const struct store_hist *v, size_t n)
{
	size_t	i;
	int	p;

	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		const struct store_hist *h = &v[i];

		buf_printf(b, "%s{\"id\":%lld,\"started_at\":%lld,\"player\":",
		    i > 0 ? "," : "", (long long)h->id,
		    (long long)h->started_at);
		buf_json_str(b, h->player);
		buf_puts(b, ",\"incident\":");
		buf_json_str(b, h->incident);
		buf_printf(b, ",\"seed\":%llu,\"mode\":",
		    (unsigned long long)h->seed);
		buf_json_str(b, h->mode);
		buf_puts(b, ",\"outcome\":");
		buf_json_str(b, h->outcome);
		buf_puts(b, ",\"sim_ms\":");
		json_ms(b, h->sim_ms);
		if (h->scored) {
			buf_printf(b, ",\"score\":%d,\"grade\":", h->total);
			buf_json_str(b, h->grade);
		} else
			buf_puts(b, ",\"score\":null,\"grade\":null");
		for (p = 0; p < 4; p++) {
			buf_printf(b, ",\"%s_ms\":", phase_names[p]);
			json_ms(b, h->phase_ms[p]);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "]\n");
}

static void
history_table(struct buf *b, const struct store_hist *v, size_t n)
{
	char		 when[32], t[32], score[16];
	struct tm	 tm;
	time_t		 at;
	size_t		 i;
	int		 p;

	buf_printf(b, "%5s  %-16s  %-24s %6s  %-11s %5s %-5s  %8s %8s %8s"
	    " %8s\n", "ID", "WHEN", "INCIDENT", "SEED", "OUTCOME", "SCORE",
	    "GRADE", "DETECT", "TRIAGE", "MITIGATE", "FIX");
	for (i = 0; i < n; i++) {
		const struct store_hist *h = &v[i];

		at = (time_t)h->started_at;
		if (localtime_r(&at, &tm) == NULL ||
		    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm) == 0)
			snprintf(when, sizeof when, "%lld",
			    (long long)h->started_at);
		buf_printf(b, "%5lld  %-16s  %-24s %6llu  %-11s ",
		    (long long)h->id, when, h->incident,
		    (unsigned long long)h->seed, h->outcome);
		if (h->scored)
			snprintf(score, sizeof score, "%d", h->total);
		else
			snprintf(score, sizeof score, "%s", cli_dash());
		cell(b, score, 5, 1);
		buf_putc(b, ' ');
		cell(b, h->scored && h->grade[0] != '\0' ? h->grade :
		    cli_dash(), 5, 0);
		buf_putc(b, ' ');
		for (p = 0; p < 4; p++) {
			buf_putc(b, ' ');
			cell(b, clock_ms(h->phase_ms[p], t, sizeof t), 8, 1);
		}
		buf_putc(b, '\n');
	}
}

int
cli_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*s;
	struct store_hist	*v;
	struct buf		 b;
	const char		*incident = NULL, *db = NULL;
	char			*cause = NULL;
	unsigned long long	 num;
	size_t			 n;
	long			 limit = HISTORY_LIMIT;
	int			 ch, json = 0, status;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			incident = optarg;
			break;
		case 'l':
			if (cli_parse_number(optarg, 1000000, &num) != 0) {
				cli_error("--limit: '%s' is not a count",
				    optarg);
				return (2);
			}
			limit = (long)num;
			break;
		case 'j':
			json = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage_history(stdout);
			return (0);
		default:
			usage_history(stderr);
			return (2);
		}
	}
	if (optind != argc) {
		usage_history(stderr);
		return (2);
	}
	if ((s = open_db(db, &status)) == NULL) {
		if (status == 0)
			puts(json ? "[]" : nothing_yet);
		return (status);
	}
	if (store_history(s, incident, limit == 0 ? -1 : (int)limit, &v, &n,
	    &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		store_close(s);
		return (1);
	}
	store_close(s);
	buf_init(&b);
	if (json)
		history_json(&b, v, n);
	else if (n == 0 && incident != NULL)
		buf_printf(&b, "no sessions of %s yet — play it with"
		    " `firedrill play %s`\n", incident, incident);
	else if (n == 0)
		buf_printf(&b, "%s\n", nothing_yet);
	else
		history_table(&b, v, n);
	fputs(buf_str(&b), stdout);
	buf_fini(&b);
	store_history_free(v, n);
	return (0);
}

/* ---- stats ---- */

struct family_stats {
	int			 family;	/* 0: overall */
	struct store_stats	 ss;
};

static void
usage_stats(FILE *f)
{
	fputs("usage: firedrill stats [--json] [--db PATH]\n\n"
	    "How each family of incidents has gone: sessions played to an"
	    " end, best grade,\n"
	    "median DETECT, TRIAGE, MITIGATE and FIX times over the sessions"
	    " that reached\n"
	    "them, and the interview signal with the fewest stars on average;"
	    " then all\n"
	    "sessions together.\n\n"
	    "  --json           one object instead of the table\n"
	    "  --db PATH        the session database (default: $FIREDRILL_DB"
	    " or\n"
	    "                   $XDG_DATA_HOME/firedrill/firedrill.db)\n", f);
}

/* "blast_radius" reads as "blast radius" in the table. */
static void
signal_words(struct buf *b, int k, double avg)
{
	const char	*p;

	for (p = store_signal_name(k); *p != '\0'; p++)
		buf_putc(b, *p == '_' ? ' ' : *p);
	buf_printf(b, " (%.1f/3)", avg);
}

static void
stats_row(struct buf *b, const char *label, const struct store_stats *ss)
{
	char	t[32], best[16];
	int	p, w;

	cell(b, label, 22, 0);
	buf_printf(b, " %6d  ", ss->played);
	if (ss->best_rank >= 0)
		snprintf(best, sizeof best, "%s %d", ss->best_grade,
		    ss->best_total);
	else
		snprintf(best, sizeof best, "%s", cli_dash());
	cell(b, best, 7, 0);
	for (p = 0; p < 4; p++) {
		buf_putc(b, ' ');
		cell(b, clock_ms(ss->median_ms[p], t, sizeof t), 8, 1);
	}
	buf_puts(b, "  ");
	if ((w = store_stats_weakest(ss)) >= 0)
		signal_words(b, w, ss->signal_avg[w]);
	else
		buf_puts(b, cli_dash());
	buf_putc(b, '\n');
}

static void
stats_json_one(struct buf *b, const struct store_stats *ss)
{
	int	p, k, w = store_stats_weakest(ss);

	buf_printf(b, "\"played\":%d,\"best_grade\":", ss->played);
	if (ss->best_rank >= 0) {
		buf_json_str(b, ss->best_grade);
		buf_printf(b, ",\"best_score\":%d", ss->best_total);
	} else
		buf_puts(b, "null,\"best_score\":null");
	buf_puts(b, ",\"median_ms\":{");
	for (p = 0; p < 4; p++) {
		buf_printf(b, "%s\"%s\":", p > 0 ? "," : "", phase_names[p]);
		json_ms(b, ss->median_ms[p]);
	}
	buf_puts(b, "},\"reached\":{");
	for (p = 0; p < 4; p++)
		buf_printf(b, "%s\"%s\":%d", p > 0 ? "," : "", phase_names[p],
		    ss->reached[p]);
	buf_printf(b, "},\"sessions_with_signals\":%d,\"signals\":{",
	    ss->nsignals);
	for (k = 0; k < STORE_NSIGNALS; k++) {
		buf_printf(b, "%s\"%s\":", k > 0 ? "," : "",
		    store_signal_name(k));
		if (ss->signal_avg[k] < 0)
			buf_puts(b, "null");
		else
			buf_json_num(b, ss->signal_avg[k]);
	}
	buf_puts(b, "},\"weakest_signal\":");
	if (w >= 0)
		buf_json_str(b, store_signal_name(w));
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"last_played_at\":");
	if (ss->last_at > 0)
		buf_printf(b, "%lld", (long long)ss->last_at);
	else
		buf_puts(b, "null");
}

/* Per family, then overall; fs has FAMILY_MAX + 1 slots, overall last. */
static int
collect_stats(struct store *s, struct family_stats *fs, char **cause)
{
	struct incident_info	 *inc = NULL;
	const char		**ids;
	int			  ninc = 0, f, i, n, error = 0;

	if (incident_list(cli_datadir(), &inc, &ninc, cause) != 0)
		return (-1);
	ids = xcalloc(ninc > 0 ? ninc : 1, sizeof *ids);
	for (f = 1; f <= FAMILY_MAX && error == 0; f++) {
		for (i = n = 0; i < ninc; i++)
			if (family_of_section(inc[i].section) == f)
				ids[n++] = inc[i].id;
		fs[f - 1].family = f;
		error = store_stats(s, ids, (size_t)n, &fs[f - 1].ss, cause);
	}
	/* Overall counts every session, those of incidents not listed too. */
	if (error == 0) {
		fs[FAMILY_MAX].family = 0;
		error = store_stats(s, NULL, 0, &fs[FAMILY_MAX].ss, cause);
	}
	free(ids);
	incident_list_free(inc, ninc);
	return (error);
}

int
cli_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct family_stats	 fs[FAMILY_MAX + 1];
	struct store		*s;
	struct buf		 b;
	const char		*db = NULL;
	char			*cause = NULL, label[40];
	int			 ch, json = 0, status, f, error;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage_stats(stdout);
			return (0);
		default:
			usage_stats(stderr);
			return (2);
		}
	}
	if (optind != argc) {
		usage_stats(stderr);
		return (2);
	}
	memset(fs, 0, sizeof fs);
	if ((s = open_db(db, &status)) == NULL) {
		if (status != 0)
			return (status);
		if (!json) {
			puts(nothing_yet);
			return (0);
		}
		/* No database yet: the same zeros an empty one gives. */
		s = store_open(":memory:", 0, &cause);
	}
	error = s == NULL ? -1 : collect_stats(s, fs, &cause);
	store_close(s);
	if (error != 0) {
		cli_error("%s", cause);
		free(cause);
		return (1);
	}
	buf_init(&b);
	if (json) {
		buf_puts(&b, "{\"families\":[");
		for (f = 0; f < FAMILY_MAX; f++) {
			buf_printf(&b, "%s{\"family\":%d,\"name\":",
			    f > 0 ? "," : "", fs[f].family);
			buf_json_str(&b, family_name(fs[f].family));
			buf_putc(&b, ',');
			stats_json_one(&b, &fs[f].ss);
			buf_putc(&b, '}');
		}
		buf_puts(&b, "],\"overall\":{");
		stats_json_one(&b, &fs[FAMILY_MAX].ss);
		buf_puts(&b, "}}\n");
	} else if (fs[FAMILY_MAX].ss.played == 0)
		buf_printf(&b, "%s\n", nothing_yet);
	else {
		buf_printf(&b, "%-22s %6s  %-7s %8s %8s %8s %8s  %s\n",
		    "FAMILY", "PLAYED", "BEST", "DETECT", "TRIAGE", "MITIGATE",
		    "FIX", "WEAKEST SIGNAL");
		for (f = 0; f < FAMILY_MAX; f++) {
			snprintf(label, sizeof label, "%d %s", fs[f].family,
			    family_name(fs[f].family));
			stats_row(&b, label, &fs[f].ss);
		}
		stats_row(&b, "overall", &fs[FAMILY_MAX].ss);
		buf_puts(&b, "Times are medians over the sessions that reached"
		    " the phase.\n");
	}
	fputs(buf_str(&b), stdout);
	buf_fini(&b);
	return (0);
}
