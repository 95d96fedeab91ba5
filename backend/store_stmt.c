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

/* A slot of the pointer-keyed memos below. */
static size_t
ref_of(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 2654435761u) & (STORE_REF_SLOTS - 1);
}

/* The slot of sql's cached statement, or of the free place for it. Hashing a query's text
 * (~200 characters, at each prep and each done) showed in a decision's profile; the
 * queries are mostly literals, so the slot is memoised by the text's address, and a hit
 * still compares the text (a caller's buffer can hold another query at the same address). */
static size_t
find_slot(struct store *s, const char *sql)
{
	struct store_ref *r = &s->by_sql[ref_of(sql)];
	struct store_stmt *e;
	size_t i;

	if (r->key == sql && (e = &s->stmts[r->slot])->st != NULL && strcmp(sqlite3_sql(e->st), sql) == 0)
		return r->slot;
	for (i = slot_of(sql); (e = &s->stmts[i])->st != NULL; i = (i + 1) & (STORE_STMT_SLOTS - 1))
		if (strcmp(sqlite3_sql(e->st), sql) == 0)
			break;
	return i;
}

/* Remember a cached statement's slot by its SQL text's address and by its own. */
static void
memo(struct store *s, const char *sql, size_t i)
{
	s->by_sql[ref_of(sql)] = (struct store_ref){ sql, i };
	s->by_st[ref_of(s->stmts[i].st)] = (struct store_ref){ s->stmts[i].st, i };
}

sqlite3_stmt *
store_prep(struct store *s, const char *sql)
{
	struct store_stmt *e;
	size_t i;

	store_lock(s);
	e = &s->stmts[i = find_slot(s, sql)];
	if (e->st != NULL && !e->in_use) {
		e->in_use = 1;
		memo(s, sql, i);
		store_unlock(s);
		return e->st;
	}
	/* Taken (a caller re-entered with the same query while stepping it), or new. */
	if (e->st == NULL && s->n_stmts < STMT_CACHE_FILL &&
	    (e->st = compile(s, sql, SQLITE_PREPARE_PERSISTENT)) != NULL) {
		s->n_stmts++;
		e->in_use = 1;
		memo(s, sql, i);
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

/* The cache entry of st, NULL when the cache did not keep it. */
static struct store_stmt *
entry_of(struct store *s, sqlite3_stmt *st)
{
	const struct store_ref *r = &s->by_st[ref_of(st)];
	struct store_stmt *e;
	size_t i;

	if (r->key == st && s->stmts[r->slot].st == st)
		return &s->stmts[r->slot];
	for (i = slot_of(sqlite3_sql(st)); (e = &s->stmts[i])->st != NULL;
	    i = (i + 1) & (STORE_STMT_SLOTS - 1))
		if (e->st == st)
			return e;
	return NULL;
}

void
store_done(struct store *s, sqlite3_stmt *st)
{
	struct store_stmt *e;

	if (st == NULL)
		return;
	store_lock(s);
	if ((e = entry_of(s, st)) != NULL) {
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
	memset(s->by_sql, 0, sizeof(s->by_sql));
	memset(s->by_st, 0, sizeof(s->by_st));
}
