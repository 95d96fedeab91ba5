/* libFuzzer harness: the one sanitiser, checking its promises (valid UTF-8, nothing a terminal would execute) on every output. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/sanitize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* As the client does; without a UTF-8 locale every non-ASCII becomes U+FFFD. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		abort();
	return 0;
}

/* Strict UTF-8 decoder (no overlongs, surrogates, > U+10FFFF); returns the
 * code point and its length, or aborts: the sanitiser must never emit such bytes. */
static uint32_t
next_cp(const unsigned char *p, size_t n, size_t *len)
{
	uint32_t cp;
	size_t i, need;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, cp = p[0] & 0x07;
	else
		abort();
	if (need > n)
		abort();
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			abort();
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		abort();
	*len = need;
	return cp;
}

/* Everything sanitize.h promises about its output. */
static void
check_safe(const char *s, size_t n, int keep_nl)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	if (strlen(s) != n)
		abort();
	while (i < n) {
		cp = next_cp(p + i, n - i, &len);
		if ((cp < 0x20 && !(cp == '\n' && keep_nl)) || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags, cols, trunc;
	size_t outsize, n, w, fit;
	char *out;

	if (size < 2)
		return 0;
	flags = data[0] & 1 ? SANITIZE_KEEP_NEWLINE : 0;
	cols = data[1];
	trunc = data[0] & 2 ? SANITIZE_ELLIPSIS : 0;
	data += 2;
	size -= 2;
	/* A tight buffer (from the input) as well as the documented worst case. */
	outsize = cols % 2 ? SANITIZE_MAX_OUT(size) : (size_t)cols + 1;
	if ((out = malloc(outsize)) == NULL)
		return 0;
	n = sanitize_buf((const char *)data, size, out, outsize, flags);
	if (n >= outsize)
		abort();
	check_safe(out, n, flags & SANITIZE_KEEP_NEWLINE);
	fit = sanitize_fit(out, cols, &w);
	if (fit > n || w > cols)
		abort();
	w = sanitize_truncate(out, outsize, cols, trunc);
	if (w > cols || sanitize_width(out) != w)
		abort();
	check_safe(out, strlen(out), flags & SANITIZE_KEEP_NEWLINE);
	free(out);
	return 0;
}
