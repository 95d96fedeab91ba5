/* Minimal unit-test harness: one static function per case, named after what it proves.
 * Output lines "ok - NAME" / "not ok - NAME: why" are counted by tests/run.sh. */
#ifndef CHARTGATE_T_H
#define CHARTGATE_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_case;
static int t_failures;

#define T_CHECK(cond) do { \
	if (!(cond)) { \
		printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		t_failed_case = 1; \
	} \
} while (0)

#define T_STREQ(a, b) do { \
	const char *t_a_ = (a), *t_b_ = (b); \
	if (t_a_ == NULL || t_b_ == NULL || strcmp(t_a_, t_b_) != 0) { \
		printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
		    t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
		t_failed_case = 1; \
	} \
} while (0)

#define T_RUN(fn) do { \
	t_failed_case = 0; \
	fn(); \
	if (t_failed_case) { \
		printf("not ok - %s\n", #fn); \
		t_failures++; \
	} else \
		printf("ok - %s\n", #fn); \
	fflush(stdout); \
} while (0)

#define T_EXIT() return t_failures ? 1 : 0

#endif
