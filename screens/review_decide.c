/* The decision dialog: three choices and a note that is never lost (it lives in the session's desk, and every retry is the same request). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_review.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

enum focus { FOCUS_CHOICE, FOCUS_NOTE };	/* kept in nav->scroll: lock and resume bring it back */

static void
decide_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);
	struct nav *nav = app_nav(app);
	int i, y = top;

	if (d == NULL || strcmp(d->event_id, nav->patient_id) != 0) {
		draw_text(top + 1, 1, cols - 2, ROLE_ERROR, "This decision draft is gone.");
		return;
	}
	draw_textf(y++, 1, cols - 2, ROLE_TITLE, "Decision on break-glass event %s", d->event_id);
	y++;
	for (i = 0; i < 3; i++, y++) {
		enum color_role r = i == d->choice ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(y, 2, cols - 4, r, "");
		draw_textf(y, 2, cols - 4, r, "%s (%c) %d %s", i == d->choice ? ">" : " ",
		    i == d->choice ? '*' : ' ', i + 1, app_review_choice_words[i]);
	}
	y++;
	draw_textf(y++, 2, cols - 4, ROLE_NORMAL, "Note (%zu of at most %d characters, required):",
	    field_chars(&d->note), REVIEW_NOTE_MAX);
	field_draw(&d->note, y, 2, cols - 4, rows - (y - top) - 3, ROLE_INPUT,
	    nav->scroll == FOCUS_NOTE && !d->sending);
	y = top + rows - 2;
	if (d->sending)
		draw_text(y, 2, cols - 4, ROLE_STATUS, "Sending the decision…");
	else if (d->failed[0] != '\0') {
		draw_textf(y, 2, cols - 4, ROLE_ERROR, "Not sent: %s", d->failed);
		draw_text(y + 1, 2, cols - 4, ROLE_WARNING,
		    "Your note is kept. Enter sends it again (the same request: it cannot be recorded twice).");
	}
}

static void
submit(struct app *app, struct review_desk *d)
{
	if (field_chars_trimmed(&d->note) == 0) {
		app_message(app, ROLE_ERROR, "Write a note: it is the record of why you decided so.");
		app_nav(app)->scroll = FOCUS_NOTE;
		return;
	}
	app_review_decide(app);
}

static int
decide_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);
	struct nav *nav = app_nav(app);
	struct listview lv;

	if (d == NULL || strcmp(d->event_id, nav->patient_id) != 0) {
		if (key == KEY_ESC)
			app_pop(app);
		return 1;
	}
	if (d->sending)
		return key != KEY_CTRL('x') && key != KEY_CTRL('q');	/* nothing else changes in flight */
	if (key == KEY_TAB || key == KEY_CTRL('s') ||
	    (d->failed[0] != '\0' && (key == KEY_RET || key == KEY_LF || key == KEY_ENTER))) {
		submit(app, d);
		return 1;
	}
	if (key == KEY_CTRL('d')) {
		app_review_draft_discard(app);
		app_pop(app);
		app_message(app, ROLE_STATUS, "Decision draft discarded.");
		return 1;
	}
	if (key == KEY_ESC) {
		if (nav->scroll == FOCUS_NOTE)
			nav->scroll = FOCUS_CHOICE;
		else
			app_pop(app);	/* the draft stays with the session */
		return 1;
	}
	if (nav->scroll == FOCUS_CHOICE) {
		lv = (struct listview){ d->choice, 0 };
		if (key >= '1' && key <= '3')
			d->choice = key - '1';
		else if (listview_key(&lv, key, 3, 3))
			d->choice = lv.cursor;
		else if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER)
			nav->scroll = FOCUS_NOTE;
		else
			return 0;
		return 1;
	}
	if (!field_key(&d->note, key))
		return 0;		/* ^X, ^Q and the like stay the cart's */
	d->failed[0] = '\0';		/* an edit: Enter is a new line again */
	return 1;
}

static const struct hint decide_hints[] = {
	{ "↑↓/1-3", "Choose" },
	{ "Enter", "Note" },
	{ "Tab/^S", "Submit" },
	{ "Esc", "Back (kept)" },
	{ NULL, NULL },
};

static const struct hint decide_keys[] = {
	{ "↑ ↓ / 1 2 3", "Appropriate, inappropriate, needs follow-up" },
	{ "Enter", "On the choice: write the note (Enter is then a new line)" },
	{ "Tab / ^S", "Submit the decision" },
	{ "Enter", "After a failed send: send the same decision again" },
	{ "Esc", "Back a step; the draft stays with your session, also across a lock" },
	{ "^D", "Discard the draft" },
	{ NULL, NULL },
};

const struct screen screen_review_decide = {
	.name = "review-decide",
	.draw = decide_draw,
	.key = decide_key,
	.hints = decide_hints,
	.keys = decide_keys,
};
