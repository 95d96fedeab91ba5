/* chartgated --verify-audit: walk a database's audit hash chain read-only and name the first broken row. */
#include "backend/audit.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

/* The text columns of the audit table, named as in struct audit_row so that
 * one table drives the SELECT, the copy and the checks (no hand-kept order).
 * A field added to the row and its hash but not here fails closed: its rows
 * stop verifying, and tests/integration/audit_chain.sh says so. */
struct audit_col {
	const char *name;
	size_t off, size;
};
#define AUDIT_COL(f) { #f, offsetof(struct audit_row, f), sizeof(((struct audit_row *)0)->f) }
static const struct audit_col audit_cols[] = {
	AUDIT_COL(time), AUDIT_COL(kind), AUDIT_COL(user_id), AUDIT_COL(workstation),
	AUDIT_COL(patient_id), AUDIT_COL(sections), AUDIT_COL(purpose), AUDIT_COL(decision),
	AUDIT_COL(rule), AUDIT_COL(path), AUDIT_COL(request_id), AUDIT_COL(detail),
	AUDIT_COL(prev_hash), AUDIT_COL(hash), AUDIT_COL(detail),
};
#define N_AUDIT_COLS (sizeof(audit_cols) / sizeof(audit_cols[0]))

/* Copy column i+1 into its field. The store's own reader truncates silently;
 * here a value chartgated could never have written (not TEXT, an embedded NUL
 * that would hide bytes from the hash, too long for the field) is tampering. */
static const char *
take_col(sqlite3_stmt *st, size_t i, struct audit_row *r)
{
	const struct audit_col *c = &audit_cols[i];
	const unsigned char *v = sqlite3_column_text(st, (int)i + 1);
	int type = sqlite3_column_type(st, (int)i + 1);
	size_t n = (size_t)sqlite3_column_bytes(st, (int)i + 1);

	if (type != SQLITE_TEXT || v == NULL)
		return "is not text";
	if (strlen((const char *)v) != n)
		return "holds a NUL byte";
	if (n >= c->size)
		return "is longer than chartgated ever writes";
	memcpy((char *)r + c->off, v, n + 1);
	return NULL;
}

static int
broken(int64_t seq, const char *what, const char *detail)
{
	printf("audit chain broken at row %" PRId64 ": %s%s\n", seq, what, detail);
	return 1;
}

/* Checks one row against the chain so far; 0 when it links, else 1 after printing why. */
static int
check_row(sqlite3_stmt *st, int64_t expect_seq, const char *prev_hash, struct audit_row *r)
{
	char want[AUDIT_HASH_HEX], what[96];
	const char *bad;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->seq = sqlite3_column_int64(st, 0);
	/* A gap in seq is a removed row; its successor's prev_hash would say so
	 * too, but naming the missing ids tells the reviewer what to look for. */
	if (r->seq != expect_seq) {
		snprintf(what, sizeof(what), "rows %" PRId64 "..%" PRId64 " are missing",
		    expect_seq, r->seq - 1);
		return broken(r->seq, what, "");
	}
	for (i = 0; i < N_AUDIT_COLS; i++) {
		if ((bad = take_col(st, i, r)) != NULL) {
			snprintf(what, sizeof(what), "field %s ", audit_cols[i].name);
			return broken(r->seq, what, bad);
		}
	}
	if (strcmp(r->prev_hash, prev_hash) != 0)
		return broken(r->seq, "prev_hash does not match the hash of the row before it",
		    expect_seq == 1 ? " (the genesis)" : "");
	audit_row_hash(r, prev_hash, want);
	if (strcmp(r->hash, want) != 0)
		return broken(r->seq, "hash does not match the row's contents", "");
	return 0;
}

/* Read-only on purpose: a seized or backed-up file must come out of the check
 * unchanged, so this neither migrates the schema nor touches the WAL mode as
 * store_open does. */
int
audit_verify_file(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct audit_row r;
	char sql[512], prev[AUDIT_HASH_HEX];
	int64_t n = 0;
	size_t i, len;
	int step, rc = 1;

	len = (size_t)snprintf(sql, sizeof(sql), "SELECT seq");
	for (i = 0; i < N_AUDIT_COLS; i++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s", audit_cols[i].name);
	snprintf(sql + len, sizeof(sql) - len, " FROM audit ORDER BY seq");

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "chartgated: cannot open %s: %s\n", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "chartgated: %s: no readable audit table: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	memcpy(prev, audit_genesis, AUDIT_HASH_HEX);
	memset(&r, 0, sizeof(r));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (check_row(st, n + 1, prev, &r) != 0)
			goto out;
		memcpy(prev, r.hash, AUDIT_HASH_HEX);
		n++;
	}
	if (step != SQLITE_DONE) {
		fprintf(stderr, "chartgated: %s: reading the audit table: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	printf("audit chain OK: %" PRId64 " rows\n", n);
	/* Removing rows from the end leaves a shorter chain that still links:
	 * only a copy of the last hash kept elsewhere can show that. */
	if (n > 0)
		printf("last row %" PRId64 " hash %s\n", n, prev);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
