/* Request handlers, one per route; server.c holds the route table. */
#ifndef CHARTGATED_HANDLERS_H
#define CHARTGATED_HANDLERS_H

#include "backend/server.h"

void h_health(struct req *);
void h_challenge(struct req *);
void h_session_create(struct req *);
void h_session_delete_current(struct req *);
void h_me(struct req *);
void h_worklist(struct req *);
/* {"patients": [...], "next_cursor": null} of a clinician; NULL on a store error. */
json_t *worklist_json(struct store *, const char *user_id);
void h_chart(struct req *);
void h_section(struct req *);
void h_patient_search(struct req *);
void h_step_up(struct req *);
void h_break_glass(struct req *);

/* Shared between handlers. */
/* Store a fresh challenge and answer it; step_up ones are bound to r's session and patient_id. */
void challenge_issue(struct req *, const char *purpose, const char *patient_id);
/* POST /v1/auth/challenge {"purpose":"step_up","patient_id"} (needs a session). */
void h_challenge_step_up(struct req *);

#endif
