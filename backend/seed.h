/* The synthetic demo world and its software badges (chartgated --demo-seed DIR). */
#ifndef CHARTGATED_SEED_H
#define CHARTGATED_SEED_H

#include <stddef.h>
#include <stdint.h>

/* Create DIR/chartgate.db and DIR/softkey.json for relying party rp_id.
 * Returns the process exit status (0, 1). */
int seed_demo(const char *dir, const char *rp_id, long review_events);

#define SEED_REVIEW_DEFAULT (-1)	/* only the hand-made reviewer desk events */

struct store;
/* The reviewer desk's demo (seed_review.c), after the world is committed: about 25
 * hand-made break-glass events with accesses, grants of every kind; with total above
 * that, synthetic events until the queue holds total. 0 on success. */
int seed_review(struct store *, int64_t now, long total);
/* n synthetic events in one transaction (seed_review_bulk.c). */
int seed_review_bulk(struct store *, int64_t now, size_t n);

#endif
