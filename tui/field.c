/* A text field: single- or multi-line UTF-8 editing, optionally masked. */
#include "tui/field.h"

#include <curses.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/draw.h"
#include "tui/term.h"

int
field_init(struct field *f, size_t max_bytes, unsigned flags)
{
	memset(f, 0, sizeof(*f));
	if ((f->buf = calloc(1, max_bytes + 1)) == NULL)
		return -1;
	f->cap = max_bytes;
	f->flags = flags;
	return 0;
}

void
field_clear(struct field *f)
{
	if (f->buf != NULL)
		OPENSSL_cleanse(f->buf, f->cap + 1);
	f->len = f->cursor = 0;
	f->scroll = 0;
}

void
field_free(struct field *f)
{
	field_clear(f);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

const char *
field_text(const struct field *f)
{
	return f->buf != NULL ? f->buf : "";
}

static int
is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

size_t
field_chars(const struct field *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->len; i++)
		if (!is_cont(f->buf[i]))
			n++;
	return n;
}

size_t
field_chars_trimmed(const struct field *f)
{
	size_t a = 0, b = f->len, i, n = 0;

	while (a < b && (f->buf[a] == ' ' || f->buf[a] == '\n' || f->buf[a] == '\t'))
		a++;
	while (b > a && (f->buf[b - 1] == ' ' || f->buf[b - 1] == '\n' || f->buf[b - 1] == '\t'))
		b--;
	for (i = a; i < b; i++)
		if (!is_cont(f->buf[i]))
			n++;
	return n;
}

static size_t
utf8_encode(int cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
insert(struct field *f, const char *s, size_t n)
{
	if (f->len + n > f->cap)
		return 0;	/* full: the key is still ours, nothing is lost */
	memmove(f->buf + f->cursor + n, f->buf + f->cursor, f->len - f->cursor + 1);
	memcpy(f->buf + f->cursor, s, n);
	f->len += n;
	f->cursor += n;
	return 1;
}

int
field_set(struct field *f, const char *text)
{
	size_t n = strlen(text);

	if (n > f->cap)
		return -1;
	field_clear(f);
	memcpy(f->buf, text, n);
	f->len = f->cursor = n;
	return 0;
}

static size_t
prev_char(const struct field *f, size_t at)
{
	if (at == 0)
		return 0;
	do
		at--;
	while (at > 0 && is_cont(f->buf[at]));
	return at;
}

static size_t
next_char(const struct field *f, size_t at)
{
	if (at >= f->len)
		return f->len;
	do
		at++;
	while (at < f->len && is_cont(f->buf[at]));
	return at;
}

static void
delete_range(struct field *f, size_t a, size_t b)
{
	memmove(f->buf + a, f->buf + b, f->len - b + 1);
	OPENSSL_cleanse(f->buf + f->len - (b - a), b - a);
	f->len -= b - a;
	f->buf[f->len] = '\0';
	f->cursor = a;
}

static size_t
line_start(const struct field *f, size_t at)
{
	while (at > 0 && f->buf[at - 1] != '\n')
		at--;
	return at;
}

static size_t
line_end(const struct field *f, size_t at)
{
	while (at < f->len && f->buf[at] != '\n')
		at++;
	return at;
}

/* Moves to the same character column on the line before (dir -1) or after (+1). */
static void
move_line(struct field *f, int dir)
{
	size_t start = line_start(f, f->cursor), col = 0, p, target;

	for (p = start; p < f->cursor; p = next_char(f, p))
		col++;
	if (dir < 0) {
		if (start == 0)
			return;
		target = line_start(f, start - 1);
	} else {
		size_t end = line_end(f, f->cursor);
		if (end >= f->len)
			return;
		target = end + 1;
	}
	for (p = target; col > 0 && p < f->len && f->buf[p] != '\n'; col--)
		p = next_char(f, p);
	f->cursor = p;
}

int
field_key(struct field *f, int key)
{
	char enc[4];
	int cp;

	switch (key) {
	case KEY_LEFT:
		f->cursor = prev_char(f, f->cursor);
		return 1;
	case KEY_RIGHT:
		f->cursor = next_char(f, f->cursor);
		return 1;
	case KEY_HOME:
	case KEY_CTRL('a'):
		f->cursor = line_start(f, f->cursor);
		return 1;
	case KEY_END:
	case KEY_CTRL('e'):
		f->cursor = line_end(f, f->cursor);
		return 1;
	case KEY_BACKSPACE:
	case KEY_DEL:
	case KEY_CTRL('h'):
		if (f->cursor > 0)
			delete_range(f, prev_char(f, f->cursor), f->cursor);
		return 1;
	case KEY_DC:
		if (f->cursor < f->len)
			delete_range(f, f->cursor, next_char(f, f->cursor));
		return 1;
	case KEY_CTRL('u'):
		delete_range(f, line_start(f, f->cursor), f->cursor);
		return 1;
	case KEY_UP:
	case KEY_DOWN:
		if (!(f->flags & FIELD_MULTILINE))
			return 0;
		move_line(f, key == KEY_UP ? -1 : 1);
		return 1;
	case KEY_RET:
	case KEY_LF:
	case KEY_ENTER:
		if (!(f->flags & FIELD_MULTILINE))
			return 0;
		insert(f, "\n", 1);
		return 1;
	default:
		break;
	}
	if ((cp = key_char(key)) < 0)
		return 0;
	insert(f, enc, utf8_encode(cp, enc));
	return 1;
}

/* ---- drawing ---- */

/* Columns of the character at p (one bullet when masked). */
static int
char_cols(const struct field *f, size_t p)
{
	wchar_t wc;
	mbstate_t st;
	int w;

	if (f->flags & FIELD_MASKED)
		return 1;
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, f->buf + p, next_char(f, p) - p, &st) > 4)
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* The byte where visual row `row` starts when soft-wrapped at cols; also the
 * row and column of the cursor. Returns the number of visual rows. */
static int
layout(const struct field *f, int cols, int want_row, size_t *row_start,
    int *cur_row, int *cur_col)
{
	size_t p = 0;
	int row = 0, col = 0;

	*row_start = want_row == 0 ? 0 : f->len;
	*cur_row = *cur_col = 0;
	while (1) {
		if (p == f->cursor) {
			*cur_row = row;
			*cur_col = col;
		}
		if (p >= f->len)
			break;
		if (f->buf[p] == '\n' || col + char_cols(f, p) > cols) {
			int hard = f->buf[p] == '\n';
			row++;
			col = 0;
			if (hard)
				p++;
			if (row == want_row)
				*row_start = p;
			if (hard)
				continue;
		}
		col += char_cols(f, p);
		p = next_char(f, p);
	}
	return row + 1;
}

static void
draw_row(const struct field *f, int y, int x, int cols, enum color_role role, size_t start)
{
	char buf[1024];
	size_t p = start, o = 0;
	int col = 0;

	while (p < f->len && f->buf[p] != '\n' && col + char_cols(f, p) <= cols &&
	    o + 8 < sizeof(buf)) {
		size_t n = next_char(f, p) - p;
		if (f->flags & FIELD_MASKED) {
			memcpy(buf + o, "\xe2\x80\xa2", 3);	/* U+2022 bullet */
			o += 3;
		} else {
			memcpy(buf + o, f->buf + p, n);
			o += n;
		}
		col += char_cols(f, p);
		p += n;
	}
	buf[o] = '\0';
	draw_line(y, x, cols, role, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
}

void
field_draw(struct field *f, int y, int x, int cols, int rows, enum color_role role,
    int focused)
{
	size_t start;
	int r, nrows, cur_row, cur_col;

	if (cols < 2 || rows < 1 || f->buf == NULL)
		return;
	cols--;		/* room for the cursor after the last character */
	nrows = layout(f, cols, -1, &start, &cur_row, &cur_col);
	if (!(f->flags & FIELD_MULTILINE))
		rows = 1;
	if (cur_row < f->scroll)
		f->scroll = cur_row;
	if (cur_row >= f->scroll + rows)
		f->scroll = cur_row - rows + 1;
	for (r = 0; r < rows; r++) {
		if (f->scroll + r < nrows) {
			layout(f, cols, f->scroll + r, &start, &cur_row, &cur_col);
			draw_row(f, y + r, x, cols + 1, role, start);
		} else
			draw_line(y + r, x, cols + 1, role, "");
	}
	if (focused) {
		layout(f, cols, -1, &start, &cur_row, &cur_col);
		draw_cursor(y + cur_row - f->scroll, x + cur_col);
	}
}
