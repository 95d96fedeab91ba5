/* libFuzzer harness: chartgated's parsers of untrusted request bytes, picked by the first byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backend/server.h"
#include "backend/session.h"
#include "backend/webauthn.h"
#include "common/b64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char challenge[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

/* Canonical base64url only: whatever decodes must encode back to the input. */
static void
b64url_roundtrip(const char *s)
{
	size_t n;
	unsigned char *raw = b64url_decode_alloc(s, &n);
	char *back;

	if (raw == NULL)
		return;
	if ((back = b64url_encode_alloc(raw, n)) == NULL || strcmp(back, s) != 0)
		abort();
	free(back);
	free(raw);
}

/* The Authorization header: a token is exactly 43 base64url characters inside the header. */
static void
bearer(const char *h)
{
	const char *t = session_bearer(h);

	if (t != NULL && (t < h || t + strlen(t) != h + strlen(h) || strlen(t) != SESSION_TOKEN_LEN - 1))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], *s;
	json_error_t jerr;
	json_t *body;

	if (size < 1 || (s = malloc(size)) == NULL)
		return 0;
	/* Headers and query strings reach us as C strings. */
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
		webauthn_check_client_data(data + 1, size - 1, "webauthn.get", challenge,
		    sizeof(challenge), "chartgate:cart-4w-01", why, sizeof(why));
		break;
	case 1:
		b64url_roundtrip(s);
		break;
	case 2:
		bearer(s);
		break;
	case 3:
		server_check_listen(s, why, sizeof(why));
		break;
	default:
		/* The request body as server.c parses it before any handler sees it. */
		body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &jerr);
		json_decref(body);
		break;
	}
	free(s);
	return 0;
}
