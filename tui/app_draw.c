/* The frame around every screen: title bar, message line, key-hint bar. */
#include "tui/app.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"

#define DEMO_MARK " DEMO AUTHENTICATOR "

static void
draw_title(struct app *app)
{
	struct clin_session *s = app_session(app);
	struct nav *nav = app_nav(app);
	char left[512];
	int n, demo_w = app->softkey ? (int)strlen(DEMO_MARK) : 0;

	n = snprintf(left, sizeof(left), " chartgate │ %s", app->cfg.workstation);
	if (s != NULL)
		n += snprintf(left + n, sizeof(left) - (size_t)n, " │ %s (%s)",
		    s->display_name, s->roles);
	if (s != NULL && nav->purpose[0] != '\0' && !app->still_prompt)
		snprintf(left + n, sizeof(left) - (size_t)n, " │ purpose %s", nav->purpose);
	draw_line(0, 0, COLS - demo_w, ROLE_TITLE, left);
	if (demo_w)	/* permanent: a demo credential must never pass for a real one */
		draw_text(0, COLS - demo_w, demo_w, ROLE_DEMO, DEMO_MARK);
}

static const char *
busy_text(const struct app *app)
{
	switch (app->tap) {
	case TAP_CHALLENGE:
		return "Contacting chartgated…";
	case TAP_ASSERT:
		return "Reading the badge…";
	case TAP_SESSION:
		return "Signing in…";
	case TAP_IDLE:
		break;
	}
	return "Loading…";
}

static void
draw_message(struct app *app, int y)
{
	if (app->message[0] != '\0')
		draw_line(y, 0, COLS, app->message_role, app->message);
	else if (app_busy_shown(app))
		draw_line(y, 0, COLS, ROLE_STATUS, busy_text(app));
	else
		draw_line(y, 0, COLS, ROLE_NORMAL, "");
}

static int
draw_hint(int y, int x, const char *key, const char *label)
{
	int w;

	if (x >= COLS - 2)
		return x;
	w = draw_text(y, x, COLS - x, ROLE_HINTS, key);
	w += draw_textf(y, x + w, COLS - x - w, ROLE_STATUS, " %s", label);
	return x + w + 2;
}

static void
draw_hints(struct app *app, int y)
{
	const struct hint *h = app_nav(app)->screen->hints;
	int x = 0;

	draw_line(y, 0, COLS, ROLE_STATUS, "");
	x = draw_hint(y, x, "F1", "Help");
	for (; h != NULL && h->key != NULL; h++)
		x = draw_hint(y, x, h->key, h->label);
	if (app_session(app) != NULL) {
		x = draw_hint(y, x, "^X", "Lock");
		if (app->softkey != NULL)
			x = draw_hint(y, x, "Alt+1..", "Tap badge");
	}
	if (app->tap != TAP_IDLE && app_busy_shown(app))
		draw_hint(y, x, "Esc", "Cancel tap");
}

/* Keys every screen shares, for the help overlay. */
static const struct hint global_keys[] = {
	{ "F1 / ?", "This help (any key closes it)" },
	{ "Alt+badge key", "Tap a demo badge: switch clinician, or lock if it is yours" },
	{ "^X / F12", "Lock the cart now" },
	{ "Esc", "Cancel a tap or PIN check in progress" },
	{ "^L", "Redraw the screen" },
	{ "^Q", "Quit chartgate" },
	{ NULL, NULL },
};

static int
draw_key_list(int y, int x, int w, int last, const struct hint *h)
{
	for (; h != NULL && h->key != NULL && y <= last; h++, y++) {
		draw_text(y, x, 16, ROLE_HINTS, h->key);
		draw_text(y, x + 17, w - 18, ROLE_NORMAL, h->label);
	}
	return y;
}

static void
draw_help(struct app *app, int top, int rows)
{
	const struct screen *scr = app_nav(app)->screen;
	int w = COLS - 4 < 76 ? COLS - 4 : 76, x = (COLS - w) / 2, y = top, last = top + rows - 1;

	for (y = top; y <= last; y++)
		draw_line(y, x - 1, w + 2, ROLE_NORMAL, "");
	y = top;
	draw_line(y++, x - 1, w + 2, ROLE_TITLE, " Keys on this screen");
	y = draw_key_list(y, x, w, last, scr->keys ? scr->keys : scr->hints);
	y++;
	if (y <= last)
		draw_line(y++, x - 1, w + 2, ROLE_TITLE, " Keys everywhere");
	draw_key_list(y, x, w, last, global_keys);
}

static void
draw_still(struct app *app)
{
	struct clin_session *s = app_session(app);
	char line[256];
	int y = LINES / 2 - 3;

	snprintf(line, sizeof(line), "Still %s?", s ? s->display_name : "there");
	draw_text(y, (COLS - (int)draw_width(line)) / 2, COLS, ROLE_TITLE, line);
	draw_text(y + 2, (COLS - 44) / 2, COLS, ROLE_NORMAL,
	    "Press any key or tap your badge to continue.");
	draw_textf(y + 3, (COLS - 24) / 2, COLS, ROLE_WARNING, "Locking in %ld s.",
	    app_idle_left(app));
}

void
app_draw(struct app *app)
{
	struct nav *nav = app_nav(app);

	app->dirty = 0;
	app->dirty_rows = 0;
	app->redraw_rows = NULL;	/* the list on this frame, if any, sets it again */
	draw_frame_begin();
	if (LINES < 10 || COLS < 40) {
		draw_text(0, 0, COLS, ROLE_WARNING, "Terminal too small for chartgate (need 40x10).");
		draw_frame_end();
		return;
	}
	draw_title(app);
	if (app->still_prompt)
		draw_still(app);	/* the screen's content stays hidden until answered */
	else if (app->help)
		draw_help(app, 1, LINES - 3);
	else
		nav->screen->draw(app, 1, LINES - 3, COLS);
	draw_message(app, LINES - 2);
	draw_hints(app, LINES - 1);
	draw_frame_end();
}

/* A step of a list's selection: two rows over the last frame. Anything else that
 * changed set app->dirty, and a full frame is drawn instead (app_run). */
void
app_draw_rows(struct app *app)
{
	app->dirty_rows = 0;
	if (app->redraw_rows == NULL) {
		app_draw(app);
		return;
	}
	/* no draw_frame_begin: the last frame's cells and cursor stand */
	if (app->redraw_rows(app) != 0) {
		app_draw(app);
		return;
	}
	draw_frame_end();
}
