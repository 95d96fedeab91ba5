/* The floor for terminal figures: a bare ncurses program that starts, paints and scrolls a list. */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bench_bare ROWS: a title, a header, ROWS list rows 80 columns wide with a
 * marker on the selected one, a hint line; Down/Up/PgDn/PgUp/Home/End move,
 * q quits. The same shape as the client's lists, with nothing else. */
int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	int cursor = 0, scroll = 0, ch, visible, i;
	char line[128];

	if (argc != 2 || n < 0) {
		fprintf(stderr, "usage: bench_bare ROWS\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	/* The floor gets the client's output settings (tui/term.c): a refresh in
	 * one pass without stdin polls, and in one write. The ratios then compare
	 * the work each program does, not how ncurses was set up. */
	typeahead(-1);
	endwin();
	curs_set(0);
	visible = LINES - 3;
	for (;;) {
		mvprintw(0, 0, "%-*s", COLS, " bare ncurses program: ready");
		mvprintw(1, 0, "%-*s", COLS, " Row       Text");
		for (i = 0; i < visible; i++) {
			long idx = scroll + i;
			if (idx < n)
				snprintf(line, sizeof(line), "%c%07ld   list row %07ld of the same width as the client's rows",
				    idx == cursor ? '>' : ' ', idx, idx);
			else
				line[0] = '\0';
			if (idx == cursor)
				attron(A_REVERSE);
			mvprintw(2 + i, 0, "%-*.*s", COLS, COLS, line);
			attroff(A_REVERSE);
		}
		mvprintw(LINES - 1, 0, "%-*s", COLS, " q Quit");
		refresh();
		if ((ch = getch()) == 'q' || ch == ERR)
			break;
		switch (ch) {
		case KEY_DOWN: cursor++; break;
		case KEY_UP: cursor--; break;
		case KEY_NPAGE: cursor += visible; scroll += visible; break;
		case KEY_PPAGE: cursor -= visible; scroll -= visible; break;
		case KEY_HOME: cursor = 0; break;
		case KEY_END: cursor = (int)n - 1; break;
		default: break;
		}
		if (cursor >= n)
			cursor = (int)n - 1;
		if (cursor < 0)
			cursor = 0;
		if (scroll > n - visible)
			scroll = (int)n - visible;
		if (scroll < 0)
			scroll = 0;
		if (cursor < scroll)
			scroll = cursor;
		if (cursor >= scroll + visible)
			scroll = cursor - visible + 1;
	}
	endwin();
	return 0;
}
