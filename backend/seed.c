/* The synthetic demo world (no real people) and one software badge per demo user. */
#include "backend/seed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "backend/store.h"
#include "backend/util.h"
#include "common/b64url.h"

#define SOFTKEY_AAGUID "63686172-7467-6174-6520-736f66746b79" /* "chartgate softky" */
#define DEMO_PIN "1234"
#define NPATIENTS 42
#define NACTIVE 36	/* patients 0..35 are in a bed now; the rest went home */

struct demo_unit {
	const char *id, *name, *bed_prefix;
};

static const struct demo_unit units[] = {
	{ "u-4w", "4W Medicine", "4W" },
	{ "u-5e", "5E Surgery", "5E" },
	{ "u-icu", "ICU", "ICU" },
};

struct demo_user {
	const char *id, *user_name, *display_name, *role;
	int unit;	/* index into units for clinicians, -1 otherwise */
};

/* Badge index in softkey.json == index here. The first nurse is the one the
 * tests and the demo script use. */
static const struct demo_user users[] = {
	{ "u-nurse-ana", "ana.ortiz", "Ana Ortiz", "nurse", 0 },
	{ "u-nurse-ben", "ben.okafor", "Ben Okafor", "nurse", 0 },
	{ "u-nurse-chloe", "chloe.nguyen", "Chloe Nguyen", "nurse", 1 },
	{ "u-nurse-dev", "dev.patel", "Dev Patel", "nurse", 2 },
	{ "u-phys-elena", "elena.rossi", "Dr Elena Rossi", "physician", 0 },
	{ "u-phys-farid", "farid.haddad", "Dr Farid Haddad", "physician", 1 },
	{ "u-phys-grace", "grace.lindqvist", "Dr Grace Lindqvist", "physician", 2 },
	{ "u-phys-hugo", "hugo.martin", "Dr Hugo Martin", "physician", -1 },
	{ "u-priv-iris", "iris.kowalski", "Iris Kowalski", "privacy_officer", -1 },
	{ "u-priv-jonas", "jonas.berg", "Jonas Berg", "privacy_officer", -1 },
	{ "u-help-kemal", "kemal.yilmaz", "Kemal Yilmaz", "helpdesk", -1 },
	{ "u-help-lena", "lena.fischer", "Lena Fischer", "helpdesk", -1 },
};
#define NUSERS (sizeof(users) / sizeof(users[0]))

/* Unit nurses: odd-numbered 4W beds belong to Ben, even ones to Ana. */
static const char *const unit_physician[] = { "u-phys-elena", "u-phys-farid", "u-phys-grace" };

static const char *const given[] = {
	"Alma", "Bruno", "Celia", "Dmitri", "Edith", "Fabian", "Greta", "Hamid", "Ines",
	"Jarek", "Katya", "Lucio", "Mira", "Nils",
};
static const char *const family[] = {
	"Abernathy", "Brightwater", "Castellano", "Drummond", "Eastwood", "Fairbairn",
	"Galloway", "Hollister", "Ivanova", "Jessop", "Kettering", "Lindahl", "Marchetti",
	"Northcott",
};
static const char *const problems[] = {
	"Community-acquired pneumonia", "Type 2 diabetes mellitus", "Congestive heart failure",
	"Acute kidney injury", "Cellulitis of left leg", "COPD exacerbation",
	"Post-operative ileus", "Atrial fibrillation", "Hip fracture, right",
	"Sepsis, urinary source", "Hypertension", "Appendicitis",
};
static const char *const meds[] = {
	"Amoxicillin 500 mg PO three times daily", "Metformin 1 g PO twice daily",
	"Furosemide 40 mg IV once daily", "Enoxaparin 40 mg SC once daily",
	"Paracetamol 1 g PO four times daily", "Apixaban 5 mg PO twice daily",
	"Insulin glargine 18 units SC at night", "Ceftriaxone 2 g IV once daily",
};
static const char *const allergies[] = {
	"No known drug allergies", "Penicillin: rash", "Latex: urticaria",
	"Codeine: nausea and vomiting", "Sulfonamides: rash",
};

struct sens_kind {
	const char *suffix, *title, *conf, *codes, *label1, *value1, *label2, *value2;
};

static const struct sens_kind sens_kinds[] = {
	{ "mh", "Mental health", "R", "PSY MH", "Diagnosis", "Generalised anxiety disorder",
	    "Psychotherapy", "Weekly CBT with community mental health team" },
	{ "sud", "Substance use", "R", "SUD ETH", "Diagnosis", "Alcohol use disorder, moderate",
	    "Plan", "Withdrawal monitoring (CIWA-Ar) every 4 hours" },
	{ "inf", "Infectious disease", "V", "HIV STD", "Diagnosis", "HIV-1 infection on ART",
	    "Viral load", "Undetectable (< 50 copies/mL)" },
	{ "repro", "Reproductive health", "N", "SEX", "History", "G2P1, 14 weeks pregnant",
	    "Contraception", "Not applicable" },
	{ "sdv", "Safeguarding", "R", "SDV", "Concern", "Disclosed domestic violence",
	    "Referral", "Hospital safeguarding team informed" },
	{ "gen", "Genetic testing", "N", "GDIS", "Result", "BRCA2 pathogenic variant",
	    "Counselling", "Genetic counselling offered" },
};

static int
put_section(struct store *s, const char *pid, int *pos, const char *suffix, const char *title,
    const char *conf, const char *codes)
{
	struct section sec;

	memset(&sec, 0, sizeof(sec));
	snprintf(sec.id, sizeof(sec.id), "%s-%s", pid, suffix);
	snprintf(sec.title, sizeof(sec.title), "%s", title);
	snprintf(sec.confidentiality, sizeof(sec.confidentiality), "%s", conf);
	snprintf(sec.sensitivity, sizeof(sec.sensitivity), "%s", codes);
	return store_put_section(s, pid, (*pos)++, &sec);
}

static int
item(struct store *s, const char *pid, const char *suffix, int pos, const char *label,
    const char *value, const char *time)
{
	char sid[STORE_ID_MAX];

	if (snprintf(sid, sizeof(sid), "%s-%s", pid, suffix) >= (int)sizeof(sid))
		return STORE_ERROR;
	return store_put_item(s, sid, pos, label, value, time);
}

static int
seed_chart(struct store *s, const struct patient *p, int i, int64_t now)
{
	char buf[160], t1[CG_TIME_LEN], t2[CG_TIME_LEN];
	int pos = 0, rc = 0;
	size_t k;

	cg_time_fmt(now - 3600 * (1 + i % 5), t1);
	cg_time_fmt(now - 86400 - 600 * i, t2);
	rc |= put_section(s, p->id, &pos, "demo", "Demographics", "N", "");
	rc |= item(s, p->id, "demo", 0, "Name", p->display_name, NULL);
	rc |= item(s, p->id, "demo", 1, "MRN", p->mrn, NULL);
	rc |= item(s, p->id, "demo", 2, "Birth date", p->birth_date, NULL);
	rc |= item(s, p->id, "demo", 3, "Sex", p->sex, NULL);
	snprintf(buf, sizeof(buf), "%d Example Street, Sampletown", 10 + i * 3);
	rc |= item(s, p->id, "demo", 4, "Address", buf, NULL);
	snprintf(buf, sizeof(buf), "555-01%02d", i % 100);	/* the fictional range */
	rc |= item(s, p->id, "demo", 5, "Phone", buf, NULL);

	rc |= put_section(s, p->id, &pos, "prob", "Problems", "N", "");
	rc |= item(s, p->id, "prob", 0, "Active", problems[i % 12], t2);
	rc |= item(s, p->id, "prob", 1, "Active", problems[(i + 5) % 12], t2);

	rc |= put_section(s, p->id, &pos, "meds", "Medications", "N", "");
	rc |= item(s, p->id, "meds", 0, "Scheduled", meds[i % 8], t2);
	rc |= item(s, p->id, "meds", 1, "Scheduled", meds[(i + 3) % 8], t2);
	rc |= item(s, p->id, "meds", 2, "As needed", "Ondansetron 4 mg IV up to every 8 hours", t2);

	rc |= put_section(s, p->id, &pos, "allg", "Allergies", "N", "");
	rc |= item(s, p->id, "allg", 0, "Allergy", allergies[i % 5], NULL);

	rc |= put_section(s, p->id, &pos, "vitals", "Vitals", "N", "");
	snprintf(buf, sizeof(buf), "%d/%d mmHg", 110 + i % 40, 65 + i % 20);
	rc |= item(s, p->id, "vitals", 0, "Blood pressure", buf, t1);
	snprintf(buf, sizeof(buf), "%d /min", 62 + (i * 7) % 40);
	rc |= item(s, p->id, "vitals", 1, "Heart rate", buf, t1);
	snprintf(buf, sizeof(buf), "%d.%d C", 36 + (i % 3 == 0), (i * 3) % 10);
	rc |= item(s, p->id, "vitals", 2, "Temperature", buf, t1);
	snprintf(buf, sizeof(buf), "%d %%", 92 + i % 8);
	rc |= item(s, p->id, "vitals", 3, "SpO2", buf, t1);

	rc |= put_section(s, p->id, &pos, "notes", "Notes", "N", "");
	rc |= item(s, p->id, "notes", 0, "Nursing note",
	    "Comfortable overnight. Mobilising with one assist. Eating and drinking.", t1);
	rc |= item(s, p->id, "notes", 1, "Ward round",
	    "Improving. Continue current plan; review bloods in the morning.", t2);

	/* Sensitive sections, spread so every unit and the first nurse's list has some. */
	for (k = 0; k < sizeof(sens_kinds) / sizeof(sens_kinds[0]); k++) {
		const struct sens_kind *sk = &sens_kinds[k];
		int has = (k == 0 && i % 5 == 0) || (k == 1 && i % 5 == 2) ||
		    (k == 2 && i % 5 == 4) || (k == 3 && i % 7 == 3 && i % 2 == 0) ||
		    (k == 4 && i % 11 == 5) || (k == 5 && i % 13 == 8);

		if (!has)
			continue;
		rc |= put_section(s, p->id, &pos, sk->suffix, sk->title, sk->conf, sk->codes);
		rc |= item(s, p->id, sk->suffix, 0, sk->label1, sk->value1, t2);
		rc |= item(s, p->id, sk->suffix, 1, sk->label2, sk->value2, t2);
	}
	return rc ? -1 : 0;
}

static int
seed_world(struct store *s, int64_t now)
{
	char id[STORE_ID_MAX], eid[STORE_ID_MAX], label[64], loc[32];
	size_t u;
	int i, k, rc = 0;

	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		rc |= store_put_unit(s, units[u].id, units[u].name);
		for (k = 1; k <= 2; k++) {
			char lower[8];
			size_t j;

			for (j = 0; units[u].bed_prefix[j] && j < sizeof(lower) - 1; j++)
				lower[j] = (char)(units[u].bed_prefix[j] | 0x20);
			lower[j] = '\0';
			snprintf(id, sizeof(id), "cart-%s-%02d", lower, k);
			snprintf(label, sizeof(label), "%s cart %d", units[u].name, k);
			rc |= store_put_workstation(s, id, units[u].id, label);
		}
	}
	for (u = 0; u < NUSERS; u++) {
		struct user usr;

		memset(&usr, 0, sizeof(usr));
		snprintf(usr.id, sizeof(usr.id), "%s", users[u].id);
		snprintf(usr.user_name, sizeof(usr.user_name), "%s", users[u].user_name);
		snprintf(usr.display_name, sizeof(usr.display_name), "%s", users[u].display_name);
		snprintf(usr.roles.v[0], sizeof(usr.roles.v[0]), "%s", users[u].role);
		usr.roles.n = 1;
		rc |= store_put_user(s, &usr);
	}
	for (i = 0; i < NPATIENTS; i++) {
		struct patient p;
		int unit = i % 3, bed = i / 3 + 1, active = i < NACTIVE;
		const char *nurse;

		memset(&p, 0, sizeof(p));
		snprintf(p.id, sizeof(p.id), "p-%04d", i + 1);
		snprintf(p.mrn, sizeof(p.mrn), "MRN%07d", 4100100 + i * 37);
		/* Every (given, family) pair distinct, so no two demo patients share a name. */
		snprintf(p.display_name, sizeof(p.display_name), "%s %s", given[i % 14],
		    family[(i + 5 * (i / 14) + 3) % 14]);
		snprintf(p.birth_date, sizeof(p.birth_date), "%04d-%02d-%02d", 1935 + (i * 17) % 70,
		    1 + (i * 7) % 12, 1 + (i * 11) % 28);
		snprintf(p.sex, sizeof(p.sex), "%s", i % 2 ? "male" : "female");
		snprintf(p.flags, sizeof(p.flags), "%s", i == 12 ? "EMP" : i == 30 ? "VIP" : "");
		rc |= store_put_patient(s, &p);

		snprintf(eid, sizeof(eid), "e-%04d", i + 1);
		snprintf(loc, sizeof(loc), "%s-%02d", units[unit].bed_prefix, bed);
		rc |= store_put_encounter(s, eid, p.id, units[unit].id, loc,
		    active ? "in-progress" : "finished",
		    active ? now - 86400 * (1 + i % 9) : now - 86400 * 30,
		    active ? 0 : now - 86400 * 20);
		nurse = unit == 0 ? ((bed % 2) ? "u-nurse-ana" : "u-nurse-ben") :
		    unit == 1 ? "u-nurse-chloe" : "u-nurse-dev";
		rc |= store_put_care_team(s, eid, nurse, "nurse");
		rc |= store_put_care_team(s, eid, unit_physician[unit], "attending");
		if ((unit == 1 && bed % 2 == 0) || (unit == 2 && bed % 3 == 0))
			rc |= store_put_care_team(s, eid, "u-phys-hugo", "consultant");
		rc |= seed_chart(s, &p, i, now) != 0;
	}
	/* p-0004 (Ben's bed 4W-02) was on Ana's list in an earlier, finished stay:
	 * the care-team history without a live relationship. */
	rc |= store_put_encounter(s, "e-0004-prior", "p-0004", "u-4w", "4W-09", "finished",
	    now - 86400 * 60, now - 86400 * 55);
	rc |= store_put_care_team(s, "e-0004-prior", "u-nurse-ana", "nurse");
	return rc ? -1 : 0;
}

/* One P-256 key pair: private scalar for the badge, x||y for the server. */
static int
new_key(unsigned char priv[32], unsigned char pub[64])
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	BIGNUM *bn = NULL;
	unsigned char point[65];
	size_t len = 0;
	int rc = -1;

	if (pk == NULL)
		return -1;
	if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_PRIV_KEY, &bn) != 1 ||
	    BN_bn2binpad(bn, priv, 32) != 32)
		goto out;
	if (EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point),
	    &len) != 1 || len != 65 || point[0] != 0x04)
		goto out;
	memcpy(pub, point + 1, 64);
	rc = 0;
out:
	BN_clear_free(bn);
	EVP_PKEY_free(pk);
	return rc;
}

static json_t *
seed_badges(struct store *s, const char *rp_id, int64_t now)
{
	json_t *badges = json_array();
	unsigned char pin[32], priv[32], cid[32];
	char pin_hex[33], *cid_b64 = NULL, *uh = NULL, *priv_b64 = NULL;
	struct credential c;
	size_t u;

	cg_sha256(DEMO_PIN, strlen(DEMO_PIN), pin);
	cg_hex(pin, 16, pin_hex);
	for (u = 0; u < NUSERS; u++) {
		json_t *b;

		memset(&c, 0, sizeof(c));
		if (new_key(priv, c.pubkey) != 0 || cg_random(cid, sizeof(cid)) != 0)
			goto fail;
		cid_b64 = b64url_encode_alloc(cid, sizeof(cid));
		uh = b64url_encode_alloc((const unsigned char *)users[u].id, strlen(users[u].id));
		priv_b64 = b64url_encode_alloc(priv, sizeof(priv));
		OPENSSL_cleanse(priv, sizeof(priv));
		if (cid_b64 == NULL || uh == NULL || priv_b64 == NULL)
			goto fail;
		snprintf(c.id, sizeof(c.id), "%s", cid_b64);
		snprintf(c.user_id, sizeof(c.user_id), "%s", users[u].id);
		if (store_put_credential(s, &c, now) != STORE_OK)
			goto fail;
		b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:i, s:s, s:i}",
		    "rp_id", rp_id, "credential_id", cid_b64, "user_handle", uh,
		    "user_id", users[u].id, "user_name", users[u].user_name,
		    "display_name", users[u].display_name, "roles", users[u].role,
		    "private_key", priv_b64, "sign_count", 0, "pin_hash", pin_hex,
		    "pin_retries", 8);
		if (b == NULL || json_array_append_new(badges, b) != 0)
			goto fail;
		OPENSSL_cleanse(priv_b64, strlen(priv_b64));
		free(cid_b64);
		free(uh);
		free(priv_b64);
		cid_b64 = uh = priv_b64 = NULL;
	}
	return badges;
fail:
	if (priv_b64 != NULL)
		OPENSSL_cleanse(priv_b64, strlen(priv_b64));
	free(cid_b64);
	free(uh);
	free(priv_b64);
	json_decref(badges);
	return NULL;
}

/* Write path via a 0600 temporary file and an atomic rename. */
static int
write_private_json(const char *path, json_t *doc)
{
	char tmp[4096];
	int fd, rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "chartgated: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) == 0 && json_dumpfd(doc, fd, JSON_INDENT(2)) == 0 &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "chartgated: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

static void
remove_db(const char *db)
{
	char p[4096];

	unlink(db);
	if (snprintf(p, sizeof(p), "%s-wal", db) < (int)sizeof(p))
		unlink(p);
	if (snprintf(p, sizeof(p), "%s-shm", db) < (int)sizeof(p))
		unlink(p);
}

int
seed_demo(const char *dir, const char *rp_id, long review_events)
{
	char db[4096], sk[4096];
	struct store *s = NULL;
	json_t *badges = NULL, *doc = NULL;
	int64_t now = cg_now();
	size_t u;

	if (strlen(dir) > 4000) {
		fprintf(stderr, "chartgated: directory name too long\n");
		return 2;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "chartgated: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(db, sizeof(db), "%s/chartgate.db", dir);
	snprintf(sk, sizeof(sk), "%s/softkey.json", dir);
	if (store_open(db, 1, &s) != STORE_OK)
		return 1;	/* the store said why (exists, cannot create) */
	chmod(db, 0600);	/* clinical data, even synthetic, is not world readable */
	if (store_begin(s) != STORE_OK)
		goto fail;
	if (seed_world(s, now) != 0 || (badges = seed_badges(s, rp_id, now)) == NULL) {
		store_rollback(s);
		goto fail;
	}
	if (store_commit(s) != STORE_OK)
		goto fail;
	if (seed_review(s, now, review_events) != 0)
		goto fail;
	doc = json_pack("{s:i, s:s, s:o}", "version", 1, "aaguid", SOFTKEY_AAGUID, "badges", badges);
	badges = NULL;
	if (doc == NULL || write_private_json(sk, doc) != 0)
		goto fail;
	json_decref(doc);
	store_close(&s);

	printf("chartgated: demo world in %s: 3 units, 6 carts, %zu users, %d patients\n",
	    db, NUSERS, NPATIENTS);
	printf("chartgated: %s holds one badge per user (rp id %s, PIN %s):\n", sk, rp_id, DEMO_PIN);
	for (u = 0; u < NUSERS; u++)
		printf("  %2zu  %-15s %-20s %s\n", u, users[u].id, users[u].display_name, users[u].role);
	return 0;
fail:
	fprintf(stderr, "chartgated: demo seed failed\n");
	json_decref(badges);
	json_decref(doc);
	store_close(&s);
	remove_db(db);
	return 1;
}
