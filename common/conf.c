/* `key = value` configuration files: parse, validate against the key table, keep all or nothing. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/conf.h"

static int
fail(struct conf *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(struct conf *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return code;
}

int
conf_init(struct conf *c, const struct conf_key *keys, size_t nkeys)
{
	if (c == NULL)
		return CONF_ERR_ARG;
	memset(c, 0, sizeof(*c));
	if (keys == NULL || nkeys > CONF_KEYS_MAX)
		return fail(c, CONF_ERR_ARG, "conf: %zu keys, at most %d", nkeys, CONF_KEYS_MAX);
	c->keys = keys;
	c->nkeys = nkeys;
	return CONF_OK;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *
trim(char *s)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static long
find_key(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (strcmp(c->keys[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Whole decimal seconds: no sign, no spaces, no units, no overflow. */
static int
parse_seconds(const char *s, long long *out)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

static int
parse_bool(const char *s, long long *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0)
			return *out = 1, 0;
		if (strcmp(s, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* A URL we can hand to libcurl as a base: scheme, a host, no spaces. */
static int
valid_url(const char *s)
{
	const char *host;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if (*host == '\0' || *host == '/' || *host == ':')
		return 0;
	return strpbrk(s, " \t") == NULL;
}

static void
list_choices(const struct conf_key *k, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; k->choices[i] != NULL && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", k->choices[i]);
	if (k->path_ok && n < len)
		snprintf(buf + n, len - n, " or a file path");
}

/* Checks value against k; fills v->num. Returns 0, or -1 with why set. */
static int
check_value(const struct conf_key *k, const char *value, int from_file, struct conf_value *v,
    char *why, size_t why_len)
{
	char choices[256];
	size_t i;

	v->num = 0;
	if (*value == '\0')
		return snprintf(why, why_len, "empty value"), -1;
	switch (k->type) {
	case CONF_STRING:
		return 0;
	case CONF_PATH:
		/* The file's directory is not the process's: only an absolute path means one thing. */
		if (from_file && value[0] != '/')
			return snprintf(why, why_len, "\"%s\" is not an absolute path", value), -1;
		return 0;
	case CONF_URL:
		if (!valid_url(value))
			return snprintf(why, why_len, "\"%s\" is not an http:// or https:// URL", value), -1;
		return 0;
	case CONF_SECONDS:
		if (parse_seconds(value, &v->num) != 0)
			return snprintf(why, why_len, "\"%s\" is not a whole number of seconds", value), -1;
		if (v->num < k->min || v->num > k->max)
			return snprintf(why, why_len, "%s seconds is out of range (%lld..%lld)",
			    value, k->min, k->max), -1;
		return 0;
	case CONF_ENUM:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(value, k->choices[i]) == 0)
				return v->num = (long long)i, 0;
		if (k->path_ok && strchr(value, '/') != NULL)
			return v->num = -1, 0;
		list_choices(k, choices, sizeof(choices));
		return snprintf(why, why_len, "\"%s\" is not one of %s", value, choices), -1;
	case CONF_BOOL:
		if (parse_bool(value, &v->num) != 0)
			return snprintf(why, why_len, "\"%s\" is not yes or no", value), -1;
		return 0;
	}
	return snprintf(why, why_len, "key has no type"), -1;
}

static int
store(struct conf_value *v, const char *value)
{
	size_t n = strlen(value);

	if (n >= sizeof(v->str))
		return -1;
	memcpy(v->str, value, n + 1);
	v->set = 1;
	return 0;
}

/* Splits one line into key and value in place. Returns 0 (key NULL for a blank
 * or comment line) or -1 with why set. */
static int
split_line(char *line, char **key, char **value, char *why, size_t why_len)
{
	char *eq, *v, *end, q;

	*key = NULL;
	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	if ((eq = strchr(line, '=')) == NULL)
		return snprintf(why, why_len, "expected \"key = value\""), -1;
	*eq = '\0';
	*key = trim(line);
	if (**key == '\0')
		return snprintf(why, why_len, "expected \"key = value\", found no key"), -1;
	v = trim(eq + 1);
	if (*v == '"' || *v == '\'') {
		q = *v++;
		if ((end = strchr(v, q)) == NULL)
			return snprintf(why, why_len, "unterminated quote"), -1;
		*end = '\0';
		end = trim(end + 1);
		if (*end != '\0' && *end != '#')
			return snprintf(why, why_len, "text after the closing quote"), -1;
	} else {
		/* '#' after a blank starts a comment; inside a word (a URL fragment) it does not. */
		for (end = v; *end != '\0'; end++)
			if (*end == '#' && end > v && is_space(end[-1]))
				break;
		*end = '\0';
		v = trim(v);
	}
	*value = v;
	return 0;
}

/* Reads the next line; -1 with why set when it is too long or not text. */
static int
read_line(FILE *f, char *buf, size_t len, int *eof, char *why, size_t why_len)
{
	size_t n = 0, i;
	int ch;

	*eof = 0;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (n + 1 >= len) {
			while ((ch = getc(f)) != EOF && ch != '\n')
				;
			return snprintf(why, why_len, "line too long (at most %zu bytes)", len - 1), -1;
		}
		buf[n++] = (char)ch;
	}
	if (ch == EOF && n == 0)
		*eof = 1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')
			return snprintf(why, why_len, "control character in line (is this a text file?)"), -1;
	return 0;
}

static int
parse_stream(struct conf *c, FILE *f, const char *path, int file_index)
{
	char line[CONF_LINE_MAX], why[CONF_VALUE_MAX + 128];
	unsigned first_line[CONF_KEYS_MAX] = { 0 };
	char *key, *value;
	unsigned lineno = 0;
	long k;
	int eof;

	for (;;) {
		lineno++;
		if (read_line(f, line, sizeof(line), &eof, why, sizeof(why)) != 0)
			return fail(c, CONF_ERR_SYNTAX, "%s:%u: %s", path, lineno, why);
		if (eof)
			break;
		if (split_line(line, &key, &value, why, sizeof(why)) != 0)
			return fail(c, CONF_ERR_SYNTAX, "%s:%u: %s", path, lineno, why);
		if (key == NULL)
			continue;
		if ((k = find_key(c, key)) < 0)
			return fail(c, CONF_ERR_KEY, "%s:%u: unknown key \"%.64s\"", path, lineno, key);
		if (first_line[k] != 0)
			return fail(c, CONF_ERR_KEY, "%s:%u: %s is already set on line %u",
			    path, lineno, key, first_line[k]);
		first_line[k] = lineno;
		if (check_value(&c->keys[k], value, 1, &c->stage[k], why, sizeof(why)) != 0)
			return fail(c, CONF_ERR_VALUE, "%s:%u: %s: %s", path, lineno, key, why);
		if (store(&c->stage[k], value) != 0)
			return fail(c, CONF_ERR_VALUE, "%s:%u: %s: value too long (at most %d bytes)",
			    path, lineno, key, CONF_VALUE_MAX - 1);
		c->stage[k].file = file_index;
		c->stage[k].line = (int)lineno;
	}
	if (ferror(f))
		return fail(c, CONF_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	return CONF_OK;
}

int
conf_load_file(struct conf *c, const char *path, int must_exist)
{
	struct stat st;
	FILE *f;
	size_t n;
	int rc;

	if (c == NULL || c->keys == NULL || path == NULL)
		return CONF_ERR_ARG;
	n = strlen(path);
	if (n >= CONF_NAME_MAX)
		return fail(c, CONF_ERR_ARG, "%.64s...: file name too long", path);
	if (c->nfiles >= CONF_FILES_MAX)
		return fail(c, CONF_ERR_ARG, "%s: too many configuration files", path);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return CONF_OK;
		return fail(c, CONF_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return fail(c, CONF_ERR_IO, "%s: not a regular file", path);
	}
	if (st.st_mode & S_IWOTH) {
		fclose(f);
		return fail(c, CONF_ERR_IO, "%s: anyone may write to it; refusing (chmod o-w)", path);
	}
	memcpy(c->stage, c->val, sizeof(c->stage));
	rc = parse_stream(c, f, path, (int)c->nfiles);
	fclose(f);
	if (rc != CONF_OK)
		return rc;
	memcpy(c->files[c->nfiles++], path, n + 1);
	memcpy(c->val, c->stage, sizeof(c->val));
	return CONF_OK;
}

int
conf_set(struct conf *c, size_t key, const char *value, const char *flag)
{
	char why[CONF_VALUE_MAX + 128];
	struct conf_value v;

	if (c == NULL || key >= c->nkeys || value == NULL || flag == NULL)
		return CONF_ERR_ARG;
	memset(&v, 0, sizeof(v));
	if (check_value(&c->keys[key], value, 0, &v, why, sizeof(why)) != 0)
		return fail(c, CONF_ERR_VALUE, "%s: %s", flag, why);
	if (store(&v, value) != 0)
		return fail(c, CONF_ERR_VALUE, "%s: value too long (at most %d bytes)",
		    flag, CONF_VALUE_MAX - 1);
	v.file = -1;
	snprintf(v.flag, sizeof(v.flag), "%s", flag);
	c->val[key] = v;
	return CONF_OK;
}

int
conf_is_set(const struct conf *c, size_t key)
{
	return c != NULL && key < c->nkeys && c->val[key].set;
}

const char *
conf_str(const struct conf *c, size_t key, const char *dflt)
{
	return conf_is_set(c, key) ? c->val[key].str : dflt;
}

long long
conf_num(const struct conf *c, size_t key, long long dflt)
{
	return conf_is_set(c, key) ? c->val[key].num : dflt;
}

const char *
conf_where(const struct conf *c, size_t key, char *buf, size_t len)
{
	const struct conf_value *v;

	if (!conf_is_set(c, key))
		snprintf(buf, len, "default");
	else if ((v = &c->val[key])->file < 0)
		snprintf(buf, len, "%s", v->flag);
	else
		snprintf(buf, len, "%s:%d", c->files[v->file], v->line);
	return buf;
}

const char *
conf_error(const struct conf *c)
{
	return c != NULL ? c->err : "no configuration";
}

void
conf_dump(const struct conf *c, FILE *out)
{
	char where[CONF_NAME_MAX + 16];
	const char *q;
	size_t i;

	for (i = 0; i < c->nkeys; i++) {
		if (!c->val[i].set)
			continue;
		/* Quote what would not read back the same unquoted. */
		q = strpbrk(c->val[i].str, " \t#\"'") != NULL ? "\"" : "";
		if (strchr(c->val[i].str, '"') != NULL)
			q = "'";
		fprintf(out, "%s = %s%s%s  # %s\n", c->keys[i].name, q, c->val[i].str, q,
		    conf_where(c, i, where, sizeof(where)));
	}
}
