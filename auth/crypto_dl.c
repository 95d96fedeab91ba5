/* libfido2 and libcrypto, loaded on first use: the client defines the calls it makes and forwards them. */
#include <dlfcn.h>
#include <fido.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/crypto_dl.h"
#include "common/dl.h"

/*
 * Why: mapping and relocating libcrypto (and libfido2 with libudev and zlib)
 * was ~0.8 ms of a ~4 ms start, and the lock screen needs neither: the first
 * signature is made after a badge tap. Linked normally they load before
 * main(); loaded here, main() loads them right after the first paint, with
 * libcurl (net/curl_dl.c). Only the functions the client calls are
 * forwarded; a new call fails to link until it is added to the lists below,
 * and each entry is checked against the library's own header, since the
 * forwarder is a definition of the declared function.
 *
 * A call before the load loads them then. If that fails there is nothing a
 * caller could do with, say, EVP_sha256() returning NULL, so the client stops,
 * as the dynamic loader would have refused to start it.
 */
#define FIDO_SONAME "libfido2.so.1"	/* the ABI <fido.h> describes */
#define CRYPTO_SONAME "libcrypto.so.3"	/* OpenSSL 3, the ABI of the OpenSSL headers */

/* F(return type, name, (parameters), (arguments)); V(...) for void functions. */
#define CRYPTO_CALLS(F, V) \
	V(void, BN_CTX_free, (BN_CTX *a), (a)) \
	F(BN_CTX *, BN_CTX_new, (void), ()) \
	F(BIGNUM *, BN_bin2bn, (const unsigned char *a, int b, BIGNUM *c), (a, b, c)) \
	V(void, BN_clear_free, (BIGNUM *a), (a)) \
	F(int, BN_cmp, (const BIGNUM *a, const BIGNUM *b), (a, b)) \
	F(int, BN_is_zero, (const BIGNUM *a), (a)) \
	F(BIGNUM *, BN_secure_new, (void), ()) \
	F(int, CRYPTO_memcmp, (const void *a, const void *b, size_t c), (a, b, c)) \
	F(int, CRYPTO_set_mem_functions, (CRYPTO_malloc_fn a, CRYPTO_realloc_fn b, CRYPTO_free_fn c), (a, b, c)) \
	V(void, EC_GROUP_free, (EC_GROUP *a), (a)) \
	F(const BIGNUM *, EC_GROUP_get0_order, (const EC_GROUP *a), (a)) \
	F(EC_GROUP *, EC_GROUP_new_by_curve_name, (int a), (a)) \
	V(void, EC_POINT_free, (EC_POINT *a), (a)) \
	F(int, EC_POINT_mul, (const EC_GROUP *a, EC_POINT *b, const BIGNUM *c, const EC_POINT *d, const BIGNUM *e, BN_CTX *f), \
	    (a, b, c, d, e, f)) \
	F(EC_POINT *, EC_POINT_new, (const EC_GROUP *a), (a)) \
	F(size_t, EC_POINT_point2oct, (const EC_GROUP *a, const EC_POINT *b, point_conversion_form_t c, unsigned char *d, size_t e, BN_CTX *f), \
	    (a, b, c, d, e, f)) \
	V(void, EVP_CIPHER_CTX_free, (EVP_CIPHER_CTX *a), (a)) \
	F(EVP_CIPHER_CTX *, EVP_CIPHER_CTX_new, (void), ()) \
	F(int, EVP_CIPHER_CTX_set_padding, (EVP_CIPHER_CTX *a, int b), (a, b)) \
	F(int, EVP_CipherFinal_ex, (EVP_CIPHER_CTX *a, unsigned char *b, int *c), (a, b, c)) \
	F(int, EVP_CipherInit_ex, (EVP_CIPHER_CTX *a, const EVP_CIPHER *b, ENGINE *c, const unsigned char *d, const unsigned char *e, int f), \
	    (a, b, c, d, e, f)) \
	F(int, EVP_CipherUpdate, (EVP_CIPHER_CTX *a, unsigned char *b, int *c, const unsigned char *d, int e), \
	    (a, b, c, d, e)) \
	F(int, EVP_DigestSign, (EVP_MD_CTX *a, unsigned char *b, size_t *c, const unsigned char *d, size_t e), \
	    (a, b, c, d, e)) \
	F(int, EVP_DigestSignInit, (EVP_MD_CTX *a, EVP_PKEY_CTX **b, const EVP_MD *c, ENGINE *d, EVP_PKEY *e), \
	    (a, b, c, d, e)) \
	V(void, EVP_MD_CTX_free, (EVP_MD_CTX *a), (a)) \
	F(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ()) \
	F(int, EVP_PKEY_CTX_add1_hkdf_info, (EVP_PKEY_CTX *a, const unsigned char *b, int c), (a, b, c)) \
	V(void, EVP_PKEY_CTX_free, (EVP_PKEY_CTX *a), (a)) \
	F(EVP_PKEY_CTX *, EVP_PKEY_CTX_new, (EVP_PKEY *a, ENGINE *b), (a, b)) \
	F(EVP_PKEY_CTX *, EVP_PKEY_CTX_new_from_name, (OSSL_LIB_CTX *a, const char *b, const char *c), \
	    (a, b, c)) \
	F(EVP_PKEY_CTX *, EVP_PKEY_CTX_new_id, (int a, ENGINE *b), (a, b)) \
	F(int, EVP_PKEY_CTX_set1_hkdf_key, (EVP_PKEY_CTX *a, const unsigned char *b, int c), (a, b, c)) \
	F(int, EVP_PKEY_CTX_set1_hkdf_salt, (EVP_PKEY_CTX *a, const unsigned char *b, int c), (a, b, c)) \
	F(int, EVP_PKEY_CTX_set_hkdf_md, (EVP_PKEY_CTX *a, const EVP_MD *b), (a, b)) \
	F(int, EVP_PKEY_derive, (EVP_PKEY_CTX *a, unsigned char *b, size_t *c), (a, b, c)) \
	F(int, EVP_PKEY_derive_init, (EVP_PKEY_CTX *a), (a)) \
	F(int, EVP_PKEY_derive_set_peer, (EVP_PKEY_CTX *a, EVP_PKEY *b), (a, b)) \
	V(void, EVP_PKEY_free, (EVP_PKEY *a), (a)) \
	F(int, EVP_PKEY_fromdata, (EVP_PKEY_CTX *a, EVP_PKEY **b, int c, OSSL_PARAM *d), (a, b, c, d)) \
	F(int, EVP_PKEY_fromdata_init, (EVP_PKEY_CTX *a), (a)) \
	F(const EVP_CIPHER *, EVP_aes_256_cbc, (void), ()) \
	F(const EVP_MD *, EVP_sha256, (void), ()) \
	F(unsigned char *, HMAC, (const EVP_MD *a, const void *b, int c, const unsigned char *d, size_t e, unsigned char *f, unsigned int *g), \
	    (a, b, c, d, e, f, g)) \
	V(void, OSSL_PARAM_BLD_free, (OSSL_PARAM_BLD *a), (a)) \
	F(OSSL_PARAM_BLD *, OSSL_PARAM_BLD_new, (void), ()) \
	F(int, OSSL_PARAM_BLD_push_BN, (OSSL_PARAM_BLD *a, const char *b, const BIGNUM *c), (a, b, c)) \
	F(int, OSSL_PARAM_BLD_push_octet_string, (OSSL_PARAM_BLD *a, const char *b, const void *c, size_t d), \
	    (a, b, c, d)) \
	F(int, OSSL_PARAM_BLD_push_utf8_string, (OSSL_PARAM_BLD *a, const char *b, const char *c, size_t d), \
	    (a, b, c, d)) \
	F(OSSL_PARAM *, OSSL_PARAM_BLD_to_param, (OSSL_PARAM_BLD *a), (a)) \
	V(void, OSSL_PARAM_free, (OSSL_PARAM *a), (a)) \
	F(int, RAND_bytes, (unsigned char *a, int b), (a, b)) \
	F(unsigned char *, SHA256, (const unsigned char *a, size_t b, unsigned char *c), (a, b, c))

#define FIDO_CALLS(F, V) \
	F(size_t, fido_assert_authdata_len, (const fido_assert_t *a, size_t b), (a, b)) \
	F(const unsigned char *, fido_assert_authdata_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
	F(size_t, fido_assert_count, (const fido_assert_t *a), (a)) \
	V(void, fido_assert_free, (fido_assert_t **a), (a)) \
	F(size_t, fido_assert_id_len, (const fido_assert_t *a, size_t b), (a, b)) \
	F(const unsigned char *, fido_assert_id_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
	F(fido_assert_t *, fido_assert_new, (void), ()) \
	F(int, fido_assert_set_clientdata, (fido_assert_t *a, const unsigned char *b, size_t c), (a, b, c)) \
	F(int, fido_assert_set_rp, (fido_assert_t *a, const char *b), (a, b)) \
	F(size_t, fido_assert_sig_len, (const fido_assert_t *a, size_t b), (a, b)) \
	F(const unsigned char *, fido_assert_sig_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
	F(size_t, fido_assert_user_id_len, (const fido_assert_t *a, size_t b), (a, b)) \
	F(const unsigned char *, fido_assert_user_id_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
	F(size_t, fido_cred_authdata_raw_len, (const fido_cred_t *a), (a)) \
	F(const unsigned char *, fido_cred_authdata_raw_ptr, (const fido_cred_t *a), (a)) \
	F(const char *, fido_cred_fmt, (const fido_cred_t *a), (a)) \
	V(void, fido_cred_free, (fido_cred_t **a), (a)) \
	F(size_t, fido_cred_id_len, (const fido_cred_t *a), (a)) \
	F(const unsigned char *, fido_cred_id_ptr, (const fido_cred_t *a), (a)) \
	F(fido_cred_t *, fido_cred_new, (void), ()) \
	F(int, fido_cred_set_clientdata, (fido_cred_t *a, const unsigned char *b, size_t c), (a, b, c)) \
	F(int, fido_cred_set_rk, (fido_cred_t *a, fido_opt_t b), (a, b)) \
	F(int, fido_cred_set_rp, (fido_cred_t *a, const char *b, const char *c), (a, b, c)) \
	F(int, fido_cred_set_type, (fido_cred_t *a, int b), (a, b)) \
	F(int, fido_cred_set_user, (fido_cred_t *a, const unsigned char *b, size_t c, const char *d, const char *e, const char *f), \
	    (a, b, c, d, e, f)) \
	F(size_t, fido_cred_sig_len, (const fido_cred_t *a), (a)) \
	F(const unsigned char *, fido_cred_sig_ptr, (const fido_cred_t *a), (a)) \
	F(int, fido_cred_verify, (const fido_cred_t *a), (a)) \
	F(int, fido_cred_verify_self, (const fido_cred_t *a), (a)) \
	F(size_t, fido_cred_x5c_len, (const fido_cred_t *a), (a)) \
	F(const unsigned char *, fido_cred_x5c_ptr, (const fido_cred_t *a), (a)) \
	F(int, fido_dev_cancel, (fido_dev_t *a), (a)) \
	F(int, fido_dev_close, (fido_dev_t *a), (a)) \
	V(void, fido_dev_free, (fido_dev_t **a), (a)) \
	F(int, fido_dev_get_assert, (fido_dev_t *a, fido_assert_t *b, const char *c), (a, b, c)) \
	F(int, fido_dev_get_retry_count, (fido_dev_t *a, int *b), (a, b)) \
	F(_Bool, fido_dev_has_pin, (const fido_dev_t *a), (a)) \
	V(void, fido_dev_info_free, (fido_dev_info_t **a, size_t b), (a, b)) \
	F(int, fido_dev_info_manifest, (fido_dev_info_t *a, size_t b, size_t *c), (a, b, c)) \
	F(fido_dev_info_t *, fido_dev_info_new, (size_t a), (a)) \
	F(const char *, fido_dev_info_path, (const fido_dev_info_t *a), (a)) \
	F(const fido_dev_info_t *, fido_dev_info_ptr, (const fido_dev_info_t *a, size_t b), (a, b)) \
	F(_Bool, fido_dev_is_fido2, (const fido_dev_t *a), (a)) \
	F(int, fido_dev_make_cred, (fido_dev_t *a, fido_cred_t *b, const char *c), (a, b, c)) \
	F(fido_dev_t *, fido_dev_new, (void), ()) \
	F(int, fido_dev_open, (fido_dev_t *a, const char *b), (a, b)) \
	F(int, fido_dev_set_io_functions, (fido_dev_t *a, const fido_dev_io_t *b), (a, b)) \
	F(int, fido_dev_set_pin, (fido_dev_t *a, const char *b, const char *c), (a, b, c)) \
	F(int, fido_dev_set_timeout, (fido_dev_t *a, int b), (a, b)) \
	V(void, fido_init, (int a), (a))

/* The real functions, once loaded. */
#define POINTER(ret, name, params, args) static ret (*real_##name) params;
CRYPTO_CALLS(POINTER, POINTER)
FIDO_CALLS(POINTER, POINTER)

#define SYM(ret, name, params, args) { #name, &real_##name },
static void (*real_OPENSSL_cleanse)(void *, size_t);
static const struct dl_sym crypto_syms[] = {
	CRYPTO_CALLS(SYM, SYM)
	{ "OPENSSL_cleanse", &real_OPENSSL_cleanse },
};
static const struct dl_sym fido_syms[] = { FIDO_CALLS(SYM, SYM) };

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int loaded;	/* read unlocked by OPENSSL_cleanse */
static char why[256] = "libfido2 and libcrypto were not loaded";

/* Both opened by soname, the loader's own search; bound at once (RTLD_NOW). */
static int
open_lib(const char *soname, const struct dl_sym *syms, size_t n)
{
	return dl_bind(dlopen(soname, RTLD_NOW | RTLD_LOCAL), soname, syms, n, why, sizeof(why));
}

static void
load(void)
{
	if (open_lib(CRYPTO_SONAME, crypto_syms, sizeof(crypto_syms) / sizeof(crypto_syms[0])) != 0 ||
	    open_lib(FIDO_SONAME, fido_syms, sizeof(fido_syms) / sizeof(fido_syms[0])) != 0)
		return;
	loaded = 1;
}

int
crypto_dl_load(void)
{
	pthread_once(&once, load);
	return loaded ? 0 : -1;
}

const char *
crypto_dl_error(void)
{
	return loaded ? "" : why;
}

static void
need(void)
{
	if (crypto_dl_load() != 0) {
		fprintf(stderr, "chartgate: cannot load the authenticator libraries: %s\n", why);
		abort();
	}
}

/* ---- the forwarded calls ---- */

#define FORWARD(ret, name, params, args) ret name params { need(); return real_##name args; }
#define FORWARD_VOID(ret, name, params, args) void name params { need(); real_##name args; }
CRYPTO_CALLS(FORWARD, FORWARD_VOID)
FIDO_CALLS(FORWARD, FORWARD_VOID)

/* Wiping comes first: buffers are wiped (jansson's, the softkey file's) before
 * the lock screen, when libcrypto is not loaded yet. explicit_bzero gives the
 * same guarantee, a store the compiler may not drop. */
void
OPENSSL_cleanse(void *p, size_t n)
{
	if (loaded)
		real_OPENSSL_cleanse(p, n);
	else
		explicit_bzero(p, n);
}
