/* Worklist: the patients on the clinician's care teams with an active encounter. */
#include <curses.h>
#include <stdio.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_list.h"
#include "tui/draw.h"

#define HEADER_ROWS 2

static void
worklist_enter(struct app *app)
{
	app_fetch_worklist(app);
}

/* The worklist the last full frame showed, for repainting a selection step. */
static struct list_shown shown;
static const struct net_worklist *shown_wl;

static void
draw_row(struct app *app, int y, int cols, long idx, long cursor)
{
	const struct net_patient_row *p = &app->data.worklist->patients[idx];
	enum color_role role = idx == cursor ? ROLE_SELECTION : ROLE_NORMAL;
	int name_w = cols - 48 > 16 ? cols - 48 : 16;

	draw_line(y, 0, cols, role, "");
	draw_text(y, 1, name_w, role, p->display_name);
	draw_text(y, name_w + 2, 12, role, p->mrn);
	draw_text(y, name_w + 15, 10, role, p->birth_date);
	draw_text(y, name_w + 27, 8, role, p->location ? p->location : "");
	draw_text(y, name_w + 36, cols - name_w - 36, role, p->encounter_status);
	if (idx == cursor)	/* a marker too: selection is not told by colour alone */
		draw_text(y, 0, 1, ROLE_SELECTION, ">");
}

static int
repaint(struct app *app)
{
	const struct net_worklist *wl = app->data.worklist;

	if (wl == NULL || wl != shown_wl)	/* fetched again: a full frame */
		return -1;
	return list_shown_repaint(app, &shown, (long)wl->n_patients);
}

static void
worklist_draw(struct app *app, int top, int rows, int cols)
{
	const struct net_worklist *wl = app->data.worklist;
	int visible = rows - HEADER_ROWS, name_w = cols - 48 > 16 ? cols - 48 : 16;

	if (wl == NULL) {
		draw_text(top + 1, 1, cols - 2, app->data.error[0] ? ROLE_ERROR : ROLE_DIM,
		    app->data.error[0] ? app->data.error : "Loading your worklist…");
		return;
	}
	draw_textf(top, 1, cols - 2, ROLE_TITLE, "My patients (%zu)", wl->n_patients);
	draw_line(top + 1, 0, cols, ROLE_DIM, "");
	draw_text(top + 1, 1, name_w, ROLE_DIM, "Name");
	draw_text(top + 1, name_w + 2, 12, ROLE_DIM, "MRN");
	draw_text(top + 1, name_w + 15, 10, ROLE_DIM, "Born");
	draw_text(top + 1, name_w + 27, 8, ROLE_DIM, "Location");
	draw_text(top + 1, name_w + 36, cols - name_w - 36, ROLE_DIM, "Encounter");
	if (wl->n_patients == 0) {
		draw_text(top + 3, 1, cols - 2, ROLE_DIM,
		    "No patients on your care teams right now.");
		return;
	}
	shown_wl = wl;
	list_shown_draw(app, &shown, top + HEADER_ROWS, visible, cols, (long)wl->n_patients,
	    draw_row, repaint);
}

static int
worklist_key(struct app *app, int key)
{
	const struct net_worklist *wl = app->data.worklist;
	struct nav *nav = app_nav(app);
	int n = wl ? (int)wl->n_patients : 0;

	if (key == 'r') {
		app_fetch_worklist(app);
		return 1;
	}
	if (key == '/') {
		app_push(app, &screen_search, NULL, NULL);
		return 1;
	}
	if (wl == NULL)
		return 0;
	if (list_key(app, key, n, LINES - 3 - HEADER_ROWS))
		return 1;
	if ((key == KEY_ENTER || key == '\r' || key == '\n' || key == KEY_RIGHT || key == 'l') &&
	    n > 0) {
		const char *id = wl->patients[nav->cursor].id, *memo = app_memo_purpose(app, id);

		/* A purpose already given for this patient stands for the task: no extra key. */
		if (memo != NULL) {
			app_push(app, &screen_chart, id, memo);
			return 1;
		}
		app_push(app, &screen_purpose, id, NULL);
		app_nav(app)->cursor = -1;	/* let the purpose screen place its default */
		return 1;
	}
	return 0;
}

static const struct hint worklist_hints[] = {
	{ "↑↓", "Move" },
	{ "Enter", "Open chart" },
	{ "/", "Find patient" },
	{ "r", "Refresh" },
	{ NULL, NULL },
};

static const struct hint worklist_keys[] = {
	{ "↑ ↓ / j k", "Move the selection" },
	{ "PgUp PgDn", "A page up or down" },
	{ "Home End / g G", "First or last patient" },
	{ "Enter / → / l", "Open the chart (asks the purpose the first time)" },
	{ "/", "Find any patient by name or MRN" },
	{ "r", "Refresh the worklist" },
	{ NULL, NULL },
};

const struct screen screen_worklist = {
	.name = "worklist",
	.enter = worklist_enter,
	.draw = worklist_draw,
	.key = worklist_key,
	.hints = worklist_hints,
	.keys = worklist_keys,
};
