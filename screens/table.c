/* The list of every screen. */
#include "screens/screens.h"

#include <stddef.h>

const struct screen *const screen_table[] = {
	&screen_lock,
	&screen_worklist,
	&screen_purpose,
	&screen_chart,
	&screen_stepup,
	&screen_breakglass,
	&screen_search,
	&screen_review_queue,
	&screen_review_detail,
	&screen_review_decide,
	&screen_review_exceptions,
	&screen_review_exc_act,
	&screen_review_audit,
	&screen_review_export,
	&screen_helpdesk_home,
	&screen_helpdesk_user,
	&screen_helpdesk_enrol,
	NULL,
};
