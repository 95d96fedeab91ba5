/* WebAuthn-shaped assertion verification: client data checks plus libfido2's signature check. */
#include "backend/webauthn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fido.h>
#include <fido/es256.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "common/b64url.h"

int
webauthn_check_client_data(const unsigned char *cdj, size_t len, const char *type,
    const unsigned char *challenge, size_t challenge_len, const char *origin,
    char *why, size_t why_len)
{
	json_t *root, *v;
	const char *s;
	unsigned char *got = NULL;
	size_t got_len = 0;
	int rc = -1;

	root = json_loadb((const char *)cdj, len, JSON_REJECT_DUPLICATES, NULL);
	if (root == NULL || !json_is_object(root)) {
		snprintf(why, why_len, "client_data_json is not a JSON object");
		goto out;
	}
	if ((s = json_string_value(json_object_get(root, "type"))) == NULL || strcmp(s, type) != 0) {
		snprintf(why, why_len, "client_data_json type is not %s", type);
		goto out;
	}
	if ((s = json_string_value(json_object_get(root, "challenge"))) == NULL ||
	    (got = b64url_decode_alloc(s, &got_len)) == NULL || got_len != challenge_len ||
	    CRYPTO_memcmp(got, challenge, challenge_len) != 0) {
		snprintf(why, why_len, "client_data_json challenge does not match");
		goto out;
	}
	if ((s = json_string_value(json_object_get(root, "origin"))) == NULL || strcmp(s, origin) != 0) {
		snprintf(why, why_len, "client_data_json origin is not %s", origin);
		goto out;
	}
	v = json_object_get(root, "crossOrigin");
	if (v != NULL && !json_is_false(v)) {
		snprintf(why, why_len, "client_data_json crossOrigin is set");
		goto out;
	}
	rc = 0;
out:
	free(got);
	json_decref(root);
	return rc;
}

int
webauthn_verify(const char *rp_id, const struct webauthn_assertion *a,
    const unsigned char pubkey[64], int require_uv, uint32_t *sign_count,
    char *why, size_t why_len)
{
	fido_assert_t *fa = NULL;
	es256_pk_t *pk = NULL;
	int r, rc = -1;

	if ((fa = fido_assert_new()) == NULL || (pk = es256_pk_new()) == NULL) {
		snprintf(why, why_len, "out of memory");
		goto out;
	}
	if ((r = es256_pk_from_ptr(pk, pubkey, 64)) != FIDO_OK) {
		snprintf(why, why_len, "stored public key: %s", fido_strerr(r));
		goto out;
	}
	if ((r = fido_assert_set_rp(fa, rp_id)) != FIDO_OK ||
	    (r = fido_assert_set_clientdata(fa, a->client_data, a->client_data_len)) != FIDO_OK ||
	    (r = fido_assert_set_count(fa, 1)) != FIDO_OK ||
	    (r = fido_assert_set_authdata_raw(fa, 0, a->auth_data, a->auth_data_len)) != FIDO_OK ||
	    (r = fido_assert_set_sig(fa, 0, a->sig, a->sig_len)) != FIDO_OK ||
	    (r = fido_assert_set_up(fa, FIDO_OPT_TRUE)) != FIDO_OK ||
	    (r = fido_assert_set_uv(fa, require_uv ? FIDO_OPT_TRUE : FIDO_OPT_OMIT)) != FIDO_OK) {
		snprintf(why, why_len, "malformed assertion: %s", fido_strerr(r));
		goto out;
	}
	if ((r = fido_assert_verify(fa, 0, COSE_ES256, pk)) != FIDO_OK) {
		snprintf(why, why_len, "assertion does not verify: %s", fido_strerr(r));
		goto out;
	}
	*sign_count = fido_assert_sigcount(fa, 0);
	rc = 0;
out:
	es256_pk_free(&pk);
	fido_assert_free(&fa);
	return rc;
}

int
webauthn_sign_count_ok(uint32_t stored, uint32_t presented)
{
	if (stored == 0 && presented == 0)
		return 1;
	return presented > stored;
}
