/*
 * The off-screen cell grid.  Widths: every code point is one column except
 * those wcwidth() calls wide, which are replaced by '?' so that columns
 * never drift; the console's own glyphs are all one column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/canvas.h"
#include "util/buf.h"
#include "util/xmalloc.h"

void
canvas_init(struct canvas *c, int w, int h)
{
	memset(c, 0, sizeof *c);
	c->gl = glyphs_get(0);
	canvas_resize(c, w, h);
}

void
canvas_fini(struct canvas *c)
{
	free(c->cells);
	memset(c, 0, sizeof *c);
}

void
canvas_resize(struct canvas *c, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	free(c->cells);
	c->w = w;
	c->h = h;
	c->cells = xcalloc((size_t)w * h, sizeof *c->cells);
	canvas_clear(c);
}

void
canvas_clear(struct canvas *c)
{
	canvas_fill(c, (struct rect){ 0, 0, c->w, c->h }, ROLE_TEXT);
	c->cursor_on = 0;
}

void
canvas_fill(struct canvas *c, struct rect r, enum role role)
{
	int	x, y;

	for (y = r.y; y < r.y + r.h; y++) {
		if (y < 0 || y >= c->h)
			continue;
		for (x = r.x; x < r.x + r.w; x++) {
			if (x < 0 || x >= c->w)
				continue;
			strcpy(c->cells[y * c->w + x].ch, " ");
			c->cells[y * c->w + x].role = role;
		}
	}
}

/* Length of the UTF-8 sequence starting at p (1 for a bad byte). */
static int
seqlen(const unsigned char *p)
{
	int	n, i;

	if (*p < 0x80)
		return (1);
	if ((*p & 0xe0) == 0xc0)
		n = 2;
	else if ((*p & 0xf0) == 0xe0)
		n = 3;
	else if ((*p & 0xf8) == 0xf0)
		n = 4;
	else
		return (1);
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return (1);
	return (n);
}

static int
one_column(const char *s, int n)
{
	mbstate_t	st;
	wchar_t		wc;
	size_t		r;

	if (n == 1)
		return (1);
	memset(&st, 0, sizeof st);
	r = mbrtowc(&wc, s, (size_t)n, &st);
	if (r == (size_t)-1 || r == (size_t)-2)
		return (1);	/* not decodable here: shown as one cell */
	return (wcwidth(wc) == 1);
}

int
utf8_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 w = 0;

	while (*p != '\0') {
		p += seqlen(p);
		w++;
	}
	return (w);
}

void
canvas_cell(struct canvas *c, int x, int y, enum role role, const char *g)
{
	struct cell	*cl;

	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return;
	cl = &c->cells[y * c->w + x];
	strlcpy_fd(cl->ch, g, sizeof cl->ch);
	cl->role = role;
}

/* Plain ASCII for the glyphs and typography the console uses. */
static const char *
ascii_for(const char *g)
{
	static const char *const map[][2] = {
		{ "·", "." }, { "–", "-" }, { "—", "-" }, { "−", "-" },
		{ "×", "x" }, { "§", "S" }, { "→", "->" }, { "←", "<-" },
		{ "↑", "^" }, { "↓", "v" }, { "▲", "^" }, { "●", "*" },
		{ "✖", "X" }, { "✓", "v" }, { "↳", "\\" }, { "…", "~" },
		{ "○", "o" }, { "▶", ">" }, { "⏸", "||" }, { "›", ">" },
		{ "é", "e" }, { "’", "'" }, { "“", "\"" }, { "”", "\"" },
		{ "★", "*" }, { "☆", "." }, { "✗", "x" }, { "◂", "<" },
		{ "▸", ">" }, { "┊", ":" },
	};
	size_t	i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], g) == 0)
			return (map[i][1]);
	return ("?");
}

int
canvas_put(struct canvas *c, int x, int y, int max, enum role role,
    const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 g[5];
	int			 used = 0, n;

	if (y < 0 || y >= c->h)
		return (0);
	while (*p != '\0' && used < max && x + used < c->w) {
		n = seqlen(p);
		if (*p < 0x20 || *p == 0x7f)
			strcpy(g, "?");
		else if (n == 1 && *p >= 0x80)
			strcpy(g, "?");
		else {
			memcpy(g, p, n);
			g[n] = '\0';
			if (!one_column(g, n))
				strcpy(g, "?");
		}
		if (n > 1 && (c->gl == NULL || !c->gl->utf8)) {
			/* An ASCII terminal gets ASCII, never raw bytes. */
			const char *a = ascii_for(g);

			while (*a != '\0' && used < max && x + used < c->w) {
				char one[2] = { *a++, '\0' };

				canvas_cell(c, x + used++, y, role, one);
			}
			p += n;
			continue;
		}
		if (x + used >= 0)
			canvas_cell(c, x + used, y, role, g);
		p += n;
		used++;
	}
	return (used);
}

int
canvas_printf(struct canvas *c, int x, int y, int max, enum role role,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	n = canvas_put(c, x, y, max, role, s);
	free(s);
	return (n);
}

void
canvas_put_right(struct canvas *c, int x, int y, int w, enum role role,
    const char *s)
{
	int	n = utf8_width(s);

	if (n > w)
		n = w;
	canvas_put(c, x + w - n, y, n, role, s);
}

void
canvas_box(struct canvas *c, struct rect r, const char *title, enum role role)
{
	const struct glyphs	*g = c->gl;
	int			 x, y;

	if (r.w < 2 || r.h < 2)
		return;
	for (x = r.x + 1; x < r.x + r.w - 1; x++) {
		canvas_cell(c, x, r.y, ROLE_DIM, g->h);
		canvas_cell(c, x, r.y + r.h - 1, ROLE_DIM, g->h);
	}
	for (y = r.y + 1; y < r.y + r.h - 1; y++) {
		canvas_cell(c, r.x, y, ROLE_DIM, g->v);
		canvas_cell(c, r.x + r.w - 1, y, ROLE_DIM, g->v);
	}
	canvas_cell(c, r.x, r.y, ROLE_DIM, g->tl);
	canvas_cell(c, r.x + r.w - 1, r.y, ROLE_DIM, g->tr);
	canvas_cell(c, r.x, r.y + r.h - 1, ROLE_DIM, g->bl);
	canvas_cell(c, r.x + r.w - 1, r.y + r.h - 1, ROLE_DIM, g->br);
	if (title != NULL && *title != '\0' && r.w > 6) {
		canvas_cell(c, r.x + 1, r.y, ROLE_DIM, " ");
		x = canvas_put(c, r.x + 2, r.y, r.w - 5, role, title);
		canvas_cell(c, r.x + 2 + x, r.y, ROLE_DIM, " ");
	}
}

struct rect
rect_inner(struct rect r)
{
	return ((struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 });
}

char *
canvas_row_text(const struct canvas *c, int y)
{
	struct buf	b;
	size_t		keep = 0;
	int		x;

	buf_init(&b);
	if (y < 0 || y >= c->h)
		return (buf_steal(&b));
	for (x = 0; x < c->w; x++) {
		buf_puts(&b, c->cells[y * c->w + x].ch);
		if (strcmp(c->cells[y * c->w + x].ch, " ") != 0)
			keep = b.len;
	}
	b.len = keep;
	if (b.data != NULL)
		b.data[keep] = '\0';
	return (buf_steal(&b));
}

char *
canvas_text(const struct canvas *c)
{
	struct buf	 b;
	char		*row;
	int		 y;

	buf_init(&b);
	for (y = 0; y < c->h; y++) {
		row = canvas_row_text(c, y);
		buf_puts(&b, row);
		buf_putc(&b, '\n');
		free(row);
	}
	return (buf_steal(&b));
}
