/* Synthetic break-glass events in bulk (--review-events N): one transaction, one prepared INSERT, risk scored in memory. */
#include "backend/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/risk.h"
#include "backend/store.h"
#include "backend/util.h"

#define PEOPLE_MAX 64
#define WINDOW 4	/* recent events kept per user: enough to count "2 or more in 24 h" */

struct person {
	char id[STORE_ID_MAX], family[64], address[128], flags[64];
	char unit[STORE_ID_MAX], unit_name[64];
	int64_t recent[WINDOW];	/* the user's latest events, newest first */
};

struct people {
	struct person v[PEOPLE_MAX];
	size_t n;
};

static int
person_row(void *arg, const char *const *c, int n)
{
	struct people *p = arg;
	struct person *x;

	if (p->n >= PEOPLE_MAX || n < 6)
		return 0;
	x = &p->v[p->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->id, sizeof(x->id), "%s", c[0]);
	snprintf(x->family, sizeof(x->family), "%s", c[1]);
	snprintf(x->address, sizeof(x->address), "%s", c[2]);
	snprintf(x->flags, sizeof(x->flags), "%s", c[3]);
	snprintf(x->unit, sizeof(x->unit), "%s", c[4]);
	snprintf(x->unit_name, sizeof(x->unit_name), "%s", c[5]);
	return 0;
}

static const char users_sql[] =
    "SELECT u.id, u.family_name, u.address, '', '', '' FROM users u"
    " JOIN user_roles r ON r.user_id = u.id AND r.role IN ('nurse', 'physician') ORDER BY u.id";
static const char patients_sql[] =
    "SELECT p.id, p.family_name, p.address, p.flags, coalesce(e.unit_id, ''), coalesce(un.name, '')"
    " FROM patients p LEFT JOIN encounters e ON e.id = (SELECT id FROM encounters x"
    "  WHERE x.patient_id = p.id ORDER BY x.status = 'in-progress' DESC,"
    "  coalesce(x.ended_at, x.started_at) DESC LIMIT 1)"
    " LEFT JOIN units un ON un.id = e.unit_id ORDER BY p.id";
static const char carts_sql[] =
    "SELECT w.id, '', '', '', w.unit_id, un.name FROM workstations w"
    " JOIN units un ON un.id = w.unit_id ORDER BY w.id";

static const char *const reasons[] = { "OVRER", "OVRPJ", "OVRPS", "OVRTPS", "OVRINCOMP" };
static const char *const texts[] = {
	"Rapid response call, patient collapsed on the ward",
	"Covering a colleague's patients during a staff shortage",
	"Emergency admission, history needed before theatre",
	"Patient transferred overnight, handover incomplete",
	"Medication query from the pharmacy about an outside patient",
	"Family member asked for an update at the nurses' station",
	"Safeguarding concern reported by the ward clerk",
	"Consultant opinion requested by phone",
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

/* How many of the user's earlier events fall in the 24 h before t; then remember t. */
static int
others_24h(struct person *u, int64_t t)
{
	int i, n = 0;

	for (i = 0; i < WINDOW; i++)
		n += u->recent[i] != 0 && u->recent[i] > t - 86400;
	memmove(u->recent + 1, u->recent, sizeof(u->recent[0]) * (WINDOW - 1));
	u->recent[0] = t;
	return n;
}

struct bulk {
	struct people users, patients, carts;
	struct risk_rules rules;
	char first[NTEXTS][STORE_ID_MAX];	/* the first event that used each text verbatim */
};

/* Event k of n, made at t: who, where, why, its status, and its score from the same engine. */
static int
one_event(struct bulk *w, struct store_bulk *sb, size_t k, int64_t t, int64_t now)
{
	struct person *u = &w->users.v[k % w->users.n];
	const struct person *p = &w->patients.v[(k * 7 + k / 11) % w->patients.n];
	const struct person *c = &w->carts.v[(k / 3) % w->carts.n];
	char id[STORE_ID_MAX], just[160], *factors = NULL;
	struct risk_facts f;
	struct bg_seed g;
	json_t *fj = NULL;
	size_t tx = k % NTEXTS;
	int rc;

	snprintf(id, sizeof(id), "bg-syn-%07zu", k + 1);
	/* Every fifth event reuses its text word for word; the others add a reference. */
	if (k % 5 == 0)
		snprintf(just, sizeof(just), "%s", texts[tx]);
	else
		snprintf(just, sizeof(just), "%s (ref %zu)", texts[tx], k + 1);
	memset(&f, 0, sizeof(f));
	snprintf(f.user_family, sizeof(f.user_family), "%s", u->family);
	snprintf(f.user_address, sizeof(f.user_address), "%s", u->address);
	snprintf(f.patient_family, sizeof(f.patient_family), "%s", p->family);
	snprintf(f.patient_address, sizeof(f.patient_address), "%s", p->address);
	snprintf(f.patient_flags, sizeof(f.patient_flags), "%s", p->flags);
	snprintf(f.ws_unit, sizeof(f.ws_unit), "%s", c->unit);
	snprintf(f.ws_unit_name, sizeof(f.ws_unit_name), "%s", c->unit_name);
	snprintf(f.patient_unit, sizeof(f.patient_unit), "%s", p->unit);
	snprintf(f.patient_unit_name, sizeof(f.patient_unit_name), "%s", p->unit_name);
	f.created_at = t;
	f.others_24h = others_24h(u, t);
	if (k % 5 == 0 && w->first[tx][0] != '\0')
		snprintf(f.reused_from, sizeof(f.reused_from), "%s", w->first[tx]);
	else if (k % 5 == 0)
		snprintf(w->first[tx], sizeof(w->first[tx]), "%s", id);
	memset(&g, 0, sizeof(g));
	g.risk_score = risk_evaluate(&w->rules, &f, &fj);
	if (g.risk_score < 0 || (factors = json_dumps(fj, JSON_COMPACT)) == NULL) {
		json_decref(fj);
		return -1;
	}
	g.id = id;
	g.user_id = u->id;
	g.patient_id = p->id;
	g.workstation = c->id;
	g.reason_code = reasons[(k / 2) % 5];
	g.justification = just;
	g.created_at = t;
	g.expires_at = t + 1800;
	g.unit_id = p->unit[0] ? p->unit : NULL;
	g.risk_factors = factors;
	switch (k % 10) {
	case 7:
		g.status = "in_review";
		g.assignee = strcmp(u->id, "u-priv-iris") ? "u-priv-iris" : "u-priv-jonas";
		break;
	case 8: case 9:
		g.status = "closed";
		g.assignee = strcmp(u->id, "u-priv-jonas") ? "u-priv-jonas" : "u-priv-iris";
		g.decision = k % 10 == 8 ? "appropriate" : "needs_followup";
		g.note = "Synthetic review note.";
		g.decided_at = t + 86400 < now ? t + 86400 : now - 60;
		break;
	default:
		g.status = "open";
	}
	rc = store_bg_bulk_put(sb, &g);
	free(factors);
	json_decref(fj);
	return rc == STORE_OK ? 0 : -1;
}

int
seed_review_bulk(struct store *s, int64_t now, size_t n)
{
	struct bulk *w = calloc(1, sizeof(*w));
	struct store_bulk *sb = NULL;
	int64_t start = now - 365 * 86400, step;
	size_t k;
	int rc = -1;

	if (w == NULL)
		return -1;
	if (store_seed_rows(s, users_sql, person_row, &w->users) != STORE_OK ||
	    store_seed_rows(s, patients_sql, person_row, &w->patients) != STORE_OK ||
	    store_seed_rows(s, carts_sql, person_row, &w->carts) != STORE_OK ||
	    store_risk_rules(s, &w->rules) != STORE_OK ||
	    w->users.n == 0 || w->patients.n == 0 || w->carts.n == 0)
		goto out;
	/* A year of events, oldest first, ending a day ago (all expired). */
	step = (365 - 1) * 86400 / (int64_t)n;
	if (step < 1)
		step = 1;
	if (store_begin(s) != STORE_OK)
		goto out;
	if (store_bg_bulk_open(s, &sb) != STORE_OK) {
		store_rollback(s);
		goto out;
	}
	for (k = 0; k < n; k++)
		if (one_event(w, sb, k, start + (int64_t)k * step, now) != 0)
			break;
	store_bg_bulk_close(&sb);
	if (k < n) {
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s) == STORE_OK ? 0 : -1;
out:
	free(w);
	return rc;
}
