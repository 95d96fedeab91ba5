/* Cursor and scroll arithmetic for a vertical list; pure, so unit-testable. */
#ifndef CHARTGATE_LISTVIEW_H
#define CHARTGATE_LISTVIEW_H

struct listview {
	int cursor;	/* selected row, 0..n-1 (0 when n == 0) */
	int scroll;	/* first visible row */
};

/* Applies a navigation key (arrows, j/k, PgUp/PgDn, Home/End, g/G) for a list
 * of n rows shown in `visible` rows. Returns 1 when the key was a navigation
 * key (handled), 0 otherwise. */
int listview_key(struct listview *, int key, int n, int visible);
/* Brings cursor and scroll back into range after n or visible changed. */
void listview_clamp(struct listview *, int n, int visible);

#endif
