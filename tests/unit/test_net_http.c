/* Unit tests for net/http against a tiny loopback peer: non-blocking, deadlines, body cap, plain-words errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/api.h"
#include "net/http.h"
#include "tests/t.h"

enum peer_mode { PEER_ANSWER, PEER_SILENT, PEER_HUGE };

struct peer {
	int lfd;
	int port;
	enum peer_mode mode;
	const char *response;
	char request[4096];
	pthread_t thr;
};

static void
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

/* Serves exactly one connection, then exits. */
static void *
peer_main(void *arg)
{
	struct peer *p = arg;
	size_t got = 0;
	int fd = accept(p->lfd, NULL, NULL);

	if (fd < 0)
		return NULL;
	while (got + 1 < sizeof p->request && strstr(p->request, "\r\n\r\n") == NULL) {
		ssize_t k = recv(fd, p->request + got, sizeof p->request - 1 - got, 0);

		if (k <= 0)
			break;
		got += (size_t)k;
		p->request[got] = '\0';
	}
	if (p->mode == PEER_ANSWER) {
		send_all(fd, p->response, strlen(p->response));
	} else if (p->mode == PEER_HUGE) {
		static char chunk[65536];
		const char *hdr = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		    "Connection: close\r\n\r\n";
		int i;

		memset(chunk, 'x', sizeof chunk);
		send_all(fd, hdr, strlen(hdr));
		for (i = 0; i < 64; i++)	/* 4 MiB, no Content-Length */
			send_all(fd, chunk, sizeof chunk);
	} else {
		char c;

		while (recv(fd, &c, 1, 0) > 0)	/* say nothing until the client gives up */
			;
	}
	close(fd);
	return NULL;
}

static int
peer_start(struct peer *p, enum peer_mode mode, const char *response)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;

	memset(p, 0, sizeof *p);
	p->mode = mode;
	p->response = response;
	p->lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->lfd, 4) != 0)
		return -1;
	getsockname(p->lfd, (struct sockaddr *)&a, &alen);
	p->port = ntohs(a.sin_port);
	return pthread_create(&p->thr, NULL, peer_main, p);
}

static void
peer_stop(struct peer *p)
{
	pthread_join(p->thr, NULL);
	close(p->lfd);
}

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct result {
	int done;
	enum http_fail fail;
	long status;
	char error[256];
	char body[256];
	size_t body_len;
	char www[256];
};

static void
on_done(const struct http_reply *r, void *arg)
{
	struct result *res = arg;

	res->done++;
	res->fail = r->fail;
	res->status = r->status;
	res->body_len = r->body_len;
	snprintf(res->error, sizeof res->error, "%s", r->error);
	snprintf(res->body, sizeof res->body, "%s", r->body);
	snprintf(res->www, sizeof res->www, "%s", r->www_authenticate ? r->www_authenticate : "");
}

/* The client's loop in miniature; returns the longest single dispatch in ms. */
static long long
run_until(struct http *h, const int *done, long long max_ms)
{
	long long end = ms_now() + max_ms, worst = 0;

	while (!*done && ms_now() < end) {
		struct pollfd fds[16];
		size_t n = http_pollfds(h, fds, 16);
		int t = http_timeout_ms(h);
		long long t0;

		if (t < 0 || t > 50)
			t = 50;
		poll(fds, n, t);
		t0 = ms_now();
		http_dispatch(h, fds, n);
		if (ms_now() - t0 > worst)
			worst = ms_now() - t0;
	}
	return worst;
}

static char url[64];

static struct http *
client_for(int port)
{
	struct http *h = NULL;

	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	if (http_new(&h, url, "cart-7") != HTTP_OK)
		return NULL;
	return h;
}

static void
answer_carries_status_body_and_www_authenticate(void)
{
	struct peer p;
	struct result r = { 0 };
	struct http *h;
	unsigned id = 0;

	T_CHECK(peer_start(&p, PEER_ANSWER,
	    "HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\nConnection: close\r\n"
	    "WWW-Authenticate: Bearer error=\"insufficient_user_authentication\", max_age=300\r\n"
	    "\r\n{\"error\":{}}\n") == 0);
	h = client_for(p.port);
	T_CHECK(http_request(h, "GET", "/v1/me", "secret-token", NULL, 5000, on_done, &r, &id) == HTTP_OK);
	T_CHECK(id != 0 && http_in_flight(h) == 1);
	run_until(h, &r.done, 5000);
	T_CHECK(r.done == 1 && r.fail == HTTP_FAIL_NONE && r.status == 401);
	T_STREQ(r.body, "{\"error\":{}}\n");
	T_CHECK(strstr(r.www, "insufficient_user_authentication") != NULL);
	T_CHECK(http_in_flight(h) == 0);
	peer_stop(&p);
	T_CHECK(strstr(p.request, "GET /v1/me HTTP/1.1\r\n") == p.request);
	T_CHECK(strstr(p.request, "\r\nWorkstation-Id: cart-7\r\n") != NULL);
	T_CHECK(strstr(p.request, "\r\nAuthorization: Bearer secret-token\r\n") != NULL);
	T_CHECK(strstr(p.request, "\r\nAccept: application/json\r\n") != NULL);
	T_CHECK(strstr(p.request, "\r\nContent-Type: application/json\r\n") != NULL);
	http_free(&h);
	T_CHECK(h == NULL);
}

static void
silent_server_hits_deadline_without_blocking(void)
{
	struct peer p;
	struct result r = { 0 };
	struct http *h;
	long long t0, worst;

	T_CHECK(peer_start(&p, PEER_SILENT, NULL) == 0);
	h = client_for(p.port);
	t0 = ms_now();
	T_CHECK(http_request(h, "GET", "/v1/health", NULL, NULL, 1500, on_done, &r, NULL) == HTTP_OK);
	worst = run_until(h, &r.done, 10000);
	T_CHECK(r.done == 1);
	T_CHECK(r.fail == HTTP_FAIL_TIMEOUT);
	T_STREQ(r.error, "chartgated did not answer within 1.5 s");
	/* The deadline holds, and no single dispatch waited for the silent
	 * server: bounds loose enough for valgrind, tight enough to catch a
	 * blocking call (which would take the whole 1.5 s). */
	T_CHECK(ms_now() - t0 >= 1400 && ms_now() - t0 < 8000);
	T_CHECK(worst < 700);
	http_free(&h);		/* closes the socket, so the peer ends */
	peer_stop(&p);
}

static void
huge_body_is_cut_off_at_cap(void)
{
	struct peer p;
	struct result r = { 0 };
	struct http *h;

	T_CHECK(peer_start(&p, PEER_HUGE, NULL) == 0);
	h = client_for(p.port);
	T_CHECK(http_request(h, "GET", "/v1/worklist", NULL, NULL, 5000, on_done, &r, NULL) == HTTP_OK);
	run_until(h, &r.done, 5000);
	T_CHECK(r.done == 1 && r.fail == HTTP_FAIL_TOO_LARGE);
	T_STREQ(r.error, "chartgated's answer was larger than 1024 KiB; it was not read");
	http_free(&h);
	peer_stop(&p);
}

static void
refused_connection_says_not_reachable(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	struct result r = { 0 };
	struct http *h;
	char want[128];
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	/* A port that was free a moment ago and has no listener now. */
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	getsockname(fd, (struct sockaddr *)&a, &alen);
	port = ntohs(a.sin_port);
	close(fd);
	h = client_for(port);
	T_CHECK(http_request(h, "GET", "/v1/health", NULL, NULL, 2000, on_done, &r, NULL) == HTTP_OK);
	run_until(h, &r.done, 5000);
	T_CHECK(r.done == 1 && r.fail == HTTP_FAIL_CONNECT);
	snprintf(want, sizeof want, "chartgated is not reachable at http://127.0.0.1:%d", port);
	T_STREQ(r.error, want);
	http_free(&h);
}

static void
cancelled_request_never_calls_back(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	struct result r = { 0 };
	struct http *h;
	unsigned id;
	int tick = 0, lfd = socket(AF_INET, SOCK_STREAM, 0);

	/* A listener nobody accepts on: the kernel completes the handshake, nothing answers. */
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	T_CHECK(bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(lfd, 4) == 0);
	getsockname(lfd, (struct sockaddr *)&a, &alen);
	h = client_for(ntohs(a.sin_port));
	T_CHECK(http_request(h, "GET", "/v1/health", NULL, NULL, 200, on_done, &r, &id) == HTTP_OK);
	run_until(h, &tick, 50);	/* let it get going */
	http_cancel(h, id);
	T_CHECK(http_in_flight(h) == 0);
	run_until(h, &tick, 400);	/* past the deadline: still no callback */
	T_CHECK(r.done == 0);
	http_free(&h);
	close(lfd);
}

static void
bad_arguments_are_refused(void)
{
	struct http *h = NULL;
	struct result r = { 0 };

	T_CHECK(http_new(&h, "ftp://x", "w") == HTTP_ERR_URL);
	T_CHECK(http_new(&h, "file:///etc/passwd", "w") == HTTP_ERR_URL);
	T_CHECK(http_new(&h, "http://", "w") == HTTP_ERR_URL);
	T_CHECK(http_new(&h, "http://x", "bad\r\nid") == HTTP_ERR_ARG);
	T_CHECK(http_new(&h, "http://127.0.0.1:1/", "w") == HTTP_OK);
	T_STREQ(http_base_url(h), "http://127.0.0.1:1");
	T_CHECK(http_request(h, "GET", "no-slash", NULL, NULL, 0, on_done, &r, NULL) == HTTP_ERR_ARG);
	T_CHECK(http_request(h, "GET", "/a b", NULL, NULL, 0, on_done, &r, NULL) == HTTP_ERR_ARG);
	T_CHECK(http_request(h, "TRACE", "/", NULL, NULL, 0, on_done, &r, NULL) == HTTP_ERR_ARG);
	T_CHECK(http_request(h, "GET", "/", "tok\r\nX: y", NULL, 0, on_done, &r, NULL) == HTTP_ERR_ARG);
	T_CHECK(http_in_flight(h) == 0);
	/* A client certificate needs its key and the reverse; a CA alone is fine. */
	T_CHECK(http_set_tls(h, NULL, "cart.pem", NULL) == HTTP_ERR_ARG);
	T_CHECK(http_set_tls(h, NULL, NULL, "cart.key") == HTTP_ERR_ARG);
	T_CHECK(http_set_tls(h, "ca.pem", NULL, NULL) == HTTP_OK);
	T_CHECK(http_set_tls(h, "ca.pem", "cart.pem", "cart.key") == HTTP_OK);
	T_CHECK(http_set_tls(NULL, NULL, NULL, NULL) == HTTP_ERR_ARG);
	http_free(&h);
}

struct api_res {
	int done;
	int got_result;
	struct api_error err;
	char first_name[64];
};

static void
on_worklist(struct net_worklist *w, const struct api_error *e, void *arg)
{
	struct api_res *a = arg;

	a->done++;
	if (w) {
		a->got_result = 1;
		if (w->n_patients)
			snprintf(a->first_name, sizeof a->first_name, "%s", w->patients[0].display_name);
		net_worklist_free(&w);
	} else
		a->err = *e;
}

static void
api_worklist_decodes_over_the_wire(void)
{
	struct peer p;
	struct api_res a = { 0 };
	struct http *h;
	const char *body = "{\"patients\":[{\"id\":\"p1\",\"mrn\":\"M1\",\"display_name\":\"Doe, Jane\","
	    "\"birth_date\":\"1970-01-01\",\"encounter_status\":\"active\"}],\"next_cursor\":null}";
	char resp[512];

	snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", strlen(body), body);
	T_CHECK(peer_start(&p, PEER_ANSWER, resp) == 0);
	h = client_for(p.port);
	T_CHECK(api_worklist(h, "tok", "a b&c", 20, on_worklist, &a, NULL) == API_OK);
	run_until(h, &a.done, 5000);
	T_CHECK(a.done == 1 && a.got_result);
	if (!a.got_result)
		printf("  error: %s\n", a.err.message);
	T_STREQ(a.first_name, "Doe, Jane");
	peer_stop(&p);
	T_CHECK(strstr(p.request, "GET /v1/worklist?limit=20&cursor=a%20b%26c HTTP/1.1") == p.request);
	http_free(&h);
}

static void
api_error_reports_step_up(void)
{
	struct peer p;
	struct api_res a = { 0 };
	struct http *h;
	const char *resp = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 67\r\nConnection: close\r\n"
	    "WWW-Authenticate: Bearer error=\"insufficient_user_authentication\", max_age=300\r\n\r\n"
	    "{\"error\":{\"code\":\"step_up_required\",\"message\":\"Tap with your PIN\"}}";

	T_CHECK(peer_start(&p, PEER_ANSWER, resp) == 0);
	h = client_for(p.port);
	T_CHECK(api_worklist(h, "tok", NULL, 0, on_worklist, &a, NULL) == API_OK);
	run_until(h, &a.done, 5000);
	T_CHECK(a.done == 1 && !a.got_result);
	T_CHECK(a.err.kind == API_ERROR_HTTP && a.err.status == 401);
	T_CHECK(a.err.step_up && a.err.step_up_max_age == 300);
	T_STREQ(a.err.code, "step_up_required");
	T_STREQ(a.err.message, "Tap with your PIN");
	peer_stop(&p);
	http_free(&h);
}

int
main(void)
{
	T_RUN(answer_carries_status_body_and_www_authenticate);
	T_RUN(silent_server_hits_deadline_without_blocking);
	T_RUN(huge_body_is_cut_off_at_cap);
	T_RUN(refused_connection_says_not_reachable);
	T_RUN(cancelled_request_never_calls_back);
	T_RUN(bad_arguments_are_refused);
	T_RUN(api_worklist_decodes_over_the_wire);
	T_RUN(api_error_reports_step_up);
	T_EXIT();
}
