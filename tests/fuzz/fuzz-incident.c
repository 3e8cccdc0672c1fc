/*
 * Fuzz the incident loader on arbitrary Lua source, in the sandbox: the
 * input is written to a file and loaded as an incident (schema checks,
 * the platform library, the instruction budget), never run past load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "engine/game.h"
#include "script/incident.h"

static char	path[64];

static void
cleanup(void)
{
	unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct game	 g;
	struct script	*sc;
	FILE		*f;
	char		*cause = NULL;

	if (path[0] == '\0') {
		int fd;

		/* A file of our own, made once; each input overwrites it. */
		snprintf(path, sizeof path, "/tmp/fuzz-incident-XXXXXX.lua");
		if ((fd = mkstemps(path, 4)) == -1)
			abort();
		close(fd);
		atexit(cleanup);
	}
	if ((f = fopen(path, "wb")) == NULL)
		return (0);
	fwrite(data, 1, size, f);
	fclose(f);
	game_init(&g, 1);
	if ((sc = script_load(&g, fuzz_datadir(), path, &cause)) != NULL)
		script_free(sc);
	free(cause);
	game_fini(&g);
	return (0);
}
