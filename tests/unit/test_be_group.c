/* Unit tests of the group commit (store_group): shared COMMITs, yet every acknowledged row is committed and the chain stays linear. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend/audit.h"
#include "tests/t.h"

#define THREADS 8
#define PER_THREAD 150

static char dir[] = "/tmp/test_be_group.XXXXXX";
static char path[256];
static struct store *store;

struct member_arg {
	int n;			/* which row */
	long thread;
	int appended;		/* audit_append said 0 */
};

static int
append_row(void *arg)
{
	struct member_arg *m = arg;
	struct audit_row a;

	memset(&a, 0, sizeof(a));
	snprintf(a.kind, sizeof(a.kind), "chart");
	snprintf(a.user_id, sizeof(a.user_id), "u-%ld", m->thread);
	snprintf(a.decision, sizeof(a.decision), "permit");
	snprintf(a.request_id, sizeof(a.request_id), "req-%ld-%d", m->thread, m->n);
	m->appended = audit_append(store, &a) == 0;
	return !m->appended;
}

/* Rows of request_id seen by a connection of our own, as another process would see them. */
static int
rows_seen(sqlite3 *db, const char *request_id)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE request_id = ?", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Each thread appends its rows through store_group and, once a call returns STORE_OK,
 * looks for the row from another connection: acknowledged means committed. */
static void *
member_thread(void *arg)
{
	long t = (long)(intptr_t)arg, bad = 0;
	struct member_arg m = { .thread = t };
	char id[48];
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return (void *)1;
	sqlite3_busy_timeout(db, 5000);
	for (m.n = 0; m.n < PER_THREAD; m.n++) {
		snprintf(id, sizeof(id), "req-%ld-%d", t, m.n);
		if (store_group(store, append_row, &m) != STORE_OK || !m.appended ||
		    rows_seen(db, id) != 1)
			bad++;
	}
	sqlite3_close(db);
	return (void *)(intptr_t)bad;
}

static int
count_row(void *arg, const struct audit_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

/* A reader outside any batch: its every take of the store commits the open batch first. */
static void *
reader_thread(void *arg)
{
	long n, i;

	(void)arg;
	for (i = 0; i < 50; i++) {
		n = 0;
		if (store_audit_each(store, count_row, &n) != STORE_OK)
			return (void *)1;
	}
	return NULL;
}

static void
members_share_commits_and_every_acknowledged_row_is_committed(void)
{
	pthread_t th[THREADS + 1];
	void *bad;
	long i, rows = 0, failures = 0;
	int64_t bad_seq = 0;

	for (i = 0; i < THREADS; i++)
		T_CHECK(pthread_create(&th[i], NULL, member_thread, (void *)(intptr_t)i) == 0);
	T_CHECK(pthread_create(&th[THREADS], NULL, reader_thread, NULL) == 0);
	for (i = 0; i <= THREADS; i++) {
		pthread_join(th[i], &bad);
		failures += (long)(intptr_t)bad;
	}
	T_CHECK(failures == 0);
	T_CHECK(store_audit_each(store, count_row, &rows) == STORE_OK);
	T_CHECK(rows == THREADS * PER_THREAD);
	T_CHECK(audit_verify(store, &bad_seq) == 0 && bad_seq == 0);
}

static int
append_then_fail(void *arg)
{
	append_row(arg);
	return 1;
}

static void
a_failed_member_leaves_nothing_and_the_chain_goes_on(void)
{
	struct member_arg m = { .n = 7, .thread = 98 };
	long before = 0, after = 0;
	int64_t bad_seq = 0;

	T_CHECK(store_audit_each(store, count_row, &before) == STORE_OK);
	T_CHECK(store_group(store, append_then_fail, &m) == STORE_ERROR && m.appended);
	T_CHECK(store_group(store, append_row, &m) == STORE_OK && m.appended);
	T_CHECK(store_audit_each(store, count_row, &after) == STORE_OK);
	T_CHECK(after == before + 1);
	T_CHECK(audit_verify(store, &bad_seq) == 0 && bad_seq == 0);
}

static void
nested_in_a_held_store_runs_without_waiting(void)
{
	struct member_arg m = { .n = 1, .thread = 99 };

	T_CHECK(store_begin(store) == STORE_OK);
	T_CHECK(store_group(store, append_row, &m) == STORE_OK && m.appended);
	T_CHECK(store_commit(store) == STORE_OK);
}

/* store_group_later: told only once its row is committed, and drain waits for every one. */
struct later_arg {
	struct member_arg m;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int told, rc;
	sqlite3 *db;
	int seen;		/* rows of its request id another connection saw when told */
};

static void
told(void *arg, int rc)
{
	struct later_arg *l = arg;
	char id[48];

	snprintf(id, sizeof(id), "req-%ld-%d", l->m.thread, l->m.n);
	l->seen = rows_seen(l->db, id);
	pthread_mutex_lock(&l->mu);
	l->rc = rc;
	l->told = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static void *
later_thread(void *arg)
{
	struct later_arg l = { .m = { .thread = 200 + (long)(intptr_t)arg } };
	struct store_member *sm;
	long bad = 0;

	pthread_mutex_init(&l.mu, NULL);
	pthread_cond_init(&l.cv, NULL);
	if (sqlite3_open_v2(path, &l.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return (void *)1;
	sqlite3_busy_timeout(l.db, 5000);
	for (l.m.n = 0; l.m.n < PER_THREAD; l.m.n++) {
		l.told = 0;
		if ((sm = store_group_reserve(store)) == NULL) {
			bad++;
			continue;
		}
		store_group_later(store, sm, append_row, &l.m, told, &l);
		pthread_mutex_lock(&l.mu);
		while (!l.told)
			pthread_cond_wait(&l.cv, &l.mu);
		pthread_mutex_unlock(&l.mu);
		if (l.rc != STORE_OK || !l.m.appended || l.seen != 1)
			bad++;
	}
	sqlite3_close(l.db);
	pthread_cond_destroy(&l.cv);
	pthread_mutex_destroy(&l.mu);
	return (void *)(intptr_t)bad;
}

static void
later_members_are_told_after_their_commit_and_share_batches_with_waiters(void)
{
	pthread_t th[2 * THREADS];
	void *bad;
	long i, failures = 0;
	int64_t bad_seq = 0;

	for (i = 0; i < THREADS; i++) {
		T_CHECK(pthread_create(&th[i], NULL, later_thread, (void *)(intptr_t)i) == 0);
		T_CHECK(pthread_create(&th[THREADS + i], NULL, member_thread,
		    (void *)(intptr_t)(100 + i)) == 0);
	}
	for (i = 0; i < 2 * THREADS; i++) {
		pthread_join(th[i], &bad);
		failures += (long)(intptr_t)bad;
	}
	T_CHECK(failures == 0);
	T_CHECK(audit_verify(store, &bad_seq) == 0 && bad_seq == 0);
	/* Drained, the store reserves no more; callers then use store_group. */
	store_group_drain(store);
	T_CHECK(store_group_reserve(store) == NULL);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/group.db", dir);
	if (store_open(path, 1, &store) != STORE_OK)
		return 1;
	T_RUN(members_share_commits_and_every_acknowledged_row_is_committed);
	T_RUN(a_failed_member_leaves_nothing_and_the_chain_goes_on);
	T_RUN(nested_in_a_held_store_runs_without_waiting);
	T_RUN(later_members_are_told_after_their_commit_and_share_batches_with_waiters);
	store_close(&store);
	unlink(path);
	snprintf(path, sizeof(path), "%s/group.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/group.db-shm", dir);
	unlink(path);
	rmdir(dir);
	T_EXIT();
}
