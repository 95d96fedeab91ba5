/* The store's side of the break-glass queue: keyset-paged lists, one event, its accesses, claim and decision. */
#include <stdio.h>
#include <string.h>

#include "backend/review_query.h"
#include "backend/store_impl.h"
#include "backend/util.h"

void
store_bind_named(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		store_bind_text(st, i, v);
}

void
store_bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

#define EVENT_SELECT \
	"SELECT b.id, b.user_id, uu.display_name, b.patient_id, p.display_name, p.mrn," \
	" b.reason_code, b.justification, b.created_at, b.expires_at, un.name, b.risk_score," \
	" b.risk_factors, b.status, b.assignee, au.display_name, b.workstation, b.revoked_at," \
	" b.decision, b.note, b.decided_at" \
	" FROM break_glass b JOIN users uu ON uu.id = b.user_id" \
	" JOIN patients p ON p.id = b.patient_id LEFT JOIN units un ON un.id = b.unit_id" \
	" LEFT JOIN users au ON au.id = b.assignee"

const char *
store_text(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL ? (const char *)v : "";
}

/* {"id","display_name"} of columns i, i+1; null when column i is NULL. */
static json_t *
person(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:s, s:s}", "id", store_text(st, i), "display_name", store_text(st, i + 1));
}

static json_t *
event_json(sqlite3_stmt *st)
{
	json_t *factors = json_loads(store_text(st, 12), 0, NULL);

	return json_pack("{s:s, s:o, s:{s:s, s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:s,"
	    " s:o, s:s, s:o}",
	    "id", store_text(st, 0),
	    "user", person(st, 1),
	    "patient", "id", store_text(st, 3), "display_name", store_text(st, 4), "mrn", store_text(st, 5),
	    "reason_code", store_text(st, 6),
	    "justification", store_text(st, 7),
	    "created_at", store_time_or_null(st, 8),
	    "expires_at", store_time_or_null(st, 9),
	    "unit", store_text_or_null(st, 10),
	    "risk_score", sqlite3_column_int(st, 11),
	    "risk_factors", factors != NULL ? factors : json_array(),
	    "status", store_text(st, 13),
	    "assignee", person(st, 14),
	    "workstation", store_text(st, 16),
	    "revoked_at", store_time_or_null(st, 17));
}

/* The WHERE of a queue query; the keyset condition only when asked (counting ignores it). */
static void
queue_where(const struct review_filter *f, int keyset, char *out, size_t size)
{
	snprintf(out, size, " WHERE b.status = :status%s%s%s%s%s%s%s",
	    f->unit ? " AND (b.unit_id = :unit OR b.unit_id IN (SELECT id FROM units WHERE name = :unit))" : "",
	    f->user ? " AND b.user_id = :user" : "",
	    f->reason ? " AND b.reason_code = :reason" : "",
	    f->since ? " AND b.created_at >= :since" : "",
	    f->until ? " AND b.created_at < :until" : "",
	    f->like ? " AND (b.justification LIKE :like ESCAPE '\\'"
	    " OR b.user_id IN (SELECT id FROM users WHERE display_name LIKE :like ESCAPE '\\')"
	    " OR b.patient_id IN (SELECT id FROM patients WHERE display_name LIKE :like ESCAPE '\\'))" : "",
	    !keyset || !f->has_after ? "" : f->by_risk ?
	    " AND (b.risk_score, b.id) < (:akey, :aid)" : " AND (b.created_at, b.id) > (:akey, :aid)");
}

static void
queue_bind(sqlite3_stmt *st, const struct review_filter *f)
{
	store_bind_named(st, ":status", f->status);
	store_bind_named(st, ":unit", f->unit);
	store_bind_named(st, ":user", f->user);
	store_bind_named(st, ":reason", f->reason);
	store_bind_named_int(st, ":since", f->since);
	store_bind_named_int(st, ":until", f->until);
	store_bind_named(st, ":like", f->like);
	store_bind_named_int(st, ":akey", f->after_key);
	store_bind_named(st, ":aid", f->after_id);
	store_bind_named_int(st, ":limit", (int64_t)f->limit + 1);
}

struct queue_walk {
	json_t *arr;
	const struct review_filter *f;
	struct store_page *page;
	size_t n;
};

static int
queue_row(sqlite3_stmt *st, void *arg)
{
	struct queue_walk *w = arg;

	if (w->n++ == w->f->limit) {
		w->page->more = 1;
		return 0;
	}
	w->page->key = sqlite3_column_int64(st, w->f->by_risk ? 11 : 8);
	snprintf(w->page->id, sizeof(w->page->id), "%s", store_text(st, 0));
	return json_array_append_new(w->arr, event_json(st)) != 0;
}

int
store_review_events(struct store *s, const struct review_filter *f, json_t *arr,
    struct store_page *page)
{
	char where[1024], sql[2048];
	struct queue_walk w = { arr, f, page, 0 };
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	memset(page, 0, sizeof(*page));
	store_lock(s);
	queue_where(f, 0, where, sizeof(where));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM break_glass b%s", where);
	if ((st = store_prep(s, sql)) == NULL)
		goto out;
	queue_bind(st, f);
	if (sqlite3_step(st) == SQLITE_ROW)
		page->total = sqlite3_column_int64(st, 0);
	store_done(s, st);
	queue_where(f, 1, where, sizeof(where));
	snprintf(sql, sizeof(sql), EVENT_SELECT "%s ORDER BY %s LIMIT :limit", where,
	    f->by_risk ? "b.risk_score DESC, b.id DESC" : "b.created_at ASC, b.id ASC");
	if ((st = store_prep(s, sql)) == NULL)
		goto out;
	queue_bind(st, f);
	rc = store_each_row(s, st, queue_row, &w);
out:
	store_unlock(s);
	return rc;
}

static int
one_event(sqlite3_stmt *st, void *arg)
{
	json_t **out = arg;
	json_t *e = event_json(st);

	if (e == NULL)
		return 1;
	/* Only the single event carries its decision. */
	json_object_set_new(e, "decision", sqlite3_column_type(st, 18) == SQLITE_NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s, s:s, s:o}", "decision", store_text(st, 18),
	    "note", store_text(st, 19), "reviewer", store_text(st, 15), "reviewer_id", store_text(st, 14),
	    "decided_at", store_time_or_null(st, 20)));
	*out = e;
	return 0;
}

int
store_review_event(struct store *s, const char *id, json_t **out)
{
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	*out = NULL;
	store_lock(s);
	if ((st = store_prep(s, EVENT_SELECT " WHERE b.id = ?")) != NULL) {
		store_bind_text(st, 1, id);
		rc = store_each_row(s, st, one_event, out);
	}
	store_unlock(s);
	if (rc == STORE_OK && *out == NULL)
		rc = STORE_NOT_FOUND;
	return rc;
}

static int
access_row(sqlite3_stmt *st, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s}",
	    "time", store_text(st, 0), "kind", store_text(st, 1), "sections", rq_csv_array(store_text(st, 2)),
	    "purpose", store_text(st, 3), "decision", store_text(st, 4), "path", store_text(st, 5),
	    "workstation", store_text(st, 6), "request_id", store_text(st, 7))) != 0;
}

int
store_review_accesses(struct store *s, const char *id, json_t *arr)
{
	char path[STORE_ID_MAX + 16];
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	snprintf(path, sizeof(path), "break-glass:%s", id);
	store_lock(s);
	if ((st = store_prep(s, "SELECT time, kind, sections, purpose, decision, path, workstation,"
	    " request_id FROM audit WHERE path = ? ORDER BY seq")) != NULL) {
		store_bind_text(st, 1, path);
		rc = store_each_row(s, st, access_row, arr);
	}
	store_unlock(s);
	return rc;
}

static int
prior_row(sqlite3_stmt *st, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s}",
	    "event_id", store_text(st, 0), "created_at", store_time_or_null(st, 1),
	    "decision", store_text(st, 2), "note", store_text(st, 3),
	    "reviewer", store_text(st, 5), "reviewer_id", store_text(st, 4))) != 0;
}

int
store_review_prior(struct store *s, const char *user_id, const char *id, int64_t before,
    json_t *arr)
{
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	store_lock(s);
	if ((st = store_prep(s, "SELECT b.id, b.created_at, b.decision, b.note, b.assignee,"
	    " au.display_name FROM break_glass b LEFT JOIN users au ON au.id = b.assignee"
	    " WHERE b.user_id = ? AND b.id <> ? AND b.status = 'closed' AND b.decision IS NOT NULL"
	    " AND b.created_at <= ? ORDER BY b.created_at DESC, b.id DESC LIMIT 20")) != NULL) {
		store_bind_text(st, 1, user_id);
		store_bind_text(st, 2, id);
		sqlite3_bind_int64(st, 3, before);
		rc = store_each_row(s, st, prior_row, arr);
	}
	store_unlock(s);
	return rc;
}

/* Both moves share the guard: never one's own event, and only open or already one's own. */
#define REVIEW_GUARD " WHERE id = :id AND user_id <> :me" \
	" AND (status = 'open' OR (status = 'in_review' AND assignee = :me))"

static int
review_move(struct store *s, const char *sql, const char *id, const char *reviewer,
    const char *decision, const char *note, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	if ((st = store_prep(s, sql)) != NULL) {
		store_bind_named(st, ":id", id);
		store_bind_named(st, ":me", reviewer);
		store_bind_named(st, ":decision", decision);
		store_bind_named(st, ":note", note);
		store_bind_named_int(st, ":now", now);
	}
	rc = store_run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
		rc = STORE_CONFLICT;
	store_unlock(s);
	return rc;
}

int
store_review_claim(struct store *s, const char *id, const char *reviewer, int64_t now)
{
	return review_move(s, "UPDATE break_glass SET status = 'in_review', assignee = :me"
	    REVIEW_GUARD, id, reviewer, NULL, NULL, now);
}

int
store_review_decide(struct store *s, const char *id, const char *reviewer, const char *decision,
    const char *note, int64_t now)
{
	return review_move(s, "UPDATE break_glass SET status = 'closed', assignee = :me,"
	    " decision = :decision, note = :note, decided_at = :now" REVIEW_GUARD,
	    id, reviewer, decision, note, now);
}
