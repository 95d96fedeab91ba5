/* Binding a library's functions to pointers after dlopen, for libraries the client loads
 * after its first paint (net/curl_dl.c, auth/crypto_dl.c). */
#ifndef CHARTGATE_COMMON_DL_H
#define CHARTGATE_COMMON_DL_H

#include <stddef.h>

struct dl_sym {
	const char *name;
	void *slot;		/* the address of the function pointer to fill */
};

/* Fills every slot from lib, a dlopen result for soname (NULL: the open failed, and
 * dlerror() says why). 0, or -1 with the reason in why. lib is never closed: the
 * libraries bound this way keep global state until exit. */
int dl_bind(void *lib, const char *soname, const struct dl_sym *syms, size_t n,
    char *why, size_t whylen);

#endif
