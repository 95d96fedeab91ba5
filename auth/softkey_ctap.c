/* Softkey CTAP2 core: getInfo, makeCredential, getAssertion and getNextAssertion over CBOR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth/softkey_int.h"
#include "common/b64url.h"

#define CTAP_GET_INFO		0x04
#define CTAP_MAKE_CREDENTIAL	0x01
#define CTAP_GET_ASSERTION	0x02
#define CTAP_GET_NEXT		0x08
#define CTAP_CLIENT_PIN		0x06

#define FLAG_UP	0x01
#define FLAG_UV	0x04
#define FLAG_AT	0x40

#define PERM_MC	0x01
#define PERM_GA	0x02


static int
status_only(uint8_t st, uint8_t **out, size_t *outlen)
{
	return sk_answer(st, NULL, out, outlen);
}

int
sk_pin_state(struct sk_auth *a, int *has_pin, uint8_t **hash, int **retries)
{
	struct softkey *sk = a->sk;
	size_t i;

	if (a->blank) {
		*has_pin = a->blank_has_pin;
		*hash = a->blank_pin_hash;
		*retries = &a->blank_retries;
		return 0;
	}
	if (a->badge >= 0 && (size_t)a->badge < sk->n) {
		struct sk_badge *b = sk->badges[a->badge];

		*has_pin = b->has_pin;
		*hash = b->pin_hash;
		*retries = &b->pin_retries;
		return 0;
	}
	/* Every badge at once: the first badge with a PIN speaks for the device. */
	for (i = 0; i < sk->n; i++)
		if (sk->badges[i]->has_pin) {
			*has_pin = 1;
			*hash = sk->badges[i]->pin_hash;
			*retries = &sk->badges[i]->pin_retries;
			return 0;
		}
	if (sk->n > 0) {
		*has_pin = 0;
		*hash = sk->badges[0]->pin_hash;
		*retries = &sk->badges[0]->pin_retries;
		return 0;
	}
	return -1;
}

static int
get_info(struct sk_auth *a, uint8_t **out, size_t *outlen)
{
	cbor_item_t *m = NULL, *ver = NULL, *opt = NULL, *protos = NULL;
	uint8_t aaguid[16], *hash;
	int has_pin = 0, *retries, r = -1;

	sk_lock(a->sk);
	memcpy(aaguid, a->sk->aaguid, 16);
	if (sk_pin_state(a, &has_pin, &hash, &retries) < 0)
		has_pin = 0;
	sk_unlock(a->sk);

	if ((m = cbor_new_definite_map(5)) == NULL || (ver = cbor_new_definite_array(2)) == NULL ||
	    (opt = cbor_new_definite_map(4)) == NULL ||
	    (protos = cbor_new_definite_array((a->pin_protocols & 2 ? 1 : 0) + (a->pin_protocols & 1 ? 1 : 0))) == NULL)
		goto fail;
	if (!cbor_array_push(ver, cbor_move(cbor_build_string("FIDO_2_0"))) ||
	    !cbor_array_push(ver, cbor_move(cbor_build_string("FIDO_2_1"))))
		goto fail;
	if (sk_map_put(opt, cbor_build_string("rk"), cbor_build_bool(true)) < 0 ||
	    sk_map_put(opt, cbor_build_string("up"), cbor_build_bool(true)) < 0 ||
	    sk_map_put(opt, cbor_build_string("clientPin"), cbor_build_bool(has_pin != 0)) < 0 ||
	    sk_map_put(opt, cbor_build_string("pinUvAuthToken"), cbor_build_bool(true)) < 0)
		goto fail;
	if ((a->pin_protocols & 2) && !cbor_array_push(protos, cbor_move(cbor_build_uint8(2))))
		goto fail;
	if ((a->pin_protocols & 1) && !cbor_array_push(protos, cbor_move(cbor_build_uint8(1))))
		goto fail;
	if (sk_map_put(m, sk_cbor_int(1), cbor_incref(ver)) < 0 ||
	    sk_map_put(m, sk_cbor_int(3), cbor_build_bytestring(aaguid, 16)) < 0 ||
	    sk_map_put(m, sk_cbor_int(4), cbor_incref(opt)) < 0 ||
	    sk_map_put(m, sk_cbor_int(5), sk_cbor_int(2048)) < 0 ||
	    sk_map_put(m, sk_cbor_int(6), cbor_incref(protos)) < 0)
		goto fail;
	r = sk_answer(CTAP2_OK, m, out, outlen);
fail:
	if (m != NULL)
		cbor_decref(&m);
	if (ver != NULL)
		cbor_decref(&ver);
	if (opt != NULL)
		cbor_decref(&opt);
	if (protos != NULL)
		cbor_decref(&protos);
	return r;
}

/* pinUvAuthParam handling shared by makeCredential and getAssertion.
 * Returns CTAP2_OK with *uv set, or a status to answer. */
static uint8_t
check_pin_auth(struct sk_auth *a, const cbor_item_t *param, const cbor_item_t *proto,
    const uint8_t cdh[32], unsigned perm, const char *rp, int *uv)
{
	const uint8_t *p;
	size_t n;
	uint64_t pr;
	int has_pin = 0, *retries;
	uint8_t *hash, st;

	*uv = 0;
	if (param == NULL)
		return CTAP2_OK;
	if (sk_get_bytes(param, &p, &n) < 0)
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	sk_lock(a->sk);
	if (sk_pin_state(a, &has_pin, &hash, &retries) < 0)
		has_pin = 0;
	sk_unlock(a->sk);
	if (n == 0) {
		/* A platform probing for a touch (CTAP 2.0 6.1.2 step 1). */
		if ((st = (uint8_t)a->wait_touch(a->ctx)) != CTAP2_OK)
			return st;
		return has_pin ? CTAP2_ERR_PIN_INVALID : CTAP2_ERR_PIN_NOT_SET;
	}
	if (proto == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (sk_get_uint(proto, &pr) < 0)
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((pr != 1 && pr != 2) || !(a->pin_protocols & (pr == 1 ? 1u : 2u)))
		return CTAP1_ERR_INVALID_PARAMETER;
	if (!a->token_valid || a->token_proto != (int)pr ||
	    sk_pin_verify((int)pr, a->token, sizeof(a->token), cdh, 32, p, n) < 0)
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if (!(a->token_perms & perm))
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if (a->token_rp[0] != '\0' && strcmp(a->token_rp, rp) != 0)
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if (a->token_rp[0] == '\0' && strlen(rp) < sizeof(a->token_rp))
		snprintf(a->token_rp, sizeof(a->token_rp), "%s", rp);	/* CTAP 2.1: bind on first use */
	*uv = 1;
	return CTAP2_OK;
}

/* options map: rk, up, uv. CTAP 2.1: uv without built-in UV is an invalid option. */
static uint8_t
parse_options(const cbor_item_t *opts, int *rk, int *up, int uv_ok)
{
	int v;

	*rk = 0;
	*up = 1;
	if (opts == NULL)
		return CTAP2_OK;
	if (!cbor_isa_map(opts))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if (sk_map_get_str(opts, "rk") != NULL) {
		if (sk_get_bool(sk_map_get_str(opts, "rk"), rk) < 0)
			return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	}
	if (sk_map_get_str(opts, "up") != NULL) {
		if (sk_get_bool(sk_map_get_str(opts, "up"), up) < 0)
			return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	}
	if (sk_map_get_str(opts, "uv") != NULL) {
		if (sk_get_bool(sk_map_get_str(opts, "uv"), &v) < 0)
			return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
		if (v && !uv_ok)
			return CTAP2_ERR_INVALID_OPTION;
	}
	return CTAP2_OK;
}

/* rpIdHash | flags | signCount (big endian). */
static size_t
auth_data_head(const char *rp, uint8_t flags, uint32_t count, uint8_t *out)
{
	sk_sha256((const uint8_t *)rp, strlen(rp), out);
	out[32] = flags;
	out[33] = (uint8_t)(count >> 24);
	out[34] = (uint8_t)(count >> 16);
	out[35] = (uint8_t)(count >> 8);
	out[36] = (uint8_t)count;
	return 37;
}

static int
sign2(const uint8_t d[32], const uint8_t *ad, size_t adlen, const uint8_t cdh[32], uint8_t *sig, size_t *siglen)
{
	uint8_t buf[512];

	if (adlen + 32 > sizeof(buf))
		return -1;
	memcpy(buf, ad, adlen);
	memcpy(buf + adlen, cdh, 32);
	return sk_es256_sign(d, buf, adlen + 32, sig, siglen);
}

static int
in_scope(const struct sk_auth *a, size_t i)
{
	return !a->blank && (a->badge < 0 || (size_t)a->badge == i);
}

/* A user.id we can print: its UTF-8 bytes when they have no control
 * character, else base64url of them. */
static char *
user_id_string(const uint8_t *id, size_t n)
{
	size_t i;
	char *s;

	for (i = 0; i < n; i++)
		if (id[i] < 0x20 || id[i] == 0x7f)
			return b64url_encode_alloc(id, n);
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, id, n);
	s[n] = '\0';
	return s;
}

static int
make_credential(struct sk_auth *a, const cbor_item_t *req, uint8_t **out, size_t *outlen)
{
	const cbor_item_t *rp = sk_map_get_int(req, 2), *user = sk_map_get_int(req, 3);
	const cbor_item_t *params = sk_map_get_int(req, 4), *excl = sk_map_get_int(req, 5);
	const uint8_t *cdh, *uid;
	size_t cdhlen, uidlen, i, adlen, siglen = 80;
	char rp_id[256], name[256] = "", dname[256] = "";
	uint8_t ad[256], sig[80], cdh_copy[32], st;
	int rk, up, uv = 0, es256 = 0, has_pin = 0, *retries, r = -1;
	uint8_t *hash;
	struct sk_badge *b = NULL;
	cbor_item_t *m = NULL, *att = NULL, *cose = NULL;
	unsigned char *cose_buf = NULL;
	size_t cose_sz = 0, cose_len;

	if (sk_get_bytes(sk_map_get_int(req, 1), &cdh, &cdhlen) < 0 || rp == NULL || user == NULL || params == NULL)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if (cdhlen != 32)
		return status_only(CTAP1_ERR_INVALID_LENGTH, out, outlen);
	memcpy(cdh_copy, cdh, 32);
	if (sk_get_text(sk_map_get_str(rp, "id"), rp_id, sizeof(rp_id)) < 0 || rp_id[0] == '\0' ||
	    sk_get_bytes(sk_map_get_str(user, "id"), &uid, &uidlen) < 0)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if (uidlen == 0 || uidlen > SK_USER_ID_MAX)
		return status_only(CTAP1_ERR_INVALID_LENGTH, out, outlen);
	if ((sk_map_get_str(user, "name") != NULL && sk_get_text(sk_map_get_str(user, "name"), name, sizeof(name)) < 0) ||
	    (sk_map_get_str(user, "displayName") != NULL &&
	    sk_get_text(sk_map_get_str(user, "displayName"), dname, sizeof(dname)) < 0))
		return status_only(CTAP2_ERR_CBOR_UNEXPECTED_TYPE, out, outlen);
	if (!cbor_isa_array(params) || !cbor_array_is_definite(params))
		return status_only(CTAP2_ERR_CBOR_UNEXPECTED_TYPE, out, outlen);
	for (i = 0; i < cbor_array_size(params); i++) {
		const cbor_item_t *p = cbor_array_handle(params)[i];
		char type[32];
		int64_t alg;

		if (sk_get_int(sk_map_get_str(p, "alg"), &alg) == 0 &&
		    sk_get_text(sk_map_get_str(p, "type"), type, sizeof(type)) == 0 &&
		    alg == COSE_ES256 && strcmp(type, "public-key") == 0)
			es256 = 1;
	}
	if (!es256)
		return status_only(CTAP2_ERR_UNSUPPORTED_ALGORITHM, out, outlen);
	if ((st = parse_options(sk_map_get_int(req, 7), &rk, &up, 0)) != CTAP2_OK)
		return status_only(st, out, outlen);
	if (!up)
		return status_only(CTAP2_ERR_INVALID_OPTION, out, outlen);
	if ((st = check_pin_auth(a, sk_map_get_int(req, 8), sk_map_get_int(req, 9), cdh_copy,
	    PERM_MC, rp_id, &uv)) != CTAP2_OK)
		return status_only(st, out, outlen);

	sk_lock(a->sk);
	if (sk_pin_state(a, &has_pin, &hash, &retries) < 0)
		has_pin = 0;
	if (has_pin && !uv) {
		sk_unlock(a->sk);
		/* discoverable credentials need UV once a PIN is set (CTAP 2.1 6.1.2) */
		return status_only(CTAP2_ERR_PUAT_REQUIRED, out, outlen);
	}
	if (excl != NULL && cbor_isa_array(excl) && cbor_array_is_definite(excl)) {
		size_t j, k;

		for (j = 0; j < cbor_array_size(excl); j++) {
			const uint8_t *id;
			size_t idlen;

			if (sk_get_bytes(sk_map_get_str(cbor_array_handle(excl)[j], "id"), &id, &idlen) < 0)
				continue;
			for (k = 0; k < a->sk->n; k++)
				if (in_scope(a, k) && a->sk->badges[k]->cred_id_len == idlen &&
				    memcmp(a->sk->badges[k]->cred_id, id, idlen) == 0 &&
				    strcmp(a->sk->badges[k]->rp_id, rp_id) == 0) {
					sk_unlock(a->sk);
					if ((st = (uint8_t)a->wait_touch(a->ctx)) != CTAP2_OK)
						return status_only(st, out, outlen);
					return status_only(CTAP2_ERR_CREDENTIAL_EXCLUDED, out, outlen);
				}
		}
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		sk_unlock(a->sk);
		goto fail;
	}
	b->has_pin = has_pin;
	if (has_pin)
		memcpy(b->pin_hash, hash, 16);
	b->pin_retries = has_pin ? *retries : SK_PIN_RETRIES;
	b->roles = strdup(a->sk->enrol_roles != NULL ? a->sk->enrol_roles : "");
	sk_unlock(a->sk);

	if ((st = (uint8_t)a->wait_touch(a->ctx)) != CTAP2_OK) {
		sk_badge_free(b);
		return status_only(st, out, outlen);
	}
	if (b->roles == NULL || (b->rp_id = strdup(rp_id)) == NULL ||
	    (b->user_id = user_id_string(uid, uidlen)) == NULL ||
	    (b->user_name = strdup(name)) == NULL || (b->display_name = strdup(dname)) == NULL ||
	    sk_ec_gen(b->priv, b->pub) < 0 || sk_random(b->cred_id, SK_CRED_ID_LEN) < 0)
		goto fail;
	b->cred_id_len = SK_CRED_ID_LEN;
	memcpy(b->user_handle, uid, uidlen);
	b->user_handle_len = uidlen;

	/* authData with attested credential data: aaguid | L | credId | COSE key */
	if ((cose = sk_cose_p256(b->pub, COSE_ES256)) == NULL ||
	    (cose_len = cbor_serialize_alloc(cose, &cose_buf, &cose_sz)) == 0)
		goto fail;
	adlen = auth_data_head(rp_id, (uint8_t)(FLAG_UP | FLAG_AT | (uv ? FLAG_UV : 0)), 0, ad);
	if (adlen + 16 + 2 + SK_CRED_ID_LEN + cose_len > sizeof(ad))
		goto fail;
	memcpy(ad + adlen, a->sk->aaguid, 16);
	adlen += 16;
	ad[adlen++] = 0;
	ad[adlen++] = SK_CRED_ID_LEN;
	memcpy(ad + adlen, b->cred_id, SK_CRED_ID_LEN);
	adlen += SK_CRED_ID_LEN;
	memcpy(ad + adlen, cose_buf, cose_len);
	adlen += cose_len;
	if (sign2(b->priv, ad, adlen, cdh_copy, sig, &siglen) < 0)
		goto fail;

	sk_lock(a->sk);
	st = sk_new_badge_locked(a->sk, b) == SOFTKEY_OK ? CTAP2_OK : CTAP2_ERR_KEY_STORE_FULL;
	if (st == CTAP2_OK && a->blank) {
		/* the blank key now is this badge */
		a->blank = 0;
		a->badge = (int)a->sk->n - 1;
	}
	sk_unlock(a->sk);
	b = NULL;	/* taken by sk_new_badge_locked */
	if (st != CTAP2_OK) {
		r = status_only(st, out, outlen);
		goto fail;
	}

	if ((m = cbor_new_definite_map(3)) == NULL || (att = cbor_new_definite_map(2)) == NULL ||
	    sk_map_put(att, cbor_build_string("alg"), sk_cbor_int(COSE_ES256)) < 0 ||
	    sk_map_put(att, cbor_build_string("sig"), cbor_build_bytestring(sig, siglen)) < 0 ||
	    sk_map_put(m, sk_cbor_int(1), cbor_build_string("packed")) < 0 ||
	    sk_map_put(m, sk_cbor_int(2), cbor_build_bytestring(ad, adlen)) < 0 ||
	    sk_map_put(m, sk_cbor_int(3), cbor_incref(att)) < 0)
		goto fail;
	r = sk_answer(CTAP2_OK, m, out, outlen);
fail:
	sk_badge_free(b);
	free(cose_buf);
	if (cose != NULL)
		cbor_decref(&cose);
	if (att != NULL)
		cbor_decref(&att);
	if (m != NULL)
		cbor_decref(&m);
	return r;
}

/* Build and sign one assertion answer for badge idx; bumps and saves its counter. */
static int
assertion_answer(struct sk_auth *a, size_t idx, const char *rp, const uint8_t cdh[32],
    uint8_t flags, size_t count, uint8_t **out, size_t *outlen)
{
	struct sk_badge *b;
	uint8_t ad[64], sig[80], priv[32], cred[SK_CRED_ID_MAX], uh[SK_USER_ID_MAX];
	size_t adlen, siglen = sizeof(sig), credlen, uhlen;
	char *uname = NULL, *dname = NULL;
	cbor_item_t *m = NULL, *cred_m = NULL, *user_m = NULL;
	uint32_t counter;
	int r = -1, uv = (flags & FLAG_UV) != 0;

	sk_lock(a->sk);
	if (idx >= a->sk->n) {
		sk_unlock(a->sk);
		return status_only(CTAP2_ERR_NO_CREDENTIALS, out, outlen);
	}
	b = a->sk->badges[idx];
	b->sign_count++;
	counter = b->sign_count;
	/* written back before the answer leaves, as a real key's counter would be */
	if (sk_save_locked(a->sk) != SOFTKEY_OK) {
		b->sign_count--;
		sk_unlock(a->sk);
		return status_only(CTAP1_ERR_OTHER, out, outlen);
	}
	memcpy(priv, b->priv, 32);
	memcpy(cred, b->cred_id, b->cred_id_len);
	credlen = b->cred_id_len;
	memcpy(uh, b->user_handle, b->user_handle_len);
	uhlen = b->user_handle_len;
	uname = strdup(b->user_name);
	dname = strdup(b->display_name);
	sk_unlock(a->sk);

	adlen = auth_data_head(rp, flags, counter, ad);
	if (uname == NULL || dname == NULL || sign2(priv, ad, adlen, cdh, sig, &siglen) < 0)
		goto fail;
	if ((m = cbor_new_definite_map(count > 1 ? 5 : 4)) == NULL ||
	    (cred_m = cbor_new_definite_map(2)) == NULL ||
	    (user_m = cbor_new_definite_map(uv ? 3 : 1)) == NULL)
		goto fail;
	if (sk_map_put(cred_m, cbor_build_string("id"), cbor_build_bytestring(cred, credlen)) < 0 ||
	    sk_map_put(cred_m, cbor_build_string("type"), cbor_build_string("public-key")) < 0 ||
	    sk_map_put(user_m, cbor_build_string("id"), cbor_build_bytestring(uh, uhlen)) < 0)
		goto fail;
	/* names only after user verification (CTAP 2.1 6.2.2) */
	if (uv && (sk_map_put(user_m, cbor_build_string("name"), cbor_build_string(uname)) < 0 ||
	    sk_map_put(user_m, cbor_build_string("displayName"), cbor_build_string(dname)) < 0))
		goto fail;
	if (sk_map_put(m, sk_cbor_int(1), cbor_incref(cred_m)) < 0 ||
	    sk_map_put(m, sk_cbor_int(2), cbor_build_bytestring(ad, adlen)) < 0 ||
	    sk_map_put(m, sk_cbor_int(3), cbor_build_bytestring(sig, siglen)) < 0 ||
	    sk_map_put(m, sk_cbor_int(4), cbor_incref(user_m)) < 0)
		goto fail;
	if (count > 1 && sk_map_put(m, sk_cbor_int(5), sk_cbor_int((int64_t)count)) < 0)
		goto fail;
	r = sk_answer(CTAP2_OK, m, out, outlen);
fail:
	OPENSSL_cleanse(priv, sizeof(priv));
	free(uname);
	free(dname);
	if (m != NULL)
		cbor_decref(&m);
	if (cred_m != NULL)
		cbor_decref(&cred_m);
	if (user_m != NULL)
		cbor_decref(&user_m);
	return r;
}

static int
allowed(const cbor_item_t *allow, const struct sk_badge *b)
{
	size_t j;

	if (allow == NULL)
		return 1;
	for (j = 0; j < cbor_array_size(allow); j++) {
		const uint8_t *id;
		size_t idlen;

		if (sk_get_bytes(sk_map_get_str(cbor_array_handle(allow)[j], "id"), &id, &idlen) == 0 &&
		    idlen == b->cred_id_len && memcmp(id, b->cred_id, idlen) == 0)
			return 1;
	}
	return 0;
}

static int
get_assertion(struct sk_auth *a, const cbor_item_t *req, uint8_t **out, size_t *outlen)
{
	const cbor_item_t *allow = sk_map_get_int(req, 3), *param = sk_map_get_int(req, 6);
	const uint8_t *cdh;
	size_t cdhlen, i;
	char rp[256];
	uint8_t cdh_copy[32], st, flags = 0;
	int rk, up, uv = 0;

	a->next_n = a->next_pos = 0;
	if (sk_get_text(sk_map_get_int(req, 1), rp, sizeof(rp)) < 0 ||
	    sk_get_bytes(sk_map_get_int(req, 2), &cdh, &cdhlen) < 0)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if (cdhlen != 32)
		return status_only(CTAP1_ERR_INVALID_LENGTH, out, outlen);
	memcpy(cdh_copy, cdh, 32);
	if (allow != NULL && (!cbor_isa_array(allow) || !cbor_array_is_definite(allow)))
		return status_only(CTAP2_ERR_CBOR_UNEXPECTED_TYPE, out, outlen);
	if (allow != NULL && cbor_array_size(allow) == 0)
		allow = NULL;	/* an empty list is no list */
	/* with a pinUvAuthParam the "uv" option is moot (CTAP 2.1 6.2.2 step 5) */
	if ((st = parse_options(sk_map_get_int(req, 5), &rk, &up, param != NULL)) != CTAP2_OK)
		return status_only(st, out, outlen);
	if (rk)
		return status_only(CTAP2_ERR_INVALID_OPTION, out, outlen);
	if ((st = check_pin_auth(a, param, sk_map_get_int(req, 7), cdh_copy, PERM_GA, rp, &uv)) != CTAP2_OK)
		return status_only(st, out, outlen);

	sk_lock(a->sk);
	for (i = 0; i < a->sk->n && a->next_n < sizeof(a->next_idx) / sizeof(a->next_idx[0]); i++) {
		struct sk_badge *b = a->sk->badges[i];

		if (in_scope(a, i) && strcmp(b->rp_id, rp) == 0 && allowed(allow, b))
			a->next_idx[a->next_n++] = i;
	}
	sk_unlock(a->sk);
	if (a->next_n == 0)
		return status_only(CTAP2_ERR_NO_CREDENTIALS, out, outlen);
	if (up) {
		if ((st = (uint8_t)a->wait_touch(a->ctx)) != CTAP2_OK) {
			a->next_n = 0;
			return status_only(st, out, outlen);
		}
		flags |= FLAG_UP;
	}
	if (uv)
		flags |= FLAG_UV;
	/* An allow list names its credentials: answer only the first (CTAP 2.1 6.2.2). */
	if (allow != NULL)
		a->next_n = 1;
	a->next_flags = flags;
	memcpy(a->next_cdh, cdh_copy, 32);
	snprintf(a->next_rp, sizeof(a->next_rp), "%s", rp);
	a->next_pos = 1;
	return assertion_answer(a, a->next_idx[0], rp, cdh_copy, flags, a->next_n, out, outlen);
}

static int
get_next(struct sk_auth *a, uint8_t **out, size_t *outlen)
{
	size_t idx;

	if (a->next_pos == 0 || a->next_pos >= a->next_n)
		return status_only(CTAP2_ERR_NOT_ALLOWED, out, outlen);
	idx = a->next_idx[a->next_pos++];
	return assertion_answer(a, idx, a->next_rp, a->next_cdh, a->next_flags, 0, out, outlen);
}

int
sk_ctap_handle(struct sk_auth *a, const uint8_t *req, size_t len, uint8_t **out, size_t *outlen)
{
	struct cbor_load_result res;
	cbor_item_t *body = NULL;
	uint8_t cmd;
	int r;

	*out = NULL;
	*outlen = 0;
	if (len == 0)
		return status_only(CTAP1_ERR_INVALID_LENGTH, out, outlen);
	cmd = req[0];
	if (cmd != CTAP_GET_NEXT)
		a->next_n = a->next_pos = 0;	/* getNextAssertion must follow at once */
	if (cmd == CTAP_GET_INFO)
		return get_info(a, out, outlen);
	if (cmd == CTAP_GET_NEXT)
		return get_next(a, out, outlen);
	if (cmd != CTAP_MAKE_CREDENTIAL && cmd != CTAP_GET_ASSERTION && cmd != CTAP_CLIENT_PIN)
		return status_only(CTAP1_ERR_INVALID_COMMAND, out, outlen);
	if (len < 2)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if (sk_cbor_precheck(req + 1, len - 1) < 0 ||
	    (body = cbor_load(req + 1, len - 1, &res)) == NULL || res.read != len - 1) {
		if (body != NULL)
			cbor_decref(&body);
		return status_only(CTAP2_ERR_INVALID_CBOR, out, outlen);
	}
	if (!cbor_isa_map(body) || !cbor_map_is_definite(body)) {
		cbor_decref(&body);
		return status_only(CTAP2_ERR_CBOR_UNEXPECTED_TYPE, out, outlen);
	}
	switch (cmd) {
	case CTAP_MAKE_CREDENTIAL:
		r = make_credential(a, body, out, outlen);
		break;
	case CTAP_GET_ASSERTION:
		r = get_assertion(a, body, out, outlen);
		break;
	default:
		r = sk_ctap_client_pin(a, body, out, outlen);
		break;
	}
	cbor_decref(&body);
	return r;
}

void
sk_auth_wipe(struct sk_auth *a)
{
	OPENSSL_cleanse(a->ka_priv, sizeof(a->ka_priv));
	OPENSSL_cleanse(a->token, sizeof(a->token));
	OPENSSL_cleanse(a->blank_pin_hash, sizeof(a->blank_pin_hash));
	a->token_valid = 0;
	a->ka_ready = 0;
}
