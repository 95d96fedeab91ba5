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
void h_chart(struct req *);

#endif
