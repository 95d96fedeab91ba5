/* Authentication errors: libfido2 statuses mapped to plain meanings, and their wording. */
#include <fido.h>

#include "auth/error.h"

const char *
auth_strerror(int err)
{
	switch (err) {
	case AUTH_OK: return "Signed in.";
	case AUTH_E_ARG: return "Internal error: the sign-in request was malformed.";
	case AUTH_E_NOMEM: return "The workstation ran out of memory.";
	case AUTH_E_NO_DEVICE: return "No badge key found. Plug in or tap your badge key and try again.";
	case AUTH_E_NO_CREDENTIALS: return "This badge key is not registered with chartgate.";
	case AUTH_E_PIN_REQUIRED: return "This badge key needs its PIN.";
	case AUTH_E_PIN_INVALID: return "Wrong PIN.";
	case AUTH_E_PIN_BLOCKED: return "This badge key is locked after too many wrong PINs. Call the service desk.";
	case AUTH_E_PIN_AUTH_BLOCKED: return "Too many wrong PINs in a row. Remove and re-insert the badge key, then try again.";
	case AUTH_E_PIN_NOT_SET: return "This badge key has no PIN yet. Call the service desk.";
	case AUTH_E_PIN_POLICY: return "That PIN is not allowed: use 4 to 63 characters.";
	case AUTH_E_CANCELLED: return "Sign-in cancelled.";
	case AUTH_E_TIMEOUT: return "No touch detected in time. Try again.";
	case AUTH_E_DEVICE: return "The badge key did not answer correctly. Try again, or use another key.";
	case AUTH_E_BUSY: return "A sign-in is already in progress.";
	}
	return "Unknown sign-in error.";
}

int
auth_err_from_fido(int r)
{
	switch (r) {
	case FIDO_OK: return AUTH_OK;
	case FIDO_ERR_INVALID_ARGUMENT: return AUTH_E_ARG;
	case FIDO_ERR_NO_CREDENTIALS: return AUTH_E_NO_CREDENTIALS;
	case FIDO_ERR_PIN_REQUIRED:
	case FIDO_ERR_UV_BLOCKED: return AUTH_E_PIN_REQUIRED;
	case FIDO_ERR_PIN_INVALID: return AUTH_E_PIN_INVALID;
	case FIDO_ERR_PIN_BLOCKED: return AUTH_E_PIN_BLOCKED;
	case FIDO_ERR_PIN_AUTH_BLOCKED: return AUTH_E_PIN_AUTH_BLOCKED;
	case FIDO_ERR_PIN_NOT_SET: return AUTH_E_PIN_NOT_SET;
	case FIDO_ERR_PIN_POLICY_VIOLATION: return AUTH_E_PIN_POLICY;
	case FIDO_ERR_KEEPALIVE_CANCEL: return AUTH_E_CANCELLED;
	case FIDO_ERR_ACTION_TIMEOUT:
	case FIDO_ERR_USER_ACTION_TIMEOUT: return AUTH_E_TIMEOUT;
	case FIDO_ERR_NOTFOUND: return AUTH_E_NO_DEVICE;
	}
	return AUTH_E_DEVICE;
}
