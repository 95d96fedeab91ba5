/* Unit tests of the access policy: the default rule table of migration 2, row by row, and its loader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend/policy.h"
#include "tests/t.h"

#define NOW 1000000
#define GRACE 86400

static const struct rolelist nurse = { { "nurse" }, 1 };
static const struct rolelist physician = { { "physician" }, 1 };
static const struct rolelist privacy = { { "privacy_officer" }, 1 };
static const struct rolelist helpdesk = { { "helpdesk" }, 1 };
static const struct rolelist nurse_helpdesk = { { "helpdesk", "nurse" }, 2 };

/* Care context shorthands: the caller's care-team encounters of the patient. */
enum care { NONE, ACTIVE, ENDED, ACTIVE_BOTH_UNITS, OLD_HERE_ACTIVE_THERE };

struct row {
	const char *proves;
	const struct rolelist *roles;
	const char *purpose;
	int exists;
	enum care care;
	int64_t ended_ago;	/* ENDED: seconds since discharge */
	const char *enc_unit;	/* unit of the encounter(s) */
	const char *ws_unit;	/* the workstation's; NULL: unknown workstation */
	int step_up, grant, sensitive;
	enum policy_outcome want;
	const char *rule, *path;
};

#define P POLICY_PERMIT
#define PS POLICY_PERMIT_STEP_UP
#define BG POLICY_DENY_BREAK_GLASS
#define D POLICY_DENY
#define PR POLICY_PURPOSE_REQUIRED
#define PI POLICY_PURPOSE_INVALID
#define NF POLICY_NOT_FOUND
#define CT "care-team"
#define BGP "break-glass:bg-1"

static const struct row rows[] = {
	/* role */
	{ "helpdesk is refused before anything, even for an unknown patient", &helpdesk, "TREAT", 0, NONE, 0, "4w", "4w", 0, 0, 0, D, "role_not_clinical", "" },
	{ "helpdesk is refused even on a care team with a grant", &helpdesk, "BTG", 1, ACTIVE, 0, "4w", "4w", 1, 1, 1, D, "role_not_clinical", "" },
	{ "a privacy officer never reads charts, with her own purpose", &privacy, "HCOMPL", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, D, "role_not_clinical", "" },
	{ "a privacy officer with a grant and BTG is still refused", &privacy, "BTG", 1, NONE, 0, "4w", "4w", 0, 1, 0, D, "role_not_clinical", "" },
	{ "one clinical role among others makes a clinician", &nurse_helpdesk, "TREAT", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, P, "care-team", CT },
	{ "a physician on the care team reads like a nurse", &physician, "TREAT", 1, ACTIVE, 0, "icu", "icu", 0, 0, 0, P, "care-team", CT },
	/* purpose */
	{ "no purpose: 428, even on the care team", &nurse, NULL, 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, PR, "purpose_missing", "" },
	{ "an empty purpose is no purpose", &nurse, "", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, PR, "purpose_missing", "" },
	{ "another role's purpose is refused", &nurse, "HCOMPL", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, PI, "purpose_not_allowed", "" },
	{ "purpose codes are case sensitive", &nurse, "treat", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, PI, "purpose_not_allowed", "" },
	{ "purpose is checked before existence", &nurse, "HCOMPL", 0, NONE, 0, "4w", "4w", 0, 0, 0, PI, "purpose_not_allowed", "" },
	{ "BTG without a grant is refused, even on the care team", &nurse, "BTG", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, PI, "btg_without_grant", "" },
	{ "ETREAT is an ordinary purpose on the care team", &nurse, "ETREAT", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, P, "care-team", CT },
	/* patient */
	{ "an unknown patient is 404", &nurse, "TREAT", 0, NONE, 0, "4w", "4w", 0, 0, 0, NF, "patient_unknown", "" },
	{ "an unknown patient is 404 before BTG is judged", &nurse, "BTG", 0, NONE, 0, "4w", "4w", 0, 0, 0, NF, "patient_unknown", "" },
	/* care team x sensitivity x step-up */
	{ "care team, nothing sensitive: permit", &nurse, "TREAT", 1, ACTIVE, 0, "4w", "4w", 0, 0, 0, P, "care-team", CT },
	{ "care team, sensitive, no step-up: permit with sections gated", &nurse, "TREAT", 1, ACTIVE, 0, "4w", "4w", 0, 0, 1, PS, "care-team", CT },
	{ "care team, sensitive, step-up: permit everything", &nurse, "TREAT", 1, ACTIVE, 0, "4w", "4w", 1, 0, 1, P, "care-team", CT },
	{ "care team, ETREAT, sensitive: emergencies still step up", &physician, "ETREAT", 1, ACTIVE, 0, "4w", "4w", 0, 0, 1, PS, "care-team", CT },
	{ "a step-up alone grants nothing", &nurse, "TREAT", 1, NONE, 0, "4w", "4w", 1, 0, 1, BG, "not_on_care_team", "" },
	{ "not on the care team: deny, break-glass allowed", &nurse, "TREAT", 1, NONE, 0, "4w", "4w", 0, 0, 0, BG, "not_on_care_team", "" },
	/* unit */
	{ "care team but a cart on another unit: different_unit", &nurse, "TREAT", 1, ACTIVE, 0, "4w", "5e", 0, 0, 0, BG, "different_unit", "" },
	{ "an unknown workstation stands in no unit", &nurse, "TREAT", 1, ACTIVE, 0, "4w", NULL, 0, 0, 0, BG, "different_unit", "" },
	{ "an empty workstation unit is no unit", &nurse, "TREAT", 1, ACTIVE, 0, "", "", 0, 0, 0, BG, "different_unit", "" },
	{ "two active encounters: the one on this unit counts", &nurse, "TREAT", 1, ACTIVE_BOTH_UNITS, 0, "5e", "4w", 0, 0, 0, P, "care-team", CT },
	{ "an active encounter elsewhere outranks an old one here", &nurse, "TREAT", 1, OLD_HERE_ACTIVE_THERE, 0, "5e", "4w", 0, 0, 0, BG, "different_unit", "" },
	/* encounter status and the discharge grace */
	{ "discharged 1 s ago: still in grace", &nurse, "TREAT", 1, ENDED, 1, "4w", "4w", 0, 0, 0, P, "care-team", CT },
	{ "discharged grace-1 s ago: still in grace", &nurse, "TREAT", 1, ENDED, GRACE - 1, "4w", "4w", 0, 0, 1, PS, "care-team", CT },
	{ "discharged exactly grace ago: access has ended", &nurse, "TREAT", 1, ENDED, GRACE, "4w", "4w", 0, 0, 0, BG, "encounter_finished", "" },
	{ "discharged grace+1 s ago: encounter_finished", &nurse, "TREAT", 1, ENDED, GRACE + 1, "4w", "4w", 0, 0, 0, BG, "encounter_finished", "" },
	{ "in grace on another unit: different_unit", &nurse, "TREAT", 1, ENDED, 60, "4w", "icu", 0, 0, 0, BG, "different_unit", "" },
	{ "finished long ago, unit irrelevant", &nurse, "TREAT", 1, ENDED, 30 * 86400, "4w", "icu", 0, 0, 0, BG, "encounter_finished", "" },
	/* break-glass grant */
	{ "grant + BTG, nothing sensitive: permit via break-glass", &nurse, "BTG", 1, NONE, 0, "4w", "4w", 0, 1, 0, P, "break-glass", BGP },
	{ "grant + BTG, sensitive, no step-up: gated", &nurse, "BTG", 1, NONE, 0, "4w", "4w", 0, 1, 1, PS, "break-glass", BGP },
	{ "grant + BTG, sensitive, step-up: everything", &nurse, "BTG", 1, NONE, 0, "4w", "4w", 1, 1, 1, P, "break-glass", BGP },
	{ "grant + ETREAT: permit via break-glass", &physician, "ETREAT", 1, NONE, 0, "4w", "4w", 0, 1, 0, P, "break-glass", BGP },
	{ "grant + TREAT off the team: BTG or ETREAT, please", &nurse, "TREAT", 1, NONE, 0, "4w", "4w", 0, 1, 0, PI, "purpose_not_break_glass", "" },
	{ "grant + TREAT on the team: the care-team path wins", &nurse, "TREAT", 1, ACTIVE, 0, "4w", "4w", 0, 1, 0, P, "care-team", CT },
	{ "grant + BTG on the team: the grant path, as asked", &nurse, "BTG", 1, ACTIVE, 0, "4w", "4w", 0, 1, 0, P, "break-glass", BGP },
	{ "grant overcomes different_unit", &nurse, "ETREAT", 1, ACTIVE, 0, "4w", "icu", 0, 1, 0, P, "break-glass", BGP },
	{ "grant overcomes encounter_finished", &nurse, "BTG", 1, ENDED, 30 * 86400, "4w", "4w", 0, 1, 1, PS, "break-glass", BGP },
};

static struct policy pol;

/* The default rules, as a fresh database gets them from migration 2. */
static int
load_defaults(char *dir, size_t n, struct store **s)
{
	char path[256], why[160];

	snprintf(dir, n, "/tmp/test_be_policy.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (store_open(path, 1, s) != STORE_OK)
		return -1;
	if (policy_load(*s, &pol, why, sizeof(why)) != 0) {
		printf("  policy_load: %s\n", why);
		return -1;
	}
	return 0;
}

static void
request_for(const struct row *w, struct care_encounter enc[2], struct policy_request *q)
{
	memset(q, 0, sizeof(*q));
	memset(enc, 0, 2 * sizeof(*enc));
	q->roles = w->roles;
	q->purpose = w->purpose;
	q->patient_exists = w->exists;
	q->enc = enc;
	q->ws_unit = w->ws_unit;
	q->now = NOW;
	q->discharge_grace = GRACE;
	q->step_up = w->step_up;
	q->grant_id = w->grant ? "bg-1" : NULL;
	q->sensitive = w->sensitive;
	snprintf(enc[0].unit_id, sizeof(enc[0].unit_id), "%s", w->enc_unit);
	switch (w->care) {
	case NONE:
		break;
	case ACTIVE:
		enc[0].active = 1;
		q->n_enc = 1;
		break;
	case ENDED:
		enc[0].ended_at = NOW - w->ended_ago;
		q->n_enc = 1;
		break;
	case ACTIVE_BOTH_UNITS:
	case OLD_HERE_ACTIVE_THERE:
		enc[0].active = 1;
		enc[1].active = w->care == ACTIVE_BOTH_UNITS;
		enc[1].ended_at = w->care == ACTIVE_BOTH_UNITS ? 0 : NOW - 10;
		snprintf(enc[1].unit_id, sizeof(enc[1].unit_id), "%s", w->ws_unit);
		q->n_enc = 2;
		break;
	}
}

static void
default_table_decides_every_row(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		struct care_encounter enc[2];
		struct policy_request q;
		struct policy_decision d;

		request_for(w, enc, &q);
		policy_decide(&pol, &q, &d);
		if (d.outcome != w->want || strcmp(d.rule, w->rule) != 0 || strcmp(d.path, w->path) != 0) {
			printf("  row %zu (%s): got outcome %d rule %s path '%s' (rule #%d), want %d %s '%s'\n",
			    i, w->proves, (int)d.outcome, d.rule, d.path, d.position, (int)w->want,
			    w->rule, w->path);
			t_failed_case = 1;
		}
	}
}

static void
an_empty_table_denies(void)
{
	struct policy none = { NULL, 0 };
	struct care_encounter enc[2];
	struct policy_request q;
	struct policy_decision d;

	request_for(&rows[15], enc, &q);
	policy_decide(&none, &q, &d);
	T_CHECK(d.outcome == POLICY_DENY);
	T_STREQ(d.rule, "no_rule_matched");
}

static void
sensitive_sections_are_the_confidential_or_coded_ones(void)
{
	T_CHECK(!policy_section_sensitive("N", ""));
	T_CHECK(policy_section_sensitive("R", ""));
	T_CHECK(policy_section_sensitive("V", ""));
	T_CHECK(policy_section_sensitive("N", "SEX"));
	T_CHECK(policy_section_sensitive("N", "PSY MH"));
	T_CHECK(!policy_section_sensitive("N", "  "));
	/* Unknown confidentiality fails closed. */
	T_CHECK(policy_section_sensitive("", ""));
	T_CHECK(policy_section_sensitive(NULL, NULL));
}

static void
only_a_step_up_decision_gates_and_only_sensitive_sections(void)
{
	struct policy_decision d;
	struct section plain = { "s1", "Meds", "N", "" }, mh = { "s2", "MH", "R", "PSY" };

	memset(&d, 0, sizeof(d));
	d.outcome = POLICY_PERMIT;
	T_CHECK(!policy_section_gated(&d, &plain) && !policy_section_gated(&d, &mh));
	d.outcome = POLICY_PERMIT_STEP_UP;
	T_CHECK(!policy_section_gated(&d, &plain) && policy_section_gated(&d, &mh));
	d.outcome = POLICY_DENY_BREAK_GLASS;
	T_CHECK(policy_section_gated(&d, &plain) && policy_section_gated(&d, &mh));
	T_STREQ(policy_audit_decision(POLICY_PERMIT_STEP_UP), "permit");
	T_STREQ(policy_audit_decision(POLICY_DENY_BREAK_GLASS), "deny");
}

/* Each bad row must stop the load and name its position and column. */
static void
loader_refuses_bad_rows(void)
{
	static const struct {
		const char *sql, *why;
	} bad[] = {
		{ "INSERT INTO policy_rules VALUES (5,'nurze','*','*','*','*','*','*','*','deny','','x')", "bad role" },
		{ "INSERT INTO policy_rules VALUES (5,'*','*','*','*','*','*','*','*','allow','','x')", "bad decision" },
		{ "INSERT INTO policy_rules VALUES (5,'*','*','*','*','*','*','*','*','permit','','x')", "bad path" },
		{ "INSERT INTO policy_rules VALUES (5,'*','*','*','*','*','none','*','*','permit','break-glass','x')", "bad access_grant" },
		{ "INSERT INTO policy_rules VALUES (5,'*','routine,','*','*','*','*','*','*','deny','','x')", "bad purpose" },
		{ "INSERT INTO policy_rules VALUES (5,'*','*','*','*','*','*','*','*','deny','','')", "bad rule" },
	};
	char dir[64], path[128], why[160];
	struct store *s = NULL;
	struct policy p;
	sqlite3 *db;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(dir, sizeof(dir), "/tmp/test_be_policy.XXXXXX");
		T_CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/t.db", dir);
		T_CHECK(store_open(path, 1, &s) == STORE_OK);
		store_close(&s);
		T_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		T_CHECK(sqlite3_exec(db, bad[i].sql, NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
		T_CHECK(store_open(path, 0, &s) == STORE_OK);
		T_CHECK(policy_load(s, &p, why, sizeof(why)) == -1);
		T_CHECK(strstr(why, "position 5") != NULL && strstr(why, bad[i].why) != NULL);
		T_CHECK(p.rules == NULL);
		store_close(&s);
		snprintf(path, sizeof(path), "rm -rf '%s'", dir);
		T_CHECK(system(path) == 0);
	}
}

int
main(void)
{
	char dir[64], cmd[96];
	struct store *s = NULL;

	if (load_defaults(dir, sizeof(dir), &s) != 0) {
		printf("not ok - default rules load from a fresh database\n");
		return 1;
	}
	T_RUN(default_table_decides_every_row);
	T_RUN(an_empty_table_denies);
	T_RUN(sensitive_sections_are_the_confidential_or_coded_ones);
	T_RUN(only_a_step_up_decision_gates_and_only_sensitive_sections);
	T_RUN(loader_refuses_bad_rows);
	policy_free(&pol);
	store_close(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	T_EXIT();
}
