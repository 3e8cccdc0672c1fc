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
 *
 * Work done in C is charged to the instruction budget so that no script
 * can spend unbounded time between two count hooks: every byte the state
 * allocates (strings built by concatenation, rep, upper, gsub, tables...),
 * the sizes of the strings and ranges handed to the string, table and utf8
 * functions, the depth of the stack each caught error unwinds, and for
 * the pattern functions the steps of a backtracking model of Lua's own
 * matcher run first (the real function runs only when that fits the
 * budget).  All of it is deterministic, so replays stay exact; a wall-clock
 * deadline checked in the count hook is a last net that only a hostile
 * script can reach (e.g. comparing two huge strings in a loop).
 *
 * A limit hit (budget, memory, wall clock, or a caller's sandbox_abort) is
 * final for the whole protected call: the hook raises on every instruction
 * and pcall/xpcall pass the error on instead of returning false.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
/* C work per instruction of budget: bytes allocated or scanned, steps. */
#define SANDBOX_BYTES_PER_INSTR	16
#define SANDBOX_STEPS_PER_INSTR	1
/* Last-resort wall-clock limit per outermost call, hostile scripts only. */
#define SANDBOX_WALL_S		5
/* Longest error message handed back, after escaping. */
#define SANDBOX_MSG_MAX		512

struct sandbox {
	lua_State	*L;

	size_t		 mem_used;
	size_t		 mem_cap;
	int		 mem_hit;	/* allocator refused since entry */

	long		 budget;
	long		 left;
	size_t		 alloc_debt;	/* bytes not yet charged */
	int		 armed;		/* hook set to fire at once */
	int		 expired;	/* a limit hit: every hook raises */
	int		 limited;	/* the last failed call hit a limit */
	int		 depth;		/* nested run/pcall entries */
	char		 expired_msg[LUA_IDSIZE + 128];
	struct timespec	 deadline;
	char		 last_src[LUA_IDSIZE];	/* seen by the hook */
	int		 last_line;

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

static void	sandbox_hook(lua_State *, lua_Debug *);

/*
 * Make the count hook fire before the next instruction.  Safe anywhere,
 * even inside the allocator (Lua's own interpreter does it from a signal
 * handler); the hook then names the line.  Only the main thread runs
 * scripts: the coroutine library is not opened.
 */
static void
sandbox_arm(struct sandbox *sb)
{
	if (sb->armed || sb->L == NULL || sb->depth == 0)
		return;
	sb->armed = 1;
	lua_sethook(sb->L, sandbox_hook, LUA_MASKCOUNT, 1);
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
		sandbox_arm(sb);
		return (NULL);
	}
	if (nsize > old && sb->depth > 0 && !sb->expired) {
		/* Building big values is work done in C: charge it. */
		sb->alloc_debt += nsize - old;
		if (sb->alloc_debt >= SANDBOX_BYTES_PER_INSTR) {
			sb->left -= (long)(sb->alloc_debt /
			    SANDBOX_BYTES_PER_INSTR);
			sb->alloc_debt %= SANDBOX_BYTES_PER_INSTR;
			if (sb->left <= 0)
				sandbox_arm(sb);
		}
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
 * Mark the call as stopped by a limit: name the innermost Lua line (or
 * the last one the hook saw), and make the hook fire on every instruction
 * from now on so that no catch can run more code.
 */
static void
sandbox_expire(lua_State *L, struct sandbox *sb, const char *what)
{
	lua_Debug	ar;
	char		loc[LUA_IDSIZE + 16];
	int		level;

	if (sb->expired)
		return;
	loc[0] = '\0';
	for (level = 0; level < 32 && lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
			snprintf(loc, sizeof loc, "%s:%d: ", ar.short_src,
			    ar.currentline);
			break;
		}
	}
	if (loc[0] == '\0' && sb->last_line > 0)
		snprintf(loc, sizeof loc, "%s:%d: ", sb->last_src,
		    sb->last_line);
	snprintf(sb->expired_msg, sizeof sb->expired_msg, "%s%s", loc, what);
	sb->expired = 1;
	sb->armed = 1;
	lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, 1);
}

static int
sandbox_raise_expired(lua_State *L)
{
	lua_pushstring(L, sandbox_from(L)->expired_msg);
	return (lua_error(L));
}

/* Stop the whole protected call with "file:line: what". */
static int
sandbox_fatal(lua_State *L, const char *what)
{
	sandbox_expire(L, sandbox_from(L), what);
	return (sandbox_raise_expired(L));
}

/*
 * Count hook.  Once a limit is hit, the hook fires on every instruction
 * and raises the same message, so a script cannot pcall its way past the
 * limit: the first Lua instruction after a catch raises again.  While the
 * budget lasts it notes the line (for errors that come back without one,
 * such as running out of memory) and checks the wall-clock net.
 */
static void
sandbox_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox	*sb = sandbox_from(L);
	struct timespec	 now;
	char		 what[64];

	if (!sb->expired) {
		sb->left -= lua_gethookcount(L);
		if (sb->left > 0) {
			sb->armed = 0;
			if (lua_gethookcount(L) != sandbox_hook_every(sb))
				lua_sethook(L, sandbox_hook, LUA_MASKCOUNT,
				    sandbox_hook_every(sb));
			if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
				memcpy(sb->last_src, ar->short_src,
				    sizeof sb->last_src);
				sb->last_line = ar->currentline;
			}
			if (sb->depth == 0)
				return;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (sb->deadline.tv_sec == 0) {
				/* Only calls that run this long read the clock. */
				sb->deadline = now;
				sb->deadline.tv_sec += SANDBOX_WALL_S;
			}
			if (now.tv_sec < sb->deadline.tv_sec ||
			    (now.tv_sec == sb->deadline.tv_sec &&
			    now.tv_nsec < sb->deadline.tv_nsec))
				return;
			snprintf(what, sizeof what,
			    "wall-clock limit exceeded (%d s)", SANDBOX_WALL_S);
			sandbox_expire(L, sb, what);
		} else
			sandbox_expire(L, sb, "instruction budget exceeded");
	}
	sandbox_raise_expired(L);
}

/*
 * Charge work done in C to the budget; a call that would overdraw it
 * stops here, before the work is done.
 */
static void
sandbox_charge(lua_State *L, double cost)
{
	struct sandbox	*sb = sandbox_from(L);

	if (sb->expired)
		sandbox_raise_expired(L);
	if (sb->depth == 0)
		return;
	if (!(cost < (double)sb->left)) {
		sb->left = 0;
		sandbox_fatal(L, "instruction budget exceeded");
	}
	sb->left -= (long)cost;
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

/* Does msg start with a location, "chunk:line:"? */
static int
sandbox_has_where(const char *msg, size_t len)
{
	size_t	i, j;

	for (i = 0; i < len && msg[i] != '\n'; i++) {
		if (msg[i] != ':' || i == 0)
			continue;
		for (j = i + 1; j < len && isdigit((unsigned char)msg[j]); j++)
			/* nothing */;
		if (j > i + 1 && j < len && msg[j] == ':')
			return (1);
	}
	return (0);
}

/*
 * The one line a user sees: control bytes (C0, DEL) shown as \xHH so that
 * no script can drive the terminal, and at most SANDBOX_MSG_MAX bytes.
 */
static char *
sandbox_clean(const char *msg, size_t len)
{
	struct buf	 b;
	size_t		 i;
	unsigned char	 c;
	char		 hex[5];

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (b.len >= SANDBOX_MSG_MAX) {
			buf_puts(&b, "...");
			break;
		}
		c = (unsigned char)msg[i];
		if (c < 0x20 || c == 0x7f) {
			snprintf(hex, sizeof hex, "\\x%02x", c);
			buf_puts(&b, hex);
		} else
			buf_putc(&b, (char)c);
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return (buf_steal(&b));
}

/*
 * Message handler: the error as one line with the place it was raised.
 * Values that are not strings are named by type (never through
 * __tostring, which could loop or fail); messages without a location,
 * error("x", 0) or a level pointing at C, get the innermost Lua line.
 * A refused allocation raises LUA_ERRMEM, which skips handlers; one
 * caught and raised again lands here.
 */
static int
sandbox_msgh(lua_State *L)
{
	struct sandbox	*sb = sandbox_from(L);
	lua_Debug	 ar;
	const char	*msg;
	size_t		 len;
	char		 cap[32], where[LUA_IDSIZE + 16], *clean;
	int		 level;

	if (sb->expired) {
		lua_pushstring(L, sb->expired_msg);
		return (1);
	}
	where[0] = '\0';
	for (level = 1; level < 32 && lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
			snprintf(where, sizeof where, "%s:%d: ", ar.short_src,
			    ar.currentline);
			break;
		}
	}
	switch (lua_type(L, 1)) {
	case LUA_TSTRING:
	case LUA_TNUMBER:
		msg = lua_tolstring(L, 1, &len);
		if (sb->mem_hit && sandbox_is_memerr(msg, len)) {
			sandbox_cap_str(sb, cap, sizeof cap);
			msg = lua_pushfstring(L,
			    "%smemory limit exceeded (%s)", where, cap);
		} else if (!sandbox_has_where(msg, len))
			msg = lua_pushfstring(L, "%s%s", where, msg);
		break;
	default:
		msg = lua_pushfstring(L, "%s(error object is a %s value)",
		    where, luaL_typename(L, 1));
		break;
	}
	len = lua_rawlen(L, -1);
	clean = sandbox_clean(msg, len);
	lua_pushstring(L, clean);
	free(clean);
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
	char		 cap[32], loc[LUA_IDSIZE + 16], *s, *c;

	sb->limited = 0;
	if (sb->expired) {
		sb->limited = 1;
		return (sandbox_clean(sb->expired_msg,
		    strlen(sb->expired_msg)));
	}
	if (sb->last_line > 0)
		snprintf(loc, sizeof loc, "%s:%d", sb->last_src,
		    sb->last_line);
	else
		snprintf(loc, sizeof loc, "%s", where);
	if ((msg = lua_tolstring(L, -1, &len)) == NULL) {
		s = xasprintf("%s: (error object is a %s value)", loc,
		    luaL_typename(L, -1));
	} else {
		len = strcspn(msg, "\n");
		if (sb->mem_hit && (status == LUA_ERRMEM ||
		    status == LUA_ERRERR || sandbox_is_memerr(msg, len) ||
		    strstr(msg, "memory limit exceeded") != NULL)) {
			sb->limited = 1;
			sandbox_cap_str(sb, cap, sizeof cap);
			if (sandbox_has_where(msg, len) &&
			    !sandbox_is_memerr(msg, len))
				s = xstrndup(msg, len);
			else
				s = xasprintf("%s: memory limit exceeded (%s)",
				    loc, cap);
		} else if (!sandbox_has_where(msg, len))
			s = xasprintf("%s: %.*s", loc, (int)len, msg);
		else
			s = xstrndup(msg, len);
	}
	c = sandbox_clean(s, strlen(s));
	free(s);
	return (c);
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
	sb->alloc_debt = 0;
	sb->armed = 0;
	sb->expired = 0;
	sb->mem_hit = 0;
	sb->expired_msg[0] = '\0';
	sb->last_line = 0;
	sb->deadline.tv_sec = 0;	/* set by the first hook */
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
 * ---- A cost model of Lua's pattern matcher ----
 *
 * Lua matches patterns by backtracking in C, with no hook in between: a
 * few '.-' on a long subject take longer than the age of the universe.
 * Before the real find/match/gmatch/gsub runs, this model walks the same
 * search in the same order (written from the manual's description of
 * patterns, not from Lua's source) and counts its steps; the real call
 * runs only when the steps fit the budget, which they are charged to.
 * The model decides nothing but the cost: a malformed pattern ends the
 * model early and the real function raises Lua's own error.
 */
#define PM_MAXCAP	32	/* LUA_MAXCAPTURES */
#define PM_MAXDEPTH	200	/* Lua's MAXCCALLS for patterns */
#define PM_CAP_UNF	(-1)
#define PM_CAP_POS	(-2)

struct pm {
	const char	*src, *end;	/* subject */
	const char	*pend;		/* pattern end */
	double		 steps, limit;
	int		 stop;		/* over the limit or malformed */
	int		 depth;
	int		 level;
	struct {
		const char	*init;
		ptrdiff_t	 len;
	}		 cap[PM_MAXCAP];
};

static int
pm_class(int c, int cl)
{
	int	r;

	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	default: return (cl == c);
	}
	if (isupper(cl))
		r = !r;
	return (r != 0);
}

/* p at '[', last at the closing ']'. */
static int
pm_set(int c, const char *p, const char *last)
{
	int	yes = 1;

	p++;
	if (*p == '^') {
		yes = 0;
		p++;
	}
	while (p < last) {
		if (*p == '%' && p + 1 < last) {
			if (pm_class(c, (unsigned char)p[1]))
				return (yes);
			p += 2;
		} else if (p + 2 < last && p[1] == '-') {
			if ((unsigned char)p[0] <= c &&
			    c <= (unsigned char)p[2])
				return (yes);
			p += 3;
		} else {
			if ((unsigned char)*p == c)
				return (yes);
			p++;
		}
	}
	return (!yes);
}

/* The end of the single-character item at p, or NULL if malformed. */
static const char *
pm_item_end(struct pm *m, const char *p)
{
	if (*p == '%')
		return (p + 1 < m->pend ? p + 2 : NULL);
	if (*p != '[')
		return (p + 1);
	p++;
	if (p < m->pend && *p == '^')
		p++;
	do {	/* the first ']' is a member */
		if (p >= m->pend)
			return (NULL);
		if (*p++ == '%') {
			if (p >= m->pend)
				return (NULL);
			p++;
		}
	} while (p >= m->pend || *p != ']');
	return (p + 1);
}

static int
pm_single(struct pm *m, const char *s, const char *p, const char *ep)
{
	int	c;

	if (s >= m->end)
		return (0);
	c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return (1);
	case '%':
		return (pm_class(c, (unsigned char)p[1]));
	case '[':
		return (pm_set(c, p, ep - 1));
	default:
		return ((unsigned char)*p == c);
	}
}

static const char *pm_match(struct pm *, const char *, const char *);

static const char *
pm_recurse(struct pm *m, const char *s, const char *p)
{
	const char	*r;

	if (++m->depth > PM_MAXDEPTH) {
		m->stop = 1;
		return (NULL);
	}
	r = pm_match(m, s, p);
	m->depth--;
	return (r);
}

static const char *
pm_match(struct pm *m, const char *s, const char *p)
{
	const char	*ep, *r;
	ptrdiff_t	 i, len;
	int		 l, prev, cur;

again:
	if (m->stop || ++m->steps > m->limit) {
		m->stop = 1;
		return (NULL);
	}
	if (p == m->pend)
		return (s);
	switch (*p) {
	case '(':
		if (m->level >= PM_MAXCAP) {
			m->stop = 1;
			return (NULL);
		}
		l = m->level++;
		m->cap[l].init = s;
		if (p + 1 < m->pend && p[1] == ')') {
			m->cap[l].len = PM_CAP_POS;
			p += 2;
		} else {
			m->cap[l].len = PM_CAP_UNF;
			p++;
		}
		if ((r = pm_recurse(m, s, p)) == NULL)
			m->level--;
		return (r);
	case ')':
		for (l = m->level - 1; l >= 0; l--)
			if (m->cap[l].len == PM_CAP_UNF)
				break;
		if (l < 0) {
			m->stop = 1;
			return (NULL);
		}
		m->cap[l].len = s - m->cap[l].init;
		if ((r = pm_recurse(m, s, p + 1)) == NULL)
			m->cap[l].len = PM_CAP_UNF;
		return (r);
	case '$':
		if (p + 1 == m->pend)
			return (s == m->end ? s : NULL);
		break;
	case '%':
		if (p + 1 >= m->pend)
			break;
		if (p[1] == 'b') {
			if (p + 3 >= m->pend) {
				m->stop = 1;
				return (NULL);
			}
			if (s >= m->end || *s != p[2])
				return (NULL);
			l = 1;
			while (++s < m->end) {
				m->steps++;
				if (*s == p[3]) {
					if (--l == 0)
						break;
				} else if (*s == p[2])
					l++;
			}
			if (s >= m->end)
				return (NULL);
			s++;
			p += 4;
			goto again;
		}
		if (p[1] == 'f') {
			p += 2;
			if (p >= m->pend || *p != '[' ||
			    (ep = pm_item_end(m, p)) == NULL) {
				m->stop = 1;
				return (NULL);
			}
			prev = s == m->src ? 0 : (unsigned char)s[-1];
			cur = s < m->end ? (unsigned char)*s : 0;
			if (pm_set(prev, p, ep - 1) || !pm_set(cur, p, ep - 1))
				return (NULL);
			p = ep;
			goto again;
		}
		if (isdigit((unsigned char)p[1])) {
			l = p[1] - '1';
			if (l < 0 || l >= m->level ||
			    m->cap[l].len == PM_CAP_UNF) {
				m->stop = 1;
				return (NULL);
			}
			len = m->cap[l].len == PM_CAP_POS ? 0 : m->cap[l].len;
			m->steps += (double)len;
			if (m->end - s < len ||
			    memcmp(m->cap[l].init, s, (size_t)len) != 0)
				return (NULL);
			s += len;
			p += 2;
			goto again;
		}
		break;
	}

	if ((ep = pm_item_end(m, p)) == NULL) {
		m->stop = 1;
		return (NULL);
	}
	if (!pm_single(m, s, p, ep)) {
		if (ep < m->pend && (*ep == '*' || *ep == '?' || *ep == '-')) {
			p = ep + 1;
			goto again;
		}
		return (NULL);
	}
	if (ep >= m->pend) {
		s++;
		p = ep;
		goto again;
	}
	switch (*ep) {
	case '?':
		if ((r = pm_recurse(m, s + 1, ep + 1)) != NULL || m->stop)
			return (r);
		p = ep + 1;
		goto again;
	case '+':
	case '*':
		/* Longest run first, then give back one at a time. */
		i = *ep == '+' ? 1 : 0;
		while (pm_single(m, s + i, p, ep))
			i++;
		m->steps += (double)i;
		for (; i >= (*ep == '+' ? 1 : 0); i--) {
			if ((r = pm_recurse(m, s + i, ep + 1)) != NULL ||
			    m->stop)
				return (r);
		}
		return (NULL);
	case '-':
		for (;;) {
			if ((r = pm_recurse(m, s, ep + 1)) != NULL || m->stop)
				return (r);
			if (!pm_single(m, s, p, ep))
				return (NULL);
			s++;
		}
	default:
		s++;
		p = ep;
		goto again;
	}
}

/* A start of Lua's init argument, as find/match/gmatch read it. */
static size_t
pm_init(lua_State *L, int arg, size_t len)
{
	lua_Integer	i = 1;

	if (lua_type(L, arg) == LUA_TNUMBER && lua_isinteger(L, arg))
		i = lua_tointeger(L, arg);
	if (i < 0)
		i = (lua_Integer)len + i + 1 > 0 ?
		    (lua_Integer)len + i + 1 : 1;
	if (i == 0)
		i = 1;
	if ((size_t)i > len + 1)
		return (len + 1);
	return ((size_t)i);
}

enum pm_kind { PM_FIND, PM_MATCH, PM_GMATCH, PM_GSUB };

/*
 * Steps the real call will take, as far as the limit: every start the
 * search tries, as find, match, gmatch (the whole iteration) or gsub do.
 */
static double
pm_cost(lua_State *L, enum pm_kind kind, double limit)
{
	struct pm	 m;
	const char	*s, *p, *src, *e, *last = NULL;
	size_t		 ls, lp, init;
	lua_Integer	 max_n = -1, n = 0;
	int		 anchor;

	if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TSTRING)
		return (0);	/* Lua will refuse or convert: cheap */
	s = lua_tolstring(L, 1, &ls);
	p = lua_tolstring(L, 2, &lp);
	init = kind == PM_GSUB ? 1 : pm_init(L, 3, ls);
	if (kind == PM_GSUB && lua_isinteger(L, 4))
		max_n = lua_tointeger(L, 4);
	if (kind == PM_FIND && (lua_toboolean(L, 4) ||
	    strpbrk(p, "^$*+?.([%-") == NULL || strlen(p) < lp)) {
		/* A plain search compares up to lp bytes at each start. */
		return ((double)(ls - init + 2) * (double)(lp + 1));
	}
	memset(&m, 0, sizeof m);
	m.src = s;
	m.end = s + ls;
	m.limit = limit;
	anchor = kind != PM_GMATCH && lp > 0 && *p == '^';
	m.pend = p + lp;
	if (anchor)
		p++;
	src = s + init - 1;
	for (;;) {
		m.level = 0;
		m.depth = 0;
		m.steps++;
		e = pm_match(&m, src, p);
		if (m.stop)
			break;
		if (kind == PM_FIND || kind == PM_MATCH) {
			if (e != NULL || anchor || src >= m.end)
				break;
			src++;
			continue;
		}
		if (kind == PM_GSUB && max_n >= 0 && n >= max_n)
			break;
		if (e != NULL && e != last) {
			n++;
			src = last = e;
		} else if (src < m.end)
			src++;
		else
			break;
		if (anchor)
			break;
	}
	return (m.steps);
}

/* ---- charging the library's C functions ---- */

enum cost_kind {
	COST_ARGS,	/* the bytes of string arguments, one per value */
	COST_REP,	/* string.rep: the bytes produced */
	COST_TLEN,	/* table.insert/remove: elements shifted */
	COST_RANGE23,	/* table.unpack/concat(t, [sep,] i, j): the range */
	COST_MOVE,	/* table.move(a, f, e, ...) */
	COST_SORT,	/* table.sort: n log n comparisons */
	COST_FIND, COST_MATCH, COST_GMATCH, COST_GSUB
};

static double
cost_args(lua_State *L)
{
	double	bytes = 0;
	int	i, n = lua_gettop(L);

	for (i = 1; i <= n; i++)
		if (lua_type(L, i) == LUA_TSTRING)
			bytes += (double)lua_rawlen(L, i);
	return (n + bytes / SANDBOX_BYTES_PER_INSTR);
}

static double
cost_int(lua_State *L, int arg, double def)
{
	if (lua_type(L, arg) == LUA_TNUMBER)
		return ((double)lua_tonumber(L, arg));
	return (def);
}

static double
cost_tlen(lua_State *L)
{
	return (lua_type(L, 1) == LUA_TTABLE ? (double)lua_rawlen(L, 1) : 0);
}

static double
cost_of(lua_State *L, enum cost_kind kind)
{
	struct sandbox	*sb = sandbox_from(L);
	double		 c = cost_args(L), n, i, j, limit;

	switch (kind) {
	case COST_ARGS:
		break;
	case COST_REP:
		n = cost_int(L, 2, 0);
		if (n > 0)
			c += n * ((double)(lua_type(L, 1) == LUA_TSTRING ?
			    lua_rawlen(L, 1) : 0) +
			    (double)(lua_type(L, 3) == LUA_TSTRING ?
			    lua_rawlen(L, 3) : 0)) / SANDBOX_BYTES_PER_INSTR;
		break;
	case COST_TLEN:
		c += cost_tlen(L);
		break;
	case COST_RANGE23:
		i = cost_int(L, lua_gettop(L) >= 4 ||
		    lua_type(L, 2) == LUA_TSTRING ? 3 : 2, 1);
		j = cost_int(L, lua_gettop(L) >= 4 ||
		    lua_type(L, 2) == LUA_TSTRING ? 4 : 3, cost_tlen(L));
		if (j >= i)
			c += j - i + 1;
		break;
	case COST_MOVE:
		i = cost_int(L, 2, 1);
		j = cost_int(L, 3, 0);
		if (j >= i)
			c += j - i + 1;
		break;
	case COST_SORT:
		n = cost_tlen(L);
		c += n * (log2(n + 1) + 1);
		break;
	case COST_FIND:
	case COST_MATCH:
	case COST_GMATCH:
	case COST_GSUB:
		limit = (double)sb->left * SANDBOX_STEPS_PER_INSTR;
		c += pm_cost(L, (enum pm_kind)(kind - COST_FIND), limit) /
		    SANDBOX_STEPS_PER_INSTR;
		break;
	}
	return (c);
}

/*
 * Stands in for a library function: charge its cost, then run it in this
 * same frame (so argument numbers and names in its messages are its own).
 */
static int
sandbox_costly(lua_State *L)
{
	lua_CFunction	fn = lua_tocfunction(L, lua_upvalueindex(1));
	enum cost_kind	kind;

	kind = (enum cost_kind)lua_tointeger(L, lua_upvalueindex(2));
	sandbox_charge(L, cost_of(L, kind));
	return (fn(L));
}

/*
 * string.rep, but an empty result is returned at once: Lua's own loops n
 * times even when nothing is copied, which string.rep("", 2^62) abuses.
 */
static int
sandbox_str_rep(lua_State *L)
{
	struct sandbox	*sb = sandbox_from(L);
	lua_CFunction	 fn = lua_tocfunction(L, lua_upvalueindex(1));
	size_t		 l, lsep;
	lua_Integer	 n;
	char		 what[64], cap[32];

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
	/* More than the cap could ever hold: say so before any work. */
	if ((l + lsep) * (size_t)n > sb->mem_cap - sb->mem_used) {
		sb->mem_hit = 1;
		sandbox_cap_str(sb, cap, sizeof cap);
		snprintf(what, sizeof what, "memory limit exceeded (%s)", cap);
		return (sandbox_fatal(L, what));
	}
	sandbox_charge(L, cost_of(L, COST_REP));
	lua_settop(L, 3);
	return (fn(L));
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
 * How many frames the stack holds, rounded up to a power of two: about
 * the work of finding out, and of Lua's own walk on a catch.
 */
static double
sandbox_stack_depth(lua_State *L)
{
	lua_Debug	ar;
	int		n = 1;

	while (n < INT_MAX / 2 && lua_getstack(L, n, &ar))
		n *= 2;
	return (n);
}

/*
 * After pcall or xpcall caught an error.  A limit is final: raise it again
 * instead of letting the script go on.  Otherwise charge the unwinding:
 * Lua walks the whole stack on every catch, which a recursion that
 * catches at every level turns into quadratic work.
 */
static void
sandbox_caught(lua_State *L, int status)
{
	struct sandbox	*sb = sandbox_from(L);
	char		 what[64], cap[32];

	if (sb->expired)
		sandbox_raise_expired(L);
	if (status == LUA_ERRMEM && sb->mem_hit) {
		sandbox_cap_str(sb, cap, sizeof cap);
		snprintf(what, sizeof what, "memory limit exceeded (%s)", cap);
		sandbox_fatal(L, what);
	}
	sandbox_charge(L, sandbox_stack_depth(L));
}

static int
sandbox_pcall_lua(lua_State *L)
{
	int	status;

	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
	if (status != LUA_OK) {
		sandbox_caught(L, status);
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return (2);
	}
	return (lua_gettop(L));
}

/*
 * Stands in for a script's xpcall handler.  When a limit was hit the error
 * may come from the hook, and Lua runs handlers with hooks off: pass the
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
	int	n = lua_gettop(L), status;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, sandbox_xpcall_msgh, 1);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);	/* f, h, true, f, args... */
	status = lua_pcall(L, n - 2, LUA_MULTRET, 2);
	if (status != LUA_OK) {
		sandbox_caught(L, status);
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return (2);
	}
	return (lua_gettop(L) - 2);
}

/* Replace lib[name] (on top of the stack) by a charging stand-in. */
static void
sandbox_wrap(lua_State *L, const char *name, enum cost_kind kind)
{
	lua_CFunction	fn;

	lua_getfield(L, -1, name);
	fn = lua_tocfunction(L, -1);
	lua_pop(L, 1);
	if (fn == NULL)
		return;
	lua_pushcfunction(L, fn);
	lua_pushinteger(L, kind);
	lua_pushcclosure(L, sandbox_costly, 2);
	lua_setfield(L, -2, name);
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
	static const struct {
		const char	*lib, *name;
		enum cost_kind	 kind;
	} costly[] = {
		{ LUA_GNAME, "tonumber", COST_ARGS },
		{ LUA_GNAME, "tostring", COST_ARGS },
		{ LUA_GNAME, "select", COST_ARGS },
		{ LUA_STRLIBNAME, "byte", COST_ARGS },
		{ LUA_STRLIBNAME, "char", COST_ARGS },
		{ LUA_STRLIBNAME, "format", COST_ARGS },
		{ LUA_STRLIBNAME, "lower", COST_ARGS },
		{ LUA_STRLIBNAME, "upper", COST_ARGS },
		{ LUA_STRLIBNAME, "reverse", COST_ARGS },
		{ LUA_STRLIBNAME, "sub", COST_ARGS },
		{ LUA_STRLIBNAME, "pack", COST_ARGS },
		{ LUA_STRLIBNAME, "packsize", COST_ARGS },
		{ LUA_STRLIBNAME, "unpack", COST_ARGS },
		{ LUA_STRLIBNAME, "find", COST_FIND },
		{ LUA_STRLIBNAME, "match", COST_MATCH },
		{ LUA_STRLIBNAME, "gmatch", COST_GMATCH },
		{ LUA_STRLIBNAME, "gsub", COST_GSUB },
		{ LUA_TABLIBNAME, "concat", COST_RANGE23 },
		{ LUA_TABLIBNAME, "unpack", COST_RANGE23 },
		{ LUA_TABLIBNAME, "insert", COST_TLEN },
		{ LUA_TABLIBNAME, "remove", COST_TLEN },
		{ LUA_TABLIBNAME, "move", COST_MOVE },
		{ LUA_TABLIBNAME, "pack", COST_ARGS },
		{ LUA_TABLIBNAME, "sort", COST_SORT },
		{ LUA_UTF8LIBNAME, "char", COST_ARGS },
		{ LUA_UTF8LIBNAME, "codepoint", COST_ARGS },
		{ LUA_UTF8LIBNAME, "len", COST_ARGS },
		{ LUA_UTF8LIBNAME, "offset", COST_ARGS },
		{ LUA_UTF8LIBNAME, "codes", COST_ARGS },
	};
	size_t	i;

	for (i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		luaL_requiref(L, libs[i].name, libs[i].open, 1);
		lua_pop(L, 1);
	}
	for (i = 0; i < sizeof costly / sizeof costly[0]; i++) {
		if (strcmp(costly[i].lib, LUA_GNAME) == 0)
			lua_pushglobaltable(L);
		else
			lua_getglobal(L, costly[i].lib);
		sandbox_wrap(L, costly[i].name, costly[i].kind);
		lua_pop(L, 1);
	}
	for (i = 0; sandbox_removed[i] != NULL; i++) {
		lua_pushnil(L);
		lua_setglobal(L, sandbox_removed[i]);
	}

	lua_pushcfunction(L, sandbox_setmetatable);
	lua_setglobal(L, "setmetatable");
	lua_pushcfunction(L, sandbox_pcall_lua);
	lua_setglobal(L, "pcall");
	lua_pushcfunction(L, sandbox_xpcall);
	lua_setglobal(L, "xpcall");

	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_getfield(L, -1, "rep");
	lua_pushcfunction(L, lua_tocfunction(L, -1));
	lua_remove(L, -2);
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
sandbox_limited(const struct sandbox *sb)
{
	return (sb->limited);
}

int
sandbox_abort(lua_State *L, const char *fmt, ...)
{
	va_list	ap;
	char	what[128];

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return (sandbox_fatal(L, what));
}

int
sandbox_pcall(struct sandbox *sb, int nargs, int nresults, char **cause)
{
	lua_State	*L = sb->L;
	lua_Debug	 ar;
	char		 where[LUA_IDSIZE + 16];
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
	sb->limited = 0;
	snprintf(where, sizeof where, "?");
	if (lua_type(L, base) == LUA_TFUNCTION) {
		lua_pushvalue(L, base);
		if (lua_getinfo(L, ">S", &ar))
			snprintf(where, sizeof where, "%s:%d", ar.short_src,
			    ar.linedefined > 0 ? ar.linedefined : 1);
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
