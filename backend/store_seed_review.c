/* Demo seed writers of the reviewer desk: seed statements, row reads, and a reused INSERT for many break-glass events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/store_impl.h"

int
store_seed_sql(struct store *s, const char *sql, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	if ((st = store_prep(s, sql)) != NULL)
		store_bind_named_int(st, ":now", now);
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}

int
store_seed_rows(struct store *s, const char *sql,
    int (*fn)(void *arg, const char *const *cols, int n), void *arg)
{
	const char *cols[16];
	sqlite3_stmt *st;
	int i, n, step, rc = STORE_OK;

	if ((st = store_prep_locked(s, sql)) == NULL)
		return STORE_ERROR;
	n = sqlite3_column_count(st);
	if (n > 16)
		n = 16;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			cols[i] = v ? (const char *)v : "";
		}
		if (fn(arg, cols, n) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (rc == STORE_OK && step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}

struct store_bulk {
	struct store *s;
	sqlite3_stmt *st;
};

int
store_bg_bulk_open(struct store *s, struct store_bulk **out)
{
	struct store_bulk *b;

	if ((*out = b = calloc(1, sizeof(*b))) == NULL)
		return STORE_ERROR;
	b->s = s;
	b->st = store_prep(s, "INSERT INTO break_glass (id, user_id, patient_id, workstation,"
	    " reason_code, justification, created_at, expires_at, status, assignee, decision, note,"
	    " decided_at, unit_id, risk_score, risk_factors)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (b->st == NULL) {
		store_bg_bulk_close(out);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int
store_bg_bulk_put(struct store_bulk *b, const struct bg_seed *e)
{
	sqlite3_stmt *st = b->st;
	int rc;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	store_bind_text(st, 1, e->id);
	store_bind_text(st, 2, e->user_id);
	store_bind_text(st, 3, e->patient_id);
	store_bind_text(st, 4, e->workstation);
	store_bind_text(st, 5, e->reason_code);
	store_bind_text(st, 6, e->justification);
	sqlite3_bind_int64(st, 7, e->created_at);
	sqlite3_bind_int64(st, 8, e->expires_at);
	store_bind_text(st, 9, e->status);
	store_bind_text(st, 10, e->assignee);
	store_bind_text(st, 11, e->decision);
	store_bind_text(st, 12, e->note);
	if (e->decided_at != 0)
		sqlite3_bind_int64(st, 13, e->decided_at);
	store_bind_text(st, 14, e->unit_id);
	sqlite3_bind_int(st, 15, e->risk_score);
	store_bind_text(st, 16, e->risk_factors ? e->risk_factors : "[]");
	store_lock(b->s);
	rc = sqlite3_step(st);
	store_unlock(b->s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	fprintf(stderr, "chartgated: store: %s\n", sqlite3_errmsg(b->s->db));
	return rc == SQLITE_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

void
store_bg_bulk_close(struct store_bulk **bp)
{
	if (*bp == NULL)
		return;
	store_done((*bp)->s, (*bp)->st);
	free(*bp);
	*bp = NULL;
}
