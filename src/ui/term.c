/*
 * ncurses behind the console.  Roles become colour pairs, or bold, dim and
 * reverse on a monochrome terminal or under NO_COLOR (ncurses ignores
 * NO_COLOR itself).  Every fatal path ends curses first.
 */
#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "ui/term.h"
#include "util/xmalloc.h"

static int		 t_open;
static int		 t_utf8;
static int		 t_bell;
static enum color_mode	 t_color;
static attr_t		 t_attr[ROLE__COUNT];
static SCREEN		*t_screen;

void
term_close(void)
{
	if (!t_open)
		return;
	t_open = 0;
	curs_set(1);
	endwin();
	if (t_screen != NULL) {
		delscreen(t_screen);
		t_screen = NULL;
	}
	fflush(stdout);
}

static void
fatal_signal(int sig)
{
	/* Leave the terminal usable, then die as the signal meant. */
	term_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
pair(int role, short n, short fg, short bg, attr_t extra)
{
	init_pair(n, fg, bg);
	t_attr[role] = COLOR_PAIR(n) | extra;
}

static void
setup_colors(void)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	for (i = 0; i < ROLE__COUNT; i++)
		t_attr[i] = A_NORMAL;
	t_color = COLOR_NONE;
	if ((nc == NULL || *nc == '\0') && has_colors()) {
		start_color();
		use_default_colors();
		t_color = COLORS >= 256 ? COLOR_256 : COLOR_8;
	}
	switch (t_color) {
	case COLOR_256:
		/* Okabe-Ito hues: told apart without red-green vision. */
		t_attr[ROLE_DIM] = A_DIM;
		t_attr[ROLE_BOLD] = A_BOLD;
		pair(ROLE_TITLE, 1, 75, -1, A_BOLD);
		pair(ROLE_OK, 2, 39, -1, 0);
		pair(ROLE_WARN, 3, 214, -1, A_BOLD);
		pair(ROLE_CRIT, 4, 202, -1, A_BOLD);
		pair(ROLE_ACK, 5, 245, -1, 0);
		pair(ROLE_ACCENT, 6, 176, -1, A_BOLD);
		pair(ROLE_INFO, 7, 80, -1, 0);
		pair(ROLE_BAR, 8, 255, 237, 0);
		pair(ROLE_SELECT, 9, 255, 239, A_BOLD);
		pair(ROLE_FLASH, 10, 231, 202, A_BOLD);
		break;
	case COLOR_8:
		t_attr[ROLE_DIM] = A_DIM;
		t_attr[ROLE_BOLD] = A_BOLD;
		pair(ROLE_TITLE, 1, COLOR_CYAN, -1, A_BOLD);
		pair(ROLE_OK, 2, COLOR_BLUE, -1, 0);
		pair(ROLE_WARN, 3, COLOR_YELLOW, -1, A_BOLD);
		pair(ROLE_CRIT, 4, COLOR_RED, -1, A_BOLD);
		t_attr[ROLE_ACK] = A_DIM;
		pair(ROLE_ACCENT, 6, COLOR_MAGENTA, -1, A_BOLD);
		pair(ROLE_INFO, 7, COLOR_CYAN, -1, 0);
		t_attr[ROLE_BAR] = A_REVERSE;
		t_attr[ROLE_SELECT] = A_REVERSE | A_BOLD;
		pair(ROLE_FLASH, 10, COLOR_WHITE, COLOR_RED, A_BOLD);
		break;
	case COLOR_NONE:
		t_attr[ROLE_DIM] = A_DIM;
		t_attr[ROLE_BOLD] = A_BOLD;
		t_attr[ROLE_TITLE] = A_BOLD;
		t_attr[ROLE_WARN] = A_BOLD;
		t_attr[ROLE_CRIT] = A_BOLD | A_UNDERLINE;
		t_attr[ROLE_ACK] = A_DIM;
		t_attr[ROLE_ACCENT] = A_UNDERLINE;
		t_attr[ROLE_BAR] = A_REVERSE;
		t_attr[ROLE_SELECT] = A_REVERSE;
		t_attr[ROLE_FLASH] = A_REVERSE | A_BOLD;
		break;
	}
}

int
term_open(int want_bell, char **cause)
{
	const char	*term = getenv("TERM");
	const char	*cs;

	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		*cause = xstrdup("the console needs a terminal; for headless"
		    " play use 'firedrill run INCIDENT'");
		return (-1);
	}
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		*cause = xasprintf("TERM=%s cannot draw the console; set TERM"
		    " (e.g. xterm-256color) or use 'firedrill run'",
		    term != NULL ? term : "");
		return (-1);
	}
	if ((t_screen = newterm(NULL, stdout, stdin)) == NULL) {
		*cause = xasprintf("the terminal type '%s' is unknown here;"
		    " set TERM or use 'firedrill run'", term);
		return (-1);
	}
	set_term(t_screen);
	t_open = 1;
	atexit(term_close);
	signal(SIGTERM, fatal_signal);
	signal(SIGHUP, fatal_signal);
	signal(SIGSEGV, fatal_signal);
	signal(SIGABRT, fatal_signal);
	signal(SIGBUS, fatal_signal);
	signal(SIGFPE, fatal_signal);
	cs = nl_langinfo(CODESET);
	t_utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	t_bell = want_bell;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	setup_colors();
	curs_set(1);
	return (0);
}

int
term_utf8(void)
{
	return (t_utf8);
}

enum color_mode
term_color_mode(void)
{
	return (t_color);
}

void
term_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

static int
map_key(int code)
{
	switch (code) {
	case KEY_RESIZE:	return (K_RESIZE);
	case KEY_UP:		return (K_UP);
	case KEY_DOWN:		return (K_DOWN);
	case KEY_LEFT:		return (K_LEFT);
	case KEY_RIGHT:		return (K_RIGHT);
	case KEY_HOME:		return (K_HOME);
	case KEY_END:		return (K_END);
	case KEY_DC:		return (K_DEL);
	case KEY_BACKSPACE:	return (K_BACKSPACE);
	case KEY_PPAGE:		return (K_PGUP);
	case KEY_NPAGE:		return (K_PGDN);
	case KEY_F(1):		return (K_F1);
	case KEY_F(5):		return (K_F5);
	case KEY_ENTER:		return (K_ENTER);
	case KEY_BTAB:		return (K_BTAB);
	default:		return (K_NONE);
	}
}

int
term_key(int timeout_ms)
{
	wint_t	wc;
	int	rc;

	wtimeout(stdscr, timeout_ms);
	rc = wget_wch(stdscr, &wc);
	if (rc == ERR)
		return (K_NONE);
	if (rc == KEY_CODE_YES)
		return (map_key((int)wc));
	if (wc == 27) {
		/* Alt-N arrives as Esc then N, within the escape delay. */
		wint_t	next;

		wtimeout(stdscr, 0);
		if (wget_wch(stdscr, &next) == OK) {
			if (next >= '1' && next <= '5')
				return (K_ALT1 + (int)(next - '1'));
			unget_wch((wchar_t)next);
		}
		return (27);
	}
	if (wc == '\r' || wc == '\n')
		return (K_ENTER);
	if (wc == '\t')
		return (K_TAB);
	if (wc == 127 || wc == 8)
		return (K_BACKSPACE);
	return ((int)wc);
}

void
term_draw(const struct canvas *c)
{
	int	x, y, w, h;

	getmaxyx(stdscr, h, w);
	for (y = 0; y < c->h && y < h; y++) {
		for (x = 0; x < c->w && x < w; x++) {
			const struct cell *cl = &c->cells[y * c->w + x];

			/* The last cell would scroll the screen: skip it. */
			if (y == h - 1 && x == w - 1)
				continue;
			attrset(t_attr[cl->role]);
			mvaddstr(y, x, cl->ch);
		}
	}
	attrset(A_NORMAL);
	if (c->cursor_on) {
		curs_set(1);
		move(c->cur_y, c->cur_x);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

void
term_bell(void)
{
	if (t_bell)
		beep();
}
