/* The helpdesk desk: searches, a user's sessions and badges, and the actions that need a reason. */
#include "tui/app_helpdesk.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "tui/app.h"

#define REASON_MAX_BYTES (4 * 500)

enum { R_USERS, R_SESSIONS, R_AUTHN };

static struct helpdesk hd;

struct helpdesk *
app_hd(struct app *app)
{
	(void)app;
	if (hd.reason.buf == NULL && (field_init(&hd.reason, REASON_MAX_BYTES, 0) != 0 ||
	    field_init(&hd.pin, 64, FIELD_MASKED) != 0 ||
	    field_init(&hd.pin_again, 64, FIELD_MASKED) != 0))
		field_free(&hd.reason);	/* fields stay unusable; field_* accept that */
	return &hd;
}

static void
busy(struct app *app, int delta)
{
	hd.loading += delta;
	if (delta > 0 && app->busy_since_ms == 0)
		app->busy_since_ms = loop_now_ms();
	if (hd.loading == 0 && !app_busy(app))
		app->busy_since_ms = 0;
	app->dirty = 1;
}

/* A 401 means the server ended the helpdesk's own session: back to the lock. */
static int
session_gone(struct app *app, const struct api_error *err)
{
	if (err->kind != API_ERROR_HTTP || err->status != 401)
		return 0;
	log_event(LOG_LEVEL_INFO, "helpdesk session ended by the server");
	app_sessions_wipe_active(app);
	app_message(app, ROLE_ERROR, "Your session has ended. Tap your badge to sign in again.");
	return 1;
}

/* Every fetch ends here: 1 when its answer may be used. */
static int
fetch_end(struct app *app, int slot, const struct api_error *err)
{
	hd.req[slot] = 0;
	busy(app, -1);
	if (err == NULL)
		return 1;
	if (!session_gone(app, err)) {
		snprintf(hd.error, sizeof(hd.error), "%s", err->message);
		app_message(app, ROLE_ERROR, "%s", err->message);
	}
	return 0;
}

static void
fetch_start(struct app *app, int slot, int rc)
{
	if (rc != API_OK) {
		hd.req[slot] = 0;
		app_message(app, ROLE_ERROR, "Could not send the request: %s", api_strerror(rc));
		return;
	}
	busy(app, 1);
}

static void
on_users(struct net_hd_users *res, const struct api_error *err, void *arg)
{
	if (fetch_end(arg, R_USERS, err))
		hd.users = res;
}

static void
on_sessions(struct net_hd_sessions *res, const struct api_error *err, void *arg)
{
	if (fetch_end(arg, R_SESSIONS, err))
		hd.sessions = res;
}

static void
on_authn(struct net_hd_authenticators *res, const struct api_error *err, void *arg)
{
	if (fetch_end(arg, R_AUTHN, err))
		hd.authn = res;
}

/* Drops what a slot shows and cancels its fetch. */
static void
slot_clear(struct app *app, int slot)
{
	if (hd.req[slot]) {
		api_cancel(app->http, hd.req[slot]);
		hd.req[slot] = 0;
		busy(app, -1);
	}
	if (slot == R_USERS)
		net_hd_users_free(&hd.users);
	else if (slot == R_SESSIONS)
		net_hd_sessions_free(&hd.sessions);
	else
		net_hd_authenticators_free(&hd.authn);
}

static const char *
token(struct app *app)
{
	return app_session(app) ? app_session(app)->token.p : NULL;
}

void
app_hd_search_users(struct app *app, const char *query)
{
	slot_clear(app, R_USERS);
	slot_clear(app, R_SESSIONS);
	hd.error[0] = '\0';
	fetch_start(app, R_USERS, api_hd_users(app->http, token(app), query, on_users, app,
	    &hd.req[R_USERS]));
}

void
app_hd_search_cart(struct app *app, const char *workstation)
{
	slot_clear(app, R_USERS);
	slot_clear(app, R_SESSIONS);
	hd.error[0] = '\0';
	fetch_start(app, R_SESSIONS, api_hd_sessions(app->http, token(app), NULL, workstation,
	    on_sessions, app, &hd.req[R_SESSIONS]));
}

void
app_hd_load_user(struct app *app, const char *user_id)
{
	slot_clear(app, R_SESSIONS);
	slot_clear(app, R_AUTHN);
	hd.error[0] = '\0';
	fetch_start(app, R_SESSIONS, api_hd_sessions(app->http, token(app), user_id, NULL,
	    on_sessions, app, &hd.req[R_SESSIONS]));
	fetch_start(app, R_AUTHN, api_hd_authenticators(app->http, token(app), user_id, on_authn,
	    app, &hd.req[R_AUTHN]));
}

void
app_hd_clear(struct app *app)
{
	slot_clear(app, R_USERS);
	slot_clear(app, R_SESSIONS);
	slot_clear(app, R_AUTHN);
	hd.error[0] = '\0';
}

void
app_hd_time(const char *t, char *out, size_t size)
{
	if (t == NULL || strlen(t) < 16 || t[10] != 'T')
		snprintf(out, size, "%s", "—");
	else
		snprintf(out, size, "%.5s %.5s", t + 5, t + 11);
}

/* ---- the action dialog ---- */

static const char *const action_done[] = {
	[HD_END_SESSION] = "Session ended. The clinician is told so at their next touch.",
	[HD_UNLOCK] = "Unlocked: the badge taps in again.",
	[HD_REVOKE] = "Authenticator revoked: it no longer signs in, its sessions are ended.",
};

static void
acted(struct app *app, const struct api_error *err)
{
	struct nav *nav = app_nav(app);

	hd.act_req = 0;
	busy(app, -1);
	if (err != NULL) {
		if (!session_gone(app, err))
			app_message(app, ROLE_ERROR, "Refused: %s", err->message);
		return;		/* the dialog stays, with the reason typed */
	}
	app_hd_dialog_close(app);
	app_message(app, ROLE_STATUS, "%s", action_done[hd.action]);
	if (nav->patient_id[0] != '\0')
		app_hd_load_user(app, nav->patient_id);
}

static void
on_done(const struct api_error *err, void *arg)
{
	acted(arg, err);
}

static void
on_unlocked(struct net_hd_unlocked *res, const struct api_error *err, void *arg)
{
	net_hd_unlocked_free(&res);
	acted(arg, err);
}

void
app_hd_dialog_open(struct app *app, enum hd_action action, const char *object, const char *label)
{
	app_hd(app);
	hd.dialog = 1;
	hd.action = action;
	snprintf(hd.object, sizeof(hd.object), "%s", object);
	snprintf(hd.object_label, sizeof(hd.object_label), "%s", label);
	field_clear(&hd.reason);
	app->dirty = 1;
}

void
app_hd_dialog_close(struct app *app)
{
	if (hd.act_req) {
		api_cancel(app->http, hd.act_req);
		hd.act_req = 0;
		busy(app, -1);
	}
	hd.dialog = 0;
	field_clear(&hd.reason);
	app->dirty = 1;
}

void
app_hd_dialog_confirm(struct app *app, const char *user_id)
{
	const char *why = field_text(&hd.reason);
	int rc;

	if (hd.act_req)
		return;		/* already sent */
	if (field_chars_trimmed(&hd.reason) == 0) {
		app_message(app, ROLE_ERROR, "Type a reason first: it goes to the audit trail.");
		return;
	}
	if (hd.action == HD_END_SESSION)
		rc = api_hd_session_end(app->http, token(app), hd.object, why, on_done, app, &hd.act_req);
	else if (hd.action == HD_REVOKE)
		rc = api_hd_revoke(app->http, token(app), hd.object, why, on_done, app, &hd.act_req);
	else
		rc = api_hd_unlock(app->http, token(app), user_id, why, on_unlocked, app, &hd.act_req);
	if (rc != API_OK) {
		app_message(app, ROLE_ERROR, "Could not send: %s", api_strerror(rc));
		return;
	}
	busy(app, 1);
}

void
app_hd_wipe(struct app *app)
{
	app_hd_clear(app);
	app_hd_dialog_close(app);
	app_hd_enrol_cancel(app);
	hd.loading = 0;
	field_free(&hd.reason);
	field_free(&hd.pin);
	field_free(&hd.pin_again);
}
