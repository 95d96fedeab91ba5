/* API answers decoded into typed structs with strict checks; every decoder has a matching free. */
#include "net/decode.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "net/json.h"

/* With TRY and STR (net/json.h): one line per field, out through `goto fail`. */
#define ALLOC(r) do { \
	if (((r) = calloc(1, sizeof *(r))) == NULL) { \
		rc = njson_fail(c, NULL, NJSON_ERR_NOMEM, "out of memory"); \
		goto fail; \
	} \
} while (0)

/* Descends into obj[key] for the duration of a sub-decoder. */
static int
sub_obj(struct njson_ctx *c, json_t *obj, const char *key, json_t **out, size_t *mark)
{
	int rc;

	if ((rc = njson_obj(c, obj, key, out)) != NJSON_OK)
		return rc;
	*mark = njson_push_key(c, key);
	return NJSON_OK;
}

/* Array element i must be an object. */
static int
elem_obj(struct njson_ctx *c, json_t *arr, size_t i, json_t **out, size_t *mark)
{
	*mark = njson_push_index(c, i);
	*out = json_array_get(arr, i);
	if (!json_is_object(*out))
		return njson_fail(c, NULL, NJSON_ERR_TYPE, "is not an object");
	return NJSON_OK;
}

/* ---- health ---- */

void
net_health_free(struct net_health **p)
{
	if (p == NULL || *p == NULL)
		return;
	njson_str_free(&(*p)->status);
	njson_str_free(&(*p)->version);
	free(*p);
	*p = NULL;
}

int
net_decode_health(const char *body, size_t len, struct net_health **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_health *r = NULL;
	json_t *root = NULL;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "health", err, errlen);
	TRY(njson_load_object(body, len, "health", &root, err, errlen));
	ALLOC(r);
	STR(root, "status", NET_CAP_CODE, true, r->status);
	STR(root, "version", NET_CAP_NAME, false, r->version);
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_health_free(&r);
	return rc;
}

/* ---- error body ---- */

void
net_error_body_free(struct net_error_body **p)
{
	if (p == NULL || *p == NULL)
		return;
	njson_str_free(&(*p)->code);
	njson_str_free(&(*p)->message);
	njson_str_free(&(*p)->rule);
	free(*p);
	*p = NULL;
}

int
net_decode_error(const char *body, size_t len, struct net_error_body **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_error_body *r = NULL;
	json_t *root = NULL, *e;
	size_t mark;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "error", err, errlen);
	TRY(njson_load_object(body, len, "error", &root, err, errlen));
	ALLOC(r);
	TRY(njson_bool(c, root, "break_glass_allowed", false, false, &r->break_glass_allowed));
	TRY(sub_obj(c, root, "error", &e, &mark));
	STR(e, "code", NET_CAP_CODE, true, r->code);
	STR(e, "message", NET_CAP_ERRMSG, true, r->message);
	STR(e, "rule", NET_CAP_NAME, false, r->rule);
	njson_pop(c, mark);
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_error_body_free(&r);
	return rc;
}

/* ---- challenge ---- */

void
net_challenge_free(struct net_challenge **p)
{
	if (p == NULL || *p == NULL)
		return;
	njson_str_free(&(*p)->challenge_id);
	njson_str_free(&(*p)->challenge);
	njson_str_free(&(*p)->rp_id);
	njson_str_free(&(*p)->user_verification);
	free(*p);
	*p = NULL;
}

int
net_decode_challenge(const char *body, size_t len, struct net_challenge **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_challenge *r = NULL;
	json_t *root = NULL;
	long long n;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "challenge", err, errlen);
	TRY(njson_load_object(body, len, "challenge", &root, err, errlen));
	ALLOC(r);
	STR(root, "challenge_id", NET_CAP_ID, true, r->challenge_id);
	STR(root, "challenge", NET_CAP_ID, true, r->challenge);
	STR(root, "rp_id", NET_CAP_ID, true, r->rp_id);
	STR(root, "user_verification", NET_CAP_CODE, true, r->user_verification);
	TRY(njson_int(c, root, "expires_in", true, 0, 86400, 0, &n));
	r->expires_in = (long)n;
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_challenge_free(&r);
	return rc;
}

/* ---- user (inside session and me) ---- */

static void
user_clear(struct net_user *u)
{
	njson_str_free(&u->id);
	njson_str_free(&u->display_name);
	njson_str_array_free(u->roles, u->n_roles);
	u->roles = NULL;
	u->n_roles = 0;
}

static int
decode_user(struct njson_ctx *c, json_t *parent, struct net_user *u)
{
	json_t *o;
	size_t mark;
	int rc;

	if ((rc = sub_obj(c, parent, "user", &o, &mark)) != NJSON_OK)
		return rc;
	STR(o, "id", NET_CAP_ID, true, u->id);
	STR(o, "display_name", NET_CAP_NAME, true, u->display_name);
	TRY(njson_str_array(c, o, "roles", NET_MAX_ROLES, NET_CAP_CODE, true, &u->roles, &u->n_roles));
fail:
	njson_pop(c, mark);
	return rc;
}

/* ---- session ---- */

static int me_obj(struct njson_ctx *c, json_t *root, struct net_me **out);
static int patient_list_obj(struct njson_ctx *c, json_t *root, bool need_encounter,
    struct net_worklist **out);

void
net_session_free(struct net_session **p)
{
	struct net_session *s;

	if (p == NULL || (s = *p) == NULL)
		return;
	if (s->token) {
		OPENSSL_cleanse(s->token, s->token_len);
		free(s->token);
	}
	njson_str_free(&s->session_id);
	njson_str_free(&s->expires_at);
	user_clear(&s->user);
	net_me_free(&s->me);
	net_worklist_free(&s->worklist);
	OPENSSL_cleanse(s, sizeof *s);
	free(s);
	*p = NULL;
}

static int
session_extra(struct njson_ctx *c, json_t *root, struct net_session *r)
{
	json_t *o;
	size_t mark;
	int rc = NJSON_OK;

	if (json_object_get(root, "me") != NULL) {
		TRY(sub_obj(c, root, "me", &o, &mark));
		TRY(me_obj(c, o, &r->me));
		njson_pop(c, mark);
	}
	if (json_object_get(root, "worklist") != NULL) {
		TRY(sub_obj(c, root, "worklist", &o, &mark));
		TRY(patient_list_obj(c, o, true, &r->worklist));
		njson_pop(c, mark);
	}
fail:
	return rc;
}

int
net_decode_session(const char *body, size_t len, struct net_session **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_session *r = NULL;
	json_t *root = NULL, *tok;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "session", err, errlen);
	TRY(njson_load_object(body, len, "session", &root, err, errlen));
	ALLOC(r);
	STR(root, "token", NET_CAP_TOKEN, true, r->token);
	r->token_len = strlen(r->token);
	/* jansson frees its copy without wiping: wipe it in place first. */
	tok = json_object_get(root, "token");
	OPENSSL_cleanse((char *)json_string_value(tok), json_string_length(tok));
	STR(root, "session_id", NET_CAP_ID, true, r->session_id);
	STR(root, "expires_at", NET_CAP_TIME, true, r->expires_at);
	TRY(njson_bool(c, root, "resumed", true, false, &r->resumed));
	TRY(decode_user(c, root, &r->user));
	/* What the client asked to have along (include): each is optional, each strict. */
	TRY(session_extra(c, root, r));
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	if ((tok = json_object_get(root, "token")) != NULL && json_is_string(tok))
		OPENSSL_cleanse((char *)json_string_value(tok), json_string_length(tok));
	json_decref(root);
	net_session_free(&r);
	return rc;
}

/* ---- me ---- */

void
net_me_free(struct net_me **p)
{
	struct net_me *m;
	size_t i;

	if (p == NULL || (m = *p) == NULL)
		return;
	user_clear(&m->user);
	njson_str_free(&m->session.id);
	njson_str_free(&m->session.workstation);
	njson_str_free(&m->session.created_at);
	njson_str_free(&m->session.expires_at);
	njson_str_free(&m->session.idle_expires_at);
	for (i = 0; m->purposes && i < m->n_purposes; i++) {
		njson_str_free(&m->purposes[i].code);
		njson_str_free(&m->purposes[i].display);
	}
	free(m->purposes);
	free(m);
	*p = NULL;
}

/* The /v1/me object, from GET /v1/me or inside a session answer. */
static int
me_obj(struct njson_ctx *c, json_t *root, struct net_me **out)
{
	struct net_me *r = NULL;
	json_t *s, *arr, *o;
	size_t mark, m2, i, n;
	int rc;

	ALLOC(r);
	TRY(decode_user(c, root, &r->user));
	TRY(sub_obj(c, root, "session", &s, &mark));
	STR(s, "id", NET_CAP_ID, true, r->session.id);
	STR(s, "workstation", NET_CAP_ID, true, r->session.workstation);
	STR(s, "created_at", NET_CAP_TIME, true, r->session.created_at);
	STR(s, "expires_at", NET_CAP_TIME, true, r->session.expires_at);
	STR(s, "idle_expires_at", NET_CAP_TIME, true, r->session.idle_expires_at);
	njson_pop(c, mark);
	TRY(njson_arr(c, root, "purposes", NET_MAX_PURPOSES, false, &arr, &n));
	if (n > 0) {
		if ((r->purposes = calloc(n, sizeof *r->purposes)) == NULL) {
			rc = njson_fail(c, "purposes", NJSON_ERR_NOMEM, "out of memory");
			goto fail;
		}
		r->n_purposes = n;
		mark = njson_push_key(c, "purposes");
		for (i = 0; i < n; i++) {
			TRY(elem_obj(c, arr, i, &o, &m2));
			STR(o, "code", NET_CAP_CODE, true, r->purposes[i].code);
			STR(o, "display", NET_CAP_NAME, true, r->purposes[i].display);
			njson_pop(c, m2);
		}
		njson_pop(c, mark);
	}
	*out = r;
	return NJSON_OK;
fail:
	net_me_free(&r);
	return rc;
}

int
net_decode_me(const char *body, size_t len, struct net_me **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	json_t *root = NULL;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "me", err, errlen);
	TRY(njson_load_object(body, len, "me", &root, err, errlen));
	rc = me_obj(c, root, out);
fail:
	json_decref(root);
	return rc;
}

/* ---- worklist ---- */

static void
patient_row_clear(struct net_patient_row *p)
{
	njson_str_free(&p->id);
	njson_str_free(&p->mrn);
	njson_str_free(&p->display_name);
	njson_str_free(&p->birth_date);
	njson_str_free(&p->sex);
	njson_str_free(&p->location);
	njson_str_free(&p->unit);
	njson_str_free(&p->encounter_status);
}

void
net_worklist_free(struct net_worklist **p)
{
	struct net_worklist *w;
	size_t i;

	if (p == NULL || (w = *p) == NULL)
		return;
	for (i = 0; w->patients && i < w->n_patients; i++)
		patient_row_clear(&w->patients[i]);
	free(w->patients);
	njson_str_free(&w->next_cursor);
	free(w);
	*p = NULL;
}

/* Worklist and search share one row shape; only a search row may lack its encounter. */
static int
patient_list_obj(struct njson_ctx *c, json_t *root, bool need_encounter, struct net_worklist **out)
{
	struct net_worklist *r = NULL;
	json_t *arr, *o;
	size_t mark, m2, i, n;
	int rc;

	ALLOC(r);
	TRY(njson_arr(c, root, "patients", NET_MAX_PATIENTS, true, &arr, &n));
	if (n > 0) {
		if ((r->patients = calloc(n, sizeof *r->patients)) == NULL) {
			rc = njson_fail(c, "patients", NJSON_ERR_NOMEM, "out of memory");
			goto fail;
		}
		r->n_patients = n;
		mark = njson_push_key(c, "patients");
		for (i = 0; i < n; i++) {
			struct net_patient_row *p = &r->patients[i];

			TRY(elem_obj(c, arr, i, &o, &m2));
			STR(o, "id", NET_CAP_ID, true, p->id);
			STR(o, "mrn", NET_CAP_ID, true, p->mrn);
			STR(o, "display_name", NET_CAP_NAME, true, p->display_name);
			STR(o, "birth_date", NET_CAP_TIME, true, p->birth_date);
			STR(o, "sex", NET_CAP_CODE, false, p->sex);
			STR(o, "location", NET_CAP_NAME, false, p->location);
			STR(o, "unit", NET_CAP_NAME, false, p->unit);
			STR(o, "encounter_status", NET_CAP_CODE, need_encounter, p->encounter_status);
			njson_pop(c, m2);
		}
		njson_pop(c, mark);
	}
	/* next_cursor must be present (null at the end) so a truncated page cannot pass as the last one. */
	if (json_object_get(root, "next_cursor") == NULL) {
		rc = njson_fail(c, "next_cursor", NJSON_ERR_MISSING, "is missing");
		goto fail;
	}
	STR(root, "next_cursor", NET_CAP_NAME, false, r->next_cursor);
	*out = r;
	return NJSON_OK;
fail:
	net_worklist_free(&r);
	return rc;
}

static int
decode_patient_list(const char *body, size_t len, const char *what, bool need_encounter,
    struct net_worklist **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	json_t *root = NULL;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, what, err, errlen);
	TRY(njson_load_object(body, len, what, &root, err, errlen));
	rc = patient_list_obj(c, root, need_encounter, out);
fail:
	json_decref(root);
	return rc;
}

int
net_decode_worklist(const char *body, size_t len, struct net_worklist **out, char *err, size_t errlen)
{
	return decode_patient_list(body, len, "worklist", true, out, err, errlen);
}

int
net_decode_search(const char *body, size_t len, struct net_worklist **out, char *err, size_t errlen)
{
	return decode_patient_list(body, len, "search", false, out, err, errlen);
}

/* ---- step-up and break-glass ---- */

void
net_step_up_free(struct net_step_up **p)
{
	if (p == NULL || *p == NULL)
		return;
	njson_str_free(&(*p)->step_up_until);
	njson_str_free(&(*p)->patient_id);
	free(*p);
	*p = NULL;
}

int
net_decode_step_up(const char *body, size_t len, struct net_step_up **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_step_up *r = NULL;
	json_t *root = NULL;
	long long n = 0;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "step-up", err, errlen);
	TRY(njson_load_object(body, len, "step-up", &root, err, errlen));
	ALLOC(r);
	STR(root, "step_up_until", NET_CAP_TIME, true, r->step_up_until);
	STR(root, "patient_id", NET_CAP_ID, true, r->patient_id);
	TRY(njson_int(c, root, "expires_in", false, 0, 86400, 0, &n));
	r->expires_in = (long)n;
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_step_up_free(&r);
	return rc;
}

void
net_grant_free(struct net_grant **p)
{
	if (p == NULL || *p == NULL)
		return;
	njson_str_free(&(*p)->grant_id);
	njson_str_free(&(*p)->expires_at);
	njson_str_free(&(*p)->patient_id);
	free(*p);
	*p = NULL;
}

int
net_decode_grant(const char *body, size_t len, struct net_grant **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_grant *r = NULL;
	json_t *root = NULL;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "break-glass", err, errlen);
	TRY(njson_load_object(body, len, "break-glass", &root, err, errlen));
	ALLOC(r);
	STR(root, "grant_id", NET_CAP_ID, true, r->grant_id);
	STR(root, "expires_at", NET_CAP_TIME, true, r->expires_at);
	STR(root, "patient_id", NET_CAP_ID, true, r->patient_id);
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_grant_free(&r);
	return rc;
}

/* ---- chart ---- */

static void
section_clear(struct net_section *s)
{
	size_t i;

	njson_str_free(&s->id);
	njson_str_free(&s->title);
	njson_str_free(&s->confidentiality);
	njson_str_array_free(s->sensitivity, s->n_sensitivity);
	for (i = 0; s->items && i < s->n_items; i++) {
		njson_str_free(&s->items[i].label);
		njson_str_free(&s->items[i].value);
		njson_str_free(&s->items[i].time);
	}
	free(s->items);
}

void
net_chart_free(struct net_chart **p)
{
	struct net_chart *ch;
	size_t i;

	if (p == NULL || (ch = *p) == NULL)
		return;
	njson_str_free(&ch->patient.id);
	njson_str_free(&ch->patient.mrn);
	njson_str_free(&ch->patient.display_name);
	njson_str_free(&ch->patient.birth_date);
	njson_str_free(&ch->patient.sex);
	njson_str_array_free(ch->patient.flags, ch->patient.n_flags);
	njson_str_free(&ch->access.path);
	njson_str_free(&ch->access.purpose);
	njson_str_free(&ch->access.expires_at);
	njson_str_free(&ch->access.step_up_until);
	for (i = 0; ch->sections && i < ch->n_sections; i++)
		section_clear(&ch->sections[i]);
	free(ch->sections);
	free(ch);
	*p = NULL;
}

static int
decode_section(struct njson_ctx *c, json_t *o, struct net_section *s)
{
	json_t *arr, *it;
	char *gate = NULL;
	size_t i, n, mark = 0, m2;
	int rc, pushed = 0;

	STR(o, "id", NET_CAP_ID, true, s->id);
	STR(o, "title", NET_CAP_NAME, true, s->title);
	STR(o, "confidentiality", NET_CAP_CODE, true, s->confidentiality);
	TRY(njson_str_array(c, o, "sensitivity", NET_MAX_SENSITIVITY, NET_CAP_CODE, false,
	    &s->sensitivity, &s->n_sensitivity));
	STR(o, "gated", NET_CAP_CODE, false, gate);
	if (gate == NULL)
		s->gated = NET_GATE_NONE;
	else if (strcmp(gate, "step_up") == 0)
		s->gated = NET_GATE_STEP_UP;
	else {
		rc = njson_fail(c, "gated", NJSON_ERR_RANGE, "is neither null nor \"step_up\"");
		goto fail;
	}
	TRY(njson_arr(c, o, "items", NET_MAX_ITEMS, false, &arr, &n));
	if (n == 0)
		goto fail;	/* rc is NJSON_OK: done */
	if ((s->items = calloc(n, sizeof *s->items)) == NULL) {
		rc = njson_fail(c, "items", NJSON_ERR_NOMEM, "out of memory");
		goto fail;
	}
	s->n_items = n;
	mark = njson_push_key(c, "items");
	pushed = 1;
	for (i = 0; i < n; i++) {
		TRY(elem_obj(c, arr, i, &it, &m2));
		STR(it, "label", NET_CAP_NAME, true, s->items[i].label);
		STR(it, "value", NET_CAP_TEXT, true, s->items[i].value);
		STR(it, "time", NET_CAP_TIME, false, s->items[i].time);
		njson_pop(c, m2);
	}
fail:
	if (pushed)
		njson_pop(c, mark);
	free(gate);
	return rc;
}

int
net_decode_chart(const char *body, size_t len, struct net_chart **out, char *err, size_t errlen)
{
	struct njson_ctx ctx, *c = &ctx;
	struct net_chart *r = NULL;
	json_t *root = NULL, *o, *arr, *so;
	size_t mark, m2, i, n;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(c, "chart", err, errlen);
	TRY(njson_load_object(body, len, "chart", &root, err, errlen));
	ALLOC(r);

	TRY(sub_obj(c, root, "patient", &o, &mark));
	STR(o, "id", NET_CAP_ID, true, r->patient.id);
	STR(o, "mrn", NET_CAP_ID, true, r->patient.mrn);
	STR(o, "display_name", NET_CAP_NAME, true, r->patient.display_name);
	STR(o, "birth_date", NET_CAP_TIME, false, r->patient.birth_date);
	STR(o, "sex", NET_CAP_CODE, false, r->patient.sex);
	TRY(njson_str_array(c, o, "flags", NET_MAX_FLAGS, NET_CAP_CODE, false,
	    &r->patient.flags, &r->patient.n_flags));
	njson_pop(c, mark);

	TRY(sub_obj(c, root, "access", &o, &mark));
	STR(o, "path", NET_CAP_NAME, true, r->access.path);
	STR(o, "purpose", NET_CAP_CODE, false, r->access.purpose);
	STR(o, "expires_at", NET_CAP_TIME, false, r->access.expires_at);
	STR(o, "step_up_until", NET_CAP_TIME, false, r->access.step_up_until);
	njson_pop(c, mark);

	TRY(njson_arr(c, root, "sections", NET_MAX_SECTIONS, true, &arr, &n));
	if (n > 0) {
		if ((r->sections = calloc(n, sizeof *r->sections)) == NULL) {
			rc = njson_fail(c, "sections", NJSON_ERR_NOMEM, "out of memory");
			goto fail;
		}
		r->n_sections = n;
		mark = njson_push_key(c, "sections");
		for (i = 0; i < n; i++) {
			TRY(elem_obj(c, arr, i, &so, &m2));
			TRY(decode_section(c, so, &r->sections[i]));
			njson_pop(c, m2);
		}
		njson_pop(c, mark);
	}
	json_decref(root);
	*out = r;
	return NJSON_OK;
fail:
	json_decref(root);
	net_chart_free(&r);
	return rc;
}
