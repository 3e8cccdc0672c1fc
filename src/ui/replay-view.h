/*
 * A recording played back in the console: the replay's keys (pause,
 * speed, one tick at a time, branch, quit), ticks that stop at the
 * recorded end, and the tag on the status bar.  The console hands it
 * every key and every stretch of ticks while it plays back; once the
 * player branches, the console is an ordinary live game again.
 */
#ifndef FD_REPLAY_VIEW_H
#define FD_REPLAY_VIEW_H

#include "session/session.h"
#include "ui/console.h"
#include "ui/panel.h"

struct replay_view {
	int64_t		 id;		/* the recorded session */
	long		 end_ms;	/* where the recording stops */
	int		 live;		/* branched: the player has the game */
	int		 speed_ix;
	int		 at_end;
	int		 shown;		/* recorded commands shown so far */
	char		 tag[48];	/* "REPLAY #12", for the status bar */
};

enum replay_act {
	RV_DONE,	/* the key was the replay's */
	RV_QUIT,	/* leave; nothing is recorded */
	RV_BRANCH,	/* the session is live from now on */
};

/* From the console's options; st is the console's, reset already. */
struct replay_view *replay_view_new(const struct console_opts *,
		    struct ui_state *st);
void		 replay_view_free(struct replay_view *);	/* NULL ok */
/* Still playing back (not branched). */
int		 replay_view_playing(const struct replay_view *);
/* A key during playback. */
enum replay_act	 replay_view_key(struct replay_view *, struct session *,
		    struct ui_state *, int key);
/* Run up to n ticks, never past the recorded end. */
void		 replay_view_advance(struct replay_view *, struct session *,
		    struct ui_state *, long n);

#endif
