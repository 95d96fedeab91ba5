/* Where each role lands after tapping in: clinicians on their worklist, the desks on their own home. */
#include "tui/app.h"

#include <string.h>

#include "screens/screens.h"

/* roles: comma-separated, as the server listed them. */
int
app_has_role(const char *roles, const char *role)
{
	size_t n = strlen(role);
	const char *p = roles;

	while ((p = strstr(p, role)) != NULL) {
		if ((p == roles || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

const struct screen *
app_home_screen(const char *roles)
{
	/* The reviewer's and helpdesk desks add their home screens here. */
	if (app_has_role(roles, "helpdesk"))
		return &screen_helpdesk_home;
	if (app_has_role(roles, "privacy_officer"))
		return &screen_review_queue;
	return &screen_worklist;
}
