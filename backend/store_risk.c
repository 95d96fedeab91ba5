/* The store's side of break-glass risk: the factor table, the facts about one event, the kept score. */
#include <stdio.h>
#include <string.h>

#include "backend/risk.h"
#include "backend/store_impl.h"

static int
rule_row(sqlite3_stmt *st, void *arg)
{
	struct risk_rules *rules = arg;
	struct risk_rule *r;

	if (rules->n >= RISK_RULES_MAX)
		return 0;
	r = &rules->v[rules->n];
	store_col(st, 0, r->code, sizeof(r->code));
	r->weight = sqlite3_column_int(st, 1);
	store_col(st, 2, r->text, sizeof(r->text));
	store_col(st, 3, r->param, sizeof(r->param));
	if (!risk_code_known(r->code)) {
		fprintf(stderr, "chartgated: risk_factors: unknown code '%s' ignored\n", r->code);
		return 0;
	}
	rules->n++;
	return 0;
}

int
store_risk_rules(struct store *s, struct risk_rules *rules)
{
	sqlite3_stmt *st;
	int rc = STORE_ERROR;

	memset(rules, 0, sizeof(*rules));
	store_lock(s);
	if ((st = store_prep(s, "SELECT code, weight, text, param FROM risk_factors"
	    " ORDER BY position")) != NULL)
		rc = store_each_row(s, st, rule_row, rules);
	store_unlock(s);
	return rc;
}

/* The one-row facts: names, addresses, flags, units of the event and its people. */
static const char facts_sql[] =
    "SELECT u.family_name, p.family_name, u.address, p.address, p.flags, b.created_at,"
    " coalesce(w.unit_id, ''), coalesce(wu.name, ''),"
    " coalesce((SELECT e.unit_id FROM encounters e WHERE e.patient_id = b.patient_id"
    "   ORDER BY e.status = 'in-progress' DESC, coalesce(e.ended_at, e.started_at) DESC LIMIT 1), ''),"
    " (SELECT count(*) FROM break_glass o WHERE o.user_id = b.user_id AND o.id <> b.id"
    "   AND o.created_at > b.created_at - 86400 AND o.created_at <= b.created_at),"
    " coalesce((SELECT o.id FROM break_glass o WHERE o.justification = b.justification"
    "   AND o.id <> b.id AND (o.created_at < b.created_at"
    "   OR (o.created_at = b.created_at AND o.id < b.id)) ORDER BY o.created_at LIMIT 1), ''),"
    " b.reason_code, b.id"
    " FROM break_glass b JOIN users u ON u.id = b.user_id JOIN patients p ON p.id = b.patient_id"
    " LEFT JOIN workstations w ON w.id = b.workstation LEFT JOIN units wu ON wu.id = w.unit_id"
    " WHERE b.id = ?";

/* Sensitivity codes read under the grant that do not fit its reason (risk_unrelated). */
static const char unrelated_sql[] =
    "SELECT DISTINCT u.code FROM audit a"
    " JOIN chart_sections s ON s.patient_id = a.patient_id"
    "   AND instr(',' || a.sections || ',', ',' || s.id || ',') > 0"
    " JOIN risk_unrelated u ON u.reason_code = ?"
    "   AND instr(' ' || s.sensitivity || ' ', ' ' || u.code || ' ') > 0"
    " WHERE a.path = ? AND a.decision = 'permit' ORDER BY u.code";

static int
unrelated_row(sqlite3_stmt *st, void *arg)
{
	struct risk_facts *f = arg;
	size_t n = strlen(f->unrelated);

	snprintf(f->unrelated + n, sizeof(f->unrelated) - n, "%s%s", n ? " " : "",
	    (const char *)sqlite3_column_text(st, 0));
	return 0;
}

int
store_risk_facts(struct store *s, const char *id, struct risk_facts *f)
{
	sqlite3_stmt *st;
	char reason[16] = "", path[STORE_ID_MAX + 16];
	int rc = STORE_ERROR, step;

	memset(f, 0, sizeof(*f));
	store_lock(s);
	if ((st = store_prep(s, facts_sql)) == NULL)
		goto out;
	store_bind_text(st, 1, id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		store_col(st, 0, f->user_family, sizeof(f->user_family));
		store_col(st, 1, f->patient_family, sizeof(f->patient_family));
		store_col(st, 2, f->user_address, sizeof(f->user_address));
		store_col(st, 3, f->patient_address, sizeof(f->patient_address));
		store_col(st, 4, f->patient_flags, sizeof(f->patient_flags));
		f->created_at = sqlite3_column_int64(st, 5);
		store_col(st, 6, f->ws_unit, sizeof(f->ws_unit));
		store_col(st, 7, f->ws_unit_name, sizeof(f->ws_unit_name));
		store_col(st, 8, f->patient_unit, sizeof(f->patient_unit));
		f->others_24h = sqlite3_column_int(st, 9);
		store_col(st, 10, f->reused_from, sizeof(f->reused_from));
		store_col(st, 11, reason, sizeof(reason));
	}
	store_done(s, st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		goto out;
	}
	if ((st = store_prep(s, "SELECT name FROM units WHERE id = ?")) == NULL)
		goto out;
	store_bind_text(st, 1, f->patient_unit);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_col(st, 0, f->patient_unit_name, sizeof(f->patient_unit_name));
	store_done(s, st);
	snprintf(path, sizeof(path), "break-glass:%s", id);
	if ((st = store_prep(s, unrelated_sql)) == NULL)
		goto out;
	store_bind_text(st, 1, reason);
	store_bind_text(st, 2, path);
	rc = store_each_row(s, st, unrelated_row, f);
out:
	store_unlock(s);
	return rc;
}

int
store_risk_put(struct store *s, const char *id, int score, const char *factors, const char *unit_id)
{
	sqlite3_stmt *st;
	int rc;

	store_lock(s);
	if ((st = store_prep(s, "UPDATE break_glass SET risk_score = ?, risk_factors = ?,"
	    " unit_id = nullif(?, '') WHERE id = ?")) != NULL) {
		sqlite3_bind_int(st, 1, score);
		store_bind_text(st, 2, factors);
		store_bind_text(st, 3, unit_id);
		store_bind_text(st, 4, id);
	}
	rc = store_run(s, st);
	store_unlock(s);
	return rc;
}
