/* The reviewer desk's chartgated calls (docs/api.md "Reviewer desk"): break-glass queue, claim, decision, exceptions, audit. */
#ifndef CHARTGATE_NET_API_REVIEW_H
#define CHARTGATE_NET_API_REVIEW_H

#include "net/api.h"
#include "net/decode_review.h"

/* Callbacks as in net/api.h: exactly one of res / err, res owned by the callback. */
typedef void (*api_review_list_fn)(struct net_review_list *res, const struct api_error *err, void *arg);
typedef void (*api_review_detail_fn)(struct net_review_detail *res, const struct api_error *err, void *arg);
typedef void (*api_exception_list_fn)(struct net_exception_list *res, const struct api_error *err, void *arg);
typedef void (*api_audit_page_fn)(struct net_audit_page *res, const struct api_error *err, void *arg);
typedef void (*api_fhir_export_fn)(struct net_fhir_export *res, const struct api_error *err, void *arg);

/* Filters: NULL or "" leaves one out; limit 0 is the server's default. */
struct api_review_query {
	const char *status;		/* open | in_review | closed */
	const char *sort;		/* risk | age */
	const char *unit, *user, *reason, *q;
	const char *cursor;		/* the previous page's next_cursor */
	int limit;
};

struct api_exception_query {
	const char *flag;		/* stale | overbroad | long_lived */
	const char *subject_kind;	/* person | service */
	const char *cursor;
	int limit;
};

struct api_audit_query {
	const char *patient, *user, *since, *until;
	const char *cursor;
	int limit;
};

int api_review_events(struct http *h, const char *token, const struct api_review_query *q,
    api_review_list_fn cb, void *arg, unsigned *req_id);
int api_review_event(struct http *h, const char *token, const char *id,
    api_review_detail_fn cb, void *arg, unsigned *req_id);
/* Changes carry an Idempotency-Key: send the same key again to retry safely. */
int api_review_claim(struct http *h, const char *token, const char *id, const char *idem_key,
    api_done_fn cb, void *arg, unsigned *req_id);
/* decision: appropriate | inappropriate | needs_followup. */
int api_review_decide(struct http *h, const char *token, const char *id, const char *decision,
    const char *note, const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id);

int api_review_exceptions(struct http *h, const char *token, const struct api_exception_query *q,
    api_exception_list_fn cb, void *arg, unsigned *req_id);
int api_review_revoke(struct http *h, const char *token, const char *id, const char *reason,
    const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id);
/* until: RFC 3339 UTC. */
int api_review_extend(struct http *h, const char *token, const char *id, const char *until,
    const char *reason, const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id);

int api_audit(struct http *h, const char *token, const struct api_audit_query *q,
    api_audit_page_fn cb, void *arg, unsigned *req_id);
/* The same filter as a FHIR R4 Bundle of AuditEvent resources: one page of q->limit rows. */
int api_audit_fhir(struct http *h, const char *token, const struct api_audit_query *q,
    api_fhir_export_fn cb, void *arg, unsigned *req_id);

#endif
