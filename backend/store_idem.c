/* The store's side of Idempotency-Key: the first answer of a POST per (user, key), kept a day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/store_impl.h"

#define IDEM_KEEP 86400	/* seconds an answer is kept for replay */

int
store_idem_get(struct store *s, const char *user_id, const char *key, struct idem_entry *e)
{
	sqlite3_stmt *st;
	int rc = STORE_ERROR, step;

	memset(e, 0, sizeof(*e));
	store_lock(s);
	if ((st = store_prep(s, "SELECT body_sha256, status, reply FROM idempotency"
	    " WHERE user_id = ? AND key = ?")) != NULL) {
		store_bind_text(st, 1, user_id);
		store_bind_text(st, 2, key);
		if ((step = sqlite3_step(st)) == SQLITE_ROW) {
			store_col(st, 0, e->body_sha256, sizeof(e->body_sha256));
			e->status = sqlite3_column_int(st, 1);
			e->reply = strdup((const char *)sqlite3_column_text(st, 2));
			rc = e->reply != NULL ? STORE_OK : STORE_ERROR;
		} else
			rc = step == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		store_done(s, st);
	}
	store_unlock(s);
	return rc;
}

int
store_idem_put(struct store *s, const char *user_id, const char *key, const char *body_sha256,
    int status, const char *reply, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	if ((st = store_prep(s, "DELETE FROM idempotency WHERE created_at < ?")) != NULL) {
		sqlite3_bind_int64(st, 1, now - IDEM_KEEP);
		store_run(s, st);
	}
	if ((st = store_prep(s, "INSERT OR IGNORE INTO idempotency (user_id, key, body_sha256,"
	    " status, reply, created_at) VALUES (?,?,?,?,?,?)")) != NULL) {
		store_bind_text(st, 1, user_id);
		store_bind_text(st, 2, key);
		store_bind_text(st, 3, body_sha256);
		sqlite3_bind_int(st, 4, status);
		store_bind_text(st, 5, reply);
		sqlite3_bind_int64(st, 6, now);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}
