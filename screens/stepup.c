/* Step-up: the clinician's PIN, then a fresh user-verified assertion, before sensitive sections open. */
#include <curses.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"

static void
stepup_draw(struct app *app, int top, int rows, int cols)
{
	const struct net_chart *c = app->data.chart;
	int y = top + 1;

	(void)rows;
	draw_text(y++, 2, cols - 4, ROLE_TITLE, "Confirm it is you to open sensitive sections");
	if (c != NULL)
		draw_textf(y, 2, cols - 4, ROLE_NORMAL, "Patient: %s (MRN %s)",
		    c->patient.display_name, c->patient.mrn);
	y += 2;
	draw_wrapped(y, 2, cols - 4, 3, ROLE_DIM,
	    "Sensitive sections (mental health, substance use, HIV, sexual health, "
	    "restricted records) need a fresh check with your authenticator's PIN. "
	    "It lasts 5 minutes, for this patient only.");
	y += 4;
	draw_text(y, 2, 22, ROLE_NORMAL, "Authenticator PIN:");
	field_draw(&app->pin, y, 24, 20, 1, ROLE_INPUT, app->uv == UV_IDLE);
	y += 2;
	if (app->uv != UV_IDLE)
		draw_text(y, 2, cols - 4, ROLE_STATUS,
		    app->softkey ? "Checking…" : "Touch your security key now…");
}

static int
stepup_key(struct app *app, int key)
{
	struct nav *nav = app_nav(app);

	if (key == KEY_ESC) {
		field_clear(&app->pin);
		app_pop(app);
		return 1;
	}
	if (app->uv != UV_IDLE)
		return 1;	/* nothing to type while the authenticator works */
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		app_uv_begin(app, UV_STEP_UP, nav->patient_id, NULL);
		return 1;
	}
	return field_key(&app->pin, key);
}

static const struct hint stepup_hints[] = {
	{ "Enter", "Confirm" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint stepup_keys[] = {
	{ "type", "Your authenticator PIN (never shown)" },
	{ "Enter", "Confirm: a fresh check with your authenticator" },
	{ "Esc", "Back to the chart; the PIN is wiped" },
	{ NULL, NULL },
};

const struct screen screen_stepup = {
	.name = "stepup",
	.draw = stepup_draw,
	.key = stepup_key,
	.hints = stepup_hints,
	.keys = stepup_keys,
};
