/* The one poll() loop: every input (keys, sockets, wake pipes, timers) is a source. */
#ifndef CHARTGATE_LOOP_H
#define CHARTGATE_LOOP_H

#include <poll.h>
#include <stddef.h>

#define LOOP_MAX_SOURCES 8
#define LOOP_MAX_FDS 64

/* A source says which fds it waits on and how long it may sleep, and is
 * handed back the poll results. Any callback may be NULL. */
struct loop_source {
	size_t (*fds)(void *arg, struct pollfd *fds, size_t max);
	int (*timeout)(void *arg);	/* ms until it needs a call; -1 = none */
	void (*dispatch)(void *arg, const struct pollfd *fds, size_t n);
	void *arg;
};

struct loop {
	struct loop_source src[LOOP_MAX_SOURCES];
	size_t nsrc;
};

int loop_add(struct loop *, const struct loop_source *);
/* Waits at most max_wait_ms (-1: as long as the sources allow) and dispatches.
 * Returns 0, or -1 when poll failed for a reason other than a signal. */
int loop_run_once(struct loop *, int max_wait_ms);

/* Milliseconds on CLOCK_MONOTONIC; the clock for every deadline. */
long long loop_now_ms(void);

#endif
