/* Audit rows as FHIR R4 AuditEvent (IHE BALP): event type by row kind, agent with purpose of use, patient and section entities. */
#include "backend/fhir.h"

#include <stdio.h>
#include <string.h>

#include "backend/util.h"

#define REST_INTERACTION "http://hl7.org/fhir/restful-interaction"
#define AUDIT_EVENT_TYPE "http://terminology.hl7.org/CodeSystem/audit-event-type"
#define ENTITY_TYPE "http://terminology.hl7.org/CodeSystem/audit-entity-type"
#define OBJECT_ROLE "http://terminology.hl7.org/CodeSystem/object-role"
#define SOURCE_TYPE "http://terminology.hl7.org/CodeSystem/security-source-type"
#define BALP_ENTITY "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType"

struct event_type {
	const char *kind;
	const char *type_system, *type_code, *type_display;
	const char *sub_system, *sub_code, *sub_display;
	const char *action;
};

/* By audit kind; the last row is the default (a RESTful operation that executes something). */
static const struct event_type types[] = {
	{ "chart", FHIR_DCM, "110110", "Patient Record", REST_INTERACTION, "read", "read", "R" },
	{ "section", FHIR_DCM, "110110", "Patient Record", REST_INTERACTION, "read", "read", "R" },
	{ "break-glass", FHIR_DCM, "110113", "Security Alert", FHIR_DCM, "110127",
	    "Emergency Override Started", "E" },
	{ "search", AUDIT_EVENT_TYPE, "rest", "Restful Operation", REST_INTERACTION, "search-type",
	    "search type", "E" },
	{ "tap-in", FHIR_DCM, "110114", "User Authentication", FHIR_DCM, "110122", "Login", "E" },
	{ "step-up", FHIR_DCM, "110114", "User Authentication", FHIR_DCM, "110122", "Login", "E" },
	{ "sign-out", FHIR_DCM, "110114", "User Authentication", FHIR_DCM, "110123", "Logout", "E" },
	{ "lock-out", FHIR_DCM, "110113", "Security Alert", FHIR_DCM, "110137",
	    "User Security Attributes Changed", "E" },
	{ "audit-read", FHIR_DCM, "110101", "Audit Log Used", REST_INTERACTION, "search-type",
	    "search type", "R" },
	{ NULL, AUDIT_EVENT_TYPE, "rest", "Restful Operation", REST_INTERACTION, "operation",
	    "operation", "E" },
};

static const struct event_type *
type_of(const char *kind)
{
	const struct event_type *t = types;

	while (t->kind != NULL && strcmp(t->kind, kind) != 0)
		t++;
	return t;
}

static json_t *
coding(const char *system, const char *code, const char *display)
{
	return display != NULL ? json_pack("{s:s, s:s, s:s}", "system", system, "code", code,
	    "display", display) : json_pack("{s:s, s:s}", "system", system, "code", code);
}

static json_t *
agent(const struct audit_row *row, const char *user_display)
{
	json_t *a = json_pack("{s:o, s:b, s:{s:s, s:s}}",
	    "who", row->user_id[0] ? json_pack("{s:s+, s:s}", "reference", "Practitioner/",
	    row->user_id, "display", user_display[0] ? user_display : row->user_id) :
	    json_pack("{s:s}", "display", "unknown user"),
	    "requestor", 1,
	    "network", "address", row->workstation[0] ? row->workstation : "unknown", "type", "1");

	if (a != NULL && row->purpose[0] != '\0')
		json_object_set_new(a, "purposeOfUse", json_pack("[{s:[o]}]", "coding",
		    coding(FHIR_ACT_REASON, row->purpose, NULL)));
	return a;
}

/* Confidentiality first, then each sensitivity code. */
static json_t *
labels(const struct section *sec)
{
	json_t *a = json_array();
	const char *p = sec->sensitivity;

	json_array_append_new(a, coding(FHIR_CONFIDENTIALITY, sec->confidentiality, NULL));
	while (*p != '\0') {
		char code[16];
		size_t n = strcspn(p, " ");

		if (n > 0 && n < sizeof(code)) {
			memcpy(code, p, n);
			code[n] = '\0';
			json_array_append_new(a, coding(FHIR_ACT_CODE, code, NULL));
		}
		p += n + (p[n] == ' ');
	}
	return a;
}

static json_t *
entities(const struct audit_row *row, const struct section *secs, size_t n)
{
	json_t *e = json_array();
	size_t i;

	if (row->patient_id[0] != '\0')
		json_array_append_new(e, json_pack("{s:{s:s+}, s:o, s:o}",
		    "what", "reference", "Patient/", row->patient_id,
		    "type", coding(ENTITY_TYPE, "1", "Person"),
		    "role", coding(OBJECT_ROLE, "1", "Patient")));
	for (i = 0; i < n; i++) {
		json_t *s = json_pack("{s:{s:{s:s}}, s:o, s:o}", "what", "identifier", "value", secs[i].id,
		    "type", coding(ENTITY_TYPE, "2", "System Object"),
		    "role", coding(OBJECT_ROLE, "4", "Domain Resource"));

		if (s != NULL && secs[i].confidentiality[0] != '\0') {
			json_object_set_new(s, "name", json_string(secs[i].title));
			json_object_set_new(s, "securityLabel", labels(&secs[i]));
		}
		json_array_append_new(e, s);
	}
	json_array_append_new(e, json_pack("{s:{s:{s:s}}, s:o, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
	    "what", "identifier", "value", row->request_id,
	    "type", coding(BALP_ENTITY, "XrequestId", NULL),
	    "detail", "type", "rule", "valueString", row->rule, "type", "path", "valueString", row->path,
	    "type", "chain-hash", "valueString", row->hash));
	return e;
}

json_t *
fhir_audit_event(const struct audit_row *row, const char *user_display,
    const struct section *secs, size_t n)
{
	const struct event_type *t = type_of(row->kind);
	char id[40];
	json_t *ev;

	snprintf(id, sizeof(id), "audit-%lld", (long long)row->seq);
	ev = json_pack("{s:s, s:s, s:o, s:[o], s:s, s:s, s:s, s:[o, {s:o, s:{s:s}, s:b}], s:{s:s, s:{s:s}, s:[o]}, s:o}",
	    "resourceType", "AuditEvent", "id", id,
	    "type", coding(t->type_system, t->type_code, t->type_display),
	    "subtype", coding(t->sub_system, t->sub_code, t->sub_display),
	    "action", t->action,
	    "recorded", row->time,
	    "outcome", strcmp(row->decision, "permit") == 0 ? "0" : "4",
	    "agent", agent(row, user_display),
	    "type", json_pack("{s:[o]}", "coding", coding(FHIR_DCM, "110153", "Source Role ID")),
	    "who", "display", "chartgated", "requestor", 0,
	    "source", "site", "chartgate", "observer", "display", "chartgated",
	    "type", coding(SOURCE_TYPE, "4", "Application Server"),
	    "entity", entities(row, secs, n));
	if (ev != NULL && strcmp(row->decision, "permit") != 0)
		json_object_set_new(ev, "outcomeDesc", json_string(row->rule));
	return ev;
}

json_t *
fhir_bundle(json_t *resources, const char *self_url, const char *next_url)
{
	char now[CG_TIME_LEN];
	json_t *entries = json_array(), *res, *links;
	size_t i;

	cg_time_fmt(cg_now(), now);
	json_array_foreach(resources, i, res)
		json_array_append_new(entries, json_pack("{s:O, s:{s:s}}", "resource", res,
		    "search", "mode", "match"));
	json_decref(resources);
	links = json_pack("[{s:s, s:s}]", "relation", "self", "url", self_url);
	if (links != NULL && next_url != NULL)
		json_array_append_new(links, json_pack("{s:s, s:s}", "relation", "next", "url", next_url));
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "resourceType", "Bundle", "type", "searchset",
	    "timestamp", now, "link", links, "entry", entries);
}
