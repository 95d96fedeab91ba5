/* Cursor and scroll arithmetic for a vertical list. */
#include "listview.h"

#include <curses.h>

void
listview_clamp(struct listview *lv, int n, int visible)
{
	if (visible < 1)
		visible = 1;
	if (lv->cursor >= n)
		lv->cursor = n - 1;
	if (lv->cursor < 0)
		lv->cursor = 0;
	if (lv->scroll > lv->cursor)
		lv->scroll = lv->cursor;
	if (lv->cursor >= lv->scroll + visible)
		lv->scroll = lv->cursor - visible + 1;
	if (lv->scroll > n - visible)
		lv->scroll = n - visible;
	if (lv->scroll < 0)
		lv->scroll = 0;
}

int
listview_key(struct listview *lv, int key, int n, int visible)
{
	int page = visible > 1 ? visible - 1 : 1;

	switch (key) {
	case KEY_UP: case 'k':
		lv->cursor--;
		break;
	case KEY_DOWN: case 'j':
		lv->cursor++;
		break;
	case KEY_PPAGE:
		lv->cursor -= page;
		lv->scroll -= page;
		break;
	case KEY_NPAGE:
		lv->cursor += page;
		lv->scroll += page;
		break;
	case KEY_HOME: case 'g':
		lv->cursor = 0;
		break;
	case KEY_END: case 'G':
		lv->cursor = n - 1;
		break;
	default:
		return 0;
	}
	listview_clamp(lv, n, visible);
	return 1;
}
