/* Unit tests for tui/theme: file format, error messages, all-or-nothing loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/t.h"
#include "tui/theme.h"

static char err[256];

/* Writes text to a fresh temp file; the caller unlinks and frees the path. */
static char *
temp_theme(const char *text)
{
	char *path = strdup("/tmp/chartgate-theme-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static void
good_file_loads(void)
{
	char *p = temp_theme("# comment\n\nerror color15 color196 bold,underline  # trailing\n"
	    "selection default blue reverse\n");
	struct theme t;

	T_CHECK(theme_parse_file(p, &t, err, sizeof err) == THEME_OK);
	T_CHECK(t.role[ROLE_ERROR].fg == 15 && t.role[ROLE_ERROR].bg == 196);
	T_CHECK(t.role[ROLE_ERROR].attrs == (THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE));
	T_CHECK(t.role[ROLE_SELECTION].fg == THEME_COLOR_DEFAULT && t.role[ROLE_SELECTION].bg == 4);
	T_CHECK(t.role[ROLE_SELECTION].attrs == THEME_ATTR_REVERSE);
	unlink(p);
	free(p);
}

static void
unknown_role_names_file_and_line(void)
{
	struct theme t;
	char want[256];
	char *p = temp_theme("normal default default normal\nbanner red blue bold\n");

	T_CHECK(theme_parse_file(p, &t, err, sizeof err) == THEME_ERR_ROLE);
	snprintf(want, sizeof want, "%s:2: unknown role \"banner\"", p);
	T_STREQ(err, want);
	unlink(p);
	free(p);
}

static void
bad_colour_is_refused(void)
{
	struct theme t;

	T_CHECK(theme_parse_string("title purple default bold\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_COLOR);
	T_STREQ(err, "x:1: unknown foreground colour \"purple\"");
	T_CHECK(theme_parse_string("title color256 default bold\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_COLOR);
	T_CHECK(theme_parse_string("title color-1 default\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_COLOR);
	T_CHECK(theme_parse_string("title color007 default\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_COLOR);
}

static void
bad_attribute_is_refused(void)
{
	struct theme t;

	T_CHECK(theme_parse_string("title red default bold,blink\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_ATTR);
	T_STREQ(err, "x:1: unknown attribute \"blink\"");
}

static void
wrong_field_count_is_refused(void)
{
	struct theme t;

	T_CHECK(theme_parse_string("title red\n", "x", &t, err, sizeof err) == THEME_ERR_SYNTAX);
	T_CHECK(theme_parse_string("title red blue bold extra\n", "x", &t, err, sizeof err) ==
	    THEME_ERR_SYNTAX);
}

static void
failed_load_keeps_previous_theme(void)
{
	struct theme t, before;
	char *p = temp_theme("error black yellow bold\nnormal nocolour default\n");

	theme_builtin_monochrome(&t);
	before = t;
	T_CHECK(theme_parse_file(p, &t, err, sizeof err) == THEME_ERR_COLOR);
	T_CHECK(memcmp(&t, &before, sizeof t) == 0);
	unlink(p);
	free(p);
}

static void
missing_file_is_io_error(void)
{
	struct theme t;

	T_CHECK(theme_parse_file("/nonexistent/chartgate.theme", &t, err, sizeof err) ==
	    THEME_ERR_IO);
	T_CHECK(strstr(err, "/nonexistent/chartgate.theme:0: cannot open") == err);
}

static void
shipped_default_theme_matches_builtin(void)
{
	struct theme f, b;

	theme_builtin_default(&b);
	T_CHECK(theme_parse_file("themes/default.theme", &f, err, sizeof err) == THEME_OK);
	T_CHECK(memcmp(f.role, b.role, sizeof f.role) == 0);
	T_STREQ(f.name, "default");
}

static void
shipped_themes_parse(void)
{
	struct theme t, m;

	T_CHECK(theme_parse_file("themes/high-contrast.theme", &t, err, sizeof err) == THEME_OK);
	T_CHECK(theme_uses_color(&t));
	T_CHECK(theme_parse_file("themes/monochrome.theme", &t, err, sizeof err) == THEME_OK);
	theme_builtin_monochrome(&m);
	T_CHECK(memcmp(t.role, m.role, sizeof t.role) == 0);
}

static void
monochrome_uses_only_reverse_and_bold(void)
{
	struct theme m;
	int i;

	theme_builtin_monochrome(&m);
	T_CHECK(!theme_uses_color(&m));
	for (i = 0; i < ROLE_COUNT; i++)
		T_CHECK((m.role[i].attrs & ~(unsigned)(THEME_ATTR_BOLD | THEME_ATTR_REVERSE)) == 0);
}

static void
role_names_round_trip(void)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		T_CHECK(theme_role_from_name(theme_role_name((enum color_role)i)) == i);
	T_CHECK(theme_role_from_name("nope") == -1);
	T_CHECK(theme_role_name(ROLE_COUNT) == NULL);
}

int
main(void)
{
	T_RUN(good_file_loads);
	T_RUN(unknown_role_names_file_and_line);
	T_RUN(bad_colour_is_refused);
	T_RUN(bad_attribute_is_refused);
	T_RUN(wrong_field_count_is_refused);
	T_RUN(failed_load_keeps_previous_theme);
	T_RUN(missing_file_is_io_error);
	T_RUN(shipped_default_theme_matches_builtin);
	T_RUN(shipped_themes_parse);
	T_RUN(monochrome_uses_only_reverse_and_bold);
	T_RUN(role_names_round_trip);
	T_EXIT();
}
