/* Every screen of the client, each a const struct screen in its own file. */
#ifndef CHARTGATE_SCREENS_H
#define CHARTGATE_SCREENS_H

#include "tui/screen.h"

extern const struct screen screen_lock;
extern const struct screen screen_worklist;
extern const struct screen screen_purpose;
extern const struct screen screen_chart;
extern const struct screen screen_stepup;
extern const struct screen screen_breakglass;
extern const struct screen screen_search;
/* The reviewer desk (privacy officers). */
extern const struct screen screen_review_queue;
extern const struct screen screen_review_detail;
extern const struct screen screen_review_decide;
extern const struct screen screen_review_exceptions;
extern const struct screen screen_review_exc_act;
extern const struct screen screen_review_audit;
extern const struct screen screen_review_export;

/* The helpdesk desk (never any clinical content). */
extern const struct screen screen_helpdesk_home;
extern const struct screen screen_helpdesk_user;
extern const struct screen screen_helpdesk_enrol;

/* All screens, for the help overlay and tests. NULL-terminated. */
extern const struct screen *const screen_table[];

#endif
