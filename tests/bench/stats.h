/* Benchmark samples: a monotonic clock, percentiles and one JSON line per figure. */
#ifndef CHARTGATE_BENCH_STATS_H
#define CHARTGATE_BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

struct samples {
	double *v;
	size_t n, cap;
};

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);
void bench_sleep_ms(double ms);

int samples_add(struct samples *s, double v);
/* Nearest-rank percentile (0 < p <= 100); sorts s. 0 when empty. */
double samples_pct(struct samples *s, double p);
double samples_mean(const struct samples *s);
void samples_free(struct samples *s);

/* {"name":..,"unit":..,"n":..,"p50":..,"p95":..,"p99":..,"mean":..,"max":..} and a newline. */
void samples_json(FILE *f, const char *name, const char *unit, struct samples *s);
/* {"name":..,"unit":..,"value":..} and a newline, for figures that are one number. */
void value_json(FILE *f, const char *name, const char *unit, double value);

#endif
