/* Revoke or extend one access exception: a reason always, and for extend an RFC 3339 date or +N days. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_review.h"
#include "tui/draw.h"
#include "tui/term.h"

enum focus { FOCUS_UNTIL, FOCUS_REASON };	/* nav->scroll */

static void
act_enter(struct app *app)
{
	struct review_desk *d = app_review_desk(app);

	if (d != NULL && !d->exc_extend)
		app_nav(app)->scroll = FOCUS_REASON;
}

static void
act_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);
	struct nav *nav = app_nav(app);
	char until[64];
	int y = top;

	(void)rows;
	if (d == NULL || strcmp(d->exc_id, nav->patient_id) != 0) {
		draw_text(top + 1, 1, cols - 2, ROLE_ERROR, "This draft is gone.");
		return;
	}
	draw_textf(y++, 1, cols - 2, ROLE_TITLE, "%s access exception %s",
	    d->exc_extend ? "Extend" : "Revoke", d->exc_id);
	y++;
	if (d->exc_extend) {
		draw_text(y++, 2, cols - 4, ROLE_NORMAL, "Until (2026-12-31T17:00:00Z, or +N days):");
		field_draw(&d->until, y++, 2, 40, 1, ROLE_INPUT, nav->scroll == FOCUS_UNTIL);
		if (app_review_until(field_text(&d->until), until, sizeof(until)) == 0)
			draw_textf(y, 2, cols - 4, ROLE_DIM, "= %s", until);
		y += 2;
	}
	draw_text(y++, 2, cols - 4, ROLE_NORMAL, "Reason (goes to the audit trail):");
	field_draw(&d->reason, y, 2, cols - 4, 1, ROLE_INPUT, nav->scroll == FOCUS_REASON);
}

static int
act_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);
	struct nav *nav = app_nav(app);
	int enter = key == KEY_RET || key == KEY_LF || key == KEY_ENTER;

	if (key == KEY_ESC || d == NULL || strcmp(d->exc_id, nav->patient_id) != 0) {
		if (key == KEY_ESC)
			app_pop(app);
		return 1;
	}
	if (d->exc_extend && (key == KEY_TAB || key == KEY_UP || key == KEY_DOWN ||
	    (enter && nav->scroll == FOCUS_UNTIL))) {
		nav->scroll = nav->scroll == FOCUS_UNTIL ? FOCUS_REASON : FOCUS_UNTIL;
		return 1;
	}
	if (enter || key == KEY_CTRL('s')) {
		app_review_exc_send(app);
		return 1;
	}
	return field_key(nav->scroll == FOCUS_UNTIL ? &d->until : &d->reason, key);
}

static const struct hint act_hints[] = {
	{ "Enter/^S", "Confirm" },
	{ "Tab", "Next field" },
	{ "Esc", "Cancel" },
	{ NULL, NULL },
};

const struct screen screen_review_exc_act = {
	.name = "review-exception-action",
	.enter = act_enter,
	.draw = act_draw,
	.key = act_key,
	.hints = act_hints,
};
