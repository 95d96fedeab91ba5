/* Drawing on the terminal: theme roles to ncurses attributes, and text that
 * always passes the sanitiser on its way to the screen. */
#ifndef CHARTGATE_DRAW_H
#define CHARTGATE_DRAW_H

#include <stddef.h>

#include "tui/theme.h"

/* Makes t the active theme; monochrome is forced when the terminal has no
 * colours or NO_COLOR is set. Call after term_init. */
void draw_set_theme(const struct theme *t);
const char *draw_theme_name(void);

/* Text at (y, x) in role, cut to at most `cols` columns (with "…" when cut).
 * The text may be anything a server sent: it is sanitised here, the only way
 * text reaches the terminal. Returns the columns used. */
int draw_text(int y, int x, int cols, enum color_role role, const char *text);
/* Same, padded with spaces to exactly `cols` columns (a full bar or row). */
int draw_line(int y, int x, int cols, enum color_role role, const char *text);
/* printf-style into draw_text (trusted format, untrusted %s arguments are
 * still sanitised because the whole result is). */
int draw_textf(int y, int x, int cols, enum color_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Wraps text to `cols` columns from row y, at most `rows` rows; returns rows used. */
int draw_wrapped(int y, int x, int cols, int rows, enum color_role role, const char *text);
/* The terminal cursor: shown at (y, x) after this frame, hidden otherwise.
 * draw_frame_begin() forgets the last frame's, draw_frame_end() applies it. */
void draw_cursor(int y, int x);
void draw_frame_begin(void);
void draw_frame_end(void);
/* Width in columns that draw_text would use for text, uncut. */
size_t draw_width(const char *text);

#endif
