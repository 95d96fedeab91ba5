/* Binding a dlopen'ed library's functions to pointers. */
#include "common/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym results must fit a function pointer");

int
dl_bind(void *lib, const char *soname, const struct dl_sym *syms, size_t n, char *why, size_t whylen)
{
	size_t i;

	if (lib == NULL) {
		snprintf(why, whylen, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		void *p = dlsym(lib, syms[i].name);

		if (p == NULL) {
			snprintf(why, whylen, "%s: no %s", soname, syms[i].name);
			return -1;
		}
		/* POSIX guarantees a dlsym result converts to a function pointer; memcpy
		 * says so without a cast ISO C frowns on. */
		memcpy(syms[i].slot, &p, sizeof(p));
	}
	return 0;
}
