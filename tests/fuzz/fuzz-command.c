/*
 * Fuzz the command parser and executor on loaded worlds: the input's first
 * byte picks an incident, each following line is executed as a player's
 * command, then the game steps one tick.  Loading an incident runs Lua,
 * so each world is kept and reloaded every RELOAD inputs; a crash that
 * needs the state of earlier inputs may not replay alone, but libFuzzer
 * keeps the inputs that led there.  What a command answers must be text
 * a terminal shows as it is: UTF-8, no control byte but newline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cmd/cmd.h"
#include "script/incident.h"
#include "session/session.h"
#include "util/buf.h"
#include "util/escape.h"

#define RELOAD	2000

static struct incident_info	*inc;
static int			 ninc = -1;

static void
text_only(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n;

	for (; *p != '\0'; p += n) {
		n = *p == '\n' ? 1 : escape_utf8_len(p);
		if (n == 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct session	*worlds;
	static int		*uses;
	struct session		*s;
	struct buf		 out;
	char			*text, *line, *nl, *cause = NULL;
	int			 k, i;

	if (ninc < 0) {
		if (incident_list(fuzz_datadir(), &inc, &ninc, &cause) != 0) {
			fprintf(stderr, "fuzz-command: %s\n", cause);
			abort();
		}
		worlds = calloc(ninc, sizeof *worlds);
		uses = calloc(ninc, sizeof *uses);
	}
	if (size == 0 || ninc == 0)
		return (0);
	k = data[0] % ninc;
	s = &worlds[k];
	if (s->path != NULL && uses[k] >= RELOAD) {
		session_close(s);
		uses[k] = 0;
	}
	if (s->path == NULL && (inc[k].error != NULL ||
	    session_open(s, fuzz_datadir(), inc[k].id, 1, &cause) != 0)) {
		free(cause);
		return (0);
	}
	uses[k]++;
	text = fuzz_string(data + 1, size - 1);
	buf_init(&out);
	for (line = text, i = 0; line != NULL && i < 16; line = nl, i++) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		buf_clear(&out);
		session_command(s, line, &out);
		text_only(buf_str(&out));
	}
	if (!s->g.over)
		game_step(&s->g);
	buf_fini(&out);
	free(text);
	return (0);
}
