/* Reviewer desk, open access exceptions: grants of every kind with their flags; revoke and extend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/h_review.h"
#include "backend/idempotency.h"
#include "backend/review_query.h"
#include "backend/util.h"

#define GRANTS_LIMIT_DEFAULT 50
#define GRANTS_LIMIT_MAX 200
#define EXTEND_MAX_BREAK_GLASS 86400		/* a break-glass grant stays short */
#define EXTEND_MAX (365 * 86400)

static const char *
grants_filter(struct req *r, struct grant_filter *f)
{
	static const char *const flags[] = { "stale", "overbroad", "long_lived", NULL };
	static const char *const kinds[] = { "break_glass", "jit", "delegation", "integration", NULL };
	static const char *const subjects[] = { "person", "service", NULL };
	const char *cursor = req_query(r, "cursor");
	int bad = 0;

	memset(f, 0, sizeof(*f));
	f->now = cg_now();
	f->flag = review_param(r, "flag", &bad);
	f->kind = review_param(r, "kind", &bad);
	f->subject_kind = review_param(r, "subject_kind", &bad);
	if (bad || (f->flag && !review_one_of(f->flag, flags)))
		return "flag must be stale, overbroad or long_lived";
	if (f->kind && !review_one_of(f->kind, kinds))
		return "kind must be break_glass, jit, delegation or integration";
	if (f->subject_kind && !review_one_of(f->subject_kind, subjects))
		return "subject_kind must be person or service";
	if (rq_limit(req_query(r, "limit"), GRANTS_LIMIT_DEFAULT, GRANTS_LIMIT_MAX, &f->limit) != 0)
		return "limit must be 1-200";
	if (cursor != NULL) {
		if (rq_cursor_read(cursor, "grants", &f->after_key, f->after_id) != 0)
			return "cursor is not one this list gave";
		f->has_after = 1;
	}
	return NULL;
}

void
h_review_exceptions(struct req *r)
{
	struct grant_filter f;
	struct store_page pg;
	struct desk d;
	const char *problem;
	char *next = NULL;
	json_t *arr;

	if (desk_open_kind(&d, r, &desk_kind_review, "list_exceptions", NULL) != 0)
		return;
	if ((problem = grants_filter(r, &f)) != NULL) {
		desk_refuse(&d, 400, "bad_request", problem, "query_invalid");
		return;
	}
	if ((arr = json_array()) == NULL || store_grants(r->app->store, &f, arr, &pg) != STORE_OK ||
	    (pg.more && (next = rq_cursor_make("grants", pg.key, pg.id)) == NULL)) {
		json_decref(arr);
		desk_internal(&d);
		return;
	}
	desk_done(&d, 200, json_pack("{s:o, s:o}", "exceptions", arr,
	    "next_cursor", next ? json_string(next) : json_null()));
	free(next);
}

/* The grant of the path, open or not, as JSON; NULL after a 404/500 (answered, audited). */
static json_t *
grant_for(struct desk *d)
{
	struct grant_filter f;
	struct store_page pg;
	json_t *arr = json_array(), *g;

	memset(&f, 0, sizeof(f));
	f.id = d->r->params[0];
	f.limit = 1;
	f.now = cg_now();
	snprintf(d->object, sizeof(d->object), "%s", f.id);
	if (arr == NULL || store_grants(d->r->app->store, &f, arr, &pg) != STORE_OK) {
		json_decref(arr);
		desk_internal(d);
		return NULL;
	}
	if ((g = json_array_get(arr, 0)) == NULL) {
		json_decref(arr);
		desk_refuse(d, 404, "not_found", "no such grant", "grant_unknown");
		return NULL;
	}
	json_incref(g);
	json_decref(arr);
	if (strcmp(json_string_value(json_object_get(g, "subject_kind")), "person") == 0)
		snprintf(d->target_user, sizeof(d->target_user), "%s",
		    json_string_value(json_object_get(json_object_get(g, "subject"), "id")));
	if (json_is_object(json_object_get(g, "patient")))
		snprintf(d->patient, sizeof(d->patient), "%s",
		    json_string_value(json_object_get(json_object_get(g, "patient"), "id")));
	return g;
}

/* After a change: the grant as it is now. */
static void
answer_grant(struct desk *d, int rc)
{
	json_t *g;

	if (rc == STORE_CONFLICT) {
		desk_refuse(d, 409, "conflict", "this grant is no longer open (revoked or expired)",
		    "grant_not_open");
		return;
	}
	if (rc != STORE_OK) {
		desk_internal(d);
		return;
	}
	if ((g = grant_for(d)) != NULL)
		desk_done(d, 200, g);
}

static void
review_revoke(struct req *r)
{
	struct desk d;
	json_t *g;

	if (desk_open_kind(&d, r, &desk_kind_review, "revoke_grant", "reason") != 0 ||
	    (g = grant_for(&d)) == NULL)
		return;
	json_decref(g);
	answer_grant(&d, store_grant_revoke(r->app->store, r->params[0], cg_now()));
}

static void
review_extend(struct req *r)
{
	const char *until_s = json_string_value(json_object_get(r->body, "until"));
	int64_t now = cg_now(), until = 0, expires = 0;
	const char *exp_s;
	struct desk d;
	json_t *g;

	if (desk_open_kind(&d, r, &desk_kind_review, "extend_grant", "reason") != 0 ||
	    (g = grant_for(&d)) == NULL)
		return;
	exp_s = json_string_value(json_object_get(g, "expires_at"));
	if (desk_self(&d, d.target_user[0] ? d.target_user : "")) {
		json_decref(g);
		return;
	}
	if (until_s == NULL || rq_time(until_s, &until) != 0 || until <= now ||
	    until > now + (strcmp(json_string_value(json_object_get(g, "kind")), "break_glass") == 0 ?
	    EXTEND_MAX_BREAK_GLASS : EXTEND_MAX)) {
		desk_refuse(&d, 400, "bad_request", "until must be a future RFC 3339 UTC time, at most "
		    "24 hours ahead for a break-glass grant and a year for others", "until_invalid");
	} else if (exp_s == NULL) {
		desk_refuse(&d, 409, "conflict", "this grant never expires; revoke it instead",
		    "no_expiry");
	} else if (rq_time(exp_s, &expires) != 0 || until <= expires) {
		desk_refuse(&d, 400, "bad_request", "until must be later than the grant's expiry",
		    "until_invalid");
	} else
		answer_grant(&d, store_grant_extend(r->app->store, r->params[0], until, now));
	json_decref(g);
}

void
h_review_revoke(struct req *r)
{
	idem_run(r, review_revoke);
}

void
h_review_extend(struct req *r)
{
	idem_run(r, review_extend);
}
