/* The store's side of an access decision: care-team encounters, workstation units, step-ups, break-glass grants, policy rules. */
#include <stdio.h>
#include <string.h>

#include "backend/store_impl.h"

int
store_care_encounters(struct store *s, const char *user_id, const char *patient_id,
    struct care_encounter *out, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	int step;

	*n = 0;
	if ((st = store_prep_locked(s, "SELECT e.unit_id, e.status = 'in-progress', coalesce(e.ended_at, 0)"
	    " FROM care_team_members c JOIN encounters e ON e.id = c.encounter_id"
	    " WHERE c.user_id = ? AND e.patient_id = ?"
	    " ORDER BY e.status = 'in-progress' DESC, e.ended_at DESC")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, user_id);
	store_bind_text(st, 2, patient_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		memset(&out[*n], 0, sizeof(out[*n]));
		store_col(st, 0, out[*n].unit_id, sizeof(out[*n].unit_id));
		out[*n].active = sqlite3_column_int(st, 1);
		out[*n].ended_at = sqlite3_column_int64(st, 2);
		(*n)++;
	}
	store_done(s, st);
	store_unlock(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* One text value of a one-row query with one text parameter. */
static int
one_text(struct store *s, const char *sql, const char *param, char *out, size_t size)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND, step;

	out[0] = '\0';
	if ((st = store_prep_locked(s, sql)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, param);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		store_col(st, 0, out, size);
		rc = STORE_OK;
	} else if (step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_workstation_unit(struct store *s, const char *workstation, char unit_id[STORE_ID_MAX])
{
	return one_text(s, "SELECT unit_id FROM workstations WHERE id = ?", workstation,
	    unit_id, STORE_ID_MAX);
}

int
store_step_up_put(struct store *s, const char *session_id, const char *patient_id, int64_t until)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	st = store_prep(s, "INSERT INTO step_ups (session_id, patient_id, until) VALUES (?,?,?)"
	    " ON CONFLICT (session_id, patient_id) DO UPDATE SET until = max(until, excluded.until)");
	if (st != NULL) {
		store_bind_text(st, 1, session_id);
		store_bind_text(st, 2, patient_id);
		sqlite3_bind_int64(st, 3, until);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

/* One integer (and optionally one text) of a one-row query over (text, text, int64) parameters. */
static int
one_row(struct store *s, const char *sql, const char *a, const char *b, int64_t c,
    int64_t *num, char *txt, size_t txt_size)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND, step;

	if ((st = store_prep_locked(s, sql)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, a);
	store_bind_text(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*num = sqlite3_column_int64(st, 0);
		if (txt != NULL)
			store_col(st, 1, txt, txt_size);
		rc = STORE_OK;
	} else if (step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_step_up_get(struct store *s, const char *session_id, const char *patient_id, int64_t now,
    int64_t *until)
{
	return one_row(s, "SELECT until FROM step_ups WHERE session_id = ? AND patient_id = ?"
	    " AND until > ?", session_id, patient_id, now, until, NULL, 0);
}

int
store_break_glass_put(struct store *s, const struct break_glass *g)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	st = store_prep(s, "INSERT INTO break_glass (id, user_id, patient_id, workstation,"
	    " reason_code, justification, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)");
	if (st != NULL) {
		store_bind_text(st, 1, g->id);
		store_bind_text(st, 2, g->user_id);
		store_bind_text(st, 3, g->patient_id);
		store_bind_text(st, 4, g->workstation);
		store_bind_text(st, 5, g->reason_code);
		store_bind_text(st, 6, g->justification);
		sqlite3_bind_int64(st, 7, g->created_at);
		sqlite3_bind_int64(st, 8, g->expires_at);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

int
store_break_glass_active(struct store *s, const char *user_id, const char *patient_id,
    int64_t now, char id[STORE_ID_MAX], int64_t *expires_at)
{
	/* max() with its row's id, not ORDER BY ... LIMIT 1: no sorter to set up per decision. */
	return one_row(s, "SELECT max(expires_at), id FROM break_glass WHERE user_id = ? AND patient_id = ?"
	    " AND revoked_at IS NULL AND expires_at > ? HAVING max(expires_at) IS NOT NULL",
	    user_id, patient_id, now, expires_at, id, STORE_ID_MAX);
}

int
store_policy_rules(struct store *s,
    int (*fn)(void *arg, int position, const char *const cols[POLICY_RULE_COLS]), void *arg)
{
	sqlite3_stmt *st;
	const char *cols[POLICY_RULE_COLS];
	int i, step, rc = STORE_OK;

	if ((st = store_prep_locked(s, "SELECT position, role, purpose, patient, care, unit, access_grant, step_up,"
	    " sensitive, decision, path, rule FROM policy_rules ORDER BY position")) == NULL)
		return STORE_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < POLICY_RULE_COLS; i++) {
			const unsigned char *v = sqlite3_column_text(st, i + 1);

			cols[i] = v ? (const char *)v : "";
		}
		if (fn(arg, sqlite3_column_int(st, 0), cols) != 0) {
			rc = STORE_CONFLICT;	/* the caller refused a row and said why */
			break;
		}
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}
