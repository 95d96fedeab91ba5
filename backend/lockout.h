/* Badge lock-out: too many failed taps with one credential lock it until the helpdesk unlocks it. */
#ifndef CHARTGATED_LOCKOUT_H
#define CHARTGATED_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/server.h"

#define LOCKOUT_FAILURES 5	/* failed verifications ... */
#define LOCKOUT_WINDOW 600	/* ... within this many seconds lock the credential */

/* A failure at time t still counts at now when t > lockout_window_start(now). */
int64_t lockout_window_start(int64_t now);

/* 1 when failures at these times (any order) lock the credential at now. */
int lockout_trips(const int64_t *failures, size_t n, int64_t now);

/* 1 for the tap refusals that a known credential's holder (or thief) caused:
 * client data, user handle, signature, counter. Not for challenge or format trouble. */
int lockout_rule_counts(const char *rule);

/* Tap path: count a failed verification against a known credential (unknown
 * ids are ignored) and lock it when it trips; the caller still answers 401. */
void lockout_tap_failed(struct req *, const char *ws, const char *credential_id);

/* Tap path: 1 when the credential is locked (or its state cannot be read):
 * then the 429 is answered and audited, and the caller stops. */
int lockout_tap_blocked(struct req *, const char *ws, const struct credential *);

#endif
