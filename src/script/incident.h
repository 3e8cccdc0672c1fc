/*
 * Incidents and platforms as Lua: loading a scenario file in the sandbox,
 * building the world it describes through the `w` API, filling the
 * engine's incident_def and plugging its hooks into the game.  Only this
 * layer (with sandbox.c) includes Lua.
 */
#ifndef FD_INCIDENT_H
#define FD_INCIDENT_H

#include "engine/game.h"

#define FD_API_VERSION	1

struct script;

struct incident_info {
	char	*id;
	char	*section;
	char	*title;
	char	*severity;
	char	*path;
	char	*error;		/* why it cannot be loaded, or NULL */
	char	*briefing;
	char	*clock;
	int	 difficulty;
};

/*
 * Resolve INCIDENT (an id from the catalog or a path to a .lua file) under
 * datadir.  Caller's string, or NULL with cause.
 */
char	*incident_resolve(const char *datadir, const char *incident,
	    char **cause);
/*
 * Every incident in datadir/lua/incidents, sorted by section; one that
 * cannot be loaded is listed with its error.
 */
int	 incident_list(const char *datadir, struct incident_info **,
	    int *n, char **cause);
void	 incident_list_free(struct incident_info *, int n);

/*
 * Load the incident at path into g (which game_init prepared): platform,
 * world, definition, hooks; then start the game (warm-up).  NULL with
 * cause "file:line: message" on any error.
 */
struct script *script_load(struct game *g, const char *datadir,
	    const char *path, char **cause);
void	 script_free(struct script *);
/* Errors scripts raised while running, as timeline events already. */
int	 script_errors(const struct script *);

#endif
