/* The app: loop sources, key dispatch, the screen stack and data fetches of the active session. */
#include "tui/app.h"
#include "tui/app_helpdesk.h"
#include "tui/app_review.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/softkey.h"
#include "auth/worker.h"
#include "common/log.h"
#include "screens/screens.h"
#include "tui/draw.h"
#include "tui/term.h"

#define TICK_MS 1000

/* ---- loop sources ---- */

static size_t
input_fds(void *arg, struct pollfd *fds, size_t max)
{
	(void)arg;
	if (max < 2)
		return 0;
	fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = term_signal_fd(), .events = POLLIN };
	return 2;
}

static void app_key(struct app *, int key);

static void
input_dispatch(void *arg, const struct pollfd *fds, size_t n)
{
	struct app *app = arg;
	int key, ev;

	if (n < 2)
		return;
	if (fds[1].revents & POLLIN) {
		ev = term_take_events();
		if (ev & TERM_EV_QUIT)
			app->quit = 1;
		if (ev & TERM_EV_RESIZE) {
			term_resize();
			app->dirty = 1;
		}
	}
	if (fds[0].revents & (POLLHUP | POLLERR))
		app->quit = 1;
	if (fds[0].revents & POLLIN)
		while ((key = term_read_key()) >= 0)
			app_key(app, key);
}

static size_t
http_fds(void *arg, struct pollfd *fds, size_t max)
{
	return http_pollfds(((struct app *)arg)->http, fds, max);
}

static int
http_wait(void *arg)
{
	return http_timeout_ms(((struct app *)arg)->http);
}

static void
http_run(void *arg, const struct pollfd *fds, size_t n)
{
	http_dispatch(((struct app *)arg)->http, fds, n);
}

static size_t
auth_fds(void *arg, struct pollfd *fds, size_t max)
{
	struct app *app = arg;

	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = auth_worker_fd(app->auth), .events = POLLIN };
	return 1;
}

static void
auth_dispatch(void *arg, const struct pollfd *fds, size_t n)
{
	if (n == 1 && (fds[0].revents & POLLIN) && !app_hd_auth_done(arg))
		app_tap_done(arg);
}

/* ---- idle lock ---- */

static long long
idle_lock_ms(const struct app *app)
{
	return (long long)(app->cfg.idle_lock_s > 0 ? app->cfg.idle_lock_s :
	    APP_IDLE_LOCK_DEFAULT_S) * 1000;
}

/* "still <name>?" shows for the last quarter of the idle time, at most 30 s. */
static long long
idle_warn_at(const struct app *app)
{
	long long lock = idle_lock_ms(app), warn = lock / 4 < 30000 ? lock / 4 : 30000;

	return app->last_input_ms + lock - warn;
}

static long long
idle_lock_at(const struct app *app)
{
	return app->last_input_ms + idle_lock_ms(app);
}

static void
idle_check(struct app *app, long long now)
{
	if (app->active < 0)
		return;
	if (now >= idle_lock_at(app)) {
		log_event(LOG_LEVEL_INFO, "lock: idle, user %s", app_session(app)->user_id);
		app_lock(app);
		app_message(app, ROLE_STATUS, "Locked after %lld s without activity. Tap your badge to resume.",
		    idle_lock_ms(app) / 1000);
	} else if (now >= idle_warn_at(app) && !app->still_prompt) {
		app->still_prompt = 1;
		app->dirty = 1;
	}
}

long
app_idle_left(struct app *app)
{
	long long left = idle_lock_at(app) - loop_now_ms();

	return left > 0 ? (long)((left + 999) / 1000) : 0;
}

/* A break-glass grant ends on time: the chart under it closes and its
 * content is wiped, whatever the clinician was doing. */
static void
grant_check(struct app *app, long long now)
{
	struct clin_session *s = app_session(app);
	struct nav *nav;
	int i;

	if (s == NULL || s->grant.until_ms == 0 || now < s->grant.until_ms)
		return;
	while (s->depth > 1 && strcmp(s->stack[s->depth - 1].patient_id, s->grant.patient_id) == 0)
		s->depth--;
	for (i = 0; i < s->n_memo; i++)
		if (strcmp(s->memo[i].patient_id, s->grant.patient_id) == 0) {
			memmove(&s->memo[i], &s->memo[i + 1], sizeof(s->memo[0]) * (size_t)(s->n_memo - i - 1));
			s->n_memo--;
			break;
		}
	memset(&s->grant, 0, sizeof(s->grant));
	net_chart_free(&app->data.chart);
	nav = app_nav(app);
	app->dirty = 1;
	if (nav->screen->enter)
		nav->screen->enter(app);
	app_message(app, ROLE_BREAKGLASS, "Break-glass access has ended; the chart was closed.");
}

int
app_busy_shown(const struct app *app)
{
	return app->busy_since_ms && loop_now_ms() - app->busy_since_ms >= PROGRESS_AFTER_MS;
}

static int
timer_wait(void *arg)
{
	struct app *app = arg;
	long long now = loop_now_ms(), due = app->next_tick_ms;

	if (app->busy_since_ms && app->busy_since_ms + PROGRESS_AFTER_MS > now &&
	    app->busy_since_ms + PROGRESS_AFTER_MS < due)
		due = app->busy_since_ms + PROGRESS_AFTER_MS;
	if (app->message_until_ms && app->message_until_ms < due)
		due = app->message_until_ms;
	if (app->active >= 0 && !app->still_prompt && idle_warn_at(app) < due)
		due = idle_warn_at(app);
	if (app->active >= 0 && idle_lock_at(app) < due)
		due = idle_lock_at(app);
	return due > now ? (int)(due - now) : 0;
}

static void
timer_dispatch(void *arg, const struct pollfd *fds, size_t n)
{
	struct app *app = arg;
	long long now = loop_now_ms();
	struct nav *nav;

	(void)fds;
	(void)n;
	if (app->busy_since_ms && now >= app->busy_since_ms + PROGRESS_AFTER_MS)
		app->dirty = 1;		/* time to show that we are waiting */
	if (app->message_until_ms && now >= app->message_until_ms) {
		app->message[0] = '\0';
		app->message_until_ms = 0;
		app->dirty = 1;
	}
	idle_check(app, now);
	if (now >= app->next_tick_ms) {
		app->next_tick_ms = now + TICK_MS - now % TICK_MS;
		app_sessions_expire(app);
		app_tap_prefetch(app);
		grant_check(app, now);
		if (app->still_prompt)
			app->dirty = 1;		/* its countdown */
		nav = app_nav(app);
		if (nav->screen->tick)
			nav->screen->tick(app);
	}
}

/* ---- state ---- */

struct clin_session *
app_session(struct app *app)
{
	return app->active >= 0 ? &app->sessions[app->active] : NULL;
}

struct nav *
app_nav(struct app *app)
{
	struct clin_session *s = app_session(app);

	if (s == NULL || s->depth == 0)
		return &app->lock_nav;
	return &s->stack[s->depth - 1];
}

static void
nav_set(struct nav *nav, const struct screen *scr, const char *patient_id,
    const char *purpose)
{
	memset(nav, 0, sizeof(*nav));
	nav->screen = scr;
	snprintf(nav->patient_id, sizeof(nav->patient_id), "%s", patient_id ? patient_id : "");
	snprintf(nav->purpose, sizeof(nav->purpose), "%s", purpose ? purpose : "");
}

static void
enter_top(struct app *app)
{
	struct nav *nav = app_nav(app);

	app->dirty = 1;
	if (nav->screen->enter)
		nav->screen->enter(app);
}

void
app_push(struct app *app, const struct screen *scr, const char *patient_id,
    const char *purpose)
{
	struct clin_session *s = app_session(app);

	if (s == NULL || s->depth >= APP_STACK_MAX)
		return;
	nav_set(&s->stack[s->depth++], scr, patient_id, purpose);
	enter_top(app);
}

void
app_replace(struct app *app, const struct screen *scr, const char *patient_id,
    const char *purpose)
{
	struct clin_session *s = app_session(app);

	if (s == NULL || s->depth == 0)
		return;
	nav_set(&s->stack[s->depth - 1], scr, patient_id, purpose);
	enter_top(app);
}

void
app_pop(struct app *app)
{
	struct clin_session *s = app_session(app);

	if (s == NULL || s->depth <= 1)
		return;
	s->depth--;
	enter_top(app);
}

void
app_lock(struct app *app)
{
	app_session_suspend(app);
	app->dirty = 1;
}

void
app_message(struct app *app, enum color_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->message_role = role;
	/* Errors stay until the next action; notices fade. */
	app->message_until_ms = role == ROLE_ERROR ? 0 : loop_now_ms() + 5000;
	app->dirty = 1;
}

int
app_busy(const struct app *app)
{
	return app->tap != TAP_IDLE || app->uv != UV_IDLE || app->data.loading > 0;
}

/* Milliseconds from now until an RFC 3339 UTC instant ("...Z"), or -1. */
static long long
ms_until(const char *rfc3339)
{
	struct tm tm;
	const char *end;

	if (rfc3339 == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(rfc3339, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL)
		return -1;
	return ((long long)timegm(&tm) - (long long)time(NULL)) * 1000;
}

void
app_timer_set(struct patient_timer *t, const char *patient_id, long long ms_left)
{
	snprintf(t->patient_id, sizeof(t->patient_id), "%s", patient_id);
	t->until_ms = loop_now_ms() + (ms_left > 0 ? ms_left : 0);
}

void
app_timer_set_at(struct patient_timer *t, const char *patient_id, const char *rfc3339)
{
	long long ms = ms_until(rfc3339);

	if (ms >= 0)
		app_timer_set(t, patient_id, ms);
}

static long
timer_left(const struct patient_timer *t, const char *patient_id)
{
	long long left;

	if (t->until_ms == 0 || strcmp(t->patient_id, patient_id) != 0)
		return -1;
	left = t->until_ms - loop_now_ms();
	return left > 0 ? (long)((left + 999) / 1000) : -1;
}

long
app_step_up_left(struct app *app, const char *patient_id)
{
	struct clin_session *s = app_session(app);

	return s ? timer_left(&s->step_up, patient_id) : -1;
}

long
app_grant_left(struct app *app, const char *patient_id)
{
	struct clin_session *s = app_session(app);

	return s ? timer_left(&s->grant, patient_id) : -1;
}

const char *
app_memo_purpose(struct app *app, const char *patient_id)
{
	struct clin_session *s = app_session(app);
	int i;

	for (i = 0; s != NULL && i < s->n_memo; i++)
		if (strcmp(s->memo[i].patient_id, patient_id) == 0)
			return s->memo[i].purpose;
	return NULL;
}

/* The oldest memo makes room: a task rarely spans sixteen patients. */
void
app_memo_set(struct app *app, const char *patient_id, const char *purpose)
{
	struct clin_session *s = app_session(app);
	struct purpose_memo *m = NULL;
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_memo && m == NULL; i++)
		if (strcmp(s->memo[i].patient_id, patient_id) == 0)
			m = &s->memo[i];
	if (m == NULL) {
		if (s->n_memo == APP_MEMO_MAX) {
			memmove(&s->memo[0], &s->memo[1], sizeof(s->memo[0]) * (APP_MEMO_MAX - 1));
			s->n_memo--;
		}
		m = &s->memo[s->n_memo++];
	}
	snprintf(m->patient_id, sizeof(m->patient_id), "%s", patient_id);
	snprintf(m->purpose, sizeof(m->purpose), "%s", purpose);
}

int
app_active_badge(struct app *app)
{
	struct clin_session *s = app_session(app);

	if (s == NULL || app->softkey == NULL)
		return -1;
	return softkey_find_user(app->softkey, s->user_id);
}

void
app_busy_update(struct app *app)
{
	if (!app_busy(app))
		app->busy_since_ms = 0;
	else if (app->busy_since_ms == 0)
		app->busy_since_ms = loop_now_ms();
	app->dirty = 1;
}

/* ---- data fetches of the active session ---- */

/* A reply belongs to the session and switch it was asked for; anything
 * else (the clinician was suspended meanwhile) is dropped unseen. */
struct fetch {
	struct app *app;
	unsigned gen;
	int slot;
};

static struct fetch *
fetch_begin(struct app *app, int slot)
{
	static struct fetch pool[4];
	struct fetch *f = &pool[slot];

	if (app->data_req[slot]) {
		api_cancel(app->http, app->data_req[slot]);
		app->data_req[slot] = 0;
		app->data.loading--;
	}
	f->app = app;
	f->gen = app->gen;
	f->slot = slot;
	return f;
}

/* Ends a fetch; returns 1 when its answer still belongs on screen. */
static int
fetch_end(struct fetch *f)
{
	struct app *app = f->app;

	if (f->gen != app->gen)
		return 0;
	app->data_req[f->slot] = 0;
	app->data.loading--;
	app_busy_update(app);
	return 1;
}

static void
fetch_started(struct app *app, int slot, int rc, unsigned req)
{
	if (rc != API_OK) {
		app_message(app, ROLE_ERROR, "Could not send the request: %s", api_strerror(rc));
		return;
	}
	app->data_req[slot] = req;
	app->data.loading++;
	app_busy_update(app);
}

/* A 401 on a data fetch means the server ended this session: back to the lock. */
static void
fetch_failed(struct app *app, const struct api_error *err)
{
	if (err->kind == API_ERROR_TRANSPORT)
		log_event(LOG_LEVEL_WARNING, "server unreachable: %s", http_base_url(app->http));
	if (err->kind == API_ERROR_HTTP && err->status == 401 && !err->step_up) {
		log_event(LOG_LEVEL_INFO, "session ended by the server: user %s",
		    app_session(app)->user_id);
		app_sessions_wipe_active(app);
		app_message(app, ROLE_ERROR, "%s Tap your badge to sign in again.",
		    strcmp(err->code, "session_ended") == 0 ?
		    "The helpdesk ended your session." : "Your session has ended.");
		return;
	}
	snprintf(app->data.error, sizeof(app->data.error), "%s", err->message);
	snprintf(app->data.error_rule, sizeof(app->data.error_rule), "%s", err->rule);
	app->data.break_glass_allowed = err->break_glass_allowed;
	if (err->kind == API_ERROR_HTTP && err->code[0] != '\0' &&
	    strcmp(err->code, "no_relationship") == 0)
		return;		/* the screen explains it in place */
	app_message(app, ROLE_ERROR, "%s", err->message);
}

/* 1 when a fetch's answer should be kept: it still belongs on screen and did not fail. */
static int
fetch_accept(struct fetch *f, const struct api_error *err)
{
	if (!fetch_end(f))
		return 0;
	if (err != NULL) {
		fetch_failed(f->app, err);
		return 0;
	}
	return 1;
}

static void
on_me(struct net_me *res, const struct api_error *err, void *arg)
{
	struct fetch *f = arg;

	if (!fetch_accept(f, err)) {
		net_me_free(&res);
		return;
	}
	app_me_install(f->app, &res);
}

void
app_me_install(struct app *app, struct net_me **me)
{
	net_me_free(&app->data.me);
	app->data.me = *me;
	*me = NULL;
	if (app_session(app) != NULL) {
		long long ttl = ms_until(app->data.me->session.idle_expires_at);
		app_session(app)->idle_ttl_ms = ttl > 0 ? ttl : 0;
	}
}

void
app_fetch_me(struct app *app)
{
	struct clin_session *s = app_session(app);
	unsigned req = 0;
	int rc;

	if (s == NULL)
		return;
	rc = api_me(app->http, s->token.p, on_me, fetch_begin(app, 0), &req);
	fetch_started(app, 0, rc, req);
}

static void
on_worklist(struct net_worklist *res, const struct api_error *err, void *arg)
{
	struct fetch *f = arg;

	if (!fetch_accept(f, err)) {
		net_worklist_free(&res);
		return;
	}
	app_worklist_install(f->app, &res);
}

void
app_worklist_install(struct app *app, struct net_worklist **w)
{
	net_worklist_free(&app->data.worklist);
	app->data.worklist = *w;
	*w = NULL;
}

void
app_fetch_worklist(struct app *app)
{
	struct clin_session *s = app_session(app);
	unsigned req = 0;
	int rc;

	if (s == NULL)
		return;
	app->data.error[0] = '\0';
	rc = api_worklist(app->http, s->token.p, NULL, 0, on_worklist, fetch_begin(app, 1), &req);
	fetch_started(app, 1, rc, req);
}

static void
on_chart(struct net_chart *res, const struct api_error *err, void *arg)
{
	struct fetch *f = arg;

	if (!fetch_accept(f, err)) {
		net_chart_free(&res);
		return;
	}
	net_chart_free(&f->app->data.chart);
	f->app->data.chart = res;
	/* The server's word on how long this patient's step-up and grant last. */
	if (res->access.step_up_until != NULL)
		app_timer_set_at(&app_session(f->app)->step_up, res->patient.id,
		    res->access.step_up_until);
	if (res->access.expires_at != NULL && strncmp(res->access.path, "break-glass:", 12) == 0)
		app_timer_set_at(&app_session(f->app)->grant, res->patient.id,
		    res->access.expires_at);
}

static void
on_search(struct net_worklist *res, const struct api_error *err, void *arg)
{
	struct fetch *f = arg;

	if (!fetch_accept(f, err)) {
		net_worklist_free(&res);
		return;
	}
	net_worklist_free(&f->app->search_results);
	f->app->search_results = res;
}

void
app_search(struct app *app, const char *query)
{
	struct clin_session *s = app_session(app);
	unsigned req = 0;
	int rc;

	if (s == NULL)
		return;
	net_worklist_free(&app->search_results);
	app->data.error[0] = '\0';
	rc = api_search(app->http, s->token.p, query, on_search, fetch_begin(app, 3), &req);
	fetch_started(app, 3, rc, req);
}

void
app_fetch_chart(struct app *app, const char *patient_id, const char *purpose)
{
	struct clin_session *s = app_session(app);
	unsigned req = 0;
	int rc;

	if (s == NULL)
		return;
	net_chart_free(&app->data.chart);
	app->data.error[0] = '\0';
	app->data.error_rule[0] = '\0';
	app->data.break_glass_allowed = 0;
	rc = api_chart(app->http, s->token.p, patient_id, purpose, on_chart,
	    fetch_begin(app, 2), &req);
	fetch_started(app, 2, rc, req);
}

/* Drops the active session's clinical data and cancels its fetches. */
void
app_data_wipe(struct app *app)
{
	int i;

	app_review_wipe(app);
	app_hd_wipe(app);
	for (i = 0; i < 4; i++)
		if (app->data_req[i]) {
			api_cancel(app->http, app->data_req[i]);
			app->data_req[i] = 0;
		}
	net_me_free(&app->data.me);
	net_worklist_free(&app->data.worklist);
	net_chart_free(&app->data.chart);
	net_worklist_free(&app->search_results);
	memset(&app->data, 0, sizeof(app->data));
	app->gen++;
	app_busy_update(app);
}

/* ---- keys ---- */

static void
app_key(struct app *app, int key)
{
	struct nav *nav = app_nav(app);
	int badge, was_dirty = app->dirty, message_kept = 1;

	app->dirty = 1;
	if (key == KEY_RESIZE)
		return;
	if (app->message_role == ROLE_ERROR && app->message_until_ms == 0 && app->message[0]) {
		app->message[0] = '\0';
		message_kept = 0;
	}
	/* Alt+badge key: a demo badge tapped on the reader, on any screen. */
	if ((key & KEY_ALT) && (badge = app_badge_for_key(app, key & ~KEY_ALT)) >= 0) {
		app_tap(app, badge);
		return;
	}
	app->last_input_ms = loop_now_ms();
	if (app->still_prompt) {
		app->still_prompt = 0;	/* any key means "yes, still me"; it does nothing else */
		return;
	}
	if (app->help) {
		app->help = 0;		/* any key closes help; it does nothing else */
		return;
	}
	if (key == KEY_F(1)) {
		app->help = 1;
		return;
	}
	if (key == KEY_ESC && app->tap != TAP_IDLE) {
		app_tap_cancel(app);
		return;
	}
	if (key == KEY_ESC && app->uv != UV_IDLE) {
		app_uv_cancel(app);
		app_message(app, ROLE_STATUS, "Cancelled");
		return;
	}
	/* Only a list's selection stepped, and nothing else marked the frame (a message, a
	 * pushed screen: app->dirty): its rows, not the whole frame. */
	app->dirty_rows = 0;
	app->dirty = 0;
	if (nav->screen->key && nav->screen->key(app, key)) {
		if (was_dirty || !message_kept || app->dirty || !app->dirty_rows)
			app->dirty = 1;
		return;
	}
	app->dirty = 1;
	switch (key) {
	case '?':
		app->help = 1;
		break;
	case KEY_CTRL('l'):
		clearok(curscr, TRUE);
		break;
	case KEY_F(12):
	case KEY_CTRL('x'):
		if (app_session(app) != NULL) {
			log_event(LOG_LEVEL_INFO, "lock: key, user %s", app_session(app)->user_id);
			app_lock(app);
		}
		break;
	case KEY_CTRL('q'):
		app->quit = 1;
		break;
	default:
		break;
	}
}

/* ---- life cycle ---- */

int
app_init(struct app *app, const struct app_config *cfg)
{
	struct loop_source input = { input_fds, NULL, input_dispatch, app };
	struct loop_source net = { http_fds, http_wait, http_run, app };
	struct loop_source auth = { auth_fds, NULL, auth_dispatch, app };
	struct loop_source timer = { NULL, timer_wait, timer_dispatch, app };
	int rc;

	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	app->active = -1;
	if (field_init(&app->pin, 64, FIELD_MASKED) != 0)
		return -1;
	nav_set(&app->lock_nav, &screen_lock, NULL, NULL);
	/* Refuse a bad URL now, on a plain terminal; the connection comes in app_start. */
	if ((rc = http_check(cfg->server_url, cfg->workstation)) != HTTP_OK) {
		fprintf(stderr, "chartgate: server %s: %s\n", cfg->server_url, http_strerror(rc));
		return -1;
	}
	if (cfg->softkey_path != NULL &&
	    (rc = softkey_load(cfg->softkey_path, &app->softkey)) != SOFTKEY_OK) {
		fprintf(stderr, "chartgate: softkey %s: %s%s%s\n", cfg->softkey_path,
		    softkey_strerror(rc), softkey_last_detail()[0] ? ": " : "",
		    softkey_last_detail());
		return -1;
	}
	if (auth_worker_new(&app->auth) != 0) {
		fprintf(stderr, "chartgate: cannot start the authenticator worker\n");
		return -1;
	}
	loop_add(&app->loop, &input);
	loop_add(&app->loop, &net);
	loop_add(&app->loop, &auth);
	loop_add(&app->loop, &timer);
	return 0;
}

/* After app_init: libcurl and the network client, loaded once the lock screen shows. */
int
app_start(struct app *app, char *err, size_t errlen)
{
	int rc;

	if ((rc = http_new(&app->http, app->cfg.server_url, app->cfg.workstation)) != HTTP_OK ||
	    (rc = http_set_tls(app->http, app->cfg.tls_ca, app->cfg.tls_cert,
	    app->cfg.tls_key)) != HTTP_OK) {
		snprintf(err, errlen, "server %s: %s", app->cfg.server_url, http_strerror(rc));
		return -1;
	}
	return 0;
}

void
app_paint(struct app *app)
{
	enter_top(app);
	app_draw(app);
}

int
app_run(struct app *app)
{
	while (!app->quit) {
		if (loop_run_once(&app->loop, -1) < 0)
			return -1;
		if (app->dirty)
			app_draw(app);
		else if (app->dirty_rows)
			app_draw_rows(app);
	}
	return 0;
}

void
app_fini(struct app *app)
{
	app_sessions_wipe(app);
	field_free(&app->pin);
	if (app->auth != NULL) {
		app_tap_cancel(app);
		auth_worker_free(&app->auth);
	}
	http_free(&app->http);
	softkey_free(&app->softkey);
}
