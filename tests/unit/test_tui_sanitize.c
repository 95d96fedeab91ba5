/* Unit tests for tui/sanitize: hostile bytes never reach the terminal, widths are right. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tests/t.h"
#include "tui/sanitize.h"

#define REPL "\xef\xbf\xbd"

static const char *
san(const char *in, size_t len, unsigned flags)
{
	static char out[1024];

	sanitize_buf(in, len, out, sizeof out, flags);
	return out;
}
#define SAN(lit) san(lit, sizeof(lit) - 1, 0)

static void
plain_ascii_passes_unchanged(void)
{
	T_STREQ(SAN("Jane Doe, MRN 12345"), "Jane Doe, MRN 12345");
}

static void
esc_becomes_replacement(void)
{
	T_STREQ(SAN("a\x1b" "b"), "a" REPL "b");
}

static void
csi_clear_screen_is_defused(void)
{
	T_STREQ(SAN("\x1b[2J"), REPL "[2J");
}

static void
osc_title_is_defused(void)
{
	T_STREQ(SAN("\x1b]0;title\x07"), REPL "]0;title" REPL);
}

static void
c1_csi_is_replaced(void)
{
	T_STREQ(SAN("x\xc2\x9b" "2J"), "x" REPL "2J");
}

static void
raw_c1_byte_is_invalid_utf8(void)
{
	T_STREQ(SAN("\x9b"), REPL);
}

static void
del_is_replaced(void)
{
	T_STREQ(SAN("a\x7f"), "a" REPL);
}

static void
bidi_override_is_replaced(void)
{
	T_STREQ(SAN("1.0\xe2\x80\xae" "gm"), "1.0" REPL "gm");
	T_STREQ(SAN("\xe2\x81\xa6x\xe2\x81\xa9"), REPL "x" REPL);
}

static void
bidi_marks_are_dropped(void)
{
	T_STREQ(SAN("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xd8\x9c" "d"), "abcd");
}

static void
overlong_slash_is_replaced(void)
{
	T_STREQ(SAN("\xc0\xaf"), REPL REPL);
	T_STREQ(SAN("\xe0\x80\xaf"), REPL REPL REPL);
}

static void
truncated_sequence_is_one_replacement(void)
{
	T_STREQ(SAN("\xe2\x82"), REPL);
	T_STREQ(SAN("a\xe2\x82" "b"), "a" REPL "b");
}

static void
surrogate_is_replaced(void)
{
	const char *s = SAN("\xed\xa0\x80");

	T_CHECK(strstr(s, "\xed") == NULL);
	T_STREQ(s, REPL REPL REPL);
}

static void
five_byte_form_is_replaced(void)
{
	T_STREQ(SAN("\xf8\x88\x80\x80\x80"), REPL REPL REPL REPL REPL);
	T_STREQ(SAN("\xf4\x90\x80\x80"), REPL REPL REPL REPL);	/* > U+10FFFF */
}

static void
nul_byte_is_replaced(void)
{
	T_STREQ(san("a\0b", 3, 0), "a" REPL "b");
}

static void
newline_is_space_unless_kept(void)
{
	T_STREQ(san("a\nb\r\n\tc", 7, 0), "a b  c");
	T_STREQ(san("a\nb\r\n", 5, SANITIZE_KEEP_NEWLINE), "a\nb\n");
}

static void
valid_multibyte_passes(void)
{
	T_STREQ(SAN("Zo\xc3\xab \xe5\xbc\xa0\xe4\xbc\x9f \xf0\x9f\x98\x80"),
	    "Zo\xc3\xab \xe5\xbc\xa0\xe4\xbc\x9f \xf0\x9f\x98\x80");
}

static void
output_never_splits_char_when_full(void)
{
	char out[5];
	size_t n = sanitize_buf("ab\xe5\xbc\xa0", 5, out, sizeof out, 0);

	T_CHECK(n == 2);
	T_STREQ(out, "ab");
}

static void
output_is_valid_utf8_for_every_byte(void)
{
	char in[256], out[SANITIZE_MAX_OUT(256)];
	size_t i, n;

	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	n = sanitize_buf(in, sizeof in, out, sizeof out, 0);
	T_CHECK(n > 0);
	for (i = 0; i < n; i++)
		T_CHECK((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] != 0x7f);
	T_CHECK(strchr(out, '\x1b') == NULL);
	T_CHECK(strstr(out, "\xc2\x9b") == NULL);
}

static void
dup_allocates_and_sanitises(void)
{
	char *s = sanitize_dup("\x1b[31mred", 0);

	T_STREQ(s, REPL "[31mred");
	free(s);
	T_CHECK(sanitize_dup(NULL, 0) == NULL);
}

static void
width_counts_cjk_as_two(void)
{
	T_CHECK(sanitize_width("\xe5\xbc\xa0\xe4\xbc\x9f") == 4);
	T_CHECK(sanitize_width("abc") == 3);
}

static void
width_counts_combining_as_zero(void)
{
	T_CHECK(sanitize_width("e\xcc\x81") == 1);	/* e + COMBINING ACUTE */
}

static void
fit_never_splits_wide_char(void)
{
	size_t w = 99, n = sanitize_fit("a\xe5\xbc\xa0" "b", 2, &w);

	T_CHECK(n == 1);
	T_CHECK(w == 1);
}

static void
fit_keeps_combining_mark_with_base(void)
{
	size_t w, n = sanitize_fit("ae\xcc\x81z", 2, &w);

	T_CHECK(n == 4);
	T_CHECK(w == 2);
}

static void
truncate_with_ellipsis_fits_columns(void)
{
	char buf[32] = "\xe5\xbc\xa0\xe4\xbc\x9f\xe5\xbc\xa0";	/* 6 columns */
	size_t w = sanitize_truncate(buf, sizeof buf, 4, SANITIZE_ELLIPSIS);

	/* 3 columns left for text: one wide char (2) fits, the next would not. */
	T_STREQ(buf, "\xe5\xbc\xa0\xe2\x80\xa6");
	T_CHECK(w == 3);
	T_CHECK(sanitize_width(buf) <= 4);
}

static void
truncate_without_ellipsis(void)
{
	char buf[16] = "abcdef";

	T_CHECK(sanitize_truncate(buf, sizeof buf, 3, 0) == 3);
	T_STREQ(buf, "abc");
}

static void
truncate_leaves_short_string_alone(void)
{
	char buf[16] = "abc";

	T_CHECK(sanitize_truncate(buf, sizeof buf, 3, SANITIZE_ELLIPSIS) == 3);
	T_STREQ(buf, "abc");
}

static void
truncate_ellipsis_respects_small_buffer(void)
{
	char buf[4] = "abc";
	size_t w = sanitize_truncate(buf, sizeof buf, 2, SANITIZE_ELLIPSIS);

	/* "a…" needs 5 bytes; the buffer has 4, so only "…" fits. */
	T_STREQ(buf, "\xe2\x80\xa6");
	T_CHECK(w == 1);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("not ok - locale C.UTF-8 missing\n");
		return 1;
	}
	T_RUN(plain_ascii_passes_unchanged);
	T_RUN(esc_becomes_replacement);
	T_RUN(csi_clear_screen_is_defused);
	T_RUN(osc_title_is_defused);
	T_RUN(c1_csi_is_replaced);
	T_RUN(raw_c1_byte_is_invalid_utf8);
	T_RUN(del_is_replaced);
	T_RUN(bidi_override_is_replaced);
	T_RUN(bidi_marks_are_dropped);
	T_RUN(overlong_slash_is_replaced);
	T_RUN(truncated_sequence_is_one_replacement);
	T_RUN(surrogate_is_replaced);
	T_RUN(five_byte_form_is_replaced);
	T_RUN(nul_byte_is_replaced);
	T_RUN(newline_is_space_unless_kept);
	T_RUN(valid_multibyte_passes);
	T_RUN(output_never_splits_char_when_full);
	T_RUN(output_is_valid_utf8_for_every_byte);
	T_RUN(dup_allocates_and_sanitises);
	T_RUN(width_counts_cjk_as_two);
	T_RUN(width_counts_combining_as_zero);
	T_RUN(fit_never_splits_wide_char);
	T_RUN(fit_keeps_combining_mark_with_base);
	T_RUN(truncate_with_ellipsis_fits_columns);
	T_RUN(truncate_without_ellipsis);
	T_RUN(truncate_leaves_short_string_alone);
	T_RUN(truncate_ellipsis_respects_small_buffer);
	T_EXIT();
}
