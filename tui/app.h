/* The app layer: the one place that ties screens, net and auth together.
 * It owns the clinician sessions on this cart (the session switcher), the
 * clinical data of the active one, and the tap flow. */
#ifndef CHARTGATE_APP_H
#define CHARTGATE_APP_H

#include <stdarg.h>

#include "common/secret.h"
#include "net/api.h"
#include "tui/loop.h"
#include "tui/screen.h"
#include "tui/theme.h"

#define APP_MAX_SESSIONS 8
#define APP_STACK_MAX 8
#define APP_ID_MAX 128

struct softkey;
struct auth_worker;

/* Where a clinician is in one screen: survives suspend (no clinical content). */
struct nav {
	const struct screen *screen;
	int cursor;
	int scroll;
	char patient_id[APP_ID_MAX];
	char purpose[16];
};

/* One clinician's session on this cart, active or suspended. */
struct clin_session {
	int used;
	char user_id[APP_ID_MAX];
	char display_name[APP_ID_MAX];
	char roles[APP_ID_MAX];		/* comma-separated */
	char session_id[APP_ID_MAX];
	struct secret token;
	struct nav stack[APP_STACK_MAX];
	int depth;
	long long last_used_ms;
};

/* Clinical content of the active session. Wiped and freed on every suspend. */
struct app_data {
	struct net_me *me;
	struct net_worklist *worklist;
	struct net_chart *chart;
	char error[512];		/* why the last fetch failed, "" when none */
	char error_rule[128];		/* server's failed rule (no_relationship) */
	int break_glass_allowed;
	int loading;			/* fetches in flight for this session */
};

enum tap_state {
	TAP_IDLE = 0,
	TAP_CHALLENGE,		/* asking chartgated for a login challenge */
	TAP_ASSERT,		/* the authenticator is signing (worker thread) */
	TAP_SESSION,		/* chartgated is verifying the assertion */
};

struct app_config {
	const char *server_url;
	const char *workstation;
	const char *softkey_path;	/* NULL: hardware authenticators */
	const char *theme_path;
	int idle_lock_s;		/* lock after this long without a key (default 120) */
};

struct app {
	struct app_config cfg;
	struct loop loop;
	struct http *http;
	struct auth_worker *auth;
	struct softkey *softkey;

	struct clin_session sessions[APP_MAX_SESSIONS];
	int active;			/* index into sessions, -1 = locked */
	unsigned gen;			/* bumped on every switch: stale replies are dropped */
	struct app_data data;
	struct nav lock_nav;		/* the lock screen's own state */

	enum tap_state tap;
	int tap_badge;
	char tap_challenge_id[APP_ID_MAX];
	unsigned tap_req;

	unsigned data_req[4];		/* data fetches of the active session */

	char message[512];
	enum color_role message_role;
	long long message_until_ms;
	long long busy_since_ms;	/* 0 when nothing is in flight */
	long long next_tick_ms;
	int dirty;
	int quit;
};

int app_init(struct app *, const struct app_config *);
int app_run(struct app *);
void app_fini(struct app *);

/* For screens. */
struct clin_session *app_session(struct app *);	/* NULL when locked */
struct nav *app_nav(struct app *);			/* top of the stack */
void app_push(struct app *, const struct screen *, const char *patient_id,
    const char *purpose);
void app_replace(struct app *, const struct screen *, const char *patient_id,
    const char *purpose);
void app_pop(struct app *);
void app_lock(struct app *);				/* suspend the active session */
void app_message(struct app *, enum color_role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void app_fetch_me(struct app *);
void app_fetch_worklist(struct app *);
void app_fetch_chart(struct app *, const char *patient_id, const char *purpose);
int app_busy(const struct app *);			/* requests or a tap in flight */

/* Taps (tui/app_tap.c). badge: softkey badge index, -1 for hardware. */
void app_tap(struct app *, int badge);
void app_tap_cancel(struct app *);
void app_tap_done(struct app *);			/* worker finished */
/* Demo badge keys: '1'..'9', '0', 'a'..: index or -1. */
int app_badge_for_key(const struct app *, int ch);
char app_badge_key(int index);

/* Session switcher (tui/app_session.c). */
void app_session_open(struct app *, struct net_session *);
void app_session_suspend(struct app *);
void app_sessions_wipe(struct app *);		/* every session, on exit */
void app_sessions_wipe_active(struct app *);	/* the server ended it */
void app_data_wipe(struct app *);		/* clinical content, fetches */

/* Frame: title bar, message line, hint bar around the top screen (tui/app_draw.c). */
void app_draw(struct app *);

#endif
