/* A JSON text written straight into a buffer, for a reply too hot to build as a jansson tree. */
#ifndef CHARTGATED_JSONW_H
#define CHARTGATED_JSONW_H

#include <stddef.h>

#include <jansson.h>

/* Zero-initialise; every call after a failure does nothing. */
struct jsonw {
	char *buf;
	size_t len, cap;
	int failed;		/* out of memory, or a string that is not UTF-8 */
};

/* Text as it is: punctuation and keys we wrote ourselves. */
void jsonw_raw(struct jsonw *, const char *text);
/* Bytes as they are, NULs too: jsonw as a growing buffer of anything. */
void jsonw_bytes(struct jsonw *, const void *p, size_t n);
/* A string value, escaped as json_dumps escapes it; invalid UTF-8 fails the text (as
 * json_string would refuse it). */
void jsonw_str(struct jsonw *, const char *s);
/* lead (punctuation and the key, as jsonw_raw), then value as jsonw_str: one member. */
void jsonw_member(struct jsonw *, const char *lead, const char *value);
/* "A B C" -> ["A","B","C"] */
void jsonw_words(struct jsonw *, const char *s);
/* A (small) jansson value, dumped compact; NULL fails the text. */
void jsonw_json(struct jsonw *, const json_t *);
/* The text, NUL-terminated, for the caller to free; NULL when it failed. Empties w. */
char *jsonw_finish(struct jsonw *);

#endif
