/* Small backend helpers: times, random identifiers, hex, SHA-256. */
#ifndef CHARTGATED_UTIL_H
#define CHARTGATED_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CG_TIME_LEN 24 /* "2026-01-02T03:04:05Z" + NUL, with room */

/* RFC 3339 UTC, second precision: the only time format on the wire. */
void cg_time_fmt(int64_t t, char out[CG_TIME_LEN]);
int64_t cg_now(void);

/* Fill buf with n bytes from OpenSSL's CSPRNG; 0 on success. */
int cg_random(unsigned char *buf, size_t n);

/* prefix + hex of n random bytes, heap allocated; NULL on failure. */
char *cg_random_id(const char *prefix, size_t n);

void cg_hex(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
void cg_sha256(const void *data, size_t n, unsigned char out[32]);
/* SHA-256, fetched once (NULL if that failed): for EVP_DigestInit_ex. */
const struct evp_md_st *cg_sha256_md(void);
/* snprintf(dst, size, "%s", src ? src : "") without the formatter: truncates, always
 * terminates (size > 0). For copies on a decision's path, where formatting showed. */
void cg_copy(char *dst, size_t size, const char *src);

/* A workstation id as it may appear in an origin and in the audit trail: 1..max-1
 * characters of [A-Za-z0-9._-]. */
int cg_workstation_ok(const char *ws, size_t max);

#endif
