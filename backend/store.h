/* The one storage interface of chartgated (SQLite today; PostgreSQL can implement the same). */
#ifndef CHARTGATED_STORE_H
#define CHARTGATED_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend/vocab.h"

struct store;

enum store_err {
	STORE_OK = 0,
	STORE_NOT_FOUND,	/* no such row */
	STORE_CONFLICT,		/* a compare-and-set lost, a key exists */
	STORE_ERROR		/* the engine failed; logged by the store */
};

#define STORE_ID_MAX 64

/* Open (and migrate) a store. With must_create the file must not exist yet. */
int store_open(const char *path, int must_create, struct store **out);
void store_close(struct store **sp);
int store_begin(struct store *);
int store_commit(struct store *);
int store_rollback(struct store *);

/* ---- login challenges (single use) ---- */
struct challenge {
	char id[STORE_ID_MAX];
	unsigned char bytes[32];
	char purpose[16];
	int64_t expires_at;
};
int store_challenge_put(struct store *, const struct challenge *);
/* Fetch and delete in one step: a challenge is consumed by its first use. */
int store_challenge_take(struct store *, const char *id, struct challenge *out);

/* ---- users and credentials ---- */
struct user {
	char id[STORE_ID_MAX];
	char user_name[STORE_ID_MAX];
	char display_name[128];
	struct rolelist roles;
	int disabled;
};
int store_user_get(struct store *, const char *id, struct user *out);

struct credential {
	char id[128];			/* base64url credential id */
	char user_id[STORE_ID_MAX];
	unsigned char pubkey[64];	/* P-256 x || y */
	uint32_t sign_count;
	int revoked;
};
int store_credential_get(struct store *, const char *id, struct credential *out);
/* Move the counter from `from` to `to`; STORE_CONFLICT if another tap moved it first. */
int store_credential_set_count(struct store *, const char *id, uint32_t from, uint32_t to);

/* ---- sessions (only the SHA-256 of a token is ever stored) ---- */
struct session {
	char id[STORE_ID_MAX];
	char user_id[STORE_ID_MAX];
	char workstation[STORE_ID_MAX];
	int64_t created_at, last_seen_at, expires_at;
};
/* The live session of user on workstation (not ended, not expired at now). */
int store_session_find_live(struct store *, const char *user_id, const char *workstation,
    int64_t now, int64_t idle_ttl, struct session *out);
int store_session_create(struct store *, const struct session *, const unsigned char hash[32]);
/* Give a session a new token hash (the old token dies) and mark it used now. */
int store_session_rotate(struct store *, const char *id, const unsigned char hash[32], int64_t now);
int store_session_by_token(struct store *, const unsigned char hash[32], struct session *out);
int store_session_touch(struct store *, const char *id, int64_t now);
int store_session_end(struct store *, const char *id, int64_t now, const char *reason);

/* ---- clinical data ---- */
/* Worklist rows as JSON objects, appended to arr. */
int store_worklist(struct store *, const char *user_id, json_t *arr);
struct patient {
	char id[STORE_ID_MAX];
	char mrn[32];
	char display_name[128];
	char birth_date[16];
	char sex[16];
	char flags[64];		/* space separated, e.g. "EMP VIP" */
};
int store_patient_get(struct store *, const char *id, struct patient *out);
enum care_rel { CARE_NONE, CARE_FINISHED_ONLY, CARE_ACTIVE };
int store_care_relationship(struct store *, const char *user_id, const char *patient_id,
    enum care_rel *out);

struct section {
	char id[STORE_ID_MAX];
	char title[64];
	char confidentiality[2];
	char sensitivity[64];	/* space separated codes */
};
/* Calls fn once per section of the patient, in chart order. */
int store_sections(struct store *, const char *patient_id,
    int (*fn)(void *arg, const struct section *), void *arg);
/* Items of one section as JSON objects {label, value, time?}, appended to arr. */
int store_section_items(struct store *, const char *section_id, json_t *arr);

/* ---- audit (append-only, hash chained; see audit.h) ---- */
struct audit_row;
/* Sets row->seq, row->prev_hash and row->hash under the store's lock. */
int store_audit_append(struct store *, struct audit_row *row);
/* Calls fn for every row in order; stops early when fn returns non-zero. */
int store_audit_each(struct store *, int (*fn)(void *arg, const struct audit_row *), void *arg);

/* ---- demo seed writers ---- */
int store_put_unit(struct store *, const char *id, const char *name);
int store_put_workstation(struct store *, const char *id, const char *unit_id, const char *label);
int store_put_user(struct store *, const struct user *);
int store_put_credential(struct store *, const struct credential *, int64_t now);
int store_put_patient(struct store *, const struct patient *);
int store_put_encounter(struct store *, const char *id, const char *patient_id, const char *unit_id,
    const char *location, const char *status, int64_t start, int64_t end);
int store_put_care_team(struct store *, const char *encounter_id, const char *user_id, const char *role);
int store_put_section(struct store *, const char *patient_id, int position, const struct section *);
int store_put_item(struct store *, const char *section_id, int position, const char *label,
    const char *value, const char *time);

#endif
