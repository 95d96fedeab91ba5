/* The helpdesk's chartgated calls, each a path, an optional JSON body and a typed answer, sent through net/api_call.h. */
#include "net/api_helpdesk.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "net/api_call.h"

/* decode: the typed decoder behind the void ** that api_call wants. */
#define ANSWER(name, T, FN) \
static int \
dec_##name(const char *body, size_t len, void **out, char *err, size_t errlen) \
{ \
	struct T *v = NULL; \
	int rc = net_decode_hd_##name(body, len, &v, err, errlen); \
\
	*out = v; \
	return rc; \
} \
\
static void \
give_##name(api_any_fn cb, void *res, const struct api_error *err, void *arg) \
{ \
	((FN)cb)(res, err, arg); \
}

ANSWER(users, net_hd_users, api_hd_users_fn)
ANSWER(sessions, net_hd_sessions, api_hd_sessions_fn)
ANSWER(authenticators, net_hd_authenticators, api_hd_authenticators_fn)
ANSWER(enrol_challenge, net_hd_enrol_challenge, api_hd_enrol_challenge_fn)
ANSWER(enrolled, net_hd_enrolled, api_hd_enrolled_fn)
ANSWER(unlocked, net_hd_unlocked, api_hd_unlocked_fn)

static void
give_done(api_any_fn cb, void *res, const struct api_error *err, void *arg)
{
	(void)res;
	((api_done_fn)cb)(err, arg);
}


/* Non-empty, and percent-encoded into out. */
static int
enc_ok(const char *s, char *out, size_t size)
{
	return api_arg_ok(s) && api_pct_encode(s, out, size) >= 0;
}

/* fmt has one %s: the percent-encoded id. -1 when it does not fit. */
static int
path_of(char *out, size_t size, const char *fmt, const char *id)
{
	char enc[API_MAX_PATH / 2];
	int n;

	if (!enc_ok(id, enc, sizeof(enc)))
		return -1;
	n = snprintf(out, size, fmt, enc);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Sends one request; body (may be NULL) is released here. */
static int
send(struct http *h, struct api_call *c, json_t *body, unsigned *req_id)
{
	int rc = API_ERR_ARG;

	if (api_arg_ok(c->token))
		rc = body != NULL ? api_call_send_json(h, c, body, req_id) :
		    api_call_send(h, c, NULL, req_id);
	json_decref(body);
	return rc;
}

/* The call for one request: method, path, the caller's token and callback. */
#define CALL(method, name) { method, path, token, NULL, dec_##name, give_##name, (api_any_fn)cb, arg }
#define CALL_DONE(method) { method, path, token, NULL, NULL, give_done, (api_any_fn)cb, arg }

/* {"reason": reason}, or NULL when reason is missing or not UTF-8. */
static json_t *
reason_body(const char *reason)
{
	return api_arg_ok(reason) ? json_pack("{s:s}", "reason", reason) : NULL;
}

int
api_hd_users(struct http *h, const char *token, const char *query, api_hd_users_fn cb,
    void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL("GET", users);

	if (path_of(path, sizeof(path), "/v1/helpdesk/users?q=%s", query) != 0)
		return API_ERR_ARG;
	return send(h, &c, NULL, req_id);
}

int
api_hd_sessions(struct http *h, const char *token, const char *user_id,
    const char *workstation, api_hd_sessions_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH], u[API_MAX_PATH / 4] = "", ws[API_MAX_PATH / 4] = "";
	struct api_call c = CALL("GET", sessions);

	if ((user_id == NULL && workstation == NULL) ||
	    (user_id != NULL && !enc_ok(user_id, u, sizeof(u))) ||
	    (workstation != NULL && !enc_ok(workstation, ws, sizeof(ws))))
		return API_ERR_ARG;
	snprintf(path, sizeof(path), "/v1/helpdesk/sessions?%s%s%s%s%s", user_id ? "user=" : "", u,
	    user_id && workstation ? "&" : "", workstation ? "workstation=" : "", ws);
	return send(h, &c, NULL, req_id);
}

int
api_hd_session_end(struct http *h, const char *token, const char *session_id,
    const char *reason, api_done_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL_DONE("DELETE");
	json_t *body;

	if (path_of(path, sizeof(path), "/v1/helpdesk/sessions/%s", session_id) != 0 ||
	    (body = reason_body(reason)) == NULL)
		return API_ERR_ARG;
	return send(h, &c, body, req_id);
}

int
api_hd_unlock(struct http *h, const char *token, const char *user_id, const char *reason,
    api_hd_unlocked_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL("POST", unlocked);
	json_t *body;

	if (path_of(path, sizeof(path), "/v1/helpdesk/users/%s/unlock", user_id) != 0 ||
	    (body = reason_body(reason)) == NULL)
		return API_ERR_ARG;
	return send(h, &c, body, req_id);
}

int
api_hd_authenticators(struct http *h, const char *token, const char *user_id,
    api_hd_authenticators_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL("GET", authenticators);

	if (path_of(path, sizeof(path), "/v1/helpdesk/users/%s/authenticators", user_id) != 0)
		return API_ERR_ARG;
	return send(h, &c, NULL, req_id);
}

int
api_hd_revoke(struct http *h, const char *token, const char *credential_id,
    const char *reason, api_done_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL_DONE("DELETE");
	json_t *body;

	if (path_of(path, sizeof(path), "/v1/helpdesk/authenticators/%s", credential_id) != 0 ||
	    (body = reason_body(reason)) == NULL)
		return API_ERR_ARG;
	return send(h, &c, body, req_id);
}

int
api_hd_enrol_challenge(struct http *h, const char *token, const char *user_id,
    api_hd_enrol_challenge_fn cb, void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL("POST", enrol_challenge);
	json_t *body;

	if (path_of(path, sizeof(path), "/v1/helpdesk/users/%s/authenticators/challenge",
	    user_id) != 0 || (body = json_object()) == NULL)
		return API_ERR_ARG;
	return send(h, &c, body, req_id);
}

static json_t *
attestation_body(const struct api_hd_attestation *a, const char *reason)
{
	json_t *att, *o;

	if (a == NULL || !api_arg_ok(a->challenge_id) || !api_arg_ok(a->credential_id) ||
	    !api_arg_ok(a->client_data_json) || !api_arg_ok(a->fmt) ||
	    !api_arg_ok(a->authenticator_data) || !api_arg_ok(a->signature) ||
	    (a->x5c != NULL && !api_arg_ok(a->x5c)) || !api_arg_ok(reason))
		return NULL;
	if ((att = json_pack("{s:s, s:s, s:s}", "fmt", a->fmt, "authenticator_data",
	    a->authenticator_data, "signature", a->signature)) == NULL)
		return NULL;
	if (a->x5c != NULL && json_object_set_new(att, "x5c", json_pack("[s]", a->x5c)) != 0) {
		json_decref(att);
		return NULL;
	}
	o = json_pack("{s:s, s:s, s:s, s:o, s:s}", "challenge_id", a->challenge_id,
	    "credential_id", a->credential_id, "client_data_json", a->client_data_json,
	    "attestation", att, "reason", reason);	/* "o" takes att, also on failure */
	return o;
}

int
api_hd_enrol(struct http *h, const char *token, const char *user_id,
    const struct api_hd_attestation *att, const char *reason, api_hd_enrolled_fn cb,
    void *arg, unsigned *req_id)
{
	char path[API_MAX_PATH];
	struct api_call c = CALL("POST", enrolled);
	json_t *body;

	if (path_of(path, sizeof(path), "/v1/helpdesk/users/%s/authenticators", user_id) != 0 ||
	    (body = attestation_body(att, reason)) == NULL)
		return API_ERR_ARG;
	return send(h, &c, body, req_id);
}
