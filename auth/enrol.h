/* Enrolling a new authenticator for a user: PIN set-up on a blank key, then a discoverable credential with UV. */
#ifndef CHARTGATE_AUTH_ENROL_H
#define CHARTGATE_AUTH_ENROL_H

#include <fido.h>

#include "auth/error.h"

/* Failures only an enrolment has, beyond enum auth_err. */
enum auth_enrol_err {
	AUTH_E_KEY_FULL = 100,		/* the key has no room for another credential */
	AUTH_E_ALREADY_ENROLLED,	/* the key already holds this user's credential */
};

/* What the server's challenge asks for (POST .../authenticators/challenge). */
struct auth_enrol_req {
	const char *rp_id;
	const char *challenge;		/* base64url, from the server */
	const char *origin;		/* "chartgate:<workstation>" */
	const char *user_handle;	/* base64url of the user id's bytes */
	const char *user_name;
	const char *display_name;
	const char *pin;		/* the key's PIN, or the new one when set_pin */
	int set_pin;			/* the key has none yet: set pin first */
};

/* The new credential, every field base64url without padding, heap-allocated:
 * the body of POST /v1/helpdesk/users/{id}/authenticators. */
struct auth_enrolment {
	char *credential_id;
	char *client_data_json;		/* base64url of the exact JSON bytes */
	char *fmt;			/* "packed" */
	char *authenticator_data;	/* raw, with the attested credential */
	char *signature;
	char *x5c;			/* NULL: self attestation */
};

/* Whether the key on dev has a PIN (clientPin option). 1 yes, 0 no. */
int auth_dev_has_pin(fido_dev_t *dev);

/* On an open device: sets req->pin as the key's PIN when req->set_pin
 * (AUTH_E_PIN_POLICY when it is not 4..63 bytes), then makes an ES256
 * discoverable credential for req->rp_id and the user with user
 * verification by that PIN, and checks its attestation signature.
 * On AUTH_E_PIN_INVALID *pin_retries (may be NULL) gets the tries left,
 * else -1. Returns enum auth_err or enum auth_enrol_err; fills *out only on
 * success (clear it with auth_enrolment_clear). */
int auth_make_credential(fido_dev_t *dev, const struct auth_enrol_req *req,
    struct auth_enrolment *out, int *pin_retries);

void auth_enrolment_clear(struct auth_enrolment *e);

/* Words for the helpdesk and the clinician at the desk, for any code
 * auth_make_credential or the worker returns. */
const char *auth_enrol_strerror(int err);

#endif
