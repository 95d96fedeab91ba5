/* The top screen's list (its nav's cursor and scroll) as the last full frame showed
 * it: a step of the selection then repaints the row it left and the row it reached,
 * and a new page the page's rows, over that frame (app_draw_rows). */
#ifndef CHARTGATE_APP_LIST_H
#define CHARTGATE_APP_LIST_H

struct app;

/* Draws row idx at y (cols wide), selected when idx == cursor. */
typedef void (*list_row_fn)(struct app *, int y, int cols, long idx, long cursor);

struct list_shown {
	const void *owner;	/* the nav that drew it: another screen's redraws all */
	int top, rows, cols, lines, columns;
	long n, scroll, cursor;
	list_row_fn row;
};

/* Brings the nav's cursor and scroll into range for n rows shown in `rows`, draws
 * them at top and remembers them; until the next full frame the app calls repaint
 * for a step of the selection (which calls list_shown_repaint). */
void list_shown_draw(struct app *, struct list_shown *, int top, int rows, int cols, long n,
    list_row_fn row, int (*repaint)(struct app *));
/* Repaints what moved since; -1, having drawn nothing, when the list is not as drawn
 * (another screen, size, row count, or a page that would not cover every row). */
int list_shown_repaint(struct app *, struct list_shown *, long n);
/* A navigation key (listview_key) on the nav's cursor and scroll; 1 when it was one,
 * and then only the list's rows change. */
int list_key(struct app *, int key, int n, int visible);

#endif
