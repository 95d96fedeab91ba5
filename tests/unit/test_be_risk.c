/* Unit tests of break-glass risk: each factor on its own, weights and wording from the migrated risk_factors table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/risk.h"
#include "backend/store.h"
#include "tests/t.h"

static struct risk_rules rules;	/* as migration 4 seeds them */

/* 2026-11-23T12:00:00Z: inside working hours. */
#define NOON 1795435200

static void
quiet(struct risk_facts *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->user_family, sizeof(f->user_family), "Ortiz");
	snprintf(f->patient_family, sizeof(f->patient_family), "Drummond");
	snprintf(f->user_address, sizeof(f->user_address), "7 Harbour Lane, Sampletown");
	snprintf(f->patient_address, sizeof(f->patient_address), "10 Example Street, Sampletown");
	f->created_at = NOON;
	snprintf(f->ws_unit, sizeof(f->ws_unit), "u-4w");
	snprintf(f->patient_unit, sizeof(f->patient_unit), "u-4w");
	snprintf(f->ws_unit_name, sizeof(f->ws_unit_name), "4W Medicine");
	snprintf(f->patient_unit_name, sizeof(f->patient_unit_name), "4W Medicine");
}

static int
weight_of(const char *code)
{
	size_t i;

	for (i = 0; i < rules.n; i++)
		if (strcmp(rules.v[i].code, code) == 0)
			return rules.v[i].weight;
	return -1;
}

/* Evaluate f; the one factor it must find is code, with this text. */
static void
expect_one(const struct risk_facts *f, const char *code, const char *text)
{
	json_t *factors = NULL;
	int score = risk_evaluate(&rules, f, &factors);
	json_t *x = json_array_get(factors, 0);

	T_CHECK(json_array_size(factors) == 1);
	T_STREQ(json_string_value(json_object_get(x, "code")), code);
	T_STREQ(json_string_value(json_object_get(x, "text")), text);
	T_CHECK(json_integer_value(json_object_get(x, "weight")) == weight_of(code));
	T_CHECK(score == weight_of(code));
	json_decref(factors);
}

static void
expect_none(const struct risk_facts *f)
{
	json_t *factors = NULL;

	T_CHECK(risk_evaluate(&rules, f, &factors) == 0);
	T_CHECK(json_array_size(factors) == 0);
	json_decref(factors);
}

static void
the_table_holds_every_factor_with_a_weight(void)
{
	static const char *const codes[] = { "same_surname", "same_address", "flag_vip", "flag_emp",
		"after_hours", "repeated", "other_unit", "unrelated_sections", "reused_justification" };
	size_t i;

	T_CHECK(rules.n == sizeof(codes) / sizeof(codes[0]));
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		T_CHECK(weight_of(codes[i]) > 0);
	T_CHECK(!risk_code_known("typo_factor"));
}

static void
an_ordinary_event_scores_zero(void)
{
	struct risk_facts f;

	quiet(&f);
	expect_none(&f);
}

static void
same_surname_any_case(void)
{
	struct risk_facts f;

	quiet(&f);
	snprintf(f.patient_family, sizeof(f.patient_family), "ORTIZ");
	expect_one(&f, "same_surname", "Same surname as the clinician (Ortiz)");
}

static void
same_address(void)
{
	struct risk_facts f;

	quiet(&f);
	snprintf(f.patient_address, sizeof(f.patient_address), "7 Harbour Lane, Sampletown");
	expect_one(&f, "same_address", "Same address as the clinician (7 Harbour Lane, Sampletown)");
}

static void
unknown_names_and_addresses_never_match(void)
{
	struct risk_facts f;

	quiet(&f);
	f.user_family[0] = f.patient_family[0] = f.user_address[0] = f.patient_address[0] = '\0';
	expect_none(&f);
}

static void
flags_vip_and_emp(void)
{
	struct risk_facts f;

	quiet(&f);
	snprintf(f.patient_flags, sizeof(f.patient_flags), "VIP");
	expect_one(&f, "flag_vip", "Patient is flagged VIP");
	snprintf(f.patient_flags, sizeof(f.patient_flags), "EMP");
	expect_one(&f, "flag_emp", "Patient is flagged EMP (a member of staff)");
	/* A flag is a word, not a substring. */
	snprintf(f.patient_flags, sizeof(f.patient_flags), "EMPX");
	expect_none(&f);
}

static void
after_hours_wraps_midnight(void)
{
	struct risk_facts f;

	quiet(&f);
	f.created_at = NOON + 8 * 3600 + 15 * 60;	/* 20:15 */
	expect_one(&f, "after_hours", "Opened after hours (20:15 UTC)");
	f.created_at = NOON - 6 * 3600;			/* 06:00 */
	expect_one(&f, "after_hours", "Opened after hours (06:00 UTC)");
	f.created_at = NOON - 5 * 3600;			/* 07:00: working hours again */
	expect_none(&f);
}

static void
repeated_needs_two_others_in_a_day(void)
{
	struct risk_facts f;

	quiet(&f);
	f.others_24h = 1;
	expect_none(&f);
	f.others_24h = 2;
	expect_one(&f, "repeated", "2 other break-glass events by this clinician in the 24 hours before");
}

static void
workstation_on_another_unit(void)
{
	struct risk_facts f;

	quiet(&f);
	snprintf(f.ws_unit, sizeof(f.ws_unit), "u-icu");
	snprintf(f.ws_unit_name, sizeof(f.ws_unit_name), "ICU");
	expect_one(&f, "other_unit",
	    "Workstation is not on the patient's unit (workstation on ICU, patient on 4W Medicine)");
	f.ws_unit[0] = '\0';	/* an unknown cart is on no unit */
	expect_one(&f, "other_unit",
	    "Workstation is not on the patient's unit (workstation on no known unit, patient on 4W Medicine)");
}

static void
unrelated_sections_and_reused_text(void)
{
	struct risk_facts f;

	quiet(&f);
	snprintf(f.unrelated, sizeof(f.unrelated), "PSY SUD");
	expect_one(&f, "unrelated_sections", "Read sections unrelated to the stated reason (PSY SUD)");
	quiet(&f);
	snprintf(f.reused_from, sizeof(f.reused_from), "bg-demo-05");
	expect_one(&f, "reused_justification",
	    "Justification reused word for word from an earlier event (bg-demo-05)");
}

static void
weights_come_from_the_table_and_the_score_is_capped(void)
{
	struct risk_rules mine = rules;
	struct risk_facts f;
	json_t *factors = NULL;
	size_t i;

	quiet(&f);
	snprintf(f.patient_flags, sizeof(f.patient_flags), "VIP EMP");
	snprintf(f.patient_family, sizeof(f.patient_family), "Ortiz");
	for (i = 0; i < mine.n; i++)
		mine.v[i].weight = strcmp(mine.v[i].code, "flag_emp") == 0 ? 0 : 70;
	/* flag_emp switched off (weight 0); 70 + 70 capped at 100. */
	T_CHECK(risk_evaluate(&mine, &f, &factors) == 100);
	T_CHECK(json_array_size(factors) == 2);
	T_STREQ(json_string_value(json_object_get(json_array_get(factors, 0), "code")), "same_surname");
	json_decref(factors);
}

int
main(void)
{
	char dir[] = "/tmp/test_be_risk.XXXXXX", db[64];
	struct store *s = NULL;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/risk.db", dir);
	if (store_open(db, 1, &s) != STORE_OK || store_risk_rules(s, &rules) != STORE_OK) {
		printf("not ok - open a migrated store\n");
		return 1;
	}
	store_close(&s);
	T_RUN(the_table_holds_every_factor_with_a_weight);
	T_RUN(an_ordinary_event_scores_zero);
	T_RUN(same_surname_any_case);
	T_RUN(same_address);
	T_RUN(unknown_names_and_addresses_never_match);
	T_RUN(flags_vip_and_emp);
	T_RUN(after_hours_wraps_midnight);
	T_RUN(repeated_needs_two_others_in_a_day);
	T_RUN(workstation_on_another_unit);
	T_RUN(unrelated_sections_and_reused_text);
	T_RUN(weights_come_from_the_table_and_the_score_is_capped);
	unlink(db);
	snprintf(db, sizeof(db), "%s/risk.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof(db), "%s/risk.db-shm", dir);
	unlink(db);
	rmdir(dir);
	T_EXIT();
}
