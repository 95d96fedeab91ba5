/* A text field: single- or multi-line UTF-8 editing, optionally masked (PINs).
 * The buffer is allocated once at its full size and wiped on clear and free,
 * so no realloc ever leaves a copy of a PIN or a justification behind. */
#ifndef CHARTGATE_FIELD_H
#define CHARTGATE_FIELD_H

#include <stddef.h>

#include "tui/theme.h"

enum field_flags {
	FIELD_MASKED = 1 << 0,		/* draw a bullet per character */
	FIELD_MULTILINE = 1 << 1,	/* Enter inserts a newline; Up/Down move by line */
};

struct field {
	char *buf;		/* NUL-terminated UTF-8 */
	size_t len;		/* bytes used */
	size_t cap;		/* bytes available, excluding the NUL */
	size_t cursor;		/* byte offset, always on a character boundary */
	int scroll;		/* first visible row (multi-line) */
	unsigned flags;
};

/* 0, or -1 when the buffer cannot be allocated. */
int field_init(struct field *, size_t max_bytes, unsigned flags);
void field_free(struct field *);		/* wipes, frees, zeroes */
void field_clear(struct field *);		/* wipes the text, keeps the buffer */
int field_set(struct field *, const char *text);	/* 0, or -1 when too long */

/* Edits or moves for one key; 1 when the key was the field's. Enter is the
 * field's only when multi-line. */
int field_key(struct field *, int key);

const char *field_text(const struct field *);
size_t field_chars(const struct field *);	/* characters, not bytes */
/* Characters excluding leading and trailing white space. */
size_t field_chars_trimmed(const struct field *);

/* Draws into [y, y+rows) x [x, x+cols); with focus, places the terminal cursor. */
void field_draw(struct field *, int y, int x, int cols, int rows, enum color_role role,
    int focused);

#endif
