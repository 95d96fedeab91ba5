/* Text field editing: what a clinician types is what the field holds, in UTF-8, never cut mid-character. */
#include <curses.h>
#include <stdlib.h>

#include "tests/t.h"
#include "tui/field.h"
#include "tui/term.h"

static void
type(struct field *f, const char *ascii)
{
	for (; *ascii; ascii++)
		field_key(f, *ascii == '\n' ? KEY_RET : *ascii);
}

static void
typing_inserts_at_the_cursor(void)
{
	struct field f;

	field_init(&f, 64, 0);
	type(&f, "helo");
	field_key(&f, KEY_LEFT);
	field_key(&f, 'l');
	T_STREQ(field_text(&f), "hello");
	field_free(&f);
}

static void
non_ascii_characters_are_stored_as_utf8(void)
{
	struct field f;

	field_init(&f, 64, 0);
	field_key(&f, 0xe9);			/* é */
	field_key(&f, KEY_WCHAR | 0x151);	/* ő, above the KEY_* range */
	field_key(&f, KEY_WCHAR | 0x75c5);	/* 病, wide */
	T_STREQ(field_text(&f), "\xc3\xa9\xc5\x91\xe7\x97\x85");
	T_CHECK(field_chars(&f) == 3);
	field_free(&f);
}

static void
backspace_removes_a_whole_character(void)
{
	struct field f;

	field_init(&f, 64, 0);
	type(&f, "ab");
	field_key(&f, KEY_WCHAR | 0x20ac);	/* € */
	field_key(&f, KEY_BACKSPACE);
	T_STREQ(field_text(&f), "ab");
	field_key(&f, KEY_HOME);
	field_key(&f, KEY_DC);
	T_STREQ(field_text(&f), "b");
	field_free(&f);
}

static void
a_full_field_refuses_more_but_keeps_what_was_typed(void)
{
	struct field f;

	field_init(&f, 4, 0);
	type(&f, "12345");
	T_STREQ(field_text(&f), "1234");
	field_key(&f, KEY_WCHAR | 0x20ac);	/* 3 bytes do not fit into 0 */
	T_STREQ(field_text(&f), "1234");
	field_free(&f);
}

static void
enter_is_a_newline_only_in_multiline_fields(void)
{
	struct field one, many;

	field_init(&one, 64, 0);
	field_init(&many, 64, FIELD_MULTILINE);
	T_CHECK(field_key(&one, KEY_RET) == 0);
	type(&many, "a\nb");
	T_STREQ(field_text(&many), "a\nb");
	field_free(&one);
	field_free(&many);
}

static void
up_and_down_keep_the_column(void)
{
	struct field f;

	field_init(&f, 64, FIELD_MULTILINE);
	type(&f, "abcd\nxy\nlonger");
	field_key(&f, KEY_UP);		/* from col 6 of "longer" to end of "xy" */
	field_key(&f, 'Z');
	T_STREQ(field_text(&f), "abcd\nxyZ\nlonger");
	field_key(&f, KEY_UP);		/* col 3 of "abcd" */
	field_key(&f, 'Q');
	T_STREQ(field_text(&f), "abcQd\nxyZ\nlonger");
	field_free(&f);
}

static void
trimmed_count_ignores_surrounding_space(void)
{
	struct field f;

	field_init(&f, 64, FIELD_MULTILINE);
	type(&f, "  ab c \n\n");
	T_CHECK(field_chars(&f) == 9);
	T_CHECK(field_chars_trimmed(&f) == 4);
	field_free(&f);
}

static void
clear_wipes_the_buffer(void)
{
	struct field f;
	size_t i;
	int zero = 1;

	field_init(&f, 16, FIELD_MASKED);
	type(&f, "1234");
	field_clear(&f);
	for (i = 0; i <= f.cap; i++)
		zero &= f.buf[i] == 0;
	T_CHECK(zero);
	T_CHECK(field_chars(&f) == 0);
	field_free(&f);
}

static void
control_and_alt_keys_are_not_typed(void)
{
	struct field f;

	field_init(&f, 16, 0);
	field_key(&f, KEY_ESC);
	field_key(&f, KEY_ALT | '1');
	field_key(&f, KEY_F(1));
	field_key(&f, 0x9b);		/* C1 CSI */
	T_STREQ(field_text(&f), "");
	field_free(&f);
}

int
main(void)
{
	T_RUN(typing_inserts_at_the_cursor);
	T_RUN(non_ascii_characters_are_stored_as_utf8);
	T_RUN(backspace_removes_a_whole_character);
	T_RUN(a_full_field_refuses_more_but_keeps_what_was_typed);
	T_RUN(enter_is_a_newline_only_in_multiline_fields);
	T_RUN(up_and_down_keep_the_column);
	T_RUN(trimmed_count_ignores_surrounding_space);
	T_RUN(clear_wipes_the_buffer);
	T_RUN(control_and_alt_keys_are_not_typed);
	T_EXIT();
}
