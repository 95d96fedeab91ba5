/* Helpdesk rules that need no store: reasons, search text, which session on a cart is active. */
#ifndef CHARTGATED_HELPDESK_H
#define CHARTGATED_HELPDESK_H

#include <stddef.h>
#include <stdint.h>

#include "backend/store.h"

#define HELPDESK_REASON_MAX 500	/* characters (code points), not bytes */
#define HELPDESK_QUERY_MIN 2
#define HELPDESK_QUERY_MAX 64

/* Code points of s (len bytes of valid UTF-8); -1 on a control character (C0, DEL, C1)
 * or a NUL inside len. */
long helpdesk_text_chars(const char *s, size_t len);

/* NULL when s (len bytes, valid UTF-8 as jansson hands it over) is an
 * acceptable reason: 1..500 characters, not only white space, no NUL or
 * other control characters. Otherwise a message for the caller. */
const char *helpdesk_reason_problem(const char *s, size_t len);

/* The same for a search text: 2..64 characters, no control characters. */
const char *helpdesk_query_problem(const char *q);

/* "%q%" for LIKE ... ESCAPE '\', with %, _ and \ in q escaped; -1 if it does not fit. */
int helpdesk_like_pattern(const char *q, char *out, size_t size);

/* active[i] = 1 for the one live session per workstation that was tapped
 * into or resumed last (highest tap_seq, then newest, then highest id); the
 * others on that workstation are suspended (0). */
void helpdesk_session_states(const struct live_session *, size_t n, int *active);

#endif
