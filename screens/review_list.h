/* The virtual list the reviewer screens share: only visible rows are drawn, pages come as the view nears them. */
#ifndef CHARTGATE_SCREENS_REVIEW_LIST_H
#define CHARTGATE_SCREENS_REVIEW_LIST_H

#include "tui/app_review.h"
#include "tui/theme.h"

struct app;

/* Draws one row (row is never NULL) across cols at y in role. */
typedef void (*review_row_fn)(struct app *, int y, int cols, enum color_role role, const void *row);

/* Rows [top, top+rows) hold the list; the cursor row gets the selection role and ">". */
void review_list_draw(struct app *, enum review_list, int top, int rows, int cols, review_row_fn);
/* A navigation key for the list shown in `visible` rows: 1 when handled. */
int review_list_key(struct app *, enum review_list, int key, int visible);
/* Tells the app which rows are on screen now (enter, resume, filter change). */
void review_list_show(struct app *, enum review_list, int visible);
/* The selected row, or NULL. */
const void *review_list_selected(struct app *, enum review_list);

#endif
