/* Step-up and break-glass: a step_up challenge for one patient, an assertion
 * with user verification (the authenticator's PIN), then the POST that needs it. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include "auth/assert.h"
#include "auth/error.h"
#include "auth/worker.h"
#include "screens/screens.h"

#define UV_TIMEOUT_MS 30000

static void
uv_end(struct app *app)
{
	app->uv = UV_IDLE;
	app->uv_req = 0;
	app->uv_challenge_id[0] = '\0';
	field_clear(&app->pin);
	if (!app_busy(app))
		app->busy_since_ms = 0;
	app->dirty = 1;
}

static void
uv_failed(struct app *app, const char *fmt, const char *why)
{
	uv_end(app);
	app_message(app, ROLE_ERROR, fmt, why);
}

/* A 401 here is not the end of the session: it is the assertion that failed. */
static const char *
refusal(const struct api_error *err)
{
	if (err->kind == API_ERROR_HTTP && err->status == 401)
		return "the authenticator's answer was not accepted. Try again.";
	return err->message;
}

static void
on_step_up(struct net_step_up *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;
	struct clin_session *s = app_session(app);

	app->uv_req = 0;
	if (err != NULL) {
		uv_failed(app, "Step-up refused: %s", refusal(err));
		return;
	}
	if (s != NULL)
		app_timer_set(&s->step_up, res->patient_id,
		    res->expires_in > 0 ? res->expires_in * 1000LL : 300000LL);
	net_step_up_free(&res);
	uv_end(app);
	app_pop(app);		/* back to the chart, which fetches again */
	app_message(app, ROLE_STATUS, "Step-up confirmed: sensitive sections are open for 5 minutes.");
}

static void
on_grant(struct net_grant *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;
	struct clin_session *s = app_session(app);
	char patient[APP_ID_MAX];

	app->uv_req = 0;
	if (err != NULL) {
		uv_failed(app, "Break-glass refused: %s", refusal(err));
		return;
	}
	snprintf(patient, sizeof(patient), "%s", res->patient_id);
	if (s != NULL) {
		app_timer_set_at(&s->grant, patient, res->expires_at);
		field_clear(&s->justification);		/* sent: the draft has done its job */
		app_memo_set(app, patient, "BTG");
	}
	net_grant_free(&res);
	uv_end(app);
	/* The refused chart below gives way too: asking it again would only be refused. */
	if (s != NULL && s->depth > 2 && s->stack[s->depth - 2].screen == &screen_chart)
		s->depth--;
	app_replace(app, &screen_chart, patient, "BTG");
	app_message(app, ROLE_BREAKGLASS, "Break-glass access granted. It is logged and will be reviewed.");
}

static void
on_challenge(struct net_challenge *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;
	char origin[APP_ID_MAX + 16];
	struct auth_job job;

	app->uv_req = 0;
	if (err != NULL) {
		uv_failed(app, "Cannot confirm: %s", err->message);
		return;
	}
	snprintf(app->uv_challenge_id, sizeof(app->uv_challenge_id), "%s", res->challenge_id);
	snprintf(origin, sizeof(origin), "chartgate:%s", app->cfg.workstation);
	memset(&job, 0, sizeof(job));
	job.sk = app->softkey;
	job.badge = app_active_badge(app);
	job.rp_id = res->rp_id;
	job.challenge = res->challenge;
	job.origin = origin;
	job.pin = field_text(&app->pin);
	job.timeout_ms = UV_TIMEOUT_MS;
	if (auth_worker_start(app->auth, &job) != AUTH_OK) {
		net_challenge_free(&res);
		uv_failed(app, "Cannot confirm: %s", "the authenticator is busy");
		return;
	}
	field_clear(&app->pin);		/* the worker has its own copy, wiped after use */
	net_challenge_free(&res);
	app->uv = UV_ASSERT;
	if (app->softkey == NULL)
		app_message(app, ROLE_STATUS, "Touch your security key…");
}

void
app_uv_begin(struct app *app, enum uv_kind kind, const char *patient_id, const char *reason)
{
	struct clin_session *s = app_session(app);
	int rc;

	if (s == NULL || app->uv != UV_IDLE)
		return;
	if (field_chars(&app->pin) < 4) {
		app_message(app, ROLE_ERROR, "The PIN has at least 4 characters.");
		return;
	}
	app->uv_kind = kind;
	snprintf(app->uv_patient, sizeof(app->uv_patient), "%s", patient_id);
	snprintf(app->uv_reason, sizeof(app->uv_reason), "%s", reason ? reason : "");
	rc = api_challenge(app->http, s->token.p, "step_up", patient_id, on_challenge, app,
	    &app->uv_req);
	if (rc != API_OK) {
		uv_failed(app, "Cannot confirm: %s", api_strerror(rc));
		return;
	}
	app->uv = UV_CHALLENGE;
	if (app->busy_since_ms == 0)
		app->busy_since_ms = loop_now_ms();
}

/* Wrong PIN keeps the clinician where they are, with the tries left in words. */
static void
pin_failed(struct app *app, const struct auth_result *res)
{
	if (res->err == AUTH_E_PIN_INVALID && res->pin_retries >= 0)
		app_message(app, ROLE_ERROR, "Wrong PIN. %d %s left before the authenticator locks.",
		    res->pin_retries, res->pin_retries == 1 ? "try" : "tries");
	else if (res->err == AUTH_E_PIN_BLOCKED || res->err == AUTH_E_PIN_AUTH_BLOCKED)
		app_message(app, ROLE_ERROR, "%s Go to the helpdesk to have it reset.",
		    res->err == AUTH_E_PIN_BLOCKED ?
		    "Your authenticator's PIN is blocked." :
		    "Too many wrong PINs: remove and reinsert the authenticator.");
	else
		app_message(app, ROLE_ERROR, "Not confirmed: %s", auth_strerror(res->err));
}

void
app_uv_assertion_done(struct app *app, struct auth_result *res)
{
	struct clin_session *s = app_session(app);
	struct api_assertion a;
	int rc;

	if (res->err != AUTH_OK || s == NULL) {
		uv_end(app);
		pin_failed(app, res);
		return;
	}
	app_assertion_view(&res->assertion, &a);
	if (app->uv_kind == UV_STEP_UP)
		rc = api_step_up(app->http, s->token.p, app->uv_challenge_id, &a, on_step_up,
		    app, &app->uv_req);
	else
		rc = api_break_glass(app->http, s->token.p, app->uv_patient, app->uv_reason,
		    field_text(&s->justification), app->uv_challenge_id, &a, on_grant, app,
		    &app->uv_req);
	if (rc != API_OK) {
		uv_failed(app, "Cannot confirm: %s", api_strerror(rc));
		return;
	}
	app->uv = UV_POST;
}

void
app_uv_cancel(struct app *app)
{
	switch (app->uv) {
	case UV_CHALLENGE:
	case UV_POST:
		api_cancel(app->http, app->uv_req);
		break;
	case UV_ASSERT:
		auth_worker_cancel(app->auth);
		break;
	case UV_IDLE:
		return;
	}
	uv_end(app);
}
