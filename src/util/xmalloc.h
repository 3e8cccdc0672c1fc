/*
 * Allocation wrappers that abort cleanly on out-of-memory, and the small
 * string helpers every layer shares.  Nothing here knows about the game.
 */
#ifndef FD_XMALLOC_H
#define FD_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow an array of n elements of size sz to at least want, doubling. */
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returned strings are the caller's. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);

/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t	 strlcpy_fd(char *, const char *, size_t);

#endif
