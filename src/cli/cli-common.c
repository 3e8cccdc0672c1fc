/*
 * What the subcommands share: locating the game data and the session
 * database, and reporting errors in one line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/escape.h"
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
	va_list	 ap;
	char	*s, *e;

	/*
	 * Messages quote options, file names, commands files and script
	 * errors: whatever they hold reaches the terminal as visible text.
	 */
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	e = escape_str(s);
	fprintf(stderr, "firedrill: %s\n", e);
	free(e);
	free(s);
}

int
cli_parse_number(const char *s, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long	n = 0;
	const char		*p;

	if (*s == '\0')
		return (-1);
	/* strtoull alone takes " -1" as 2^64-1 and "+5" as 5. */
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
		if (n > (max - (unsigned)(*p - '0')) / 10)
			return (-1);
		n = n * 10 + (unsigned)(*p - '0');
	}
	*v = n;
	return (0);
}

int
cli_check_name(const char *option, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n;

	if (*s == '\0' || strlen(s) > 100) {
		cli_error("%s: 1 to 100 bytes, not %zu", option, strlen(s));
		return (-1);
	}
	/* Recorded, then printed by history and debrief: text only. */
	for (; *p != '\0'; p += n) {
		if ((n = escape_utf8_len(p)) == 0) {
			cli_error("%s: '%s' has control characters or is not"
			    " UTF-8", option, s);
			return (-1);
		}
	}
	return (0);
}

int
cli_close_stdout(int rc)
{
	/*
	 * Output is the product (a JSON report, a post-mortem): losing it
	 * to a full disk or a closed pipe is an error, not a success.  No
	 * fclose: the console's atexit handler may still write.
	 */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output: %s",
		    errno != 0 ? strerror(errno) : "output lost (disk full or"
		    " pipe closed?)");
		return (rc != 0 ? rc : 1);
	}
	return (rc);
}


int
cli_session_id(const char *cmd, const char *arg, int64_t *id)
{
	unsigned long long	n;

	if (strcmp(arg, "last") == 0) {
		*id = 0;
		return (0);
	}
	if (cli_parse_number(arg, INT64_MAX, &n) != 0 || n == 0) {
		cli_error("%s: '%s' is not a session id (a number, or 'last')",
		    cmd, arg);
		return (-1);
	}
	*id = (int64_t)n;
	return (0);
}

struct store *
cli_store_read(const char *db, char **cause)
{
	struct store	*s;
	struct stat	 sb;
	const char	*env = getenv("FIREDRILL_DB");
	char		*path;
	int		 named = db != NULL || (env != NULL && *env != '\0');

	*cause = NULL;
	if (db != NULL)
		path = xstrdup(db);
	else if ((path = store_default_path(cause)) == NULL)
		return (NULL);
	/* Reading history must not leave an empty database behind. */
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || named)
			*cause = xasprintf("cannot open database %s: %s", path,
			    strerror(errno));
		free(path);
		return (NULL);
	}
	if (S_ISREG(sb.st_mode) && access(path, R_OK) != 0) {
		*cause = xasprintf("cannot read database %s: %s", path,
		    strerror(errno));
		free(path);
		return (NULL);
	}
	s = store_open(path, 0, cause);
	free(path);
	return (s);
}

const char *
cli_dash(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return (cs != NULL && strcmp(cs, "UTF-8") == 0 ? "—" : "-");
}

int
cli_load_session(const char *db, int64_t id, struct stored_session *ss)
{
	struct store	*st;
	char		*cause = NULL;
	int		 rc;

	memset(ss, 0, sizeof *ss);
	if ((st = cli_store_read(db, &cause)) == NULL) {
		if (cause != NULL)
			cli_error("%s", cause);
		else
			cli_error("no sessions yet: play one with `firedrill"
			    " play`");
		free(cause);
		return (-1);
	}
	rc = store_session_load(st, id, ss, &cause);
	store_close(st);
	if (rc != 0) {
		cli_error("%s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}
