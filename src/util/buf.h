/*
 * A growable text buffer.  Observation commands, the headless summary and
 * the JSON writer append to one and hand the text to whoever shows it.
 */
#ifndef FD_BUF_H
#define FD_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_fini(struct buf *);
void	 buf_clear(struct buf *);
void	 buf_add(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes included. */
void	 buf_json_str(struct buf *, const char *);
/* Append a number as JSON (null for NaN/inf), shortest round-trip form. */
void	 buf_json_num(struct buf *, double);
/* Take ownership of the text; the buffer is left empty. */
char	*buf_steal(struct buf *);
/* Borrowed, NUL-terminated view of the text. */
const char *buf_str(struct buf *);

#endif
