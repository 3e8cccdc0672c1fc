/*
 * Helpers the unit tests share (testutil.h).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/xmalloc.h"
#include "testutil.h"

char *
tu_tmpdir(const char *name)
{
	const char	*base = getenv("TMPDIR");
	char		*dir;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	dir = xasprintf("%s/firedrill-%s.XXXXXX", base, name);
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return (NULL);
	}
	return (dir);
}

void
tu_rmtree(const char *path)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*sub;

	(void)chmod(path, 0700);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			tu_rmtree(sub);
		else
			(void)unlink(sub);
		free(sub);
	}
	closedir(d);
	(void)rmdir(path);
}

void
tu_ok_at(int rc, char **cause, const char *what, const char *file, int line)
{
	if (rc < 0) {
		print_error("ERROR: %s: %s\n", what,
		    *cause != NULL ? *cause : "(no cause)");
		free(*cause);
		*cause = NULL;
		_fail(file, line);
	}
}

void
tu_near_rel_at(double got, double want, double frac, const char *what,
    const char *file, int line)
{
	double	tol = fabs(want) * frac;

	if (!(fabs(got - want) <= tol)) {
		print_error("ERROR: %s: got %.9g, want %.9g (+-%.3g%%)\n", what,
		    got, want, frac * 100);
		_fail(file, line);
	}
}

void
tu_near_abs_at(double got, double want, double tol, const char *what,
    const char *file, int line)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("ERROR: %s: got %.12g, want %.12g (+-%.3g)\n", what,
		    got, want, tol);
		_fail(file, line);
	}
}
