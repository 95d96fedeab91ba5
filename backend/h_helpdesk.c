/* Helpdesk desk: find users and their sessions, end sessions, unlock and revoke badges. No clinical content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/h_helpdesk.h"
#include "backend/helpdesk.h"
#include "backend/session.h"
#include "backend/util.h"

#define USERS_MAX 50

/* An optional query filter: absent or a plausible id. */
static int
filter_ok(const char *v)
{
	return v == NULL || (v[0] != '\0' && strlen(v) < STORE_ID_MAX);
}

void
h_helpdesk_users(struct req *r)
{
	const char *q = req_query(r, "q"), *problem;
	char pattern[2 * HELPDESK_QUERY_MAX * 4 + 3];
	struct desk d;
	json_t *arr;

	if (desk_open(&d, r, "search_users", DESK_NO_REASON) != 0)
		return;
	snprintf(d.object, sizeof(d.object), "%s", q ? q : "");
	if ((problem = helpdesk_query_problem(q)) != NULL ||
	    helpdesk_like_pattern(q, pattern, sizeof(pattern)) != 0) {
		desk_refuse(&d, 400, "bad_request", problem ? problem : "q is too long", "query_invalid");
		return;
	}
	if ((arr = json_array()) == NULL ||
	    store_helpdesk_users(r->app->store, pattern, USERS_MAX, arr) != STORE_OK) {
		json_decref(arr);
		desk_internal(&d);
		return;
	}
	desk_done(&d, 200, json_pack("{s:o, s:n}", "users", arr, "next_cursor"));
}

static json_t *
session_json(const struct live_session *s, int active, int64_t idle_ttl)
{
	char started[CG_TIME_LEN], seen[CG_TIME_LEN], exp[CG_TIME_LEN], idle[CG_TIME_LEN];
	struct session se;

	memset(&se, 0, sizeof(se));
	se.last_seen_at = s->last_seen_at;
	se.expires_at = s->expires_at;
	cg_time_fmt(s->created_at, started);
	cg_time_fmt(s->last_seen_at, seen);
	cg_time_fmt(s->expires_at, exp);
	cg_time_fmt(session_idle_expires(&se, idle_ttl), idle);
	return json_pack("{s:s, s:{s:s, s:s}, s:s, s:o, s:s, s:s, s:s, s:s, s:s}",
	    "id", s->id, "user", "id", s->user_id, "display_name", s->display_name,
	    "workstation", s->workstation,
	    "unit", s->unit[0] ? json_string(s->unit) : json_null(),
	    "state", active ? "active" : "suspended",
	    "started", started, "last_seen", seen, "expires_at", exp, "idle_expires_at", idle);
}

void
h_helpdesk_sessions(struct req *r)
{
	const char *user = req_query(r, "user"), *ws = req_query(r, "workstation");
	int64_t idle = r->app->cfg->session_idle;
	struct live_session *v = NULL;
	struct desk d;
	size_t i, n = 0;
	int *active = NULL;
	json_t *arr = NULL;

	if (desk_open(&d, r, "list_sessions", DESK_NO_REASON) != 0)
		return;
	snprintf(d.target_user, sizeof(d.target_user), "%s", user ? user : "");
	snprintf(d.object, sizeof(d.object), "%s", ws ? ws : "");
	if ((user == NULL && ws == NULL) || !filter_ok(user) || !filter_ok(ws)) {
		desk_refuse(&d, 400, "bad_request", "give user=ID or workstation=ID (or both)",
		    "filter_invalid");
		return;
	}
	if (store_live_sessions(r->app->store, user, ws, cg_now(), idle, &v, &n) != STORE_OK ||
	    (n > 0 && (active = calloc(n, sizeof(*active))) == NULL) || (arr = json_array()) == NULL)
		goto fail;
	/* States need each cart's whole group; the filters apply after. */
	helpdesk_session_states(v, n, active);
	for (i = 0; i < n; i++) {
		if ((user != NULL && strcmp(v[i].user_id, user) != 0) ||
		    (ws != NULL && strcmp(v[i].workstation, ws) != 0))
			continue;
		if (json_array_append_new(arr, session_json(&v[i], active[i], idle)) != 0)
			goto fail;
	}
	free(v);
	free(active);
	desk_done(&d, 200, json_pack("{s:o, s:n}", "sessions", arr, "next_cursor"));
	return;
fail:
	free(v);
	free(active);
	json_decref(arr);
	desk_internal(&d);
}

void
h_helpdesk_session_end(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	struct session se;
	struct desk d;
	int rc;

	if (desk_open(&d, r, "end_session", DESK_REASON) != 0)
		return;
	snprintf(d.object, sizeof(d.object), "%s", r->params[0]);
	rc = store_session_get_live(r->app->store, r->params[0], cg_now(), cfg->session_idle, &se);
	if (rc == STORE_NOT_FOUND) {
		desk_refuse(&d, 404, "not_found", "no live session with this id", "session_unknown");
		return;
	}
	if (rc != STORE_OK) {
		desk_internal(&d);
		return;
	}
	if (desk_self(&d, se.user_id))
		return;
	/* The reason "helpdesk" is what makes the token's next use answer session_ended. */
	if (store_session_end(r->app->store, se.id, cg_now(), "helpdesk") != STORE_OK) {
		desk_internal(&d);
		return;
	}
	desk_done(&d, 204, NULL);
}

void
h_helpdesk_unlock(struct req *r)
{
	struct desk d;
	struct user u;
	int n;

	if (desk_open(&d, r, "unlock", DESK_REASON) != 0 || desk_self(&d, r->params[0]) ||
	    desk_user(&d, r->params[0], &u) != 0)
		return;
	if (store_lockout_clear(r->app->store, u.id, &n) != STORE_OK) {
		desk_internal(&d);
		return;
	}
	snprintf(d.object, sizeof(d.object), "unlocked=%d", n);
	desk_done(&d, 200, json_pack("{s:i}", "unlocked", n));
}

void
h_helpdesk_authenticators(struct req *r)
{
	struct desk d;
	struct user u;
	json_t *arr;

	if (desk_open(&d, r, "list_authenticators", DESK_NO_REASON) != 0 ||
	    desk_user(&d, r->params[0], &u) != 0)
		return;
	if ((arr = json_array()) == NULL ||
	    store_helpdesk_credentials(r->app->store, u.id, arr) != STORE_OK) {
		json_decref(arr);
		desk_internal(&d);
		return;
	}
	desk_done(&d, 200, json_pack("{s:s, s:o}", "user_id", u.id, "authenticators", arr));
}

void
h_helpdesk_authenticator_revoke(struct req *r)
{
	struct credential c;
	struct desk d;
	int rc, ended;

	if (desk_open(&d, r, "revoke_authenticator", DESK_REASON) != 0)
		return;
	snprintf(d.object, sizeof(d.object), "%s", r->params[0]);
	if (store_credential_get(r->app->store, r->params[0], &c) != STORE_OK) {
		desk_refuse(&d, 404, "not_found", "no such authenticator", "credential_unknown");
		return;
	}
	if (desk_self(&d, c.user_id))
		return;
	rc = store_credential_revoke(r->app->store, c.id, cg_now(), &ended);
	if (rc == STORE_CONFLICT) {
		desk_refuse(&d, 409, "conflict", "this authenticator is already revoked", "already_revoked");
		return;
	}
	if (rc != STORE_OK) {
		desk_internal(&d);
		return;
	}
	fprintf(stderr, "chartgated: %s: credential %s of %s revoked, %d session(s) ended\n",
	    r->request_id, c.id, c.user_id, ended);
	desk_done(&d, 204, NULL);
}
