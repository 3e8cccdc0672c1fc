/*
 * FNV-1a, 64 bits: the state hash that replay compares.  The timeline and
 * the simulated log keep a running one as lines are added, so hashing the
 * whole state stays cheap however long the session has run.
 */
#ifndef FD_FNV_H
#define FD_FNV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET	0xcbf29ce484222325ULL

static inline void
fnv_add(uint64_t *h, const void *p, size_t n)
{
	const unsigned char	*c = p;

	while (n-- > 0) {
		*h ^= *c++;
		*h *= 0x100000001b3ULL;
	}
}

static inline void
fnv_add_str(uint64_t *h, const char *s)
{
	fnv_add(h, s, strlen(s) + 1);
}

#endif
