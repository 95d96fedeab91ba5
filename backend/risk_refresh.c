/* Keep a break-glass event's risk score current: the table, the facts, the evaluation, stored on the event. */
#include <stdio.h>
#include <stdlib.h>

#include "backend/risk.h"

int
risk_refresh(struct store *s, const char *id)
{
	struct risk_rules rules;
	struct risk_facts f;
	json_t *factors = NULL;
	char *text = NULL;
	int score, rc = -1;

	if (store_risk_rules(s, &rules) != STORE_OK || store_risk_facts(s, id, &f) != STORE_OK)
		goto out;
	if ((score = risk_evaluate(&rules, &f, &factors)) < 0 ||
	    (text = json_dumps(factors, JSON_COMPACT)) == NULL)
		goto out;
	rc = store_risk_put(s, id, score, text, f.patient_unit) == STORE_OK ? 0 : -1;
out:
	if (rc != 0)
		fprintf(stderr, "chartgated: risk of break-glass event %s not refreshed\n", id);
	free(text);
	json_decref(factors);
	return rc;
}
