/* The tap path's side of lock-outs: count failures, lock on the fifth, answer 429 while locked. */
#include <stdio.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/lockout.h"
#include "backend/util.h"

static void
audit_lockout(struct req *r, const char *kind, const char *ws, const char *user_id, const char *rule)
{
	struct audit_row a;

	memset(&a, 0, sizeof(a));
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.user_id, sizeof(a.user_id), "%s", user_id);
	snprintf(a.workstation, sizeof(a.workstation), "%s", ws);
	snprintf(a.decision, sizeof(a.decision), "deny");
	snprintf(a.rule, sizeof(a.rule), "%s", rule);
	snprintf(a.request_id, sizeof(a.request_id), "%s", r->request_id);
	if (audit_append(r->app->store, &a) != 0)
		fprintf(stderr, "chartgated: %s: audit append failed\n", r->request_id);
}

void
lockout_tap_failed(struct req *r, const char *ws, const char *credential_id)
{
	struct store *s = r->app->store;
	char user_id[STORE_ID_MAX];
	int64_t now = cg_now(), times[LOCKOUT_FAILURES];
	size_t n;
	int newly = 0;

	/* Only a credential we know can be locked; guessed ids cost nothing. */
	if (credential_id == NULL || store_tap_failure_add(s, credential_id, now, user_id) != STORE_OK)
		return;
	if (store_tap_failures_since(s, credential_id, lockout_window_start(now), times,
	    LOCKOUT_FAILURES, &n) != STORE_OK || !lockout_trips(times, n, now))
		return;
	if (store_credential_lock(s, credential_id, now, &newly) != STORE_OK || !newly)
		return;
	fprintf(stderr, "chartgated: %s: credential %s of %s locked after %d failed taps\n",
	    r->request_id, credential_id, user_id, LOCKOUT_FAILURES);
	audit_lockout(r, "lock-out", ws, user_id, "too_many_failures");
}

int
lockout_tap_blocked(struct req *r, const char *ws, const struct credential *cred)
{
	int locked;

	/* Fail closed: a lock we cannot read is a lock. */
	if (store_credential_locked(r->app->store, cred->id, &locked) != STORE_OK)
		locked = 1;
	if (!locked)
		return 0;
	fprintf(stderr, "chartgated: %s: tap-in refused on %s: credential_locked: %s\n",
	    r->request_id, ws, cred->id);
	audit_lockout(r, "tap-in", ws, cred->user_id, "credential_locked");
	reply_error(r, 429, "too_many_requests",
	    "This badge is locked after too many failed attempts. Ask the helpdesk to unlock it.");
	return 1;
}
