/* In-memory rate limits: challenges per workstation, failed step-ups per session and per badge (token buckets). */
#ifndef CHARTGATED_RATELIMIT_H
#define CHARTGATED_RATELIMIT_H

#include <stdint.h>

#include "backend/server.h"

/* docs/security.md "Rate limits" names these; --challenge-rate overrides the first. */
#define RATE_CHALLENGES 30		/* challenge requests per workstation ... */
#define RATE_CHALLENGE_WINDOW 60	/* ... per this many seconds */
#define RATE_STEP_UP_FAILURES 5		/* failed step-up / break-glass verifications ... */
#define RATE_STEP_UP_WINDOW 600		/* ... per session and per badge in this many seconds */
#define RATE_KEYS 4096			/* keys tracked at once per limit */

/* A token bucket per key: `burst` tokens, refilled at burst per window seconds.
 * Only keys that spent something take a slot; a refilled one is free again. */
struct rate_limit;

struct rate_limit *rate_new(unsigned burst, unsigned window);
void rate_free(struct rate_limit *);

/* 0 when key has a whole token at now_ms; else 1 and *retry_s (>= 1) says when it will. */
int rate_blocked(struct rate_limit *, const char *key, int64_t now_ms, unsigned *retry_s);
/* Spend one token of key (never below zero). */
void rate_spend(struct rate_limit *, const char *key, int64_t now_ms);
/* rate_blocked, and when not blocked rate_spend, under one lock. */
int rate_take(struct rate_limit *, const char *key, int64_t now_ms, unsigned *retry_s);

/* Request side. Each answers 429 too_many_requests with Retry-After and returns 1
 * when the caller must stop; 0 otherwise. */
/* POST /v1/auth/challenge: one token of the workstation's bucket (req_workstation:
 * a known cart; unknown ids share one bucket, requests without one another). */
int ratelimit_challenge(struct req *);
/* Before verifying a step-up or break-glass assertion: refuse (and audit as `kind`,
 * rule too_many_failures) while the session or the badge has no token left. */
int ratelimit_step_up_blocked(struct req *, const char *kind, const char *pid, const char *purpose);
/* A step-up or break-glass verification failed: spend a token of the session and of
 * the badge named in the body (if any). */
void ratelimit_step_up_failed(struct req *);

#endif
