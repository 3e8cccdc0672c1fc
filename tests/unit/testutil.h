/*
 * Helpers the unit tests share: a scratch directory and its removal, and
 * an assertion that a building call succeeded, failing with its cause.
 */
#ifndef FD_TESTUTIL_H
#define FD_TESTUTIL_H

/* A fresh directory under $TMPDIR (or /tmp), or NULL.  Caller frees. */
char	*tu_tmpdir(const char *name);
/* Remove a directory tree, making each directory writable first. */
void	 tu_rmtree(const char *path);
/* Fail the test at file:line with *cause when rc < 0; frees *cause. */
void	 tu_ok_at(int rc, char **cause, const char *what, const char *file,
	    int line);

#define TU_OK(call, cause) \
	tu_ok_at((call), (cause), #call, __FILE__, __LINE__)

/* Fail at file:line unless got is within frac (relative) or tol
 * (absolute) of want. */
void	 tu_near_rel_at(double got, double want, double frac,
	    const char *what, const char *file, int line);
void	 tu_near_abs_at(double got, double want, double tol,
	    const char *what, const char *file, int line);

#define near_rel(g, w, f, what) \
	tu_near_rel_at((g), (w), (f), (what), __FILE__, __LINE__)
#define near_abs(g, w, t, what) \
	tu_near_abs_at((g), (w), (t), (what), __FILE__, __LINE__)

#endif
