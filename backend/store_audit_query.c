/* The store's side of the audit query: filtered, newest first, keyset-paged by seq. */
#include <stdio.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/store_impl.h"

int
store_audit_query(struct store *s, const struct audit_filter *f,
    int (*fn)(void *arg, const struct audit_row *, const char *user_display), void *arg,
    struct store_page *page)
{
	char sql[1024];
	sqlite3_stmt *st;
	struct audit_row r;
	size_t n = 0;
	int step, rc = STORE_OK;

	memset(page, 0, sizeof(*page));
	snprintf(sql, sizeof(sql), "SELECT a.seq, a.time, a.kind, a.user_id, a.workstation,"
	    " a.patient_id, a.sections, a.purpose, a.decision, a.rule, a.path, a.request_id,"
	    " a.prev_hash, a.hash, a.detail, coalesce(u.display_name, '')"
	    " FROM audit a LEFT JOIN users u ON u.id = a.user_id WHERE 1%s%s%s%s%s%s"
	    " ORDER BY a.seq DESC LIMIT :limit",
	    f->patient ? " AND a.patient_id = :patient" : "", f->user ? " AND a.user_id = :user" : "",
	    f->kind ? " AND a.kind = :kind" : "", f->since ? " AND a.time >= :since" : "",
	    f->until ? " AND a.time < :until" : "", f->before_seq ? " AND a.seq < :before" : "");
	if ((st = store_prep_locked(s, sql)) == NULL)
		return STORE_ERROR;
	store_bind_named(st, ":patient", f->patient);
	store_bind_named(st, ":user", f->user);
	store_bind_named(st, ":kind", f->kind);
	store_bind_named(st, ":since", f->since);
	store_bind_named(st, ":until", f->until);
	store_bind_named_int(st, ":before", f->before_seq);
	store_bind_named_int(st, ":limit", (int64_t)f->limit + 1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char display[128];

		if (n++ == f->limit) {
			page->more = 1;
			break;
		}
		memset(&r, 0, sizeof(r));
		r.seq = sqlite3_column_int64(st, 0);
		store_col(st, 1, r.time, sizeof(r.time));
		store_col(st, 2, r.kind, sizeof(r.kind));
		store_col(st, 3, r.user_id, sizeof(r.user_id));
		store_col(st, 4, r.workstation, sizeof(r.workstation));
		store_col(st, 5, r.patient_id, sizeof(r.patient_id));
		store_col(st, 6, r.sections, sizeof(r.sections));
		store_col(st, 7, r.purpose, sizeof(r.purpose));
		store_col(st, 8, r.decision, sizeof(r.decision));
		store_col(st, 9, r.rule, sizeof(r.rule));
		store_col(st, 10, r.path, sizeof(r.path));
		store_col(st, 11, r.request_id, sizeof(r.request_id));
		store_col(st, 12, r.prev_hash, sizeof(r.prev_hash));
		store_col(st, 13, r.hash, sizeof(r.hash));
		store_col(st, 14, r.detail, sizeof(r.detail));
		store_col(st, 15, display, sizeof(display));
		page->key = r.seq;
		if (fn(arg, &r, display) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (rc == STORE_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}
