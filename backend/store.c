/* The storage interface over SQLite: one connection, serialised by one mutex, WAL, foreign keys on. */
#include "backend/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "backend/audit.h"
#include "backend/schema.h"
#include "backend/store_impl.h"

static void
lock(struct store *s)
{
	pthread_mutex_lock(&s->mu);
	s->holds++;
}

static void
unlock(struct store *s)
{
	s->holds--;
	pthread_mutex_unlock(&s->mu);
}

static void
text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Copy a text column, truncating to the buffer (ids are bounded by the schema's writers). */
static void
col(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	size_t n = v ? strnlen(v, size - 1) : 0;

	/* Not snprintf: a decision copies some forty columns, and formatting showed in profiles. */
	memcpy(buf, v ? v : "", n);
	buf[n] = '\0';
}

/* Step a statement that returns no rows; finalises it. */
static int
run(struct store *s, sqlite3_stmt *st)
{
	int rc;

	if (st == NULL)
		return STORE_ERROR;
	rc = sqlite3_step(st);
	store_done(s, st);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	fprintf(stderr, "chartgated: store: %s\n", sqlite3_errmsg(s->db));
	return STORE_ERROR;
}

static int
exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "chartgated: store: %s: %s\n", err ? err : "?", sql);
		sqlite3_free(err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static void worker_stop(struct store *);

int
store_open(const char *path, int must_create, struct store **out)
{
	struct store *s;
	struct stat sb;
	pthread_mutexattr_t ma;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (must_create) {
		if (stat(path, &sb) == 0) {
			fprintf(stderr, "chartgated: %s exists; refusing to overwrite it\n", path);
			return STORE_CONFLICT;
		}
		flags |= SQLITE_OPEN_CREATE;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return STORE_ERROR;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_mutex_init(&s->gmu, NULL);
	pthread_cond_init(&s->worker_wake, NULL);
	pthread_cond_init(&s->drained, NULL);
	s->queue_tail = &s->queue;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "chartgated: cannot open %s: %s\n", path,
		    s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (exec(s, "PRAGMA foreign_keys = ON") != STORE_OK ||
	    exec(s, "PRAGMA journal_mode = WAL") != STORE_OK ||
	    exec(s, "PRAGMA synchronous = NORMAL") != STORE_OK ||
	    /* Sorts and temporary b-trees of the desks' queries stay off the disk; the page cache
	     * (16 MiB, default 2) holds the hot indexes of a decision as the audit table grows. */
	    exec(s, "PRAGMA temp_store = MEMORY") != STORE_OK ||
	    exec(s, "PRAGMA cache_size = -16384") != STORE_OK)
		goto fail;
	if (schema_migrate(s->db) != 0)
		goto fail;
	*out = s;
	return STORE_OK;
fail:
	store_close(&s);
	return STORE_ERROR;
}

void
store_close(struct store **sp)
{
	struct store *s = *sp;

	if (s == NULL)
		return;
	worker_stop(s);
	store_stmts_free(s);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->gmu);
	pthread_cond_destroy(&s->worker_wake);
	pthread_cond_destroy(&s->drained);
	free(s);
	*sp = NULL;
}

/* One step of a statement without rows (BEGIN, COMMIT, a savepoint), through the cache. */
static int
tx(struct store *s, const char *sql)
{
	return run(s, store_prep(s, sql));
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT (the one WAL commit, taken
 * under the mutex so writers never meet SQLITE_BUSY), inner ones are savepoints, so a decision
 * can hold one transaction around reads and an audit append that has its own. */
int
store_begin(struct store *s)
{
	lock(s);
	if (tx(s, s->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested") != STORE_OK) {
		unlock(s);
		return STORE_ERROR;
	}
	s->depth++;
	return STORE_OK;
}

int
store_commit(struct store *s)
{
	int rc;

	if (--s->depth > 0)
		rc = tx(s, "RELEASE nested");
	else if ((rc = tx(s, "COMMIT")) != STORE_OK)
		tx(s, "ROLLBACK");	/* never leave the connection inside a failed transaction */
	unlock(s);
	return rc;
}

int
store_rollback(struct store *s)
{
	int rc;

	if (--s->depth > 0) {
		rc = tx(s, "ROLLBACK TO nested");
		if (tx(s, "RELEASE nested") != STORE_OK)
			rc = STORE_ERROR;
	} else
		rc = tx(s, "ROLLBACK");
	unlock(s);
	return rc;
}

/* Take the members queued so far, up to a batch's worth, onto the end of *tail (under gmu). */
static size_t
take_queue(struct store *s, struct store_member ***tail, size_t have)
{
	struct store_member *m;

	for (; have < STORE_BATCH_MAX && (m = s->queue) != NULL; have++) {
		s->queue = m->next;
		if (s->queue == NULL)
			s->queue_tail = &s->queue;
		m->next = NULL;
		**tail = m;
		*tail = &m->next;
	}
	return have;
}

/* One member inside a savepoint of the open batch: STORE_OK when its work stays in the
 * batch, else (fn failed, or the savepoint did) its work is undone and the rest kept. */
static int
member_run(struct store *s, struct store_member *m)
{
	int failed;

	if (tx(s, "SAVEPOINT member") != STORE_OK)
		return STORE_ERROR;
	s->depth = 1;		/* fn's own transactions nest as savepoints */
	failed = m->fn(m->arg);
	s->depth = 0;
	if (!failed && tx(s, "RELEASE member") == STORE_OK)
		return STORE_OK;
	tx(s, "ROLLBACK TO member");
	tx(s, "RELEASE member");
	return STORE_ERROR;
}

/* Run the queued members in one transaction, taking those that arrive meanwhile, and
 * COMMIT it (under mu, which no other user of the store can take in between, so nothing
 * outside the batch reads or joins its uncommitted work). Returns the COMMIT's result; a
 * transaction SQLite rolled back half-way (an I/O error or a full disk can do that) fails
 * the whole batch, and the members after that point are not run. */
static int
batch_run(struct store *s, struct store_member **list)
{
	struct store_member **tail = list, *m;
	size_t n;
	int rc = STORE_ERROR;

	lock(s);
	pthread_mutex_lock(&s->gmu);
	n = take_queue(s, &tail, 0);
	pthread_mutex_unlock(&s->gmu);
	if (tx(s, "BEGIN IMMEDIATE") != STORE_OK)
		goto out;
	for (m = *list; m != NULL; m = m->next) {
		m->rc = member_run(s, m);
		if (sqlite3_get_autocommit(s->db))
			goto out;	/* its transaction is gone */
		if (m->next == NULL) {
			pthread_mutex_lock(&s->gmu);
			n = take_queue(s, &tail, n);
			pthread_mutex_unlock(&s->gmu);
		}
	}
	if ((rc = tx(s, "COMMIT")) != STORE_OK)
		tx(s, "ROLLBACK");	/* never leave the connection inside a failed transaction */
out:
	if (rc != STORE_OK && !sqlite3_get_autocommit(s->db))
		tx(s, "ROLLBACK");
	unlock(s);
	return rc;
}

/* Tell a batch's members how it went (under gmu), and hand the combining on to a waiter:
 * the store's thread when the next member is store_group_later's. Returns the members of
 * store_group_later, to be told by the caller once it has let go of gmu. */
static struct store_member *
batch_done(struct store *s, struct store_member *list, int rc)
{
	struct store_member *m, *next, *later = NULL;

	for (m = list; m != NULL; m = next) {
		next = m->next;		/* m's owner may return, and m go, once done is seen */
		if (rc != STORE_OK)
			m->rc = STORE_ERROR;
		m->done = 1;
		if (m->told != NULL) {
			m->next = later;
			later = m;
		} else
			pthread_cond_signal(&m->wake);
	}
	s->combining = 0;
	if (s->queue != NULL && s->queue->told == NULL)
		pthread_cond_signal(&s->queue->wake);
	else
		pthread_cond_signal(&s->worker_wake);
	return later;
}

/* Tell store_group_later's members, without gmu (told may take locks of its own). */
static void
tell(struct store *s, struct store_member *later)
{
	struct store_member *m, *next;
	size_t n = 0;

	for (m = later; m != NULL; m = next, n++) {
		next = m->next;
		m->told(m->told_arg, m->rc);
		free(m);
	}
	if (n == 0)
		return;
	pthread_mutex_lock(&s->gmu);
	s->later -= n;
	if (s->later == 0)
		pthread_cond_broadcast(&s->drained);
	pthread_mutex_unlock(&s->gmu);
}

/* Run the queue as the combiner (called with gmu, returns with it): one batch. */
static void
combine(struct store *s)
{
	struct store_member *list = NULL, *later;
	int rc;

	s->combining = 1;
	pthread_mutex_unlock(&s->gmu);
	rc = batch_run(s, &list);
	pthread_mutex_lock(&s->gmu);
	later = batch_done(s, list, rc);
	if (later != NULL) {
		pthread_mutex_unlock(&s->gmu);
		tell(s, later);
		pthread_mutex_lock(&s->gmu);
	}
}

/* The store's thread: combines whenever members are queued and nobody else combines. */
static void *
worker(void *arg)
{
	struct store *s = arg;

	pthread_mutex_lock(&s->gmu);
	while (!s->stopping || s->queue != NULL) {
		if (s->queue != NULL && !s->combining)
			combine(s);
		else
			pthread_cond_wait(&s->worker_wake, &s->gmu);
	}
	pthread_mutex_unlock(&s->gmu);
	return NULL;
}

struct store_member *
store_group_reserve(struct store *s)
{
	struct store_member *m = NULL;

	pthread_mutex_lock(&s->gmu);
	if (!s->worker_started && !s->draining &&
	    pthread_create(&s->worker, NULL, worker, s) == 0)
		s->worker_started = 1;
	if (s->worker_started && !s->draining && (m = calloc(1, sizeof(*m))) != NULL)
		s->later++;
	pthread_mutex_unlock(&s->gmu);
	return m;
}

void
store_group_later(struct store *s, struct store_member *m, int (*fn)(void *), void *arg,
    void (*told)(void *, int), void *told_arg)
{
	m->fn = fn;
	m->arg = arg;
	m->rc = STORE_ERROR;
	m->told = told;
	m->told_arg = told_arg;
	pthread_mutex_lock(&s->gmu);
	*s->queue_tail = m;
	s->queue_tail = &m->next;
	if (!s->combining)
		pthread_cond_signal(&s->worker_wake);
	pthread_mutex_unlock(&s->gmu);
}

void
store_group_drain(struct store *s)
{
	pthread_mutex_lock(&s->gmu);
	s->draining = 1;
	while (s->later > 0)
		pthread_cond_wait(&s->drained, &s->gmu);
	pthread_mutex_unlock(&s->gmu);
}

/* Before the store closes: its thread finishes what is queued and ends. */
static void
worker_stop(struct store *s)
{
	int started;

	pthread_mutex_lock(&s->gmu);
	s->stopping = 1;
	s->draining = 1;
	started = s->worker_started;
	pthread_cond_signal(&s->worker_wake);
	pthread_mutex_unlock(&s->gmu);
	if (started)
		pthread_join(s->worker, NULL);
}

/* The caller holds the store already: fn as a nested transaction of its own, no waiting. */
static int
group_nested(struct store *s, int (*fn)(void *), void *arg)
{
	if (store_begin(s) != STORE_OK)
		return STORE_ERROR;
	if (fn(arg) != 0) {
		store_rollback(s);
		return STORE_ERROR;
	}
	return store_commit(s);
}

/* The caller's own hold of mu, if any (a recursive trylock succeeds for its owner). */
static int
held_by_caller(struct store *s)
{
	int held;

	if (pthread_mutex_trylock(&s->mu) != 0)
		return 0;
	held = s->holds > 0;
	pthread_mutex_unlock(&s->mu);
	return held;
}

/* One COMMIT (one WAL write and its lock calls) for as many decisions as arrive while the
 * store is busy. Callers queue their member; one of them at a time, the combiner, runs
 * the whole queue back to back in one transaction and commits it, while the others sleep
 * once, until their batch's COMMIT is known. Members run on the combiner's thread: a
 * waiter's one sleep replaces a wait for mu and another for the commit, and mu passes
 * from member to member without a thread switch. */
int
store_group(struct store *s, int (*fn)(void *), void *arg)
{
	struct store_member m = { .fn = fn, .arg = arg, .rc = STORE_ERROR };

	if (held_by_caller(s))
		return group_nested(s, fn, arg);
	pthread_cond_init(&m.wake, NULL);
	pthread_mutex_lock(&s->gmu);
	*s->queue_tail = &m;
	s->queue_tail = &m.next;
	while (!m.done) {
		if (s->combining)
			pthread_cond_wait(&m.wake, &s->gmu);
		else
			combine(s);
	}
	pthread_mutex_unlock(&s->gmu);
	pthread_cond_destroy(&m.wake);
	return m.rc;
}

/* ---- challenges ---- */

int
store_challenge_put(struct store *s, const struct challenge *c)
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	/* Expired challenges are useless: sweep them while we are here. */
	st = store_prep(s, "DELETE FROM challenges WHERE expires_at < ?");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, c->expires_at - 3600);
		run(s, st);
	}
	st = store_prep(s, "INSERT INTO challenges (id, challenge, purpose, expires_at, session_id,"
	    " patient_id) VALUES (?,?,?,?,?,?)");
	if (st != NULL) {
		text(st, 1, c->id);
		sqlite3_bind_blob(st, 2, c->bytes, sizeof(c->bytes), SQLITE_TRANSIENT);
		text(st, 3, c->purpose);
		sqlite3_bind_int64(st, 4, c->expires_at);
		text(st, 5, c->session_id);
		text(st, 6, c->patient_id);
	}
	rc = run(s, st);
	unlock(s);
	return rc;
}

int
store_challenge_take(struct store *s, const char *id, struct challenge *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	st = store_prep_locked(s, "SELECT challenge, purpose, expires_at, session_id, patient_id"
	    " FROM challenges WHERE id = ?");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == (int)sizeof(out->bytes)) {
		memset(out, 0, sizeof(*out));
		snprintf(out->id, sizeof(out->id), "%s", id);
		memcpy(out->bytes, sqlite3_column_blob(st, 0), sizeof(out->bytes));
		col(st, 1, out->purpose, sizeof(out->purpose));
		out->expires_at = sqlite3_column_int64(st, 2);
		col(st, 3, out->session_id, sizeof(out->session_id));
		col(st, 4, out->patient_id, sizeof(out->patient_id));
		rc = STORE_OK;
	}
	store_done(s, st);
	if (rc == STORE_OK) {
		st = store_prep(s, "DELETE FROM challenges WHERE id = ?");
		if (st != NULL)
			text(st, 1, id);
		/* Not deleted means not consumed: refuse rather than allow a replay. */
		if (run(s, st) != STORE_OK || sqlite3_changes(s->db) != 1)
			rc = STORE_ERROR;
	}
	unlock(s);
	return rc;
}

/* ---- users and credentials ---- */

int
store_user_get(struct store *s, const char *id, struct user *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	st = store_prep_locked(s, "SELECT u.user_name, u.display_name, u.disabled, r.role"
	    " FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
	    " WHERE u.id = ? ORDER BY r.role");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rc == STORE_NOT_FOUND) {
			snprintf(out->id, sizeof(out->id), "%s", id);
			col(st, 0, out->user_name, sizeof(out->user_name));
			col(st, 1, out->display_name, sizeof(out->display_name));
			out->disabled = sqlite3_column_int(st, 2);
			rc = STORE_OK;
		}
		if (sqlite3_column_type(st, 3) != SQLITE_NULL && out->roles.n < ROLES_MAX) {
			col(st, 3, out->roles.v[out->roles.n], sizeof(out->roles.v[0]));
			out->roles.n++;
		}
	}
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_credential_get(struct store *s, const char *id, struct credential *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	st = store_prep_locked(s, "SELECT user_id, public_key, sign_count, revoked_at IS NOT NULL"
	    " FROM credentials WHERE id = ?");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 64) {
		snprintf(out->id, sizeof(out->id), "%s", id);
		col(st, 0, out->user_id, sizeof(out->user_id));
		memcpy(out->pubkey, sqlite3_column_blob(st, 1), 64);
		out->sign_count = (uint32_t)sqlite3_column_int64(st, 2);
		out->revoked = sqlite3_column_int(st, 3);
		rc = STORE_OK;
	}
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_credential_set_count(struct store *s, const char *id, uint32_t from, uint32_t to)
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	st = store_prep(s, "UPDATE credentials SET sign_count = ? WHERE id = ? AND sign_count = ?");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, to);
		text(st, 2, id);
		sqlite3_bind_int64(st, 3, from);
	}
	rc = run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
		rc = STORE_CONFLICT;
	unlock(s);
	return rc;
}

/* ---- sessions ---- */

static void
session_from_row(sqlite3_stmt *st, struct session *out)
{
	memset(out, 0, sizeof(*out));
	col(st, 0, out->id, sizeof(out->id));
	col(st, 1, out->user_id, sizeof(out->user_id));
	col(st, 2, out->workstation, sizeof(out->workstation));
	out->created_at = sqlite3_column_int64(st, 3);
	out->last_seen_at = sqlite3_column_int64(st, 4);
	out->expires_at = sqlite3_column_int64(st, 5);
	col(st, 6, out->cert_sha256, sizeof(out->cert_sha256));
}

#define SESSION_COLS "id, user_id, workstation, created_at, last_seen_at, expires_at," \
	" client_cert_sha256"

int
store_session_find_live(struct store *s, const char *user_id, const char *workstation,
    int64_t now, int64_t idle_ttl, struct session *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	lock(s);
	st = store_prep(s, "SELECT " SESSION_COLS " FROM sessions WHERE user_id = ? AND workstation = ?"
	    " AND ended_at IS NULL AND expires_at > ? AND last_seen_at + ? > ?"
	    " ORDER BY created_at DESC LIMIT 1");
	if (st == NULL) {
		unlock(s);
		return STORE_ERROR;
	}
	text(st, 1, user_id);
	text(st, 2, workstation);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, idle_ttl);
	sqlite3_bind_int64(st, 5, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		session_from_row(st, out);
		rc = STORE_OK;
	}
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_session_create(struct store *s, const struct session *se, const unsigned char hash[32])
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	st = store_prep(s, "INSERT INTO sessions (id, user_id, workstation, token_hash, created_at,"
	    " last_seen_at, expires_at, client_cert_sha256) VALUES (?,?,?,?,?,?,?,?)");
	if (st != NULL) {
		text(st, 1, se->id);
		text(st, 2, se->user_id);
		text(st, 3, se->workstation);
		sqlite3_bind_blob(st, 4, hash, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, se->created_at);
		sqlite3_bind_int64(st, 6, se->last_seen_at);
		sqlite3_bind_int64(st, 7, se->expires_at);
		text(st, 8, se->cert_sha256);
	}
	rc = run(s, st);
	unlock(s);
	return rc;
}

int
store_session_rotate(struct store *s, const char *id, const unsigned char hash[32], int64_t now,
    const char *cert_sha256)
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	st = store_prep(s, "UPDATE sessions SET token_hash = ?, last_seen_at = ?, client_cert_sha256 = ?"
	    " WHERE id = ? AND ended_at IS NULL");
	if (st != NULL) {
		sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, now);
		text(st, 3, cert_sha256);
		text(st, 4, id);
	}
	rc = run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
		rc = STORE_NOT_FOUND;
	unlock(s);
	return rc;
}

int
store_session_by_token(struct store *s, const unsigned char hash[32], struct session *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	lock(s);
	st = store_prep(s, "SELECT " SESSION_COLS " FROM sessions WHERE token_hash = ? AND ended_at IS NULL");
	if (st == NULL) {
		unlock(s);
		return STORE_ERROR;
	}
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		session_from_row(st, out);
		rc = STORE_OK;
	}
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_session_touch(struct store *s, const char *id, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	st = store_prep(s, "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, now);
		text(st, 2, id);
		sqlite3_bind_int64(st, 3, now);
	}
	rc = run(s, st);
	unlock(s);
	return rc;
}

int
store_session_end(struct store *s, const char *id, int64_t now, const char *reason)
{
	sqlite3_stmt *st;
	int rc;

	lock(s);
	st = store_prep(s, "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, now);
		text(st, 2, reason);
		text(st, 3, id);
	}
	rc = run(s, st);
	unlock(s);
	return rc;
}

/* ---- clinical ---- */

int
store_worklist(struct store *s, const char *user_id, json_t *arr)
{
	sqlite3_stmt *st;
	int rc = STORE_OK, step;

	st = store_prep_locked(s, "SELECT p.id, p.mrn, p.display_name, p.birth_date, p.sex,"
	    " e.location, u.name, e.status FROM care_team_members c"
	    " JOIN encounters e ON e.id = c.encounter_id"
	    " JOIN patients p ON p.id = e.patient_id"
	    " JOIN units u ON u.id = e.unit_id"
	    " WHERE c.user_id = ? AND e.status = 'in-progress'"
	    " GROUP BY p.id ORDER BY u.name, e.location, p.id");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, user_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (const char *)sqlite3_column_text(st, 0),
		    "mrn", (const char *)sqlite3_column_text(st, 1),
		    "display_name", (const char *)sqlite3_column_text(st, 2),
		    "birth_date", (const char *)sqlite3_column_text(st, 3),
		    "sex", (const char *)sqlite3_column_text(st, 4),
		    "location", (const char *)sqlite3_column_text(st, 5),
		    "unit", (const char *)sqlite3_column_text(st, 6),
		    "encounter_status", (const char *)sqlite3_column_text(st, 7));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = STORE_ERROR;
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_patient_get(struct store *s, const char *id, struct patient *out)
{
	sqlite3_stmt *st;
	int rc = STORE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	st = store_prep_locked(s, "SELECT mrn, display_name, birth_date, sex, flags FROM patients"
	    " WHERE id = ?");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out->id, sizeof(out->id), "%s", id);
		col(st, 0, out->mrn, sizeof(out->mrn));
		col(st, 1, out->display_name, sizeof(out->display_name));
		col(st, 2, out->birth_date, sizeof(out->birth_date));
		col(st, 3, out->sex, sizeof(out->sex));
		col(st, 4, out->flags, sizeof(out->flags));
		rc = STORE_OK;
	}
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_sections(struct store *s, const char *patient_id,
    int (*fn)(void *arg, const struct section *), void *arg)
{
	sqlite3_stmt *st;
	struct section sec;
	int rc = STORE_OK, step;

	st = store_prep_locked(s, "SELECT id, title, confidentiality, sensitivity FROM chart_sections"
	    " WHERE patient_id = ? ORDER BY position, rowid");	/* as store_chart_items */
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, patient_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&sec, 0, sizeof(sec));
		col(st, 0, sec.id, sizeof(sec.id));
		col(st, 1, sec.title, sizeof(sec.title));
		col(st, 2, sec.confidentiality, sizeof(sec.confidentiality));
		col(st, 3, sec.sensitivity, sizeof(sec.sensitivity));
		if (fn(arg, &sec) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = STORE_ERROR;
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_section_items(struct store *s, const char *section_id, json_t *arr)
{
	sqlite3_stmt *st;
	int rc = STORE_OK, step;

	st = store_prep_locked(s, "SELECT label, value, time FROM chart_items WHERE section_id = ?"
	    " ORDER BY position");
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, section_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_pack("{s:s, s:s}",
		    "label", (const char *)sqlite3_column_text(st, 0),
		    "value", (const char *)sqlite3_column_text(st, 1));
		if (o != NULL && sqlite3_column_type(st, 2) != SQLITE_NULL)
			json_object_set_new(o, "time",
			    json_string((const char *)sqlite3_column_text(st, 2)));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = STORE_ERROR;
	store_done(s, st);
	unlock(s);
	return rc;
}

int
store_chart_items(struct store *s, const char *patient_id,
    int (*fn)(void *arg, const struct chart_item *), void *arg)
{
	sqlite3_stmt *st;
	struct chart_item it;
	int rc = STORE_OK, step;

	st = store_prep_locked(s, "SELECT i.section_id, i.label, i.value, i.time FROM chart_sections c"
	    " JOIN chart_items i ON i.section_id = c.id WHERE c.patient_id = ?"
	    " ORDER BY c.position, c.rowid, i.position");	/* the indexes' order: no sort */
	if (st == NULL)
		return STORE_ERROR;
	text(st, 1, patient_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		it.section_id = (const char *)sqlite3_column_text(st, 0);
		it.label = (const char *)sqlite3_column_text(st, 1);
		it.value = (const char *)sqlite3_column_text(st, 2);
		it.time = (const char *)sqlite3_column_text(st, 3);
		if (it.section_id == NULL || it.label == NULL || it.value == NULL || fn(arg, &it) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = STORE_ERROR;
	store_done(s, st);
	unlock(s);
	return rc;
}

/* ---- audit ---- */

/* The chain's tail: the next seq and the hash to link to. */
static int
audit_tail(struct store *s, struct audit_row *r)
{
	sqlite3_stmt *st = store_prep(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");

	if (st == NULL)
		return STORE_ERROR;
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->seq = sqlite3_column_int64(st, 0) + 1;
		col(st, 1, r->prev_hash, sizeof(r->prev_hash));
	} else {
		r->seq = 1;
		memcpy(r->prev_hash, audit_genesis, AUDIT_HASH_HEX);
	}
	store_done(s, st);
	return STORE_OK;
}

static int
audit_insert(struct store *s, const struct audit_row *r)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO audit (seq, time, kind, user_id, workstation,"
	    " patient_id, sections, purpose, decision, rule, path, request_id, prev_hash, hash, detail)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, r->seq);
		text(st, 2, r->time);
		text(st, 3, r->kind);
		text(st, 4, r->user_id);
		text(st, 5, r->workstation);
		text(st, 6, r->patient_id);
		text(st, 7, r->sections);
		text(st, 8, r->purpose);
		text(st, 9, r->decision);
		text(st, 10, r->rule);
		text(st, 11, r->path);
		text(st, 12, r->request_id);
		text(st, 13, r->prev_hash);
		text(st, 14, r->hash);
		text(st, 15, r->detail);
	}
	return run(s, st);
}

/* Read the chain's tail and append under one lock and one transaction, so two requests can
 * never link to the same predecessor. Inside a caller's transaction (a decision's) that is
 * the caller's, and no savepoint of its own is needed: the read writes nothing and a failed
 * INSERT undoes itself; outside one it begins its own. */
int
store_audit_append(struct store *s, struct audit_row *r)
{
	int own, rc;

	lock(s);
	own = s->depth == 0;
	if (own && store_begin(s) != STORE_OK) {
		unlock(s);
		return STORE_ERROR;
	}
	if ((rc = audit_tail(s, r)) == STORE_OK) {
		audit_row_hash(r, r->prev_hash, r->hash);
		rc = audit_insert(s, r);
	}
	if (own && rc == STORE_OK)
		rc = store_commit(s);
	else if (own)
		store_rollback(s);
	unlock(s);
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
store_audit_each(struct store *s, int (*fn)(void *arg, const struct audit_row *), void *arg)
{
	sqlite3_stmt *st;
	struct audit_row r;
	int step;

	st = store_prep_locked(s, "SELECT seq, time, kind, user_id, workstation, patient_id,"
	    " sections, purpose, decision, rule, path, request_id, prev_hash, hash, detail"
	    " FROM audit ORDER BY seq");
	if (st == NULL)
		return STORE_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.seq = sqlite3_column_int64(st, 0);
		col(st, 1, r.time, sizeof(r.time));
		col(st, 2, r.kind, sizeof(r.kind));
		col(st, 3, r.user_id, sizeof(r.user_id));
		col(st, 4, r.workstation, sizeof(r.workstation));
		col(st, 5, r.patient_id, sizeof(r.patient_id));
		col(st, 6, r.sections, sizeof(r.sections));
		col(st, 7, r.purpose, sizeof(r.purpose));
		col(st, 8, r.decision, sizeof(r.decision));
		col(st, 9, r.rule, sizeof(r.rule));
		col(st, 10, r.path, sizeof(r.path));
		col(st, 11, r.request_id, sizeof(r.request_id));
		col(st, 12, r.prev_hash, sizeof(r.prev_hash));
		col(st, 13, r.hash, sizeof(r.hash));
		col(st, 14, r.detail, sizeof(r.detail));
		if (fn(arg, &r) != 0)
			break;
	}
	store_done(s, st);
	unlock(s);
	return (step == SQLITE_ROW || step == SQLITE_DONE) ? STORE_OK : STORE_ERROR;
}

/* ---- demo seed writers ---- */

int
store_put_unit(struct store *s, const char *id, const char *name)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO units (id, name) VALUES (?,?)");

	if (st != NULL) {
		text(st, 1, id);
		text(st, 2, name);
	}
	return run(s, st);
}

int
store_put_workstation(struct store *s, const char *id, const char *unit_id, const char *label)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO workstations (id, unit_id, label) VALUES (?,?,?)");

	if (st != NULL) {
		text(st, 1, id);
		text(st, 2, unit_id);
		text(st, 3, label);
	}
	return run(s, st);
}

int
store_put_user(struct store *s, const struct user *u)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO users (id, user_name, display_name, disabled)"
	    " VALUES (?,?,?,?)");
	size_t i;
	int rc;

	if (st != NULL) {
		text(st, 1, u->id);
		text(st, 2, u->user_name);
		text(st, 3, u->display_name);
		sqlite3_bind_int(st, 4, u->disabled);
	}
	if ((rc = run(s, st)) != STORE_OK)
		return rc;
	for (i = 0; i < u->roles.n; i++) {
		st = store_prep(s, "INSERT INTO user_roles (user_id, role) VALUES (?,?)");
		if (st != NULL) {
			text(st, 1, u->id);
			text(st, 2, u->roles.v[i]);
		}
		if ((rc = run(s, st)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int
store_put_credential(struct store *s, const struct credential *c, int64_t now)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO credentials (id, user_id, public_key, sign_count,"
	    " created_at) VALUES (?,?,?,?,?)");

	if (st != NULL) {
		text(st, 1, c->id);
		text(st, 2, c->user_id);
		sqlite3_bind_blob(st, 3, c->pubkey, sizeof(c->pubkey), SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, c->sign_count);
		sqlite3_bind_int64(st, 5, now);
	}
	return run(s, st);
}

int
store_put_patient(struct store *s, const struct patient *p)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO patients (id, mrn, display_name, birth_date, sex, flags)"
	    " VALUES (?,?,?,?,?,?)");

	if (st != NULL) {
		text(st, 1, p->id);
		text(st, 2, p->mrn);
		text(st, 3, p->display_name);
		text(st, 4, p->birth_date);
		text(st, 5, p->sex);
		text(st, 6, p->flags);
	}
	return run(s, st);
}

int
store_put_encounter(struct store *s, const char *id, const char *patient_id, const char *unit_id,
    const char *location, const char *status, int64_t start, int64_t end)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO encounters (id, patient_id, unit_id, location, status,"
	    " started_at, ended_at) VALUES (?,?,?,?,?,?,?)");

	if (st != NULL) {
		text(st, 1, id);
		text(st, 2, patient_id);
		text(st, 3, unit_id);
		text(st, 4, location);
		text(st, 5, status);
		sqlite3_bind_int64(st, 6, start);
		if (end > 0)
			sqlite3_bind_int64(st, 7, end);
		else
			sqlite3_bind_null(st, 7);
	}
	return run(s, st);
}

int
store_put_care_team(struct store *s, const char *encounter_id, const char *user_id, const char *role)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO care_team_members (encounter_id, user_id, role)"
	    " VALUES (?,?,?)");

	if (st != NULL) {
		text(st, 1, encounter_id);
		text(st, 2, user_id);
		text(st, 3, role);
	}
	return run(s, st);
}

int
store_put_section(struct store *s, const char *patient_id, int position, const struct section *sec)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO chart_sections (id, patient_id, position, title,"
	    " confidentiality, sensitivity) VALUES (?,?,?,?,?,?)");

	if (st != NULL) {
		text(st, 1, sec->id);
		text(st, 2, patient_id);
		sqlite3_bind_int(st, 3, position);
		text(st, 4, sec->title);
		text(st, 5, sec->confidentiality);
		text(st, 6, sec->sensitivity);
	}
	return run(s, st);
}

int
store_put_item(struct store *s, const char *section_id, int position, const char *label,
    const char *value, const char *time)
{
	sqlite3_stmt *st = store_prep(s, "INSERT INTO chart_items (section_id, position, label, value, time)"
	    " VALUES (?,?,?,?,?)");

	if (st != NULL) {
		text(st, 1, section_id);
		sqlite3_bind_int(st, 2, position);
		text(st, 3, label);
		text(st, 4, value);
		if (time != NULL)
			text(st, 5, time);
		else
			sqlite3_bind_null(st, 5);
	}
	return run(s, st);
}

/* ---- for the store's other files (store_impl.h) ---- */

void
store_lock(struct store *s)
{
	lock(s);
}

void
store_unlock(struct store *s)
{
	unlock(s);
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	text(st, i, v);
}

void
store_col(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	col(st, i, buf, size);
}

int
store_run(struct store *s, sqlite3_stmt *st)
{
	return run(s, st);
}
