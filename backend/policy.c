/* The chart access decision, taken only from the care context the server knows at request time. */
#include "backend/policy.h"

#include <string.h>

#include "backend/vocab.h"

void
policy_decide(const struct policy_request *q, struct policy_decision *d)
{
	d->path = NULL;
	/* Role first: a helpdesk agent learns nothing about a patient, not even
	 * whether the id exists. */
	if (!vocab_any_clinical(q->roles)) {
		d->outcome = POLICY_FORBIDDEN;
		d->rule = "role_not_clinical";
	} else if (q->purpose == NULL || q->purpose[0] == '\0') {
		d->outcome = POLICY_PURPOSE_REQUIRED;
		d->rule = "purpose_missing";
	} else if (!vocab_purpose_allowed(q->roles, q->purpose)) {
		d->outcome = POLICY_PURPOSE_INVALID;
		d->rule = "purpose_not_allowed";
	} else if (!q->patient_exists) {
		d->outcome = POLICY_NOT_FOUND;
		d->rule = "patient_unknown";
	} else if (q->rel == CARE_ACTIVE) {
		d->outcome = POLICY_PERMIT;
		d->rule = "care-team";
		d->path = "care-team";
	} else {
		/* A finished encounter is named apart: the client can say "discharged"
		 * and the reviewer sees why break-glass was used. */
		d->outcome = POLICY_NO_RELATIONSHIP;
		d->rule = q->rel == CARE_FINISHED_ONLY ? "encounter_finished" : "not_on_care_team";
	}
}

int
policy_section_gated(const char *confidentiality, const char *sensitivity)
{
	if (confidentiality == NULL || strcmp(confidentiality, "N") != 0)
		return 1;	/* R, V, or anything unknown: fail closed */
	return sensitivity != NULL && sensitivity[strspn(sensitivity, " ")] != '\0';
}
