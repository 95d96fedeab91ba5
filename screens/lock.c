/* Lock screen: cart name and time, how to tap in; never any patient data. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/softkey.h"
#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"

static void
center(int y, int cols, enum color_role role, const char *text)
{
	int w = (int)draw_width(text);

	draw_text(y, w < cols ? (cols - w) / 2 : 0, cols, role, text);
}

static void
draw_badges(struct app *app, int y, int rows, int cols)
{
	size_t i, n = softkey_count(app->softkey);
	int per_col = rows > 0 ? rows : 1, colw = cols / 2 - 2;

	center(y++, cols, ROLE_DEMO, " DEMO: these keys tap a demo badge (Alt+key on any screen) ");
	y++;
	per_col -= 2;
	for (i = 0; i < n && per_col > 0; i++) {
		int col = (int)i / per_col, row = (int)i % per_col;
		if (col > 1)
			break;
		draw_textf(y + row, 2 + col * (colw + 2), colw, ROLE_NORMAL, "%c  %s  (%s)",
		    app_badge_key((int)i), softkey_display_name(app->softkey, i),
		    softkey_roles(app->softkey, i));
	}
}

static void
lock_draw(struct app *app, int top, int rows, int cols)
{
	char clock[64];
	time_t now = time(NULL);
	struct tm tm;
	int y = top + 1;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%A %d %B %Y  %H:%M", &tm);
	center(y++, cols, ROLE_LOCK, " chartgate ");
	y++;
	center(y++, cols, ROLE_TITLE, app->cfg.workstation);
	center(y++, cols, ROLE_NORMAL, clock);
	y++;
	if (app->softkey != NULL)
		center(y++, cols, ROLE_NORMAL, "Tap your badge to sign in.");
	else
		center(y++, cols, ROLE_NORMAL, "Press Enter, then touch your security key.");
	y++;
	if (app->softkey != NULL)
		draw_badges(app, y, top + rows - y, cols);
}

static int
lock_key(struct app *app, int key)
{
	int badge = app_badge_for_key(app, key);

	if (badge >= 0) {
		app_tap(app, badge);
		return 1;
	}
	if (app->softkey == NULL && (key == KEY_ENTER || key == '\r' || key == '\n')) {
		app_tap(app, -1);
		return 1;
	}
	return 0;
}

static void
lock_tick(struct app *app)
{
	app->dirty = 1;		/* the clock */
}

static const struct hint lock_hints[] = {
	{ "^Q", "Quit" },
	{ NULL, NULL },
};

static const struct hint lock_keys[] = {
	{ "1..9 0 a..", "Demo: tap the badge listed next to the key" },
	{ "Enter", "Security key: start a tap, then touch the key" },
	{ "^Q", "Quit chartgate" },
	{ NULL, NULL },
};

const struct screen screen_lock = {
	.name = "lock",
	.draw = lock_draw,
	.key = lock_key,
	.tick = lock_tick,
	.hints = lock_hints,
	.keys = lock_keys,
};
