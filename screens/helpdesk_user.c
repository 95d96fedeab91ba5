/* Helpdesk: one user's sessions and authenticators, and the actions on them, each with a reason. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_helpdesk.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

static const char *const action_title[] = {
	[HD_END_SESSION] = "End the session of",
	[HD_UNLOCK] = "Unlock the badges of",
	[HD_REVOKE] = "Revoke the authenticator of",
};

static size_t
n_sessions(struct helpdesk *hd)
{
	return hd->sessions ? hd->sessions->n_sessions : 0;
}

static size_t
n_authn(struct helpdesk *hd)
{
	return hd->authn ? hd->authn->n_authenticators : 0;
}

/* The user's row from the search, when we came from there. */
static const struct net_hd_user *
user_row(struct app *app)
{
	struct helpdesk *hd = app_hd(app);
	size_t i;

	for (i = 0; hd->users != NULL && i < hd->users->n_users; i++)
		if (strcmp(hd->users->users[i].id, app_nav(app)->patient_id) == 0)
			return &hd->users->users[i];
	return NULL;
}

static const char *
user_name(struct app *app)
{
	struct helpdesk *hd = app_hd(app);
	const struct net_hd_user *u = user_row(app);

	if (u != NULL)
		return u->display_name;
	if (n_sessions(hd) > 0)
		return hd->sessions->sessions[0].user_display_name;
	return app_nav(app)->patient_id;
}

static void
user_enter(struct app *app)
{
	app_hd_load_user(app, app_nav(app)->patient_id);
}

static int
locked(struct helpdesk *hd)
{
	size_t i;

	for (i = 0; i < n_authn(hd); i++)
		if (hd->authn->authenticators[i].locked && hd->authn->authenticators[i].revoked_at == NULL)
			return 1;
	return 0;
}

static void
draw_session(int y, int cols, enum color_role role, const struct net_hd_session *s)
{
	char a[32], b[32];

	app_hd_time(s->started, a, sizeof(a));
	app_hd_time(s->last_seen, b, sizeof(b));
	draw_textf(y, 2, cols - 3, role, "%-14s %-10s started %s  seen %s", s->workstation,
	    s->state, a, b);
}

static void
draw_authn(int y, int cols, enum color_role role, const struct net_hd_authenticator *k)
{
	char a[32], b[32];

	app_hd_time(k->created_at, a, sizeof(a));
	app_hd_time(k->last_used_at, b, sizeof(b));
	draw_textf(y, 2, cols - 3, role, "%-7s %-6s made %s  used %s  %s",
	    k->revoked_at ? "REVOKED" : "in use", k->locked ? "LOCKED" : "", a, b,
	    k->aaguid ? k->aaguid : "seeded badge");
}

static void
draw_dialog(struct app *app, int y, int cols)
{
	struct helpdesk *hd = app_hd(app);

	draw_line(y, 0, cols, ROLE_TITLE, "");
	draw_textf(y, 1, cols - 2, ROLE_TITLE, "%s %s", action_title[hd->action], hd->object_label);
	draw_text(y + 1, 1, 8, ROLE_NORMAL, "Reason:");
	field_draw(&hd->reason, y + 1, 9, cols - 11, 1, ROLE_INPUT, hd->dialog == 1);
	draw_text(y + 2, 1, cols - 2, hd->dialog == 2 ? ROLE_WARNING : ROLE_DIM, hd->dialog == 2 ?
	    "Revoke it for good? y = revoke now, n = back" :
	    "Enter: confirm (the reason is audited)   Esc: cancel");
}

static void
user_draw(struct app *app, int top, int rows, int cols)
{
	struct helpdesk *hd = app_hd(app);
	struct nav *nav = app_nav(app);
	const struct net_hd_user *u = user_row(app);
	int ns = (int)n_sessions(hd), na = (int)n_authn(hd), y = top, i, last = top + rows - 1;

	if (hd->dialog)
		last -= 4;
	if (nav->cursor >= ns + na)
		nav->cursor = ns + na > 0 ? ns + na - 1 : 0;
	draw_textf(y++, 1, cols - 2, ROLE_TITLE, "%s  (%s%s%s)   badges: %s", user_name(app),
	    u ? u->user_name : nav->patient_id, u ? ", " : "", u ? nav->patient_id : "",
	    hd->authn == NULL ? "…" : locked(hd) ? "LOCKED" : "not locked");
	if (hd->authn == NULL && hd->error[0] != '\0')
		draw_text(y++, 1, cols - 2, ROLE_ERROR, hd->error);
	y++;
	draw_textf(y++, 1, cols - 2, ROLE_DIM, "Live sessions (%d)", ns);
	for (i = 0; i < ns && y <= last; i++, y++) {
		enum color_role role = nav->cursor == i ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(y, 0, cols, role, nav->cursor == i ? ">" : "");
		draw_session(y, cols, role, &hd->sessions->sessions[i]);
	}
	y++;
	draw_textf(y++, 1, cols - 2, ROLE_DIM, "Authenticators (%d)", na);
	for (i = 0; i < na && y <= last; i++, y++) {
		enum color_role role = nav->cursor == ns + i ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(y, 0, cols, role, nav->cursor == ns + i ? ">" : "");
		draw_authn(y, cols, role, &hd->authn->authenticators[i]);
	}
	if (hd->dialog)
		draw_dialog(app, top + rows - 3, cols);
}

static void
open_dialog(struct app *app, enum hd_action action)
{
	struct helpdesk *hd = app_hd(app);
	int c = app_nav(app)->cursor, ns = (int)n_sessions(hd);
	char label[256];

	if (action == HD_END_SESSION && c < ns) {
		snprintf(label, sizeof(label), "%s on %s", user_name(app),
		    hd->sessions->sessions[c].workstation);
		app_hd_dialog_open(app, action, hd->sessions->sessions[c].id, label);
	} else if (action == HD_REVOKE && c >= ns && c - ns < (int)n_authn(hd)) {
		const struct net_hd_authenticator *k = &hd->authn->authenticators[c - ns];
		if (k->revoked_at != NULL) {
			app_message(app, ROLE_ERROR, "This authenticator is already revoked.");
			return;
		}
		snprintf(label, sizeof(label), "%s (%s)", user_name(app),
		    k->aaguid ? k->aaguid : "seeded badge");
		app_hd_dialog_open(app, action, k->id, label);
	} else if (action == HD_UNLOCK)
		app_hd_dialog_open(app, action, app_nav(app)->patient_id, user_name(app));
	else
		app_message(app, ROLE_ERROR, "Choose %s first (↑↓).",
		    action == HD_END_SESSION ? "a session" : "an authenticator");
}

static int
dialog_key(struct app *app, int key)
{
	struct helpdesk *hd = app_hd(app);

	if (hd->dialog == 2) {
		if (key == 'y' || key == 'Y')
			app_hd_dialog_confirm(app, app_nav(app)->patient_id);
		else if (key == 'n' || key == 'N' || key == KEY_ESC)
			hd->dialog = 1;
		return 1;
	}
	if (key == KEY_ESC) {
		app_hd_dialog_close(app);
		return 1;
	}
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		if (hd->action == HD_REVOKE && field_chars_trimmed(&hd->reason) > 0)
			hd->dialog = 2;
		else
			app_hd_dialog_confirm(app, app_nav(app)->patient_id);
		return 1;
	}
	if (field_key(&hd->reason, key))
		return 1;
	return key >= ' ' && key < 127;	/* letters do nothing else; ^X, ^Q still work */
}

static int
user_key(struct app *app, int key)
{
	struct helpdesk *hd = app_hd(app);
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, 0 };
	int n = (int)(n_sessions(hd) + n_authn(hd));

	if (hd->dialog)
		return dialog_key(app, key);
	switch (key) {
	case KEY_ESC:
		app_hd_clear(app);
		app_pop(app);
		return 1;
	case 'x':
		open_dialog(app, HD_END_SESSION);
		return 1;
	case 'u':
		open_dialog(app, HD_UNLOCK);
		return 1;
	case 'r':
		open_dialog(app, HD_REVOKE);
		return 1;
	case 'n':
		app_push(app, &screen_helpdesk_enrol, nav->patient_id, NULL);
		return 1;
	case KEY_F(5):
		user_enter(app);
		return 1;
	}
	if (n > 0 && listview_key(&lv, key, n, n)) {
		nav->cursor = lv.cursor;
		return 1;
	}
	return 0;
}

static const struct hint user_hints[] = {
	{ "x", "End session" },
	{ "u", "Unlock" },
	{ "n", "New key" },
	{ "r", "Revoke" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint user_keys[] = {
	{ "↑ ↓ / j k", "Choose a session or an authenticator" },
	{ "x", "End the chosen session (asks a reason)" },
	{ "u", "Unlock the user's locked badges (asks a reason)" },
	{ "n", "Enrol a new key for the user" },
	{ "r", "Revoke the chosen authenticator (asks a reason, then y to confirm)" },
	{ "F5", "Refresh" },
	{ "Esc", "Back to the search; in a dialog: cancel it" },
	{ NULL, NULL },
};

const struct screen screen_helpdesk_user = {
	.name = "helpdesk-user",
	.enter = user_enter,
	.draw = user_draw,
	.key = user_key,
	.hints = user_hints,
	.keys = user_keys,
};
