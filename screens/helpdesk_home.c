/* Helpdesk home: find a user by name or id, or the sessions on a cart. Never any clinical content. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_helpdesk.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

#define LIST_TOP 5

/* nav->purpose is "cart" when searching by cart; nav->patient_id is the text last sent. */
static int
by_cart(struct app *app)
{
	return strcmp(app_nav(app)->purpose, "cart") == 0;
}

static int
rows(struct app *app)
{
	struct helpdesk *hd = app_hd(app);

	if (by_cart(app))
		return hd->sessions ? (int)hd->sessions->n_sessions : 0;
	return hd->users ? (int)hd->users->n_users : 0;
}

static void
search(struct app *app)
{
	struct nav *nav = app_nav(app);

	if (nav->patient_id[0] == '\0')
		return;
	if (by_cart(app))
		app_hd_search_cart(app, nav->patient_id);
	else
		app_hd_search_users(app, nav->patient_id);
}

static void
home_enter(struct app *app)
{
	search(app);	/* the last search again: states change */
}

static void
draw_row(struct app *app, int y, int cols, int i, enum color_role role)
{
	struct helpdesk *hd = app_hd(app);

	draw_line(y, 0, cols, role, i == app_nav(app)->cursor ? ">" : "");
	if (by_cart(app)) {
		const struct net_hd_session *s = &hd->sessions->sessions[i];
		char since[32];

		app_hd_time(s->started, since, sizeof(since));
		draw_textf(y, 2, cols - 3, role, "%-22s %-10s since %s  %s", s->user_display_name,
		    s->state, since, s->user_id);
		return;
	}
	const struct net_hd_user *u = &hd->users->users[i];
	draw_textf(y, 2, cols - 3, role, "%-22s %-14s %-8s %lld badge%s  %s%s", u->display_name,
	    u->user_name, u->n_roles ? u->roles[0] : "", u->authenticator_count,
	    u->authenticator_count == 1 ? "" : "s", u->locked ? "LOCKED" : "not locked",
	    u->disabled ? ", disabled" : "");
}

static void
home_draw(struct app *app, int top, int nrows, int cols)
{
	struct clin_session *s = app_session(app);
	struct helpdesk *hd = app_hd(app);
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };
	int i, n = rows(app), visible = nrows - LIST_TOP;

	draw_text(top, 1, cols - 2, ROLE_TITLE, "Helpdesk: find a user or a cart");
	draw_textf(top + 1, 1, cols - 2, ROLE_DIM, "Searching by %s (Tab switches)",
	    by_cart(app) ? "cart, e.g. cart-4w-01" : "user name or id, at least 2 characters");
	draw_text(top + 3, 1, 8, ROLE_NORMAL, by_cart(app) ? "Cart:" : "User:");
	field_draw(&s->search, top + 3, 9, cols - 11, 1, ROLE_INPUT, !hd->dialog);
	if (n == 0) {
		if (hd->error[0] != '\0')
			draw_text(top + LIST_TOP, 1, cols - 2, ROLE_ERROR, hd->error);
		else if (nav->patient_id[0] != '\0' && hd->loading == 0)
			draw_text(top + LIST_TOP, 1, cols - 2, ROLE_DIM,
			    by_cart(app) ? "No live session on this cart." : "No user matches.");
		return;
	}
	listview_clamp(&lv, n, visible);
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	for (i = 0; i < visible && lv.scroll + i < n; i++)
		draw_row(app, top + LIST_TOP + i, cols, lv.scroll + i,
		    lv.scroll + i == lv.cursor ? ROLE_SELECTION : ROLE_NORMAL);
}

static void
open_selected(struct app *app)
{
	struct helpdesk *hd = app_hd(app);
	int i = app_nav(app)->cursor;
	const char *id;

	if (by_cart(app))
		id = hd->sessions->sessions[i].user_id;
	else {
		const struct net_hd_user *u = &hd->users->users[i];
		size_t k, len = 0;

		id = u->id;
		hd->user_roles[0] = '\0';
		for (k = 0; k < u->n_roles && len < sizeof(hd->user_roles); k++)
			len += (size_t)snprintf(hd->user_roles + len, sizeof(hd->user_roles) - len,
			    "%s%s", k ? "," : "", u->roles[k]);
	}
	app_push(app, &screen_helpdesk_user, id, NULL);
}

static int
home_key(struct app *app, int key)
{
	struct clin_session *s = app_session(app);
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };
	int n = rows(app);

	if (key == KEY_TAB) {
		snprintf(nav->purpose, sizeof(nav->purpose), "%s", by_cart(app) ? "" : "cart");
		nav->patient_id[0] = '\0';
		nav->cursor = nav->scroll = 0;
		field_clear(&s->search);
		app_hd_clear(app);
		return 1;
	}
	/* letters belong to the search text: only the arrows move */
	if (n > 0 && (key == KEY_UP || key == KEY_DOWN || key == KEY_NPAGE || key == KEY_PPAGE) &&
	    listview_key(&lv, key, n, LINES - 3 - LIST_TOP)) {
		nav->cursor = lv.cursor;
		nav->scroll = lv.scroll;
		return 1;
	}
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		if (n > 0 && strcmp(nav->patient_id, field_text(&s->search)) == 0) {
			open_selected(app);
			return 1;
		}
		if (field_chars_trimmed(&s->search) < 2) {
			app_message(app, ROLE_ERROR, "Type at least 2 characters.");
			return 1;
		}
		snprintf(nav->patient_id, sizeof(nav->patient_id), "%s", field_text(&s->search));
		nav->cursor = nav->scroll = 0;
		search(app);
		return 1;
	}
	return field_key(&s->search, key);
}

static const struct hint home_hints[] = {
	{ "Enter", "Search / open" },
	{ "Tab", "User / cart" },
	{ "↑↓", "Choose" },
	{ NULL, NULL },
};

static const struct hint home_keys[] = {
	{ "type", "A user's name or id (2+ characters), or a cart id" },
	{ "Tab", "Switch between searching users and searching a cart" },
	{ "Enter", "Search; again on the same text: open the selected user" },
	{ "↑ ↓ PgUp PgDn", "Choose a result" },
	{ NULL, NULL },
};

const struct screen screen_helpdesk_home = {
	.name = "helpdesk",
	.enter = home_enter,
	.draw = home_draw,
	.key = home_key,
	.hints = home_hints,
	.keys = home_keys,
};
