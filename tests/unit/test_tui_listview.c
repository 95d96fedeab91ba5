/* List cursor and scroll: the selected row stays visible whatever the key or the resize. */
#include <curses.h>

#include "tests/t.h"
#include "tui/listview.h"

static void
down_past_the_window_scrolls_one_row(void)
{
	struct listview lv = { 4, 0 };

	T_CHECK(listview_key(&lv, KEY_DOWN, 100, 5));
	T_CHECK(lv.cursor == 5 && lv.scroll == 1);
}

static void
cursor_stops_at_both_ends(void)
{
	struct listview lv = { 0, 0 };

	listview_key(&lv, KEY_UP, 3, 10);
	T_CHECK(lv.cursor == 0);
	listview_key(&lv, KEY_END, 3, 10);
	listview_key(&lv, KEY_DOWN, 3, 10);
	T_CHECK(lv.cursor == 2 && lv.scroll == 0);
}

static void
page_down_moves_a_page_and_keeps_cursor_visible(void)
{
	struct listview lv = { 0, 0 };

	listview_key(&lv, KEY_NPAGE, 1000, 20);
	T_CHECK(lv.cursor == 19);
	T_CHECK(lv.cursor >= lv.scroll && lv.cursor < lv.scroll + 20);
	listview_key(&lv, KEY_NPAGE, 1000, 20);
	T_CHECK(lv.cursor == 38 && lv.cursor < lv.scroll + 20);
}

static void
shrinking_the_list_pulls_cursor_back_in_range(void)
{
	struct listview lv = { 50, 45 };

	listview_clamp(&lv, 10, 5);
	T_CHECK(lv.cursor == 9 && lv.scroll == 5);
}

static void
empty_list_keeps_zero(void)
{
	struct listview lv = { 3, 2 };

	listview_clamp(&lv, 0, 5);
	T_CHECK(lv.cursor == 0 && lv.scroll == 0);
}

static void
smaller_window_after_resize_keeps_cursor_visible(void)
{
	struct listview lv = { 15, 0 };

	listview_clamp(&lv, 100, 20);
	listview_clamp(&lv, 100, 4);
	T_CHECK(lv.cursor == 15 && lv.scroll == 12);
}

static void
non_navigation_key_is_not_handled(void)
{
	struct listview lv = { 1, 0 };

	T_CHECK(listview_key(&lv, 'x', 10, 5) == 0);
	T_CHECK(lv.cursor == 1);
}

int
main(void)
{
	T_RUN(down_past_the_window_scrolls_one_row);
	T_RUN(cursor_stops_at_both_ends);
	T_RUN(page_down_moves_a_page_and_keeps_cursor_visible);
	T_RUN(shrinking_the_list_pulls_cursor_back_in_range);
	T_RUN(empty_list_keeps_zero);
	T_RUN(smaller_window_after_resize_keeps_cursor_visible);
	T_RUN(non_navigation_key_is_not_handled);
	T_EXIT();
}
