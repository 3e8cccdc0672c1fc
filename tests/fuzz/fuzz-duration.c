/*
 * Fuzz what parses small strings: durations, metric selectors, the
 * command word splitter and the message escaper.  Checks the contracts
 * too: a duration is within range, an escaped string holds no control.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cmd/cmd.h"
#include "engine/metric.h"
#include "util/duration.h"
#include "util/escape.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selector	 sel;
	char		*s = fuzz_string(data, size), *e, *cause = NULL, **argv;
	const unsigned char *p;
	long		 ms;
	int		 argc;

	if (duration_parse(s, &ms) == 0)
		assert(ms >= 0 && ms <= DURATION_MAX_MS);
	memset(&sel, 0, sizeof sel);
	if (selector_parse(&sel, s, &cause) != 0)
		free(cause);
	cause = NULL;
	if (cmd_split(s, &argc, &argv, &cause) == 0)
		cmd_free_argv(argc, argv);
	else
		free(cause);
	e = escape_str(s);
	for (p = (const unsigned char *)e; *p != '\0'; p++)
		assert(*p >= 0x20 && *p != 0x7f);
	free(e);
	free(s);
	return (0);
}
