/* The HTTP layer: configuration, the request handed to handlers, and reply helpers. */
#ifndef CHARTGATED_SERVER_H
#define CHARTGATED_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "backend/store.h"
#include "backend/tls.h"
#include "common/version.h"

#define CHARTGATED_VERSION CHARTGATE_VERSION
#define BODY_MAX (64 * 1024)

struct config {
	const char *db_path;
	const char *listen;		/* as given, for messages */
	const char *rp_id;
	/* HTTPS when tls_cert is set; with client_ca every connection needs a client
	 * certificate from that CA, which then names the workstation. */
	const char *tls_cert, *tls_key, *client_ca;
	int64_t challenge_ttl;		/* seconds a login challenge stays usable */
	int64_t session_idle;		/* seconds of inactivity that end a session */
	int64_t session_max;		/* absolute session lifetime */
	int64_t discharge_grace;	/* care-team access lasts this long after discharge */
	int64_t step_up_ttl;		/* seconds a step-up opens one patient's sensitive sections */
	int64_t break_glass_ttl;	/* seconds a break-glass grant lasts */
	int64_t challenge_rate;		/* challenges per workstation per minute; 0: no limit */
};

struct policy;

struct app {
	struct store *store;
	const struct config *cfg;
	const struct policy *policy;	/* the rule table, loaded at start */
};

#define REQ_PARAMS 2

/* One request as a handler sees it: no libmicrohttpd types leak past server.c. */
struct req {
	struct app *app;
	void *conn;			/* opaque; use req_header/req_query */
	const char *method;
	const char *path;
	char request_id[40];
	json_t *body;			/* parsed JSON object of a POST, else NULL */
	char params[REQ_PARAMS][128];	/* the '*' segments of the route, in order */
	/* Set before the handler runs on routes that need a session. */
	struct session session;
	struct user user;
	/* The reply the handler chose. */
	unsigned status;
	json_t *reply;			/* NULL: empty body (204) */
	char *reply_text;		/* a body already written (reply_text); wins over reply */
	const char *allow;		/* Allow header of a 405 */
	char www_authenticate[128];	/* WWW-Authenticate header when non-empty */
	/* With a client CA: the workstation the connection's certificate names. */
	int has_peer;
	struct tls_peer peer;
	unsigned retry_after;		/* Retry-After header (seconds) when non-zero */
	/* Set by a handler that writes its reply body only after its group commit (dispatch
	 * calls it, outside the store's lock, and clears it); committed 0: the reply is
	 * already a 500, and finish only frees finish_arg. */
	void (*finish)(struct req *, int committed);
	void *finish_arg;
};

const char *req_header(const struct req *, const char *name);
const char *req_query(const struct req *, const char *name);
/* The workstation a request comes from: the client certificate's CN when chartgated
 * has a client CA (a Workstation-Id header is then ignored), else the Workstation-Id
 * header (NULL if absent). */
const char *req_workstation(const struct req *);
/* Resolve the bearer token into r->session and r->user for a route that does not
 * always need one; 0 when authenticated, else -1 with the 401 already chosen. */
int req_authenticate(struct req *);

/* Reply with body (reference stolen) / with the error envelope. */
void reply_json(struct req *, unsigned status, json_t *body);
/* Reply with a JSON text already written (malloc'd, taken over; NULL: a 500). */
void reply_text(struct req *, unsigned status, char *json);
void reply_error(struct req *, unsigned status, const char *code, const char *message);

/* Parse "127.0.0.1:PORT" or "[::1]:PORT"; refuses non-loopback addresses with a message. */
int server_check_listen(const char *listen, char *why, size_t why_len);
/* The same for cfg: any address once cfg has TLS with a client CA; loopback otherwise. */
int server_check_config(const struct config *cfg, char *why, size_t why_len);

/* Serve until SIGTERM or SIGINT; 0 on a clean stop. */
int server_run(struct app *, const char *listen);

#endif
