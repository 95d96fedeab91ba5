/* The synthetic demo world and its software badges (chartgated --demo-seed DIR). */
#ifndef CHARTGATED_SEED_H
#define CHARTGATED_SEED_H

/* Create DIR/chartgate.db and DIR/softkey.json for relying party rp_id.
 * Returns the process exit status (0, 1). */
int seed_demo(const char *dir, const char *rp_id);

#endif
