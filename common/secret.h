/* Secrets in memory (session tokens, PINs): locked when possible, wiped when done. */
#ifndef CHARTGATE_SECRET_H
#define CHARTGATE_SECRET_H

#include <stddef.h>

struct secret {
	char *p;	/* NUL-terminated copy, or NULL */
	size_t len;
};

/* Replaces s's value with a copy of len bytes of v (the old value is wiped).
 * The copy is mlock()ed where the system allows, so it is never swapped.
 * Returns 0, or -1 on allocation failure (s is then empty). */
int secret_set(struct secret *s, const char *v, size_t len);
/* Wipes with OPENSSL_cleanse, unlocks and frees; s is empty afterwards. */
void secret_wipe(struct secret *s);

#endif
