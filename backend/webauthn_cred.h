/* WebAuthn-shaped registration: verify a new credential's attestation with libfido2. */
#ifndef CHARTGATED_WEBAUTHN_CRED_H
#define CHARTGATED_WEBAUTHN_CRED_H

#include <stddef.h>
#include <stdint.h>

struct webauthn_attestation {
	const char *fmt;					/* only "packed" */
	const unsigned char *client_data; size_t client_data_len;
	const unsigned char *auth_data; size_t auth_data_len;	/* raw authenticator data */
	const unsigned char *sig; size_t sig_len;
	const unsigned char *x5c; size_t x5c_len;		/* leaf certificate (DER) or NULL: self */
	const unsigned char *cred_id; size_t cred_id_len;	/* the id the client claims */
};

struct webauthn_new_cred {
	unsigned char pubkey[64];	/* P-256 x || y */
	char aaguid[37];		/* UUID form */
	uint32_t sign_count;
};

/* Verify rpIdHash, UP and UV flags, an ES256 attested credential whose id is
 * cred_id, and the packed attestation signature (self attestation, or x5c
 * when given) over authData || SHA-256(clientDataJSON). Client data type,
 * challenge and origin are the caller's job (webauthn_check_client_data).
 * 0 and *out filled on success; else -1 and a reason for the log. */
int webauthn_verify_attestation(const char *rp_id, const struct webauthn_attestation *,
    struct webauthn_new_cred *out, char *why, size_t why_len);

#endif
