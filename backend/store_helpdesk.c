/* The store's side of the helpdesk desk: user search, credentials, live sessions, revocation, action records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/store_impl.h"
#include "backend/util.h"

/* An integer time column as an RFC 3339 string, or JSON null when the column is NULL. */
json_t *
store_time_or_null(sqlite3_stmt *st, int i)
{
	char t[CG_TIME_LEN];

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	cg_time_fmt(sqlite3_column_int64(st, i), t);
	return json_string(t);
}

json_t *
store_text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL ? json_string((const char *)v) : json_null();
}

/* "a,b" -> ["a","b"] */
static json_t *
split_roles(const unsigned char *csv)
{
	json_t *a = json_array();
	const char *p = (const char *)csv;

	while (a != NULL && p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");

		json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return a;
}

/* Step every row of st through fn; STORE_OK at the end of the rows. Finalises st. */
int
store_each_row(struct store *s, sqlite3_stmt *st, int (*fn)(sqlite3_stmt *, void *), void *arg)
{
	int step, rc = STORE_OK;

	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(st, arg) != 0) {
			rc = STORE_ERROR;
			break;
		}
	if (rc == STORE_OK && step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	return rc;
}

static int
user_row(sqlite3_stmt *st, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:I}",
	    "id", (const char *)sqlite3_column_text(st, 0),
	    "user_name", (const char *)sqlite3_column_text(st, 1),
	    "display_name", (const char *)sqlite3_column_text(st, 2),
	    "roles", split_roles(sqlite3_column_text(st, 3)),
	    "disabled", sqlite3_column_int(st, 4),
	    "locked", sqlite3_column_int(st, 5),
	    "authenticator_count", (json_int_t)sqlite3_column_int64(st, 6));

	return o == NULL || json_array_append_new(arg, o) != 0;
}

int
store_helpdesk_users(struct store *s, const char *pattern, size_t limit, json_t *arr)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_prep_locked(s, "SELECT u.id, u.user_name, u.display_name,"
	    " (SELECT group_concat(role, ',') FROM"
	    "   (SELECT role FROM user_roles r WHERE r.user_id = u.id ORDER BY role)),"
	    " u.disabled,"
	    " EXISTS (SELECT 1 FROM credentials c WHERE c.user_id = u.id"
	    "   AND c.revoked_at IS NULL AND c.locked_at IS NOT NULL),"
	    " (SELECT count(*) FROM credentials c WHERE c.user_id = u.id AND c.revoked_at IS NULL)"
	    " FROM users u WHERE u.id LIKE ?1 ESCAPE '\\' OR u.user_name LIKE ?1 ESCAPE '\\'"
	    "   OR u.display_name LIKE ?1 ESCAPE '\\'"
	    " ORDER BY u.display_name, u.id LIMIT ?2")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, pattern);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	rc = store_each_row(s, st, user_row, arr);
	store_unlock(s);
	return rc;
}

static int
credential_row(sqlite3_stmt *st, void *arg)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, s:b}",
	    "id", (const char *)sqlite3_column_text(st, 0),
	    "aaguid", store_text_or_null(st, 1),
	    "created_at", store_time_or_null(st, 2),
	    "last_used_at", store_time_or_null(st, 3),
	    "sign_count", (json_int_t)sqlite3_column_int64(st, 4),
	    "revoked_at", store_time_or_null(st, 5),
	    "locked", sqlite3_column_type(st, 6) != SQLITE_NULL);

	return o == NULL || json_array_append_new(arg, o) != 0;
}

int
store_helpdesk_credentials(struct store *s, const char *user_id, json_t *arr)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_prep_locked(s, "SELECT id, aaguid, created_at, last_used_at, sign_count, revoked_at,"
	    " locked_at FROM credentials WHERE user_id = ? ORDER BY created_at, id")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, user_id);
	rc = store_each_row(s, st, credential_row, arr);
	store_unlock(s);
	return rc;
}

/* ---- sessions ---- */

#define LIVE "s.ended_at IS NULL AND s.expires_at > ?1 AND s.last_seen_at + ?2 > ?1"

struct live_list {
	struct live_session *v;
	size_t n, cap;
};

static int
live_row(sqlite3_stmt *st, void *arg)
{
	struct live_list *l = arg;
	struct live_session *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct live_session *nv = realloc(l->v, cap * sizeof(*nv));

		if (nv == NULL)
			return 1;
		l->v = nv;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	store_col(st, 0, e->id, sizeof(e->id));
	store_col(st, 1, e->user_id, sizeof(e->user_id));
	store_col(st, 2, e->display_name, sizeof(e->display_name));
	store_col(st, 3, e->workstation, sizeof(e->workstation));
	store_col(st, 4, e->unit, sizeof(e->unit));
	e->created_at = sqlite3_column_int64(st, 5);
	e->last_seen_at = sqlite3_column_int64(st, 6);
	e->expires_at = sqlite3_column_int64(st, 7);
	e->tap_seq = sqlite3_column_int64(st, 8);
	return 0;
}

int
store_live_sessions(struct store *s, const char *user_id, const char *workstation, int64_t now,
    int64_t idle_ttl, struct live_session **out, size_t *n)
{
	struct live_list l = { NULL, 0, 0 };
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = store_prep_locked(s, "SELECT s.id, s.user_id, u.display_name, s.workstation,"
	    " coalesce(un.name, ''), s.created_at, s.last_seen_at, s.expires_at, s.tap_seq"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " LEFT JOIN workstations w ON w.id = s.workstation"
	    " LEFT JOIN units un ON un.id = w.unit_id"
	    " WHERE " LIVE " AND s.workstation IN (SELECT s.workstation FROM sessions s WHERE " LIVE
	    "   AND (?3 IS NULL OR s.user_id = ?3) AND (?4 IS NULL OR s.workstation = ?4))"
	    " ORDER BY s.workstation, s.tap_seq DESC, s.created_at DESC, s.id")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, idle_ttl);
	store_bind_text(st, 3, user_id);	/* NULL binds NULL */
	store_bind_text(st, 4, workstation);
	rc = store_each_row(s, st, live_row, &l);
	store_unlock(s);
	if (rc != STORE_OK) {
		free(l.v);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return STORE_OK;
}

int
store_session_get_live(struct store *s, const char *id, int64_t now, int64_t idle_ttl,
    struct session *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if ((st = store_prep_locked(s, "SELECT s.id, s.user_id, s.workstation, s.created_at, s.last_seen_at,"
	    " s.expires_at FROM sessions s WHERE " LIVE " AND s.id = ?3")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, idle_ttl);
	store_bind_text(st, 3, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col(st, 0, out->id, sizeof(out->id));
		store_col(st, 1, out->user_id, sizeof(out->user_id));
		store_col(st, 2, out->workstation, sizeof(out->workstation));
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen_at = sqlite3_column_int64(st, 4);
		out->expires_at = sqlite3_column_int64(st, 5);
		rc = STORE_OK;
	}
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_session_end_reason(struct store *s, const unsigned char hash[32], char *reason, size_t size)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	if ((st = store_prep_locked(s, "SELECT coalesce(end_reason, '') FROM sessions"
	    " WHERE token_hash = ? AND ended_at IS NOT NULL")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col(st, 0, reason, size);
		rc = STORE_OK;
	}
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_session_note_tap(struct store *s, const char *session_id, const char *credential_id,
    int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	if (store_begin(s) != STORE_OK)
		return STORE_ERROR;
	st = store_prep(s, "UPDATE sessions SET credential_id = ?1,"
	    " tap_seq = (SELECT coalesce(max(tap_seq), 0) + 1 FROM sessions) WHERE id = ?2");
	if (st != NULL) {
		store_bind_text(st, 1, credential_id);
		store_bind_text(st, 2, session_id);
	}
	rc = store_run(s, st);
	if (rc == STORE_OK) {
		st = store_prep(s, "UPDATE credentials SET last_used_at = ? WHERE id = ?");
		if (st != NULL) {
			sqlite3_bind_int64(st, 1, now);
			store_bind_text(st, 2, credential_id);
		}
		rc = store_run(s, st);
	}
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* ---- credentials ---- */

int
store_credential_revoke(struct store *s, const char *id, int64_t now, int *ended)
{
	sqlite3_stmt *st;
	int rc;

	*ended = 0;
	if (store_begin(s) != STORE_OK)
		return STORE_ERROR;
	st = store_prep(s, "UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, now);
		store_bind_text(st, 2, id);
	}
	rc = store_run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
		rc = STORE_CONFLICT;
	if (rc == STORE_OK) {
		st = store_prep(s, "UPDATE sessions SET ended_at = ?, end_reason = 'helpdesk_revoked'"
		    " WHERE credential_id = ? AND ended_at IS NULL");
		if (st != NULL) {
			sqlite3_bind_int64(st, 1, now);
			store_bind_text(st, 2, id);
		}
		rc = store_run(s, st);
		*ended = rc == STORE_OK ? sqlite3_changes(s->db) : 0;
	}
	if (rc != STORE_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* One row of an append-only action table (helpdesk_actions, review_actions): same columns. */
static int
action_put(struct store *s, const char *sql, const struct helpdesk_action *a)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	st = store_prep(s, sql);
	if (st != NULL) {
		store_bind_text(st, 1, a->request_id);
		store_bind_text(st, 2, a->time);
		store_bind_text(st, 3, a->actor_id);
		store_bind_text(st, 4, a->action);
		store_bind_text(st, 5, a->decision);
		store_bind_text(st, 6, a->target_user_id);
		store_bind_text(st, 7, a->object_id);
		store_bind_text(st, 8, a->reason);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

#define ACTION_COLS "(request_id, time, actor_id, action, decision, target_user_id, object_id," \
	" reason) VALUES (?,?,?,?,?,?,?,?)"

int
store_helpdesk_action_put(struct store *s, const struct helpdesk_action *a)
{
	return action_put(s, "INSERT INTO helpdesk_actions " ACTION_COLS, a);
}

int
store_review_action_put(struct store *s, const struct helpdesk_action *a)
{
	return action_put(s, "INSERT INTO review_actions " ACTION_COLS, a);
}
