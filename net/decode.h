/* API answers decoded into typed structs with strict checks; every decoder has a matching free. */
#ifndef CHARTGATE_NET_DECODE_H
#define CHARTGATE_NET_DECODE_H

#include <stdbool.h>
#include <stddef.h>

/* Caps (bytes / entries). A larger value is a decode error naming the field. */
#define NET_CAP_ID		256
#define NET_CAP_CODE		64
#define NET_CAP_TIME		64
#define NET_CAP_NAME		4096
#define NET_CAP_TEXT		65536
#define NET_CAP_TOKEN		512
#define NET_CAP_ERRMSG		4096
#define NET_MAX_ROLES		64
#define NET_MAX_PURPOSES	64
#define NET_MAX_PATIENTS	1000
#define NET_MAX_FLAGS		64
#define NET_MAX_SECTIONS	256
#define NET_MAX_SENSITIVITY	64
#define NET_MAX_ITEMS		4096

/* Return values are enum njson_err (net/json.h): NJSON_OK == 0. err gets
 * "WHAT: FIELD PROBLEM", e.g. "worklist: patients[3].display_name is not a string".
 * Every string is NUL-terminated heap memory, kept exactly as received
 * (valid UTF-8 without NUL; sanitising for display is the tui's job).
 * Optional strings are NULL when absent or null. */

struct net_health {
	char *status;
	char *version;		/* optional */
};

/* {"error":{"code","message","rule"?},"break_glass_allowed"?} */
struct net_error_body {
	char *code;
	char *message;
	char *rule;		/* optional */
	bool break_glass_allowed;
};

struct net_challenge {
	char *challenge_id;
	char *challenge;	/* base64url */
	char *rp_id;
	char *user_verification;	/* "discouraged" | "required" | ... as sent */
	long expires_in;	/* seconds, 0..86400 */
};

struct net_user {
	char *id;
	char *display_name;
	char **roles;
	size_t n_roles;
};

struct net_session {
	char *token;		/* secret: wiped with OPENSSL_cleanse on free */
	size_t token_len;
	char *session_id;
	char *expires_at;
	bool resumed;
	struct net_user user;
	/* Optional, when the tap asked for them (include): the /v1/me answer and the worklist. */
	struct net_me *me;
	struct net_worklist *worklist;
};

struct net_purpose {
	char *code;
	char *display;
};

struct net_me {
	struct net_user user;
	struct {
		char *id;
		char *workstation;
		char *created_at;
		char *expires_at;
		char *idle_expires_at;
	} session;
	struct net_purpose *purposes;	/* optional array: n_purposes may be 0 */
	size_t n_purposes;
};

struct net_patient_row {
	char *id;		/* required */
	char *mrn;		/* required */
	char *display_name;	/* required */
	char *birth_date;	/* required */
	char *sex;		/* optional */
	char *location;		/* optional */
	char *unit;		/* optional */
	char *encounter_status;	/* required */
};

struct net_worklist {
	struct net_patient_row *patients;
	size_t n_patients;
	char *next_cursor;	/* NULL at the end of the list */
};

struct net_item {
	char *label;
	char *value;		/* up to NET_CAP_TEXT */
	char *time;		/* optional */
};

enum net_gate {
	NET_GATE_NONE = 0,	/* "gated": null or absent */
	NET_GATE_STEP_UP,	/* "gated": "step_up" — items are empty until step-up */
};

struct net_section {
	char *id;
	char *title;
	char *confidentiality;	/* "N" | "R" | "V" as sent */
	char **sensitivity;
	size_t n_sensitivity;
	enum net_gate gated;
	struct net_item *items;	/* optional array */
	size_t n_items;
};

struct net_chart {
	struct {
		char *id;
		char *mrn;
		char *display_name;
		char *birth_date;	/* optional */
		char *sex;		/* optional */
		char **flags;		/* optional array */
		size_t n_flags;
	} patient;
	struct {
		char *path;		/* "care-team" | "grant:ID" | ... */
		char *purpose;		/* optional */
		char *expires_at;	/* optional: a grant's end */
		char *step_up_until;	/* optional: step-up for this patient */
	} access;
	struct net_section *sections;
	size_t n_sections;
};

/* POST /v1/auth/step-up */
struct net_step_up {
	char *step_up_until;
	char *patient_id;
	long expires_in;	/* seconds, 0..86400 */
};

/* POST /v1/patients/{id}/break-glass */
struct net_grant {
	char *grant_id;
	char *expires_at;
	char *patient_id;
};

/* Each decoder: body/len is the raw HTTP body; on success *out is a fresh
 * struct, on error *out is NULL and err (may be NULL) says which field. */
int net_decode_health(const char *body, size_t len, struct net_health **out, char *err, size_t errlen);
int net_decode_error(const char *body, size_t len, struct net_error_body **out, char *err, size_t errlen);
int net_decode_challenge(const char *body, size_t len, struct net_challenge **out, char *err, size_t errlen);
int net_decode_session(const char *body, size_t len, struct net_session **out, char *err, size_t errlen);
int net_decode_me(const char *body, size_t len, struct net_me **out, char *err, size_t errlen);
int net_decode_worklist(const char *body, size_t len, struct net_worklist **out, char *err, size_t errlen);
int net_decode_chart(const char *body, size_t len, struct net_chart **out, char *err, size_t errlen);
/* GET /v1/patients?q=: worklist-shaped rows where encounter_status and location are optional. */
int net_decode_search(const char *body, size_t len, struct net_worklist **out, char *err, size_t errlen);
int net_decode_step_up(const char *body, size_t len, struct net_step_up **out, char *err, size_t errlen);
int net_decode_grant(const char *body, size_t len, struct net_grant **out, char *err, size_t errlen);

/* Free functions take &p, free everything (NULL-safe) and set p = NULL.
 * Clinical strings are wiped before free too: they should not linger in the heap. */
void net_health_free(struct net_health **p);
void net_error_body_free(struct net_error_body **p);
void net_challenge_free(struct net_challenge **p);
void net_session_free(struct net_session **p);
void net_me_free(struct net_me **p);
void net_worklist_free(struct net_worklist **p);
void net_chart_free(struct net_chart **p);
void net_step_up_free(struct net_step_up **p);
void net_grant_free(struct net_grant **p);

#endif
