/* Lock-out window arithmetic, kept pure so the rule can be tested without a store. */
#include "backend/lockout.h"

#include <string.h>

int64_t
lockout_window_start(int64_t now)
{
	return now - LOCKOUT_WINDOW;
}

int
lockout_trips(const int64_t *failures, size_t n, int64_t now)
{
	size_t i, recent = 0;

	for (i = 0; i < n; i++)
		if (failures[i] > lockout_window_start(now) && failures[i] <= now)
			recent++;
	return recent >= LOCKOUT_FAILURES;
}

int
lockout_rule_counts(const char *rule)
{
	static const char *const counted[] = { "client_data", "user_handle", "uv_missing",
	    "signature", "sign_count" };
	size_t i;

	for (i = 0; rule != NULL && i < sizeof(counted) / sizeof(counted[0]); i++)
		if (strcmp(rule, counted[i]) == 0)
			return 1;
	return 0;
}
