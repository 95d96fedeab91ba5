/* A tap: a login challenge kept in hand (or fetched), an assertion from the
 * authenticator on the worker thread, then chartgated answers a session. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include "auth/assert.h"
#include "auth/error.h"
#include "auth/softkey.h"
#include "auth/worker.h"
#include "common/log.h"

#define TAP_TIMEOUT_MS 30000
/* A held challenge is used only while this much of its life is left, and a
 * failed fetch is retried after a pause (the server limits challenges). */
#define HELD_MARGIN_MS 15000
#define HELD_RETRY_MS 5000

static const char badge_keys[] = "1234567890abcdefghijklmnopqrstuvwxyz";

int
app_badge_for_key(const struct app *app, int ch)
{
	const char *p;
	size_t n;

	if (app->softkey == NULL || ch <= 0 || ch > 127 ||
	    (p = strchr(badge_keys, ch)) == NULL)
		return -1;
	n = softkey_count(app->softkey);
	return (size_t)(p - badge_keys) < n ? (int)(p - badge_keys) : -1;
}

char
app_badge_key(int index)
{
	return index >= 0 && index < (int)sizeof(badge_keys) - 1 ? badge_keys[index] : '?';
}

static void
tap_end(struct app *app)
{
	app->tap = TAP_IDLE;
	app->tap_req = 0;
	app->tap_challenge_id[0] = '\0';
	if (!app_busy(app))
		app->busy_since_ms = 0;
	app->dirty = 1;
}

static void
tap_failed(struct app *app, const char *what, const char *why)
{
	log_event(LOG_LEVEL_WARNING, "tap failed: %s", what);
	tap_end(app);
	app_message(app, ROLE_ERROR, "%s: %s", what, why);
}

static void
on_session(struct net_session *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;

	app->tap_req = 0;
	if (err != NULL) {
		tap_failed(app, "Sign-in refused",
		    err->kind == API_ERROR_HTTP && err->status == 401 ?
		    "this badge was not accepted. Try again or see the helpdesk." : err->message);
		return;
	}
	tap_end(app);
	log_event(LOG_LEVEL_INFO, "tap ok: user %s%s", res->user.id, res->resumed ? " (resumed)" : "");
	app_session_open(app, res);
	net_session_free(&res);
	app_tap_prefetch(app);		/* after the home screen's fetches: they go first */
}

/* Start the assertion over a challenge (held or just fetched). */
static void
tap_assert(struct app *app, const char *challenge_id, const char *challenge, const char *rp_id)
{
	char origin[APP_ID_MAX + 16];
	struct auth_job job;

	snprintf(app->tap_challenge_id, sizeof(app->tap_challenge_id), "%s", challenge_id);
	snprintf(origin, sizeof(origin), "chartgate:%s", app->cfg.workstation);
	memset(&job, 0, sizeof(job));
	job.sk = app->softkey;
	job.badge = app->tap_badge;
	job.rp_id = rp_id;
	job.challenge = challenge;
	job.origin = origin;
	job.pin = NULL;
	job.timeout_ms = TAP_TIMEOUT_MS;
	if (auth_worker_start(app->auth, &job) != 0) {
		tap_failed(app, "Cannot sign in", "the authenticator is busy");
		return;
	}
	app->tap = TAP_ASSERT;
	if (app->softkey == NULL)
		app_message(app, ROLE_STATUS, "Touch your security key…");
}

static void
on_challenge(struct net_challenge *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;

	app->tap_req = 0;
	if (err != NULL) {
		tap_failed(app, "Cannot sign in", err->message);
		return;
	}
	tap_assert(app, res->challenge_id, res->challenge, res->rp_id);
	net_challenge_free(&res);
}

static void
on_prefetch(struct net_challenge *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;

	app->tap_held.req = 0;
	if (err != NULL || strlen(res->challenge_id) >= sizeof(app->tap_held.id) ||
	    strlen(res->challenge) >= sizeof(app->tap_held.challenge) ||
	    strlen(res->rp_id) >= sizeof(app->tap_held.rp_id) ||
	    res->expires_in * 1000 <= HELD_MARGIN_MS) {
		app->tap_held.retry_at_ms = loop_now_ms() + HELD_RETRY_MS;
		net_challenge_free(&res);
		return;
	}
	snprintf(app->tap_held.id, sizeof(app->tap_held.id), "%s", res->challenge_id);
	snprintf(app->tap_held.challenge, sizeof(app->tap_held.challenge), "%s", res->challenge);
	snprintf(app->tap_held.rp_id, sizeof(app->tap_held.rp_id), "%s", res->rp_id);
	app->tap_held.use_before_ms = loop_now_ms() + res->expires_in * 1000 - HELD_MARGIN_MS;
	net_challenge_free(&res);
}

void
app_tap_prefetch(struct app *app)
{
	long long now = loop_now_ms();

	if (app->tap_held.req != 0 || now < app->tap_held.retry_at_ms ||
	    (app->tap_held.use_before_ms != 0 && now < app->tap_held.use_before_ms))
		return;
	app->tap_held.use_before_ms = 0;
	if (api_challenge(app->http, NULL, "login", NULL, on_prefetch, app,
	    &app->tap_held.req) != API_OK)
		app->tap_held.retry_at_ms = now + HELD_RETRY_MS;
}

void
app_tap(struct app *app, int badge)
{
	int rc;

	if (app->tap != TAP_IDLE)
		return;		/* one tap at a time; the reader is busy */
	app->tap_badge = badge;
	app->tap_continues = app->still_prompt;
	if (app->tap_held.use_before_ms != 0 && loop_now_ms() < app->tap_held.use_before_ms) {
		/* Single use: the one in hand goes now, the next is fetched after the tap. */
		app->tap_held.use_before_ms = 0;
		/* No repaint now: the wait shows only if it lasts (app_busy_shown). */
		if (app->busy_since_ms == 0)
			app->busy_since_ms = loop_now_ms();
		tap_assert(app, app->tap_held.id, app->tap_held.challenge, app->tap_held.rp_id);
		return;
	}
	rc = api_challenge(app->http, NULL, "login", NULL, on_challenge, app, &app->tap_req);
	if (rc != API_OK) {
		app_message(app, ROLE_ERROR, "Cannot sign in: %s", api_strerror(rc));
		return;
	}
	app->tap = TAP_CHALLENGE;
	if (app->busy_since_ms == 0)
		app->busy_since_ms = loop_now_ms();
}

void
app_tap_done(struct app *app)
{
	struct auth_result res;
	struct api_assertion a;
	int rc;

	memset(&res, 0, sizeof(res));
	if (auth_worker_finish(app->auth, &res) != 0)
		return;		/* a stale wake-up */
	if (app->uv == UV_ASSERT) {
		app_uv_assertion_done(app, &res);
		auth_assertion_clear(&res.assertion);
		return;
	}
	if (app->tap != TAP_ASSERT) {
		auth_assertion_clear(&res.assertion);
		return;
	}
	if (res.err != AUTH_OK) {
		auth_assertion_clear(&res.assertion);
		tap_failed(app, "Tap not read", auth_strerror(res.err));
		return;
	}
	app_assertion_view(&res.assertion, &a);
	rc = api_session_create(app->http, app->tap_challenge_id, &a, on_session, app,
	    &app->tap_req);
	auth_assertion_clear(&res.assertion);
	if (rc != API_OK) {
		tap_failed(app, "Cannot sign in", api_strerror(rc));
		return;
	}
	app->tap = TAP_SESSION;
}

void
app_assertion_view(const struct auth_assertion *in, struct api_assertion *out)
{
	out->credential_id = in->credential_id;
	out->client_data_json = in->client_data_json;
	out->authenticator_data = in->authenticator_data;
	out->signature = in->signature;
	out->user_handle = in->user_handle;
}

void
app_tap_cancel(struct app *app)
{
	switch (app->tap) {
	case TAP_CHALLENGE:
	case TAP_SESSION:
		api_cancel(app->http, app->tap_req);
		break;
	case TAP_ASSERT:
		auth_worker_cancel(app->auth);
		break;
	case TAP_IDLE:
		return;
	}
	tap_end(app);
	app_message(app, ROLE_STATUS, "Tap cancelled");
}
