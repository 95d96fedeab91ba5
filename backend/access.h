/* One request's access decision: the care context gathered from the store, the policy's answer, its audit row and its reply. */
#ifndef CHARTGATED_ACCESS_H
#define CHARTGATED_ACCESS_H

#include <jansson.h>

#include "backend/policy.h"
#include "backend/server.h"

struct access {
	struct policy_request q;
	struct policy_decision d;
	struct patient patient;
	struct care_encounter enc[CARE_ENCOUNTERS_MAX];
	char ws_unit[STORE_ID_MAX];
	char grant_id[STORE_ID_MAX];
	int64_t grant_expires;		/* of the active break-glass grant */
	int64_t step_up_until;		/* of this session's step-up for the patient; 0 when none */
};

/* Gather the caller's care context for patient pid and decide; `sensitive` says whether
 * the request reaches a sensitive section. 0 when decided, -1 after a 500 reply. */
int access_decide(struct req *, const char *pid, const char *purpose, int sensitive, struct access *);

/* The error reply for an outcome that is not a permit. */
void access_reply_denied(struct req *, const struct access *);

/* The chart's "access" object: path, purpose, expires_at (grant paths), step_up_until (when valid). */
json_t *access_json(const struct access *, const char *purpose);

/* One audit row of this request; NULL fields are empty. 0 on success. */
struct audit_note {
	const char *kind, *patient_id, *sections, *purpose, *decision, *rule, *path, *detail;
};
int access_audit(struct req *, const struct audit_note *);

#endif
