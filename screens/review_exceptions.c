/* Access exceptions: open grants of every kind (break-glass, JIT, delegation, integration), filtered by flag and subject kind, to revoke or extend. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/review_list.h"
#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"

#define HEADER_ROWS 3
#define FOOTER_ROWS 3

static const char *const flag_words[4] = { "any flag", "stale", "overbroad", "long-lived" };
static const char *const subject_words[3] = { "people and services", "people", "services" };

static int
visible_rows(void)
{
	return LINES - 3 - HEADER_ROWS - FOOTER_ROWS;
}

static void
exceptions_enter(struct app *app)
{
	review_list_show(app, REVIEW_EXCEPTIONS, visible_rows());
}

/* "stale, overbroad" from the flag codes: words, not colour. */
static void
flags_text(const struct net_exception *x, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < x->n_flags && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "," : "⚑ ", x->flags[i]);
}

static void
draw_exception(struct app *app, int y, int cols, enum color_role role, const void *row)
{
	const struct net_exception *x = row;
	char flags[256];

	(void)app;
	flags_text(x, flags, sizeof(flags));
	draw_textf(y, 2, cols - 3, role, "%-11.11s %-20.20s %-7.7s %-14.14s %-10.10s %s", x->kind,
	    x->subject.display_name, x->subject_kind, x->has_patient ? x->patient.display_name :
	    x->unit ? x->unit : x->scope, x->expires_at ? x->expires_at : "no end", flags);
}

static void
draw_selected(struct app *app, int y, int cols)
{
	const struct net_exception *x = review_list_selected(app, REVIEW_EXCEPTIONS);
	char flags[512] = "";
	size_t i, n = 0;

	draw_line(y, 0, cols, ROLE_DIM, "");
	if (x == NULL)
		return;
	for (i = 0; i < x->n_flag_texts && n < sizeof(flags); i++)
		n += (size_t)snprintf(flags + n, sizeof(flags) - n, "%s%s", i ? "; " : "",
		    x->flag_texts[i]);
	draw_textf(y + 1, 1, cols - 2, ROLE_NORMAL, "%s · scope %s · since %s%s%s%s%s", x->id,
	    x->scope, x->created_at, x->has_task ? " · task " : "", x->has_task ? x->task.kind : "",
	    x->has_task ? " " : "", x->has_task ? x->task.status : "");
	draw_text(y + 2, 1, cols - 2, ROLE_WARNING, flags[0] ? flags : "No flags.");
}

static void
exceptions_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL)
		return;
	draw_textf(top, 1, cols - 2, ROLE_TITLE, "Access exceptions: %s, %s", flag_words[d->flag],
	    subject_words[d->subject]);
	draw_text(top + 1, 1, cols - 2, ROLE_DIM,
	    "0 any  1 stale  2 overbroad  3 long-lived  │  t people/services");
	draw_line(top + 2, 0, cols, ROLE_DIM, "");
	draw_textf(top + 2, 2, cols - 3, ROLE_DIM, "%-11s %-20s %-7s %-14s %-10s %s", "Kind",
	    "Subject", "Who", "Patient/unit", "Expires", "Flags");
	review_list_draw(app, REVIEW_EXCEPTIONS, top + HEADER_ROWS, rows - HEADER_ROWS - FOOTER_ROWS,
	    cols, draw_exception);
	draw_selected(app, top + rows - FOOTER_ROWS, cols);
}

static void
refilter(struct app *app)
{
	app_nav(app)->cursor = app_nav(app)->scroll = 0;
	app_review_reload(app, REVIEW_EXCEPTIONS);
}

static int
exceptions_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);
	const struct net_exception *x;

	if (d == NULL)
		return 0;
	if (review_list_key(app, REVIEW_EXCEPTIONS, key, visible_rows()))
		return 1;
	switch (key) {
	case '0': case '1': case '2': case '3':
		d->flag = key - '0';
		refilter(app);
		return 1;
	case 'f':
		d->flag = (d->flag + 1) % 4;
		refilter(app);
		return 1;
	case 't':
		d->subject = (d->subject + 1) % 3;
		refilter(app);
		return 1;
	case 'r':
		refilter(app);
		return 1;
	case 'x': case 'e':
		if ((x = review_list_selected(app, REVIEW_EXCEPTIONS)) == NULL)
			return 1;
		app_review_exc_begin(app, x->id, key == 'e');
		app_push(app, &screen_review_exc_act, x->id, NULL);
		return 1;
	case KEY_ESC: case KEY_LEFT: case 'h':
		app_pop(app);
		return 1;
	}
	return 0;
}

static const struct hint exceptions_hints[] = {
	{ "0-3", "Flag" },
	{ "t", "Subject" },
	{ "x", "Revoke" },
	{ "e", "Extend" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint exceptions_keys[] = {
	{ "↑ ↓ PgUp PgDn", "Move (more load as you near the end)" },
	{ "0 1 2 3 / f", "Any flag, stale, overbroad, long-lived (f cycles)" },
	{ "t", "People and services, people only, services only" },
	{ "x", "Revoke the selected grant (asks a reason)" },
	{ "e", "Extend it (asks until when and a reason)" },
	{ "r", "Reload" },
	{ "Esc / ← / h", "Back to the queue" },
	{ NULL, NULL },
};

const struct screen screen_review_exceptions = {
	.name = "review-exceptions",
	.enter = exceptions_enter,
	.draw = exceptions_draw,
	.key = exceptions_key,
	.hints = exceptions_hints,
	.keys = exceptions_keys,
};
