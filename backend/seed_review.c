/* The reviewer desk's demo: surnames and addresses, grants of every kind, ~25 break-glass events with accesses, synthetic events on request. */
#include "backend/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/audit.h"
#include "backend/risk.h"
#include "backend/store.h"
#include "backend/util.h"

/* People: family names from display names; a few addresses. Ben Okafor lives where
 * p-0017 lives; p-0023 becomes Ines Ortiz, a relative of Ana Ortiz; Jonas Berg, a
 * privacy officer, also works bank shifts as a nurse (the separation-of-duties case). */
static const char *const people_sql[] = {
	"UPDATE patients SET family_name = substr(display_name, instr(display_name, ' ') + 1),"
	" address = coalesce((SELECT value FROM chart_items WHERE section_id = patients.id || '-demo'"
	" AND label = 'Address'), '')",
	"UPDATE patients SET display_name = 'Ines Ortiz', family_name = 'Ortiz' WHERE id = 'p-0023'",
	"UPDATE chart_items SET value = 'Ines Ortiz' WHERE section_id = 'p-0023-demo' AND label = 'Name'",
	"UPDATE users SET family_name ="
	" substr(display_name, length(rtrim(display_name, replace(display_name, ' ', ''))) + 1)",
	"UPDATE users SET address = v.column2 FROM (VALUES"
	" ('u-nurse-ana', '7 Harbour Lane, Sampletown'),"
	" ('u-nurse-ben', (SELECT address FROM patients WHERE id = 'p-0017')),"
	" ('u-nurse-chloe', '3 Mill Road, Sampletown'), ('u-nurse-dev', '12 Orchard Close, Sampletown'),"
	" ('u-phys-elena', '41 Quay Street, Sampletown'), ('u-phys-hugo', '2 Chapel Row, Sampletown'),"
	" ('u-priv-jonas', '19 Birch Avenue, Sampletown')) AS v WHERE users.id = v.column1",
	"INSERT INTO user_roles (user_id, role) VALUES ('u-priv-jonas', 'nurse')",
	"INSERT INTO service_accounts VALUES ('svc-lab-interface', 'Lab interface (results feed)'),"
	" ('svc-pharmacy', 'Pharmacy system'), ('svc-radiology-sync', 'Radiology image sync')",
	"INSERT INTO tasks (id, kind, encounter_id, status, needs_scope, ended_at) VALUES"
	" ('t-consult-0005', 'consult', 'e-0005', 'active', 'read:chart', NULL),"
	" ('t-transfer-0038', 'transfer', 'e-0038', 'active', 'read:chart', NULL),"
	" ('t-consult-0009', 'consult', 'e-0009', 'active', 'read:chart', NULL),"
	" ('t-cover-4w', 'shift-cover', NULL, 'ended', 'read:chart', :now - 86400),"
	" ('t-medrec-0013', 'med-reconciliation', 'e-0013', 'active', 'write:orders', NULL),"
	" ('t-feed-lab-4w', 'interface-feed', NULL, 'active', 'write:results', NULL),"
	" ('t-pharm-0020', 'med-reconciliation', 'e-0020', 'active', 'read:chart', NULL),"
	" ('t-imaging-0026', 'imaging-sync', 'e-0026', 'ended', 'read:chart', :now - 3 * 86400),"
	" ('t-lab-0040', 'lab-followup', 'e-0040', 'ended', 'read:chart', :now - 10 * 86400)",
	/* id, kind, subject, subject_kind, scope, patient, unit, task, created_by, created, expires */
	"INSERT INTO grants (id, kind, subject_id, subject_kind, scope, patient_id, unit_id, task_id,"
	" created_by, created_at, expires_at) VALUES"
	" ('gr-jit-0001', 'jit', 'u-phys-hugo', 'person', 'read:chart', 'p-0005', NULL,"
	"  't-consult-0005', 'u-phys-farid', :now - 7200, :now + 21600),"
	" ('gr-jit-0002', 'jit', 'u-nurse-chloe', 'person', 'read:chart', 'p-0038', NULL,"
	"  't-transfer-0038', 'u-phys-farid', :now - 6 * 86400, :now + 5 * 86400),"
	" ('gr-jit-0003', 'jit', 'u-phys-farid', 'person', 'read:unit', NULL, 'u-icu',"
	"  't-consult-0009', 'u-phys-grace', :now - 3600, :now + 43200),"
	" ('gr-del-0001', 'delegation', 'u-nurse-ben', 'person', 'read:chart', 'p-0007', NULL,"
	"  't-cover-4w', 'u-nurse-ana', :now - 2 * 86400, :now + 5 * 86400),"
	" ('gr-del-0002', 'delegation', 'u-nurse-ana', 'person', 'write:orders', 'p-0013', NULL,"
	"  't-medrec-0013', 'u-phys-elena', :now - 40 * 86400, NULL),"
	" ('gr-int-0001', 'integration', 'svc-lab-interface', 'service', 'write:results', NULL, 'u-4w',"
	"  't-feed-lab-4w', 'u-priv-iris', :now - 20 * 86400, :now + 10 * 86400),"
	" ('gr-int-0002', 'integration', 'svc-pharmacy', 'service', 'write:orders', 'p-0020', NULL,"
	"  't-pharm-0020', 'u-priv-jonas', :now - 15 * 86400, NULL),"
	" ('gr-int-0003', 'integration', 'svc-radiology-sync', 'service', 'read:unit', NULL, 'u-5e',"
	"  't-imaging-0026', 'u-priv-iris', :now - 60 * 86400, :now + 30 * 86400),"
	" ('gr-int-0004', 'integration', 'svc-lab-interface', 'service', 'read:chart', 'p-0040', NULL,"
	"  't-lab-0040', 'u-priv-iris', :now - 25 * 86400, :now + 10 * 86400)",
};

struct demo_bg {
	const char *user, *patient, *ws, *reason, *justification;
	int days, hhmm;		/* made `days` ago at HH:MM UTC; days < 0: -days minutes ago, still live */
	const char *status, *assignee, *decision, *note;
	const char *reads;	/* section suffixes read under the grant */
};

#define J_CONSULT "Consultant review requested by the ward team"
static const struct demo_bg events[] = {
	{ "u-nurse-ana", "p-0023", "cart-4w-01", "OVRER", "Patient deteriorating, covering for the 5E nurse on a break",
	    0, 2240, "open", NULL, NULL, NULL, "demo meds notes" },
	{ "u-nurse-ben", "p-0017", "cart-4w-02", "OVRPJ", "Checking medication history before a transfer",
	    1, 1015, "open", NULL, NULL, NULL, "meds prob" },
	{ "u-nurse-chloe", "p-0031", "cart-5e-01", "OVRPJ", "Heard the patient was admitted, wanted to check the plan",
	    0, 1405, "open", NULL, NULL, NULL, "demo prob mh" },
	{ "u-nurse-dev", "p-0013", "cart-icu-01", "OVRER", "Emergency transfer from 4W expected, reviewing history",
	    0, 230, "open", NULL, NULL, NULL, "meds sud" },
	{ "u-phys-hugo", "p-0002", "cart-5e-02", "OVRPJ", J_CONSULT, 1, 900, "open", NULL, NULL, NULL, "prob" },
	{ "u-phys-hugo", "p-0008", "cart-5e-02", "OVRPJ", J_CONSULT, 1, 1100, "in_review", "u-priv-iris",
	    NULL, NULL, "prob meds" },
	{ "u-phys-hugo", "p-0014", "cart-5e-02", "OVRPJ", J_CONSULT, 1, 1300, "open", NULL, NULL, NULL, "prob notes" },
	{ "u-phys-elena", "p-0003", "cart-4w-01", "OVRTPS", "Safeguarding concern raised by a family member",
	    3, 1620, "closed", "u-priv-jonas", "appropriate", "Safeguarding referral on file; access proportionate.", "demo notes" },
	{ "u-phys-farid", "p-0006", "cart-5e-01", "OVRER", "Rapid response call, patient collapsed in radiology",
	    5, 310, "closed", "u-priv-iris", "appropriate", "Rapid response confirmed by the ICU log.", "meds vitals" },
	{ "u-phys-grace", "p-0001", "cart-icu-02", "OVRER", "Transfer to ICU expected, reviewing the notes",
	    2, 2130, "closed", "u-priv-iris", "inappropriate", "No transfer was requested; mental health notes read without need.", "mh notes" },
	{ "u-nurse-ana", "p-0002", "cart-4w-01", "OVRPJ", "Patient asked me to check their discharge letter",
	    6, 1130, "closed", "u-priv-jonas", "needs_followup", "Ask the 5E manager whether the patient made this request.", "notes" },
	{ "u-nurse-ana", "p-0005", "cart-4w-02", "OVRER", "Fall in the corridor outside 4W, first responder",
	    2, 1540, "closed", "u-priv-jonas", "appropriate", "Incident report matches.", "allg meds" },
	{ "u-priv-jonas", "p-0009", "cart-icu-01", "OVRER", "Bank shift on ICU, patient arrested, drug history needed",
	    0, 450, "open", NULL, NULL, NULL, "meds allg" },
	{ "u-priv-jonas", "p-0012", "cart-icu-02", "OVRER", "Bank shift on ICU, covering a colleague's bay",
	    1, 1910, "closed", "u-priv-iris", "appropriate", "Rota confirms the bank shift.", "vitals" },
	{ "u-nurse-chloe", "p-0010", "cart-5e-02", "OVRPS", "Police asked whether the patient is on the ward",
	    4, 1200, "in_review", "u-priv-jonas", NULL, NULL, "demo" },
	{ "u-nurse-dev", "p-0007", "cart-icu-02", "OVRER", "Outreach call to 4W, patient hypotensive",
	    3, 2350, "open", NULL, NULL, NULL, "vitals meds" },
	{ "u-phys-elena", "p-0021", "cart-4w-02", "OVRPJ", "Second opinion on imaging for a colleague",
	    2, 930, "open", NULL, NULL, NULL, "prob" },
	{ "u-phys-farid", "p-0024", "cart-5e-01", "OVRER", "Theatre emergency, anaesthetic history needed",
	    1, 620, "open", NULL, NULL, NULL, "allg meds" },
	{ "u-phys-grace", "p-0027", "cart-icu-01", "OVRINCOMP", "Patient confused, next of kin details needed",
	    0, 1715, "open", NULL, NULL, NULL, "demo" },
	{ "u-nurse-ben", "p-0020", "cart-5e-01", "OVRER", "Helping on 5E during a cardiac arrest",
	    5, 1420, "closed", "u-priv-iris", "appropriate", "Arrest call logged at 14:18.", "vitals" },
	{ "u-phys-hugo", "p-0010", "cart-5e-01", "OVRER", "Called to 4W for a surgical opinion on an acute abdomen",
	    -10, 0, "open", NULL, NULL, NULL, "prob" },
	{ "u-nurse-dev", "p-0022", "cart-icu-01", "OVRER", "Patient deteriorating on 4W, ICU outreach review",
	    -5, 0, "open", NULL, NULL, NULL, "" },
	{ "u-nurse-chloe", "p-0036", "cart-5e-01", "OVRPJ", "Patient transferred from 5E overnight, handover",
	    0, 1945, "open", NULL, NULL, NULL, "notes" },
	{ "u-phys-grace", "p-0040", "cart-icu-02", "OVRPJ", "Readmission likely, reviewing the last stay",
	    7, 1000, "closed", "u-priv-jonas", "appropriate", "Readmission happened the next day.", "notes prob" },
	{ "u-phys-elena", "p-0025", "cart-5e-02", "OVRER", "Patient collapsed in the lift lobby",
	    0, 2005, "open", NULL, NULL, NULL, "demo inf" },
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

static int64_t
made_at(const struct demo_bg *e, int64_t now)
{
	int64_t t;

	if (e->days < 0)
		return now + 60 * (int64_t)e->days;
	t = now - now % 86400 - 86400 * (int64_t)e->days + 3600 * (e->hhmm / 100) + 60 * (e->hhmm % 100);
	return t > now - 3600 ? t - 86400 : t;	/* "today" at a time still to come: yesterday */
}

/* One audit row under the event's grant. */
static int
access_row(struct store *s, const struct demo_bg *e, const char *id, int k, int64_t t,
    const char *kind, const char *sections, const char *rule)
{
	struct audit_row a;

	memset(&a, 0, sizeof(a));
	cg_time_fmt(t, a.time);
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.user_id, sizeof(a.user_id), "%s", e->user);
	snprintf(a.workstation, sizeof(a.workstation), "%s", e->ws);
	snprintf(a.patient_id, sizeof(a.patient_id), "%s", e->patient);
	snprintf(a.sections, sizeof(a.sections), "%s", sections);
	snprintf(a.purpose, sizeof(a.purpose), "BTG");
	snprintf(a.decision, sizeof(a.decision), "permit");
	snprintf(a.rule, sizeof(a.rule), "%s", rule);
	snprintf(a.path, sizeof(a.path), "break-glass:%s", id);
	snprintf(a.request_id, sizeof(a.request_id), "req-seed%s-%d", id + 7, k);
	return audit_append(s, &a);
}

/* The grant's own row, one chart read of the ordinary sections, one section read per sensitive one. */
static int
accesses(struct store *s, const struct demo_bg *e, const char *id, int64_t t)
{
	char plain[256] = "", sid[STORE_ID_MAX], word[16];
	const char *p = e->reads;
	struct section sec;
	int k = 1, rc = access_row(s, e, id, 0, t, "break-glass", "", e->reason);

	while (rc == 0 && sscanf(p, "%15s", word) == 1) {
		p = strstr(p, word) + strlen(word);
		snprintf(sid, sizeof(sid), "%s-%s", e->patient, word);
		if (store_section_get(s, e->patient, sid, &sec) != STORE_OK)
			continue;
		if (strcmp(sec.confidentiality, "N") != 0 || sec.sensitivity[0] != '\0')
			rc = access_row(s, e, id, k, t + 60 * (k + 1), "section", sid, "break-glass");
		else
			snprintf(plain + strlen(plain), sizeof(plain) - strlen(plain), "%s%s",
			    plain[0] ? "," : "", sid);
		k++;
	}
	if (rc == 0 && plain[0] != '\0')
		rc = access_row(s, e, id, k, t + 60, "chart", plain, "break-glass");
	return rc;
}

static int
demo_events(struct store *s, int64_t now)
{
	struct store_bulk *b = NULL;
	struct bg_seed g;
	char id[NEVENTS][STORE_ID_MAX];
	size_t i;
	int rc = 0;

	if (store_begin(s) != STORE_OK)
		return -1;
	for (i = 0; i < sizeof(people_sql) / sizeof(people_sql[0]); i++)
		rc |= store_seed_sql(s, people_sql[i], now) != STORE_OK;
	rc |= store_bg_bulk_open(s, &b) != STORE_OK;
	for (i = 0; rc == 0 && i < NEVENTS; i++) {
		const struct demo_bg *e = &events[i];

		memset(&g, 0, sizeof(g));
		snprintf(id[i], sizeof(id[i]), "bg-demo-%02zu", i + 1);
		g.id = id[i];
		g.user_id = e->user;
		g.patient_id = e->patient;
		g.workstation = e->ws;
		g.reason_code = e->reason;
		g.justification = e->justification;
		g.status = e->status;
		g.assignee = e->assignee;
		g.decision = e->decision;
		g.note = e->note;
		g.created_at = made_at(e, now);
		g.expires_at = g.created_at + 1800;
		if (e->decision != NULL)
			g.decided_at = g.created_at + 86400 < now ? g.created_at + 86400 : now - 60;
		rc |= store_bg_bulk_put(b, &g) != STORE_OK;
	}
	store_bg_bulk_close(&b);
	if (rc != 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s) != STORE_OK)
		return -1;
	/* Accesses go through the audit chain (its own transactions), then the scores. */
	for (i = 0; rc == 0 && i < NEVENTS; i++)
		rc |= accesses(s, &events[i], id[i], made_at(&events[i], now));
	for (i = 0; rc == 0 && i < NEVENTS; i++)
		rc |= risk_refresh(s, id[i]);
	return rc ? -1 : 0;
}

int
seed_review(struct store *s, int64_t now, long total)
{
	if (demo_events(s, now) != 0)
		return -1;
	if (total > (long)NEVENTS && seed_review_bulk(s, now, (size_t)total - NEVENTS) != 0)
		return -1;
	printf("chartgated: reviewer desk: %zu break-glass events, 9 grants (JIT, delegation, "
	    "integration)\n", total > (long)NEVENTS ? (size_t)total : NEVENTS);
	return 0;
}
