/* Idempotency-Key for POSTs: keep each user's first answer per key, replay it to a retry, refuse a reuse. */
#include "backend/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/util.h"
#include "common/log.h"

static int
key_ok(const char *k)
{
	size_t i, n = strlen(k);

	if (n == 0 || n > IDEM_KEY_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return 0;
	return 1;
}

/* What makes two requests "the same": method, path and the body as canonical JSON. */
static int
request_hash(const struct req *r, char hex[65])
{
	char *body = r->body != NULL ? json_dumps(r->body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *text = NULL;
	unsigned char md[32];
	size_t n;

	n = strlen(r->method) + strlen(r->path) + (body ? strlen(body) : 0) + 3;
	if ((text = malloc(n)) == NULL) {
		free(body);
		return -1;
	}
	snprintf(text, n, "%s %s\n%s", r->method, r->path, body ? body : "");
	cg_sha256(text, strlen(text), md);
	cg_hex(md, sizeof(md), hex);
	free(text);
	free(body);
	return 0;
}

void
idem_run(struct req *r, void (*fn)(struct req *))
{
	const char *key = req_header(r, "Idempotency-Key");
	struct idem_entry e;
	char hex[65], *reply;
	int rc;

	if (key == NULL) {
		fn(r);
		return;
	}
	if (!key_ok(key)) {
		reply_error(r, 400, "bad_request", "Idempotency-Key must be 1-255 visible ASCII characters");
		return;
	}
	if (request_hash(r, hex) != 0) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	rc = store_idem_get(r->app->store, r->user.id, key, &e);
	if (rc == STORE_OK) {
		if (strcmp(e.body_sha256, hex) != 0)
			reply_error(r, 409, "conflict",
			    "this Idempotency-Key was already used for another request");
		else {
			log_event(LOG_LEVEL_INFO, "%s: replaying the answer kept for an Idempotency-Key",
			    r->request_id);
			reply_json(r, (unsigned)e.status, json_loads(e.reply, 0, NULL));
		}
		free(e.reply);
		return;
	}
	if (rc != STORE_NOT_FOUND) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	fn(r);
	if (r->status >= 500 || r->reply == NULL)
		return;
	if ((reply = json_dumps(r->reply, JSON_COMPACT)) == NULL ||
	    store_idem_put(r->app->store, r->user.id, key, hex, (int)r->status, reply, cg_now()) != STORE_OK)
		fprintf(stderr, "chartgated: %s: answer not kept for its Idempotency-Key\n", r->request_id);
	free(reply);
}
