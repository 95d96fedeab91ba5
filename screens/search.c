/* Patient search by name or MRN: demographics only, and every search is audited by the server. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

#define LIST_TOP 4

/* The query last sent is kept in nav->patient_id: Enter on an unchanged
 * query opens the selected patient, on a changed one searches again. */
static void
search_draw(struct app *app, int top, int rows, int cols)
{
	struct clin_session *s = app_session(app);
	const struct net_worklist *r = app->search_results;
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, 0 };
	int i, visible = rows - LIST_TOP;

	draw_text(top, 1, cols - 2, ROLE_TITLE, "Find a patient (name or MRN, at least 3 characters)");
	draw_text(top + 2, 1, 8, ROLE_NORMAL, "Search:");
	field_draw(&s->search, top + 2, 9, cols - 11, 1, ROLE_INPUT, 1);
	if (r == NULL) {
		if (app->data.error[0] != '\0')
			draw_text(top + LIST_TOP, 1, cols - 2, ROLE_ERROR, app->data.error);
		return;
	}
	if (r->n_patients == 0) {
		draw_text(top + LIST_TOP, 1, cols - 2, ROLE_DIM, "No patient matches.");
		return;
	}
	listview_clamp(&lv, (int)r->n_patients, visible);
	nav->cursor = lv.cursor;
	for (i = 0; i < visible && lv.scroll + i < (int)r->n_patients; i++) {
		const struct net_patient_row *p = &r->patients[lv.scroll + i];
		enum color_role role = lv.scroll + i == lv.cursor ? ROLE_SELECTION : ROLE_NORMAL;
		draw_line(top + LIST_TOP + i, 0, cols, role, lv.scroll + i == lv.cursor ? ">" : "");
		draw_textf(top + LIST_TOP + i, 1, cols - 2, role, "%-28s %-12s %-10s %s",
		    p->display_name, p->mrn, p->birth_date, p->unit ? p->unit : "");
	}
}

static void
open_selected(struct app *app, const struct net_patient_row *p)
{
	const char *memo = app_memo_purpose(app, p->id);

	if (memo != NULL) {
		app_push(app, &screen_chart, p->id, memo);
		return;
	}
	app_push(app, &screen_purpose, p->id, NULL);
	app_nav(app)->cursor = -1;
}

static int
search_key(struct app *app, int key)
{
	struct clin_session *s = app_session(app);
	const struct net_worklist *r = app->search_results;
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, 0 };

	if (key == KEY_ESC) {
		app_pop(app);
		return 1;
	}
	if (r != NULL && (key == KEY_UP || key == KEY_DOWN || key == KEY_NPAGE || key == KEY_PPAGE)) {
		listview_key(&lv, key, (int)r->n_patients, LINES - 3 - LIST_TOP);
		nav->cursor = lv.cursor;
		return 1;
	}
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		if (r != NULL && r->n_patients > 0 && strcmp(nav->patient_id, field_text(&s->search)) == 0) {
			open_selected(app, &r->patients[nav->cursor]);
			return 1;
		}
		if (field_chars_trimmed(&s->search) < 3) {
			app_message(app, ROLE_ERROR, "Type at least 3 characters of a name or an MRN.");
			return 1;
		}
		snprintf(nav->patient_id, sizeof(nav->patient_id), "%s", field_text(&s->search));
		nav->cursor = 0;
		app_search(app, field_text(&s->search));
		return 1;
	}
	return field_key(&s->search, key);
}

static const struct hint search_hints[] = {
	{ "Enter", "Search / open" },
	{ "↑↓", "Choose" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint search_keys[] = {
	{ "type", "Name or MRN, at least 3 characters" },
	{ "Enter", "Search; again on the same text: open the selected patient" },
	{ "↑ ↓ PgUp PgDn", "Choose a result" },
	{ "← → Home End", "Move in the search text" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

const struct screen screen_search = {
	.name = "search",
	.draw = search_draw,
	.key = search_key,
	.hints = search_hints,
	.keys = search_keys,
};
