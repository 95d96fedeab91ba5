/* The privacy officer's home: the break-glass queue, a virtual list over every event, sortable, filterable and searchable. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/review_list.h"
#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"

#define HEADER_ROWS 3

static const char *const status_words[3] = { "Open", "In review", "Closed" };
static int searching;		/* the search field has the keys */

static int
visible_rows(void)
{
	return LINES - 3 - HEADER_ROWS;
}

static void
queue_enter(struct app *app)
{
	searching = 0;
	review_list_show(app, REVIEW_QUEUE, visible_rows());
}

static void
draw_event(struct app *app, int y, int cols, enum color_role role, const void *row)
{
	const struct net_review_event *e = row;
	int who_w = (cols - 46) / 2 > 8 ? (cols - 46) / 2 : 8;

	(void)app;
	draw_textf(y, 2, 5, role, "%3.0f", e->risk_score);
	draw_text(y, 7, 12, role, app_review_badge(e->status));
	draw_textf(y, 20, 17, role, "%.10s %.5s", e->created_at,
	    strlen(e->created_at) > 11 ? e->created_at + 11 : "");
	draw_text(y, 37, who_w, role, e->user.display_name);
	draw_text(y, 38 + who_w, who_w, role, e->patient.display_name);
	draw_text(y, 39 + 2 * who_w, cols - 40 - 2 * who_w, role, e->reason_code);
}

static void
queue_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);
	long long total = app_review_total(app, REVIEW_QUEUE);
	int i, x, who_w = (cols - 46) / 2 > 8 ? (cols - 46) / 2 : 8;

	if (d == NULL) {
		draw_text(top, 1, cols - 2, ROLE_ERROR, "Out of memory");
		return;
	}
	if (total >= 0)
		draw_textf(top, 1, cols - 2, ROLE_TITLE, "Break-glass review: %lld %s, by %s",
		    total, status_words[d->status], d->sort ? "age (oldest first)" : "risk");
	else
		draw_textf(top, 1, cols - 2, ROLE_TITLE, "Break-glass review: %s, by %s",
		    status_words[d->status], d->sort ? "age (oldest first)" : "risk");
	for (i = 0, x = 1; i < 3; i++)	/* the active filter is marked by brackets, not colour */
		x += draw_textf(top + 1, x, cols - x, i == d->status ? ROLE_SELECTION : ROLE_DIM,
		    i == d->status ? "[%d %s]" : " %d %s ", i + 1, status_words[i]) + 1;
	x += draw_text(top + 1, x, cols - x, ROLE_DIM, " Search:") + 1;
	field_draw(&d->q, top + 1, x, cols - x - 1, 1, ROLE_INPUT, searching);
	draw_line(top + 2, 0, cols, ROLE_DIM, "");
	draw_text(top + 2, 2, 5, ROLE_DIM, "Risk");
	draw_text(top + 2, 7, 12, ROLE_DIM, "Status");
	draw_text(top + 2, 20, 17, ROLE_DIM, "Created (UTC)");
	draw_text(top + 2, 37, who_w, ROLE_DIM, "User");
	draw_text(top + 2, 38 + who_w, who_w, ROLE_DIM, "Patient");
	draw_text(top + 2, 39 + 2 * who_w, cols - 40 - 2 * who_w, ROLE_DIM, "Reason");
	review_list_draw(app, REVIEW_QUEUE, top + HEADER_ROWS, rows - HEADER_ROWS, cols, draw_event);
}

/* New filters: back to the top of a fresh list. */
static void
refilter(struct app *app)
{
	app_nav(app)->cursor = app_nav(app)->scroll = 0;
	app_review_reload(app, REVIEW_QUEUE);
}

static int
search_key(struct app *app, struct review_desk *d, int key)
{
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		if (field_chars_trimmed(&d->q) == 1) {
			app_message(app, ROLE_ERROR, "Search for at least 2 characters (or none for all).");
			return 1;
		}
		searching = 0;
		refilter(app);
		return 1;
	}
	if (key == KEY_ESC) {
		searching = 0;
		return 1;
	}
	return field_key(&d->q, key);
}

static int
queue_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);
	const struct net_review_event *e;

	if (d == NULL)
		return 0;
	if (searching)
		return search_key(app, d, key);
	if (review_list_key(app, REVIEW_QUEUE, key, visible_rows()))
		return 1;
	switch (key) {
	case '1': case '2': case '3':
		d->status = key - '1';
		refilter(app);
		return 1;
	case 'f':
		d->status = (d->status + 1) % 3;
		refilter(app);
		return 1;
	case 's':
		d->sort = !d->sort;
		refilter(app);
		return 1;
	case '/':
		searching = 1;
		return 1;
	case 'r':
		refilter(app);
		return 1;
	case 'e':
		app_push(app, &screen_review_exceptions, NULL, NULL);
		return 1;
	case 'a':
		app_push(app, &screen_review_audit, NULL, NULL);
		return 1;
	case KEY_RET: case KEY_LF: case KEY_ENTER: case KEY_RIGHT: case 'l':
		if ((e = review_list_selected(app, REVIEW_QUEUE)) != NULL)
			app_push(app, &screen_review_detail, e->id, NULL);
		return 1;
	}
	return 0;
}

static const struct hint queue_hints[] = {
	{ "Enter", "Open" },
	{ "1/2/3", "Status" },
	{ "s", "Sort" },
	{ "/", "Search" },
	{ "e", "Exceptions" },
	{ "a", "Audit" },
	{ NULL, NULL },
};

static const struct hint queue_keys[] = {
	{ "↑ ↓ / j k", "Move the selection" },
	{ "PgUp PgDn", "A page up or down (more events load as you near the end)" },
	{ "Home End / g G", "First event, or the last one loaded" },
	{ "Enter / → / l", "Open the event: who, patient, reason, accesses, prior decisions" },
	{ "1 2 3 / f", "Show open, in review or closed events (f cycles)" },
	{ "s", "Sort by risk or by age" },
	{ "/", "Search user, patient or justification; Enter applies, Esc leaves" },
	{ "e", "Access exceptions: stale, overbroad, long-lived grants" },
	{ "a", "Audit trail, with FHIR export" },
	{ "r", "Reload from the top" },
	{ NULL, NULL },
};

const struct screen screen_review_queue = {
	.name = "review-queue",
	.enter = queue_enter,
	.draw = queue_draw,
	.key = queue_key,
	.hints = queue_hints,
	.keys = queue_keys,
};
