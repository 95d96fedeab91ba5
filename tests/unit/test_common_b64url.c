/* base64url: round trips, the RFC 4648 vectors, and refusal of non-canonical input. */
#include <stdlib.h>

#include "common/b64url.h"
#include "tests/t.h"

static void
rfc4648_vectors_encode_without_padding(void)
{
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *want[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *e = b64url_encode_alloc((const unsigned char *)in[i], strlen(in[i]));
		T_STREQ(e, want[i]);
		free(e);
	}
}

static void
url_alphabet_replaces_plus_and_slash(void)
{
	const unsigned char in[] = { 0xfb, 0xff, 0xbf };
	char *e = b64url_encode_alloc(in, sizeof(in));

	T_STREQ(e, "-_-_");
	free(e);
}

static void
every_length_round_trips(void)
{
	unsigned char buf[70];
	size_t n, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n <= sizeof(buf); n++) {
		char *e = b64url_encode_alloc(buf, n);
		size_t dn = 999;
		unsigned char *d = b64url_decode_alloc(e, &dn);
		T_CHECK(d != NULL && dn == n && memcmp(d, buf, n) == 0);
		T_CHECK(strlen(e) == b64url_encoded_len(n));
		free(e);
		free(d);
	}
}

static void
decode_refuses_padding_whitespace_and_std_alphabet(void)
{
	static const char *bad[] = { "Zg==", "Zm 9v", "Zm+v", "Zm/v", "Z", "Zm9vY", "\xc3\xa9" };
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned char *d = b64url_decode_alloc(bad[i], &n);
		if (d != NULL)
			printf("  accepted %s\n", bad[i]);
		T_CHECK(d == NULL);
		free(d);
	}
}

static void
decode_refuses_nonzero_trailing_bits(void)
{
	size_t n;
	unsigned char *d = b64url_decode_alloc("Zh", &n);	/* "Zg" is canonical for "f" */

	T_CHECK(d == NULL);
	free(d);
}

int
main(void)
{
	T_RUN(rfc4648_vectors_encode_without_padding);
	T_RUN(url_alphabet_replaces_plus_and_slash);
	T_RUN(every_length_round_trips);
	T_RUN(decode_refuses_padding_whitespace_and_std_alphabet);
	T_RUN(decode_refuses_nonzero_trailing_bits);
	T_EXIT();
}
