/* Unit tests of the chart access decision and of section gating. */
#include <string.h>

#include "backend/policy.h"
#include "tests/t.h"

static struct rolelist nurse = { { "nurse" }, 1 };
static struct rolelist helpdesk = { { "helpdesk" }, 1 };
static struct rolelist privacy = { { "privacy_officer" }, 1 };

static struct policy_decision
decide(const struct rolelist *roles, const char *purpose, int exists, enum care_rel rel)
{
	struct policy_request q = { roles, purpose, exists, rel };
	struct policy_decision d;

	policy_decide(&q, &d);
	return d;
}

static void
care_team_of_active_encounter_permits(void)
{
	struct policy_decision d = decide(&nurse, "TREAT", 1, CARE_ACTIVE);

	T_CHECK(d.outcome == POLICY_PERMIT);
	T_STREQ(d.path, "care-team");
}

static void
not_on_care_team_is_no_relationship(void)
{
	struct policy_decision d = decide(&nurse, "TREAT", 1, CARE_NONE);

	T_CHECK(d.outcome == POLICY_NO_RELATIONSHIP);
	T_STREQ(d.rule, "not_on_care_team");
	T_CHECK(d.path == NULL);
}

static void
finished_encounter_is_encounter_finished(void)
{
	struct policy_decision d = decide(&nurse, "TREAT", 1, CARE_FINISHED_ONLY);

	T_CHECK(d.outcome == POLICY_NO_RELATIONSHIP);
	T_STREQ(d.rule, "encounter_finished");
}

static void
missing_purpose_is_purpose_required_even_on_the_team(void)
{
	T_CHECK(decide(&nurse, NULL, 1, CARE_ACTIVE).outcome == POLICY_PURPOSE_REQUIRED);
	T_CHECK(decide(&nurse, "", 1, CARE_ACTIVE).outcome == POLICY_PURPOSE_REQUIRED);
}

static void
purpose_of_another_role_is_refused(void)
{
	T_CHECK(decide(&nurse, "HCOMPL", 1, CARE_ACTIVE).outcome == POLICY_PURPOSE_INVALID);
	T_CHECK(decide(&nurse, "treat", 1, CARE_ACTIVE).outcome == POLICY_PURPOSE_INVALID);
	/* Break-the-glass is its own flow, never an ordinary purpose. */
	T_CHECK(decide(&nurse, "BTG", 1, CARE_ACTIVE).outcome == POLICY_PURPOSE_INVALID);
}

static void
non_clinical_roles_are_forbidden_before_anything_else(void)
{
	/* Before existence: helpdesk must not learn whether a patient id exists. */
	T_CHECK(decide(&helpdesk, "TREAT", 0, CARE_NONE).outcome == POLICY_FORBIDDEN);
	T_CHECK(decide(&privacy, "HCOMPL", 1, CARE_ACTIVE).outcome == POLICY_FORBIDDEN);
}

static void
unknown_patient_is_not_found(void)
{
	T_CHECK(decide(&nurse, "TREAT", 0, CARE_NONE).outcome == POLICY_NOT_FOUND);
}

static void
sensitive_sections_are_gated(void)
{
	T_CHECK(!policy_section_gated("N", ""));
	T_CHECK(policy_section_gated("R", ""));
	T_CHECK(policy_section_gated("V", ""));
	T_CHECK(policy_section_gated("N", "SEX"));
	T_CHECK(policy_section_gated("N", "PSY MH"));
	T_CHECK(!policy_section_gated("N", "  "));
	/* Unknown confidentiality fails closed. */
	T_CHECK(policy_section_gated("", ""));
	T_CHECK(policy_section_gated(NULL, NULL));
}

int
main(void)
{
	T_RUN(care_team_of_active_encounter_permits);
	T_RUN(not_on_care_team_is_no_relationship);
	T_RUN(finished_encounter_is_encounter_finished);
	T_RUN(missing_purpose_is_purpose_required_even_on_the_team);
	T_RUN(purpose_of_another_role_is_refused);
	T_RUN(non_clinical_roles_are_forbidden_before_anything_else);
	T_RUN(unknown_patient_is_not_found);
	T_RUN(sensitive_sections_are_gated);
	T_EXIT();
}
