/* base64url without padding (RFC 4648 section 5), shared by client, softkey and backend. */
#ifndef CHARTGATE_B64URL_H
#define CHARTGATE_B64URL_H

#include <stddef.h>

/* Length of the encoding of n bytes, without the terminating NUL. */
size_t b64url_encoded_len(size_t n);

/* Encode n bytes into out (at least b64url_encoded_len(n) + 1 bytes).
 * Always NUL-terminates. Returns the encoded length. */
size_t b64url_encode(const unsigned char *in, size_t n, char *out);

/* Encode into a fresh heap string; NULL on allocation failure. */
char *b64url_encode_alloc(const unsigned char *in, size_t n);

/* Decode a NUL-terminated base64url string (no padding, no whitespace).
 * Returns a heap buffer and its length in *outlen, or NULL when the input
 * is not canonical base64url (bad character, impossible length, non-zero
 * trailing bits). */
unsigned char *b64url_decode_alloc(const char *in, size_t *outlen);

#endif
