/* One request's access decision: the care context gathered from the store, the policy's answer, its audit row and its reply. */
#include "backend/access.h"

#include <stdio.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/risk.h"
#include "backend/util.h"

int
access_decide(struct req *r, const char *pid, const char *purpose, int sensitive, struct access *a)
{
	struct store *s = r->app->store;
	int64_t now = cg_now();
	int rc;

	memset(a, 0, sizeof(*a));
	a->q.roles = &r->user.roles;
	a->q.purpose = purpose;
	a->q.now = now;
	a->q.discharge_grace = r->app->cfg->discharge_grace;
	a->q.sensitive = sensitive;
	a->q.enc = a->enc;
	a->q.ws_unit = a->ws_unit;
	if ((rc = store_patient_get(s, pid, &a->patient)) == STORE_ERROR)
		goto fail;
	a->q.patient_exists = rc == STORE_OK;
	/* The unit a client certificate names (OU) wins over the registry; an unknown
	 * workstation stands in no unit: unit rules then never match "same". */
	if (r->has_peer && r->peer.unit[0] != '\0')
		snprintf(a->ws_unit, sizeof(a->ws_unit), "%s", r->peer.unit);
	else if (store_workstation_unit(s, r->session.workstation, a->ws_unit) == STORE_ERROR)
		goto fail;
	if (store_care_encounters(s, r->user.id, pid, a->enc, CARE_ENCOUNTERS_MAX, &a->q.n_enc) != STORE_OK)
		goto fail;
	if ((rc = store_step_up_get(s, r->session.id, pid, now, &a->step_up_until)) == STORE_ERROR)
		goto fail;
	a->q.step_up = rc == STORE_OK;
	if ((rc = store_break_glass_active(s, r->user.id, pid, now, a->grant_id,
	    &a->grant_expires)) == STORE_ERROR)
		goto fail;
	a->q.grant_id = rc == STORE_OK ? a->grant_id : NULL;
	policy_decide(r->app->policy, &a->q, &a->d);
	return 0;
fail:
	reply_error(r, 500, "internal", "internal error");
	return -1;
}

static const char *
rule_message(const char *rule)
{
	static const struct {
		const char *rule, *message;
	} messages[] = {
		{ "not_on_care_team", "you are not on this patient's care team" },
		{ "encounter_finished", "the encounter you cared for this patient in has finished" },
		{ "different_unit", "this patient's encounter is on another unit than this workstation" },
	};
	size_t i;

	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (strcmp(messages[i].rule, rule) == 0)
			return messages[i].message;
	return "no care relationship allows this access";
}

void
access_reply_denied(struct req *r, const struct access *a)
{
	const char *rule = a->d.rule;

	switch (a->d.outcome) {
	case POLICY_PURPOSE_REQUIRED:
		reply_error(r, 428, "purpose_required", "say why you open this chart (?purpose=)");
		break;
	case POLICY_PURPOSE_INVALID:
		reply_json(r, 400, json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "bad_request",
		    "message", strcmp(rule, "btg_without_grant") == 0 ?
		    "purpose BTG needs an active break-glass grant for this patient" :
		    strcmp(rule, "purpose_not_break_glass") == 0 ?
		    "under a break-glass grant the purpose is BTG or ETREAT" :
		    "this purpose of use is not available to your role", "rule", rule));
		break;
	case POLICY_NOT_FOUND:
		reply_error(r, 404, "not_found", "no such patient");
		break;
	case POLICY_DENY_BREAK_GLASS:
		reply_json(r, 403, json_pack("{s:{s:s, s:s, s:s}, s:b}", "error",
		    "code", "no_relationship", "message", rule_message(rule), "rule", rule,
		    "break_glass_allowed", 1));
		break;
	default:
		reply_json(r, 403, json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "forbidden",
		    "message", strcmp(rule, "role_not_clinical") == 0 ?
		    "this role does not read charts" : "access denied by policy", "rule", rule));
		break;
	}
}

json_t *
access_json(const struct access *a, const char *purpose)
{
	char t[CG_TIME_LEN];
	json_t *o = json_pack("{s:s, s:s}", "path", a->d.path, "purpose", purpose);

	if (o != NULL && strncmp(a->d.path, "break-glass:", 12) == 0) {
		cg_time_fmt(a->grant_expires, t);
		json_object_set_new(o, "expires_at", json_string(t));
	}
	if (o != NULL && a->q.step_up) {
		cg_time_fmt(a->step_up_until, t);
		json_object_set_new(o, "step_up_until", json_string(t));
	}
	return o;
}

#define SET(field, v) cg_copy(row.field, sizeof(row.field), (v))

int
access_audit(struct req *r, const struct audit_note *n)
{
	struct audit_row row;

	memset(&row, 0, sizeof(row));
	SET(kind, n->kind);
	SET(user_id, r->user.id);
	SET(workstation, r->session.workstation);
	SET(patient_id, n->patient_id);
	SET(sections, n->sections);
	SET(purpose, n->purpose);
	SET(decision, n->decision);
	SET(rule, n->rule);
	SET(path, n->path);
	SET(request_id, r->request_id);
	SET(detail, n->detail);
	if (audit_append(r->app->store, &row) != 0) {
		fprintf(stderr, "chartgated: %s: audit append failed\n", r->request_id);
		return -1;
	}
	/* Every use of a break-glass grant may change what the reviewer should know. */
	if (strcmp(row.decision, "permit") == 0 && strncmp(row.path, "break-glass:", 12) == 0)
		risk_refresh(r->app->store, row.path + 12);
	return 0;
}
