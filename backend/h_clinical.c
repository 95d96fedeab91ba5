/* Handlers for the worklist, the chart and one chart section: every decision, permit or deny, is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/access.h"
#include "backend/handlers.h"
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

/* Audit a denial and answer it. */
static void
deny(struct req *r, const char *kind, const char *pid, const char *purpose, const struct access *a)
{
	access_audit(r, &(struct audit_note){ .kind = kind, .patient_id = pid, .purpose = purpose,
	    .decision = "deny", .rule = a->d.rule });
	access_reply_denied(r, a);
}

static void
chart(struct req *r)
{
	const char *pid = r->params[0], *purpose = req_query(r, "purpose");
	struct section_list *l = calloc(1, sizeof(*l));
	struct access a;
	char released[512] = "";
	json_t *sections = NULL, *o;
	size_t i, n;

	if (l == NULL || store_sections(r->app->store, pid, collect, l) != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		goto out;
	}
	if (access_decide(r, pid, purpose, l->sensitive, &a) != 0)
		goto out;
	if (a.d.outcome != POLICY_PERMIT && a.d.outcome != POLICY_PERMIT_STEP_UP) {
		deny(r, "chart", pid, purpose, &a);
		goto out;
	}
	sections = json_array();
	for (i = 0; i < l->n; i++) {
		int gated = policy_section_gated(&a.d, &l->v[i]);

		if ((o = section_json(r->app->store, &l->v[i], gated)) == NULL ||
		    json_array_append_new(sections, o) != 0)
			goto fail;
		if (!gated) {
			n = strlen(released);
			snprintf(released + n, sizeof(released) - n, "%s%s", n ? "," : "", l->v[i].id);
		}
	}
	/* No audit row, no chart. */
	if (access_audit(r, &(struct audit_note){ .kind = "chart", .patient_id = pid,
	    .sections = released, .purpose = purpose, .decision = "permit", .rule = a.d.rule,
	    .path = a.d.path }) != 0)
		goto fail;
	reply_json(r, 200, json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:o}, s:o, s:o}",
	    "patient", "id", a.patient.id, "mrn", a.patient.mrn, "display_name", a.patient.display_name,
	    "birth_date", a.patient.birth_date, "sex", a.patient.sex, "flags", words(a.patient.flags),
	    "access", access_json(&a, purpose), "sections", sections));
	goto out;
fail:
	json_decref(sections);
	reply_error(r, 500, "internal", "internal error");
out:
	free(l);
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

/* One decision, one transaction: its reads and its audit row commit together, one WAL commit
 * instead of one per statement, and the commit comes before any reply is sent (replies are
 * queued after the handler returns), so an acknowledged decision is a committed one. */
void
handle_in_tx(struct req *r, void (*fn)(struct req *))
{
	struct store *s = r->app->store;

	if (store_begin(s) != STORE_OK) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	fn(r);
	if (store_commit(s) != STORE_OK)
		reply_error(r, 500, "internal", "internal error");
}

void
h_chart(struct req *r)
{
	handle_in_tx(r, chart);
}

void
h_section(struct req *r)
{
	handle_in_tx(r, section);
}
