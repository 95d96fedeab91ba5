/* Sign-in worker: runs one FIDO2 job off the UI thread and wakes the poll() loop through a pipe. */
#ifndef CHARTGATE_AUTH_WORKER_H
#define CHARTGATE_AUTH_WORKER_H

#include "auth/assert.h"

struct softkey;
struct auth_worker;

/* A tap-in (pin == NULL) or a step-up (pin set). Strings are copied by
 * auth_worker_start; the copy of the PIN is wiped once used. */
struct auth_job {
	struct softkey *sk;	/* NULL = attached hardware key; else must outlive the job */
	int badge;		/* softkey badge, -1 = every badge */
	const char *rp_id;
	const char *challenge;	/* base64url, from the server */
	const char *origin;
	const char *pin;	/* NULL = no user verification */
	int timeout_ms;		/* <= 0: wait for ever (Esc cancels) */
};

struct auth_result {
	int err;			/* enum auth_err */
	struct auth_assertion assertion;	/* filled when err == AUTH_OK; clear it */
	int pin_retries;		/* after AUTH_E_PIN_INVALID, else -1 */
};

int auth_worker_new(struct auth_worker **out);

/* Read end of the wake pipe (non-blocking): readable when a job ended. */
int auth_worker_fd(const struct auth_worker *w);

/* AUTH_E_BUSY while a job runs or waits for auth_worker_finish. */
int auth_worker_start(struct auth_worker *w, const struct auth_job *job);

/* Ask the running job to stop (fido_dev_cancel); safe from any thread,
 * harmless when idle. The job then ends with AUTH_E_CANCELLED. */
void auth_worker_cancel(struct auth_worker *w);

/* True from auth_worker_start until auth_worker_finish. */
int auth_worker_busy(const struct auth_worker *w);

/* Wait for the job (immediate once the fd is readable), drain the pipe,
 * and hand over its result. AUTH_E_ARG when no job was started. */
int auth_worker_finish(struct auth_worker *w, struct auth_result *res);

/* Cancels and joins a running job, closes the pipe, sets *w to NULL. */
void auth_worker_free(struct auth_worker **w);

#endif
