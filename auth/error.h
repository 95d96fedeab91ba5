/* Authentication errors shared by the assertion, device and worker layers, in words a clinician understands. */
#ifndef CHARTGATE_AUTH_ERROR_H
#define CHARTGATE_AUTH_ERROR_H

enum auth_err {
	AUTH_OK = 0,
	AUTH_E_ARG,		/* a bug: NULL or malformed argument */
	AUTH_E_NOMEM,
	AUTH_E_NO_DEVICE,	/* no security key attached / softkey badge missing */
	AUTH_E_NO_CREDENTIALS,	/* the key holds no credential for this relying party */
	AUTH_E_PIN_REQUIRED,	/* the key wants its PIN for this operation */
	AUTH_E_PIN_INVALID,	/* wrong PIN; see pin_retries */
	AUTH_E_PIN_BLOCKED,	/* retries exhausted: the key needs a reset */
	AUTH_E_PIN_AUTH_BLOCKED,/* three wrong PINs in a row: re-insert the key */
	AUTH_E_PIN_NOT_SET,	/* a PIN was given but the key has none */
	AUTH_E_PIN_POLICY,	/* new PIN too short or too long */
	AUTH_E_CANCELLED,	/* auth_worker_cancel / fido_dev_cancel */
	AUTH_E_TIMEOUT,		/* no touch within the time allowed */
	AUTH_E_DEVICE,		/* any other failure talking to the key */
	AUTH_E_BUSY,		/* the worker already runs a job */
};

const char *auth_strerror(int err);

/* Map a libfido2 status (FIDO_ERR_*) to enum auth_err. */
int auth_err_from_fido(int fido_err);

#endif
