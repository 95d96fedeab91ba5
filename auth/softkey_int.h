/* Softkey internals shared by softkey_*.c: the in-memory file, crypto and the CTAP2 core. */
#ifndef CHARTGATE_AUTH_SOFTKEY_INT_H
#define CHARTGATE_AUTH_SOFTKEY_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <jansson.h>

#include "auth/softkey.h"

#define SK_CRED_ID_LEN	32	/* what we create; loaded ids may be 16..128 bytes */
#define SK_CRED_ID_MAX	128
#define SK_USER_ID_MAX	64	/* CTAP user.id limit */
#define SK_PIN_RETRIES	8
#define SK_PIN_MIN	4
#define SK_PIN_MAX	63

/* CTAP2 status codes we answer. */
#define CTAP2_OK			0x00
#define CTAP1_ERR_INVALID_COMMAND	0x01
#define CTAP1_ERR_INVALID_PARAMETER	0x02
#define CTAP1_ERR_INVALID_LENGTH	0x03
#define CTAP2_ERR_CBOR_UNEXPECTED_TYPE	0x11
#define CTAP2_ERR_INVALID_CBOR		0x12
#define CTAP2_ERR_MISSING_PARAMETER	0x14
#define CTAP2_ERR_CREDENTIAL_EXCLUDED	0x19
#define CTAP2_ERR_UNSUPPORTED_ALGORITHM	0x26
#define CTAP2_ERR_KEY_STORE_FULL	0x28
#define CTAP2_ERR_INVALID_OPTION	0x2c
#define CTAP2_ERR_KEEPALIVE_CANCEL	0x2d
#define CTAP2_ERR_NO_CREDENTIALS	0x2e
#define CTAP2_ERR_NOT_ALLOWED		0x30
#define CTAP2_ERR_PIN_INVALID		0x31
#define CTAP2_ERR_PIN_BLOCKED		0x32
#define CTAP2_ERR_PIN_AUTH_INVALID	0x33
#define CTAP2_ERR_PIN_AUTH_BLOCKED	0x34
#define CTAP2_ERR_PIN_NOT_SET		0x35
#define CTAP2_ERR_PUAT_REQUIRED		0x36
#define CTAP2_ERR_PIN_POLICY_VIOLATION	0x37
#define CTAP2_ERR_UNAUTHORIZED_PERM	0x40
#define CTAP1_ERR_OTHER			0x7f

struct sk_badge {
	json_t *obj;		/* its object inside softkey.root: unknown fields survive a save */
	char *rp_id, *user_id, *user_name, *display_name, *roles;
	uint8_t cred_id[SK_CRED_ID_MAX];
	size_t cred_id_len;
	uint8_t user_handle[SK_USER_ID_MAX];
	size_t user_handle_len;
	uint8_t priv[32];	/* secret */
	uint8_t pub[64];	/* x || y: set when the badge is made here, not on load */
	uint32_t sign_count;
	int has_pin;
	uint8_t pin_hash[16];	/* secret-ish: LEFT(SHA-256(PIN), 16) */
	int pin_retries;
};

struct softkey {
	pthread_mutex_t mu;	/* guards the badges, their counters and the file */
	char *path;
	json_t *root;
	uint8_t aaguid[16];
	struct sk_badge **badges;	/* pointers stay put when the array grows */
	size_t n, cap;
	int touch_ms;
	unsigned pin_protocols;
	char *enrol_roles;
};

void sk_lock(const struct softkey *sk);
/* Set the text softkey_last_detail() returns (fmt takes one %s). */
void sk_detail(const char *fmt, const char *arg);
/* jansson frees strings without wiping them: wipe a secret member ourselves. */
void sk_wipe_json_string(json_t *obj, const char *key);
void sk_unlock(const struct softkey *sk);

/* Write the file back (atomic rename, mode 0600). Caller holds the lock. */
int sk_save_locked(struct softkey *sk);

/* Append a badge (takes ownership of b on success). Caller holds the lock.
 * sk_new_badge_locked also adds it to the JSON and saves the file; it always
 * takes b (kept in sk, or freed on failure). */
int sk_new_badge_locked(struct softkey *sk, struct sk_badge *b);
int sk_append_badge_locked(struct softkey *sk, struct sk_badge *b);
void sk_badge_free(struct sk_badge *b);

/* crypto (softkey_crypto.c); all return 0 on success, -1 on failure */
int sk_ec_pub(const uint8_t d[32], uint8_t xy[64]);
int sk_ec_gen(uint8_t d[32], uint8_t xy[64]);
int sk_es256_sign(const uint8_t d[32], const uint8_t *msg, size_t n, uint8_t *sig, size_t *siglen);
int sk_ecdh(const uint8_t d[32], const uint8_t peer_xy[64], uint8_t z[32]);

struct sk_shared {
	int proto;		/* 1 or 2 */
	uint8_t hmac_key[32];
	uint8_t aes_key[32];
};
int sk_pin_kdf(int proto, const uint8_t z[32], struct sk_shared *s);
/* Protocol 1: AES-256-CBC, zero IV. Protocol 2: IV (16) || ciphertext.
 * Lengths must be multiples of 16; out has room for inlen + 16. */
int sk_pin_encrypt(const struct sk_shared *s, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen);
int sk_pin_decrypt(const struct sk_shared *s, const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen);
/* HMAC-SHA256(key, msg), truncated to 16 bytes for protocol 1; compared in constant time. */
int sk_pin_verify(int proto, const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen,
    const uint8_t *param, size_t paramlen);
int sk_sha256(const uint8_t *in, size_t n, uint8_t out[32]);
int sk_random(uint8_t *out, size_t n);

/* CBOR helpers (softkey_cbor.c). sk_cbor_precheck walks raw bytes before
 * cbor_load so that hostile counts cannot make libcbor allocate gigabytes:
 * definite lengths only, each count bounded by the bytes left, depth <= 8,
 * exactly one item. */
int sk_cbor_precheck(const uint8_t *p, size_t n);
const cbor_item_t *sk_map_get_int(const cbor_item_t *map, int64_t key);
const cbor_item_t *sk_map_get_str(const cbor_item_t *map, const char *key);
int sk_get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *n);
int sk_get_uint(const cbor_item_t *it, uint64_t *v);
int sk_get_int(const cbor_item_t *it, int64_t *v);
int sk_get_bool(const cbor_item_t *it, int *v);
/* Copies a definite text string without NUL bytes into out (NUL-terminated). */
int sk_get_text(const cbor_item_t *it, char *out, size_t outsz);
/* Adds k -> v to a definite map; consumes both (NULL-safe). */
int sk_map_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v);
cbor_item_t *sk_cbor_int(int64_t v);
cbor_item_t *sk_cose_p256(const uint8_t xy[64], int64_t alg);
/* status byte + serialized body (body may be NULL). */
int sk_answer(uint8_t status, const cbor_item_t *body, uint8_t **out, size_t *outlen);

/* One authenticator instance (one open device): what the CTAP2 core needs. */
struct sk_auth {
	struct softkey *sk;
	int badge;		/* -1 = every badge; >= 0 an index */
	int blank;		/* opened as a new authenticator; badge is -1 until makeCredential */
	int blank_has_pin;
	uint8_t blank_pin_hash[16];
	int blank_retries;
	unsigned pin_protocols;
	/* clientPIN state, per power-up */
	uint8_t ka_priv[32];
	uint8_t ka_pub[64];
	int ka_ready;
	uint8_t token[32];
	int token_valid;
	int token_proto;
	unsigned token_perms;
	char token_rp[256];
	int mismatches;		/* consecutive wrong PINs since power-up */
	/* getNextAssertion state */
	size_t next_idx[64];
	size_t next_n, next_pos;
	uint8_t next_cdh[32];
	uint8_t next_flags;
	char next_rp[256];
	/* user presence: returns CTAP2_OK or CTAP2_ERR_KEEPALIVE_CANCEL */
	int (*wait_touch)(void *ctx);
	void *ctx;
};

/* Process one CTAP2 request (command byte + CBOR). *out gets a malloc'd
 * answer (status byte + CBOR), *outlen its size. Returns 0, or -1 on
 * allocation failure (then answer CTAP1_ERR_OTHER). */
int sk_ctap_handle(struct sk_auth *a, const uint8_t *req, size_t len, uint8_t **out, size_t *outlen);
int sk_ctap_client_pin(struct sk_auth *a, const cbor_item_t *params, uint8_t **out, size_t *outlen);
void sk_auth_wipe(struct sk_auth *a);

/* PIN state the instance answers for (blank, one badge, or the first badge with a PIN). */
int sk_pin_state(struct sk_auth *a, int *has_pin, uint8_t **hash, int **retries);

#endif
