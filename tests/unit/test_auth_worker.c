/* Client side: auth_get_assertion's body verifies on a server's terms; the worker signals, cancels and times out. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fido.h>
#include <fido/es256.h>
#include <jansson.h>
#include <openssl/sha.h>

#include "auth/assert.h"
#include "auth/device.h"
#include "auth/softkey.h"
#include "auth/worker.h"
#include "common/b64url.h"
#include "tests/t.h"

#include "tests/unit/softkey_fixture.h"

#define CHALLENGE "3q2-7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxg"	/* 29 bytes */
#define ORIGIN "chartgate:ws-7"

/* A softkey file with one badge for user (PIN optional); pk gets x||y. */
static struct softkey *
one_badge(const char *user, const char *pin, unsigned char pk[64])
{
	struct softkey *sk = fresh();

	if (sk != NULL && enrol(sk, user, pin, pk) != 0)
		softkey_free(&sk);
	return sk;
}

/* What the backend will do with the body: raw authdata, clientdata, signature, key. */
static int
server_verifies(const struct auth_assertion *as, const unsigned char pk[64], int uv)
{
	unsigned char *ad = NULL, *sig = NULL, *cd = NULL;
	size_t adn = 0, sign = 0, cdn = 0;
	fido_assert_t *a = fido_assert_new();
	es256_pk_t *k = es256_pk_new();
	int r = -1;

	if ((ad = b64url_decode_alloc(as->authenticator_data, &adn)) == NULL ||
	    (sig = b64url_decode_alloc(as->signature, &sign)) == NULL ||
	    (cd = b64url_decode_alloc(as->client_data_json, &cdn)) == NULL)
		goto out;
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata(a, cd, cdn);
	fido_assert_set_count(a, 1);
	fido_assert_set_authdata_raw(a, 0, ad, adn);
	fido_assert_set_sig(a, 0, sig, sign);
	fido_assert_set_up(a, FIDO_OPT_TRUE);
	if (uv)
		fido_assert_set_uv(a, FIDO_OPT_TRUE);
	es256_pk_from_ptr(k, pk, 64);
	r = fido_assert_verify(a, 0, COSE_ES256, k);
out:
	free(ad);
	free(sig);
	free(cd);
	es256_pk_free(&k);
	fido_assert_free(&a);
	return r;
}

static void
assertion_body_verifies_with_raw_authenticator_data(void)
{
	unsigned char pk[64], want_hash[32];
	struct softkey *sk = one_badge("u-ana", NULL, pk);
	struct auth_assertion as;
	fido_dev_t *dev = NULL;
	unsigned char *ad = NULL, *cd = NULL;
	size_t adn = 0, cdn = 0;
	char *body = NULL;
	json_t *j = NULL;

	T_CHECK(sk != NULL && auth_device_open(sk, -1, &dev) == AUTH_OK);
	T_CHECK(auth_get_assertion(dev, RP, CHALLENGE, ORIGIN, NULL, &as, NULL) == AUTH_OK);
	T_CHECK(server_verifies(&as, pk, 0) == FIDO_OK);
	T_CHECK(server_verifies(&as, pk, 1) != FIDO_OK);
	T_CHECK(!auth_assertion_has_uv(&as));
	ad = b64url_decode_alloc(as.authenticator_data, &adn);
	SHA256((const unsigned char *)RP, strlen(RP), want_hash);
	T_CHECK(ad != NULL && adn == 37 && memcmp(ad, want_hash, 32) == 0 && ad[36] == 1);
	cd = b64url_decode_alloc(as.client_data_json, &cdn);
	T_CHECK(cd != NULL && cdn == strlen("{\"type\":\"webauthn.get\",\"challenge\":\"" CHALLENGE
	    "\",\"origin\":\"" ORIGIN "\"}") && memcmp(cd, "{\"type\":\"webauthn.get\",\"challenge\":\"" CHALLENGE
	    "\",\"origin\":\"" ORIGIN "\"}", cdn) == 0);
	T_STREQ(as.user_handle, "dS1hbmE");
	body = auth_assertion_to_json(&as);
	T_CHECK(body != NULL && (j = json_loads(body, 0, NULL)) != NULL);
	T_STREQ(json_string_value(json_object_get(j, "credential_id")), as.credential_id);
	T_STREQ(json_string_value(json_object_get(j, "signature")), as.signature);
	T_CHECK(json_object_size(j) == 5 && json_object_get(j, "challenge_id") == NULL);
	json_decref(j);
	free(body);
	free(ad);
	free(cd);
	auth_assertion_clear(&as);
	T_CHECK(as.credential_id == NULL);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	softkey_free(&sk);
}

static void
pin_gives_uv_and_wrong_pin_reports_retries(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-bo", "1234", pk);
	struct auth_assertion as;
	fido_dev_t *dev = NULL;
	int retries = 99;

	T_CHECK(sk != NULL && auth_device_open(sk, 0, &dev) == AUTH_OK);
	T_CHECK(auth_get_assertion(dev, RP, CHALLENGE, ORIGIN, "1234", &as, &retries) == AUTH_OK);
	T_CHECK(auth_assertion_has_uv(&as) && server_verifies(&as, pk, 1) == FIDO_OK);
	auth_assertion_clear(&as);
	T_CHECK(auth_get_assertion(dev, RP, CHALLENGE, ORIGIN, "4321", &as, &retries) == AUTH_E_PIN_INVALID);
	T_CHECK(retries == 7 && as.credential_id == NULL);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	softkey_free(&sk);
}

static void
bad_arguments_are_refused_before_the_key(void)
{
	struct auth_assertion as;
	fido_dev_t *dev = fido_dev_new();

	T_CHECK(auth_get_assertion(NULL, RP, CHALLENGE, ORIGIN, NULL, &as, NULL) == AUTH_E_ARG);
	T_CHECK(auth_get_assertion(dev, RP, "not base64!", ORIGIN, NULL, &as, NULL) == AUTH_E_ARG);
	T_CHECK(auth_get_assertion(dev, RP, "AAAA", ORIGIN, NULL, &as, NULL) == AUTH_E_ARG);	/* 3 bytes */
	T_CHECK(auth_get_assertion(dev, RP, CHALLENGE, "", NULL, &as, NULL) == AUTH_E_ARG);
	T_CHECK(auth_get_assertion(dev, RP, CHALLENGE, ORIGIN, "", &as, NULL) == AUTH_E_ARG);
	T_CHECK(auth_assertion_to_json(NULL) == NULL);
	fido_dev_free(&dev);
}

static void
error_words_are_distinct(void)
{
	int i, j;

	for (i = AUTH_OK; i <= AUTH_E_BUSY; i++)
		for (j = i + 1; j <= AUTH_E_BUSY; j++)
			T_CHECK(strcmp(auth_strerror(i), auth_strerror(j)) != 0);
	T_CHECK(auth_err_from_fido(FIDO_ERR_KEEPALIVE_CANCEL) == AUTH_E_CANCELLED);
	T_CHECK(auth_err_from_fido(FIDO_ERR_PIN_BLOCKED) == AUTH_E_PIN_BLOCKED);
	T_CHECK(auth_err_from_fido(FIDO_ERR_RX) == AUTH_E_DEVICE);
}

static int
wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static void
worker_signals_the_pipe_and_hands_over_the_assertion(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-cy", "1234", pk);
	struct auth_worker *w = NULL;
	struct auth_result res;
	char pin[] = "1234";
	struct auth_job job = { .sk = sk, .badge = 0, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = pin, .timeout_ms = 5000 };

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	T_CHECK(!auth_worker_busy(w) && !wait_readable(auth_worker_fd(w), 0));
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	memset(pin, 'x', 4);	/* the worker took its own copy */
	T_CHECK(auth_worker_busy(w));
	T_CHECK(auth_worker_start(w, &job) == AUTH_E_BUSY);
	T_CHECK(wait_readable(auth_worker_fd(w), 5000));
	T_CHECK(auth_worker_finish(w, &res) == AUTH_OK);
	T_CHECK(res.err == AUTH_OK && server_verifies(&res.assertion, pk, 1) == FIDO_OK);
	auth_assertion_clear(&res.assertion);
	T_CHECK(!auth_worker_busy(w) && !wait_readable(auth_worker_fd(w), 0));
	T_CHECK(auth_worker_finish(w, &res) == AUTH_E_ARG);
	auth_worker_free(&w);
	T_CHECK(w == NULL);
	softkey_free(&sk);
}

static void
worker_cancel_ends_a_waiting_tap_promptly(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-dee", NULL, pk);
	struct auth_worker *w = NULL;
	struct auth_result res;
	struct auth_job job = { .sk = sk, .badge = -1, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = NULL, .timeout_ms = 0 };
	long t0;

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	softkey_set_touch_delay(sk, 10000);
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	usleep(200 * 1000);
	t0 = now_ms();
	auth_worker_cancel(w);
	T_CHECK(wait_readable(auth_worker_fd(w), 2000));
	T_CHECK(now_ms() - t0 < 1000);
	T_CHECK(auth_worker_finish(w, &res) == AUTH_OK && res.err == AUTH_E_CANCELLED);
	T_CHECK(res.assertion.credential_id == NULL);
	auth_worker_free(&w);
	softkey_free(&sk);
}

/* The worker's thread outlives its jobs: a cancelled tap must leave no wake-up
 * behind that the next tap would take for its own end (and block on). */
static void
worker_takes_the_next_job_after_a_cancelled_one(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-fay", NULL, pk);
	struct auth_worker *w = NULL;
	struct auth_result res;
	struct auth_job job = { .sk = sk, .badge = 0, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = NULL, .timeout_ms = 0 };

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	softkey_set_touch_delay(sk, 10000);
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	auth_worker_cancel(w);
	/* finish without waiting for the wake pipe: it waits for the job itself */
	T_CHECK(auth_worker_finish(w, &res) == AUTH_OK && res.err == AUTH_E_CANCELLED);
	T_CHECK(!wait_readable(auth_worker_fd(w), 0));
	softkey_set_touch_delay(sk, 0);
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	T_CHECK(wait_readable(auth_worker_fd(w), 5000));
	T_CHECK(auth_worker_finish(w, &res) == AUTH_OK && res.err == AUTH_OK);
	T_CHECK(server_verifies(&res.assertion, pk, 0) == FIDO_OK);
	auth_assertion_clear(&res.assertion);
	T_CHECK(!wait_readable(auth_worker_fd(w), 0));
	auth_worker_free(&w);
	softkey_free(&sk);
}

/* The result is handed over before the device closes: a job started at once after
 * finish must wait for that close, then open the badge again and sign. */
static void
worker_runs_jobs_back_to_back(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-hal", NULL, pk);
	struct auth_worker *w = NULL;
	struct auth_result res;
	struct auth_job job = { .sk = sk, .badge = 0, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = NULL, .timeout_ms = 5000 };
	int i, ok = 0;

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	for (i = 0; i < 20; i++) {
		if (auth_worker_start(w, &job) != AUTH_OK || !wait_readable(auth_worker_fd(w), 5000) ||
		    auth_worker_finish(w, &res) != AUTH_OK)
			break;
		ok += res.err == AUTH_OK && server_verifies(&res.assertion, pk, 0) == FIDO_OK;
		auth_assertion_clear(&res.assertion);
	}
	T_CHECK(i == 20 && ok == 20);
	T_CHECK(!auth_worker_busy(w) && !wait_readable(auth_worker_fd(w), 0));
	auth_worker_free(&w);
	softkey_free(&sk);
}

static void
worker_timeout_gives_timeout(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-eve", NULL, pk);
	struct auth_worker *w = NULL;
	struct auth_result res;
	struct auth_job job = { .sk = sk, .badge = 0, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = NULL, .timeout_ms = 300 };

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	softkey_set_touch_delay(sk, 10000);
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	T_CHECK(wait_readable(auth_worker_fd(w), 3000));
	T_CHECK(auth_worker_finish(w, &res) == AUTH_OK && res.err == AUTH_E_TIMEOUT);
	auth_worker_free(&w);
	softkey_free(&sk);
}

static void
worker_free_while_busy_cancels_and_joins(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-fay", NULL, pk);
	struct auth_worker *w = NULL;
	struct auth_job job = { .sk = sk, .badge = 0, .rp_id = RP, .challenge = CHALLENGE,
	    .origin = ORIGIN, .pin = NULL, .timeout_ms = 0 };
	long t0;

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	softkey_set_touch_delay(sk, 10000);
	T_CHECK(auth_worker_start(w, &job) == AUTH_OK);
	usleep(100 * 1000);
	t0 = now_ms();
	auth_worker_free(&w);
	T_CHECK(w == NULL && now_ms() - t0 < 1000);
	softkey_free(&sk);
}

static void
missing_badge_is_no_device(void)
{
	unsigned char pk[64];
	struct softkey *sk = one_badge("u-gil", NULL, pk);
	fido_dev_t *dev = NULL;

	T_CHECK(sk != NULL);
	T_CHECK(auth_device_open(sk, 5, &dev) == AUTH_E_NO_DEVICE && dev == NULL);
	T_CHECK(auth_device_open(sk, 0, NULL) == AUTH_E_ARG);
	softkey_free(&sk);
}

int
main(void)
{
	if (fixture_open("/tmp/cg-authw-XXXXXX") != 0)
		return 2;

	T_RUN(assertion_body_verifies_with_raw_authenticator_data);
	T_RUN(pin_gives_uv_and_wrong_pin_reports_retries);
	T_RUN(bad_arguments_are_refused_before_the_key);
	T_RUN(error_words_are_distinct);
	T_RUN(worker_signals_the_pipe_and_hands_over_the_assertion);
	T_RUN(worker_cancel_ends_a_waiting_tap_promptly);
	T_RUN(worker_takes_the_next_job_after_a_cancelled_one);
	T_RUN(worker_runs_jobs_back_to_back);
	T_RUN(worker_timeout_gives_timeout);
	T_RUN(worker_free_while_busy_cancels_and_joins);
	T_RUN(missing_badge_is_no_device);

	fixture_close();
	T_EXIT();
}
