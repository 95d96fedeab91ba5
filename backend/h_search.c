/* Patient search for clinicians: demographics only, every query audited (its text in the audit row, never in the log). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/access.h"
#include "backend/handlers.h"
#include "backend/vocab.h"

#define QUERY_MIN 3		/* characters: fewer would list half the hospital */
#define QUERY_MAX 100
#define LIMIT_DEFAULT 50
#define LIMIT_MAX 200

/* UTF-8 code points of s. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
refuse(struct req *r, unsigned status, const char *code, const char *rule, const char *q,
    const char *message)
{
	access_audit(r, &(struct audit_note){ .kind = "search", .decision = "deny", .rule = rule,
	    .detail = q });
	reply_error(r, status, code, message);
}

void
h_patient_search(struct req *r)
{
	const char *raw = req_query(r, "q"), *lim = req_query(r, "limit");
	const char *cursor = req_query(r, "cursor");
	char q[4 * QUERY_MAX + 1], *end;
	size_t n;
	long limit = LIMIT_DEFAULT;
	int more = 0;
	json_t *patients, *last, *next;

	/* Trim, so "  ab " is the two characters it looks like. */
	raw = raw ? raw + strspn(raw, " ") : "";
	n = strlen(raw);
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	snprintf(q, sizeof(q), "%.*s", (int)(n < sizeof(q) - 1 ? n : sizeof(q) - 1), raw);
	if (!vocab_any_clinical(&r->user.roles)) {
		refuse(r, 403, "forbidden", "role_not_clinical", q, "patient search is for clinicians");
		return;
	}
	if (chars(q) < QUERY_MIN || n >= sizeof(q) || chars(q) > QUERY_MAX) {
		refuse(r, 400, "bad_request", chars(q) < QUERY_MIN ? "query_too_short" : "query_too_long",
		    q, "q must be 3 to 100 characters");
		return;
	}
	if (lim != NULL) {
		limit = strtol(lim, &end, 10);
		if (*lim == '\0' || *end != '\0' || limit < 1 || limit > LIMIT_MAX) {
			refuse(r, 400, "bad_request", "limit_invalid", q, "limit must be 1 to 200");
			return;
		}
	}
	if (cursor != NULL && (cursor[0] == '\0' || strlen(cursor) >= STORE_ID_MAX)) {
		refuse(r, 400, "bad_request", "cursor_invalid", q, "cursor is not one this server gave");
		return;
	}
	patients = json_array();
	if (store_patient_search(r->app->store, q, cursor, (size_t)limit, patients, &more) != STORE_OK ||
	    access_audit(r, &(struct audit_note){ .kind = "search", .decision = "permit",
	    .rule = "clinician_search", .detail = q }) != 0) {
		json_decref(patients);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	/* The cursor is the last id handed out; clients treat it as opaque. */
	last = json_array_get(patients, json_array_size(patients) - 1);
	next = more && last != NULL ? json_incref(json_object_get(last, "id")) : json_null();
	reply_json(r, 200, json_pack("{s:o, s:o}", "patients", patients, "next_cursor", next));
}
