/* One break-glass event for review: who, patient, reason, justification, risk in words, the accesses under the grant, prior decisions. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/app_review.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

#define MAX_FACTOR_ROWS 5

/* Rows of the event itself (a line per risk factor, in words); the rest of the
 * screen is the timeline and prior decisions. */
static int
top_rows(const struct net_review_event *e)
{
	int n = (int)e->n_risk_factors;

	return 10 + (n < 1 ? 1 : n > MAX_FACTOR_ROWS ? MAX_FACTOR_ROWS : n);
}

static void
detail_enter(struct app *app)
{
	app_review_open(app, app_nav(app)->patient_id);
}

/* The lower pane: one line per access, then one per prior decision. */
static int
lower_lines(const struct net_review_detail *d)
{
	return 2 + (int)d->n_accesses + (int)d->n_prior + (d->decision ? 2 : 0);
}

static void
draw_lower_line(int y, int cols, const struct net_review_detail *d, int i)
{
	if (d->decision != NULL && i < 2) {
		if (i == 0)
			draw_textf(y, 1, cols - 2, ROLE_TITLE, "Decision: %s by %s at %s",
			    d->decision->decision, d->decision->reviewer, d->decision->decided_at);
		else
			draw_textf(y, 3, cols - 4, ROLE_NORMAL, "Note: %s", d->decision->note);
		return;
	}
	i -= d->decision ? 2 : 0;
	if (i == 0) {
		draw_textf(y, 1, cols - 2, ROLE_TITLE, "Accesses under the grant (%zu)", d->n_accesses);
		return;
	}
	if (--i < (int)d->n_accesses) {
		const struct net_review_access *a = &d->accesses[i];
		char sections[256] = "";
		size_t k, n = 0;

		for (k = 0; k < a->n_sections && n < sizeof(sections); k++)
			n += (size_t)snprintf(sections + n, sizeof(sections) - n, "%s%s", k ? "," : "",
			    a->sections[k]);
		draw_textf(y, 3, cols - 4, ROLE_NORMAL, "%.19s  %-8s %-6s %-6s %s  %s",
		    a->time, a->kind, a->decision, a->purpose ? a->purpose : "-",
		    a->workstation ? a->workstation : "", sections);
		return;
	}
	i -= (int)d->n_accesses;
	if (i == 0) {
		draw_textf(y, 1, cols - 2, ROLE_TITLE, "Prior decisions on this user (%zu)", d->n_prior);
		return;
	}
	if (--i < (int)d->n_prior) {
		const struct net_review_decision *p = &d->prior[i];
		draw_textf(y, 3, cols - 4, ROLE_NORMAL, "%.10s  %-15s %s: %s", p->created_at,
		    p->decision, p->reviewer, p->note);
	}
}

static void
draw_event(struct app *app, const struct net_review_event *e, int top, int cols)
{
	const char *why = app_review_why_not(app, e);
	size_t i;
	int y = top;

	draw_textf(y++, 1, cols - 2, ROLE_TITLE, "Break-glass event %s   %s   risk %.0f", e->id,
	    app_review_badge(e->status), e->risk_score);
	draw_textf(y++, 1, cols - 2, ROLE_NORMAL, "Who:      %s (%s)", e->user.display_name, e->user.id);
	draw_textf(y++, 1, cols - 2, ROLE_NORMAL, "Patient:  %s · %s", e->patient.display_name,
	    e->patient.mrn);
	draw_textf(y++, 1, cols - 2, ROLE_NORMAL, "Reason:   %s · %s → %s%s%s", e->reason_code,
	    e->created_at, e->expires_at, e->unit ? " · unit " : "", e->unit ? e->unit : "");
	draw_text(y, 1, 10, ROLE_NORMAL, "Why:");
	draw_wrapped(y, 11, cols - 12, 3, ROLE_NORMAL, e->justification);
	y += 3;
	draw_text(y, 1, 10, ROLE_NORMAL, "Risk:");
	for (i = 0; i < e->n_risk_factors && i < MAX_FACTOR_ROWS; i++)
		draw_textf(y++, 11, cols - 12, ROLE_WARNING, "- %s (+%.0f)%s",
		    e->risk_factors[i].text, e->risk_factors[i].weight,
		    i + 1 == MAX_FACTOR_ROWS && e->n_risk_factors > MAX_FACTOR_ROWS ? " and more" : "");
	if (e->n_risk_factors == 0)
		draw_text(y++, 11, cols - 12, ROLE_DIM, "no risk factors");
	if (why != NULL)
		draw_textf(y, 1, cols - 2, ROLE_WARNING, "Cannot decide: %s", why);
	else if (app_review_is_mine(app, e))
		draw_text(y, 1, cols - 2, ROLE_STATUS, "Claimed by you: press d to decide.");
	else
		draw_text(y, 1, cols - 2, ROLE_STATUS, "Press c to claim it, or d to decide.");
}

static void
detail_draw(struct app *app, int top, int rows, int cols)
{
	const struct net_review_detail *d = app_review_detail(app);
	struct nav *nav = app_nav(app);
	int i, lines, shown;

	if (d == NULL || strcmp(d->event.id, nav->patient_id) != 0) {
		draw_text(top + 1, 1, cols - 2, app_review_detail_error(app)[0] ? ROLE_ERROR : ROLE_DIM,
		    app_review_detail_error(app)[0] ? app_review_detail_error(app) : "Loading the event…");
		return;
	}
	draw_event(app, &d->event, top, cols);
	shown = rows - top_rows(&d->event);
	draw_line(top + top_rows(&d->event) - 1, 0, cols, ROLE_DIM, "");
	lines = lower_lines(d);
	if (nav->scroll > lines - shown)
		nav->scroll = lines - shown > 0 ? lines - shown : 0;
	for (i = 0; i < shown && nav->scroll + i < lines; i++)
		draw_lower_line(top + top_rows(&d->event) + i, cols, d, nav->scroll + i);
}

static int
detail_key(struct app *app, int key)
{
	const struct net_review_detail *d = app_review_detail(app);
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->scroll, nav->scroll };
	const char *why;

	if (key == KEY_ESC || key == KEY_LEFT || key == 'h') {
		app_pop(app);
		return 1;
	}
	if (key == 'r') {
		app_review_open(app, nav->patient_id);
		return 1;
	}
	if (d == NULL || strcmp(d->event.id, nav->patient_id) != 0)
		return 0;
	if (listview_key(&lv, key, lower_lines(d), 1)) {	/* scrolls the lower pane by lines */
		nav->scroll = lv.cursor;
		return 1;
	}
	why = app_review_why_not(app, &d->event);
	if (key == 'c' || key == 'd') {
		if (why != NULL)
			app_message(app, ROLE_ERROR, "%s", why);
		else if (key == 'c' && !app_review_is_mine(app, &d->event))
			app_review_claim(app, d->event.id);
		else if (key == 'c')
			app_message(app, ROLE_STATUS, "You have already claimed this event.");
		else if (app_review_draft(app, d->event.id) == 0)
			app_push(app, &screen_review_decide, d->event.id, NULL);
		return 1;
	}
	return 0;
}

static const struct hint detail_hints[] = {
	{ "c", "Claim" },
	{ "d", "Decide" },
	{ "↑↓", "Scroll" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint detail_keys[] = {
	{ "c", "Claim the event (it moves to in review, assigned to you)" },
	{ "d", "Write the decision: appropriate, inappropriate or needs follow-up" },
	{ "↑ ↓ PgUp PgDn", "Scroll the accesses and prior decisions" },
	{ "r", "Reload the event" },
	{ "Esc / ← / h", "Back to the queue" },
	{ NULL, NULL },
};

const struct screen screen_review_detail = {
	.name = "review-detail",
	.enter = detail_enter,
	.draw = detail_draw,
	.key = detail_key,
	.hints = detail_hints,
	.keys = detail_keys,
};
