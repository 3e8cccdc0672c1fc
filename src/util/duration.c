/*
 * Duration parsing shared by commands files, options and in-game
 * commands.  The syntax is checked by hand before any number is
 * converted, so no strtod form (hex, exponents, inf, signs, spaces) slips
 * in, and every value is range-checked before it becomes a long.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

/*
 * Digits with at most one '.', at least one digit, at most 12 digits
 * before the point: its length, or 0.  Twelve digits keep any unit's
 * product far inside a double's exact range and a long's.
 */
static size_t
decimal(const char *s)
{
	size_t	i = 0, whole = 0, frac = 0;

	while (isdigit((unsigned char)s[i])) {
		i++;
		whole++;
	}
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i])) {
			i++;
			frac++;
		}
	}
	if (whole + frac == 0 || whole > 12)
		return (0);
	return (i);
}

/* A clock: M:SS, H:MM:SS, the last field may have a fraction. */
static int
clock_parse(const char *s, double *ms)
{
	const char	*p = s;
	double		 v = 0;
	size_t		 n;
	int		 field = 0, f;

	for (;;) {
		if (field == 0) {
			n = 0;
			while (isdigit((unsigned char)p[n]))
				n++;
			if (n == 0 || n > 7)
				return (-1);
			v = strtod(p, NULL);
			p += n;
		} else {
			if (!isdigit((unsigned char)p[0]) ||
			    !isdigit((unsigned char)p[1]))
				return (-1);
			f = (p[0] - '0') * 10 + (p[1] - '0');
			if (f > 59)
				return (-1);
			v = v * 60 + f;
			p += 2;
			if (*p == '.') {
				n = decimal(p);
				if (n < 2)
					return (-1);
				v += strtod(p, NULL);
				p += n;
				if (*p != '\0')
					return (-1);
			}
		}
		field++;
		if (*p == '\0')
			break;
		if (*p != ':' || field == 3)
			return (-1);
		p++;
	}
	if (field < 2)
		return (-1);
	*ms = v * 1000;
	return (0);
}

int
duration_parse(const char *s, long *ms)
{
	static const struct {
		const char	*suffix;
		double		 ms;
	} units[] = {
		{ "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 },
		{ "min", 60000 }, { "h", 3600000 }, { "d", 86400000 }
	};
	double	v;
	size_t	n, i;

	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return (-1);
	if (strchr(s, ':') != NULL) {
		if (clock_parse(s, &v) != 0)
			return (-1);
	} else {
		if ((n = decimal(s)) == 0)
			return (-1);
		v = strtod(s, NULL);
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strcmp(s + n, units[i].suffix) == 0)
				break;
		if (i == sizeof units / sizeof units[0])
			return (-1);
		v *= units[i].ms;
	}
	if (!(v >= 0 && v <= DURATION_MAX_MS))
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
