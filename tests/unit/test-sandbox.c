/*
 * Unit tests for the Lua sandbox: what scripts can reach, how errors read,
 * and that budget and memory limits stop a script without killing the
 * state.  They must never depend on wall-clock time or the real PRNG.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "script/sandbox.h"
#include "util/xmalloc.h"

#define MIB	((size_t)1 << 20)

/* Run src; return NULL on success (results left on the stack) or cause. */
static char *
run(struct sandbox *sb, const char *src, const char *name, int nresults)
{
	lua_State	*L = sandbox_state(sb);
	char		*cause = NULL;
	int		 top = lua_gettop(L);

	if (sandbox_run_string(sb, src, strlen(src), name, nresults,
	    &cause) != 0) {
		assert_non_null(cause);
		assert_int_equal(lua_gettop(L), top);
		return (cause);
	}
	assert_null(cause);
	if (nresults != LUA_MULTRET)
		assert_int_equal(lua_gettop(L), top + nresults);
	return (NULL);
}

static void
expect_ok(struct sandbox *sb, const char *src, const char *name)
{
	char	*cause;

	if ((cause = run(sb, src, name, 0)) != NULL)
		fail_msg("unexpected error: %s", cause);
}

static void
expect_cause(struct sandbox *sb, const char *src, const char *name,
    const char *want)
{
	char	*cause;

	if ((cause = run(sb, src, name, 0)) == NULL)
		fail_msg("%s: expected \"%s\", got success", name, want);
	assert_string_equal(cause, want);
	free(cause);
}

static void
expect_prefix(struct sandbox *sb, const char *src, const char *name,
    const char *prefix, const char *needle)
{
	char	*cause;

	if ((cause = run(sb, src, name, 0)) == NULL)
		fail_msg("%s: expected an error, got success", name);
	if (strncmp(cause, prefix, strlen(prefix)) != 0 ||
	    strstr(cause, needle) == NULL || strchr(cause, '\n') != NULL)
		fail_msg("cause \"%s\" lacks \"%s\"...\"%s\"", cause, prefix,
		    needle);
	free(cause);
}

static lua_Integer
run_integer(struct sandbox *sb, const char *src)
{
	lua_State	*L = sandbox_state(sb);
	lua_Integer	 v;
	char		*cause;

	if ((cause = run(sb, src, "int.lua", 1)) != NULL)
		fail_msg("unexpected error: %s", cause);
	assert_true(lua_isinteger(L, -1));
	v = lua_tointeger(L, -1);
	lua_pop(L, 1);
	return (v);
}

static char *
run_text(struct sandbox *sb, const char *src)
{
	lua_State	*L = sandbox_state(sb);
	char		*s, *cause;

	if ((cause = run(sb, src, "text.lua", 1)) != NULL)
		fail_msg("unexpected error: %s", cause);
	assert_int_equal(lua_type(L, -1), LUA_TSTRING);
	s = xstrdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return (s);
}

static struct sandbox *
new_sandbox(size_t mem, long budget)
{
	struct sandbox_limits	 lim = { mem, budget };
	struct sandbox		*sb;

	sb = sandbox_new(&lim);
	assert_non_null(sb);
	return (sb);
}

/* splitmix64: a fixed, well-mixed stream for deterministic draws. */
static uint64_t
splitmix64(void *ctx)
{
	uint64_t	*state = ctx, z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Replays a fixed list of values, to pin down rejection sampling. */
struct script_rng {
	const uint64_t	*v;
	size_t		 n;
	size_t		 next;
};

static uint64_t
scripted(void *ctx)
{
	struct script_rng	*r = ctx;

	assert_true(r->next < r->n);
	return (r->v[r->next++]);
}

/* nest(f): calls f through sandbox_pcall from C, returns true if it ran. */
static int
l_nest(lua_State *L)
{
	struct sandbox	*sb = lua_touserdata(L, lua_upvalueindex(1));
	char		*cause = NULL;
	int		 rv;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_settop(L, 1);
	rv = sandbox_pcall(sb, 0, 0, &cause);
	assert_true(rv == 0 || cause != NULL);
	free(cause);
	lua_pushboolean(L, rv == 0);
	return (1);
}

static void
test_free_null(void **state)
{
	(void)state;
	sandbox_free(NULL);
}

static void
test_globals_absent(void **state)
{
	static const char	*absent[] = { "io", "os", "package", "debug",
	    "require", "dofile", "loadfile", "load", "collectgarbage", "print",
	    "coroutine", "string.dump", "('').dump" };
	struct sandbox		*sb;
	lua_State		*L;
	char			*src, *s;
	size_t			 i, n = sizeof absent / sizeof absent[0];

	(void)state;
	sb = new_sandbox(0, 0);
	L = sandbox_state(sb);
	for (i = 0; i < n; i++) {
		src = xasprintf("return %s", absent[i]);
		if ((s = run(sb, src, "globals.lua", 1)) != NULL)
			fail_msg("%s: %s", absent[i], s);
		if (!lua_isnil(L, -1))
			fail_msg("%s is not nil", absent[i]);
		lua_pop(L, 1);
		free(src);
	}
	s = run_text(sb, "return type(pairs) .. type(pcall) .. "
	    "type(string.format) .. type(table.insert) .. "
	    "type(math.floor) .. type(utf8.char) .. type(setmetatable)");
	assert_string_equal(s, "functionfunctionfunctionfunctionfunction"
	    "functionfunction");
	free(s);
	assert_int_equal(lua_gettop(L), 0);
	sandbox_free(sb);
}

static void
test_script_error_line(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_cause(sb, "local a = 1\nlocal b = 2\nerror('boom')\n",
	    "lua/incidents/x.lua", "lua/incidents/x.lua:3: boom");
	expect_prefix(sb, "local t\n\nreturn t.x\n", "lua/incidents/y.lua",
	    "lua/incidents/y.lua:3: ", "attempt to index a nil value");
	expect_prefix(sb, "local x = 1\nx = = 2\n", "syntax.lua",
	    "syntax.lua:2: ", "unexpected symbol");
	/* One line: the newline is shown, not obeyed. */
	expect_cause(sb, "error('multi\\nline')", "ml.lua",
	    "ml.lua:1: multi\\x0aline");
	sandbox_free(sb);
}

static void
test_error_objects(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	/* Where it was raised, with the value named by type (tests first). */
	expect_cause(sb, "error({})", "obj.lua",
	    "obj.lua:1: (error object is a table value)");
	expect_cause(sb, "error()", "obj.lua",
	    "obj.lua:1: (error object is a nil value)");
	expect_cause(sb, "\nerror(true)", "obj.lua",
	    "obj.lua:2: (error object is a boolean value)");
	expect_cause(sb, "local t = setmetatable({}, {__tostring =\n"
	    "    function() while true do end end})\nerror(t)", "ts.lua",
	    "ts.lua:3: (error object is a table value)");
	expect_cause(sb, "error(math.floor)", "obj.lua",
	    "obj.lua:1: (error object is a function value)");
	expect_cause(sb, "local x\nerror('x', 0)", "lvl.lua", "lvl.lua:2: x");
	expect_cause(sb, "error('x', 50)", "lvl.lua", "lvl.lua:1: x");
	expect_cause(sb, "local function f() error('deep', 2) end\nf()",
	    "lvl.lua", "lvl.lua:2: deep");
	/* Control bytes never reach a terminal raw. */
	expect_cause(sb, "error('\\27[2Jx\\r\\7\\127')", "ctl.lua",
	    "ctl.lua:1: \\x1b[2Jx\\x0d\\x07\\x7f");
	sandbox_free(sb);
}

static void
test_pcall_runtime_error(void **state)
{
	struct sandbox	*sb;
	lua_State	*L;
	char		*cause = NULL;
	int		 top;

	(void)state;
	sb = new_sandbox(0, 0);
	L = sandbox_state(sb);
	expect_ok(sb, "function f(x)\n"
	    "  local y = x * 2\n"
	    "  return y + missing\n"
	    "end\n"
	    "function g(a, b)\n"
	    "  return a + b, a * b\n"
	    "end\n", "lua/incidents/fn.lua");

	top = lua_gettop(L);
	lua_getglobal(L, "f");
	lua_pushinteger(L, 3);
	assert_int_equal(sandbox_pcall(sb, 1, 1, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "lua/incidents/fn.lua:3: attempt to "
	    "perform arithmetic on a nil value (global 'missing')");
	free(cause);
	assert_int_equal(lua_gettop(L), top);

	cause = NULL;
	lua_getglobal(L, "g");
	lua_pushinteger(L, 4);
	lua_pushinteger(L, 5);
	assert_int_equal(sandbox_pcall(sb, 2, 2, &cause), 0);
	assert_null(cause);
	assert_int_equal(lua_gettop(L), top + 2);
	assert_int_equal(lua_tointeger(L, -2), 9);
	assert_int_equal(lua_tointeger(L, -1), 20);
	lua_settop(L, top);

	/* Calling a non-function is an error, not a crash. */
	lua_pushinteger(L, 1);
	assert_int_equal(sandbox_pcall(sb, 0, 0, &cause), -1);
	assert_non_null(strstr(cause, "attempt to call a number value"));
	free(cause);
	assert_int_equal(lua_gettop(L), top);
	sandbox_free(sb);
}

static void
test_budget_default(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_cause(sb, "local n = 0\nwhile true do end\n", "loop.lua",
	    "loop.lua:2: instruction budget exceeded");
	assert_int_equal(run_integer(sb, "return 40 + 2"), 42);
	/* A fresh call gets a fresh budget: 1M iterations are fine. */
	assert_int_equal(run_integer(sb,
	    "local n = 0 for i = 1, 1000000 do n = n + 1 end return n"),
	    1000000);
	sandbox_free(sb);
}

static void
test_budget_not_catchable(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 200000);
	expect_cause(sb, "while true do\n"
	    "  pcall(function() while true do end end)\n"
	    "end\n", "catch.lua", "catch.lua:2: instruction budget exceeded");
	expect_prefix(sb, "while true do\n"
	    "  xpcall(function() while true do end end,\n"
	    "      function(e) while true do end end)\n"
	    "end\n", "xcatch.lua", "xcatch.lua:",
	    "instruction budget exceeded");
	expect_prefix(sb, "local t = {}\n"
	    "for i = 1, 100 do t[i] = 100 - i end\n"
	    "while true do\n"
	    "  pcall(table.sort, t, function(a, b) while true do end end)\n"
	    "end\n", "sort.lua", "sort.lua:4: ", "instruction budget exceeded");
	assert_int_equal(run_integer(sb, "return 7"), 7);
	sandbox_free(sb);
}

/* Lua runs finalizers and hook-time error handlers with hooks off. */
static void
test_budget_hookless_paths(void **state)
{
	struct sandbox	*sb;
	char		*s;

	(void)state;
	sb = new_sandbox(0, 200000);
	expect_cause(sb, "xpcall(function() while true do end end,\n"
	    "    function(e) while true do end end)\n", "xh.lua",
	    "xh.lua:1: instruction budget exceeded");
	expect_cause(sb, "do\n"
	    "  local x <close> = setmetatable({}, {\n"
	    "      __close = function() while true do end end })\n"
	    "  while true do end\n"
	    "end\n", "close.lua", "close.lua:4: instruction budget exceeded");
	expect_cause(sb, "setmetatable({}, {__gc = function() end})",
	    "gc.lua", "gc.lua:1: bad argument #2 to 'setmetatable' "
	    "(__gc metamethods are not allowed)");
	expect_cause(sb, "local mt = {__gc = true}\nsetmetatable({}, mt)",
	    "gc.lua", "gc.lua:2: bad argument #2 to 'setmetatable' "
	    "(__gc metamethods are not allowed)");
	expect_cause(sb, "local t = setmetatable({}, {__metatable = 1})\n"
	    "setmetatable(t, {})", "prot.lua",
	    "prot.lua:2: cannot change a protected metatable");
	/* __gc added later is never run: not now, nor by sandbox_free. */
	expect_ok(sb, "local mt = {}\n"
	    "keep = setmetatable({}, mt)\n"
	    "local t = setmetatable({}, mt)\n"
	    "mt.__gc = function() while true do end end\n"
	    "t = nil\n"
	    "for i = 1, 10000 do local x = {i} end\n", "late.lua");
	s = run_text(sb, "local ok, m = xpcall(function() error('e') end,\n"
	    "    function(m) return 'h:' .. m end)\n"
	    "return tostring(ok) .. ' ' .. m");
	assert_string_equal(s, "false h:text.lua:1: e");
	free(s);
	sandbox_free(sb);
}

static void
test_budget_nested_pcall(void **state)
{
	struct sandbox	*sb;
	lua_State	*L;

	(void)state;
	sb = new_sandbox(0, 200000);
	L = sandbox_state(sb);
	lua_pushlightuserdata(L, sb);
	lua_pushcclosure(L, l_nest, 1);
	lua_setglobal(L, "nest");

	assert_int_equal(run_integer(sb,
	    "local n = 0\n"
	    "for i = 1, 10 do if nest(function() n = n + 1 end) then end end\n"
	    "return n"), 10);
	/* Inner calls must not refill the outer budget. */
	expect_prefix(sb, "while true do\n"
	    "  nest(function() end)\n"
	    "end\n", "nest.lua", "nest.lua:", "instruction budget exceeded");
	/* An inner call that spends the budget stops the outer one too. */
	expect_prefix(sb, "local ok = nest(function()\n"
	    "  while true do end\n"
	    "end)\n"
	    "while true do end\n", "nest2.lua", "nest2.lua:2: ",
	    "instruction budget exceeded");
	assert_int_equal(run_integer(sb, "return 1"), 1);
	sandbox_free(sb);
}

static void
test_memory_string(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_cause(sb, "local s = string.rep('x', 1 << 30)\n", "mem.lua",
	    "mem.lua:1: memory limit exceeded (64 MiB)");
	assert_true(sandbox_mem_used(sb) <= 64 * MIB);
	assert_int_equal(run_integer(sb, "return #string.rep('ab', 1000)"),
	    2000);
	/* pcall cannot catch it (tests first: it returned false). */
	expect_cause(sb, "local ok, e = pcall(string.rep, 'x', 1 << 30)\n"
	    "error(e)\n", "rethrow.lua",
	    "rethrow.lua:1: memory limit exceeded (64 MiB)");
	expect_prefix(sb, "local t = {}\n"
	    "while true do\n"
	    "  pcall(function() t[#t + 1] = ('y'):rep(1e6) .. #t end)\n"
	    "end\n", "catch.lua", "catch.lua:3: ",
	    "memory limit exceeded (64 MiB)");
	sandbox_free(sb);
}

static void
test_memory_table(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_prefix(sb, "local t = {}\nfor i = 1, 1e9 do t[i] = i end\n",
	    "tbl.lua", "tbl.lua", "memory limit exceeded (64 MiB)");
	assert_true(sandbox_mem_used(sb) <= 64 * MIB);
	assert_int_equal(run_integer(sb,
	    "local t = {} for i = 1, 1000 do t[i] = i end return #t"), 1000);
	sandbox_free(sb);
}

static void
test_memory_small_cap(void **state)
{
	struct sandbox	*sb;
	size_t		 before;

	(void)state;
	sb = new_sandbox(2 * MIB, 0);
	before = sandbox_mem_used(sb);
	assert_true(before > 0 && before < 2 * MIB);
	expect_prefix(sb, "local s = 'x'\nwhile true do s = s .. s end\n",
	    "cat.lua", "cat.lua", "memory limit exceeded (2 MiB)");
	assert_true(sandbox_mem_used(sb) <= 2 * MIB);
	expect_ok(sb, "big = string.rep('y', 100000)", "grow.lua");
	assert_true(sandbox_mem_used(sb) >= before + 100000);
	sandbox_free(sb);

	/* Too small to open the libraries at all. */
	assert_null(sandbox_new(&(struct sandbox_limits){ 1024, 0 }));
}

static void
test_binary_refused(void **state)
{
	static const char	 bin[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n";
	struct sandbox		*sb;
	lua_State		*L;
	char			*cause = NULL;

	(void)state;
	sb = new_sandbox(0, 0);
	L = sandbox_state(sb);
	assert_int_equal(sandbox_run_string(sb, bin, sizeof bin - 1,
	    "bin.lua", 0, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, "bin.lua: binary chunk refused: only Lua "
	    "source text can be loaded");
	free(cause);
	assert_int_equal(lua_gettop(L), 0);
	sandbox_free(sb);
}

static const char random_script[] =
    "local out, faces, mid = {}, {}, {}\n"
    "for i = 1, 300 do\n"
    "  local f = math.random()\n"
    "  assert(math.type(f) == 'float' and f >= 0 and f < 1)\n"
    "  local d = math.random(6)\n"
    "  assert(math.type(d) == 'integer' and d >= 1 and d <= 6)\n"
    "  local r = math.random(3, 5)\n"
    "  assert(r >= 3 and r <= 5)\n"
    "  faces[d], mid[r] = true, true\n"
    "  out[#out + 1] = string.format('%a %d %d', f, d, r)\n"
    "end\n"
    "for i = 1, 6 do assert(faces[i], 'face ' .. i) end\n"
    "for i = 3, 5 do assert(mid[i], 'mid ' .. i) end\n"
    "return table.concat(out, ';')\n";

static void
test_random_deterministic(void **state)
{
	struct sandbox	*a, *b, *c;
	uint64_t	 sa = 1234, sb_ = 1234, sc = 99;
	char		*ta, *tb, *tc;

	(void)state;
	a = new_sandbox(0, 0);
	b = new_sandbox(0, 0);
	c = new_sandbox(0, 0);
	sandbox_set_rand(a, splitmix64, &sa);
	sandbox_set_rand(b, splitmix64, &sb_);
	sandbox_set_rand(c, splitmix64, &sc);
	ta = run_text(a, random_script);
	tb = run_text(b, random_script);
	tc = run_text(c, random_script);
	assert_string_equal(ta, tb);
	assert_string_not_equal(ta, tc);
	free(ta);
	free(tb);
	free(tc);
	sandbox_free(a);
	sandbox_free(b);
	sandbox_free(c);
}

static void
test_random_rejection(void **state)
{
	static const uint64_t	 v[] = {
		UINT64_MAX,		/* top 3 bits 7 > 5: drawn again */
		0x4000000000000000ULL,	/* top 3 bits 2: random(6) = 3 */
		UINT64_MAX,		/* random(): largest float < 1 */
		UINT64_MAX,		/* random(0): all 64 bits */
		0,			/* full range: mininteger */
	};
	struct script_rng	 r = { v, sizeof v / sizeof v[0], 0 };
	struct sandbox		*sb;
	lua_State		*L;
	char			*cause;

	(void)state;
	sb = new_sandbox(0, 0);
	L = sandbox_state(sb);
	sandbox_set_rand(sb, scripted, &r);
	assert_int_equal(run_integer(sb, "return math.random(6)"), 3);
	assert_int_equal(r.next, 2);
	if ((cause = run(sb, "return math.random()", "f.lua", 1)) != NULL)
		fail_msg("%s", cause);
	assert_true(lua_tonumber(L, -1) == 1.0 - 0x1.0p-53);
	lua_pop(L, 1);
	assert_int_equal(run_integer(sb, "return math.random(0)"), -1);
	assert_int_equal(run_integer(sb,
	    "return math.random(math.mininteger, math.maxinteger)"),
	    INT64_MIN);
	/* A one-value interval needs no draw. */
	assert_int_equal(run_integer(sb, "return math.random(-5, -5)"), -5);
	assert_int_equal(r.next, 5);

	expect_cause(sb, "math.random(3, 2)", "empty.lua", "empty.lua:1: "
	    "bad argument #1 to 'random' (interval is empty)");
	expect_cause(sb, "math.random(0, -1)", "empty.lua", "empty.lua:1: "
	    "bad argument #1 to 'random' (interval is empty)");
	expect_cause(sb, "math.random(1, 2, 3)", "args.lua",
	    "args.lua:1: wrong number of arguments");
	assert_int_equal(r.next, 5);
	sandbox_free(sb);
}

static void
test_randomseed_raises(void **state)
{
	struct sandbox	*sb;
	uint64_t	 seed = 1;

	(void)state;
	sb = new_sandbox(0, 0);
	sandbox_set_rand(sb, splitmix64, &seed);
	expect_cause(sb, "local x = 1\nmath.randomseed(42)\n", "seed.lua",
	    "seed.lua:2: math.randomseed is not available: the game seeds "
	    "the PRNG");
	sandbox_free(sb);
}

static void
test_random_unbound(void **state)
{
	struct sandbox	*sb;
	uint64_t	 seed = 1;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_cause(sb, "return math.random()", "unbound.lua",
	    "unbound.lua:1: math.random is not bound to the game PRNG");
	expect_cause(sb, "return math.random(6)", "unbound.lua",
	    "unbound.lua:1: math.random is not bound to the game PRNG");
	sandbox_set_rand(sb, splitmix64, &seed);
	assert_true(run_integer(sb, "return math.random(6)") >= 1);
	sandbox_set_rand(sb, NULL, NULL);
	expect_cause(sb, "return math.random()", "unbound.lua",
	    "unbound.lua:1: math.random is not bound to the game PRNG");
	sandbox_free(sb);
}

static void
test_run_file(void **state)
{
	struct sandbox	*sb;
	char		 path[] = "/tmp/test-sandbox-XXXXXX";
	char		*cause = NULL, *want;
	const char	*src = "local a = 1\nerror('from file')\n";
	int		 fd;

	(void)state;
	sb = new_sandbox(0, 0);
	assert_int_equal(sandbox_run_file(sb, "/nonexistent/dir/x.lua", 0,
	    &cause), -1);
	assert_string_equal(cause, "cannot read /nonexistent/dir/x.lua: "
	    "No such file or directory");
	free(cause);

	cause = NULL;
	assert_int_equal(sandbox_run_file(sb, "/tmp", 0, &cause), -1);
	assert_string_equal(cause, "cannot read /tmp: Is a directory");
	free(cause);

	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, src, strlen(src)), (int)strlen(src));
	close(fd);
	cause = NULL;
	assert_int_equal(sandbox_run_file(sb, path, 0, &cause), -1);
	want = xasprintf("%s:2: from file", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "return 5 * 5\n", 13), 13);
	close(fd);
	cause = NULL;
	assert_int_equal(sandbox_run_file(sb, path, 1, &cause), 0);
	assert_null(cause);
	assert_int_equal(lua_tointeger(sandbox_state(sb), -1), 25);
	lua_pop(sandbox_state(sb), 1);
	unlink(path);
	sandbox_free(sb);
}

static void
test_string_rep(void **state)
{
	struct sandbox	*sb;
	char		*s;

	(void)state;
	sb = new_sandbox(0, 0);
	/* Would loop 2^62 times in stock Lua 5.4. */
	assert_int_equal(run_integer(sb,
	    "return #string.rep('', 1 << 62) + #('x'):rep(0)"), 0);
	s = run_text(sb, "return string.rep('ab', 3, ',')");
	assert_string_equal(s, "ab,ab,ab");
	free(s);
	expect_cause(sb, "return string.rep('x', 1 << 40)", "big.lua",
	    "big.lua:1: resulting string too large");
	expect_prefix(sb, "return string.rep({}, 2)", "arg.lua", "arg.lua:1: ",
	    "bad argument #1 to 'rep'");
	sandbox_free(sb);
}

/* abort(msg): a C function stopping the whole call, as w's budgets do. */
static int
l_abort(lua_State *L)
{
	return (sandbox_abort(L, "stopped: %s", luaL_checkstring(L, 1)));
}

static void
test_abort_not_catchable(void **state)
{
	struct sandbox	*sb;
	lua_State	*L;

	(void)state;
	sb = new_sandbox(0, 0);
	L = sandbox_state(sb);
	lua_pushcfunction(L, l_abort);
	lua_setglobal(L, "abort");
	expect_cause(sb, "local n = 0\n"
	    "while true do\n"
	    "  pcall(abort, 'flood')\n"
	    "  n = n + 1\n"
	    "end\n", "ab.lua", "ab.lua:3: stopped: flood");
	assert_true(sandbox_limited(sb));
	expect_cause(sb, "error('plain')", "e.lua", "e.lua:1: plain");
	assert_false(sandbox_limited(sb));
	expect_cause(sb, "while true do end", "b.lua",
	    "b.lua:1: instruction budget exceeded");
	assert_true(sandbox_limited(sb));
	sandbox_free(sb);
}

/*
 * Catching at every level of a deep recursion: Lua walks the stack on
 * each catch, outside the instruction count (tests first: over 600 s).
 */
static void
test_catch_recursion(void **state)
{
	struct sandbox	*sb;

	(void)state;
	sb = new_sandbox(0, 0);
	expect_prefix(sb, "local function f() pcall(f) f() end\nf()\n",
	    "rec.lua", "rec.lua:1: ", "instruction budget exceeded");
	expect_prefix(sb, "local function f() xpcall(f, f) f() end\nf()\n",
	    "xrec.lua", "xrec.lua:1: ", "instruction budget exceeded");
	/* Plain deep recursion is an ordinary, catchable error. */
	assert_int_equal(run_integer(sb, "local function f(n) return f(n + 1) + 1 end\n"
	    "local ok = pcall(f, 1)\nreturn ok and 1 or 0"), 0);
	sandbox_free(sb);
}

/* Work done in C between two hooks is charged (tests first: hours). */
static void
test_c_work_charged(void **state)
{
	static const char *const loops[] = {
		"local s = ('x'):rep(1e6) for i = 1, 1e9 do local u = s:upper() end",
		"local s = ('x'):rep(1e6) for i = 1, 1e9 do local u = s .. i end",
		"local t = {('x'):rep(1e6)} for i = 1, 1e9 do local u = table.concat(t) end",
		"local s = ('x'):rep(1e6) for i = 1, 1e9 do local u = utf8.len(s) end",
		"local t = {} for i = 1, 2e5 do t[i] = -i end for i = 1, 1e9 do table.sort(t) end",
		"local t = {} for i = 1, 1e5 do t[i] = i end for i = 1, 1e9 do table.insert(t, 1, i) table.remove(t, 1) end",
		"for i = 1, 1e9 do local n = select('#', table.unpack({}, 1, 1e5)) end",
		"local s = ('a'):rep(3000) s:find('.-.-.-.-.-.-.-b')",
		"local s = ('a'):rep(3000) s:match('(.-)(.-)(.-)(.-)(.-)b')",
		"local s = ('a'):rep(3000) s:gsub('.-.-.-.-.-.-.-b', '')",
		"local s = ('a'):rep(3000) for x in s:gmatch('.-.-.-.-.-.-b') do end",
		"local s = ('a'):rep(1e6) s:find(('a'):rep(5e5) .. 'b', 1, true)",
		"local s = ('('):rep(1e5) s:find('%b()')",
		NULL
	};
	struct sandbox	*sb;
	char		*cause;
	int		 i;

	(void)state;
	sb = new_sandbox(0, 5000000);
	for (i = 0; loops[i] != NULL; i++) {
		if ((cause = run(sb, loops[i], "cw.lua", 0)) == NULL)
			fail_msg("%s: expected the budget to stop it", loops[i]);
		if (strcmp(cause, "cw.lua:1: instruction budget exceeded") != 0)
			fail_msg("%s: %s", loops[i], cause);
		free(cause);
	}
	sandbox_free(sb);
}

/* The charged stand-ins give Lua's own results. */
static void
test_string_functions_unchanged(void **state)
{
	static const struct {
		const char	*src, *want;
	} cases[] = {
		{ "return table.concat({('key = value'):match('^(%w+)%s*=%s*(.-)%s*$')}, '|')", "key|value" },
		{ "return ('hello world'):find('o w')", "5" },
		{ "return select(2, ('hello world'):find('o', 6))", "8" },
		{ "return ('a.b'):find('.', 1, true)", "2" },
		{ "return ('x(a(b)c)y'):match('%b()')", "(a(b)c)" },
		{ "return ('THE (quick) fox'):find('%f[%a]%a+', 5)", "6" },
		{ "return ('abcabc'):match('(a)(b)c%1%2')", "a" },
		{ "return ('hello'):match('()ll()')", "3" },
		{ "local t = {} for k, v in ('a=1, b=2'):gmatch('(%w+)=(%w+)') do t[#t + 1] = k .. v end return table.concat(t, ',')", "a1,b2" },
		{ "return (('hello world'):gsub('o', '0'))", "hell0 w0rld" },
		{ "return select(2, ('abc'):gsub('', '-'))", "4" },
		{ "return (('abc'):gsub('%w', function(c) return c:upper() .. '.' end))", "A.B.C." },
		{ "return (('$name is $age'):gsub('%$(%w+)', {name = 'x', age = 3}))", "x is 3" },
		{ "return (('aaa'):gsub('a', 'b', 2))", "bba" },
		{ "return (('  trim  '):gsub('^%s*(.-)%s*$', '%1'))", "trim" },
		{ "return ('[x]'):match('[]]')", "]" },
		{ "return table.concat({('abc'):byte(1, -1)}, ',')", "97,98,99" },
		{ "return ('%5.1f|%s|%d'):format(3.14159, 'x', 42)", "  3.1|x|42" },
		{ "local t = {3, 1, 2} table.sort(t) return table.concat(t)", "123" },
		{ "local t = {1, 2} table.insert(t, 1, 0) table.remove(t) return table.concat(t)", "01" },
		{ "return table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')", "1,1,2,3" },
		{ "return select('#', table.unpack({1, 2, 3}))", "3" },
		{ "return tostring(tonumber('0x10'))", "16" },
		{ "return utf8.char(72, 228) .. utf8.len('h\\u{e4}')", "H\xc3\xa4" "2" },
		{ "return ('abc'):rep(2, '-'):upper():lower():reverse():sub(2, 4)", "ba-" },
		{ "return tostring(pcall(string.find, 'x', '[a'))", "false" },
	};
	struct sandbox	*sb;
	char		*s;
	size_t		 i;

	(void)state;
	sb = new_sandbox(0, 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if ((s = run(sb, cases[i].src, "str.lua", 1)) != NULL)
			fail_msg("%s: %s", cases[i].src, s);
		s = xstrdup(luaL_tolstring(sandbox_state(sb), -1, NULL));
		lua_pop(sandbox_state(sb), 2);
		if (strcmp(s, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].src, s,
			    cases[i].want);
		free(s);
	}
	expect_prefix(sb, "string.find(nil, 'x')", "arg.lua", "arg.lua:1: ",
	    "bad argument #1 to 'find'");
	expect_prefix(sb, "('x'):find('(')", "pat.lua", "pat.lua:1: ",
	    "unfinished capture");
	sandbox_free(sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_globals_absent),
		cmocka_unit_test(test_script_error_line),
		cmocka_unit_test(test_error_objects),
		cmocka_unit_test(test_pcall_runtime_error),
		cmocka_unit_test(test_budget_default),
		cmocka_unit_test(test_budget_not_catchable),
		cmocka_unit_test(test_budget_hookless_paths),
		cmocka_unit_test(test_budget_nested_pcall),
		cmocka_unit_test(test_memory_string),
		cmocka_unit_test(test_memory_table),
		cmocka_unit_test(test_memory_small_cap),
		cmocka_unit_test(test_binary_refused),
		cmocka_unit_test(test_random_deterministic),
		cmocka_unit_test(test_random_rejection),
		cmocka_unit_test(test_randomseed_raises),
		cmocka_unit_test(test_random_unbound),
		cmocka_unit_test(test_run_file),
		cmocka_unit_test(test_abort_not_catchable),
		cmocka_unit_test(test_catch_recursion),
		cmocka_unit_test(test_c_work_charged),
		cmocka_unit_test(test_string_functions_unchanged),
		cmocka_unit_test(test_string_rep),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
