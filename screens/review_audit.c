/* The audit trail for reviewers: filters (patient, user, since, until) in fields, a paged list, and x to export the filter as FHIR. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/review_list.h"
#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"

#define HEADER_ROWS 4

static const char *const labels[AUDIT_FIELDS] = { "Patient", "User", "Since", "Until" };
static int focus = -1;		/* a filter field (0..3) or -1: the list */

static int
visible_rows(void)
{
	return LINES - 3 - HEADER_ROWS;
}

static void
audit_enter(struct app *app)
{
	focus = -1;
	review_list_show(app, REVIEW_AUDIT, visible_rows());
}

/* The server sends "" or null for none. */
static const char *
or_dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

static void
draw_row(struct app *app, int y, int cols, enum color_role role, const void *row)
{
	const struct net_audit_row *a = row;

	(void)app;
	draw_textf(y, 2, cols - 3, role, "%6lld %.19s %-11.11s %-6.6s %-14.14s %-8.8s %-6.6s %s",
	    a->seq, a->time, a->kind, a->decision, or_dash(a->user), or_dash(a->patient),
	    or_dash(a->purpose), a->rule ? a->rule : "");
}

static void
audit_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);
	int i, w = (cols - 4) / 2, x, y;

	if (d == NULL)
		return;
	draw_text(top, 1, cols - 2, ROLE_TITLE, "Audit trail (since/until: YYYY-MM-DD or RFC 3339)");
	for (i = 0; i < AUDIT_FIELDS; i++) {
		x = 1 + (i % 2) * (w + 2);
		y = top + 1 + i / 2;
		draw_textf(y, x, 9, focus == i ? ROLE_SELECTION : ROLE_NORMAL, "%s%s:",
		    focus == i ? ">" : " ", labels[i]);
		field_draw(&d->audit[i], y, x + 10, w - 11, 1, ROLE_INPUT, focus == i);
	}
	draw_line(top + 3, 0, cols, ROLE_DIM, "");
	draw_textf(top + 3, 2, cols - 3, ROLE_DIM, "%6s %-19s %-11s %-6s %-14s %-8s %-6s %s", "Seq",
	    "Time", "Kind", "Result", "User", "Patient", "Purpose", "Rule");
	review_list_draw(app, REVIEW_AUDIT, top + HEADER_ROWS, rows - HEADER_ROWS, cols, draw_row);
}

static int
field_focus_key(struct app *app, struct review_desk *d, int key)
{
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		focus = -1;
		app_nav(app)->cursor = app_nav(app)->scroll = 0;
		app_review_reload(app, REVIEW_AUDIT);
	} else if (key == KEY_ESC)
		focus = -1;
	else if (key == KEY_TAB || key == KEY_DOWN)
		focus = (focus + 1) % AUDIT_FIELDS;
	else if (key == KEY_UP)
		focus = (focus + AUDIT_FIELDS - 1) % AUDIT_FIELDS;
	else
		return field_key(&d->audit[focus], key);
	return 1;
}

static int
audit_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL)
		return 0;
	if (focus >= 0)
		return field_focus_key(app, d, key);
	if (review_list_key(app, REVIEW_AUDIT, key, visible_rows()))
		return 1;
	switch (key) {
	case KEY_TAB: case 'f': case '/':
		focus = 0;
		return 1;
	case 'r':
		app_review_reload(app, REVIEW_AUDIT);
		return 1;
	case 'x':
		app_push(app, &screen_review_export, NULL, NULL);
		return 1;
	case KEY_ESC: case KEY_LEFT: case 'h':
		app_pop(app);
		return 1;
	}
	return 0;
}

static const struct hint audit_hints[] = {
	{ "Tab", "Filters" },
	{ "Enter", "Apply" },
	{ "x", "Export FHIR" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint audit_keys[] = {
	{ "Tab / f / /", "Edit the filters: patient, user, since, until" },
	{ "Tab ↑ ↓", "In the filters: next or previous field" },
	{ "Enter", "In the filters: apply them; Esc leaves them unapplied" },
	{ "↑ ↓ PgUp PgDn", "Move (more rows load as you near the end)" },
	{ "x", "Export the current filter as a FHIR R4 Bundle to a file" },
	{ "r", "Reload" },
	{ "Esc / ← / h", "Back to the queue" },
	{ NULL, NULL },
};

const struct screen screen_review_audit = {
	.name = "review-audit",
	.enter = audit_enter,
	.draw = audit_draw,
	.key = audit_key,
	.hints = audit_hints,
	.keys = audit_keys,
};
