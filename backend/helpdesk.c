/* Helpdesk rules that need no store, so that they can be unit-tested alone. */
#include "backend/helpdesk.h"

#include <string.h>

long
helpdesk_text_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	long n = 0;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return -1;
		/* C1 controls U+0080..U+009F are encoded C2 80..C2 9F. */
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return -1;
		if ((p[i] & 0xc0) != 0x80)
			n++;
	}
	return n;
}

const char *
helpdesk_reason_problem(const char *s, size_t len)
{
	long n;

	if (s == NULL)
		return "a reason (1-500 characters) is required";
	n = helpdesk_text_chars(s, len);
	if (n < 0)
		return "the reason must not contain control characters";
	if (n > HELPDESK_REASON_MAX)
		return "the reason is longer than 500 characters";
	if (strspn(s, " ") == len)
		return "a reason (1-500 characters) is required";
	return NULL;
}

const char *
helpdesk_query_problem(const char *q)
{
	long n;

	if (q == NULL)
		return "q (at least 2 characters) is required";
	n = helpdesk_text_chars(q, strlen(q));
	if (n < 0)
		return "q must not contain control characters";
	if (n < HELPDESK_QUERY_MIN || n > HELPDESK_QUERY_MAX)
		return "q must be 2-64 characters";
	return NULL;
}

int
helpdesk_like_pattern(const char *q, char *out, size_t size)
{
	size_t j = 0;

	if (size < 3)
		return -1;
	out[j++] = '%';
	for (; *q != '\0'; q++) {
		if (j + 4 > size)	/* room for an escape, the char, '%' and NUL */
			return -1;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[j++] = '\\';
		out[j++] = *q;
	}
	out[j++] = '%';
	out[j] = '\0';
	return 0;
}

/* 1 when a was tapped after b. */
static int
tapped_after(const struct live_session *a, const struct live_session *b)
{
	if (a->tap_seq != b->tap_seq)
		return a->tap_seq > b->tap_seq;
	if (a->created_at != b->created_at)
		return a->created_at > b->created_at;
	return strcmp(a->id, b->id) > 0;
}

void
helpdesk_session_states(const struct live_session *v, size_t n, int *active)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		active[i] = 1;
		for (j = 0; j < n && active[i]; j++)
			if (j != i && strcmp(v[i].workstation, v[j].workstation) == 0 &&
			    tapped_after(&v[j], &v[i]))
				active[i] = 0;
	}
}
