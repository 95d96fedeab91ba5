/* HL7 vocabulary we use: roles, purposes of use (v3 ActReason) and which role may claim which. */
#ifndef CHARTGATED_VOCAB_H
#define CHARTGATED_VOCAB_H

#include <stddef.h>

#define ROLES_MAX 4

/* A user's roles: "nurse", "physician", "privacy_officer", "helpdesk". */
struct rolelist {
	char v[ROLES_MAX][32];
	size_t n;
};

struct purpose {
	const char *code;
	const char *display;
};

/* Purposes of use a holder of these roles may claim, in menu order; count in *n. */
size_t vocab_purposes(const struct rolelist *, const struct purpose **out, size_t max);

/* 1 when some role may claim purpose `code`. */
int vocab_purpose_allowed(const struct rolelist *, const char *code);

/* 1 for roles that treat patients (nurse, physician). */
int vocab_role_is_clinical(const char *role);
int vocab_any_clinical(const struct rolelist *);

/* 1 for a known HL7 v3 Confidentiality code (N, R, V) / sensitivity code. */
int vocab_confidentiality_known(const char *code);
int vocab_sensitivity_known(const char *code);

#endif
