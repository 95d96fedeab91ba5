/* Softkey file: load and check it (docs/softkey.md); errors and their details. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "auth/softkey_int.h"
#include "common/b64url.h"

#define SK_FILE_MAX	(4u << 20)	/* thousands of badges; refuse anything bigger */

static _Thread_local char detail_buf[256];

void
sk_detail(const char *fmt, const char *arg)
{
	snprintf(detail_buf, sizeof(detail_buf), fmt, arg != NULL ? arg : "");
}

const char *
softkey_last_detail(void)
{
	return detail_buf;
}

const char *
softkey_strerror(int err)
{
	switch (err) {
	case SOFTKEY_OK: return "success";
	case SOFTKEY_E_ARG: return "invalid argument";
	case SOFTKEY_E_NOMEM: return "out of memory";
	case SOFTKEY_E_IO: return "cannot read or write the softkey file";
	case SOFTKEY_E_PERM: return "softkey file is accessible by group or others (chmod 600 it)";
	case SOFTKEY_E_JSON: return "softkey file is not valid JSON";
	case SOFTKEY_E_FORMAT: return "softkey file does not follow the softkey format";
	case SOFTKEY_E_EXISTS: return "softkey file already exists";
	case SOFTKEY_E_NOTFOUND: return "no such badge in the softkey file";
	case SOFTKEY_E_FIDO: return "the software authenticator could not be opened";
	}
	return "unknown softkey error";
}

void
sk_lock(const struct softkey *sk)
{
	pthread_mutex_lock(&((struct softkey *)sk)->mu);
}

void
sk_unlock(const struct softkey *sk)
{
	pthread_mutex_unlock(&((struct softkey *)sk)->mu);
}

void
sk_wipe_json_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		OPENSSL_cleanse((char *)(uintptr_t)json_string_value(v), json_string_length(v));
}

void
sk_badge_free(struct sk_badge *b)
{
	if (b == NULL)
		return;
	free(b->rp_id);
	free(b->user_id);
	free(b->user_name);
	free(b->display_name);
	free(b->roles);
	OPENSSL_cleanse(b, sizeof(*b));
	free(b);
}

void
softkey_free(struct softkey **skp)
{
	struct softkey *sk;
	size_t i;

	if (skp == NULL || (sk = *skp) == NULL)
		return;
	for (i = 0; i < sk->n; i++) {
		if (sk->badges[i]->obj != NULL) {
			sk_wipe_json_string(sk->badges[i]->obj, "private_key");
			sk_wipe_json_string(sk->badges[i]->obj, "pin_hash");
		}
		sk_badge_free(sk->badges[i]);
	}
	free(sk->badges);
	json_decref(sk->root);
	free(sk->path);
	free(sk->enrol_roles);
	pthread_mutex_destroy(&sk->mu);
	free(sk);
	*skp = NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits into out[n], skipping '-' when dashes is set (UUID form). */
static int
parse_hex(const char *s, uint8_t *out, size_t n, int dashes)
{
	size_t i = 0;

	while (*s != '\0') {
		int hi, lo;

		if (dashes && *s == '-') {
			s++;
			continue;
		}
		if (i == n || (hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0)
			return -1;
		out[i++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return i == n ? 0 : -1;
}

/* Decode a base64url field into out[min..max]; secrets are wiped on the way. */
static int
get_b64(json_t *obj, const char *key, uint8_t *out, size_t min, size_t max, size_t *len)
{
	const char *s = json_string_value(json_object_get(obj, key));
	unsigned char *d;
	size_t n = 0;
	int r = -1;

	if (s == NULL || (d = b64url_decode_alloc(s, &n)) == NULL)
		return -1;
	if (n >= min && n <= max) {
		memcpy(out, d, n);
		*len = n;
		r = 0;
	}
	OPENSSL_cleanse(d, n);
	free(d);
	return r;
}

static char *
dup_opt_string(json_t *obj, const char *key, int *bad)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return strdup("");
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return strdup(json_string_value(v));
}

static char *
roles_join(json_t *arr, int *bad)
{
	size_t i, len = 1;
	json_t *v;
	char *s;

	if (arr == NULL)
		return strdup("");
	if (!json_is_array(arr)) {
		*bad = 1;
		return NULL;
	}
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || strchr(json_string_value(v), ',') != NULL) {
			*bad = 1;
			return NULL;
		}
		len += json_string_length(v) + 1;
	}
	if ((s = calloc(1, len)) == NULL)
		return NULL;
	json_array_foreach(arr, i, v) {
		if (i > 0)
			strcat(s, ",");
		strcat(s, json_string_value(v));
	}
	return s;
}

/* A P-256 private key is a scalar in [1, n-1]. Checked by comparison, not by
 * computing d*G: twelve point multiplications (and OpenSSL's EC set-up) were
 * most of loading a softkey, on the way to the lock screen, for a public key
 * that signing derives again anyway. */
static int
p256_scalar_ok(const uint8_t d[32])
{
	static const uint8_t n[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
	};
	uint8_t any = 0;
	size_t i;

	for (i = 0; i < 32; i++)
		any |= d[i];
	return any != 0 && memcmp(d, n, sizeof(n)) < 0;
}

static int
parse_badge(json_t *obj, size_t idx, struct sk_badge **out)
{
	struct sk_badge *b;
	json_t *v;
	size_t n;
	int bad = 0, r = SOFTKEY_E_FORMAT;
	char where[64];

	snprintf(where, sizeof(where), "badges[%zu]", idx);
	if (!json_is_object(obj)) {
		sk_detail("%s is not an object", where);
		return SOFTKEY_E_FORMAT;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return SOFTKEY_E_NOMEM;
	b->obj = obj;
	if (!json_is_string(json_object_get(obj, "rp_id")) ||
	    !json_is_string(json_object_get(obj, "user_id"))) {
		sk_detail("%s: rp_id and user_id must be strings", where);
		goto fail;
	}
	if ((b->rp_id = strdup(json_string_value(json_object_get(obj, "rp_id")))) == NULL ||
	    (b->user_id = strdup(json_string_value(json_object_get(obj, "user_id")))) == NULL) {
		r = SOFTKEY_E_NOMEM;
		goto fail;
	}
	if (b->rp_id[0] == '\0' || strlen(b->rp_id) > 253) {
		sk_detail("%s: rp_id must be 1..253 characters", where);
		goto fail;
	}
	b->user_name = dup_opt_string(obj, "user_name", &bad);
	b->display_name = dup_opt_string(obj, "display_name", &bad);
	b->roles = roles_join(json_object_get(obj, "roles"), &bad);
	if (bad) {
		sk_detail("%s: user_name, display_name must be strings, roles an array of strings without commas", where);
		goto fail;
	}
	if (b->user_name == NULL || b->display_name == NULL || b->roles == NULL) {
		r = SOFTKEY_E_NOMEM;
		goto fail;
	}
	if (get_b64(obj, "credential_id", b->cred_id, 16, SK_CRED_ID_MAX, &b->cred_id_len) < 0) {
		sk_detail("%s: credential_id must be base64url of 16..128 bytes", where);
		goto fail;
	}
	if (get_b64(obj, "user_handle", b->user_handle, 1, SK_USER_ID_MAX, &b->user_handle_len) < 0) {
		sk_detail("%s: user_handle must be base64url of 1..64 bytes", where);
		goto fail;
	}
	if (get_b64(obj, "private_key", b->priv, 32, 32, &n) < 0 || !p256_scalar_ok(b->priv)) {
		sk_detail("%s: private_key must be base64url of a valid 32-byte P-256 scalar", where);
		goto fail;
	}
	v = json_object_get(obj, "sign_count");
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > (json_int_t)UINT32_MAX) {
		sk_detail("%s: sign_count must be an integer 0..4294967295", where);
		goto fail;
	}
	b->sign_count = (uint32_t)json_integer_value(v);
	v = json_object_get(obj, "pin_hash");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || parse_hex(json_string_value(v), b->pin_hash, 16, 0) < 0) {
			sk_detail("%s: pin_hash must be 32 hex digits", where);
			goto fail;
		}
		b->has_pin = 1;
	}
	v = json_object_get(obj, "pin_retries");
	b->pin_retries = SK_PIN_RETRIES;
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > SK_PIN_RETRIES) {
			sk_detail("%s: pin_retries must be an integer 0..8", where);
			goto fail;
		}
		b->pin_retries = (int)json_integer_value(v);
	}
	*out = b;
	return SOFTKEY_OK;
fail:
	sk_badge_free(b);
	return r;
}

/* Read the whole file, refusing what group or others may touch. */
static int
read_private_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	char *p = NULL;
	size_t got = 0;
	int fd, r = SOFTKEY_E_IO;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		sk_detail("%s", strerror(errno));
		return SOFTKEY_E_IO;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sk_detail("%s", "not a regular file");
		goto fail;
	}
	if ((st.st_mode & 077) != 0) {
		char m[16];

		snprintf(m, sizeof(m), "%04o", (unsigned)(st.st_mode & 07777));
		sk_detail("mode is %s, must be 0600", m);
		r = SOFTKEY_E_PERM;
		goto fail;
	}
	if (st.st_size > (off_t)SK_FILE_MAX) {
		sk_detail("%s", "file larger than 4 MiB");
		r = SOFTKEY_E_FORMAT;
		goto fail;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		r = SOFTKEY_E_NOMEM;
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, p + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			sk_detail("%s", k < 0 ? strerror(errno) : "file shrank while reading");
			goto fail;
		}
		got += (size_t)k;
	}
	p[got] = '\0';
	*buf = p;
	*len = got;
	p = NULL;
	r = SOFTKEY_OK;
fail:
	if (p != NULL) {
		OPENSSL_cleanse(p, (size_t)st.st_size);
		free(p);
	}
	close(fd);
	return r;
}

static int
parse_root(struct softkey *sk)
{
	json_t *badges, *v;
	const char *s;
	size_t i;
	int r;

	if (!json_is_object(sk->root)) {
		sk_detail("%s", "top level is not an object");
		return SOFTKEY_E_FORMAT;
	}
	v = json_object_get(sk->root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		sk_detail("%s", "version must be 1");
		return SOFTKEY_E_FORMAT;
	}
	s = json_string_value(json_object_get(sk->root, "aaguid"));
	if (s == NULL || strlen(s) != 36 || parse_hex(s, sk->aaguid, 16, 1) < 0) {
		sk_detail("%s", "aaguid must be a UUID string");
		return SOFTKEY_E_FORMAT;
	}
	badges = json_object_get(sk->root, "badges");
	if (!json_is_array(badges)) {
		sk_detail("%s", "badges must be an array");
		return SOFTKEY_E_FORMAT;
	}
	for (i = 0; i < json_array_size(badges); i++) {
		struct sk_badge *b = NULL;

		if ((r = parse_badge(json_array_get(badges, i), i, &b)) != SOFTKEY_OK)
			return r;
		if ((r = sk_append_badge_locked(sk, b)) != SOFTKEY_OK) {
			sk_badge_free(b);
			return r;
		}
	}
	return SOFTKEY_OK;
}

int
softkey_load(const char *path, struct softkey **out)
{
	struct softkey *sk = NULL;
	json_error_t jerr;
	char *buf = NULL;
	size_t len = 0;
	int r;

	detail_buf[0] = '\0';
	if (path == NULL || out == NULL)
		return SOFTKEY_E_ARG;
	*out = NULL;
	if ((r = read_private_file(path, &buf, &len)) != SOFTKEY_OK)
		goto fail;
	if ((sk = calloc(1, sizeof(*sk))) == NULL || (sk->path = strdup(path)) == NULL) {
		r = SOFTKEY_E_NOMEM;
		goto fail_sk;
	}
	pthread_mutex_init(&sk->mu, NULL);
	sk->pin_protocols = 3;
	if ((sk->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		char m[200];

		snprintf(m, sizeof(m), "line %d: %s", jerr.line, jerr.text);
		sk_detail("%s", m);
		r = SOFTKEY_E_JSON;
		goto fail_sk;
	}
	if ((r = parse_root(sk)) != SOFTKEY_OK)
		goto fail_sk;
	*out = sk;
	sk = NULL;
fail_sk:
	if (sk != NULL) {
		if (sk->path == NULL)
			free(sk);
		else
			softkey_free(&sk);
	}
fail:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	return r;
}

int
sk_append_badge_locked(struct softkey *sk, struct sk_badge *b)
{
	if (sk->n == sk->cap) {
		size_t cap = sk->cap ? sk->cap * 2 : 8;
		struct sk_badge **nb = realloc(sk->badges, cap * sizeof(*nb));

		if (nb == NULL)
			return SOFTKEY_E_NOMEM;
		sk->badges = nb;
		sk->cap = cap;
	}
	sk->badges[sk->n++] = b;
	return SOFTKEY_OK;
}

