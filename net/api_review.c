/* The reviewer desk's chartgated calls, each a path with a query, an optional JSON body and a typed answer, through net/api_call.h. */
#include "net/api_review.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net/api_call.h"

/* The typed decoder behind the void ** that api_call wants, and its deliverer. */
#define ANSWER(name, FN) \
static int \
dec_##name(const char *body, size_t len, void **out, char *err, size_t errlen) \
{ \
	struct net_##name *v = NULL; \
	int rc = net_decode_##name(body, len, &v, err, errlen); \
\
	*out = v; \
	return rc; \
} \
\
static void \
give_##name(api_any_fn cb, void *res, const struct api_error *err, void *arg) \
{ \
	((FN)cb)(res, err, arg); \
}

ANSWER(review_list, api_review_list_fn)
ANSWER(review_detail, api_review_detail_fn)
ANSWER(exception_list, api_exception_list_fn)
ANSWER(audit_page, api_audit_page_fn)
ANSWER(fhir_export, api_fhir_export_fn)

static void
give_done(api_any_fn cb, void *res, const struct api_error *err, void *arg)
{
	(void)res;
	((api_done_fn)cb)(err, arg);
}

/* A path with its query string, built one parameter at a time. */
struct qs {
	char buf[API_MAX_PATH];
	size_t n;
	int bad;
};

static void
qs_init(struct qs *q, const char *path)
{
	int n = snprintf(q->buf, sizeof q->buf, "%s", path);

	q->n = n > 0 ? (size_t)n : 0;
	q->bad = n < 0 || (size_t)n >= sizeof q->buf;
}

/* Appends key=value (percent-encoded); NULL or "" leaves it out. */
static void
qs_add(struct qs *q, const char *key, const char *val)
{
	char enc[API_MAX_PATH];
	int n;

	if (val == NULL || val[0] == '\0' || q->bad)
		return;
	if (strlen(val) > API_MAX_ARG || api_pct_encode(val, enc, sizeof enc) < 0) {
		q->bad = 1;
		return;
	}
	n = snprintf(q->buf + q->n, sizeof q->buf - q->n, "%c%s=%s",
	    strchr(q->buf, '?') ? '&' : '?', key, enc);
	if (n < 0 || (size_t)n >= sizeof q->buf - q->n)
		q->bad = 1;
	else
		q->n += (size_t)n;
}

static void
qs_limit(struct qs *q, int limit)
{
	char n[16];

	if (limit < 0 || limit > 1000)
		q->bad = 1;
	else if (limit > 0) {
		snprintf(n, sizeof n, "%d", limit);
		qs_add(q, "limit", n);
	}
}

/* fmt has one %s, the percent-encoded id. */
static void
qs_id(struct qs *q, const char *fmt, const char *id)
{
	char enc[API_MAX_PATH / 2], path[API_MAX_PATH];
	int n;

	if (!api_arg_ok(id) || api_pct_encode(id, enc, sizeof enc) < 0) {
		qs_init(q, "/");
		q->bad = 1;
		return;
	}
	n = snprintf(path, sizeof path, fmt, enc);
	qs_init(q, n < 0 || (size_t)n >= sizeof path ? "/" : path);
	q->bad |= n < 0 || (size_t)n >= sizeof path;
}

/* Sends to q's path with body (NULL: a GET); the body is released here. */
static int
send(struct http *h, const char *token, const struct qs *q, json_t *body, const char *idem_key,
    int (*decode)(const char *, size_t, void **, char *, size_t),
    void (*deliver)(api_any_fn, void *, const struct api_error *, void *), api_any_fn cb,
    void *arg, unsigned *req_id)
{
	struct api_call c = { .method = body ? "POST" : "GET", .path = q->buf, .token = token,
	    .idempotency_key = idem_key, .decode = decode, .deliver = deliver, .cb = cb,
	    .arg = arg };
	int rc;

	if (h == NULL || cb == NULL || !api_arg_ok(token) || q->bad ||
	    (idem_key != NULL && !api_arg_ok(idem_key)))
		rc = API_ERR_ARG;
	else
		rc = body ? api_call_send_json(h, &c, body, req_id) : api_call_send(h, &c, NULL, req_id);
	json_decref(body);
	return rc;
}

/* A JSON object of string members (NULL-terminated key, value pairs); NULL when a value is missing or not UTF-8. */
static json_t *
body_of(const char *key, ...)
{
	json_t *o = json_object();
	va_list ap;
	const char *k, *v;

	va_start(ap, key);
	for (k = key; k != NULL && o != NULL; k = va_arg(ap, const char *)) {
		v = va_arg(ap, const char *);
		if (v == NULL || api_put_str(o, k, v) != API_OK) {
			json_decref(o);
			o = NULL;
		}
	}
	va_end(ap);
	return o;
}

int
api_review_events(struct http *h, const char *token, const struct api_review_query *f,
    api_review_list_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;

	if (f == NULL)
		return API_ERR_ARG;
	qs_init(&q, "/v1/review/break-glass");
	qs_add(&q, "status", f->status);
	qs_add(&q, "sort", f->sort);
	qs_add(&q, "unit", f->unit);
	qs_add(&q, "user", f->user);
	qs_add(&q, "reason", f->reason);
	qs_add(&q, "q", f->q);
	qs_limit(&q, f->limit);
	qs_add(&q, "cursor", f->cursor);
	return send(h, token, &q, NULL, NULL, dec_review_list, give_review_list, (api_any_fn)cb,
	    arg, req_id);
}

int
api_review_event(struct http *h, const char *token, const char *id, api_review_detail_fn cb,
    void *arg, unsigned *req_id)
{
	struct qs q;

	qs_id(&q, "/v1/review/break-glass/%s", id);
	return send(h, token, &q, NULL, NULL, dec_review_detail, give_review_detail,
	    (api_any_fn)cb, arg, req_id);
}

int
api_review_claim(struct http *h, const char *token, const char *id, const char *idem_key,
    api_done_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;

	qs_id(&q, "/v1/review/break-glass/%s/claim", id);
	return send(h, token, &q, json_object(), idem_key, NULL, give_done, (api_any_fn)cb, arg,
	    req_id);
}

int
api_review_decide(struct http *h, const char *token, const char *id, const char *decision,
    const char *note, const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;
	json_t *b = body_of("decision", decision, "note", note, NULL);

	qs_id(&q, "/v1/review/break-glass/%s/decision", id);
	if (b == NULL)
		return API_ERR_ARG;
	return send(h, token, &q, b, idem_key, NULL, give_done, (api_any_fn)cb, arg, req_id);
}

int
api_review_exceptions(struct http *h, const char *token, const struct api_exception_query *f,
    api_exception_list_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;

	if (f == NULL)
		return API_ERR_ARG;
	qs_init(&q, "/v1/review/exceptions");
	qs_add(&q, "flag", f->flag);
	qs_add(&q, "subject_kind", f->subject_kind);
	qs_limit(&q, f->limit);
	qs_add(&q, "cursor", f->cursor);
	return send(h, token, &q, NULL, NULL, dec_exception_list, give_exception_list,
	    (api_any_fn)cb, arg, req_id);
}

int
api_review_revoke(struct http *h, const char *token, const char *id, const char *reason,
    const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;
	json_t *b = api_arg_ok(reason) ? body_of("reason", reason, NULL) : NULL;

	qs_id(&q, "/v1/review/exceptions/%s/revoke", id);
	if (b == NULL)
		return API_ERR_ARG;
	return send(h, token, &q, b, idem_key, NULL, give_done, (api_any_fn)cb, arg, req_id);
}

int
api_review_extend(struct http *h, const char *token, const char *id, const char *until,
    const char *reason, const char *idem_key, api_done_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;
	json_t *b = api_arg_ok(reason) && api_arg_ok(until) ?
	    body_of("until", until, "reason", reason, NULL) : NULL;

	qs_id(&q, "/v1/review/exceptions/%s/extend", id);
	if (b == NULL)
		return API_ERR_ARG;
	return send(h, token, &q, b, idem_key, NULL, give_done, (api_any_fn)cb, arg, req_id);
}

static int
audit_query(struct qs *q, const struct api_audit_query *f, const char *format)
{
	if (f == NULL)
		return -1;
	qs_init(q, "/v1/audit");
	qs_add(q, "patient", f->patient);
	qs_add(q, "user", f->user);
	qs_add(q, "since", f->since);
	qs_add(q, "until", f->until);
	qs_add(q, "format", format);
	return 0;
}

int
api_audit(struct http *h, const char *token, const struct api_audit_query *f,
    api_audit_page_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;

	if (audit_query(&q, f, "json") != 0)
		return API_ERR_ARG;
	qs_limit(&q, f->limit);
	qs_add(&q, "cursor", f->cursor);
	return send(h, token, &q, NULL, NULL, dec_audit_page, give_audit_page, (api_any_fn)cb,
	    arg, req_id);
}

int
api_audit_fhir(struct http *h, const char *token, const struct api_audit_query *f,
    api_fhir_export_fn cb, void *arg, unsigned *req_id)
{
	struct qs q;

	if (audit_query(&q, f, "fhir") != 0)
		return API_ERR_ARG;
	qs_limit(&q, f->limit);
	qs_add(&q, "cursor", f->cursor);
	return send(h, token, &q, NULL, NULL, dec_fhir_export, give_fhir_export, (api_any_fn)cb,
	    arg, req_id);
}
