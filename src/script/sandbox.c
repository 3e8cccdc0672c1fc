/*
 * The Lua sandbox for untrusted incident scripts.  It must never let a
 * script reach the file system, the process or the loader, never run a
 * binary chunk, and never let a script outlive its instruction budget or
 * grow past its memory cap.
 *
 * Globals removed after opening base, table, string, math and utf8: dofile,
 * loadfile, load, require, collectgarbage and print (load is removed rather
 * than wrapped: no script needs to compile code at run time), string.dump.
 * Lua runs finalizers, and message handlers for errors raised by a hook,
 * with hooks off, so setmetatable refuses __gc and xpcall handlers are
 * skipped once the budget is spent.  string.rep returns an empty result at
 * once instead of looping to build it.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "script/sandbox.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define SANDBOX_MEM_DEFAULT	((size_t)64 << 20)
#define SANDBOX_BUDGET_DEFAULT	50000000L
#define SANDBOX_HOOK_EVERY	1000
#define SANDBOX_MEMERRMSG	"not enough memory"

struct sandbox {
	lua_State	*L;

	size_t		 mem_used;
	size_t		 mem_cap;
	int		 mem_hit;	/* allocator refused since entry */

	long		 budget;
	long		 left;
	int		 expired;	/* spent: every hook raises */
	int		 depth;		/* nested run/pcall entries */
	char		 expired_msg[LUA_IDSIZE + 64];

	sandbox_rand_cb	 rand;
	void		*rand_ctx;
};

static const char *const sandbox_removed[] = {
	"dofile", "loadfile", "load", "require", "collectgarbage", "print",
	NULL
};

static struct sandbox *
sandbox_from(lua_State *L)
{
	return (*(struct sandbox **)lua_getextraspace(L));
}

/*
 * Lua's allocator.  Growth past the cap is refused before malloc sees it;
 * shrinking never fails (Lua relies on that).  Nothing here may call Lua.
 */
static void *
sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sandbox	*sb = ud;
	size_t		 old = ptr != NULL ? osize : 0;
	void		*np;

	if (nsize == 0) {
		free(ptr);
		sb->mem_used -= old;
		return (NULL);
	}
	if (nsize > old && nsize - old > sb->mem_cap - sb->mem_used) {
		sb->mem_hit = 1;
		return (NULL);
	}
	if ((np = realloc(ptr, nsize)) == NULL) {
		if (nsize > old)
			return (NULL);
		np = ptr;	/* keep the bigger block; Lua counts nsize */
	}
	sb->mem_used = sb->mem_used - old + nsize;
	return (np);
}

static int
sandbox_panic(lua_State *L)
{
	const char	*msg = lua_tostring(L, -1);

	fprintf(stderr, "firedrill: unprotected Lua error: %s\n",
	    msg != NULL ? msg : "?");
	return (0);	/* Lua aborts */
}

static int
sandbox_hook_every(const struct sandbox *sb)
{
	if (sb->budget < SANDBOX_HOOK_EVERY)
		return ((int)sb->budget);
	return (SANDBOX_HOOK_EVERY);
}

/*
 * Count hook.  Once the budget is spent, the hook fires on every
 * instruction and raises the same message, so a script cannot pcall its
 * way past the limit: the first Lua instruction after a catch raises again.
 */
static void
sandbox_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox	*sb = sandbox_from(L);

	if (!sb->expired) {
		sb->left -= lua_gethookcount(L);
		if (sb->left > 0) {
			if (lua_gethookcount(L) != sandbox_hook_every(sb))
				lua_sethook(L, sandbox_hook, LUA_MASKCOUNT,
				    sandbox_hook_every(sb));
			return;
		}
		sb->expired = 1;
		lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, 1);
		if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
			snprintf(sb->expired_msg, sizeof sb->expired_msg,
			    "%s:%d: instruction budget exceeded",
			    ar->short_src, ar->currentline);
		} else {
			snprintf(sb->expired_msg, sizeof sb->expired_msg,
			    "instruction budget exceeded");
		}
	}
	lua_pushstring(L, sb->expired_msg);
	lua_error(L);
}

static void
sandbox_cap_str(const struct sandbox *sb, char *s, size_t len)
{
	if (sb->mem_cap % ((size_t)1 << 20) == 0)
		snprintf(s, len, "%zu MiB", sb->mem_cap >> 20);
	else
		snprintf(s, len, "%zu bytes", sb->mem_cap);
}

static int
sandbox_is_memerr(const char *msg, size_t len)
{
	size_t	mlen = sizeof SANDBOX_MEMERRMSG - 1;

	/* Also matches the message after error(e) added a location. */
	return (len >= mlen &&
	    memcmp(msg + len - mlen, SANDBOX_MEMERRMSG, mlen) == 0 &&
	    (len == mlen || msg[len - mlen - 1] == ' '));
}

/*
 * Message handler: names the error and appends a traceback; callers keep
 * only the first line.  A refused allocation raises LUA_ERRMEM, which
 * skips handlers (so the cause names only the chunk); one caught and
 * raised again lands here and gets the innermost Lua frame's location.
 */
static int
sandbox_msgh(lua_State *L)
{
	struct sandbox	*sb = sandbox_from(L);
	lua_Debug	 ar;
	const char	*msg;
	size_t		 len;
	char		 cap[32];
	int		 level;

	switch (lua_type(L, 1)) {
	case LUA_TSTRING:
	case LUA_TNUMBER:
		msg = lua_tolstring(L, 1, &len);
		break;
	default:
		msg = lua_pushfstring(L, "(error object is a %s value)",
		    luaL_typename(L, 1));
		len = 0;
		break;
	}
	if (sb->mem_hit && sandbox_is_memerr(msg, len)) {
		for (level = 1; lua_getstack(L, level, &ar); level++) {
			if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
				continue;
			sandbox_cap_str(sb, cap, sizeof cap);
			msg = lua_pushfstring(L,
			    "%s:%d: memory limit exceeded (%s)",
			    ar.short_src, ar.currentline, cap);
			break;
		}
	}
	luaL_traceback(L, L, msg, 1);
	return (1);
}

/*
 * Turn the error value on top of the stack into the one-line cause.  Only
 * called once Lua is done: the result is malloc'd.
 */
static char *
sandbox_cause(struct sandbox *sb, int status, const char *where)
{
	lua_State	*L = sb->L;
	const char	*msg;
	size_t		 len;
	char		 cap[32];

	if (sb->expired)
		return (xstrdup(sb->expired_msg));
	if ((msg = lua_tolstring(L, -1, &len)) == NULL) {
		return (xasprintf("%s: (error object is a %s value)", where,
		    luaL_typename(L, -1)));
	}
	len = strcspn(msg, "\n");
	if (sb->mem_hit && (status == LUA_ERRMEM || status == LUA_ERRERR ||
	    sandbox_is_memerr(msg, len))) {
		sandbox_cap_str(sb, cap, sizeof cap);
		return (xasprintf("%s: memory limit exceeded (%s)", where,
		    cap));
	}
	return (xstrndup(msg, len));
}

static void
sandbox_set_cause(char **cause, char *s)
{
	if (cause != NULL)
		*cause = s;
	else
		free(s);
}

/* Only the outermost entry resets the budget, so nesting cannot refill it. */
static void
sandbox_enter(struct sandbox *sb)
{
	if (sb->depth++ != 0)
		return;
	sb->left = sb->budget;
	sb->expired = 0;
	sb->mem_hit = 0;
	sb->expired_msg[0] = '\0';
	lua_sethook(sb->L, sandbox_hook, LUA_MASKCOUNT,
	    sandbox_hook_every(sb));
}

static void
sandbox_leave(struct sandbox *sb)
{
	sb->depth--;
}

static int
sandbox_math_random(lua_State *L)
{
	struct sandbox	*sb = sandbox_from(L);
	lua_Integer	 lo, hi;
	uint64_t	 n, r;
	int		 shift;

	if (sb->rand == NULL)
		return (luaL_error(L,
		    "math.random is not bound to the game PRNG"));
	switch (lua_gettop(L)) {
	case 0:
		r = sb->rand(sb->rand_ctx);
		lua_pushnumber(L, (lua_Number)(r >> 11) * 0x1.0p-53);
		return (1);
	case 1:
		lo = 1;
		hi = luaL_checkinteger(L, 1);
		if (hi == 0) {
			/* As Lua: random(0) is a whole 64-bit integer. */
			lua_pushinteger(L, (lua_Integer)sb->rand(sb->rand_ctx));
			return (1);
		}
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		hi = luaL_checkinteger(L, 2);
		break;
	default:
		return (luaL_error(L, "wrong number of arguments"));
	}
	luaL_argcheck(L, lo <= hi, 1, "interval is empty");

	/*
	 * Uniform in [0, n] by rejection: take as many top bits as n needs
	 * and draw again when the value is past n, so there is no bias.
	 */
	n = (uint64_t)hi - (uint64_t)lo;
	r = 0;
	if (n != 0) {
		shift = 0;
		while (((n << shift) >> 63) == 0)
			shift++;
		do
			r = sb->rand(sb->rand_ctx) >> shift;
		while (r > n);
	}
	lua_pushinteger(L, (lua_Integer)(r + (uint64_t)lo));
	return (1);
}

static int
sandbox_math_randomseed(lua_State *L)
{
	return (luaL_error(L,
	    "math.randomseed is not available: the game seeds the PRNG"));
}

/*
 * string.rep, but an empty result is returned at once: Lua's own loops n
 * times even when nothing is copied, which string.rep("", 2^62) abuses.
 */
static int
sandbox_str_rep(lua_State *L)
{
	size_t		l, lsep;
	lua_Integer	n;

	luaL_checklstring(L, 1, &l);
	n = luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	if (n <= 0 || l + lsep == 0) {
		lua_pushliteral(L, "");
		return (1);
	}
	/* Lua's own check, raised here so the message has a location. */
	if (l + lsep < l || l + lsep > (size_t)INT_MAX / (uint64_t)n)
		return (luaL_error(L, "resulting string too large"));
	lua_settop(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 3, 1);
	return (1);
}

/*
 * setmetatable, refusing __gc: finalizers run with hooks off, so one could
 * loop forever.  Adding __gc to the metatable later has no effect in 5.4.
 */
static int
sandbox_setmetatable(lua_State *L)
{
	int	t = lua_type(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2,
	    "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return (luaL_argerror(L, 2,
			    "__gc metamethods are not allowed"));
		lua_pop(L, 1);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return (luaL_error(L, "cannot change a protected metatable"));
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return (1);
}

/*
 * Stands in for a script's xpcall handler.  When the budget is spent the
 * error came from the hook and Lua runs handlers with hooks off: pass the
 * error on instead of running the script's code unbudgeted.
 */
static int
sandbox_xpcall_msgh(lua_State *L)
{
	if (sandbox_from(L)->expired)
		return (1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return (1);
}

static int
sandbox_xpcall(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, sandbox_xpcall_msgh, 1);
	lua_replace(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return (lua_gettop(L));
}

/* Runs protected: opening libraries can fail under a tiny memory cap. */
static int
sandbox_open(lua_State *L)
{
	static const struct {
		const char	*name;
		lua_CFunction	 open;
	} libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
	};
	size_t	i;

	for (i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		luaL_requiref(L, libs[i].name, libs[i].open, 1);
		lua_pop(L, 1);
	}
	for (i = 0; sandbox_removed[i] != NULL; i++) {
		lua_pushnil(L);
		lua_setglobal(L, sandbox_removed[i]);
	}

	lua_pushcfunction(L, sandbox_setmetatable);
	lua_setglobal(L, "setmetatable");
	lua_getglobal(L, "xpcall");
	lua_pushcclosure(L, sandbox_xpcall, 1);
	lua_setglobal(L, "xpcall");

	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_getfield(L, -1, "rep");
	lua_pushcclosure(L, sandbox_str_rep, 1);
	lua_setfield(L, -2, "rep");
	lua_pop(L, 1);

	lua_getglobal(L, LUA_MATHLIBNAME);
	lua_pushcfunction(L, sandbox_math_random);
	lua_setfield(L, -2, "random");
	lua_pushcfunction(L, sandbox_math_randomseed);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 1);
	return (0);
}

struct sandbox *
sandbox_new(const struct sandbox_limits *lim)
{
	struct sandbox	*sb;
	lua_State	*L;

	sb = xcalloc(1, sizeof *sb);
	sb->mem_cap = SANDBOX_MEM_DEFAULT;
	sb->budget = SANDBOX_BUDGET_DEFAULT;
	if (lim != NULL && lim->mem_bytes != 0)
		sb->mem_cap = lim->mem_bytes;
	if (lim != NULL && lim->instr_budget > 0)
		sb->budget = lim->instr_budget;
	sb->left = sb->budget;

	if ((L = lua_newstate(sandbox_alloc, sb)) == NULL) {
		free(sb);
		return (NULL);
	}
	sb->L = L;
	*(struct sandbox **)lua_getextraspace(L) = sb;
	lua_atpanic(L, sandbox_panic);
	lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, sandbox_hook_every(sb));

	lua_pushcfunction(L, sandbox_open);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		lua_close(L);
		free(sb);
		return (NULL);
	}
	return (sb);
}

void
sandbox_free(struct sandbox *sb)
{
	if (sb == NULL)
		return;
	/* Finalizers run in lua_close: give them a budget of their own. */
	sb->depth = 0;
	sandbox_enter(sb);
	lua_close(sb->L);
	free(sb);
}

lua_State *
sandbox_state(struct sandbox *sb)
{
	return (sb->L);
}

void
sandbox_set_rand(struct sandbox *sb, sandbox_rand_cb cb, void *ctx)
{
	sb->rand = cb;
	sb->rand_ctx = ctx;
}

size_t
sandbox_mem_used(const struct sandbox *sb)
{
	return (sb->mem_used);
}

int
sandbox_pcall(struct sandbox *sb, int nargs, int nresults, char **cause)
{
	lua_State	*L = sb->L;
	lua_Debug	 ar;
	char		 where[LUA_IDSIZE];
	int		 base, status;

	base = lua_gettop(L) - nargs;
	if (nargs < 0 || base < 1) {
		sandbox_set_cause(cause,
		    xstrdup("sandbox_pcall: no function to call"));
		return (-1);
	}
	if (!lua_checkstack(L, 2)) {
		lua_settop(L, base - 1);
		sandbox_set_cause(cause, xstrdup("sandbox_pcall: stack full"));
		return (-1);
	}

	/* A location for errors that come back without one. */
	snprintf(where, sizeof where, "?");
	if (lua_type(L, base) == LUA_TFUNCTION) {
		lua_pushvalue(L, base);
		if (lua_getinfo(L, ">S", &ar))
			snprintf(where, sizeof where, "%s", ar.short_src);
	}

	lua_pushcfunction(L, sandbox_msgh);
	lua_insert(L, base);
	sandbox_enter(sb);
	status = lua_pcall(L, nargs, nresults, base);
	if (status == LUA_OK) {
		sandbox_leave(sb);
		lua_remove(L, base);
		return (0);
	}
	sandbox_set_cause(cause, sandbox_cause(sb, status, where));
	sandbox_leave(sb);
	lua_settop(L, base - 1);
	return (-1);
}

int
sandbox_run_string(struct sandbox *sb, const char *chunk, size_t len,
    const char *chunkname, int nresults, char **cause)
{
	lua_State	*L = sb->L;
	char		*name;
	char		 where[LUA_IDSIZE];
	int		 status, rv;

	if (len > 0 && chunk[0] == LUA_SIGNATURE[0]) {
		sandbox_set_cause(cause, xasprintf("%s: binary chunk refused: "
		    "only Lua source text can be loaded", chunkname));
		return (-1);
	}

	sandbox_enter(sb);
	/* lua_load is protected: name is not leaked by a longjmp. */
	name = xasprintf("@%s", chunkname);
	status = luaL_loadbufferx(L, chunk, len, name, "t");
	free(name);
	if (status != LUA_OK) {
		snprintf(where, sizeof where, "%s", chunkname);
		sandbox_set_cause(cause, sandbox_cause(sb, status, where));
		lua_pop(L, 1);
		sandbox_leave(sb);
		return (-1);
	}
	rv = sandbox_pcall(sb, 0, nresults, cause);
	sandbox_leave(sb);
	return (rv);
}

int
sandbox_run_file(struct sandbox *sb, const char *path, int nresults,
    char **cause)
{
	struct buf	 b;
	FILE		*f;
	char		 tmp[8192];
	size_t		 n;
	int		 error, rv;

	if ((f = fopen(path, "rb")) == NULL) {
		error = errno;
		sandbox_set_cause(cause, xasprintf("cannot read %s: %s", path,
		    strerror(error)));
		return (-1);
	}
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	if (ferror(f)) {
		error = errno;
		fclose(f);
		buf_fini(&b);
		sandbox_set_cause(cause, xasprintf("cannot read %s: %s", path,
		    strerror(error)));
		return (-1);
	}
	fclose(f);

	/* Nothing in sandbox_run_string raises, so b cannot leak. */
	rv = sandbox_run_string(sb, b.data != NULL ? b.data : "", b.len, path,
	    nresults, cause);
	buf_fini(&b);
	return (rv);
}
