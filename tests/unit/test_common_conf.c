/* common/conf and common/log: every config error kind, precedence, all-or-nothing; the log's guard rails. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/conf.h"
#include "common/log.h"
#include "tests/t.h"

enum { K_SERVER, K_NAME, K_CA, K_IDLE, K_THEME, K_LOG, K_FAST, K_COUNT };

static const char *const themes[] = { "default", "high-contrast", "monochrome", NULL };

static const struct conf_key keys[K_COUNT] = {
	[K_SERVER] = { .name = "server", .type = CONF_URL },
	[K_NAME] = { .name = "name", .type = CONF_STRING },
	[K_CA] = { .name = "ca", .type = CONF_PATH },
	[K_IDLE] = { .name = "idle_lock", .type = CONF_SECONDS, .min = 10, .max = 86400 },
	[K_THEME] = { .name = "theme", .type = CONF_ENUM, .choices = themes, .path_ok = 1 },
	[K_LOG] = { .name = "log", .type = CONF_ENUM, .choices = log_target_names },
	[K_FAST] = { .name = "fast", .type = CONF_BOOL },
};

static char dir[64];
static struct conf conf;	/* 30 KB: static, as in the programs */

/* Writes text to dir/name (mode 0644) and returns the path (static buffer per slot). */
static const char *
put_file(const char *name, const char *text, size_t len)
{
	static char paths[4][128];
	static int slot;
	char *p = paths[slot++ % 4];
	FILE *f;

	snprintf(p, 128, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f == NULL)
		return p;
	fwrite(text, 1, len, f);
	fclose(f);
	chmod(p, 0644);
	return p;
}

#define PUT(name, text) put_file((name), (text), sizeof(text) - 1)

/* Loads text as a fresh conf's only file; returns the conf_load_file code. */
static int
load_text(const char *text, size_t len)
{
	conf_init(&conf, keys, K_COUNT);
	return conf_load_file(&conf, put_file("t.conf", text, len), 1);
}

#define LOAD(text) load_text((text), sizeof(text) - 1)

/* The error names the file and line, then says what is wrong. */
static int
error_is(int line, const char *what)
{
	char want[256];

	snprintf(want, sizeof(want), "%s/t.conf:%d: %s", dir, line, what);
	if (strstr(conf_error(&conf), want) == conf_error(&conf))
		return 1;
	printf("  error \"%s\" does not start \"%s\"\n", conf_error(&conf), want);
	return 0;
}

static void
comments_blanks_quotes_and_trailing_comments_parse(void)
{
	T_CHECK(LOAD("# a comment\n\n   \t\n"
	    "  server =   https://chart.example:8443/#frag  \n"
	    "name = \"cart 4W # 01\"  # the quote keeps the hash\n"
	    "ca='/etc/chartgate/ca.pem'\r\n"
	    "idle_lock = 300 # five minutes\n"
	    "theme = high-contrast\n"
	    "log = none\n"
	    "fast = yes") == CONF_OK);
	T_STREQ(conf_str(&conf, K_SERVER, NULL), "https://chart.example:8443/#frag");
	T_STREQ(conf_str(&conf, K_NAME, NULL), "cart 4W # 01");
	T_STREQ(conf_str(&conf, K_CA, NULL), "/etc/chartgate/ca.pem");
	T_CHECK(conf_num(&conf, K_IDLE, 0) == 300);
	T_CHECK(conf_num(&conf, K_THEME, -2) == 1);
	T_CHECK(conf_num(&conf, K_LOG, -2) == LOG_TARGET_NONE);
	T_CHECK(conf_num(&conf, K_FAST, -2) == 1);
}

static void
unset_keys_give_the_default(void)
{
	char where[64];

	T_CHECK(LOAD("name = x\n") == CONF_OK);
	T_CHECK(!conf_is_set(&conf, K_IDLE));
	T_CHECK(conf_num(&conf, K_IDLE, 120) == 120);
	T_STREQ(conf_str(&conf, K_SERVER, "dflt"), "dflt");
	T_STREQ(conf_where(&conf, K_IDLE, where, sizeof(where)), "default");
}

static void
unknown_key_is_refused_with_file_and_line(void)
{
	T_CHECK(LOAD("name = x\ncolour = red\n") == CONF_ERR_KEY);
	T_CHECK(error_is(2, "unknown key \"colour\""));
}

static void
a_key_twice_in_one_file_is_refused(void)
{
	T_CHECK(LOAD("idle_lock = 30\n\nidle_lock = 40\n") == CONF_ERR_KEY);
	T_CHECK(error_is(3, "idle_lock is already set on line 1"));
}

static void
line_without_equals_is_a_syntax_error(void)
{
	T_CHECK(LOAD("server https://x\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "expected \"key = value\""));
	T_CHECK(LOAD("= value\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "expected \"key = value\", found no key"));
}

static void
quotes_must_close_and_end_the_value(void)
{
	T_CHECK(LOAD("name = \"open\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "unterminated quote"));
	T_CHECK(LOAD("name = \"a\" b\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "text after the closing quote"));
}

static void
overlong_line_is_refused_not_truncated(void)
{
	static char text[CONF_LINE_MAX + 64];

	memset(text, 'a', sizeof(text));
	memcpy(text, "name = ", 7);
	text[sizeof(text) - 1] = '\n';
	T_CHECK(load_text(text, sizeof(text)) == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "line too long"));
}

static void
overlong_value_is_refused_not_truncated(void)
{
	static char text[CONF_VALUE_MAX + 64];

	memset(text, 'v', sizeof(text));
	memcpy(text, "name = ", 7);
	text[sizeof(text) - 1] = '\n';
	T_CHECK(load_text(text, sizeof(text)) == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "name: value too long"));
}

static void
binary_bytes_are_refused(void)
{
	T_CHECK(LOAD("name = a\0b\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(1, "control character in line"));
	T_CHECK(LOAD("name = ok\nname2 = \x1b[31m\n") == CONF_ERR_SYNTAX);
	T_CHECK(error_is(2, "control character in line"));
}

static void
empty_value_is_refused(void)
{
	T_CHECK(LOAD("name =\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "name: empty value"));
	T_CHECK(LOAD("name = \"\"\n") == CONF_ERR_VALUE);
}

static void
seconds_must_be_whole_and_in_bounds(void)
{
	T_CHECK(LOAD("idle_lock = 5\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "idle_lock: 5 seconds is out of range (10..86400)"));
	T_CHECK(LOAD("idle_lock = 86401\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("idle_lock = 2m\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "idle_lock: \"2m\" is not a whole number of seconds"));
	T_CHECK(LOAD("idle_lock = -30\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("idle_lock = +30\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("idle_lock = 99999999999999999999999\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("idle_lock = 10\n") == CONF_OK);
	T_CHECK(LOAD("idle_lock = 86400\n") == CONF_OK);
}

static void
url_needs_http_scheme_and_host(void)
{
	T_CHECK(LOAD("server = ftp://x\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "server: \"ftp://x\" is not an http:// or https:// URL"));
	T_CHECK(LOAD("server = https://\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("server = \"https://a b\"\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("server = chart.example\n") == CONF_ERR_VALUE);
	T_CHECK(LOAD("server = http://127.0.0.1:8700\n") == CONF_OK);
}

static void
paths_in_files_must_be_absolute(void)
{
	T_CHECK(LOAD("ca = certs/ca.pem\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "ca: \"certs/ca.pem\" is not an absolute path"));
}

static void
enum_lists_the_choices(void)
{
	T_CHECK(LOAD("theme = neon\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "theme: \"neon\" is not one of default, high-contrast, monochrome or a file path"));
	T_CHECK(LOAD("log = journal\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "log: \"journal\" is not one of syslog, stderr, none"));
	T_CHECK(LOAD("theme = /etc/chartgate/site.theme\n") == CONF_OK);
	T_CHECK(conf_num(&conf, K_THEME, 0) == -1);
	T_CHECK(LOAD("log = /dev/null\n") == CONF_ERR_VALUE);
}

static void
bool_takes_yes_no_words_only(void)
{
	T_CHECK(LOAD("fast = maybe\n") == CONF_ERR_VALUE);
	T_CHECK(error_is(1, "fast: \"maybe\" is not yes or no"));
	T_CHECK(LOAD("fast = off\n") == CONF_OK);
	T_CHECK(conf_is_set(&conf, K_FAST) && conf_num(&conf, K_FAST, 1) == 0);
}

static void
a_bad_file_changes_nothing(void)
{
	const char *good = PUT("good.conf", "name = first\nidle_lock = 60\n");
	const char *bad = PUT("bad.conf", "name = second\nidle_lock = 90\nserver = nope\n");

	conf_init(&conf, keys, K_COUNT);
	T_CHECK(conf_load_file(&conf, good, 1) == CONF_OK);
	T_CHECK(conf_load_file(&conf, bad, 1) == CONF_ERR_VALUE);
	T_STREQ(conf_str(&conf, K_NAME, NULL), "first");
	T_CHECK(conf_num(&conf, K_IDLE, 0) == 60);
	T_CHECK(!conf_is_set(&conf, K_SERVER));
}

static void
later_files_and_flags_win(void)
{
	const char *sys = PUT("sys.conf", "name = sys\nidle_lock = 60\ntheme = monochrome\n");
	const char *user = PUT("user.conf", "name = user\n");
	char where[256], want[256];

	conf_init(&conf, keys, K_COUNT);
	T_CHECK(conf_load_file(&conf, sys, 1) == CONF_OK);
	T_CHECK(conf_load_file(&conf, user, 1) == CONF_OK);
	T_CHECK(conf_set(&conf, K_IDLE, "30", "--idle-lock") == CONF_OK);
	T_STREQ(conf_str(&conf, K_NAME, NULL), "user");
	T_CHECK(conf_num(&conf, K_IDLE, 0) == 30);
	T_STREQ(conf_str(&conf, K_THEME, NULL), "monochrome");
	snprintf(want, sizeof(want), "%s:3", sys);
	T_STREQ(conf_where(&conf, K_THEME, where, sizeof(where)), want);
	T_STREQ(conf_where(&conf, K_IDLE, where, sizeof(where)), "--idle-lock");
}

static void
flags_are_checked_and_named_in_errors(void)
{
	conf_init(&conf, keys, K_COUNT);
	T_CHECK(conf_set(&conf, K_IDLE, "9", "--idle-lock") == CONF_ERR_VALUE);
	T_STREQ(conf_error(&conf), "--idle-lock: 9 seconds is out of range (10..86400)");
	T_CHECK(!conf_is_set(&conf, K_IDLE));
	/* The command line is in the caller's directory: relative is fine there. */
	T_CHECK(conf_set(&conf, K_CA, "demo/ca.pem", "--ca") == CONF_OK);
	T_CHECK(conf_set(&conf, K_COUNT, "x", "--x") == CONF_ERR_ARG);
}

static void
missing_file_is_fine_only_when_optional(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/absent.conf", dir);
	conf_init(&conf, keys, K_COUNT);
	T_CHECK(conf_load_file(&conf, path, 0) == CONF_OK);
	T_CHECK(conf_load_file(&conf, path, 1) == CONF_ERR_IO);
	T_CHECK(strstr(conf_error(&conf), "absent.conf: cannot open: No such file") != NULL);
	T_CHECK(conf_load_file(&conf, dir, 1) == CONF_ERR_IO);
	T_CHECK(strstr(conf_error(&conf), "not a regular file") != NULL);
}

static void
a_file_anyone_may_write_is_refused(void)
{
	const char *p = PUT("open.conf", "server = http://evil.example\n");

	chmod(p, 0666);
	conf_init(&conf, keys, K_COUNT);
	T_CHECK(conf_load_file(&conf, p, 0) == CONF_ERR_IO);
	T_CHECK(strstr(conf_error(&conf), "anyone may write") != NULL);
	T_CHECK(!conf_is_set(&conf, K_SERVER));
}

static void
too_many_keys_is_a_caller_error(void)
{
	static struct conf_key many[CONF_KEYS_MAX + 1];

	T_CHECK(conf_init(&conf, many, CONF_KEYS_MAX + 1) == CONF_ERR_ARG);
}

static void
dump_reads_back_the_same(void)
{
	static struct conf again;
	char path[128];
	FILE *f;
	size_t k;

	T_CHECK(LOAD("name = \"a # b\"\nserver = http://h:1\nidle_lock = 45\nfast = on\n") == CONF_OK);
	snprintf(path, sizeof(path), "%s/dump.conf", dir);
	f = fopen(path, "w");
	T_CHECK(f != NULL);
	if (f == NULL)
		return;
	conf_dump(&conf, f);
	fclose(f);
	conf_init(&again, keys, K_COUNT);
	T_CHECK(conf_load_file(&again, path, 1) == CONF_OK);
	for (k = 0; k < K_COUNT; k++)
		T_STREQ(conf_str(&again, k, "-"), conf_str(&conf, k, "-"));
}

/* Runs fn with stderr going to a file and returns what it wrote. */
static const char *
capture_stderr(void (*fn)(void))
{
	static char out[4096];
	char path[128];
	int fd, saved;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	saved = dup(2);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	return out;
}

static void
emit_sample(void)
{
	log_open("t", LOG_TARGET_STDERR, 0);
	log_event(LOG_LEVEL_INFO, "tap ok: user %s, %d ms, %zu tries, %llu", "u-nurse-1", -5, (size_t)2, 18446744073709551615ULL);
	log_event(LOG_LEVEL_DEBUG, "hidden without --verbose");
	log_event(LOG_LEVEL_WARNING, "server %s unreachable", "http://h\n\x1b[2Jforged line");
}

static void
log_formats_its_conversions_and_defangs_strings(void)
{
	const char *out = capture_stderr(emit_sample);

	T_STREQ(out, "t: tap ok: user u-nurse-1, -5 ms, 2 tries, 18446744073709551615\n"
	    "t: warning: server http://h??[2Jforged line unreachable\n");
}

static void
emit_refused(void)
{
	log_open("t", LOG_TARGET_STDERR, 1);
	log_event(LOG_LEVEL_INFO, "width %5d", 3);
	log_event(LOG_LEVEL_DEBUG, "%x%%", 255u);
}

static void
log_refuses_conversions_it_does_not_know(void)
{
	T_STREQ(capture_stderr(emit_refused),
	    "t: log: refused a line with an unsupported conversion: width %5d\n"
	    "t: debug: ff%\n");
}

static void
emit_long(void)
{
	static char big[300];

	memset(big, 'x', sizeof(big) - 1);
	log_open("t", LOG_TARGET_STDERR, 0);
	log_event(LOG_LEVEL_INFO, "%s", big);
	log_open("t", LOG_TARGET_NONE, 1);
	log_event(LOG_LEVEL_ERROR, "nothing");
}

static void
log_cuts_long_arguments_and_none_is_silent(void)
{
	const char *out = capture_stderr(emit_long);

	T_CHECK(strlen(out) == 3 + 128 + 3 + 1);
	T_CHECK(strcmp(out + strlen(out) - 5, "x...\n") == 0);
}

int
main(void)
{
	char cmd[96];

	snprintf(dir, sizeof(dir), "/tmp/test-conf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	T_RUN(comments_blanks_quotes_and_trailing_comments_parse);
	T_RUN(unset_keys_give_the_default);
	T_RUN(unknown_key_is_refused_with_file_and_line);
	T_RUN(a_key_twice_in_one_file_is_refused);
	T_RUN(line_without_equals_is_a_syntax_error);
	T_RUN(quotes_must_close_and_end_the_value);
	T_RUN(overlong_line_is_refused_not_truncated);
	T_RUN(overlong_value_is_refused_not_truncated);
	T_RUN(binary_bytes_are_refused);
	T_RUN(empty_value_is_refused);
	T_RUN(seconds_must_be_whole_and_in_bounds);
	T_RUN(url_needs_http_scheme_and_host);
	T_RUN(paths_in_files_must_be_absolute);
	T_RUN(enum_lists_the_choices);
	T_RUN(bool_takes_yes_no_words_only);
	T_RUN(a_bad_file_changes_nothing);
	T_RUN(later_files_and_flags_win);
	T_RUN(flags_are_checked_and_named_in_errors);
	T_RUN(missing_file_is_fine_only_when_optional);
	T_RUN(a_file_anyone_may_write_is_refused);
	T_RUN(too_many_keys_is_a_caller_error);
	T_RUN(dump_reads_back_the_same);
	T_RUN(log_formats_its_conversions_and_defangs_strings);
	T_RUN(log_refuses_conversions_it_does_not_know);
	T_RUN(log_cuts_long_arguments_and_none_is_silent);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", dir);
	T_EXIT();
}
