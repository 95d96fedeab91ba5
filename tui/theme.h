/* Colour themes: roles named by purpose, parsed from plain-text files (no ncurses here). */
#ifndef CHARTGATE_TUI_THEME_H
#define CHARTGATE_TUI_THEME_H

#include <stddef.h>

enum color_role {
	ROLE_NORMAL = 0,
	ROLE_TITLE,
	ROLE_STATUS,
	ROLE_HINTS,
	ROLE_SELECTION,
	ROLE_ERROR,
	ROLE_WARNING,
	ROLE_SENSITIVE,
	ROLE_BREAKGLASS,
	ROLE_DEMO,
	ROLE_LOCK,
	ROLE_DIM,
	ROLE_INPUT,
	ROLE_COUNT
};

/* Attributes as our own bits; the tui maps them to A_BOLD etc. */
enum theme_attr {
	THEME_ATTR_NORMAL	= 0,
	THEME_ATTR_BOLD		= 1 << 0,
	THEME_ATTR_REVERSE	= 1 << 1,
	THEME_ATTR_UNDERLINE	= 1 << 2,
	THEME_ATTR_DIM		= 1 << 3,
};

#define THEME_COLOR_DEFAULT	(-1)	/* the terminal's own fg/bg */

struct theme_style {
	short fg;		/* THEME_COLOR_DEFAULT or 0..255 */
	short bg;
	unsigned attrs;		/* enum theme_attr bits */
};

struct theme {
	char name[64];
	struct theme_style role[ROLE_COUNT];
};

enum theme_err {
	THEME_OK = 0,
	THEME_ERR_ARG,
	THEME_ERR_IO,		/* cannot open/read the file, or it is too big */
	THEME_ERR_SYNTAX,	/* wrong number of fields, line too long, NUL byte */
	THEME_ERR_ROLE,		/* unknown role name */
	THEME_ERR_COLOR,	/* unknown colour */
	THEME_ERR_ATTR,		/* unknown attribute */
};
const char *theme_strerror(int err);

/* Line format: `role fg bg attrs` (attrs comma-separated, e.g. bold,reverse);
 * '#' starts a comment; blank lines ignored. Colours: default black red
 * green yellow blue magenta cyan white, color0..color255. Roles a file does
 * not name keep the built-in default's style. All-or-nothing: *out is only
 * written on success; on error err gets "PATH:LINE: what is wrong". */
int theme_parse_file(const char *path, struct theme *out, char *err, size_t errlen);
/* Same on a string; name is used in messages ("<builtin>"). */
int theme_parse_string(const char *text, const char *name, struct theme *out,
    char *err, size_t errlen);

/* Built-ins: default (colour-blind-safe, meaning never by colour alone) and
 * monochrome (only reverse/bold/underline/dim, no colours; for !has_colors() or NO_COLOR). */
void theme_builtin_default(struct theme *out);
void theme_builtin_monochrome(struct theme *out);

/* "normal", "title", ...; NULL for an out-of-range role. */
const char *theme_role_name(enum color_role role);
/* The role for a name, or -1. */
int theme_role_from_name(const char *name);
/* 1 when any role uses a colour (the tui then needs start_color()). */
int theme_uses_color(const struct theme *t);

#endif
