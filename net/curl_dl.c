/* libcurl, loaded on first use: the client defines the curl_* calls it makes and forwards them. */
#define CURL_DISABLE_TYPECHECK		/* these are the functions, not typecheck-gcc.h's macros */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include "common/dl.h"
#include "net/curl_dl.h"

/*
 * Why: Debian's libcurl brings 25 libraries with it (gnutls, nettle, gmp,
 * krb5, ldap, sasl, ssh2, p11-kit, unistring, ...). Mapping, relocating and
 * initialising them took ~4 ms of a 12 ms start, and the lock screen needs
 * none of them. Linked normally, they load before main(); loaded here, they
 * load when the client first talks to chartgated, after the first paint.
 * Only the functions net/ and the tools use are forwarded; anything else
 * would fail to link, not misbehave.
 */
#define CURL_SONAME "libcurl.so.4"	/* the ABI <curl/curl.h> describes */

typedef void (*curl_fn)(void);		/* any function pointer passed to setopt */

static struct {
	CURLcode (*global_init)(long);
	CURLcode (*global_init_mem)(long, curl_malloc_callback, curl_free_callback,
	    curl_realloc_callback, curl_strdup_callback, curl_calloc_callback);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[256] = "libcurl was not loaded";

/*
 * GnuTLS comes only as librtmp's (and libldap's) TLS: this client's libcurl
 * speaks TLS through OpenSSL, and http.c allows http and https only. Its
 * constructor still initialises it in full (crypto back end, the PKIX ASN.1
 * trees, p11-kit): ~0.8 MB resident and ~1 ms for a library never called.
 * GnuTLS documents GNUTLS_NO_IMPLICIT_INIT=1 to skip that; its constructor
 * runs inside dlopen, so the variable is needed only around it.
 */
static void *
open_curl(void)
{
	int set = getenv("GNUTLS_NO_IMPLICIT_INIT") == NULL &&
	    setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0) == 0;
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (set)
		unsetenv("GNUTLS_NO_IMPLICIT_INIT");
	return lib;
}

static void
load(void)
{
	static const struct dl_sym syms[] = {
		{ "curl_global_init", &fn.global_init },
		{ "curl_global_init_mem", &fn.global_init_mem },
		{ "curl_global_cleanup", &fn.global_cleanup },
		{ "curl_easy_init", &fn.easy_init },
		{ "curl_easy_cleanup", &fn.easy_cleanup },
		{ "curl_easy_setopt", &fn.easy_setopt },
		{ "curl_easy_getinfo", &fn.easy_getinfo },
		{ "curl_easy_strerror", &fn.easy_strerror },
		{ "curl_slist_append", &fn.slist_append },
		{ "curl_slist_free_all", &fn.slist_free_all },
		{ "curl_multi_init", &fn.multi_init },
		{ "curl_multi_cleanup", &fn.multi_cleanup },
		{ "curl_multi_setopt", &fn.multi_setopt },
		{ "curl_multi_add_handle", &fn.multi_add_handle },
		{ "curl_multi_remove_handle", &fn.multi_remove_handle },
		{ "curl_multi_socket_action", &fn.multi_socket_action },
		{ "curl_multi_perform", &fn.multi_perform },
		{ "curl_multi_poll", &fn.multi_poll },
		{ "curl_multi_info_read", &fn.multi_info_read },
	};

	/* libcurl and OpenSSL keep global state until exit: never closed (common/dl.h). */
	if (dl_bind(open_curl(), CURL_SONAME, syms, sizeof(syms) / sizeof(syms[0]), why,
	    sizeof(why)) == 0)
		loaded = 1;
}

int
curl_dl_load(void)
{
	pthread_once(&once, load);
	return loaded ? 0 : -1;
}

const char *
curl_dl_error(void)
{
	return loaded ? "" : why;
}

/* ---- the forwarded calls: before a successful load, each fails as libcurl would ---- */

CURLcode
curl_global_init(long flags)
{
	return curl_dl_load() == 0 ? fn.global_init(flags) : CURLE_FAILED_INIT;
}

CURLcode
curl_global_init_mem(long flags, curl_malloc_callback m, curl_free_callback f,
    curl_realloc_callback r, curl_strdup_callback s, curl_calloc_callback c)
{
	return curl_dl_load() == 0 ? fn.global_init_mem(flags, m, f, r, s, c) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	if (loaded)
		fn.global_cleanup();
}

CURL *
curl_easy_init(void)
{
	return curl_dl_load() == 0 ? fn.easy_init() : NULL;
}

void
curl_easy_cleanup(CURL *curl)
{
	if (loaded)
		fn.easy_cleanup(curl);
}

/* The option number says the type of its one argument, as libcurl's own setopt reads it. */
#define FORWARD_OPTION(call, handle, option, ap) \
	((option) < CURLOPTTYPE_OBJECTPOINT ? call(handle, option, va_arg(ap, long)) : \
	 (option) < CURLOPTTYPE_FUNCTIONPOINT ? call(handle, option, va_arg(ap, void *)) : \
	 (option) < CURLOPTTYPE_OFF_T ? call(handle, option, va_arg(ap, curl_fn)) : \
	 (option) < CURLOPTTYPE_BLOB ? call(handle, option, va_arg(ap, curl_off_t)) : \
	 call(handle, option, va_arg(ap, void *)))

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	if (!loaded)
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	rc = FORWARD_OPTION(fn.easy_setopt, curl, option, ap);
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	if (!loaded)
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	rc = fn.easy_getinfo(curl, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

const char *
curl_easy_strerror(CURLcode code)
{
	return loaded ? fn.easy_strerror(code) : why;
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *s)
{
	return curl_dl_load() == 0 ? fn.slist_append(list, s) : NULL;
}

void
curl_slist_free_all(struct curl_slist *list)
{
	if (loaded)
		fn.slist_free_all(list);
}

CURLM *
curl_multi_init(void)
{
	return curl_dl_load() == 0 ? fn.multi_init() : NULL;
}

CURLMcode
curl_multi_cleanup(CURLM *m)
{
	return loaded ? fn.multi_cleanup(m) : CURLM_BAD_HANDLE;
}

CURLMcode
curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
	va_list ap;
	CURLMcode rc;

	if (!loaded)
		return CURLM_BAD_HANDLE;
	va_start(ap, option);
	rc = FORWARD_OPTION(fn.multi_setopt, m, option, ap);
	va_end(ap);
	return rc;
}

CURLMcode
curl_multi_add_handle(CURLM *m, CURL *curl)
{
	return loaded ? fn.multi_add_handle(m, curl) : CURLM_BAD_HANDLE;
}

CURLMcode
curl_multi_remove_handle(CURLM *m, CURL *curl)
{
	return loaded ? fn.multi_remove_handle(m, curl) : CURLM_BAD_HANDLE;
}

CURLMcode
curl_multi_socket_action(CURLM *m, curl_socket_t s, int ev_bitmask, int *running)
{
	return loaded ? fn.multi_socket_action(m, s, ev_bitmask, running) : CURLM_BAD_HANDLE;
}

CURLMcode
curl_multi_perform(CURLM *m, int *running)
{
	return loaded ? fn.multi_perform(m, running) : CURLM_BAD_HANDLE;
}

CURLMcode
curl_multi_poll(CURLM *m, struct curl_waitfd *extra, unsigned int n, int timeout_ms, int *numfds)
{
	return loaded ? fn.multi_poll(m, extra, n, timeout_ms, numfds) : CURLM_BAD_HANDLE;
}

CURLMsg *
curl_multi_info_read(CURLM *m, int *msgs_in_queue)
{
	return loaded ? fn.multi_info_read(m, msgs_in_queue) : NULL;
}
