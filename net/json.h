/* Strict JSON loading and typed field access on top of jansson, with errors that name the field. */
#ifndef CHARTGATE_NET_JSON_H
#define CHARTGATE_NET_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* jansson 2.14's parser recurses and stops at JSON_PARSER_MAX_DEPTH (2048),
 * so it cannot blow the stack; we still refuse anything nested deeper than
 * NJSON_MAX_DEPTH before jansson sees it, because no API answer is deeper
 * than 5 levels and a shallow bound keeps json_decref's recursion small. */
#define NJSON_MAX_DEPTH		32
#define NJSON_MAX_DOC		(1024 * 1024)

enum njson_err {
	NJSON_OK = 0,
	NJSON_ERR_ARG,
	NJSON_ERR_NOMEM,
	NJSON_ERR_SYNTAX,	/* not JSON, trailing garbage, duplicate keys, embedded NUL */
	NJSON_ERR_DEPTH,	/* nested deeper than NJSON_MAX_DEPTH */
	NJSON_ERR_SIZE,		/* document over NJSON_MAX_DOC */
	NJSON_ERR_MISSING,	/* required field absent */
	NJSON_ERR_TYPE,		/* wrong JSON type */
	NJSON_ERR_RANGE,	/* string too long, array too long, number out of range */
};
const char *njson_strerror(int err);

/* Where we are in the document, for messages like "worklist: patients[3].display_name".
 * Built on the stack while descending; no allocation. */
struct njson_ctx {
	const char *root;	/* document name, e.g. "worklist" */
	char path[192];
	char *err;		/* caller's message buffer */
	size_t errlen;
};

/* Nesting depth of a JSON text (strings skipped), or SIZE_MAX on an unclosed
 * string. Linear, no allocation; used to refuse absurd depth before parsing. */
size_t njson_depth(const char *text, size_t len);

/* Parse exactly one JSON value that must be an object: rejects trailing
 * garbage, duplicate keys, NUL bytes, depth > NJSON_MAX_DEPTH. what names the
 * document in messages ("worklist"). On error *out is NULL and err says why. */
int njson_load_object(const char *text, size_t len, const char *what,
    json_t **out, char *err, size_t errlen);

/* Context handling. njson_ctx_init sets the root name; push/pop append
 * ".key" or "[i]" and restore the previous length. */
void njson_ctx_init(struct njson_ctx *c, const char *root, char *err, size_t errlen);
size_t njson_push_key(struct njson_ctx *c, const char *key);
size_t njson_push_index(struct njson_ctx *c, size_t i);
void njson_pop(struct njson_ctx *c, size_t mark);
/* Writes "ROOT: PATH.key MSG" into the caller's buffer and returns err. */
int njson_fail(struct njson_ctx *c, const char *key, int err, const char *msg);

/* Typed getters. A "required" field must be present and of the type;
 * "optional" accepts absent or null (*out = NULL / false / def).
 * Strings are copied into fresh heap memory (free()); cap is the largest
 * allowed byte length. Strings with embedded NUL are refused. */
int njson_str(struct njson_ctx *c, json_t *obj, const char *key, size_t cap,
    bool required, char **out);
int njson_bool(struct njson_ctx *c, json_t *obj, const char *key, bool required,
    bool def, bool *out);
int njson_int(struct njson_ctx *c, json_t *obj, const char *key, bool required,
    long long min, long long max, long long def, long long *out);
/* Required object member (type object). */
int njson_obj(struct njson_ctx *c, json_t *obj, const char *key, json_t **out);
/* Array member with at most max entries; optional arrays give *n = 0. */
int njson_arr(struct njson_ctx *c, json_t *obj, const char *key, size_t max,
    bool required, json_t **out, size_t *n);
/* Array of strings, each <= cap bytes; *out is a heap array of heap strings. */
int njson_str_array(struct njson_ctx *c, json_t *obj, const char *key,
    size_t max, size_t cap, bool required, char ***out, size_t *n);
void njson_str_array_free(char **v, size_t n);

/* Wipe (OPENSSL_cleanse) and free a heap string; sets *s = NULL. Clinical
 * text and secrets should not linger in freed heap. */
void njson_str_free(char **s);

/* For decoders, which read fields in order and leave on the first error:
 * they need `int rc`, a context `c` and a `fail:` label. */
#define TRY(expr) do { if ((rc = (expr)) != NJSON_OK) goto fail; } while (0)
#define STR(obj, key, cap, req, dst) TRY(njson_str(c, (obj), (key), (cap), (req), &(dst)))

#endif
