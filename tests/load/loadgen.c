/* Load generator: N simulated carts tap in, read worklists, charts and sections, step up, search; reports throughput, latency and audit rows vs decisions. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "auth/assert.h"
#include "auth/device.h"
#include "auth/softkey.h"

#define PIN "1234"
#define RP_DEFAULT "chartgate.local"
#define PATIENTS_MAX 16

/* The demo clinicians and the unit their patients lie on (seed.c). */
static const struct {
	const char *user, *unit;
} clinicians[] = {
	{ "u-nurse-ana", "u-4w" }, { "u-nurse-ben", "u-4w" }, { "u-nurse-chloe", "u-5e" },
	{ "u-nurse-dev", "u-icu" }, { "u-phys-elena", "u-4w" }, { "u-phys-farid", "u-5e" },
	{ "u-phys-grace", "u-icu" }, { "u-phys-hugo", "u-4w" },
};
#define NBADGES (sizeof(clinicians) / sizeof(clinicians[0]))

/* What a cart does next. */
enum step { TAP_CHALLENGE, TAP, WORKLIST, CHART, SECTION, SU_CHALLENGE, STEP_UP, SEARCH };
/* Which answers are access decisions (each must be an audit row). */
static const int decision_step[] = { [CHART] = 1, [SECTION] = 1, [STEP_UP] = 1, [SEARCH] = 1 };

struct badge {
	fido_dev_t *dev;
	int busy;		/* an assertion of this badge is in flight: sign counts must arrive in order */
};

struct cart {
	int id;
	char ws[32];
	struct badge *badge;
	size_t badge_ix;
	CURL *h;
	struct curl_slist *hdrs;
	enum step step;
	char *body;		/* request body (owned) */
	char *resp;
	size_t resp_len;
	char request_id[48];
	double t0;
	char token[64];
	char challenge_id[64], challenge[128];
	char patients[PATIENTS_MAX][32];
	size_t npatients, next_patient;
	char patient[32], section[64];
	double wait_until;	/* backoff after a failed request */
};

static struct {
	const char *url, *softkey, *db, *acked, *rp;
	int carts;
	double seconds;
	int verify;
} opt = { NULL, NULL, NULL, NULL, RP_DEFAULT, 200, 30, 1 };

static struct badge badges[NBADGES];
static double *lat;
static size_t nlat, caplat;
static unsigned long decisions, by_status[600], failures;
static FILE *acked;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* A string member of j, or "". */
static const char *
str(const json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));

	return v ? v : "";
}

static size_t
on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct cart *c = arg;
	char *nb = realloc(c->resp, c->resp_len + sz * n + 1);

	if (nb == NULL)
		return 0;
	memcpy(nb + c->resp_len, p, sz * n);
	c->resp = nb;
	c->resp_len += sz * n;
	c->resp[c->resp_len] = '\0';
	return sz * n;
}

static size_t
on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct cart *c = arg;
	size_t len = sz * n;

	if (len > 14 && strncasecmp(p, "X-Request-Id: ", 14) == 0)
		snprintf(c->request_id, sizeof(c->request_id), "%.*s", (int)strcspn(p + 14, "\r\n"), p + 14);
	return len;
}

/* Queue the cart's request: METHOD path with (owned) body, or NULL. */
static void
send_req(CURLM *m, struct cart *c, const char *method, char *body, const char *fmt, ...)
{
	char path[256], url[512], auth[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(url, sizeof(url), "%s%s", opt.url, path);
	curl_slist_free_all(c->hdrs);
	c->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	{
		char ws[64];

		snprintf(ws, sizeof(ws), "Workstation-Id: %s", c->ws);
		c->hdrs = curl_slist_append(c->hdrs, ws);
	}
	if (c->token[0] != '\0') {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
		c->hdrs = curl_slist_append(c->hdrs, auth);
	}
	free(c->body);
	c->body = body;
	free(c->resp);
	c->resp = NULL;
	c->resp_len = 0;
	c->request_id[0] = '\0';
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	if (body != NULL) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	c->t0 = now_s();
	curl_multi_add_handle(m, c->h);
}

static char *
dupf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* An assertion body of the cart's badge for the challenge in hand; NULL on failure. */
static char *
assertion_body(struct cart *c, const char *pin)
{
	struct auth_assertion as = { 0 };
	char origin[64], *json, *out = NULL;
	int retries;

	snprintf(origin, sizeof(origin), "chartgate:%s", c->ws);
	if (auth_get_assertion(c->badge->dev, opt.rp, c->challenge, origin, pin, &as, &retries) != AUTH_OK)
		return NULL;
	if ((json = auth_assertion_to_json(&as)) != NULL)
		out = dupf("%.*s,\"challenge_id\":\"%s\"}", (int)strlen(json) - 1, json, c->challenge_id);
	free(json);
	auth_assertion_clear(&as);
	return out;
}

/* Start the cart's current step; a step that needs the badge waits for it. */
static void
start(CURLM *m, struct cart *c)
{
	char *b;

	switch (c->step) {
	case TAP_CHALLENGE:
	case SU_CHALLENGE:
		if (c->badge->busy) {	/* someone else holds this badge: read instead */
			if (c->step == SU_CHALLENGE) {
				c->step = WORKLIST;
				start(m, c);
			}
			return;
		}
		c->badge->busy = 1;
		if (c->step == TAP_CHALLENGE)
			send_req(m, c, "POST", strdup("{\"purpose\":\"login\"}"), "/v1/auth/challenge");
		else
			send_req(m, c, "POST", dupf("{\"purpose\":\"step_up\",\"patient_id\":\"%s\"}",
			    c->patient), "/v1/auth/challenge");
		return;
	case TAP:
	case STEP_UP:
		if ((b = assertion_body(c, c->step == STEP_UP ? PIN : NULL)) == NULL)
			die("cart %d: the softkey gave no assertion", c->id);
		if (c->step == TAP)
			send_req(m, c, "POST", b, "/v1/auth/sessions");
		else
			send_req(m, c, "POST", b, "/v1/auth/step-up");
		return;
	case WORKLIST:
		send_req(m, c, "GET", NULL, "/v1/worklist");
		return;
	case CHART:
		if (c->npatients == 0) {
			c->step = SEARCH;
			start(m, c);
			return;
		}
		snprintf(c->patient, sizeof(c->patient), "%s", c->patients[c->next_patient++ % c->npatients]);
		send_req(m, c, "GET", NULL, "/v1/patients/%s/chart?purpose=TREAT", c->patient);
		return;
	case SECTION:
		send_req(m, c, "GET", NULL, "/v1/patients/%s/chart/sections/%s?purpose=TREAT",
		    c->patient, c->section);
		return;
	case SEARCH:
		send_req(m, c, "GET", NULL, "/v1/patients?q=%s", c->id % 2 ? "Ort" : "son");
		return;
	}
}

/* The first gated section of a chart answer, else the first section; "" when none. */
static void
pick_section(struct cart *c, json_t *chart)
{
	json_t *secs = json_object_get(chart, "sections"), *s;
	size_t i;

	c->section[0] = '\0';
	json_array_foreach(secs, i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));

		if (id == NULL)
			continue;
		if (c->section[0] == '\0' || json_is_string(json_object_get(s, "gated")))
			snprintf(c->section, sizeof(c->section), "%s", id);
		if (json_is_string(json_object_get(s, "gated")))
			return;
	}
}

/* A reply arrived (status 0: no answer at all): record it and choose the next step. */
static void
done(struct cart *c, long status)
{
	json_t *j = c->resp ? json_loads(c->resp, 0, NULL) : NULL;
	enum step was = c->step;
	size_t i;

	if (status == 0) {
		failures++;
		if (was == TAP || was == STEP_UP || was == TAP_CHALLENGE || was == SU_CHALLENGE)
			c->badge->busy = 0;
		c->step = c->token[0] ? WORKLIST : TAP_CHALLENGE;
		c->wait_until = now_s() + 0.2;
		json_decref(j);
		return;
	}
	if (status < 600)
		by_status[status]++;
	if (decision_step[was] && c->request_id[0] != '\0') {
		decisions++;
		if (acked != NULL)
			fprintf(acked, "%s\n", c->request_id);
	}
	switch (was) {
	case TAP_CHALLENGE:
	case SU_CHALLENGE:
		if (status != 200) {
			c->badge->busy = 0;
			c->step = was == TAP_CHALLENGE ? TAP_CHALLENGE : WORKLIST;
			c->wait_until = now_s() + 1.0;
			break;
		}
		snprintf(c->challenge_id, sizeof(c->challenge_id), "%s",
		    str(j, "challenge_id"));
		snprintf(c->challenge, sizeof(c->challenge), "%s",
		    str(j, "challenge"));
		c->step = was == TAP_CHALLENGE ? TAP : STEP_UP;
		break;
	case TAP:
		c->badge->busy = 0;
		if (status == 200 || status == 201) {
			snprintf(c->token, sizeof(c->token), "%s",
			    str(j, "token"));
			c->step = WORKLIST;
		} else {
			c->step = TAP_CHALLENGE;
			c->wait_until = now_s() + 1.0;
		}
		break;
	case STEP_UP:
		c->badge->busy = 0;
		c->step = status == 200 ? SECTION : WORKLIST;
		break;
	case WORKLIST:
		c->npatients = 0;
		if (status == 200) {
			json_t *p;

			json_array_foreach(json_object_get(j, "patients"), i, p) {
				const char *id = json_string_value(json_object_get(p, "id"));

				if (id == NULL)
					id = json_string_value(json_object_get(json_object_get(p, "patient"), "id"));
				if (id != NULL && c->npatients < PATIENTS_MAX)
					snprintf(c->patients[c->npatients++], sizeof(c->patients[0]), "%s", id);
			}
		}
		c->step = CHART;
		break;
	case CHART:
		pick_section(c, j);
		c->step = status == 200 && c->section[0] ? SECTION : SEARCH;
		break;
	case SECTION:
		/* 401 step_up_required: confirm with the PIN, then read it again. */
		c->step = status == 401 ? SU_CHALLENGE : (c->next_patient % 3 == 0 ? SEARCH : CHART);
		break;
	case SEARCH:
		c->step = WORKLIST;
		break;
	}
	if (status == 401 && was != SECTION && was != TAP && was != STEP_UP) {
		c->token[0] = '\0';	/* the session is gone: tap again */
		c->step = TAP_CHALLENGE;
	}
	json_decref(j);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
pct(double p)
{
	size_t i = (size_t)ceil(p / 100.0 * (double)nlat);

	return nlat == 0 ? 0 : lat[i == 0 ? 0 : i - 1];
}

static void
usage(void)
{
	fputs("usage: loadgen --url http://127.0.0.1:PORT --softkey FILE [--db FILE] [--carts N]\n"
	    "               [--seconds S] [--acked FILE] [--rp ID] [--no-verify]\n", stderr);
	exit(2);
}

static void
parse(int argc, char **argv)
{
	static const struct option o[] = {
		{ "url", 1, NULL, 'u' }, { "softkey", 1, NULL, 'k' }, { "db", 1, NULL, 'd' },
		{ "carts", 1, NULL, 'n' }, { "seconds", 1, NULL, 's' }, { "acked", 1, NULL, 'a' },
		{ "rp", 1, NULL, 'r' }, { "no-verify", 0, NULL, 'V' }, { NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", o, NULL)) != -1) {
		switch (ch) {
		case 'u': opt.url = optarg; break;
		case 'k': opt.softkey = optarg; break;
		case 'd': opt.db = optarg; break;
		case 'n': opt.carts = atoi(optarg); break;
		case 's': opt.seconds = atof(optarg); break;
		case 'a': opt.acked = optarg; break;
		case 'r': opt.rp = optarg; break;
		case 'V': opt.verify = 0; break;
		default: usage();
		}
	}
	if (opt.url == NULL || opt.softkey == NULL || opt.carts < 1 || opt.carts > 5000 ||
	    opt.seconds <= 0 || opt.seconds > 3600)
		usage();
	/* Load on someone's real server is an attack: loopback only. */
	if (strncmp(opt.url, "http://127.0.0.1:", 17) != 0 || strchr(opt.url + 17, '/') != NULL)
		die("refusing %s: only http://127.0.0.1:PORT is allowed", opt.url);
}

/* Workstations load-NNN on each cart's clinician's unit, so care-team reads permit. */
static void
db_workstations(sqlite3 *db)
{
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO workstations (id, unit_id, label)"
	    " VALUES (printf('load-%03d', ?1), ?2, 'load cart')", -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", opt.db, sqlite3_errmsg(db));
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < opt.carts; i++) {
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, clinicians[i % NBADGES].unit, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("%s: %s", opt.db, sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("%s: %s", opt.db, sqlite3_errmsg(db));
}

static sqlite3_int64
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define DECISION_KINDS "kind IN ('chart','section','step-up','break-glass','search')"

int
main(int argc, char **argv)
{
	struct softkey *sk = NULL;
	struct cart *carts;
	sqlite3 *db = NULL;
	sqlite3_int64 seq0 = 0;
	CURLM *m;
	CURLMsg *msg;
	double t_start, t_end, elapsed;
	int i, running, left, rc = 0;
	size_t b;
	char sql[256];

	parse(argc, argv);
	if (softkey_load(opt.softkey, &sk) != SOFTKEY_OK)
		die("%s: cannot load the softkey", opt.softkey);
	for (b = 0; b < NBADGES; b++) {
		int ix = softkey_find_user(sk, clinicians[b].user);

		if (ix < 0 || auth_device_open(sk, ix, &badges[b].dev) != 0)
			die("%s: no badge for %s", opt.softkey, clinicians[b].user);
	}
	if (opt.db != NULL) {
		if (sqlite3_open(opt.db, &db) != SQLITE_OK)
			die("%s: cannot open", opt.db);
		sqlite3_busy_timeout(db, 5000);
		db_workstations(db);
		seq0 = db_int(db, "SELECT coalesce(max(seq), 0) FROM audit");
	}
	if (opt.acked != NULL && (acked = fopen(opt.acked, "w")) == NULL)
		die("%s: %s", opt.acked, strerror(errno));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opt.carts);
	if ((carts = calloc((size_t)opt.carts, sizeof(*carts))) == NULL)
		die("out of memory");
	for (i = 0; i < opt.carts; i++) {
		struct cart *c = &carts[i];

		c->id = i;
		snprintf(c->ws, sizeof(c->ws), "load-%03d", i);
		c->badge_ix = (size_t)i % NBADGES;
		c->badge = &badges[c->badge_ix];
		c->h = curl_easy_init();
		curl_easy_setopt(c->h, CURLOPT_PRIVATE, c);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
		curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c->h, CURLOPT_HEADERDATA, c);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, 10000L);
		curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
		c->step = TAP_CHALLENGE;
	}
	t_start = now_s();
	t_end = t_start + opt.seconds;
	for (;;) {
		double t = now_s();
		int idle = 0;

		/* Carts with nothing in flight start their next step, until time is up. */
		for (i = 0; i < opt.carts && t < t_end; i++) {
			struct cart *c = &carts[i];

			if (c->t0 == 0 && c->wait_until <= t)	/* t0 != 0: a request in flight */
				start(m, c);
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct cart *c;
			long status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
			if (msg->data.result == CURLE_OK)
				curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
			curl_multi_remove_handle(m, c->h);
			if (status != 0) {
				if (nlat == caplat) {
					caplat = caplat ? 2 * caplat : 4096;
					if ((lat = realloc(lat, caplat * sizeof(*lat))) == NULL)
						die("out of memory");
				}
				lat[nlat++] = (now_s() - c->t0) * 1000.0;
			}
			c->t0 = 0;
			done(c, status);
			idle++;
		}
		if (t >= t_end && running == 0)
			break;
		if (!idle)
			curl_multi_poll(m, NULL, 0, 20, NULL);
	}
	elapsed = now_s() - t_start;
	if (acked != NULL)
		fclose(acked);
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	printf("loadgen: %d carts, %.1f s: %zu requests, %.0f requests/s, %lu without an answer\n",
	    opt.carts, elapsed, nlat, (double)nlat / elapsed, failures);
	printf("loadgen: latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f\n", pct(50), pct(95), pct(99),
	    nlat ? lat[nlat - 1] : 0.0);
	printf("loadgen: answers");
	for (i = 0; i < 600; i++)
		if (by_status[i])
			printf(" %d:%lu", i, by_status[i]);
	printf("\nloadgen: decisions seen %lu\n", decisions);
	if (db != NULL && opt.verify) {
		sqlite3_int64 rows;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE seq > %lld AND "
		    DECISION_KINDS, (long long)seq0);
		rows = db_int(db, sql);
		printf("loadgen: audit rows of those kinds %lld\n", (long long)rows);
		if (rows != (sqlite3_int64)decisions) {
			printf("loadgen: MISMATCH: %lu decisions seen, %lld audit rows\n", decisions,
			    (long long)rows);
			rc = 1;
		}
	}
	for (i = 0; i < opt.carts; i++) {
		curl_easy_cleanup(carts[i].h);
		curl_slist_free_all(carts[i].hdrs);
		free(carts[i].body);
		free(carts[i].resp);
		explicit_bzero(carts[i].token, sizeof(carts[i].token));
	}
	free(carts);
	free(lat);
	curl_multi_cleanup(m);
	curl_global_cleanup();
	for (b = 0; b < NBADGES; b++) {
		fido_dev_close(badges[b].dev);
		fido_dev_free(&badges[b].dev);
	}
	softkey_free(&sk);
	sqlite3_close(db);
	return rc;
}
