/* Softkey device: libfido2 custom I/O (open/close/read/write) feeding a CTAPHID authenticator thread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "auth/ctaphid.h"
#include "auth/softkey_int.h"

#define QCAP		256	/* frames; a 2048-byte message is 36 */
#define KEEPALIVE_MS	100
#define KEEPALIVE_UPNEEDED 2

struct frameq {
	uint8_t f[QCAP][CTAPHID_FRAME_LEN];
	size_t head, n;
};

struct sk_dev {
	struct sk_auth a;
	pthread_mutex_t mu;	/* guards everything below */
	pthread_cond_t cv;	/* any change of the queues or flags */
	pthread_t thr;
	struct frameq in, out;
	int stop, busy, cancel;
	uint32_t next_cid, cur_cid;
	/* libfido2 1.12 passes the same ms to every read while it skips
	 * KEEPALIVE frames, so a slow touch would never time out: after a
	 * keepalive, later reads keep the first read's deadline. */
	int ka_armed;
	struct timespec ka_end;
	struct ctaphid_rx rx;	/* thread only */
	char name[48];
	struct sk_dev *reg_next;
};

/* Devices created by softkey_dev_open and not yet claimed by io_open:
 * libfido2's open() gets only a path, so the path names the registration. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sk_dev *reg_head;
static unsigned long reg_serial;

static void
q_push(struct frameq *q, const uint8_t *f)
{
	memcpy(q->f[(q->head + q->n) % QCAP], f, CTAPHID_FRAME_LEN);
	q->n++;
}

static void
q_pop(struct frameq *q, uint8_t *f)
{
	memcpy(f, q->f[q->head], CTAPHID_FRAME_LEN);
	q->head = (q->head + 1) % QCAP;
	q->n--;
}

static void
deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Queue a whole message for the host; waits while the host is slow to read. Lock held. */
static void
send_locked(struct sk_dev *d, uint32_t cid, uint8_t cmd, const uint8_t *msg, size_t len)
{
	uint8_t fr[CTAPHID_MAX_FRAMES][CTAPHID_FRAME_LEN];
	size_t used = 0, i;

	if (ctaphid_fragment(cid, cmd, msg, len, fr, CTAPHID_MAX_FRAMES, &used) != CTAPHID_OK)
		return;
	for (i = 0; i < used && !d->stop; i++) {
		while (d->out.n == QCAP && !d->stop)
			pthread_cond_wait(&d->cv, &d->mu);
		if (!d->stop)
			q_push(&d->out, fr[i]);
	}
	pthread_cond_broadcast(&d->cv);
}

static void
send_error(struct sk_dev *d, uint32_t cid, uint8_t code)
{
	pthread_mutex_lock(&d->mu);
	send_locked(d, cid, CTAPHID_ERROR, &code, 1);
	pthread_mutex_unlock(&d->mu);
}

/* User presence: the simulated touch takes softkey_set_touch_delay ms,
 * with KEEPALIVE frames meanwhile; CTAPHID_CANCEL or close ends it. */
static int
dev_wait_touch(void *ctx)
{
	struct sk_dev *d = ctx;
	struct timespec end, now, next;
	uint8_t ka = KEEPALIVE_UPNEEDED;
	int ms, st = CTAP2_OK;

	sk_lock(d->a.sk);
	ms = d->a.sk->touch_ms;
	sk_unlock(d->a.sk);
	deadline_in(&end, ms);
	pthread_mutex_lock(&d->mu);
	for (;;) {
		if (d->cancel || d->stop) {
			st = CTAP2_ERR_KEEPALIVE_CANCEL;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!ts_before(&now, &end))
			break;
		if (d->out.n < QCAP / 2)
			send_locked(d, d->cur_cid, CTAPHID_KEEPALIVE, &ka, 1);
		deadline_in(&next, KEEPALIVE_MS);
		if (ts_before(&end, &next))
			next = end;
		pthread_cond_timedwait(&d->cv, &d->mu, &next);
	}
	pthread_mutex_unlock(&d->mu);
	return st;
}

static void
handle_message(struct sk_dev *d, uint32_t cid, uint8_t cmd, const uint8_t *data, size_t len)
{
	uint8_t *ans = NULL, init[17];
	size_t anslen = 0;
	uint32_t ncid;

	switch (cmd) {
	case CTAPHID_INIT:
		if (len != 8) {
			send_error(d, cid, CTAPHID_ERR_INVALID_LEN);
			return;
		}
		pthread_mutex_lock(&d->mu);
		ncid = cid == CTAPHID_CID_BROADCAST ? d->next_cid++ : cid;
		memcpy(init, data, 8);
		init[8] = (uint8_t)(ncid >> 24);
		init[9] = (uint8_t)(ncid >> 16);
		init[10] = (uint8_t)(ncid >> 8);
		init[11] = (uint8_t)ncid;
		init[12] = 2;		/* CTAPHID protocol version */
		init[13] = 1;		/* device version 1.0.0 */
		init[14] = 0;
		init[15] = 0;
		init[16] = 0x04 | 0x08;	/* CAPABILITY_CBOR | CAPABILITY_NMSG (no U2F) */
		send_locked(d, cid, CTAPHID_INIT, init, sizeof(init));
		pthread_mutex_unlock(&d->mu);
		return;
	case CTAPHID_PING:
		pthread_mutex_lock(&d->mu);
		send_locked(d, cid, CTAPHID_PING, data, len);
		pthread_mutex_unlock(&d->mu);
		return;
	case CTAPHID_CBOR:
		pthread_mutex_lock(&d->mu);
		ncid = d->next_cid;
		pthread_mutex_unlock(&d->mu);
		if (cid == 0 || cid >= ncid) {
			send_error(d, cid, CTAPHID_ERR_INVALID_CHANNEL);
			return;
		}
		if (sk_ctap_handle(&d->a, data, len, &ans, &anslen) < 0 || ans == NULL) {
			free(ans);
			send_error(d, cid, CTAPHID_ERR_OTHER);
			return;
		}
		pthread_mutex_lock(&d->mu);
		send_locked(d, cid, CTAPHID_CBOR, ans, anslen);
		pthread_mutex_unlock(&d->mu);
		free(ans);
		return;
	case CTAPHID_CANCEL:
		return;	/* handled in io_write; a cancel with nothing pending gets no answer */
	default:
		send_error(d, cid, CTAPHID_ERR_INVALID_CMD);
		return;
	}
}

static void *
dev_thread(void *arg)
{
	struct sk_dev *d = arg;
	uint8_t frame[CTAPHID_FRAME_LEN];
	uint32_t ecid = 0;
	int r;

	for (;;) {
		pthread_mutex_lock(&d->mu);
		while (!d->stop && d->in.n == 0)
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->stop) {
			pthread_mutex_unlock(&d->mu);
			break;
		}
		q_pop(&d->in, frame);
		d->busy = 1;
		pthread_mutex_unlock(&d->mu);

		r = ctaphid_rx_feed(&d->rx, frame, sizeof(frame), &ecid);
		if (r == CTAPHID_MORE)
			continue;
		if (r == CTAPHID_OK) {
			pthread_mutex_lock(&d->mu);
			d->cur_cid = d->rx.cid;
			pthread_mutex_unlock(&d->mu);
			handle_message(d, d->rx.cid, d->rx.cmd, d->rx.data, d->rx.len);
			ctaphid_rx_reset(&d->rx);
		} else
			send_error(d, ecid, r == CTAPHID_E_SEQ ? CTAPHID_ERR_INVALID_SEQ :
			    r == CTAPHID_E_LEN ? CTAPHID_ERR_INVALID_LEN : CTAPHID_ERR_CHANNEL_BUSY);
		pthread_mutex_lock(&d->mu);
		d->busy = d->rx.open;
		if (!d->busy)
			d->cancel = 0;
		pthread_mutex_unlock(&d->mu);
	}
	return NULL;
}

static void
dev_free(struct sk_dev *d)
{
	if (d == NULL)
		return;
	sk_auth_wipe(&d->a);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	OPENSSL_cleanse(&d->rx, sizeof(d->rx));
	free(d);
}

static void *
io_open(const char *path)
{
	struct sk_dev *d, **pp;

	if (path == NULL)
		return NULL;
	pthread_mutex_lock(&reg_mu);
	for (pp = &reg_head; (d = *pp) != NULL; pp = &d->reg_next)
		if (strcmp(d->name, path) == 0) {
			*pp = d->reg_next;
			break;
		}
	pthread_mutex_unlock(&reg_mu);
	if (d == NULL)
		return NULL;
	if (pthread_create(&d->thr, NULL, dev_thread, d) != 0) {
		dev_free(d);
		return NULL;
	}
	return d;
}

static void
io_close(void *h)
{
	struct sk_dev *d = h;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thr, NULL);
	dev_free(d);
}

static int
io_read(void *h, unsigned char *buf, size_t len, int ms)
{
	struct sk_dev *d = h;
	struct timespec end;
	int r = -1;

	if (d == NULL || buf == NULL || len != CTAPHID_FRAME_LEN)
		return -1;
	if (ms >= 0)
		deadline_in(&end, ms);
	pthread_mutex_lock(&d->mu);
	if (d->ka_armed) {
		if (ms < 0 || ts_before(&d->ka_end, &end))
			end = d->ka_end;
		ms = 0;	/* "bounded": the value no longer matters */
	}
	while (d->out.n == 0 && !d->stop) {
		if (ms < 0)
			pthread_cond_wait(&d->cv, &d->mu);
		else if (pthread_cond_timedwait(&d->cv, &d->mu, &end) == ETIMEDOUT)
			break;
	}
	if (d->out.n > 0) {
		q_pop(&d->out, buf);
		pthread_cond_broadcast(&d->cv);	/* room for a waiting sender */
		r = CTAPHID_FRAME_LEN;
		if (buf[4] == (0x80 | CTAPHID_KEEPALIVE)) {
			if (!d->ka_armed && ms >= 0) {
				d->ka_armed = 1;
				d->ka_end = end;
			}
		} else
			d->ka_armed = 0;
	} else
		d->ka_armed = 0;	/* timed out: the next request starts afresh */
	pthread_mutex_unlock(&d->mu);
	return r;
}

/* libfido2 writes report id 0 + one frame; fido_dev_cancel may call this
 * from another thread while a request waits for a touch. */
static int
io_write(void *h, const unsigned char *buf, size_t len)
{
	struct sk_dev *d = h;
	const uint8_t *f;
	int r = (int)len;

	if (d == NULL || buf == NULL || len != CTAPHID_FRAME_LEN + 1)
		return -1;
	f = buf + 1;
	pthread_mutex_lock(&d->mu);
	if (f[4] == (0x80 | CTAPHID_CANCEL)) {
		if (d->busy || d->in.n > 0)
			d->cancel = 1;
	} else if (d->in.n == QCAP)
		r = -1;
	else {
		q_push(&d->in, f);
		d->ka_armed = 0;
	}
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	return r;
}

static struct sk_dev *
dev_new(struct softkey *sk, int badge, int blank)
{
	pthread_condattr_t ca;
	struct sk_dev *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->a.sk = sk;
	d->a.badge = blank ? -1 : badge;
	d->a.blank = blank;
	d->a.blank_retries = SK_PIN_RETRIES;
	d->a.wait_touch = dev_wait_touch;
	d->a.ctx = d;
	sk_lock(sk);
	d->a.pin_protocols = sk->pin_protocols;
	sk_unlock(sk);
	d->next_cid = 1;
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	return d;
}

/* Remove d from the registry if io_open never claimed it; true if it was there. */
static int
reg_take(struct sk_dev *d)
{
	struct sk_dev **pp;
	int found = 0;

	pthread_mutex_lock(&reg_mu);
	for (pp = &reg_head; *pp != NULL; pp = &(*pp)->reg_next)
		if (*pp == d) {
			*pp = d->reg_next;
			found = 1;
			break;
		}
	pthread_mutex_unlock(&reg_mu);
	return found;
}

int
softkey_dev_open(struct softkey *sk, int badge, fido_dev_t **out)
{
	static const fido_dev_io_t io = { io_open, io_close, io_read, io_write };
	fido_dev_t *dev = NULL;
	struct sk_dev *d = NULL;
	size_t n;
	int r = SOFTKEY_E_NOMEM;

	if (sk == NULL || out == NULL)
		return SOFTKEY_E_ARG;
	*out = NULL;
	n = softkey_count(sk);
	if (badge < -1 || (badge >= 0 && (size_t)badge > n))
		return SOFTKEY_E_NOTFOUND;
	if ((d = dev_new(sk, badge, badge >= 0 && (size_t)badge == n)) == NULL ||
	    (dev = fido_dev_new()) == NULL)
		goto fail;
	if (fido_dev_set_io_functions(dev, &io) != FIDO_OK) {
		r = SOFTKEY_E_FIDO;
		goto fail;
	}
	pthread_mutex_lock(&reg_mu);
	snprintf(d->name, sizeof(d->name), "chartgate-softkey:%lu", ++reg_serial);
	d->reg_next = reg_head;
	reg_head = d;
	pthread_mutex_unlock(&reg_mu);
	if (fido_dev_open(dev, d->name) != FIDO_OK) {
		/* if io_open claimed d, libfido2 already closed (freed) it */
		if (!reg_take(d))
			d = NULL;
		r = SOFTKEY_E_FIDO;
		goto fail;
	}
	if (reg_take(d)) {	/* cannot happen: open succeeded without io_open */
		fido_dev_close(dev);
		r = SOFTKEY_E_FIDO;
		goto fail;
	}
	*out = dev;
	return SOFTKEY_OK;
fail:
	dev_free(d);
	fido_dev_free(&dev);
	return r;
}
