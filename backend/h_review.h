/* Reviewer desk handlers (role privacy_officer): break-glass queue, access exceptions, audit trail. */
#ifndef CHARTGATED_H_REVIEW_H
#define CHARTGATED_H_REVIEW_H

#include "backend/h_helpdesk.h"
#include "backend/server.h"

#define REVIEW_TEXT_MAX 4000	/* characters of a note or reason */

void h_review_events(struct req *);
void h_review_event(struct req *);
void h_review_claim(struct req *);
void h_review_decision(struct req *);
void h_review_exceptions(struct req *);
void h_review_revoke(struct req *);
void h_review_extend(struct req *);
void h_audit_query(struct req *);

/* The reviewer desk is a desk (desk.c): its rows are kind "review"; audit reads "audit-read". */
extern const struct desk_kind desk_kind_review;
extern const struct desk_kind desk_kind_audit_read;

/* NULL when a note or reason is acceptable: 1..4000 characters, not only spaces, no controls. */
const char *review_text_problem(const char *s, size_t len);

/* 1 when v is one of the NULL-terminated list. */
int review_one_of(const char *v, const char *const *list);

/* A query parameter that names something (id, code, unit): NULL when absent or empty;
 * *bad set when it is longer than STORE_ID_MAX - 1. */
const char *review_param(struct req *, const char *name, int *bad);

#endif
