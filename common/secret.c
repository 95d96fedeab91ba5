/* Secrets in memory: locked when possible, wiped with OPENSSL_cleanse when done. */
#include "secret.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int
secret_set(struct secret *s, const char *v, size_t len)
{
	secret_wipe(s);
	s->p = malloc(len + 1);
	if (s->p == NULL)
		return -1;
	(void)mlock(s->p, len + 1);	/* best effort: RLIMIT_MEMLOCK may say no */
	memcpy(s->p, v, len);
	s->p[len] = '\0';
	s->len = len;
	return 0;
}

void
secret_wipe(struct secret *s)
{
	if (s == NULL || s->p == NULL)
		return;
	OPENSSL_cleanse(s->p, s->len + 1);
	(void)munlock(s->p, s->len + 1);
	free(s->p);
	s->p = NULL;
	s->len = 0;
}
