/*
 * The screen a player sees when a session could not be recorded: why,
 * where it was saved as JSON instead, and the choices: retry, record it
 * in another database, or go on with the JSON kept.  Key handling is
 * plain state, testable without a terminal; the console acts on it.
 */
#ifndef FD_UNSAVED_H
#define FD_UNSAVED_H

struct canvas;

enum unsaved_act {
	UNS_NONE,		/* keep asking */
	UNS_RETRY,		/* the same database again */
	UNS_OTHER,		/* the database at u->path */
	UNS_GO_ON,		/* keep the JSON and go on */
};

struct unsaved {
	char	 why[512];	/* "session not recorded: …" */
	char	 saved[512];	/* the JSON file, "" when none */
	int	 typing;	/* entering another database's path */
	char	 path[256];
	int	 tries;		/* retries so far */
};

void		 unsaved_open(struct unsaved *, const char *why,
		    const char *saved);
enum unsaved_act unsaved_key(struct unsaved *, int key);
void		 unsaved_draw(const struct unsaved *, struct canvas *);

#endif
