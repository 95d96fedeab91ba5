/* A list's rows as the last full frame showed them: a step of the selection then
 * repaints the row it left and the row it reached, and a new page the list's rows,
 * over that frame (app_rows_moved, app_draw_rows). */
#ifndef CHARTGATE_APP_LIST_H
#define CHARTGATE_APP_LIST_H

struct app;

/* Draws row idx at y (cols wide), selected when idx == cursor. */
typedef void (*list_row_fn)(struct app *, int y, int cols, long idx, long cursor);

struct list_shown {
	const void *owner;	/* what drew it (the screen's nav): another owner redraws all */
	int top, rows, cols, lines, columns;
	long n, scroll, cursor;
	list_row_fn row;
};

/* Draws rows [scroll, scroll + rows) of n at top and remembers them for repaint, which
 * the app calls back until its next full frame (app_rows_drawn). */
void list_shown_draw(struct app *, struct list_shown *, const void *owner, int top, int rows,
    int cols, long n, long scroll, long cursor, list_row_fn row, int (*repaint)(struct app *));
/* Repaints what moved since; -1, having drawn nothing, when the list is not as drawn
 * (another owner, size, row count, or a page that would not cover every row). */
int list_shown_repaint(struct app *, struct list_shown *, const void *owner, long n,
    long scroll, long cursor);

#endif
