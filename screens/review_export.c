/* Audit export: the current filter as a FHIR R4 Bundle of AuditEvents, to a file the reviewer names (mode 0600, no silent overwrite). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_review.h"
#include "tui/draw.h"
#include "tui/term.h"

static int confirming;		/* the file exists: Enter again overwrites it */

static void
export_enter(struct app *app)
{
	struct review_desk *d = app_review_desk(app);
	char path[256];

	confirming = 0;
	if (d != NULL) {
		app_review_export_default(path, sizeof(path));
		field_set(&d->path, path);
	}
}

static void
export_draw(struct app *app, int top, int rows, int cols)
{
	struct review_desk *d = app_review_desk(app);
	int i, y = top;

	(void)rows;
	if (d == NULL)
		return;
	draw_text(y++, 1, cols - 2, ROLE_TITLE, "Export the audit rows as FHIR R4 AuditEvent (JSON)");
	y++;
	for (i = 0; i < AUDIT_FIELDS; i++)
		if (field_chars(&d->audit[i]) > 0)
			draw_textf(y++, 2, cols - 4, ROLE_DIM, "Filter %s: %s",
			    (const char *[]){ "patient", "user", "since", "until" }[i],
			    field_text(&d->audit[i]));
	y++;
	draw_text(y++, 2, cols - 4, ROLE_NORMAL, "File (written with mode 0600):");
	field_draw(&d->path, y++, 2, cols - 4, 1, ROLE_INPUT, 1);
	if (confirming)
		draw_text(y + 1, 2, cols - 4, ROLE_WARNING,
		    "That file exists. Enter overwrites it; Esc cancels; or change the name.");
}

static int
export_key(struct app *app, int key)
{
	struct review_desk *d = app_review_desk(app);

	if (d == NULL || key == KEY_ESC) {
		app_pop(app);
		return 1;
	}
	if (key == KEY_RET || key == KEY_LF || key == KEY_ENTER) {
		if (app_review_export(app, field_text(&d->path), confirming) == 1)
			confirming = 1;
		else if (field_chars(&d->path) > 0)
			app_pop(app);	/* the result comes as a message on the audit screen */
		return 1;
	}
	if (!field_key(&d->path, key))
		return 0;
	confirming = 0;
	return 1;
}

static const struct hint export_hints[] = {
	{ "Enter", "Export" },
	{ "Esc", "Cancel" },
	{ NULL, NULL },
};

const struct screen screen_review_export = {
	.name = "review-export",
	.enter = export_enter,
	.draw = export_draw,
	.key = export_key,
	.hints = export_hints,
};
