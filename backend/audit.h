/* Audit rows and their SHA-256 hash chain. */
#ifndef CHARTGATED_AUDIT_H
#define CHARTGATED_AUDIT_H

#include <stdint.h>

#include "backend/store.h"
#include "backend/util.h"

#define AUDIT_HASH_HEX 65

/* One access decision or authentication event. Empty strings mean "none". */
struct audit_row {
	int64_t seq;
	char time[CG_TIME_LEN];
	char kind[16];		/* "chart", "tap-in" */
	char user_id[STORE_ID_MAX];
	char workstation[STORE_ID_MAX];
	char patient_id[STORE_ID_MAX];
	char sections[512];	/* section ids released, comma separated */
	char purpose[16];
	char decision[8];	/* "permit" | "deny" */
	char rule[48];		/* why: "care-team", "not_on_care_team", "bad_signature", ... */
	char path[48];		/* "care-team" | "grant:<id>" | "break-glass:<id>" */
	char request_id[48];
	char detail[256];	/* free text a decision needs, e.g. a search's query; hashed only when set */
	char prev_hash[AUDIT_HASH_HEX];
	char hash[AUDIT_HASH_HEX];
};

/* The previous hash of the first row. */
extern const char audit_genesis[AUDIT_HASH_HEX];

/* hash = hex(SHA-256(prev_hash || canonical fields)); each field is written
 * as "name=<decimal length>:<bytes>\n" so no two rows share an encoding. */
void audit_row_hash(const struct audit_row *row, const char *prev_hash, char out[AUDIT_HASH_HEX]);

/* Append a row (time filled in when empty). 0 on success. */
int audit_append(struct store *, struct audit_row *row);

/* Walk the whole chain: 0 when intact, else -1 with *bad_seq = first broken row. */
int audit_verify(struct store *, int64_t *bad_seq);

/* chartgated --verify-audit: open FILE read-only, walk the chain with stricter
 * checks than audit_verify (seq gaps, non-text or oversized fields), print
 * "audit chain OK: N rows" or "audit chain broken at row SEQ: why".
 * Returns the exit status: 0 intact, 1 broken or unreadable. */
int audit_verify_file(const char *path);

#endif
