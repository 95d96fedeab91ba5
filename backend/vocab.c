/* HL7 vocabulary we use: roles, purposes of use (v3 ActReason) and which role may claim which. */
#include "backend/vocab.h"

#include <string.h>

/* BTG is deliberately absent: break-the-glass is its own flow (planned),
 * never a purpose typed into an ordinary chart request. */
static const struct purpose clinical[] = {
	{ "TREAT", "Treatment" },
	{ "ETREAT", "Emergency treatment" },
	{ "COC", "Coordination of care" },
	{ "CAREMGT", "Care management" },
	{ "PATSFTY", "Patient safety" },
	{ "PATRQT", "Patient requested" },
};

static const struct purpose privacy[] = {
	{ "HCOMPL", "Compliance" },
	{ "RECORDMGT", "Records management" },
	{ "HOPERAT", "Healthcare operations" },
};

/* Helpdesk never sees clinical content and claims no purpose. */

struct role_purposes {
	const char *role;
	const struct purpose *list;
	size_t n;
};

static const struct role_purposes table[] = {
	{ "nurse", clinical, sizeof(clinical) / sizeof(clinical[0]) },
	{ "physician", clinical, sizeof(clinical) / sizeof(clinical[0]) },
	{ "privacy_officer", privacy, sizeof(privacy) / sizeof(privacy[0]) },
};

size_t
vocab_purposes(const struct rolelist *roles, const struct purpose **out, size_t max)
{
	size_t r, t, i, k, n = 0;

	for (r = 0; r < roles->n; r++)
		for (t = 0; t < sizeof(table) / sizeof(table[0]); t++) {
			if (strcmp(roles->v[r], table[t].role) != 0)
				continue;
			for (i = 0; i < table[t].n; i++) {
				for (k = 0; k < n; k++)
					if (out[k] == &table[t].list[i])
						break;
				if (k == n && n < max)
					out[n++] = &table[t].list[i];
			}
		}
	return n;
}

int
vocab_purpose_allowed(const struct rolelist *roles, const char *code)
{
	const struct purpose *list[16];
	size_t i, n = vocab_purposes(roles, list, 16);

	for (i = 0; i < n; i++)
		if (strcmp(list[i]->code, code) == 0)
			return 1;
	return 0;
}

int
vocab_role_is_clinical(const char *role)
{
	return strcmp(role, "nurse") == 0 || strcmp(role, "physician") == 0;
}

int
vocab_any_clinical(const struct rolelist *roles)
{
	size_t i;

	for (i = 0; i < roles->n; i++)
		if (vocab_role_is_clinical(roles->v[i]))
			return 1;
	return 0;
}

int
vocab_confidentiality_known(const char *c)
{
	return strcmp(c, "N") == 0 || strcmp(c, "R") == 0 || strcmp(c, "V") == 0;
}

int
vocab_sensitivity_known(const char *c)
{
	static const char *const codes[] = {
		"PSY", "MH", "BH", "PSYTHPN", "ETH", "SUD", "HIV", "SDV", "SEX", "STD", "GDIS",
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(c, codes[i]) == 0)
			return 1;
	return 0;
}
