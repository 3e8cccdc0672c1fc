/*
 * The driver of the normal build: each file named on the command line
 * goes once through the harness, as libFuzzer would run it, so `make
 * check` replays every corpus without clang.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int
main(int argc, char **argv)
{
	FILE	*f;
	uint8_t	*data;
	long	 n;
	int	 i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return (1);
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		data = malloc(n > 0 ? (size_t)n : 1);
		if (data == NULL || (n > 0 && fread(data, 1, n, f) !=
		    (size_t)n)) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return (1);
		}
		fclose(f);
		LLVMFuzzerTestOneInput(data, (size_t)n);
		free(data);
	}
	return (0);
}
