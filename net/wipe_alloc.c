/* Allocation hooks for libcurl, jansson and OpenSSL that wipe blocks before freeing them. */
#include "net/wipe_alloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* malloc_usable_size covers the whole block, so slack beyond the last
 * write is wiped too; cheap next to a network round trip. */
static void
wipe_free(void *p)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

/* realloc would free the old block unwiped: copy, then wipe it ourselves. */
static void *
wipe_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		wipe_free(p);
		return NULL;
	}
	old = malloc_usable_size(p);
	if ((q = malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	wipe_free(p);
	return q;
}

static char *
wipe_strdup(const char *s)
{
	return strdup(s);
}

static void *
ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return malloc(n);
}

static void *
ossl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return wipe_realloc(p, n);
}

static void
ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	wipe_free(p);
}

void
net_wipe_alloc_install_jansson(void)
{
	json_set_alloc_funcs(malloc, wipe_free);
}

int
net_wipe_alloc_install_openssl(void)
{
	return CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free) == 1 ? 0 : -1;
}

int
net_wipe_alloc_install_curl(void)
{
	/* The first global init sets the functions; later ones only count. */
	return curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wipe_free, wipe_realloc,
	    wipe_strdup, calloc) == CURLE_OK ? 0 : -1;
}
