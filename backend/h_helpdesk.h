/* Helpdesk handlers (role helpdesk, never clinical content) and the checks and audit they share. */
#ifndef CHARTGATED_H_HELPDESK_H
#define CHARTGATED_H_HELPDESK_H

#include <jansson.h>

#include "backend/server.h"

void h_helpdesk_users(struct req *);
void h_helpdesk_sessions(struct req *);
void h_helpdesk_session_end(struct req *);
void h_helpdesk_unlock(struct req *);
void h_helpdesk_authenticators(struct req *);
void h_helpdesk_authenticator_revoke(struct req *);
void h_helpdesk_enrol_challenge(struct req *);
void h_helpdesk_enrol(struct req *);

/* What a desk is (the helpdesk; the reviewer desk reuses all of this): who may use it,
 * how its rows are kept and how it words its refusals. */
struct desk_kind {
	const char *role;		/* every request needs this role */
	const char *audit_kind;		/* the kind of its audit rows */
	const char *role_message;	/* 403 to other roles ... */
	const char *role_outcome;	/* ... and its audit outcome */
	const char *self_message;	/* 403 for acting on one's own account or event */
	/* NULL when a reason (or note) text is acceptable, else why not. */
	const char *(*text_problem)(const char *s, size_t len);
	/* Keep the text's full wording beside the audit row. */
	int (*record)(struct store *, const struct helpdesk_action *);
};
extern const struct desk_kind desk_kind_helpdesk;

/* One desk request: what it does, to whom, and why. */
struct desk {
	struct req *r;
	const struct desk_kind *k;
	const char *action;		/* "end_session", "unlock", ...: the audit rule */
	const char *reason;		/* validated; "" for actions that take none */
	char target_user[STORE_ID_MAX];	/* whose account it touches, once known */
	char object[160];		/* session id, credential id, search text */
	char patient[STORE_ID_MAX];	/* the audit row's patient, when the action concerns one */
};

enum desk_reason { DESK_NO_REASON, DESK_REASON };

/* Role helpdesk, then (with DESK_REASON) a valid body "reason". 0 to go on;
 * otherwise the 403/400 is answered and audited. */
int desk_open(struct desk *, struct req *, const char *action, enum desk_reason);
/* The same for any desk; text_field names the body field that must pass k->text_problem
 * ("reason", "note"), NULL when the action takes none. */
int desk_open_kind(struct desk *, struct req *, const struct desk_kind *, const char *action,
    const char *text_field);
/* The user named in the path becomes the target; 404 answered and audited when unknown. */
int desk_user(struct desk *, const char *id, struct user *);
/* 1 when user_id is the caller's own account: 403 answered and audited. */
int desk_self(struct desk *, const char *user_id);
/* Answer an error / the result, and write the request's one audit row. */
void desk_refuse(struct desk *, unsigned status, const char *code, const char *message,
    const char *why);
void desk_done(struct desk *, unsigned status, json_t *body);
/* 500, for a store that failed (the store has logged why). */
void desk_internal(struct desk *);

#endif
