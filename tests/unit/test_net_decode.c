/* Unit tests for net/decode and net/json: strict decoding, errors that name the field, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "net/api.h"
#include "net/decode.h"
#include "net/json.h"
#include "tests/t.h"

#define L(s) s, strlen(s)

static char err[512];

static const char worklist_ok[] =
    "{\"patients\":[{\"id\":\"p1\",\"mrn\":\"M1\",\"display_name\":\"Doe, Jane\","
    "\"birth_date\":\"1970-01-01\",\"sex\":\"F\",\"location\":\"4W-12\",\"unit\":\"4W\","
    "\"encounter_status\":\"in-progress\"},"
    "{\"id\":\"p2\",\"mrn\":\"M2\",\"display_name\":\"Roe, Rich\","
    "\"birth_date\":\"1980-02-02\",\"sex\":null,\"encounter_status\":\"arrived\"}],"
    "\"next_cursor\":null}";

static const char chart_ok[] =
    "{\"patient\":{\"id\":\"p1\",\"mrn\":\"M1\",\"display_name\":\"Doe, Jane\","
    "\"birth_date\":\"1970-01-01\",\"sex\":\"F\",\"flags\":[\"VIP\"]},"
    "\"access\":{\"path\":\"care-team\",\"purpose\":\"TREAT\"},"
    "\"sections\":[{\"id\":\"s1\",\"title\":\"Allergies\",\"confidentiality\":\"N\","
    "\"sensitivity\":[],\"gated\":null,\"items\":[{\"label\":\"Penicillin\",\"value\":\"rash\","
    "\"time\":\"2024-01-01T00:00:00Z\"}]},"
    "{\"id\":\"s2\",\"title\":\"Mental health\",\"confidentiality\":\"R\","
    "\"sensitivity\":[\"MH\"],\"gated\":\"step_up\",\"items\":[]}]}";

static const char session_ok[] =
    "{\"token\":\"tok-abc\",\"session_id\":\"s1\",\"expires_at\":\"2030-01-01T00:00:00Z\","
    "\"resumed\":false,\"user\":{\"id\":\"u1\",\"display_name\":\"Dr A\",\"roles\":[\"physician\"]}}";

static void
worklist_decodes(void)
{
	struct net_worklist *w = NULL;

	T_CHECK(net_decode_worklist(L(worklist_ok), &w, err, sizeof err) == NJSON_OK);
	T_CHECK(w != NULL && w->n_patients == 2);
	if (w && w->n_patients == 2) {
		T_STREQ(w->patients[0].display_name, "Doe, Jane");
		T_STREQ(w->patients[0].unit, "4W");
		T_CHECK(w->patients[1].sex == NULL);
		T_CHECK(w->patients[1].location == NULL);
		T_CHECK(w->next_cursor == NULL);
	}
	net_worklist_free(&w);
	T_CHECK(w == NULL);
}

static void
worklist_wrong_type_names_field(void)
{
	struct net_worklist *w = NULL;
	const char *j = "{\"patients\":[{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"n\","
	    "\"birth_date\":\"b\",\"encounter_status\":\"e\"},{\"id\":\"p\",\"mrn\":\"m\","
	    "\"display_name\":42,\"birth_date\":\"b\",\"encounter_status\":\"e\"}],\"next_cursor\":null}";

	T_CHECK(net_decode_worklist(L(j), &w, err, sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(w == NULL);
	T_STREQ(err, "worklist: patients[1].display_name is not a string");
}

static void
worklist_missing_field_names_field(void)
{
	struct net_worklist *w = NULL;
	const char *j = "{\"patients\":[{\"id\":\"p\",\"display_name\":\"n\","
	    "\"birth_date\":\"b\",\"encounter_status\":\"e\"}],\"next_cursor\":null}";

	T_CHECK(net_decode_worklist(L(j), &w, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "worklist: patients[0].mrn is missing");
}

static void
worklist_null_where_string_expected(void)
{
	struct net_worklist *w = NULL;
	const char *j = "{\"patients\":[{\"id\":null,\"mrn\":\"m\",\"display_name\":\"n\","
	    "\"birth_date\":\"b\",\"encounter_status\":\"e\"}],\"next_cursor\":null}";

	T_CHECK(net_decode_worklist(L(j), &w, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "worklist: patients[0].id is null, expected a string");
}

static void
worklist_without_next_cursor_is_refused(void)
{
	struct net_worklist *w = NULL;

	T_CHECK(net_decode_worklist(L("{\"patients\":[]}"), &w, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "worklist: next_cursor is missing");
}

static void
worklist_patient_not_object(void)
{
	struct net_worklist *w = NULL;

	T_CHECK(net_decode_worklist(L("{\"patients\":[\"x\"],\"next_cursor\":null}"), &w,
	    err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "worklist: patients[0] is not an object");
}

static void
huge_array_is_refused(void)
{
	struct net_worklist *w = NULL;
	size_t n = NET_MAX_PATIENTS + 1, i, len = 0;
	char *j = malloc(n * 3 + 64);

	len += (size_t)sprintf(j, "{\"patients\":[");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(j + len, "%s{}", i ? "," : "");
	len += (size_t)sprintf(j + len, "],\"next_cursor\":null}");
	T_CHECK(net_decode_worklist(j, len, &w, err, sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "worklist: patients has more than 1000 entries");
	free(j);
}

static void
huge_string_is_refused(void)
{
	struct net_worklist *w = NULL;
	size_t big = NET_CAP_NAME + 1;
	char *j = malloc(big + 256);
	int n = sprintf(j, "{\"patients\":[{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"");

	memset(j + n, 'A', big);
	n += (int)big;
	n += sprintf(j + n, "\",\"birth_date\":\"b\",\"encounter_status\":\"e\"}],\"next_cursor\":null}");
	T_CHECK(net_decode_worklist(j, (size_t)n, &w, err, sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "worklist: patients[0].display_name is longer than 4096 bytes");
	free(j);
}

static void
deep_nesting_is_refused_before_parsing(void)
{
	struct net_worklist *w = NULL;
	size_t depth = 100000, i;
	char *j = malloc(depth * 2 + 64);
	size_t n = (size_t)sprintf(j, "{\"x\":");

	for (i = 0; i < depth; i++)
		j[n++] = '[';
	for (i = 0; i < depth; i++)
		j[n++] = ']';
	j[n++] = '}';
	T_CHECK(net_decode_worklist(j, n, &w, err, sizeof err) == NJSON_ERR_DEPTH);
	T_CHECK(strstr(err, "nested deeper") != NULL);
	free(j);
}

static void
brackets_inside_strings_do_not_count_as_depth(void)
{
	T_CHECK(njson_depth(L("{\"a\":\"[[[[[[\\\"[[[[\"}")) == 1);
	T_CHECK(njson_depth(L("{\"a\":\"unterminated")) == (size_t)-1);
}

static void
trailing_garbage_is_refused(void)
{
	struct net_worklist *w = NULL;
	char buf[sizeof worklist_ok + 8];

	snprintf(buf, sizeof buf, "%s{}", worklist_ok);
	T_CHECK(net_decode_worklist(L(buf), &w, err, sizeof err) == NJSON_ERR_SYNTAX);
	T_CHECK(w == NULL);
	T_CHECK(strncmp(err, "worklist: not valid JSON", 24) == 0);
}

static void
duplicate_keys_are_refused(void)
{
	struct net_health *h = NULL;

	T_CHECK(net_decode_health(L("{\"status\":\"ok\",\"status\":\"evil\"}"), &h, err,
	    sizeof err) == NJSON_ERR_SYNTAX);
	T_CHECK(h == NULL);
}

static void
embedded_nul_is_refused(void)
{
	struct net_health *h = NULL;

	T_CHECK(net_decode_health("{\"status\":\"o\0k\"}", 16, &h, err, sizeof err) ==
	    NJSON_ERR_SYNTAX);
	T_CHECK(net_decode_health(L("{\"status\":\"o\\u0000k\"}"), &h, err, sizeof err) ==
	    NJSON_ERR_SYNTAX);
}

static void
root_array_is_refused(void)
{
	struct net_health *h = NULL;

	T_CHECK(net_decode_health(L("[1]"), &h, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "health: is not a JSON object");
}

static void
empty_body_is_refused(void)
{
	struct net_health *h = NULL;

	T_CHECK(net_decode_health("", 0, &h, err, sizeof err) == NJSON_ERR_SYNTAX);
}

static void
chart_decodes_with_gate(void)
{
	struct net_chart *c = NULL;

	T_CHECK(net_decode_chart(L(chart_ok), &c, err, sizeof err) == NJSON_OK);
	if (c) {
		T_CHECK(c->n_sections == 2);
		T_CHECK(c->sections[0].gated == NET_GATE_NONE);
		T_CHECK(c->sections[1].gated == NET_GATE_STEP_UP);
		T_CHECK(c->sections[1].n_items == 0);
		T_STREQ(c->sections[0].items[0].value, "rash");
		T_STREQ(c->patient.flags[0], "VIP");
		T_STREQ(c->access.path, "care-team");
		T_CHECK(c->access.expires_at == NULL);
	}
	net_chart_free(&c);
}

static void
chart_unknown_gate_is_refused(void)
{
	struct net_chart *c = NULL;
	const char *j = "{\"patient\":{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"n\"},"
	    "\"access\":{\"path\":\"care-team\"},\"sections\":[{\"id\":\"s\",\"title\":\"t\","
	    "\"confidentiality\":\"N\",\"gated\":\"open_sesame\"}]}";

	T_CHECK(net_decode_chart(L(j), &c, err, sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "chart: sections[0].gated is neither null nor \"step_up\"");
}

static void
chart_item_value_object_is_refused(void)
{
	struct net_chart *c = NULL;
	const char *j = "{\"patient\":{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"n\"},"
	    "\"access\":{\"path\":\"care-team\"},\"sections\":[{\"id\":\"s\",\"title\":\"t\","
	    "\"confidentiality\":\"N\",\"items\":[{\"label\":\"l\",\"value\":{\"a\":1}}]}]}";

	T_CHECK(net_decode_chart(L(j), &c, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "chart: sections[0].items[0].value is not a string");
}

static void
chart_sensitivity_entry_wrong_type(void)
{
	struct net_chart *c = NULL;
	const char *j = "{\"patient\":{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"n\"},"
	    "\"access\":{\"path\":\"care-team\"},\"sections\":[{\"id\":\"s\",\"title\":\"t\","
	    "\"confidentiality\":\"N\",\"sensitivity\":[\"MH\",7]}]}";

	T_CHECK(net_decode_chart(L(j), &c, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "chart: sections[0].sensitivity[1] is not a string");
}

static void
chart_item_text_cap_is_64k(void)
{
	struct net_chart *c = NULL;
	size_t big = NET_CAP_TEXT;
	char *j = malloc(big + 512);
	int n = sprintf(j, "{\"patient\":{\"id\":\"p\",\"mrn\":\"m\",\"display_name\":\"n\"},"
	    "\"access\":{\"path\":\"care-team\"},\"sections\":[{\"id\":\"s\",\"title\":\"t\","
	    "\"confidentiality\":\"N\",\"items\":[{\"label\":\"l\",\"value\":\"");

	memset(j + n, 'x', big);
	n += (int)big;
	n += sprintf(j + n, "\"}]}]}");
	T_CHECK(net_decode_chart(j, (size_t)n, &c, err, sizeof err) == NJSON_OK);
	net_chart_free(&c);
	/* One byte more is refused. */
	memmove(j + n - 6 + 1, j + n - 6, 6);
	j[n - 6] = 'x';
	T_CHECK(net_decode_chart(j, (size_t)n + 1, &c, err, sizeof err) == NJSON_ERR_RANGE);
	free(j);
}

static void
session_decodes_token(void)
{
	struct net_session *s = NULL;

	T_CHECK(net_decode_session(L(session_ok), &s, err, sizeof err) == NJSON_OK);
	if (s) {
		T_STREQ(s->token, "tok-abc");
		T_CHECK(s->token_len == 7);
		T_CHECK(!s->resumed);
		T_STREQ(s->user.roles[0], "physician");
	}
	net_session_free(&s);
	T_CHECK(s == NULL);
}

static void
session_roles_not_array(void)
{
	struct net_session *s = NULL;
	const char *j = "{\"token\":\"t\",\"session_id\":\"s\",\"expires_at\":\"e\",\"resumed\":true,"
	    "\"user\":{\"id\":\"u\",\"display_name\":\"d\",\"roles\":\"admin\"}}";

	T_CHECK(net_decode_session(L(j), &s, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "session: user.roles is not an array");
}

static void
session_resumed_must_be_bool(void)
{
	struct net_session *s = NULL;
	const char *j = "{\"token\":\"t\",\"session_id\":\"s\",\"expires_at\":\"e\",\"resumed\":1,"
	    "\"user\":{\"id\":\"u\",\"display_name\":\"d\",\"roles\":[]}}";

	T_CHECK(net_decode_session(L(j), &s, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "session: resumed is not true or false");
}

/* session_ok with "more" spliced in before its last brace. */
static void
session_with(char *buf, size_t size, const char *more)
{
	snprintf(buf, size, "%.*s,%s}", (int)strlen(session_ok) - 1, session_ok, more);
}

static void
session_carries_me_and_worklist(void)
{
	struct net_session *s = NULL;
	char j[2048], more[1024];

	snprintf(more, sizeof more, "\"me\":{\"user\":{\"id\":\"u1\",\"display_name\":\"Dr A\","
	    "\"roles\":[\"physician\"]},\"session\":{\"id\":\"s1\",\"workstation\":\"w\","
	    "\"created_at\":\"c\",\"expires_at\":\"e\",\"idle_expires_at\":\"i\"},"
	    "\"purposes\":[{\"code\":\"TREAT\",\"display\":\"Treatment\"}]},\"worklist\":%s",
	    worklist_ok);
	session_with(j, sizeof j, more);
	T_CHECK(net_decode_session(L(j), &s, err, sizeof err) == NJSON_OK);
	if (s) {
		T_CHECK(s->me != NULL && s->me->n_purposes == 1);
		T_CHECK(s->worklist != NULL && s->worklist->n_patients == 2);
		if (s->worklist)
			T_STREQ(s->worklist->patients[1].display_name, "Roe, Rich");
	}
	net_session_free(&s);
	/* Without them, neither is there. */
	T_CHECK(net_decode_session(L(session_ok), &s, err, sizeof err) == NJSON_OK);
	T_CHECK(s && s->me == NULL && s->worklist == NULL);
	net_session_free(&s);
}

static void
session_bad_included_worklist_is_refused(void)
{
	struct net_session *s = NULL;
	char j[1024];

	/* An included worklist is as strict as GET /v1/worklist's, and the error says where. */
	session_with(j, sizeof j, "\"worklist\":{\"patients\":[]}");
	T_CHECK(net_decode_session(L(j), &s, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "session: worklist.next_cursor is missing");
	T_CHECK(s == NULL);
	session_with(j, sizeof j, "\"me\":[]");
	T_CHECK(net_decode_session(L(j), &s, err, sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(s == NULL);
}

static void
challenge_decodes_and_checks_range(void)
{
	struct net_challenge *c = NULL;
	const char *ok = "{\"challenge_id\":\"c1\",\"challenge\":\"AAAA\",\"rp_id\":\"chartgate\","
	    "\"user_verification\":\"discouraged\",\"expires_in\":60}";
	const char *bad = "{\"challenge_id\":\"c1\",\"challenge\":\"AAAA\",\"rp_id\":\"chartgate\","
	    "\"user_verification\":\"discouraged\",\"expires_in\":60.5}";

	T_CHECK(net_decode_challenge(L(ok), &c, err, sizeof err) == NJSON_OK);
	T_CHECK(c && c->expires_in == 60);
	net_challenge_free(&c);
	T_CHECK(net_decode_challenge(L(bad), &c, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "challenge: expires_in is not an integer");
}

static void
me_decodes_purposes(void)
{
	struct net_me *m = NULL;
	const char *j = "{\"user\":{\"id\":\"u\",\"display_name\":\"d\",\"roles\":[\"nurse\"]},"
	    "\"session\":{\"id\":\"s\",\"workstation\":\"cart-1\",\"created_at\":\"a\","
	    "\"expires_at\":\"b\",\"idle_expires_at\":\"c\"},"
	    "\"purposes\":[{\"code\":\"TREAT\",\"display\":\"Treatment\"}]}";

	T_CHECK(net_decode_me(L(j), &m, err, sizeof err) == NJSON_OK);
	T_CHECK(m && m->n_purposes == 1);
	if (m && m->n_purposes == 1)
		T_STREQ(m->purposes[0].display, "Treatment");
	net_me_free(&m);
}

static void
error_body_decodes(void)
{
	struct net_error_body *e = NULL;
	const char *j = "{\"error\":{\"code\":\"no_relationship\",\"message\":\"No care relationship\"},"
	    "\"break_glass_allowed\":true}";

	T_CHECK(net_decode_error(L(j), &e, err, sizeof err) == NJSON_OK);
	T_CHECK(e && e->break_glass_allowed && e->rule == NULL);
	if (e)
		T_STREQ(e->code, "no_relationship");
	net_error_body_free(&e);
}

static void
www_authenticate_step_up_is_recognised(void)
{
	long age = 0;

	T_CHECK(api_www_auth_step_up("Bearer error=\"insufficient_user_authentication\", max_age=300", &age));
	T_CHECK(age == 300);
	T_CHECK(!api_www_auth_step_up("Bearer error=\"invalid_token\"", &age));
	T_CHECK(age == -1);
	T_CHECK(!api_www_auth_step_up(NULL, &age));
	T_CHECK(!api_www_auth_step_up("Bearer realm=\"insufficient_user_authentication\"", &age));
}

static void
percent_encoding_is_strict(void)
{
	char out[64];

	T_CHECK(api_pct_encode("a b/c?d&e=f%\xc3\xa9~", out, sizeof out) > 0);
	T_STREQ(out, "a%20b%2Fc%3Fd%26e%3Df%25%C3%A9~");
	T_CHECK(api_pct_encode("abcdef", out, 4) == -1);
}

int
main(void)
{
	T_RUN(worklist_decodes);
	T_RUN(worklist_wrong_type_names_field);
	T_RUN(worklist_missing_field_names_field);
	T_RUN(worklist_null_where_string_expected);
	T_RUN(worklist_without_next_cursor_is_refused);
	T_RUN(worklist_patient_not_object);
	T_RUN(huge_array_is_refused);
	T_RUN(huge_string_is_refused);
	T_RUN(deep_nesting_is_refused_before_parsing);
	T_RUN(brackets_inside_strings_do_not_count_as_depth);
	T_RUN(trailing_garbage_is_refused);
	T_RUN(duplicate_keys_are_refused);
	T_RUN(embedded_nul_is_refused);
	T_RUN(root_array_is_refused);
	T_RUN(empty_body_is_refused);
	T_RUN(chart_decodes_with_gate);
	T_RUN(chart_unknown_gate_is_refused);
	T_RUN(chart_item_value_object_is_refused);
	T_RUN(chart_sensitivity_entry_wrong_type);
	T_RUN(chart_item_text_cap_is_64k);
	T_RUN(session_decodes_token);
	T_RUN(session_roles_not_array);
	T_RUN(session_resumed_must_be_bool);
	T_RUN(session_carries_me_and_worklist);
	T_RUN(session_bad_included_worklist_is_refused);
	T_RUN(challenge_decodes_and_checks_range);
	T_RUN(me_decodes_purposes);
	T_RUN(error_body_decodes);
	T_RUN(www_authenticate_step_up_is_recognised);
	T_RUN(percent_encoding_is_strict);
	T_EXIT();
}
