/* The virtual list the reviewer screens share: drawing costs the visible rows only, whatever the list's length. */
#include "screens/review_list.h"

#include <curses.h>

#include "tui/app.h"
#include "tui/app_list.h"
#include "tui/draw.h"

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

/* The list the last full frame showed (one review list is on screen at a time). */
static struct list_shown shown;
static enum review_list shown_list;
static review_row_fn shown_fn;

/* One row: its background, the event (or "loading"), the selection marker. */
static void
draw_row(struct app *app, int y, int cols, long idx, long cursor)
{
	enum review_list l = shown_list;
	const void *row = app_review_row(app, l, idx);
	enum color_role role = idx == cursor ? ROLE_SELECTION : ROLE_NORMAL;

	draw_line(y, 0, cols, role, "");
	if (row != NULL)
		shown_fn(app, y, cols, role, row);
	else
		draw_text(y, 2, cols - 3, role == ROLE_NORMAL ? ROLE_DIM : role,
		    app_review_error(app, l)[0] ? app_review_error(app, l) : "… loading");
	if (idx == cursor)	/* a marker too: selection is not told by colour alone */
		draw_text(y, 0, 1, ROLE_SELECTION, ">");
}

static int
repaint(struct app *app)
{
	return list_shown_repaint(app, &shown, reachable(app, shown_list));
}

void
review_list_draw(struct app *app, enum review_list l, int top, int rows, int cols,
    review_row_fn fn)
{
	int n = reachable(app, l);

	if (n == 0) {
		draw_text(top, 2, cols - 4, app_review_error(app, l)[0] ? ROLE_ERROR : ROLE_DIM,
		    app_review_error(app, l)[0] ? app_review_error(app, l) :
		    app_review_loaded(app, l) ? "Nothing here." : "Loading…");
		return;
	}
	shown_list = l;
	shown_fn = fn;
	list_shown_draw(app, &shown, top, rows, cols, n, draw_row, repaint);
}

int
review_list_key(struct app *app, enum review_list l, int key, int visible)
{
	if (!list_key(app, key, reachable(app, l), visible))
		return 0;
	review_list_show(app, l, visible);
	return 1;
}

const void *
review_list_selected(struct app *app, enum review_list l)
{
	return app_review_row(app, l, app_nav(app)->cursor);
}
