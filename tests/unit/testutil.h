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

#endif
