/* Unit tests of assertion verification: client_data_json checks, libfido2 signature, counter rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "backend/util.h"
#include "backend/webauthn.h"
#include "common/b64url.h"
#include "tests/t.h"

static const unsigned char chal[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

static int
check_cd(const char *json)
{
	char why[160];

	return webauthn_check_client_data((const unsigned char *)json, strlen(json), "webauthn.get",
	    chal, sizeof(chal), "chartgate:cart-4w-01", why, sizeof(why));
}

/* client_data_json with the test challenge, and type/origin/extra as given. */
static void
cd(char *out, size_t n, const char *type, const char *origin, const char *extra)
{
	char b64[64];

	b64url_encode(chal, sizeof(chal), b64);
	snprintf(out, n, "{\"type\":\"%s\",\"challenge\":\"%s\",\"origin\":\"%s\"%s}", type, b64,
	    origin, extra);
}

static void
client_data_good_passes(void)
{
	char j[512];

	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-4w-01", "");
	T_CHECK(check_cd(j) == 0);
	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-4w-01", ",\"crossOrigin\":false");
	T_CHECK(check_cd(j) == 0);
}

static void
client_data_wrong_type_fails(void)
{
	char j[512];

	cd(j, sizeof(j), "webauthn.create", "chartgate:cart-4w-01", "");
	T_CHECK(check_cd(j) != 0);
}

static void
client_data_wrong_origin_fails(void)
{
	char j[512];

	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-5e-01", "");
	T_CHECK(check_cd(j) != 0);
	cd(j, sizeof(j), "webauthn.get", "https://chartgate.local", "");
	T_CHECK(check_cd(j) != 0);
}

static void
client_data_wrong_challenge_fails(void)
{
	T_CHECK(check_cd("{\"type\":\"webauthn.get\",\"challenge\":\"AQID\","
	    "\"origin\":\"chartgate:cart-4w-01\"}") != 0);
	/* Padding or another alphabet is not the same challenge. */
	T_CHECK(check_cd("{\"type\":\"webauthn.get\",\"challenge\":"
	    "\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\","
	    "\"origin\":\"chartgate:cart-4w-01\"}") != 0);
	T_CHECK(check_cd("{\"type\":\"webauthn.get\",\"origin\":\"chartgate:cart-4w-01\"}") != 0);
}

static void
client_data_malformed_fails(void)
{
	char j[512];

	T_CHECK(check_cd("not json") != 0);
	T_CHECK(check_cd("[]") != 0);
	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-4w-01", ",\"crossOrigin\":true");
	T_CHECK(check_cd(j) != 0);
	/* A second "origin" must not be able to override the first. */
	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-4w-01", ",\"origin\":\"chartgate:cart-4w-01\"");
	T_CHECK(check_cd(j) != 0);
}

/* A software assertion: authData = SHA-256(rp) | flags | counter, signed over authData | SHA-256(cdj). */
struct signer {
	EVP_PKEY *key;
	unsigned char pub[64];
};

static int
signer_new(struct signer *s)
{
	unsigned char pt[65];
	size_t len = 0;

	s->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (s->key == NULL || EVP_PKEY_get_octet_string_param(s->key, OSSL_PKEY_PARAM_PUB_KEY, pt,
	    sizeof(pt), &len) != 1 || len != 65)
		return -1;
	memcpy(s->pub, pt + 1, 64);
	return 0;
}

static int
sign(struct signer *s, const char *rp, unsigned char flags, uint32_t count, const char *cdj,
    unsigned char ad[37], unsigned char *sig, size_t *siglen)
{
	unsigned char msg[69];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	cg_sha256(rp, strlen(rp), ad);
	ad[32] = flags;
	ad[33] = (unsigned char)(count >> 24);
	ad[34] = (unsigned char)(count >> 16);
	ad[35] = (unsigned char)(count >> 8);
	ad[36] = (unsigned char)count;
	memcpy(msg, ad, 37);
	cg_sha256(cdj, strlen(cdj), msg + 37);
	ok = ctx != NULL && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, s->key) == 1 &&
	    EVP_DigestSign(ctx, sig, siglen, msg, sizeof(msg)) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int
verify(struct signer *s, const char *sign_rp, const char *verify_rp, unsigned char flags,
    int require_uv, int tamper, uint32_t *count)
{
	char j[512], why[160];
	unsigned char ad[37], sig[80];
	size_t siglen = sizeof(sig);
	struct webauthn_assertion a;

	cd(j, sizeof(j), "webauthn.get", "chartgate:cart-4w-01", "");
	if (sign(s, sign_rp, flags, 7, j, ad, sig, &siglen) != 0)
		return -2;
	if (tamper)
		sig[siglen - 3] ^= 0x01;
	a.client_data = (const unsigned char *)j;
	a.client_data_len = strlen(j);
	a.auth_data = ad;
	a.auth_data_len = sizeof(ad);
	a.sig = sig;
	a.sig_len = siglen;
	return webauthn_verify(verify_rp, &a, s->pub, require_uv, count, why, sizeof(why));
}

static void
assertion_signature_rp_and_flags_are_verified(void)
{
	struct signer s;
	uint32_t count = 0;

	T_CHECK(signer_new(&s) == 0);
	T_CHECK(verify(&s, "chartgate.local", "chartgate.local", 0x01, 0, 0, &count) == 0);
	T_CHECK(count == 7);
	T_CHECK(verify(&s, "chartgate.local", "chartgate.local", 0x01, 0, 1, &count) != 0);
	T_CHECK(verify(&s, "evil.example", "chartgate.local", 0x01, 0, 0, &count) != 0);
	/* No user presence, no login. */
	T_CHECK(verify(&s, "chartgate.local", "chartgate.local", 0x00, 0, 0, &count) != 0);
	/* Step-up demands UV. */
	T_CHECK(verify(&s, "chartgate.local", "chartgate.local", 0x01, 1, 0, &count) != 0);
	T_CHECK(verify(&s, "chartgate.local", "chartgate.local", 0x05, 1, 0, &count) == 0);
	EVP_PKEY_free(s.key);
}

static void
sign_count_must_increase_unless_both_zero(void)
{
	T_CHECK(webauthn_sign_count_ok(0, 0));
	T_CHECK(webauthn_sign_count_ok(0, 1));
	T_CHECK(webauthn_sign_count_ok(5, 6));
	T_CHECK(!webauthn_sign_count_ok(5, 5));
	T_CHECK(!webauthn_sign_count_ok(5, 4));
	T_CHECK(!webauthn_sign_count_ok(5, 0));
}

int
main(void)
{
	T_RUN(client_data_good_passes);
	T_RUN(client_data_wrong_type_fails);
	T_RUN(client_data_wrong_origin_fails);
	T_RUN(client_data_wrong_challenge_fails);
	T_RUN(client_data_malformed_fails);
	T_RUN(assertion_signature_rp_and_flags_are_verified);
	T_RUN(sign_count_must_increase_unless_both_zero);
	T_EXIT();
}
