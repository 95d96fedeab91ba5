/* A JSON text written straight into a buffer: a chart reply as a jansson tree cost a malloc per
 * value and, in json_dumps, a formatted pointer and a hash insert per object (its loop check). */
#include "backend/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
put(struct jsonw *w, const char *p, size_t n)
{
	char *nb;
	size_t cap;

	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		for (cap = w->cap ? w->cap : 1024; cap < w->len + n + 1; cap *= 2)
			;
		if ((nb = realloc(w->buf, cap)) == NULL) {
			w->failed = 1;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void
jsonw_bytes(struct jsonw *w, const void *p, size_t n)
{
	put(w, p, n);
}

void
jsonw_raw(struct jsonw *w, const char *text)
{
	put(w, text, strlen(text));
}

/* Length of the UTF-8 sequence at s, or 0 when it is not one (overlong, surrogate, past
 * U+10FFFF, cut short): the same bytes json_string refuses. */
static size_t
utf8_seq(const unsigned char *s)
{
	unsigned c = s[0], cp, n, i;

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	cp = c & (0x3F >> (n - 1));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Printable ASCII other than '"' and '\\': copied as it is. Nearly every byte of a chart is
 * one, and testing for it is cheaper than decoding each byte as UTF-8. */
static int
plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char esc[8];
	size_t n;

	put(w, "\"", 1);
	while (*p != '\0') {
		while (plain(*p))
			p++;
		if (*p == '\0')
			break;
		if ((n = utf8_seq(p)) == 0) {
			w->failed = 1;
			return;
		}
		if (*p != '"' && *p != '\\' && *p >= 0x20) {
			p += n;
			continue;
		}
		put(w, (const char *)run, (size_t)(p - run));
		switch (*p) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", *p);
			put(w, esc, 6);
		}
		run = ++p;
	}
	put(w, (const char *)run, (size_t)(p - run));
	put(w, "\"", 1);
}

void
jsonw_member(struct jsonw *w, const char *lead, const char *value)
{
	jsonw_raw(w, lead);
	jsonw_str(w, value);
}

void
jsonw_words(struct jsonw *w, const char *s)
{
	char buf[128], *tok, *save = NULL;
	int first = 1;

	/* As words() in h_clinical.c: the same 127-byte cut. */
	snprintf(buf, sizeof(buf), "%s", s);
	put(w, "[", 1);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (!first)
			put(w, ",", 1);
		jsonw_str(w, tok);
		first = 0;
	}
	put(w, "]", 1);
}

void
jsonw_json(struct jsonw *w, const json_t *v)
{
	char *text = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	if (text == NULL)
		w->failed = 1;
	else
		jsonw_raw(w, text);
	free(text);
}

char *
jsonw_finish(struct jsonw *w)
{
	char *text = w->failed ? NULL : w->buf;

	if (w->failed)
		free(w->buf);
	memset(w, 0, sizeof(*w));
	return text;
}
