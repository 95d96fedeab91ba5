/* Break-glass risk: explainable factors whose weights and wording are rows of the risk_factors table. */
#ifndef CHARTGATED_RISK_H
#define CHARTGATED_RISK_H

#include <stdint.h>

#include <jansson.h>

#include "backend/store.h"

#define RISK_RULES_MAX 16

/* One row of risk_factors: text holds at most one "{}" for the factor's detail. */
struct risk_rule {
	char code[32];
	int weight;
	char text[200];
	char param[32];		/* after_hours "START-END" (UTC hours); repeated: the minimum count */
};

struct risk_rules {
	struct risk_rule v[RISK_RULES_MAX];
	size_t n;
};

/* What the store knows about one event. Empty strings mean unknown or none. */
struct risk_facts {
	char user_family[64], patient_family[64];
	char user_address[128], patient_address[128];
	char patient_flags[64];		/* space separated: EMP VIP CEL */
	int64_t created_at;
	int others_24h;			/* the user's other break-glass events in the 24 h before */
	char ws_unit[STORE_ID_MAX], patient_unit[STORE_ID_MAX];
	char ws_unit_name[64], patient_unit_name[64];
	char unrelated[64];		/* sensitivity codes read that do not fit the reason */
	char reused_from[STORE_ID_MAX];	/* an earlier event with the same justification */
};

/* The score (0..100: the sum of the weights of the factors present, capped) and, in
 * *factors, [{"code","text","weight"}] in table order. -1 on allocation failure. */
int risk_evaluate(const struct risk_rules *, const struct risk_facts *, json_t **factors);

/* Recompute event id's score from the store's facts and table and keep it (risk_refresh.c);
 * 0 on success. Called when the event is made and whenever an access is made under it. */
int risk_refresh(struct store *, const char *id);

/* 1 when a rule of this code is known to risk_evaluate (a typo in the table is refused). */
int risk_code_known(const char *code);

#endif
