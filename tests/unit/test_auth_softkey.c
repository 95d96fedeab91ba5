/* Softkey end to end through libfido2: getInfo, makeCredential, getAssertion, counters, PINs, cancel, file checks. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fido.h>
#include <fido/es256.h>

#include "auth/softkey.h"
#include "auth/softkey_int.h"	/* white box: sk_ctap_handle for hostile CBOR */
#include "tests/t.h"

#include "tests/unit/softkey_fixture.h"

/* Usernameless assertion through libfido2; returns the libfido2 status. */
static int
get_assert(struct softkey *sk, int badge, const char *pin, fido_assert_t **out)
{
	fido_dev_t *dev = NULL;
	fido_assert_t *a;
	unsigned char cdh[32];
	int r;

	cdh_of(cdh, 9);
	*out = NULL;
	if ((r = softkey_dev_open(sk, badge, &dev)) != SOFTKEY_OK)
		return -100 - r;
	a = fido_assert_new();
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	r = fido_dev_get_assert(dev, a, pin);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	*out = a;
	return r;
}

static int
verify(const fido_assert_t *a, size_t i, const unsigned char pk[64], int uv)
{
	fido_assert_t *v = fido_assert_new();
	es256_pk_t *k = es256_pk_new();
	unsigned char cdh[32];
	int r;

	cdh_of(cdh, 9);
	fido_assert_set_rp(v, RP);
	fido_assert_set_clientdata_hash(v, cdh, sizeof(cdh));
	fido_assert_set_count(v, 1);
	fido_assert_set_authdata(v, 0, fido_assert_authdata_ptr(a, i), fido_assert_authdata_len(a, i));
	fido_assert_set_sig(v, 0, fido_assert_sig_ptr(a, i), fido_assert_sig_len(a, i));
	fido_assert_set_up(v, FIDO_OPT_TRUE);
	if (uv)
		fido_assert_set_uv(v, FIDO_OPT_TRUE);
	es256_pk_from_ptr(k, pk, 64);
	r = fido_assert_verify(v, 0, COSE_ES256, k);
	es256_pk_free(&k);
	fido_assert_free(&v);
	return r;
}

static void
get_info_reports_softkey_aaguid_and_options(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_cbor_info_t *ci = fido_cbor_info_new();
	char **names;
	const bool *vals;
	size_t i;
	int rk = 0, cp = -1, tok = 0;

	T_CHECK(sk != NULL && softkey_dev_open(sk, -1, &dev) == SOFTKEY_OK);
	T_CHECK(fido_dev_get_cbor_info(dev, ci) == FIDO_OK);
	T_CHECK(fido_cbor_info_aaguid_len(ci) == 16 &&
	    memcmp(fido_cbor_info_aaguid_ptr(ci), "chartgate softky", 16) == 0);
	T_CHECK(fido_cbor_info_maxmsgsiz(ci) == 2048);
	T_CHECK(fido_cbor_info_versions_len(ci) == 2 &&
	    strcmp(fido_cbor_info_versions_ptr(ci)[1], "FIDO_2_1") == 0);
	T_CHECK(fido_cbor_info_protocols_len(ci) == 2 && fido_cbor_info_protocols_ptr(ci)[0] == 2);
	names = fido_cbor_info_options_name_ptr(ci);
	vals = fido_cbor_info_options_value_ptr(ci);
	for (i = 0; i < fido_cbor_info_options_len(ci); i++) {
		if (strcmp(names[i], "rk") == 0)
			rk = vals[i];
		if (strcmp(names[i], "clientPin") == 0)
			cp = vals[i];
		if (strcmp(names[i], "pinUvAuthToken") == 0)
			tok = vals[i];
	}
	T_CHECK(rk && cp == 0 && tok);
	T_CHECK(fido_dev_supports_cred_prot(dev) == false);
	fido_cbor_info_free(&ci);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	softkey_free(&sk);
}

static void
make_credential_is_self_attested_and_stored(void)
{
	struct softkey *sk = fresh(), *again = NULL;
	unsigned char pk[64];

	T_CHECK(sk != NULL);
	T_CHECK(softkey_set_enrol_roles(sk, "nurse,charge") == SOFTKEY_OK);
	T_CHECK(enrol(sk, "u-nurse-ana", NULL, pk) == 0);
	T_CHECK(softkey_count(sk) == 1);
	T_CHECK(softkey_load(path, &again) == SOFTKEY_OK);
	T_CHECK(again != NULL && softkey_count(again) == 1);
	T_STREQ(softkey_user_id(again, 0), "u-nurse-ana");
	T_STREQ(softkey_display_name(again, 0), "Display");
	T_STREQ(softkey_roles(again, 0), "nurse,charge");
	T_CHECK(softkey_find_user(again, "u-nurse-ana") == 0);
	T_CHECK(softkey_find_user(again, "nobody") == -1);
	softkey_free(&again);
	softkey_free(&sk);
}

static void
usernameless_assertion_verifies_against_stored_key(void)
{
	struct softkey *sk = fresh();
	unsigned char pk[64];
	fido_assert_t *a = NULL;

	T_CHECK(sk != NULL && enrol(sk, "u-doc", NULL, pk) == 0);
	T_CHECK(get_assert(sk, 0, NULL, &a) == FIDO_OK);
	T_CHECK(fido_assert_count(a) == 1);
	T_CHECK(fido_assert_user_id_len(a, 0) == 5 && memcmp(fido_assert_user_id_ptr(a, 0), "u-doc", 5) == 0);
	T_CHECK(verify(a, 0, pk, 0) == FIDO_OK);
	T_CHECK(verify(a, 0, pk, 1) != FIDO_OK);	/* no PIN, no UV flag */
	T_CHECK(fido_assert_sigcount(a, 0) == 1);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
all_badges_device_answers_every_credential_via_get_next(void)
{
	struct softkey *sk = fresh();
	unsigned char pk[3][64];
	fido_assert_t *a = NULL;
	size_t i;

	T_CHECK(sk != NULL);
	T_CHECK(enrol(sk, "u-a", NULL, pk[0]) == 0 && enrol(sk, "u-b", NULL, pk[1]) == 0 &&
	    enrol(sk, "u-c", NULL, pk[2]) == 0);
	T_CHECK(get_assert(sk, -1, NULL, &a) == FIDO_OK);
	T_CHECK(fido_assert_count(a) == 3);
	for (i = 0; i < 3 && i < fido_assert_count(a); i++)
		T_CHECK(verify(a, i, pk[i], 0) == FIDO_OK);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
sign_count_increments_and_persists(void)
{
	struct softkey *sk = fresh(), *again = NULL;
	fido_assert_t *a = NULL;
	int i;

	T_CHECK(sk != NULL && enrol(sk, "u-x", NULL, NULL) == 0);
	for (i = 1; i <= 3; i++) {
		T_CHECK(get_assert(sk, 0, NULL, &a) == FIDO_OK);
		T_CHECK(fido_assert_sigcount(a, 0) == (uint32_t)i);
		fido_assert_free(&a);
	}
	T_CHECK(softkey_load(path, &again) == SOFTKEY_OK);
	T_CHECK(softkey_sign_count(again, 0) == 3);
	softkey_free(&again);
	softkey_free(&sk);
}

static void
no_credential_for_rp_gives_no_credentials(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_assert_t *a = fido_assert_new();
	unsigned char cdh[32];

	cdh_of(cdh, 3);
	T_CHECK(sk != NULL && enrol(sk, "u-y", NULL, NULL) == 0);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	fido_assert_set_rp(a, "other.example");
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	T_CHECK(fido_dev_get_assert(dev, a, NULL) == FIDO_ERR_NO_CREDENTIALS);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
pin_gives_uv(int proto)
{
	struct softkey *sk = fresh();
	unsigned char pk[64];
	fido_assert_t *a = NULL;

	T_CHECK(sk != NULL);
	softkey_set_pin_protocols(sk, proto == 1 ? 1 : 2);
	T_CHECK(enrol(sk, "u-pin", "1234", pk) == 0);
	T_CHECK(get_assert(sk, 0, "1234", &a) == FIDO_OK);
	T_CHECK(a != NULL && verify(a, 0, pk, 1) == FIDO_OK);
	T_CHECK(fido_assert_user_name(a, 0) != NULL && strcmp(fido_assert_user_name(a, 0), "u-pin") == 0);
	fido_assert_free(&a);
	/* no PIN: still answers, without UV */
	T_CHECK(get_assert(sk, 0, NULL, &a) == FIDO_OK);
	T_CHECK(verify(a, 0, pk, 0) == FIDO_OK && verify(a, 0, pk, 1) != FIDO_OK);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
pin_protocol_1_right_pin_gives_uv(void)
{
	pin_gives_uv(1);
}

static void
pin_protocol_2_right_pin_gives_uv(void)
{
	pin_gives_uv(2);
}

static int
retries_of(struct softkey *sk, int badge)
{
	fido_dev_t *dev = NULL;
	int n = -1;

	if (softkey_dev_open(sk, badge, &dev) != SOFTKEY_OK)
		return -1;
	if (fido_dev_get_retry_count(dev, &n) != FIDO_OK)
		n = -1;
	fido_dev_close(dev);
	fido_dev_free(&dev);
	return n;
}

static void
wrong_pin_costs_one_retry_and_persists(void)
{
	struct softkey *sk = fresh(), *again = NULL;
	fido_assert_t *a = NULL;

	T_CHECK(sk != NULL && enrol(sk, "u-w", "1234", NULL) == 0);
	T_CHECK(get_assert(sk, 0, "9999", &a) == FIDO_ERR_PIN_INVALID);
	fido_assert_free(&a);
	T_CHECK(retries_of(sk, 0) == 7);
	T_CHECK(softkey_load(path, &again) == SOFTKEY_OK && retries_of(again, 0) == 7);
	softkey_free(&again);
	/* the right PIN restores the counter */
	T_CHECK(get_assert(sk, 0, "1234", &a) == FIDO_OK);
	fido_assert_free(&a);
	T_CHECK(retries_of(sk, 0) == 8);
	softkey_free(&sk);
}

static void
eight_wrong_pins_block_the_badge(void)
{
	struct softkey *sk = fresh();
	fido_assert_t *a = NULL;
	int i, r;

	T_CHECK(sk != NULL && enrol(sk, "u-b", "1234", NULL) == 0);
	for (i = 0; i < 8; i++) {
		r = get_assert(sk, 0, "0000", &a);	/* each call is a fresh power-up */
		fido_assert_free(&a);
		T_CHECK(r == (i < 7 ? FIDO_ERR_PIN_INVALID : FIDO_ERR_PIN_BLOCKED));
	}
	T_CHECK(retries_of(sk, 0) == 0);
	T_CHECK(get_assert(sk, 0, "1234", &a) == FIDO_ERR_PIN_BLOCKED);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
three_mismatches_in_one_power_up_block_pin_auth(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_assert_t *a = fido_assert_new();
	unsigned char cdh[32];

	cdh_of(cdh, 5);
	T_CHECK(sk != NULL && enrol(sk, "u-c", "1234", NULL) == 0);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	T_CHECK(fido_dev_get_assert(dev, a, "1111") == FIDO_ERR_PIN_INVALID);
	T_CHECK(fido_dev_get_assert(dev, a, "1111") == FIDO_ERR_PIN_INVALID);
	T_CHECK(fido_dev_get_assert(dev, a, "1111") == FIDO_ERR_PIN_AUTH_BLOCKED);
	T_CHECK(fido_dev_get_assert(dev, a, "1234") == FIDO_ERR_PIN_AUTH_BLOCKED);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	fido_assert_free(&a);
	T_CHECK(retries_of(sk, 0) == 5);
	softkey_free(&sk);
}

static void
make_credential_without_pin_on_protected_key_needs_pin(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_cred_t *cred = fido_cred_new();
	unsigned char cdh[32];

	cdh_of(cdh, 2);
	T_CHECK(sk != NULL && enrol(sk, "u-p", "1234", NULL) == 0);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	fido_cred_set_type(cred, COSE_ES256);
	fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh));
	fido_cred_set_rp(cred, RP, NULL);
	fido_cred_set_user(cred, (const unsigned char *)"u-q", 3, "u-q", NULL, NULL);
	fido_cred_set_rk(cred, FIDO_OPT_TRUE);
	T_CHECK(fido_dev_make_cred(dev, cred, NULL) == FIDO_ERR_PIN_REQUIRED);
	T_CHECK(fido_dev_make_cred(dev, cred, "1234") == FIDO_OK);
	T_CHECK(softkey_count(sk) == 2);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	fido_cred_free(&cred);
	softkey_free(&sk);
}

static void
change_pin_through_libfido2(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_assert_t *a = NULL;

	T_CHECK(sk != NULL && enrol(sk, "u-ch", "1234", NULL) == 0);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	T_CHECK(fido_dev_set_pin(dev, "5678", "1234") == FIDO_OK);
	T_CHECK(fido_dev_set_pin(dev, "12", "5678") == FIDO_ERR_PIN_POLICY_VIOLATION);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	T_CHECK(get_assert(sk, 0, "5678", &a) == FIDO_OK);
	fido_assert_free(&a);
	softkey_free(&sk);
}

struct canceller {
	fido_dev_t *dev;
	int delay_ms;
};

static void *
cancel_later(void *arg)
{
	struct canceller *c = arg;

	usleep((useconds_t)c->delay_ms * 1000);
	fido_dev_cancel(c->dev);
	return NULL;
}

static void
cancel_of_delayed_touch_answers_keepalive_cancel_promptly(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_assert_t *a = fido_assert_new();
	unsigned char cdh[32];
	struct canceller c;
	pthread_t t;
	long t0, dt;

	cdh_of(cdh, 4);
	T_CHECK(sk != NULL && enrol(sk, "u-cancel", NULL, NULL) == 0);
	softkey_set_touch_delay(sk, 5000);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	c.dev = dev;
	c.delay_ms = 150;
	t0 = now_ms();
	pthread_create(&t, NULL, cancel_later, &c);
	T_CHECK(fido_dev_get_assert(dev, a, NULL) == FIDO_ERR_KEEPALIVE_CANCEL);
	dt = now_ms() - t0;
	pthread_join(t, NULL);
	T_CHECK(dt >= 100 && dt < 1000);
	T_CHECK(softkey_sign_count(sk, 0) == 0);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
timeout_is_honoured(void)
{
	struct softkey *sk = fresh();
	fido_dev_t *dev = NULL;
	fido_assert_t *a = fido_assert_new();
	unsigned char cdh[32];
	long t0, dt;

	cdh_of(cdh, 4);
	T_CHECK(sk != NULL && enrol(sk, "u-slow", NULL, NULL) == 0);
	softkey_set_touch_delay(sk, 5000);
	T_CHECK(softkey_dev_open(sk, 0, &dev) == SOFTKEY_OK);
	T_CHECK(fido_dev_set_timeout(dev, 300) == FIDO_OK);
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	t0 = now_ms();
	T_CHECK(fido_dev_get_assert(dev, a, NULL) != FIDO_OK);
	dt = now_ms() - t0;
	T_CHECK(dt >= 250 && dt < 1500);
	t0 = now_ms();
	fido_dev_close(dev);	/* must not wait for the touch either */
	T_CHECK(now_ms() - t0 < 500);
	fido_dev_free(&dev);
	fido_assert_free(&a);
	softkey_free(&sk);
}

static void
allow_list_is_honoured(void)
{
	struct softkey *sk = fresh();
	unsigned char pk[2][64], cdh[32];
	fido_dev_t *dev = NULL;
	fido_assert_t *a = NULL;
	fido_cred_t *c = NULL;

	cdh_of(cdh, 9);
	T_CHECK(sk != NULL && enrol(sk, "u-1", NULL, pk[0]) == 0 && enrol(sk, "u-2", NULL, pk[1]) == 0);
	/* learn the second credential's id from a usernameless assertion */
	T_CHECK(get_assert(sk, 1, NULL, &a) == FIDO_OK);
	c = fido_cred_new();
	fido_cred_set_id(c, fido_assert_id_ptr(a, 0), fido_assert_id_len(a, 0));
	fido_assert_free(&a);
	T_CHECK(softkey_dev_open(sk, -1, &dev) == SOFTKEY_OK);
	a = fido_assert_new();
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	fido_assert_allow_cred(a, fido_cred_id_ptr(c), fido_cred_id_len(c));
	T_CHECK(fido_dev_get_assert(dev, a, NULL) == FIDO_OK);
	T_CHECK(fido_assert_count(a) == 1 && verify(a, 0, pk[1], 0) == FIDO_OK);
	fido_assert_free(&a);
	a = fido_assert_new();
	fido_assert_set_rp(a, RP);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	fido_assert_allow_cred(a, cdh, sizeof(cdh));	/* an id nobody has */
	T_CHECK(fido_dev_get_assert(dev, a, NULL) == FIDO_ERR_NO_CREDENTIALS);
	fido_assert_free(&a);
	fido_cred_free(&c);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	softkey_free(&sk);
}

static int
touch_now(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Status byte of the answer to req, or -1 when there is none. */
static int
ctap_status(struct sk_auth *a, const uint8_t *req, size_t len)
{
	uint8_t *out = NULL;
	size_t outlen = 0;
	int st = -1;

	if (sk_ctap_handle(a, req, len, &out, &outlen) == 0 && out != NULL && outlen >= 1)
		st = out[0];
	free(out);
	return st;
}

static void
hostile_cbor_is_refused_without_crash(void)
{
	static const uint8_t huge_array[] = { 0x02, 0xa1, 0x03, 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t huge_bytes[] = { 0x02, 0xa1, 0x02, 0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t indefinite[] = { 0x02, 0xbf, 0x01, 0x60, 0xff };
	static const uint8_t truncated[] = { 0x02, 0xa2, 0x01 };
	static const uint8_t trailing[] = { 0x02, 0xa0, 0x00 };
	static const uint8_t not_map[] = { 0x01, 0x80 };
	uint8_t deep[1 + 200], valid[1 + 2 + 16 + 3 + 32], req[300];
	struct softkey *sk = fresh();
	struct sk_auth a;
	size_t i, n;
	int bad = 0;

	T_CHECK(sk != NULL && enrol(sk, "u-h", "1234", NULL) == 0);
	memset(&a, 0, sizeof(a));
	a.sk = sk;
	a.badge = -1;
	a.pin_protocols = 3;
	a.wait_touch = touch_now;
	T_CHECK(ctap_status(&a, huge_array, sizeof(huge_array)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, huge_bytes, sizeof(huge_bytes)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, indefinite, sizeof(indefinite)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, truncated, sizeof(truncated)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, trailing, sizeof(trailing)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, not_map, sizeof(not_map)) == CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
	deep[0] = 0x02;
	memset(deep + 1, 0x81, sizeof(deep) - 2);
	deep[sizeof(deep) - 1] = 0x00;
	T_CHECK(ctap_status(&a, deep, sizeof(deep)) == CTAP2_ERR_INVALID_CBOR);
	T_CHECK(ctap_status(&a, (const uint8_t *)"\x42", 1) == CTAP1_ERR_INVALID_COMMAND);
	T_CHECK(ctap_status(&a, (const uint8_t *)"\x08", 1) == CTAP2_ERR_NOT_ALLOWED);

	/* {1: "chartgate.local", 2: h'00 * 32'}, then every single-byte corruption of it */
	n = 0;
	valid[n++] = 0x02;
	valid[n++] = 0xa2;
	valid[n++] = 0x01;
	valid[n++] = 0x6f;
	memcpy(valid + n, RP, 15);
	n += 15;
	valid[n++] = 0x02;
	valid[n++] = 0x58;
	valid[n++] = 0x20;
	memset(valid + n, 0, 32);
	n += 32;
	T_CHECK(ctap_status(&a, valid, n) == CTAP2_OK);
	for (i = 1; i < n; i++) {
		static const uint8_t vals[] = { 0x00, 0x17, 0x18, 0x1b, 0x1f, 0x5f, 0x7f, 0x9f, 0xbf, 0xff, 0xa0, 0x40 };
		size_t v;

		for (v = 0; v < sizeof(vals); v++) {
			memcpy(req, valid, n);
			req[i] = vals[v];
			if (ctap_status(&a, req, n) < 0 || ctap_status(&a, req, i + 1) < 0)
				bad++;
		}
	}
	/* random bodies for every command that parses CBOR */
	srand(1234);
	for (i = 0; i < 3000; i++) {
		size_t k, len = 1 + (size_t)rand() % (sizeof(req) - 1);

		req[0] = (uint8_t[]){ 0x01, 0x02, 0x06 }[i % 3];
		for (k = 1; k < len; k++)
			req[k] = (uint8_t)rand();
		if (i % 2)
			req[1] = 0xa0 | (req[1] & 0x0f);	/* mostly maps, to get past the first check */
		if (ctap_status(&a, req, len) < 0)
			bad++;
	}
	T_CHECK(bad == 0);
	sk_auth_wipe(&a);
	softkey_free(&sk);
}

static void
file_readable_by_others_is_refused(void)
{
	struct softkey *sk = fresh();

	softkey_free(&sk);
	T_CHECK(chmod(path, 0644) == 0);
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_PERM && sk == NULL);
	T_CHECK(strstr(softkey_last_detail(), "0644") != NULL);
	T_CHECK(chmod(path, 0600) == 0);
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_OK);
	softkey_free(&sk);
}

static void
write_text(const char *text)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			T_CHECK(0);
		close(fd);
	}
}

static void
bad_json_and_bad_format_are_refused_with_detail(void)
{
	struct softkey *sk = NULL;

	write_text("{\"version\": 1, ");
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_JSON && sk == NULL);
	write_text("{\"version\": 2, \"aaguid\": \"63686172-7467-6174-6520-736f66746b79\", \"badges\": []}");
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_FORMAT);
	T_CHECK(strstr(softkey_last_detail(), "version") != NULL);
	write_text("{\"version\": 1, \"aaguid\": \"63686172-7467-6174-6520-736f66746b79\", \"badges\": "
	    "[{\"rp_id\": \"x\", \"user_id\": \"u\", \"credential_id\": \"AAAA\"}]}");
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_FORMAT);
	T_CHECK(strstr(softkey_last_detail(), "credential_id") != NULL);
	T_CHECK(softkey_load(NULL, &sk) == SOFTKEY_E_ARG);
	T_CHECK(softkey_create(path) == SOFTKEY_E_EXISTS);
}

/* One badge whose private_key is the base64url of key. */
static void
write_badge_with_key(const char *key)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "{\"version\": 1, \"aaguid\": \"63686172-7467-6174-6520-736f66746b79\", \"badges\": "
	    "[{\"rp_id\": \"x\", \"user_id\": \"u\", \"credential_id\": \"AAAAAAAAAAAAAAAAAAAAAA\", "
	    "\"user_handle\": \"dQ\", \"private_key\": \"%s\", \"sign_count\": 0}]}", key);
	write_text(text);
}

/* Loading checks the scalar's range by comparison, no longer by computing d*G:
 * the bounds of [1, n-1] must still hold exactly. */
static void
private_key_outside_p256_range_is_refused(void)
{
	struct softkey *sk = NULL;

	write_badge_with_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");		/* 0 */
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_FORMAT && sk == NULL);
	T_CHECK(strstr(softkey_last_detail(), "private_key") != NULL);
	write_badge_with_key("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE");	/* n */
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_FORMAT && sk == NULL);
	write_badge_with_key("__________________________________________8");	/* 2^256 - 1 */
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_E_FORMAT && sk == NULL);
	write_badge_with_key("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVA");	/* n - 1 */
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_OK && softkey_count(sk) == 1);
	softkey_free(&sk);
	write_badge_with_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE");		/* 1 */
	T_CHECK(softkey_load(path, &sk) == SOFTKEY_OK);
	softkey_free(&sk);
	unlink(path);
}

int
main(void)
{
	if (fixture_open("/tmp/cg-auth-XXXXXX") != 0)
		return 2;

	T_RUN(get_info_reports_softkey_aaguid_and_options);
	T_RUN(make_credential_is_self_attested_and_stored);
	T_RUN(usernameless_assertion_verifies_against_stored_key);
	T_RUN(all_badges_device_answers_every_credential_via_get_next);
	T_RUN(sign_count_increments_and_persists);
	T_RUN(no_credential_for_rp_gives_no_credentials);
	T_RUN(pin_protocol_1_right_pin_gives_uv);
	T_RUN(pin_protocol_2_right_pin_gives_uv);
	T_RUN(wrong_pin_costs_one_retry_and_persists);
	T_RUN(eight_wrong_pins_block_the_badge);
	T_RUN(three_mismatches_in_one_power_up_block_pin_auth);
	T_RUN(make_credential_without_pin_on_protected_key_needs_pin);
	T_RUN(change_pin_through_libfido2);
	T_RUN(cancel_of_delayed_touch_answers_keepalive_cancel_promptly);
	T_RUN(timeout_is_honoured);
	T_RUN(allow_list_is_honoured);
	T_RUN(hostile_cbor_is_refused_without_crash);
	T_RUN(file_readable_by_others_is_refused);
	T_RUN(bad_json_and_bad_format_are_refused_with_detail);
	T_RUN(private_key_outside_p256_range_is_refused);

	fixture_close();
	T_EXIT();
}
