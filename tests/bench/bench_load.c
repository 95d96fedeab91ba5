/* Server-side figures: the tap floor (one softkey assertion + one request) and request rates on chartgated. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "auth/assert.h"
#include "auth/softkey.h"
#include "common/b64url.h"
#include "net/api.h"
#include "tests/bench/stats.h"

struct opts {
	const char *url, *softkey, *workstation, *what;
	int badge, reps, warmup, conns, gap_ms, server_pid;
	double seconds;
};

static void
fail(const char *what, const char *why)
{
	fprintf(stderr, "bench_load: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

/* Runs the net/ loop (the client's own) until *done. */
static void
run_until(struct http *h, const int *done)
{
	struct pollfd fds[64];

	while (!*done) {
		size_t n = http_pollfds(h, fds, 64);
		int to = http_timeout_ms(h);

		poll(fds, n, to < 0 || to > 100 ? 100 : to);
		http_dispatch(h, fds, n);
	}
}

/* ---- one assertion, as the client's worker makes it: open the badge's device, assert, close ---- */

static void
assert_once(struct softkey *sk, int badge, const char *rp_id, const char *challenge,
    const char *origin, struct auth_assertion *out)
{
	fido_dev_t *dev = NULL;
	int r;

	if (softkey_dev_open(sk, badge, &dev) != SOFTKEY_OK)
		fail("softkey_dev_open", NULL);
	r = auth_get_assertion(dev, rp_id, challenge, origin, NULL, out, NULL);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	if (r != AUTH_OK)
		fail("auth_get_assertion", auth_strerror(r));
}

static struct softkey *
load_softkey(const char *path)
{
	struct softkey *sk = NULL;

	if (softkey_load(path, &sk) != SOFTKEY_OK)
		fail(path, softkey_last_detail());
	return sk;
}

/* ---- the floor ---- */

static void
on_health(struct net_health *res, const struct api_error *err, void *arg)
{
	if (err != NULL)
		fail("GET /v1/health", err->message);
	net_health_free(&res);
	*(int *)arg = 1;
}

static void
health_once(struct http *h)
{
	int done = 0;

	if (api_health(h, on_health, &done, NULL) != API_OK)
		fail("api_health", NULL);
	run_until(h, &done);
}

static int
run_floor(const struct opts *o)
{
	struct samples total = { 0 }, as = { 0 }, req = { 0 };
	struct softkey *sk = load_softkey(o->softkey);
	struct http *h = NULL;
	char origin[256];
	int i;

	if (http_new(&h, o->url, o->workstation) != HTTP_OK)
		fail("http_new", o->url);
	snprintf(origin, sizeof(origin), "chartgate:%s", o->workstation);
	health_once(h);		/* the client's connection is open by the time anyone taps */
	for (i = -o->warmup; i < o->reps; i++) {	/* i < 0: untimed, as bench_pty's warm-up */
		unsigned char raw[32];
		char *challenge;
		struct auth_assertion a;
		double t0, t1, t2;

		if (o->gap_ms > 0)
			bench_sleep_ms(o->gap_ms);
		RAND_bytes(raw, sizeof(raw));
		if ((challenge = b64url_encode_alloc(raw, sizeof(raw))) == NULL)
			fail("b64url", NULL);
		t0 = bench_now_ms();
		assert_once(sk, o->badge, softkey_rp_id(sk, (size_t)o->badge), challenge, origin, &a);
		t1 = bench_now_ms();
		health_once(h);
		t2 = bench_now_ms();
		auth_assertion_clear(&a);
		free(challenge);
		if (i < 0)
			continue;
		samples_add(&as, t1 - t0);
		samples_add(&req, t2 - t1);
		samples_add(&total, t2 - t0);
	}
	samples_json(stdout, "floor_assertion", "ms", &as);
	samples_json(stdout, "floor_request", "ms", &req);
	samples_json(stdout, "tap_floor", "ms", &total);
	samples_free(&as);
	samples_free(&req);
	samples_free(&total);
	http_free(&h);
	softkey_free(&sk);
	return 0;
}

/* ---- sign in through the client's net/ calls, for a token ---- */

struct login {
	struct http *h;
	struct softkey *sk;
	const struct opts *o;
	char *token;
	char patient_id[128];
	int done;
};

static void
on_session(struct net_session *res, const struct api_error *err, void *arg)
{
	struct login *l = arg;

	if (err != NULL)
		fail("POST /v1/auth/sessions", err->message);
	l->token = strdup(res->token);
	net_session_free(&res);
	l->done = 1;
}

static void
on_challenge(struct net_challenge *res, const struct api_error *err, void *arg)
{
	struct login *l = arg;
	struct auth_assertion a;
	struct api_assertion body;
	char origin[256];

	if (err != NULL)
		fail("POST /v1/auth/challenge", err->message);
	snprintf(origin, sizeof(origin), "chartgate:%s", l->o->workstation);
	assert_once(l->sk, l->o->badge, res->rp_id, res->challenge, origin, &a);
	body = (struct api_assertion){ a.credential_id, a.client_data_json, a.authenticator_data,
	    a.signature, a.user_handle };
	if (api_session_create(l->h, res->challenge_id, &body, on_session, l, NULL) != API_OK)
		fail("api_session_create", NULL);
	auth_assertion_clear(&a);
	net_challenge_free(&res);
}

static void
on_worklist(struct net_worklist *res, const struct api_error *err, void *arg)
{
	struct login *l = arg;

	if (err != NULL)
		fail("GET /v1/worklist", err->message);
	if (res->n_patients == 0)
		fail("GET /v1/worklist", "this badge has no patients");
	snprintf(l->patient_id, sizeof(l->patient_id), "%s", res->patients[0].id);
	net_worklist_free(&res);
	l->done = 1;
}

static void
login(struct login *l)
{
	if (http_new(&l->h, l->o->url, l->o->workstation) != HTTP_OK)
		fail("http_new", l->o->url);
	l->sk = load_softkey(l->o->softkey);
	if (api_challenge(l->h, NULL, "login", NULL, on_challenge, l, NULL) != API_OK)
		fail("api_challenge", NULL);
	run_until(l->h, &l->done);
	l->done = 0;
	if (api_worklist(l->h, l->token, NULL, 0, on_worklist, l, NULL) != API_OK)
		fail("api_worklist", NULL);
	run_until(l->h, &l->done);
}

/* ---- request rate: a closed loop of `conns` keep-alive connections ---- */

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* CPU seconds (user + system) pid has used so far; -1 if unreadable. */
static double
proc_cpu_s(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields 14 and 15, counted after the ")" that ends the command name */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
self_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where a rate's CPU went over the counted window: the server's per answered request
 * (what the rate would be if the server had the machine to itself) and this load
 * generator's share of a core (near 1: the figure is the generator's, not the server's). */
static void
cpu_json(const struct opts *o, const char *prefix, long ok, const double srv[2],
    const double self[2])
{
	char name[64];

	if (o->server_pid > 0 && srv[0] >= 0 && srv[1] >= srv[0] && ok > 0) {
		snprintf(name, sizeof(name), "%s_server_cpu_us", prefix);
		value_json(stdout, name, "us", (srv[1] - srv[0]) * 1e6 / (double)ok);
	}
	snprintf(name, sizeof(name), "%s_loadgen_cores", prefix);
	value_json(stdout, name, "cores", (self[1] - self[0]) / o->seconds);
}

static int
run_rate(const struct opts *o)
{
	struct login l = { .o = o };
	struct curl_slist *hdrs = NULL;
	char url[1024], line[4200];
	CURLM *m;
	CURL **e;
	double start, t_end, counted_from, srv[2] = { -1, -1 }, self[2] = { 0, 0 };
	long ok = 0, bad = 0;
	int i, running, left, counting = 0;
	const char *name, *prefix;

	if (strcmp(o->what, "health") == 0) {
		snprintf(url, sizeof(url), "%s/v1/health", o->url);
		name = "health_per_s";
		prefix = "health";
	} else {
		login(&l);
		snprintf(url, sizeof(url), "%s/v1/patients/%s/chart?purpose=TREAT", o->url, l.patient_id);
		snprintf(line, sizeof(line), "Authorization: Bearer %s", l.token);
		hdrs = curl_slist_append(hdrs, line);
		name = "decisions_per_s";
		prefix = "decision";
	}
	snprintf(line, sizeof(line), "Workstation-Id: %s", o->workstation);
	hdrs = curl_slist_append(hdrs, line);
	m = curl_multi_init();
	e = calloc((size_t)o->conns, sizeof(*e));
	for (i = 0; i < o->conns; i++) {
		e[i] = curl_easy_init();
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e[i], CURLOPT_NOSIGNAL, 1L);
		curl_multi_add_handle(m, e[i]);
	}
	start = bench_now_ms();
	counted_from = start + 500;	/* connections up, caches warm */
	t_end = counted_from + o->seconds * 1000;
	while (bench_now_ms() < t_end) {
		CURLMsg *msg;

		if (!counting && bench_now_ms() >= counted_from) {
			counting = 1;
			srv[0] = o->server_pid > 0 ? proc_cpu_s(o->server_pid) : -1;
			self[0] = self_cpu_s();
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			long code = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			if (bench_now_ms() >= counted_from) {
				if (msg->data.result == CURLE_OK && code == 200)
					ok++;
				else
					bad++;
			}
			curl_multi_remove_handle(m, msg->easy_handle);
			curl_multi_add_handle(m, msg->easy_handle);
		}
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	srv[1] = o->server_pid > 0 ? proc_cpu_s(o->server_pid) : -1;
	self[1] = self_cpu_s();
	value_json(stdout, name, "req/s", (double)ok / o->seconds);
	cpu_json(o, prefix, ok, srv, self);
	if (bad > 0)
		fprintf(stderr, "bench_load: %ld requests of %s did not answer 200\n", bad, name);
	for (i = 0; i < o->conns; i++) {
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	free(e);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
	free(l.token);
	http_free(&l.h);
	softkey_free(&l.sk);
	return bad > ok / 100 ? 1 : 0;	/* more than 1% failures: the figure means nothing */
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench_load floor --url URL --softkey FILE [--badge N] [--workstation ID] [--reps N]\n"
	    "                  [--gap MS]   (idle before each rep, as the client's taps have)\n"
	    "                  [--warmup N] (untimed reps first, default 1)\n"
	    "       bench_load rate --url URL --what chart|health [--softkey FILE] [--badge N]\n"
	    "                  [--workstation ID] [--seconds S] [--conns N] [--server-pid PID]\n"
	    "Prints one JSON line per figure.\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o = { .workstation = "cart-4w-01", .what = "chart", .reps = 30, .warmup = 1, .conns = 16,
	    .seconds = 3 };
	int i, rc = 2;

	if (argc < 2)
		usage();
	for (i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (strcmp(k, "--url") == 0) o.url = v;
		else if (strcmp(k, "--softkey") == 0) o.softkey = v;
		else if (strcmp(k, "--workstation") == 0) o.workstation = v;
		else if (strcmp(k, "--what") == 0) o.what = v;
		else if (strcmp(k, "--badge") == 0) o.badge = atoi(v);
		else if (strcmp(k, "--reps") == 0) o.reps = atoi(v);
		else if (strcmp(k, "--gap") == 0) o.gap_ms = atoi(v);
		else if (strcmp(k, "--warmup") == 0) o.warmup = atoi(v);
		else if (strcmp(k, "--conns") == 0) o.conns = atoi(v);
		else if (strcmp(k, "--seconds") == 0) o.seconds = atof(v);
		else if (strcmp(k, "--server-pid") == 0) o.server_pid = atoi(v);
		else usage();
	}
	if (i != argc || o.url == NULL || o.reps < 1 || o.warmup < 0 || o.conns < 1 || o.seconds <= 0)
		usage();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(argv[1], "floor") == 0 && o.softkey != NULL)
		rc = run_floor(&o);
	else if (strcmp(argv[1], "rate") == 0 && (o.softkey != NULL || strcmp(o.what, "health") == 0))
		rc = run_rate(&o);
	else
		usage();
	curl_global_cleanup();
	return rc;
}
