/* Break-the-glass: reason, written justification and a step-up open one patient's chart for a short time, and land in the reviewers' queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "backend/access.h"
#include "backend/handlers.h"
#include "backend/step_up.h"
#include "backend/util.h"
#include "backend/vocab.h"

#define JUSTIFICATION_MIN 20	/* characters, after trimming */
#define JUSTIFICATION_MAX 2000

/* HL7 v3 ActReason override codes. */
static int
reason_ok(const char *code)
{
	static const char *const codes[] = { "OVRER", "OVRPJ", "OVRPS", "OVRTPS", "OVRINCOMP" };
	size_t i;

	for (i = 0; code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

/* The justification without surrounding white space, in out (heap); its length in
 * characters (UTF-8 code points), or -1 when it is not a string or holds a NUL. */
static long
justification_trim(const json_t *j, char **out)
{
	const char *s = json_string_value(j), *e;
	size_t n;
	long chars = 0;

	*out = NULL;
	if (s == NULL || strlen(s) != json_string_length(j))
		return -1;
	s += strspn(s, " \t\r\n");
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]) != NULL; e--)
		;
	n = (size_t)(e - s);
	if ((*out = strndup(s, n)) == NULL)
		return -1;
	for (; s < e; s++)
		chars += ((unsigned char)*s & 0xC0) != 0x80;
	return chars;
}

static void
bad_field(struct req *r, const char *pid, const char *field, const char *rule, const char *message)
{
	access_audit(r, &(struct audit_note){ .kind = "break-glass", .patient_id = pid,
	    .purpose = "BTG", .decision = "deny", .rule = rule });
	reply_json(r, 400, json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "bad_request",
	    "message", message, "field", field));
}

/* Grant and step-up in one transaction: a grant without its step-up would be half a door. */
static int
grant(struct req *r, const struct break_glass *g, int64_t step_up_until)
{
	struct store *s = r->app->store;

	if (store_begin(s) != STORE_OK)
		return -1;
	if (store_break_glass_put(s, g) != STORE_OK ||
	    store_step_up_put(s, r->session.id, g->patient_id, step_up_until) != STORE_OK) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s) == STORE_OK ? 0 : -1;
}

void
h_break_glass(struct req *r)
{
	const char *pid = r->params[0];
	const char *reason = json_string_value(json_object_get(r->body, "reason_code"));
	struct assertion_check ac;
	struct break_glass g;
	struct patient p;
	char *just = NULL, *id = NULL, path[STORE_ID_MAX + 16], exp[CG_TIME_LEN], su[CG_TIME_LEN];
	int64_t now = cg_now(), su_until = now + r->app->cfg->step_up_ttl;
	long chars;
	int rc;

	if (!vocab_any_clinical(&r->user.roles)) {
		access_audit(r, &(struct audit_note){ .kind = "break-glass", .patient_id = pid,
		    .purpose = "BTG", .decision = "deny", .rule = "role_not_clinical" });
		reply_error(r, 403, "forbidden", "break-the-glass is for clinicians");
		return;
	}
	if ((rc = store_patient_get(r->app->store, pid, &p)) != STORE_OK) {
		if (rc == STORE_NOT_FOUND) {
			access_audit(r, &(struct audit_note){ .kind = "break-glass", .patient_id = pid,
			    .purpose = "BTG", .decision = "deny", .rule = "patient_unknown" });
			reply_error(r, 404, "not_found", "no such patient");
		} else
			reply_error(r, 500, "internal", "internal error");
		return;
	}
	/* Checked before the assertion, so a fixed text can go again with the same tap. */
	if (!reason_ok(reason)) {
		bad_field(r, pid, "reason_code", "reason_code_invalid",
		    "reason_code must be one of OVRER, OVRPJ, OVRPS, OVRTPS, OVRINCOMP");
		return;
	}
	chars = justification_trim(json_object_get(r->body, "justification"), &just);
	if (chars < JUSTIFICATION_MIN || chars > JUSTIFICATION_MAX) {
		bad_field(r, pid, "justification", chars < JUSTIFICATION_MIN ?
		    "justification_short" : "justification_long", chars < 0 ?
		    "justification must be a string" : chars < JUSTIFICATION_MIN ?
		    "justification must be at least 20 characters" :
		    "justification must be at most 2000 characters");
		goto out;
	}
	if (step_up_verify(r, "break-glass", pid, "BTG", &ac) != 0)
		goto out;
	if ((id = cg_random_id("bg-", 16)) == NULL)
		goto fail;
	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "%s", id);
	snprintf(g.user_id, sizeof(g.user_id), "%s", r->user.id);
	snprintf(g.patient_id, sizeof(g.patient_id), "%s", p.id);
	snprintf(g.workstation, sizeof(g.workstation), "%s", r->session.workstation);
	snprintf(g.reason_code, sizeof(g.reason_code), "%s", reason);
	g.justification = just;
	g.created_at = now;
	g.expires_at = now + r->app->cfg->break_glass_ttl;
	snprintf(path, sizeof(path), "break-glass:%s", g.id);
	if (grant(r, &g, su_until) != 0 ||
	    access_audit(r, &(struct audit_note){ .kind = "break-glass", .patient_id = pid,
	    .purpose = "BTG", .decision = "permit", .rule = reason, .path = path }) != 0)
		goto fail;
	/* The patient is in the audit row this request id points to, not in the log. */
	log_event(LOG_LEVEL_NOTICE, "%s: %s broke the glass (%s, grant %s)", r->request_id,
	    r->user.id, reason, g.id);
	cg_time_fmt(g.expires_at, exp);
	cg_time_fmt(su_until, su);
	reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:s}", "grant_id", g.id, "expires_at", exp,
	    "patient_id", pid, "step_up_until", su));
	goto out;
fail:
	reply_error(r, 500, "internal", "internal error");
out:
	free(id);
	free(just);
}
