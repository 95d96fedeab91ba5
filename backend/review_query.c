/* Query parameters of the reviewer desk: RFC 3339 times, page limits, opaque keyset cursors. */
#include "backend/review_query.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/b64url.h"

int
rq_time(const char *s, int64_t *out)
{
	struct tm tm;
	int n = 0;
	size_t len = s != NULL ? strlen(s) : 0;

	memset(&tm, 0, sizeof(tm));
	if (!(len == 10 && sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &n) == 3 && n == 10) &&
	    !(len == 20 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 6 && n == 20))
		return -1;
	if (tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int
rq_limit(const char *s, size_t def, size_t max, size_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

char *
rq_cursor_make(const char *sort, int64_t key, const char *id)
{
	char plain[160];
	int n = snprintf(plain, sizeof(plain), "%s|%" PRId64 "|%s", sort, key, id);

	if (n < 0 || (size_t)n >= sizeof(plain))
		return NULL;
	return b64url_encode_alloc((const unsigned char *)plain, (size_t)n);
}

int
rq_cursor_read(const char *cursor, const char *sort, int64_t *key, char id[STORE_ID_MAX])
{
	size_t n, sl = strlen(sort);
	unsigned char *raw;
	char plain[160], *end;
	int rc = -1;

	if (cursor == NULL || strlen(cursor) > 200 || (raw = b64url_decode_alloc(cursor, &n)) == NULL)
		return -1;
	if (n < sizeof(plain) && memchr(raw, '\0', n) == NULL) {
		memcpy(plain, raw, n);
		plain[n] = '\0';
		if (strncmp(plain, sort, sl) == 0 && plain[sl] == '|') {
			errno = 0;
			*key = strtoll(plain + sl + 1, &end, 10);
			if (errno == 0 && end != plain + sl + 1 && *end == '|' &&
			    strlen(end + 1) < STORE_ID_MAX) {
				snprintf(id, STORE_ID_MAX, "%s", end + 1);
				rc = 0;
			}
		}
	}
	free(raw);
	return rc;
}

json_t *
rq_csv_array(const char *csv)
{
	json_t *a = json_array();

	while (a != NULL && *csv != '\0') {
		size_t n = strcspn(csv, ",");

		json_array_append_new(a, json_stringn(csv, n));
		csv += n + (csv[n] == ',');
	}
	return a;
}
