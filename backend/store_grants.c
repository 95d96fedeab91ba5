/* The store's side of open access exceptions: grants of every kind (break-glass, JIT, delegation, integration) and their flags. */
#include <stdio.h>
#include <string.h>

#include "backend/store_impl.h"
#include "backend/util.h"

#define LONG_LIVED_DAYS 30

/* One row per grant of either table; %s are the two arms' conditions (open, or one id). */
static const char grants_sql[] =
    "WITH g AS ("
    " SELECT g.id, g.kind, g.subject_id, g.subject_kind,"
    "  coalesce(us.display_name, sa.display_name, g.subject_id) AS subject_name, g.scope,"
    "  g.patient_id, p.display_name AS patient_name, un.name AS unit_name, g.created_at,"
    "  g.expires_at, g.revoked_at, t.id AS task_id, t.kind AS task_kind,"
    "  CASE WHEN t.id IS NULL THEN NULL WHEN t.status = 'ended' OR e.status = 'finished'"
    "   THEN 'ended' ELSE 'active' END AS task_status,"
    "  t.needs_scope, coalesce(t.ended_at, e.ended_at) AS task_ended"
    " FROM grants g LEFT JOIN users us ON us.id = g.subject_id"
    " LEFT JOIN service_accounts sa ON sa.id = g.subject_id"
    " LEFT JOIN patients p ON p.id = g.patient_id LEFT JOIN units un ON un.id = g.unit_id"
    " LEFT JOIN tasks t ON t.id = g.task_id LEFT JOIN encounters e ON e.id = t.encounter_id"
    " WHERE %s"
    " UNION ALL"
    " SELECT b.id, 'break_glass', b.user_id, 'person', u.display_name, 'read:chart',"
    "  b.patient_id, p.display_name, NULL, b.created_at, b.expires_at, b.revoked_at,"
    "  NULL, NULL, NULL, NULL, NULL"
    " FROM break_glass b JOIN users u ON u.id = b.user_id JOIN patients p ON p.id = b.patient_id"
    " WHERE %s"
    "), x AS ("
    " SELECT *, coalesce(task_status = 'ended', 0) AS stale,"
    "  CASE WHEN needs_scope IS NOT NULL THEN scope <> needs_scope"
    "    AND ((scope LIKE 'write:%%' AND needs_scope LIKE 'read:%%')"
    "    OR (scope LIKE '%%:unit' AND needs_scope NOT LIKE '%%:unit'))"
    "   ELSE kind <> 'break_glass' AND scope LIKE '%%:unit' END AS overbroad,"
    "  (expires_at IS NULL OR expires_at - created_at > 2592000) AS long_lived"
    " FROM g)"
    " SELECT id, kind, subject_id, subject_name, subject_kind, scope, patient_id, patient_name,"
    "  unit_name, created_at, expires_at, task_id, task_kind, task_status, needs_scope,"
    "  task_ended, stale, overbroad, long_lived, revoked_at"
    " FROM x WHERE 1%s%s%s%s ORDER BY created_at DESC, id DESC LIMIT :limit";

enum {
	C_ID, C_KIND, C_SUBJECT, C_SUBJECT_NAME, C_SUBJECT_KIND, C_SCOPE, C_PATIENT, C_PATIENT_NAME,
	C_UNIT, C_CREATED, C_EXPIRES, C_TASK, C_TASK_KIND, C_TASK_STATUS, C_NEEDS, C_TASK_ENDED,
	C_STALE, C_OVERBROAD, C_LONG, C_REVOKED
};

/* The plain-language line beside each flag. */
static void
flag_texts(sqlite3_stmt *st, json_t *flags, json_t *texts)
{
	char line[256], t[CG_TIME_LEN];
	int64_t days;

	if (sqlite3_column_int(st, C_STALE)) {
		cg_time_fmt(sqlite3_column_int64(st, C_TASK_ENDED), t);
		snprintf(line, sizeof(line), "Its %s task %s ended%s%s but the grant is still live",
		    store_text(st, C_TASK_KIND), store_text(st, C_TASK),
		    sqlite3_column_type(st, C_TASK_ENDED) == SQLITE_NULL ? "" : " at ",
		    sqlite3_column_type(st, C_TASK_ENDED) == SQLITE_NULL ? "" : t);
		json_array_append_new(flags, json_string("stale"));
		json_array_append_new(texts, json_string(line));
	}
	if (sqlite3_column_int(st, C_OVERBROAD)) {
		if (sqlite3_column_type(st, C_NEEDS) != SQLITE_NULL)
			snprintf(line, sizeof(line), "Scope %s is wider than its task needs (%s)",
			    store_text(st, C_SCOPE), store_text(st, C_NEEDS));
		else
			snprintf(line, sizeof(line), "Scope %s covers a whole unit and no task needs it",
			    store_text(st, C_SCOPE));
		json_array_append_new(flags, json_string("overbroad"));
		json_array_append_new(texts, json_string(line));
	}
	if (sqlite3_column_int(st, C_LONG)) {
		days = (sqlite3_column_int64(st, C_EXPIRES) - sqlite3_column_int64(st, C_CREATED)) / 86400;
		if (sqlite3_column_type(st, C_EXPIRES) == SQLITE_NULL)
			snprintf(line, sizeof(line), "Never expires");
		else
			snprintf(line, sizeof(line), "Lasts %lld days (more than %d)", (long long)days,
			    LONG_LIVED_DAYS);
		json_array_append_new(flags, json_string("long_lived"));
		json_array_append_new(texts, json_string(line));
	}
}

static json_t *
grant_json(sqlite3_stmt *st)
{
	json_t *flags = json_array(), *texts = json_array();
	json_t *o;

	if (flags != NULL && texts != NULL)
		flag_texts(st, flags, texts);
	o = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", store_text(st, C_ID), "kind", store_text(st, C_KIND),
	    "subject", "id", store_text(st, C_SUBJECT), "display_name", store_text(st, C_SUBJECT_NAME),
	    "subject_kind", store_text(st, C_SUBJECT_KIND), "scope", store_text(st, C_SCOPE),
	    "patient", sqlite3_column_type(st, C_PATIENT) == SQLITE_NULL ? json_null() :
	    json_pack("{s:s, s:s}", "id", store_text(st, C_PATIENT), "display_name", store_text(st, C_PATIENT_NAME)),
	    "unit", store_text_or_null(st, C_UNIT),
	    "created_at", store_time_or_null(st, C_CREATED),
	    "expires_at", store_time_or_null(st, C_EXPIRES),
	    "task", sqlite3_column_type(st, C_TASK) == SQLITE_NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s}", "id", store_text(st, C_TASK), "kind", store_text(st, C_TASK_KIND),
	    "status", store_text(st, C_TASK_STATUS)),
	    "flags", flags, "flag_texts", texts,
	    "revoked_at", store_time_or_null(st, C_REVOKED));
	return o;
}

struct grant_walk {
	json_t *arr;
	const struct grant_filter *f;
	struct store_page *page;
	size_t n;
};

static int
grant_row(sqlite3_stmt *st, void *arg)
{
	struct grant_walk *w = arg;

	if (w->n++ == w->f->limit) {
		w->page->more = 1;
		return 0;
	}
	w->page->key = sqlite3_column_int64(st, C_CREATED);
	snprintf(w->page->id, sizeof(w->page->id), "%s", store_text(st, C_ID));
	return json_array_append_new(w->arr, grant_json(st)) != 0;
}

/* The flag filter, from a fixed list so no caller text reaches the SQL. */
static const char *
flag_where(const char *flag)
{
	if (flag == NULL)
		return "";
	if (strcmp(flag, "stale") == 0)
		return " AND stale";
	if (strcmp(flag, "overbroad") == 0)
		return " AND overbroad";
	return " AND long_lived";
}

int
store_grants(struct store *s, const struct grant_filter *f, json_t *arr, struct store_page *page)
{
	struct grant_walk w = { arr, f, page, 0 };
	char sql[sizeof(grants_sql) + 512];
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	memset(page, 0, sizeof(*page));
	snprintf(sql, sizeof(sql), grants_sql,
	    f->id ? "g.id = :id" : "g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > :now)",
	    f->id ? "b.id = :id" : "b.revoked_at IS NULL AND b.expires_at > :now",
	    flag_where(f->flag), f->kind ? " AND kind = :kind" : "",
	    f->subject_kind ? " AND subject_kind = :skind" : "",
	    f->has_after ? " AND (created_at, id) < (:akey, :aid)" : "");
	store_lock(s);
	if ((st = store_prep(s, sql)) != NULL) {
		store_bind_named(st, ":id", f->id);
		store_bind_named_int(st, ":now", f->now);
		store_bind_named(st, ":kind", f->kind);
		store_bind_named(st, ":skind", f->subject_kind);
		store_bind_named_int(st, ":akey", f->after_key);
		store_bind_named(st, ":aid", f->after_id);
		store_bind_named_int(st, ":limit", (int64_t)f->limit + 1);
		rc = store_each_row(s, st, grant_row, &w);
	}
	store_unlock(s);
	return rc;
}

/* Apply one change to whichever table holds the open grant; NOT_FOUND / CONFLICT otherwise. */
static int
grant_change(struct store *s, const char *grants_sql_, const char *bg_sql, const char *id,
    int64_t value, int64_t now)
{
	const char *sqls[2] = { grants_sql_, bg_sql };
	sqlite3_stmt *st;
	size_t i;
	int rc = STORE_NOT_FOUND, exists = 0;

	store_lock(s);
	for (i = 0; i < 2 && rc == STORE_NOT_FOUND; i++) {
		if ((st = store_prep(s, sqls[i])) == NULL) {
			rc = STORE_ERROR;
			break;
		}
		store_bind_named(st, ":id", id);
		store_bind_named_int(st, ":v", value);
		store_bind_named_int(st, ":now", now);
		if ((rc = store_run(s, st)) == STORE_OK && sqlite3_changes(s->db) != 1)
			rc = STORE_NOT_FOUND;
	}
	if (rc == STORE_NOT_FOUND &&
	    (st = store_prep(s, "SELECT (SELECT count(*) FROM grants WHERE id = ?1)"
	    " + (SELECT count(*) FROM break_glass WHERE id = ?1)")) != NULL) {
		store_bind_text(st, 1, id);
		exists = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
		store_done(s, st);
		rc = exists ? STORE_CONFLICT : STORE_NOT_FOUND;
	}
	store_unlock(s);
	return rc;
}

#define GRANT_OPEN " WHERE id = :id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)"

int
store_grant_revoke(struct store *s, const char *id, int64_t now)
{
	return grant_change(s, "UPDATE grants SET revoked_at = :now" GRANT_OPEN,
	    "UPDATE break_glass SET revoked_at = :now" GRANT_OPEN, id, now, now);
}

int
store_grant_extend(struct store *s, const char *id, int64_t until, int64_t now)
{
	return grant_change(s, "UPDATE grants SET expires_at = :v" GRANT_OPEN,
	    "UPDATE break_glass SET expires_at = :v" GRANT_OPEN, id, until, now);
}
