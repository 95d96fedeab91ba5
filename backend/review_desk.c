/* The reviewer desk as a desk: its role, audit kinds, wording, and the checks its handlers share. */
#include <string.h>

#include "backend/h_review.h"
#include "backend/helpdesk.h"

const char *
review_text_problem(const char *s, size_t len)
{
	long n;

	if (s == NULL)
		return "a note or reason (1-4000 characters) is required";
	if ((n = helpdesk_text_chars(s, len)) < 0)
		return "the note or reason must not contain control characters";
	if (n > REVIEW_TEXT_MAX)
		return "the note or reason is longer than 4000 characters";
	if (strspn(s, " ") == len)
		return "a note or reason (1-4000 characters) is required";
	return NULL;
}

#define REVIEW_DESK(kind) { \
	.role = "privacy_officer", \
	.audit_kind = kind, \
	.role_message = "only a privacy officer may use the reviewer desk", \
	.role_outcome = "role_not_privacy_officer", \
	.self_message = "this is your own access: a reviewer never reviews, claims or extends " \
	    "their own access (separation of duties); a colleague must do it", \
	.text_problem = review_text_problem, \
	.record = store_review_action_put, \
}

const struct desk_kind desk_kind_review = REVIEW_DESK("review");
const struct desk_kind desk_kind_audit_read = REVIEW_DESK("audit-read");

const char *
review_param(struct req *r, const char *name, int *bad)
{
	const char *v = req_query(r, name);

	if (v == NULL || *v == '\0')
		return NULL;
	if (strlen(v) >= STORE_ID_MAX)
		*bad = 1;
	return v;
}

int
review_one_of(const char *v, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}
