/* Handlers for the worklist and the chart: every chart decision, permit or deny, is audited first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/handlers.h"
#include "backend/policy.h"
#include "backend/vocab.h"

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

void
h_worklist(struct req *r)
{
	json_t *patients;

	if (!vocab_any_clinical(&r->user.roles)) {
		reply_error(r, 403, "forbidden", "the worklist is for clinicians");
		return;
	}
	patients = json_array();
	if (store_worklist(r->app->store, r->user.id, patients) != STORE_OK) {
		json_decref(patients);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:n}", "patients", patients, "next_cursor"));
}

struct chart_build {
	struct store *store;
	json_t *sections;
	char released[512];	/* for the audit row */
	int failed;
};

static int
add_section(void *arg, const struct section *sec)
{
	struct chart_build *b = arg;
	int gated = policy_section_gated(sec->confidentiality, sec->sensitivity);
	json_t *items = json_array(), *o;
	size_t n;

	/* A gated section carries no items at all: nothing to count, nothing to peek at. */
	if (!gated) {
		if (store_section_items(b->store, sec->id, items) != STORE_OK)
			b->failed = 1;
		n = strlen(b->released);
		snprintf(b->released + n, sizeof(b->released) - n, "%s%s", n ? "," : "", sec->id);
	}
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id", sec->id, "title", sec->title,
	    "confidentiality", sec->confidentiality, "sensitivity", words(sec->sensitivity),
	    "gated", gated ? json_string("step_up") : json_null(), "items", items);
	if (o == NULL || json_array_append_new(b->sections, o) != 0)
		b->failed = 1;
	return b->failed;
}

static int
audit_chart(struct req *r, const char *patient_id, const char *purpose,
    const struct policy_decision *d, const char *sections)
{
	struct audit_row a;

	memset(&a, 0, sizeof(a));
	snprintf(a.kind, sizeof(a.kind), "chart");
	snprintf(a.user_id, sizeof(a.user_id), "%s", r->user.id);
	snprintf(a.workstation, sizeof(a.workstation), "%s", r->session.workstation);
	snprintf(a.patient_id, sizeof(a.patient_id), "%s", patient_id);
	snprintf(a.sections, sizeof(a.sections), "%s", sections ? sections : "");
	snprintf(a.purpose, sizeof(a.purpose), "%s", purpose ? purpose : "");
	snprintf(a.decision, sizeof(a.decision), "%s",
	    d->outcome == POLICY_PERMIT ? "permit" : "deny");
	snprintf(a.rule, sizeof(a.rule), "%s", d->rule);
	snprintf(a.path, sizeof(a.path), "%s", d->path ? d->path : "");
	snprintf(a.request_id, sizeof(a.request_id), "%s", r->request_id);
	return audit_append(r->app->store, &a);
}

void
h_chart(struct req *r)
{
	const char *pid = r->params[0];
	const char *purpose = req_query(r, "purpose");
	struct policy_request q;
	struct policy_decision d;
	struct patient p;
	struct chart_build b;
	int rc;

	memset(&q, 0, sizeof(q));
	q.roles = &r->user.roles;
	q.purpose = purpose;
	rc = store_patient_get(r->app->store, pid, &p);
	if (rc == STORE_ERROR ||
	    (rc == STORE_OK && store_care_relationship(r->app->store, r->user.id, pid, &q.rel) != STORE_OK)) {
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	q.patient_exists = rc == STORE_OK;
	policy_decide(&q, &d);

	if (d.outcome != POLICY_PERMIT) {
		/* Denials are audited too; the answer does not wait on the audit. */
		if (audit_chart(r, pid, purpose, &d, NULL) != 0)
			fprintf(stderr, "chartgated: %s: audit append failed\n", r->request_id);
		switch (d.outcome) {
		case POLICY_FORBIDDEN:
			reply_error(r, 403, "forbidden", "this role does not read charts");
			break;
		case POLICY_PURPOSE_REQUIRED:
			reply_error(r, 428, "purpose_required", "say why you open this chart (?purpose=)");
			break;
		case POLICY_PURPOSE_INVALID:
			reply_error(r, 400, "bad_request", "this purpose of use is not available to your role");
			break;
		case POLICY_NOT_FOUND:
			reply_error(r, 404, "not_found", "no such patient");
			break;
		default:
			reply_json(r, 403, json_pack("{s:{s:s, s:s, s:s}, s:b}", "error",
			    "code", "no_relationship",
			    "message", strcmp(d.rule, "encounter_finished") == 0 ?
			    "the encounter you cared for this patient in has finished" :
			    "you are not on this patient's care team",
			    "rule", d.rule, "break_glass_allowed", 1));
			break;
		}
		return;
	}

	memset(&b, 0, sizeof(b));
	b.store = r->app->store;
	b.sections = json_array();
	if (store_sections(r->app->store, pid, add_section, &b) != STORE_OK || b.failed ||
	    audit_chart(r, pid, purpose, &d, b.released) != 0) {
		/* No audit row, no chart. */
		json_decref(b.sections);
		reply_error(r, 500, "internal", "internal error");
		return;
	}
	reply_json(r, 200, json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:o}, s:{s:s, s:s}, s:o}",
	    "patient", "id", p.id, "mrn", p.mrn, "display_name", p.display_name,
	    "birth_date", p.birth_date, "sex", p.sex, "flags", words(p.flags),
	    "access", "path", d.path, "purpose", purpose,
	    "sections", b.sections));
}
