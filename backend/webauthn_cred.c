/* WebAuthn-shaped registration: a new credential's packed attestation, checked by libfido2. */
#include "backend/webauthn_cred.h"

#include <stdio.h>
#include <string.h>

#include <fido.h>
#include <openssl/crypto.h>

static void
uuid_fmt(const unsigned char a[16], char out[37])
{
	size_t i, j = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		snprintf(out + j, 3, "%02x", a[i]);
		j += 2;
	}
	out[j] = '\0';
}

int
webauthn_verify_attestation(const char *rp_id, const struct webauthn_attestation *a,
    struct webauthn_new_cred *out, char *why, size_t why_len)
{
	fido_cred_t *c = NULL;
	const unsigned char *ad = a->auth_data;
	int r, rc = -1;

	memset(out, 0, sizeof(*out));
	if (a->auth_data_len < 37) {
		snprintf(why, why_len, "authenticator data is too short");
		return -1;
	}
	if (a->fmt == NULL || strcmp(a->fmt, "packed") != 0) {
		snprintf(why, why_len, "attestation format is not packed");
		return -1;
	}
	if ((c = fido_cred_new()) == NULL) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	/* The type first: libfido2 reads the attested key by it. UV is demanded
	 * here, so fido_cred_verify* refuse authenticator data without the flag. */
	if ((r = fido_cred_set_type(c, COSE_ES256)) != FIDO_OK ||
	    (r = fido_cred_set_rp(c, rp_id, NULL)) != FIDO_OK ||
	    (r = fido_cred_set_clientdata(c, a->client_data, a->client_data_len)) != FIDO_OK ||
	    (r = fido_cred_set_authdata_raw(c, a->auth_data, a->auth_data_len)) != FIDO_OK ||
	    (r = fido_cred_set_fmt(c, a->fmt)) != FIDO_OK ||
	    (r = fido_cred_set_sig(c, a->sig, a->sig_len)) != FIDO_OK ||
	    (r = fido_cred_set_rk(c, FIDO_OPT_TRUE)) != FIDO_OK ||
	    (r = fido_cred_set_uv(c, FIDO_OPT_TRUE)) != FIDO_OK ||
	    (a->x5c != NULL && (r = fido_cred_set_x509(c, a->x5c, a->x5c_len)) != FIDO_OK)) {
		snprintf(why, why_len, "malformed attestation: %s", fido_strerr(r));
		goto out;
	}
	r = a->x5c != NULL ? fido_cred_verify(c) : fido_cred_verify_self(c);
	if (r != FIDO_OK) {
		snprintf(why, why_len, "attestation does not verify: %s", fido_strerr(r));
		goto out;
	}
	/* Belt and braces: user present and verified (PIN or biometrics) at enrolment. */
	if ((fido_cred_flags(c) & 0x05) != 0x05) {
		snprintf(why, why_len, "authenticator data lacks UP or UV");
		goto out;
	}
	if (fido_cred_id_len(c) != a->cred_id_len ||
	    CRYPTO_memcmp(fido_cred_id_ptr(c), a->cred_id, a->cred_id_len) != 0) {
		snprintf(why, why_len, "credential_id is not the attested credential");
		goto out;
	}
	if (fido_cred_pubkey_len(c) != sizeof(out->pubkey) || fido_cred_aaguid_len(c) != 16) {
		snprintf(why, why_len, "attested key is not a P-256 point with an AAGUID");
		goto out;
	}
	memcpy(out->pubkey, fido_cred_pubkey_ptr(c), sizeof(out->pubkey));
	uuid_fmt(fido_cred_aaguid_ptr(c), out->aaguid);
	/* rpIdHash(32) flags(1) signCount(4, big endian): verified above to be there. */
	out->sign_count = (uint32_t)ad[33] << 24 | (uint32_t)ad[34] << 16 |
	    (uint32_t)ad[35] << 8 | (uint32_t)ad[36];
	rc = 0;
out:
	fido_cred_free(&c);
	return rc;
}
