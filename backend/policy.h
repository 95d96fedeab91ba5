/* The chart access decision: a pure function of the care context, so it can be tested alone. */
#ifndef CHARTGATED_POLICY_H
#define CHARTGATED_POLICY_H

#include <stddef.h>

#include "backend/store.h"

struct policy_request {
	const struct rolelist *roles;
	const char *purpose;	/* NULL when the request named none */
	int patient_exists;
	enum care_rel rel;	/* the caller's care-team relationship to the patient */
};

enum policy_outcome {
	POLICY_PERMIT,
	POLICY_FORBIDDEN,		/* 403 forbidden: the role never reads charts */
	POLICY_PURPOSE_REQUIRED,	/* 428 purpose_required */
	POLICY_PURPOSE_INVALID,		/* 400 bad_request: not a purpose for this role */
	POLICY_NOT_FOUND,		/* 404 not_found */
	POLICY_NO_RELATIONSHIP		/* 403 no_relationship, rule says which */
};

struct policy_decision {
	enum policy_outcome outcome;
	const char *rule;	/* audit and API reason: "care-team", "not_on_care_team", ... */
	const char *path;	/* access path when permitted: "care-team" */
};

void policy_decide(const struct policy_request *, struct policy_decision *);

/* 1 when a section needs step-up: confidentiality R or V, or any sensitivity code. */
int policy_section_gated(const char *confidentiality, const char *sensitivity);

#endif
