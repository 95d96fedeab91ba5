/* The virtual list the reviewer screens share: drawing costs the visible rows only, whatever the list's length. */
#include "screens/review_list.h"

#include <curses.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listview.h"

/* Rows the cursor can reach: what is loaded, plus one "loading" row while more exist. */
static int
reachable(struct app *app, enum review_list l)
{
	long n = app_review_rows(app, l) + (app_review_more(app, l) ? 1 : 0);

	return n > 0x3fffffff ? 0x3fffffff : (int)n;
}

void
review_list_show(struct app *app, enum review_list l, int visible)
{
	struct nav *nav = app_nav(app);

	app_review_view(app, l, nav->scroll, (long)nav->scroll + (visible > 0 ? visible : 1) - 1);
}

void
review_list_draw(struct app *app, enum review_list l, int top, int rows, int cols,
    review_row_fn fn)
{
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };
	int i, n = reachable(app, l);

	if (n == 0) {
		draw_text(top, 2, cols - 4, app_review_error(app, l)[0] ? ROLE_ERROR : ROLE_DIM,
		    app_review_error(app, l)[0] ? app_review_error(app, l) :
		    app_review_loaded(app, l) ? "Nothing here." : "Loading…");
		return;
	}
	listview_clamp(&lv, n, rows);
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	for (i = 0; i < rows && lv.scroll + i < n; i++) {
		long idx = (long)lv.scroll + i;
		const void *row = app_review_row(app, l, idx);
		enum color_role role = idx == lv.cursor ? ROLE_SELECTION : ROLE_NORMAL;

		draw_line(top + i, 0, cols, role, "");
		if (row != NULL)
			fn(app, top + i, cols, role, row);
		else
			draw_text(top + i, 2, cols - 3, role == ROLE_NORMAL ? ROLE_DIM : role,
			    app_review_error(app, l)[0] ? app_review_error(app, l) : "… loading");
		if (idx == lv.cursor)	/* a marker too: selection is not told by colour alone */
			draw_text(top + i, 0, 1, ROLE_SELECTION, ">");
	}
}

int
review_list_key(struct app *app, enum review_list l, int key, int visible)
{
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };

	if (!listview_key(&lv, key, reachable(app, l), visible))
		return 0;
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	review_list_show(app, l, visible);
	return 1;
}

const void *
review_list_selected(struct app *app, enum review_list l)
{
	return app_review_row(app, l, app_nav(app)->cursor);
}
