/* Handlers for the worklist, the chart and one chart section: every decision, permit or deny, is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/access.h"
#include "backend/handlers.h"
#include "backend/jsonw.h"
#include "backend/util.h"
#include "backend/vocab.h"

#define CHART_SECTIONS_MAX 64

/* "A B C" -> ["A","B","C"] */
static json_t *
words(const char *s)
{
	json_t *a = json_array();
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(tok));
	return a;
}

json_t *
worklist_json(struct store *s, const char *user_id)
{
	json_t *patients = json_array();

	if (patients == NULL || store_worklist(s, user_id, patients) != STORE_OK) {
		json_decref(patients);
		return NULL;
	}
	return json_pack("{s:o, s:n}", "patients", patients, "next_cursor");
}

void
h_worklist(struct req *r)
{
	json_t *o;

	if (!vocab_any_clinical(&r->user.roles)) {
		reply_error(r, 403, "forbidden", "the worklist is for clinicians");
		return;
	}
	if ((o = worklist_json(r->app->store, r->user.id)) == NULL) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	reply_json(r, 200, o);
}

/* The section object; a gated one carries no items at all: nothing to count, nothing to peek at. */
static json_t *
section_json(struct store *s, const struct section *sec, int gated)
{
	json_t *items = json_array();

	if (!gated && store_section_items(s, sec->id, items) != STORE_OK) {
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id", sec->id, "title", sec->title,
	    "confidentiality", sec->confidentiality, "sensitivity", words(sec->sensitivity),
	    "gated", gated ? json_string("step_up") : json_null(), "items", items);
}

struct section_list {
	struct section v[CHART_SECTIONS_MAX];
	int gated[CHART_SECTIONS_MAX];
	size_t n;
	int sensitive;	/* any of them */
};

static int
collect(void *arg, const struct section *sec)
{
	struct section_list *l = arg;

	if (l->n == CHART_SECTIONS_MAX)
		return 1;
	l->v[l->n++] = *sec;
	l->sensitive |= policy_section_sensitive(sec->confidentiality, sec->sensitivity);
	return 0;
}

/* A permitted chart as its decision read it, under the store's lock; written out as JSON
 * once the batch holding its audit row has committed (chart_finish), outside that lock.
 * kept: each released item as its section's index, then its label, value and time,
 * NUL-terminated ("" for no time, else 't' and the time). */
struct chart_view {
	struct section_list l;
	struct access a;
	const char *purpose;
	struct jsonw kept;
	size_t n_kept;
	size_t open;		/* sections the items have reached */
};

/* Items come in the order of the section list (the same transaction, the same ORDER BY):
 * an item's section is the open one or a later one; never finding it fails the chart. A
 * gated section's items are not kept: nothing to count, nothing to peek at. */
static int
keep_item(void *arg, const struct chart_item *it)
{
	struct chart_view *v = arg;
	const char *time = it->time != NULL ? it->time : "";
	size_t sec;

	while (v->open == 0 || strcmp(v->l.v[v->open - 1].id, it->section_id) != 0) {
		if (v->open == v->l.n)
			return 1;
		v->open++;
	}
	if (v->l.gated[sec = v->open - 1])
		return 0;
	jsonw_bytes(&v->kept, &sec, sizeof(sec));
	jsonw_bytes(&v->kept, it->label, strlen(it->label) + 1);
	jsonw_bytes(&v->kept, it->value, strlen(it->value) + 1);
	if (it->time != NULL)
		jsonw_bytes(&v->kept, "t", 1);
	jsonw_bytes(&v->kept, time, strlen(time) + 1);
	v->n_kept++;
	return v->kept.failed;
}

/* The chart's "sections" array as it is written (jsonw.h). */
struct chart_out {
	struct jsonw w;
	const struct section_list *l;
	size_t open;		/* sections begun; the last of them takes items */
	int items;		/* items written into it */
};

/* Begin section i, closing the one before: a gated one's items array stays empty. */
static void
begin_section(struct chart_out *o, size_t i)
{
	const struct section *sec = &o->l->v[i];

	jsonw_member(&o->w, i > 0 ? "]},{\"id\":" : "{\"id\":", sec->id);
	jsonw_member(&o->w, ",\"title\":", sec->title);
	jsonw_member(&o->w, ",\"confidentiality\":", sec->confidentiality);
	jsonw_raw(&o->w, ",\"sensitivity\":");
	jsonw_words(&o->w, sec->sensitivity);
	jsonw_raw(&o->w, o->l->gated[i] ? ",\"gated\":\"step_up\",\"items\":[" :
	    ",\"gated\":null,\"items\":[");
	o->items = 0;
}

/* The kept item at p into its section (begun here, and those before it); the next one. */
static const char *
write_item(struct chart_out *o, const char *p)
{
	const char *label = p + sizeof(size_t), *value, *time;
	size_t sec;

	memcpy(&sec, p, sizeof(sec));
	value = label + strlen(label) + 1;
	time = value + strlen(value) + 1;
	while (o->open <= sec)
		begin_section(o, o->open++);
	jsonw_member(&o->w, o->items++ > 0 ? ",{\"label\":" : "{\"label\":", label);
	jsonw_member(&o->w, ",\"value\":", value);
	if (*time == 't')
		jsonw_member(&o->w, ",\"time\":", time + 1);
	jsonw_raw(&o->w, "}");
	return time + strlen(time) + 1;
}

/* The chart reply up to the opening of its "sections" array: the patient and the access. */
static void
chart_head(struct jsonw *w, const struct access *a, const char *purpose)
{
	json_t *access = access_json(a, purpose);

	jsonw_member(w, "{\"patient\":{\"id\":", a->patient.id);
	jsonw_member(w, ",\"mrn\":", a->patient.mrn);
	jsonw_member(w, ",\"display_name\":", a->patient.display_name);
	jsonw_member(w, ",\"birth_date\":", a->patient.birth_date);
	jsonw_member(w, ",\"sex\":", a->patient.sex);
	jsonw_raw(w, ",\"flags\":");
	jsonw_words(w, a->patient.flags);
	jsonw_raw(w, "},\"access\":");
	jsonw_json(w, access);
	jsonw_raw(w, ",\"sections\":[");
	json_decref(access);
}

/* Append id to a comma-separated list, truncating as snprintf would. */
static void
list_add(char *list, size_t size, const char *id)
{
	size_t n = strlen(list);

	if (n > 0 && n + 1 < size)
		list[n++] = ',';
	cg_copy(list + n, size - n, id);
}

/* Audit a denial and answer it. */
static void
deny(struct req *r, const char *kind, const char *pid, const char *purpose, const struct access *a)
{
	access_audit(r, &(struct audit_note){ .kind = kind, .patient_id = pid, .purpose = purpose,
	    .decision = "deny", .rule = a->d.rule });
	access_reply_denied(r, a);
}

/* The chart reply: NULL when it cannot be written (out of memory, text that is not UTF-8). */
static char *
chart_text(const struct chart_view *v)
{
	struct chart_out o = { .l = &v->l };
	const char *p = v->kept.buf;
	size_t i;

	chart_head(&o.w, &v->a, v->purpose);
	for (i = 0; i < v->n_kept; i++)
		p = write_item(&o, p);
	while (o.open < v->l.n)
		begin_section(&o, o.open++);
	jsonw_raw(&o.w, v->l.n > 0 ? "]}]}" : "]}");
	return jsonw_finish(&o.w);
}

static void
chart_view_free(struct chart_view *v)
{
	if (v != NULL)
		free(jsonw_finish(&v->kept));
	free(v);
}

/* After the batch: the permit's audit row is committed, so the chart may be written. */
static void
chart_finish(struct req *r, int committed)
{
	struct chart_view *v = r->finish_arg;

	r->finish = NULL;
	r->finish_arg = NULL;
	if (committed)
		reply_text(r, 200, chart_text(v));
	chart_view_free(v);
}

static void
chart(struct req *r)
{
	const char *pid = r->params[0], *purpose = req_query(r, "purpose");
	/* Not calloc: clearing its 64 sections cost more than the rest of the list's work. */
	struct chart_view *v = malloc(sizeof(*v));
	char released[512] = "";
	size_t i;

	if (v != NULL) {
		v->l.n = 0;
		v->l.sensitive = 0;
		v->purpose = purpose;
		memset(&v->kept, 0, sizeof(v->kept));
		v->n_kept = 0;
		v->open = 0;
	}
	if (v == NULL || store_sections(r->app->store, pid, collect, &v->l) != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		goto out;
	}
	if (access_decide(r, pid, purpose, v->l.sensitive, &v->a) != 0)
		goto out;
	if (v->a.d.outcome != POLICY_PERMIT && v->a.d.outcome != POLICY_PERMIT_STEP_UP) {
		deny(r, "chart", pid, purpose, &v->a);
		goto out;
	}
	for (i = 0; i < v->l.n; i++) {
		if ((v->l.gated[i] = policy_section_gated(&v->a.d, &v->l.v[i])) == 0)
			list_add(released, sizeof(released), v->l.v[i].id);
	}
	/* No audit row, no chart. */
	if (store_chart_items(r->app->store, pid, keep_item, v) != STORE_OK ||
	    access_audit(r, &(struct audit_note){ .kind = "chart", .patient_id = pid,
	    .sections = released, .purpose = purpose, .decision = "permit", .rule = v->a.d.rule,
	    .path = v->a.d.path }) != 0) {
		reply_error(r, 500, "internal", "internal error");
		goto out;
	}
	reply_json(r, 200, NULL);	/* the body: chart_finish */
	r->finish = chart_finish;
	r->finish_arg = v;
	return;
out:
	chart_view_free(v);
}

static void
section(struct req *r)
{
	const char *pid = r->params[0], *sid = r->params[1], *purpose = req_query(r, "purpose");
	struct section sec;
	struct access a;
	json_t *o;
	int rc;

	if ((rc = store_section_get(r->app->store, pid, sid, &sec)) == STORE_ERROR) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	if (access_decide(r, pid, purpose, rc == STORE_OK &&
	    policy_section_sensitive(sec.confidentiality, sec.sensitivity), &a) != 0)
		return;
	if (a.d.outcome != POLICY_PERMIT && a.d.outcome != POLICY_PERMIT_STEP_UP) {
		deny(r, "section", pid, purpose, &a);
		return;
	}
	if (rc != STORE_OK) {
		access_audit(r, &(struct audit_note){ .kind = "section", .patient_id = pid,
		    .purpose = purpose, .decision = "deny", .rule = "section_unknown", .path = a.d.path });
		reply_error(r, 404, "not_found", "no such section in this chart");
		return;
	}
	if (policy_section_gated(&a.d, &sec)) {
		/* RFC 9470: tell the client which authentication is missing and how fresh it must be. */
		access_audit(r, &(struct audit_note){ .kind = "section", .patient_id = pid,
		    .sections = sid, .purpose = purpose, .decision = "deny", .rule = "step_up_required",
		    .path = a.d.path });
		snprintf(r->www_authenticate, sizeof(r->www_authenticate),
		    "Bearer error=\"insufficient_user_authentication\", max_age=%lld",
		    (long long)r->app->cfg->step_up_ttl);
		reply_error(r, 401, "step_up_required",
		    "this section is sensitive: confirm with your badge and PIN first");
		return;
	}
	if ((o = section_json(r->app->store, &sec, 0)) == NULL ||
	    access_audit(r, &(struct audit_note){ .kind = "section", .patient_id = pid,
	    .sections = sid, .purpose = purpose, .decision = "permit", .rule = a.d.rule,
	    .path = a.d.path }) != 0) {
		json_decref(o);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	reply_json(r, 200, o);
}

/* The routes of both run as members of a group commit (server.c, store_group): one
 * transaction holds a decision's reads and its audit row, and commits before any reply is
 * queued, so an acknowledged decision is a committed one. */
void
h_chart(struct req *r)
{
	chart(r);
}

void
h_section(struct req *r)
{
	section(r);
}
