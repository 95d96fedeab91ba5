/* Reviewer desk, break-glass queue: list (filters, keyset pages), one event, claim, decision; separation of duties. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/h_review.h"
#include "backend/helpdesk.h"
#include "backend/idempotency.h"
#include "backend/review_query.h"
#include "backend/util.h"

#define QUEUE_LIMIT_DEFAULT 50
#define QUEUE_LIMIT_MAX 200

static const char *
str(const json_t *o, const char *path1, const char *path2)
{
	const json_t *v = json_object_get(o, path1);

	if (path2 != NULL)
		v = json_object_get(v, path2);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Whether the viewer may claim it now: open, and not their own. */
static void
add_claimable(json_t *e, const char *viewer)
{
	json_object_set_new(e, "claimable", json_boolean(strcmp(str(e, "status", NULL), "open") == 0 &&
	    strcmp(str(e, "user", "id"), viewer) != 0));
}

/* Parse the queue's query into f; NULL when fine, else the 400 message. like holds q's pattern. */
static const char *
queue_filter(struct req *r, struct review_filter *f, char *like, size_t like_size)
{
	static const char *const statuses[] = { "open", "in_review", "closed", NULL };
	const char *status = req_query(r, "status"), *sort = req_query(r, "sort");
	const char *q = req_query(r, "q"), *cursor = req_query(r, "cursor");
	const char *since = req_query(r, "since"), *until = req_query(r, "until");
	int bad = 0;

	memset(f, 0, sizeof(*f));
	f->status = status != NULL ? status : "open";
	if (!review_one_of(f->status, statuses))
		return "status must be open, in_review or closed";
	if (sort != NULL && strcmp(sort, "risk") != 0 && strcmp(sort, "age") != 0)
		return "sort must be risk or age";
	f->by_risk = sort == NULL || strcmp(sort, "risk") == 0;
	f->unit = review_param(r, "unit", &bad);
	f->user = review_param(r, "user", &bad);
	f->reason = review_param(r, "reason", &bad);
	if (bad)
		return "unit, user and reason are at most 63 characters";
	if ((since != NULL && rq_time(since, &f->since) != 0) ||
	    (until != NULL && rq_time(until, &f->until) != 0))
		return "since and until are RFC 3339 UTC times (2026-11-23T16:37:57Z) or dates";
	if (q != NULL) {
		if (helpdesk_query_problem(q) != NULL || helpdesk_like_pattern(q, like, like_size) != 0)
			return "q must be 2-64 characters";
		f->like = like;
	}
	if (rq_limit(req_query(r, "limit"), QUEUE_LIMIT_DEFAULT, QUEUE_LIMIT_MAX, &f->limit) != 0)
		return "limit must be 1-200";
	if (cursor != NULL) {
		if (rq_cursor_read(cursor, f->by_risk ? "risk" : "age", &f->after_key, f->after_id) != 0)
			return "cursor is not one this list gave (or was made for another sort)";
		f->has_after = 1;
	}
	return NULL;
}

void
h_review_events(struct req *r)
{
	struct review_filter f;
	struct store_page pg;
	struct desk d;
	char like[160], *next = NULL;
	const char *problem;
	json_t *arr, *e;
	size_t i;

	if (desk_open_kind(&d, r, &desk_kind_review, "list_break_glass", NULL) != 0)
		return;
	if ((problem = queue_filter(r, &f, like, sizeof(like))) != NULL) {
		desk_refuse(&d, 400, "bad_request", problem, "query_invalid");
		return;
	}
	snprintf(d.object, sizeof(d.object), "status=%s sort=%s", f.status, f.by_risk ? "risk" : "age");
	if ((arr = json_array()) == NULL ||
	    store_review_events(r->app->store, &f, arr, &pg) != STORE_OK ||
	    (pg.more && (next = rq_cursor_make(f.by_risk ? "risk" : "age", pg.key, pg.id)) == NULL)) {
		json_decref(arr);
		desk_internal(&d);
		return;
	}
	json_array_foreach(arr, i, e)
		add_claimable(e, r->user.id);
	desk_done(&d, 200, json_pack("{s:o, s:o, s:I}", "events", arr,
	    "next_cursor", next ? json_string(next) : json_null(), "total", (json_int_t)pg.total));
	free(next);
}

/* Open the event of the path for desk d; NULL after a 404/500 (answered and audited). */
static json_t *
event_for(struct desk *d)
{
	const char *id = d->r->params[0];
	json_t *e = NULL;
	int rc;

	snprintf(d->object, sizeof(d->object), "%s", id);
	if ((rc = store_review_event(d->r->app->store, id, &e)) == STORE_NOT_FOUND) {
		desk_refuse(d, 404, "not_found", "no such break-glass event", "event_unknown");
		return NULL;
	}
	if (rc != STORE_OK) {
		desk_internal(d);
		return NULL;
	}
	snprintf(d->target_user, sizeof(d->target_user), "%s", str(e, "user", "id"));
	snprintf(d->patient, sizeof(d->patient), "%s", str(e, "patient", "id"));
	add_claimable(e, d->r->user.id);
	return e;
}

void
h_review_event(struct req *r)
{
	struct desk d;
	json_t *e, *acc, *prior;
	int64_t created = 0;

	if (desk_open_kind(&d, r, &desk_kind_review, "view_break_glass", NULL) != 0 ||
	    (e = event_for(&d)) == NULL)
		return;
	rq_time(str(e, "created_at", NULL), &created);
	acc = json_array();
	prior = json_array();
	if (acc == NULL || prior == NULL ||
	    store_review_accesses(r->app->store, r->params[0], acc) != STORE_OK ||
	    store_review_prior(r->app->store, str(e, "user", "id"), r->params[0], created,
	    prior) != STORE_OK) {
		json_decref(acc);
		json_decref(prior);
		json_decref(e);
		desk_internal(&d);
		return;
	}
	json_object_set_new(e, "accesses", acc);
	json_object_set_new(e, "prior_decisions", prior);
	desk_done(&d, 200, e);
}

/* The answer after a change: the event as it is now. */
static void
answer_event(struct desk *d)
{
	json_t *e = NULL;

	if (store_review_event(d->r->app->store, d->r->params[0], &e) != STORE_OK) {
		desk_internal(d);
		return;
	}
	add_claimable(e, d->r->user.id);
	desk_done(d, 200, e);
}

/* Why a move lost: someone else holds the event, or it is closed. */
static void
refuse_conflict(struct desk *d, const json_t *e)
{
	char msg[200];

	if (strcmp(str(e, "status", NULL), "closed") == 0) {
		desk_refuse(d, 409, "conflict", "this event is closed", "closed");
		return;
	}
	snprintf(msg, sizeof(msg), "%s is reviewing this event", str(e, "assignee", "display_name"));
	desk_refuse(d, 409, "conflict", msg, "claimed_by_other");
}

static void
review_claim(struct req *r)
{
	struct desk d;
	json_t *e;
	int rc;

	if (desk_open_kind(&d, r, &desk_kind_review, "claim", NULL) != 0 || (e = event_for(&d)) == NULL)
		return;
	if (desk_self(&d, str(e, "user", "id"))) {
		json_decref(e);
		return;
	}
	rc = store_review_claim(r->app->store, r->params[0], r->user.id, cg_now());
	if (rc == STORE_CONFLICT)
		refuse_conflict(&d, e);
	else if (rc != STORE_OK)
		desk_internal(&d);
	else
		answer_event(&d);
	json_decref(e);
}

static void
review_decision(struct req *r)
{
	static const char *const decisions[] = { "appropriate", "inappropriate", "needs_followup", NULL };
	const char *decision = json_string_value(json_object_get(r->body, "decision"));
	struct desk d;
	json_t *e;
	int rc;

	if (desk_open_kind(&d, r, &desk_kind_review, "decision", "note") != 0 ||
	    (e = event_for(&d)) == NULL)
		return;
	if (desk_self(&d, str(e, "user", "id"))) {
		json_decref(e);
		return;
	}
	if (decision == NULL || !review_one_of(decision, decisions)) {
		desk_refuse(&d, 400, "bad_request",
		    "decision must be appropriate, inappropriate or needs_followup", "decision_invalid");
		json_decref(e);
		return;
	}
	rc = store_review_decide(r->app->store, r->params[0], r->user.id, decision, d.reason, cg_now());
	if (rc == STORE_CONFLICT)
		refuse_conflict(&d, e);
	else if (rc != STORE_OK)
		desk_internal(&d);
	else
		answer_event(&d);
	json_decref(e);
}

void
h_review_claim(struct req *r)
{
	idem_run(r, review_claim);
}

void
h_review_decision(struct req *r)
{
	idem_run(r, review_decision);
}
