/*
 * Incident families: the handbook's chapters, named by the first number of
 * an incident's section ("2.3" is family 2, Caching).  History, stats and
 * the picker group by them; nothing here knows an incident.
 */
#ifndef FD_FAMILY_H
#define FD_FAMILY_H

#define FAMILY_MAX	6

/* The family of a section, 1..FAMILY_MAX; 0 when it names none. */
int		 family_of_section(const char *section);
/* "Databases", "Caching", ...; "Other" for 0 or an unknown number. */
const char	*family_name(int);

#endif
