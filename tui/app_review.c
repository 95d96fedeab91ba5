/* The reviewer desk's lists as windows of pages (a 100,000-event queue keeps three pages), its desks per session and its fetch bookkeeping; one event's actions are in app_review_act.c. */
#include "tui/app_review.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "tui/app.h"
#include "tui/app_review_int.h"
#include "tui/loop.h"

#define PREFETCH_ROWS 50	/* ask for the next page this close to the end of what is loaded */

const char *const app_review_choices[3] = { "appropriate", "inappropriate", "needs_followup" };
const char *const app_review_choice_words[3] = { "Appropriate", "Inappropriate", "Needs follow-up" };
static const char *const status_arg[3] = { "open", "in_review", "closed" };
static const char *const sort_arg[2] = { "risk", "age" };
static const char *const flag_arg[4] = { NULL, "stale", "overbroad", "long_lived" };
static const char *const subject_arg[3] = { NULL, "person", "service" };

/* ---- lists as windows of pages ---- */

/* How one list's pages look; the rest of the pager does not know the row type. */
struct pager_ops {
	size_t (*count)(const void *page);
	const void *(*row)(const void *page, size_t i);
	const char *(*next)(const void *page);
	long long (*total)(const void *page);
	void (*free)(void *page);
	int (*fetch)(struct app *, const char *cursor, void *f, unsigned *req);
};

struct pager {
	char **cursor;		/* cursor[p] asks for page p; cursor[0] is NULL */
	long *start;		/* start[p]: the row index page p begins at */
	size_t n, cap;		/* pages whose cursor is known; the last is not loaded yet */
	long end;		/* rows in all once the last page came; -1 before */
	long long total;
	struct { long page; void *res; } kept[REVIEW_PAGES_KEPT];
	long fetching;		/* page in flight, -1 none */
	long view_first, view_last;
	int loaded;
	char error[512];
};

static struct {
	struct review_desk desks[APP_MAX_SESSIONS];
	struct pager lists[REVIEW_LISTS];
	unsigned lgen[REVIEW_LISTS];
	unsigned req[RF_N];
	struct rfetch pool[RF_N];
} rv;

static const struct pager_ops *const list_ops[REVIEW_LISTS];

/* ---- fetch bookkeeping (the app's own pattern: gen drops stale replies) ---- */

struct rfetch *
review_rf_begin(struct app *app, enum rf kind, unsigned lgen, long page)
{
	struct rfetch *f = &rv.pool[kind];

	if (rv.req[kind]) {
		api_cancel(app->http, rv.req[kind]);
		rv.req[kind] = 0;
		app->data.loading--;
	}
	*f = (struct rfetch){ app, app->gen, lgen, kind, page };
	return f;
}

int
review_rf_started(struct app *app, enum rf kind, int rc, unsigned req)
{
	if (rc != API_OK) {
		app_message(app, ROLE_ERROR, "Could not send the request: %s", api_strerror(rc));
		return -1;
	}
	rv.req[kind] = req;
	app->data.loading++;
	app_busy_update(app);
	return 0;
}

/* 1 when the reply still belongs on screen. */
int
review_rf_end(struct rfetch *f)
{
	if (f->gen != f->app->gen)
		return 0;
	rv.req[f->kind] = 0;
	f->app->data.loading--;
	app_busy_update(f->app);
	return 1;
}

/* A 401 means the server ended the session; anything else is said where it happened. */
void
review_rf_failed(struct app *app, const struct api_error *err, char *where, size_t size)
{
	if (err->kind == API_ERROR_HTTP && err->status == 401 && !err->step_up) {
		app_sessions_wipe_active(app);
		app_message(app, ROLE_ERROR, "Your session has ended. Tap your badge to sign in again.");
		return;
	}
	if (err->kind == API_ERROR_TRANSPORT)
		log_event(LOG_LEVEL_WARNING, "server unreachable: %s", http_base_url(app->http));
	if (where != NULL)
		snprintf(where, size, "%s", err->message);
	app_message(app, ROLE_ERROR, "%s", err->message);
}

const char *
review_token(struct app *app)
{
	struct clin_session *s = app_session(app);

	return s ? s->token.p : NULL;
}

/* 32 hex digits from the CSPRNG, prefixed. */
void
review_new_key(char *out, size_t size, const char *prefix)
{
	unsigned char b[16];
	size_t i, n;

	if (RAND_bytes(b, sizeof b) != 1)
		for (i = 0; i < sizeof b; i++)	/* never: OpenSSL's CSPRNG failing is fatal elsewhere */
			b[i] = (unsigned char)(rand() ^ (int)loop_now_ms());
	n = (size_t)snprintf(out, size, "%s", prefix);
	for (i = 0; i < sizeof b && n + 2 < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%02x", b[i]);
}

/* ---- desks (per session slot) ---- */

static void
desk_free(struct review_desk *d)
{
	int i;

	field_free(&d->q);
	for (i = 0; i < AUDIT_FIELDS; i++)
		field_free(&d->audit[i]);
	field_free(&d->path);
	field_free(&d->note);
	field_free(&d->reason);
	field_free(&d->until);
	memset(d, 0, sizeof(*d));
}

static int
desk_init(struct review_desk *d, const struct clin_session *s)
{
	int i, rc = 0;

	memset(d, 0, sizeof(*d));
	rc |= field_init(&d->q, 256, 0);
	for (i = 0; i < AUDIT_FIELDS; i++)
		rc |= field_init(&d->audit[i], 256, 0);
	rc |= field_init(&d->path, 4096, 0);
	rc |= field_init(&d->note, 4 * REVIEW_NOTE_MAX, FIELD_MULTILINE);
	rc |= field_init(&d->reason, 4 * REVIEW_NOTE_MAX, 0);
	rc |= field_init(&d->until, 64, 0);
	if (rc != 0) {
		desk_free(d);
		return -1;
	}
	d->owner = s;
	snprintf(d->session_id, sizeof(d->session_id), "%s", s->session_id);
	return 0;
}

struct review_desk *
app_review_desk(struct app *app)
{
	struct clin_session *s = app_session(app);
	struct review_desk *d;

	if (s == NULL)
		return NULL;
	d = &rv.desks[app->active];
	/* A slot reused for another session never inherits a draft. */
	if (d->owner != NULL && (d->owner != s || strcmp(d->session_id, s->session_id) != 0))
		desk_free(d);
	if (d->owner == NULL && desk_init(d, s) != 0)
		return NULL;
	return d;
}

void
app_review_forget(const struct clin_session *s)
{
	int i;

	for (i = 0; i < APP_MAX_SESSIONS; i++)
		if (rv.desks[i].owner == s)
			desk_free(&rv.desks[i]);
}

/* ---- pager ---- */

static void
pager_clear(struct pager *pg, const struct pager_ops *ops)
{
	size_t i;

	for (i = 0; i < pg->n; i++)
		free(pg->cursor[i]);
	free(pg->cursor);
	free(pg->start);
	for (i = 0; i < REVIEW_PAGES_KEPT; i++)
		if (pg->kept[i].res)
			ops->free(pg->kept[i].res);
	memset(pg, 0, sizeof(*pg));
	pg->end = -1;
	pg->total = -1;
	pg->fetching = -1;
	for (i = 0; i < REVIEW_PAGES_KEPT; i++)
		pg->kept[i].page = -1;
}

/* Room for page n's cursor and start. */
static int
pager_grow(struct pager *pg)
{
	size_t cap = pg->cap ? pg->cap * 2 : 16;
	char **c;
	long *s;

	if (pg->n < pg->cap)
		return 0;
	if ((c = realloc(pg->cursor, cap * sizeof(*c))) == NULL)
		return -1;
	pg->cursor = c;
	if ((s = realloc(pg->start, cap * sizeof(*s))) == NULL)
		return -1;
	pg->start = s;
	pg->cap = cap;
	return 0;
}

static long
pager_rows(const struct pager *pg)
{
	if (pg->end >= 0)
		return pg->end;
	return pg->n ? pg->start[pg->n - 1] : 0;
}

/* The page holding row idx (binary search over the starts). */
static long
page_of(const struct pager *pg, long idx)
{
	size_t lo = 0, hi = pg->n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (pg->start[mid] <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

static int
kept_slot(const struct pager *pg, long page)
{
	int i;

	for (i = 0; i < REVIEW_PAGES_KEPT; i++)
		if (pg->kept[i].res != NULL && pg->kept[i].page == page)
			return i;
	return -1;
}

static void pager_want(struct app *, enum review_list);

/* Keeps res as page p, dropping the kept page farthest from the view. */
static void
pager_keep(struct pager *pg, const struct pager_ops *ops, long p, void *res)
{
	long centre = page_of(pg, (pg->view_first + pg->view_last) / 2), far = -1, d;
	int i, victim = 0;

	if ((i = kept_slot(pg, p)) >= 0) {
		ops->free(pg->kept[i].res);
		pg->kept[i].res = res;
		return;
	}
	for (i = 0; i < REVIEW_PAGES_KEPT; i++) {
		if (pg->kept[i].res == NULL) {
			victim = i;
			break;
		}
		d = labs(pg->kept[i].page - centre);
		if (d > far) {
			far = d;
			victim = i;
		}
	}
	if (pg->kept[victim].res)
		ops->free(pg->kept[victim].res);
	pg->kept[victim].page = p;
	pg->kept[victim].res = res;
}

static void
pager_reply(struct rfetch *f, enum review_list l, void *res, const struct api_error *err)
{
	const struct pager_ops *ops = list_ops[l];
	struct pager *pg = &rv.lists[l];
	const char *next;
	long p = f->page;

	if (!review_rf_end(f) || f->lgen != rv.lgen[l]) {
		if (res)
			ops->free(res);
		return;
	}
	pg->fetching = -1;
	if (err != NULL) {
		review_rf_failed(f->app, err, pg->error, sizeof(pg->error));
		return;
	}
	pg->error[0] = '\0';
	pg->loaded = 1;
	if (ops->total(res) >= 0)
		pg->total = ops->total(res);
	if ((size_t)p == pg->n - 1 && pg->end < 0) {	/* the frontier: learn where the next begins */
		next = ops->next(res);
		if (next == NULL || ops->count(res) == 0)
			pg->end = pg->start[p] + (long)ops->count(res);
		else if (pager_grow(pg) == 0 && (pg->cursor[pg->n] = strdup(next)) != NULL) {
			pg->start[pg->n] = pg->start[p] + (long)ops->count(res);
			pg->n++;
		}
	}
	pager_keep(pg, ops, p, res);
	pager_want(f->app, l);
}

/* Fetches the first page the view needs that is not in memory, else the next one near the end. */
static void
pager_want(struct app *app, enum review_list l)
{
	struct pager *pg = &rv.lists[l];
	long rows = pager_rows(pg), p, last, want = -1;
	struct rfetch *f;
	unsigned req = 0;
	int rc;

	if (pg->fetching >= 0 || pg->n == 0 || app_session(app) == NULL || pg->error[0])
		return;
	last = pg->view_last < rows ? pg->view_last : rows - 1;
	for (p = page_of(pg, pg->view_first); pg->view_first < rows && p <= page_of(pg, last); p++)
		if (kept_slot(pg, p) < 0) {
			want = p;
			break;
		}
	if (want < 0 && pg->end < 0 && pg->view_last + PREFETCH_ROWS >= rows)
		want = (long)pg->n - 1;
	if (want < 0)
		return;
	f = review_rf_begin(app, (enum rf)l, rv.lgen[l], want);	/* RF_QUEUE.. match the lists */
	rc = list_ops[l]->fetch(app, pg->cursor[want], f, &req);	/* req is set only then */
	if (review_rf_started(app, (enum rf)l, rc, req) == 0)
		pg->fetching = want;
}

void
app_review_reload(struct app *app, enum review_list l)
{
	struct pager *pg = &rv.lists[l];

	if (rv.req[l]) {
		api_cancel(app->http, rv.req[l]);
		rv.req[l] = 0;
		app->data.loading--;
		app_busy_update(app);
	}
	pager_clear(pg, list_ops[l]);
	rv.lgen[l]++;
	if (pager_grow(pg) != 0)
		return;
	pg->cursor[0] = NULL;
	pg->start[0] = 0;
	pg->n = 1;
	pg->view_last = 40;
	pager_want(app, l);
}

void
app_review_view(struct app *app, enum review_list l, long first, long last)
{
	struct pager *pg = &rv.lists[l];

	pg->view_first = first;
	pg->view_last = last;
	if (pg->n == 0)
		app_review_reload(app, l);
	else
		pager_want(app, l);
}

long app_review_rows(struct app *app, enum review_list l) { (void)app; return pager_rows(&rv.lists[l]); }
int app_review_more(struct app *app, enum review_list l) { (void)app; return rv.lists[l].end < 0; }
long long app_review_total(struct app *app, enum review_list l) { (void)app; return rv.lists[l].total; }
int app_review_loaded(struct app *app, enum review_list l) { (void)app; return rv.lists[l].loaded; }
const char *app_review_error(struct app *app, enum review_list l) { (void)app; return rv.lists[l].error; }

size_t
app_review_pages_kept(struct app *app, enum review_list l)
{
	size_t i, n = 0;

	(void)app;
	for (i = 0; i < REVIEW_PAGES_KEPT; i++)
		n += rv.lists[l].kept[i].res != NULL;
	return n;
}

const void *
app_review_row(struct app *app, enum review_list l, long idx)
{
	const struct pager *pg = &rv.lists[l];
	long p;
	int k;

	(void)app;
	if (idx < 0 || idx >= pager_rows(pg))
		return NULL;
	p = page_of(pg, idx);
	if ((k = kept_slot(pg, p)) < 0 ||
	    (size_t)(idx - pg->start[p]) >= list_ops[l]->count(pg->kept[k].res))
		return NULL;
	return list_ops[l]->row(pg->kept[k].res, (size_t)(idx - pg->start[p]));
}

/* ---- the three lists ---- */

static size_t q_count(const void *p) { return ((const struct net_review_list *)p)->n_events; }
static const void *q_row(const void *p, size_t i) { return &((const struct net_review_list *)p)->events[i]; }
static const char *q_next(const void *p) { return ((const struct net_review_list *)p)->next_cursor; }
static long long q_total(const void *p) { return ((const struct net_review_list *)p)->total; }
static void q_free(void *p) { net_review_list_free((struct net_review_list **)&p); }

static void
on_queue(struct net_review_list *res, const struct api_error *err, void *arg)
{
	pager_reply(arg, REVIEW_QUEUE, res, err);
}

static int
q_fetch(struct app *app, const char *cursor, void *f, unsigned *req)
{
	struct review_desk *d = app_review_desk(app);
	struct api_review_query q = { .cursor = cursor, .limit = REVIEW_PAGE };

	if (d == NULL)
		return API_ERR_NOMEM;
	q.status = status_arg[d->status];
	q.sort = sort_arg[d->sort];
	q.q = field_text(&d->q);
	return api_review_events(app->http, review_token(app), &q, on_queue, f, req);
}

static const struct pager_ops queue_ops = { q_count, q_row, q_next, q_total, q_free, q_fetch };

static size_t x_count(const void *p) { return ((const struct net_exception_list *)p)->n_exceptions; }
static const void *x_row(const void *p, size_t i) { return &((const struct net_exception_list *)p)->exceptions[i]; }
static const char *x_next(const void *p) { return ((const struct net_exception_list *)p)->next_cursor; }
static long long no_total(const void *p) { (void)p; return -1; }
static void x_free(void *p) { net_exception_list_free((struct net_exception_list **)&p); }

static void
on_exceptions(struct net_exception_list *res, const struct api_error *err, void *arg)
{
	pager_reply(arg, REVIEW_EXCEPTIONS, res, err);
}

static int
x_fetch(struct app *app, const char *cursor, void *f, unsigned *req)
{
	struct review_desk *d = app_review_desk(app);
	struct api_exception_query q = { .cursor = cursor, .limit = REVIEW_PAGE };

	if (d == NULL)
		return API_ERR_NOMEM;
	q.flag = flag_arg[d->flag];
	q.subject_kind = subject_arg[d->subject];
	return api_review_exceptions(app->http, review_token(app), &q, on_exceptions, f, req);
}

static const struct pager_ops exception_ops = { x_count, x_row, x_next, no_total, x_free, x_fetch };

static size_t a_count(const void *p) { return ((const struct net_audit_page *)p)->n_rows; }
static const void *a_row(const void *p, size_t i) { return &((const struct net_audit_page *)p)->rows[i]; }
static const char *a_next(const void *p) { return ((const struct net_audit_page *)p)->next_cursor; }
static void a_free(void *p) { net_audit_page_free((struct net_audit_page **)&p); }

static void
on_audit(struct net_audit_page *res, const struct api_error *err, void *arg)
{
	pager_reply(arg, REVIEW_AUDIT, res, err);
}

void
review_audit_filter(struct review_desk *d, struct api_audit_query *q)
{
	q->patient = field_text(&d->audit[AUDIT_PATIENT]);
	q->user = field_text(&d->audit[AUDIT_USER]);
	q->since = field_text(&d->audit[AUDIT_SINCE]);
	q->until = field_text(&d->audit[AUDIT_UNTIL]);
}

static int
a_fetch(struct app *app, const char *cursor, void *f, unsigned *req)
{
	struct review_desk *d = app_review_desk(app);
	struct api_audit_query q = { .cursor = cursor, .limit = REVIEW_PAGE };

	if (d == NULL)
		return API_ERR_NOMEM;
	review_audit_filter(d, &q);
	return api_audit(app->http, review_token(app), &q, on_audit, f, req);
}

static const struct pager_ops audit_ops = { a_count, a_row, a_next, no_total, a_free, a_fetch };

static const struct pager_ops *const list_ops[REVIEW_LISTS] = { &queue_ops, &exception_ops, &audit_ops };

/* ---- wipe ---- */

void
app_review_wipe(struct app *app)
{
	int i;

	for (i = 0; i < RF_N; i++)
		if (rv.req[i]) {
			api_cancel(app->http, rv.req[i]);
			rv.req[i] = 0;
		}
	for (i = 0; i < REVIEW_LISTS; i++) {
		pager_clear(&rv.lists[i], list_ops[i]);
		rv.lgen[i]++;
	}
	review_act_wipe();
	/* A decision cut off by a lock may or may not have landed: the same key settles it. */
	for (i = 0; i < APP_MAX_SESSIONS; i++)
		if (rv.desks[i].sending) {
			rv.desks[i].sending = 0;
			snprintf(rv.desks[i].failed, sizeof(rv.desks[i].failed),
			    "Not confirmed: the cart locked while sending.");
		}
}

