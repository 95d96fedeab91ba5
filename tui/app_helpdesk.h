/* The helpdesk desk's state and actions: user and cart searches, a user's sessions and badges, end, unlock, revoke, enrol. */
#ifndef CHARTGATE_APP_HELPDESK_H
#define CHARTGATE_APP_HELPDESK_H

#include <stddef.h>

#include "net/api_helpdesk.h"
#include "tui/field.h"

struct app;

enum hd_action { HD_END_SESSION, HD_UNLOCK, HD_REVOKE };

enum hd_enrol_state {
	HD_ENROL_IDLE = 0,	/* typing the reason */
	HD_ENROL_CHALLENGE,	/* asking chartgated for an enrolment challenge */
	HD_ENROL_PROBE,		/* finding the new key and whether it has a PIN */
	HD_ENROL_PIN,		/* the clinician types the key's PIN (new: twice) */
	HD_ENROL_KEY,		/* the key makes the credential: touch it */
	HD_ENROL_POST,		/* chartgated checks the attestation */
	HD_ENROL_DONE,		/* result[] says how it ended */
};

/* Nothing here is clinical; it is still wiped on every lock (app_data_wipe). */
struct helpdesk {
	struct net_hd_users *users;		/* home: search by user */
	struct net_hd_sessions *sessions;	/* home: by cart; detail: the user's */
	struct net_hd_authenticators *authn;	/* detail */
	char error[512];			/* why the last fetch failed */
	int loading;				/* fetches in flight */
	unsigned req[3];			/* users, sessions, authenticators */

	/* the action dialog (x, u, r) */
	int dialog;				/* showing */
	enum hd_action action;
	char object[256];			/* session id or credential id */
	char object_label[256];			/* what the dialog names */
	unsigned act_req;
	struct field reason;			/* dialogs and enrolment */

	/* enrolment */
	enum hd_enrol_state enrol;
	struct net_hd_enrol_challenge *challenge;
	int key_has_pin;
	int enrol_ok;
	char result[512];
	unsigned enrol_req;
	int worker_mine;			/* the auth worker runs our job */
	struct field pin, pin_again;		/* masked */
	char user_roles[128];			/* for the softkey's new badge */
};

struct helpdesk *app_hd(struct app *);

/* Fetches; results land in app_hd(app), errors in ->error. */
void app_hd_search_users(struct app *, const char *query);
void app_hd_search_cart(struct app *, const char *workstation);
void app_hd_load_user(struct app *, const char *user_id);
void app_hd_clear(struct app *);		/* drop results and the error */
/* "MM-DD HH:MM" from an RFC 3339 time (UTC), or "—". */
void app_hd_time(const char *rfc3339, char *out, size_t size);

/* The dialog: open it for an object, then confirm with the reason typed. */
void app_hd_dialog_open(struct app *, enum hd_action, const char *object, const char *label);
void app_hd_dialog_confirm(struct app *, const char *user_id);
void app_hd_dialog_close(struct app *);

/* Enrolment for user_id: reason first, then challenge, key, PIN, touch, POST. */
void app_hd_enrol_reset(struct app *);
void app_hd_enrol_begin(struct app *, const char *user_id);
void app_hd_enrol_pin(struct app *, const char *user_id);	/* the PIN(s) are typed */
void app_hd_enrol_cancel(struct app *);

/* The worker finished: 1 when the job was ours (handled), 0 otherwise. */
int app_hd_auth_done(struct app *);

/* Cancel everything in flight, free results, wipe the fields. */
void app_hd_wipe(struct app *);

#endif
