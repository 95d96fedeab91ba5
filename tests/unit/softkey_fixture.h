/* Shared by the auth unit tests: a softkey file in a temporary directory, badges
 * enrolled through libfido2 as a real client would, and a monotonic clock. */
#ifndef CHARTGATE_TESTS_SOFTKEY_FIXTURE_H
#define CHARTGATE_TESTS_SOFTKEY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fido.h>

#include "auth/softkey.h"

#define RP "chartgate.local"

static char dir[64];
static char path[128];

static inline long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The directory and path of the softkey file for this test program; 0 or -1. */
static inline int
fixture_open(const char *tmpl)
{
	snprintf(dir, sizeof(dir), "%s", tmpl);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/softkey.json", dir);
	fido_init(FIDO_DISABLE_U2F_FALLBACK);
	return 0;
}

static inline void
fixture_close(void)
{
	unlink(path);
	rmdir(dir);
}

/* A new empty softkey file, loaded. */
static inline struct softkey *
fresh(void)
{
	struct softkey *sk = NULL;

	unlink(path);
	if (softkey_create(path) != SOFTKEY_OK || softkey_load(path, &sk) != SOFTKEY_OK)
		return NULL;
	return sk;
}

static inline void
cdh_of(unsigned char cdh[32], int seed)
{
	int i;

	for (i = 0; i < 32; i++)
		cdh[i] = (unsigned char)(seed + i * 7);
}

/* Enrol a badge for user through libfido2 on a blank authenticator; pk (may be NULL) gets x||y. */
static inline int
enrol(struct softkey *sk, const char *user, const char *pin, unsigned char pk[64])
{
	fido_dev_t *dev = NULL;
	fido_cred_t *cred = NULL;
	unsigned char cdh[32];
	int r = -1;

	cdh_of(cdh, 1);
	if (softkey_dev_open(sk, (int)softkey_count(sk), &dev) != SOFTKEY_OK)
		return -1;
	if (pin != NULL && fido_dev_set_pin(dev, pin, NULL) != FIDO_OK)
		goto fail;
	if ((cred = fido_cred_new()) == NULL ||
	    fido_cred_set_type(cred, COSE_ES256) != FIDO_OK ||
	    fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh)) != FIDO_OK ||
	    fido_cred_set_rp(cred, RP, "Chartgate") != FIDO_OK ||
	    fido_cred_set_user(cred, (const unsigned char *)user, strlen(user), user, "Display", NULL) != FIDO_OK ||
	    fido_cred_set_rk(cred, FIDO_OPT_TRUE) != FIDO_OK)
		goto fail;
	if (fido_dev_make_cred(dev, cred, pin) != FIDO_OK || fido_cred_verify_self(cred) != FIDO_OK)
		goto fail;
	if (pk != NULL) {
		if (fido_cred_pubkey_len(cred) != 64)
			goto fail;
		memcpy(pk, fido_cred_pubkey_ptr(cred), 64);
	}
	r = 0;
fail:
	fido_cred_free(&cred);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	return r;
}

#endif
