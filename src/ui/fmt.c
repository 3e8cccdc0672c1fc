/*
 * Numbers for people: latency in ms below a second and seconds above,
 * rates with k/M, clocks as m:ss.  Fixed widths so columns never jump.
 */
#include <stdio.h>

#include "ui/panel.h"
#include "util/duration.h"

const char *
fmt_ms(double ms, char *buf, size_t len)
{
	if (ms != ms || ms < 0)
		snprintf(buf, len, "–");
	else if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms);
	else if (ms < 100000)
		snprintf(buf, len, "%.1fs", ms / 1000);
	else
		snprintf(buf, len, "%.0fs", ms / 1000);
	return (buf);
}

const char *
fmt_rate(double v, char *buf, size_t len)
{
	if (v != v)
		snprintf(buf, len, "–");
	else if (v >= 1e6)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v >= 10 || v == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
	return (buf);
}

const char *
fmt_clock_ms(long ms, char *buf, size_t len)
{
	if (ms >= 0)
		return (duration_clock(ms, buf, (unsigned)len));
	snprintf(buf, len, "–");
	return (buf);
}

enum role
role_of_health(enum health h)
{
	switch (h) {
	case H_CRIT:
		return (ROLE_CRIT);
	case H_WARN:
		return (ROLE_WARN);
	case H_IDLE:
		return (ROLE_DIM);
	default:
		return (ROLE_OK);
	}
}
