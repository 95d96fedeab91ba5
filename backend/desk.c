/* What every desk request shares (helpdesk, reviewer desk): the role check, the reason, the self-action rule, one audit row. */
#include <stdio.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/h_helpdesk.h"
#include "backend/helpdesk.h"
#include "backend/util.h"

const struct desk_kind desk_kind_helpdesk = {
	.role = "helpdesk",
	.audit_kind = "helpdesk",
	.role_message = "only the helpdesk may do this",
	.role_outcome = "role_not_helpdesk",
	.self_message = "the helpdesk cannot act on its own account; ask a colleague",
	.text_problem = helpdesk_reason_problem,
	.record = store_helpdesk_action_put,
};

static int
has_role(const struct rolelist *roles, const char *role)
{
	size_t i;

	for (i = 0; i < roles->n; i++)
		if (strcmp(roles->v[i], role) == 0)
			return 1;
	return 0;
}

/* The audit row (the chain carries the reason's SHA-256) and the reason's full text beside it. */
static void
desk_audit(struct desk *d, const char *decision, const char *why)
{
	struct req *r = d->r;
	struct audit_row a;
	struct helpdesk_action h;
	unsigned char md[32];
	char hex[65];

	memset(&a, 0, sizeof(a));
	cg_time_fmt(cg_now(), a.time);
	snprintf(a.kind, sizeof(a.kind), "%s", d->k->audit_kind);
	snprintf(a.patient_id, sizeof(a.patient_id), "%s", d->patient);
	snprintf(a.user_id, sizeof(a.user_id), "%s", r->user.id);
	snprintf(a.workstation, sizeof(a.workstation), "%s", r->session.workstation);
	snprintf(a.decision, sizeof(a.decision), "%s", decision);
	snprintf(a.rule, sizeof(a.rule), "%s", d->action);
	snprintf(a.request_id, sizeof(a.request_id), "%s", r->request_id);
	cg_sha256(d->reason, strlen(d->reason), md);
	cg_hex(md, sizeof(md), hex);
	/* The hash first, so a long object can never cut it off. */
	if (snprintf(a.detail, sizeof(a.detail), "reason_sha256=%s outcome=%s target=%s object=%s",
	    d->reason[0] ? hex : "none", why, d->target_user, d->object) >= (int)sizeof(a.detail))
		fprintf(stderr, "chartgated: %s: audit detail truncated\n", r->request_id);
	if (audit_append(r->app->store, &a) != 0)
		fprintf(stderr, "chartgated: %s: audit append failed\n", r->request_id);
	h.request_id = r->request_id;
	h.time = a.time;
	h.actor_id = r->user.id;
	h.action = d->action;
	h.decision = decision;
	h.target_user_id = d->target_user;
	h.object_id = d->object;
	h.reason = d->reason;
	if (d->k->record(r->app->store, &h) != STORE_OK)
		fprintf(stderr, "chartgated: %s: %s action record failed\n", r->request_id,
		    d->k->audit_kind);
}

void
desk_refuse(struct desk *d, unsigned status, const char *code, const char *message, const char *why)
{
	fprintf(stderr, "chartgated: %s: %s %s by %s refused: %s\n", d->r->request_id,
	    d->k->audit_kind, d->action, d->r->user.id, why);
	desk_audit(d, "deny", why);
	reply_error(d->r, status, code, message);
}

void
desk_internal(struct desk *d)
{
	desk_refuse(d, 500, "internal", "internal error", "store_error");
}

void
desk_done(struct desk *d, unsigned status, json_t *body)
{
	desk_audit(d, "permit", "ok");
	reply_json(d->r, status, body);
}

int
desk_open(struct desk *d, struct req *r, const char *action, enum desk_reason need)
{
	return desk_open_kind(d, r, &desk_kind_helpdesk, action, need == DESK_REASON ? "reason" : NULL);
}

int
desk_open_kind(struct desk *d, struct req *r, const struct desk_kind *k, const char *action,
    const char *text_field)
{
	json_t *v = text_field != NULL ? json_object_get(r->body, text_field) : NULL;
	const char *problem;

	memset(d, 0, sizeof(*d));
	d->r = r;
	d->k = k;
	d->action = action;
	d->reason = "";
	if (!has_role(&r->user.roles, k->role)) {
		desk_refuse(d, 403, "forbidden", k->role_message, k->role_outcome);
		return -1;
	}
	if (text_field == NULL)
		return 0;
	problem = json_is_string(v) ? k->text_problem(json_string_value(v),
	    json_string_length(v)) : k->text_problem(NULL, 0);
	if (problem != NULL) {
		desk_refuse(d, 400, "bad_request", problem, "reason_invalid");
		return -1;
	}
	d->reason = json_string_value(v);
	return 0;
}

/* A user id named in the path; 404 (audited) when there is no such user. */
int
desk_user(struct desk *d, const char *id, struct user *u)
{
	snprintf(d->target_user, sizeof(d->target_user), "%s", id);
	if (strlen(id) < STORE_ID_MAX && store_user_get(d->r->app->store, id, u) == STORE_OK)
		return 0;
	desk_refuse(d, 404, "not_found", "no such user", "user_unknown");
	return -1;
}

int
desk_self(struct desk *d, const char *user_id)
{
	snprintf(d->target_user, sizeof(d->target_user), "%s", user_id);
	if (strcmp(user_id, d->r->user.id) != 0)
		return 0;
	desk_refuse(d, 403, "forbidden", d->k->self_message, "self_action");
	return 1;
}
