/* Session tokens: 256-bit random bearer tokens of which the server keeps only the SHA-256. */
#ifndef CHARTGATED_SESSION_H
#define CHARTGATED_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "backend/store.h"

#define SESSION_TOKEN_LEN 44	/* base64url of 32 bytes is 43 characters, + NUL */

/* A fresh token (base64url of 32 random bytes) and its hash; 0 on success. */
int session_token_new(char token[SESSION_TOKEN_LEN], unsigned char hash[32]);

/* SHA-256 over the token's text exactly as the client sends it. */
void session_token_hash(const char *token, unsigned char hash[32]);

/* Parse "Bearer <token>"; returns the token or NULL when malformed. */
const char *session_bearer(const char *authorization);

enum session_state { SESSION_LIVE, SESSION_IDLE_EXPIRED, SESSION_EXPIRED };

/* When the session lapses from idleness: last use + idle TTL, never past its absolute end. */
int64_t session_idle_expires(const struct session *, int64_t idle_ttl);
enum session_state session_check(const struct session *, int64_t now, int64_t idle_ttl);

#endif
