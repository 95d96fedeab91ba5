/* One WebAuthn assertion from a request body, checked against a stored challenge and credential (tap-in, step-up, break-glass). */
#ifndef CHARTGATED_ASSERTION_H
#define CHARTGATED_ASSERTION_H

#include <jansson.h>

#include "backend/store.h"

enum assertion_result {
	ASSERTION_OK,
	ASSERTION_BAD_REQUEST,	/* a field is missing or not a string: 400 */
	ASSERTION_REFUSED,	/* verification failed: 401; rule and why say which step */
	ASSERTION_INTERNAL	/* the store failed: 500 */
};

struct assertion_check {
	/* in */
	const char *rp_id;
	const char *origin;		/* "chartgate:<workstation>" */
	const char *purpose;		/* the challenge purpose expected: "login" | "step_up" */
	int require_uv;
	/* out: the consumed challenge and, once known, the credential */
	struct challenge ch;
	struct credential cred;
	int cred_known;
	const char *rule;		/* on ASSERTION_REFUSED: the audit rule */
	char why[160];			/* on ASSERTION_REFUSED: detail for the log */
};

/* Steps 1-6 of docs/api.md "POST /v1/auth/sessions": the challenge is consumed
 * on first use whatever the outcome; the signature counter advances only on success. */
#define ASSERTION_FIELDS_MESSAGE "challenge_id, credential_id, client_data_json, " \
	"authenticator_data, signature and user_handle are required strings"
enum assertion_result assertion_check(struct store *, const json_t *body, struct assertion_check *);

#endif
