/* Unit tests for net/decode_helpdesk: every helpdesk shape decodes strictly, errors name the field, frees are clean. */
#include <stdlib.h>
#include <string.h>

#include "net/decode_helpdesk.h"
#include "net/json.h"
#include "tests/t.h"

#define L(s) s, strlen(s)

static char err[512];

static const char users_ok[] =
    "{\"users\":[{\"id\":\"u-nurse-ana\",\"user_name\":\"ana.ortiz\",\"display_name\":\"Ana Ortiz\","
    "\"roles\":[\"nurse\"],\"disabled\":false,\"locked\":true,\"authenticator_count\":2}],"
    "\"next_cursor\":null}";

static const char sessions_ok[] =
    "{\"sessions\":[{\"id\":\"s-1\",\"user\":{\"id\":\"u-nurse-ben\",\"display_name\":\"Ben Okafor\"},"
    "\"workstation\":\"cart-4w-01\",\"unit\":\"4W Medicine\",\"state\":\"active\","
    "\"started\":\"2030-01-01T08:00:00Z\",\"last_seen\":\"2030-01-01T08:05:00Z\","
    "\"expires_at\":\"2030-01-01T20:00:00Z\",\"idle_expires_at\":\"2030-01-01T08:20:00Z\"},"
    "{\"id\":\"s-2\",\"user\":{\"id\":\"u-x\",\"display_name\":\"X\"},\"workstation\":\"zz\","
    "\"unit\":null,\"state\":\"suspended\",\"started\":\"a\",\"last_seen\":\"b\",\"expires_at\":\"c\"}],"
    "\"next_cursor\":null}";

static const char authn_ok[] =
    "{\"user_id\":\"u-nurse-dev\",\"authenticators\":[{\"id\":\"Y3JlZA\",\"aaguid\":null,"
    "\"created_at\":\"2030-01-01T00:00:00Z\",\"last_used_at\":null,\"sign_count\":3,"
    "\"revoked_at\":null,\"locked\":false},{\"id\":\"Y3JlZB\",\"aaguid\":\"63686172-7467-6174-6520-736f66746b79\","
    "\"created_at\":\"2030-01-02T00:00:00Z\",\"last_used_at\":\"2030-01-03T00:00:00Z\",\"sign_count\":0,"
    "\"revoked_at\":\"2030-01-04T00:00:00Z\",\"locked\":true}]}";

static const char challenge_ok[] =
    "{\"challenge_id\":\"ec-0123\",\"challenge\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\","
    "\"rp_id\":\"chartgate.local\",\"user\":{\"id\":\"dS1udXJzZS1kZXY\",\"name\":\"dev.patel\","
    "\"display_name\":\"Dev Patel\"},\"user_verification\":\"required\",\"expires_in\":300}";

static void
users_decode(void)
{
	struct net_hd_users *u = NULL;

	T_CHECK(net_decode_hd_users(L(users_ok), &u, err, sizeof err) == NJSON_OK);
	T_CHECK(u != NULL && u->n_users == 1);
	if (u != NULL && u->n_users == 1) {
		T_STREQ(u->users[0].user_name, "ana.ortiz");
		T_CHECK(u->users[0].n_roles == 1);
		T_STREQ(u->users[0].roles[0], "nurse");
		T_CHECK(u->users[0].locked && !u->users[0].disabled);
		T_CHECK(u->users[0].authenticator_count == 2);
	}
	net_hd_users_free(&u);
	T_CHECK(u == NULL);
}

static void
users_empty_list_decodes(void)
{
	struct net_hd_users *u = NULL;

	T_CHECK(net_decode_hd_users(L("{\"users\":[],\"next_cursor\":null}"), &u, err, sizeof err) == NJSON_OK);
	T_CHECK(u != NULL && u->n_users == 0);
	net_hd_users_free(&u);
}

static void
users_wrong_type_names_the_field(void)
{
	struct net_hd_users *u = NULL;
	const char *j = "{\"users\":[{\"id\":\"a\",\"user_name\":\"b\",\"display_name\":\"c\",\"roles\":[],"
	    "\"disabled\":false,\"locked\":\"no\",\"authenticator_count\":0}]}";

	T_CHECK(net_decode_hd_users(L(j), &u, err, sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(u == NULL);
	T_CHECK(strstr(err, "users[0]") != NULL && strstr(err, "locked") != NULL);
}

static void
sessions_decode_with_nested_user_and_null_unit(void)
{
	struct net_hd_sessions *s = NULL;

	T_CHECK(net_decode_hd_sessions(L(sessions_ok), &s, err, sizeof err) == NJSON_OK);
	T_CHECK(s != NULL && s->n_sessions == 2);
	if (s != NULL && s->n_sessions == 2) {
		T_STREQ(s->sessions[0].user_id, "u-nurse-ben");
		T_STREQ(s->sessions[0].user_display_name, "Ben Okafor");
		T_STREQ(s->sessions[0].unit, "4W Medicine");
		T_STREQ(s->sessions[0].state, "active");
		T_CHECK(s->sessions[1].unit == NULL && s->sessions[1].idle_expires_at == NULL);
	}
	net_hd_sessions_free(&s);
}

static void
session_without_user_names_the_field(void)
{
	struct net_hd_sessions *s = NULL;
	const char *j = "{\"sessions\":[{\"id\":\"s\",\"user\":{\"id\":\"u\"},\"workstation\":\"w\","
	    "\"state\":\"active\",\"started\":\"a\",\"last_seen\":\"b\",\"expires_at\":\"c\"}]}";

	T_CHECK(net_decode_hd_sessions(L(j), &s, err, sizeof err) == NJSON_ERR_MISSING);
	T_CHECK(s == NULL && strstr(err, "sessions[0].user") != NULL);
}

static void
authenticators_decode_with_nulls(void)
{
	struct net_hd_authenticators *a = NULL;

	T_CHECK(net_decode_hd_authenticators(L(authn_ok), &a, err, sizeof err) == NJSON_OK);
	T_CHECK(a != NULL && a->n_authenticators == 2);
	if (a != NULL && a->n_authenticators == 2) {
		T_STREQ(a->user_id, "u-nurse-dev");
		T_CHECK(a->authenticators[0].aaguid == NULL && a->authenticators[0].last_used_at == NULL);
		T_CHECK(a->authenticators[0].sign_count == 3 && !a->authenticators[0].locked);
		T_STREQ(a->authenticators[1].revoked_at, "2030-01-04T00:00:00Z");
		T_CHECK(a->authenticators[1].locked);
	}
	net_hd_authenticators_free(&a);
}

static void
negative_sign_count_is_out_of_range(void)
{
	struct net_hd_authenticators *a = NULL;
	const char *j = "{\"user_id\":\"u\",\"authenticators\":[{\"id\":\"x\",\"sign_count\":-1,\"locked\":false}]}";

	T_CHECK(net_decode_hd_authenticators(L(j), &a, err, sizeof err) == NJSON_ERR_RANGE);
	T_CHECK(a == NULL && strstr(err, "sign_count") != NULL);
}

static void
enrol_challenge_decodes(void)
{
	struct net_hd_enrol_challenge *c = NULL;

	T_CHECK(net_decode_hd_enrol_challenge(L(challenge_ok), &c, err, sizeof err) == NJSON_OK);
	T_CHECK(c != NULL);
	if (c != NULL) {
		T_STREQ(c->challenge_id, "ec-0123");
		T_STREQ(c->rp_id, "chartgate.local");
		T_STREQ(c->user_handle, "dS1udXJzZS1kZXY");
		T_STREQ(c->user_name, "dev.patel");
		T_STREQ(c->user_display_name, "Dev Patel");
		T_CHECK(c->expires_in == 300);
	}
	net_hd_enrol_challenge_free(&c);
}

static void
enrolled_and_unlocked_decode(void)
{
	struct net_hd_enrolled *e = NULL;
	struct net_hd_unlocked *u = NULL;

	T_CHECK(net_decode_hd_enrolled(L("{\"id\":\"Y3Jl\",\"aaguid\":\"6368\",\"user_id\":\"u-nurse-dev\"}"),
	    &e, err, sizeof err) == NJSON_OK);
	T_CHECK(e != NULL && strcmp(e->user_id, "u-nurse-dev") == 0);
	net_hd_enrolled_free(&e);
	T_CHECK(net_decode_hd_unlocked(L("{\"unlocked\":1}"), &u, err, sizeof err) == NJSON_OK);
	T_CHECK(u != NULL && u->unlocked == 1);
	net_hd_unlocked_free(&u);
	T_CHECK(net_decode_hd_unlocked(L("{\"unlocked\":\"1\"}"), &u, err, sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(u == NULL);
}

static void
garbage_and_truncation_never_crash(void)
{
	struct net_hd_sessions *s = NULL;
	size_t n;

	T_CHECK(net_decode_hd_sessions(L("[]"), &s, err, sizeof err) != NJSON_OK);
	T_CHECK(net_decode_hd_sessions(L("{\"sessions\":{}}"), &s, err, sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(net_decode_hd_sessions(L("{\"sessions\":[1]}"), &s, err, sizeof err) == NJSON_ERR_TYPE);
	for (n = 0; n < strlen(sessions_ok); n += 7) {
		T_CHECK(net_decode_hd_sessions(sessions_ok, n, &s, err, sizeof err) != NJSON_OK);
		T_CHECK(s == NULL);
	}
	T_CHECK(net_decode_hd_users(L(users_ok), NULL, err, sizeof err) == NJSON_ERR_ARG);
	net_hd_sessions_free(NULL);
}

int
main(void)
{
	T_RUN(users_decode);
	T_RUN(users_empty_list_decodes);
	T_RUN(users_wrong_type_names_the_field);
	T_RUN(sessions_decode_with_nested_user_and_null_unit);
	T_RUN(session_without_user_names_the_field);
	T_RUN(authenticators_decode_with_nulls);
	T_RUN(negative_sign_count_is_out_of_range);
	T_RUN(enrol_challenge_decodes);
	T_RUN(enrolled_and_unlocked_decode);
	T_RUN(garbage_and_truncation_never_crash);
	T_EXIT();
}
