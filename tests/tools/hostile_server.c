/* A scriptable hostile chartgated for terminal tests: just enough of the API for a tap-in, with one answer poisoned by --mode. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/b64url.h"

static const char usage[] =
    "usage: hostile_server [--port N] [--mode MODE] [--on ENDPOINT]\n"
    "  Listens on 127.0.0.1:N (0 = any free port; the port is printed as \"PORT N\").\n"
    "  Accepts ANY assertion. MODE poisons the ENDPOINT's answer:\n"
    "    ok          nothing poisoned\n"
    "    esc         ESC/CSI/OSC sequences and C1 controls in every shown string (all endpoints)\n"
    "    bidi        U+202E / U+2066 bidi overrides in every shown string (all endpoints)\n"
    "    esc-error   a 403 whose error message carries ESC/OSC/C1/bidi\n"
    "    bad-utf8    raw invalid UTF-8 bytes inside a JSON string\n"
    "    overlong    raw overlong UTF-8 forms (C0 AF, E0 80 AF) inside a JSON string\n"
    "    huge        a 100 MB body\n"
    "    deep        JSON nested 10,000 levels deep\n"
    "    wrong-type  the first string field of the answer is a number\n"
    "    missing     the first field of the answer is left out\n"
    "    truncated   Content-Length promises more than is sent, then close\n"
    "    reset       the connection is reset (RST) instead of an answer\n"
    "    hang        the request is read and never answered\n"
    "    trickle     the answer is sent one byte a second\n"
    "  ENDPOINT: challenge | session | me | worklist | chart (default worklist)\n";

enum ep { EP_OTHER, EP_CHALLENGE, EP_SESSION, EP_ME, EP_WORKLIST, EP_CHART, EP_DELETE, EP_HEALTH };
static const char *const ep_names[] = { "other", "challenge", "session", "me", "worklist", "chart",
	"delete", "health" };

static const char *mode = "ok";
static enum ep target = EP_WORKLIST;

/* Everything a terminal must never execute, in both spellings the wire allows:
 * JSON escapes (jansson turns them into raw bytes) and raw UTF-8 (C1 U+009B,
 * U+202E) that is valid JSON as it stands. */
#define POISON_ESC "\x1b[2J\x1b]0;pwned\x07\xc2\x9b" "31m\x1b[31mred"
#define POISON_BIDI "\xe2\x80\xae" "evil\xe2\x81\xa6" "txt"

static int
is_mode(const char *m)
{
	return strcmp(mode, m) == 0;
}

/* A string the client will show: poisoned in the modes that poison all text. */
static json_t *
shown(const char *benign)
{
	char buf[512];

	if (is_mode("esc"))
		snprintf(buf, sizeof(buf), "%s " POISON_ESC, benign);
	else if (is_mode("bidi"))
		snprintf(buf, sizeof(buf), POISON_BIDI " %s", benign);
	else
		snprintf(buf, sizeof(buf), "%s", benign);
	return json_string(buf);
}

static void
rfc3339(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *
user_obj(const char *user_id)
{
	return json_pack("{s:s, s:o, s:[s]}", "id", user_id, "display_name", shown("Test Nurse"),
	    "roles", "nurse");
}

/* The benign answer of each endpoint, in the shapes docs/api.md gives. */
static json_t *
answer(enum ep ep, const char *user_id)
{
	static const char *const names[] = { "Alma Drummond", "Bruno Keller", "Carla Mendes",
		"Dmitri Volkov", "Esther Abara" };
	unsigned char raw[32];
	char b64[64], now[32], later[32], id[16];
	json_t *arr, *o;
	size_t i;

	rfc3339(time(NULL), now);
	rfc3339(time(NULL) + 3600, later);
	switch (ep) {
	case EP_CHALLENGE:
		for (i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)rand();
		b64url_encode(raw, sizeof(raw), b64);
		return json_pack("{s:s, s:s, s:s, s:s, s:i}", "challenge_id", "ch-hostile",
		    "challenge", b64, "rp_id", "chartgate.local", "user_verification", "discouraged",
		    "expires_in", 60);
	case EP_SESSION:
		return json_pack("{s:s, s:s, s:s, s:b, s:o}",
		    "token", "hostilehostilehostilehostilehostilehostilex",
		    "session_id", "s-hostile", "expires_at", later, "resumed", 0,
		    "user", user_obj(user_id));
	case EP_ME:
		return json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s}, s:[{s:s, s:o}, {s:s, s:o}]}",
		    "user", user_obj(user_id),
		    "session", "id", "s-hostile", "workstation", "cart-4w-01", "created_at", now,
		    "expires_at", later, "idle_expires_at", later,
		    "purposes", "code", "TREAT", "display", shown("Treatment"),
		    "code", "COC", "display", shown("Coordination of care"));
	case EP_WORKLIST:
		arr = json_array();
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(id, sizeof(id), "p-%04zu", i + 1);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:s}",
			    "id", id, "mrn", "MRN4100100", "display_name", shown(names[i]),
			    "birth_date", "1935-01-01", "sex", "female", "location", shown("4W-01"),
			    "unit", "4W Medicine", "encounter_status", "in-progress"));
		}
		return json_pack("{s:o, s:n}", "patients", arr, "next_cursor");
	case EP_CHART:
		o = json_pack("{s:{s:s, s:s, s:o, s:s, s:s, s:[]}, s:{s:s, s:s},"
		    " s:[{s:s, s:o, s:s, s:[], s:n, s:[{s:o, s:o, s:s}]},"
		    "    {s:s, s:s, s:s, s:[s], s:s, s:[]}]}",
		    "patient", "id", "p-0001", "mrn", "MRN4100100", "display_name", shown("Alma Drummond"),
		    "birth_date", "1935-01-01", "sex", "female", "flags",
		    "access", "path", "care-team", "purpose", "TREAT",
		    "sections",
		    "id", "p-0001-meds", "title", shown("Medications"), "confidentiality", "N",
		    "sensitivity", "gated", "items", "label", shown("Scheduled"),
		    "value", shown("Metoprolol 25 mg"), "time", now,
		    "id", "p-0001-mh", "title", "Mental health", "confidentiality", "R",
		    "sensitivity", "MH", "gated", "step_up", "items");
		return o;
	default:
		return json_pack("{s:s, s:s}", "status", "ok", "version", "hostile");
	}
}

/* ---- socket helpers ---- */

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
send_head(int fd, int status, const char *reason, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nX-Request-Id: req-hostile\r\n\r\n", status, reason, len);

	return send_all(fd, head, (size_t)n);
}

static int
send_reply(int fd, int status, const char *body, size_t len)
{
	const char *reason = status == 200 ? "OK" : status == 201 ? "Created" :
	    status == 204 ? "No Content" : status == 403 ? "Forbidden" : "Not Found";

	if (send_head(fd, status, reason, len) != 0)
		return -1;
	return send_all(fd, body, len);
}

/* Reads one request (head + Content-Length body) into buf; returns the body
 * offset, 0 on EOF or error. Bodies over the buffer are cut: we never need them. */
static size_t
read_request(int fd, char *buf, size_t size, size_t *total)
{
	size_t got = 0, need;
	char *end, *cl;
	ssize_t r;

	for (;;) {
		if (got + 1 >= size)
			return 0;
		if ((r = recv(fd, buf + got, size - 1 - got, 0)) <= 0)
			return 0;
		got += (size_t)r;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	need = (size_t)(end + 4 - buf);
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (cl != NULL && cl < end)
		need += strtoul(cl + 17, NULL, 10);
	while (got < need && got + 1 < size) {
		if ((r = recv(fd, buf + got, size - 1 - got, 0)) <= 0)
			return 0;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*total = got;
	return (size_t)(end + 4 - buf);
}

static enum ep
route(const char *req)
{
	if (strncmp(req, "POST /v1/auth/challenge ", 24) == 0)
		return EP_CHALLENGE;
	if (strncmp(req, "POST /v1/auth/sessions ", 23) == 0)
		return EP_SESSION;
	if (strncmp(req, "GET /v1/health ", 15) == 0)
		return EP_HEALTH;
	if (strncmp(req, "DELETE /v1/auth/sessions/", 25) == 0)
		return EP_DELETE;
	if (strncmp(req, "GET /v1/me ", 11) == 0)
		return EP_ME;
	if (strncmp(req, "GET /v1/worklist", 16) == 0)
		return EP_WORKLIST;
	if (strncmp(req, "GET /v1/patients/", 17) == 0 && strstr(req, "/chart") != NULL)
		return EP_CHART;
	return EP_OTHER;
}

/* The tapper's user id from the assertion's user_handle, so the title bar
 * names whoever tapped; any assertion is accepted. */
static void
user_of(const char *body, char *out, size_t outsz)
{
	json_t *o = json_loads(body, 0, NULL);
	const char *uh = json_string_value(json_object_get(o, "user_handle"));
	unsigned char *raw;
	size_t n;

	snprintf(out, outsz, "u-hostile");
	if (uh != NULL && (raw = b64url_decode_alloc(uh, &n)) != NULL) {
		if (n > 0 && n < outsz && memchr(raw, 0, n) == NULL)
			snprintf(out, outsz, "%.*s", (int)n, (const char *)raw);
		free(raw);
	}
	json_decref(o);
}

/* ---- the poisons that change the bytes, not the strings ---- */

/* Inserts raw bytes right after the first string value's opening quote
 * (compact JSON: "key":"value"). */
static char *
splice_raw(const char *json, const char *raw)
{
	const char *at = strstr(json, "\":\"");
	size_t pre, n = strlen(json) + strlen(raw) + 1;
	char *out;

	if (at == NULL || (out = malloc(n)) == NULL)
		return NULL;
	pre = (size_t)(at + 3 - json);
	memcpy(out, json, pre);
	strcpy(out + pre, raw);
	strcat(out, at + 3);
	return out;
}

/* wrong-type: the first string found depth-first becomes 42; missing: the
 * first top-level field (required in every answer) goes. */
static int
mutate(json_t *v)
{
	const char *k;
	json_t *c;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, c) {
			if (json_is_string(c))
				return json_object_set_new(v, k, json_integer(42)) == 0;
			if (mutate(c))
				return 1;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c) {
			if (json_is_string(c))
				return json_array_set_new(v, i, json_integer(42)) == 0;
			if (mutate(c))
				return 1;
		}
	}
	return 0;
}

static void
send_huge(int fd)
{
	static char chunk[65536];
	const size_t total = 100u * 1024 * 1024;
	size_t sent = 0, n;

	memset(chunk, 'A', sizeof(chunk));
	memcpy(chunk, "{\"patients\":[{\"id\":\"", 20);
	if (send_head(fd, 200, "OK", total) != 0)
		return;
	while (sent < total) {
		n = total - sent < sizeof(chunk) ? total - sent : sizeof(chunk);
		if (send_all(fd, chunk, n) != 0)
			return;		/* the client gave up: that is the point */
		chunk[0] = 'A';
		memcpy(chunk, "AAAAAAAAAAAAAAAAAAAA", 20);
		sent += n;
	}
}

static char *
deep_json(void)
{
	const size_t depth = 10000;
	char *p = malloc(2 * depth + 16);

	if (p == NULL)
		return NULL;
	strcpy(p, "{\"patients\":");
	memset(p + 12, '[', depth);
	memset(p + 12 + depth, ']', depth);
	strcpy(p + 12 + 2 * depth, "}");
	return p;
}

/* Answers one request of kind ep; returns -1 when the connection must end. */
static int
serve(int fd, enum ep ep, const char *body)
{
	char user[128], *text = NULL, *raw = NULL;
	int status = ep == EP_SESSION ? 201 : 200, rc = 0;
	int poison = ep == target;
	json_t *v;
	size_t i, n;

	if (ep == EP_DELETE)
		return send_reply(fd, 204, "", 0);
	if (ep == EP_OTHER)
		return send_reply(fd, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such route\"}}", 56);
	if (poison && is_mode("hang")) {
		/* Read nothing more, answer nothing: wait for the client to give up. */
		while (recv(fd, user, sizeof(user), 0) > 0)
			;
		return -1;
	}
	if (poison && is_mode("reset")) {
		struct linger l = { 1, 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		return -1;
	}
	if (poison && is_mode("huge")) {
		send_huge(fd);
		return -1;
	}
	user_of(body, user, sizeof(user));
	v = answer(ep, user);
	if (poison && is_mode("esc-error")) {
		json_decref(v);
		v = json_pack("{s:{s:s, s:s}}", "error", "code", "forbidden",
		    "message", "Denied " POISON_ESC " " POISON_BIDI);
		status = 403;
	}
	if (poison && is_mode("wrong-type"))
		mutate(v);
	if (poison && is_mode("missing") && json_object_size(v) > 0)
		json_object_del(v, json_object_iter_key(json_object_iter(v)));
	text = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(v);
	if (text == NULL)
		return -1;
	if (poison && (is_mode("bad-utf8") || is_mode("overlong"))) {
		/* Stray bytes, a surrogate, a 5-byte form, a cut sequence; or overlong '/'. */
		raw = splice_raw(text, is_mode("bad-utf8") ?
		    "\xff\xfe bad \xed\xa0\x80 \xf8\x88\x80\x80\x80 \xc3" :
		    "\xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf \xc1\xbf");
		free(text);
		if ((text = raw) == NULL)
			return -1;
	}
	if (poison && is_mode("deep")) {
		free(text);
		if ((text = deep_json()) == NULL)
			return -1;
	}
	n = strlen(text);
	if (poison && is_mode("truncated")) {
		rc = send_head(fd, status, "OK", n) == 0 ? send_all(fd, text, n / 2) : -1;
		free(text);
		return -1;
	}
	if (poison && is_mode("trickle")) {
		rc = send_head(fd, status, "OK", n);
		for (i = 0; rc == 0 && i < n; i++) {
			rc = send_all(fd, text + i, 1);
			sleep(1);
		}
		free(text);
		return -1;
	}
	rc = send_reply(fd, status, text, n);
	free(text);
	return rc;
}

static void *
conn_main(void *arg)
{
	int fd = (int)(long)arg;
	char *buf = malloc(256 * 1024);
	size_t off, total;
	enum ep ep;

	while (buf != NULL && (off = read_request(fd, buf, 256 * 1024, &total)) > 0) {
		ep = route(buf);
		fprintf(stderr, "hostile_server: %.*s -> %s%s\n", (int)strcspn(buf, "\r"), buf,
		    ep_names[ep], ep == target ? " (poisoned)" : "");
		if (serve(fd, ep, buf + off) != 0)
			break;
	}
	free(buf);
	close(fd);
	return NULL;
}

static int
parse_args(int argc, char **argv, int *port)
{
	size_t j;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			*port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc)
			mode = argv[++i];
		else if (strcmp(argv[i], "--on") == 0 && i + 1 < argc) {
			i++;
			for (j = EP_CHALLENGE; j <= EP_CHART; j++)
				if (strcmp(argv[i], ep_names[j]) == 0)
					target = (enum ep)j;
			if (strcmp(argv[i], ep_names[target]) != 0)
				return -1;
		} else
			return -1;
	}
	return strstr(usage, mode) != NULL && *mode != '\0' ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	pthread_attr_t attr;
	pthread_t t;
	int lfd, fd, port = 0, one = 1;

	if (parse_args(argc, argv, &port) != 0) {
		fputs(usage, stderr);
		return 2;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)port);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 64) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0) {
		perror("hostile_server: listen");
		return 1;
	}
	printf("PORT %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("hostile_server: accept");
			return 1;
		}
		if (pthread_create(&t, &attr, conn_main, (void *)(long)fd) != 0)
			close(fd);
	}
}
