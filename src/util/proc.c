/*
 * Process identity for the session store's "is it still running?"
 * question.  Never fails loudly: unknown is an answer.
 */
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/proc.h"
#include "util/xmalloc.h"

char *
proc_host(void)
{
	char	name[256];

	if (gethostname(name, sizeof name) != 0)
		return (xstrdup(""));
	name[sizeof name - 1] = '\0';
	return (xstrdup(name));
}

char *
proc_start(int64_t pid)
{
	FILE		*f;
	char		 path[64], buf[1024], boot[64], *p;
	unsigned long long ticks;
	size_t		 n;
	int		 field;

	if ((f = fopen("/proc/sys/kernel/random/boot_id", "r")) == NULL)
		return (NULL);
	if (fgets(boot, sizeof boot, f) == NULL) {
		fclose(f);
		return (NULL);
	}
	fclose(f);
	boot[strcspn(boot, "\n")] = '\0';

	snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip past it. */
	if ((p = strrchr(buf, ')')) == NULL)
		return (NULL);
	/* Field 3 follows the name; the start time is field 22. */
	for (field = 2; field < 22 && *p != '\0'; p++)
		if (*p == ' ')
			field++;
	if (sscanf(p, "%llu", &ticks) != 1)
		return (NULL);
	return (xasprintf("%s/%llu", boot, ticks));
}

int
proc_alive(int64_t pid, const char *start)
{
	char	*now;
	int	 same;

	if (pid <= 0 || (pid_t)pid != pid)
		return (0);
	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return (0);
	if (start == NULL || (now = proc_start(pid)) == NULL)
		return (1);
	same = strcmp(now, start) == 0;
	free(now);
	return (same);
}
