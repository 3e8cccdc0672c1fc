/*
 * Durations as people type them: "90s", "2m", "500ms", "1h", "1:30",
 * "1:02:03", or a bare number of seconds.
 */
#ifndef FD_DURATION_H
#define FD_DURATION_H

/* 0 and *ms on success, -1 on anything else. */
int	duration_parse(const char *, long *ms);
/* "1:02:03" or "2:05" style, into buf ("-" when negative); buf. */
const char *duration_clock(long ms, char *buf, unsigned len);

#endif
