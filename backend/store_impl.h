/* Internals shared by the store's SQLite files (store.c and its siblings); nothing else includes this. */
#ifndef CHARTGATED_STORE_IMPL_H
#define CHARTGATED_STORE_IMPL_H

#include <pthread.h>
#include <stddef.h>

#include <sqlite3.h>

#include "backend/store.h"

struct store {
	sqlite3 *db;
	pthread_mutex_t mu;	/* recursive: store_begin holds it until commit */
};

void store_lock(struct store *);
void store_unlock(struct store *);
/* Prepare sql, logging the engine's message on failure (then NULL). */
sqlite3_stmt *store_prep(struct store *, const char *sql);
void store_bind_text(sqlite3_stmt *, int i, const char *v);
/* Copy a text column, truncating to the buffer; NULL reads as "". */
void store_col(sqlite3_stmt *, int i, char *buf, size_t size);
/* Step a statement that returns no rows and finalise it: STORE_OK, STORE_CONFLICT or STORE_ERROR. */
int store_run(struct store *, sqlite3_stmt *);

/* An integer time column as RFC 3339 / a text column, or JSON null when the column is NULL. */
json_t *store_time_or_null(sqlite3_stmt *, int i);
json_t *store_text_or_null(sqlite3_stmt *, int i);
/* Step every row of st through fn; STORE_OK at the end of the rows. Finalises st. */
int store_each_row(sqlite3_stmt *, int (*fn)(sqlite3_stmt *, void *), void *arg);
/* A text column, "" for NULL (valid until the next step). */
const char *store_text(sqlite3_stmt *, int i);
/* Bind by parameter name (":name"); a name the statement does not use is skipped. */
void store_bind_named(sqlite3_stmt *, const char *name, const char *v);
void store_bind_named_int(sqlite3_stmt *, const char *name, int64_t v);

#endif
