/*
 * Growable text buffer.  Always NUL-terminated once anything was added.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "xmalloc.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_fini(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void
grow(struct buf *b, size_t more)
{
	size_t	want = b->len + more + 1;

	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_json_str(struct buf *b, const char *s)
{
	const unsigned char	*p;
	int			 n;

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			/*
			 * JSON must be UTF-8, and a report cat'ed to a
			 * terminal must not act on it: DEL and C1 controls
			 * are escaped, bytes that are not UTF-8 become
			 * U+FFFD.
			 */
			if ((n = escape_utf8_len(p)) > 0) {
				buf_add(b, (const char *)p, n);
				p += n - 1;
			} else if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
				buf_printf(b, "\\u%04x", p[1]);
				p++;
			} else
				buf_puts(b, "\\ufffd");
		}
	}
	buf_putc(b, '"');
}

void
buf_json_num(struct buf *b, double v)
{
	char	tmp[64];

	if (!isfinite(v)) {
		buf_puts(b, "null");
		return;
	}
	if (v == (double)(long long)v && fabs(v) < 1e15) {
		buf_printf(b, "%lld", (long long)v);
		return;
	}
	snprintf(tmp, sizeof tmp, "%.6g", v);
	buf_puts(b, tmp);
}

char *
buf_steal(struct buf *b)
{
	char	*p = b->data != NULL ? b->data : xstrdup("");

	buf_init(b);
	return (p);
}

const char *
buf_str(struct buf *b)
{
	return (b->data != NULL ? b->data : "");
}
