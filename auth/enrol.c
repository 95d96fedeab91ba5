/* Enrolment through libfido2: set the PIN of a blank key, makeCredential (rk, UV by PIN), encode the attestation. */
#include "auth/enrol.h"

#include <stdlib.h>
#include <string.h>

#include "auth/assert.h"
#include "common/b64url.h"

#define AD_FLAG_UV	0x04

void
auth_enrolment_clear(struct auth_enrolment *e)
{
	if (e == NULL)
		return;
	free(e->credential_id);
	free(e->client_data_json);
	free(e->fmt);
	free(e->authenticator_data);
	free(e->signature);
	free(e->x5c);
	memset(e, 0, sizeof(*e));
}

int
auth_dev_has_pin(fido_dev_t *dev)
{
	return dev != NULL && fido_dev_has_pin(dev);
}

static int
enrol_err_from_fido(int fr)
{
	if (fr == FIDO_ERR_KEY_STORE_FULL)
		return AUTH_E_KEY_FULL;
	if (fr == FIDO_ERR_CREDENTIAL_EXCLUDED)
		return AUTH_E_ALREADY_ENROLLED;
	return auth_err_from_fido(fr);
}

static char *
b64(const unsigned char *p, size_t n)
{
	return p != NULL && n > 0 ? b64url_encode_alloc(p, n) : NULL;
}

/* The answer, encoded; AUTH_E_DEVICE when the key left something out. */
static int
encode(const fido_cred_t *c, const char *cdj, struct auth_enrolment *out)
{
	const unsigned char *ad = fido_cred_authdata_raw_ptr(c);
	size_t adlen = fido_cred_authdata_raw_len(c);

	if (ad == NULL || adlen < 37 || (ad[32] & AD_FLAG_UV) == 0 || fido_cred_fmt(c) == NULL)
		return AUTH_E_DEVICE;	/* the server refuses a credential without UV */
	if ((out->credential_id = b64(fido_cred_id_ptr(c), fido_cred_id_len(c))) == NULL ||
	    (out->client_data_json = b64((const unsigned char *)cdj, strlen(cdj))) == NULL ||
	    (out->fmt = strdup(fido_cred_fmt(c))) == NULL ||
	    (out->authenticator_data = b64(ad, adlen)) == NULL ||
	    (out->signature = b64(fido_cred_sig_ptr(c), fido_cred_sig_len(c))) == NULL)
		return AUTH_E_NOMEM;
	if (fido_cred_x5c_len(c) > 0 && (out->x5c = b64(fido_cred_x5c_ptr(c), fido_cred_x5c_len(c))) == NULL)
		return AUTH_E_NOMEM;
	return AUTH_OK;
}

static int
req_ok(const struct auth_enrol_req *r)
{
	return r != NULL && r->rp_id != NULL && r->rp_id[0] != '\0' && r->challenge != NULL &&
	    r->origin != NULL && r->origin[0] != '\0' && r->user_handle != NULL &&
	    r->user_name != NULL && r->display_name != NULL && r->pin != NULL;
}

int
auth_make_credential(fido_dev_t *dev, const struct auth_enrol_req *req,
    struct auth_enrolment *out, int *pin_retries)
{
	fido_cred_t *c = NULL;
	unsigned char *uid = NULL, *chal = NULL;
	size_t uid_len = 0, chal_len = 0;
	char *cdj = NULL;
	int r, fr;

	if (pin_retries != NULL)
		*pin_retries = -1;
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (dev == NULL || out == NULL || !req_ok(req))
		return AUTH_E_ARG;
	r = AUTH_E_ARG;
	if ((chal = b64url_decode_alloc(req->challenge, &chal_len)) == NULL || chal_len < 16 ||
	    (uid = b64url_decode_alloc(req->user_handle, &uid_len)) == NULL || uid_len == 0 ||
	    uid_len > 64)
		goto fail;
	if (req->set_pin && (fr = fido_dev_set_pin(dev, req->pin, NULL)) != FIDO_OK) {
		r = fr == FIDO_ERR_NOT_ALLOWED ? AUTH_E_DEVICE : enrol_err_from_fido(fr);
		goto fail;
	}
	r = AUTH_E_NOMEM;
	if ((cdj = auth_client_data_json("webauthn.create", req->challenge, req->origin)) == NULL ||
	    (c = fido_cred_new()) == NULL)
		goto fail;
	r = AUTH_E_ARG;
	/* rk without "uv": a PIN-only key refuses uv=true; the PIN token gives UV */
	if (fido_cred_set_type(c, COSE_ES256) != FIDO_OK ||
	    fido_cred_set_clientdata(c, (const unsigned char *)cdj, strlen(cdj)) != FIDO_OK ||
	    fido_cred_set_rp(c, req->rp_id, NULL) != FIDO_OK ||
	    fido_cred_set_user(c, uid, uid_len, req->user_name, req->display_name, NULL) != FIDO_OK ||
	    fido_cred_set_rk(c, FIDO_OPT_TRUE) != FIDO_OK)
		goto fail;
	if ((fr = fido_dev_make_cred(dev, c, req->pin)) != FIDO_OK) {
		r = enrol_err_from_fido(fr);
		if (r == AUTH_E_PIN_INVALID && pin_retries != NULL &&
		    fido_dev_get_retry_count(dev, pin_retries) != FIDO_OK)
			*pin_retries = -1;
		goto fail;
	}
	fr = fido_cred_x5c_len(c) > 0 ? fido_cred_verify(c) : fido_cred_verify_self(c);
	r = fr != FIDO_OK ? AUTH_E_DEVICE : encode(c, cdj, out);
fail:
	if (r != AUTH_OK)
		auth_enrolment_clear(out);
	fido_cred_free(&c);
	free(cdj);
	free(chal);
	free(uid);
	return r;
}

const char *
auth_enrol_strerror(int err)
{
	switch (err) {
	case AUTH_OK: return "The new badge key is enrolled.";
	case AUTH_E_KEY_FULL: return "This key is full: it has no room for another credential. Use another key.";
	case AUTH_E_ALREADY_ENROLLED: return "This key already holds a credential for this user.";
	case AUTH_E_PIN_NOT_SET:
	case AUTH_E_PIN_REQUIRED: return "This key has no PIN: set one first.";
	case AUTH_E_PIN_POLICY: return "That PIN is not allowed: use 4 to 63 characters.";
	case AUTH_E_PIN_INVALID: return "Wrong PIN for this key.";
	case AUTH_E_CANCELLED: return "Enrolment cancelled.";
	case AUTH_E_TIMEOUT: return "The key was not touched in time. Start again.";
	case AUTH_E_NO_DEVICE: return "No key found. Attach the new key and start again.";
	case AUTH_E_DEVICE: return "The key did not answer correctly (no user verification?). Try again or use another key.";
	}
	return auth_strerror(err);
}
