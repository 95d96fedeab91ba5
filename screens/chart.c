/* Chart: one patient's sections under the chosen purpose; sensitive ones stay gated until step-up. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listview.h"
#include "tui/term.h"

#define HEADER_ROWS 3

enum line_kind { LINE_SECTION, LINE_ITEM, LINE_GATED, LINE_EMPTY, LINE_GAP };

struct line {
	enum line_kind kind;
	const struct net_section *sec;
	const struct net_item *item;
};

/* The chart as a flat list of lines, so one cursor and scroll serve it all.
 * Returns the number of lines; fills *out for line `want` when it exists. */
static int
chart_lines(const struct net_chart *c, int want, struct line *out)
{
	size_t s, i;
	int n = 0;

#define EMIT(k, sp, ip) do { \
	if (n == want) *out = (struct line){ (k), (sp), (ip) }; \
	n++; \
} while (0)
	for (s = 0; s < c->n_sections; s++) {
		const struct net_section *sec = &c->sections[s];
		EMIT(LINE_SECTION, sec, NULL);
		if (sec->gated == NET_GATE_STEP_UP)
			EMIT(LINE_GATED, sec, NULL);
		else if (sec->n_items == 0)
			EMIT(LINE_EMPTY, sec, NULL);
		for (i = 0; sec->gated == NET_GATE_NONE && i < sec->n_items; i++)
			EMIT(LINE_ITEM, sec, &sec->items[i]);
		EMIT(LINE_GAP, sec, NULL);
	}
#undef EMIT
	return n;
}

static int
is_sensitive(const struct net_section *sec)
{
	return sec->n_sensitivity > 0 || strcmp(sec->confidentiality, "R") == 0 ||
	    strcmp(sec->confidentiality, "V") == 0;
}

static void
draw_section_title(int y, int cols, enum color_role role, const struct net_section *sec)
{
	char labels[256];
	size_t i;
	int n;

	n = snprintf(labels, sizeof(labels), "%s", sec->confidentiality);
	for (i = 0; i < sec->n_sensitivity && n < (int)sizeof(labels); i++)
		n += snprintf(labels + n, sizeof(labels) - (size_t)n, "%s%s",
		    i == 0 ? " · " : ",", sec->sensitivity[i]);
	draw_textf(y, 1, cols - 2, role, "%s %s  [%s]%s",
	    is_sensitive(sec) ? "■" : "▪", sec->title, labels,
	    is_sensitive(sec) ? "  sensitive" : "");
}

/* "2026-11-22T17:14:05Z" reads as "2026-11-22 17:14"; anything else is shown as sent. */
static void
short_time(const char *t, char *out, size_t outsz)
{
	if (t == NULL) {
		out[0] = '\0';
		return;
	}
	if (strlen(t) >= 16 && t[10] == 'T' && t[13] == ':')
		snprintf(out, outsz, "%.10s %.5s", t, t + 11);
	else
		snprintf(out, outsz, "%s", t);
}

static void
draw_line_at(int y, int cols, const struct line *l, int selected)
{
	enum color_role role = selected ? ROLE_SELECTION : ROLE_NORMAL;

	draw_line(y, 0, cols, role, selected ? ">" : "");
	switch (l->kind) {
	case LINE_SECTION:
		draw_section_title(y, cols, selected ? ROLE_SELECTION :
		    is_sensitive(l->sec) ? ROLE_SENSITIVE : ROLE_TITLE, l->sec);
		break;
	case LINE_GATED:
		draw_text(y, 4, cols - 5, selected ? ROLE_SELECTION : ROLE_WARNING,
		    "[locked] Step-up needed: press Enter to confirm with your PIN.");
		break;
	case LINE_EMPTY:
		draw_text(y, 4, cols - 5, selected ? ROLE_SELECTION : ROLE_DIM, "No entries.");
		break;
	case LINE_ITEM: {
		char when[32];

		short_time(l->item->time, when, sizeof(when));
		draw_textf(y, 4, cols - 5, role, "%s: %s%s%s%s", l->item->label, l->item->value,
		    when[0] ? "  (" : "", when, when[0] ? ")" : "");
		break;
	}
	case LINE_GAP:
		break;
	}
}

static void
draw_refusal(struct app *app, int top, int cols)
{
	int y = top + 1;

	draw_text(y++, 1, cols - 2, ROLE_ERROR, app->data.error);
	if (app->data.error_rule[0] != '\0')
		draw_textf(y++, 1, cols - 2, ROLE_DIM, "Rule: %s", app->data.error_rule);
	if (app->data.break_glass_allowed)
		draw_text(y + 1, 1, cols - 2, ROLE_BREAKGLASS,
		    " Press b to break the glass: reason, justification and your PIN. ");
	draw_text(y + 3, 1, cols - 2, ROLE_DIM, "Esc goes back.");
}

static void
draw_access(struct app *app, int y, int cols, const struct net_chart *c)
{
	long grant = app_grant_left(app, c->patient.id), step = app_step_up_left(app, c->patient.id);
	const char *purpose = c->access.purpose ? c->access.purpose : app_nav(app)->purpose;

	/* The countdown first: on a narrow cart the path is what may be cut. */
	if (grant >= 0)
		draw_textf(y, 1, cols - 2, ROLE_BREAKGLASS,
		    "Break-glass access ends in %ld:%02ld · purpose %s · %s",
		    grant / 60, grant % 60, purpose, c->access.path);
	else if (step >= 0)
		draw_textf(y, 1, cols - 2, ROLE_DIM, "Access: %s · purpose %s · step-up %ld:%02ld left",
		    c->access.path, purpose, step / 60, step % 60);
	else
		draw_textf(y, 1, cols - 2, ROLE_DIM, "Access: %s · purpose %s", c->access.path, purpose);
}

static void
chart_draw(struct app *app, int top, int rows, int cols)
{
	const struct net_chart *c = app->data.chart;
	struct nav *nav = app_nav(app);
	struct listview lv;
	struct line l;
	int i, n, visible = rows - HEADER_ROWS;

	if (c == NULL) {
		if (app->data.error[0] != '\0')
			draw_refusal(app, top, cols);
		else
			draw_text(top + 1, 1, cols - 2, ROLE_DIM, "Opening the chart…");
		return;
	}
	draw_textf(top, 1, cols - 2, ROLE_TITLE, "%s · %s · born %s · %s",
	    c->patient.display_name, c->patient.mrn,
	    c->patient.birth_date ? c->patient.birth_date : "?",
	    c->patient.sex ? c->patient.sex : "");
	draw_access(app, top + 1, cols, c);
	n = chart_lines(c, -1, &l);
	lv = (struct listview){ nav->cursor, nav->scroll };
	listview_clamp(&lv, n, visible);
	nav->cursor = lv.cursor;
	nav->scroll = lv.scroll;
	for (i = 0; i < visible && lv.scroll + i < n; i++) {
		chart_lines(c, lv.scroll + i, &l);
		draw_line_at(top + HEADER_ROWS + i, cols, &l, lv.scroll + i == lv.cursor);
	}
}

static void
chart_enter(struct app *app)
{
	struct nav *nav = app_nav(app);

	app_fetch_chart(app, nav->patient_id, nav->purpose);
}

static int
chart_key(struct app *app, int key)
{
	const struct net_chart *c = app->data.chart;
	struct nav *nav = app_nav(app);
	struct listview lv = { nav->cursor, nav->scroll };
	struct line l;

	if (key == KEY_ESC || key == KEY_LEFT || key == 'h' || key == KEY_BACKSPACE) {
		net_chart_free(&app->data.chart);	/* nothing clinical outlives its screen */
		app->data.error[0] = '\0';
		app_pop(app);
		return 1;
	}
	if (key == 'r') {
		chart_enter(app);
		return 1;
	}
	if (key == 'b' && c == NULL && app->data.break_glass_allowed) {
		app_push(app, &screen_breakglass, nav->patient_id, NULL);
		return 1;
	}
	if ((key == KEY_RET || key == KEY_LF || key == KEY_ENTER) && c != NULL &&
	    chart_lines(c, nav->cursor, &l) > nav->cursor && l.sec->gated == NET_GATE_STEP_UP) {
		field_clear(&app->pin);
		app_push(app, &screen_stepup, nav->patient_id, nav->purpose);
		return 1;
	}
	if (c != NULL && listview_key(&lv, key, chart_lines(c, -1, &l), LINES - 3 - HEADER_ROWS)) {
		nav->cursor = lv.cursor;
		nav->scroll = lv.scroll;
		return 1;
	}
	return 0;
}

/* Countdowns of step-up and grant tick on screen. */
static void
chart_tick(struct app *app)
{
	const struct net_chart *c = app->data.chart;

	if (c != NULL && (app_grant_left(app, c->patient.id) >= 0 ||
	    app_step_up_left(app, c->patient.id) >= 0))
		app->dirty = 1;
}

static const struct hint chart_hints[] = {
	{ "↑↓", "Scroll" },
	{ "Enter", "Step-up" },
	{ "b", "Break glass" },
	{ "Esc", "Back" },
	{ NULL, NULL },
};

static const struct hint chart_keys[] = {
	{ "↑ ↓ / j k", "Move through the chart" },
	{ "PgUp PgDn", "A page up or down" },
	{ "Home End / g G", "Top or bottom" },
	{ "Enter", "On a [locked] section: step-up with your PIN" },
	{ "b", "When refused: break the glass" },
	{ "r", "Fetch the chart again" },
	{ "Esc / ← / h", "Back" },
	{ NULL, NULL },
};

const struct screen screen_chart = {
	.name = "chart",
	.enter = chart_enter,
	.draw = chart_draw,
	.key = chart_key,
	.tick = chart_tick,
	.hints = chart_hints,
	.keys = chart_keys,
};
