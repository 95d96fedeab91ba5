/* `key = value` configuration files, checked against a table of known keys (chartgate.conf(5)). */
#ifndef CHARTGATE_CONF_H
#define CHARTGATE_CONF_H

#include <stddef.h>
#include <stdio.h>

/* Everything lives inside struct conf: loading never allocates, so a
 * config error can never become an out-of-memory error, and a value is
 * valid for as long as the struct is. Longer input is an error, not a
 * truncation. */
#define CONF_KEYS_MAX	24
#define CONF_VALUE_MAX	512	/* bytes of one value, NUL included */
#define CONF_LINE_MAX	4096	/* bytes of one line, newline included */
#define CONF_FILES_MAX	4	/* files one conf may load */
#define CONF_NAME_MAX	512	/* bytes of a file name, NUL included */
#define CONF_ERR_MAX	(CONF_NAME_MAX + 2 * CONF_VALUE_MAX)

enum conf_type {
	CONF_STRING,	/* any printable text, not empty */
	CONF_PATH,	/* absolute in a file; relative allowed on the command line */
	CONF_URL,	/* http:// or https:// with a host */
	CONF_SECONDS,	/* whole seconds within [min, max] */
	CONF_ENUM,	/* one of choices (or a path, with path_ok) */
	CONF_BOOL,	/* yes/no, true/false, on/off, 1/0 */
};

struct conf_key {
	const char *name;
	enum conf_type type;
	long long min, max;		/* CONF_SECONDS */
	const char *const *choices;	/* CONF_ENUM: NULL-terminated */
	int path_ok;			/* CONF_ENUM: a value with a '/' is a file */
};

struct conf_value {
	int set;
	int file;			/* index into conf.files, -1: command line */
	int line;
	long long num;			/* SECONDS; BOOL 0/1; ENUM index, -1 for a path */
	char str[CONF_VALUE_MAX];	/* as written, quotes removed */
	char flag[32];			/* the option it came from (file == -1) */
};

struct conf {
	const struct conf_key *keys;
	size_t nkeys;
	struct conf_value val[CONF_KEYS_MAX];
	struct conf_value stage[CONF_KEYS_MAX];	/* private: a file lands here first */
	char files[CONF_FILES_MAX][CONF_NAME_MAX];
	size_t nfiles;
	char err[CONF_ERR_MAX];
};

enum conf_err {
	CONF_OK = 0,
	CONF_ERR_ARG,		/* bad call: table too big, no such key index */
	CONF_ERR_IO,		/* cannot open or read; other-writable file */
	CONF_ERR_SYNTAX,	/* no '=', unterminated quote, long or binary line */
	CONF_ERR_KEY,		/* unknown key, or a key given twice in one file */
	CONF_ERR_VALUE,		/* value of the wrong type or out of bounds */
};

/* keys[i] is addressed by i everywhere below, so callers name their keys
 * with an enum in table order and a typo cannot compile. */
int conf_init(struct conf *, const struct conf_key *keys, size_t nkeys);

/* Loads one file on top of what is loaded. All-or-nothing: on error
 * nothing of this file is kept and conf_error() says "FILE:LINE: what is
 * wrong" (or "FILE: what is wrong"). A missing file is CONF_OK when
 * !must_exist. A file anyone may write is refused: it could point the
 * client at another server. */
int conf_load_file(struct conf *, const char *path, int must_exist);

/* Sets key from the command line; flag names it in errors ("--idle-lock: ..."). */
int conf_set(struct conf *, size_t key, const char *value, const char *flag);

int conf_is_set(const struct conf *, size_t key);
const char *conf_str(const struct conf *, size_t key, const char *dflt);
long long conf_num(const struct conf *, size_t key, long long dflt);
/* Where key was set, for errors found later ("FILE:LINE" or "--flag"). */
const char *conf_where(const struct conf *, size_t key, char *buf, size_t len);
const char *conf_error(const struct conf *);

/* Prints the set keys as `key = value  # where`, for --check-config. */
void conf_dump(const struct conf *, FILE *);

#endif
