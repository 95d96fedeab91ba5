/* Drawing on the terminal: theme roles to ncurses attributes, sanitised text. */
#include "draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/sanitize.h"

static attr_t role_attr[ROLE_COUNT];
static int cursor_y = -1, cursor_x = -1;
static char theme_name[64] = "monochrome";

static attr_t
map_attrs(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & THEME_ATTR_BOLD)
		r |= A_BOLD;
	if (a & THEME_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_ATTR_DIM)
		r |= A_DIM;
	return r;
}

static short
fit_color(short c)
{
	if (c == THEME_COLOR_DEFAULT)
		return -1;
	return c < COLORS ? c : (short)(c % 8);
}

void
draw_set_theme(const struct theme *t)
{
	struct theme mono;
	const char *nc = getenv("NO_COLOR");
	int i;

	if (t == NULL || !has_colors() || (nc != NULL && nc[0] != '\0') ||
	    !theme_uses_color(t)) {
		theme_builtin_monochrome(&mono);
		if (t != NULL && !theme_uses_color(t))
			mono = *t;	/* a colourless theme file is honoured as is */
		t = &mono;
		for (i = 0; i < ROLE_COUNT; i++)
			role_attr[i] = map_attrs(t->role[i].attrs);
	} else {
		start_color();
		use_default_colors();
		for (i = 0; i < ROLE_COUNT && i + 1 < COLOR_PAIRS; i++) {
			init_pair((short)(i + 1), fit_color(t->role[i].fg),
			    fit_color(t->role[i].bg));
			role_attr[i] = COLOR_PAIR(i + 1) | map_attrs(t->role[i].attrs);
		}
	}
	snprintf(theme_name, sizeof(theme_name), "%s", t->name);
}

const char *
draw_theme_name(void)
{
	return theme_name;
}

/* Sanitises into a buffer big enough for what fits on any terminal row. */
static char *
safe_copy(const char *text, char *stack, size_t stacksz, unsigned flags)
{
	size_t n = strlen(text);
	char *buf = stack;

	if (SANITIZE_MAX_OUT(n) > stacksz) {
		buf = malloc(SANITIZE_MAX_OUT(n));
		if (buf == NULL) {
			snprintf(stack, stacksz, "?");
			return stack;
		}
	}
	sanitize_buf(text, n, buf, SANITIZE_MAX_OUT(n), flags);
	return buf;
}

/* Printable ASCII, nearly every cell drawn, goes in as chtypes: waddstr runs each byte
 * through ncursesw's multibyte assembly, which was most of a keypress's drawing in the
 * reviewer queue (~120 cells a frame). -1: not all ASCII, or longer than a line can be;
 * the caller draws it with waddstr. The frame began with erase(), so no wide character
 * is left half-overwritten. */
static int
add_ascii(int y, int x, const char *s, attr_t attr)
{
	chtype cells[512];
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] >= 0x80 || i + 1 >= sizeof(cells) / sizeof(cells[0]))
			return -1;
		cells[i] = (chtype)(unsigned char)s[i] | attr;
	}
	cells[i] = 0;
	mvaddchnstr(y, x, cells, (int)i);
	return 0;
}

int
draw_text(int y, int x, int cols, enum color_role role, const char *text)
{
	char stack[1024];
	char *safe;
	size_t w;

	if (cols <= 0 || text == NULL || role < 0 || role >= ROLE_COUNT)
		return 0;
	safe = safe_copy(text, stack, sizeof(stack), 0);
	w = sanitize_truncate(safe, strlen(safe) + 1, (size_t)cols, SANITIZE_ELLIPSIS);
	if (add_ascii(y, x, safe, role_attr[role]) != 0) {
		attrset(role_attr[role]);
		mvaddstr(y, x, safe);
		attrset(A_NORMAL);
	}
	if (safe != stack)
		free(safe);
	return (int)w;
}

int
draw_line(int y, int x, int cols, enum color_role role, const char *text)
{
	int w = draw_text(y, x, cols, role, text ? text : "");

	if (cols > w) {
		attrset(role_attr[role]);
		mvhline(y, x + w, ' ', cols - w);
		attrset(A_NORMAL);
	}
	return cols;
}

int
draw_textf(int y, int x, int cols, enum color_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(y, x, cols, role, buf);
}

size_t
draw_width(const char *text)
{
	char stack[1024];
	char *safe;
	size_t w;

	if (text == NULL)
		return 0;
	safe = safe_copy(text, stack, sizeof(stack), 0);
	w = sanitize_width(safe);
	if (safe != stack)
		free(safe);
	return w;
}

int
draw_wrapped(int y, int x, int cols, int rows, enum color_role role, const char *text)
{
	char stack[1024];
	char *safe, *p;
	int used = 0;

	if (cols <= 0 || rows <= 0 || text == NULL)
		return 0;
	safe = safe_copy(text, stack, sizeof(stack), SANITIZE_KEEP_NEWLINE);
	p = safe;
	attrset(role_attr[role]);
	while (*p != '\0' && used < rows) {
		size_t w, n = sanitize_fit(p, (size_t)cols, &w);
		char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		/* Break at the last space when a word would be cut. */
		if (nl == NULL && p[n] != '\0' && p[n] != '\n') {
			size_t k = n;
			while (k > 0 && p[k - 1] != ' ')
				k--;
			if (k > 0)
				take = k;
		}
		mvaddnstr(y + used, x, p, (int)take);
		used++;
		p += take;
		while (*p == ' ' || *p == '\n') {
			if (*p++ == '\n')
				break;
		}
		if (n == 0 && take == 0 && *p != '\0')
			p++;	/* a character wider than the column: skip it */
	}
	attrset(A_NORMAL);
	if (safe != stack)
		free(safe);
	return used;
}

void
draw_cursor(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

void
draw_frame_begin(void)
{
	cursor_y = cursor_x = -1;
	erase();
}

void
draw_frame_end(void)
{
	if (cursor_y >= 0) {
		move(cursor_y, cursor_x);
		curs_set(1);
	} else
		curs_set(0);
	refresh();
}
