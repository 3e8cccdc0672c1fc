/*
 * The game loop's one home: due commands are executed, then the game
 * steps one tick.  Commands at time t take effect in the tick that starts
 * at t, so a transcript replays identically.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "session/session.h"
#include "util/duration.h"
#include "util/escape.h"
#include "util/xmalloc.h"

int
session_open(struct session *s, const char *datadir, const char *incident,
    uint64_t seed, char **cause)
{
	memset(s, 0, sizeof *s);
	s->actor = "player";
	if ((s->path = incident_resolve(datadir, incident, cause)) == NULL)
		return (-1);
	game_init(&s->g, seed);
	if ((s->sc = script_load(&s->g, datadir, s->path, cause)) == NULL) {
		game_fini(&s->g);
		free(s->path);
		s->path = NULL;
		return (-1);
	}
	return (0);
}

void
session_close(struct session *s)
{
	int	i;

	if (s->path == NULL)
		return;
	script_free(s->sc);
	game_fini(&s->g);
	for (i = 0; i < s->nq; i++) {
		free(s->q[i].line);
		free(s->q[i].where);
		free(s->q[i].actor);
	}
	free(s->q);
	for (i = 0; i < s->nres; i++) {
		free(s->res[i].line);
		free(s->res[i].where);
		free(s->res[i].output);
	}
	free(s->res);
	free(s->hashes);
	pm_free(&s->pm);
	free(s->path);
	memset(s, 0, sizeof *s);
}

void
session_queue(struct session *s, long t_ms, const char *line,
    const char *where)
{
	session_queue_as(s, t_ms, line, where, NULL);
}

void
session_queue_as(struct session *s, long t_ms, const char *line,
    const char *where, const char *actor)
{
	int	i;

	s->q = xreallocarray(s->q, s->nq + 1, sizeof *s->q);
	/* Stable insertion keeps same-time commands in file order. */
	for (i = s->nq; i > s->qpos && s->q[i - 1].t_ms > t_ms; i--)
		s->q[i] = s->q[i - 1];
	s->q[i].t_ms = t_ms;
	s->q[i].line = xstrdup(line);
	s->q[i].where = xstrdup(where != NULL ? where : "");
	s->q[i].actor = actor != NULL ? xstrdup(actor) : NULL;
	s->nq++;
}

void
session_drop_queue(struct session *s)
{
	int	i;

	for (i = s->qpos; i < s->nq; i++) {
		free(s->q[i].line);
		free(s->q[i].where);
		free(s->q[i].actor);
	}
	s->nq = s->qpos;
}

int
session_queue_text(struct session *s, const char *name, const char *text,
    char **cause)
{
	const char	*p = text, *eol;
	char		*line, stamp[40], *cmd, *where, *q;
	long		 t, last = 0;
	int		 lineno = 0;
	size_t		 n;

	while (*p != '\0') {
		lineno++;
		eol = strchr(p, '\n');
		n = eol != NULL ? (size_t)(eol - p) : strlen(p);
		/* Any length: an over-long command is refused as a command. */
		line = xstrndup(p, n);
		p = eol != NULL ? eol + 1 : p + n;
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if ((cmd = strchr(line, '#')) != NULL)
			*cmd = '\0';
		cmd = line;
		while (isspace((unsigned char)*cmd))
			cmd++;
		if (*cmd == '\0') {
			free(line);
			continue;
		}
		n = strcspn(cmd, " \t");
		if (n >= sizeof stamp) {
			memcpy(stamp, cmd, 20);
			stamp[20] = '\0';
			q = escape_str(stamp);
			*cause = xasprintf("%s:%d: bad time '%s…'", name,
			    lineno, q);
			free(q);
			free(line);
			return (-1);
		}
		memcpy(stamp, cmd, n);
		stamp[n] = '\0';
		if (duration_parse(stamp, &t) != 0) {
			q = escape_str(stamp);
			*cause = xasprintf("%s:%d: bad time '%s' (use 90s, 2m,"
			    " 1:30 or 1:02:03)", name, lineno, q);
			free(q);
			free(line);
			return (-1);
		}
		if (t < last) {
			*cause = xasprintf("%s:%d: time %s goes backwards", name,
			    lineno, stamp);
			free(line);
			return (-1);
		}
		last = t;
		cmd += n;
		while (isspace((unsigned char)*cmd))
			cmd++;
		if (*cmd == '\0') {
			*cause = xasprintf("%s:%d: a time with no command", name,
			    lineno);
			free(line);
			return (-1);
		}
		n = strlen(cmd);
		while (n > 0 && isspace((unsigned char)cmd[n - 1]))
			cmd[--n] = '\0';
		where = xasprintf("%s:%d", name, lineno);
		session_queue(s, t, cmd, where);
		free(where);
		free(line);
	}
	return (0);
}

static void
record(struct session *s, const struct timed_cmd *tc, int ok,
    const char *output)
{
	struct cmd_result	*r;

	s->res = xreallocarray(s->res, s->nres + 1, sizeof *s->res);
	r = &s->res[s->nres++];
	r->t_ms = session_now_ms(s);
	r->line = xstrdup(tc->line);
	r->where = xstrdup(tc->where);
	r->ok = ok;
	r->output = xstrdup(output);
}

int
session_command(struct session *s, const char *line, struct buf *out)
{
	return (cmd_execute(&s->g, s->actor, line, out));
}

void
session_run_due(struct session *s)
{
	struct buf	out;
	long		now = session_now_ms(s);
	int		rc;

	buf_init(&out);
	while (s->qpos < s->nq && s->q[s->qpos].t_ms <= now) {
		const struct timed_cmd *tc = &s->q[s->qpos];

		buf_clear(&out);
		rc = cmd_execute(&s->g, tc->actor != NULL ? tc->actor :
		    s->actor, tc->line, &out);
		record(s, tc, rc == 0, buf_str(&out));
		s->qpos++;
	}
	buf_fini(&out);
}

int
session_expert(struct session *x, const char *datadir, const char *incident,
    uint64_t seed, char **cause)
{
	if (session_open(x, datadir, incident, seed, cause) != 0)
		return (-1);
	if (x->g.inc.db.expert == NULL) {
		*cause = xasprintf("%s has no expert path", x->g.inc.id);
		session_close(x);
		return (-1);
	}
	if (session_queue_text(x, "expert", x->g.inc.db.expert, cause) != 0) {
		session_close(x);
		return (-1);
	}
	while (!x->g.over && session_now_ms(x) < SESSION_RUN_CAP_MS)
		session_tick(x);
	return (0);
}

void
session_tick(struct session *s)
{
	session_run_due(s);
	game_step(&s->g);
	if (session_now_ms(s) % SESSION_CHECK_MS == 0) {
		s->hashes = xreallocarray(s->hashes, s->nhashes + 1,
		    sizeof *s->hashes);
		s->hashes[s->nhashes++] = game_state_hash(&s->g);
	}
}

long
session_now_ms(const struct session *s)
{
	return (game_now_ms(&s->g));
}
