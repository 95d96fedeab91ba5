/* Handlers for health, login challenges, tap-in (session creation and resume), /me and sign-out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "backend/audit.h"
#include "backend/handlers.h"
#include "backend/session.h"
#include "backend/util.h"
#include "backend/vocab.h"
#include "backend/webauthn.h"
#include "common/b64url.h"

/* A workstation id as it may appear in an origin and in the audit trail. */
static int
workstation_ok(const char *ws)
{
	size_t n = ws ? strlen(ws) : 0;

	return n > 0 && n < STORE_ID_MAX &&
	    strspn(ws, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static json_t *
user_json(const struct user *u)
{
	json_t *roles = json_array();
	size_t i;

	for (i = 0; i < u->roles.n; i++)
		json_array_append_new(roles, json_string(u->roles.v[i]));
	return json_pack("{s:s, s:s, s:o}", "id", u->id, "display_name", u->display_name,
	    "roles", roles);
}

void
h_health(struct req *r)
{
	reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", CHARTGATED_VERSION));
}

void
h_challenge(struct req *r)
{
	json_t *p = json_object_get(r->body, "purpose");
	struct challenge c;
	char *id, b64[64];

	if (p != NULL && !json_is_string(p)) {
		reply_error(r, 400, "bad_request", "purpose must be a string");
		return;
	}
	if (p != NULL && strcmp(json_string_value(p), "login") != 0) {
		/* step_up and enrol come with their endpoints. */
		reply_error(r, 400, "bad_request", "only purpose \"login\" is supported");
		return;
	}
	memset(&c, 0, sizeof(c));
	if ((id = cg_random_id("ch-", 16)) == NULL || cg_random(c.bytes, sizeof(c.bytes)) != 0) {
		free(id);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	snprintf(c.id, sizeof(c.id), "%s", id);
	free(id);
	snprintf(c.purpose, sizeof(c.purpose), "login");
	c.expires_at = cg_now() + r->app->cfg->challenge_ttl;
	if (store_challenge_put(r->app->store, &c) != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	b64url_encode(c.bytes, sizeof(c.bytes), b64);
	reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:I}", "challenge_id", c.id,
	    "challenge", b64, "rp_id", r->app->cfg->rp_id, "user_verification", "discouraged",
	    "expires_in", (json_int_t)r->app->cfg->challenge_ttl));
}

/* Everything one tap-in needs to free, in one place. */
struct tap {
	const char *challenge_id, *credential_id, *cdj_b64, *ad_b64, *sig_b64, *uh_b64;
	unsigned char *cdj, *ad, *sig, *uh;
	size_t cdj_len, ad_len, sig_len, uh_len;
};

static void
tap_free(struct tap *t)
{
	free(t->cdj);
	free(t->ad);
	free(t->sig);
	free(t->uh);
}

static void
audit_session(struct req *r, const char *kind, const char *ws, const char *user_id,
    const char *decision, const char *rule, const char *session_id)
{
	struct audit_row a;

	memset(&a, 0, sizeof(a));
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.user_id, sizeof(a.user_id), "%s", user_id ? user_id : "");
	snprintf(a.workstation, sizeof(a.workstation), "%s", ws);
	snprintf(a.decision, sizeof(a.decision), "%s", decision);
	snprintf(a.rule, sizeof(a.rule), "%s", rule);
	if (session_id != NULL)
		snprintf(a.path, sizeof(a.path), "session:%s", session_id);
	snprintf(a.request_id, sizeof(a.request_id), "%s", r->request_id);
	if (audit_append(r->app->store, &a) != 0)
		fprintf(stderr, "chartgated: %s: audit append failed\n", r->request_id);
}

/* Log the precise reason, audit it, answer the one generic 401. */
static void
tap_deny(struct req *r, const char *ws, const char *user_id, const char *rule, const char *detail)
{
	fprintf(stderr, "chartgated: %s: tap-in refused on %s: %s%s%s\n", r->request_id, ws, rule,
	    detail ? ": " : "", detail ? detail : "");
	audit_session(r, "tap-in", ws, user_id, "deny", rule, NULL);
	reply_error(r, 401, "unauthenticated", "the badge could not be verified; tap again");
}

void
h_session_create(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	const char *ws = req_header(r, "Workstation-Id");
	struct tap t;
	struct challenge ch;
	struct credential cred;
	struct user u;
	struct session se;
	char origin[STORE_ID_MAX + 16], why[160], token[SESSION_TOKEN_LEN], exp[CG_TIME_LEN];
	unsigned char hash[32];
	uint32_t count = 0;
	int64_t now = cg_now();
	int resumed = 0, rc;
	struct webauthn_assertion wa;
	json_t *reply;

	memset(&t, 0, sizeof(t));
	t.challenge_id = json_string_value(json_object_get(r->body, "challenge_id"));
	t.credential_id = json_string_value(json_object_get(r->body, "credential_id"));
	t.cdj_b64 = json_string_value(json_object_get(r->body, "client_data_json"));
	t.ad_b64 = json_string_value(json_object_get(r->body, "authenticator_data"));
	t.sig_b64 = json_string_value(json_object_get(r->body, "signature"));
	t.uh_b64 = json_string_value(json_object_get(r->body, "user_handle"));
	if (!t.challenge_id || !t.credential_id || !t.cdj_b64 || !t.ad_b64 || !t.sig_b64 || !t.uh_b64) {
		reply_error(r, 400, "bad_request", "challenge_id, credential_id, client_data_json, "
		    "authenticator_data, signature and user_handle are required strings");
		return;
	}
	if (!workstation_ok(ws)) {
		reply_error(r, 400, "bad_request", "a Workstation-Id header is required");
		return;
	}
	/* Consume the challenge before anything can fail: one challenge, one try. */
	rc = store_challenge_take(r->app->store, t.challenge_id, &ch);
	if (rc != STORE_OK) {
		tap_deny(r, ws, NULL, "challenge_unknown", "unknown or already used");
		return;
	}
	/* Whole seconds: '>' keeps a challenge usable for at least its full TTL. */
	if (strcmp(ch.purpose, "login") != 0 || now > ch.expires_at) {
		tap_deny(r, ws, NULL, "challenge_expired", NULL);
		return;
	}
	t.cdj = b64url_decode_alloc(t.cdj_b64, &t.cdj_len);
	t.ad = b64url_decode_alloc(t.ad_b64, &t.ad_len);
	t.sig = b64url_decode_alloc(t.sig_b64, &t.sig_len);
	t.uh = b64url_decode_alloc(t.uh_b64, &t.uh_len);
	if (!t.cdj || !t.ad || !t.sig || !t.uh) {
		tap_deny(r, ws, NULL, "malformed", "a field is not base64url");
		goto out;
	}
	snprintf(origin, sizeof(origin), "chartgate:%s", ws);
	if (webauthn_check_client_data(t.cdj, t.cdj_len, "webauthn.get", ch.bytes, sizeof(ch.bytes),
	    origin, why, sizeof(why)) != 0) {
		tap_deny(r, ws, NULL, "client_data", why);
		goto out;
	}
	rc = store_credential_get(r->app->store, t.credential_id, &cred);
	if (rc != STORE_OK) {
		tap_deny(r, ws, NULL, "credential_unknown", t.credential_id);
		goto out;
	}
	if (cred.revoked) {
		tap_deny(r, ws, cred.user_id, "credential_revoked", t.credential_id);
		goto out;
	}
	if (t.uh_len != strlen(cred.user_id) || CRYPTO_memcmp(t.uh, cred.user_id, t.uh_len) != 0) {
		tap_deny(r, ws, cred.user_id, "user_handle", "does not belong to the credential");
		goto out;
	}
	wa.client_data = t.cdj;
	wa.client_data_len = t.cdj_len;
	wa.auth_data = t.ad;
	wa.auth_data_len = t.ad_len;
	wa.sig = t.sig;
	wa.sig_len = t.sig_len;
	if (webauthn_verify(cfg->rp_id, &wa, cred.pubkey, 0, &count, why, sizeof(why)) != 0) {
		tap_deny(r, ws, cred.user_id, "signature", why);
		goto out;
	}
	if (!webauthn_sign_count_ok(cred.sign_count, count)) {
		snprintf(why, sizeof(why), "stored %u, presented %u: possible cloned badge",
		    cred.sign_count, count);
		tap_deny(r, ws, cred.user_id, "sign_count", why);
		goto out;
	}
	if (store_credential_set_count(r->app->store, cred.id, cred.sign_count, count) != STORE_OK) {
		tap_deny(r, ws, cred.user_id, "sign_count", "raced with another tap");
		goto out;
	}
	if (store_user_get(r->app->store, cred.user_id, &u) != STORE_OK || u.disabled) {
		tap_deny(r, ws, cred.user_id, "user_disabled", NULL);
		goto out;
	}
	if (session_token_new(token, hash) != 0)
		goto fail;
	if (store_session_find_live(r->app->store, u.id, ws, now, cfg->session_idle, &se) == STORE_OK &&
	    store_session_rotate(r->app->store, se.id, hash, now) == STORE_OK) {
		resumed = 1;
	} else {
		char *sid = cg_random_id("s-", 16);

		if (sid == NULL)
			goto fail;
		memset(&se, 0, sizeof(se));
		snprintf(se.id, sizeof(se.id), "%s", sid);
		free(sid);
		snprintf(se.user_id, sizeof(se.user_id), "%s", u.id);
		snprintf(se.workstation, sizeof(se.workstation), "%s", ws);
		se.created_at = se.last_seen_at = now;
		se.expires_at = now + cfg->session_max;
		if (store_session_create(r->app->store, &se, hash) != STORE_OK)
			goto fail;
	}
	audit_session(r, "tap-in", ws, u.id, "permit", resumed ? "resumed" : "created", se.id);
	cg_time_fmt(se.expires_at, exp);
	reply = json_pack("{s:s, s:s, s:s, s:b, s:o}", "token", token, "session_id", se.id,
	    "expires_at", exp, "resumed", resumed, "user", user_json(&u));
	OPENSSL_cleanse(token, sizeof(token));
	fprintf(stderr, "chartgated: %s: %s tapped in on %s (session %s%s)\n", r->request_id,
	    u.id, ws, se.id, resumed ? ", resumed" : "");
	reply_json(r, resumed ? 200 : 201, reply);
	goto out;
fail:
	OPENSSL_cleanse(token, sizeof(token));
	reply_error(r, 500, "internal", "internal error");
out:
	tap_free(&t);
}

void
h_session_delete_current(struct req *r)
{
	if (store_session_end(r->app->store, r->session.id, cg_now(), "signed_out") != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	audit_session(r, "sign-out", r->session.workstation, r->user.id, "permit", "signed_out",
	    r->session.id);
	reply_json(r, 204, NULL);
}

void
h_me(struct req *r)
{
	const struct purpose *list[16];
	size_t i, n = vocab_purposes(&r->user.roles, list, 16);
	char created[CG_TIME_LEN], exp[CG_TIME_LEN], idle[CG_TIME_LEN];
	json_t *purposes = json_array();

	for (i = 0; i < n; i++)
		json_array_append_new(purposes, json_pack("{s:s, s:s}", "code", list[i]->code,
		    "display", list[i]->display));
	cg_time_fmt(r->session.created_at, created);
	cg_time_fmt(r->session.expires_at, exp);
	cg_time_fmt(session_idle_expires(&r->session, r->app->cfg->session_idle), idle);
	reply_json(r, 200, json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s}, s:o}",
	    "user", user_json(&r->user),
	    "session", "id", r->session.id, "workstation", r->session.workstation,
	    "created_at", created, "expires_at", exp, "idle_expires_at", idle,
	    "purposes", purposes));
}
