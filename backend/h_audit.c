/* Reviewer desk, audit trail: GET /v1/audit as JSON rows or a FHIR R4 Bundle; each read is itself audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fhir.h"
#include "backend/h_review.h"
#include "backend/review_query.h"
#include "backend/util.h"

#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 1000
#define AUDIT_SECTIONS_MAX 32

struct audit_out {
	struct store *s;
	int fhir;
	json_t *arr;
};

static json_t *
row_json(const struct audit_row *a)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "seq", (json_int_t)a->seq, "time", a->time, "user", a->user_id,
	    "workstation", a->workstation, "patient", a->patient_id,
	    "sections", rq_csv_array(a->sections), "purpose", a->purpose, "decision", a->decision,
	    "path", a->path, "kind", a->kind, "rule", a->rule, "request_id", a->request_id,
	    "hash", a->hash, "detail", a->detail);
}

/* The row's sections with their labels, as far as the store knows them. */
static size_t
row_sections(struct store *s, const struct audit_row *a, struct section *out)
{
	const char *p = a->sections;
	size_t n = 0;

	while (*p != '\0' && n < AUDIT_SECTIONS_MAX) {
		size_t len = strcspn(p, ",");

		char sid[STORE_ID_MAX];

		if (len < sizeof(sid)) {
			memcpy(sid, p, len);
			sid[len] = '\0';
			/* A section the store does not know is named by its id, unlabelled. */
			if (store_section_get(s, a->patient_id, sid, &out[n]) != STORE_OK) {
				memset(&out[n], 0, sizeof(out[n]));
				snprintf(out[n].id, sizeof(out[n].id), "%s", sid);
			}
			n++;
		}
		p += len + (p[len] == ',');
	}
	return n;
}

static int
one_row(void *arg, const struct audit_row *a, const char *user_display)
{
	struct audit_out *o = arg;
	struct section secs[AUDIT_SECTIONS_MAX];

	if (!o->fhir)
		return json_array_append_new(o->arr, row_json(a)) != 0;
	return json_array_append_new(o->arr, fhir_audit_event(a, user_display, secs,
	    row_sections(o->s, a, secs))) != 0;
}

/* since/until as the stored text form, so the comparison is on equal terms. */
static int
time_param(struct req *r, const char *name, char out[CG_TIME_LEN], const char **set)
{
	const char *v = req_query(r, name);
	int64_t t;

	*set = NULL;
	if (v == NULL)
		return 0;
	if (rq_time(v, &t) != 0)
		return -1;
	cg_time_fmt(t, out);
	*set = out;
	return 0;
}

static const char *
audit_filter(struct req *r, struct audit_filter *f, char since[CG_TIME_LEN],
    char until[CG_TIME_LEN], int *fhir)
{
	const char *format = req_query(r, "format"), *cursor = req_query(r, "cursor");
	char id[STORE_ID_MAX];
	int bad = 0;

	memset(f, 0, sizeof(*f));
	f->patient = review_param(r, "patient", &bad);
	f->user = review_param(r, "user", &bad);
	f->kind = review_param(r, "kind", &bad);
	if (bad)
		return "patient, user and kind are at most 63 characters";
	if (time_param(r, "since", since, &f->since) != 0 || time_param(r, "until", until, &f->until) != 0)
		return "since and until are RFC 3339 UTC times (2026-11-23T16:37:57Z) or dates";
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "fhir") != 0)
		return "format must be json or fhir";
	*fhir = format != NULL && strcmp(format, "fhir") == 0;
	if (rq_limit(req_query(r, "limit"), AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX, &f->limit) != 0)
		return "limit must be 1-1000";
	if (cursor != NULL && (rq_cursor_read(cursor, "audit", &f->before_seq, id) != 0 ||
	    f->before_seq < 1))
		return "cursor is not one this list gave";
	return NULL;
}

/* The query string of this list again (for FHIR links), with a cursor when given. */
static void
list_url(const struct audit_filter *f, const char *cursor, char *out, size_t size)
{
	snprintf(out, size, "/v1/audit?format=fhir&limit=%zu%s%s%s%s%s%s%s%s%s%s%s%s", f->limit,
	    f->patient ? "&patient=" : "", f->patient ? f->patient : "",
	    f->user ? "&user=" : "", f->user ? f->user : "",
	    f->kind ? "&kind=" : "", f->kind ? f->kind : "",
	    f->since ? "&since=" : "", f->since ? f->since : "",
	    f->until ? "&until=" : "", f->until ? f->until : "",
	    cursor ? "&cursor=" : "", cursor ? cursor : "");
}

void
h_audit_query(struct req *r)
{
	struct audit_filter f;
	struct store_page pg;
	struct audit_out o;
	struct desk d;
	char since[CG_TIME_LEN], until[CG_TIME_LEN], self[512], nexturl[512], *next = NULL;
	const char *problem;
	int fhir = 0;

	if (desk_open_kind(&d, r, &desk_kind_audit_read, "audit_query", NULL) != 0)
		return;
	if ((problem = audit_filter(r, &f, since, until, &fhir)) != NULL) {
		desk_refuse(&d, 400, "bad_request", problem, "query_invalid");
		return;
	}
	snprintf(d.patient, sizeof(d.patient), "%s", f.patient ? f.patient : "");
	snprintf(d.target_user, sizeof(d.target_user), "%s", f.user ? f.user : "");
	snprintf(d.object, sizeof(d.object), "format=%s kind=%s since=%s until=%s",
	    fhir ? "fhir" : "json", f.kind ? f.kind : "", f.since ? f.since : "", f.until ? f.until : "");
	o.s = r->app->store;
	o.fhir = fhir;
	if ((o.arr = json_array()) == NULL ||
	    store_audit_query(r->app->store, &f, one_row, &o, &pg) != STORE_OK ||
	    (pg.more && (next = rq_cursor_make("audit", pg.key, "")) == NULL)) {
		json_decref(o.arr);
		desk_internal(&d);
		return;
	}
	if (fhir) {
		list_url(&f, req_query(r, "cursor"), self, sizeof(self));
		list_url(&f, next, nexturl, sizeof(nexturl));
		desk_done(&d, 200, fhir_bundle(o.arr, self, next ? nexturl : NULL));
	} else
		desk_done(&d, 200, json_pack("{s:o, s:o}", "rows", o.arr,
		    "next_cursor", next ? json_string(next) : json_null()));
	free(next);
}
