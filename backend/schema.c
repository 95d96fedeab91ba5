/* SQLite schema version and migrations: each step runs once, in order, in one transaction. */
#include "backend/schema.h"

#include <stdio.h>

/* Each statement belongs to the version it brings the schema to. Never edit
 * a released step; append new ones with the next version. (One string per
 * statement keeps every literal under ISO C's 4095-character limit.) */
struct step {
	int version;
	const char *sql;
};

static const struct step steps[] = {
	/* 1: the walking skeleton */
	{ 1, "CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL);" },
	{ 1,
		"CREATE TABLE workstations (id TEXT PRIMARY KEY,"
		"  unit_id TEXT NOT NULL REFERENCES units(id), label TEXT NOT NULL);" },
	{ 1,
		"CREATE TABLE users (id TEXT PRIMARY KEY, user_name TEXT NOT NULL UNIQUE,"
		"  display_name TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);" },
	{ 1,
		"CREATE TABLE user_roles (user_id TEXT NOT NULL REFERENCES users(id),"
		"  role TEXT NOT NULL CHECK (role IN ('nurse','physician','privacy_officer','helpdesk')),"
		"  PRIMARY KEY (user_id, role));" },
	{ 1,
		"CREATE TABLE credentials (id TEXT PRIMARY KEY,"
		"  user_id TEXT NOT NULL REFERENCES users(id),"
		"  public_key BLOB NOT NULL CHECK (length(public_key) = 64),"
		"  sign_count INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
		"  revoked_at INTEGER);" },
	{ 1,
		"CREATE TABLE challenges (id TEXT PRIMARY KEY, challenge BLOB NOT NULL,"
		"  purpose TEXT NOT NULL, expires_at INTEGER NOT NULL);" },
	{ 1,
		"CREATE TABLE sessions (id TEXT PRIMARY KEY,"
		"  user_id TEXT NOT NULL REFERENCES users(id), workstation TEXT NOT NULL,"
		"  token_hash BLOB NOT NULL UNIQUE, created_at INTEGER NOT NULL,"
		"  last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
		"  ended_at INTEGER, end_reason TEXT);" },
	{ 1, "CREATE INDEX sessions_user_ws ON sessions(user_id, workstation);" },
	{ 1,
		"CREATE TABLE patients (id TEXT PRIMARY KEY, mrn TEXT NOT NULL UNIQUE,"
		"  display_name TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT NOT NULL,"
		"  flags TEXT NOT NULL DEFAULT '');" },
	{ 1,
		"CREATE TABLE encounters (id TEXT PRIMARY KEY,"
		"  patient_id TEXT NOT NULL REFERENCES patients(id),"
		"  unit_id TEXT NOT NULL REFERENCES units(id), location TEXT NOT NULL,"
		"  status TEXT NOT NULL CHECK (status IN ('in-progress','finished')),"
		"  started_at INTEGER NOT NULL, ended_at INTEGER);" },
	{ 1, "CREATE INDEX encounters_patient ON encounters(patient_id);" },
	{ 1,
		"CREATE TABLE care_team_members ("
		"  encounter_id TEXT NOT NULL REFERENCES encounters(id),"
		"  user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL,"
		"  PRIMARY KEY (encounter_id, user_id));" },
	{ 1, "CREATE INDEX care_team_user ON care_team_members(user_id);" },
	{ 1,
		"CREATE TABLE chart_sections (id TEXT PRIMARY KEY,"
		"  patient_id TEXT NOT NULL REFERENCES patients(id), position INTEGER NOT NULL,"
		"  title TEXT NOT NULL,"
		"  confidentiality TEXT NOT NULL CHECK (confidentiality IN ('N','R','V')),"
		"  sensitivity TEXT NOT NULL DEFAULT '');" },
	{ 1, "CREATE INDEX chart_sections_patient ON chart_sections(patient_id, position);" },
	{ 1,
		"CREATE TABLE chart_items (section_id TEXT NOT NULL REFERENCES chart_sections(id),"
		"  position INTEGER NOT NULL, label TEXT NOT NULL, value TEXT NOT NULL, time TEXT,"
		"  PRIMARY KEY (section_id, position));" },
	{ 1,
		"CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL,"
		"  user_id TEXT NOT NULL, workstation TEXT NOT NULL, patient_id TEXT NOT NULL,"
		"  sections TEXT NOT NULL, purpose TEXT NOT NULL, decision TEXT NOT NULL,"
		"  rule TEXT NOT NULL, path TEXT NOT NULL, request_id TEXT NOT NULL,"
		"  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);" },
	{ 1, "CREATE INDEX audit_patient ON audit(patient_id);" },
	/* Append-only in the engine too, not just by convention. */
	{ 1,
		"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
		"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;" },
	{ 1,
		"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
		"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;" },
	/* 2: task-bound access (docs/policy.md): the policy as data, step-up and break-glass */
	{ 2,
		"CREATE TABLE policy_rules (position INTEGER PRIMARY KEY,"
		"  role TEXT NOT NULL, purpose TEXT NOT NULL, patient TEXT NOT NULL,"
		"  care TEXT NOT NULL, unit TEXT NOT NULL, access_grant TEXT NOT NULL,"
		"  step_up TEXT NOT NULL, sensitive TEXT NOT NULL,"
		"  decision TEXT NOT NULL, path TEXT NOT NULL, rule TEXT NOT NULL);" },
	/* The defaults; first match wins. Columns as in docs/policy.md. */
	{ 2,
		"INSERT INTO policy_rules VALUES"
		" (10,'non_clinical','*','*','*','*','*','*','*','deny','','role_not_clinical'),"
		" (20,'*','missing','*','*','*','*','*','*','purpose_required','','purpose_missing'),"
		" (30,'*','invalid','*','*','*','*','*','*','purpose_invalid','','purpose_not_allowed'),"
		" (40,'*','*','unknown','*','*','*','*','*','not_found','','patient_unknown'),"
		" (50,'*','btg','*','*','*','none','*','*','purpose_invalid','','btg_without_grant'),"
		" (60,'*','routine,emergency','known','active,grace','same','*','no','yes',"
		"  'permit_step_up','care-team','care-team'),"
		" (70,'*','routine,emergency','known','active,grace','same','*','*','*',"
		"  'permit','care-team','care-team'),"
		" (80,'*','btg,emergency','known','*','*','break_glass','no','yes',"
		"  'permit_step_up','break-glass','break-glass'),"
		" (90,'*','btg,emergency','known','*','*','break_glass','*','*',"
		"  'permit','break-glass','break-glass'),"
		" (100,'*','routine','known','*','*','break_glass','*','*',"
		"  'purpose_invalid','','purpose_not_break_glass'),"
		" (110,'*','*','known','active,grace','other','*','*','*','deny_break_glass','','different_unit'),"
		" (120,'*','*','known','finished','*','*','*','*','deny_break_glass','','encounter_finished'),"
		" (130,'*','*','known','none','*','*','*','*','deny_break_glass','','not_on_care_team');" },
	/* Step-up and break-glass challenges belong to one session and one patient. */
	{ 2, "ALTER TABLE challenges ADD COLUMN session_id TEXT NOT NULL DEFAULT '';" },
	{ 2, "ALTER TABLE challenges ADD COLUMN patient_id TEXT NOT NULL DEFAULT '';" },
	{ 2,
		"CREATE TABLE step_ups (session_id TEXT NOT NULL REFERENCES sessions(id),"
		"  patient_id TEXT NOT NULL REFERENCES patients(id), until INTEGER NOT NULL,"
		"  PRIMARY KEY (session_id, patient_id));" },
	/* Shaped for the reviewer desk: one row per event, triaged in place. */
	{ 2,
		"CREATE TABLE break_glass (id TEXT PRIMARY KEY,"
		"  user_id TEXT NOT NULL REFERENCES users(id),"
		"  patient_id TEXT NOT NULL REFERENCES patients(id), workstation TEXT NOT NULL,"
		"  reason_code TEXT NOT NULL"
		"    CHECK (reason_code IN ('OVRER','OVRPJ','OVRPS','OVRTPS','OVRINCOMP')),"
		"  justification TEXT NOT NULL, created_at INTEGER NOT NULL,"
		"  expires_at INTEGER NOT NULL, revoked_at INTEGER,"
		"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_review','closed')),"
		"  assignee TEXT REFERENCES users(id), decision TEXT, note TEXT, decided_at INTEGER);" },
	{ 2, "CREATE INDEX break_glass_user_patient ON break_glass(user_id, patient_id);" },
	{ 2, "CREATE INDEX break_glass_status ON break_glass(status, created_at);" },
	/* Free text an audit row must carry, e.g. a search's query; hashed when non-empty. */
	{ 2, "ALTER TABLE audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';" },
	/* 3: the helpdesk desk: lock-outs, which badge opened a session, enrolment, reasons */
	{ 3, "ALTER TABLE credentials ADD COLUMN aaguid TEXT;" },
	{ 3, "ALTER TABLE credentials ADD COLUMN last_used_at INTEGER;" },
	{ 3, "ALTER TABLE credentials ADD COLUMN locked_at INTEGER;" },
	/* The badge of the latest tap (revoking it ends the session), and a global
	 * tap order: the newest tap on a cart is its active session. */
	{ 3, "ALTER TABLE sessions ADD COLUMN credential_id TEXT;" },
	{ 3, "ALTER TABLE sessions ADD COLUMN tap_seq INTEGER NOT NULL DEFAULT 0;" },
	{ 3, "CREATE INDEX sessions_workstation ON sessions(workstation);" },
	{ 3, "CREATE INDEX sessions_credential ON sessions(credential_id);" },
	{ 3,
		"CREATE TABLE tap_failures (credential_id TEXT NOT NULL REFERENCES credentials(id),"
		"  at INTEGER NOT NULL);" },
	{ 3, "CREATE INDEX tap_failures_credential ON tap_failures(credential_id, at);" },
	/* Bound to the user being enrolled and to the helpdesk session that asked. */
	{ 3,
		"CREATE TABLE enrol_challenges (id TEXT PRIMARY KEY, challenge BLOB NOT NULL,"
		"  user_id TEXT NOT NULL REFERENCES users(id), actor_id TEXT NOT NULL REFERENCES users(id),"
		"  session_id TEXT NOT NULL, expires_at INTEGER NOT NULL);" },
	/* The full text of each helpdesk reason; the audit row carries its SHA-256. */
	{ 3,
		"CREATE TABLE helpdesk_actions (request_id TEXT PRIMARY KEY, time TEXT NOT NULL,"
		"  actor_id TEXT NOT NULL, action TEXT NOT NULL, decision TEXT NOT NULL,"
		"  target_user_id TEXT NOT NULL, object_id TEXT NOT NULL, reason TEXT NOT NULL);" },
	{ 3,
		"CREATE TRIGGER helpdesk_actions_no_update BEFORE UPDATE ON helpdesk_actions"
		"  BEGIN SELECT RAISE(ABORT, 'helpdesk_actions is append-only'); END;" },
	{ 3,
		"CREATE TRIGGER helpdesk_actions_no_delete BEFORE DELETE ON helpdesk_actions"
		"  BEGIN SELECT RAISE(ABORT, 'helpdesk_actions is append-only'); END;" },
	/* 4: the reviewer desk: risk factors as data, grants of every kind, idempotent POSTs */
	{ 4, "ALTER TABLE users ADD COLUMN family_name TEXT NOT NULL DEFAULT '';" },
	{ 4, "ALTER TABLE users ADD COLUMN address TEXT NOT NULL DEFAULT '';" },
	{ 4, "ALTER TABLE patients ADD COLUMN family_name TEXT NOT NULL DEFAULT '';" },
	{ 4, "ALTER TABLE patients ADD COLUMN address TEXT NOT NULL DEFAULT '';" },
	/* Kept on the event so the queue sorts and filters on an index: the patient's unit
	 * and the score, refreshed whenever an access is made under the grant. */
	{ 4, "ALTER TABLE break_glass ADD COLUMN unit_id TEXT;" },
	{ 4, "ALTER TABLE break_glass ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;" },
	{ 4, "ALTER TABLE break_glass ADD COLUMN risk_factors TEXT NOT NULL DEFAULT '[]';" },
	{ 4, "CREATE INDEX break_glass_risk ON break_glass(status, risk_score, id);" },
	{ 4, "CREATE INDEX break_glass_age ON break_glass(status, created_at, id);" },
	{ 4, "CREATE INDEX break_glass_user_time ON break_glass(user_id, created_at);" },
	{ 4, "CREATE INDEX break_glass_justification ON break_glass(justification);" },
	{ 4, "CREATE INDEX break_glass_live ON break_glass(expires_at) WHERE revoked_at IS NULL;" },
	{ 4, "CREATE INDEX audit_path ON audit(path);" },
	{ 4, "CREATE INDEX audit_user ON audit(user_id);" },
	/* docs/policy.md "Risk": text holds one {} for the factor's detail. */
	{ 4,
		"CREATE TABLE risk_factors (code TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE,"
		"  weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100), text TEXT NOT NULL,"
		"  param TEXT NOT NULL DEFAULT '');" },
	{ 4,
		"INSERT INTO risk_factors VALUES"
		" ('same_surname',10,30,'Same surname as the clinician ({})',''),"
		" ('same_address',20,35,'Same address as the clinician ({})',''),"
		" ('flag_vip',30,20,'Patient is flagged VIP',''),"
		" ('flag_emp',40,15,'Patient is flagged EMP (a member of staff)',''),"
		" ('after_hours',50,10,'Opened after hours ({} UTC)','20-7'),"
		" ('repeated',60,15,'{} other break-glass events by this clinician in the 24 hours before','2'),"
		" ('other_unit',70,10,'Workstation is not on the patient''s unit ({})',''),"
		" ('unrelated_sections',80,20,'Read sections unrelated to the stated reason ({})',''),"
		" ('reused_justification',90,15,'Justification reused word for word from an earlier event ({})','');" },
	/* Sensitivity codes whose reading does not fit a reason code. */
	{ 4,
		"CREATE TABLE risk_unrelated (reason_code TEXT NOT NULL, code TEXT NOT NULL,"
		"  PRIMARY KEY (reason_code, code));" },
	{ 4,
		"INSERT INTO risk_unrelated VALUES"
		" ('OVRER','PSY'),('OVRER','MH'),('OVRER','BH'),('OVRER','PSYTHPN'),('OVRER','ETH'),"
		" ('OVRER','SUD'),('OVRER','SEX'),('OVRER','STD'),('OVRER','GDIS'),"
		" ('OVRPS','PSYTHPN'),('OVRPS','SEX'),('OVRPS','STD'),('OVRPS','HIV'),('OVRPS','GDIS'),"
		" ('OVRTPS','PSYTHPN'),('OVRTPS','SEX'),('OVRTPS','STD'),('OVRTPS','HIV'),('OVRTPS','GDIS'),"
		" ('OVRINCOMP','SEX'),('OVRINCOMP','STD'),('OVRINCOMP','HIV'),('OVRINCOMP','GDIS');" },
	/* Non-human subjects of integration grants. */
	{ 4, "CREATE TABLE service_accounts (id TEXT PRIMARY KEY, display_name TEXT NOT NULL);" },
	/* What a grant is for; it ends when the task ends or its encounter finishes. */
	{ 4,
		"CREATE TABLE tasks (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
		"  encounter_id TEXT REFERENCES encounters(id),"
		"  status TEXT NOT NULL CHECK (status IN ('active','ended')),"
		"  needs_scope TEXT NOT NULL, ended_at INTEGER);" },
	{ 4,
		"CREATE TABLE grants (id TEXT PRIMARY KEY,"
		"  kind TEXT NOT NULL CHECK (kind IN ('jit','delegation','integration')),"
		"  subject_id TEXT NOT NULL,"
		"  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person','service')),"
		"  scope TEXT NOT NULL, patient_id TEXT REFERENCES patients(id),"
		"  unit_id TEXT REFERENCES units(id), task_id TEXT REFERENCES tasks(id),"
		"  created_by TEXT, created_at INTEGER NOT NULL, expires_at INTEGER,"
		"  revoked_at INTEGER);" },
	{ 4, "CREATE INDEX grants_live ON grants(created_at, id) WHERE revoked_at IS NULL;" },
	/* The full text of each reviewer note or reason; the audit row carries its SHA-256. */
	{ 4,
		"CREATE TABLE review_actions (request_id TEXT PRIMARY KEY, time TEXT NOT NULL,"
		"  actor_id TEXT NOT NULL, action TEXT NOT NULL, decision TEXT NOT NULL,"
		"  target_user_id TEXT NOT NULL, object_id TEXT NOT NULL, reason TEXT NOT NULL);" },
	{ 4,
		"CREATE TRIGGER review_actions_no_update BEFORE UPDATE ON review_actions"
		"  BEGIN SELECT RAISE(ABORT, 'review_actions is append-only'); END;" },
	{ 4,
		"CREATE TRIGGER review_actions_no_delete BEFORE DELETE ON review_actions"
		"  BEGIN SELECT RAISE(ABORT, 'review_actions is append-only'); END;" },
	/* Idempotency-Key: the first answer of a POST, replayed to a retry. */
	{ 4,
		"CREATE TABLE idempotency (user_id TEXT NOT NULL, key TEXT NOT NULL,"
		"  body_sha256 TEXT NOT NULL, status INTEGER NOT NULL, reply TEXT NOT NULL,"
		"  created_at INTEGER NOT NULL, PRIMARY KEY (user_id, key));" },
	/* 5: workstation identity (mTLS): a token works only over the client certificate
	 * it was issued over (hex SHA-256 of its DER; '' when served over plain HTTP). */
	{ 5, "ALTER TABLE sessions ADD COLUMN client_cert_sha256 TEXT NOT NULL DEFAULT '';" },
};

static int
current_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	*version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

int
schema_migrate(sqlite3 *db)
{
	size_t i, n = sizeof(steps) / sizeof(steps[0]);
	int version = 0, latest = steps[n - 1].version;
	char *err = NULL;
	char sql[96];

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (current_version(db, &version) != 0)
		goto fail;
	if (version > latest) {
		fprintf(stderr, "chartgated: database schema %d is newer than this binary (%d)\n",
		    version, latest);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (steps[i].version <= version)
			continue;
		if (sqlite3_exec(db, steps[i].sql, NULL, NULL, &err) != SQLITE_OK) {
			fprintf(stderr, "chartgated: migration %d: %s\n", steps[i].version,
			    err ? err : "?");
			sqlite3_free(err);
			goto fail;
		}
	}
	if (version < latest) {
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d)", latest);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
