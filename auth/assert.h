/* Client side of a FIDO2 sign-in: a usernameless assertion turned into the POST /v1/auth/sessions body. */
#ifndef CHARTGATE_AUTH_ASSERT_H
#define CHARTGATE_AUTH_ASSERT_H

#include <fido.h>

#include "auth/error.h"

/* Every field is base64url without padding, heap-allocated.
 * authenticator_data is the RAW authenticator data (rpIdHash | flags |
 * signCount ...), not the CBOR byte string libfido2 hands out; the server
 * feeds it to fido_assert_set_authdata_raw. client_data_json is the
 * base64url of the exact JSON bytes whose SHA-256 the key signed. */
struct auth_assertion {
	char *credential_id;
	char *client_data_json;
	char *authenticator_data;
	char *signature;
	char *user_handle;
};

/* One usernameless assertion (empty allow list) on an open device.
 * client_data_json = {"type":"webauthn.get","challenge":C,"origin":O}.
 * pin: NULL = user presence only; else libfido2 gets a PIN token and the
 * key sets the UV flag (uv is never requested without a PIN: a PIN-only
 * key refuses "uv":true). On AUTH_E_PIN_INVALID *pin_retries (may be NULL)
 * gets the retries left, else -1. On success fills *out (clear it with
 * auth_assertion_clear); on failure *out is left empty. */
int auth_get_assertion(fido_dev_t *dev, const char *rp_id, const char *challenge_b64url,
    const char *origin, const char *pin, struct auth_assertion *out, int *pin_retries);

/* JSON body for POST /v1/auth/sessions without challenge_id:
 * {"credential_id","client_data_json","authenticator_data","signature","user_handle"}.
 * Heap string, NULL on failure. */
char *auth_assertion_to_json(const struct auth_assertion *a);

/* True when the authenticator data carries the UV flag (PIN verified). */
int auth_assertion_has_uv(const struct auth_assertion *a);

void auth_assertion_clear(struct auth_assertion *a);

/* WebAuthn-shaped client data: {"type","challenge","origin"}, compact.
 * type: "webauthn.get" or "webauthn.create". Heap string, NULL on failure. */
char *auth_client_data_json(const char *type, const char *challenge, const char *origin);

#endif
