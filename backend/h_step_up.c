/* Step-up: a fresh assertion with user verification opens one patient's sensitive sections, in this session, for a short time. */
#include <stdio.h>
#include <string.h>

#include "backend/access.h"
#include "backend/assertion.h"
#include "backend/handlers.h"
#include "backend/ratelimit.h"
#include "backend/step_up.h"
#include "backend/util.h"
#include "backend/vocab.h"

void
h_challenge_step_up(struct req *r)
{
	const char *pid;
	struct patient p;
	int rc;

	if (req_authenticate(r) != 0)
		return;
	if (!vocab_any_clinical(&r->user.roles)) {
		reply_error(r, 403, "forbidden", "step-up is for clinicians");
		return;
	}
	if ((pid = json_string_value(json_object_get(r->body, "patient_id"))) == NULL ||
	    pid[0] == '\0') {
		reply_error(r, 400, "bad_request", "a step_up challenge needs patient_id");
		return;
	}
	if ((rc = store_patient_get(r->app->store, pid, &p)) != STORE_OK) {
		if (rc == STORE_NOT_FOUND)
			reply_error(r, 404, "not_found", "no such patient");
		else
			reply_error(r, 500, "internal", "internal error");
		return;
	}
	challenge_issue(r, "step_up", pid);
}

/* Log the precise reason, audit it, answer one generic 401. */
static int
refuse(struct req *r, const char *kind, const char *pid, const char *purpose, const char *rule,
    const char *why)
{
	fprintf(stderr, "chartgated: %s: %s refused for %s: %s%s%s\n", r->request_id, kind,
	    r->user.id, rule, why && why[0] ? ": " : "", why ? why : "");
	ratelimit_step_up_failed(r);
	access_audit(r, &(struct audit_note){ .kind = kind, .patient_id = pid, .purpose = purpose,
	    .decision = "deny", .rule = rule });
	reply_error(r, 401, "unauthenticated",
	    "the badge could not be verified with its PIN; try again");
	return -1;
}

int
step_up_verify(struct req *r, const char *kind, const char *pid, const char *purpose,
    struct assertion_check *ac)
{
	char origin[STORE_ID_MAX + 16];

	memset(ac, 0, sizeof(*ac));
	if (ratelimit_step_up_blocked(r, kind, pid, purpose))
		return -1;
	snprintf(origin, sizeof(origin), "chartgate:%s", r->session.workstation);
	ac->rp_id = r->app->cfg->rp_id;
	ac->origin = origin;
	ac->purpose = "step_up";
	ac->require_uv = 1;
	switch (assertion_check(r->app->store, r->body, ac)) {
	case ASSERTION_OK:
		break;
	case ASSERTION_BAD_REQUEST:
		reply_error(r, 400, "bad_request", ASSERTION_FIELDS_MESSAGE);
		return -1;
	case ASSERTION_REFUSED:
		return refuse(r, kind, pid ? pid : ac->ch.patient_id, purpose, ac->rule, ac->why);
	default:
		reply_error(r, 500, "internal", "internal error");
		return -1;
	}
	if (pid == NULL)
		pid = ac->ch.patient_id;
	/* A step-up proves this clinician, here, for this patient: nothing borrowed. */
	if (strcmp(ac->ch.session_id, r->session.id) != 0)
		return refuse(r, kind, pid, purpose, "challenge_other_session", NULL);
	if (strcmp(ac->ch.patient_id, pid) != 0)
		return refuse(r, kind, pid, purpose, "challenge_other_patient", ac->ch.patient_id);
	if (strcmp(ac->cred.user_id, r->user.id) != 0)
		return refuse(r, kind, pid, purpose, "credential_other_user", ac->cred.user_id);
	return 0;
}

void
h_step_up(struct req *r)
{
	struct assertion_check ac;
	char until[CG_TIME_LEN], path[STORE_ID_MAX + 16];
	int64_t t = cg_now() + r->app->cfg->step_up_ttl;

	if (step_up_verify(r, "step-up", NULL, NULL, &ac) != 0)
		return;
	snprintf(path, sizeof(path), "session:%s", r->session.id);
	if (store_step_up_put(r->app->store, r->session.id, ac.ch.patient_id, t) != STORE_OK ||
	    access_audit(r, &(struct audit_note){ .kind = "step-up", .patient_id = ac.ch.patient_id,
	    .decision = "permit", .rule = "user_verified", .path = path }) != 0) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	cg_time_fmt(t, until);
	reply_json(r, 200, json_pack("{s:s, s:s, s:I}", "step_up_until", until,
	    "patient_id", ac.ch.patient_id, "expires_in", (json_int_t)r->app->cfg->step_up_ttl));
}
