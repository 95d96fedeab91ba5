/* Benchmark samples: a monotonic clock, percentiles and one JSON line per figure. */
#include "tests/bench/stats.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

double
bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
bench_sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1e3), (long)(fmod(ms, 1e3) * 1e6) };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
samples_add(struct samples *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		double *nv = realloc(s->v, cap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
samples_pct(struct samples *s, double p)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	qsort(s->v, s->n, sizeof(s->v[0]), cmp_double);
	rank = (size_t)ceil(p / 100.0 * (double)s->n);
	return s->v[rank > 0 ? rank - 1 : 0];
}

double
samples_mean(const struct samples *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return s->n ? sum / (double)s->n : 0;
}

void
samples_free(struct samples *s)
{
	free(s->v);
	*s = (struct samples){ 0 };
}

/* The samples go out in the order taken (before the percentiles sort them), so that
 * bench.sh can pool the blocks of one figure and rank them together. */
void
samples_json(FILE *f, const char *name, const char *unit, struct samples *s)
{
	size_t i;

	fprintf(f, "{\"name\":\"%s\",\"unit\":\"%s\",\"samples\":[", name, unit);
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%.3f", i ? "," : "", s->v[i]);
	fprintf(f, "],\"n\":%zu,", s->n);
	fprintf(f, "\"p50\":%.3f,", samples_pct(s, 50));
	fprintf(f, "\"p95\":%.3f,", samples_pct(s, 95));
	fprintf(f, "\"p99\":%.3f,", samples_pct(s, 99));
	fprintf(f, "\"mean\":%.3f,", samples_mean(s));
	fprintf(f, "\"max\":%.3f}\n", samples_pct(s, 100));
	fflush(f);
}

void
value_json(FILE *f, const char *name, const char *unit, double value)
{
	fprintf(f, "{\"name\":\"%s\",\"unit\":\"%s\",\"value\":%.3f}\n", name, unit, value);
	fflush(f);
}
