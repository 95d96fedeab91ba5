/* The store's side of badge lock-outs: failed taps per credential, locks, unlocks. */
#include <string.h>

#include "backend/lockout.h"
#include "backend/store_impl.h"

int
store_tap_failure_add(struct store *s, const char *credential_id, int64_t now,
    char user_id[STORE_ID_MAX])
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	user_id[0] = '\0';
	if ((st = store_prep_locked(s, "SELECT user_id FROM credentials WHERE id = ?")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, credential_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col(st, 0, user_id, STORE_ID_MAX);
		rc = STORE_OK;
	}
	store_done(s, st);
	if (rc == STORE_OK) {
		/* Failures older than the window can never count again. */
		st = store_prep(s, "DELETE FROM tap_failures WHERE at <= ?");
		if (st != NULL)
			sqlite3_bind_int64(st, 1, lockout_window_start(now));
		rc = store_run(s, st);
	}
	if (rc == STORE_OK) {
		st = store_prep(s, "INSERT INTO tap_failures (credential_id, at) VALUES (?,?)");
		if (st != NULL) {
			store_bind_text(st, 1, credential_id);
			sqlite3_bind_int64(st, 2, now);
		}
		rc = store_run(s, st);
	}
	store_unlock(s);
	return rc;
}

int
store_tap_failures_since(struct store *s, const char *credential_id, int64_t since,
    int64_t *times, size_t max, size_t *n)
{
	sqlite3_stmt *st;

	*n = 0;
	if ((st = store_prep_locked(s, "SELECT at FROM tap_failures WHERE credential_id = ? AND at > ?"
	    " ORDER BY at DESC")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, credential_id);
	sqlite3_bind_int64(st, 2, since);
	while (*n < max && sqlite3_step(st) == SQLITE_ROW)
		times[(*n)++] = sqlite3_column_int64(st, 0);
	store_done(s, st);
	store_unlock(s);
	return STORE_OK;
}

int
store_credential_lock(struct store *s, const char *id, int64_t now, int *newly)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	st = store_prep(s, "UPDATE credentials SET locked_at = ? WHERE id = ? AND locked_at IS NULL");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, now);
		store_bind_text(st, 2, id);
	}
	rc = store_run(s, st);
	*newly = rc == STORE_OK && sqlite3_changes(s->db) == 1;
	store_unlock(s);
	return rc;
}

int
store_credential_locked(struct store *s, const char *id, int *locked)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	*locked = 0;
	if ((st = store_prep_locked(s, "SELECT locked_at IS NOT NULL FROM credentials WHERE id = ?")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*locked = sqlite3_column_int(st, 0);
		rc = STORE_OK;
	}
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_lockout_clear(struct store *s, const char *user_id, int *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (store_begin(s) != STORE_OK)
		return STORE_ERROR;
	st = store_prep(s, "UPDATE credentials SET locked_at = NULL"
	    " WHERE user_id = ? AND locked_at IS NOT NULL");
	if (st != NULL)
		store_bind_text(st, 1, user_id);
	rc = store_run(s, st);
	if (rc == STORE_OK) {
		*n = sqlite3_changes(s->db);
		/* A fresh start: the failures that caused the lock must not re-lock at the next slip. */
		st = store_prep(s, "DELETE FROM tap_failures WHERE credential_id IN"
		    " (SELECT id FROM credentials WHERE user_id = ?)");
		if (st != NULL)
			store_bind_text(st, 1, user_id);
		rc = store_run(s, st);
	}
	if (rc != STORE_OK) {
		store_rollback(s);
		*n = 0;
		return rc;
	}
	return store_commit(s);
}
