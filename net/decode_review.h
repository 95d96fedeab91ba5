/* Reviewer desk answers (break-glass queue and detail, access exceptions, audit rows, FHIR export) decoded into typed structs. */
#ifndef CHARTGATE_NET_DECODE_REVIEW_H
#define CHARTGATE_NET_DECODE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

/* Same rules as net/decode.h: strings are heap copies exactly as received
 * (the tui sanitises them for display), optional ones NULL when absent or
 * null; on error *out is NULL and err names the field. */

#define NET_MAX_REVIEW_ROWS	1000	/* one page of any reviewer list */
#define NET_MAX_RISK_FACTORS	64
#define NET_MAX_ACCESSES	5000
#define NET_MAX_PRIOR		500
#define NET_CAP_EXPORT		(1024 * 1024)

/* Someone or something named: {"id","display_name"} (mrn only for patients). */
struct net_ref {
	char *id;
	char *display_name;
	char *mrn;		/* patients of break-glass events: required; elsewhere absent */
};

struct net_risk_factor {
	char *code;
	char *text;
	double weight;
};

enum net_review_status { NET_REVIEW_OPEN, NET_REVIEW_IN_REVIEW, NET_REVIEW_CLOSED };

struct net_review_event {
	char *id;
	struct net_ref user;
	struct net_ref patient;
	char *reason_code;
	char *justification;
	char *created_at;
	char *expires_at;
	char *unit;			/* optional */
	double risk_score;
	struct net_risk_factor *risk_factors;
	size_t n_risk_factors;
	enum net_review_status status;
	bool has_assignee;
	struct net_ref assignee;	/* valid when has_assignee */
	bool claimable;
};

struct net_review_list {
	struct net_review_event *events;
	size_t n_events;
	char *next_cursor;		/* NULL at the end */
	long long total;		/* events matching the filter, all pages */
};

/* One access made under the grant (an audit row). */
struct net_review_access {
	char *time;
	char *kind;
	char **sections;
	size_t n_sections;
	char *purpose;			/* optional */
	char *decision;
	char *path;			/* optional */
	char *workstation;		/* optional */
	char *request_id;
};

struct net_review_decision {
	char *event_id;			/* prior decisions only */
	char *created_at;		/* prior decisions only: the event's time */
	char *decision;			/* appropriate | inappropriate | needs_followup */
	char *note;
	char *reviewer;
	char *decided_at;		/* this event's decision only */
};

struct net_review_detail {
	struct net_review_event event;
	struct net_review_access *accesses;
	size_t n_accesses;
	struct net_review_decision *prior;	/* on this user's earlier events */
	size_t n_prior;
	struct net_review_decision *decision;	/* NULL until decided */
};

struct net_task {
	char *id;
	char *kind;
	char *status;
};

struct net_exception {
	char *id;
	char *kind;			/* break_glass | jit | delegation | integration */
	struct net_ref subject;
	char *subject_kind;		/* person | service */
	char *scope;
	bool has_patient;
	struct net_ref patient;
	char *unit;			/* optional */
	char *created_at;
	char *expires_at;		/* optional: open-ended */
	bool has_task;
	struct net_task task;
	char **flags;			/* stale | overbroad | long_lived */
	size_t n_flags;
	char **flag_texts;		/* the same, in words */
	size_t n_flag_texts;
};

struct net_exception_list {
	struct net_exception *exceptions;
	size_t n_exceptions;
	char *next_cursor;
};

struct net_audit_row {
	long long seq;
	char *time;
	char *user;			/* optional */
	char *workstation;		/* optional */
	char *patient;			/* optional */
	char **sections;
	size_t n_sections;
	char *purpose;			/* optional */
	char *decision;
	char *path;			/* optional */
	char *kind;
	char *rule;			/* optional */
	char *request_id;		/* optional */
	char *hash;
};

struct net_audit_page {
	struct net_audit_row *rows;
	size_t n_rows;
	char *next_cursor;
};

/* GET /v1/audit?format=fhir: the body exactly as sent, checked to be a FHIR Bundle. */
struct net_fhir_export {
	char *body;
	size_t len;
	size_t n_entries;
	bool truncated;		/* link[] has relation "next": more rows than this page */
};

int net_decode_review_list(const char *body, size_t len, struct net_review_list **out, char *err, size_t errlen);
int net_decode_review_detail(const char *body, size_t len, struct net_review_detail **out, char *err, size_t errlen);
int net_decode_exception_list(const char *body, size_t len, struct net_exception_list **out, char *err, size_t errlen);
int net_decode_audit_page(const char *body, size_t len, struct net_audit_page **out, char *err, size_t errlen);
int net_decode_fhir_export(const char *body, size_t len, struct net_fhir_export **out, char *err, size_t errlen);

void net_review_list_free(struct net_review_list **p);
void net_review_detail_free(struct net_review_detail **p);
void net_exception_list_free(struct net_exception_list **p);
void net_audit_page_free(struct net_audit_page **p);
void net_fhir_export_free(struct net_fhir_export **p);

/* "open" | "in_review" | "closed" for a status. */
const char *net_review_status_code(enum net_review_status s);

#endif
