/*
 * Random command lines for tests/random-commands.sh, deterministic from a
 * seed: shapes from the command table's usage strings, nouns from the
 * loaded incident's world, and values chosen to break parsers (huge and
 * odd numbers, bad durations, unicode, broken UTF-8, control bytes, long
 * lines).  Prints "TIMEms COMMAND" lines a commands file can hold.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "session/session.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static uint64_t	rs;

static uint64_t
rnd(void)
{
	uint64_t	z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static int
pick(int n)
{
	return (n > 0 ? (int)(rnd() % (uint64_t)n) : 0);
}

#define ONE(a)	((a)[pick(sizeof (a) / sizeof (a)[0])])

struct words {
	char	**v;
	int	  n;
};

static struct words	nouns, svcs, edges, metrics, alerts, tables, jobs;
static struct words	nodes, keyspaces, patches, causes, queries, routes;

static void
add(struct words *p, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	p->v[p->n++] = xstrdup(s);
}

static const char *
from(struct words *p)
{
	if (p->n == 0)
		return (nouns.n > 0 ? nouns.v[pick(nouns.n)] : "x");
	return (p->v[pick(p->n)]);
}

static const char *const values[] = {
	"0", "1", "2", "5", "10", "50", "100", "101", "1000", "-1", "-0",
	"1.5", "0.0001", "1e308", "1e-308", "99999999999999999999",
	"18446744073709551616", "9223372036854775807", "2147483648",
	"0x10", "nan", "inf", "-inf", "1e9", "NaN", "+5", "5%", "100%",
	"250%", "-5%", "%", "90s", "2m", "1:30", "1:02:03", "500ms", "1h",
	"1d", "365d", "9999999h", "5555555555555555555551:30", "99999:99",
	"1:99", "1:60:00", "1:1e15", ".5s", "0s", "10m", "1e9d", "100G",
	"1T", "10Gi", "0G", "-10G", "SEV1", "SEV2", "SEV4", "SEV0", "SEV9",
	"all", "on", "off", "true", "yes", "--all", "--rolling", "-n",
	"--since", "--app", "--by", "--window", "--full", "--concurrently",
	"--per-ip", "--status", "--older", "--before-last-basebackup",
	"canary", "rolling", "1srv", "read", "write", "*", "?", "[",
	"{", "}", "{svc=\"order\"}", "a->b", "->", ":", ".", "..", "=", ",",
	",,", "job:", "gw:", "topic:", "group:", "dns:", "err>1%",
	"err>abc", "auto_rollback=err>0%", "bake=0", "bake=9999999h",
	"threads=0", "threads=-1", "threads=99999999999", "at=101%",
	"window=1e9d", "k=v", "read=-1,write=5", "\"\"", "\"unterminated",
	"#comment", "\\", "%s%n%x", "%.9999f", "'; DROP TABLE x; --",
};

static const char *const listvals[] = {
	"1", "5", "25", "50", "100", "0", "101", "abc", "5%", "1s", "2s",
	"4s", "10m", "", "1e9", "-5", "nan",
};

static const char *const sizes[] = {
	"100G", "1T", "500M", "0G", "-10G", "1e9G", "99999999999999999999G",
	"10", "G", "1.5T", "10Gi", "abc",
};

static const char *const weird[] = {
	"\xc3\xa9t\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	"\xf0\x9f\x94\xa5", "\xe2\x80\xae" "evil", "e\xcc\x81",
	"\xe2\x80\x8b", "\xef\xbb\xbf", "\xff", "\xc3", "\xc2\x9b" "2J",
	"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x01", "\x1b[2J",
	"\x1b]0;x\x07", "\x7f", "\t", "\v", "\f", "a\rb", "\x08\x08",
};

static const char *const verbs_extra[] = {
	"kill-query", "create-index", "pool", "timeout", "cache", "partition",
	"consumer", "dns", "cert", "fence", "failover", "db", "queue",
	"clock", "deploys", "hypothesis", "frobnicate", "", "s", "sh", "sc",
	"r", "re", "e", "d", "SHOW", "Show", "show\xc3\xa9", "he", "ki",
};

/* Deeper forms of catalog B than the usage strings spell out. */
static const char *const templates[] = {
	"set deploy.SVC.strategy canary LIST [bake=DUR] [auto_rollback=\"err>N%\"]",
	"set deploy.SVC.strategy canary LIST",
	"set deploy.SVC.strategy rolling|canary|blue",
	"set EDGE.backoff LIST", "set EDGE.retries N", "set EDGE.timeout DUR",
	"set EDGE.budget N", "set SVC.timeout DUR",
	"set SVC.db_pool.split read=N,write=N", "set SVC.db_pool.acquire_timeout DUR",
	"set SVC.KEY VALUE", "set NODE.KEY VALUE", "set cache.KEY VALUE",
	"pool split SVC N/N", "pool resize SVC N", "timeout set SVC DUR",
	"scale SVC.db_pool N", "scale SVC.threads N", "scale SVC N",
	"scale topic:NAME.partitions N", "scale group:NAME N",
	"breaker open|close|auto EDGE",
	"enable|disable breaker EDGE", "enable|disable bulkhead EDGE threads=N",
	"enable|disable alert ALERT_ID", "enable alert NAME EXPR",
	"enable|disable mutex|bg-refresh|xfetch|coalesce|ttl-jitter|null-cache|bloom|serve-stale|local-cache|replicate-key KEYSPACE [k=v]",
	"enable bg-refresh KEYSPACE at=N%", "enable null-cache KEYSPACE ttl=DUR",
	"enable replicate-key KEYSPACE copies=N", "enable serve-stale KEYSPACE s=N",
	"enable|disable sticky-reads|causal-reads SVC [window=DUR]",
	"enable|disable sync-repl TABLES", "enable|disable disk-autoexpand NODE [at=N%]",
	"run db create-index T(COLS) [--concurrently] [--unique]",
	"run db drop-index NAMES", "run db vacuum T [--full]",
	"run db failover NODE", "run db fence NODE", "failover NODE", "fence NODE",
	"run disk expand NODE SIZE",
	"run disk clean NODE wal-archive|logs --older DUR",
	"run disk clean NODE wal-archive --before-last-basebackup",
	"run cache warm|flush KEYSPACE", "cache warm KEYSPACE --rate N%/min",
	"cache mutex|jitter|null-cache|bloom|local-cache|replicate-key KEYSPACE [k=v]",
	"run infra provision olap-db", "run cert renew NAME",
	"ratelimit ROUTE N|off [--per-ip] [--status 404]",
	"graph METRIC [--window DUR] [--by LABEL]",
	"logs SVC|all [-g TEXT] [--since DUR] [-n N]",
	"kill query PID", "kill job NAME", "kill-query PID", "kill query QUERY_ID",
	"declare SEV [--scope \"TEXT\"]", "diagnose RC_ID", "hypothesis RC_ID",
	"deploy SVC PATCH [--canary LIST]", "flag on|off NAME [--pct N]",
	"rollback SVC [--to VER]", "restart SVC [--rolling]", "page TEAM \"TEXT\"",
	"explain QUERY_ID", "trace ROUTE", "show svc SVC", "show gw [ROUTE]",
	"show db activity [--app SVC]", "show indexes T", "show disk [NODE]",
	"show metrics [METRIC]", "changes [--since DUR] [SVC]", "ack ALERT_ID|all",
	"note TEXT", "help [VERB]", "db activity|locks|stats|tables|progress",
	"deploys [--since DUR]", "partition add NAME N", "consumer scale NAME N",
	"dns ttl NAME N", "cert renew NAME", "queue lag NAME", "clock",
};

static const char *const keys[] = {
	"timeout", "retries", "backoff", "budget", "db_pool",
	"db_pool.acquire_timeout", "db_pool.split", "strategy", "threads",
	"partitions", "ttl", "max_connections", "instances", "pool",
	"maxmemory-policy", "statement_timeout", "work_mem", "rate",
	"connection_limit", "nosuchkey", "", ".",
};

/* A value for the placeholder word w of a usage string. */
static void
placeholder(struct buf *b, const char *w, size_t n)
{
	char	ph[64];

	snprintf(ph, sizeof ph, "%.*s", (int)n, w);
	if (pick(8) == 0) {
		buf_puts(b, ONE(values));
		return;
	}
	if (strcmp(ph, "SVC") == 0 || strcmp(ph, "TARGET") == 0)
		buf_puts(b, from(&svcs));
	else if (strcmp(ph, "EDGE") == 0)
		buf_puts(b, from(&edges));
	else if (strncmp(ph, "METRIC", 6) == 0 || strcmp(ph, "LABEL") == 0)
		buf_puts(b, from(&metrics));
	else if (strncmp(ph, "ALERT", 5) == 0 || strcmp(ph, "ID") == 0)
		buf_puts(b, from(&alerts));
	else if (strcmp(ph, "T") == 0 || strcmp(ph, "TABLES") == 0)
		buf_puts(b, from(&tables));
	else if (strcmp(ph, "NAME") == 0 || strcmp(ph, "NAMES") == 0)
		buf_puts(b, pick(2) ? from(&jobs) : from(&nouns));
	else if (strcmp(ph, "KEY") == 0)
		buf_puts(b, ONE(keys));
	else if (strcmp(ph, "N") == 0 || strcmp(ph, "RPS") == 0 ||
	    strcmp(ph, "P") == 0 || strcmp(ph, "PID") == 0)
		buf_puts(b, ONE(values));
	else if (strncmp(ph, "DUR", 3) == 0)
		buf_puts(b, ONE(values));
	else if (strcmp(ph, "LIST") == 0) {
		int i, cnt = 1 + pick(6);

		for (i = 0; i < cnt; i++)
			buf_printf(b, "%s%s", i ? "," : "", pick(3) == 0 ?
			    ONE(values) : (pick(4) == 0 ? "1srv" :
			    ONE(listvals)));
	} else if (strcmp(ph, "SIZE") == 0)
		buf_puts(b, ONE(sizes));
	else if (strcmp(ph, "SEV") == 0)
		buf_printf(b, "SEV%d", pick(6));
	else if (strcmp(ph, "COLS") == 0)
		buf_printf(b, "%s,%s", ONE(keys), from(&nouns));
	else if (strcmp(ph, "RC_ID") == 0)
		buf_puts(b, from(&causes));
	else if (strcmp(ph, "PATCH") == 0)
		buf_puts(b, from(&patches));
	else if (strcmp(ph, "NODE") == 0)
		buf_puts(b, from(&nodes));
	else if (strcmp(ph, "KEYSPACE") == 0 || strcmp(ph, "PATTERN") == 0)
		buf_puts(b, from(&keyspaces));
	else if (strcmp(ph, "ROUTE") == 0)
		buf_puts(b, from(&routes));
	else if (strcmp(ph, "QUERY_ID") == 0)
		buf_puts(b, from(&queries));
	else if (strcmp(ph, "VERB") == 0)
		buf_puts(b, ONE(verbs_extra));
	else if (strcmp(ph, "TEXT") == 0 || strcmp(ph, "VALUE") == 0)
		buf_puts(b, pick(4) ? from(&nouns) : ONE(weird));
	else
		buf_puts(b, from(&nouns));
}

/* One word of a usage alternative, placeholders filled in. */
static void
word(struct buf *b, const char *w)
{
	char	 alt[256];
	size_t	 n;
	int	 k;

	if (strchr(w, '|') != NULL && strlen(w) < sizeof alt) {
		const char *p = w;

		for (k = 0, n = 0; w[n] != '\0'; n++)
			k += w[n] == '|';
		for (k = pick(k + 1); k > 0; p++)
			if (*p == '|')
				k--;
		snprintf(alt, sizeof alt, "%.*s", (int)strcspn(p, "|"), p);
		w = alt;
	}

	while (*w != '\0') {
		if (*w == '[' || *w == ']') {
			w++;
			continue;
		}
		n = 0;
		while (isupper((unsigned char)w[n]) || w[n] == '_' ||
		    (n > 0 && isdigit((unsigned char)w[n])))
			n++;
		if (n > 0 && !islower((unsigned char)w[n])) {
			placeholder(b, w, n);
			w += n;
		} else
			buf_putc(b, *w++);
	}
}

static void
junk(struct buf *b)
{
	int	i, n;

	switch (pick(20)) {
	case 0:
		n = 100 + pick(1100);
		for (i = 0; i < n; i++)
			buf_putc(b, 'a' + pick(26));
		break;
	case 1: case 2: case 3: case 4:
		buf_puts(b, ONE(weird));
		break;
	case 5:
		buf_printf(b, "%s.%s", from(&svcs), ONE(keys));
		break;
	case 6:
		buf_printf(b, "deploy.%s.strategy", from(&svcs));
		break;
	case 7:
		n = 1 + pick(6);
		for (i = 0; i < n; i++)
			buf_printf(b, "%s%s", i ? "," : "", pick(2) ?
			    ONE(values) : from(&nouns));
		break;
	case 8:
		buf_printf(b, "\"%s %s\"", from(&nouns), ONE(values));
		break;
	case 9: case 10:
		buf_printf(b, "%s=%s", ONE(keys), ONE(values));
		break;
	default:
		buf_puts(b, pick(2) ? ONE(values) : from(&nouns));
		break;
	}
}

static void
line(struct buf *b)
{
	const struct cmd_entry	*e;
	const char		*u, *alt, *p;
	char			*copy, *w, *save = NULL;
	int			 nalt, k, i;

	if (pick(200) == 0) {		/* many words */
		for (i = 0, k = 30 + pick(20); i < k; i++)
			buf_printf(b, "%s%s", i ? " " : "", from(&nouns));
		return;
	}
	if (pick(12) == 0) {
		buf_puts(b, ONE(verbs_extra));
		for (i = 0, k = pick(5); i < k; i++) {
			buf_putc(b, ' ');
			junk(b);
		}
		return;
	}
	if (pick(5) < 2) {
		copy = xstrdup(ONE(templates));
		for (w = strtok_r(copy, " ", &save), i = 0; w != NULL;
		    w = strtok_r(NULL, " ", &save), i++) {
			if (*w == '[' && pick(2))
				continue;
			if (i > 0)
				buf_putc(b, ' ');
			if (i > 0 && pick(20) == 0)
				junk(b);
			else
				word(b, w);
		}
		free(copy);
		if (pick(6) == 0) {
			buf_putc(b, ' ');
			junk(b);
		}
		return;
	}
	for (k = 0; cmd_table[k] != NULL; k++)
		;
	/* Not abandon: the rest of the run would be refused. */
	do
		e = cmd_table[pick(k)];
	while (strcmp(e->name, "abandon") == 0);
	/* Alternatives: split on '|' after the verb. */
	u = e->usage + strlen(e->name);
	for (nalt = 1, p = u; *p != '\0'; p++)
		nalt += *p == '|';
	k = pick(nalt);
	for (alt = u; k > 0; alt++)
		if (*alt == '|')
			k--;
	copy = xstrndup(alt, strcspn(alt, "|"));
	buf_puts(b, pick(10) ? e->name : (e->alias != NULL ? e->alias :
	    e->name));
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if (*w == '[' && pick(2))
			continue;	/* an optional part left out */
		buf_putc(b, ' ');
		if (pick(15) == 0)
			junk(b);
		else
			word(b, w);
	}
	free(copy);
	for (i = 0, k = pick(4) == 0 ? 1 + pick(3) : 0; i < k; i++) {
		buf_putc(b, ' ');
		junk(b);
	}
}

int
main(int argc, char **argv)
{
	struct session	 s;
	struct buf	 b;
	const char	*dd = getenv("FIREDRILL_DATADIR");
	char		*cause = NULL;
	long		 count, span, i;
	int		 j;

	if (argc != 5) {
		fprintf(stderr, "usage: gen-commands INCIDENT SEED COUNT"
		    " SPAN_MS\n");
		return (2);
	}
	rs = strtoull(argv[2], NULL, 10) * 0x2545f4914f6cdd1dULL + 1;
	count = strtol(argv[3], NULL, 10);
	span = strtol(argv[4], NULL, 10);
	if (session_open(&s, dd != NULL ? dd : ".", argv[1], 1, &cause) != 0) {
		fprintf(stderr, "gen-commands: %s\n", cause);
		return (1);
	}
	for (j = 0; j < s.g.w.nsvc; j++) {
		add(&svcs, s.g.w.svc[j].name);
		add(&nouns, s.g.w.svc[j].name);
	}
	for (j = 0; j < s.g.w.nedge; j++)
		add(&edges, s.g.w.edge[j].name);
	for (j = 0; j < s.g.m.n; j++) {
		add(&metrics, s.g.m.v[j].name);
		if (pick(4) == 0)
			add(&metrics, s.g.m.v[j].full);
	}
	for (j = 0; j < s.g.alerts.n; j++)
		add(&alerts, s.g.alerts.v[j].id);
	for (j = 0; j < s.g.w.dbx.ntable; j++) {
		add(&tables, s.g.w.dbx.table[j].name);
		add(&nouns, s.g.w.dbx.table[j].name);
	}
	for (j = 0; j < s.g.w.dbx.njob; j++)
		add(&jobs, s.g.w.dbx.job[j].name);
	for (j = 0; j < s.g.w.tenant.n; j++) {
		add(&jobs, s.g.w.tenant.v[j].job);
		add(&nouns, s.g.w.tenant.v[j].name);
		add(&nouns, s.g.w.tenant.v[j].team);
	}
	add(&jobs, "nosuchjob");
	add(&jobs, "job:nosuchjob");
	for (j = 0; j < s.g.w.dbx.nquery; j++)
		add(&queries, s.g.w.dbx.query[j].id);
	for (j = 0; j < s.g.w.ndb; j++)
		add(&nodes, s.g.w.db[j].name);
	for (j = 0; j < s.g.w.nflag; j++)
		add(&nouns, s.g.w.flag[j].name);
	for (j = 0; j < s.g.w.npatch; j++)
		add(&patches, s.g.w.patch[j].name);
	for (j = 0; j < s.g.w.cache.nks; j++)
		add(&keyspaces, s.g.w.cache.ks[j].pattern);
	for (j = 0; j < s.g.w.nroute; j++) {
		char *q = xasprintf("\"gw:%s\"", s.g.w.route[j].name);

		add(&routes, q);
		free(q);
	}
	add(&causes, s.g.inc.root_cause);
	for (j = 0; j < s.g.inc.nnear; j++)
		add(&causes, s.g.inc.near[j].id);
	for (j = 0; j < s.g.inc.ndecoys; j++)
		add(&causes, s.g.inc.decoys[j]);
	/* Every name is also a noun anywhere else. */
	{
		struct words *all[] = { &queries, &nodes, &patches,
		    &keyspaces, &routes, &causes };
		int a;

		for (a = 0; a < 6; a++)
			for (j = 0; j < all[a]->n; j++)
				add(&nouns, all[a]->v[j]);
	}
	for (j = 0; j < edges.n; j++)
		add(&nouns, edges.v[j]);
	for (j = 0; j < alerts.n; j++)
		add(&nouns, alerts.v[j]);
	add(&nouns, "nosuch");
	session_close(&s);

	buf_init(&b);
	for (i = 0; i < count; i++) {
		buf_clear(&b);
		line(&b);
		/* A line of its own: no newline or NUL inside. */
		for (j = 0; j < (int)b.len; j++)
			if (b.data[j] == '\n' || b.data[j] == '\0')
				b.data[j] = ' ';
		/* A commands file skips blank lines and comments. */
		for (j = 0; isspace((unsigned char)b.data[j]); j++)
			;
		if (b.data[j] == '\0' || b.data[j] == '#') {
			buf_clear(&b);
			buf_puts(&b, "status");
		}
		printf("%ldms %s\n", 100 + i * (span - 100) / count,
		    buf_str(&b));
	}
	buf_fini(&b);
	return (0);
}
