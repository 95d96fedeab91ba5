/* base64url without padding: one strict codec for every layer. */
#include "b64url.h"

#include <stdlib.h>
#include <string.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
b64url_encoded_len(size_t n)
{
	return (n / 3) * 4 + (n % 3 ? n % 3 + 1 : 0);
}

size_t
b64url_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 |
		    (unsigned long)in[i + 1] << 8 | in[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		unsigned long v = (unsigned long)in[i] << 16;
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
	} else if (n - i == 2) {
		unsigned long v = (unsigned long)in[i] << 16 |
		    (unsigned long)in[i + 1] << 8;
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

char *
b64url_encode_alloc(const unsigned char *in, size_t n)
{
	char *out = malloc(b64url_encoded_len(n) + 1);

	if (out != NULL)
		b64url_encode(in, n, out);
	return out;
}

static int
sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

unsigned char *
b64url_decode_alloc(const char *in, size_t *outlen)
{
	size_t n, i, o = 0;
	unsigned char *out;
	unsigned long acc = 0;
	int bits = 0;

	if (in == NULL || outlen == NULL)
		return NULL;
	n = strlen(in);
	if (n % 4 == 1)
		return NULL;	/* no byte count encodes to 4k+1 characters */
	out = malloc(n / 4 * 3 + 3);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		int s = sextet(in[i]);
		if (s < 0)
			goto fail;
		acc = (acc << 6) | (unsigned long)s;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	if (acc != 0)	/* trailing bits must be zero: one encoding per value */
		goto fail;
	*outlen = o;
	return out;
fail:
	free(out);
	return NULL;
}
