/* Sign-in worker: one long-lived thread takes jobs, fido_dev_cancel from the UI thread, completion via a wake pipe. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "auth/device.h"
#include "auth/worker.h"

struct auth_worker {
	int pipe_rd, pipe_wr;
	pthread_t thr;
	int has_thread;		/* started on the first job, joined by auth_worker_free */
	int running;		/* started and not yet finished; UI thread only */
	pthread_mutex_t mu;	/* guards dev, cancelled and the hand-over flags */
	pthread_cond_t cv;	/* signals pending, done and quit */
	int pending, done, quit;
	fido_dev_t *dev;	/* the open device while the job talks to it */
	int cancelled;
	/* the job, owned copies */
	enum auth_job_kind kind;
	struct softkey *sk;
	int badge, timeout_ms, set_pin;
	char *rp_id, *challenge, *origin, *pin;
	char *user_handle, *user_name, *display_name;
	struct auth_result res;
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
free_job(struct auth_worker *w)
{
	if (w->pin != NULL) {
		OPENSSL_cleanse(w->pin, strlen(w->pin));
		free(w->pin);
	}
	free(w->rp_id);
	free(w->challenge);
	free(w->origin);
	free(w->user_handle);
	free(w->user_name);
	free(w->display_name);
	w->pin = w->rp_id = w->challenge = w->origin = NULL;
	w->user_handle = w->user_name = w->display_name = NULL;
}

void
auth_result_clear(struct auth_result *res)
{
	if (res == NULL)
		return;
	auth_assertion_clear(&res->assertion);
	auth_enrolment_clear(&res->enrolment);
}

/* The job's own work on the open device. */
static int
run_job(struct auth_worker *w, fido_dev_t *dev)
{
	struct auth_enrol_req er;

	switch (w->kind) {
	case AUTH_JOB_PROBE:
		w->res.has_pin = auth_dev_has_pin(dev);
		return AUTH_OK;
	case AUTH_JOB_ENROL:
		er = (struct auth_enrol_req){ w->rp_id, w->challenge, w->origin, w->user_handle,
			w->user_name, w->display_name, w->pin, w->set_pin };
		return auth_make_credential(dev, &er, &w->res.enrolment, &w->res.pin_retries);
	case AUTH_JOB_ASSERT:
		break;
	}
	return auth_get_assertion(dev, w->rp_id, w->challenge, w->origin, w->pin,
	    &w->res.assertion, &w->res.pin_retries);
}

/* The result goes to the UI thread. The wake byte before done: once finish sees done,
 * the byte is there to drain, never left to wake the loop for the next job as if that
 * one had ended. After this the job's fields belong to the UI thread again. */
static void
hand_over(struct auth_worker *w, int r)
{
	char one = 1;

	if (w->pin != NULL)
		OPENSSL_cleanse(w->pin, strlen(w->pin));
	w->res.err = r;
	while (write(w->pipe_wr, &one, 1) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* One job, start to end, on the worker thread. */
static void
job_run(struct auth_worker *w)
{
	fido_dev_t *dev = NULL;
	long t0 = now_ms();
	int r, cancelled;

	r = auth_device_open(w->sk, w->badge, &dev);
	if (r != AUTH_OK) {
		hand_over(w, r);
		return;
	}
	pthread_mutex_lock(&w->mu);
	cancelled = w->cancelled;
	if (!cancelled)
		w->dev = dev;
	pthread_mutex_unlock(&w->mu);
	if (cancelled)
		r = AUTH_E_CANCELLED;
	else {
		if (w->timeout_ms > 0)
			(void)fido_dev_set_timeout(dev, w->timeout_ms);
		r = run_job(w, dev);
		/* libfido2 reports an exhausted budget as a failed read */
		if (r == AUTH_E_DEVICE && w->timeout_ms > 0 && now_ms() - t0 >= w->timeout_ms)
			r = AUTH_E_TIMEOUT;
		pthread_mutex_lock(&w->mu);
		w->dev = NULL;
		/* Esc wins even when the key answered first: the UI has moved on */
		if (w->cancelled && (r == AUTH_E_DEVICE || r == AUTH_OK)) {
			auth_result_clear(&w->res);
			r = AUTH_E_CANCELLED;
		}
		pthread_mutex_unlock(&w->mu);
	}
	/* The clinician's sign-in goes on while the device closes (a thread join for the
	 * softkey, a HID close for a real key). The next job waits for this one's close:
	 * this thread takes it only after job_run returns. */
	hand_over(w, r);
	fido_dev_close(dev);
	fido_dev_free(&dev);
}

/* Kept between jobs: a tap then costs a wake-up, not a thread's creation and exit
 * (with its stack and, before M_ARENA_MAX, a malloc arena of its own). */
static void *
job_thread(void *arg)
{
	struct auth_worker *w = arg;

	fido_init(FIDO_DISABLE_U2F_FALLBACK);	/* libfido2 state is thread-local */
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->pending && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		w->pending = 0;
		pthread_mutex_unlock(&w->mu);
		job_run(w);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int
auth_worker_new(struct auth_worker **out)
{
	struct auth_worker *w;
	int fds[2];

	if (out == NULL)
		return AUTH_E_ARG;
	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return AUTH_E_NOMEM;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(w);
		return AUTH_E_NOMEM;
	}
	w->pipe_rd = fds[0];
	w->pipe_wr = fds[1];
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	*out = w;
	return AUTH_OK;
}

int
auth_worker_fd(const struct auth_worker *w)
{
	return w != NULL ? w->pipe_rd : -1;
}

int
auth_worker_busy(const struct auth_worker *w)
{
	return w != NULL && w->running;
}

/* A probe only opens the key; the others need what they sign. */
static int
job_ok(const struct auth_job *j)
{
	if (j == NULL)
		return 0;
	if (j->kind == AUTH_JOB_PROBE)
		return 1;
	if (j->rp_id == NULL || j->challenge == NULL || j->origin == NULL)
		return 0;
	return j->kind == AUTH_JOB_ASSERT || (j->pin != NULL && j->user_handle != NULL &&
	    j->user_name != NULL && j->display_name != NULL);
}

/* *dst = a copy of src (NULL stays NULL); nonzero when out of memory. */
static int
dup_opt(char **dst, const char *src)
{
	*dst = src != NULL ? strdup(src) : NULL;
	return src != NULL && *dst == NULL;
}

int
auth_worker_start(struct auth_worker *w, const struct auth_job *job)
{
	if (w == NULL || !job_ok(job))
		return AUTH_E_ARG;
	if (w->running)
		return AUTH_E_BUSY;
	free_job(w);
	memset(&w->res, 0, sizeof(w->res));
	w->res.pin_retries = -1;
	w->res.kind = job->kind;
	w->kind = job->kind;
	w->sk = job->sk;
	w->badge = job->badge;
	w->timeout_ms = job->timeout_ms;
	w->set_pin = job->set_pin;
	if (dup_opt(&w->rp_id, job->rp_id) || dup_opt(&w->challenge, job->challenge) ||
	    dup_opt(&w->origin, job->origin) || dup_opt(&w->pin, job->pin) ||
	    dup_opt(&w->user_handle, job->user_handle) || dup_opt(&w->user_name, job->user_name) ||
	    dup_opt(&w->display_name, job->display_name)) {
		free_job(w);
		return AUTH_E_NOMEM;
	}
	if (!w->has_thread) {
		if (pthread_create(&w->thr, NULL, job_thread, w) != 0) {
			free_job(w);
			return AUTH_E_NOMEM;
		}
		w->has_thread = 1;
	}
	pthread_mutex_lock(&w->mu);
	w->cancelled = 0;
	w->done = 0;
	w->pending = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	w->running = 1;
	return AUTH_OK;
}

void
auth_worker_cancel(struct auth_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->cancelled = 1;
	/* under the lock so the job cannot close the device meanwhile */
	if (w->dev != NULL)
		(void)fido_dev_cancel(w->dev);
	pthread_mutex_unlock(&w->mu);
}

int
auth_worker_finish(struct auth_worker *w, struct auth_result *res)
{
	char buf[16];

	if (w == NULL || res == NULL || !w->running)
		return AUTH_E_ARG;
	pthread_mutex_lock(&w->mu);
	while (!w->done)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
	w->running = 0;
	while (read(w->pipe_rd, buf, sizeof(buf)) > 0)
		;
	*res = w->res;
	memset(&w->res, 0, sizeof(w->res));
	free_job(w);
	return AUTH_OK;
}

void
auth_worker_free(struct auth_worker **wp)
{
	struct auth_worker *w;
	struct auth_result res;

	if (wp == NULL || (w = *wp) == NULL)
		return;
	if (w->running) {
		auth_worker_cancel(w);
		if (auth_worker_finish(w, &res) == AUTH_OK)
			auth_result_clear(&res);
	}
	if (w->has_thread) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thr, NULL);
	}
	free_job(w);
	close(w->pipe_rd);
	close(w->pipe_wr);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
	*wp = NULL;
}
