/*
 * The picker's "recommended next": one incident from the family with the
 * weakest record that was not played in the last few sessions.
 */
#ifndef FD_RECOMMEND_H
#define FD_RECOMMEND_H

#include "ui/screens.h"

struct store;

#define RECOMMEND_RECENT	3	/* sessions that count as "recently" */

/*
 * Mark one row recommended and write its reason into that row's why.
 * recent lists the incidents of the last sessions, newest first.  Returns
 * the row's index, or -1 when no row can be recommended.
 */
int	recommend_pick(struct picker_row *, int n, const char *const *recent,
	    int nrecent);
/* The same, reading the recent sessions from st (NULL: none). */
int	recommend_from_store(struct picker_row *, int n, struct store *st);

#endif
