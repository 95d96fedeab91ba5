/* Unit tests of the audit hash chain: a changed, removed or reordered row breaks it. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend/audit.h"
#include "tests/t.h"

static char dir[] = "/tmp/test_be_audit.XXXXXX";
static char path[256];

static void
row(struct audit_row *a, const char *user, const char *patient, const char *decision)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->time, sizeof(a->time), "2026-01-02T03:04:05Z");
	snprintf(a->kind, sizeof(a->kind), "chart");
	snprintf(a->user_id, sizeof(a->user_id), "%s", user);
	snprintf(a->workstation, sizeof(a->workstation), "cart-4w-01");
	snprintf(a->patient_id, sizeof(a->patient_id), "%s", patient);
	snprintf(a->purpose, sizeof(a->purpose), "TREAT");
	snprintf(a->decision, sizeof(a->decision), "%s", decision);
	snprintf(a->rule, sizeof(a->rule), "care-team");
	snprintf(a->request_id, sizeof(a->request_id), "req-1");
}

/* A store with three chained rows. */
static struct store *
fresh_store(void)
{
	struct store *s = NULL;
	struct audit_row a;

	unlink(path);
	if (store_open(path, 1, &s) != STORE_OK)
		return NULL;
	row(&a, "u-nurse-ana", "p-0001", "permit");
	audit_append(s, &a);
	row(&a, "u-nurse-ana", "p-0002", "deny");
	audit_append(s, &a);
	row(&a, "u-nurse-ben", "p-0003", "permit");
	audit_append(s, &a);
	return s;
}

static void
raw(const char *sql)
{
	sqlite3 *db;

	T_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	T_CHECK(sqlite3_exec(db, "DROP TRIGGER IF EXISTS audit_no_update;"
	    "DROP TRIGGER IF EXISTS audit_no_delete", NULL, NULL, NULL) == SQLITE_OK);
	T_CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

/* Rows already stored must verify: the hashed text is pinned, here against SHA-256 of
 * "prev_hash=64:000…\nseq=7:1234567\ntime=20:…\n…" as computed outside this code. */
static void
hash_text_is_unchanged(void)
{
	struct audit_row a;
	char h[AUDIT_HASH_HEX];

	memset(&a, 0, sizeof(a));
	a.seq = 1234567;
	snprintf(a.time, sizeof(a.time), "2026-12-06T19:00:00Z");
	snprintf(a.kind, sizeof(a.kind), "chart");
	snprintf(a.user_id, sizeof(a.user_id), "u-nurse-ana");
	snprintf(a.workstation, sizeof(a.workstation), "cart-4w-01");
	snprintf(a.patient_id, sizeof(a.patient_id), "p-0001");
	snprintf(a.sections, sizeof(a.sections), "s-1,s-2");
	snprintf(a.purpose, sizeof(a.purpose), "TREAT");
	snprintf(a.decision, sizeof(a.decision), "permit");
	snprintf(a.rule, sizeof(a.rule), "care-team");
	snprintf(a.path, sizeof(a.path), "care-team");
	snprintf(a.request_id, sizeof(a.request_id), "req-00112233");
	audit_row_hash(&a, audit_genesis, h);
	T_STREQ(h, "afbb64163e0c65436930f9efc29349c66230015c0f6fc3075d6de0c97c77d382");
	/* A negative seq (never written, but hashed as "%" PRId64 was) and a detail. */
	a.seq = -5;
	snprintf(a.detail, sizeof(a.detail), "q=\xc3\xa9");
	audit_row_hash(&a, audit_genesis, h);
	T_STREQ(h, "08fd122c6e837d9eb9661eabc9ec7f63a73b8b7cb59fbafd7f8ccec2c64c422e");
}

static void
hash_covers_every_field_and_the_previous_hash(void)
{
	struct audit_row a, b;
	char h1[AUDIT_HASH_HEX], h2[AUDIT_HASH_HEX];

	row(&a, "u-nurse-ana", "p-0001", "permit");
	a.seq = 1;
	audit_row_hash(&a, audit_genesis, h1);
	audit_row_hash(&a, audit_genesis, h2);
	T_STREQ(h1, h2);
	T_CHECK(strlen(h1) == 64);
	b = a;
	snprintf(b.decision, sizeof(b.decision), "deny");
	audit_row_hash(&b, audit_genesis, h2);
	T_CHECK(strcmp(h1, h2) != 0);
	b = a;
	b.seq = 2;
	audit_row_hash(&b, audit_genesis, h2);
	T_CHECK(strcmp(h1, h2) != 0);
	audit_row_hash(&a, h1, h2);
	T_CHECK(strcmp(h1, h2) != 0);
	/* Moving text between fields must change the hash: fields are length-framed. */
	b = a;
	snprintf(b.user_id, sizeof(b.user_id), "u-nurse-an");
	snprintf(b.workstation, sizeof(b.workstation), "acart-4w-01");
	audit_row_hash(&b, audit_genesis, h2);
	T_CHECK(strcmp(h1, h2) != 0);
}

static void
appended_rows_form_an_intact_chain(void)
{
	struct store *s = fresh_store();
	int64_t bad = -2;

	T_CHECK(s != NULL);
	if (s == NULL)
		return;
	T_CHECK(audit_verify(s, &bad) == 0);
	T_CHECK(bad == 0);
	store_close(&s);
}

static void
store_refuses_to_update_audit_rows(void)
{
	struct store *s = fresh_store();
	sqlite3 *db;

	store_close(&s);
	T_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	T_CHECK(sqlite3_exec(db, "UPDATE audit SET decision = 'permit'", NULL, NULL, NULL) != SQLITE_OK);
	T_CHECK(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
}

static void
changed_row_breaks_the_chain(void)
{
	struct store *s = fresh_store();
	int64_t bad = 0;

	store_close(&s);
	raw("UPDATE audit SET decision = 'permit' WHERE seq = 2");
	T_CHECK(store_open(path, 0, &s) == STORE_OK);
	T_CHECK(audit_verify(s, &bad) != 0);
	T_CHECK(bad == 2);
	store_close(&s);
}

static void
removed_row_breaks_the_chain(void)
{
	struct store *s = fresh_store();
	int64_t bad = 0;

	store_close(&s);
	raw("DELETE FROM audit WHERE seq = 2");
	T_CHECK(store_open(path, 0, &s) == STORE_OK);
	T_CHECK(audit_verify(s, &bad) != 0);
	T_CHECK(bad == 3);
	store_close(&s);
}

static void
rehashed_row_still_breaks_its_successor(void)
{
	struct store *s = fresh_store();
	struct audit_row a;
	char h[AUDIT_HASH_HEX], sql[256];
	int64_t bad = 0;

	/* A forger who recomputes the changed row's own hash still breaks row 3. */
	store_close(&s);
	row(&a, "u-nurse-ana", "p-0002", "permit");
	a.seq = 2;
	{
		sqlite3 *db;
		sqlite3_stmt *st;

		T_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		T_CHECK(sqlite3_prepare_v2(db, "SELECT prev_hash, time FROM audit WHERE seq = 2", -1,
		    &st, NULL) == SQLITE_OK);
		T_CHECK(sqlite3_step(st) == SQLITE_ROW);
		snprintf(a.prev_hash, sizeof(a.prev_hash), "%s", sqlite3_column_text(st, 0));
		snprintf(a.time, sizeof(a.time), "%s", sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	audit_row_hash(&a, a.prev_hash, h);
	snprintf(sql, sizeof(sql), "UPDATE audit SET decision = 'permit', hash = '%s' WHERE seq = 2", h);
	raw(sql);
	T_CHECK(store_open(path, 0, &s) == STORE_OK);
	T_CHECK(audit_verify(s, &bad) != 0);
	T_CHECK(bad == 3);
	store_close(&s);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/audit.db", dir);
	T_RUN(hash_text_is_unchanged);
	T_RUN(hash_covers_every_field_and_the_previous_hash);
	T_RUN(appended_rows_form_an_intact_chain);
	T_RUN(store_refuses_to_update_audit_rows);
	T_RUN(changed_row_breaks_the_chain);
	T_RUN(removed_row_breaks_the_chain);
	T_RUN(rehashed_row_still_breaks_its_successor);
	unlink(path);
	{
		char p[300];

		snprintf(p, sizeof(p), "%s-wal", path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", path);
		unlink(p);
	}
	rmdir(dir);
	T_EXIT();
}
