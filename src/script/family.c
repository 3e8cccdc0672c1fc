/*
 * Incident families: the chapters of source/production-issues.md.  A
 * section's number before the dot picks one.
 */
#include <stdlib.h>

#include "script/family.h"

int
family_of_section(const char *section)
{
	char	*end;
	long	 n;

	if (section == NULL)
		return (0);
	n = strtol(section, &end, 10);
	if (end == section || (*end != '.' && *end != '\0') || n < 1 ||
	    n > FAMILY_MAX)
		return (0);
	return ((int)n);
}

const char *
family_name(int n)
{
	static const char *names[FAMILY_MAX + 1] = {
		"Other", "Databases", "Caching", "Services", "Infrastructure",
		"Distributed systems", "Scale"
	};

	return (n >= 1 && n <= FAMILY_MAX ? names[n] : names[0]);
}
