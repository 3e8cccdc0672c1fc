/*
 * A sandboxed Lua 5.4 state for untrusted incident scripts: only base,
 * table, string, math and utf8; text chunks only; an instruction budget per
 * call (work done in C is charged to it) and a memory cap; math.random
 * drawn from the game's PRNG.  Errors
 * come back as one line, "file:line: message", never as a crash.
 */
#ifndef FD_SANDBOX_H
#define FD_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

struct sandbox;

struct sandbox_limits {
	size_t	mem_bytes;	/* total bytes the state may hold; 0 = 64 MiB */
	long	instr_budget;	/* VM instructions per protected call; 0 = 50M */
};

/* Draws 64 random bits from the game's outcome stream. */
typedef uint64_t (*sandbox_rand_cb)(void *ctx);

struct sandbox	*sandbox_new(const struct sandbox_limits *);
void		 sandbox_free(struct sandbox *);	/* accepts NULL */
lua_State	*sandbox_state(struct sandbox *);

/* Bind math.random / math.randomseed to rand(ctx).  Until bound, they raise. */
void		 sandbox_set_rand(struct sandbox *, sandbox_rand_cb, void *ctx);

/*
 * Load a text chunk (binary chunks are refused) with the sandbox's global
 * environment and run it under the budget, leaving nresults values on the
 * stack.  chunkname is shown in messages as given (no "@" needed): pass the
 * file's path.  Returns 0, or -1 with *cause = "file:line: message".
 */
int	sandbox_run_string(struct sandbox *, const char *chunk, size_t len,
	    const char *chunkname, int nresults, char **cause);
/* As above, reading the file at path; an unreadable file is a cause too. */
int	sandbox_run_file(struct sandbox *, const char *path, int nresults,
	    char **cause);

/*
 * Call the function below nargs arguments on the stack, under a fresh
 * instruction budget and the memory cap, with a traceback handler.
 * Returns 0, or -1 with *cause set to the one-line message (location
 * first) and nothing left on the stack.
 */
int	sandbox_pcall(struct sandbox *, int nargs, int nresults, char **cause);

/*
 * After sandbox_pcall (or a run) failed: was the call stopped by a limit
 * (instruction budget, memory cap, wall-clock net, sandbox_abort) rather
 * than by an error of the script's own?  A caller may then stop calling
 * that function.
 */
int	sandbox_limited(const struct sandbox *);

/*
 * From a C function the script called: stop the whole protected call with
 * "file:line: message" (the script's line).  Like a spent budget, pcall
 * and xpcall inside the script cannot catch it.  Does not return.
 */
int	sandbox_abort(lua_State *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* Bytes currently allocated by the state (for tests and the benchmark). */
size_t	sandbox_mem_used(const struct sandbox *);

#endif
