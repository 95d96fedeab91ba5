/* Softkey file: write it back (atomic rename, mode 0600), create an empty one, append enrolled badges. */
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

/* "chartgate softky": docs/softkey.md */
static const uint8_t sk_aaguid[16] = {
	'c', 'h', 'a', 'r', 't', 'g', 'a', 't', 'e', ' ', 's', 'o', 'f', 't', 'k', 'y'
};

static void
to_hex(const uint8_t *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
uuid_string(const uint8_t a[16], char out[37])
{
	char hex[33];

	to_hex(a, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* Bring each badge object in root up to date with the in-memory counters. */
static int
sync_root(struct softkey *sk)
{
	size_t i;

	for (i = 0; i < sk->n; i++) {
		struct sk_badge *b = sk->badges[i];
		char hex[33];

		if (json_object_set_new(b->obj, "sign_count", json_integer(b->sign_count)) < 0 ||
		    json_object_set_new(b->obj, "pin_retries", json_integer(b->pin_retries)) < 0)
			return -1;
		if (b->has_pin) {
			sk_wipe_json_string(b->obj, "pin_hash");
			to_hex(b->pin_hash, 16, hex);
			if (json_object_set_new(b->obj, "pin_hash", json_string(hex)) < 0)
				return -1;
			OPENSSL_cleanse(hex, sizeof(hex));
		} else
			json_object_del(b->obj, "pin_hash");
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Write text to path through a temporary file in the same directory and rename(2). */
static int
write_atomic(const char *path, const char *text)
{
	char *tmp = NULL;
	int fd = -1, r = SOFTKEY_E_IO;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		return SOFTKEY_E_NOMEM;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		sk_detail("%s", strerror(errno));
		goto fail;
	}
	if (fchmod(fd, 0600) < 0 || write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		sk_detail("%s", strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		sk_detail("%s", strerror(errno));
		goto fail;
	}
	r = SOFTKEY_OK;
fail:
	if (fd >= 0)
		close(fd);
	if (r != SOFTKEY_OK)
		unlink(tmp);
	free(tmp);
	return r;
}

int
sk_save_locked(struct softkey *sk)
{
	char *text;
	int r;

	if (sync_root(sk) < 0)
		return SOFTKEY_E_NOMEM;
	if ((text = json_dumps(sk->root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		return SOFTKEY_E_NOMEM;
	r = write_atomic(sk->path, text);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return r;
}

int
softkey_create(const char *path)
{
	char uuid[37], *text = NULL;
	json_t *root = NULL;
	int fd = -1, r = SOFTKEY_E_NOMEM;

	if (path == NULL)
		return SOFTKEY_E_ARG;
	uuid_string(sk_aaguid, uuid);
	if ((root = json_pack("{s:i, s:s, s:[]}", "version", 1, "aaguid", uuid, "badges")) == NULL ||
	    (text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		goto fail;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		sk_detail("%s", strerror(errno));
		r = errno == EEXIST ? SOFTKEY_E_EXISTS : SOFTKEY_E_IO;
		goto fail;
	}
	r = SOFTKEY_OK;
	if (fchmod(fd, 0600) < 0 || write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		sk_detail("%s", strerror(errno));
		r = SOFTKEY_E_IO;
	}
fail:
	if (fd >= 0)
		close(fd);
	free(text);
	json_decref(root);
	return r;
}

/* Called by makeCredential: a new badge object in root and in memory.
 * Always takes b: it ends in sk, or is freed. */
int
sk_new_badge_locked(struct softkey *sk, struct sk_badge *b)
{
	json_t *obj = NULL, *roles = NULL, *arr;
	char *cid = NULL, *uh = NULL, *pk = NULL;
	int appended = 0, r = SOFTKEY_E_NOMEM;

	if ((cid = b64url_encode_alloc(b->cred_id, b->cred_id_len)) == NULL ||
	    (uh = b64url_encode_alloc(b->user_handle, b->user_handle_len)) == NULL ||
	    (pk = b64url_encode_alloc(b->priv, 32)) == NULL || (roles = json_array()) == NULL)
		goto fail;
	if (b->roles[0] != '\0') {
		char *copy = strdup(b->roles), *save = NULL, *t;

		if (copy == NULL)
			goto fail;
		for (t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save))
			json_array_append_new(roles, json_string(t));
		free(copy);
	}
	obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:i, s:i}",
	    "rp_id", b->rp_id, "credential_id", cid, "user_handle", uh, "user_id", b->user_id,
	    "user_name", b->user_name, "display_name", b->display_name, "roles", roles,
	    "private_key", pk, "sign_count", (int)0, "pin_retries", b->pin_retries);
	if (obj == NULL || (arr = json_object_get(sk->root, "badges")) == NULL ||
	    json_array_append(arr, obj) < 0)
		goto fail;
	b->obj = obj;
	if ((r = sk_append_badge_locked(sk, b)) != SOFTKEY_OK) {
		json_array_remove(arr, json_array_size(arr) - 1);
		goto fail;
	}
	appended = 1;
	r = sk_save_locked(sk);	/* on failure the badge stays in memory; the caller reports it */
fail:
	if (pk != NULL) {
		OPENSSL_cleanse(pk, strlen(pk));
		free(pk);
	}
	if (!appended) {
		if (obj != NULL)
			sk_wipe_json_string(obj, "private_key");
		sk_badge_free(b);
	}
	json_decref(obj);
	json_decref(roles);
	free(cid);
	free(uh);
	return r;
}

