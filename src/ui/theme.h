/*
 * Glyphs and colour capabilities: Unicode box drawing, braille and block
 * glyphs when the locale is UTF-8, an ASCII set otherwise; 256, 8 or no
 * colours.  State is always a symbol and a word first, colour second.
 */
#ifndef FD_THEME_H
#define FD_THEME_H

struct glyphs {
	int		 utf8;
	const char	*h, *v, *tl, *tr, *bl, *br;	/* box */
	const char	*ok, *warn, *crit, *ack, *idle;	/* state symbols */
	const char	*done, *running, *waiting, *late;	/* phases */
	const char	*play, *pause, *arrow, *marker, *ellipsis, *dot;
	const char	*bar_full, *bar_empty, *times, *sub;
	const char	*ramp[9];	/* sparkline levels, low to high */
};

/* The glyph set for the current locale (utf8 from nl_langinfo). */
const struct glyphs *glyphs_get(int utf8);

enum color_mode {
	COLOR_NONE,	/* NO_COLOR, monochrome terminal: attributes only */
	COLOR_8,
	COLOR_256,
};

#endif
