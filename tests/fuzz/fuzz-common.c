/*
 * Helpers the fuzz harnesses share.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/xmalloc.h"

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "."
#endif

const char *
fuzz_datadir(void)
{
	const char	*d = getenv("FIREDRILL_DATADIR");

	return (d != NULL && *d != '\0' ? d : FUZZ_DATADIR);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char	*s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}
