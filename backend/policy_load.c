/* Loading the policy_rules table at start: every value checked, so a typo stops the server instead of opening a hole. */
#include "backend/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What each input may say (docs/policy.md); "*" is always allowed. */
static const char *const input_name[PI_N] = {
	"role", "purpose", "patient", "care", "unit", "access_grant", "step_up", "sensitive",
};
static const char *const input_values[PI_N] = {
	"clinical,non_clinical,nurse,physician,privacy_officer,helpdesk",
	"missing,invalid,btg,emergency,routine",
	"known,unknown",
	"active,grace,finished,none",
	"same,other",
	"break_glass,none",
	"yes,no",
	"yes,no",
};

static const struct {
	const char *name;
	enum policy_outcome outcome;
} outcomes[] = {
	{ "permit", POLICY_PERMIT },
	{ "permit_step_up", POLICY_PERMIT_STEP_UP },
	{ "deny_break_glass", POLICY_DENY_BREAK_GLASS },
	{ "deny", POLICY_DENY },
	{ "purpose_required", POLICY_PURPOSE_REQUIRED },
	{ "purpose_invalid", POLICY_PURPOSE_INVALID },
	{ "not_found", POLICY_NOT_FOUND },
};

struct load {
	struct policy *p;
	size_t cap;
	char *why;
	size_t why_len;
};

/* 1 when every comma separated token of list is one of allowed (or list is "*"). */
static int
tokens_ok(const char *list, const char *allowed)
{
	char tok[64];
	const char *p = list;

	if (strcmp(list, "*") == 0)
		return 1;
	if (*p == '\0')
		return 0;
	while (*p) {
		size_t k = strcspn(p, ",");
		const char *a = allowed;
		int found = 0;

		if (k == 0 || k >= sizeof(tok))
			return 0;
		memcpy(tok, p, k);
		tok[k] = '\0';
		while (*a && !found) {
			size_t m = strcspn(a, ",");

			found = m == k && strncmp(a, tok, k) == 0;
			a += m + (a[m] == ',');
		}
		if (!found || (p[k] == ',' && p[k + 1] == '\0'))
			return 0;	/* "a," is a typo, not a list */
		p += k + (p[k] == ',');
	}
	return 1;
}

static int
bad(struct load *l, int position, const char *column, const char *value)
{
	snprintf(l->why, l->why_len, "policy_rules position %d: bad %s '%s'", position, column, value);
	return 1;
}

static int
add_rule(void *arg, int position, const char *const cols[POLICY_RULE_COLS])
{
	struct load *l = arg;
	struct policy_rule r;
	size_t i;
	int found = 0;

	memset(&r, 0, sizeof(r));
	r.position = position;
	for (i = 0; i < PI_N; i++) {
		if (strlen(cols[i]) >= sizeof(r.cond[i]) || !tokens_ok(cols[i], input_values[i]))
			return bad(l, position, input_name[i], cols[i]);
		snprintf(r.cond[i], sizeof(r.cond[i]), "%s", cols[i]);
	}
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]) && !found; i++)
		if (strcmp(cols[PI_N], outcomes[i].name) == 0) {
			r.outcome = outcomes[i].outcome;
			found = 1;
		}
	if (!found)
		return bad(l, position, "decision", cols[PI_N]);
	/* A permit must say which path it grants; nothing else may claim one. */
	if ((r.outcome == POLICY_PERMIT || r.outcome == POLICY_PERMIT_STEP_UP) ?
	    strcmp(cols[PI_N + 1], "care-team") != 0 && strcmp(cols[PI_N + 1], "break-glass") != 0 :
	    cols[PI_N + 1][0] != '\0')
		return bad(l, position, "path", cols[PI_N + 1]);
	/* A break-glass path without a grant in the condition would name no grant. */
	if (strcmp(cols[PI_N + 1], "break-glass") == 0 && strcmp(r.cond[PI_GRANT], "break_glass") != 0)
		return bad(l, position, "access_grant (a break-glass path needs 'break_glass')",
		    r.cond[PI_GRANT]);
	snprintf(r.path, sizeof(r.path), "%s", cols[PI_N + 1]);
	if (cols[PI_N + 2][0] == '\0' || strlen(cols[PI_N + 2]) >= sizeof(r.rule))
		return bad(l, position, "rule", cols[PI_N + 2]);
	snprintf(r.rule, sizeof(r.rule), "%s", cols[PI_N + 2]);
	if (l->p->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct policy_rule *v = realloc(l->p->rules, cap * sizeof(*v));

		if (v == NULL) {
			snprintf(l->why, l->why_len, "out of memory");
			return 1;
		}
		l->p->rules = v;
		l->cap = cap;
	}
	l->p->rules[l->p->n++] = r;
	return 0;
}

int
policy_load(struct store *s, struct policy *p, char *why, size_t why_len)
{
	struct load l = { p, 0, why, why_len };
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(why, why_len, "cannot read policy_rules");
	rc = store_policy_rules(s, add_rule, &l);
	if (rc == STORE_OK && p->n == 0) {
		snprintf(why, why_len, "policy_rules is empty");
		rc = STORE_ERROR;
	}
	if (rc != STORE_OK) {
		policy_free(p);
		return -1;
	}
	return 0;
}

void
policy_free(struct policy *p)
{
	free(p->rules);
	p->rules = NULL;
	p->n = 0;
}
