/* Helpdesk answers (docs/api.md "Helpdesk") decoded into typed structs: users, sessions, authenticators, enrolment. */
#ifndef CHARTGATE_NET_DECODE_HELPDESK_H
#define CHARTGATE_NET_DECODE_HELPDESK_H

#include <stdbool.h>
#include <stddef.h>

#define NET_MAX_HD_ROWS		500

/* Same rules as net/decode.h: strings are heap copies exactly as received
 * (sanitise for display), optional ones NULL when absent or null; on error
 * *out is NULL and err names the field. None of these carries clinical content. */

struct net_hd_user {
	char *id;
	char *user_name;
	char *display_name;
	char **roles;
	size_t n_roles;
	bool disabled;
	bool locked;			/* some unrevoked authenticator is locked */
	long long authenticator_count;	/* unrevoked ones */
};

struct net_hd_users {
	struct net_hd_user *users;
	size_t n_users;
};

struct net_hd_session {
	char *id;
	char *user_id;
	char *user_display_name;
	char *workstation;
	char *unit;			/* optional */
	char *state;			/* "active" | "suspended" as sent */
	char *started;
	char *last_seen;
	char *expires_at;
	char *idle_expires_at;		/* optional */
};

struct net_hd_sessions {
	struct net_hd_session *sessions;
	size_t n_sessions;
};

struct net_hd_authenticator {
	char *id;			/* base64url credential id */
	char *aaguid;			/* optional: null for seeded credentials */
	char *created_at;		/* optional */
	char *last_used_at;		/* optional */
	char *revoked_at;		/* optional */
	long long sign_count;
	bool locked;
};

struct net_hd_authenticators {
	char *user_id;
	struct net_hd_authenticator *authenticators;
	size_t n_authenticators;
};

/* POST /v1/helpdesk/users/{id}/authenticators/challenge */
struct net_hd_enrol_challenge {
	char *challenge_id;
	char *challenge;		/* base64url */
	char *rp_id;
	char *user_handle;		/* user.id: base64url of the user id's bytes */
	char *user_name;
	char *user_display_name;
	char *user_verification;
	long long expires_in;
};

/* 201 of POST /v1/helpdesk/users/{id}/authenticators */
struct net_hd_enrolled {
	char *id;
	char *aaguid;			/* optional */
	char *user_id;
};

/* POST /v1/helpdesk/users/{id}/unlock */
struct net_hd_unlocked {
	long long unlocked;
};

int net_decode_hd_users(const char *body, size_t len, struct net_hd_users **out, char *err, size_t errlen);
int net_decode_hd_sessions(const char *body, size_t len, struct net_hd_sessions **out, char *err, size_t errlen);
int net_decode_hd_authenticators(const char *body, size_t len, struct net_hd_authenticators **out,
    char *err, size_t errlen);
int net_decode_hd_enrol_challenge(const char *body, size_t len, struct net_hd_enrol_challenge **out,
    char *err, size_t errlen);
int net_decode_hd_enrolled(const char *body, size_t len, struct net_hd_enrolled **out, char *err, size_t errlen);
int net_decode_hd_unlocked(const char *body, size_t len, struct net_hd_unlocked **out, char *err, size_t errlen);

/* Free everything (NULL-safe) and set *p = NULL. */
void net_hd_users_free(struct net_hd_users **p);
void net_hd_sessions_free(struct net_hd_sessions **p);
void net_hd_authenticators_free(struct net_hd_authenticators **p);
void net_hd_enrol_challenge_free(struct net_hd_enrol_challenge **p);
void net_hd_enrolled_free(struct net_hd_enrolled **p);
void net_hd_unlocked_free(struct net_hd_unlocked **p);

#endif
