/* Unit tests of the helpdesk rules: lock-out window, active/suspended sessions, reasons and search text. */
#include <string.h>

#include "backend/helpdesk.h"
#include "backend/lockout.h"
#include "tests/t.h"

static void
five_failures_within_ten_minutes_lock(void)
{
	int64_t t[5] = { 1000, 1100, 1200, 1300, 1599 };

	T_CHECK(lockout_trips(t, 5, 1599));
	/* 1000 is exactly 600 s old at 1600: it no longer counts. */
	T_CHECK(!lockout_trips(t, 5, 1600));
}

static void
four_failures_never_lock(void)
{
	int64_t t[4] = { 1000, 1001, 1002, 1003 };

	T_CHECK(!lockout_trips(t, 4, 1003));
	T_CHECK(!lockout_trips(t, 0, 1003));
}

static void
older_failures_expire_from_the_window(void)
{
	/* Ten failures spread out over an hour never have five inside ten minutes. */
	int64_t t[10];
	size_t i;

	for (i = 0; i < 10; i++)
		t[i] = 10000 + (int64_t)i * 200;	/* 200 s apart: at most 3 per window */
	for (i = 0; i < 10; i++)
		T_CHECK(!lockout_trips(t, i + 1, t[i]));
	T_CHECK(lockout_window_start(10600) == 10000);
}

static void
failures_in_the_future_do_not_count(void)
{
	int64_t t[5] = { 2000, 2000, 2000, 2000, 2601 };

	T_CHECK(!lockout_trips(t, 5, 2100));
}

static void
only_credential_failures_count_toward_a_lock(void)
{
	T_CHECK(lockout_rule_counts("signature"));
	T_CHECK(lockout_rule_counts("sign_count"));
	T_CHECK(lockout_rule_counts("client_data"));
	T_CHECK(lockout_rule_counts("user_handle"));
	T_CHECK(!lockout_rule_counts("challenge_unknown"));
	T_CHECK(!lockout_rule_counts("challenge_expired"));
	T_CHECK(!lockout_rule_counts("malformed"));
	T_CHECK(!lockout_rule_counts("credential_unknown"));
	T_CHECK(!lockout_rule_counts(NULL));
}

static struct live_session
ls(const char *id, const char *ws, int64_t tap_seq, int64_t created)
{
	struct live_session s;

	memset(&s, 0, sizeof(s));
	snprintf(s.id, sizeof(s.id), "%s", id);
	snprintf(s.workstation, sizeof(s.workstation), "%s", ws);
	s.tap_seq = tap_seq;
	s.created_at = created;
	return s;
}

static void
newest_tap_per_cart_is_active(void)
{
	struct live_session v[5];
	int active[5];

	v[0] = ls("s-ana", "cart-1", 3, 100);
	v[1] = ls("s-ben", "cart-1", 7, 200);
	v[2] = ls("s-chloe", "cart-2", 5, 300);
	v[3] = ls("s-dev", "cart-1", 4, 400);
	v[4] = ls("s-eve", "cart-3", 1, 50);
	helpdesk_session_states(v, 5, active);
	T_CHECK(active[0] == 0);
	T_CHECK(active[1] == 1);
	T_CHECK(active[2] == 1);	/* alone on its cart */
	T_CHECK(active[3] == 0);
	T_CHECK(active[4] == 1);
}

static void
a_resume_makes_the_older_session_active_again(void)
{
	struct live_session v[2];
	int active[2];

	v[0] = ls("s-ana", "cart-1", 9, 100);	/* created first, resumed last */
	v[1] = ls("s-ben", "cart-1", 8, 200);
	helpdesk_session_states(v, 2, active);
	T_CHECK(active[0] == 1 && active[1] == 0);
}

static void
ties_are_broken_deterministically(void)
{
	struct live_session v[3];
	int active[3];

	/* Sessions from before tap order was kept (tap_seq 0): the newest wins, then the id. */
	v[0] = ls("s-a", "cart-1", 0, 100);
	v[1] = ls("s-b", "cart-1", 0, 200);
	v[2] = ls("s-c", "cart-1", 0, 200);
	helpdesk_session_states(v, 3, active);
	T_CHECK(active[0] == 0 && active[1] == 0 && active[2] == 1);
	helpdesk_session_states(v, 0, active);	/* nothing to do, nothing touched */
}

static void
reasons_are_one_to_five_hundred_characters(void)
{
	char s[2100];
	size_t i;

	T_CHECK(helpdesk_reason_problem("badge lost", 10) == NULL);
	T_CHECK(helpdesk_reason_problem("x", 1) == NULL);
	T_CHECK(helpdesk_reason_problem(NULL, 0) != NULL);
	T_CHECK(helpdesk_reason_problem("", 0) != NULL);
	T_CHECK(helpdesk_reason_problem("   ", 3) != NULL);
	memset(s, 'x', 500);
	T_CHECK(helpdesk_reason_problem(s, 500) == NULL);
	memset(s, 'x', 501);
	T_CHECK(helpdesk_reason_problem(s, 501) != NULL);
	/* Characters, not bytes: 500 two-byte letters are fine. */
	for (i = 0; i < 500; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	T_CHECK(helpdesk_reason_problem(s, 1000) == NULL);
	memcpy(s + 1000, "\xc3\xa9", 2);
	T_CHECK(helpdesk_reason_problem(s, 1002) != NULL);
}

static void
reasons_refuse_control_characters(void)
{
	T_CHECK(helpdesk_reason_problem("a\nb", 3) != NULL);
	T_CHECK(helpdesk_reason_problem("a\x1b[2Jb", 6) != NULL);
	T_CHECK(helpdesk_reason_problem("a\x7f", 2) != NULL);
	T_CHECK(helpdesk_reason_problem("a\xc2\x9b", 3) != NULL);	/* C1 CSI */
	/* An embedded NUL would hide the rest from strlen-based code. */
	T_CHECK(helpdesk_reason_problem("ab\0cd", 5) != NULL);
}

static void
search_text_is_checked_and_escaped(void)
{
	char p[32];

	T_CHECK(helpdesk_query_problem("an") == NULL);
	T_CHECK(helpdesk_query_problem("a") != NULL);
	T_CHECK(helpdesk_query_problem("\xc3\xa9") != NULL);	/* one character, two bytes */
	T_CHECK(helpdesk_query_problem(NULL) != NULL);
	T_CHECK(helpdesk_query_problem("a\tb") != NULL);
	T_CHECK(helpdesk_like_pattern("ana", p, sizeof(p)) == 0);
	T_STREQ(p, "%ana%");
	T_CHECK(helpdesk_like_pattern("5%_\\", p, sizeof(p)) == 0);
	T_STREQ(p, "%5\\%\\_\\\\%");
	T_CHECK(helpdesk_like_pattern("abcdefghijklmnopqrstuvwxyz0123456789", p, sizeof(p)) == -1);
}

int
main(void)
{
	T_RUN(five_failures_within_ten_minutes_lock);
	T_RUN(four_failures_never_lock);
	T_RUN(older_failures_expire_from_the_window);
	T_RUN(failures_in_the_future_do_not_count);
	T_RUN(only_credential_failures_count_toward_a_lock);
	T_RUN(newest_tap_per_cart_is_active);
	T_RUN(a_resume_makes_the_older_session_active_again);
	T_RUN(ties_are_broken_deterministically);
	T_RUN(reasons_are_one_to_five_hundred_characters);
	T_RUN(reasons_refuse_control_characters);
	T_RUN(search_text_is_checked_and_escaped);
	T_EXIT();
}
