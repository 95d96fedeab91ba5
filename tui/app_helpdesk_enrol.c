/* Enrolment at the helpdesk: challenge, find the new key, its PIN (set it when blank), touch, then the attestation to chartgated. */
#include <stdio.h>
#include <string.h>

#include "auth/enrol.h"
#include "auth/softkey.h"
#include "auth/worker.h"
#include "common/log.h"
#include "tui/app.h"
#include "tui/app_helpdesk.h"

#define ENROL_TIMEOUT_MS 30000

static void
finish(struct app *app, int ok, const char *fmt, const char *why)
{
	struct helpdesk *hd = app_hd(app);

	hd->enrol = HD_ENROL_DONE;
	hd->enrol_ok = ok;
	hd->enrol_req = 0;
	snprintf(hd->result, sizeof(hd->result), fmt, why);
	net_hd_enrol_challenge_free(&hd->challenge);
	field_clear(&hd->pin);
	field_clear(&hd->pin_again);
	if (!app_busy(app))
		app->busy_since_ms = 0;
	app->dirty = 1;
}

static int
start_job(struct app *app, struct auth_job *job)
{
	struct helpdesk *hd = app_hd(app);

	job->sk = app->softkey;
	/* softkey: a blank authenticator whose credential is appended as a new badge */
	job->badge = app->softkey ? (int)softkey_count(app->softkey) : -1;
	job->timeout_ms = ENROL_TIMEOUT_MS;
	if (auth_worker_start(app->auth, job) != AUTH_OK)
		return -1;
	hd->worker_mine = 1;
	return 0;
}

static void
on_challenge(struct net_hd_enrol_challenge *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;
	struct helpdesk *hd = app_hd(app);
	struct auth_job job;

	hd->enrol_req = 0;
	if (err != NULL) {
		finish(app, 0, "Cannot start the enrolment: %s", err->message);
		return;
	}
	hd->challenge = res;
	memset(&job, 0, sizeof(job));
	job.kind = AUTH_JOB_PROBE;
	if (start_job(app, &job) != 0) {
		finish(app, 0, "Cannot start the enrolment: %s", "the authenticator is busy");
		return;
	}
	hd->enrol = HD_ENROL_PROBE;
}

void
app_hd_enrol_reset(struct app *app)
{
	struct helpdesk *hd = app_hd(app);

	app_hd_enrol_cancel(app);
	field_clear(&hd->reason);
	hd->result[0] = '\0';
	hd->enrol_ok = 0;
}

void
app_hd_enrol_begin(struct app *app, const char *user_id)
{
	struct helpdesk *hd = app_hd(app);
	struct clin_session *s = app_session(app);
	int rc;

	if (s == NULL || (hd->enrol != HD_ENROL_IDLE && hd->enrol != HD_ENROL_DONE))
		return;
	if (field_chars_trimmed(&hd->reason) == 0) {
		app_message(app, ROLE_ERROR, "Type a reason first: it goes to the audit trail.");
		return;
	}
	hd->result[0] = '\0';
	rc = api_hd_enrol_challenge(app->http, s->token.p, user_id, on_challenge, app, &hd->enrol_req);
	if (rc != API_OK) {
		finish(app, 0, "Cannot start the enrolment: %s", api_strerror(rc));
		return;
	}
	hd->enrol = HD_ENROL_CHALLENGE;
	if (app->busy_since_ms == 0)
		app->busy_since_ms = loop_now_ms();
}

void
app_hd_enrol_pin(struct app *app, const char *user_id)
{
	struct helpdesk *hd = app_hd(app);
	char origin[APP_ID_MAX + 16];
	struct auth_job job;
	size_t n = field_chars(&hd->pin);

	(void)user_id;
	if (hd->enrol != HD_ENROL_PIN || hd->challenge == NULL)
		return;
	if (n < 4 || n > 63 || strlen(field_text(&hd->pin)) > 63) {
		app_message(app, ROLE_ERROR, "The PIN has 4 to 63 characters.");
		return;
	}
	if (!hd->key_has_pin && strcmp(field_text(&hd->pin), field_text(&hd->pin_again)) != 0) {
		field_clear(&hd->pin);
		field_clear(&hd->pin_again);
		app_message(app, ROLE_ERROR, "The two PINs differ. Type the new PIN twice again.");
		return;
	}
	if (app->softkey != NULL && softkey_set_enrol_roles(app->softkey, hd->user_roles) != SOFTKEY_OK)
		log_event(LOG_LEVEL_WARNING, "softkey: cannot set the new badge's roles");
	snprintf(origin, sizeof(origin), "chartgate:%s", app->cfg.workstation);
	memset(&job, 0, sizeof(job));
	job.kind = AUTH_JOB_ENROL;
	job.rp_id = hd->challenge->rp_id;
	job.challenge = hd->challenge->challenge;
	job.origin = origin;
	job.pin = field_text(&hd->pin);
	job.set_pin = !hd->key_has_pin;
	job.user_handle = hd->challenge->user_handle;
	job.user_name = hd->challenge->user_name;
	job.display_name = hd->challenge->user_display_name;
	if (start_job(app, &job) != 0) {
		app_message(app, ROLE_ERROR, "The authenticator is busy. Try again.");
		return;
	}
	field_clear(&hd->pin);		/* the worker has its own copy, wiped after use */
	field_clear(&hd->pin_again);
	hd->enrol = HD_ENROL_KEY;
}

static void
on_enrolled(struct net_hd_enrolled *res, const struct api_error *err, void *arg)
{
	struct app *app = arg;

	if (err != NULL) {
		app_hd(app)->enrol_req = 0;
		finish(app, 0, "chartgated refused the new key: %s", err->message);
		return;
	}
	log_event(LOG_LEVEL_INFO, "helpdesk: enrolled a credential for %s", res->user_id);
	net_hd_enrolled_free(&res);
	finish(app, 1, "%s", "Enrolled. The new badge key signs in now (its PIN is the one just set).");
}

static void
post(struct app *app, const struct auth_enrolment *e)
{
	struct helpdesk *hd = app_hd(app);
	struct api_hd_attestation a = { hd->challenge->challenge_id, e->credential_id,
		e->client_data_json, e->fmt, e->authenticator_data, e->signature, e->x5c };
	struct nav *nav = app_nav(app);
	int rc;

	rc = api_hd_enrol(app->http, app_session(app)->token.p, nav->patient_id, &a,
	    field_text(&hd->reason), on_enrolled, app, &hd->enrol_req);
	if (rc != API_OK) {
		finish(app, 0, "Cannot send the new key: %s", api_strerror(rc));
		return;
	}
	hd->enrol = HD_ENROL_POST;
}

static void
key_failed(struct app *app, const struct auth_result *res)
{
	char why[256];

	if (res->err == AUTH_E_PIN_INVALID && res->pin_retries >= 0) {
		snprintf(why, sizeof(why), "Wrong PIN for this key: %d %s left.", res->pin_retries,
		    res->pin_retries == 1 ? "try" : "tries");
		finish(app, 0, "%s", why);
		return;
	}
	finish(app, 0, "%s", auth_enrol_strerror(res->err));
}

int
app_hd_auth_done(struct app *app)
{
	struct helpdesk *hd = app_hd(app);
	struct auth_result res;

	if (!hd->worker_mine)
		return 0;
	memset(&res, 0, sizeof(res));
	if (auth_worker_finish(app->auth, &res) != AUTH_OK)
		return 1;
	hd->worker_mine = 0;
	if (app_session(app) == NULL || hd->challenge == NULL)
		;	/* cancelled or locked meanwhile: drop it */
	else if (hd->enrol == HD_ENROL_PROBE && res.err == AUTH_OK) {
		hd->key_has_pin = res.has_pin;
		hd->enrol = HD_ENROL_PIN;
		app->dirty = 1;
	} else if (hd->enrol == HD_ENROL_KEY && res.err == AUTH_OK)
		post(app, &res.enrolment);
	else if (hd->enrol == HD_ENROL_PROBE || hd->enrol == HD_ENROL_KEY)
		key_failed(app, &res);
	auth_result_clear(&res);
	return 1;
}

void
app_hd_enrol_cancel(struct app *app)
{
	struct helpdesk *hd = app_hd(app);

	if (hd->enrol_req) {
		api_cancel(app->http, hd->enrol_req);
		hd->enrol_req = 0;
	}
	if (hd->worker_mine)
		auth_worker_cancel(app->auth);	/* its result is still ours to drop */
	net_hd_enrol_challenge_free(&hd->challenge);
	field_clear(&hd->pin);
	field_clear(&hd->pin_again);
	hd->enrol = HD_ENROL_IDLE;
	if (!app_busy(app))
		app->busy_since_ms = 0;
	app->dirty = 1;
}
