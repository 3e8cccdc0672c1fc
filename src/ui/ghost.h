/*
 * The ghost of a personal best (play --ghost): its phase marks, loaded from
 * the store once when an incident starts, for the status bar to race.
 */
#ifndef FD_GHOST_H
#define FD_GHOST_H

#include <stdint.h>

#include "ui/view.h"

/*
 * Fill gh with the player's best session of incident at seed, else at any
 * seed.  db NULL: the default database.  Returns a one-line note for the
 * output pane (the caller's): which best it paces against, that it fell
 * back to another seed, or that there is none yet (gh->on stays 0).
 */
char	*ghost_load(struct view_ghost *gh, const char *db, const char *player,
	    const char *incident, uint64_t seed);

#endif
