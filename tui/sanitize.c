/* The one sanitiser for network strings before the terminal, and column-width helpers. */
#include "tui/sanitize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define BAD_CP	UINT32_MAX
#define DROP_CP	(UINT32_MAX - 1)
#define REPL_CP	0xFFFDu

/* Decodes one character of s[0..n), n >= 1. Returns the bytes consumed (>= 1)
 * and *cp, or BAD_CP for a maximal ill-formed subsequence: the second-byte
 * ranges below are what rule out overlongs, surrogates and > U+10FFFF, so
 * the first wrong byte ends the subsequence and is looked at again. */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = BAD_CP;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = BAD_CP;
			return i;
		}
		lo = 0x80;
		hi = 0xBF;
		v = v << 6 | (s[i] & 0x3F);
	}
	*cp = v;
	return need + 1;
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* What a decoded code point prints as: itself, U+FFFD, or nothing. */
static uint32_t
classify(uint32_t cp, unsigned flags)
{
	if (cp == BAD_CP)
		return REPL_CP;
	if (cp < 0x20) {
		if (cp == '\t')
			return ' ';
		if (cp == '\n')
			return (flags & SANITIZE_KEEP_NEWLINE) ? '\n' : ' ';
		if (cp == '\r')
			return DROP_CP;
		return REPL_CP;
	}
	if (cp < 0x7F)
		return cp;
	if (cp <= 0x9F)		/* DEL and C1: a terminal may act on 0x9B as CSI */
		return REPL_CP;
	/* Marks are legitimate in RTL names but can still reorder what the
	 * terminal shows; a cart never needs them, so they go silently. */
	if (cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF)
		return DROP_CP;
	/* Overrides and isolates can make "1.0 mg" read "gm 0.1": make them visible. */
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029)
		return REPL_CP;
	if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF))
		return REPL_CP;
	if (wcwidth((wchar_t)cp) < 0)
		return REPL_CP;
	return cp;
}

size_t
sanitize_buf(const char *in, size_t inlen, char *out, size_t outsize, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;

	if (out == NULL || outsize == 0)
		return 0;
	if (in == NULL) {
		out[0] = '\0';
		return 0;
	}
	while (i < inlen) {
		char enc[4];
		size_t k;
		uint32_t cp;

		/* Printable ASCII is nearly everything we draw. */
		if (s[i] >= 0x20 && s[i] < 0x7F) {
			if (o + 2 > outsize)
				break;
			out[o++] = (char)s[i++];
			continue;
		}
		i += utf8_decode(s + i, inlen - i, &cp);
		cp = classify(cp, flags);
		if (cp == DROP_CP)
			continue;
		k = utf8_encode(cp, enc);
		if (o + k + 1 > outsize)
			break;
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

char *
sanitize_dup(const char *in, unsigned flags)
{
	size_t len, cap, n;
	char *out, *shrunk;

	if (in == NULL)
		return NULL;
	len = strlen(in);
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	cap = SANITIZE_MAX_OUT(len);
	if ((out = malloc(cap)) == NULL)
		return NULL;
	n = sanitize_buf(in, len, out, cap, flags);
	/* Give back the worst-case slack; keeping it is fine if realloc fails. */
	if ((shrunk = realloc(out, n + 1)) != NULL)
		out = shrunk;
	return out;
}

/* Width of one decoded character of a sanitised string. */
static size_t
cp_width(uint32_t cp)
{
	int w;

	if (cp == '\n')
		return 0;
	if (cp == BAD_CP)
		return 1;
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	w = wcwidth((wchar_t)cp);
	/* An unsanitised caller still gets a sane count: it draws as U+FFFD. */
	return w < 0 ? 1 : (size_t)w;
}

size_t
sanitize_width(const char *safe_utf8)
{
	const unsigned char *s = (const unsigned char *)safe_utf8;
	size_t n, i = 0, w = 0;

	if (s == NULL)
		return 0;
	n = strlen(safe_utf8);
	while (i < n) {
		uint32_t cp;

		if (s[i] >= 0x20 && s[i] < 0x7F) {
			w++;
			i++;
			continue;
		}
		i += utf8_decode(s + i, n - i, &cp);
		w += cp_width(cp);
	}
	return w;
}

size_t
sanitize_fit(const char *safe_utf8, size_t cols, size_t *width)
{
	const unsigned char *s = (const unsigned char *)safe_utf8;
	size_t n, i = 0, w = 0;

	if (s == NULL) {
		if (width)
			*width = 0;
		return 0;
	}
	n = strlen(safe_utf8);
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp), cw = cp_width(cp);

		if (w + cw > cols)
			break;
		w += cw;
		i += k;
	}
	if (width)
		*width = w;
	return i;
}

size_t
sanitize_truncate(char *buf, size_t bufsize, size_t cols, unsigned flags)
{
	static const char ellipsis[] = "\xe2\x80\xa6";	/* U+2026, 1 column */
	size_t full, len, p, w;

	if (buf == NULL || bufsize == 0)
		return 0;
	len = strnlen(buf, bufsize);
	if (len == bufsize) {	/* not terminated: end it, dropping a torn last char */
		size_t q;
		uint32_t cp;

		len = bufsize - 1;
		buf[len] = '\0';
		q = len;
		while (q > 0 && ((unsigned char)buf[q - 1] & 0xC0) == 0x80)
			q--;
		if (q > 0) {
			q--;
			utf8_decode((const unsigned char *)buf + q, len - q, &cp);
			if (cp == BAD_CP && ((unsigned char)buf[q] & 0x80))
				buf[q] = '\0';
		}
	}
	full = sanitize_width(buf);
	if (full <= cols)
		return full;
	if (!(flags & SANITIZE_ELLIPSIS) || cols == 0) {
		p = sanitize_fit(buf, cols, &w);
		buf[p] = '\0';
		return w;
	}
	p = sanitize_fit(buf, cols - 1, &w);
	/* The ellipsis is 3 bytes; if it replaced fewer, step back whole characters. */
	while (p + sizeof ellipsis > bufsize && p > 0) {
		do
			p--;
		while (p > 0 && ((unsigned char)buf[p] & 0xC0) == 0x80);
	}
	if (p + sizeof ellipsis > bufsize) {
		buf[0] = '\0';
		return 0;
	}
	buf[p] = '\0';
	w = sanitize_width(buf);
	memcpy(buf + p, ellipsis, sizeof ellipsis);
	return w + 1;
}
