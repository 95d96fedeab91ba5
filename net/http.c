/* Non-blocking HTTP client on the libcurl multi interface, driven by the client's one poll() loop. */
#include "net/http.h"

#include <curl/curl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_BASE_URL	1024
#define MAX_PATH	4096
#define MAX_WS_ID	128
#define MAX_TOKEN	4096
#define MAX_WWW_AUTH	4096
#define MAX_IDEM_KEY	128
#define MAX_REQ_BODY	(1024 * 1024)

struct xfer {
	struct xfer *next;
	struct http *h;
	unsigned id;
	CURL *easy;
	struct curl_slist *hdrs;	/* holds the bearer token: wiped before free */
	char *req_body;			/* ours, not curl's copy, so it can be wiped */
	size_t req_len;
	char *body;			/* response, capacity body_alloc, cap+1 at most */
	size_t len, body_alloc;
	char *www_auth;
	int too_large;
	int got_header;		/* a status line arrived */
	int cancelled;
	CURLcode result;
	long timeout_ms;
	http_done_fn cb;
	void *arg;
	void (*arg_free)(void *);
	char errbuf[CURL_ERROR_SIZE];
};

struct sock {
	curl_socket_t fd;
	int what;		/* CURL_POLL_IN / OUT / INOUT */
};

struct http {
	CURLM *multi;
	char *base;
	char *ws_header;
	char *tls_ca, *tls_cert, *tls_key;	/* NULL: system CAs / no client certificate */
	size_t body_cap;
	long timeout_ms;
	struct xfer *xfers;	/* in flight */
	struct xfer *done;	/* finished, callbacks pending (only inside dispatch) */
	unsigned next_id;
	struct sock *socks;
	size_t nsocks, socks_alloc;
	long long timer_at;	/* CLOCK_MONOTONIC ms; -1 = none */
	int in_dispatch;
	int dying;
};

const char *
http_strerror(int err)
{
	switch (err) {
	case HTTP_OK:		return "ok";
	case HTTP_ERR_ARG:	return "invalid argument";
	case HTTP_ERR_NOMEM:	return "out of memory";
	case HTTP_ERR_URL:	return "server URL must start with http:// or https://";
	case HTTP_ERR_CURL:	return "libcurl could not set up the request";
	}
	return "unknown error";
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Header values and paths: visible ASCII only, so nothing can smuggle CR/LF. */
static int
visible_ascii(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= max || s[i] < 0x21 || s[i] > 0x7E)
			return 0;
	return i > 0;
}

static void
wipe_free(char *p, size_t n)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, n);
	free(p);
}

static void
slist_wipe_free(struct curl_slist *l)
{
	struct curl_slist *it;

	for (it = l; it; it = it->next)
		if (it->data)
			OPENSSL_cleanse(it->data, strlen(it->data));
	curl_slist_free_all(l);
}

/* ---- libcurl callbacks ---- */

static int
sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	size_t i;

	(void)e;
	(void)socketp;
	for (i = 0; i < h->nsocks; i++)
		if (h->socks[i].fd == fd)
			break;
	if (what == CURL_POLL_REMOVE) {
		if (i < h->nsocks)
			h->socks[i] = h->socks[--h->nsocks];
		return 0;
	}
	if (i == h->nsocks) {
		if (h->nsocks == h->socks_alloc) {
			size_t n = h->socks_alloc ? h->socks_alloc * 2 : 8;
			struct sock *s = realloc(h->socks, n * sizeof *s);

			if (s == NULL)
				return -1;	/* curl fails the transfer */
			h->socks = s;
			h->socks_alloc = n;
		}
		h->socks[h->nsocks++].fd = fd;
	}
	h->socks[i].what = what;
	return 0;
}

static int
timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)m;
	h->timer_at = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	return 0;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb, cap = x->h->body_cap;

	if (n > cap || x->len > cap - n) {
		x->too_large = 1;
		return 0;	/* CURLE_WRITE_ERROR: the transfer stops here */
	}
	if (x->len + n + 1 > x->body_alloc) {
		size_t want = x->body_alloc ? x->body_alloc * 2 : 4096;
		char *nb;

		if (want < x->len + n + 1)
			want = x->len + n + 1;
		if (want > cap + 1)
			want = cap + 1;
		/* Not realloc: the old block must be wiped, it may hold clinical text. */
		if ((nb = malloc(want)) == NULL)
			return 0;
		if (x->len)
			memcpy(nb, x->body, x->len);
		wipe_free(x->body, x->body_alloc);
		x->body = nb;
		x->body_alloc = want;
	}
	memcpy(x->body + x->len, data, n);
	x->len += n;
	x->body[x->len] = '\0';
	return n;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	static const char name[] = "WWW-Authenticate:";
	struct xfer *x = userp;
	size_t n = size * nmemb, vlen, old;
	const char *v;
	char *nw;

	/* A new status line (after 100 Continue or a redirect) starts afresh. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		x->got_header = 1;
		free(x->www_auth);
		x->www_auth = NULL;
		return n;
	}
	if (n < sizeof name - 1 || strncasecmp(data, name, sizeof name - 1) != 0)
		return n;
	v = data + sizeof name - 1;
	vlen = n - (sizeof name - 1);
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	old = x->www_auth ? strlen(x->www_auth) : 0;
	if (old + vlen + 3 > MAX_WWW_AUTH)
		return n;	/* ignore the excess, keep the transfer */
	/* Several challenges in separate headers mean the same as one joined by ", ". */
	if ((nw = realloc(x->www_auth, old + vlen + 3)) == NULL)
		return n;
	if (old) {
		memcpy(nw + old, ", ", 2);
		old += 2;
	}
	memcpy(nw + old, v, vlen);
	nw[old + vlen] = '\0';
	x->www_auth = nw;
	return n;
}

/* ---- transfers ---- */

static void
xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	slist_wipe_free(x->hdrs);
	wipe_free(x->req_body, x->req_len);
	wipe_free(x->body, x->body_alloc);
	free(x->www_auth);
	if (x->arg_free)
		x->arg_free(x->arg);
	free(x);
}

static void
unlink_xfer(struct xfer **head, struct xfer *x)
{
	struct xfer **pp;

	for (pp = head; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			x->next = NULL;
			return;
		}
}

static void
format_secs(char *buf, size_t len, long ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%ld", ms / 1000);
	else
		snprintf(buf, len, "%.1f", (double)ms / 1000.0);
}

/* X509_V_ERR_* codes (OpenSSL's, as CURLINFO_SSL_VERIFYRESULT reports them). */
enum {
	V_UNABLE_TO_GET_ISSUER_CERT = 2, V_CERT_NOT_YET_VALID = 9, V_CERT_HAS_EXPIRED = 10,
	V_DEPTH_ZERO_SELF_SIGNED = 18, V_SELF_SIGNED_IN_CHAIN = 19,
	V_UNABLE_TO_GET_ISSUER_LOCALLY = 20, V_UNABLE_TO_VERIFY_LEAF = 21, V_HOSTNAME_MISMATCH = 62,
};

/* Plain words for a failed handshake or certificate check. */
static void
describe_tls(struct xfer *x, const char *detail, char *msg, size_t len)
{
	const char *base = x->h->base;
	long v = 0;

	curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT, &v);
	switch (x->result == CURLE_PEER_FAILED_VERIFICATION ? v : -1) {
	case V_CERT_HAS_EXPIRED:
		snprintf(msg, len, "TLS error: expired certificate (chartgated's; %s)", base);
		return;
	case V_CERT_NOT_YET_VALID:
		snprintf(msg, len, "TLS error: certificate not valid yet (chartgated's; check this "
		    "workstation's clock; %s)", base);
		return;
	case V_UNABLE_TO_GET_ISSUER_CERT:
	case V_DEPTH_ZERO_SELF_SIGNED:
	case V_SELF_SIGNED_IN_CHAIN:
	case V_UNABLE_TO_GET_ISSUER_LOCALLY:
	case V_UNABLE_TO_VERIFY_LEAF:
		snprintf(msg, len, "TLS error: unknown CA (chartgated's certificate is not signed "
		    "by the CA this workstation trusts; %s)", base);
		return;
	}
	/* curl checks the name itself and says so in words, without a verify result. */
	if (x->result == CURLE_PEER_FAILED_VERIFICATION &&
	    (v == V_HOSTNAME_MISMATCH || strstr(detail, "subject name") != NULL))
		snprintf(msg, len, "TLS error: name mismatch (chartgated's certificate is not "
		    "for the host in %s)", base);
	else if (x->result == CURLE_SSL_CERTPROBLEM)
		snprintf(msg, len, "TLS error: this workstation's certificate or key cannot be "
		    "used: %s", detail);
	else if (x->result == CURLE_SSL_CACERT_BADFILE)
		snprintf(msg, len, "TLS error: the CA file cannot be read: %s", detail);
	else if (strstr(detail, "protocol version") != NULL ||
	    strstr(detail, "unsupported protocol") != NULL)
		snprintf(msg, len, "TLS error: no common TLS version with chartgated at %s "
		    "(1.2 or newer is needed)", base);
	else if (strstr(detail, "alert") != NULL)
		snprintf(msg, len, "TLS error: client certificate refused (chartgated ended the "
		    "handshake; %s)", base);
	else if (strstr(detail, "wrong version number") != NULL)
		snprintf(msg, len, "TLS error: %s does not answer in TLS (plain http?)", base);
	else
		snprintf(msg, len, "TLS error: secure connection to %s failed: %s", base, detail);
}

/* Plain words for a transfer that ended without an HTTP answer. */
static enum http_fail
describe(struct xfer *x, char *msg, size_t len)
{
	const char *base = x->h->base;
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
	char secs[32];

	if (x->too_large || x->result == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, len, "chartgated's answer was larger than %zu KiB; it was not read",
		    x->h->body_cap / 1024);
		return HTTP_FAIL_TOO_LARGE;
	}
	switch (x->result) {
	case CURLE_COULDNT_CONNECT:
		snprintf(msg, len, "chartgated is not reachable at %s", base);
		return HTTP_FAIL_CONNECT;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(msg, len, "cannot find the host of %s (name lookup failed)", base);
		return HTTP_FAIL_RESOLVE;
	case CURLE_OPERATION_TIMEDOUT:
		format_secs(secs, sizeof secs, x->timeout_ms);
		snprintf(msg, len, "chartgated did not answer within %s s", secs);
		return HTTP_FAIL_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		describe_tls(x, detail, msg, len);
		return HTTP_FAIL_TLS;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		/* chartgated drops a connection whose client certificate it refuses
		 * without a word (TLS 1.3: right after the handshake): over https, a
		 * connection closed before one byte of answer is most likely that. */
		if (strncasecmp(base, "https://", 8) == 0 && x->len == 0 && !x->got_header) {
			snprintf(msg, len, "TLS error: client certificate refused (chartgated closed "
			    "the secure connection before answering; %s)", base);
			return HTTP_FAIL_TLS;
		}
		snprintf(msg, len, "chartgated at %s closed the connection before answering", base);
		return HTTP_FAIL_CLOSED;
	default:
		snprintf(msg, len, "request to %s failed: %s", base, detail);
		return HTTP_FAIL_OTHER;
	}
}

static void
complete(struct xfer *x)
{
	struct http_reply r;
	char msg[512];

	memset(&r, 0, sizeof r);
	r.req_id = x->id;
	r.body = "";
	r.error = "";
	if (x->result == CURLE_OK && !x->too_large) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
		if (x->body) {
			r.body = x->body;
			r.body_len = x->len;
		}
		r.www_authenticate = x->www_auth;
	} else {
		r.fail = describe(x, msg, sizeof msg);
		r.error = msg;
	}
	x->cb(&r, x->arg);
}

static void
http_destroy(struct http *h)
{
	struct xfer *x;

	while ((x = h->xfers) != NULL) {
		h->xfers = x->next;
		curl_multi_remove_handle(h->multi, x->easy);
		xfer_free(x);
	}
	while ((x = h->done) != NULL) {
		h->done = x->next;
		xfer_free(x);
	}
	curl_multi_cleanup(h->multi);
	free(h->socks);
	free(h->base);
	free(h->ws_header);
	free(h->tls_ca);
	free(h->tls_cert);
	free(h->tls_key);
	free(h);
	curl_global_cleanup();
}

/* ---- public ---- */

int
http_check(const char *base_url, const char *workstation_id)
{
	size_t skip;

	if (base_url == NULL || workstation_id == NULL ||
	    !visible_ascii(workstation_id, MAX_WS_ID))
		return HTTP_ERR_ARG;
	if (!visible_ascii(base_url, MAX_BASE_URL) ||
	    strpbrk(base_url, "?#") != NULL ||
	    (strncasecmp(base_url, "http://", 7) != 0 &&
	     strncasecmp(base_url, "https://", 8) != 0))
		return HTTP_ERR_URL;
	skip = strncasecmp(base_url, "https://", 8) == 0 ? 8 : 7;
	if (base_url[skip] == '\0' || base_url[skip] == '/')
		return HTTP_ERR_URL;	/* no host */
	return HTTP_OK;
}

int
http_new(struct http **out, const char *base_url, const char *workstation_id)
{
	struct http *h = NULL;
	size_t blen, skip;
	int rc, global = 0;

	if (out == NULL)
		return HTTP_ERR_ARG;
	*out = NULL;
	if ((rc = http_check(base_url, workstation_id)) != HTTP_OK)
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return HTTP_ERR_CURL;
	global = 1;
	if ((h = calloc(1, sizeof *h)) == NULL) {
		rc = HTTP_ERR_NOMEM;
		goto fail;
	}
	h->timer_at = -1;
	h->next_id = 1;
	h->body_cap = HTTP_DEFAULT_BODY_CAP;
	h->timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	if ((h->base = strdup(base_url)) == NULL) {
		rc = HTTP_ERR_NOMEM;
		goto fail;
	}
	skip = strncasecmp(h->base, "https://", 8) == 0 ? 8 : 7;
	blen = strlen(h->base);
	while (blen > skip && h->base[blen - 1] == '/')
		h->base[--blen] = '\0';
	if (asprintf(&h->ws_header, "Workstation-Id: %s", workstation_id) < 0) {
		h->ws_header = NULL;
		rc = HTTP_ERR_NOMEM;
		goto fail;
	}
	if ((h->multi = curl_multi_init()) == NULL) {
		rc = HTTP_ERR_CURL;
		goto fail;
	}
	if (curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h) != CURLM_OK) {
		rc = HTTP_ERR_CURL;
		goto fail;
	}
	*out = h;
	return HTTP_OK;
fail:
	if (h) {
		if (h->multi)
			curl_multi_cleanup(h->multi);
		free(h->base);
		free(h->ws_header);
		free(h);
	}
	if (global)
		curl_global_cleanup();
	return rc;
}

void
http_free(struct http **hp)
{
	struct http *h;

	if (hp == NULL || (h = *hp) == NULL)
		return;
	*hp = NULL;
	if (h->in_dispatch) {
		h->dying = 1;	/* http_dispatch finishes the job */
		return;
	}
	http_destroy(h);
}

int
http_set_tls(struct http *h, const char *ca, const char *cert, const char *key)
{
	char *c[3] = { NULL, NULL, NULL };
	const char *in[3] = { ca, cert, key };
	size_t i;

	if (h == NULL || (cert == NULL) != (key == NULL))
		return HTTP_ERR_ARG;
	for (i = 0; i < 3; i++) {
		if (in[i] != NULL && (c[i] = strdup(in[i])) == NULL) {
			while (i-- > 0)
				free(c[i]);
			return HTTP_ERR_NOMEM;
		}
	}
	free(h->tls_ca);
	free(h->tls_cert);
	free(h->tls_key);
	h->tls_ca = c[0];
	h->tls_cert = c[1];
	h->tls_key = c[2];
	return HTTP_OK;
}

void
http_set_body_cap(struct http *h, size_t bytes)
{
	if (h == NULL || bytes == 0 || bytes > (size_t)INT_MAX)
		return;
	h->body_cap = bytes;
}

void
http_set_default_timeout(struct http *h, long timeout_ms)
{
	if (h == NULL || timeout_ms <= 0)
		return;
	h->timeout_ms = timeout_ms;
}

const char *
http_base_url(const struct http *h)
{
	return h ? h->base : NULL;
}

size_t
http_pollfds(struct http *h, struct pollfd *fds, size_t max)
{
	size_t i, n = 0;

	if (h == NULL || fds == NULL)
		return 0;
	for (i = 0; i < h->nsocks && n < max; i++) {
		fds[n].fd = h->socks[i].fd;
		fds[n].events = 0;
		fds[n].revents = 0;
		if (h->socks[i].what & CURL_POLL_IN)
			fds[n].events |= POLLIN;
		if (h->socks[i].what & CURL_POLL_OUT)
			fds[n].events |= POLLOUT;
		n++;
	}
	return n;
}

int
http_timeout_ms(struct http *h)
{
	long long left;

	if (h == NULL || h->timer_at < 0)
		return -1;
	left = h->timer_at - now_ms();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

static int
is_our_socket(struct http *h, int fd)
{
	size_t i;

	for (i = 0; i < h->nsocks; i++)
		if (h->socks[i].fd == fd)
			return 1;
	return 0;
}

void
http_dispatch(struct http *h, const struct pollfd *fds, size_t n)
{
	struct xfer *x, **tail;
	CURLMsg *m;
	size_t i;
	int running, left;

	if (h == NULL || h->in_dispatch)
		return;
	h->in_dispatch = 1;
	for (i = 0; fds && i < n; i++) {
		int flags = 0;

		if (fds[i].revents == 0 || !is_our_socket(h, fds[i].fd))
			continue;
		if (fds[i].revents & (POLLIN | POLLHUP))
			flags |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			flags |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLNVAL))
			flags |= CURL_CSELECT_ERR;
		curl_multi_socket_action(h->multi, fds[i].fd, flags, &running);
	}
	if (h->timer_at >= 0 && now_ms() >= h->timer_at) {
		h->timer_at = -1;	/* before the call: curl may set a new one */
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}

	/* Collect every finished transfer first, then call back: a callback may
	 * start or cancel requests, which must not disturb curl's message queue. */
	tail = &h->done;
	while (*tail)
		tail = &(*tail)->next;
	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		char *priv = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct xfer *)(void *)priv;
		x->result = m->data.result;
		curl_multi_remove_handle(h->multi, x->easy);	/* m is invalid after this */
		unlink_xfer(&h->xfers, x);
		*tail = x;
		tail = &x->next;
	}
	while ((x = h->done) != NULL) {
		h->done = x->next;
		x->next = NULL;
		if (!x->cancelled && !h->dying)
			complete(x);
		xfer_free(x);
	}
	h->in_dispatch = 0;
	if (h->dying)
		http_destroy(h);
}

static int
method_ok(const char *m)
{
	static const char *const ok[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(m, ok[i]) == 0)
			return 1;
	return 0;
}

/* Appends a header line; on failure the list is left as it was. */
static int
add_header(struct curl_slist **l, const char *line)
{
	struct curl_slist *n = curl_slist_append(*l, line);

	if (n == NULL)
		return HTTP_ERR_NOMEM;
	*l = n;
	return HTTP_OK;
}

int
http_submit(struct http *h, const struct http_req *req, unsigned *req_id)
{
	struct xfer *x = NULL;
	char *url = NULL, *auth = NULL;
	size_t authlen = 0;
	CURLcode cc = CURLE_OK;
	int rc;

	if (req_id)
		*req_id = 0;
	if (h == NULL || req == NULL || req->cb == NULL || req->method == NULL ||
	    req->path == NULL || h->dying)
		return HTTP_ERR_ARG;
	if (!method_ok(req->method) || req->path[0] != '/' ||
	    !visible_ascii(req->path, MAX_PATH))
		return HTTP_ERR_ARG;
	if (req->bearer_token && !visible_ascii(req->bearer_token, MAX_TOKEN))
		return HTTP_ERR_ARG;
	if (req->json_body && strlen(req->json_body) > MAX_REQ_BODY)
		return HTTP_ERR_ARG;
	if (req->idempotency_key && !visible_ascii(req->idempotency_key, MAX_IDEM_KEY))
		return HTTP_ERR_ARG;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return HTTP_ERR_NOMEM;
	x->h = h;
	x->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : h->timeout_ms;
	if ((x->easy = curl_easy_init()) == NULL) {
		rc = HTTP_ERR_CURL;
		goto fail;
	}
	if (asprintf(&url, "%s%s", h->base, req->path) < 0) {
		url = NULL;
		rc = HTTP_ERR_NOMEM;
		goto fail;
	}
	if ((rc = add_header(&x->hdrs, h->ws_header)) != HTTP_OK ||
	    (rc = add_header(&x->hdrs, "Accept: application/json")) != HTTP_OK ||
	    (rc = add_header(&x->hdrs, "Content-Type: application/json")) != HTTP_OK ||
	    (rc = add_header(&x->hdrs, "Expect:")) != HTTP_OK)
		goto fail;
	if (req->bearer_token) {
		authlen = strlen("Authorization: Bearer ") + strlen(req->bearer_token) + 1;
		if ((auth = malloc(authlen)) == NULL) {
			rc = HTTP_ERR_NOMEM;
			goto fail;
		}
		snprintf(auth, authlen, "Authorization: Bearer %s", req->bearer_token);
		if ((rc = add_header(&x->hdrs, auth)) != HTTP_OK)
			goto fail;
	}
	if (req->idempotency_key) {
		char line[sizeof "Idempotency-Key: " + MAX_IDEM_KEY];

		snprintf(line, sizeof line, "Idempotency-Key: %s", req->idempotency_key);
		if ((rc = add_header(&x->hdrs, line)) != HTTP_OK)
			goto fail;
	}
	if (req->json_body) {
		x->req_len = strlen(req->json_body);
		if ((x->req_body = strdup(req->json_body)) == NULL) {
			rc = HTTP_ERR_NOMEM;
			goto fail;
		}
	}

	/* Every setopt below is checked at once; any failure is HTTP_ERR_CURL. */
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_URL, url);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, x->timeout_ms);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, x->timeout_ms);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "chartgate/1");
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, write_cb);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, header_cb);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)(void *)x);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->body_cap);
	/* https: TLS 1.2 at least, the peer and its name always verified (no switch turns that off). */
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->tls_ca && cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_CAINFO, h->tls_ca);
	if (h->tls_cert && cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_SSLCERT, h->tls_cert);
	if (h->tls_key && cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_SSLKEY, h->tls_key);
	if (strcmp(req->method, "GET") == 0) {
		if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(req->method, "POST") != 0 && cc == CURLE_OK)
			cc = curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
		if (x->req_body || strcmp(req->method, "POST") == 0) {
			if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)x->req_len);
			if (cc == CURLE_OK) cc = curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS,
			    x->req_body ? x->req_body : "");
		}
	}
	if (cc != CURLE_OK) {
		rc = HTTP_ERR_CURL;
		goto fail;
	}
	x->cb = req->cb;
	x->arg = req->arg;
	x->id = h->next_id++;
	if (h->next_id == 0)
		h->next_id = 1;
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		x->cb = NULL;
		rc = HTTP_ERR_CURL;
		goto fail;
	}
	/* Only now may arg_free run: on failure the caller still owns arg. */
	x->arg_free = req->arg_free;
	x->next = h->xfers;
	h->xfers = x;
	if (req_id)
		*req_id = x->id;
	wipe_free(auth, authlen);
	free(url);
	return HTTP_OK;
fail:
	wipe_free(auth, authlen);
	free(url);
	xfer_free(x);
	return rc;
}

int
http_request(struct http *h, const char *method, const char *path,
    const char *bearer_token, const char *json_body, long timeout_ms,
    http_done_fn cb, void *arg, unsigned *req_id)
{
	struct http_req r = {
		.method = method, .path = path, .bearer_token = bearer_token,
		.json_body = json_body, .timeout_ms = timeout_ms, .cb = cb, .arg = arg,
	};

	return http_submit(h, &r, req_id);
}

void
http_cancel(struct http *h, unsigned req_id)
{
	struct xfer *x;

	if (h == NULL || req_id == 0)
		return;
	for (x = h->done; x; x = x->next)
		if (x->id == req_id) {
			x->cancelled = 1;	/* dispatch frees it */
			return;
		}
	for (x = h->xfers; x; x = x->next)
		if (x->id == req_id) {
			unlink_xfer(&h->xfers, x);
			curl_multi_remove_handle(h->multi, x->easy);
			xfer_free(x);
			return;
		}
}

int
http_in_flight(struct http *h)
{
	struct xfer *x;
	int n = 0;

	if (h == NULL)
		return 0;
	for (x = h->xfers; x; x = x->next)
		n++;
	return n;
}
