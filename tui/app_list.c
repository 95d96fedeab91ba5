/* The top screen's list on the last full frame, repainted in part when only its selection moved. */
#include "tui/app_list.h"

#include <curses.h>

#include "tui/app.h"
#include "tui/listview.h"

void
list_shown_draw(struct app *app, struct list_shown *ls, int top, int rows, int cols, long n,
    list_row_fn row, int (*repaint)(struct app *))
{
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };
	long i;

	listview_clamp(&lv, (int)n, rows);
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	for (i = 0; i < rows && nav->scroll + i < n; i++)
		row(app, top + (int)i, cols, nav->scroll + i, nav->cursor);
	*ls = (struct list_shown){ nav, top, rows, cols, LINES, COLS, n, nav->scroll, nav->cursor,
	    row };
	app->redraw_rows = repaint;
}

int
list_shown_repaint(struct app *app, struct list_shown *ls, long n)
{
	const struct nav *nav = app_nav(app);
	long i, scroll = nav->scroll, cursor = nav->cursor;

	if (nav != ls->owner || LINES != ls->lines || COLS != ls->columns || n != ls->n ||
	    cursor < scroll || cursor >= scroll + ls->rows || cursor >= n)
		return -1;
	if (scroll == ls->scroll) {
		ls->row(app, ls->top + (int)(ls->cursor - scroll), ls->cols, ls->cursor, cursor);
		ls->row(app, ls->top + (int)(cursor - scroll), ls->cols, cursor, cursor);
	} else {
		/* every row of the page drawn over: a page that ends early would leave old rows */
		if (scroll < 0 || scroll + ls->rows > n)
			return -1;
		for (i = 0; i < ls->rows; i++)
			ls->row(app, ls->top + (int)i, ls->cols, scroll + i, cursor);
		ls->scroll = scroll;
	}
	ls->cursor = cursor;
	return 0;
}

int
list_key(struct app *app, int key, int n, int visible)
{
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };

	if (!listview_key(&lv, key, n, visible))
		return 0;
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	app->dirty_rows = 1;
	return 1;
}
