/* Softkey clientPIN (CTAP 2.1 section 6.5), protocols 1 and 2: retries, key agreement, set/change PIN, tokens. */
#include <string.h>

#include <openssl/crypto.h>

#include "auth/softkey_int.h"

#define PIN_GET_RETRIES		0x01
#define PIN_GET_KEY_AGREEMENT	0x02
#define PIN_SET_PIN		0x03
#define PIN_CHANGE_PIN		0x04
#define PIN_GET_TOKEN		0x05
#define PIN_GET_TOKEN_PERMS	0x09

#define COSE_ECDH_ES_HKDF_256	(-25)
#define PERM_MC_GA		0x03
#define MAX_MISMATCHES		3	/* per power-up, then PIN_AUTH_BLOCKED */

static int
status_only(uint8_t st, uint8_t **out, size_t *outlen)
{
	return sk_answer(st, NULL, out, outlen);
}

/* A new key agreement key; the old shared secrets stop working. */
static int
new_key_agreement(struct sk_auth *a)
{
	a->ka_ready = sk_ec_gen(a->ka_priv, a->ka_pub) == 0;
	return a->ka_ready ? 0 : -1;
}

/* Platform COSE key + our key agreement key -> shared secret for proto. */
static uint8_t
shared_secret(struct sk_auth *a, const cbor_item_t *cose, int proto, struct sk_shared *s)
{
	const uint8_t *x, *y;
	size_t xl, yl;
	int64_t kty, crv;
	uint8_t xy[64], z[32];
	int r;

	if (cose == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_map(cose) || sk_get_int(sk_map_get_int(cose, 1), &kty) < 0 ||
	    sk_get_int(sk_map_get_int(cose, -1), &crv) < 0 ||
	    sk_get_bytes(sk_map_get_int(cose, -2), &x, &xl) < 0 ||
	    sk_get_bytes(sk_map_get_int(cose, -3), &y, &yl) < 0 ||
	    kty != 2 || crv != 1 || xl != 32 || yl != 32)
		return CTAP1_ERR_INVALID_PARAMETER;
	if (!a->ka_ready)
		return CTAP2_ERR_PIN_AUTH_INVALID;	/* no getKeyAgreement since power-up */
	memcpy(xy, x, 32);
	memcpy(xy + 32, y, 32);
	r = sk_ecdh(a->ka_priv, xy, z) == 0 && sk_pin_kdf(proto, z, s) == 0;
	OPENSSL_cleanse(z, sizeof(z));
	return r ? CTAP2_OK : CTAP1_ERR_INVALID_PARAMETER;
}

static void
persist_locked(struct sk_auth *a)
{
	if (!a->blank)
		(void)sk_save_locked(a->sk);	/* a failed write keeps the stricter in-memory state */
}

/* Decrypt a padded new PIN (64 bytes) and hash it. */
static uint8_t
new_pin_hash(const struct sk_shared *s, const uint8_t *enc, size_t enclen, uint8_t hash[16])
{
	uint8_t pin[96], full[32];
	size_t n = 0, len, i, cps = 0;
	uint8_t st = CTAP2_ERR_PIN_POLICY_VIOLATION;

	if (enclen != (s->proto == 1 ? 64u : 80u))
		return CTAP1_ERR_INVALID_PARAMETER;
	if (sk_pin_decrypt(s, enc, enclen, pin, &n) < 0 || n != 64) {
		st = CTAP1_ERR_INVALID_PARAMETER;
		goto out;
	}
	for (len = 0; len < 64 && pin[len] != 0; len++)
		;
	for (i = 0; i < len; i++)
		if ((pin[i] & 0xc0) != 0x80)
			cps++;	/* count code points, not bytes */
	if (len > SK_PIN_MAX || cps < SK_PIN_MIN)
		goto out;
	if (sk_sha256(pin, len, full) < 0) {
		st = CTAP1_ERR_OTHER;
		goto out;
	}
	memcpy(hash, full, 16);
	st = CTAP2_OK;
out:
	OPENSSL_cleanse(pin, sizeof(pin));
	OPENSSL_cleanse(full, sizeof(full));
	return st;
}

/* Check pinHashEnc against the stored hash, counting retries (CTAP 2.1 6.5.5.5). Lock held. */
static uint8_t
verify_pin_locked(struct sk_auth *a, const struct sk_shared *s, const cbor_item_t *enc_it)
{
	const uint8_t *enc;
	size_t enclen, n = 0;
	uint8_t dec[48], *hash;
	int has_pin = 0, *retries, ok;

	if (sk_get_bytes(enc_it, &enc, &enclen) < 0)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (sk_pin_state(a, &has_pin, &hash, &retries) < 0 || !has_pin)
		return CTAP2_ERR_PIN_NOT_SET;
	if (*retries <= 0)
		return CTAP2_ERR_PIN_BLOCKED;
	if (a->mismatches >= MAX_MISMATCHES)
		return CTAP2_ERR_PIN_AUTH_BLOCKED;
	if (enclen != (s->proto == 1 ? 16u : 32u))
		return CTAP1_ERR_INVALID_PARAMETER;
	(*retries)--;
	persist_locked(a);
	ok = sk_pin_decrypt(s, enc, enclen, dec, &n) == 0 && n == 16 && CRYPTO_memcmp(dec, hash, 16) == 0;
	OPENSSL_cleanse(dec, sizeof(dec));
	if (!ok) {
		a->mismatches++;
		(void)new_key_agreement(a);
		if (*retries <= 0)
			return CTAP2_ERR_PIN_BLOCKED;
		if (a->mismatches >= MAX_MISMATCHES)
			return CTAP2_ERR_PIN_AUTH_BLOCKED;
		return CTAP2_ERR_PIN_INVALID;
	}
	*retries = SK_PIN_RETRIES;
	a->mismatches = 0;
	persist_locked(a);
	return CTAP2_OK;
}

static int
answer_retries(struct sk_auth *a, uint8_t **out, size_t *outlen)
{
	cbor_item_t *m;
	int has_pin = 0, *retries, n = SK_PIN_RETRIES, r = -1;
	uint8_t *hash;

	sk_lock(a->sk);
	if (sk_pin_state(a, &has_pin, &hash, &retries) == 0)
		n = *retries;
	sk_unlock(a->sk);
	if ((m = cbor_new_definite_map(1)) == NULL)
		return -1;
	if (sk_map_put(m, sk_cbor_int(3), sk_cbor_int(n)) == 0)
		r = sk_answer(CTAP2_OK, m, out, outlen);
	cbor_decref(&m);
	return r;
}

static int
answer_key_agreement(struct sk_auth *a, uint8_t **out, size_t *outlen)
{
	cbor_item_t *m;
	int r = -1;

	if (!a->ka_ready && new_key_agreement(a) < 0)
		return status_only(CTAP1_ERR_OTHER, out, outlen);
	if ((m = cbor_new_definite_map(1)) == NULL)
		return -1;
	if (sk_map_put(m, sk_cbor_int(1), sk_cose_p256(a->ka_pub, COSE_ECDH_ES_HKDF_256)) == 0)
		r = sk_answer(CTAP2_OK, m, out, outlen);
	cbor_decref(&m);
	return r;
}

/* setPIN (3) and changePIN (4). */
static uint8_t
set_or_change(struct sk_auth *a, const cbor_item_t *req, const struct sk_shared *s, int change)
{
	const uint8_t *auth, *newenc, *hashenc = NULL;
	size_t authlen, newlen, hashlen = 0;
	uint8_t msg[80 + 32], newhash[16], *hash, st;
	int has_pin = 0, *retries;

	if (sk_get_bytes(sk_map_get_int(req, 4), &auth, &authlen) < 0 ||
	    sk_get_bytes(sk_map_get_int(req, 5), &newenc, &newlen) < 0 ||
	    (change && sk_get_bytes(sk_map_get_int(req, 6), &hashenc, &hashlen) < 0))
		return CTAP2_ERR_MISSING_PARAMETER;
	if (newlen > 80 || hashlen > 32)
		return CTAP1_ERR_INVALID_PARAMETER;
	memcpy(msg, newenc, newlen);
	if (change)
		memcpy(msg + newlen, hashenc, hashlen);
	if (sk_pin_verify(s->proto, s->hmac_key, 32, msg, newlen + hashlen, auth, authlen) < 0)
		return CTAP2_ERR_PIN_AUTH_INVALID;

	sk_lock(a->sk);
	if (sk_pin_state(a, &has_pin, &hash, &retries) < 0) {
		st = CTAP2_ERR_NOT_ALLOWED;	/* an empty file has no authenticator to protect */
		goto out;
	}
	if ((!change && has_pin) || (!a->blank && a->badge < 0)) {
		/* every-badge devices hold many PINs: set them one badge at a time */
		st = CTAP2_ERR_NOT_ALLOWED;
		goto out;
	}
	if (change && (st = verify_pin_locked(a, s, sk_map_get_int(req, 6))) != CTAP2_OK)
		goto out;
	if ((st = new_pin_hash(s, newenc, newlen, newhash)) != CTAP2_OK)
		goto out;
	if (a->blank)
		a->blank_has_pin = 1;
	else
		a->sk->badges[a->badge]->has_pin = 1;
	memcpy(hash, newhash, 16);
	*retries = SK_PIN_RETRIES;
	a->token_valid = 0;
	persist_locked(a);
out:
	sk_unlock(a->sk);
	OPENSSL_cleanse(newhash, sizeof(newhash));
	return st;
}

/* getPinToken (5) and getPinUvAuthTokenUsingPinWithPermissions (9). */
static int
get_token(struct sk_auth *a, const cbor_item_t *req, const struct sk_shared *s, int sub,
    uint8_t **out, size_t *outlen)
{
	uint64_t perms = PERM_MC_GA;
	char rp[256] = "";
	uint8_t enc[64], st;
	size_t enclen = 0;
	cbor_item_t *m = NULL;
	int r = -1;

	if (sub == PIN_GET_TOKEN_PERMS) {
		if (sk_get_uint(sk_map_get_int(req, 9), &perms) < 0)
			return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
		if (perms == 0)
			return status_only(CTAP1_ERR_INVALID_PARAMETER, out, outlen);
		if (perms & ~(uint64_t)PERM_MC_GA)
			return status_only(CTAP2_ERR_UNAUTHORIZED_PERM, out, outlen);
		if (sk_map_get_int(req, 10) != NULL && sk_get_text(sk_map_get_int(req, 10), rp, sizeof(rp)) < 0)
			return status_only(CTAP2_ERR_CBOR_UNEXPECTED_TYPE, out, outlen);
	} else if (sk_map_get_int(req, 9) != NULL || sk_map_get_int(req, 10) != NULL)
		return status_only(CTAP1_ERR_INVALID_PARAMETER, out, outlen);

	sk_lock(a->sk);
	st = verify_pin_locked(a, s, sk_map_get_int(req, 6));
	sk_unlock(a->sk);
	if (st != CTAP2_OK)
		return status_only(st, out, outlen);

	/* A fresh token each time: earlier ones stop working (CTAP 2.1 6.5.5.7). */
	if (sk_random(a->token, sizeof(a->token)) < 0 ||
	    sk_pin_encrypt(s, a->token, sizeof(a->token), enc, &enclen) < 0)
		return status_only(CTAP1_ERR_OTHER, out, outlen);
	a->token_valid = 1;
	a->token_proto = s->proto;
	a->token_perms = (unsigned)perms;
	memcpy(a->token_rp, rp, sizeof(rp));
	if ((m = cbor_new_definite_map(1)) == NULL)
		return -1;
	if (sk_map_put(m, sk_cbor_int(2), cbor_build_bytestring(enc, enclen)) == 0)
		r = sk_answer(CTAP2_OK, m, out, outlen);
	cbor_decref(&m);
	return r;
}

int
sk_ctap_client_pin(struct sk_auth *a, const cbor_item_t *req, uint8_t **out, size_t *outlen)
{
	struct sk_shared s;
	uint64_t proto = 0, sub;
	uint8_t st;
	int r;

	if (sk_get_uint(sk_map_get_int(req, 2), &sub) < 0)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if (sub == PIN_GET_RETRIES)
		return answer_retries(a, out, outlen);
	if (sk_get_uint(sk_map_get_int(req, 1), &proto) < 0)
		return status_only(CTAP2_ERR_MISSING_PARAMETER, out, outlen);
	if ((proto != 1 && proto != 2) || !(a->pin_protocols & (proto == 1 ? 1u : 2u)))
		return status_only(CTAP1_ERR_INVALID_PARAMETER, out, outlen);
	if (sub == PIN_GET_KEY_AGREEMENT)
		return answer_key_agreement(a, out, outlen);
	if (sub != PIN_SET_PIN && sub != PIN_CHANGE_PIN && sub != PIN_GET_TOKEN && sub != PIN_GET_TOKEN_PERMS)
		return status_only(CTAP1_ERR_INVALID_COMMAND, out, outlen);
	if ((st = shared_secret(a, sk_map_get_int(req, 3), (int)proto, &s)) != CTAP2_OK)
		return status_only(st, out, outlen);
	if (sub == PIN_SET_PIN || sub == PIN_CHANGE_PIN)
		r = status_only(set_or_change(a, req, &s, sub == PIN_CHANGE_PIN), out, outlen);
	else
		r = get_token(a, req, &s, (int)sub, out, outlen);
	OPENSSL_cleanse(&s, sizeof(s));
	return r;
}
