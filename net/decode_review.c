/* Reviewer desk answers decoded strictly: each shape is one small function over net/json.h, arrays through one helper. */
#include "net/decode_review.h"

#include <jansson.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/decode.h"
#include "net/json.h"


typedef int (*elem_fn)(struct njson_ctx *, json_t *, void *);
typedef void (*clear_fn)(void *);

/* obj[key] as an object; an optional one may be absent or null (*sub NULL). */
static int
enter(struct njson_ctx *c, json_t *obj, const char *key, bool required, json_t **sub,
    size_t *mark)
{
	json_t *v = json_object_get(obj, key);
	int rc;

	*sub = NULL;
	if (!required && (v == NULL || json_is_null(v)))
		return NJSON_OK;
	if ((rc = njson_obj(c, obj, key, sub)) != NJSON_OK)
		return rc;
	*mark = njson_push_key(c, key);
	return NJSON_OK;
}

/* obj[key]: an array of objects, each decoded by fn into a fresh calloc'd array,
 * which is returned even on failure so the caller's clear frees what was decoded. */
static void *
each(struct njson_ctx *c, json_t *obj, const char *key, size_t max, bool required,
    size_t size, size_t *n, elem_fn fn, int *rc)
{
	json_t *a, *o;
	size_t i, count, mark, m2;
	char *arr;

	*n = 0;
	if ((*rc = njson_arr(c, obj, key, max, required, &a, &count)) != NJSON_OK || count == 0)
		return NULL;
	if ((arr = calloc(count, size)) == NULL) {
		*rc = njson_fail(c, key, NJSON_ERR_NOMEM, "could not be stored (out of memory)");
		return NULL;
	}
	*n = count;
	mark = njson_push_key(c, key);
	for (i = 0; i < count && *rc == NJSON_OK; i++) {
		m2 = njson_push_index(c, i);
		o = json_array_get(a, i);
		*rc = json_is_object(o) ? fn(c, o, arr + i * size) :
		    njson_fail(c, NULL, NJSON_ERR_TYPE, "is not an object");
		njson_pop(c, m2);
	}
	njson_pop(c, mark);
	return arr;
}

#define EACH(obj, key, max, req, dst, n, fn) do { \
	(dst) = each(c, (obj), (key), (max), (req), sizeof *(dst), &(n), (fn), &rc); \
	if (rc != NJSON_OK) \
		goto fail; \
} while (0)

/* A required JSON number (integer or not) within [min, max]. */
static int
number(struct njson_ctx *c, json_t *obj, const char *key, double min, double max, double *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return njson_fail(c, key, NJSON_ERR_MISSING, v ? "is null, expected a number" :
		    "is missing");
	if (!json_is_number(v))
		return njson_fail(c, key, NJSON_ERR_TYPE, "is not a number");
	*out = json_number_value(v);
	if (!isfinite(*out) || *out < min || *out > max)
		return njson_fail(c, key, NJSON_ERR_RANGE, "is out of range");
	return NJSON_OK;
}

/* A required string that must be one of the words in vals (NULL-terminated); *idx its index. */
static int
one_of(struct njson_ctx *c, json_t *obj, const char *key, const char *const *vals, int *idx,
    char **keep)
{
	char *s = NULL;
	int rc, i;

	if ((rc = njson_str(c, obj, key, NET_CAP_CODE, true, &s)) != NJSON_OK)
		return rc;
	for (i = 0; vals[i] != NULL && strcmp(vals[i], s) != 0; i++)
		;
	if (vals[i] == NULL) {
		njson_str_free(&s);
		return njson_fail(c, key, NJSON_ERR_RANGE, "is not a known value");
	}
	*idx = i;
	if (keep)
		*keep = s;
	else
		njson_str_free(&s);
	return NJSON_OK;
}

/* next_cursor must be present (null at the end): a cut page cannot pass as the last. */
static int
cursor(struct njson_ctx *c, json_t *root, char **out)
{
	if (json_object_get(root, "next_cursor") == NULL)
		return njson_fail(c, "next_cursor", NJSON_ERR_MISSING, "is missing");
	return njson_str(c, root, "next_cursor", NET_CAP_NAME, false, out);
}

/* Loads body as an object and runs fn over a fresh struct of size bytes. */
static int
decode_doc(const char *body, size_t len, const char *what, size_t size, elem_fn fn,
    clear_fn clear, void **out, char *err, size_t errlen)
{
	struct njson_ctx c;
	json_t *root = NULL;
	void *r;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(&c, what, err, errlen);
	if ((rc = njson_load_object(body, len, what, &root, err, errlen)) != NJSON_OK)
		return rc;
	if ((r = calloc(1, size)) == NULL) {
		json_decref(root);
		return njson_fail(&c, NULL, NJSON_ERR_NOMEM, "out of memory");
	}
	if ((rc = fn(&c, root, r)) != NJSON_OK) {
		clear(r);
		free(r);
	} else
		*out = r;
	json_decref(root);
	return rc;
}

/* ---- shared pieces ---- */

static void
ref_clear(struct net_ref *r)
{
	njson_str_free(&r->id);
	njson_str_free(&r->display_name);
	njson_str_free(&r->mrn);
}

/* obj[key] = {"id","display_name"[,"mrn"]}; optional refs may be null (*present false). */
static int
ref(struct njson_ctx *c, json_t *obj, const char *key, bool required, bool mrn,
    struct net_ref *r, bool *present)
{
	json_t *o;
	size_t mark = 0;
	int rc;

	if ((rc = enter(c, obj, key, required, &o, &mark)) != NJSON_OK || o == NULL)
		goto out;
	STR(o, "id", NET_CAP_ID, true, r->id);
	STR(o, "display_name", NET_CAP_NAME, true, r->display_name);
	if (mrn)
		STR(o, "mrn", NET_CAP_ID, true, r->mrn);
fail:
	njson_pop(c, mark);
out:
	if (present)
		*present = o != NULL;
	return rc;
}

static void
strs_clear(char ***v, size_t *n)
{
	njson_str_array_free(*v, *n);
	*v = NULL;
	*n = 0;
}

/* ---- break-glass events ---- */

static const char *const status_codes[] = { "open", "in_review", "closed", NULL };

const char *
net_review_status_code(enum net_review_status s)
{
	return s <= NET_REVIEW_CLOSED ? status_codes[s] : "";
}

static int
risk_factor(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_risk_factor *f = p;
	int rc;

	STR(o, "code", NET_CAP_CODE, true, f->code);
	STR(o, "text", NET_CAP_NAME, true, f->text);
	rc = number(c, o, "weight", -1e9, 1e9, &f->weight);
fail:
	return rc;
}

static void
event_clear(struct net_review_event *e)
{
	size_t i;

	njson_str_free(&e->id);
	ref_clear(&e->user);
	ref_clear(&e->patient);
	njson_str_free(&e->reason_code);
	njson_str_free(&e->justification);
	njson_str_free(&e->created_at);
	njson_str_free(&e->expires_at);
	njson_str_free(&e->unit);
	for (i = 0; e->risk_factors && i < e->n_risk_factors; i++) {
		njson_str_free(&e->risk_factors[i].code);
		njson_str_free(&e->risk_factors[i].text);
	}
	free(e->risk_factors);
	e->risk_factors = NULL;
	ref_clear(&e->assignee);
}

static int
event(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_review_event *e = p;
	int rc, st = 0;

	STR(o, "id", NET_CAP_ID, true, e->id);
	TRY(ref(c, o, "user", true, false, &e->user, NULL));
	TRY(ref(c, o, "patient", true, true, &e->patient, NULL));
	STR(o, "reason_code", NET_CAP_CODE, true, e->reason_code);
	STR(o, "justification", NET_CAP_TEXT, true, e->justification);
	STR(o, "created_at", NET_CAP_TIME, true, e->created_at);
	STR(o, "expires_at", NET_CAP_TIME, true, e->expires_at);
	STR(o, "unit", NET_CAP_NAME, false, e->unit);
	TRY(number(c, o, "risk_score", 0, 1e6, &e->risk_score));
	EACH(o, "risk_factors", NET_MAX_RISK_FACTORS, true, e->risk_factors, e->n_risk_factors, risk_factor);
	TRY(one_of(c, o, "status", status_codes, &st, NULL));
	e->status = (enum net_review_status)st;
	TRY(ref(c, o, "assignee", false, false, &e->assignee, &e->has_assignee));
	if (json_object_get(o, "assignee") == NULL)
		TRY(njson_fail(c, "assignee", NJSON_ERR_MISSING, "is missing"));
	TRY(njson_bool(c, o, "claimable", true, false, &e->claimable));
fail:
	return rc;
}

static void
list_clear(void *p)
{
	struct net_review_list *l = p;
	size_t i;

	for (i = 0; l->events && i < l->n_events; i++)
		event_clear(&l->events[i]);
	free(l->events);
	njson_str_free(&l->next_cursor);
}

static int
list(struct njson_ctx *c, json_t *root, void *p)
{
	struct net_review_list *l = p;
	int rc;

	EACH(root, "events", NET_MAX_REVIEW_ROWS, true, l->events, l->n_events, event);
	TRY(cursor(c, root, &l->next_cursor));
	rc = njson_int(c, root, "total", true, 0, 1000000000LL, 0, &l->total);
fail:
	return rc;
}

int
net_decode_review_list(const char *body, size_t len, struct net_review_list **out, char *err,
    size_t errlen)
{
	return decode_doc(body, len, "review queue", sizeof **out, list, list_clear,
	    (void **)out, err, errlen);
}

void
net_review_list_free(struct net_review_list **p)
{
	if (p == NULL || *p == NULL)
		return;
	list_clear(*p);
	free(*p);
	*p = NULL;
}

/* ---- one event in detail ---- */

static void
access_clear(struct net_review_access *a)
{
	njson_str_free(&a->time);
	njson_str_free(&a->kind);
	strs_clear(&a->sections, &a->n_sections);
	njson_str_free(&a->purpose);
	njson_str_free(&a->decision);
	njson_str_free(&a->path);
	njson_str_free(&a->workstation);
	njson_str_free(&a->request_id);
}

static int
access_row(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_review_access *a = p;
	int rc;

	STR(o, "time", NET_CAP_TIME, true, a->time);
	STR(o, "kind", NET_CAP_CODE, true, a->kind);
	TRY(njson_str_array(c, o, "sections", NET_MAX_SECTIONS, NET_CAP_ID, true,
	    &a->sections, &a->n_sections));
	STR(o, "purpose", NET_CAP_CODE, false, a->purpose);
	STR(o, "decision", NET_CAP_CODE, true, a->decision);
	STR(o, "path", NET_CAP_NAME, false, a->path);
	STR(o, "workstation", NET_CAP_ID, false, a->workstation);
	STR(o, "request_id", NET_CAP_ID, true, a->request_id);
fail:
	return rc;
}

static void
decision_clear(struct net_review_decision *d)
{
	njson_str_free(&d->event_id);
	njson_str_free(&d->created_at);
	njson_str_free(&d->decision);
	njson_str_free(&d->note);
	njson_str_free(&d->reviewer);
	njson_str_free(&d->decided_at);
}

static const char *const decision_codes[] = { "appropriate", "inappropriate", "needs_followup", NULL };

/* The fields a decision always has; prior ones add event_id and created_at, the event's own decided_at. */
static int
decision_common(struct njson_ctx *c, json_t *o, struct net_review_decision *d)
{
	int rc, idx;

	TRY(one_of(c, o, "decision", decision_codes, &idx, &d->decision));
	STR(o, "note", NET_CAP_TEXT, true, d->note);
	STR(o, "reviewer", NET_CAP_NAME, true, d->reviewer);
fail:
	return rc;
}

static int
prior_decision(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_review_decision *d = p;
	int rc;

	STR(o, "event_id", NET_CAP_ID, true, d->event_id);
	STR(o, "created_at", NET_CAP_TIME, true, d->created_at);
	rc = decision_common(c, o, d);
fail:
	return rc;
}

static void
detail_clear(void *p)
{
	struct net_review_detail *d = p;
	size_t i;

	event_clear(&d->event);
	for (i = 0; d->accesses && i < d->n_accesses; i++)
		access_clear(&d->accesses[i]);
	free(d->accesses);
	for (i = 0; d->prior && i < d->n_prior; i++)
		decision_clear(&d->prior[i]);
	free(d->prior);
	if (d->decision)
		decision_clear(d->decision);
	free(d->decision);
}

static int
detail(struct njson_ctx *c, json_t *root, void *p)
{
	struct net_review_detail *d = p;
	json_t *o;
	size_t mark = 0;
	int rc;

	TRY(event(c, root, &d->event));
	EACH(root, "accesses", NET_MAX_ACCESSES, true, d->accesses, d->n_accesses, access_row);
	EACH(root, "prior_decisions", NET_MAX_PRIOR, true, d->prior, d->n_prior, prior_decision);
	if (json_object_get(root, "decision") == NULL)
		TRY(njson_fail(c, "decision", NJSON_ERR_MISSING, "is missing"));
	TRY(enter(c, root, "decision", false, &o, &mark));
	if (o == NULL)
		return NJSON_OK;
	if ((d->decision = calloc(1, sizeof *d->decision)) == NULL)
		rc = njson_fail(c, NULL, NJSON_ERR_NOMEM, "out of memory");
	else if ((rc = decision_common(c, o, d->decision)) == NJSON_OK)
		rc = njson_str(c, o, "decided_at", NET_CAP_TIME, true, &d->decision->decided_at);
	njson_pop(c, mark);
fail:
	return rc;
}

int
net_decode_review_detail(const char *body, size_t len, struct net_review_detail **out,
    char *err, size_t errlen)
{
	return decode_doc(body, len, "review event", sizeof **out, detail, detail_clear,
	    (void **)out, err, errlen);
}

void
net_review_detail_free(struct net_review_detail **p)
{
	if (p == NULL || *p == NULL)
		return;
	detail_clear(*p);
	free(*p);
	*p = NULL;
}

/* ---- access exceptions ---- */

static const char *const exception_kinds[] = { "break_glass", "jit", "delegation", "integration", NULL };
static const char *const subject_kinds[] = { "person", "service", NULL };

static void
exception_clear(struct net_exception *x)
{
	njson_str_free(&x->id);
	njson_str_free(&x->kind);
	ref_clear(&x->subject);
	njson_str_free(&x->subject_kind);
	njson_str_free(&x->scope);
	ref_clear(&x->patient);
	njson_str_free(&x->unit);
	njson_str_free(&x->created_at);
	njson_str_free(&x->expires_at);
	njson_str_free(&x->task.id);
	njson_str_free(&x->task.kind);
	njson_str_free(&x->task.status);
	strs_clear(&x->flags, &x->n_flags);
	strs_clear(&x->flag_texts, &x->n_flag_texts);
}

static int
task(struct njson_ctx *c, json_t *obj, struct net_exception *x)
{
	json_t *o;
	size_t mark = 0;
	int rc;

	if ((rc = enter(c, obj, "task", false, &o, &mark)) != NJSON_OK || o == NULL)
		return rc;
	x->has_task = true;
	STR(o, "id", NET_CAP_ID, true, x->task.id);
	STR(o, "kind", NET_CAP_CODE, true, x->task.kind);
	STR(o, "status", NET_CAP_CODE, true, x->task.status);
fail:
	njson_pop(c, mark);
	return rc;
}

static int
exception(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_exception *x = p;
	int rc, idx;

	STR(o, "id", NET_CAP_ID, true, x->id);
	TRY(one_of(c, o, "kind", exception_kinds, &idx, &x->kind));
	TRY(ref(c, o, "subject", true, false, &x->subject, NULL));
	TRY(one_of(c, o, "subject_kind", subject_kinds, &idx, &x->subject_kind));
	STR(o, "scope", NET_CAP_NAME, true, x->scope);
	TRY(ref(c, o, "patient", false, false, &x->patient, &x->has_patient));
	STR(o, "unit", NET_CAP_NAME, false, x->unit);
	STR(o, "created_at", NET_CAP_TIME, true, x->created_at);
	STR(o, "expires_at", NET_CAP_TIME, false, x->expires_at);
	TRY(task(c, o, x));
	TRY(njson_str_array(c, o, "flags", NET_MAX_FLAGS, NET_CAP_CODE, true, &x->flags,
	    &x->n_flags));
	TRY(njson_str_array(c, o, "flag_texts", NET_MAX_FLAGS, NET_CAP_NAME, true,
	    &x->flag_texts, &x->n_flag_texts));
fail:
	return rc;
}

static void
exception_list_clear(void *p)
{
	struct net_exception_list *l = p;
	size_t i;

	for (i = 0; l->exceptions && i < l->n_exceptions; i++)
		exception_clear(&l->exceptions[i]);
	free(l->exceptions);
	njson_str_free(&l->next_cursor);
}

static int
exception_list(struct njson_ctx *c, json_t *root, void *p)
{
	struct net_exception_list *l = p;
	int rc;

	EACH(root, "exceptions", NET_MAX_REVIEW_ROWS, true, l->exceptions, l->n_exceptions, exception);
	rc = cursor(c, root, &l->next_cursor);
fail:
	return rc;
}

int
net_decode_exception_list(const char *body, size_t len, struct net_exception_list **out,
    char *err, size_t errlen)
{
	return decode_doc(body, len, "exceptions", sizeof **out, exception_list,
	    exception_list_clear, (void **)out, err, errlen);
}

void
net_exception_list_free(struct net_exception_list **p)
{
	if (p == NULL || *p == NULL)
		return;
	exception_list_clear(*p);
	free(*p);
	*p = NULL;
}

/* ---- audit rows ---- */

static void
audit_row_clear(struct net_audit_row *a)
{
	njson_str_free(&a->time);
	njson_str_free(&a->user);
	njson_str_free(&a->workstation);
	njson_str_free(&a->patient);
	strs_clear(&a->sections, &a->n_sections);
	njson_str_free(&a->purpose);
	njson_str_free(&a->decision);
	njson_str_free(&a->path);
	njson_str_free(&a->kind);
	njson_str_free(&a->rule);
	njson_str_free(&a->request_id);
	njson_str_free(&a->hash);
}

static int
audit_row(struct njson_ctx *c, json_t *o, void *p)
{
	struct net_audit_row *a = p;
	int rc;

	TRY(njson_int(c, o, "seq", true, 0, (1LL << 53), 0, &a->seq));
	STR(o, "time", NET_CAP_TIME, true, a->time);
	STR(o, "user", NET_CAP_ID, false, a->user);
	STR(o, "workstation", NET_CAP_ID, false, a->workstation);
	STR(o, "patient", NET_CAP_ID, false, a->patient);
	TRY(njson_str_array(c, o, "sections", NET_MAX_SECTIONS, NET_CAP_ID, false,
	    &a->sections, &a->n_sections));
	STR(o, "purpose", NET_CAP_CODE, false, a->purpose);
	STR(o, "decision", NET_CAP_CODE, true, a->decision);
	STR(o, "path", NET_CAP_NAME, false, a->path);
	STR(o, "kind", NET_CAP_CODE, true, a->kind);
	STR(o, "rule", NET_CAP_NAME, false, a->rule);
	STR(o, "request_id", NET_CAP_ID, false, a->request_id);
	STR(o, "hash", NET_CAP_ID, true, a->hash);
fail:
	return rc;
}

static void
audit_page_clear(void *p)
{
	struct net_audit_page *l = p;
	size_t i;

	for (i = 0; l->rows && i < l->n_rows; i++)
		audit_row_clear(&l->rows[i]);
	free(l->rows);
	njson_str_free(&l->next_cursor);
}

static int
audit_page(struct njson_ctx *c, json_t *root, void *p)
{
	struct net_audit_page *l = p;
	int rc;

	EACH(root, "rows", NET_MAX_REVIEW_ROWS, true, l->rows, l->n_rows, audit_row);
	rc = cursor(c, root, &l->next_cursor);
fail:
	return rc;
}

int
net_decode_audit_page(const char *body, size_t len, struct net_audit_page **out, char *err,
    size_t errlen)
{
	return decode_doc(body, len, "audit", sizeof **out, audit_page, audit_page_clear,
	    (void **)out, err, errlen);
}

void
net_audit_page_free(struct net_audit_page **p)
{
	if (p == NULL || *p == NULL)
		return;
	audit_page_clear(*p);
	free(*p);
	*p = NULL;
}

/* ---- FHIR export: kept byte for byte, checked to be a Bundle ---- */

static void
fhir_clear(void *p)
{
	struct net_fhir_export *f = p;

	if (f->body != NULL)	/* the body may hold NULs escaped or not: wipe by length */
		OPENSSL_cleanse(f->body, f->len);
	free(f->body);
	f->body = NULL;
}

/* A Bundle's link[] names a next page. */
static bool
has_next(json_t *links)
{
	size_t i;

	for (i = 0; json_is_array(links) && i < json_array_size(links); i++)
		if (json_is_string(json_object_get(json_array_get(links, i), "relation")) &&
		    strcmp(json_string_value(json_object_get(json_array_get(links, i), "relation")),
		    "next") == 0)
			return true;
	return false;
}

int
net_decode_fhir_export(const char *body, size_t len, struct net_fhir_export **out, char *err,
    size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_fhir_export *r = NULL;
	json_t *root = NULL, *entries;
	char *type = NULL;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "FHIR export", err, errlen);
	TRY(njson_load_object(body, len, "FHIR export", &root, err, errlen));
	STR(root, "resourceType", NET_CAP_CODE, true, type);
	if (strcmp(type, "Bundle") != 0)
		TRY(njson_fail(c, "resourceType", NJSON_ERR_RANGE, "is not \"Bundle\""));
	if ((r = calloc(1, sizeof *r)) == NULL || (r->body = malloc(len + 1)) == NULL)
		TRY(njson_fail(c, NULL, NJSON_ERR_NOMEM, "out of memory"));
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->len = len;
	TRY(njson_arr(c, root, "entry", SIZE_MAX, false, &entries, &r->n_entries));
	r->truncated = has_next(json_object_get(root, "link"));
	*out = r;
	r = NULL;
fail:
	if (r) {
		fhir_clear(r);
		free(r);
	}
	free(type);
	json_decref(root);
	return rc;
}

void
net_fhir_export_free(struct net_fhir_export **p)
{
	if (p == NULL || *p == NULL)
		return;
	fhir_clear(*p);
	free(*p);
	*p = NULL;
}
