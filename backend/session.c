/* Session tokens: 256-bit random bearer tokens of which the server keeps only the SHA-256. */
#include "backend/session.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "backend/util.h"
#include "common/b64url.h"

int
session_token_new(char token[SESSION_TOKEN_LEN], unsigned char hash[32])
{
	unsigned char raw[32];

	if (cg_random(raw, sizeof(raw)) != 0)
		return -1;
	b64url_encode(raw, sizeof(raw), token);
	OPENSSL_cleanse(raw, sizeof(raw));
	session_token_hash(token, hash);
	return 0;
}

void
session_token_hash(const char *token, unsigned char hash[32])
{
	cg_sha256(token, strlen(token), hash);
}

const char *
session_bearer(const char *h)
{
	size_t n;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	n = strlen(h);
	/* Our tokens are exactly 43 base64url characters; anything else is not one. */
	if (n != SESSION_TOKEN_LEN - 1 || strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return NULL;
	return h;
}

int64_t
session_idle_expires(const struct session *s, int64_t idle_ttl)
{
	int64_t t = s->last_seen_at + idle_ttl;

	return t < s->expires_at ? t : s->expires_at;
}

enum session_state
session_check(const struct session *s, int64_t now, int64_t idle_ttl)
{
	if (now >= s->expires_at)
		return SESSION_EXPIRED;
	if (now >= s->last_seen_at + idle_ttl)
		return SESSION_IDLE_EXPIRED;
	return SESSION_LIVE;
}
