/*
 * Quoting input in messages.  Depends on nothing but libc, so every layer
 * (the command parser, the CLI, the script loader) can use the same one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xmalloc.h"

int
escape_utf8_len(const unsigned char *s)
{
	unsigned	c = s[0], cp;
	int		n, i;

	if (c < 0x80)
		return (c >= 0x20 && c != 0x7f);
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, past U+10FFFF, and C1 controls. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return (0);
	return (n);
}

char *
escape_str(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*out, *o;
	int			 n;

	/* Four output bytes per input byte at worst. */
	o = out = xmalloc(strlen(s) * 4 + 1);
	while (*p != '\0') {
		if ((n = escape_utf8_len(p)) > 0) {
			memcpy(o, p, n);
			o += n;
			p += n;
			continue;
		}
		switch (*p) {
		case '\t':
			memcpy(o, "\\t", 2);
			break;
		case '\n':
			memcpy(o, "\\n", 2);
			break;
		case '\r':
			memcpy(o, "\\r", 2);
			break;
		case '\v':
			memcpy(o, "\\v", 2);
			break;
		case '\f':
			memcpy(o, "\\f", 2);
			break;
		case 0x1b:
			memcpy(o, "\\e", 2);
			break;
		default:
			snprintf(o, 5, "\\x%02x", *p);
			o += 2;
			break;
		}
		o += 2;
		p++;
	}
	*o = '\0';
	return (out);
}
