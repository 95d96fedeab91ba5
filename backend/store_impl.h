/* Internals shared by the store's SQLite files (store.c and its siblings); nothing else includes this. */
#ifndef CHARTGATED_STORE_IMPL_H
#define CHARTGATED_STORE_IMPL_H

#include <pthread.h>
#include <stddef.h>

#include <sqlite3.h>

#include "backend/store.h"

/* One cached prepared statement (store_stmt.c); in_use while a caller holds it. */
struct store_stmt {
	sqlite3_stmt *st;
	int in_use;
};
#define STORE_STMT_SLOTS 256	/* a power of two */
/* A statement's slot, memoised by an address (its SQL text's, or its own): store_stmt.c. */
struct store_ref {
	const void *key;
	size_t slot;
};
#define STORE_REF_SLOTS 128	/* a power of two */

/* A request queued for a group commit (store_group): its work, and once done (under gmu)
 * the result of its batch's COMMIT. It lives on its caller's stack. */
struct store_member {
	int (*fn)(void *);
	void *arg;
	int rc;
	int done;
	pthread_cond_t wake;	/* done, or the combining is free to take */
	struct store_member *next;
	/* store_group_later's: told of the COMMIT by a call, not by wake; on the heap. */
	void (*told)(void *arg, int rc);
	void *told_arg;
};
#define STORE_BATCH_MAX 32

struct store {
	sqlite3 *db;
	pthread_mutex_t mu;	/* recursive: store_begin holds it until commit */
	int holds;		/* mu's recursion count, under mu: 1 is the outermost hold */
	int depth;		/* open store_begin levels, under mu */
	/* The group commit's queue, and whether a caller is running it (the combiner); under
	 * gmu. Lock order: mu, then gmu; a combiner takes mu only without gmu. */
	struct store_member *queue, **queue_tail;
	int combining;
	pthread_mutex_t gmu;
	/* The store's own thread, combining the members of store_group_later (under gmu). */
	pthread_t worker;
	int worker_started, stopping, draining;
	size_t later;		/* members reserved or queued by store_group_later, not yet told */
	pthread_cond_t worker_wake, drained;
	struct store_stmt stmts[STORE_STMT_SLOTS];
	size_t n_stmts;
	struct store_ref by_sql[STORE_REF_SLOTS], by_st[STORE_REF_SLOTS];
};

void store_lock(struct store *);
void store_unlock(struct store *);
/* A statement for sql, from the connection's cache when it can be (store_stmt.c); logs the
 * engine's message on failure (then NULL). Give it back with store_done, never finalise it. */
sqlite3_stmt *store_prep(struct store *, const char *sql);
/* store_prep with the store locked: on success the caller holds the lock (and
 * must store_unlock it); on failure nothing is held and NULL comes back. */
sqlite3_stmt *store_prep_locked(struct store *, const char *sql);
/* Reset a statement from store_prep for its next use (or finalise one the cache did not keep). */
void store_done(struct store *, sqlite3_stmt *);
/* Finalise every cached statement: before sqlite3_close. */
void store_stmts_free(struct store *);
void store_bind_text(sqlite3_stmt *, int i, const char *v);
/* Copy a text column, truncating to the buffer; NULL reads as "". */
void store_col(sqlite3_stmt *, int i, char *buf, size_t size);
/* Step a statement that returns no rows and give it back: STORE_OK, STORE_CONFLICT or STORE_ERROR. */
int store_run(struct store *, sqlite3_stmt *);

/* An integer time column as RFC 3339 / a text column, or JSON null when the column is NULL. */
json_t *store_time_or_null(sqlite3_stmt *, int i);
json_t *store_text_or_null(sqlite3_stmt *, int i);
/* Step every row of st through fn; STORE_OK at the end of the rows. Gives st back. */
int store_each_row(struct store *, sqlite3_stmt *, int (*fn)(sqlite3_stmt *, void *), void *arg);
/* A text column, "" for NULL (valid until the next step). */
const char *store_text(sqlite3_stmt *, int i);
/* Bind by parameter name (":name"); a name the statement does not use is skipped. */
void store_bind_named(sqlite3_stmt *, const char *name, const char *v);
void store_bind_named_int(sqlite3_stmt *, const char *name, int64_t v);

#endif
