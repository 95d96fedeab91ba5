/* The one sanitiser for network strings before the terminal, and column-width helpers for its output. */
#ifndef CHARTGATE_TUI_SANITIZE_H
#define CHARTGATE_TUI_SANITIZE_H

#include <stddef.h>

/* What becomes of bytes that are not safe to print:
 * - invalid UTF-8 (stray continuation, C0/C1 lead bytes = overlongs, F5..FF,
 *   overlong 3/4-byte forms, surrogates, > U+10FFFF, truncated sequences):
 *   one U+FFFD per maximal ill-formed subsequence (Unicode ch. 3 practice);
 * - C0 controls incl. ESC, DEL, C1 controls (U+0080..U+009F), bidi
 *   embeddings/overrides/isolates (U+202A..U+202E, U+2066..U+2069), line and
 *   paragraph separators, noncharacters, anything wcwidth() calls unprintable:
 *   U+FFFD, so tampering stays visible;
 * - bidi marks U+200E, U+200F, U+061C and BOM U+FEFF: dropped;
 * - TAB: one space; CR: dropped; LF: a space unless SANITIZE_KEEP_NEWLINE.
 * The output is valid UTF-8 with only printable characters (and maybe '\n').
 * wcwidth depends on LC_CTYPE: the program must setlocale(LC_ALL, "") with a
 * UTF-8 locale (tests use "C.UTF-8"); in a non-UTF-8 locale every non-ASCII
 * character becomes U+FFFD. */
enum sanitize_flags {
	SANITIZE_KEEP_NEWLINE = 1 << 0,
};

/* Worst-case output size for inlen input bytes, including the NUL. */
#define SANITIZE_MAX_OUT(inlen)	((inlen) * 3 + 1)

/* Sanitise in[0..inlen) into out (outsize >= 1 bytes). Stops before a
 * character that would not fit, so the output is always whole characters and
 * NUL-terminated. Returns the output length (excluding NUL). NUL bytes in the
 * input become U+FFFD. No allocation. */
size_t sanitize_buf(const char *in, size_t inlen, char *out, size_t outsize, unsigned flags);
/* Same for a NUL-terminated string into a fresh heap string (NULL on ENOMEM or in == NULL). */
char *sanitize_dup(const char *in, unsigned flags);

/* Terminal columns of an already sanitised string ('\n' counts 0). */
size_t sanitize_width(const char *safe_utf8);

/* Bytes of the longest prefix of safe_utf8 that fits in cols columns, never
 * splitting a character and keeping zero-width combining marks with their
 * base. *width (may be NULL) gets the prefix's width. */
size_t sanitize_fit(const char *safe_utf8, size_t cols, size_t *width);

enum sanitize_trunc_flags {
	SANITIZE_ELLIPSIS = 1 << 0,	/* end a cut string with "…" (1 column) */
};
/* Cuts the sanitised string in buf (bufsize bytes) to at most cols columns,
 * in place; with SANITIZE_ELLIPSIS a string that had to be cut ends with "…"
 * (within cols). A wide character never straddles the limit. Returns the
 * resulting width. */
size_t sanitize_truncate(char *buf, size_t bufsize, size_t cols, unsigned flags);

#endif
