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
/* Group commit: run fn(arg) as one member of a transaction that concurrent callers share,
 * inside a savepoint of its own, and return once that transaction's COMMIT is known:
 * STORE_OK only when fn's writes are committed. fn returning non-zero undoes its own writes
 * only (then STORE_ERROR). Call it without holding the store; fn may use any store
 * function, nested transactions too. */
int store_group(struct store *, int (*fn)(void *arg), void *arg);
/* store_group without waiting, for a caller with other work (an MHD thread and its other
 * connections): store_group_reserve takes a place, NULL when the store drains or memory is
 * short (then call store_group); store_group_later queues it, and fn runs on a thread of
 * the store's own, which calls told(told_arg, rc) once the batch's COMMIT is known (rc as
 * store_group returns it). Reserve first, then make ready for told, then queue. */
struct store_member;
struct store_member *store_group_reserve(struct store *);
void store_group_later(struct store *, struct store_member *, int (*fn)(void *arg), void *arg,
    void (*told)(void *arg, int rc), void *told_arg);
/* Reserve no more; return once every member reserved so far has been told. */
void store_group_drain(struct store *);

/* ---- login challenges (single use) ---- */
struct challenge {
	char id[STORE_ID_MAX];
	unsigned char bytes[32];
	char purpose[16];		/* "login" | "step_up" */
	int64_t expires_at;
	char session_id[STORE_ID_MAX];	/* step_up: the session it was issued to, else "" */
	char patient_id[STORE_ID_MAX];	/* step_up: the patient it is for, else "" */
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
	char cert_sha256[65];	/* client certificate (hex SHA-256) its token was issued over; "" on plain HTTP */
};
/* The live session of user on workstation (not ended, not expired at now). */
int store_session_find_live(struct store *, const char *user_id, const char *workstation,
    int64_t now, int64_t idle_ttl, struct session *out);
int store_session_create(struct store *, const struct session *, const unsigned char hash[32]);
/* Give a session a new token hash (the old token dies), issued over the client certificate
 * cert_sha256 ("" on plain HTTP), and mark it used now. */
int store_session_rotate(struct store *, const char *id, const unsigned char hash[32], int64_t now,
    const char *cert_sha256);
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
/* One item of a chart; its strings live until fn returns. */
struct chart_item {
	const char *section_id, *label, *value;
	const char *time;	/* NULL when it has none */
};
/* Every item of the patient's chart in chart order (sections as store_sections lists them,
 * then the items' positions): one query for the whole chart; fn's non-zero stops it. */
int store_chart_items(struct store *, const char *patient_id,
    int (*fn)(void *arg, const struct chart_item *), void *arg);

/* ---- care context, step-up, break-glass, policy rules (store_access.c) ---- */
struct care_encounter {
	char unit_id[STORE_ID_MAX];
	int active;		/* in-progress */
	int64_t ended_at;	/* when it finished; 0 while active */
};
#define CARE_ENCOUNTERS_MAX 16
/* Encounters of the patient with user on the care team, newest first, up to max; count in *n. */
int store_care_encounters(struct store *, const char *user_id, const char *patient_id,
    struct care_encounter *out, size_t max, size_t *n);
/* The unit a workstation stands in; STORE_NOT_FOUND for a workstation we do not know. */
int store_workstation_unit(struct store *, const char *workstation, char unit_id[STORE_ID_MAX]);

/* Record (or extend) the step-up of a session for one patient. */
int store_step_up_put(struct store *, const char *session_id, const char *patient_id, int64_t until);
/* *until of the session's step-up for patient if it is still valid at now, else STORE_NOT_FOUND. */
int store_step_up_get(struct store *, const char *session_id, const char *patient_id, int64_t now,
    int64_t *until);

struct break_glass {
	char id[STORE_ID_MAX];
	char user_id[STORE_ID_MAX];
	char patient_id[STORE_ID_MAX];
	char workstation[STORE_ID_MAX];
	char reason_code[16];
	const char *justification;	/* borrowed from the caller */
	int64_t created_at, expires_at;
};
int store_break_glass_put(struct store *, const struct break_glass *);
/* The newest unrevoked grant of user for patient still running at now. */
int store_break_glass_active(struct store *, const char *user_id, const char *patient_id,
    int64_t now, char id[STORE_ID_MAX], int64_t *expires_at);

/* Columns of a policy_rules row after its position, in table order (docs/policy.md). */
#define POLICY_RULE_COLS 11
int store_policy_rules(struct store *,
    int (*fn)(void *arg, int position, const char *const cols[POLICY_RULE_COLS]), void *arg);

/* ---- patient search and single sections (store_patients.c) ---- */
/* Patients whose name contains q (any case) or whose MRN starts with q, ordered by id, after
 * id `after` (NULL: from the start), at most limit, as JSON {id, mrn, display_name, birth_date,
 * sex, unit} appended to arr; *more is 1 when further rows exist. */
int store_patient_search(struct store *, const char *q, const char *after, size_t limit,
    json_t *arr, int *more);
/* One section of one patient; STORE_NOT_FOUND when the patient has no such section. */
int store_section_get(struct store *, const char *patient_id, const char *section_id,
    struct section *out);

/* ---- helpdesk desk, enrolment and badge lock-outs (store_helpdesk.c, store_enrol.c, store_lockout.c) ---- */
/* Users whose id, user name or display name matches LIKE pattern (ESCAPE '\'), by name,
 * at most limit, as JSON {id, user_name, display_name, roles, disabled, locked,
 * authenticator_count} appended to arr. */
int store_helpdesk_users(struct store *, const char *pattern, size_t limit, json_t *arr);
/* The user's credentials, oldest first, as JSON {id, aaguid, created_at, last_used_at,
 * sign_count, revoked_at, locked} appended to arr. */
int store_helpdesk_credentials(struct store *, const char *user_id, json_t *arr);

struct live_session {
	char id[STORE_ID_MAX];
	char user_id[STORE_ID_MAX];
	char display_name[128];
	char workstation[STORE_ID_MAX];
	char unit[64];			/* unit name; "" for a workstation we do not know */
	int64_t created_at, last_seen_at, expires_at, tap_seq;
};
/* Every live session on each workstation where some live session matches the filters
 * (NULL: any), so each cart's group is whole; *out is malloc'd (free it), *n rows. */
int store_live_sessions(struct store *, const char *user_id, const char *workstation, int64_t now,
    int64_t idle_ttl, struct live_session **out, size_t *n);
/* One session by id if it is live at now. */
int store_session_get_live(struct store *, const char *id, int64_t now, int64_t idle_ttl,
    struct session *out);
/* The end reason of the ended session this token belonged to; STORE_NOT_FOUND otherwise. */
int store_session_end_reason(struct store *, const unsigned char hash[32], char *reason, size_t size);
/* A successful tap: the session now runs on this credential and is its cart's newest tap. */
int store_session_note_tap(struct store *, const char *session_id, const char *credential_id,
    int64_t now);

/* Revoke a credential and end the live sessions last tapped with it (*ended of them);
 * STORE_CONFLICT when it was already revoked. */
int store_credential_revoke(struct store *, const char *id, int64_t now, int *ended);
/* A credential enrolled at the helpdesk; STORE_CONFLICT when the id exists. */
int store_credential_enrol(struct store *, const struct credential *, const char *aaguid,
    int64_t now);

struct enrol_challenge {
	char id[STORE_ID_MAX];
	unsigned char bytes[32];
	char user_id[STORE_ID_MAX];	/* the user being enrolled */
	char actor_id[STORE_ID_MAX];	/* the helpdesk user who asked */
	char session_id[STORE_ID_MAX];	/* ... from this session */
	int64_t expires_at;
};
int store_enrol_challenge_put(struct store *, const struct enrol_challenge *);
/* Fetch and delete: an enrolment challenge is consumed by its first use. */
int store_enrol_challenge_take(struct store *, const char *id, struct enrol_challenge *out);

struct helpdesk_action {
	const char *request_id, *time, *actor_id, *action, *decision;
	const char *target_user_id, *object_id, *reason;	/* "" when none */
};
int store_helpdesk_action_put(struct store *, const struct helpdesk_action *);

/* Record a failed tap of a known credential; STORE_NOT_FOUND for an unknown id. */
int store_tap_failure_add(struct store *, const char *credential_id, int64_t now,
    char user_id[STORE_ID_MAX]);
/* Times of the credential's failures after `since`, newest first, at most max; count in *n. */
int store_tap_failures_since(struct store *, const char *credential_id, int64_t since,
    int64_t *times, size_t max, size_t *n);
/* Lock a credential; *newly is 1 when it was not locked before. */
int store_credential_lock(struct store *, const char *id, int64_t now, int *newly);
int store_credential_locked(struct store *, const char *id, int *locked);
/* Unlock every credential of the user and forget their failures; *n were locked. */
int store_lockout_clear(struct store *, const char *user_id, int *n);

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

/* The reviewer desk's part of this interface. */
#include "backend/store_review.h"

#endif
