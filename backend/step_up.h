/* Verifying a step-up assertion (UV, this session, this user, this patient): shared by step-up and break-glass. */
#ifndef CHARTGATED_STEP_UP_H
#define CHARTGATED_STEP_UP_H

#include "backend/assertion.h"
#include "backend/server.h"

/* Check r's body as a step-up assertion; with pid the challenge must be for that patient.
 * 0 when it holds; else -1 with the reply chosen (400/401/500) and a refusal logged and
 * audited as `kind`. */
int step_up_verify(struct req *, const char *kind, const char *pid, const char *purpose,
    struct assertion_check *);

#endif
