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
	if (s != NULL && nav->purpose[0] != '\0')
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
	else if (app->busy_since_ms && loop_now_ms() - app->busy_since_ms >= 150)
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
	for (; h != NULL && h->key != NULL; h++)
		x = draw_hint(y, x, h->key, h->label);
	if (app_session(app) != NULL) {
		x = draw_hint(y, x, "^X", "Lock");
		if (app->softkey != NULL)
			x = draw_hint(y, x, "Alt+1..", "Tap badge");
	}
	if (app->tap != TAP_IDLE)
		draw_hint(y, x, "Esc", "Cancel tap");
}

void
app_draw(struct app *app)
{
	struct nav *nav = app_nav(app);

	app->dirty = 0;
	erase();
	if (LINES < 10 || COLS < 40) {
		draw_text(0, 0, COLS, ROLE_WARNING, "Terminal too small for chartgate (need 40x10).");
		refresh();
		return;
	}
	draw_title(app);
	nav->screen->draw(app, 1, LINES - 3, COLS);
	draw_message(app, LINES - 2);
	draw_hints(app, LINES - 1);
	refresh();
}
