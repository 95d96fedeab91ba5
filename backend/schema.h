/* SQLite schema version and migrations of the store. */
#ifndef CHARTGATED_SCHEMA_H
#define CHARTGATED_SCHEMA_H

#include <sqlite3.h>

#define SCHEMA_VERSION 3 /* the newest step in schema.c */

/* Bring db up to SCHEMA_VERSION inside one transaction; 0 on success.
 * Refuses a database newer than this binary. */
int schema_migrate(sqlite3 *db);

#endif
