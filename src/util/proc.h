/*
 * Who is recording: this process's host and start time, and whether a
 * recording process seen in the database is still alive.  Linux /proc
 * gives the start time; elsewhere it is NULL and only the pid is checked.
 */
#ifndef FD_PROC_H
#define FD_PROC_H

#include <stdint.h>

/* This host's name; caller's string ("" when unknown). */
char	*proc_host(void);
/*
 * A process's start, as "BOOT-ID/TICKS": two processes of one host with
 * the same pid have different starts.  NULL when unknown.  Caller's.
 */
char	*proc_start(int64_t pid);
/*
 * Whether pid of this host is still the process that wrote start (NULL:
 * any process with that pid).
 */
int	 proc_alive(int64_t pid, const char *start);

#endif
