/* The store's patient search (demographics only) and single-section reads. */
#include <stdio.h>
#include <string.h>

#include "backend/store_impl.h"

/* q with LIKE's wildcards escaped, so a search for "50%" means those characters. */
static int
like_escape(const char *q, char *out, size_t size)
{
	size_t n = 0;

	for (; *q; q++) {
		if (n + 3 > size)
			return -1;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[n++] = '\\';
		out[n++] = *q;
	}
	out[n] = '\0';
	return 0;
}

int
store_patient_search(struct store *s, const char *q, const char *after, size_t limit,
    json_t *arr, int *more)
{
	sqlite3_stmt *st;
	char pat[512];
	size_t n = 0;
	int rc = STORE_OK, step;

	*more = 0;
	if (like_escape(q, pat, sizeof(pat)) != 0)
		return STORE_ERROR;
	/* LIKE ignores ASCII case; the unit is that of the active encounter, if any. */
	if ((st = store_prep_locked(s, "SELECT p.id, p.mrn, p.display_name, p.birth_date, p.sex,"
	    " (SELECT u.name FROM encounters e JOIN units u ON u.id = e.unit_id"
	    "   WHERE e.patient_id = p.id AND e.status = 'in-progress' LIMIT 1)"
	    " FROM patients p"
	    " WHERE (p.display_name LIKE '%' || ?1 || '%' ESCAPE '\\' OR p.mrn LIKE ?1 || '%' ESCAPE '\\')"
	    "   AND p.id > ?2 ORDER BY p.id LIMIT ?3")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, pat);
	store_bind_text(st, 2, after ? after : "");
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit + 1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o;
		const unsigned char *unit = sqlite3_column_text(st, 5);

		if (n == limit) {
			*more = 1;	/* the one extra row only says that more follow */
			break;
		}
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
		    "id", (const char *)sqlite3_column_text(st, 0),
		    "mrn", (const char *)sqlite3_column_text(st, 1),
		    "display_name", (const char *)sqlite3_column_text(st, 2),
		    "birth_date", (const char *)sqlite3_column_text(st, 3),
		    "sex", (const char *)sqlite3_column_text(st, 4),
		    "unit", unit ? json_string((const char *)unit) : json_null());
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			rc = STORE_ERROR;
			break;
		}
		n++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}

int
store_section_get(struct store *s, const char *patient_id, const char *section_id,
    struct section *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND, step;

	memset(out, 0, sizeof(*out));
	if ((st = store_prep_locked(s, "SELECT id, title, confidentiality, sensitivity FROM chart_sections"
	    " WHERE patient_id = ? AND id = ?")) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, patient_id);
	store_bind_text(st, 2, section_id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		store_col(st, 0, out->id, sizeof(out->id));
		store_col(st, 1, out->title, sizeof(out->title));
		store_col(st, 2, out->confidentiality, sizeof(out->confidentiality));
		store_col(st, 3, out->sensitivity, sizeof(out->sensitivity));
		rc = STORE_OK;
	} else if (step != SQLITE_DONE)
		rc = STORE_ERROR;
	store_done(s, st);
	store_unlock(s);
	return rc;
}
