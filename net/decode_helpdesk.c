/* Helpdesk answers decoded by field tables: one table per shape drives both decoding and freeing. */
#include "net/decode_helpdesk.h"

#include <stdint.h>
#include <stdlib.h>

#include "net/decode.h"
#include "net/json.h"

enum fkind { F_STR, F_OPT, F_BOOL, F_INT, F_STRS, F_OBJ };

/* One member of a JSON object and where it lands in the struct. */
struct fld {
	const char *key;	/* NULL ends a table */
	enum fkind kind;
	size_t off;		/* char *, bool, long long or char ** in the struct */
	size_t cap;		/* F_STR/F_OPT: bytes; F_INT: largest value; F_STRS: entries */
	size_t off_n;		/* F_STRS: the size_t count */
	const struct fld *sub;	/* F_OBJ: its members, stored in the same struct */
};

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))
#define S(T, key, m, cap)	{ key, F_STR, offsetof(T, m), cap, 0, NULL }
#define O(T, key, m, cap)	{ key, F_OPT, offsetof(T, m), cap, 0, NULL }
#define B(T, key, m)		{ key, F_BOOL, offsetof(T, m), 0, 0, NULL }
#define I(T, key, m, max)	{ key, F_INT, offsetof(T, m), max, 0, NULL }
#define END			{ NULL, F_STR, 0, 0, 0, NULL }

static int
fields_decode(struct njson_ctx *c, json_t *obj, const struct fld *f, void *base)
{
	json_t *sub;
	size_t mark;
	int rc = NJSON_OK;

	for (; f->key != NULL && rc == NJSON_OK; f++) {
		switch (f->kind) {
		case F_STR:
		case F_OPT:
			rc = njson_str(c, obj, f->key, f->cap, f->kind == F_STR, AT(base, f->off, char *));
			break;
		case F_BOOL:
			rc = njson_bool(c, obj, f->key, true, false, AT(base, f->off, bool));
			break;
		case F_INT:
			rc = njson_int(c, obj, f->key, true, 0, (long long)f->cap, 0,
			    AT(base, f->off, long long));
			break;
		case F_STRS:
			rc = njson_str_array(c, obj, f->key, f->cap, NET_CAP_CODE, true,
			    AT(base, f->off, char **), AT(base, f->off_n, size_t));
			break;
		case F_OBJ:
			if ((rc = njson_obj(c, obj, f->key, &sub)) != NJSON_OK)
				break;
			mark = njson_push_key(c, f->key);
			rc = fields_decode(c, sub, f->sub, base);
			njson_pop(c, mark);
			break;
		}
	}
	return rc;
}

static void
fields_free(const struct fld *f, void *base)
{
	for (; f->key != NULL; f++) {
		if (f->kind == F_STR || f->kind == F_OPT)
			njson_str_free(AT(base, f->off, char *));
		else if (f->kind == F_STRS) {
			njson_str_array_free(*AT(base, f->off, char **), *AT(base, f->off_n, size_t));
			*AT(base, f->off, char **) = NULL;
			*AT(base, f->off_n, size_t) = 0;
		} else if (f->kind == F_OBJ)
			fields_free(f->sub, base);
	}
}

static void
rows_free(void *rows, size_t n, size_t size, const struct fld *f)
{
	size_t i;

	for (i = 0; rows != NULL && i < n; i++)
		fields_free(f, (char *)rows + i * size);
	free(rows);
}

/* root[key]: an array of objects, each decoded by f into a fresh row of `size` bytes. */
static int
rows_decode(struct njson_ctx *c, json_t *root, const char *key, size_t size, const struct fld *f,
    void **out, size_t *n)
{
	json_t *arr, *o;
	size_t i, cnt, mark, m2;
	void *rows;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = njson_arr(c, root, key, NET_MAX_HD_ROWS, true, &arr, &cnt)) != NJSON_OK)
		return rc;
	if ((rows = calloc(cnt ? cnt : 1, size)) == NULL)
		return njson_fail(c, key, NJSON_ERR_NOMEM, "out of memory");
	mark = njson_push_key(c, key);
	for (i = 0; i < cnt && rc == NJSON_OK; i++) {
		m2 = njson_push_index(c, i);
		o = json_array_get(arr, i);
		rc = json_is_object(o) ? fields_decode(c, o, f, (char *)rows + i * size) :
		    njson_fail(c, NULL, NJSON_ERR_TYPE, "is not an object");
		if (rc == NJSON_OK)
			njson_pop(c, m2);
	}
	if (rc != NJSON_OK) {
		rows_free(rows, cnt, size, f);
		return rc;
	}
	njson_pop(c, mark);
	*out = rows;
	*n = cnt;
	return NJSON_OK;
}

/* A document: top-level members by `top`, then (if list_key) its array of rows. */
struct doc {
	const char *name;
	size_t size;			/* of the document struct */
	const struct fld *top;
	const char *list_key;		/* NULL: no rows */
	size_t row_size, off_rows, off_n;
	const struct fld *row;
};

static void
doc_free(const struct doc *d, void **p)
{
	if (p == NULL || *p == NULL)
		return;
	if (d->top != NULL)
		fields_free(d->top, *p);
	if (d->list_key != NULL)
		rows_free(*AT(*p, d->off_rows, void *), *AT(*p, d->off_n, size_t), d->row_size, d->row);
	free(*p);
	*p = NULL;
}

static int
doc_decode(const struct doc *d, const char *body, size_t len, void **out, char *err, size_t errlen)
{
	struct njson_ctx ctx;
	json_t *root = NULL;
	void *r, *rows = NULL;
	size_t n = 0;
	int rc;

	if (out == NULL)
		return NJSON_ERR_ARG;
	*out = NULL;
	njson_ctx_init(&ctx, d->name, err, errlen);
	if ((rc = njson_load_object(body, len, d->name, &root, err, errlen)) != NJSON_OK)
		return rc;
	if ((r = calloc(1, d->size)) == NULL) {
		json_decref(root);
		return njson_fail(&ctx, NULL, NJSON_ERR_NOMEM, "out of memory");
	}
	if (d->top != NULL)
		rc = fields_decode(&ctx, root, d->top, r);
	if (rc == NJSON_OK && d->list_key != NULL &&
	    (rc = rows_decode(&ctx, root, d->list_key, d->row_size, d->row, &rows, &n)) == NJSON_OK) {
		*AT(r, d->off_rows, void *) = rows;
		*AT(r, d->off_n, size_t) = n;
	}
	json_decref(root);
	if (rc != NJSON_OK) {
		doc_free(d, &r);
		return rc;
	}
	*out = r;
	return NJSON_OK;
}

/* ---- the shapes ---- */

static const struct fld user_row[] = {
	S(struct net_hd_user, "id", id, NET_CAP_ID),
	S(struct net_hd_user, "user_name", user_name, NET_CAP_NAME),
	S(struct net_hd_user, "display_name", display_name, NET_CAP_NAME),
	{ "roles", F_STRS, offsetof(struct net_hd_user, roles), NET_MAX_ROLES,
	    offsetof(struct net_hd_user, n_roles), NULL },
	B(struct net_hd_user, "disabled", disabled),
	B(struct net_hd_user, "locked", locked),
	I(struct net_hd_user, "authenticator_count", authenticator_count, 1000000),
	END
};

static const struct fld session_user[] = {
	S(struct net_hd_session, "id", user_id, NET_CAP_ID),
	S(struct net_hd_session, "display_name", user_display_name, NET_CAP_NAME),
	END
};

static const struct fld session_row[] = {
	S(struct net_hd_session, "id", id, NET_CAP_ID),
	{ "user", F_OBJ, 0, 0, 0, session_user },
	S(struct net_hd_session, "workstation", workstation, NET_CAP_ID),
	O(struct net_hd_session, "unit", unit, NET_CAP_NAME),
	S(struct net_hd_session, "state", state, NET_CAP_CODE),
	S(struct net_hd_session, "started", started, NET_CAP_TIME),
	S(struct net_hd_session, "last_seen", last_seen, NET_CAP_TIME),
	S(struct net_hd_session, "expires_at", expires_at, NET_CAP_TIME),
	O(struct net_hd_session, "idle_expires_at", idle_expires_at, NET_CAP_TIME),
	END
};

static const struct fld authn_row[] = {
	S(struct net_hd_authenticator, "id", id, NET_CAP_ID),
	O(struct net_hd_authenticator, "aaguid", aaguid, NET_CAP_ID),
	O(struct net_hd_authenticator, "created_at", created_at, NET_CAP_TIME),
	O(struct net_hd_authenticator, "last_used_at", last_used_at, NET_CAP_TIME),
	O(struct net_hd_authenticator, "revoked_at", revoked_at, NET_CAP_TIME),
	I(struct net_hd_authenticator, "sign_count", sign_count, UINT32_MAX),
	B(struct net_hd_authenticator, "locked", locked),
	END
};

static const struct fld authn_top[] = {
	S(struct net_hd_authenticators, "user_id", user_id, NET_CAP_ID),
	END
};

static const struct fld challenge_user[] = {
	S(struct net_hd_enrol_challenge, "id", user_handle, NET_CAP_ID),
	S(struct net_hd_enrol_challenge, "name", user_name, NET_CAP_NAME),
	S(struct net_hd_enrol_challenge, "display_name", user_display_name, NET_CAP_NAME),
	END
};

static const struct fld challenge_top[] = {
	S(struct net_hd_enrol_challenge, "challenge_id", challenge_id, NET_CAP_ID),
	S(struct net_hd_enrol_challenge, "challenge", challenge, NET_CAP_ID),
	S(struct net_hd_enrol_challenge, "rp_id", rp_id, NET_CAP_ID),
	{ "user", F_OBJ, 0, 0, 0, challenge_user },
	S(struct net_hd_enrol_challenge, "user_verification", user_verification, NET_CAP_CODE),
	I(struct net_hd_enrol_challenge, "expires_in", expires_in, 86400),
	END
};

static const struct fld enrolled_top[] = {
	S(struct net_hd_enrolled, "id", id, NET_CAP_ID),
	O(struct net_hd_enrolled, "aaguid", aaguid, NET_CAP_ID),
	S(struct net_hd_enrolled, "user_id", user_id, NET_CAP_ID),
	END
};

static const struct fld unlocked_top[] = {
	I(struct net_hd_unlocked, "unlocked", unlocked, 1000000),
	END
};

#define LIST(T, key, RT, rows, n, row) key, sizeof(RT), offsetof(T, rows), offsetof(T, n), row

static const struct doc d_users = { "helpdesk users", sizeof(struct net_hd_users), NULL,
	LIST(struct net_hd_users, "users", struct net_hd_user, users, n_users, user_row) };
static const struct doc d_sessions = { "helpdesk sessions", sizeof(struct net_hd_sessions), NULL,
	LIST(struct net_hd_sessions, "sessions", struct net_hd_session, sessions, n_sessions,
	    session_row) };
static const struct doc d_authn = { "authenticators", sizeof(struct net_hd_authenticators),
	authn_top, LIST(struct net_hd_authenticators, "authenticators", struct net_hd_authenticator,
	    authenticators, n_authenticators, authn_row) };
static const struct doc d_challenge = { "enrol challenge", sizeof(struct net_hd_enrol_challenge),
	challenge_top, NULL, 0, 0, 0, NULL };
static const struct doc d_enrolled = { "enrolled", sizeof(struct net_hd_enrolled), enrolled_top,
	NULL, 0, 0, 0, NULL };
static const struct doc d_unlocked = { "unlock", sizeof(struct net_hd_unlocked), unlocked_top,
	NULL, 0, 0, 0, NULL };

/* Typed entry points: the void ** detour stays inside this file. */
#define DOC_FUNCS(T, name, d) \
int \
net_decode_hd_##name(const char *body, size_t len, struct T **out, char *err, size_t errlen) \
{ \
	void *v = NULL; \
	int rc; \
\
	if (out == NULL) \
		return NJSON_ERR_ARG; \
	rc = doc_decode(&(d), body, len, &v, err, errlen); \
	*out = v; \
	return rc; \
} \
\
void \
net_hd_##name##_free(struct T **p) \
{ \
	void *v; \
\
	if (p == NULL) \
		return; \
	v = *p; \
	doc_free(&(d), &v); \
	*p = NULL; \
}

DOC_FUNCS(net_hd_users, users, d_users)
DOC_FUNCS(net_hd_sessions, sessions, d_sessions)
DOC_FUNCS(net_hd_authenticators, authenticators, d_authn)
DOC_FUNCS(net_hd_enrol_challenge, enrol_challenge, d_challenge)
DOC_FUNCS(net_hd_enrolled, enrolled, d_enrolled)
DOC_FUNCS(net_hd_unlocked, unlocked, d_unlocked)
