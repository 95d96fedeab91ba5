/* The store's reviewer-desk interface (break-glass queue, grants, audit queries, idempotency); part of store.h. */
#ifndef CHARTGATED_STORE_REVIEW_H
#define CHARTGATED_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend/store.h"

struct risk_rules;
struct risk_facts;
struct audit_row;
struct helpdesk_action;

/* A keyset page: where the next page starts (sort key + id) and whether there is one. */
struct store_page {
	int more;
	int64_t key;
	char id[STORE_ID_MAX];
	int64_t total;
};

/* ---- break-glass queue (store_review.c) ---- */
struct review_filter {
	const char *status;		/* "open" | "in_review" | "closed" */
	int by_risk;			/* 1: risk_score desc, id desc; 0: created_at asc, id asc */
	const char *unit, *user, *reason;	/* NULL: any; unit is an id or a name */
	const char *like;		/* LIKE pattern (ESCAPE '\') on user/patient name or justification */
	int64_t since, until;		/* created_at >= since, < until; 0: unbounded */
	int has_after;			/* start after (after_key, after_id) */
	int64_t after_key;
	char after_id[STORE_ID_MAX];
	size_t limit;
};
/* Events as JSON (the list shape without "claimable"), appended to arr; page->total counts
 * every event that matches the filter. */
int store_review_events(struct store *, const struct review_filter *, json_t *arr,
    struct store_page *page);
/* One event as JSON (the list shape plus "decision", "user_id" kept in "user"); STORE_NOT_FOUND. */
int store_review_event(struct store *, const char *id, json_t **out);
/* Audit rows made under path "break-glass:<id>", oldest first, as JSON access objects. */
int store_review_accesses(struct store *, const char *id, json_t *arr);
/* Earlier decided events of user_id (not id), newest first, at most 20. */
int store_review_prior(struct store *, const char *user_id, const char *id, int64_t before,
    json_t *arr);
/* open -> in_review by reviewer (also a no-op when reviewer already holds it);
 * STORE_CONFLICT when someone else holds it or it is closed. */
int store_review_claim(struct store *, const char *id, const char *reviewer, int64_t now);
/* Close with a decision (claiming an open event on the way); STORE_CONFLICT as for claim. */
int store_review_decide(struct store *, const char *id, const char *reviewer,
    const char *decision, const char *note, int64_t now);
int store_review_action_put(struct store *, const struct helpdesk_action *);

/* ---- risk (store_risk.c) ---- */
int store_risk_rules(struct store *, struct risk_rules *);
/* Facts about event id; its reason code in reason. */
int store_risk_facts(struct store *, const char *id, struct risk_facts *);
/* Keep the score, its factors (JSON text) and the patient's unit on the event. */
int store_risk_put(struct store *, const char *id, int score, const char *factors,
    const char *unit_id);

/* ---- grants of every kind (store_grants.c) ---- */
struct grant_filter {
	const char *id;			/* one grant, open or not; NULL: the open ones */
	const char *flag;		/* "stale" | "overbroad" | "long_lived" | NULL */
	const char *kind;		/* "break_glass" | "jit" | "delegation" | "integration" | NULL */
	const char *subject_kind;	/* "person" | "service" | NULL */
	int has_after;			/* newest first: after (after_key = created_at, after_id) */
	int64_t after_key;
	char after_id[STORE_ID_MAX];
	size_t limit;
	int64_t now;
};
/* Grants as JSON (the exceptions shape), appended to arr. */
int store_grants(struct store *, const struct grant_filter *, json_t *arr, struct store_page *);
/* Revoke an open grant (break-glass or other); STORE_NOT_FOUND unknown, STORE_CONFLICT not open. */
int store_grant_revoke(struct store *, const char *id, int64_t now);
/* Move an open grant's expiry to until; STORE_CONFLICT when it is not open. */
int store_grant_extend(struct store *, const char *id, int64_t until, int64_t now);

/* ---- audit queries (store_audit_query.c) ---- */
struct audit_filter {
	const char *patient, *user, *kind;	/* NULL: any */
	const char *since, *until;	/* RFC 3339 UTC: time >= since, < until */
	int64_t before_seq;		/* 0: from the newest */
	size_t limit;
};
/* Rows newest first; fn gets each with the user's display name ("" unknown). */
int store_audit_query(struct store *, const struct audit_filter *,
    int (*fn)(void *arg, const struct audit_row *, const char *user_display), void *arg,
    struct store_page *);

/* ---- Idempotency-Key (store_idem.c) ---- */
struct idem_entry {
	char body_sha256[65];
	int status;
	char *reply;			/* malloc'd JSON text; free it */
};
/* The stored answer of (user, key); STORE_NOT_FOUND when there is none. */
int store_idem_get(struct store *, const char *user_id, const char *key, struct idem_entry *);
/* Keep an answer (the first one wins; entries older than a day are swept). */
int store_idem_put(struct store *, const char *user_id, const char *key, const char *body_sha256,
    int status, const char *reply, int64_t now);

/* ---- demo seed of the reviewer desk (store_seed_review.c) ---- */
/* Run one seed statement; ":now" in it is bound to now. */
int store_seed_sql(struct store *, const char *sql, int64_t now);
/* Hand every row of a SELECT to fn as text columns ("" for NULL). */
int store_seed_rows(struct store *, const char *sql,
    int (*fn)(void *arg, const char *const *cols, int n), void *arg);
/* A break-glass event as the seed writes it (NULL texts are NULL columns). */
struct bg_seed {
	const char *id, *user_id, *patient_id, *workstation, *reason_code, *justification;
	const char *status, *assignee, *decision, *note, *unit_id, *risk_factors;
	int64_t created_at, expires_at, decided_at;
	int risk_score;
};
struct store_bulk;
/* One prepared INSERT reused for many events (inside the caller's transaction). */
int store_bg_bulk_open(struct store *, struct store_bulk **);
int store_bg_bulk_put(struct store_bulk *, const struct bg_seed *);
void store_bg_bulk_close(struct store_bulk **);

#endif
