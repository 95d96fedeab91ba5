/* The reviewer desk's actions on one event or exception: detail, claim, the decision draft
 * and its sending, revoke and extend, and the audit export to a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_review.h"
#include "tui/app_review_int.h"

static struct {
	struct net_review_detail *detail;
	char detail_error[512];
	char export_path[4096];
	int export_overwrite;
} act;

void
review_act_wipe(void)
{
	net_review_detail_free(&act.detail);
	act.detail_error[0] = '\0';
}

/* ---- one event ---- */

static void
on_detail(struct net_review_detail *res, const struct api_error *err, void *arg)
{
	struct rfetch *f = arg;

	if (!review_rf_end(f)) {
		net_review_detail_free(&res);
		return;
	}
	if (err != NULL) {
		review_rf_failed(f->app, err, act.detail_error, sizeof(act.detail_error));
		return;
	}
	net_review_detail_free(&act.detail);
	act.detail = res;
}

void
app_review_open(struct app *app, const char *event_id)
{
	unsigned req = 0;
	int rc;

	if (act.detail == NULL || strcmp(act.detail->event.id, event_id) != 0)
		net_review_detail_free(&act.detail);
	act.detail_error[0] = '\0';
	rc = api_review_event(app->http, review_token(app), event_id, on_detail,
	    review_rf_begin(app, RF_DETAIL, 0, 0), &req);
	review_rf_started(app, RF_DETAIL, rc, req);
}

const struct net_review_detail *app_review_detail(struct app *app) { (void)app; return act.detail; }
const char *app_review_detail_error(struct app *app) { (void)app; return act.detail_error; }

int
app_review_is_mine(struct app *app, const struct net_review_event *e)
{
	struct clin_session *s = app_session(app);

	return s != NULL && e->has_assignee && strcmp(e->assignee.id, s->user_id) == 0;
}

/* Separation of duties and the event's state, in words. */
const char *
app_review_why_not(struct app *app, const struct net_review_event *e)
{
	struct clin_session *s = app_session(app);

	if (e->status == NET_REVIEW_CLOSED)
		return "This event is closed: its decision is recorded.";
	if (s != NULL && strcmp(e->user.id, s->user_id) == 0)
		return "You caused this event: separation of duties means another reviewer decides it.";
	if (app_review_is_mine(app, e) || e->claimable)
		return NULL;
	if (e->has_assignee)
		return "Another reviewer has claimed this event.";
	return "The server does not let you claim this event.";
}

static void
on_claim(const struct api_error *err, void *arg)
{
	struct rfetch *f = arg;

	if (!review_rf_end(f))
		return;
	if (err != NULL) {
		review_rf_failed(f->app, err, NULL, 0);
		return;
	}
	app_message(f->app, ROLE_STATUS, "Claimed: the event is yours to review.");
	if (act.detail != NULL)
		app_review_open(f->app, act.detail->event.id);
	app_review_reload(f->app, REVIEW_QUEUE);
}

void
app_review_claim(struct app *app, const char *event_id)
{
	char key[48];
	unsigned req = 0;
	int rc;

	review_new_key(key, sizeof(key), "claim-");
	rc = api_review_claim(app->http, review_token(app), event_id, key, on_claim,
	    review_rf_begin(app, RF_CLAIM, 0, 0), &req);
	review_rf_started(app, RF_CLAIM, rc, req);
}

/* ---- the decision draft ---- */

int
app_review_draft(struct app *app, const char *event_id)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL)
		return -1;
	if (strcmp(d->event_id, event_id) == 0)
		return 0;
	if (d->event_id[0] != '\0' && field_chars_trimmed(&d->note) > 0) {
		app_message(app, ROLE_ERROR, "Your decision on event %s is not sent yet: open it to "
		    "send it, or discard it there with ^D.", d->event_id);
		return -1;
	}
	app_review_draft_discard(app);
	snprintf(d->event_id, sizeof(d->event_id), "%s", event_id);
	return 0;
}

void
app_review_draft_discard(struct app *app)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL)
		return;
	field_clear(&d->note);
	d->event_id[0] = d->idem[0] = d->failed[0] = '\0';
	d->choice = 0;
	d->sending = 0;
}

static void
on_decided(const struct api_error *err, void *arg)
{
	struct rfetch *f = arg;
	struct review_desk *d;

	if (!review_rf_end(f))
		return;
	d = app_review_desk(f->app);
	if (d != NULL)
		d->sending = 0;
	if (err != NULL) {
		if (d != NULL)
			snprintf(d->failed, sizeof(d->failed), "%s", err->message);
		review_rf_failed(f->app, err, NULL, 0);
		return;
	}
	log_event(LOG_LEVEL_INFO, "review: decision recorded");
	app_review_draft_discard(f->app);
	/* Back on the queue, which no longer lists the event. */
	while (app_session(f->app)->depth > 1 && (app_nav(f->app)->screen == &screen_review_decide ||
	    app_nav(f->app)->screen == &screen_review_detail))
		app_pop(f->app);
	app_review_reload(f->app, REVIEW_QUEUE);
	app_message(f->app, ROLE_STATUS, "Decision recorded.");
}

void
app_review_decide(struct app *app)
{
	struct review_desk *d = app_review_desk(app);
	unsigned req = 0;
	int rc;

	if (d == NULL || d->event_id[0] == '\0' || d->sending)
		return;
	if (d->idem[0] == '\0')		/* once per draft: every retry is the same request */
		review_new_key(d->idem, sizeof(d->idem), "decision-");
	d->failed[0] = '\0';
	rc = api_review_decide(app->http, review_token(app), d->event_id, app_review_choices[d->choice],
	    field_text(&d->note), d->idem, on_decided, review_rf_begin(app, RF_DECIDE, 0, 0), &req);
	if (review_rf_started(app, RF_DECIDE, rc, req) == 0)
		d->sending = 1;
	else
		snprintf(d->failed, sizeof(d->failed), "%s", api_strerror(rc));
}

/* ---- exceptions: revoke and extend ---- */

void
app_review_exc_begin(struct app *app, const char *exc_id, int extend)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL)
		return;
	if (strcmp(d->exc_id, exc_id) != 0 || d->exc_extend != extend) {
		field_clear(&d->reason);
		field_clear(&d->until);
		d->exc_idem[0] = '\0';
	}
	snprintf(d->exc_id, sizeof(d->exc_id), "%s", exc_id);
	d->exc_extend = extend;
}

int
app_review_until(const char *in, char *out, size_t outsz)
{
	struct tm tm;
	const char *end;
	char *e;
	long days;
	time_t t;

	while (*in == ' ')
		in++;
	if (*in == '+') {
		days = strtol(in + 1, &e, 10);
		while (*e == ' ')
			e++;
		if (e == in + 1 || days < 1 || days > 3650 ||
		    (*e != '\0' && strncmp(e, "day", 3) != 0 && strcmp(e, "d") != 0))
			return -1;
		t = time(NULL) + (time_t)days * 86400;
		gmtime_r(&t, &tm);
	} else {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(in, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
		    (strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0))
			return -1;
		t = timegm(&tm);
		gmtime_r(&t, &tm);
	}
	return strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 ? 0 : -1;
}

static void
on_exc_done(const struct api_error *err, void *arg)
{
	struct rfetch *f = arg;
	struct review_desk *d;

	if (!review_rf_end(f))
		return;
	if (err != NULL) {
		review_rf_failed(f->app, err, NULL, 0);
		return;
	}
	d = app_review_desk(f->app);
	app_message(f->app, ROLE_STATUS, "%s.", d && d->exc_extend ? "Extended" : "Revoked");
	if (d != NULL) {
		field_clear(&d->reason);
		field_clear(&d->until);
		d->exc_id[0] = d->exc_idem[0] = '\0';
	}
	app_pop(f->app);
	app_review_reload(f->app, REVIEW_EXCEPTIONS);
}

void
app_review_exc_send(struct app *app)
{
	struct review_desk *d = app_review_desk(app);
	char until[64];
	unsigned req = 0;
	int rc;

	if (d == NULL || d->exc_id[0] == '\0')
		return;
	if (field_chars_trimmed(&d->reason) == 0) {
		app_message(app, ROLE_ERROR, "Give a reason: it goes to the audit trail.");
		return;
	}
	if (d->exc_extend && app_review_until(field_text(&d->until), until, sizeof(until)) != 0) {
		app_message(app, ROLE_ERROR, "Until: a date like 2026-12-31T17:00:00Z, or +N days.");
		return;
	}
	if (d->exc_idem[0] == '\0')
		review_new_key(d->exc_idem, sizeof(d->exc_idem), d->exc_extend ? "extend-" : "revoke-");
	rc = d->exc_extend ?
	    api_review_extend(app->http, review_token(app), d->exc_id, until, field_text(&d->reason),
	    d->exc_idem, on_exc_done, review_rf_begin(app, RF_EXC_ACT, 0, 0), &req) :
	    api_review_revoke(app->http, review_token(app), d->exc_id, field_text(&d->reason),
	    d->exc_idem, on_exc_done, review_rf_begin(app, RF_EXC_ACT, 0, 0), &req);
	review_rf_started(app, RF_EXC_ACT, rc, req);
}

/* ---- audit export ---- */

/* "~/x" is $HOME/x. */
static int
expand(const char *path, char *out, size_t size)
{
	const char *home = getenv("HOME");
	int n;

	if (strncmp(path, "~/", 2) == 0 && home != NULL)
		n = snprintf(out, size, "%s/%s", home, path + 2);
	else
		n = snprintf(out, size, "%s", path);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

void
app_review_export_default(char *out, size_t outsz)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outsz, "~/chartgate-audit-%Y%m%d-%H%M%S.json", &tm);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Mode 0600, never through a symlink, and an existing file only when confirmed. */
static void
export_write(struct app *app, const struct net_fhir_export *x)
{
	int fd, flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;

	flags |= act.export_overwrite ? O_TRUNC : O_EXCL;
	if ((fd = open(act.export_path, flags, 0600)) < 0) {
		app_message(app, ROLE_ERROR, "Could not write %s: %s", act.export_path,
		    errno == EEXIST ? "it exists now (export again to overwrite)" : strerror(errno));
		return;
	}
	if (fchmod(fd, 0600) != 0 || write_all(fd, x->body, x->len) != 0 || fsync(fd) != 0) {
		app_message(app, ROLE_ERROR, "Could not write %s: %s", act.export_path, strerror(errno));
		close(fd);
		return;
	}
	if (close(fd) != 0) {
		app_message(app, ROLE_ERROR, "Could not write %s: %s", act.export_path, strerror(errno));
		return;
	}
	app_message(app, x->truncated ? ROLE_WARNING : ROLE_STATUS,
	    "Audit export written to %s (%zu events, %zu bytes)%s", act.export_path, x->n_entries,
	    x->len, x->truncated ? "; more rows match: narrow the filter (since/until)." : ".");
}

static void
on_export(struct net_fhir_export *res, const struct api_error *err, void *arg)
{
	struct rfetch *f = arg;

	if (!review_rf_end(f)) {
		net_fhir_export_free(&res);
		return;
	}
	if (err != NULL) {
		review_rf_failed(f->app, err, NULL, 0);
		return;
	}
	export_write(f->app, res);
	net_fhir_export_free(&res);
}

int
app_review_export(struct app *app, const char *path, int overwrite)
{
	struct review_desk *d = app_review_desk(app);
	struct api_audit_query q = { .limit = 1000 };	/* the server's largest page */
	struct stat st;
	unsigned req = 0;
	int rc;

	if (d == NULL)
		return 0;
	if (expand(path, act.export_path, sizeof(act.export_path)) != 0 || path[0] == '\0') {
		app_message(app, ROLE_ERROR, "Type the file to write the export to.");
		return 0;
	}
	if (!overwrite && lstat(act.export_path, &st) == 0)
		return 1;
	act.export_overwrite = overwrite;
	review_audit_filter(d, &q);
	rc = api_audit_fhir(app->http, review_token(app), &q, on_export, review_rf_begin(app, RF_EXPORT, 0, 0),
	    &req);
	review_rf_started(app, RF_EXPORT, rc, req);
	return 0;
}

const char *
app_review_badge(enum net_review_status s)
{
	switch (s) {
	case NET_REVIEW_OPEN:		return "OPEN";
	case NET_REVIEW_IN_REVIEW:	return "● IN REVIEW";
	case NET_REVIEW_CLOSED:		return "✓ CLOSED";
	}
	return "?";
}
