/* Handlers for health, login challenges, tap-in (session creation and resume), /me and sign-out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "backend/assertion.h"
#include "backend/audit.h"
#include "backend/handlers.h"
#include "backend/lockout.h"
#include "backend/ratelimit.h"
#include "backend/session.h"
#include "backend/util.h"
#include "backend/vocab.h"
#include "common/b64url.h"

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

/* The /v1/me answer for user u in session se: also sent along with a tap that asks for it. */
static json_t *
me_json(const struct config *cfg, const struct user *u, const struct session *se)
{
	const struct purpose *list[16];
	size_t i, n = vocab_purposes(&u->roles, list, 16);
	char created[CG_TIME_LEN], exp[CG_TIME_LEN], idle[CG_TIME_LEN];
	json_t *purposes = json_array();

	for (i = 0; i < n; i++)
		json_array_append_new(purposes, json_pack("{s:s, s:s}", "code", list[i]->code,
		    "display", list[i]->display));
	cg_time_fmt(se->created_at, created);
	cg_time_fmt(se->expires_at, exp);
	cg_time_fmt(session_idle_expires(se, cfg->session_idle), idle);
	/* idle_timeout lets a client tell, from its own clock, when a suspended session lapsed. */
	return json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s, s:I}, s:o}",
	    "user", user_json(u),
	    "session", "id", se->id, "workstation", se->workstation,
	    "created_at", created, "expires_at", exp, "idle_expires_at", idle,
	    "idle_timeout", (json_int_t)cfg->session_idle,
	    "purposes", purposes);
}

void
h_health(struct req *r)
{
	reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", CHARTGATED_VERSION));
}

void
challenge_issue(struct req *r, const char *purpose, const char *patient_id)
{
	struct challenge c;
	char *id, b64[64];
	int step_up = strcmp(purpose, "step_up") == 0;
	json_t *o;

	memset(&c, 0, sizeof(c));
	if ((id = cg_random_id("ch-", 16)) == NULL || cg_random(c.bytes, sizeof(c.bytes)) != 0) {
		free(id);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	snprintf(c.id, sizeof(c.id), "%s", id);
	free(id);
	snprintf(c.purpose, sizeof(c.purpose), "%s", purpose);
	c.expires_at = cg_now() + r->app->cfg->challenge_ttl;
	/* A step-up challenge is good for one session and one patient only. */
	if (step_up) {
		snprintf(c.session_id, sizeof(c.session_id), "%s", r->session.id);
		snprintf(c.patient_id, sizeof(c.patient_id), "%s", patient_id);
	}
	if (store_challenge_put(r->app->store, &c) != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	b64url_encode(c.bytes, sizeof(c.bytes), b64);
	o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "challenge_id", c.id,
	    "challenge", b64, "rp_id", r->app->cfg->rp_id,
	    "user_verification", step_up ? "required" : "discouraged",
	    "expires_in", (json_int_t)r->app->cfg->challenge_ttl);
	if (o != NULL && step_up)
		json_object_set_new(o, "patient_id", json_string(patient_id));
	reply_json(r, 200, o);
}

void
h_challenge(struct req *r)
{
	json_t *p = json_object_get(r->body, "purpose");

	if (ratelimit_challenge(r))
		return;
	if (p != NULL && !json_is_string(p)) {
		reply_error(r, 400, "bad_request", "purpose must be a string");
		return;
	}
	if (p == NULL || strcmp(json_string_value(p), "login") == 0)
		challenge_issue(r, "login", NULL);
	else if (strcmp(json_string_value(p), "step_up") == 0)
		h_challenge_step_up(r);
	else
		reply_error(r, 400, "bad_request", "purpose is \"login\" or \"step_up\"");
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

enum { INCLUDE_ME = 1, INCLUDE_WORKLIST = 2 };

/* body.include: names of what to send along with the token; unknown names are ignored
 * (a newer client against an older server), anything but strings is refused. */
static int
include_flags(const json_t *body, int *flags)
{
	const json_t *a = json_object_get(body, "include"), *v;
	size_t i;

	*flags = 0;
	if (a == NULL)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > 8)
		return -1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return -1;
		if (strcmp(json_string_value(v), "me") == 0)
			*flags |= INCLUDE_ME;
		else if (strcmp(json_string_value(v), "worklist") == 0)
			*flags |= INCLUDE_WORKLIST;
	}
	return 0;
}

/* Adds what the tap asked for to its answer; the worklist only for a clinician. */
static int
session_include(struct req *r, int flags, const struct user *u, const struct session *se,
    json_t *reply)
{
	json_t *o;

	if ((flags & INCLUDE_ME) &&
	    ((o = me_json(r->app->cfg, u, se)) == NULL || json_object_set_new(reply, "me", o) != 0))
		return -1;
	if ((flags & INCLUDE_WORKLIST) && vocab_any_clinical(&u->roles) &&
	    ((o = worklist_json(r->app->store, u->id)) == NULL ||
	    json_object_set_new(reply, "worklist", o) != 0))
		return -1;
	return 0;
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

/* A tap runs as a member of a group commit (server.c): the challenge spent, the session,
 * its badge and its audit row commit together (one WAL commit instead of five), before
 * the answer is sent. */
void
h_session_create(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	const char *ws = req_workstation(r);
	/* The token will work over this client certificate only ("" = plain HTTP). */
	const char *cert = r->has_peer ? r->peer.cert_sha256 : "";
	struct assertion_check ac;
	struct user u;
	struct session se;
	char origin[STORE_ID_MAX + 16], token[SESSION_TOKEN_LEN], exp[CG_TIME_LEN];
	unsigned char hash[32];
	int64_t now = cg_now();
	int resumed = 0, include;
	json_t *reply;

	if (!cg_workstation_ok(ws, STORE_ID_MAX)) {
		reply_error(r, 400, "bad_request", "a Workstation-Id header is required");
		return;
	}
	if (include_flags(r->body, &include) != 0) {
		reply_error(r, 400, "bad_request", "include is an array of names (\"me\", \"worklist\")");
		return;
	}
	snprintf(origin, sizeof(origin), "chartgate:%s", ws);
	memset(&ac, 0, sizeof(ac));
	ac.rp_id = cfg->rp_id;
	ac.origin = origin;
	ac.purpose = "login";
	switch (assertion_check(r->app->store, r->body, &ac)) {
	case ASSERTION_OK:
		break;
	case ASSERTION_BAD_REQUEST:
		reply_error(r, 400, "bad_request", ASSERTION_FIELDS_MESSAGE);
		return;
	case ASSERTION_REFUSED:
		if (lockout_rule_counts(ac.rule))
			lockout_tap_failed(r, ws, json_string_value(json_object_get(r->body, "credential_id")));
		tap_deny(r, ws, ac.cred_known ? ac.cred.user_id : NULL, ac.rule, ac.why);
		return;
	default:
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	if (lockout_tap_blocked(r, ws, &ac.cred))
		return;
	if (store_user_get(r->app->store, ac.cred.user_id, &u) != STORE_OK || u.disabled) {
		tap_deny(r, ws, ac.cred.user_id, "user_disabled", NULL);
		return;
	}
	if (session_token_new(token, hash) != 0)
		goto fail;
	if (store_session_find_live(r->app->store, u.id, ws, now, cfg->session_idle, &se) == STORE_OK &&
	    store_session_rotate(r->app->store, se.id, hash, now, cert) == STORE_OK) {
		resumed = 1;
		se.last_seen_at = now;	/* the rotation touched it */
	} else {
		char *sid = cg_random_id("s-", 16);

		if (sid == NULL)
			goto fail;
		memset(&se, 0, sizeof(se));
		snprintf(se.id, sizeof(se.id), "%s", sid);
		free(sid);
		snprintf(se.user_id, sizeof(se.user_id), "%s", u.id);
		snprintf(se.workstation, sizeof(se.workstation), "%s", ws);
		snprintf(se.cert_sha256, sizeof(se.cert_sha256), "%s", cert);
		se.created_at = se.last_seen_at = now;
		se.expires_at = now + cfg->session_max;
		if (store_session_create(r->app->store, &se, hash) != STORE_OK)
			goto fail;
	}
	/* Which badge holds the session (revocation ends it) and the cart's tap order. */
	if (store_session_note_tap(r->app->store, se.id, ac.cred.id, now) != STORE_OK)
		goto fail;
	audit_session(r, "tap-in", ws, u.id, "permit", resumed ? "resumed" : "created", se.id);
	cg_time_fmt(se.expires_at, exp);
	reply = json_pack("{s:s, s:s, s:b, s:o}", "session_id", se.id,
	    "expires_at", exp, "resumed", resumed, "user", user_json(&u));
	/* The token goes in last: an answer that fails before it never held one. */
	if (reply == NULL || session_include(r, include, &u, &se, reply) != 0 ||
	    json_object_set_new(reply, "token", json_string(token)) != 0) {
		json_decref(reply);
		goto fail;
	}
	OPENSSL_cleanse(token, sizeof(token));
	fprintf(stderr, "chartgated: %s: %s tapped in on %s (session %s%s)\n", r->request_id,
	    u.id, ws, se.id, resumed ? ", resumed" : "");
	reply_json(r, resumed ? 200 : 201, reply);
	return;
fail:
	OPENSSL_cleanse(token, sizeof(token));
	reply_error(r, 500, "internal", "internal error");
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
	reply_json(r, 200, me_json(r->app->cfg, &r->user, &r->session));
}
