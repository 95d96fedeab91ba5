/* One WebAuthn assertion from a request body, checked against a stored challenge and credential (tap-in, step-up, break-glass). */
#include "backend/assertion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "backend/util.h"
#include "backend/webauthn.h"
#include "common/b64url.h"

static const char *const fields[] = {
	"challenge_id", "credential_id", "client_data_json", "authenticator_data", "signature",
	"user_handle",
};
enum { F_CHALLENGE, F_CREDENTIAL, F_CDJ, F_AD, F_SIG, F_UH, F_N };

static enum assertion_result
refuse(struct assertion_check *a, const char *rule, const char *why)
{
	a->rule = rule;
	if (why != a->why)
		snprintf(a->why, sizeof(a->why), "%s", why ? why : "");
	return ASSERTION_REFUSED;
}

static enum assertion_result
check_decoded(struct store *s, struct assertion_check *a, const char *cred_id,
    unsigned char *const bin[F_N], const size_t len[F_N])
{
	struct webauthn_assertion wa;
	uint32_t count = 0;
	int rc;

	if (webauthn_check_client_data(bin[F_CDJ], len[F_CDJ], "webauthn.get", a->ch.bytes,
	    sizeof(a->ch.bytes), a->origin, a->why, sizeof(a->why)) != 0)
		return refuse(a, "client_data", a->why);
	rc = store_credential_get(s, cred_id, &a->cred);
	if (rc == STORE_ERROR)
		return ASSERTION_INTERNAL;
	if (rc != STORE_OK)
		return refuse(a, "credential_unknown", cred_id);
	a->cred_known = 1;
	if (a->cred.revoked)
		return refuse(a, "credential_revoked", cred_id);
	if (len[F_UH] != strlen(a->cred.user_id) ||
	    CRYPTO_memcmp(bin[F_UH], a->cred.user_id, len[F_UH]) != 0)
		return refuse(a, "user_handle", "does not belong to the credential");
	/* Named apart from a bad signature: "no PIN given" is what the log reader wants to see. */
	if (a->require_uv && (len[F_AD] < 33 || (bin[F_AD][32] & 0x04) == 0))
		return refuse(a, "uv_missing", "user verification (UV) flag not set");
	wa.client_data = bin[F_CDJ];
	wa.client_data_len = len[F_CDJ];
	wa.auth_data = bin[F_AD];
	wa.auth_data_len = len[F_AD];
	wa.sig = bin[F_SIG];
	wa.sig_len = len[F_SIG];
	if (webauthn_verify(a->rp_id, &wa, a->cred.pubkey, a->require_uv, &count, a->why,
	    sizeof(a->why)) != 0)
		return refuse(a, "signature", a->why);
	if (!webauthn_sign_count_ok(a->cred.sign_count, count)) {
		char why[96];

		snprintf(why, sizeof(why), "stored %u, presented %u: possible cloned badge",
		    a->cred.sign_count, count);
		return refuse(a, "sign_count", why);
	}
	if (store_credential_set_count(s, a->cred.id, a->cred.sign_count, count) != STORE_OK)
		return refuse(a, "sign_count", "raced with another tap");
	a->cred.sign_count = count;
	return ASSERTION_OK;
}

enum assertion_result
assertion_check(struct store *s, const json_t *body, struct assertion_check *a)
{
	const char *v[F_N];
	unsigned char *bin[F_N] = { NULL };
	size_t len[F_N] = { 0 };
	enum assertion_result res;
	int i, rc;

	a->cred_known = 0;
	a->rule = NULL;
	a->why[0] = '\0';
	for (i = 0; i < F_N; i++)
		if ((v[i] = json_string_value(json_object_get(body, fields[i]))) == NULL)
			return ASSERTION_BAD_REQUEST;
	/* Consume the challenge before anything can fail: one challenge, one try. */
	rc = store_challenge_take(s, v[F_CHALLENGE], &a->ch);
	if (rc == STORE_ERROR)
		return ASSERTION_INTERNAL;
	if (rc != STORE_OK)
		return refuse(a, "challenge_unknown", "unknown or already used");
	/* Whole seconds: '>' keeps a challenge usable for at least its full TTL. */
	if (strcmp(a->ch.purpose, a->purpose) != 0 || cg_now() > a->ch.expires_at)
		return refuse(a, "challenge_expired", strcmp(a->ch.purpose, a->purpose) != 0 ?
		    "challenge issued for another purpose" : NULL);
	for (i = F_CDJ; i < F_N; i++)
		if ((bin[i] = b64url_decode_alloc(v[i], &len[i])) == NULL)
			break;
	if (i < F_N)
		res = refuse(a, "malformed", "a field is not base64url");
	else
		res = check_decoded(s, a, v[F_CREDENTIAL], bin, len);
	for (i = 0; i < F_N; i++)
		free(bin[i]);
	return res;
}
