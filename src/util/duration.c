/*
 * Duration parsing shared by commands files and in-game commands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

int
duration_parse(const char *s, long *ms)
{
	char	*end;
	double	 v, parts[3];
	int	 n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return (-1);
	if (strchr(s, ':') != NULL) {
		const char *p = s;

		while (n < 3) {
			if (!isdigit((unsigned char)*p))
				return (-1);
			errno = 0;
			parts[n++] = strtod(p, &end);
			if (errno != 0)
				return (-1);
			if (*end == '\0')
				break;
			if (*end != ':')
				return (-1);
			p = end + 1;
		}
		if (n < 2 || *end != '\0')
			return (-1);
		v = n == 2 ? parts[0] * 60 + parts[1] :
		    parts[0] * 3600 + parts[1] * 60 + parts[2];
		*ms = (long)(v * 1000 + 0.5);
		return (0);
	}
	if (!isdigit((unsigned char)*s) && *s != '.')
		return (-1);
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || v < 0 || v > 1e9)
		return (-1);
	if (*end == '\0' || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		v *= 60000;
	else if (strcmp(end, "h") == 0)
		v *= 3600000;
	else if (strcmp(end, "d") == 0)
		v *= 86400000;
	else
		return (-1);
	*ms = (long)(v + 0.5);
	return (0);
}

const char *
duration_clock(long ms, char *buf, unsigned len)
{
	long	s = ms / 1000;

	if (ms < 0)
		snprintf(buf, len, "-");
	else if (s >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
	return (buf);
}
