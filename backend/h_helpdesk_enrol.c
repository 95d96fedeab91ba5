/* Helpdesk enrolment of a new authenticator for a user: a bound challenge, then its verified attestation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/h_helpdesk.h"
#include "backend/util.h"
#include "backend/webauthn.h"
#include "backend/webauthn_cred.h"
#include "common/b64url.h"

/* Long enough for a person to set a PIN and touch a new key at the desk. */
#define ENROL_TTL 300
#define CRED_ID_MAX 64	/* bytes; its base64url fits struct credential */

void
h_helpdesk_enrol_challenge(struct req *r)
{
	struct enrol_challenge c;
	struct desk d;
	struct user u;
	char *id = NULL, chal[64], handle[2 * STORE_ID_MAX];

	if (desk_open(&d, r, "enrol_challenge", DESK_NO_REASON) != 0 ||
	    desk_self(&d, r->params[0]) || desk_user(&d, r->params[0], &u) != 0)
		return;
	memset(&c, 0, sizeof(c));
	if ((id = cg_random_id("ec-", 16)) == NULL || cg_random(c.bytes, sizeof(c.bytes)) != 0) {
		free(id);
		desk_internal(&d);
		return;
	}
	snprintf(c.id, sizeof(c.id), "%s", id);
	free(id);
	snprintf(c.user_id, sizeof(c.user_id), "%s", u.id);
	snprintf(c.actor_id, sizeof(c.actor_id), "%s", r->user.id);
	snprintf(c.session_id, sizeof(c.session_id), "%s", r->session.id);
	c.expires_at = cg_now() + ENROL_TTL;
	if (store_enrol_challenge_put(r->app->store, &c) != STORE_OK) {
		desk_internal(&d);
		return;
	}
	snprintf(d.object, sizeof(d.object), "%s", c.id);
	b64url_encode(c.bytes, sizeof(c.bytes), chal);
	/* The user handle is the user id's UTF-8 bytes, as the tap path expects it back. */
	b64url_encode((const unsigned char *)u.id, strlen(u.id), handle);
	desk_done(&d, 200, json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:I}",
	    "challenge_id", c.id, "challenge", chal, "rp_id", r->app->cfg->rp_id,
	    "user", "id", handle, "name", u.user_name, "display_name", u.display_name,
	    "user_verification", "required", "expires_in", (json_int_t)ENROL_TTL));
}

#define STR(obj, name) json_string_value(json_object_get((obj), (name)))

/* The decoded body of an enrolment; one place frees it all. */
struct enrol {
	const char *challenge_id, *credential_id, *fmt;
	unsigned char *cdj, *ad, *sig, *x5c, *cid;
	size_t cdj_len, ad_len, sig_len, x5c_len, cid_len;
};

static void
enrol_free(struct enrol *e)
{
	free(e->cdj);
	free(e->ad);
	free(e->sig);
	free(e->x5c);
	free(e->cid);
}

/* A required base64url string (NULL when absent or not a string): 0 and the bytes, or -1. */
static int
b64_field(const char *s, unsigned char **out, size_t *len)
{
	return s != NULL && (*out = b64url_decode_alloc(s, len)) != NULL && *len > 0 ? 0 : -1;
}

/* Parse the body; NULL when well formed, else what is wrong (for the caller). */
static const char *
enrol_parse(json_t *body, struct enrol *e)
{
	json_t *att = json_object_get(body, "attestation"), *x5c = json_object_get(att, "x5c");

	e->challenge_id = STR(body, "challenge_id");
	e->credential_id = STR(body, "credential_id");
	e->fmt = STR(att, "fmt");
	if (e->challenge_id == NULL || e->credential_id == NULL || !json_is_object(att) || e->fmt == NULL)
		return "challenge_id, credential_id, client_data_json and attestation "
		    "{fmt, authenticator_data, signature} are required";
	if (b64_field(STR(body, "client_data_json"), &e->cdj, &e->cdj_len) != 0 ||
	    b64_field(STR(att, "authenticator_data"), &e->ad, &e->ad_len) != 0 ||
	    b64_field(STR(att, "signature"), &e->sig, &e->sig_len) != 0 ||
	    b64_field(e->credential_id, &e->cid, &e->cid_len) != 0)
		return "client_data_json, credential_id, authenticator_data and signature must be base64url";
	if (e->cid_len > CRED_ID_MAX)
		return "credential_id is longer than 64 bytes";
	/* x5c: optional array of base64url DER certificates, leaf first. */
	if (x5c != NULL && (!json_is_array(x5c) || json_array_size(x5c) == 0 ||
	    b64_field(json_string_value(json_array_get(x5c, 0)), &e->x5c, &e->x5c_len) != 0))
		return "attestation.x5c must be an array of base64url certificates";
	return NULL;
}

/* The challenge must be this desk session's, for this user, and still fresh. */
static int
challenge_ok(const struct req *r, const struct enrol_challenge *c, const char *user_id)
{
	return strcmp(c->user_id, user_id) == 0 && strcmp(c->actor_id, r->user.id) == 0 &&
	    strcmp(c->session_id, r->session.id) == 0 && cg_now() <= c->expires_at;
}

void
h_helpdesk_enrol(struct req *r)
{
	struct enrol e;
	struct enrol_challenge ch;
	struct webauthn_attestation wa;
	struct webauthn_new_cred nc;
	struct credential cred;
	struct desk d;
	struct user u;
	const char *problem;
	char origin[STORE_ID_MAX + 16], why[160];
	int rc;

	memset(&e, 0, sizeof(e));
	if (desk_open(&d, r, "enrol_authenticator", DESK_REASON) != 0 ||
	    desk_self(&d, r->params[0]) || desk_user(&d, r->params[0], &u) != 0)
		return;
	if ((problem = enrol_parse(r->body, &e)) != NULL) {
		desk_refuse(&d, 400, "bad_request", problem, "malformed");
		goto out;
	}
	snprintf(d.object, sizeof(d.object), "%s", e.credential_id);
	/* Consumed before anything else can fail: one challenge, one try. */
	if (store_enrol_challenge_take(r->app->store, e.challenge_id, &ch) != STORE_OK ||
	    !challenge_ok(r, &ch, u.id)) {
		desk_refuse(&d, 400, "bad_request", "the enrolment challenge is unknown, used, expired "
		    "or not for this user; ask for a new one", "challenge_invalid");
		goto out;
	}
	snprintf(origin, sizeof(origin), "chartgate:%s", r->session.workstation);
	if (webauthn_check_client_data(e.cdj, e.cdj_len, "webauthn.create", ch.bytes,
	    sizeof(ch.bytes), origin, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s: enrolment refused: %s\n", r->request_id, why);
		desk_refuse(&d, 400, "bad_request", "client_data_json does not match the challenge",
		    "client_data");
		goto out;
	}
	wa = (struct webauthn_attestation){ .fmt = e.fmt, .client_data = e.cdj,
	    .client_data_len = e.cdj_len, .auth_data = e.ad, .auth_data_len = e.ad_len,
	    .sig = e.sig, .sig_len = e.sig_len, .x5c = e.x5c, .x5c_len = e.x5c_len,
	    .cred_id = e.cid, .cred_id_len = e.cid_len };
	if (webauthn_verify_attestation(r->app->cfg->rp_id, &wa, &nc, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s: enrolment refused: %s\n", r->request_id, why);
		desk_refuse(&d, 400, "bad_request", "the attestation does not verify (a packed ES256 "
		    "credential made with user verification is required)", "attestation");
		goto out;
	}
	memset(&cred, 0, sizeof(cred));
	snprintf(cred.id, sizeof(cred.id), "%s", e.credential_id);
	snprintf(cred.user_id, sizeof(cred.user_id), "%s", u.id);
	memcpy(cred.pubkey, nc.pubkey, sizeof(cred.pubkey));
	cred.sign_count = nc.sign_count;
	rc = store_credential_enrol(r->app->store, &cred, nc.aaguid, cg_now());
	if (rc == STORE_CONFLICT)
		desk_refuse(&d, 409, "conflict", "this authenticator is already enrolled", "credential_exists");
	else if (rc != STORE_OK)
		desk_internal(&d);
	else
		desk_done(&d, 201, json_pack("{s:s, s:s, s:s}", "id", cred.id, "aaguid", nc.aaguid,
		    "user_id", u.id));
out:
	enrol_free(&e);
}
