/* Idempotency-Key on POST: the first answer is replayed to a retry of the same request. */
#ifndef CHARTGATED_IDEMPOTENCY_H
#define CHARTGATED_IDEMPOTENCY_H

#include "backend/server.h"

#define IDEM_KEY_MAX 255

/* Run handler fn, honouring the request's Idempotency-Key header when it has one:
 * the same key with the same method, path and body (canonical JSON) from the same user
 * gets the first answer again and fn does not run; the same key with anything else
 * is 409 conflict; a bad key is 400. Answers of 500 and above are not kept. */
void idem_run(struct req *, void (*fn)(struct req *));

#endif
