/* Strict JSON loading and typed field access on top of jansson, with errors that name the field. */
#include "net/json.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
njson_strerror(int err)
{
	switch (err) {
	case NJSON_OK:		return "ok";
	case NJSON_ERR_ARG:	return "invalid argument";
	case NJSON_ERR_NOMEM:	return "out of memory";
	case NJSON_ERR_SYNTAX:	return "not valid JSON";
	case NJSON_ERR_DEPTH:	return "JSON nested too deeply";
	case NJSON_ERR_SIZE:	return "JSON document too large";
	case NJSON_ERR_MISSING:	return "required field missing";
	case NJSON_ERR_TYPE:	return "field has the wrong type";
	case NJSON_ERR_RANGE:	return "field too long or out of range";
	}
	return "unknown error";
}

size_t
njson_depth(const char *text, size_t len)
{
	size_t i, depth = 0, max = 0;
	int in_str = 0;

	if (text == NULL)
		return 0;
	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (in_str) {
			if (ch == '\\')
				i++;	/* the escaped char cannot end the string */
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		if (ch == '"')
			in_str = 1;
		else if (ch == '[' || ch == '{') {
			if (++depth > max)
				max = depth;
		} else if ((ch == ']' || ch == '}') && depth > 0)
			depth--;
	}
	return in_str ? SIZE_MAX : max;
}

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
njson_load_object(const char *text, size_t len, const char *what, json_t **out,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = NULL;
	size_t depth;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	if (what == NULL)
		what = "answer";
	if (text == NULL) {
		set_err(err, errlen, "%s: no body", what);
		return NJSON_ERR_ARG;
	}
	if (len > NJSON_MAX_DOC) {
		set_err(err, errlen, "%s: body is larger than %d bytes", what, NJSON_MAX_DOC);
		return NJSON_ERR_SIZE;
	}
	if (memchr(text, '\0', len) != NULL) {
		set_err(err, errlen, "%s: body contains a NUL byte", what);
		return NJSON_ERR_SYNTAX;
	}
	depth = njson_depth(text, len);
	if (depth == SIZE_MAX) {
		set_err(err, errlen, "%s: not valid JSON (unterminated string)", what);
		return NJSON_ERR_SYNTAX;
	}
	if (depth > NJSON_MAX_DEPTH) {
		set_err(err, errlen, "%s: JSON nested deeper than %d levels", what, NJSON_MAX_DEPTH);
		return NJSON_ERR_DEPTH;
	}
	/* Without JSON_DISABLE_EOF_CHECK json_loadb refuses trailing garbage;
	 * duplicate keys are refused so that no two readers can disagree. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		set_err(err, errlen, "%s: not valid JSON: %s (line %d, column %d)",
		    what, jerr.text, jerr.line, jerr.column);
		rc = NJSON_ERR_SYNTAX;
		goto fail;
	}
	if (!json_is_object(root)) {
		set_err(err, errlen, "%s: is not a JSON object", what);
		rc = NJSON_ERR_TYPE;
		goto fail;
	}
	*out = root;
	return NJSON_OK;
fail:
	json_decref(root);
	return rc;
}

void
njson_ctx_init(struct njson_ctx *c, const char *root, char *err, size_t errlen)
{
	c->root = root ? root : "answer";
	c->path[0] = '\0';
	c->err = err;
	c->errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
}

size_t
njson_push_key(struct njson_ctx *c, const char *key)
{
	size_t mark = strlen(c->path);

	snprintf(c->path + mark, sizeof c->path - mark, "%s%s", mark ? "." : "", key);
	return mark;
}

size_t
njson_push_index(struct njson_ctx *c, size_t i)
{
	size_t mark = strlen(c->path);

	snprintf(c->path + mark, sizeof c->path - mark, "[%zu]", i);
	return mark;
}

void
njson_pop(struct njson_ctx *c, size_t mark)
{
	if (mark < sizeof c->path)
		c->path[mark] = '\0';
}

int
njson_fail(struct njson_ctx *c, const char *key, int err, const char *msg)
{
	const char *sep = (c->path[0] && key) ? "." : "";

	if (key == NULL)
		key = "";
	if (c->path[0] == '\0' && key[0] == '\0')
		set_err(c->err, c->errlen, "%s: %s", c->root, msg);
	else
		set_err(c->err, c->errlen, "%s: %s%s%s %s", c->root, c->path, sep, key, msg);
	return err;
}

/* Looks up key; absent and null are the same "nothing here". */
static json_t *
member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

static int
check_obj(struct njson_ctx *c, json_t *obj)
{
	if (!json_is_object(obj))
		return njson_fail(c, NULL, NJSON_ERR_TYPE, "is not an object");
	return NJSON_OK;
}

static int
missing(struct njson_ctx *c, json_t *obj, const char *key, const char *type)
{
	char msg[64];

	if (json_object_get(obj, key) != NULL)	/* present but null */
		snprintf(msg, sizeof msg, "is null, expected %s", type);
	else
		snprintf(msg, sizeof msg, "is missing");
	return njson_fail(c, key, NJSON_ERR_MISSING, msg);
}

static int
copy_string(struct njson_ctx *c, json_t *v, const char *key, size_t cap, char **out)
{
	size_t len;
	char msg[64];

	if (!json_is_string(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not a string");
	len = json_string_length(v);
	if (len > cap) {
		snprintf(msg, sizeof msg, "is longer than %zu bytes", cap);
		return njson_fail(c, key, NJSON_ERR_RANGE, msg);
	}
	/* jansson refuses \u0000 unless asked; check anyway, C strings end at NUL. */
	if (memchr(json_string_value(v), '\0', len) != NULL)
		return njson_fail(c, key, NJSON_ERR_TYPE, "contains a NUL character");
	if ((*out = malloc(len + 1)) == NULL)
		return njson_fail(c, key, NJSON_ERR_NOMEM, "could not be stored (out of memory)");
	memcpy(*out, json_string_value(v), len);
	(*out)[len] = '\0';
	return NJSON_OK;
}

int
njson_str(struct njson_ctx *c, json_t *obj, const char *key, size_t cap,
    bool required, char **out)
{
	json_t *v;
	int rc;

	if (c == NULL || key == NULL || out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	if ((rc = check_obj(c, obj)) != NJSON_OK)
		return rc;
	if ((v = member(obj, key)) == NULL)
		return required ? missing(c, obj, key, "a string") : NJSON_OK;
	return copy_string(c, v, key, cap, out);
}

int
njson_bool(struct njson_ctx *c, json_t *obj, const char *key, bool required,
    bool def, bool *out)
{
	json_t *v;
	int rc;

	if (c == NULL || key == NULL || out == NULL)
		return NJSON_ERR_ARG;
	*out = def;
	if ((rc = check_obj(c, obj)) != NJSON_OK)
		return rc;
	if ((v = member(obj, key)) == NULL)
		return required ? missing(c, obj, key, "true or false") : NJSON_OK;
	if (!json_is_boolean(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not true or false");
	*out = json_is_true(v);
	return NJSON_OK;
}

int
njson_int(struct njson_ctx *c, json_t *obj, const char *key, bool required,
    long long min, long long max, long long def, long long *out)
{
	json_t *v;
	json_int_t n;
	char msg[96];
	int rc;

	if (c == NULL || key == NULL || out == NULL)
		return NJSON_ERR_ARG;
	*out = def;
	if ((rc = check_obj(c, obj)) != NJSON_OK)
		return rc;
	if ((v = member(obj, key)) == NULL)
		return required ? missing(c, obj, key, "an integer") : NJSON_OK;
	if (!json_is_integer(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not an integer");
	n = json_integer_value(v);
	if (n < min || n > max) {
		snprintf(msg, sizeof msg, "is out of range (%lld..%lld)", min, max);
		return njson_fail(c, key, NJSON_ERR_RANGE, msg);
	}
	*out = n;
	return NJSON_OK;
}

int
njson_obj(struct njson_ctx *c, json_t *obj, const char *key, json_t **out)
{
	json_t *v;
	int rc;

	if (c == NULL || key == NULL || out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	if ((rc = check_obj(c, obj)) != NJSON_OK)
		return rc;
	if ((v = member(obj, key)) == NULL)
		return missing(c, obj, key, "an object");
	if (!json_is_object(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not an object");
	*out = v;
	return NJSON_OK;
}

int
njson_arr(struct njson_ctx *c, json_t *obj, const char *key, size_t max,
    bool required, json_t **out, size_t *n)
{
	json_t *v;
	char msg[64];
	int rc;

	if (c == NULL || key == NULL || out == NULL || n == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	*n = 0;
	if ((rc = check_obj(c, obj)) != NJSON_OK)
		return rc;
	if ((v = member(obj, key)) == NULL)
		return required ? missing(c, obj, key, "an array") : NJSON_OK;
	if (!json_is_array(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not an array");
	if (json_array_size(v) > max) {
		snprintf(msg, sizeof msg, "has more than %zu entries", max);
		return njson_fail(c, key, NJSON_ERR_RANGE, msg);
	}
	*out = v;
	*n = json_array_size(v);
	return NJSON_OK;
}

void
njson_str_free(char **s)
{
	if (s == NULL || *s == NULL)
		return;
	OPENSSL_cleanse(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

void
njson_str_array_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		njson_str_free(&v[i]);
	free(v);
}

int
njson_str_array(struct njson_ctx *c, json_t *obj, const char *key, size_t max,
    size_t cap, bool required, char ***out, size_t *n)
{
	json_t *arr;
	char **v = NULL;
	size_t i, count, mark;
	int rc;

	if (out == NULL || n == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	*n = 0;
	if ((rc = njson_arr(c, obj, key, max, required, &arr, &count)) != NJSON_OK)
		return rc;
	if (count == 0)
		return NJSON_OK;
	if ((v = calloc(count, sizeof *v)) == NULL)
		return njson_fail(c, key, NJSON_ERR_NOMEM, "could not be stored (out of memory)");
	mark = njson_push_key(c, key);
	for (i = 0; i < count; i++) {
		size_t m = njson_push_index(c, i);

		rc = copy_string(c, json_array_get(arr, i), NULL, cap, &v[i]);
		njson_pop(c, m);
		if (rc != NJSON_OK)
			goto fail;
	}
	njson_pop(c, mark);
	*out = v;
	*n = count;
	return NJSON_OK;
fail:
	njson_pop(c, mark);
	njson_str_array_free(v, count);
	return rc;
}
