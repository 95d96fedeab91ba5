/* auth/enrol on a temporary softkey: a blank key gets a PIN and a credential whose packed attestation verifies. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>

#include "auth/assert.h"
#include "auth/enrol.h"
#include "auth/softkey.h"
#include "auth/worker.h"
#include "common/b64url.h"
#include "tests/t.h"
#include "tests/unit/softkey_fixture.h"

#define CHALLENGE "3q2-7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4"
#define ORIGIN "chartgate:helpdesk-01"
#define USER "u-nurse-ana"

static char handle[64];

static struct auth_enrol_req
req_for(const char *pin, int set_pin)
{
	struct auth_enrol_req r = { RP, CHALLENGE, ORIGIN, handle, "ana.ortiz", "Ana Ortiz", pin, set_pin };

	return r;
}

/* auth_make_credential on the softkey's blank key (badge = count), as the helpdesk runs it. */
static int
enrol_with(struct softkey *sk, int badge, const struct auth_enrol_req *r, struct auth_enrolment *e,
    int *retries)
{
	fido_dev_t *dev = NULL;
	int rc;

	if (softkey_dev_open(sk, badge, &dev) != SOFTKEY_OK)
		return -1;
	rc = auth_make_credential(dev, r, e, retries);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	return rc;
}

/* What chartgated does with the body: fido_cred_verify_self over the decoded fields. */
static int
attestation_verifies(const struct auth_enrolment *e)
{
	unsigned char *ad = NULL, *sig = NULL, *cd = NULL, *id = NULL;
	size_t adn = 0, sign = 0, cdn = 0, idn = 0;
	fido_cred_t *c = fido_cred_new();
	int ok = 0;

	if (c == NULL || (ad = b64url_decode_alloc(e->authenticator_data, &adn)) == NULL ||
	    (sig = b64url_decode_alloc(e->signature, &sign)) == NULL ||
	    (cd = b64url_decode_alloc(e->client_data_json, &cdn)) == NULL ||
	    (id = b64url_decode_alloc(e->credential_id, &idn)) == NULL)
		goto out;
	ok = fido_cred_set_type(c, COSE_ES256) == FIDO_OK &&
	    fido_cred_set_clientdata(c, cd, cdn) == FIDO_OK &&
	    fido_cred_set_rp(c, RP, NULL) == FIDO_OK &&
	    fido_cred_set_authdata_raw(c, ad, adn) == FIDO_OK &&
	    fido_cred_set_uv(c, FIDO_OPT_TRUE) == FIDO_OK &&
	    fido_cred_set_fmt(c, e->fmt) == FIDO_OK &&
	    fido_cred_set_sig(c, sig, sign) == FIDO_OK &&
	    fido_cred_verify_self(c) == FIDO_OK &&
	    fido_cred_id_len(c) == idn && memcmp(fido_cred_id_ptr(c), id, idn) == 0 &&
	    memmem(cd, cdn, "\"webauthn.create\"", 17) != NULL &&
	    memmem(cd, cdn, ORIGIN, strlen(ORIGIN)) != NULL;
out:
	fido_cred_free(&c);
	free(ad);
	free(sig);
	free(cd);
	free(id);
	return ok;
}

static void
blank_key_gets_pin_and_a_verifiable_credential(void)
{
	struct softkey *sk = fresh(), *again = NULL;
	struct auth_enrolment e;
	struct auth_enrol_req r = req_for("4321", 1);
	struct auth_assertion as;
	fido_dev_t *dev = NULL;

	T_CHECK(sk != NULL);
	if (sk == NULL)
		return;
	T_CHECK(enrol_with(sk, 0, &r, &e, NULL) == AUTH_OK);
	T_STREQ(e.fmt, "packed");
	T_CHECK(e.x5c == NULL);
	T_CHECK(attestation_verifies(&e));
	T_CHECK(softkey_count(sk) == 1);
	T_STREQ(softkey_user_id(sk, 0), USER);
	/* the badge is in the file, and its PIN is the one just set */
	T_CHECK(softkey_load(path, &again) == SOFTKEY_OK && softkey_count(again) == 1);
	T_CHECK(softkey_dev_open(again, 0, &dev) == SOFTKEY_OK);
	T_CHECK(dev != NULL && auth_get_assertion(dev, RP, CHALLENGE, ORIGIN, "4321", &as, NULL) == AUTH_OK &&
	    auth_assertion_has_uv(&as));
	auth_assertion_clear(&as);
	if (dev != NULL) {
		fido_dev_close(dev);
		fido_dev_free(&dev);
	}
	auth_enrolment_clear(&e);
	softkey_free(&again);
	softkey_free(&sk);
}

static void
short_new_pin_is_refused_and_nothing_is_enrolled(void)
{
	struct softkey *sk = fresh();
	struct auth_enrolment e;
	struct auth_enrol_req r = req_for("12", 1);

	T_CHECK(sk != NULL);
	if (sk == NULL)
		return;
	T_CHECK(enrol_with(sk, 0, &r, &e, NULL) == AUTH_E_PIN_POLICY);
	T_CHECK(e.credential_id == NULL);
	T_CHECK(softkey_count(sk) == 0);
	softkey_free(&sk);
}

static void
pin_on_a_blank_key_without_setting_it_is_no_pin(void)
{
	struct softkey *sk = fresh();
	struct auth_enrolment e;
	struct auth_enrol_req r = req_for("1234", 0);
	int rc;

	T_CHECK(sk != NULL);
	if (sk == NULL)
		return;
	rc = enrol_with(sk, 0, &r, &e, NULL);
	T_CHECK(rc == AUTH_E_PIN_NOT_SET);
	T_CHECK(softkey_count(sk) == 0);
	softkey_free(&sk);
}

static void
wrong_pin_of_a_key_with_one_reports_retries(void)
{
	struct softkey *sk = fresh();
	struct auth_enrolment e;
	struct auth_enrol_req set = req_for("4321", 1), wrong = req_for("9999", 0);
	int retries = -1;

	T_CHECK(sk != NULL);
	if (sk == NULL)
		return;
	T_CHECK(enrol_with(sk, 0, &set, &e, NULL) == AUTH_OK);
	auth_enrolment_clear(&e);
	/* the key with a PIN is badge 0 now; a second credential needs that PIN */
	T_CHECK(enrol_with(sk, 0, &wrong, &e, &retries) == AUTH_E_PIN_INVALID);
	T_CHECK(retries == 7);
	T_CHECK(e.credential_id == NULL);
	softkey_free(&sk);
}

static void
bad_requests_are_refused_before_the_key(void)
{
	struct softkey *sk = fresh();
	struct auth_enrolment e;
	struct auth_enrol_req r = req_for("4321", 1);

	T_CHECK(sk != NULL);
	if (sk == NULL)
		return;
	r.challenge = "c2hvcnQ";	/* 5 bytes: not a server's */
	T_CHECK(enrol_with(sk, 0, &r, &e, NULL) == AUTH_E_ARG);
	r = req_for(NULL, 1);
	T_CHECK(enrol_with(sk, 0, &r, &e, NULL) == AUTH_E_ARG);
	T_CHECK(auth_make_credential(NULL, &r, &e, NULL) == AUTH_E_ARG);
	T_CHECK(softkey_count(sk) == 0);
	softkey_free(&sk);
}

static void
enrol_words_name_each_failure(void)
{
	T_CHECK(strstr(auth_enrol_strerror(AUTH_E_KEY_FULL), "full") != NULL);
	T_CHECK(strstr(auth_enrol_strerror(AUTH_E_PIN_POLICY), "4 to 63") != NULL);
	T_CHECK(strstr(auth_enrol_strerror(AUTH_E_CANCELLED), "cancelled") != NULL);
	T_CHECK(strstr(auth_enrol_strerror(AUTH_E_TIMEOUT), "touched") != NULL);
	T_CHECK(strstr(auth_enrol_strerror(AUTH_E_PIN_NOT_SET), "no PIN") != NULL);
	T_CHECK(strcmp(auth_enrol_strerror(AUTH_E_BUSY), auth_strerror(AUTH_E_BUSY)) == 0);
}

/* Runs one job to its end on the worker. */
static int
run(struct auth_worker *w, const struct auth_job *job, struct auth_result *res, int cancel_after_ms)
{
	struct pollfd p;

	if (auth_worker_start(w, job) != AUTH_OK)
		return -1;
	p = (struct pollfd){ .fd = auth_worker_fd(w), .events = POLLIN };
	if (cancel_after_ms > 0 && poll(&p, 1, cancel_after_ms) == 0)
		auth_worker_cancel(w);
	if (poll(&p, 1, 10000) != 1)
		return -1;
	return auth_worker_finish(w, res);
}

static void
worker_probes_then_enrols_and_cancel_stops_it(void)
{
	struct softkey *sk = fresh();
	struct auth_worker *w = NULL;
	struct auth_job job;
	struct auth_result res;

	T_CHECK(sk != NULL && auth_worker_new(&w) == AUTH_OK);
	if (sk == NULL || w == NULL)
		goto out;
	memset(&job, 0, sizeof(job));
	job.kind = AUTH_JOB_PROBE;
	job.sk = sk;
	job.badge = (int)softkey_count(sk);
	T_CHECK(run(w, &job, &res, 0) == AUTH_OK && res.err == AUTH_OK && !res.has_pin);
	T_CHECK(res.kind == AUTH_JOB_PROBE);
	auth_result_clear(&res);

	job.kind = AUTH_JOB_ENROL;
	job.rp_id = RP;
	job.challenge = CHALLENGE;
	job.origin = ORIGIN;
	job.pin = "4321";
	job.set_pin = 1;
	job.user_handle = handle;
	job.user_name = "ana.ortiz";
	job.display_name = "Ana Ortiz";
	job.timeout_ms = 10000;
	softkey_set_touch_delay(sk, 5000);
	T_CHECK(run(w, &job, &res, 100) == AUTH_OK && res.err == AUTH_E_CANCELLED);
	T_CHECK(res.enrolment.credential_id == NULL);
	auth_result_clear(&res);

	softkey_set_touch_delay(sk, 0);
	/* The cancel may land after the PIN was set (slow runs, valgrind): ask
	 * the key again, as the enrolment screen does, before enrolling. */
	job.kind = AUTH_JOB_PROBE;
	T_CHECK(run(w, &job, &res, 0) == AUTH_OK && res.err == AUTH_OK);
	job.set_pin = !res.has_pin;
	auth_result_clear(&res);
	job.kind = AUTH_JOB_ENROL;
	T_CHECK(run(w, &job, &res, 0) == AUTH_OK && res.err == AUTH_OK);
	T_CHECK(res.kind == AUTH_JOB_ENROL && attestation_verifies(&res.enrolment));
	auth_result_clear(&res);
	/* an enrol job without its user is refused at the door */
	job.user_handle = NULL;
	T_CHECK(auth_worker_start(w, &job) == AUTH_E_ARG);
out:
	auth_worker_free(&w);
	softkey_free(&sk);
}

int
main(void)
{
	if (fixture_open("/tmp/cg-enrol-XXXXXX") != 0)
		return 2;
	b64url_encode((const unsigned char *)USER, strlen(USER), handle);

	T_RUN(blank_key_gets_pin_and_a_verifiable_credential);
	T_RUN(short_new_pin_is_refused_and_nothing_is_enrolled);
	T_RUN(pin_on_a_blank_key_without_setting_it_is_no_pin);
	T_RUN(wrong_pin_of_a_key_with_one_reports_retries);
	T_RUN(bad_requests_are_refused_before_the_key);
	T_RUN(enrol_words_name_each_failure);
	T_RUN(worker_probes_then_enrols_and_cancel_stops_it);

	fixture_close();
	T_EXIT();
}
