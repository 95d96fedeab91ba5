/* WebAuthn-shaped assertion verification: client data checks plus libfido2's signature check. */
#ifndef CHARTGATED_WEBAUTHN_H
#define CHARTGATED_WEBAUTHN_H

#include <stddef.h>
#include <stdint.h>

/* Check client_data_json: JSON object, "type" == type, "challenge" decodes to
 * exactly the expected bytes, "origin" == origin, crossOrigin absent or false.
 * 0 when all hold; else -1 and a short reason in why (for the log, not the client). */
int webauthn_check_client_data(const unsigned char *cdj, size_t len, const char *type,
    const unsigned char *challenge, size_t challenge_len, const char *origin,
    char *why, size_t why_len);

struct webauthn_assertion {
	const unsigned char *client_data; size_t client_data_len;
	const unsigned char *auth_data; size_t auth_data_len;	/* raw authenticator data */
	const unsigned char *sig; size_t sig_len;
};

/* Verify rpIdHash, flags (UP always; UV when require_uv) and the ES256
 * signature against pubkey (x || y). On success *sign_count is the
 * authenticator's counter; comparing it with the stored one is the caller's job. */
int webauthn_verify(const char *rp_id, const struct webauthn_assertion *,
    const unsigned char pubkey[64], int require_uv, uint32_t *sign_count,
    char *why, size_t why_len);

/* The counter rule: strictly increasing, except an authenticator that keeps none (both 0). */
int webauthn_sign_count_ok(uint32_t stored, uint32_t presented);

#endif
