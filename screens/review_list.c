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

/* One row: its background, the event (or "loading"), the selection marker. */
static void
draw_row(struct app *app, enum review_list l, int y, int cols, long idx, long cursor,
    review_row_fn fn)
{
	const void *row = app_review_row(app, l, idx);
	enum color_role role = idx == cursor ? ROLE_SELECTION : ROLE_NORMAL;

	draw_line(y, 0, cols, role, "");
	if (row != NULL)
		fn(app, y, cols, role, row);
	else
		draw_text(y, 2, cols - 3, role == ROLE_NORMAL ? ROLE_DIM : role,
		    app_review_error(app, l)[0] ? app_review_error(app, l) : "… loading");
	if (idx == cursor)	/* a marker too: selection is not told by colour alone */
		draw_text(y, 0, 1, ROLE_SELECTION, ">");
}

/* The list as the last full frame showed it. A step of the selection repaints the
 * row it left and the row it reached; a new page (PgDn, a step past the edge)
 * repaints the list's rows; nothing else on the screen changes (app_draw_rows). */
static struct {
	const struct nav *nav;
	enum review_list l;
	int top, rows, cols, lines, columns, n, scroll, cursor;
	review_row_fn fn;
} shown;

static int
redraw_rows(struct app *app)
{
	const struct nav *nav = app_nav(app);
	int i;

	if (nav != shown.nav || LINES != shown.lines || COLS != shown.columns ||
	    reachable(app, shown.l) != shown.n || nav->cursor < nav->scroll ||
	    nav->cursor >= nav->scroll + shown.rows || nav->cursor >= shown.n)
		return -1;
	if (nav->scroll == shown.scroll) {
		draw_row(app, shown.l, shown.top + shown.cursor - shown.scroll, shown.cols,
		    shown.cursor, nav->cursor, shown.fn);
		draw_row(app, shown.l, shown.top + nav->cursor - shown.scroll, shown.cols,
		    nav->cursor, nav->cursor, shown.fn);
	} else {
		/* every row of the page drawn over: a page that ends early would leave old rows */
		if (nav->scroll < 0 || nav->scroll + shown.rows > shown.n)
			return -1;
		for (i = 0; i < shown.rows; i++)
			draw_row(app, shown.l, shown.top + i, shown.cols, (long)nav->scroll + i,
			    nav->cursor, shown.fn);
		shown.scroll = nav->scroll;
	}
	shown.cursor = nav->cursor;
	return 0;
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
	for (i = 0; i < rows && lv.scroll + i < n; i++)
		draw_row(app, l, top + i, cols, (long)lv.scroll + i, lv.cursor, fn);
	shown.nav = nav;
	shown.l = l;
	shown.top = top;
	shown.rows = rows;
	shown.cols = cols;
	shown.lines = LINES;
	shown.columns = COLS;
	shown.n = n;
	shown.scroll = lv.scroll;
	shown.cursor = lv.cursor;
	shown.fn = fn;
	app_rows_drawn(app, redraw_rows);
}

int
review_list_key(struct app *app, enum review_list l, int key, int visible)
{
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };

	if (!listview_key(&lv, key, reachable(app, l), visible))
		return 0;
	app_rows_moved(app);	/* only the list's rows change */
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
