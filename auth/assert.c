/* Client side of a FIDO2 sign-in: usernameless getAssertion through libfido2, encoded for the backend. */
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "auth/assert.h"
#include "common/b64url.h"

#define AD_FLAG_UV	0x04

void
auth_assertion_clear(struct auth_assertion *a)
{
	if (a == NULL)
		return;
	free(a->credential_id);
	free(a->client_data_json);
	free(a->authenticator_data);
	free(a->signature);
	free(a->user_handle);
	memset(a, 0, sizeof(*a));
}

char *
auth_client_data_json(const char *type, const char *challenge, const char *origin)
{
	json_t *o;
	char *s;

	/* member order matters to nobody but a human reader; keep the WebAuthn order */
	if ((o = json_pack("{s:s, s:s, s:s}", "type", type, "challenge", challenge,
	    "origin", origin)) == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* libfido2 1.12 hands out authenticator data wrapped in a CBOR byte string. */
static char *
raw_authdata_b64(const unsigned char *p, size_t n)
{
	struct cbor_load_result res;
	cbor_item_t *it;
	char *s = NULL;

	if (p == NULL || n == 0 || (it = cbor_load(p, n, &res)) == NULL)
		return NULL;
	if (res.read == n && cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it) &&
	    cbor_bytestring_length(it) >= 37)
		s = b64url_encode_alloc(cbor_bytestring_handle(it), cbor_bytestring_length(it));
	cbor_decref(&it);
	return s;
}

int
auth_get_assertion(fido_dev_t *dev, const char *rp_id, const char *challenge_b64url,
    const char *origin, const char *pin, struct auth_assertion *out, int *pin_retries)
{
	fido_assert_t *a = NULL;
	unsigned char *chal = NULL;
	char *cdj = NULL;
	size_t chal_len = 0;
	int r, fr;

	if (pin_retries != NULL)
		*pin_retries = -1;
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (dev == NULL || rp_id == NULL || rp_id[0] == '\0' || challenge_b64url == NULL ||
	    origin == NULL || origin[0] == '\0' || out == NULL || (pin != NULL && pin[0] == '\0'))
		return AUTH_E_ARG;
	/* refuse a challenge the server could not have issued */
	if ((chal = b64url_decode_alloc(challenge_b64url, &chal_len)) == NULL || chal_len < 16) {
		r = AUTH_E_ARG;
		goto fail;
	}
	r = AUTH_E_NOMEM;
	if ((cdj = auth_client_data_json("webauthn.get", challenge_b64url, origin)) == NULL || (a = fido_assert_new()) == NULL)
		goto fail;
	r = AUTH_E_ARG;
	if (fido_assert_set_rp(a, rp_id) != FIDO_OK ||
	    fido_assert_set_clientdata(a, (const unsigned char *)cdj, strlen(cdj)) != FIDO_OK)
		goto fail;

	fr = fido_dev_get_assert(dev, a, pin);
	if (fr != FIDO_OK) {
		r = auth_err_from_fido(fr);
		if (r == AUTH_E_PIN_INVALID && pin_retries != NULL &&
		    fido_dev_get_retry_count(dev, pin_retries) != FIDO_OK)
			*pin_retries = -1;
		goto fail;
	}
	r = AUTH_E_DEVICE;
	if (fido_assert_count(a) < 1 || fido_assert_id_len(a, 0) == 0 ||
	    fido_assert_sig_len(a, 0) == 0 || fido_assert_user_id_len(a, 0) == 0)
		goto fail;	/* usernameless: the key must name the user */
	r = AUTH_E_NOMEM;
	if ((out->credential_id = b64url_encode_alloc(fido_assert_id_ptr(a, 0), fido_assert_id_len(a, 0))) == NULL ||
	    (out->client_data_json = b64url_encode_alloc((const unsigned char *)cdj, strlen(cdj))) == NULL ||
	    (out->signature = b64url_encode_alloc(fido_assert_sig_ptr(a, 0), fido_assert_sig_len(a, 0))) == NULL ||
	    (out->user_handle = b64url_encode_alloc(fido_assert_user_id_ptr(a, 0),
	    fido_assert_user_id_len(a, 0))) == NULL)
		goto fail;
	if ((out->authenticator_data = raw_authdata_b64(fido_assert_authdata_ptr(a, 0),
	    fido_assert_authdata_len(a, 0))) == NULL) {
		r = AUTH_E_DEVICE;
		goto fail;
	}
	/* a PIN that produced no UV flag would fail step-up on the server anyway */
	if (pin != NULL && !auth_assertion_has_uv(out)) {
		r = AUTH_E_DEVICE;
		goto fail;
	}
	r = AUTH_OK;
fail:
	if (r != AUTH_OK)
		auth_assertion_clear(out);
	fido_assert_free(&a);
	free(cdj);
	free(chal);
	return r;
}

int
auth_assertion_has_uv(const struct auth_assertion *a)
{
	unsigned char *ad;
	size_t n = 0;
	int uv;

	if (a == NULL || a->authenticator_data == NULL ||
	    (ad = b64url_decode_alloc(a->authenticator_data, &n)) == NULL)
		return 0;
	uv = n >= 37 && (ad[32] & AD_FLAG_UV) != 0;
	free(ad);
	return uv;
}

char *
auth_assertion_to_json(const struct auth_assertion *a)
{
	json_t *o;
	char *s;

	if (a == NULL || a->credential_id == NULL || a->client_data_json == NULL ||
	    a->authenticator_data == NULL || a->signature == NULL || a->user_handle == NULL)
		return NULL;
	if ((o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "credential_id", a->credential_id,
	    "client_data_json", a->client_data_json, "authenticator_data", a->authenticator_data,
	    "signature", a->signature, "user_handle", a->user_handle)) == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
