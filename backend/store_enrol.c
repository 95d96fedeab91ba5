/* The store's side of helpdesk enrolment: single-use challenges bound to a user, and the new credential. */
#include <stdio.h>
#include <string.h>

#include "backend/store_impl.h"

int
store_credential_enrol(struct store *s, const struct credential *c, const char *aaguid, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	st = store_prep(s, "INSERT INTO credentials (id, user_id, public_key, sign_count, created_at,"
	    " aaguid) VALUES (?,?,?,?,?,?)");
	if (st != NULL) {
		store_bind_text(st, 1, c->id);
		store_bind_text(st, 2, c->user_id);
		sqlite3_bind_blob(st, 3, c->pubkey, sizeof(c->pubkey), SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, c->sign_count);
		sqlite3_bind_int64(st, 5, now);
		store_bind_text(st, 6, aaguid);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

int
store_enrol_challenge_put(struct store *s, const struct enrol_challenge *c)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	/* Expired challenges are useless: sweep them while we are here. */
	st = store_prep(s, "DELETE FROM enrol_challenges WHERE expires_at < ?");
	if (st != NULL)
		sqlite3_bind_int64(st, 1, c->expires_at - 3600);
	store_run(s, st);
	st = store_prep(s, "INSERT INTO enrol_challenges (id, challenge, user_id, actor_id,"
	    " session_id, expires_at) VALUES (?,?,?,?,?,?)");
	if (st != NULL) {
		store_bind_text(st, 1, c->id);
		sqlite3_bind_blob(st, 2, c->bytes, sizeof(c->bytes), SQLITE_TRANSIENT);
		store_bind_text(st, 3, c->user_id);
		store_bind_text(st, 4, c->actor_id);
		store_bind_text(st, 5, c->session_id);
		sqlite3_bind_int64(st, 6, c->expires_at);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

int
store_enrol_challenge_take(struct store *s, const char *id, struct enrol_challenge *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if ((st = store_prep_locked(s, "SELECT challenge, user_id, actor_id, session_id, expires_at"
	    " FROM enrol_challenges WHERE id = ?")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == (int)sizeof(out->bytes)) {
		snprintf(out->id, sizeof(out->id), "%s", id);
		memcpy(out->bytes, sqlite3_column_blob(st, 0), sizeof(out->bytes));
		store_col(st, 1, out->user_id, sizeof(out->user_id));
		store_col(st, 2, out->actor_id, sizeof(out->actor_id));
		store_col(st, 3, out->session_id, sizeof(out->session_id));
		out->expires_at = sqlite3_column_int64(st, 4);
		rc = STORE_OK;
	}
	store_done(s, st);
	if (rc == STORE_OK) {
		st = store_prep(s, "DELETE FROM enrol_challenges WHERE id = ?");
		if (st != NULL)
			store_bind_text(st, 1, id);
		/* Not deleted means not consumed: refuse rather than allow a replay. */
		if (store_run(s, st) != STORE_OK || sqlite3_changes(s->db) != 1)
			rc = STORE_ERROR;
	}
	store_unlock(s);
	return rc;
}
