/* Non-blocking HTTP client on the libcurl multi interface, driven by the client's one poll() loop. */
#ifndef CHARTGATE_NET_HTTP_H
#define CHARTGATE_NET_HTTP_H

#include <poll.h>
#include <stddef.h>

struct http;

enum http_err {
	HTTP_OK = 0,
	HTTP_ERR_ARG,		/* NULL or malformed argument (method, path, header value) */
	HTTP_ERR_NOMEM,
	HTTP_ERR_URL,		/* base URL is not http:// or https:// */
	HTTP_ERR_CURL,		/* libcurl refused to set up the transfer */
};
const char *http_strerror(int err);

/* Why a transfer produced no HTTP answer. */
enum http_fail {
	HTTP_FAIL_NONE = 0,	/* status, body and www_authenticate are valid */
	HTTP_FAIL_CONNECT,	/* refused / unreachable */
	HTTP_FAIL_RESOLVE,	/* host name lookup failed */
	HTTP_FAIL_TIMEOUT,	/* the request's deadline passed */
	HTTP_FAIL_TOO_LARGE,	/* body over the cap; transfer aborted */
	HTTP_FAIL_TLS,		/* handshake or certificate verification */
	HTTP_FAIL_CLOSED,	/* server closed or reset the connection mid-answer */
	HTTP_FAIL_OTHER,
};

/* Valid only during the callback; copy what you keep. */
struct http_reply {
	unsigned req_id;
	enum http_fail fail;
	const char *error;	/* plain words when fail != NONE, else "" */
	long status;		/* HTTP status; 0 when fail != NONE */
	const char *body;	/* NUL-terminated ("" when empty); may hold NULs, see body_len */
	size_t body_len;
	const char *www_authenticate;	/* value of WWW-Authenticate, or NULL */
};

typedef void (*http_done_fn)(const struct http_reply *reply, void *arg);

#define HTTP_DEFAULT_BODY_CAP	(1024 * 1024)
#define HTTP_DEFAULT_TIMEOUT_MS	10000L

/* base_url: "http://host:port" or "https://..." (a trailing '/' is ignored);
 * request paths are appended to it. workstation_id: printable ASCII, <= 128. */
int http_new(struct http **out, const char *base_url, const char *workstation_id);
/* http_new's checks of its arguments alone, without loading libcurl: HTTP_OK,
 * HTTP_ERR_ARG or HTTP_ERR_URL, as http_new would answer. */
int http_check(const char *base_url, const char *workstation_id);
/* Cancels everything in flight (no callbacks; arg_free still runs) and sets *h = NULL.
 * May be called from inside a callback: the rest of that dispatch is skipped. */
void http_free(struct http **h);

/* https: ca (PEM file; NULL = the system's CAs) verifies chartgated; cert and key (PEM
 * files, both or neither) are this workstation's client certificate. Whatever is set,
 * TLS 1.2 is the floor and the server's certificate and name are always verified.
 * Applies to requests submitted afterwards. HTTP_ERR_ARG if only one of cert/key. */
int http_set_tls(struct http *h, const char *ca, const char *cert, const char *key);

/* Limits. A body over the cap aborts its transfer with HTTP_FAIL_TOO_LARGE. */
void http_set_body_cap(struct http *h, size_t bytes);
/* Deadline used when a request passes timeout_ms <= 0. */
void http_set_default_timeout(struct http *h, long timeout_ms);
const char *http_base_url(const struct http *h);

/* poll() integration: fill fds (at most max) with the sockets libcurl wants,
 * and tell how long poll may sleep (-1 = no timer pending). */
size_t http_pollfds(struct http *h, struct pollfd *fds, size_t max);
int http_timeout_ms(struct http *h);
/* After poll(): drives libcurl for ready fds (fds not ours are ignored) and
 * for an expired timer, then calls the callbacks of finished transfers.
 * Never blocks. fds may be NULL when n == 0 (timer only). */
void http_dispatch(struct http *h, const struct pollfd *fds, size_t n);

/* One request. method: GET POST PUT PATCH DELETE. path starts with '/' and
 * is already percent-encoded (no spaces or controls). bearer_token and
 * json_body may be NULL. The token is copied into a header list that is
 * wiped and freed when the request ends. arg_free (may be NULL) runs exactly
 * once when the request is over for good: after cb returns, or on cancel/free;
 * when http_submit fails it is not called (the caller still owns arg). */
struct http_req {
	const char *method;
	const char *path;
	const char *bearer_token;
	const char *json_body;
	/* NULL, or an Idempotency-Key header value (visible ASCII, <= 128):
	 * a retry with the same key cannot repeat what the first one did. */
	const char *idempotency_key;
	long timeout_ms;
	http_done_fn cb;
	void *arg;
	void (*arg_free)(void *arg);
};
int http_submit(struct http *h, const struct http_req *req, unsigned *req_id);

/* Shorthand for http_submit without arg_free. */
int http_request(struct http *h, const char *method, const char *path,
    const char *bearer_token, const char *json_body, long timeout_ms,
    http_done_fn cb, void *arg, unsigned *req_id);

/* The callback of req_id will not be called afterwards (arg_free will).
 * Unknown or finished ids are ignored. */
void http_cancel(struct http *h, unsigned req_id);
/* Requests submitted and not yet completed or cancelled. */
int http_in_flight(struct http *h);

#endif
