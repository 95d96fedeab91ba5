/* A screen is a small const table of functions; the app keeps a stack of them per session. */
#ifndef CHARTGATE_SCREEN_H
#define CHARTGATE_SCREEN_H

struct app;

/* One key hint for the hint bar and the help overlay. */
struct hint {
	const char *key;
	const char *label;
};

struct screen {
	const char *name;
	/* Became the top of the stack: pushed, returned to, or its session
	 * resumed. Fetch what it shows; never draw here. */
	void (*enter)(struct app *);
	/* Draw rows [top, top+rows) of the screen from state. */
	void (*draw)(struct app *, int top, int rows, int cols);
	/* A key; returns 1 when handled. Never draws and never does I/O
	 * itself: it changes state or asks the app to fetch. */
	int (*key)(struct app *, int key);
	/* Once a second while on top (clocks, countdowns). May be NULL. */
	void (*tick)(struct app *);
	const struct hint *hints;	/* the hint bar: the keys that matter; ends with { NULL, NULL } */
	const struct hint *keys;	/* the help overlay: every key (NULL: the hints) */
};

#endif
