/* Helpdesk: enrol a new key for a user at the desk: reason, the key's PIN (set twice when blank), touch. */
#include <curses.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_helpdesk.h"
#include "tui/draw.h"
#include "tui/term.h"

/* Which field has the keyboard: the reason before the key is found, the PINs after. */
static struct field *
focus(struct app *app)
{
	struct helpdesk *hd = app_hd(app);

	if (hd->enrol == HD_ENROL_IDLE || hd->enrol == HD_ENROL_DONE)
		return &hd->reason;
	if (hd->enrol != HD_ENROL_PIN)
		return NULL;
	return app_nav(app)->cursor == 1 && !hd->key_has_pin ? &hd->pin_again : &hd->pin;
}

static void
enrol_enter(struct app *app)
{
	app_hd_enrol_reset(app);
	app_nav(app)->cursor = 0;
}

static const char *
step_text(struct app *app)
{
	struct helpdesk *hd = app_hd(app);

	switch (hd->enrol) {
	case HD_ENROL_IDLE: return "Type the reason, then press Enter and present the new key.";
	case HD_ENROL_CHALLENGE: return "Asking chartgated for an enrolment challenge…";
	case HD_ENROL_PROBE: return "Looking for the new key…";
	case HD_ENROL_PIN: return hd->key_has_pin ?
		    "The clinician types the key's PIN, then Enter." :
		    "This key has no PIN: the clinician chooses one (4-63 characters), twice.";
	case HD_ENROL_KEY: return app->softkey ? "Making the credential…" :
		    "Touch the new key now… (Esc cancels)";
	case HD_ENROL_POST: return "chartgated is checking the new key…";
	case HD_ENROL_DONE: return hd->result;
	}
	return "";
}

static void
enrol_draw(struct app *app, int top, int rows, int cols)
{
	struct helpdesk *hd = app_hd(app);
	struct field *f = focus(app);
	int y = top + 1;

	(void)rows;
	draw_textf(y++, 2, cols - 4, ROLE_TITLE, "Enrol a new key for %s", app_nav(app)->patient_id);
	y++;
	draw_text(y, 2, 10, ROLE_NORMAL, "Reason:");
	field_draw(&hd->reason, y, 12, cols - 14, 1, ROLE_INPUT, f == &hd->reason);
	y += 2;
	if (hd->enrol == HD_ENROL_PIN) {
		draw_text(y, 2, 22, ROLE_NORMAL, hd->key_has_pin ? "Key PIN:" : "New PIN:");
		field_draw(&hd->pin, y++, 24, 20, 1, ROLE_INPUT, f == &hd->pin);
		if (!hd->key_has_pin) {
			draw_text(y, 2, 22, ROLE_NORMAL, "New PIN again:");
			field_draw(&hd->pin_again, y++, 24, 20, 1, ROLE_INPUT, f == &hd->pin_again);
		}
		y++;
	}
	draw_wrapped(y, 2, cols - 4, 3, hd->enrol != HD_ENROL_DONE ? ROLE_STATUS :
	    hd->enrol_ok ? ROLE_STATUS : ROLE_ERROR, step_text(app));
}

static int
enrol_key(struct app *app, int key)
{
	struct helpdesk *hd = app_hd(app);
	struct nav *nav = app_nav(app);
	struct field *f = focus(app);
	int enter = key == KEY_RET || key == KEY_LF || key == KEY_ENTER;

	if (key == KEY_ESC) {
		if (hd->enrol != HD_ENROL_IDLE && hd->enrol != HD_ENROL_DONE) {
			app_hd_enrol_cancel(app);
			app_message(app, ROLE_STATUS, "Enrolment cancelled.");
			return 1;
		}
		app_hd_enrol_reset(app);
		app_pop(app);
		return 1;
	}
	if (hd->enrol == HD_ENROL_PIN && (key == KEY_TAB || key == KEY_DOWN || key == KEY_UP ||
	    (enter && nav->cursor == 0 && !hd->key_has_pin))) {
		nav->cursor = !nav->cursor;
		return 1;
	}
	if (enter) {
		if (hd->enrol == HD_ENROL_PIN) {
			app_hd_enrol_pin(app, nav->patient_id);
			nav->cursor = 0;
		} else if (hd->enrol == HD_ENROL_IDLE || hd->enrol == HD_ENROL_DONE)
			app_hd_enrol_begin(app, nav->patient_id);
		return 1;
	}
	if (f != NULL && field_key(f, key))
		return 1;
	return key >= ' ' && key < 127;	/* letters do nothing else; ^X, ^Q still work */
}

static const struct hint enrol_hints[] = {
	{ "Enter", "Next" },
	{ "Tab", "Next PIN field" },
	{ "Esc", "Cancel / back" },
	{ NULL, NULL },
};

static const struct hint enrol_keys[] = {
	{ "type", "The reason (audited); later the key's PIN, never shown" },
	{ "Enter", "Start with the new key; after the PIN(s): make the credential" },
	{ "Tab ↑ ↓", "Between the new PIN and its repetition" },
	{ "Esc", "Cancel the enrolment in progress, or go back" },
	{ NULL, NULL },
};

const struct screen screen_helpdesk_enrol = {
	.name = "helpdesk-enrol",
	.enter = enrol_enter,
	.draw = enrol_draw,
	.key = enrol_key,
	.hints = enrol_hints,
	.keys = enrol_keys,
};
