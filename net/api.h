/* One function per chartgated API call: builds the request, decodes the answer, hands a typed result to a callback. */
#ifndef CHARTGATE_NET_API_H
#define CHARTGATE_NET_API_H

#include <stdbool.h>

#include "net/decode.h"
#include "net/http.h"

enum api_err {
	API_OK = 0,
	API_ERR_ARG,		/* NULL/empty/oversized argument */
	API_ERR_NOMEM,
	API_ERR_HTTP,		/* http_submit refused (see http_strerror) */
};
const char *api_strerror(int err);

enum api_error_kind {
	API_ERROR_TRANSPORT = 1,	/* no HTTP answer: message is plain words from net/http */
	API_ERROR_HTTP,			/* non-2xx answer; code/message from the error body if any */
	API_ERROR_DECODE,		/* 2xx answer that failed strict decoding; message names the field */
};

/* Valid only during the callback. Strings are never NULL ("" when absent),
 * truncated to their buffers, and NOT sanitised (pass them through tui/sanitize). */
struct api_error {
	enum api_error_kind kind;
	enum http_fail fail;		/* for TRANSPORT */
	long status;			/* HTTP status, 0 for TRANSPORT */
	char code[64];			/* "step_up_required", "no_relationship", ... */
	char message[512];
	char rule[128];
	bool break_glass_allowed;
	/* 401 whose WWW-Authenticate carries error="insufficient_user_authentication" (RFC 9470). */
	bool step_up;
	long step_up_max_age;		/* its max_age in seconds, -1 when absent */
};

/* The five base64url strings of a WebAuthn assertion (from auth/, as plain strings). */
struct api_assertion {
	const char *credential_id;
	const char *client_data_json;
	const char *authenticator_data;
	const char *signature;
	const char *user_handle;	/* may be NULL or "" (not sent) */
};

/* Callbacks get exactly one of res / err non-NULL. res is OWNED by the
 * callback: free it with the matching net_*_free (net/decode.h).
 * The callback may start or cancel other requests. */
typedef void (*api_health_fn)(struct net_health *res, const struct api_error *err, void *arg);
typedef void (*api_challenge_fn)(struct net_challenge *res, const struct api_error *err, void *arg);
typedef void (*api_session_fn)(struct net_session *res, const struct api_error *err, void *arg);
typedef void (*api_me_fn)(struct net_me *res, const struct api_error *err, void *arg);
typedef void (*api_worklist_fn)(struct net_worklist *res, const struct api_error *err, void *arg);
typedef void (*api_chart_fn)(struct net_chart *res, const struct api_error *err, void *arg);
typedef void (*api_step_up_fn)(struct net_step_up *res, const struct api_error *err, void *arg);
typedef void (*api_grant_fn)(struct net_grant *res, const struct api_error *err, void *arg);
/* For calls without a body in the answer (204): err == NULL means success. */
typedef void (*api_done_fn)(const struct api_error *err, void *arg);

/* Every call returns enum api_err and, when req_id is not NULL, the request
 * id for api_cancel. The deadline is the http's default timeout. */
int api_health(struct http *h, api_health_fn cb, void *arg, unsigned *req_id);
/* purpose: "login" | "step_up" | "enrol"; patient_id may be NULL. token:
 * NULL for a login challenge, the session's for a step-up. */
int api_challenge(struct http *h, const char *token, const char *purpose,
    const char *patient_id, api_challenge_fn cb, void *arg, unsigned *req_id);
int api_session_create(struct http *h, const char *challenge_id,
    const struct api_assertion *a, api_session_fn cb, void *arg, unsigned *req_id);
int api_me(struct http *h, const char *token, api_me_fn cb, void *arg, unsigned *req_id);
int api_session_delete(struct http *h, const char *token, api_done_fn cb, void *arg,
    unsigned *req_id);
/* cursor may be NULL (first page); limit 0 = server default (50), else 1..200. */
int api_worklist(struct http *h, const char *token, const char *cursor, int limit,
    api_worklist_fn cb, void *arg, unsigned *req_id);
/* purpose: a v3 ActReason code ("TREAT"); NULL asks without (the server answers 428). */
int api_chart(struct http *h, const char *token, const char *patient_id,
    const char *purpose, api_chart_fn cb, void *arg, unsigned *req_id);

/* A fresh assertion with user verification for the session's patient. */
int api_step_up(struct http *h, const char *token, const char *challenge_id,
    const struct api_assertion *a, api_step_up_fn cb, void *arg, unsigned *req_id);
/* reason_code: OVR*; justification: the clinician's words (>= 20 characters). */
int api_break_glass(struct http *h, const char *token, const char *patient_id,
    const char *reason_code, const char *justification, const char *challenge_id,
    const struct api_assertion *a, api_grant_fn cb, void *arg, unsigned *req_id);
/* Patient search by name or MRN (the server wants >= 3 characters). */
int api_search(struct http *h, const char *token, const char *query,
    api_worklist_fn cb, void *arg, unsigned *req_id);

/* The callback will not be called; its result (if any) is freed. */
void api_cancel(struct http *h, unsigned req_id);

/* Percent-encode s (RFC 3986: everything but ALPHA DIGIT - . _ ~) into out
 * (outsize bytes, NUL-terminated). Returns the length, or -1 when it does not fit. */
int api_pct_encode(const char *s, char *out, size_t outsize);
/* Parse a WWW-Authenticate value: returns true when it carries
 * error="insufficient_user_authentication"; *max_age gets max_age or -1. */
bool api_www_auth_step_up(const char *www_authenticate, long *max_age);

#endif
