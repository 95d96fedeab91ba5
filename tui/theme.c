/* Colour themes: roles named by purpose, parsed from plain-text files (no ncurses here). */
#include "tui/theme.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THEME_FILE	65536
#define MAX_LINE	512

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NORMAL] = "normal",
	[ROLE_TITLE] = "title",
	[ROLE_STATUS] = "status",
	[ROLE_HINTS] = "hints",
	[ROLE_SELECTION] = "selection",
	[ROLE_ERROR] = "error",
	[ROLE_WARNING] = "warning",
	[ROLE_SENSITIVE] = "sensitive",
	[ROLE_BREAKGLASS] = "breakglass",
	[ROLE_DEMO] = "demo",
	[ROLE_LOCK] = "lock",
	[ROLE_DIM] = "dim",
	[ROLE_INPUT] = "input",
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

enum { D = THEME_COLOR_DEFAULT, BLACK = 0, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE };
#define B THEME_ATTR_BOLD
#define R THEME_ATTR_REVERSE
#define U THEME_ATTR_UNDERLINE
#define M THEME_ATTR_DIM

/* Must say the same as themes/default.theme (a unit test holds them together).
 * Meaning never rides on colour alone: every alarm role is also bold,
 * underlined or reversed, and red/green are never the only difference. */
static const struct theme_style default_styles[ROLE_COUNT] = {
	[ROLE_NORMAL]     = { D, D, 0 },
	[ROLE_TITLE]      = { WHITE, BLUE, B },
	[ROLE_STATUS]     = { BLACK, CYAN, 0 },
	[ROLE_HINTS]      = { CYAN, D, 0 },
	[ROLE_SELECTION]  = { BLACK, YELLOW, B },
	[ROLE_ERROR]      = { WHITE, RED, B },
	[ROLE_WARNING]    = { YELLOW, D, B | U },
	[ROLE_SENSITIVE]  = { MAGENTA, D, B | U },
	[ROLE_BREAKGLASS] = { WHITE, MAGENTA, B },
	[ROLE_DEMO]       = { WHITE, BLUE, B | U },
	[ROLE_LOCK]       = { WHITE, BLUE, B },
	[ROLE_DIM]        = { D, D, M },
	[ROLE_INPUT]      = { D, D, U },
};

/* Reverse and bold only: they work on every terminal, colour or not. */
static const struct theme_style mono_styles[ROLE_COUNT] = {
	[ROLE_NORMAL]     = { D, D, 0 },
	[ROLE_TITLE]      = { D, D, B },
	[ROLE_STATUS]     = { D, D, R },
	[ROLE_HINTS]      = { D, D, 0 },
	[ROLE_SELECTION]  = { D, D, R },
	[ROLE_ERROR]      = { D, D, R | B },
	[ROLE_WARNING]    = { D, D, B },
	[ROLE_SENSITIVE]  = { D, D, B },
	[ROLE_BREAKGLASS] = { D, D, R | B },
	[ROLE_DEMO]       = { D, D, R },
	[ROLE_LOCK]       = { D, D, B },
	[ROLE_DIM]        = { D, D, 0 },
	[ROLE_INPUT]      = { D, D, B },
};

#undef B
#undef R
#undef U
#undef M

const char *
theme_strerror(int err)
{
	switch (err) {
	case THEME_OK:		return "ok";
	case THEME_ERR_ARG:	return "invalid argument";
	case THEME_ERR_IO:	return "cannot read theme file";
	case THEME_ERR_SYNTAX:	return "malformed theme line";
	case THEME_ERR_ROLE:	return "unknown role";
	case THEME_ERR_COLOR:	return "unknown colour";
	case THEME_ERR_ATTR:	return "unknown attribute";
	}
	return "unknown error";
}

const char *
theme_role_name(enum color_role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return NULL;
	return role_names[role];
}

int
theme_role_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(name, role_names[i]) == 0)
			return i;
	return -1;
}

void
theme_builtin_default(struct theme *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "default");
	memcpy(out->role, default_styles, sizeof out->role);
}

void
theme_builtin_monochrome(struct theme *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "monochrome");
	memcpy(out->role, mono_styles, sizeof out->role);
}

int
theme_uses_color(const struct theme *t)
{
	int i;

	if (t == NULL)
		return 0;
	for (i = 0; i < ROLE_COUNT; i++)
		if (t->role[i].fg != THEME_COLOR_DEFAULT || t->role[i].bg != THEME_COLOR_DEFAULT)
			return 1;
	return 0;
}

static int
parse_color(const char *s, short *out)
{
	size_t i;
	char *end;
	long n;

	if (strcmp(s, "default") == 0) {
		*out = THEME_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < sizeof color_names / sizeof color_names[0]; i++)
		if (strcmp(s, color_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
	if (strncmp(s, "color", 5) != 0 || s[5] < '0' || s[5] > '9')
		return -1;
	errno = 0;
	n = strtol(s + 5, &end, 10);
	if (errno || *end != '\0' || n < 0 || n > 255 || (s[5] == '0' && s[6] != '\0'))
		return -1;
	*out = (short)n;
	return 0;
}

/* attrs: comma-separated names; "normal" alone or mixed adds nothing. */
static int
parse_attrs(char *s, unsigned *out, const char **bad)
{
	char *tok, *save = NULL;
	unsigned a = 0;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "normal") == 0)
			continue;
		else if (strcmp(tok, "bold") == 0)
			a |= THEME_ATTR_BOLD;
		else if (strcmp(tok, "reverse") == 0)
			a |= THEME_ATTR_REVERSE;
		else if (strcmp(tok, "underline") == 0)
			a |= THEME_ATTR_UNDERLINE;
		else if (strcmp(tok, "dim") == 0)
			a |= THEME_ATTR_DIM;
		else {
			*bad = tok;
			return -1;
		}
	}
	*out = a;
	return 0;
}

static int
fail_at(char *err, size_t errlen, const char *name, size_t line, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (err == NULL || errlen == 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%zu: %s", name, line, msg);
	return rc;
}

/* Parses one line (already without its newline) into t. */
static int
parse_line(char *line, struct theme *t, const char *name, size_t lineno, char *err, size_t errlen)
{
	char *tok[5], *save = NULL, *hash;
	const char *bad = NULL;
	struct theme_style st;
	size_t n = 0;
	int role;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	for (tok[n] = strtok_r(line, " \t\r", &save); tok[n] && n < 4;
	    tok[n] = strtok_r(NULL, " \t\r", &save))
		n++;
	if (n == 0)
		return THEME_OK;
	if (n == 4 && tok[4] != NULL)
		return fail_at(err, errlen, name, lineno, THEME_ERR_SYNTAX,
		    "too many fields (expected: role fg bg attrs)");
	if (n < 3)
		return fail_at(err, errlen, name, lineno, THEME_ERR_SYNTAX,
		    "too few fields (expected: role fg bg attrs)");
	if ((role = theme_role_from_name(tok[0])) < 0)
		return fail_at(err, errlen, name, lineno, THEME_ERR_ROLE,
		    "unknown role \"%.32s\"", tok[0]);
	if (parse_color(tok[1], &st.fg) != 0)
		return fail_at(err, errlen, name, lineno, THEME_ERR_COLOR,
		    "unknown foreground colour \"%.32s\"", tok[1]);
	if (parse_color(tok[2], &st.bg) != 0)
		return fail_at(err, errlen, name, lineno, THEME_ERR_COLOR,
		    "unknown background colour \"%.32s\"", tok[2]);
	st.attrs = 0;
	if (n == 4 && parse_attrs(tok[3], &st.attrs, &bad) != 0)
		return fail_at(err, errlen, name, lineno, THEME_ERR_ATTR,
		    "unknown attribute \"%.32s\"", bad);
	t->role[role] = st;
	return THEME_OK;
}

static void
name_from(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".theme") == 0)
		n -= 6;
	snprintf(out, len, "%.*s", (int)n, base);
}

int
theme_parse_string(const char *text, const char *name, struct theme *out,
    char *err, size_t errlen)
{
	struct theme t;
	char line[MAX_LINE + 1];
	size_t lineno = 0;
	const char *p, *nl;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (text == NULL || out == NULL)
		return THEME_ERR_ARG;
	if (name == NULL)
		name = "<theme>";
	/* Work on a copy: the caller's theme changes only when every line is good. */
	theme_builtin_default(&t);
	name_from(name, t.name, sizeof t.name);
	for (p = text; *p; p = nl ? nl + 1 : p + strlen(p)) {
		size_t len;

		lineno++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > MAX_LINE)
			return fail_at(err, errlen, name, lineno, THEME_ERR_SYNTAX,
			    "line longer than %d characters", MAX_LINE);
		memcpy(line, p, len);
		line[len] = '\0';
		if ((rc = parse_line(line, &t, name, lineno, err, errlen)) != THEME_OK)
			return rc;
		if (nl == NULL)
			break;
	}
	*out = t;
	return THEME_OK;
}

int
theme_parse_file(const char *path, struct theme *out, char *err, size_t errlen)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t n;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (path == NULL || out == NULL)
		return THEME_ERR_ARG;
	if ((f = fopen(path, "r")) == NULL) {
		rc = fail_at(err, errlen, path, 0, THEME_ERR_IO, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if ((buf = malloc(MAX_THEME_FILE + 1)) == NULL) {
		rc = fail_at(err, errlen, path, 0, THEME_ERR_IO, "out of memory");
		goto fail;
	}
	n = fread(buf, 1, MAX_THEME_FILE + 1, f);
	if (ferror(f)) {
		rc = fail_at(err, errlen, path, 0, THEME_ERR_IO, "read error");
		goto fail;
	}
	if (n > MAX_THEME_FILE) {
		rc = fail_at(err, errlen, path, 0, THEME_ERR_IO,
		    "larger than %d bytes", MAX_THEME_FILE);
		goto fail;
	}
	if (memchr(buf, '\0', n) != NULL) {
		rc = fail_at(err, errlen, path, 0, THEME_ERR_SYNTAX, "contains a NUL byte");
		goto fail;
	}
	buf[n] = '\0';
	rc = theme_parse_string(buf, path, out, err, errlen);
fail:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}
