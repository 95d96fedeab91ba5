/* The app layer: the one place that ties screens, net and auth together.
 * It owns the clinician sessions on this cart (the session switcher), the
 * clinical data of the active one, and the tap flow. */
#ifndef CHARTGATE_APP_H
#define CHARTGATE_APP_H

#include <stdarg.h>

#include "common/secret.h"
#include "net/api.h"
#include "tui/field.h"
#include "tui/loop.h"
#include "tui/screen.h"
#include "tui/theme.h"

#define APP_MAX_SESSIONS 8
#define APP_STACK_MAX 8
#define APP_ID_MAX 128
#define APP_MEMO_MAX 16
#define APP_JUSTIFICATION_MAX 2000

struct softkey;
struct auth_worker;
struct auth_result;

/* Where a clinician is in one screen: survives suspend (no clinical content). */
struct nav {
	const struct screen *screen;
	int cursor;
	int scroll;
	char patient_id[APP_ID_MAX];
	char purpose[16];
};

/* The purpose chosen for a patient, remembered for the rest of the session. */
struct purpose_memo {
	char patient_id[APP_ID_MAX];
	char purpose[16];
};

/* A time-limited right for one patient (step-up, break-glass grant). */
struct patient_timer {
	char patient_id[APP_ID_MAX];
	long long until_ms;		/* loop_now_ms() clock; 0 = none */
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
	long long idle_ttl_ms;		/* the server's idle TTL, from /v1/me */
	struct purpose_memo memo[APP_MEMO_MAX];
	int n_memo;
	struct patient_timer step_up;
	struct patient_timer grant;
	/* Work in progress: memory only, kept across lock and resume. */
	struct field justification;
	struct field search;
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

/* A user-verified assertion for a patient: step-up or break-glass. */
enum uv_kind { UV_STEP_UP, UV_BREAK_GLASS };
enum uv_state { UV_IDLE = 0, UV_CHALLENGE, UV_ASSERT, UV_POST };

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
	const char *tls_ca;		/* https: the site CA (NULL: the system's CAs) */
	const char *tls_cert, *tls_key;	/* this workstation's client certificate (or NULL) */
	int idle_lock_s;		/* lock after this long without a key (default 120) */
};

#define APP_IDLE_LOCK_DEFAULT_S 120

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
	/* A login challenge kept in hand, renewed before it expires (tui/app_tap.c):
	 * a tap then costs the assertion and one POST. */
	struct {
		char id[APP_ID_MAX];
		char challenge[128];
		char rp_id[APP_ID_MAX];
		long long use_before_ms;	/* loop_now_ms() clock; 0 = none in hand */
		long long retry_at_ms;		/* after a failed fetch */
		unsigned req;
	} tap_held;

	unsigned data_req[4];		/* data fetches of the active session */
	struct net_worklist *search_results;	/* clinical: wiped with the data */

	enum uv_state uv;
	enum uv_kind uv_kind;
	char uv_patient[APP_ID_MAX];
	char uv_reason[16];
	char uv_challenge_id[APP_ID_MAX];
	unsigned uv_req;
	struct field pin;		/* masked; wiped after every use and on lock */

	long long last_input_ms;	/* idle lock clock */
	int still_prompt;		/* "still <name>?" is showing */
	int help;			/* the help overlay is showing */
	int tap_continues;		/* the tap began during "still <name>?" */

	char message[512];
	enum color_role message_role;
	long long message_until_ms;
	long long busy_since_ms;	/* 0 when nothing is in flight */
	long long next_tick_ms;
	int dirty;
	/* Only a list's selection stepped since the last frame: the list repaints its
	 * old and new rows over that frame, nothing else (tui/app_list.c). */
	int dirty_rows;
	/* Set while drawing a full frame by the list on it that can do that; cleared at
	 * the start of every full frame. Returns -1 (having drawn nothing) when the
	 * list is no longer as drawn: a full frame follows. */
	int (*redraw_rows)(struct app *);
	int quit;
};

/* app_init (no network yet), the terminal, app_paint (the lock screen), then
 * app_start (libcurl and the network client: err says why it failed), app_run. */
/* Waits shorter than this are not shown at all: no flicker of "Loading…" or of a
 * tap's cancel hint on a fast answer. */
#define PROGRESS_AFTER_MS 150
/* busy_since_ms follows app_busy(): set when a wait begins, cleared when none is left. */
void app_busy_update(struct app *);
/* Busy for long enough that the wait is shown (status line, Esc hint). */
int app_busy_shown(const struct app *);

int app_init(struct app *, const struct app_config *);
void app_paint(struct app *);
int app_start(struct app *, char *err, size_t errlen);
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
/* Take an answer that came along with the tap (*p is NULL after): no fetch needed. */
void app_me_install(struct app *, struct net_me **);
void app_worklist_install(struct app *, struct net_worklist **);
void app_fetch_chart(struct app *, const char *patient_id, const char *purpose);
int app_busy(const struct app *);			/* requests or a tap in flight */

void app_search(struct app *, const char *query);
/* The remembered purpose for this patient, or NULL. */
const char *app_memo_purpose(struct app *, const char *patient_id);
void app_memo_set(struct app *, const char *patient_id, const char *purpose);
/* Seconds left on the active session's step-up / grant for patient, or -1. */
long app_step_up_left(struct app *, const char *patient_id);
long app_grant_left(struct app *, const char *patient_id);

/* Step-up and break-glass (tui/app_uv.c): challenge, assertion with the
 * PIN in app->pin, then the POST. Results come back as screen changes. */
void app_uv_begin(struct app *, enum uv_kind, const char *patient_id, const char *reason);
void app_uv_cancel(struct app *);
void app_uv_assertion_done(struct app *, struct auth_result *);

/* Taps (tui/app_tap.c). badge: softkey badge index, -1 for hardware. */
void app_tap(struct app *, int badge);
void app_tap_cancel(struct app *);
void app_tap_done(struct app *);			/* worker finished */
/* Keep a fresh login challenge in hand (on every tick, and after a tap). */
void app_tap_prefetch(struct app *);
/* The authenticator's answer as the API takes it (borrowed strings). */
struct auth_assertion;
void app_assertion_view(const struct auth_assertion *, struct api_assertion *);
/* Demo badge keys: '1'..'9', '0', 'a'..: index or -1. */
int app_badge_for_key(const struct app *, int ch);
char app_badge_key(int index);

/* Timers from the server's answers; rfc3339 is a UTC "YYYY-MM-DDTHH:MM:SSZ". */
void app_timer_set(struct patient_timer *, const char *patient_id, long long ms_left);
void app_timer_set_at(struct patient_timer *, const char *patient_id, const char *rfc3339);
/* Seconds until the idle lock. */
long app_idle_left(struct app *);

/* The active user's badge on the softkey, or -1 (hardware, or not found). */
int app_active_badge(struct app *);

/* The first screen for a user with these roles (tui/app_home.c). */
const struct screen *app_home_screen(const char *roles);
int app_has_role(const char *roles, const char *role);	/* roles: comma-separated */

/* Session switcher (tui/app_session.c). */
void app_session_open(struct app *, struct net_session *);
void app_session_suspend(struct app *);
void app_sessions_wipe(struct app *);		/* every session, on exit */
void app_sessions_wipe_active(struct app *);	/* the server ended it */
void app_sessions_expire(struct app *);		/* drop suspended ones past the idle TTL */
void app_data_wipe(struct app *);		/* clinical content, fetches */

/* Frame: title bar, message line, hint bar around the top screen (tui/app_draw.c). */
void app_draw(struct app *);
/* Only the rows a list's selection step changed, over the last frame (or a full one). */
void app_draw_rows(struct app *);

#endif
