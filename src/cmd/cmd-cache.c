/*
 * The cache's commands: what `show cache …` reads, the mechanisms
 * `enable` switches on, `run cache warm|flush`, the gateway's `ratelimit`
 * and input validation.  Every one works on any world that has the
 * component, and says so plainly when it does not.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/duration.h"
#include "util/xmalloc.h"

static int
no_cache(struct cmd_ctx *c)
{
	if (c->g->w.cache.nshard == 0)
		return (cmd_error(c, "this platform has no cache cluster"));
	return (0);
}

/* A keyspace by pattern ("home:*") or the keyspace of a key. */
static int
find_ks(struct cmd_ctx *c, const char *what)
{
	const struct world	*w = &c->g->w;
	int			 i;

	if ((i = world_find_keyspace(w, what)) != -1)
		return (i);
	if ((i = world_find_hotkey(w, what)) != -1)
		return (w->cache.hot[i].ks);
	for (i = 0; i < w->cache.nks; i++) {
		const char *p = w->cache.ks[i].pattern;
		size_t n = strlen(p);

		/* "home:products" belongs to "home:*". */
		if (n > 1 && p[n - 1] == '*' && strncmp(p, what, n - 1) == 0)
			return (i);
	}
	return (-1);
}

void
cmd_show_cache(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*what = argc > 2 ? argv[2] : "shards";
	char		 a[16];
	int		 i, k;

	if (no_cache(c) != 0)
		return;
	if (strcmp(what, "shards") == 0) {
		buf_printf(c->out, "%-10s %12s %6s %9s\n", "SHARD", "OPS/S",
		    "CPU%", "P99");
		for (i = 0; i < w->cache.nshard; i++) {
			struct cache_shard *s = &w->cache.shard[i];

			buf_printf(c->out, "%-10s %12.0f %5.0f%% %9s%s\n",
			    s->name, metrics_get(&c->g->m, s->m_ops),
			    s->util_pct, cmd_fmt_ms(s->lat_ms, a, sizeof a),
			    s->util_pct >= 90 ? "  HOT" : "");
		}
	} else if (strcmp(what, "hotkeys") == 0) {
		if (!w->cache.lfu) {
			cmd_error(c, "ERR An LFU maxmemory policy is not"
			    " selected, access frequency not tracked. (set"
			    " cache.maxmemory_policy allkeys-lfu, or show"
			    " cache keys --sample)");
			return;
		}
		buf_printf(c->out, "%-24s %12s %-10s\n", "KEY", "OPS/S",
		    "SHARD");
		for (i = 0; i < w->cache.nhot; i++)
			buf_printf(c->out, "%-24s %12.0f %-10s\n",
			    w->cache.hot[i].key, metrics_get(&c->g->m,
			    w->cache.hot[i].m_ops),
			    w->cache.shard[w->cache.hot[i].shard].name);
	} else if (strcmp(what, "keys") == 0 || strcmp(what, "keyspaces") == 0) {
		int hist = 0;

		for (i = 3; i < argc; i++)
			hist |= strcmp(argv[i], "--ttl-histogram") == 0;
		for (i = 0; i < w->cache.nks; i++) {
			struct keyspace *ks = &w->cache.ks[i];
			long now_s = c->g->tick / TICKS_PER_S;

			if (argc > 3 && strncmp(argv[3], "--", 2) != 0 &&
			    find_ks(c, argv[3]) != i)
				continue;
			buf_printf(c->out, "%-14s keys %.0f · hit %.1f%% · ttl %.0fs"
			    "%s · loads %.0f/s · null hits %.0f/s · bloom"
			    " rejects %.0f/s\n", ks->pattern, ks->keys,
			    metrics_get(&c->g->m, ks->m_hit), ks->ttl_s,
			    ks->jitter_s > 0 ? " +jitter" : "",
			    metrics_get(&c->g->m, ks->m_loads),
			    metrics_get(&c->g->m, ks->m_null),
			    metrics_get(&c->g->m, ks->m_bloom));
			buf_printf(c->out, "  mechanisms:%s%s%s%s%s%s%s%s\n",
			    ks->mutex ? " mutex" : "", ks->bg_refresh ?
			    " bg-refresh" : "", ks->xfetch ? " xfetch" : "",
			    ks->coalesce ? " coalesce" : "", ks->null_ttl_s > 0 ?
			    " null-cache" : "", ks->bloom_on ? " bloom" : "",
			    ks->l1_ttl_s > 0 ? " local-cache" : "",
			    ks->jitter_s > 0 ? " ttl-jitter" : "");
			if (hist) {
				/* Expiries in the next 24 h, by hour. */
				buf_puts(c->out, "  expiring, next 24 h by"
				    " hour:\n ");
				for (k = 0; k < 24; k++) {
					double n = 0;
					int s;

					for (s = 0; s < 3600; s++)
						n += ks->exp[(now_s + k * 3600 +
						    s) % CACHE_EXP_RING];
					buf_printf(c->out, " +%dh:%.0f", k, n);
				}
				buf_putc(c->out, '\n');
			}
		}
		for (i = 0; i < w->cache.nhot; i++) {
			struct hotkey *h = &w->cache.hot[i];

			if (argc > 3 && strncmp(argv[3], "--", 2) != 0 &&
			    find_ks(c, argv[3]) != h->ks)
				continue;
			buf_printf(c->out, "  key %s on %s · %.0f lookups/s ·"
			    " expires %s\n", h->key, w->cache.shard[h->shard].name,
			    h->rps, h->expires < 0 ? "never" : cmd_fmt_clock(c->g,
			    h->expires * 1000, a, sizeof a));
		}
	} else
		cmd_error(c, "show cache shards|hotkeys|keys [PATTERN]"
		    " [--ttl-histogram]");
}

/* enable|disable MECH TARGET [k=v]: the cache's mechanisms. */

static int
kv(const char *arg, const char *key, double *v, int duration)
{
	size_t	n = strlen(key);
	long	ms;
	char	*end;

	if (strncmp(arg, key, n) != 0 || arg[n] != '=')
		return (-1);
	if (duration) {
		if (duration_parse(arg + n + 1, &ms) != 0)
			return (-1);
		*v = ms / 1000.0;
		return (0);
	}
	*v = strtod(arg + n + 1, &end);
	return (*end == '\0' || strcmp(end, "%") == 0 ? 0 : -1);
}

int
cmd_enable_cache(struct cmd_ctx *c, int on, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	const char	*mech = argv[1];
	char		*copy, *tok, *save = NULL, path[160];
	double		 v = 0;
	int		 ks, hk, n = 0, i;

	static const char *const mechs[] = { "mutex", "bg-refresh", "xfetch",
	    "coalesce", "ttl-jitter", "null-cache", "serve-stale",
	    "local-cache", "replicate-key", "bloom", NULL };

	for (i = 0; mechs[i] != NULL && strcmp(mechs[i], mech) != 0; i++)
		;
	if (mechs[i] == NULL)
		return (-2);	/* not a cache mechanism */
	if (no_cache(c) != 0)
		return (-1);
	if (argc < 3)
		return (cmd_error(c, "usage: %s %s PATTERN[,PATTERN…] [k=v]",
		    argv[0], mech));
	/* Validate everything before changing anything. */
	copy = xstrdup(argv[2]);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (find_ks(c, tok) == -1) {
			cmd_error(c, "no keyspace or key '%.40s' (show cache"
			    " keys)", tok);
			free(copy);
			return (-1);
		}
	}
	free(copy);
	for (i = 3; i < argc; i++) {
		if (kv(argv[i], "ttl", &v, 1) == 0 || kv(argv[i], "s", &v, 1) ==
		    0 || kv(argv[i], "at", &v, 1) == 0 || kv(argv[i], "copies",
		    &v, 0) == 0 || kv(argv[i], "pct", &v, 0) == 0 ||
		    kv(argv[i], "key", &v, 0) == 0)
			continue;
		if (strncmp(argv[i], "key=", 4) == 0)
			continue;
		return (cmd_error(c, "%s %s: bad option '%.30s'", argv[0], mech,
		    argv[i]));
	}
	copy = xstrdup(argv[2]);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save), n++) {
		struct keyspace *k;

		ks = find_ks(c, tok);
		k = &w->cache.ks[ks];
		hk = world_find_hotkey(w, tok);
		if (strcmp(mech, "mutex") == 0)
			k->mutex = on;
		else if (strcmp(mech, "bg-refresh") == 0)
			k->bg_refresh = on;
		else if (strcmp(mech, "xfetch") == 0)
			k->xfetch = on;
		else if (strcmp(mech, "coalesce") == 0)
			k->coalesce = on;
		else if (strcmp(mech, "ttl-jitter") == 0) {
			double pct = 10, s = 0;

			for (i = 3; i < argc; i++) {
				kv(argv[i], "pct", &pct, 0);
				kv(argv[i], "s", &s, 1);
			}
			k->jitter_s = on ? (s > 0 ? s : k->ttl_s * pct / 100) : 0;
		} else if (strcmp(mech, "null-cache") == 0) {
			double ttl = 60;

			for (i = 3; i < argc; i++)
				kv(argv[i], "ttl", &ttl, 1);
			if (on && k->null_ttl_s == 0)
				k->null_since = c->g->tick;
			k->null_ttl_s = on ? ttl : 0;
		} else if (strcmp(mech, "serve-stale") == 0)
			k->serve_stale_s = on ? 30 : 0;
		else if (strcmp(mech, "local-cache") == 0) {
			double ttl = 1;

			for (i = 3; i < argc; i++)
				kv(argv[i], "ttl", &ttl, 1);
			if (hk != -1)
				w->cache.hot[hk].l1_ttl_s = on ? ttl : 0;
			else
				k->l1_ttl_s = on ? ttl : 0;
		} else if (strcmp(mech, "replicate-key") == 0) {
			double copies = 2;

			if (hk == -1) {
				free(copy);
				return (cmd_error(c, "replicate-key takes a key,"
				    " not a pattern"));
			}
			for (i = 3; i < argc; i++)
				kv(argv[i], "copies", &copies, 0);
			w->cache.hot[hk].copies = on ? fmax(1, fmin(copies,
			    w->cache.nshard)) : 1;
		} else if (strcmp(mech, "bloom") == 0) {
			if (on && !k->bloom_on && k->max_id > 0) {
				/* Built from the ids that exist: 2 minutes. */
				cache_bloom_start(c->g, (int)(k - w->cache.ks),
				    120 * TICKS_PER_S);
				buf_printf(c->out, "bloom filter %s: %.0f ids,"
				    " %.0f MB, k=%d, building (2 min)\n",
				    k->pattern, k->max_id,
				    bloom_bytes(&k->bloom) / 1e6, k->bloom.k);
			}
			k->bloom_on = on;
		} else {
			free(copy);
			return (-2);
		}
		snprintf(path, sizeof path, "%s", k->pattern);
	}
	free(copy);
	buf_printf(c->out, "%s %s on %s\n", mech, on ? "enabled" : "disabled",
	    argv[2]);
	cmd_changed(c, argv[2], c->canonical);
	(void)v;
	return (0);
}

/* Routes a gateway pattern names: "gw:/users/…", "/home". */
static int
match_routes(struct cmd_ctx *c, const char *pat, int *out, int max)
{
	const struct world	*w = &c->g->w;
	char			 p[128];
	size_t			 n;
	int			 i, k = 0;

	if (strncmp(pat, "gw:", 3) == 0)
		pat += 3;
	strlcpy_fd(p, pat, sizeof p);
	/* "/users/{id}" and "/users/…" both mean the /users/ prefix. */
	n = strcspn(p, "*{:");
	p[n] = '\0';
	for (i = 0; i < w->nroute && k < max; i++) {
		const char *path = strchr(w->route[i].name, ' ');

		path = path != NULL ? path + 1 : w->route[i].name;
		if (n > 0 && strncmp(path, p, n) == 0 &&
		    (pat[n] != '\0' || strlen(path) == n))
			out[k++] = i;
	}
	return (k);
}

int
cmd_ratelimit_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 routes[32], n, i, per_ip = 0, status = 0;
	double		 rps = 0;
	char		*end;

	if (argc < 3)
		return (cmd_error(c, "usage: ratelimit gw:ROUTE RPS|off"
		    " [--per-ip] [--status 404]"));
	if ((n = match_routes(c, argv[1], routes, 32)) == 0)
		return (cmd_error(c, "ratelimit: no route matches '%.40s'"
		    " (show gw)", argv[1]));
	if (strcmp(argv[2], "off") != 0) {
		rps = strtod(argv[2], &end);
		if (*end != '\0' || rps <= 0 || rps > 1e7)
			return (cmd_error(c, "ratelimit: '%.20s' is not a rate",
			    argv[2]));
	}
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--per-ip") == 0)
			per_ip = 1;
		else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "404") == 0) {
			status = 404;
			i++;
		} else
			return (cmd_error(c, "ratelimit: unknown option"
			    " '%.20s'", argv[i]));
	}
	if (status == 404 && !per_ip)
		return (cmd_error(c, "ratelimit: --status 404 limits per IP"
		    " (add --per-ip)"));
	for (i = 0; i < n; i++) {
		struct route *r = &w->route[routes[i]];

		if (per_ip)
			r->limit404_per_ip = rps;
		else
			r->limit_rps = rps;
	}
	buf_printf(c->out, "rate limit on %d route(s): %s%s\n", n,
	    rps > 0 ? argv[2] : "off", per_ip ? " per IP, 404s" : " rps");
	cmd_changed(c, argv[1], c->canonical);
	return (0);
}

int
cmd_validate(struct cmd_ctx *c, int on, int argc, char **argv)
{
	int		 routes[32], n, i;
	double		 lo = 0, hi = 0;
	const char	*dots;
	char		*end;

	if (on && argc == 4 && strncmp(argv[3], "range=", 6) == 0 &&
	    (dots = strstr(argv[3], "..")) != NULL) {
		lo = (double)strtoull(argv[3] + 6, &end, 10);
		if (end != dots)
			lo = hi = 0;
		else
			hi = (double)strtoull(dots + 2, &end, 10);
		if (*end != '\0')
			lo = hi = 0;
	}
	if (argc < 3 || (on && (argc != 4 || hi <= lo)))
		return (cmd_error(c, "usage: enable validate gw:ROUTE"
		    " range=LO..HI"));
	if ((n = match_routes(c, argv[2], routes, 32)) == 0)
		return (cmd_error(c, "validate: no route matches '%.40s'",
		    argv[2]));
	for (i = 0; i < n; i++)
		c->g->w.route[routes[i]].validate_max = on ? hi : 0;
	buf_printf(c->out, "input validation %s on %d route(s)\n",
	    on ? "enabled" : "disabled", n);
	cmd_changed(c, argv[2], c->canonical);
	return (0);
}

int
cmd_run_cache(struct cmd_ctx *c, int argc, char **argv)
{
	struct world	*w = &c->g->w;
	int		 ks, i;
	double		 rate = 0;

	if (no_cache(c) != 0)
		return (-1);
	if (argc < 4)
		return (cmd_error(c, "usage: run cache warm|flush PATTERN"
		    " [--rate P%%/min]"));
	if (strcmp(argv[2], "flush") == 0) {
		int all = strcmp(argv[3], "*") == 0 || strcmp(argv[3], "all") ==
		    0;

		if (!all && find_ks(c, argv[3]) == -1)
			return (cmd_error(c, "no keyspace '%.40s'", argv[3]));
		for (i = 0; i < w->cache.nks; i++) {
			if (!all && i != find_ks(c, argv[3]))
				continue;
			w->cache.ks[i].w = 0;
		}
		for (i = 0; i < w->cache.nhot; i++)
			if (all || w->cache.hot[i].ks == find_ks(c, argv[3]))
				w->cache.hot[i].expires =
				    game_now_ms(c->g) / 1000;
		buf_printf(c->out, "FLUSH %s: every key is gone\n", argv[3]);
	} else if (strcmp(argv[2], "warm") == 0) {
		if ((ks = find_ks(c, argv[3])) == -1)
			return (cmd_error(c, "no keyspace '%.40s'", argv[3]));
		for (i = 4; i + 1 < argc; i++)
			if (strcmp(argv[i], "--rate") == 0)
				rate = strtod(argv[i + 1], NULL);
		if (rate <= 0)
			rate = 100;
		w->cache.ks[ks].warm_left = w->cache.ks[ks].keys;
		w->cache.ks[ks].warm_rate = w->cache.ks[ks].keys * rate / 100 /
		    60;
		for (i = 0; i < w->cache.nhot; i++)
			if (w->cache.hot[i].ks == ks &&
			    w->cache.hot[i].expires >= 0)
				/* Re-SET now: it expires a TTL from now. */
				w->cache.hot[i].expires =
				    game_now_ms(c->g) / 1000 +
				    (long)w->cache.hot[i].ttl_s;
		buf_printf(c->out, "warming %s at %g%% of its keys a minute"
		    " (one DB query per key)\n", argv[3], rate);
	} else
		return (cmd_error(c, "usage: run cache warm|flush PATTERN"));
	cmd_changed(c, argv[3], c->canonical);
	return (0);
}
