/* Chart access decisions: the care context reduced to facts, then the first matching rule of the table. */
#include "backend/policy.h"

#include <stdio.h>
#include <string.h>

#include "backend/vocab.h"

/* 1 when the comma separated list holds value, or is "*". */
static int
list_has(const char *list, const char *value)
{
	size_t n = strlen(value);
	const char *p = list;

	if (strcmp(list, "*") == 0)
		return 1;
	while (*p) {
		size_t k = strcspn(p, ",");

		if (k == n && strncmp(p, value, n) == 0)
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

/* A role condition names a role class (clinical, non_clinical) or a role the caller holds. */
static int
role_matches(const char *list, const struct rolelist *roles, const char *role_class)
{
	size_t i;

	if (list_has(list, role_class))
		return 1;
	for (i = 0; i < roles->n; i++)
		if (list_has(list, roles->v[i]))
			return 1;
	return 0;
}

static const char *
purpose_fact(const struct policy_request *q)
{
	if (q->purpose == NULL || q->purpose[0] == '\0')
		return "missing";
	/* BTG is never on a role's menu: it exists only next to a grant. */
	if (strcmp(q->purpose, "BTG") == 0)
		return "btg";
	if (!vocab_purpose_allowed(q->roles, q->purpose))
		return "invalid";
	return strcmp(q->purpose, "ETREAT") == 0 ? "emergency" : "routine";
}

/* The strongest care relationship (active > grace > finished > none) and whether any
 * encounter giving it is on the workstation's unit. */
static void
care_facts(const struct policy_request *q, const char **care, const char **unit)
{
	static const char *const level_name[] = { "none", "finished", "grace", "active" };
	int best = 0, same = 0, level;
	size_t i;

	for (i = 0; i < q->n_enc; i++) {
		const struct care_encounter *e = &q->enc[i];

		/* Access ends discharge_grace seconds after discharge, not at it. */
		level = e->active ? 3 : q->now < e->ended_at + q->discharge_grace ? 2 : 1;
		if (level > best) {
			best = level;
			same = 0;
		}
		if (level == best && q->ws_unit != NULL && q->ws_unit[0] != '\0' &&
		    strcmp(e->unit_id, q->ws_unit) == 0)
			same = 1;
	}
	*care = level_name[best];
	*unit = same ? "same" : "other";
}

void
policy_facts(const struct policy_request *q, const char *f[PI_N])
{
	f[PI_ROLE] = vocab_any_clinical(q->roles) ? "clinical" : "non_clinical";
	f[PI_PURPOSE] = purpose_fact(q);
	f[PI_PATIENT] = q->patient_exists ? "known" : "unknown";
	care_facts(q, &f[PI_CARE], &f[PI_UNIT]);
	f[PI_GRANT] = q->grant_id != NULL && q->grant_id[0] != '\0' ? "break_glass" : "none";
	f[PI_STEP_UP] = q->step_up ? "yes" : "no";
	f[PI_SENSITIVE] = q->sensitive ? "yes" : "no";
}

static int
rule_matches(const struct policy_rule *r, const struct policy_request *q, const char *f[PI_N])
{
	int i;

	if (!role_matches(r->cond[PI_ROLE], q->roles, f[PI_ROLE]))
		return 0;
	for (i = PI_ROLE + 1; i < PI_N; i++)
		if (!list_has(r->cond[i], f[i]))
			return 0;
	return 1;
}

void
policy_decide(const struct policy *p, const struct policy_request *q, struct policy_decision *d)
{
	const char *f[PI_N];
	size_t i;

	policy_facts(q, f);
	memset(d, 0, sizeof(*d));
	for (i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!rule_matches(r, q, f))
			continue;
		d->outcome = r->outcome;
		d->rule = r->rule;
		d->position = r->position;
		if (strcmp(r->path, "break-glass") == 0)
			snprintf(d->path, sizeof(d->path), "break-glass:%s", q->grant_id);
		else
			snprintf(d->path, sizeof(d->path), "%s", r->path);
		return;
	}
	/* A gap in the table denies: access is never the default. */
	d->outcome = POLICY_DENY;
	d->rule = "no_rule_matched";
}

int
policy_section_sensitive(const char *confidentiality, const char *sensitivity)
{
	if (confidentiality == NULL || strcmp(confidentiality, "N") != 0)
		return 1;	/* R, V, or anything unknown: fail closed */
	return sensitivity != NULL && sensitivity[strspn(sensitivity, " ")] != '\0';
}

int
policy_section_gated(const struct policy_decision *d, const struct section *s)
{
	if (d->outcome == POLICY_PERMIT)
		return 0;
	/* Only a permit opens a sensitive section; anything else withholds it. */
	return d->outcome != POLICY_PERMIT_STEP_UP ||
	    policy_section_sensitive(s->confidentiality, s->sensitivity);
}

const char *
policy_audit_decision(enum policy_outcome o)
{
	return o == POLICY_PERMIT || o == POLICY_PERMIT_STEP_UP ? "permit" : "deny";
}
