/* Task-bound chart access: the rule table (docs/policy.md) and its evaluation, a pure function of the care context. */
#ifndef CHARTGATED_POLICY_H
#define CHARTGATED_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "backend/store.h"

enum policy_outcome {
	POLICY_PERMIT,			/* everything asked for */
	POLICY_PERMIT_STEP_UP,		/* permitted, but sensitive sections stay gated until step-up */
	POLICY_DENY_BREAK_GLASS,	/* 403 no_relationship, break-glass allowed; rule says why */
	POLICY_DENY,			/* 403 forbidden */
	POLICY_PURPOSE_REQUIRED,	/* 428 purpose_required */
	POLICY_PURPOSE_INVALID,		/* 400 bad_request */
	POLICY_NOT_FOUND		/* 404 not_found */
};

/* The inputs a rule can test, in policy_rules column order. */
enum policy_input {
	PI_ROLE, PI_PURPOSE, PI_PATIENT, PI_CARE, PI_UNIT, PI_GRANT, PI_STEP_UP, PI_SENSITIVE, PI_N
};

struct policy_rule {
	int position;
	char cond[PI_N][64];	/* "*" or comma separated values, checked at load */
	enum policy_outcome outcome;
	char path[16];		/* "care-team", "break-glass" on permits; else "" */
	char rule[48];		/* the name the API, the audit trail and reviewers see */
};

/* The rules in order; the first that matches decides. */
struct policy {
	struct policy_rule *rules;
	size_t n;
};

/* Load and check the policy_rules table; on a bad row -1 with why (position and column). */
int policy_load(struct store *, struct policy *, char *why, size_t why_len);
void policy_free(struct policy *);

struct policy_request {
	const struct rolelist *roles;
	const char *purpose;		/* NULL or "" when the request named none */
	int patient_exists;
	const struct care_encounter *enc;	/* the caller's care-team encounters of the patient */
	size_t n_enc;
	const char *ws_unit;		/* the workstation's unit; NULL or "" when unknown */
	int64_t now, discharge_grace;	/* a finished encounter counts until ended_at + grace */
	int step_up;			/* a valid step-up for this patient in this session */
	const char *grant_id;		/* an active break-glass grant for this patient, else NULL */
	int sensitive;			/* the request reaches a sensitive section */
};

struct policy_decision {
	enum policy_outcome outcome;
	const char *rule;		/* never NULL */
	int position;			/* the rule that matched; 0 when none did (deny) */
	char path[STORE_ID_MAX + 16];	/* "care-team" | "break-glass:<grant id>" | "" */
};

/* The fact each input takes for this request (PI_ROLE: "clinical" or "non_clinical"). */
void policy_facts(const struct policy_request *, const char *facts[PI_N]);
void policy_decide(const struct policy *, const struct policy_request *, struct policy_decision *);

/* 1 when a section is sensitive: confidentiality R or V (or unknown), or any sensitivity code. */
int policy_section_sensitive(const char *confidentiality, const char *sensitivity);
/* 1 when the section's items are withheld under this decision. */
int policy_section_gated(const struct policy_decision *, const struct section *);

/* "permit" | "deny", as the audit trail records an outcome. */
const char *policy_audit_decision(enum policy_outcome);

#endif
