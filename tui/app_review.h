/* The reviewer desk in the app layer: the privacy officer's lists as windows of pages
 * over the server's, the event in detail, the actions, and per-session drafts. */
#ifndef CHARTGATE_APP_REVIEW_H
#define CHARTGATE_APP_REVIEW_H

#include "net/api_review.h"
#include "tui/field.h"

struct app;
struct clin_session;

#define REVIEW_PAGE		100	/* rows asked for per request */
#define REVIEW_PAGES_KEPT	3	/* pages of a list held in memory at most */
#define REVIEW_NOTE_MAX		4000	/* characters of a note or reason (docs/api.md) */

enum review_list { REVIEW_QUEUE, REVIEW_EXCEPTIONS, REVIEW_AUDIT, REVIEW_LISTS };
enum review_audit_field { AUDIT_PATIENT, AUDIT_USER, AUDIT_SINCE, AUDIT_UNTIL, AUDIT_FIELDS };

/* One privacy officer's desk on this cart: filters and unsent work. It stays
 * with the session across lock and resume (memory only) and goes when the
 * session slot is cleared (app_review_forget). */
struct review_desk {
	const struct clin_session *owner;
	char session_id[128];
	int status;			/* queue: 0 open, 1 in review, 2 closed */
	int sort;			/* queue: 0 risk, 1 age */
	struct field q;			/* queue search */
	int flag;			/* exceptions: 0 any, 1 stale, 2 overbroad, 3 long-lived */
	int subject;			/* exceptions: 0 any, 1 person, 2 service */
	struct field audit[AUDIT_FIELDS];
	struct field path;		/* audit export file */
	/* The decision being written; its key makes every retry the same request. */
	char event_id[128];
	int choice;			/* 0 appropriate, 1 inappropriate, 2 needs follow-up */
	struct field note;
	char idem[48];			/* "" until first sent */
	int sending;
	char failed[512];		/* why the last send failed, "" when it did not */
	/* A revoke or extend being written. */
	char exc_id[128];
	int exc_extend;
	struct field reason, until;
	char exc_idem[48];
};

/* The desk of the active session, created on first use; NULL when locked or out of memory. */
struct review_desk *app_review_desk(struct app *);
/* The lead calls this from slot_clear: the slot's drafts are wiped and freed. */
void app_review_forget(const struct clin_session *);
/* Called from app_data_wipe: every reviewer list and detail goes, fetches are cancelled. */
void app_review_wipe(struct app *);

/* Lists. Rows are counted from 0; only pages near the view are in memory. */
void app_review_reload(struct app *, enum review_list);	/* filters changed: from the top */
/* The rows on screen now: fetches what they need, and the next page near the end. */
void app_review_view(struct app *, enum review_list, long first, long last);
long app_review_rows(struct app *, enum review_list);		/* reachable now */
int app_review_more(struct app *, enum review_list);		/* more after them */
long long app_review_total(struct app *, enum review_list);	/* -1: not told */
int app_review_loaded(struct app *, enum review_list);		/* a first answer came */
/* The row, or NULL while its page is not in memory. Types: net_review_event,
 * net_exception, net_audit_row. */
const void *app_review_row(struct app *, enum review_list, long idx);
const char *app_review_error(struct app *, enum review_list);	/* "" when none */
size_t app_review_pages_kept(struct app *, enum review_list);

/* One event in detail. */
void app_review_open(struct app *, const char *event_id);
const struct net_review_detail *app_review_detail(struct app *);
const char *app_review_detail_error(struct app *);
/* Why the active reviewer cannot claim or decide e, or NULL when they can. */
const char *app_review_why_not(struct app *, const struct net_review_event *e);
int app_review_is_mine(struct app *, const struct net_review_event *e);

void app_review_claim(struct app *, const char *event_id);
/* Starts (or returns to) the decision draft for event_id; 0, or -1 with a
 * message when another event's draft still holds a note. */
int app_review_draft(struct app *, const char *event_id);
void app_review_draft_discard(struct app *);
void app_review_decide(struct app *);		/* sends the draft (again: same key) */

/* Revoke or extend exception id: the dialog's draft, then the request. */
void app_review_exc_begin(struct app *, const char *exc_id, int extend);
void app_review_exc_send(struct app *);
/* "+N days" or RFC 3339 into a UTC RFC 3339 instant; -1 when neither. */
int app_review_until(const char *in, char *out, size_t outsz);

/* Audit export to path ("~/" is the home directory). Returns 1 when the file
 * exists and overwrite is 0 (ask first), else 0: the export is on its way. */
int app_review_export(struct app *, const char *path, int overwrite);
void app_review_export_default(char *out, size_t outsz);

/* "OPEN", "● IN REVIEW", "✓ CLOSED": words and symbols, never colour alone. */
const char *app_review_badge(enum net_review_status);
extern const char *const app_review_choices[3];		/* API codes */
extern const char *const app_review_choice_words[3];	/* for people */

#endif
