/* Unit tests for net/decode_review: every reviewer desk shape decodes strictly, names the bad field, and refuses huge input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/decode.h"
#include "net/decode_review.h"
#include "net/json.h"
#include "tests/t.h"

#define L(s) s, strlen(s)

static char err[512];

#define EVENT(id, extra) \
    "{\"id\":\"" id "\",\"user\":{\"id\":\"u-nurse-ana\",\"display_name\":\"Ana Ortiz\"}," \
    "\"patient\":{\"id\":\"p-0002\",\"display_name\":\"Doe, Jane\",\"mrn\":\"MRN1\"}," \
    "\"reason_code\":\"OVRER\",\"justification\":\"Collapsed in the corridor\"," \
    "\"created_at\":\"2026-11-23T16:00:00Z\",\"expires_at\":\"2026-11-23T16:30:00Z\"," \
    "\"unit\":\"4W\",\"risk_score\":87,\"risk_factors\":[{\"code\":\"after_hours\"," \
    "\"text\":\"Outside the user's shifts\",\"weight\":30}],\"status\":\"open\"," \
    "\"claimable\":true" extra "}"

static const char list_ok[] = "{\"events\":[" EVENT("bg-1", ",\"assignee\":null") ","
    EVENT("bg-2", ",\"assignee\":{\"id\":\"u-priv-iris\",\"display_name\":\"Iris\"}") "],"
    "\"next_cursor\":\"c2\",\"total\":100000}";

static const char detail_ok[] = "{\"id\":\"bg-1\",\"user\":{\"id\":\"u\",\"display_name\":\"U\"},"
    "\"patient\":{\"id\":\"p\",\"display_name\":\"P\",\"mrn\":\"M\"},\"reason_code\":\"OVRPJ\","
    "\"justification\":\"j\",\"created_at\":\"t\",\"expires_at\":\"t\",\"unit\":null,"
    "\"risk_score\":12.5,\"risk_factors\":[],\"status\":\"closed\",\"assignee\":null,"
    "\"claimable\":false,\"accesses\":[{\"time\":\"t\",\"kind\":\"chart\",\"sections\":[\"s1\"],"
    "\"purpose\":\"BTG\",\"decision\":\"permit\",\"path\":\"break-glass:bg-1\","
    "\"workstation\":\"cart-4w-01\",\"request_id\":\"req-1\"}],\"prior_decisions\":["
    "{\"event_id\":\"bg-0\",\"created_at\":\"t\",\"decision\":\"appropriate\",\"note\":\"ok\","
    "\"reviewer\":\"Jonas Berg\"}],\"decision\":{\"decision\":\"needs_followup\","
    "\"note\":\"ask the ward\",\"reviewer\":\"Iris Kowalski\",\"decided_at\":\"t\"}}";

static const char exceptions_ok[] = "{\"exceptions\":[{\"id\":\"x1\",\"kind\":\"integration\","
    "\"subject\":{\"id\":\"svc-lab\",\"display_name\":\"Lab feed\"},\"subject_kind\":\"service\","
    "\"scope\":\"results:write\",\"patient\":null,\"unit\":\"ICU\",\"created_at\":\"t\","
    "\"expires_at\":null,\"task\":{\"id\":\"t1\",\"kind\":\"transfer\",\"status\":\"completed\"},"
    "\"flags\":[\"stale\"],\"flag_texts\":[\"Its task ended 12 days ago\"]}],\"next_cursor\":null}";

static const char audit_ok[] = "{\"rows\":[{\"seq\":7,\"time\":\"t\",\"user\":\"u-nurse-ana\","
    "\"workstation\":\"cart-4w-01\",\"patient\":\"p-0001\",\"sections\":[\"mh\"],\"purpose\":\"TREAT\","
    "\"decision\":\"permit\",\"path\":\"care-team\",\"kind\":\"chart\",\"rule\":\"care-team\","
    "\"request_id\":\"req-1\",\"hash\":\"ab\"},{\"seq\":8,\"time\":\"t\",\"user\":null,"
    "\"workstation\":null,\"patient\":null,\"sections\":[],\"purpose\":null,\"decision\":\"deny\","
    "\"path\":null,\"kind\":\"tap-in\",\"rule\":\"signature\",\"request_id\":\"req-2\","
    "\"hash\":\"cd\"}],\"next_cursor\":\"n\"}";

/* doc with the first occurrence of from replaced by to (heap). */
static char *
subst(const char *doc, const char *from, const char *to)
{
	const char *p = strstr(doc, from);
	size_t n = strlen(doc) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	if (p == NULL || out == NULL) {
		free(out);
		return NULL;
	}
	snprintf(out, n, "%.*s%s%s", (int)(p - doc), doc, to, p + strlen(from));
	return out;
}

static int
list_rc(const char *doc)
{
	struct net_review_list *l = NULL;
	int rc = net_decode_review_list(L(doc), &l, err, sizeof err);

	T_CHECK((rc == NJSON_OK) == (l != NULL));
	net_review_list_free(&l);
	return rc;
}

/* list_ok with from -> to must fail with rc and the message. */
static void
list_bad(const char *from, const char *to, int rc, const char *msg)
{
	char *doc = subst(list_ok, from, to);

	T_CHECK(doc != NULL);
	if (doc == NULL)
		return;
	T_CHECK(list_rc(doc) == rc);
	T_STREQ(err, msg);
	free(doc);
}

static void
queue_page_decodes(void)
{
	struct net_review_list *l = NULL;

	T_CHECK(net_decode_review_list(L(list_ok), &l, err, sizeof err) == NJSON_OK);
	T_CHECK(l != NULL && l->n_events == 2 && l->total == 100000);
	if (l == NULL || l->n_events != 2)
		return;
	T_STREQ(l->events[0].patient.mrn, "MRN1");
	T_CHECK(l->events[0].risk_score == 87 && l->events[0].n_risk_factors == 1);
	T_STREQ(l->events[0].risk_factors[0].text, "Outside the user's shifts");
	T_CHECK(l->events[0].status == NET_REVIEW_OPEN && l->events[0].claimable);
	T_CHECK(!l->events[0].has_assignee && l->events[1].has_assignee);
	T_STREQ(l->events[1].assignee.id, "u-priv-iris");
	T_STREQ(l->next_cursor, "c2");
	net_review_list_free(&l);
	T_CHECK(l == NULL);
}

static void
queue_wrong_types_name_the_field(void)
{
	list_bad("\"risk_score\":87", "\"risk_score\":\"87\"", NJSON_ERR_TYPE,
	    "review queue: events[0].risk_score is not a number");
	list_bad("\"claimable\":true", "\"claimable\":1", NJSON_ERR_TYPE,
	    "review queue: events[0].claimable is not true or false");
	list_bad("\"weight\":30", "\"weight\":[]", NJSON_ERR_TYPE,
	    "review queue: events[0].risk_factors[0].weight is not a number");
	list_bad("\"user\":{\"id\":\"u-nurse-ana\",\"display_name\":\"Ana Ortiz\"}", "\"user\":\"Ana\"",
	    NJSON_ERR_TYPE, "review queue: events[0].user is not an object");
}

static void
queue_missing_fields_name_the_field(void)
{
	list_bad(",\"mrn\":\"MRN1\"", "", NJSON_ERR_MISSING, "review queue: events[0].patient.mrn is missing");
	list_bad("\"assignee\":null", "\"x\":null", NJSON_ERR_MISSING,
	    "review queue: events[0].assignee is missing");
	list_bad(",\"total\":100000", "", NJSON_ERR_MISSING, "review queue: total is missing");
	list_bad("\"next_cursor\":\"c2\",", "", NJSON_ERR_MISSING, "review queue: next_cursor is missing");
}

static void
queue_unknown_status_is_refused(void)
{
	list_bad("\"status\":\"open\"", "\"status\":\"opened\"", NJSON_ERR_RANGE,
	    "review queue: events[0].status is not a known value");
}

static void
queue_huge_input_is_refused(void)
{
	size_t n = 1001, i, len = 64 + n * 3;
	char *doc = malloc(len), *big;
	int o;

	T_CHECK(doc != NULL);
	if (doc == NULL)
		return;
	o = snprintf(doc, len, "{\"events\":[");
	for (i = 0; i < n; i++)
		o += snprintf(doc + o, len - (size_t)o, "%s{}", i ? "," : "");
	snprintf(doc + o, len - (size_t)o, "],\"next_cursor\":null,\"total\":1}");
	T_CHECK(list_rc(doc) == NJSON_ERR_RANGE);
	T_STREQ(err, "review queue: events has more than 1000 entries");
	free(doc);
	/* A justification over its cap, and a document over the 1 MiB ceiling. */
	big = malloc(NET_CAP_TEXT + 16);
	T_CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, 'x', NET_CAP_TEXT + 1);
	big[NET_CAP_TEXT + 1] = '\0';
	doc = subst(list_ok, "Collapsed in the corridor", big);
	T_CHECK(doc != NULL && list_rc(doc) == NJSON_ERR_RANGE);
	free(doc);
	free(big);
	big = calloc(1, NJSON_MAX_DOC + 64);
	T_CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, ' ', NJSON_MAX_DOC + 16);
	memcpy(big, list_ok, strlen(list_ok));
	T_CHECK(list_rc(big) == NJSON_ERR_SIZE);
	free(big);
}

static void
detail_decodes_with_timeline_and_decision(void)
{
	struct net_review_detail *d = NULL;

	T_CHECK(net_decode_review_detail(L(detail_ok), &d, err, sizeof err) == NJSON_OK);
	T_CHECK(d != NULL);
	if (d == NULL)
		return;
	T_CHECK(d->event.status == NET_REVIEW_CLOSED && d->event.risk_score == 12.5);
	T_CHECK(d->event.unit == NULL && d->n_accesses == 1 && d->n_prior == 1);
	T_STREQ(d->accesses[0].path, "break-glass:bg-1");
	T_CHECK(d->accesses[0].n_sections == 1);
	T_STREQ(d->prior[0].reviewer, "Jonas Berg");
	T_CHECK(d->decision != NULL);
	if (d->decision)
		T_STREQ(d->decision->decision, "needs_followup");
	net_review_detail_free(&d);
}

static void
detail_null_decision_and_bad_decision(void)
{
	struct net_review_detail *d = NULL;
	char *doc = subst(detail_ok, "\"decision\":{\"decision\":\"needs_followup\","
	    "\"note\":\"ask the ward\",\"reviewer\":\"Iris Kowalski\",\"decided_at\":\"t\"}",
	    "\"decision\":null");

	T_CHECK(doc != NULL && net_decode_review_detail(L(doc), &d, err, sizeof err) == NJSON_OK);
	T_CHECK(d != NULL && d->decision == NULL);
	net_review_detail_free(&d);
	free(doc);
	doc = subst(detail_ok, "\"needs_followup\"", "\"maybe\"");
	T_CHECK(net_decode_review_detail(L(doc), &d, err, sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "review event: decision.decision is not a known value");
	free(doc);
	doc = subst(detail_ok, "\"sections\":[\"s1\"]", "\"sections\":\"s1\"");
	T_CHECK(net_decode_review_detail(L(doc), &d, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "review event: accesses[0].sections is not an array");
	T_CHECK(d == NULL);
	free(doc);
}

static void
exceptions_decode_and_check_kinds(void)
{
	struct net_exception_list *l = NULL;
	char *doc;

	T_CHECK(net_decode_exception_list(L(exceptions_ok), &l, err, sizeof err) == NJSON_OK);
	T_CHECK(l != NULL && l->n_exceptions == 1);
	if (l && l->n_exceptions == 1) {
		T_CHECK(!l->exceptions[0].has_patient && l->exceptions[0].has_task);
		T_CHECK(l->exceptions[0].expires_at == NULL);
		T_STREQ(l->exceptions[0].flag_texts[0], "Its task ended 12 days ago");
		T_STREQ(l->exceptions[0].task.status, "completed");
	}
	net_exception_list_free(&l);
	doc = subst(exceptions_ok, "\"integration\"", "\"robot\"");
	T_CHECK(net_decode_exception_list(L(doc), &l, err, sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "exceptions: exceptions[0].kind is not a known value");
	free(doc);
	doc = subst(exceptions_ok, "\"flags\":[\"stale\"],", "");
	T_CHECK(net_decode_exception_list(L(doc), &l, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "exceptions: exceptions[0].flags is missing");
	free(doc);
	doc = subst(exceptions_ok, "\"id\":\"t1\"", "\"id\":7");
	T_CHECK(net_decode_exception_list(L(doc), &l, err, sizeof err) == NJSON_ERR_TYPE);
	T_STREQ(err, "exceptions: exceptions[0].task.id is not a string");
	T_CHECK(l == NULL);
	free(doc);
}

static void
audit_rows_decode_with_nulls(void)
{
	struct net_audit_page *a = NULL;
	char *doc;

	T_CHECK(net_decode_audit_page(L(audit_ok), &a, err, sizeof err) == NJSON_OK);
	T_CHECK(a != NULL && a->n_rows == 2);
	if (a && a->n_rows == 2) {
		T_CHECK(a->rows[0].seq == 7 && a->rows[1].user == NULL);
		T_STREQ(a->rows[1].rule, "signature");
		T_STREQ(a->next_cursor, "n");
	}
	net_audit_page_free(&a);
	doc = subst(audit_ok, "\"seq\":7", "\"seq\":-7");
	T_CHECK(net_decode_audit_page(L(doc), &a, err, sizeof err) == NJSON_ERR_RANGE);
	free(doc);
	doc = subst(audit_ok, ",\"hash\":\"ab\"", "");
	T_CHECK(net_decode_audit_page(L(doc), &a, err, sizeof err) == NJSON_ERR_MISSING);
	T_STREQ(err, "audit: rows[0].hash is missing");
	free(doc);
	T_CHECK(net_decode_audit_page(L("{\"rows\":{},\"next_cursor\":null}"), &a, err,
	    sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(net_decode_audit_page(L("[]"), &a, err, sizeof err) != NJSON_OK);
}

static void
fhir_export_keeps_the_bytes_of_a_bundle(void)
{
	static const char b[] = "{\"resourceType\":\"Bundle\",\"type\":\"collection\","
	    "\"entry\":[{\"resource\":{\"resourceType\":\"AuditEvent\"}}]}";
	struct net_fhir_export *x = NULL;

	T_CHECK(net_decode_fhir_export(L(b), &x, err, sizeof err) == NJSON_OK);
	T_CHECK(x != NULL && x->len == strlen(b) && x->n_entries == 1);
	if (x)
		T_CHECK(memcmp(x->body, b, x->len) == 0);
	net_fhir_export_free(&x);
	T_CHECK(net_decode_fhir_export(L("{\"resourceType\":\"Patient\"}"), &x, err,
	    sizeof err) == NJSON_ERR_RANGE);
	T_STREQ(err, "FHIR export: resourceType is not \"Bundle\"");
	T_CHECK(net_decode_fhir_export(L("{\"resourceType\":\"Bundle\",\"entry\":5}"), &x, err,
	    sizeof err) == NJSON_ERR_TYPE);
	T_CHECK(net_decode_fhir_export(L("{\"resourceType\":\"Bundle\"} x"), &x, err,
	    sizeof err) == NJSON_ERR_SYNTAX);
	T_CHECK(x == NULL);
}

static void
every_decoder_survives_every_cut(void)
{
	const char *docs[] = { list_ok, detail_ok, exceptions_ok, audit_ok };
	size_t d, n;

	/* Each prefix of each document: an error, never a crash or a leak. */
	for (d = 0; d < sizeof docs / sizeof docs[0]; d++)
		for (n = 0; n < strlen(docs[d]); n++) {
			struct net_review_list *l = NULL;
			struct net_review_detail *e = NULL;
			struct net_exception_list *x = NULL;
			struct net_audit_page *a = NULL;

			T_CHECK(net_decode_review_list(docs[d], n, &l, err, sizeof err) != NJSON_OK);
			T_CHECK(net_decode_review_detail(docs[d], n, &e, err, sizeof err) != NJSON_OK);
			T_CHECK(net_decode_exception_list(docs[d], n, &x, err, sizeof err) != NJSON_OK);
			T_CHECK(net_decode_audit_page(docs[d], n, &a, err, sizeof err) != NJSON_OK);
		}
}

int
main(void)
{
	T_RUN(queue_page_decodes);
	T_RUN(queue_wrong_types_name_the_field);
	T_RUN(queue_missing_fields_name_the_field);
	T_RUN(queue_unknown_status_is_refused);
	T_RUN(queue_huge_input_is_refused);
	T_RUN(detail_decodes_with_timeline_and_decision);
	T_RUN(detail_null_decision_and_bad_decision);
	T_RUN(exceptions_decode_and_check_kinds);
	T_RUN(audit_rows_decode_with_nulls);
	T_RUN(fhir_export_keeps_the_bytes_of_a_bundle);
	T_RUN(every_decoder_survives_every_cut);
	T_EXIT();
}
