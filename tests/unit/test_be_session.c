/* Unit tests of session tokens (only their SHA-256 is stored) and session expiry. */
#include <string.h>

#include "backend/session.h"
#include "backend/util.h"
#include "tests/t.h"

static void
token_hash_is_sha256_of_the_token_text(void)
{
	unsigned char h[32];
	char hex[65];

	session_token_hash("abc", h);
	cg_hex(h, 32, hex);
	T_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
new_tokens_are_43_base64url_chars_and_differ(void)
{
	char a[SESSION_TOKEN_LEN], b[SESSION_TOKEN_LEN];
	unsigned char ha[32], hb[32], again[32];

	T_CHECK(session_token_new(a, ha) == 0);
	T_CHECK(session_token_new(b, hb) == 0);
	T_CHECK(strlen(a) == 43);
	T_CHECK(strcmp(a, b) != 0);
	T_CHECK(memcmp(ha, hb, 32) != 0);
	session_token_hash(a, again);
	T_CHECK(memcmp(ha, again, 32) == 0);
}

static void
bearer_header_is_parsed_strictly(void)
{
	const char *tok = "xgIeWhoydQMeUMmeMGtPtN6lvf6Va0bPzBodlbi-oEU";
	char h[80];

	snprintf(h, sizeof(h), "Bearer %s", tok);
	T_STREQ(session_bearer(h), tok);
	snprintf(h, sizeof(h), "bearer %s", tok);
	T_STREQ(session_bearer(h), tok);
	T_CHECK(session_bearer(NULL) == NULL);
	T_CHECK(session_bearer("Basic abc") == NULL);
	T_CHECK(session_bearer("Bearer short") == NULL);
	snprintf(h, sizeof(h), "Bearer %s=", tok);
	T_CHECK(session_bearer(h) == NULL);
	snprintf(h, sizeof(h), "Bearer %.42s+", tok);
	T_CHECK(session_bearer(h) == NULL);
}

static void
idle_and_absolute_expiry(void)
{
	struct session s;

	memset(&s, 0, sizeof(s));
	s.created_at = 1000;
	s.last_seen_at = 1000;
	s.expires_at = 1000 + 43200;
	T_CHECK(session_check(&s, 1899, 900) == SESSION_LIVE);
	T_CHECK(session_check(&s, 1900, 900) == SESSION_IDLE_EXPIRED);
	s.last_seen_at = 44000;
	T_CHECK(session_check(&s, 44100, 900) == SESSION_LIVE);
	T_CHECK(session_check(&s, 44200, 900) == SESSION_EXPIRED);
	/* Idle expiry never reaches past the absolute end. */
	T_CHECK(session_idle_expires(&s, 900) == 44200);
	s.last_seen_at = 2000;
	T_CHECK(session_idle_expires(&s, 900) == 2900);
}

int
main(void)
{
	T_RUN(token_hash_is_sha256_of_the_token_text);
	T_RUN(new_tokens_are_43_base64url_chars_and_differ);
	T_RUN(bearer_header_is_parsed_strictly);
	T_RUN(idle_and_absolute_expiry);
	T_EXIT();
}
