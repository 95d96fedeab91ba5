/* Softkey crypto: P-256 keys, ES256 signatures, ECDH and the clientPIN protocols 1 and 2 (OpenSSL 3). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "auth/softkey_int.h"

int
sk_random(uint8_t *out, size_t n)
{
	return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

int
sk_sha256(const uint8_t *in, size_t n, uint8_t out[32])
{
	return SHA256(in, n, out) != NULL ? 0 : -1;
}

/* d * G as x || y; refuses d outside [1, n-1]. */
int
sk_ec_pub(const uint8_t d[32], uint8_t xy[64])
{
	EC_GROUP *g = NULL;
	EC_POINT *p = NULL;
	BIGNUM *bn = NULL;
	BN_CTX *bctx = NULL;
	uint8_t oct[65];
	int r = -1;

	if ((g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)) == NULL ||
	    (p = EC_POINT_new(g)) == NULL || (bctx = BN_CTX_new()) == NULL ||
	    (bn = BN_bin2bn(d, 32, NULL)) == NULL)
		goto fail;
	if (BN_is_zero(bn) || BN_cmp(bn, EC_GROUP_get0_order(g)) >= 0)
		goto fail;
	if (EC_POINT_mul(g, p, bn, NULL, NULL, bctx) != 1 ||
	    EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof(oct), bctx) != sizeof(oct))
		goto fail;
	memcpy(xy, oct + 1, 64);
	r = 0;
fail:
	BN_clear_free(bn);
	BN_CTX_free(bctx);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	return r;
}

int
sk_ec_gen(uint8_t d[32], uint8_t xy[64])
{
	int tries;

	/* A random 256-bit value is below the order with probability ~1 - 2^-32. */
	for (tries = 0; tries < 8; tries++) {
		if (sk_random(d, 32) < 0)
			return -1;
		if (sk_ec_pub(d, xy) == 0)
			return 0;
	}
	OPENSSL_cleanse(d, 32);
	return -1;
}

/* An EVP_PKEY from a private scalar (with its public point) or a public point alone. */
static EVP_PKEY *
pkey_from(const uint8_t *d, const uint8_t xy[64])
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *bn = NULL;
	uint8_t oct[65];

	oct[0] = 0x04;
	memcpy(oct + 1, xy, 64);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, oct, sizeof(oct)))
		goto fail;
	if (d != NULL) {
		if ((bn = BN_secure_new()) == NULL || BN_bin2bn(d, 32, bn) == NULL ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn))
			goto fail;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, d != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
fail:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);	/* the scalar copy sat in a secure block: cleared here */
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	return pk;
}

int
sk_es256_sign(const uint8_t d[32], const uint8_t *msg, size_t n, uint8_t *sig, size_t *siglen)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *mctx = NULL;
	uint8_t xy[64];
	int r = -1;

	if (sk_ec_pub(d, xy) < 0 || (pk = pkey_from(d, xy)) == NULL ||
	    (mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(mctx, NULL, EVP_sha256(), NULL, pk) != 1 ||
	    EVP_DigestSign(mctx, sig, siglen, msg, n) != 1)
		goto fail;
	r = 0;
fail:
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(pk);
	return r;
}

int
sk_ecdh(const uint8_t d[32], const uint8_t peer_xy[64], uint8_t z[32])
{
	EVP_PKEY *mine = NULL, *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t xy[64];
	size_t zlen = 32;
	int r = -1;

	if (sk_ec_pub(d, xy) < 0 || (mine = pkey_from(d, xy)) == NULL ||
	    (peer = pkey_from(NULL, peer_xy)) == NULL ||	/* refuses points off the curve */
	    (ctx = EVP_PKEY_CTX_new(mine, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 || EVP_PKEY_derive_set_peer(ctx, peer) != 1 ||
	    EVP_PKEY_derive(ctx, z, &zlen) != 1 || zlen != 32)
		goto fail;
	r = 0;
fail:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	EVP_PKEY_free(mine);
	return r;
}

static int
hkdf32(const uint8_t z[32], const char *info, uint8_t out[32])
{
	static const uint8_t salt[32];
	EVP_PKEY_CTX *ctx;
	size_t outlen = 32;
	int r = -1;

	if ((ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL)) == NULL)
		return -1;
	if (EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt, sizeof(salt)) == 1 &&
	    EVP_PKEY_CTX_set1_hkdf_key(ctx, z, 32) == 1 &&
	    EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)info, (int)strlen(info)) == 1 &&
	    EVP_PKEY_derive(ctx, out, &outlen) == 1 && outlen == 32)
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int
sk_pin_kdf(int proto, const uint8_t z[32], struct sk_shared *s)
{
	s->proto = proto;
	if (proto == 1) {
		if (sk_sha256(z, 32, s->hmac_key) < 0)
			return -1;
		memcpy(s->aes_key, s->hmac_key, 32);
		return 0;
	}
	if (proto == 2)
		return hkdf32(z, "CTAP2 HMAC key", s->hmac_key) < 0 ||
		    hkdf32(z, "CTAP2 AES key", s->aes_key) < 0 ? -1 : 0;
	return -1;
}

static int
aes_cbc(int enc, const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t n, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx;
	int l1 = 0, l2 = 0, r = -1;

	if (n % 16 != 0 || n > 4096 || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv, enc) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &l1, in, (int)n) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + l1, &l2) == 1 && (size_t)(l1 + l2) == n)
		r = 0;
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

int
sk_pin_encrypt(const struct sk_shared *s, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
	static const uint8_t zero_iv[16];

	if (s->proto == 1) {
		if (aes_cbc(1, s->aes_key, zero_iv, in, inlen, out) < 0)
			return -1;
		*outlen = inlen;
		return 0;
	}
	if (sk_random(out, 16) < 0 || aes_cbc(1, s->aes_key, out, in, inlen, out + 16) < 0)
		return -1;
	*outlen = inlen + 16;
	return 0;
}

int
sk_pin_decrypt(const struct sk_shared *s, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
	static const uint8_t zero_iv[16];

	if (s->proto == 1) {
		if (aes_cbc(0, s->aes_key, zero_iv, in, inlen, out) < 0)
			return -1;
		*outlen = inlen;
		return 0;
	}
	if (inlen < 16 || aes_cbc(0, s->aes_key, in, in + 16, inlen - 16, out) < 0)
		return -1;
	*outlen = inlen - 16;
	return 0;
}

int
sk_pin_verify(int proto, const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen,
    const uint8_t *param, size_t paramlen)
{
	uint8_t mac[32];
	unsigned int maclen = 0;
	size_t want = proto == 1 ? 16 : 32;
	int ok;

	if ((proto != 1 && proto != 2) || param == NULL || paramlen != want)
		return -1;
	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, mac, &maclen) == NULL || maclen != 32)
		return -1;
	ok = CRYPTO_memcmp(mac, param, want) == 0;
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok ? 0 : -1;
}
