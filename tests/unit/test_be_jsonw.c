/* Unit tests of the chart's JSON writer: the same text as json_dumps, and the same refusals as json_string. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backend/jsonw.h"
#include "tests/t.h"

/* jsonw_str(s) must read exactly as json_dumps of json_string(s). */
static int
same_as_jansson(const char *s)
{
	struct jsonw w = { 0 };
	json_t *v = json_string(s);
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *got;
	int same;

	jsonw_str(&w, s);
	got = jsonw_finish(&w);
	same = want != NULL && got != NULL && strcmp(want, got) == 0;
	if (!same)
		printf("  jansson %s, jsonw %s\n", want ? want : "(null)", got ? got : "(null)");
	free(want);
	free(got);
	json_decref(v);
	return same;
}

static void
strings_escape_as_json_dumps_does(void)
{
	static const char *const cases[] = {
		"", "plain", "quote \" and backslash \\", "tab\there\nnewline\r\b\f",
		"\x01\x1f control", "del \x7f stays", "slash / stays", "caf\xc3\xa9",
		"\xe2\x80\xa8 line separator", "\xf0\x9f\x98\x80 emoji", "</script>",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_CHECK(same_as_jansson(cases[i]));
}

/* Bytes json_string refuses fail the whole text, so the chart answers 500 as it did. */
static void
invalid_utf8_fails_the_text(void)
{
	static const char *const cases[] = {
		"\x80", "\xc0\xaf", "\xc3", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "ok then \xff",
	};
	struct jsonw w = { 0 };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_CHECK(json_string(cases[i]) == NULL);
		jsonw_raw(&w, "[");
		jsonw_str(&w, cases[i]);
		jsonw_raw(&w, "]");
		T_CHECK(jsonw_finish(&w) == NULL);
	}
}

static void
words_and_values_make_one_text(void)
{
	struct jsonw w = { 0 };
	json_t *o = json_pack("{s:s}", "path", "care-team");
	char *text;

	jsonw_raw(&w, "{\"flags\":");
	jsonw_words(&w, "  EMP  VIP ");
	jsonw_raw(&w, ",\"none\":");
	jsonw_words(&w, "");
	jsonw_raw(&w, ",\"access\":");
	jsonw_json(&w, o);
	jsonw_raw(&w, "}");
	text = jsonw_finish(&w);
	T_STREQ(text, "{\"flags\":[\"EMP\",\"VIP\"],\"none\":[],\"access\":{\"path\":\"care-team\"}}");
	free(text);
	json_decref(o);
	jsonw_json(&w, NULL);
	T_CHECK(jsonw_finish(&w) == NULL);
}

int
main(void)
{
	T_RUN(strings_escape_as_json_dumps_does);
	T_RUN(invalid_utf8_fails_the_text);
	T_RUN(words_and_values_make_one_text);
	T_EXIT();
}
