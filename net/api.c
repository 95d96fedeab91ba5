/* One function per chartgated API call: builds the request, decodes the answer, hands a typed result to a callback. */
#include "net/api.h"
#include "net/api_call.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ARG		API_MAX_ARG
#define MAX_PATH	API_MAX_PATH

enum call_kind { K_HEALTH, K_CHALLENGE, K_SESSION, K_ME, K_DONE, K_WORKLIST, K_CHART,
	K_SEARCH, K_STEP_UP, K_GRANT, K_CALL };

/* What one request needs to find its way back: freed by http's arg_free. */
struct call {
	enum call_kind kind;
	union {
		api_health_fn health;
		api_challenge_fn challenge;
		api_session_fn session;
		api_me_fn me;
		api_done_fn done;
		api_worklist_fn worklist;
		api_chart_fn chart;
		api_step_up_fn step_up;
		api_grant_fn grant;
	} cb;
	void *arg;
	struct api_call any;	/* K_CALL: decoder, deliverer and callback from the caller */
};

const char *
api_strerror(int err)
{
	switch (err) {
	case API_OK:		return "ok";
	case API_ERR_ARG:	return "invalid argument";
	case API_ERR_NOMEM:	return "out of memory";
	case API_ERR_HTTP:	return "the request could not be started";
	}
	return "unknown error";
}

/* Copies at most size-1 bytes without cutting a UTF-8 sequence in half. */
static void
copy_trunc(char *dst, size_t size, const char *src)
{
	size_t n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
api_arg_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) <= MAX_ARG;
}

int
api_pct_encode(const char *s, char *out, size_t outsize)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (s == NULL || out == NULL || outsize == 0)
		return -1;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		/* RFC 3986 unreserved, spelled out: isalnum() follows the locale. */
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			if (o + 2 > outsize)
				return -1;
			out[o++] = (char)ch;
		} else {
			if (o + 4 > outsize)
				return -1;
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return (int)o;
}

/* RFC 7235 challenge parameters: name=token or name="quoted", comma separated. */
bool
api_www_auth_step_up(const char *v, long *max_age)
{
	bool step_up = false;
	const char *p = v;

	if (max_age)
		*max_age = -1;
	if (v == NULL)
		return false;
	while (*p) {
		char name[32], val[128];
		size_t n = 0, m = 0;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '-')) {
			if (n + 1 < sizeof name)
				name[n++] = *p;
			p++;
		}
		name[n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=') {
			if (n == 0 && *p)
				p++;	/* a stray character: step over it */
			continue;	/* a scheme name such as "Bearer" */
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (m + 1 < sizeof val)
					val[m++] = *p;
			}
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != ',' && *p != ' ' && *p != '\t'; p++)
				if (m + 1 < sizeof val)
					val[m++] = *p;
		}
		val[m] = '\0';
		if (strcasecmp(name, "error") == 0 &&
		    strcmp(val, "insufficient_user_authentication") == 0)
			step_up = true;
		else if (strcasecmp(name, "max_age") == 0 && max_age) {
			char *end;
			long a = strtol(val, &end, 10);

			if (m > 0 && *end == '\0' && a >= 0)
				*max_age = a;
		}
	}
	return step_up;
}

static void
deliver_error(struct call *c, const struct api_error *e)
{
	switch (c->kind) {
	case K_HEALTH:		c->cb.health(NULL, e, c->arg); break;
	case K_CHALLENGE:	c->cb.challenge(NULL, e, c->arg); break;
	case K_SESSION:		c->cb.session(NULL, e, c->arg); break;
	case K_ME:		c->cb.me(NULL, e, c->arg); break;
	case K_DONE:		c->cb.done(e, c->arg); break;
	case K_WORKLIST:
	case K_SEARCH:		c->cb.worklist(NULL, e, c->arg); break;
	case K_CHART:		c->cb.chart(NULL, e, c->arg); break;
	case K_STEP_UP:		c->cb.step_up(NULL, e, c->arg); break;
	case K_GRANT:		c->cb.grant(NULL, e, c->arg); break;
	case K_CALL:		c->any.deliver(c->any.cb, NULL, e, c->any.arg); break;
	}
}

/* Decodes a 2xx body for c->kind and hands it over; on a decode error fills e. */
static int
deliver_ok(struct call *c, const struct http_reply *r, struct api_error *e)
{
	char err[sizeof e->message];
	int rc = 0;

	err[0] = '\0';
	switch (c->kind) {
	case K_HEALTH: {
		struct net_health *v;

		if ((rc = net_decode_health(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.health(v, NULL, c->arg);
		break;
	}
	case K_CHALLENGE: {
		struct net_challenge *v;

		if ((rc = net_decode_challenge(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.challenge(v, NULL, c->arg);
		break;
	}
	case K_SESSION: {
		struct net_session *v;

		if ((rc = net_decode_session(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.session(v, NULL, c->arg);
		break;
	}
	case K_ME: {
		struct net_me *v;

		if ((rc = net_decode_me(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.me(v, NULL, c->arg);
		break;
	}
	case K_DONE:
		c->cb.done(NULL, c->arg);
		break;
	case K_WORKLIST: {
		struct net_worklist *v;

		if ((rc = net_decode_worklist(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.worklist(v, NULL, c->arg);
		break;
	}
	case K_CHART: {
		struct net_chart *v;

		if ((rc = net_decode_chart(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.chart(v, NULL, c->arg);
		break;
	}
	case K_SEARCH: {
		struct net_worklist *v;

		if ((rc = net_decode_search(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.worklist(v, NULL, c->arg);
		break;
	}
	case K_STEP_UP: {
		struct net_step_up *v;

		if ((rc = net_decode_step_up(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.step_up(v, NULL, c->arg);
		break;
	}
	case K_GRANT: {
		struct net_grant *v;

		if ((rc = net_decode_grant(r->body, r->body_len, &v, err, sizeof err)) == 0)
			c->cb.grant(v, NULL, c->arg);
		break;
	}
	case K_CALL: {
		void *v = NULL;

		if (c->any.decode == NULL || (rc = c->any.decode(r->body, r->body_len, &v, err,
		    sizeof err)) == 0)
			c->any.deliver(c->any.cb, v, NULL, c->any.arg);
		break;
	}
	}
	if (rc != 0) {
		e->kind = API_ERROR_DECODE;
		e->status = r->status;
		copy_trunc(e->message, sizeof e->message, err);
		return -1;
	}
	return 0;
}

static void
on_reply(const struct http_reply *r, void *arg)
{
	struct call *c = arg;
	struct api_error e;
	struct net_error_body *eb = NULL;

	memset(&e, 0, sizeof e);
	e.step_up_max_age = -1;
	if (r->fail != HTTP_FAIL_NONE) {
		e.kind = API_ERROR_TRANSPORT;
		e.fail = r->fail;
		copy_trunc(e.message, sizeof e.message, r->error);
		deliver_error(c, &e);
		return;
	}
	if (r->status >= 200 && r->status < 300) {
		if (deliver_ok(c, r, &e) != 0)
			deliver_error(c, &e);
		return;
	}
	e.kind = API_ERROR_HTTP;
	e.status = r->status;
	if (net_decode_error(r->body, r->body_len, &eb, NULL, 0) == 0) {
		copy_trunc(e.code, sizeof e.code, eb->code);
		copy_trunc(e.message, sizeof e.message, eb->message);
		copy_trunc(e.rule, sizeof e.rule, eb->rule);
		e.break_glass_allowed = eb->break_glass_allowed;
		net_error_body_free(&eb);
	} else
		snprintf(e.message, sizeof e.message, "chartgated answered HTTP %ld", r->status);
	if (r->status == 401 &&
	    (api_www_auth_step_up(r->www_authenticate, &e.step_up_max_age) ||
	     strcmp(e.code, "step_up_required") == 0))
		e.step_up = true;
	deliver_error(c, &e);
}

static void
call_free(void *arg)
{
	free(arg);
}

/* Sends one request; takes the callback from *tmpl. */
static int
send_keyed(struct http *h, const struct call *tmpl, const char *method, const char *path,
    const char *token, const char *body, const char *idempotency_key, unsigned *req_id)
{
	struct http_req r;
	struct call *c;
	int rc;

	if ((c = malloc(sizeof *c)) == NULL)
		return API_ERR_NOMEM;
	*c = *tmpl;
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.bearer_token = token;
	r.json_body = body;
	r.idempotency_key = idempotency_key;
	r.cb = on_reply;
	r.arg = c;
	r.arg_free = call_free;
	if ((rc = http_submit(h, &r, req_id)) != HTTP_OK) {
		free(c);
		return rc == HTTP_ERR_NOMEM ? API_ERR_NOMEM :
		    rc == HTTP_ERR_ARG ? API_ERR_ARG : API_ERR_HTTP;
	}
	return API_OK;
}

static int
send_call(struct http *h, const struct call *tmpl, const char *method, const char *path,
    const char *token, const char *body, unsigned *req_id)
{
	return send_keyed(h, tmpl, method, path, token, body, NULL, req_id);
}

/* Serialises obj compactly, sends it, and wipes the text (it may hold an assertion). */
static int
send_json_method(struct http *h, const struct call *tmpl, const char *method, const char *path,
    const char *token, json_t *obj, const char *idempotency_key, unsigned *req_id)
{
	char *body;
	int rc;

	if ((body = json_dumps(obj, JSON_COMPACT)) == NULL)
		return API_ERR_NOMEM;
	rc = send_keyed(h, tmpl, method, path, token, body, idempotency_key, req_id);
	OPENSSL_cleanse(body, strlen(body));
	free(body);
	return rc;
}

static int
send_json(struct http *h, const struct call *tmpl, const char *path, const char *token,
    json_t *obj, unsigned *req_id)
{
	return send_json_method(h, tmpl, "POST", path, token, obj, NULL, req_id);
}

/* A K_CALL template from the caller's description; 0 when it is incomplete. */
static int
call_of(struct http *h, const struct api_call *a, struct call *c)
{
	if (h == NULL || a == NULL || a->deliver == NULL || a->cb == NULL ||
	    a->method == NULL || a->path == NULL || (a->token != NULL && !api_arg_ok(a->token)))
		return 0;
	memset(c, 0, sizeof *c);
	c->kind = K_CALL;
	c->any = *a;
	return 1;
}

int
api_call_send(struct http *h, const struct api_call *a, const char *body, unsigned *req_id)
{
	struct call c;

	if (!call_of(h, a, &c))
		return API_ERR_ARG;
	return send_keyed(h, &c, a->method, a->path, a->token, body, a->idempotency_key, req_id);
}

int
api_call_send_json(struct http *h, const struct api_call *a, json_t *obj, unsigned *req_id)
{
	struct call c;

	if (!call_of(h, a, &c) || obj == NULL)
		return API_ERR_ARG;
	return send_json_method(h, &c, a->method, a->path, a->token, obj, a->idempotency_key,
	    req_id);
}

/* Adds key: string to obj; jansson checks UTF-8 and refuses invalid text. */
int
api_put_str(json_t *obj, const char *key, const char *val)
{
	json_t *s = json_string(val);

	if (s == NULL)
		return API_ERR_ARG;
	if (json_object_set_new(obj, key, s) != 0)
		return API_ERR_NOMEM;
	return API_OK;
}

int
api_health(struct http *h, api_health_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_HEALTH, .cb.health = cb, .arg = arg };

	if (h == NULL || cb == NULL)
		return API_ERR_ARG;
	return send_call(h, &c, "GET", "/v1/health", NULL, NULL, req_id);
}

int
api_challenge(struct http *h, const char *token, const char *purpose,
    const char *patient_id, api_challenge_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_CHALLENGE, .cb.challenge = cb, .arg = arg };
	json_t *o = NULL;
	int rc;

	if (h == NULL || cb == NULL || !api_arg_ok(purpose) || (token != NULL && !api_arg_ok(token)) ||
	    (patient_id != NULL && !api_arg_ok(patient_id)))
		return API_ERR_ARG;
	if ((o = json_object()) == NULL)
		return API_ERR_NOMEM;
	if ((rc = api_put_str(o, "purpose", purpose)) != API_OK)
		goto fail;
	if (patient_id && (rc = api_put_str(o, "patient_id", patient_id)) != API_OK)
		goto fail;
	rc = send_json(h, &c, "/v1/auth/challenge", token, o, req_id);
fail:
	json_decref(o);
	return rc;
}

static int
assertion_ok(const char *challenge_id, const struct api_assertion *a)
{
	return a != NULL && api_arg_ok(challenge_id) &&
	    api_arg_ok(a->credential_id) && api_arg_ok(a->client_data_json) &&
	    api_arg_ok(a->authenticator_data) && api_arg_ok(a->signature) &&
	    (a->user_handle == NULL || a->user_handle[0] == '\0' || api_arg_ok(a->user_handle));
}

/* A fresh object holding challenge_id and the assertion's fields; NULL on failure. */
static json_t *
assertion_body(const char *challenge_id, const struct api_assertion *a, int *rc)
{
	json_t *o = json_object();

	*rc = API_ERR_NOMEM;
	if (o == NULL)
		return NULL;
	if ((*rc = api_put_str(o, "challenge_id", challenge_id)) != API_OK ||
	    (*rc = api_put_str(o, "credential_id", a->credential_id)) != API_OK ||
	    (*rc = api_put_str(o, "client_data_json", a->client_data_json)) != API_OK ||
	    (*rc = api_put_str(o, "authenticator_data", a->authenticator_data)) != API_OK ||
	    (*rc = api_put_str(o, "signature", a->signature)) != API_OK ||
	    (a->user_handle && a->user_handle[0] &&
	    (*rc = api_put_str(o, "user_handle", a->user_handle)) != API_OK)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_session_create(struct http *h, const char *challenge_id,
    const struct api_assertion *a, api_session_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_SESSION, .cb.session = cb, .arg = arg };
	json_t *o;
	int rc;

	if (h == NULL || cb == NULL || !assertion_ok(challenge_id, a))
		return API_ERR_ARG;
	if ((o = assertion_body(challenge_id, a, &rc)) == NULL)
		return rc;
	/* One round trip to a painted home screen: who I am and my worklist come with the token. */
	if (json_object_set_new(o, "include", json_pack("[s, s]", "me", "worklist")) != 0) {
		json_decref(o);
		return API_ERR_NOMEM;
	}
	rc = send_json(h, &c, "/v1/auth/sessions", NULL, o, req_id);
	json_decref(o);
	return rc;
}

int
api_step_up(struct http *h, const char *token, const char *challenge_id,
    const struct api_assertion *a, api_step_up_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_STEP_UP, .cb.step_up = cb, .arg = arg };
	json_t *o;
	int rc;

	if (h == NULL || cb == NULL || !api_arg_ok(token) || !assertion_ok(challenge_id, a))
		return API_ERR_ARG;
	if ((o = assertion_body(challenge_id, a, &rc)) == NULL)
		return rc;
	rc = send_json(h, &c, "/v1/auth/step-up", token, o, req_id);
	json_decref(o);
	return rc;
}

int
api_break_glass(struct http *h, const char *token, const char *patient_id,
    const char *reason_code, const char *justification, const char *challenge_id,
    const struct api_assertion *a, api_grant_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_GRANT, .cb.grant = cb, .arg = arg };
	char path[MAX_PATH], id[MAX_PATH / 2];
	json_t *o;
	int rc;

	if (h == NULL || cb == NULL || !api_arg_ok(token) || !api_arg_ok(patient_id) ||
	    !api_arg_ok(reason_code) || !api_arg_ok(justification) || !assertion_ok(challenge_id, a))
		return API_ERR_ARG;
	if (api_pct_encode(patient_id, id, sizeof id) < 0)
		return API_ERR_ARG;
	snprintf(path, sizeof path, "/v1/patients/%s/break-glass", id);
	if ((o = assertion_body(challenge_id, a, &rc)) == NULL)
		return rc;
	if ((rc = api_put_str(o, "reason_code", reason_code)) == API_OK &&
	    (rc = api_put_str(o, "justification", justification)) == API_OK)
		rc = send_json(h, &c, path, token, o, req_id);
	json_decref(o);
	return rc;
}

int
api_search(struct http *h, const char *token, const char *query,
    api_worklist_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_SEARCH, .cb.worklist = cb, .arg = arg };
	char path[MAX_PATH], q[MAX_PATH - 32];

	if (h == NULL || cb == NULL || !api_arg_ok(token) || !api_arg_ok(query))
		return API_ERR_ARG;
	if (api_pct_encode(query, q, sizeof q) < 0)
		return API_ERR_ARG;
	snprintf(path, sizeof path, "/v1/patients?q=%s", q);
	return send_call(h, &c, "GET", path, token, NULL, req_id);
}

int
api_me(struct http *h, const char *token, api_me_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_ME, .cb.me = cb, .arg = arg };

	if (h == NULL || cb == NULL || !api_arg_ok(token))
		return API_ERR_ARG;
	return send_call(h, &c, "GET", "/v1/me", token, NULL, req_id);
}

int
api_session_delete(struct http *h, const char *token, api_done_fn cb, void *arg,
    unsigned *req_id)
{
	struct call c = { .kind = K_DONE, .cb.done = cb, .arg = arg };

	if (h == NULL || cb == NULL || !api_arg_ok(token))
		return API_ERR_ARG;
	return send_call(h, &c, "DELETE", "/v1/auth/sessions/current", token, NULL, req_id);
}

int
api_worklist(struct http *h, const char *token, const char *cursor, int limit,
    api_worklist_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_WORKLIST, .cb.worklist = cb, .arg = arg };
	char path[MAX_PATH], enc[MAX_PATH];
	int n;

	if (h == NULL || cb == NULL || !api_arg_ok(token) || limit < 0 || limit > 200 ||
	    (cursor != NULL && !api_arg_ok(cursor)))
		return API_ERR_ARG;
	n = snprintf(path, sizeof path, "/v1/worklist");
	if (limit > 0)
		n += snprintf(path + n, sizeof path - (size_t)n, "?limit=%d", limit);
	if (cursor) {
		if (api_pct_encode(cursor, enc, sizeof enc) < 0)
			return API_ERR_ARG;
		n += snprintf(path + n, sizeof path - (size_t)n, "%scursor=%s",
		    limit > 0 ? "&" : "?", enc);
	}
	if (n < 0 || (size_t)n >= sizeof path)
		return API_ERR_ARG;
	return send_call(h, &c, "GET", path, token, NULL, req_id);
}

int
api_chart(struct http *h, const char *token, const char *patient_id,
    const char *purpose, api_chart_fn cb, void *arg, unsigned *req_id)
{
	struct call c = { .kind = K_CHART, .cb.chart = cb, .arg = arg };
	char path[MAX_PATH], id[MAX_PATH / 2], pu[256];
	int n;

	if (h == NULL || cb == NULL || !api_arg_ok(token) || !api_arg_ok(patient_id) ||
	    (purpose != NULL && !api_arg_ok(purpose)))
		return API_ERR_ARG;
	if (api_pct_encode(patient_id, id, sizeof id) < 0)
		return API_ERR_ARG;
	if (purpose) {
		if (api_pct_encode(purpose, pu, sizeof pu) < 0)
			return API_ERR_ARG;
		n = snprintf(path, sizeof path, "/v1/patients/%s/chart?purpose=%s", id, pu);
	} else
		n = snprintf(path, sizeof path, "/v1/patients/%s/chart", id);
	if (n < 0 || (size_t)n >= sizeof path)
		return API_ERR_ARG;
	return send_call(h, &c, "GET", path, token, NULL, req_id);
}

void
api_cancel(struct http *h, unsigned req_id)
{
	http_cancel(h, req_id);
}
