/* The one poll() loop: gathers every source's fds, sleeps until the nearest deadline. */
#include "loop.h"

#include <errno.h>
#include <time.h>

int
loop_add(struct loop *l, const struct loop_source *s)
{
	if (l == NULL || s == NULL || l->nsrc >= LOOP_MAX_SOURCES)
		return -1;
	l->src[l->nsrc++] = *s;
	return 0;
}

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int
loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd fds[LOOP_MAX_FDS];
	size_t first[LOOP_MAX_SOURCES], count[LOOP_MAX_SOURCES];
	size_t i, n = 0;
	int timeout = max_wait_ms;

	for (i = 0; i < l->nsrc; i++) {
		const struct loop_source *s = &l->src[i];
		first[i] = n;
		count[i] = s->fds ? s->fds(s->arg, fds + n, LOOP_MAX_FDS - n) : 0;
		n += count[i];
		if (s->timeout)
			timeout = min_timeout(timeout, s->timeout(s->arg));
	}
	if (poll(fds, n, timeout) < 0 && errno != EINTR)
		return -1;
	/* Every source is dispatched each pass: timers fire even without fd events. */
	for (i = 0; i < l->nsrc; i++) {
		const struct loop_source *s = &l->src[i];
		if (s->dispatch)
			s->dispatch(s->arg, fds + first[i], count[i]);
	}
	return 0;
}

long long
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
