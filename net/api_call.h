/* The plumbing under every API call, shared by net/api.c and the per-desk call files (api_helpdesk.c, api_review.c). */
#ifndef CHARTGATE_NET_API_CALL_H
#define CHARTGATE_NET_API_CALL_H

#include <jansson.h>
#include <stddef.h>

#include "net/api.h"

#define API_MAX_ARG	4096	/* any single string argument */
#define API_MAX_PATH	2048

/* Any typed callback, converted back to its own type before it is called. */
typedef void (*api_any_fn)(void);

/* A call whose answer type the caller supplies: decode turns a 2xx body into
 * a fresh result (NULL decode: no body expected, the result is NULL), and
 * deliver calls cb, converted back to its type, with it (or with err). */
struct api_call {
	const char *method;
	const char *path;		/* already percent-encoded */
	const char *token;		/* NULL: no Authorization */
	const char *idempotency_key;	/* NULL: none; else a retry with the same key
					 * cannot repeat what the first request did */
	int (*decode)(const char *body, size_t len, void **out, char *err, size_t errlen);
	void (*deliver)(api_any_fn cb, void *res, const struct api_error *err, void *arg);
	api_any_fn cb;
	void *arg;
};

/* Sends c with body (NULL: none). The callback runs exactly once unless cancelled. */
int api_call_send(struct http *h, const struct api_call *c, const char *body, unsigned *req_id);
/* Serialises obj compactly as the body, sends it, and wipes the text. */
int api_call_send_json(struct http *h, const struct api_call *c, json_t *obj, unsigned *req_id);

/* Adds key: string to obj; API_ERR_ARG when val is not valid UTF-8. */
int api_put_str(json_t *obj, const char *key, const char *val);
/* Non-NULL, non-empty, at most API_MAX_ARG bytes. */
int api_arg_ok(const char *s);

#endif
