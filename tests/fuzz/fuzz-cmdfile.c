/*
 * Fuzz the commands-file parser (session_queue_text): timed lines,
 * comments, blank lines, bad times.  The queue must come out in time
 * order, every time within range.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "session/session.h"
#include "util/duration.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session	 s;
	char		*text = fuzz_string(data, size), *cause = NULL;
	int		 i;

	memset(&s, 0, sizeof s);
	if (session_queue_text(&s, "fuzz", text, &cause) != 0)
		free(cause);
	for (i = 0; i < s.nq; i++) {
		assert(s.q[i].t_ms >= 0 && s.q[i].t_ms <= DURATION_MAX_MS);
		assert(i == 0 || s.q[i - 1].t_ms <= s.q[i].t_ms);
	}
	session_drop_queue(&s);
	free(s.q);
	free(text);
	return (0);
}
