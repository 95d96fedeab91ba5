/* Purpose of use: asked before a chart opens, from the codes the server allows this role. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

/* The patient's name as the worklist showed it, if it is still loaded. */
static const char *
patient_name(struct app *app, const char *id)
{
	const struct net_worklist *wl = app->data.worklist;
	size_t i;

	for (i = 0; wl != NULL && i < wl->n_patients; i++)
		if (strcmp(wl->patients[i].id, id) == 0)
			return wl->patients[i].display_name;
	return id;
}

/* TREAT is highlighted by default: it is what a clinician at a cart means most often. */
static void
place_default(struct app *app, struct nav *nav)
{
	const struct net_me *me = app->data.me;
	size_t i;

	if (nav->cursor >= 0 || me == NULL)
		return;
	nav->cursor = 0;
	for (i = 0; i < me->n_purposes; i++)
		if (strcmp(me->purposes[i].code, "TREAT") == 0)
			nav->cursor = (int)i;
}

static void
purpose_draw(struct app *app, int top, int rows, int cols)
{
	const struct net_me *me = app->data.me;
	struct nav *nav = app_nav(app);
	size_t i;

	draw_textf(top, 1, cols - 2, ROLE_TITLE, "Why are you opening the chart of %s?",
	    patient_name(app, nav->patient_id));
	if (me == NULL) {
		draw_text(top + 2, 1, cols - 2, app->data.error[0] ? ROLE_ERROR : ROLE_DIM,
		    app->data.error[0] ? app->data.error : "Loading…");
		return;
	}
	place_default(app, nav);
	draw_text(top + 1, 1, cols - 2, ROLE_DIM,
	    "Your purpose of use is recorded with every access to this chart.");
	for (i = 0; i < me->n_purposes && (int)i < rows - 3; i++) {
		enum color_role r = (int)i == nav->cursor ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(top + 3 + (int)i, 2, cols - 4, r, "");
		draw_textf(top + 3 + (int)i, 2, cols - 4, r, "%s %-8s %s",
		    (int)i == nav->cursor ? ">" : " ", me->purposes[i].code,
		    me->purposes[i].display);
	}
}

static int
purpose_key(struct app *app, int key)
{
	const struct net_me *me = app->data.me;
	struct nav *nav = app_nav(app);
	struct listview lv;
	char patient[APP_ID_MAX];

	if (key == KEY_ESC || key == KEY_LEFT || key == 'h' || key == KEY_BACKSPACE) {
		app_pop(app);
		return 1;
	}
	if (me == NULL || me->n_purposes == 0)
		return 0;
	place_default(app, nav);
	lv = (struct listview){ nav->cursor, 0 };
	if (listview_key(&lv, key, (int)me->n_purposes, (int)me->n_purposes)) {
		nav->cursor = lv.cursor;
		return 1;
	}
	if (key == KEY_ENTER || key == '\r' || key == '\n') {
		snprintf(patient, sizeof(patient), "%s", nav->patient_id);
		app_memo_set(app, patient, me->purposes[nav->cursor].code);
		app_replace(app, &screen_chart, patient, me->purposes[nav->cursor].code);
		return 1;
	}
	return 0;
}

static const struct hint purpose_hints[] = {
	{ "↑↓", "Choose" },
	{ "Enter", "Open chart" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint purpose_keys[] = {
	{ "↑ ↓ / j k", "Choose a purpose of use" },
	{ "Enter", "Open the chart for that purpose" },
	{ "Esc / ← / h", "Back" },
	{ NULL, NULL },
};

const struct screen screen_purpose = {
	.name = "purpose",
	.draw = purpose_draw,
	.key = purpose_key,
	.hints = purpose_hints,
	.keys = purpose_keys,
};
