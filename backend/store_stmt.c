/* Prepared statements kept for the life of the connection: compiling SQL was ~40% of a decision's CPU. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backend/store_impl.h"

/* Open addressing over the SQL text. Dynamic SQL (filters, pages) can make many texts: past
 * STMT_CACHE_FILL they are prepared and finalised each time as before, so memory stays bounded. */
#define STMT_CACHE_FILL (STORE_STMT_SLOTS * 3 / 4)

static size_t
slot_of(const char *sql)
{
	uint64_t h = 14695981039346656037u;	/* FNV-1a */

	for (; *sql != '\0'; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211u;
	return (size_t)h & (STORE_STMT_SLOTS - 1);
}

static sqlite3_stmt *
compile(struct store *s, const char *sql, unsigned int flags)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(s->db, sql, -1, flags, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "chartgated: store: %s: %s\n", sqlite3_errmsg(s->db), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
store_prep(struct store *s, const char *sql)
{
	struct store_stmt *e;
	size_t i;

	store_lock(s);
	for (i = slot_of(sql); (e = &s->stmts[i])->st != NULL; i = (i + 1) & (STORE_STMT_SLOTS - 1))
		if (strcmp(sqlite3_sql(e->st), sql) == 0)
			break;
	if (e->st != NULL && !e->in_use) {
		e->in_use = 1;
		store_unlock(s);
		return e->st;
	}
	/* Taken (a caller re-entered with the same query while stepping it), or new. */
	if (e->st == NULL && s->n_stmts < STMT_CACHE_FILL &&
	    (e->st = compile(s, sql, SQLITE_PREPARE_PERSISTENT)) != NULL) {
		s->n_stmts++;
		e->in_use = 1;
		store_unlock(s);
		return e->st;
	}
	store_unlock(s);
	return compile(s, sql, 0);
}

sqlite3_stmt *
store_prep_locked(struct store *s, const char *sql)
{
	sqlite3_stmt *st;

	store_lock(s);
	if ((st = store_prep(s, sql)) == NULL)
		store_unlock(s);
	return st;
}

void
store_done(struct store *s, sqlite3_stmt *st)
{
	struct store_stmt *e;
	size_t i;

	if (st == NULL)
		return;
	store_lock(s);
	for (i = slot_of(sqlite3_sql(st)); (e = &s->stmts[i])->st != NULL;
	    i = (i + 1) & (STORE_STMT_SLOTS - 1))
		if (e->st == st) {
			/* Ends its read transaction and drops borrowed bindings, as finalize did. */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			e->in_use = 0;
			store_unlock(s);
			return;
		}
	store_unlock(s);
	sqlite3_finalize(st);
}

void
store_stmts_free(struct store *s)
{
	size_t i;

	for (i = 0; i < STORE_STMT_SLOTS; i++) {
		sqlite3_finalize(s->stmts[i].st);
		s->stmts[i].st = NULL;
	}
	s->n_stmts = 0;
}
