/* Small backend helpers: times, random identifiers, hex, SHA-256. */
#include "backend/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

void
cg_time_fmt(int64_t t, char out[CG_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, CG_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, CG_TIME_LEN, "1970-01-01T00:00:00Z");
}

int64_t
cg_now(void)
{
	return (int64_t)time(NULL);
}

int
cg_random(unsigned char *buf, size_t n)
{
	if (n > (size_t)0x7fffffff)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

char *
cg_random_id(const char *prefix, size_t n)
{
	unsigned char raw[32];
	size_t plen = strlen(prefix);
	char *s;

	if (n > sizeof(raw) || cg_random(raw, n) != 0)
		return NULL;
	if ((s = malloc(plen + 2 * n + 1)) == NULL)
		return NULL;
	memcpy(s, prefix, plen);
	cg_hex(raw, n, s + plen);
	return s;
}

void
cg_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static EVP_MD *sha256_md;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *
cg_sha256_md(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	/* EVP_sha256() makes each digest fetch the implementation again (a locked look-up
	 * in OpenSSL 3): most of the cost of the two hashes of a decision. Kept for the life
	 * of the process. NULL (out of memory) makes every digest fail, which fails closed. */
	pthread_once(&once, sha256_fetch);
	return sha256_md;
}

void
cg_sha256(const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	const EVP_MD *md = cg_sha256_md();

	/* EVP_Digest only fails on allocation failure; a zero digest then
	 * matches nothing stored, which fails closed. */
	if (md == NULL || EVP_Digest(data, n, out, &len, md, NULL) != 1)
		memset(out, 0, 32);
}

void
cg_copy(char *dst, size_t size, const char *src)
{
	size_t n = src != NULL ? strnlen(src, size - 1) : 0;

	memcpy(dst, n > 0 ? src : "", n);
	dst[n] = '\0';
}

int
cg_workstation_ok(const char *ws, size_t max)
{
	size_t n = ws ? strlen(ws) : 0;

	return n > 0 && n < max &&
	    strspn(ws, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}
