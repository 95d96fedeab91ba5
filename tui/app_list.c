/* A list's rows on the last full frame, repainted in part when only its selection moved. */
#include "tui/app_list.h"

#include <curses.h>

#include "tui/app.h"

void
list_shown_draw(struct app *app, struct list_shown *ls, const void *owner, int top, int rows,
    int cols, long n, long scroll, long cursor, list_row_fn row, int (*repaint)(struct app *))
{
	long i;

	for (i = 0; i < rows && scroll + i < n; i++)
		row(app, top + (int)i, cols, scroll + i, cursor);
	*ls = (struct list_shown){ owner, top, rows, cols, LINES, COLS, n, scroll, cursor, row };
	app_rows_drawn(app, repaint);
}

int
list_shown_repaint(struct app *app, struct list_shown *ls, const void *owner, long n,
    long scroll, long cursor)
{
	long i;

	if (owner != ls->owner || LINES != ls->lines || COLS != ls->columns || n != ls->n ||
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
