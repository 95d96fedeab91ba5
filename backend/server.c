/* libmicrohttpd front: routing, body limits, authentication of bearer tokens, JSON replies, request log. */
#include "backend/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "backend/handlers.h"
#include "backend/h_helpdesk.h"
#include "backend/h_review.h"
#include "backend/session.h"
#include "backend/tls.h"
#include "backend/util.h"
#include "common/log.h"

struct route {
	const char *method;
	const char *pattern;	/* '*' matches one path segment */
	void (*fn)(struct req *);
	int needs_session;
	/* GROUP_*: runs, session check and all, as one member of a group commit. */
	int grouped;
};

/* A decision waits for its batch with its connection suspended (defer): the MHD thread
 * serves its other connections meanwhile, and they join the same batch. A tap waits on
 * its MHD thread: taps come at a human pace, and the two thread hand-offs of a deferral
 * cost a sign-in ~0.5 ms on a cart that has been idle (tests/bench, tap-to-ready). */
enum { GROUP_NONE, GROUP_INLINE, GROUP_DEFERRED };

static const struct route routes[] = {
	{ "GET", "/v1/health", h_health, 0, 0 },
	{ "POST", "/v1/auth/challenge", h_challenge, 0, 0 },
	{ "POST", "/v1/auth/sessions", h_session_create, 0, GROUP_INLINE },
	{ "DELETE", "/v1/auth/sessions/current", h_session_delete_current, 1, 0 },
	{ "GET", "/v1/me", h_me, 1, 0 },
	{ "GET", "/v1/worklist", h_worklist, 1, 0 },
	{ "GET", "/v1/patients/*/chart", h_chart, 1, GROUP_DEFERRED },
	{ "GET", "/v1/patients/*/chart/sections/*", h_section, 1, GROUP_DEFERRED },
	{ "GET", "/v1/patients", h_patient_search, 1, 0 },
	{ "POST", "/v1/patients/*/break-glass", h_break_glass, 1, 0 },
	{ "POST", "/v1/auth/step-up", h_step_up, 1, 0 },
	{ "GET", "/v1/helpdesk/users", h_helpdesk_users, 1, 0 },
	{ "GET", "/v1/helpdesk/sessions", h_helpdesk_sessions, 1, 0 },
	{ "DELETE", "/v1/helpdesk/sessions/*", h_helpdesk_session_end, 1, 0 },
	{ "POST", "/v1/helpdesk/users/*/unlock", h_helpdesk_unlock, 1, 0 },
	{ "GET", "/v1/helpdesk/users/*/authenticators", h_helpdesk_authenticators, 1, 0 },
	{ "POST", "/v1/helpdesk/users/*/authenticators", h_helpdesk_enrol, 1, 0 },
	{ "POST", "/v1/helpdesk/users/*/authenticators/challenge", h_helpdesk_enrol_challenge, 1, 0 },
	{ "DELETE", "/v1/helpdesk/authenticators/*", h_helpdesk_authenticator_revoke, 1, 0 },
	{ "GET", "/v1/review/break-glass", h_review_events, 1, 0 },
	{ "GET", "/v1/review/break-glass/*", h_review_event, 1, 0 },
	{ "POST", "/v1/review/break-glass/*/claim", h_review_claim, 1, 0 },
	{ "POST", "/v1/review/break-glass/*/decision", h_review_decision, 1, 0 },
	{ "GET", "/v1/review/exceptions", h_review_exceptions, 1, 0 },
	{ "POST", "/v1/review/exceptions/*/revoke", h_review_revoke, 1, 0 },
	{ "POST", "/v1/review/exceptions/*/extend", h_review_extend, 1, 0 },
	{ "GET", "/v1/audit", h_audit_query, 1, 0 },
};

/* A request as a member of a group commit. */
struct member {
	struct req *r;
	const struct route *rt;
};

/* Per-request state, from the first access-handler call to the completion callback. */
struct ctx {
	struct req r;
	struct member m;	/* while deferred: the store's thread runs it */
	int deferred;		/* suspended until told (defer) */
	int group_rc;		/* the batch's COMMIT, as told */
	struct timespec start;
	char *buf;
	size_t len;
	int too_large;
	int queued;
	unsigned status;
	const char *route;	/* the matched pattern: what the log names, never the path */
};

const char *
req_header(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
req_query(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
req_workstation(const struct req *r)
{
	if (r->app->cfg->client_ca != NULL)
		return r->has_peer ? r->peer.workstation : NULL;
	return req_header(r, "Workstation-Id");
}

void
reply_json(struct req *r, unsigned status, json_t *body)
{
	json_decref(r->reply);
	free(r->reply_text);
	r->reply_text = NULL;
	r->status = status;
	r->reply = body;
}

void
reply_text(struct req *r, unsigned status, char *json)
{
	if (json == NULL) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	reply_json(r, status, NULL);
	r->reply_text = json;
}

void
reply_error(struct req *r, unsigned status, const char *code, const char *message)
{
	reply_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

/* Match path against pattern; '*' segments are copied into r->params. */
static int
match(const char *pattern, const char *path, struct req *r)
{
	size_t np = 0;

	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");

			if (n == 0 || n >= sizeof(r->params[0]) || np >= REQ_PARAMS)
				return 0;
			memcpy(r->params[np], path, n);
			r->params[np++][n] = '\0';
			path += n;
			pattern++;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

static int
queue(struct MHD_Connection *conn, struct ctx *c)
{
	struct MHD_Response *resp;
	char *text = NULL;
	enum MHD_Result ret;

	if (c->r.reply_text != NULL) {
		text = c->r.reply_text;
		c->r.reply_text = NULL;
	} else if (c->r.reply != NULL)
		text = json_dumps(c->r.reply, JSON_COMPACT);
	if (c->r.reply != NULL && text == NULL) {
		c->r.status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}");
	}
	resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, text,
	    text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	if (text != NULL)
		MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Request-Id", c->r.request_id);
	if (c->r.allow != NULL)
		MHD_add_response_header(resp, "Allow", c->r.allow);
	if (c->r.www_authenticate[0] != '\0')
		MHD_add_response_header(resp, "WWW-Authenticate", c->r.www_authenticate);
	if (c->r.retry_after != 0) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%u", c->r.retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	ret = MHD_queue_response(conn, c->r.status, resp);
	MHD_destroy_response(resp);
	c->queued = 1;
	c->status = c->r.status;
	return ret;
}

int
req_authenticate(struct req *r)
{
	const char *token = session_bearer(req_header(r, MHD_HTTP_HEADER_AUTHORIZATION));
	const char *ws = req_workstation(r);
	const struct config *cfg = r->app->cfg;
	unsigned char hash[32];
	char ended[32];
	int64_t now = cg_now();
	enum session_state st;

	if (token == NULL) {
		reply_error(r, 401, "unauthenticated", "sign in first");
		return -1;
	}
	session_token_hash(token, hash);
	if (store_session_by_token(r->app->store, hash, &r->session) != STORE_OK)
		goto deny;
	st = session_check(&r->session, now, cfg->session_idle);
	if (st != SESSION_LIVE) {
		store_session_end(r->app->store, r->session.id, now,
		    st == SESSION_EXPIRED ? "expired" : "idle");
		goto deny;
	}
	/* A token is bound to the cart it was issued on. */
	if (ws != NULL && strcmp(ws, r->session.workstation) != 0) {
		fprintf(stderr, "chartgated: %s: token of session %s used from workstation %s\n",
		    r->request_id, r->session.id, ws);
		goto deny;
	}
	/* ... and to the client certificate it was issued over ("" = plain HTTP). */
	if (strcmp(r->has_peer ? r->peer.cert_sha256 : "", r->session.cert_sha256) != 0) {
		fprintf(stderr, "chartgated: %s: token of session %s used over another client "
		    "certificate (%s)\n", r->request_id, r->session.id,
		    r->has_peer ? r->peer.workstation : "none");
		goto deny;
	}
	if (store_user_get(r->app->store, r->session.user_id, &r->user) != STORE_OK ||
	    r->user.disabled)
		goto deny;
	/* last_seen_at counts whole seconds and the touch only moves it forward: within the
	 * second it was last seen the UPDATE would change nothing, yet cost a write commit. */
	if (r->session.last_seen_at < now)
		store_session_touch(r->app->store, r->session.id, now);
	r->session.last_seen_at = now;
	return 0;
deny:
	/* Say so when a person ended it, so the cart does not look broken. */
	if (store_session_end_reason(r->app->store, hash, ended, sizeof(ended)) == STORE_OK &&
	    strncmp(ended, "helpdesk", 8) == 0) {
		reply_error(r, 401, "session_ended", "the helpdesk ended this session; tap in again");
		return -1;
	}
	reply_error(r, 401, "unauthenticated", "session is not valid; tap in again");
	return -1;
}

static void
run_route(struct req *r, const struct route *rt)
{
	if (rt->needs_session && req_authenticate(r) != 0)
		return;
	rt->fn(r);
}

/* A request that answers 500 failed half-way: none of its writes stay in the batch. */
static int
run_member(void *arg)
{
	struct member *m = arg;

	run_route(m->r, m->rt);
	return m->r->status >= 500 || m->r->status == 0;
}

/* A decision route: the session check (its touch), the decision's reads and its audit row
 * are one member of a group commit, and store_group returns only once the COMMIT holding
 * them is known; replies are queued after dispatch returns, so an acknowledged decision is
 * a committed one, and a failed COMMIT answers 500 whatever the handler chose. */
static int
run_grouped(struct req *r, const struct route *rt)
{
	struct member m = { r, rt };

	if (store_group(r->app->store, run_member, &m) == STORE_OK)
		return 1;
	reply_error(r, 500, "internal", "internal error");
	return 0;
}

/* The reply once the handler (and, for a decision route, its batch) is done. */
static void
finish(struct req *r, int committed)
{
	if (r->finish != NULL)
		r->finish(r, committed);
	if (r->status == 0)
		reply_error(r, 500, "internal", "internal error");
}

/* On the store's thread, once the batch holding c's member is known: c's MHD thread takes
 * the connection up again (the resume orders this write before its read of group_rc). */
static void
told(void *arg, int rc)
{
	struct ctx *c = arg;

	c->group_rc = rc;
	MHD_resume_connection(c->r.conn);
}

/* A decision route without holding up the MHD thread, whose other connections can then
 * join the same batch: the connection is suspended while the store's own thread runs the
 * member, and answer_deferred queues the reply once told, after the COMMIT, as run_grouped
 * does. -1: the store takes no more (it drains for shutdown); run it here instead. */
static int
defer(struct ctx *c, const struct route *rt)
{
	struct store_member *m = store_group_reserve(c->r.app->store);

	if (m == NULL)
		return -1;
	c->m = (struct member){ &c->r, rt };
	c->deferred = 1;
	MHD_suspend_connection(c->r.conn);
	store_group_later(c->r.app->store, m, run_member, &c->m, told, c);
	return 0;
}

static void
answer_deferred(struct ctx *c)
{
	int committed = c->group_rc == STORE_OK;

	c->deferred = 0;
	if (!committed)
		reply_error(&c->r, 500, "internal", "internal error");
	finish(&c->r, committed);
}

static void
dispatch(struct ctx *c)
{
	struct req *r = &c->r;
	char allow[64] = "";
	size_t i;
	int committed = 1;
	json_error_t jerr;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!match(routes[i].pattern, r->path, r))
			continue;
		if (strcmp(routes[i].method, r->method) != 0) {
			if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof(allow)) {
				if (allow[0] != '\0')
					strcat(allow, ", ");
				strcat(allow, routes[i].method);
			}
			continue;
		}
		c->route = routes[i].pattern;
		/* DELETE may carry a body too (the helpdesk's {"reason"}); an empty one is none. */
		if (strcmp(r->method, "POST") == 0 || (strcmp(r->method, "DELETE") == 0 && c->len > 0)) {
			r->body = json_loadb(c->buf ? c->buf : "", c->len,
			    JSON_REJECT_DUPLICATES, &jerr);
			if (r->body == NULL || !json_is_object(r->body)) {
				reply_error(r, 400, "bad_request", "body must be a JSON object");
				return;
			}
		}
		if (routes[i].grouped == GROUP_DEFERRED && defer(c, &routes[i]) == 0)
			return;
		if (routes[i].grouped)
			committed = run_grouped(r, &routes[i]);
		else
			run_route(r, &routes[i]);
		finish(r, committed);
		return;
	}
	if (allow[0] != '\0') {
		r->allow = strdup(allow);
		reply_error(r, 405, "method_not_allowed", "method not allowed on this path");
		return;
	}
	reply_error(r, 404, "not_found", "no such resource");
}

/* With a client CA the connection's certificate names the workstation; 0, or -1 with
 * the reply chosen. A Workstation-Id header that says otherwise is ignored. */
static int
identify(struct req *r)
{
	const union MHD_ConnectionInfo *ci;
	const char *hdr;
	char why[128];

	if (r->app->cfg->client_ca == NULL)
		return 0;
	ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci == NULL || tls_peer_identity(ci->tls_session, &r->peer, why, sizeof(why)) != 0) {
		log_event(LOG_LEVEL_WARNING, "%s: client certificate refused: %s", r->request_id,
		    ci != NULL ? why : "no TLS session");
		reply_error(r, 403, "workstation_certificate",
		    "this workstation's certificate does not name a usable workstation");
		return -1;
	}
	r->has_peer = 1;
	hdr = req_header(r, "Workstation-Id");
	if (hdr != NULL && strcmp(hdr, r->peer.workstation) != 0)
		log_event(LOG_LEVEL_NOTICE, "%s: a Workstation-Id header disagrees with the client "
		    "certificate (%s); the certificate wins", r->request_id, r->peer.workstation);
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct ctx *c = *con_cls;
	const char *cl;

	(void)version;
	if (c == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		c->r.app = cls;
		c->r.conn = conn;
		c->r.method = method;
		c->r.path = url;
		{
			char *id = cg_random_id("req-", 8);

			snprintf(c->r.request_id, sizeof(c->r.request_id), "%s", id ? id : "req-?");
			free(id);
		}
		*con_cls = c;
		if (identify(&c->r) != 0)
			return queue(conn, c);
		/* Refuse an announced oversize body before reading a byte of it. */
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > BODY_MAX) {
			reply_error(&c->r, 413, "too_large", "request body exceeds 64 KiB");
			return queue(conn, c);
		}
		return MHD_YES;
	}
	if (c->deferred) {
		answer_deferred(c);
		return queue(conn, c);
	}
	if (c->queued) {
		*upload_data_size = 0;	/* discard what follows an early answer */
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (!c->too_large) {
			if (c->len + *upload_data_size > BODY_MAX) {
				c->too_large = 1;
				free(c->buf);
				c->buf = NULL;
				c->len = 0;
			} else {
				char *nb = realloc(c->buf, c->len + *upload_data_size + 1);

				if (nb == NULL)
					return MHD_NO;
				memcpy(nb + c->len, upload_data, *upload_data_size);
				c->buf = nb;
				c->len += *upload_data_size;
				c->buf[c->len] = '\0';
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->too_large)
		reply_error(&c->r, 413, "too_large", "request body exceeds 64 KiB");
	else
		dispatch(c);
	if (c->deferred)
		return MHD_YES;		/* answered once told */
	return queue(conn, c);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct ctx *c = *con_cls;
	struct timespec end;
	long ms;

	(void)cls;
	(void)conn;
	(void)toe;
	if (c == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (end.tv_sec - c->start.tv_sec) * 1000 + (end.tv_nsec - c->start.tv_nsec) / 1000000;
	/* Method, route pattern (a path holds patient ids), status, latency, request id:
	 * the id leads to the audit row; no bodies, no tokens, no query strings. */
	log_event(LOG_LEVEL_INFO, "%s %s %u %ldms %s", c->r.method,
	    c->route ? c->route : "(no route)", c->queued ? c->status : 0, ms, c->r.request_id);
	/* A deferred decision told but not answered: the daemon stopped first (server_run). */
	if (c->r.finish != NULL)
		c->r.finish(&c->r, 0);
	json_decref(c->r.body);
	json_decref(c->r.reply);
	free(c->r.reply_text);
	free((char *)c->r.allow);
	free(c->buf);
	free(c);
	*con_cls = NULL;
}

static int
not_loopback(const char *host, char *why, size_t why_len)
{
	snprintf(why, why_len, "%s is not a loopback address; plain HTTP is only served on "
	    "127.0.0.0/8 or ::1 (other addresses need --tls-cert, --tls-key and --client-ca)", host);
	return -1;
}

/* Split "HOST:PORT" / "[HOST]:PORT" and fill a socket address; any_address: not only loopback. */
static int
parse_listen(const char *listen, int any_address, struct sockaddr_storage *ss, socklen_t *sl,
    int *v6, char *why, size_t why_len)
{
	char host[64];
	const char *colon, *h = listen;
	size_t hl;
	char *end;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (*h == '[') {
		const char *rb = strchr(h, ']');

		if (rb == NULL || rb[1] != ':')
			goto bad;
		h++;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		if ((colon = strrchr(h, ':')) == NULL)
			goto bad;
		hl = (size_t)(colon - h);
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port == 0 || port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*sl = sizeof(*sin);
		*v6 = 0;
		if (!any_address && (ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return not_loopback(host, why, why_len);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*sin6);
		*v6 = 1;
		if (!any_address && !IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return not_loopback(host, why, why_len);
		return 0;
	}
bad:
	snprintf(why, why_len, "--listen wants ADDRESS:PORT with a numeric address, "
	    "e.g. 127.0.0.1:8443 or [::1]:8443, not '%s'", listen);
	return -1;
}

int
server_check_listen(const char *listen, char *why, size_t why_len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int v6;

	return parse_listen(listen, 0, &ss, &sl, &v6, why, why_len);
}

/* Only mTLS names the workstation by something stronger than a header: other
 * addresses than loopback need it all. */
static int
mtls(const struct config *cfg)
{
	return cfg->tls_cert != NULL && cfg->client_ca != NULL;
}

int
server_check_config(const struct config *cfg, char *why, size_t why_len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int v6;

	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		snprintf(why, why_len, "--tls-cert and --tls-key go together");
		return -1;
	}
	if (cfg->client_ca != NULL && cfg->tls_cert == NULL) {
		snprintf(why, why_len, "--client-ca needs --tls-cert and --tls-key");
		return -1;
	}
	return parse_listen(cfg->listen, mtls(cfg), &ss, &sl, &v6, why, why_len);
}

/* Before the handshake of each connection: no client certificate from the site CA, no HTTP. */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const struct app *app = cls;
	const union MHD_ConnectionInfo *ci;

	(void)socket_context;
	if (code != MHD_CONNECTION_NOTIFY_STARTED || app->cfg->client_ca == NULL)
		return;
	if ((ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION)) != NULL)
		tls_require_client_cert(ci->tls_session);
}

/* The TLS options of MHD_start_daemon, MHD_OPTION_END-terminated in opt (room for 6). */
static void
tls_options(const struct config *cfg, const struct tls_files *t, struct MHD_OptionItem *opt)
{
	size_t n = 0;

	if (cfg->tls_cert != NULL) {
		opt[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, t->cert };
		opt[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, t->key };
		opt[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t)TLS_PRIORITIES };
	}
	if (cfg->client_ca != NULL)
		opt[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0, t->client_ca };
	opt[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
}

int
server_run(struct app *app, const char *listen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct MHD_Daemon *d;
	sigset_t set;
	char why[256];
	int v6, sig = 0;
	unsigned int flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;	/* decisions wait for their batch suspended (defer) */
	const struct config *cfg = app->cfg;
	struct tls_files tls = { 0 };
	struct MHD_OptionItem tls_opt[6];

	if (parse_listen(listen, mtls(cfg), &ss, &sl, &v6, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s\n", why);
		return 2;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	if (cfg->tls_cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			fprintf(stderr, "chartgated: this libmicrohttpd has no TLS\n");
			return 1;
		}
		if (tls_files_load(&tls, cfg->tls_cert, cfg->tls_key, cfg->client_ca, why,
		    sizeof(why)) != 0) {
			fprintf(stderr, "chartgated: %s\n", why);
			return 1;
		}
		flags |= MHD_USE_TLS;
	}
	tls_options(cfg, &tls, tls_opt);
	/* Block the stop signals before MHD starts its threads, so they inherit
	 * the mask and only sigwait below ever sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)8,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)512,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, app,
	    MHD_OPTION_ARRAY, tls_opt,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "chartgated: cannot listen on %s\n", listen);
		tls_files_free(&tls);
		return 1;
	}
	(void)sl;
	fprintf(stderr, "chartgated %s: serving %s on %s://%s%s (rp id %s)\n", CHARTGATED_VERSION,
	    cfg->db_path, cfg->tls_cert != NULL ? "https" : "http", listen,
	    cfg->client_ca != NULL ? ", client certificates required" : "", cfg->rp_id);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "chartgated: signal %d, stopping\n", sig);
	/* MHD cannot stop with a connection suspended: every deferred decision is told (and
	 * its connection resumed) first, and later ones run on their own threads. */
	store_group_drain(app->store);
	MHD_stop_daemon(d);
	tls_files_free(&tls);
	return 0;
}
