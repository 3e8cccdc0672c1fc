/*
 * The picker's "recommended next".  A family's record is its best grade
 * over its incidents; a family never played is the weakest of all.  Of the
 * families not played in the last RECOMMEND_RECENT sessions, the weakest
 * wins (ties: the handbook's order), and within it an unplayed incident,
 * else the lowest graded one.  Pure over the rows, so it can be tested
 * without a database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/family.h"
#include "store/store.h"
#include "ui/recommend.h"

#define UNPLAYED	5	/* weaker than D (rank 4) */

/* S 0 .. D 4; UNPLAYED when never scored. */
static int
rank(const struct picker_row *r)
{
	const char	*p;

	if (r->best < 0 || r->grade[0] == '\0' ||
	    (p = strchr("SABCD", r->grade[0])) == NULL)
		return (UNPLAYED);
	return ((int)(p - "SABCD"));
}

int
recommend_pick(struct picker_row *rows, int n, const char *const *recent,
    int nrecent)
{
	int	weak[FAMILY_MAX + 1], seen[FAMILY_MAX + 1];
	int	hot[FAMILY_MAX + 1];
	int	i, j, f, fam = 0, pick = -1, pass;

	for (f = 0; f <= FAMILY_MAX; f++)
		weak[f] = -1, seen[f] = hot[f] = 0;
	for (i = 0; i < n; i++) {
		rows[i].recommended = 0;
		rows[i].why[0] = '\0';
		if ((f = family_of_section(rows[i].section)) == 0)
			continue;
		seen[f] = 1;
		/* The best grade in the family: the lowest rank. */
		if (weak[f] < 0 || rank(&rows[i]) < weak[f])
			weak[f] = rank(&rows[i]);
		for (j = 0; j < nrecent; j++)
			if (recent[j] != NULL && strcmp(recent[j],
			    rows[i].id) == 0)
				hot[f] = 1;
	}
	/* If every family was played lately, recency stops mattering. */
	for (pass = 0; pass < 2 && fam == 0; pass++)
		for (f = 1; f <= FAMILY_MAX; f++)
			if (seen[f] && (pass == 1 || !hot[f]) &&
			    (fam == 0 || weak[f] > weak[fam]))
				fam = f;
	if (fam == 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (family_of_section(rows[i].section) != fam)
			continue;
		if (pick < 0 || rank(&rows[i]) > rank(&rows[pick]) ||
		    (rank(&rows[i]) == rank(&rows[pick]) &&
		    rows[i].played < rows[pick].played) ||
		    (rank(&rows[i]) == rank(&rows[pick]) &&
		    rows[i].played == rows[pick].played &&
		    rows[i].best < rows[pick].best))
			pick = i;
	}
	rows[pick].recommended = 1;
	if (weak[fam] == UNPLAYED)
		snprintf(rows[pick].why, sizeof rows[pick].why,
		    "Recommended: %s — you have no graded %s incident yet",
		    rows[pick].id, family_name(fam));
	else
		snprintf(rows[pick].why, sizeof rows[pick].why,
		    "Recommended: %s — %s is your weakest family (best %c)",
		    rows[pick].id, family_name(fam), "SABCD"[weak[fam]]);
	return (pick);
}

int
recommend_from_store(struct picker_row *rows, int n, struct store *st)
{
	struct store_hist	*v = NULL;
	const char		*recent[RECOMMEND_RECENT];
	size_t			 nv = 0, i;
	char			*cause = NULL;
	int			 pick;

	/* Without history the picker still recommends: nothing is recent. */
	if (st != NULL && store_history(st, NULL, RECOMMEND_RECENT, &v, &nv,
	    &cause) != 0) {
		free(cause);
		nv = 0;
	}
	for (i = 0; i < nv && i < RECOMMEND_RECENT; i++)
		recent[i] = v[i].incident;
	pick = recommend_pick(rows, n, recent, (int)i);
	store_history_free(v, nv);
	return (pick);
}
