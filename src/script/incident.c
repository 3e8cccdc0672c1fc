/*
 * The Lua side of a game: loads a platform and an incident in one sandbox,
 * exposes the world API `w` to them, checks the incident table against its
 * schema (unknown keys are refused) and turns it into the engine's
 * incident_def plus references to its hook functions.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#include "script/incident.h"
#include "script/sandbox.h"
#include "util/xmalloc.h"

struct script_event {
	double	at_s;
	int	ref;
	char	*note;
	int	done;
};

struct named_ref {
	char	*name;
	int	 ref_on;
	int	 ref_off;
};

struct script {
	struct sandbox		*sb;
	struct game		*g;
	char			*path;
	int			 inc_ref;	/* the incident table */
	int			 w_ref;		/* the world API table */
	struct script_event	*ev;
	int			 nev;
	int			 ref_mitigated, ref_fixed, ref_on_tick;
	int			 ref_probe_run, ref_probe_restore;
	int			 ref_probe_passed;
	struct named_ref	*flags;
	int			 nflags;
	struct named_ref	*patches;
	int			 npatches;
	int			 errors;
	long			 last_tick_s;
	int			*dead;		/* refs stopped by a limit */
	int			 ndead;
	long			 api_tick;	/* tick the counts below are for */
	long			 tick_calls, run_calls;
	size_t			 tick_bytes, run_bytes;
};

/*
 * What a script may add to the engine's state through `w` (events, log
 * lines, changes, alerts, timers...).  The engine copies into memory the
 * Lua allocator does not count, so these keep a flood from exhausting the
 * C heap: one string at most API_TEXT_MAX bytes (an ordinary error), and
 * per tick and per run a number of calls and of bytes; spending either
 * stops the callback like a spent instruction budget.  Legit incidents
 * stay far below: a few calls and a few hundred bytes a tick.
 */
#define API_TEXT_MAX	4096
#define API_TICK_CALLS	1000
#define API_TICK_BYTES	((size_t)256 << 10)
#define API_RUN_CALLS	100000
#define API_RUN_BYTES	((size_t)16 << 20)
/* Script errors recorded in the timeline; more are only counted. */
#define SCRIPT_ERRORS_MAX	100

static uint64_t
rand_cb(void *ctx)
{
	return (rng_next(&((struct game *)ctx)->out));
}

static struct script *
get_script(lua_State *L)
{
	return (lua_touserdata(L, lua_upvalueindex(1)));
}

/* ---- table field helpers (value at index t) ---- */

static int
field_type(lua_State *L, int t, const char *k)
{
	return (lua_getfield(L, t, k));
}

static double
opt_num(lua_State *L, int t, const char *k, double def)
{
	double	v = def;

	if (field_type(L, t, k) != LUA_TNIL) {
		if (!lua_isnumber(L, -1))
			luaL_error(L, "field '%s' must be a number", k);
		v = lua_tonumber(L, -1);
	}
	lua_pop(L, 1);
	return (v);
}

static int
opt_bool(lua_State *L, int t, const char *k, int def)
{
	int	v = def;

	if (field_type(L, t, k) != LUA_TNIL) {
		if (!lua_isboolean(L, -1))
			luaL_error(L, "field '%s' must be true or false", k);
		v = lua_toboolean(L, -1);
	}
	lua_pop(L, 1);
	return (v);
}

/* Borrowed string valid while the table is alive (Lua interns it). */
static const char *
opt_str(lua_State *L, int t, const char *k, const char *def)
{
	const char	*v = def;

	if (field_type(L, t, k) != LUA_TNIL) {
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "field '%s' must be a string", k);
		v = lua_tostring(L, -1);
	}
	lua_pop(L, 1);
	return (v);
}

static const char *
req_str(lua_State *L, int t, const char *k)
{
	const char	*v = opt_str(L, t, k, NULL);

	if (v == NULL)
		luaL_error(L, "field '%s' is required", k);
	return (v);
}

static void
check_keys(lua_State *L, int t, const char *what, const char *const *keys)
{
	const char *const	*k;

	t = lua_absindex(L, t);
	lua_pushnil(L);
	while (lua_next(L, t) != 0) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s: keys must be names", what);
		for (k = keys; *k != NULL; k++)
			if (strcmp(*k, lua_tostring(L, -1)) == 0)
				break;
		if (*k == NULL)
			luaL_error(L, "%s: unknown field '%s'", what,
			    lua_tostring(L, -1));
	}
}

/* Raise a Lua error carrying an engine cause (freed first). */
static int
fail(lua_State *L, char *cause)
{
	luaL_where(L, 1);
	lua_pushstring(L, cause);
	free(cause);
	lua_concat(L, 2);
	return (lua_error(L));
}

/*
 * String argument idx with control bytes shown as \xHH (text a script adds
 * to the timeline or the logs reaches terminals), cut at API_TEXT_MAX.
 */
static const char *
api_text(lua_State *L, int idx)
{
	luaL_Buffer	 b;
	const char	*s;
	size_t		 len, i;
	char		 hex[5];

	s = luaL_checklstring(L, idx, &len);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (i == len && len <= API_TEXT_MAX)
		return (s);
	idx = lua_absindex(L, idx);
	luaL_buffinit(L, &b);
	for (i = 0; i < len; i++) {
		if (luaL_bufflen(&b) >= API_TEXT_MAX) {
			luaL_addstring(&b, "...");
			break;
		}
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(hex, sizeof hex, "\\x%02x", (unsigned char)s[i]);
			luaL_addstring(&b, hex);
		} else
			luaL_addchar(&b, s[i]);
	}
	luaL_pushresult(&b);
	lua_replace(L, idx);
	return (lua_tostring(L, idx));
}

/* ---- the world API ---- */

static struct world *
W(lua_State *L)
{
	return (&get_script(L)->g->w);
}

static int
w_external(lua_State *L)
{
	static const char *const keys[] = { "name", "p50_ms", "p99_ms",
	    "error_pct", NULL };
	struct world	*w = W(L);
	char		*cause = NULL;
	int		 x;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "external", keys);
	if ((x = world_add_ext(w, req_str(L, 2, "name"), &cause)) == -1)
		return (fail(L, cause));
	w->ext[x].p50_ms = opt_num(L, 2, "p50_ms", 100);
	w->ext[x].p99_ms = opt_num(L, 2, "p99_ms", 300);
	w->ext[x].err_pct = opt_num(L, 2, "error_pct", 0);
	return (0);
}

static int
w_db(lua_State *L)
{
	static const char *const keys[] = { "name", "max_connections",
	    "reserved", "other_connections", "vcpu", "other_cpu_pct", NULL };
	struct world	*w = W(L);
	char		*cause = NULL;
	int		 d;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "db", keys);
	if ((d = world_add_db(w, req_str(L, 2, "name"), &cause)) == -1)
		return (fail(L, cause));
	w->db[d].max_connections = opt_num(L, 2, "max_connections", 500);
	w->db[d].reserved = opt_num(L, 2, "reserved", 3);
	w->db[d].other_connections = opt_num(L, 2, "other_connections", 0);
	w->db[d].vcpu = opt_num(L, 2, "vcpu", 32);
	w->db[d].other_cpu_pct = opt_num(L, 2, "other_cpu_pct", 20);
	return (0);
}

static enum db_kind
db_kind(lua_State *L, const char *s)
{
	if (s == NULL || strcmp(s, "any") == 0)
		return (DBK_NONE);
	if (strcmp(s, "read") == 0)
		return (DBK_READ);
	if (strcmp(s, "write") == 0)
		return (DBK_WRITE);
	luaL_error(L, "db kind must be read, write or any, not '%s'", s);
	return (DBK_NONE);
}

static int
add_calls(lua_State *L, struct world *w, int cls, int t)
{
	static const char *const keys[] = { "to", "class", "p", NULL };
	char	*cause = NULL;
	int	 i, n, e;

	if (field_type(L, t, "calls") == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	n = (int)luaL_len(L, -1);
	for (i = 1; i <= n; i++) {
		const char	*to, *tc;
		char		 name[2 * NAME_MAX_FD + 2];

		lua_geti(L, -1, i);
		luaL_checktype(L, -1, LUA_TTABLE);
		check_keys(L, -1, "call", keys);
		to = req_str(L, -1, "to");
		tc = opt_str(L, -1, "class", NULL);
		snprintf(name, sizeof name, "%s->%s",
		    w->svc[w->cls[cls].svc].name, to);
		if ((e = world_find_edge(w, name)) == -1 &&
		    (e = world_add_edge(w, w->cls[cls].svc, to, tc,
		    &cause)) == -1)
			return (fail(L, cause));
		if (world_add_call(w, cls, e, opt_num(L, -1, "p", 1),
		    &cause) != 0)
			return (fail(L, cause));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return (0);
}

static int
w_service(lua_State *L)
{
	static const char *const keys[] = { "name", "instances", "threads",
	    "cores", "queue_timeout_s", "queue_per_instance", "startup_s",
	    "boot_s",
	    "hold_conn_across_calls", "version", "prev_version", "pools",
	    "classes", "hpa", NULL };
	static const char *const pkeys[] = { "name", "kind", "per_instance",
	    "acquire_timeout_s", "db", NULL };
	static const char *const ckeys[] = { "name", "cpu_ms", "db", "db_ms",
	    "error_pct", "calls", "cache", "cache_key", "table", NULL };
	static const char *const hkeys[] = { "min", "max", "target_pct",
	    "metric", "cooldown_s", NULL };
	struct world	*w = W(L);
	struct svc	*s;
	char		*cause = NULL;
	int		 sv, i, n, c, node;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "service", keys);
	if ((sv = world_add_svc(w, req_str(L, 2, "name"), &cause)) == -1)
		return (fail(L, cause));
	s = &w->svc[sv];
	s->instances = opt_num(L, 2, "instances", 1);
	s->threads_per_instance = opt_num(L, 2, "threads", 20);
	s->cores_per_instance = opt_num(L, 2, "cores", 4);
	s->queue_timeout_ms = opt_num(L, 2, "queue_timeout_s", 30) * 1000;
	s->queue_per_instance = opt_num(L, 2, "queue_per_instance", 0);
	s->startup_s = opt_num(L, 2, "startup_s", 45);
	s->boot_s = opt_num(L, 2, "boot_s", 240);
	s->hold_conn_across_calls = opt_bool(L, 2, "hold_conn_across_calls",
	    0);
	strlcpy_fd(s->version, opt_str(L, 2, "version", "v1.0.0"),
	    sizeof s->version);
	strlcpy_fd(s->prev_version, opt_str(L, 2, "prev_version", ""),
	    sizeof s->prev_version);
	if (field_type(L, 2, "pools") != LUA_TNIL) {
		luaL_checktype(L, -1, LUA_TTABLE);
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n; i++) {
			lua_geti(L, -1, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			check_keys(L, -1, "pool", pkeys);
			node = world_find_db(w, opt_str(L, -1, "db", "pg-1"));
			if (node == -1)
				return (luaL_error(L, "pool: unknown db '%s'",
				    opt_str(L, -1, "db", "pg-1")));
			if (world_add_pool(w, sv, opt_str(L, -1, "name", "main"),
			    db_kind(L, opt_str(L, -1, "kind", "any")),
			    opt_num(L, -1, "per_instance", 10),
			    opt_num(L, -1, "acquire_timeout_s", 30) * 1000,
			    node, &cause) == -1)
				return (fail(L, cause));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (field_type(L, 2, "classes") != LUA_TTABLE)
		return (luaL_error(L, "service %s: field 'classes' is required",
		    w->svc[sv].name));
	n = (int)luaL_len(L, -1);
	for (i = 1; i <= n; i++) {
		lua_geti(L, -1, i);
		luaL_checktype(L, -1, LUA_TTABLE);
		check_keys(L, -1, "class", ckeys);
		if ((c = world_add_class(w, sv, req_str(L, -1, "name"),
		    &cause)) == -1)
			return (fail(L, cause));
		w->cls[c].cpu_ms = opt_num(L, -1, "cpu_ms", 5);
		w->cls[c].db = opt_str(L, -1, "db", NULL) == NULL ? DBK_NONE :
		    db_kind(L, opt_str(L, -1, "db", NULL));
		if (opt_str(L, -1, "db", NULL) != NULL && w->cls[c].db ==
		    DBK_NONE)
			w->cls[c].db = DBK_READ;
		w->cls[c].db_ms = opt_num(L, -1, "db_ms", 0);
		w->cls[c].err_pct = opt_num(L, -1, "error_pct", 0);
		if (opt_str(L, -1, "cache", NULL) != NULL &&
		    (w->cls[c].cache_ks = world_find_keyspace(w,
		    opt_str(L, -1, "cache", NULL))) == -1)
			return (luaL_error(L, "class %s: unknown keyspace '%s'",
			    w->cls[c].name, opt_str(L, -1, "cache", NULL)));
		if (opt_str(L, -1, "cache_key", NULL) != NULL) {
			if ((w->cls[c].cache_hot = world_find_hotkey(w,
			    opt_str(L, -1, "cache_key", NULL))) == -1)
				return (luaL_error(L, "class %s: unknown key"
				    " '%s'", w->cls[c].name, opt_str(L, -1,
				    "cache_key", NULL)));
			/* Its instances hold the key's local copies. */
			w->cache.hot[w->cls[c].cache_hot].svc = sv;
		}
		if (opt_str(L, -1, "table", NULL) != NULL) {
			int t;

			for (t = 0; t < w->dbx.ntable; t++)
				if (strcmp(w->dbx.table[t].name, opt_str(L, -1,
				    "table", NULL)) == 0)
					break;
			if (t == w->dbx.ntable)
				return (luaL_error(L, "class %s: unknown table"
				    " '%s'", w->cls[c].name, opt_str(L, -1,
				    "table", NULL)));
			w->cls[c].table = t;
		}
		add_calls(L, w, c, lua_gettop(L));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (field_type(L, 2, "hpa") != LUA_TNIL) {
		const char *metric;

		luaL_checktype(L, -1, LUA_TTABLE);
		check_keys(L, -1, "hpa", hkeys);
		s = &w->svc[sv];
		s->hpa_on = 1;
		s->hpa_min = opt_num(L, -1, "min", s->instances);
		s->hpa_max = opt_num(L, -1, "max", s->instances);
		s->hpa_target_pct = opt_num(L, -1, "target_pct", 80);
		s->hpa_cooldown_s = opt_num(L, -1, "cooldown_s", 300);
		metric = opt_str(L, -1, "metric", "cpu");
		s->hpa_metric = strcmp(metric, "threads") == 0;
	}
	lua_pop(L, 1);
	return (0);
}

static int
w_edge(lua_State *L)
{
	static const char *const keys[] = { "name", "timeout_s", "retries",
	    "backoff_s", "budget_s", "optional", "breaker", NULL };
	struct world	*w = W(L);
	struct edge	*e;
	int		 i, n, ix;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "edge", keys);
	if ((ix = world_find_edge(w, req_str(L, 2, "name"))) == -1)
		return (luaL_error(L, "edge '%s' does not exist: declare the"
		    " call first", req_str(L, 2, "name")));
	e = &w->edge[ix];
	e->retry.timeout_ms = opt_num(L, 2, "timeout_s",
	    e->retry.timeout_ms / 1000) * 1000;
	e->retry.retries = (int)opt_num(L, 2, "retries", e->retry.retries);
	e->retry.budget_ms = opt_num(L, 2, "budget_s", 0) * 1000;
	e->optional = opt_bool(L, 2, "optional", e->optional);
	e->br.auto_on = opt_bool(L, 2, "breaker", e->br.auto_on);
	if (field_type(L, 2, "backoff_s") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n && i <= RETRY_MAX_BACKOFF; i++) {
			lua_geti(L, -1, i);
			e->retry.backoff_ms[i - 1] = luaL_checknumber(L, -1) *
			    1000;
			lua_pop(L, 1);
		}
		e->retry.nbackoff = n < RETRY_MAX_BACKOFF ? n :
		    RETRY_MAX_BACKOFF;
	}
	lua_pop(L, 1);
	return (0);
}

static int
w_cache(lua_State *L)
{
	static const char *const keys[] = { "shards", "capacity", "base_ops",
	    "timeout_ms", NULL };
	struct world	*w = W(L);
	char		*cause = NULL;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "cache", keys);
	if (world_add_shards(w, (int)opt_num(L, 2, "shards", 10),
	    opt_num(L, 2, "capacity", 100000), opt_num(L, 2, "base_ops",
	    20000), &cause) != 0)
		return (fail(L, cause));
	w->cache.timeout_ms = opt_num(L, 2, "timeout_ms", 200);
	return (0);
}

static int
w_keyspace(lua_State *L)
{
	static const char *const keys[] = { "pattern", "keys", "hit_max",
	    "ttl_s", "jitter_s", "fill_s", "db", "load_cpu_ms", "dup",
	    "max_id", "warm", "spread", NULL };
	struct world	*w = W(L);
	struct keyspace	*k;
	char		*cause = NULL;
	const char	*db;
	int		 i;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "keyspace", keys);
	if ((i = world_add_keyspace(w, req_str(L, 2, "pattern"), &cause)) == -1)
		return (fail(L, cause));
	k = &w->cache.ks[i];
	k->keys = opt_num(L, 2, "keys", 1000);
	k->hit_max = opt_num(L, 2, "hit_max", 0.97);
	k->ttl_s = opt_num(L, 2, "ttl_s", 3600);
	k->jitter_s = opt_num(L, 2, "jitter_s", 0);
	k->fill_s = opt_num(L, 2, "fill_s", 0.05);
	k->load_cpu_ms = opt_num(L, 2, "load_cpu_ms", 2);
	k->dup = opt_num(L, 2, "dup", 0.5);
	k->max_id = opt_num(L, 2, "max_id", 0);
	k->w = opt_num(L, 2, "warm", 1);
	k->stream_route[0] = k->stream_route[1] = -1;
	if ((db = opt_str(L, 2, "db", NULL)) != NULL &&
	    (k->db = world_find_db(w, db)) == -1)
		return (luaL_error(L, "keyspace %s: unknown db '%s'",
		    k->pattern, db));
	/* Keys already set expire evenly over the next TTL, unless the
	 * incident says when they were written. */
	if (opt_bool(L, 2, "spread", 1) && k->ttl_s >= 1 &&
	    k->ttl_s < CACHE_EXP_RING)
		for (i = 0; i < (int)k->ttl_s; i++)
			k->exp[i] = k->keys / k->ttl_s;
	return (0);
}

static int
w_hotkey(lua_State *L)
{
	static const char *const keys[] = { "key", "keyspace", "shard", "rps",
	    "ttl_s", "expires_at", NULL };
	struct world	*w = W(L);
	struct hotkey	*h;
	char		*cause = NULL;
	int		 i, ks;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "hotkey", keys);
	ks = world_find_keyspace(w, req_str(L, 2, "keyspace"));
	if ((i = world_add_hotkey(w, req_str(L, 2, "key"), ks,
	    (int)opt_num(L, 2, "shard", 0), &cause)) == -1)
		return (fail(L, cause));
	h = &w->cache.hot[i];
	h->rps = opt_num(L, 2, "rps", 0);
	h->ttl_s = opt_num(L, 2, "ttl_s", 0);
	h->expires = (long)opt_num(L, 2, "expires_at", -1);
	return (0);
}

static int
w_attack(lua_State *L)
{
	static const char *const keys[] = { "keyspace", "kind", "rps", "ips",
	    "set", "route", "deleted_from", NULL };
	struct world	*w = W(L);
	struct keyspace	*k;
	const char	*kind;
	int		 ks, s;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "attack", keys);
	if ((ks = world_find_keyspace(w, req_str(L, 2, "keyspace"))) == -1)
		return (luaL_error(L, "attack: unknown keyspace"));
	k = &w->cache.ks[ks];
	kind = req_str(L, 2, "kind");
	if (strcmp(kind, "sweep") == 0)
		s = 0;
	else if (strcmp(kind, "cycle") == 0)
		s = 1;
	else
		return (luaL_error(L, "attack kind is sweep or cycle"));
	k->stream[s] = (enum stream_kind)s;
	k->stream_rps[s] = opt_num(L, 2, "rps", 0);
	k->stream_ips[s] = opt_num(L, 2, "ips", 1);
	if (s == 1) {
		k->stream_set = opt_num(L, 2, "set", 5000);
		k->deleted_lo = (uint64_t)opt_num(L, 2, "deleted_from",
		    k->max_id / 2);
	}
	if ((k->stream_route[s] = world_find_route(w, req_str(L, 2,
	    "route"))) == -1)
		return (luaL_error(L, "attack: unknown route '%s'",
		    req_str(L, 2, "route")));
	return (0);
}

static int
w_cache_expire(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	const char	*what = luaL_checkstring(L, 2);
	/* Absolute seconds; before the start, the warm-up comes first. */
	long		 at = (long)(game_now_ms(g) / 1000 + g->tick0 / 10 +
			    (g->started ? 0 : g->inc.warmup_s) +
			    luaL_optnumber(L, 4, 0));
	int		 i;

	if ((i = world_find_hotkey(&g->w, what)) != -1) {
		cache_set_hot_expiry(g, i, (long)(game_now_ms(g) / 1000 +
		    luaL_optnumber(L, 4, 0)));
		return (0);
	}
	if ((i = world_find_keyspace(&g->w, what)) == -1)
		return (luaL_error(L, "no keyspace or key '%s'", what));
	cache_expire_keys(g, i, luaL_checknumber(L, 3), at);
	return (0);
}

/* "name(col,col)" into an index. */
static int
parse_index(const char *spec, struct dbx_index *x)
{
	const char	*open = strchr(spec, '('), *p;
	size_t		 n;

	memset(x, 0, sizeof *x);
	if (open == NULL || spec[strlen(spec) - 1] != ')' ||
	    (size_t)(open - spec) >= sizeof x->name || open == spec)
		return (-1);
	memcpy(x->name, spec, (size_t)(open - spec));
	for (p = open + 1; *p != ')' && x->ncols < DBX_MAXCOLS; ) {
		n = strcspn(p, ",)");
		if (n == 0 || n >= sizeof x->cols[0])
			return (-1);
		memcpy(x->cols[x->ncols++], p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	return (x->ncols > 0 ? 0 : -1);
}

static int
w_table(lua_State *L)
{
	static const char *const keys[] = { "name", "db", "rows", "indexes",
	    "used_by", "size_gb", "dead", "index_scans", NULL };
	struct world		*w = W(L);
	struct dbx_table	*t;
	int			 i, n;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "table", keys);
	w->dbx.table = xreallocarray(w->dbx.table, w->dbx.ntable + 1,
	    sizeof *w->dbx.table);
	t = &w->dbx.table[w->dbx.ntable];
	memset(t, 0, sizeof *t);
	strlcpy_fd(t->name, req_str(L, 2, "name"), sizeof t->name);
	if ((t->node = world_find_db(w, opt_str(L, 2, "db", "pg-1"))) == -1)
		return (luaL_error(L, "table %s: unknown db", t->name));
	t->rows = opt_num(L, 2, "rows", 1e6);
	t->size_gb = opt_num(L, 2, "size_gb", t->rows * 1.4e-6);
	t->dead = opt_num(L, 2, "dead", 0);
	if (field_type(L, 2, "indexes") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n && t->nidx < DBX_MAXIDX; i++) {
			lua_geti(L, -1, i);
			if (parse_index(luaL_checkstring(L, -1),
			    &t->idx[t->nidx]) != 0)
				return (luaL_error(L, "table %s: index '%s'"
				    " must read name(col,col)", t->name,
				    lua_tostring(L, -1)));
			t->nidx++;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	/* idx_scan counts so far: { name = N }. */
	if (field_type(L, 2, "index_scans") == LUA_TTABLE) {
		for (i = 0; i < t->nidx; i++) {
			lua_getfield(L, -1, t->idx[i].name);
			t->idx[i].scans = lua_isnumber(L, -1) ?
			    lua_tonumber(L, -1) : 0;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	/* The request classes whose queries touch it: "svc.class". */
	if (field_type(L, 2, "used_by") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n; i++) {
			const char	*sc;
			char		 svc[64];
			size_t		 k;
			int		 c;

			lua_geti(L, -1, i);
			sc = luaL_checkstring(L, -1);
			k = strcspn(sc, ".");
			if (sc[k] != '.' || k >= sizeof svc)
				return (luaL_error(L, "table %s: used_by '%s'"
				    " must read svc.class", t->name, sc));
			memcpy(svc, sc, k);
			svc[k] = '\0';
			if ((c = world_find_class(w, svc, sc + k + 1)) == -1)
				return (luaL_error(L, "table %s: unknown class"
				    " '%s'", t->name, sc));
			w->cls[c].table = w->dbx.ntable;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	w->dbx.ntable++;
	return (0);
}

static int
find_table(const struct world *w, const char *name)
{
	int	i;

	for (i = 0; i < w->dbx.ntable; i++)
		if (strcmp(w->dbx.table[i].name, name) == 0)
			return (i);
	return (-1);
}

static int
w_query(lua_State *L)
{
	static const char *const keys[] = { "id", "table", "sql", "where",
	    "scan_rows_per_s", "workers", "index_ms", NULL };
	struct world		*w = W(L);
	struct dbx_query	*q;
	int			 i, n, t;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "query", keys);
	if ((t = find_table(w, req_str(L, 2, "table"))) == -1)
		return (luaL_error(L, "query: unknown table"));
	w->dbx.query = xreallocarray(w->dbx.query, w->dbx.nquery + 1,
	    sizeof *w->dbx.query);
	q = &w->dbx.query[w->dbx.nquery];
	memset(q, 0, sizeof *q);
	strlcpy_fd(q->id, req_str(L, 2, "id"), sizeof q->id);
	q->table = t;
	q->sql = xstrdup(opt_str(L, 2, "sql", ""));
	q->scan_rows_per_s = opt_num(L, 2, "scan_rows_per_s", 1e6);
	q->workers = (int)opt_num(L, 2, "workers", 1);
	q->index_ms = opt_num(L, 2, "index_ms", 5);
	w->dbx.nquery++;
	if (field_type(L, 2, "where") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n && q->nwhere < DBX_MAXCOLS; i++) {
			lua_geti(L, -1, i);
			strlcpy_fd(q->where[q->nwhere++],
			    luaL_checkstring(L, -1), sizeof q->where[0]);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	return (0);
}

static int
w_job(lua_State *L)
{
	static const char *const keys[] = { "name", "query", "every_s", "app",
	    "role", "flag", "version", "enabled", "start_s", "table",
	    "rows_per_s", "rows", "wal_gb_per_min", "bloat_gb_per_min", "route",
	    "rate", "workers", "window", NULL };
	struct world	*w = W(L);
	struct dbx_job	*j;
	int		 i;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "job", keys);
	w->dbx.job = xreallocarray(w->dbx.job, w->dbx.njob + 1,
	    sizeof *w->dbx.job);
	j = &w->dbx.job[w->dbx.njob];
	memset(j, 0, sizeof *j);
	strlcpy_fd(j->name, req_str(L, 2, "name"), sizeof j->name);
	j->route = -1;
	j->win_from_s = -1;
	if (*opt_str(L, 2, "route", "") != '\0') {
		/* A continuous job: a sync driving its route. */
		if ((j->route = world_find_route(w, req_str(L, 2, "route"))) ==
		    -1)
			return (luaL_error(L, "job %s: unknown route",
			    j->name));
		j->rate = opt_num(L, 2, "rate", 1);
		j->workers = opt_num(L, 2, "workers", 1);
		if (*opt_str(L, 2, "window", "") != '\0') {
			int lo, hi;

			if (clock_parse_window(opt_str(L, 2, "window", ""),
			    &lo, &hi) != 0)
				return (luaL_error(L, "job %s: window is"
				    " HH:MM-HH:MM", j->name));
			j->win_from_s = lo;
			j->win_to_s = hi;
		}
		strlcpy_fd(j->app, opt_str(L, 2, "app", j->name),
		    sizeof j->app);
		strlcpy_fd(j->flag, opt_str(L, 2, "flag", ""), sizeof j->flag);
		j->svc = world_find_svc(w, j->app);
		j->enabled = opt_bool(L, 2, "enabled", 1);
		j->query = -1;
		j->next = -1;
		w->dbx.njob++;
		return (0);
	}
	if (opt_str(L, 2, "query", NULL) == NULL) {
		/* A writer: rows of a table at a rate. */
		if ((j->table = find_table(w, req_str(L, 2, "table"))) == -1)
			return (luaL_error(L, "job %s: unknown table '%s'",
			    j->name, req_str(L, 2, "table")));
		j->query = -1;
		j->rows_per_s = opt_num(L, 2, "rows_per_s", 10000);
		j->rows_total = opt_num(L, 2, "rows", 1e6);
		j->wal_gb_min = opt_num(L, 2, "wal_gb_per_min", 0);
		j->bloat_gb_min = opt_num(L, 2, "bloat_gb_per_min", 0);
		if (j->rows_per_s <= 0)
			return (luaL_error(L, "job %s: rows_per_s must be"
			    " positive", j->name));
		j->start = (long)((opt_num(L, 2, "start_s", 0) + 60) *
		    TICKS_PER_S);
	} else {
		for (i = 0; i < w->dbx.nquery; i++)
			if (strcmp(w->dbx.query[i].id, req_str(L, 2,
			    "query")) == 0)
				break;
		if (i == w->dbx.nquery)
			return (luaL_error(L, "job %s: unknown query",
			    j->name));
		j->query = i;
	}
	j->every_s = opt_num(L, 2, "every_s", 300);
	strlcpy_fd(j->app, opt_str(L, 2, "app", j->name), sizeof j->app);
	strlcpy_fd(j->role, opt_str(L, 2, "role", j->app), sizeof j->role);
	strlcpy_fd(j->flag, opt_str(L, 2, "flag", ""), sizeof j->flag);
	strlcpy_fd(j->version, opt_str(L, 2, "version", ""),
	    sizeof j->version);
	j->svc = world_find_svc(w, j->app);
	j->enabled = opt_bool(L, 2, "enabled", 1);
	/* Incident seconds; the warm-up runs first. */
	j->next = (long)((opt_num(L, 2, "start_s", 0) + 60) * TICKS_PER_S);
	w->dbx.njob++;
	return (0);
}

/*
 * w:deadlock{ name = "checkout-sync", a = "order.checkout",
 * b = "inventory-sync.sync",
 * tables = { "orders", "products" }, kappa = …, hot_pct = …,
 * a_version = …, b_version = … }: the two classes lock the tables in
 * opposite orders while on those versions.
 */
static int
w_deadlock(lua_State *L)
{
	static const char *const keys[] = { "name", "a", "b", "tables",
	    "kappa", "hot_pct", "b_hot_pct", "a_version", "b_version", NULL };
	struct world		*w = W(L);
	struct dbx_deadlock	*d;
	char			 sv[NAME_MAX_FD], *dot;
	const char		*side[2];
	int			 cls[2], i, t;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "deadlock", keys);
	side[0] = req_str(L, 2, "a");
	side[1] = req_str(L, 2, "b");
	for (i = 0; i < 2; i++) {
		strlcpy_fd(sv, side[i], sizeof sv);
		if ((dot = strchr(sv, '.')) == NULL)
			return (luaL_error(L, "deadlock: %s is not SVC.CLASS",
			    side[i]));
		*dot++ = '\0';
		if ((cls[i] = world_find_class(w, sv, dot)) == -1)
			return (luaL_error(L, "deadlock: unknown class %s",
			    side[i]));
	}
	w->dbx.dl = xreallocarray(w->dbx.dl, w->dbx.ndl + 1,
	    sizeof *w->dbx.dl);
	d = &w->dbx.dl[w->dbx.ndl];
	memset(d, 0, sizeof *d);
	d->a = cls[0];
	d->b = cls[1];
	strlcpy_fd(d->name, opt_str(L, 2, "name", "deadlock"), sizeof d->name);
	d->kappa = opt_num(L, 2, "kappa", 0);
	d->hot_pct = opt_num(L, 2, "hot_pct", 0);
	d->b_hot_pct = opt_num(L, 2, "b_hot_pct", 0);
	strlcpy_fd(d->a_version, opt_str(L, 2, "a_version", ""),
	    sizeof d->a_version);
	strlcpy_fd(d->b_version, opt_str(L, 2, "b_version", ""),
	    sizeof d->b_version);
	lua_getfield(L, 2, "tables");
	if (!lua_istable(L, -1) || luaL_len(L, -1) != 2)
		return (luaL_error(L, "deadlock: tables = { A_FIRST, B_FIRST }"));
	for (i = 0; i < 2; i++) {
		lua_geti(L, -1, i + 1);
		for (t = 0; t < w->dbx.ntable; t++)
			if (strcmp(w->dbx.table[t].name,
			    luaL_checkstring(L, -1)) == 0)
				break;
		if (t == w->dbx.ntable)
			return (luaL_error(L, "deadlock: unknown table %s",
			    luaL_checkstring(L, -1)));
		strlcpy_fd(i == 0 ? d->a_table : d->b_table,
		    w->dbx.table[t].name, DBX_NAME);
		d->node = w->dbx.table[t].node;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	w->dbx.ndl++;
	return (0);
}

static int
w_role(lua_State *L)
{
	static const char *const keys[] = { "name", "statement_timeout_s",
	    NULL };
	struct world	*w = W(L);
	struct dbx_role	*r;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "role", keys);
	w->dbx.role = xreallocarray(w->dbx.role, w->dbx.nrole + 1,
	    sizeof *w->dbx.role);
	r = &w->dbx.role[w->dbx.nrole++];
	memset(r, 0, sizeof *r);
	strlcpy_fd(r->name, req_str(L, 2, "name"), sizeof r->name);
	r->statement_timeout_ms = opt_num(L, 2, "statement_timeout_s", 0) *
	    1000;
	return (0);
}

static int
w_route(lua_State *L)
{
	static const char *const keys[] = { "name", "svc", "class", "rps",
	    NULL };
	struct world	*w = W(L);
	char		*cause = NULL;
	int		 c;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "route", keys);
	c = world_find_class(w, req_str(L, 2, "svc"), req_str(L, 2, "class"));
	if (c == -1)
		return (luaL_error(L, "route %s: unknown class %s.%s",
		    req_str(L, 2, "name"), req_str(L, 2, "svc"),
		    req_str(L, 2, "class")));
	if (world_add_route(w, req_str(L, 2, "name"), c,
	    opt_num(L, 2, "rps", 0), &cause) == -1)
		return (fail(L, cause));
	return (0);
}

/* w:replication{primary, replicas = {..}, wal_mb_s, replay_mb_s} */
static int
w_replication(lua_State *L)
{
	static const char *const keys[] = { "primary", "replicas",
	    "wal_mb_s", "replay_mb_s", NULL };
	struct world	*w = W(L);
	struct repl	*r = &w->repl;
	int		 i, n, d;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "replication", keys);
	if ((r->primary = world_find_db(w, req_str(L, 2, "primary"))) == -1)
		return (luaL_error(L, "replication: unknown primary"));
	r->base_wal_mb_s = opt_num(L, 2, "wal_mb_s", 12);
	r->nrep = 0;
	if (field_type(L, 2, "replicas") != LUA_TTABLE)
		return (luaL_error(L, "replication: 'replicas' is required"));
	n = (int)luaL_len(L, -1);
	for (i = 1; i <= n && r->nrep < REPL_MAXNODES; i++) {
		lua_geti(L, -1, i);
		if ((d = world_find_db(w, luaL_checkstring(L, -1))) == -1 ||
		    d == r->primary)
			return (luaL_error(L, "replication: bad replica '%s'",
			    lua_tostring(L, -1)));
		lua_pop(L, 1);
		memset(&r->rep[r->nrep], 0, sizeof r->rep[0]);
		r->rep[r->nrep].node = d;
		r->rep[r->nrep].replay_mb_s = opt_num(L, 2, "replay_mb_s", 60);
		r->rep[r->nrep].lag_s = REPL_LAG_FLOOR_S;
		r->nrep++;
	}
	lua_pop(L, 1);
	return (0);
}

/* w:wal_writer{name, mb_s, batch_s, pause_s, first_batch_s, start_s} */
static int
w_wal_writer(lua_State *L)
{
	static const char *const keys[] = { "name", "mb_s", "batch_s",
	    "pause_s", "first_batch_s", "start_s", "enabled", NULL };
	struct world		*w = W(L);
	struct repl		*r = &w->repl;
	struct repl_writer	*wr;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "wal_writer", keys);
	r->wr = xreallocarray(r->wr, r->nwr + 1, sizeof *r->wr);
	wr = &r->wr[r->nwr++];
	memset(wr, 0, sizeof *wr);
	strlcpy_fd(wr->name, req_str(L, 2, "name"), sizeof wr->name);
	wr->mb_s = opt_num(L, 2, "mb_s", 90);
	wr->on_s = opt_num(L, 2, "batch_s", 1);
	wr->off_s = opt_num(L, 2, "pause_s", 0);
	wr->first_on_s = opt_num(L, 2, "first_batch_s", wr->on_s);
	wr->rate = 1;
	wr->enabled = opt_bool(L, 2, "enabled", 1);
	/* Incident seconds; the warm-up runs first. */
	wr->start = (long)((opt_num(L, 2, "start_s", 0) + 60) * TICKS_PER_S);
	return (0);
}

/* w:read_routing{svc, target = "replica"|"primary"} */
static int
w_read_routing(lua_State *L)
{
	static const char *const keys[] = { "svc", "target", NULL };
	struct world	*w = W(L);
	int		 s;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "read_routing", keys);
	if ((s = world_find_svc(w, req_str(L, 2, "svc"))) == -1)
		return (luaL_error(L, "read_routing: unknown service"));
	s = repl_svc_get(&w->repl, s);
	w->repl.sv[s].replicas = strcmp(opt_str(L, 2, "target", "replica"),
	    "primary") != 0;
	return (0);
}

/* w:read_after_write{route, gap_s = {lo, hi}}: GETs that follow a write. */
static int
w_read_after_write(lua_State *L)
{
	static const char *const keys[] = { "route", "gap_s", NULL };
	struct world	*w = W(L);
	struct repl	*r = &w->repl;
	struct repl_raw	*raw;
	int		 rt;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "read_after_write", keys);
	if ((rt = world_find_route(w, req_str(L, 2, "route"))) == -1)
		return (luaL_error(L, "read_after_write: unknown route"));
	r->raw = xreallocarray(r->raw, r->nraw + 1, sizeof *r->raw);
	raw = &r->raw[r->nraw++];
	memset(raw, 0, sizeof *raw);
	raw->route = rt;
	raw->svc = repl_svc_get(r, w->cls[w->route[rt].cls].svc);
	raw->gap_lo_s = 0.15;
	raw->gap_hi_s = 0.4;
	if (field_type(L, 2, "gap_s") == LUA_TTABLE) {
		lua_geti(L, -1, 1);
		raw->gap_lo_s = luaL_checknumber(L, -1);
		lua_geti(L, -2, 2);
		raw->gap_hi_s = luaL_checknumber(L, -1);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	return (0);
}

static enum alert_sev
sev_of(lua_State *L, const char *s)
{
	if (strcmp(s, "page") == 0)
		return (ALERT_PAGE);
	if (strcmp(s, "ticket") == 0)
		return (ALERT_TICKET);
	if (strcmp(s, "info") == 0)
		return (ALERT_INFO);
	luaL_error(L, "severity must be page, ticket or info, not '%s'", s);
	return (ALERT_INFO);
}

static int
w_alert(lua_State *L)
{
	static const char *const keys[] = { "id", "expr", "for_s",
	    "severity", "summary", "noise", "muted", NULL };
	struct game	*g = get_script(L)->g;
	char		*cause = NULL;
	int		 i;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "alert", keys);
	i = alerts_add(&g->alerts, req_str(L, 2, "id"), req_str(L, 2, "expr"),
	    (int)opt_num(L, 2, "for_s", 0),
	    sev_of(L, opt_str(L, 2, "severity", "page")),
	    opt_str(L, 2, "summary", NULL), &cause);
	if (i == -1)
		return (fail(L, cause));
	g->alerts.v[i].noise = opt_bool(L, 2, "noise", 0);
	/* Declared but switched off: a monitor nobody enabled yet. */
	g->alerts.v[i].muted = opt_bool(L, 2, "muted", 0);
	return (0);
}

/* w:writes{table=, rows_per_s=, batch_rows=, batch_flag=, name=} */
static int
w_writes(lua_State *L)
{
	static const char *const keys[] = { "table", "rows_per_s",
	    "batch_rows", "batch_flag", "name", NULL };
	struct world		*w = W(L);
	struct write_stream	*ws;
	int			 t;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "writes", keys);
	if ((t = find_table(w, req_str(L, 2, "table"))) == -1)
		return (luaL_error(L, "writes: unknown table '%s'",
		    req_str(L, 2, "table")));
	w->dbx.ws = xreallocarray(w->dbx.ws, w->dbx.nws + 1,
	    sizeof *w->dbx.ws);
	ws = &w->dbx.ws[w->dbx.nws++];
	memset(ws, 0, sizeof *ws);
	ws->table = t;
	ws->rows_per_s = opt_num(L, 2, "rows_per_s", 100);
	ws->batch_rows = opt_num(L, 2, "batch_rows", 1000);
	strlcpy_fd(ws->batch_flag, opt_str(L, 2, "batch_flag", ""),
	    sizeof ws->batch_flag);
	if (ws->batch_flag[0] != '\0' && world_find_flag(w,
	    ws->batch_flag) == -1)
		return (luaL_error(L, "writes: unknown flag '%s'",
		    ws->batch_flag));
	if (opt_str(L, 2, "name", NULL) != NULL)
		snprintf(ws->name, sizeof ws->name, "%s", opt_str(L, 2,
		    "name", NULL));
	else
		snprintf(ws->name, sizeof ws->name, "INSERT INTO %.48s",
		    w->dbx.table[t].name);
	return (0);
}

/* w:alert_on(ID): the alert exists and is not muted. */
static int
w_alert_on(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 i = alerts_find(&g->alerts, luaL_checkstring(L, 2));

	lua_pushboolean(L, i != -1 && !g->alerts.v[i].muted);
	return (1);
}

/* w:tenant{ name, db, team, pool_size, conns, cpu_pct, iops, job, app,
 * role, page_delay_s, ours, runs = { {at, for_s, cpu_pct}, ... } } */
static int
w_tenant(lua_State *L)
{
	static const char *const keys[] = { "name", "db", "team",
	    "pool_size", "conns", "cpu_pct", "iops", "job", "app", "role",
	    "page_delay_s", "ours", "runs", NULL };
	static const char *const rkeys[] = { "at", "for_s", "cpu_pct", NULL };
	struct world	*w = W(L);
	struct tenant	*t;
	int		 i, n;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "tenant", keys);
	if (tenant_find(&w->tenant, req_str(L, 2, "name")) != -1)
		return (luaL_error(L, "tenant %s declared twice",
		    req_str(L, 2, "name")));
	w->tenant.v = xreallocarray(w->tenant.v, w->tenant.n + 1,
	    sizeof *w->tenant.v);
	t = &w->tenant.v[w->tenant.n];
	memset(t, 0, sizeof *t);
	strlcpy_fd(t->name, req_str(L, 2, "name"), sizeof t->name);
	if ((t->node = world_find_db(w, opt_str(L, 2, "db", "pg-1"))) == -1)
		return (luaL_error(L, "tenant %s: unknown db '%s'", t->name,
		    opt_str(L, 2, "db", "pg-1")));
	t->home = t->node;
	strlcpy_fd(t->team, opt_str(L, 2, "team", t->name), sizeof t->team);
	strlcpy_fd(t->job, opt_str(L, 2, "job", ""), sizeof t->job);
	strlcpy_fd(t->app, opt_str(L, 2, "app", t->job[0] != '\0' ? t->job :
	    t->name), sizeof t->app);
	strlcpy_fd(t->role, opt_str(L, 2, "role", t->name), sizeof t->role);
	t->ours = opt_bool(L, 2, "ours", 0);
	t->pool_size = opt_num(L, 2, "pool_size", 20);
	t->conns = opt_num(L, 2, "conns", t->pool_size);
	t->cpu_pct = opt_num(L, 2, "cpu_pct", 0);
	t->iops = opt_num(L, 2, "iops", 0);
	t->page_delay_s = opt_num(L, 2, "page_delay_s", 90);
	t->job_enabled = 1;
	if (t->pool_size < 0 || t->conns < 0 || t->cpu_pct < 0 ||
	    t->cpu_pct > 100 || t->iops < 0 || t->page_delay_s < 0)
		return (luaL_error(L, "tenant %s: negative figure, or cpu_pct"
		    " over 100", t->name));
	w->tenant.n++;
	if (field_type(L, 2, "runs") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		for (i = 1; i <= n; i++) {
			lua_geti(L, -1, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			check_keys(L, -1, "runs", rkeys);
			tenant_add_run(t, (long)(opt_num(L, -1, "at", 0) *
			    TICKS_PER_S), opt_num(L, -1, "for_s", 300),
			    opt_num(L, -1, "cpu_pct", 0));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	return (0);
}

/* w:tenant_run{ tenant, in_s, for_s, cpu_pct }: one more run of its job,
 * in_s seconds from now. */
static int
w_tenant_run(lua_State *L)
{
	static const char *const keys[] = { "tenant", "in_s", "for_s",
	    "cpu_pct", NULL };
	struct game	*g = get_script(L)->g;
	long		 now = g->started ? g->tick - g->tick0 : 0;
	int		 i;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "tenant_run", keys);
	if ((i = tenant_find(&g->w.tenant, req_str(L, 2, "tenant"))) == -1)
		return (luaL_error(L, "tenant_run: unknown tenant '%s'",
		    req_str(L, 2, "tenant")));
	tenant_add_run(&g->w.tenant.v[i], now + (long)(opt_num(L, 2, "in_s",
	    0) * TICKS_PER_S), opt_num(L, 2, "for_s", 300), opt_num(L, 2,
	    "cpu_pct", 0));
	return (0);
}

static int
w_disk(lua_State *L)
{
	static const char *const keys[] = { "db", "size_gb", "tables_gb",
	    "indexes_gb", "pg_wal_gb", "wal_archive_gb", "logs_gb",
	    "wal_gb_per_h", "table_gb_per_h", "log_gb_per_h",
	    "basebackup_age_s", "archived_since_basebackup_gb", "iops_limit",
	    "io_base_ms", NULL };
	struct world	*w = W(L);
	struct disk	*d;
	int		 n;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "disk", keys);
	if ((n = world_find_db(w, opt_str(L, 2, "db", "pg-1"))) == -1)
		return (luaL_error(L, "disk: unknown db '%s'", opt_str(L, 2,
		    "db", "pg-1")));
	d = &w->db[n].disk;
	memset(d, 0, sizeof *d);
	d->on = 1;
	d->size_gb = opt_num(L, 2, "size_gb", 2000);
	d->gb[DISK_TABLES] = opt_num(L, 2, "tables_gb", 0);
	d->gb[DISK_INDEXES] = opt_num(L, 2, "indexes_gb", 0);
	d->gb[DISK_WAL] = opt_num(L, 2, "pg_wal_gb", 16);
	d->gb[DISK_ARCHIVE] = opt_num(L, 2, "wal_archive_gb", 0);
	d->gb[DISK_LOGS] = opt_num(L, 2, "logs_gb", 0);
	d->wal_gb_h = opt_num(L, 2, "wal_gb_per_h", 0);
	d->table_gb_h = opt_num(L, 2, "table_gb_per_h", 0);
	d->log_gb_h = opt_num(L, 2, "log_gb_per_h", 0);
	d->backup_age_s = opt_num(L, 2, "basebackup_age_s", 86400);
	d->recent_archive_gb = fmin(d->gb[DISK_ARCHIVE], opt_num(L, 2,
	    "archived_since_basebackup_gb", d->wal_gb_h * d->backup_age_s /
	    3600));
	d->cooldown_s = 6 * 3600;	/* the cloud's volume-modification wait */
	d->iops_limit = opt_num(L, 2, "iops_limit", 0);
	d->io_base_ms = opt_num(L, 2, "io_base_ms", 5.6);
	d->used_prev = disk_used_gb(d);
	if (disk_used_gb(d) > d->size_gb)
		return (luaL_error(L, "disk %s: %.0f GB used of %.0f",
		    w->db[n].name, disk_used_gb(d), d->size_gb));
	return (0);
}

static int
w_remove_alert(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 i = alerts_find(&g->alerts, luaL_checkstring(L, 2));

	if (i == -1)
		return (luaL_error(L, "no alert '%s'", lua_tostring(L, 2)));
	alerts_remove(&g->alerts, i);
	return (0);
}

static int
w_gauge(lua_State *L)
{
	static const char *const keys[] = { "name", "label", "value", NULL };
	struct game	*g = get_script(L)->g;
	const char	*k = NULL, *v = NULL;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "gauge", keys);
	if (field_type(L, 2, "label") == LUA_TTABLE) {
		lua_geti(L, -1, 1);
		lua_geti(L, -2, 2);
		k = luaL_checkstring(L, -2);
		v = luaL_checkstring(L, -1);
	}
	world_add_gauge(&g->w, &g->m, req_str(L, 2, "name"), k, v,
	    opt_num(L, 2, "value", 0));
	return (0);
}

static int
w_flag(lua_State *L)
{
	static const char *const keys[] = { "name", "svc", "on", "desc",
	    NULL };
	char	*cause = NULL;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "flag", keys);
	if (world_add_flag(W(L), req_str(L, 2, "name"),
	    opt_str(L, 2, "svc", ""), opt_bool(L, 2, "on", 0),
	    opt_str(L, 2, "desc", ""), &cause) == -1)
		return (fail(L, cause));
	return (0);
}

static int
w_fault(lua_State *L)
{
	static const char *const keys[] = { "svc", "class", "version", "flag",
	    "error_pct", "latency_ms", NULL };
	struct world	*w = W(L);
	struct fault	 f;
	char		*cause = NULL;
	const char	*cls;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "fault", keys);
	memset(&f, 0, sizeof f);
	if ((f.svc = world_find_svc(w, req_str(L, 2, "svc"))) == -1)
		return (luaL_error(L, "fault: unknown service '%s'",
		    req_str(L, 2, "svc")));
	f.cls = -1;
	if ((cls = opt_str(L, 2, "class", NULL)) != NULL &&
	    (f.cls = world_find_class(w, w->svc[f.svc].name, cls)) == -1)
		return (luaL_error(L, "fault: unknown class '%s'", cls));
	strlcpy_fd(f.version, opt_str(L, 2, "version", ""), sizeof f.version);
	strlcpy_fd(f.flag, opt_str(L, 2, "flag", ""), sizeof f.flag);
	f.err_pct = opt_num(L, 2, "error_pct", 0);
	f.lat_ms = opt_num(L, 2, "latency_ms", 0);
	if (world_add_fault(w, &f, &cause) == -1)
		return (fail(L, cause));
	return (0);
}

static int
w_change(lua_State *L)
{
	static const char *const keys[] = { "at_s", "who", "target", "text",
	    NULL };

	const char	*who, *target, *text;

	luaL_checktype(L, 2, LUA_TTABLE);
	check_keys(L, 2, "change", keys);
	lua_settop(L, 2);
	lua_pushstring(L, opt_str(L, 2, "who", "ci"));
	lua_pushstring(L, opt_str(L, 2, "target", ""));
	lua_pushstring(L, req_str(L, 2, "text"));
	who = api_text(L, 3);
	target = api_text(L, 4);
	text = api_text(L, 5);
	world_add_change(W(L), (long)(opt_num(L, 2, "at_s", 0) * 1000),
	    who, target, text);
	return (0);
}

static int
w_set(lua_State *L)
{
	char	*cause = NULL;

	if (world_set(W(L), luaL_checkstring(L, 2), luaL_checknumber(L, 3),
	    &cause) != 0)
		return (fail(L, cause));
	return (0);
}

static int
w_get(lua_State *L)
{
	char	*cause = NULL;
	double	 v;

	if (world_get(W(L), luaL_checkstring(L, 2), &v, &cause) != 0)
		return (fail(L, cause));
	lua_pushnumber(L, v);
	return (1);
}

static int
w_get_str(lua_State *L)
{
	char	*cause = NULL, out[128];

	if (world_get_str(W(L), luaL_checkstring(L, 2), out, sizeof out,
	    &cause) != 0)
		return (fail(L, cause));
	lua_pushstring(L, out);
	return (1);
}

static int
w_metric(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 id = metrics_find(&g->m, luaL_checkstring(L, 2));

	if (id == -1)
		return (luaL_error(L, "no metric '%s'", lua_tostring(L, 2)));
	lua_pushnumber(L, g->m.v[id].value);
	return (1);
}

static int
w_ramp(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	const char	*path = luaL_checkstring(L, 2);
	double		 from = luaL_checknumber(L, 3);
	double		 to = luaL_checknumber(L, 4);
	double		 secs = luaL_optnumber(L, 5, 0);
	char		*cause = NULL;
	double		 v;

	if (world_get(&g->w, path, &v, &cause) != 0)
		return (fail(L, cause));
	world_ramp(&g->w, path, from, to, g->tick, (long)(secs * TICKS_PER_S));
	return (0);
}

static int
w_log(lua_State *L)
{
	const char	*src = api_text(L, 2), *level = api_text(L, 3);

	game_log(get_script(L)->g, src, level, "%s", api_text(L, 4));
	return (0);
}

static int
w_event(lua_State *L)
{
	game_event(get_script(L)->g, EV_FAULT, "script", api_text(L, 2),
	    NULL, 0, 0);
	return (0);
}

static int
w_deploy(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 s = world_find_svc(&g->w, luaL_checkstring(L, 2));

	if (s == -1)
		return (luaL_error(L, "deploy: unknown service '%s'",
		    lua_tostring(L, 2)));
	model_deploy(g, s, luaL_checkstring(L, 3), luaL_optnumber(L, 4, 60),
	    -1);
	return (0);
}

/* w:after(secs, fn): run fn(w) once, secs of sim time from now. */
static int
w_after(lua_State *L)
{
	struct script		*sc = get_script(L);
	struct script_event	*e;
	double			 secs = luaL_checknumber(L, 2);

	luaL_checktype(L, 3, LUA_TFUNCTION);
	if (!(secs >= 0) || secs > 1e7)
		return (luaL_error(L, "after: delay out of range"));
	if (sc->nev >= 10000)
		return (luaL_error(L, "after: too many pending timers"));
	lua_pushvalue(L, 3);
	sc->ev = xreallocarray(sc->ev, sc->nev + 1, sizeof *sc->ev);
	e = &sc->ev[sc->nev++];
	memset(e, 0, sizeof *e);
	e->at_s = game_now_ms(sc->g) / 1000.0 + secs;
	e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return (0);
}

static int
w_now(lua_State *L)
{
	lua_pushnumber(L, game_now_ms(get_script(L)->g) / 1000.0);
	return (1);
}

static int
w_set_flag(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 f = world_find_flag(&g->w, luaL_checkstring(L, 2));

	if (f == -1)
		return (luaL_error(L, "no flag '%s'", lua_tostring(L, 2)));
	g->w.flag[f].on = lua_toboolean(L, 3);
	return (0);
}

static int
w_set_gauge(lua_State *L)
{
	struct game	*g = get_script(L)->g;
	int		 id = metrics_find(&g->m, luaL_checkstring(L, 2)), i;

	for (i = 0; i < g->w.ngauge; i++)
		if (g->w.gauge[i].metric == id) {
			g->w.gauge[i].value = luaL_checknumber(L, 3);
			return (0);
		}
	return (luaL_error(L, "no gauge '%s'", lua_tostring(L, 2)));
}

/*
 * adds: the call grows the engine's state (counted against the budgets);
 * 2: its strings are free text, cut at API_TEXT_MAX rather than refused.
 */
static const struct world_fn {
	const char	*name;
	lua_CFunction	 func;
	int		 adds;
} world_api[] = {
	{ "external", w_external, 1 },
	{ "cache", w_cache, 1 },
	{ "keyspace", w_keyspace, 1 },
	{ "hotkey", w_hotkey, 1 },
	{ "attack", w_attack, 1 },
	{ "cache_expire", w_cache_expire, 1 },
	{ "table", w_table, 1 },
	{ "query", w_query, 1 },
	{ "job", w_job, 1 },
	{ "deadlock", w_deadlock, 1 },
	{ "role", w_role, 1 },
	{ "db", w_db, 1 },
	{ "replication", w_replication, 1 },
	{ "wal_writer", w_wal_writer, 1 },
	{ "read_routing", w_read_routing, 1 },
	{ "read_after_write", w_read_after_write, 1 },
	{ "service", w_service, 1 },
	{ "edge", w_edge, 1 },
	{ "route", w_route, 1 },
	{ "alert", w_alert, 1 },
	{ "remove_alert", w_remove_alert, 1 },
	{ "alert_on", w_alert_on, 1 },
	{ "disk", w_disk, 1 },
	{ "writes", w_writes, 1 },
	{ "tenant", w_tenant, 1 },
	{ "tenant_run", w_tenant_run, 1 },
	{ "gauge", w_gauge, 1 },
	{ "flag", w_flag, 1 },
	{ "fault", w_fault, 1 },
	{ "change", w_change, 2 },
	{ "set", w_set, 0 },
	{ "get", w_get, 0 },
	{ "get_str", w_get_str, 0 },
	{ "metric", w_metric, 0 },
	{ "ramp", w_ramp, 1 },
	{ "log", w_log, 2 },
	{ "event", w_event, 2 },
	{ "deploy", w_deploy, 1 },
	{ "now", w_now, 0 },
	{ "after", w_after, 1 },
	{ "set_flag", w_set_flag, 0 },
	{ "set_gauge", w_set_gauge, 0 },
	{ NULL, NULL, 0 }
};

/* Bytes of string arguments, and of string fields of table arguments. */
static size_t
api_len(lua_State *L, int idx, const struct world_fn *f)
{
	size_t	len = lua_rawlen(L, idx);

	if (len <= API_TEXT_MAX)
		return (len);
	if (f->adds == 2)
		return (API_TEXT_MAX);
	return (luaL_error(L, "w:%s: a string of %I bytes (at most %d)",
	    f->name, (lua_Integer)len, API_TEXT_MAX));
}

static size_t
api_bytes(lua_State *L, const struct world_fn *f)
{
	size_t	bytes = 0;
	int	i, n = lua_gettop(L), fields;

	for (i = 2; i <= n; i++) {
		if (lua_type(L, i) == LUA_TSTRING)
			bytes += api_len(L, i, f);
		if (lua_type(L, i) != LUA_TTABLE)
			continue;
		/* Past a few dozen fields the function refuses anyway. */
		lua_pushnil(L);
		for (fields = 0; fields < 64 && lua_next(L, i) != 0;
		    fields++) {
			if (lua_type(L, -1) == LUA_TSTRING)
				bytes += api_len(L, -1, f);
			lua_pop(L, 1);
		}
		if (fields == 64)
			lua_pop(L, 1);
	}
	return (bytes + 1);
}

/*
 * Every `w` function goes through here: strings are capped, and calls that
 * add to the engine's state are counted against the budgets per tick and
 * per run.  Spending one stops the callback (pcall cannot catch it).
 */
static int
w_guard(lua_State *L)
{
	struct script		*sc = get_script(L);
	const struct world_fn	*f;
	size_t			 bytes;

	f = &world_api[lua_tointeger(L, lua_upvalueindex(2))];
	bytes = api_bytes(L, f);
	if (!f->adds)
		return (f->func(L));
	if (sc->g->tick != sc->api_tick) {
		sc->api_tick = sc->g->tick;
		sc->tick_calls = 0;
		sc->tick_bytes = 0;
	}
	sc->tick_calls++;
	sc->tick_bytes += bytes;
	sc->run_calls++;
	sc->run_bytes += bytes;
	if (sc->tick_calls > API_TICK_CALLS || sc->tick_bytes > API_TICK_BYTES)
		return (sandbox_abort(L, "w:%s: more than %d calls or %zu KiB "
		    "in one tick", f->name, API_TICK_CALLS,
		    (size_t)(API_TICK_BYTES >> 10)));
	if (sc->run_calls > API_RUN_CALLS || sc->run_bytes > API_RUN_BYTES)
		return (sandbox_abort(L, "w:%s: more than %d calls or %zu MiB "
		    "in one run", f->name, API_RUN_CALLS, API_RUN_BYTES >> 20));
	return (f->func(L));
}

/* ---- calling into Lua ---- */

static int
ref_dead(const struct script *sc, int ref)
{
	int	i;

	for (i = 0; i < sc->ndead; i++)
		if (sc->dead[i] == ref)
			return (1);
	return (0);
}

/*
 * Call ref(w, ...) with nargs already pushed after it: 0, -1 on error with
 * *cause, or 1 (nargs popped, nothing run) for a function a limit stopped
 * before: it is not called again, so a hang costs one budget, not one a
 * tick.
 */
static int
call_ref(struct script *sc, int ref, int nargs, int nres, char **cause)
{
	lua_State	*L = sandbox_state(sc->sb);
	char		*c;

	if (ref_dead(sc, ref)) {
		lua_pop(L, nargs);
		return (1);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->w_ref);
	if (nargs > 0) {
		lua_rotate(L, -(nargs + 2), 2);
	}
	if (sandbox_pcall(sc->sb, nargs + 1, nres, cause) == 0)
		return (0);
	if (sandbox_limited(sc->sb)) {
		sc->dead = xreallocarray(sc->dead, sc->ndead + 1,
		    sizeof *sc->dead);
		sc->dead[sc->ndead++] = ref;
		c = xasprintf("%s (not called again this run)", *cause);
		free(*cause);
		*cause = c;
	}
	return (-1);
}

static void
runtime_error(struct script *sc, char *cause)
{
	sc->errors++;
	if (sc->errors <= SCRIPT_ERRORS_MAX)
		game_event(sc->g, EV_INFO, "script", cause, "script error", 0,
		    0);
	else if (sc->errors == SCRIPT_ERRORS_MAX + 1)
		game_event(sc->g, EV_INFO, "script", "further script errors "
		    "are counted, not shown", "script error", 0, 0);
	free(cause);
}

static void
hook_tick(void *ctx, struct game *g)
{
	struct script	*sc = ctx;
	lua_State	*L = sandbox_state(sc->sb);
	double		 now = game_now_ms(g) / 1000.0;
	char		*cause = NULL;
	int		 i, ref;

	for (i = 0; i < sc->nev; i++) {
		struct script_event *e = &sc->ev[i];

		if (e->done || e->at_s > now + 1e-9)
			continue;
		e->done = 1;
		if (e->note != NULL)
			game_event(g, EV_FAULT, "script", e->note, NULL, 0, 0);
		/* The call may add timers and move the array: use the ref. */
		ref = e->ref;
		if (ref != LUA_NOREF && call_ref(sc, ref, 0, 0, &cause) < 0)
			runtime_error(sc, cause);
	}
	if (sc->ref_on_tick != LUA_NOREF && (long)now != sc->last_tick_s &&
	    g->tick % TICKS_PER_S == 0) {
		sc->last_tick_s = (long)now;
		lua_pushnumber(L, now);
		if (call_ref(sc, sc->ref_on_tick, 1, 0, &cause) < 0)
			runtime_error(sc, cause);
	}
}

static int
hook_check(void *ctx, struct game *g, enum check c)
{
	struct script	*sc = ctx;
	lua_State	*L = sandbox_state(sc->sb);
	char		*cause = NULL;
	int		 ref, v;

	(void)g;
	ref = c == CHECK_MITIGATED ? sc->ref_mitigated :
	    c == CHECK_FIXED ? sc->ref_fixed : sc->ref_probe_passed;
	if (ref == LUA_NOREF)
		return (c == CHECK_PROBE_PASSED ? -1 :
		    c == CHECK_MITIGATED ? 1 : 0);
	switch (call_ref(sc, ref, 0, 1, &cause)) {
	case -1:
		runtime_error(sc, cause);
		return (0);
	case 1:
		return (0);
	}
	v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return (v);
}

static void
hook_probe(void *ctx, struct game *g, int start)
{
	struct script	*sc = ctx;
	char		*cause = NULL;
	int		 ref = start ? sc->ref_probe_run : sc->ref_probe_restore;

	(void)g;
	if (ref != LUA_NOREF && call_ref(sc, ref, 0, 0, &cause) < 0)
		runtime_error(sc, cause);
}

static void
call_named(struct script *sc, struct named_ref *v, int n, const char *name,
    int on)
{
	char	*cause = NULL;
	int	 i, ref;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) != 0)
			continue;
		ref = on ? v[i].ref_on : v[i].ref_off;
		if (ref != LUA_NOREF && call_ref(sc, ref, 0, 0, &cause) < 0)
			runtime_error(sc, cause);
	}
}

static void
hook_flag(void *ctx, struct game *g, int flag)
{
	call_named(ctx, ((struct script *)ctx)->flags,
	    ((struct script *)ctx)->nflags, g->w.flag[flag].name,
	    g->w.flag[flag].on);
}

static void
hook_patch(void *ctx, struct game *g, int patch)
{
	call_named(ctx, ((struct script *)ctx)->patches,
	    ((struct script *)ctx)->npatches, g->w.patch[patch].name, 1);
}

/* ---- reading the incident table ---- */

static int
ref_field(lua_State *L, int t, const char *k)
{
	int	type = field_type(L, t, k);

	if (type == LUA_TNIL) {
		lua_pop(L, 1);
		return (LUA_NOREF);
	}
	if (type != LUA_TFUNCTION)
		luaL_error(L, "field '%s' must be a function", k);
	return (luaL_ref(L, LUA_REGISTRYINDEX));
}

static char **
str_list(lua_State *L, int t, const char *k, int *n)
{
	char	**v = NULL;
	int	  i, len;

	*n = 0;
	if (field_type(L, t, k) == LUA_TNIL) {
		lua_pop(L, 1);
		return (NULL);
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "field '%s' must be a list of strings", k);
	len = (int)luaL_len(L, -1);
	for (i = 1; i <= len; i++) {
		if (lua_geti(L, -1, i) != LUA_TSTRING)
			luaL_error(L, "field '%s' must be a list of strings",
			    k);
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return (v);
}

static enum harm
harm_of(lua_State *L, const char *s)
{
	if (strcmp(s, "useless") == 0)
		return (HARM_USELESS);
	if (strcmp(s, "minor") == 0)
		return (HARM_MINOR);
	if (strcmp(s, "major") == 0)
		return (HARM_MAJOR);
	if (strcmp(s, "critical") == 0)
		return (HARM_CRITICAL);
	luaL_error(L, "harm class must be useless, minor, major or critical,"
	    " not '%s'", s);
	return (HARM_NONE);
}

static int64_t
parse_clock(const char *s)
{
	struct tm	tm;
	int		y, mo, d, h = 0, mi = 0, se = 0;
	int64_t		days;

	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi,
	    &se) < 3)
		return (0);
	memset(&tm, 0, sizeof tm);
	/* Days from the civil date, so no time zone is consulted. */
	y -= mo <= 2;
	days = (int64_t)365 * y + y / 4 - y / 100 + y / 400 +
	    (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1 - 719468;
	return (days * 86400 + h * 3600 + mi * 60 + se);
}

static const char *const incident_keys[] = {
	"api", "id", "section", "title", "difficulty", "severity", "clock",
	"platform", "briefing", "teaches", "trap", "world", "events", "logs",
	"relevant_alerts", "root_cause", "near_miss", "decoys", "slo",
	"hold_s", "mitigated", "fixed", "probe", "patches", "flags",
	"classify", "hints", "lose", "postmortem", "on_tick", "warmup_s",
	"signals", "expert", "bonuses", NULL
};

/* Metadata only: what `list` and the picker need. */
static void
read_meta(lua_State *L, int t, struct incident_def *in)
{
	const char	*sev;

	check_keys(L, t, "incident", incident_keys);
	if (opt_num(L, t, "api", FD_API_VERSION) != FD_API_VERSION)
		luaL_error(L, "incident written for API %d; this firedrill"
		    " speaks API %d", (int)opt_num(L, t, "api", 0),
		    FD_API_VERSION);
	in->id = xstrdup(req_str(L, t, "id"));
	in->section = xstrdup(opt_str(L, t, "section", ""));
	in->title = xstrdup(req_str(L, t, "title"));
	in->difficulty = (int)opt_num(L, t, "difficulty", 1);
	sev = opt_str(L, t, "severity", "P1");
	if (strcmp(sev, "P1") != 0 && strcmp(sev, "P2") != 0 &&
	    strcmp(sev, "P3") != 0)
		luaL_error(L, "severity must be P1, P2 or P3");
	in->severity = xstrdup(sev);
	in->sev_scale = sev[1] == '1' ? 1 : sev[1] == '2' ? 2 : 4;
	in->clock = xstrdup(opt_str(L, t, "clock", "2025-01-01T12:00:00"));
	in->start_epoch = parse_clock(in->clock);
	in->briefing = xstrdup(opt_str(L, t, "briefing", ""));
}

struct load_ctx {
	struct script	*sc;
	const char	*datadir;
};

static int
load_slo_list(lua_State *L, struct game *g, int t)
{
	char	*cause = NULL, *expr;
	int	 i, n;

	if (field_type(L, t, "slo") == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	n = (int)luaL_len(L, -1);
	g->inc.slo = xcalloc(n, sizeof *g->inc.slo);
	for (i = 1; i <= n; i++) {
		if (lua_geti(L, -1, i) != LUA_TSTRING)
			return (luaL_error(L, "slo entries are strings like"
			    " 'metric{label=v} < 1'"));
		expr = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
		if (game_slo_parse(&g->inc.slo[g->inc.nslo], expr,
		    &cause) != 0) {
			free(expr);
			return (fail(L, cause));
		}
		free(expr);
		g->inc.nslo++;
	}
	lua_pop(L, 1);
	return (0);
}

static int
load_logs(lua_State *L, struct game *g, int t)
{
	static const char *const keys[] = { "when", "src", "level", "every_s",
	    "line", NULL };
	char		*cause = NULL;
	const char	*when;
	int		 i, n;

	if (field_type(L, t, "logs") == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	n = (int)luaL_len(L, -1);
	g->lrule = xcalloc(n, sizeof *g->lrule);
	for (i = 1; i <= n; i++) {
		struct log_rule *r = &g->lrule[g->nlrule];

		lua_geti(L, -1, i);
		luaL_checktype(L, -1, LUA_TTABLE);
		check_keys(L, -1, "log rule", keys);
		when = opt_str(L, -1, "when", NULL);
		r->always = when == NULL;
		if (when != NULL && game_slo_parse(&r->cond, when,
		    &cause) != 0)
			return (fail(L, cause));
		strlcpy_fd(r->src, req_str(L, -1, "src"), sizeof r->src);
		strlcpy_fd(r->level, opt_str(L, -1, "level", "INFO"),
		    sizeof r->level);
		r->line = xstrdup(req_str(L, -1, "line"));
		r->every_s = (int)opt_num(L, -1, "every_s", 5);
		r->last_s = -1000000;
		g->nlrule++;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return (0);
}

static void	load_debrief(lua_State *, struct debrief_def *, int);

static int
load_classify(lua_State *L, struct game *g, int t)
{
	static const char *const keys[] = { "works", "harmful", NULL };
	static const char *const hkeys[] = { "match", "class", "why",
	    "security", NULL };
	int	i, n;

	if (field_type(L, t, "classify") == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	check_keys(L, -1, "classify", keys);
	g->inc.works = str_list(L, lua_gettop(L), "works", &g->inc.nworks);
	if (field_type(L, -1, "harmful") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		g->inc.harm = xcalloc(n, sizeof *g->inc.harm);
		for (i = 1; i <= n; i++) {
			struct harm_rule *h = &g->inc.harm[g->inc.nharm];

			lua_geti(L, -1, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			check_keys(L, -1, "harmful", hkeys);
			h->match = xstrdup(req_str(L, -1, "match"));
			h->cls = harm_of(L, req_str(L, -1, "class"));
			h->why = xstrdup(opt_str(L, -1, "why", ""));
			h->security = opt_bool(L, lua_gettop(L), "security", 0);
			if (h->security) {
				/* The timeline carries the flag in the why. */
				char *why = xasprintf("%s%s", HARM_SECURITY_TAG,
				    h->why);

				free(h->why);
				h->why = why;
			}
			if (h->security && h->cls != HARM_CRITICAL)
				luaL_error(L, "harmful '%s': a security"
				    " violation is class \"critical\"",
				    h->match);
			g->inc.nharm++;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 2);
	return (0);
}

static int
load_named(lua_State *L, int t, const char *k, struct named_ref **out,
    int *n, const char *on, const char *off)
{
	if (field_type(L, t, k) == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		struct named_ref *r;

		if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1))
			return (luaL_error(L, "%s: entries are name = {...}",
			    k));
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		r = &(*out)[(*n)++];
		r->name = xstrdup(lua_tostring(L, -2));
		r->ref_on = ref_field(L, lua_gettop(L), on);
		r->ref_off = off != NULL ? ref_field(L, lua_gettop(L), off) :
		    LUA_NOREF;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return (0);
}

static int
load_patches_flags(lua_State *L, struct script *sc, int t)
{
	static const char *const pkeys[] = { "svc", "version", "build_s",
	    "rollout_s", "desc", "apply", NULL };
	static const char *const fkeys[] = { "svc", "default", "desc", "on",
	    "off", NULL };
	struct world	*w = &sc->g->w;
	char		*cause = NULL;
	int		 s, p;

	if (field_type(L, t, "patches") == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2) != 0) {
			if (lua_type(L, -2) != LUA_TSTRING ||
			    !lua_istable(L, -1))
				return (luaL_error(L, "patches: entries are"
				    " name = {...}"));
			check_keys(L, -1, "patch", pkeys);
			if ((s = world_find_svc(w, req_str(L, -1, "svc"))) ==
			    -1)
				return (luaL_error(L, "patch %s: unknown"
				    " service", lua_tostring(L, -2)));
			p = world_add_patch(w, lua_tostring(L, -2), s,
			    req_str(L, -1, "version"),
			    opt_num(L, -1, "build_s", 300),
			    opt_str(L, -1, "desc", ""), &cause);
			if (p == -1)
				return (fail(L, cause));
			w->patch[p].rollout_s = opt_num(L, -1, "rollout_s", 60);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (field_type(L, t, "flags") == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2) != 0) {
			if (lua_type(L, -2) != LUA_TSTRING ||
			    !lua_istable(L, -1))
				return (luaL_error(L, "flags: entries are"
				    " name = {...}"));
			check_keys(L, -1, "flag", fkeys);
			if (world_add_flag(w, lua_tostring(L, -2),
			    opt_str(L, -1, "svc", ""),
			    opt_bool(L, -1, "default", 0),
			    opt_str(L, -1, "desc", ""), &cause) == -1)
				return (fail(L, cause));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	load_named(L, t, "patches", &sc->patches, &sc->npatches, "apply",
	    NULL);
	load_named(L, t, "flags", &sc->flags, &sc->nflags, "on", "off");
	return (0);
}

static int
load_events(lua_State *L, struct script *sc, int t)
{
	static const char *const keys[] = { "at", "run", "note", NULL };
	int	i, n;

	if (field_type(L, t, "events") == LUA_TNIL) {
		lua_pop(L, 1);
		return (0);
	}
	luaL_checktype(L, -1, LUA_TTABLE);
	n = (int)luaL_len(L, -1);
	sc->ev = xcalloc(n, sizeof *sc->ev);
	for (i = 1; i <= n; i++) {
		struct script_event *e = &sc->ev[sc->nev];
		const char *note;

		lua_geti(L, -1, i);
		luaL_checktype(L, -1, LUA_TTABLE);
		check_keys(L, -1, "event", keys);
		e->at_s = opt_num(L, -1, "at", 0);
		note = opt_str(L, -1, "note", NULL);
		e->note = note != NULL ? xstrdup(note) : NULL;
		e->ref = ref_field(L, lua_gettop(L), "run");
		sc->nev++;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return (0);
}

static int
load_rest(lua_State *L, struct script *sc, int t)
{
	static const char *const probe_keys[] = { "after_fix_s",
	    "duration_s", "run", "restore", "passed", NULL };
	static const char *const lose_keys[] = { "budget_pct",
	    "unmitigated_s", NULL };
	static const char *const near_keys[] = { "id", "why", NULL };
	struct incident_def	*in = &sc->g->inc;
	int			 i, n;

	in->root_cause = xstrdup(req_str(L, t, "root_cause"));
	in->relevant = str_list(L, t, "relevant_alerts", &in->nrelevant);
	in->decoys = str_list(L, t, "decoys", &in->ndecoys);
	if (field_type(L, t, "near_miss") == LUA_TTABLE) {
		n = (int)luaL_len(L, -1);
		in->near = xcalloc(n, sizeof *in->near);
		for (i = 1; i <= n; i++) {
			lua_geti(L, -1, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			check_keys(L, -1, "near_miss", near_keys);
			in->near[in->nnear].id = xstrdup(req_str(L, -1, "id"));
			in->near[in->nnear].why = xstrdup(opt_str(L, -1, "why",
			    ""));
			in->nnear++;
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	load_slo_list(L, sc->g, t);
	in->hold_s = (int)opt_num(L, t, "hold_s", 120);
	in->warmup_s = (int)opt_num(L, t, "warmup_s", 60);
	sc->ref_mitigated = ref_field(L, t, "mitigated");
	sc->ref_fixed = ref_field(L, t, "fixed");
	sc->ref_on_tick = ref_field(L, t, "on_tick");
	if (field_type(L, t, "probe") == LUA_TTABLE) {
		check_keys(L, -1, "probe", probe_keys);
		in->has_probe = 1;
		in->probe_after_s = (int)opt_num(L, -1, "after_fix_s", 60);
		in->probe_duration_s = (int)opt_num(L, -1, "duration_s", 120);
		sc->ref_probe_run = ref_field(L, lua_gettop(L), "run");
		sc->ref_probe_restore = ref_field(L, lua_gettop(L), "restore");
		sc->ref_probe_passed = ref_field(L, lua_gettop(L), "passed");
	}
	lua_pop(L, 1);
	if (field_type(L, t, "lose") == LUA_TTABLE) {
		check_keys(L, -1, "lose", lose_keys);
		in->lose_budget_pct = opt_num(L, -1, "budget_pct", 100);
		in->lose_unmitigated_s = (int)opt_num(L, -1, "unmitigated_s",
		    2700);
	}
	lua_pop(L, 1);
	{
		int nh = 0;
		char **h = str_list(L, t, "hints", &nh);

		for (i = 0; i < nh; i++) {
			if (i < 3)
				in->hints[i] = h[i];
			else
				free(h[i]);
		}
		free(h);
	}
	load_logs(L, sc->g, t);
	load_classify(L, sc->g, t);
	load_debrief(L, &sc->g->inc.db, t);
	load_events(L, sc, t);
	return (0);
}

static char *
opt_dup(lua_State *L, int t, const char *k)
{
	const char	*v = opt_str(L, t, k, NULL);

	return (v != NULL ? xstrdup(v) : NULL);
}

static void
strv_field(lua_State *L, int t, const char *k, struct strv *out)
{
	out->v = str_list(L, t, k, &out->n);
}

/*
 * The debrief's data: `postmortem` (prevention items, root-cause
 * phrasings, distractors, monitors, answer card, bad records), `signals`
 * (what the interview signals look for) and the `expert` transcript.
 */
static void
load_debrief(lua_State *L, struct debrief_def *d, int t)
{
	static const char *const pkeys[] = { "prevention", "root_cause",
	    "distractors", "monitors", "card", "bad_records", NULL };
	static const char *const rkeys[] = { "systemic", "symptom", "wrong",
	    "blame", NULL };
	static const char *const ckeys[] = { "symptom", "root_cause",
	    "solution", "prevention", NULL };
	static const char *const mkeys[] = { "text", "match", NULL };
	static const char *const bkeys[] = { "param", "what", NULL };
	static const char *const skeys[] = { "components", "scope",
	    "fix_work", "recent_change", "isolating", "global", "remediate",
	    "other_team", NULL };
	int	i, n, p;

	if (field_type(L, t, "postmortem") == LUA_TTABLE) {
		p = lua_gettop(L);
		check_keys(L, p, "postmortem", pkeys);
		strv_field(L, p, "prevention", &d->prevention);
		strv_field(L, p, "distractors", &d->distractors);
		if (field_type(L, p, "root_cause") == LUA_TTABLE) {
			check_keys(L, -1, "root_cause", rkeys);
			for (i = 0; i < PM_RC__COUNT; i++)
				d->rc[i] = xstrdup(req_str(L, lua_gettop(L),
				    rkeys[i]));
		} else if (!lua_isnil(L, -1))
			luaL_error(L, "postmortem.root_cause must be a table");
		lua_pop(L, 1);
		if (field_type(L, p, "card") == LUA_TTABLE) {
			check_keys(L, -1, "card", ckeys);
			for (i = 0; i < CARD__COUNT; i++)
				d->card[i] = xstrdup(req_str(L, lua_gettop(L),
				    ckeys[i]));
		} else if (!lua_isnil(L, -1))
			luaL_error(L, "postmortem.card must be a table");
		lua_pop(L, 1);
		if (field_type(L, p, "bad_records") == LUA_TTABLE) {
			check_keys(L, -1, "bad_records", bkeys);
			d->bad_param = xstrdup(req_str(L, lua_gettop(L),
			    "param"));
			d->bad_what = opt_dup(L, lua_gettop(L), "what");
		} else if (!lua_isnil(L, -1))
			luaL_error(L, "postmortem.bad_records must be a table");
		lua_pop(L, 1);
		if (field_type(L, p, "monitors") == LUA_TTABLE) {
			n = (int)luaL_len(L, -1);
			d->monitors = xcalloc(n > 0 ? n : 1,
			    sizeof *d->monitors);
			for (i = 1; i <= n; i++) {
				struct pm_monitor *m = &d->monitors[i - 1];

				lua_geti(L, -1, i);
				luaL_checktype(L, -1, LUA_TTABLE);
				check_keys(L, -1, "monitor", mkeys);
				m->text = xstrdup(req_str(L, lua_gettop(L),
				    "text"));
				strv_field(L, lua_gettop(L), "match",
				    &m->match);
				d->nmonitors++;
				lua_pop(L, 1);
			}
		} else if (!lua_isnil(L, -1))
			luaL_error(L, "postmortem.monitors must be a list");
		lua_pop(L, 1);
	} else if (!lua_isnil(L, -1))
		luaL_error(L, "field 'postmortem' must be a table");
	lua_pop(L, 1);
	if (field_type(L, t, "signals") == LUA_TTABLE) {
		p = lua_gettop(L);
		check_keys(L, p, "signals", skeys);
		strv_field(L, p, "components", &d->components);
		strv_field(L, p, "scope", &d->scope);
		strv_field(L, p, "fix_work", &d->fix_work);
		strv_field(L, p, "recent_change", &d->recent_change);
		strv_field(L, p, "isolating", &d->isolating);
		strv_field(L, p, "global", &d->global);
		strv_field(L, p, "remediate", &d->remediate);
		strv_field(L, p, "other_team", &d->other_team);
	} else if (!lua_isnil(L, -1))
		luaL_error(L, "field 'signals' must be a table");
	lua_pop(L, 1);
	d->expert = opt_dup(L, t, "expert");
	if (field_type(L, t, "bonuses") == LUA_TTABLE) {
		static const char *const bkeys2[] = { "why", "points", "match",
		    "before", NULL };

		n = (int)luaL_len(L, -1);
		d->bonuses = xcalloc(n > 0 ? n : 1, sizeof *d->bonuses);
		for (i = 1; i <= n; i++) {
			struct bonus_rule *r = &d->bonuses[i - 1];

			lua_geti(L, -1, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			check_keys(L, -1, "bonus", bkeys2);
			r->why = xstrdup(req_str(L, lua_gettop(L), "why"));
			r->points = (int)opt_num(L, lua_gettop(L), "points",
			    25);
			strv_field(L, lua_gettop(L), "match", &r->match);
			strv_field(L, lua_gettop(L), "before", &r->before);
			d->nbonuses++;
			if (r->match.n == 0)
				luaL_error(L, "bonus '%s' needs a match",
				    r->why);
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, -1))
		luaL_error(L, "field 'bonuses' must be a list");
	lua_pop(L, 1);
}

/* Runs in protected mode: the incident table is at 1, the world API at 2. */
static int
build_cb(lua_State *L)
{
	struct load_ctx	*lc = lua_touserdata(L, lua_upvalueindex(1));
	struct script	*sc = lc->sc;
	read_meta(L, 1, &sc->g->inc);
	load_rest(L, sc, 1);
	return (0);
}

static int
patches_cb(lua_State *L)
{
	load_patches_flags(L, lua_touserdata(L, lua_upvalueindex(1)), 1);
	return (0);
}

static void
push_world_api(struct script *sc)
{
	lua_State		*L = sandbox_state(sc->sb);
	const struct world_fn	*r;

	lua_newtable(L);
	for (r = world_api; r->name != NULL; r++) {
		lua_pushlightuserdata(L, sc);
		lua_pushinteger(L, r - world_api);
		lua_pushcclosure(L, w_guard, 2);
		lua_setfield(L, -2, r->name);
	}
	sc->w_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void
push_fd(lua_State *L)
{
	lua_newtable(L);
	lua_pushinteger(L, FD_API_VERSION);
	lua_setfield(L, -2, "API");
	lua_pushinteger(L, 1);
	lua_setfield(L, -2, "SECOND");
	lua_pushinteger(L, 60);
	lua_setfield(L, -2, "MINUTE");
	lua_pushinteger(L, 3600);
	lua_setfield(L, -2, "HOUR");
	lua_setglobal(L, "fd");
}

static char *
join(const char *a, const char *b)
{
	return (xasprintf("%s/%s", a, b));
}

/* Run a file that must return a table; leave it on the stack. */
static int
run_table_file(struct script *sc, const char *path, const char *what,
    char **cause)
{
	lua_State	*L = sandbox_state(sc->sb);

	if (sandbox_run_file(sc->sb, path, 1, cause) != 0)
		return (-1);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		*cause = xasprintf("%s: the %s file must return a table", path,
		    what);
		return (-1);
	}
	return (0);
}

static int
load_lib(struct script *sc, const char *datadir, char **cause)
{
	char	*path = join(datadir, "lua/lib/fd.lua");
	int	 rc = 0;
	struct stat st;

	if (stat(path, &st) == 0)
		rc = sandbox_run_file(sc->sb, path, 0, cause);
	free(path);
	return (rc);
}

static struct script *
script_new(struct game *g)
{
	struct script		*sc = xcalloc(1, sizeof *sc);
	struct sandbox_limits	 lim = { 64u << 20, 0 };

	sc->g = g;
	if ((sc->sb = sandbox_new(&lim)) == NULL) {
		/* Only when the process itself is out of memory. */
		fputs("firedrill: cannot create a Lua state\n", stderr);
		exit(70);
	}
	sandbox_set_rand(sc->sb, rand_cb, g);
	push_fd(sandbox_state(sc->sb));
	sc->inc_ref = sc->w_ref = LUA_NOREF;
	sc->ref_mitigated = sc->ref_fixed = sc->ref_on_tick = LUA_NOREF;
	sc->ref_probe_run = sc->ref_probe_restore = LUA_NOREF;
	sc->ref_probe_passed = LUA_NOREF;
	sc->last_tick_s = -1;
	sc->api_tick = -1;
	return (sc);
}

struct script *
script_load(struct game *g, const char *datadir, const char *path,
    char **cause)
{
	struct script	*sc = script_new(g);
	lua_State	*L = sandbox_state(sc->sb);
	struct load_ctx	 lc = { sc, datadir };
	const char	*platform;
	char		*ppath = NULL, *c2 = NULL;
	int		 inc;

	sc->path = xstrdup(path);
	push_world_api(sc);
	if (load_lib(sc, datadir, cause) != 0)
		goto fail;
	if (run_table_file(sc, path, "incident", cause) != 0)
		goto fail;
	inc = lua_gettop(L);
	lua_pushvalue(L, inc);
	sc->inc_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	/* Declarations: metadata, hooks, rules (no world yet). */
	lua_pushlightuserdata(L, &lc);
	lua_pushcclosure(L, build_cb, 1);
	lua_pushvalue(L, inc);
	if (sandbox_pcall(sc->sb, 1, 0, &c2) != 0)
		goto fail_prefixed;

	/* The platform, then the incident's own world(). */
	lua_getfield(L, inc, "platform");
	platform = lua_isstring(L, -1) ? lua_tostring(L, -1) : "shopco";
	ppath = xasprintf("%s/lua/platforms/%s.lua", datadir, platform);
	lua_pop(L, 1);
	if (strchr(platform, '/') != NULL || strchr(platform, '.') != NULL) {
		*cause = xasprintf("%s: bad platform name '%s'", path,
		    platform);
		goto fail;
	}
	if (run_table_file(sc, ppath, "platform", cause) != 0)
		goto fail;
	lua_getfield(L, -1, "build");
	if (!lua_isfunction(L, -1)) {
		*cause = xasprintf("%s: the platform needs build = function(w)",
		    ppath);
		goto fail;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->w_ref);
	if (sandbox_pcall(sc->sb, 1, 0, cause) != 0)
		goto fail;
	lua_pop(L, 1);
	lua_getfield(L, inc, "world");
	if (lua_isfunction(L, -1)) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, sc->w_ref);
		if (sandbox_pcall(sc->sb, 1, 0, cause) != 0)
			goto fail;
	} else
		lua_pop(L, 1);

	/* Patches and flags name services: after the world exists. */
	lua_pushlightuserdata(L, sc);
	lua_pushcclosure(L, patches_cb, 1);
	lua_pushvalue(L, inc);
	if (sandbox_pcall(sc->sb, 1, 0, &c2) != 0)
		goto fail_prefixed;
	if (world_finalize(&g->w, &g->m, cause) != 0) {
		c2 = *cause;
		*cause = NULL;
		goto fail_prefixed;
	}
	lua_settop(L, 0);
	g->hooks.ctx = sc;
	g->hooks.tick_cb = hook_tick;
	g->hooks.check_cb = hook_check;
	g->hooks.probe_cb = hook_probe;
	g->hooks.flag_cb = hook_flag;
	g->hooks.patch_cb = hook_patch;
	if (game_start(g, &c2) != 0)
		goto fail_prefixed;
	free(ppath);
	return (sc);

fail_prefixed:
	/* Messages from C checks carry no location: name the file. */
	if (c2 != NULL && strncmp(c2, path, strlen(path)) != 0 &&
	    strstr(c2, ".lua:") == NULL) {
		*cause = xasprintf("%s: %s", path, c2);
		free(c2);
	} else
		*cause = c2;
fail:
	free(ppath);
	g->hooks.ctx = NULL;
	memset(&g->hooks, 0, sizeof g->hooks);
	script_free(sc);
	return (NULL);
}

void
script_free(struct script *sc)
{
	int	i;

	if (sc == NULL)
		return;
	sandbox_free(sc->sb);
	for (i = 0; i < sc->nev; i++)
		free(sc->ev[i].note);
	free(sc->ev);
	for (i = 0; i < sc->nflags; i++)
		free(sc->flags[i].name);
	free(sc->flags);
	for (i = 0; i < sc->npatches; i++)
		free(sc->patches[i].name);
	free(sc->patches);
	free(sc->dead);
	free(sc->path);
	free(sc);
}

int
script_errors(const struct script *sc)
{
	return (sc->errors);
}

/* ---- finding and listing incidents ---- */

char *
incident_resolve(const char *datadir, const char *incident, char **cause)
{
	struct stat	 st;
	char		*path;
	const char	*p;

	if (strstr(incident, ".lua") != NULL || strchr(incident, '/') != NULL) {
		if (stat(incident, &st) != 0 || !S_ISREG(st.st_mode)) {
			*cause = xasprintf("cannot read incident file %s",
			    incident);
			return (NULL);
		}
		return (xstrdup(incident));
	}
	for (p = incident; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_')) {
			*cause = xasprintf("unknown incident '%s' (see"
			    " 'firedrill list')", incident);
			return (NULL);
		}
	}
	path = xasprintf("%s/lua/incidents/%s.lua", datadir, incident);
	if (stat(path, &st) != 0) {
		*cause = xasprintf("unknown incident '%s' (see 'firedrill"
		    " list')", incident);
		free(path);
		return (NULL);
	}
	return (path);
}

static int
meta_cb(lua_State *L)
{
	struct incident_def *in = lua_touserdata(L, lua_upvalueindex(1));

	read_meta(L, 1, in);
	return (0);
}

static int
info_cmp(const void *a, const void *b)
{
	const struct incident_info *x = a, *y = b;
	int	r = strverscmp(x->section, y->section);

	return (r != 0 ? r : strcmp(x->id, y->id));
}

int
incident_list(const char *datadir, struct incident_info **out, int *n,
    char **cause)
{
	char		*dir = join(datadir, "lua/incidents");
	DIR		*d;
	struct dirent	*de;
	size_t		 len;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("cannot read %s (set FIREDRILL_DATADIR?)",
		    dir);
		free(dir);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		struct game		 g;
		struct script		*sc;
		struct incident_info	*ii;
		char			*path, *c = NULL;
		lua_State		*L;

		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".lua") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		game_init(&g, 0);
		sc = script_new(&g);
		L = sandbox_state(sc->sb);
		push_world_api(sc);
		if (run_table_file(sc, path, "incident", &c) == 0) {
			lua_pushlightuserdata(L, &g.inc);
			lua_pushcclosure(L, meta_cb, 1);
			lua_rotate(L, -2, 1);
			if (sandbox_pcall(sc->sb, 1, 0, &c) == 0) {
				*out = xreallocarray(*out, *n + 1,
				    sizeof **out);
				ii = &(*out)[(*n)++];
				ii->id = xstrdup(g.inc.id);
				ii->section = xstrdup(g.inc.section);
				ii->title = xstrdup(g.inc.title);
				ii->severity = xstrdup(g.inc.severity);
				ii->difficulty = g.inc.difficulty;
				ii->path = xstrdup(path);
				ii->error = NULL;
				ii->briefing = xstrdup(g.inc.briefing);
				ii->clock = xstrdup(g.inc.clock);
			}
		}
		if (c != NULL) {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			ii = &(*out)[(*n)++];
			memset(ii, 0, sizeof *ii);
			ii->id = xstrndup(de->d_name, len - 4);
			ii->section = xstrdup("");
			ii->title = xstrdup("");
			ii->severity = xstrdup("");
			ii->path = xstrdup(path);
			ii->error = c;
			c = NULL;
		}
		free(c);
		script_free(sc);
		game_fini(&g);
		free(path);
	}
	closedir(d);
	free(dir);
	qsort(*out, *n, sizeof **out, info_cmp);
	return (0);
}

void
incident_list_free(struct incident_info *v, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].section);
		free(v[i].title);
		free(v[i].severity);
		free(v[i].path);
		free(v[i].error);
		free(v[i].briefing);
		free(v[i].clock);
	}
	free(v);
}
