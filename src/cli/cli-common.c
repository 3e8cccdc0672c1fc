/*
 * What the subcommands share: locating the game data and reporting
 * errors in one line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/firedrill"
#endif

static int
has_data(const char *dir)
{
	char		*p = xasprintf("%s/lua/platforms", dir);
	struct stat	 st;
	int		 ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return (ok);
}

/*
 * $FIREDRILL_DATADIR wins; then the installed data; then, for a binary
 * run from its build tree, the source tree beside or above it.
 */
const char *
cli_datadir(void)
{
	static char	 found[PATH_MAX];
	const char	*d = getenv("FIREDRILL_DATADIR");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;
	int		 up;

	if (d != NULL && *d != '\0')
		return (d);
	if (has_data(PKGDATADIR))
		return (PKGDATADIR);
	if (found[0] != '\0')
		return (found);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (up = 0; up < 2; up++) {
			if ((slash = strrchr(exe, '/')) == NULL)
				break;
			*slash = '\0';
			if (has_data(exe)) {
				strlcpy_fd(found, exe, sizeof found);
				return (found);
			}
		}
	}
	return (PKGDATADIR);
}

void
cli_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("firedrill: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

