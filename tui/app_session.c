/* The session switcher: up to eight clinicians share a cart; one is active,
 * the others suspended with only their navigation state and token kept. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "screens/screens.h"
#include "tui/app_review.h"
#include "tui/loop.h"

static void
join_roles(const struct net_user *u, char *out, size_t outsz)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < u->n_roles && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s", i ? "," : "", u->roles[i]);
}

static int
find_slot(struct app *app, const char *user_id)
{
	int i;

	for (i = 0; i < APP_MAX_SESSIONS; i++)
		if (app->sessions[i].used && strcmp(app->sessions[i].user_id, user_id) == 0)
			return i;
	return -1;
}

static void
slot_clear(struct clin_session *s)
{
	app_review_forget(s);	/* a reviewer's unsent decision note goes with the session */
	secret_wipe(&s->token);
	field_free(&s->justification);
	field_free(&s->search);
	memset(s, 0, sizeof(*s));
}

/* Up to four bytes a character: the limit is in characters, the buffer in bytes. */
static int
slot_fields_init(struct clin_session *s)
{
	if (field_init(&s->justification, 4 * APP_JUSTIFICATION_MAX, FIELD_MULTILINE) != 0 ||
	    field_init(&s->search, 256, 0) != 0)
		return -1;
	return 0;
}

/* A free slot, or the least recently used suspended one (its clinician
 * simply starts fresh next time: the server's copy expires on its own). */
static int
take_slot(struct app *app)
{
	int i, lru = -1;

	for (i = 0; i < APP_MAX_SESSIONS; i++) {
		if (!app->sessions[i].used)
			return i;
		if (i != app->active && (lru < 0 ||
		    app->sessions[i].last_used_ms < app->sessions[lru].last_used_ms))
			lru = i;
	}
	slot_clear(&app->sessions[lru]);
	return lru;
}

void
app_session_suspend(struct app *app)
{
	struct clin_session *s = app_session(app);

	if (s != NULL)
		s->last_used_ms = loop_now_ms();
	app_uv_cancel(app);
	field_clear(&app->pin);
	app_data_wipe(app);
	app->active = -1;
	app->still_prompt = 0;
	app->dirty = 1;
}

/* What the tap's answer brought along is shown at once; the rest is fetched as usual.
 * A resumed clinician back on a chart gets no use of the worklist: it goes unread. */
static void
home_from_tap(struct app *app, const struct screen *top, struct net_session *res)
{
	if (res->me != NULL)
		app_me_install(app, &res->me);
	else
		app_fetch_me(app);
	if (top == &screen_worklist && res->worklist != NULL)
		app_worklist_install(app, &res->worklist);
	else if (top->enter)
		top->enter(app);
}

void
app_session_open(struct app *app, struct net_session *res)
{
	int slot = find_slot(app, res->user.id);
	struct clin_session *s;

	/* The active clinician tapping again means "I am done here" (tap-out),
	 * unless the cart was asking "still <name>?": then it means "continue". */
	if (slot >= 0 && slot == app->active) {
		secret_set(&app->sessions[slot].token, res->token, res->token_len);
		if (app->tap_continues) {
			app->still_prompt = 0;
			app->last_input_ms = loop_now_ms();
			app->dirty = 1;
			return;
		}
		log_event(LOG_LEVEL_INFO, "lock: tap-out, user %s", res->user.id);
		app_session_suspend(app);
		app_message(app, ROLE_STATUS, "Screen locked. Tap your badge to resume.");
		return;
	}
	if (app->active >= 0)
		app_session_suspend(app);	/* tap-over: the other clinician's data goes now */
	if (slot >= 0 && (!res->resumed ||
	    strcmp(app->sessions[slot].session_id, res->session_id) != 0))
		slot_clear(&app->sessions[slot]);	/* the server's session expired: start fresh */
	if (slot < 0 || !app->sessions[slot].used) {
		slot = slot < 0 ? take_slot(app) : slot;
		s = &app->sessions[slot];
		if (slot_fields_init(s) != 0) {
			slot_clear(s);
			app_message(app, ROLE_ERROR, "Out of memory");
			return;
		}
		s->used = 1;
		snprintf(s->user_id, sizeof(s->user_id), "%s", res->user.id);
		snprintf(s->session_id, sizeof(s->session_id), "%s", res->session_id);
		join_roles(&res->user, s->roles, sizeof(s->roles));
		s->stack[0] = (struct nav){ .screen = app_home_screen(s->roles) };
		s->depth = 1;
	}
	s = &app->sessions[slot];
	snprintf(s->display_name, sizeof(s->display_name), "%s", res->user.display_name);
	join_roles(&res->user, s->roles, sizeof(s->roles));
	if (secret_set(&s->token, res->token, res->token_len) != 0) {
		slot_clear(s);
		app_message(app, ROLE_ERROR, "Out of memory");
		return;
	}
	s->last_used_ms = loop_now_ms();
	app->active = slot;
	app->last_input_ms = s->last_used_ms;
	app->still_prompt = 0;
	app->gen++;
	home_from_tap(app, s->stack[s->depth - 1].screen, res);
	app->dirty = 1;
}

/* A suspended session the server has already expired holds a dead token:
 * drop it, so the next tap simply starts fresh and nothing lingers. */
void
app_sessions_expire(struct app *app)
{
	long long now = loop_now_ms();
	int i;

	for (i = 0; i < APP_MAX_SESSIONS; i++) {
		struct clin_session *s = &app->sessions[i];
		if (s->used && i != app->active && s->idle_ttl_ms > 0 &&
		    now - s->last_used_ms > s->idle_ttl_ms)
			slot_clear(s);
	}
}

void
app_sessions_wipe_active(struct app *app)
{
	int slot = app->active;

	app_session_suspend(app);
	if (slot >= 0)
		slot_clear(&app->sessions[slot]);
}

void
app_sessions_wipe(struct app *app)
{
	int i;

	app_data_wipe(app);
	app->active = -1;
	for (i = 0; i < APP_MAX_SESSIONS; i++)
		slot_clear(&app->sessions[i]);
}
