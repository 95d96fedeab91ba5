/* Break-glass risk factors: each is a test over the event's facts; the table gives weight and wording. */
#include "backend/risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Each test fills detail (what the text's {} becomes) and says whether the factor is present. */
typedef int (*risk_test)(const struct risk_rule *, const struct risk_facts *, char *detail, size_t);

static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

static int
same_surname(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "%s", f->user_family);
	return f->user_family[0] != '\0' && strcasecmp(f->user_family, f->patient_family) == 0;
}

static int
same_address(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "%s", f->user_address);
	return f->user_address[0] != '\0' && strcasecmp(f->user_address, f->patient_address) == 0;
}

static int
flag_vip(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "%s", has_word(f->patient_flags, "VIP") ? "VIP" : "CEL");
	return has_word(f->patient_flags, "VIP") || has_word(f->patient_flags, "CEL");
}

static int
flag_emp(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "EMP");
	return has_word(f->patient_flags, "EMP");
}

/* param "START-END" in UTC hours; the window may wrap midnight (20-7: 20:00 to 06:59). */
static int
after_hours(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	time_t t = (time_t)f->created_at;
	struct tm tm;
	int start = 20, end = 7;

	if (sscanf(r->param, "%d-%d", &start, &end) != 2 || start < 0 || start > 23 ||
	    end < 0 || end > 23 || gmtime_r(&t, &tm) == NULL)
		return 0;
	snprintf(d, n, "%02d:%02d", tm.tm_hour, tm.tm_min);
	return start <= end ? tm.tm_hour >= start && tm.tm_hour < end :
	    tm.tm_hour >= start || tm.tm_hour < end;
}

static int
repeated(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	int min = atoi(r->param);

	snprintf(d, n, "%d", f->others_24h);
	return f->others_24h >= (min > 0 ? min : 1);
}

static int
other_unit(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "workstation on %s, patient on %s",
	    f->ws_unit[0] ? f->ws_unit_name : "no known unit",
	    f->patient_unit[0] ? f->patient_unit_name : "no unit");
	return f->patient_unit[0] != '\0' && strcmp(f->ws_unit, f->patient_unit) != 0;
}

static int
unrelated_sections(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "%s", f->unrelated);
	return f->unrelated[0] != '\0';
}

static int
reused_justification(const struct risk_rule *r, const struct risk_facts *f, char *d, size_t n)
{
	(void)r;
	snprintf(d, n, "%s", f->reused_from);
	return f->reused_from[0] != '\0';
}

static const struct {
	const char *code;
	risk_test test;
} tests[] = {
	{ "same_surname", same_surname },
	{ "same_address", same_address },
	{ "flag_vip", flag_vip },
	{ "flag_emp", flag_emp },
	{ "after_hours", after_hours },
	{ "repeated", repeated },
	{ "other_unit", other_unit },
	{ "unrelated_sections", unrelated_sections },
	{ "reused_justification", reused_justification },
};

static risk_test
test_of(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(tests[i].code, code) == 0)
			return tests[i].test;
	return NULL;
}

int
risk_code_known(const char *code)
{
	return code != NULL && test_of(code) != NULL;
}

/* The table's text with its first "{}" replaced by detail. */
static void
wording(const char *text, const char *detail, char *out, size_t size)
{
	const char *hole = strstr(text, "{}");

	if (hole == NULL)
		snprintf(out, size, "%s", text);
	else
		snprintf(out, size, "%.*s%s%s", (int)(hole - text), text, detail, hole + 2);
}

int
risk_evaluate(const struct risk_rules *rules, const struct risk_facts *f, json_t **factors)
{
	char detail[160], text[400];
	int score = 0;
	size_t i;

	if ((*factors = json_array()) == NULL)
		return -1;
	for (i = 0; i < rules->n; i++) {
		const struct risk_rule *r = &rules->v[i];
		risk_test t = test_of(r->code);

		detail[0] = '\0';
		if (t == NULL || r->weight <= 0 || !t(r, f, detail, sizeof(detail)))
			continue;
		wording(r->text, detail, text, sizeof(text));
		if (json_array_append_new(*factors, json_pack("{s:s, s:s, s:i}", "code", r->code,
		    "text", text, "weight", r->weight)) != 0) {
			json_decref(*factors);
			*factors = NULL;
			return -1;
		}
		score += r->weight;
	}
	return score > 100 ? 100 : score;
}
