/* Break the glass: reason code, written justification, PIN; a short, logged grant for one patient. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

#define JUSTIFICATION_MIN 20

enum step { STEP_REASON, STEP_JUSTIFY, STEP_PIN };

/* HL7 v3 ActReason override codes. */
static const struct {
	const char *code, *display;
} reasons[] = {
	{ "OVRER", "Emergency treatment" },
	{ "OVRPJ", "Professional judgment" },
	{ "OVRPS", "Public safety" },
	{ "OVRTPS", "Third-party safety" },
	{ "OVRINCOMP", "Patient unable to consent" },
};
#define N_REASONS ((int)(sizeof(reasons) / sizeof(reasons[0])))

/* The step lives in nav->scroll so that lock and resume bring it back. */
static enum step
step_of(const struct nav *nav)
{
	return nav->scroll >= STEP_REASON && nav->scroll <= STEP_PIN ? (enum step)nav->scroll :
	    STEP_REASON;
}

static void
draw_reasons(const struct nav *nav, int y, int cols)
{
	int i;

	draw_text(y++, 2, cols - 4, ROLE_NORMAL, "Why do you need this record now?");
	for (i = 0; i < N_REASONS; i++) {
		enum color_role r = i == nav->cursor ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(y + i, 2, cols - 4, r, "");
		draw_textf(y + i, 2, cols - 4, r, "%s %-10s %s", i == nav->cursor ? ">" : " ",
		    reasons[i].code, reasons[i].display);
	}
}

static void
breakglass_draw(struct app *app, int top, int rows, int cols)
{
	struct clin_session *s = app_session(app);
	struct nav *nav = app_nav(app);
	enum step step = step_of(nav);
	size_t n = field_chars_trimmed(&s->justification);
	int y = top;

	draw_line(y++, 0, cols, ROLE_BREAKGLASS, " BREAK THE GLASS");
	draw_wrapped(y, 2, cols - 4, 2, ROLE_WARNING,
	    "You have no care relationship with this patient. Access now is logged, "
	    "reported to the privacy office and reviewed.");
	y += 2;
	if (app->data.error_rule[0] != '\0')
		draw_textf(y, 2, cols - 4, ROLE_DIM, "Rule not met: %s", app->data.error_rule);
	y += 2;
	if (step == STEP_REASON) {
		draw_reasons(nav, y, cols);
		return;
	}
	draw_textf(y++, 2, cols - 4, ROLE_NORMAL, "Reason: %s %s", reasons[nav->cursor].code,
	    reasons[nav->cursor].display);
	draw_textf(y++, 2, cols - 4, n < JUSTIFICATION_MIN ? ROLE_WARNING : ROLE_DIM,
	    "Justification (%zu characters, at least %d):", n, JUSTIFICATION_MIN);
	field_draw(&s->justification, y, 2, cols - 4, step == STEP_JUSTIFY ? rows - (y - top) - 1 : 3,
	    ROLE_INPUT, step == STEP_JUSTIFY);
	if (step == STEP_PIN) {
		y += 4;
		draw_text(y, 2, 22, ROLE_NORMAL, "Authenticator PIN:");
		field_draw(&app->pin, y, 24, 20, 1, ROLE_INPUT, app->uv == UV_IDLE);
		if (app->uv != UV_IDLE)
			draw_text(y + 2, 2, cols - 4, ROLE_STATUS,
			    app->softkey ? "Checking…" : "Touch your security key now…");
	}
}

static int
is_enter(int key)
{
	return key == KEY_RET || key == KEY_LF || key == KEY_ENTER;
}

static int
breakglass_key(struct app *app, int key)
{
	struct clin_session *s = app_session(app);
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, 0 };

	switch (step_of(nav)) {
	case STEP_REASON:
		if (key == KEY_ESC) {
			app_pop(app);	/* the justification draft stays with the session */
			return 1;
		}
		if (listview_key(&lv, key, N_REASONS, N_REASONS)) {
			nav->cursor = lv.cursor;
			return 1;
		}
		if (is_enter(key))
			nav->scroll = STEP_JUSTIFY;
		return 1;
	case STEP_JUSTIFY:
		if (key == KEY_ESC) {
			nav->scroll = STEP_REASON;
			return 1;
		}
		if (key == KEY_TAB || key == KEY_CTRL('s')) {
			if (field_chars_trimmed(&s->justification) < JUSTIFICATION_MIN)
				app_message(app, ROLE_ERROR, "Write at least %d characters: say why "
				    "you need this record now.", JUSTIFICATION_MIN);
			else
				nav->scroll = STEP_PIN;
			return 1;
		}
		field_key(&s->justification, key);
		return 1;	/* every key is the editor's: nothing typed is lost */
	case STEP_PIN:
		if (key == KEY_ESC) {
			field_clear(&app->pin);
			nav->scroll = STEP_JUSTIFY;
			return 1;
		}
		if (app->uv != UV_IDLE)
			return 1;
		if (is_enter(key)) {
			app_uv_begin(app, UV_BREAK_GLASS, nav->patient_id, reasons[nav->cursor].code);
			return 1;
		}
		field_key(&app->pin, key);
		return 1;
	}
	return 0;
}

static const struct hint breakglass_hints[] = {
	{ "Enter", "Next" },
	{ "Tab/^S", "Continue" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint breakglass_keys[] = {
	{ "↑ ↓, Enter", "Choose the reason" },
	{ "type", "Write the justification (Enter is a new line)" },
	{ "Tab / ^S", "Continue to the PIN (20 characters at least)" },
	{ "Enter", "On the PIN: confirm and open the chart" },
	{ "Esc", "One step back; the justification is kept" },
	{ NULL, NULL },
};

const struct screen screen_breakglass = {
	.name = "breakglass",
	.draw = breakglass_draw,
	.key = breakglass_key,
	.hints = breakglass_hints,
	.keys = breakglass_keys,
};
