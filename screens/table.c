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
	NULL,
};
