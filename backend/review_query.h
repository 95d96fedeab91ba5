/* Query parameters of the reviewer desk: times, limits, opaque keyset cursors. */
#ifndef CHARTGATED_REVIEW_QUERY_H
#define CHARTGATED_REVIEW_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend/store.h"

/* "2026-11-23T16:37:57Z" or "2026-11-23" (midnight UTC) -> seconds; 0 on success. */
int rq_time(const char *s, int64_t *out);

/* NULL -> def; else a decimal 1..max. 0 on success. */
int rq_limit(const char *s, size_t def, size_t max, size_t *out);

/* An opaque cursor for the page after (key, id) of a list sorted by `sort` ("risk",
 * "age", "grants", "audit"); heap string, NULL on failure. */
char *rq_cursor_make(const char *sort, int64_t key, const char *id);
/* Read a cursor made for the same sort; 0 on success, -1 when it is not one. */
int rq_cursor_read(const char *cursor, const char *sort, int64_t *key, char id[STORE_ID_MAX]);

/* "a,b" -> ["a","b"]; "" -> []. */
json_t *rq_csv_array(const char *csv);

#endif
