/* Shared inside the reviewer desk (app_review.c, app_review_act.c): its fetch bookkeeping. */
#ifndef CHARTGATE_APP_REVIEW_INT_H
#define CHARTGATE_APP_REVIEW_INT_H

#include <stddef.h>

#include "net/api.h"

struct app;

/* Requests the desk can have in flight, one of each. */
enum rf { RF_QUEUE, RF_EXC, RF_AUDIT, RF_DETAIL, RF_CLAIM, RF_DECIDE, RF_EXC_ACT, RF_EXPORT, RF_N };

/* A reply belongs to the session switch (app->gen) and filters (lgen) it was asked for. */
struct rfetch {
	struct app *app;
	unsigned gen, lgen;
	enum rf kind;
	long page;
};

/* The app's own pattern: one request of a kind at a time (a new one cancels the old),
 * and gen drops replies meant for a session that has since been switched away. */
struct rfetch *review_rf_begin(struct app *, enum rf kind, unsigned lgen, long page);
int review_rf_started(struct app *, enum rf kind, int rc, unsigned req);
/* 1 when the reply still belongs on screen. */
int review_rf_end(struct rfetch *);
/* A 401 ends the session; anything else is said where it happened (where may be NULL). */
void review_rf_failed(struct app *, const struct api_error *, char *where, size_t size);
/* The active session's bearer token, or NULL. */
const char *review_token(struct app *);
/* 32 hex digits from the CSPRNG, prefixed: an Idempotency-Key. */
void review_new_key(char *out, size_t size, const char *prefix);
struct review_desk;
struct api_audit_query;
/* The audit screen's filter fields of desk d, as a query (the list and the export ask alike). */
void review_audit_filter(struct review_desk *d, struct api_audit_query *q);
/* Forget the open event's detail (app_review_wipe). */
void review_act_wipe(void);

#endif
