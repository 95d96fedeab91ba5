/* Audit rows and their SHA-256 hash chain: one changed or removed row breaks every hash after it. */
#include "backend/audit.h"

#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

const char audit_genesis[AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* n in decimal at the end of buf; returns where its digits begin. */
static char *
decimal(uint64_t n, char *end)
{
	do
		*--end = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return end;
}

/* "name=LEN:value\n". Not snprintf: thirteen fields a row, and formatting them was most of
 * the hash's cost, which every decision pays under the store's lock. */
static void
put_field(EVP_MD_CTX *ctx, const char *name, const char *value)
{
	char len[24], *digits;
	size_t n = strlen(value);

	len[sizeof(len) - 1] = ':';
	digits = decimal(n, &len[sizeof(len) - 1]);
	EVP_DigestUpdate(ctx, name, strlen(name));
	EVP_DigestUpdate(ctx, "=", 1);
	EVP_DigestUpdate(ctx, digits, (size_t)(&len[sizeof(len)] - digits));
	EVP_DigestUpdate(ctx, value, n);
	EVP_DigestUpdate(ctx, "\n", 1);
}

void
audit_row_hash(const struct audit_row *r, const char *prev_hash, char out[AUDIT_HASH_HEX])
{
	unsigned char md[32];
	unsigned int len = sizeof(md);
	char seq[24], *sd;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	/* As "%" PRId64 would write it. */
	seq[sizeof(seq) - 1] = '\0';
	sd = decimal(r->seq < 0 ? 0 - (uint64_t)r->seq : (uint64_t)r->seq, &seq[sizeof(seq) - 1]);
	if (r->seq < 0)
		*--sd = '-';
	if (ctx == NULL || cg_sha256_md() == NULL ||
	    EVP_DigestInit_ex(ctx, cg_sha256_md(), NULL) != 1) {
		/* Fail closed: a hash that cannot match any recomputation. */
		memset(out, 'x', AUDIT_HASH_HEX - 1);
		out[AUDIT_HASH_HEX - 1] = '\0';
		EVP_MD_CTX_free(ctx);
		return;
	}
	put_field(ctx, "prev_hash", prev_hash);
	put_field(ctx, "seq", sd);
	put_field(ctx, "time", r->time);
	put_field(ctx, "kind", r->kind);
	put_field(ctx, "user", r->user_id);
	put_field(ctx, "workstation", r->workstation);
	put_field(ctx, "patient", r->patient_id);
	put_field(ctx, "sections", r->sections);
	put_field(ctx, "purpose", r->purpose);
	put_field(ctx, "decision", r->decision);
	put_field(ctx, "rule", r->rule);
	put_field(ctx, "path", r->path);
	put_field(ctx, "request_id", r->request_id);
	/* Added in schema 2: left out when empty, so rows written before it verify unchanged. */
	if (r->detail[0] != '\0')
		put_field(ctx, "detail", r->detail);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	cg_hex(md, sizeof(md), out);
}

int
audit_append(struct store *s, struct audit_row *row)
{
	if (row->time[0] == '\0')
		cg_time_fmt(cg_now(), row->time);
	return store_audit_append(s, row) == STORE_OK ? 0 : -1;
}

struct verify_state {
	char prev[AUDIT_HASH_HEX];
	int64_t bad_seq;
};

static int
verify_one(void *arg, const struct audit_row *r)
{
	struct verify_state *v = arg;
	char h[AUDIT_HASH_HEX];

	audit_row_hash(r, v->prev, h);
	if (strcmp(r->prev_hash, v->prev) != 0 || strcmp(r->hash, h) != 0) {
		v->bad_seq = r->seq;
		return 1;
	}
	memcpy(v->prev, r->hash, AUDIT_HASH_HEX);
	return 0;
}

int
audit_verify(struct store *s, int64_t *bad_seq)
{
	struct verify_state v;

	memcpy(v.prev, audit_genesis, AUDIT_HASH_HEX);
	v.bad_seq = 0;
	if (store_audit_each(s, verify_one, &v) != STORE_OK) {
		*bad_seq = -1;
		return -1;
	}
	*bad_seq = v.bad_seq;
	return v.bad_seq == 0 ? 0 : -1;
}
