/* The helpdesk's chartgated calls (docs/api.md "Helpdesk"): find users and sessions, end, unlock, enrol, revoke. */
#ifndef CHARTGATE_NET_API_HELPDESK_H
#define CHARTGATE_NET_API_HELPDESK_H

#include "net/api.h"
#include "net/decode_helpdesk.h"

/* Callbacks as in net/api.h: exactly one of res / err, res owned by the callback. */
typedef void (*api_hd_users_fn)(struct net_hd_users *res, const struct api_error *err, void *arg);
typedef void (*api_hd_sessions_fn)(struct net_hd_sessions *res, const struct api_error *err, void *arg);
typedef void (*api_hd_authenticators_fn)(struct net_hd_authenticators *res,
    const struct api_error *err, void *arg);
typedef void (*api_hd_enrol_challenge_fn)(struct net_hd_enrol_challenge *res,
    const struct api_error *err, void *arg);
typedef void (*api_hd_enrolled_fn)(struct net_hd_enrolled *res, const struct api_error *err, void *arg);
typedef void (*api_hd_unlocked_fn)(struct net_hd_unlocked *res, const struct api_error *err, void *arg);

/* A new credential's attestation, every field base64url (as auth/enrol.h makes it). */
struct api_hd_attestation {
	const char *challenge_id;
	const char *credential_id;
	const char *client_data_json;
	const char *fmt;		/* "packed" */
	const char *authenticator_data;	/* raw */
	const char *signature;
	const char *x5c;		/* leaf certificate, NULL for self attestation */
};

/* Every call returns enum api_err; token is the helpdesk session's. reason:
 * the helpdesk's words (the server wants 1-500 characters, not only spaces). */
int api_hd_users(struct http *h, const char *token, const char *query, api_hd_users_fn cb,
    void *arg, unsigned *req_id);
/* user_id and workstation: filters, at least one non-NULL. */
int api_hd_sessions(struct http *h, const char *token, const char *user_id,
    const char *workstation, api_hd_sessions_fn cb, void *arg, unsigned *req_id);
int api_hd_session_end(struct http *h, const char *token, const char *session_id,
    const char *reason, api_done_fn cb, void *arg, unsigned *req_id);
int api_hd_unlock(struct http *h, const char *token, const char *user_id, const char *reason,
    api_hd_unlocked_fn cb, void *arg, unsigned *req_id);
int api_hd_authenticators(struct http *h, const char *token, const char *user_id,
    api_hd_authenticators_fn cb, void *arg, unsigned *req_id);
int api_hd_revoke(struct http *h, const char *token, const char *credential_id,
    const char *reason, api_done_fn cb, void *arg, unsigned *req_id);
int api_hd_enrol_challenge(struct http *h, const char *token, const char *user_id,
    api_hd_enrol_challenge_fn cb, void *arg, unsigned *req_id);
int api_hd_enrol(struct http *h, const char *token, const char *user_id,
    const struct api_hd_attestation *att, const char *reason, api_hd_enrolled_fn cb,
    void *arg, unsigned *req_id);

#endif
