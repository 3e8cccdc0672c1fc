/*
 * What every fuzz harness shares: the libFuzzer entry point, and where the
 * game data is (FIREDRILL_DATADIR, else the source tree it was built from).
 */
#ifndef FD_FUZZ_H
#define FD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char	*fuzz_datadir(void);
/* The input as a NUL-terminated string (cut at its first NUL); caller's. */
char		*fuzz_string(const uint8_t *, size_t);

#endif
