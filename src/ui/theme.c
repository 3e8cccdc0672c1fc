/*
 * The two glyph sets.  ASCII keeps the same meanings: X CRIT, ! WARN,
 * * OK, v ack, as CONSOLE.md lays out.
 */
#include "ui/theme.h"

static const struct glyphs unicode = {
	1,
	"─", "│", "┌", "┐", "└", "┘",
	"●", "▲", "✖", "✓", "·",
	"✓", "●", "○", "!",
	"▶", "⏸", "→", "▲", "…", "·",
	"█", "░", "×", "↳",
	{ " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
};

static const struct glyphs ascii = {
	0,
	"-", "|", "+", "+", "+", "+",
	"*", "!", "X", "v", ".",
	"v", "*", "o", "!",
	">", "||", "->", "^", "~", ".",
	"#", ".", "x", "\\",
	{ " ", ".", ":", "-", "=", "+", "*", "#", "@" },
};

const struct glyphs *
glyphs_get(int utf8)
{
	return (utf8 ? &unicode : &ascii);
}
