/*
 * Loading the ghost: the personal best for an incident and seed, falling
 * back to the best at any seed.  It only reads the store; a database that
 * cannot be read costs the ghost, never the game.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "ui/ghost.h"
#include "util/xmalloc.h"

char *
ghost_load(struct view_ghost *gh, const char *db, const char *player,
    const char *incident, uint64_t seed)
{
	struct store		*st;
	struct store_best	 b;
	char			*path = NULL, *cause = NULL, *note;
	int			 p, exact = 1, error;

	memset(gh, 0, sizeof *gh);
	if (db != NULL)
		st = store_open(db, 0, &cause);
	else if ((path = store_default_path(&cause)) != NULL)
		st = store_open(path, 1, &cause);
	else
		st = NULL;
	free(path);
	if (st == NULL) {
		note = xasprintf("ghost: no personal best to race (%s)",
		    cause);
		free(cause);
		return (note);
	}
	error = store_best(st, incident, &seed, player, &b, &cause);
	if (error == 0 && !b.found) {
		exact = 0;
		error = store_best(st, incident, NULL, player, &b, &cause);
	}
	store_close(st);
	if (error != 0) {
		note = xasprintf("ghost: no personal best to race (%s)",
		    cause);
		free(cause);
		return (note);
	}
	if (!b.found)
		return (xasprintf("ghost: no best for %s yet; play on and set"
		    " one", incident));
	gh->on = 1;
	for (p = 0; p < 4; p++)
		gh->mark_ms[p] = (long)b.phase_ms[p];
	gh->total = b.total;
	memcpy(gh->grade, b.grade, sizeof gh->grade);
	if (exact)
		return (xasprintf("ghost: racing your best at seed %llu"
		    " (session %lld, %s %d)", (unsigned long long)seed,
		    (long long)b.session, b.grade, b.total));
	return (xasprintf("ghost: no best at seed %llu yet; racing your best"
	    " at seed %llu instead (session %lld, %s %d)",
	    (unsigned long long)seed, (unsigned long long)b.seed,
	    (long long)b.session, b.grade, b.total));
}
