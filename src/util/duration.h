/*
 * Durations as people type them: "90s", "2m", "500ms", "1h", "1:30",
 * "1:02:03", or a bare number of seconds.  Seconds and minutes of a clock
 * are two digits, 00..59; the last field may have a fraction ("1:30.5").
 */
#ifndef FD_DURATION_H
#define FD_DURATION_H

/* The longest duration anything accepts: a year. */
#define DURATION_MAX_MS	(365L * 86400000)

/*
 * 0 and *ms on success, -1 on anything else: signs, spaces, hex or
 * exponents, a clock's minutes or seconds outside 00..59, more than
 * DURATION_MAX_MS.
 */
int	duration_parse(const char *, long *ms);
/* "1:02:03" or "2:05" style, into buf ("-" when negative); buf. */
const char *duration_clock(long ms, char *buf, unsigned len);

#endif
