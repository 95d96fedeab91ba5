/* Sign-in worker: runs FIDO2 jobs, one at a time, on a thread of its own (kept between jobs) and wakes the poll() loop through a pipe. */
#ifndef CHARTGATE_AUTH_WORKER_H
#define CHARTGATE_AUTH_WORKER_H

#include "auth/assert.h"
#include "auth/enrol.h"

struct softkey;
struct auth_worker;

/* What a job does: 0 is the assertion every caller before enrolment knew. */
enum auth_job_kind {
	AUTH_JOB_ASSERT = 0,	/* tap-in (pin == NULL) or step-up (pin set) */
	AUTH_JOB_PROBE,		/* open the key and tell whether it has a PIN */
	AUTH_JOB_ENROL,		/* auth_make_credential with the enrol fields below */
};

/* A tap-in (pin == NULL) or a step-up (pin set), or see kind. Strings are
 * copied by auth_worker_start; the copy of the PIN is wiped once used. */
struct auth_job {
	enum auth_job_kind kind;
	struct softkey *sk;	/* NULL = attached hardware key; else must outlive the job */
	int badge;		/* softkey badge, -1 = every badge */
	const char *rp_id;
	const char *challenge;	/* base64url, from the server */
	const char *origin;
	const char *pin;	/* NULL = no user verification */
	int timeout_ms;		/* <= 0: wait for ever (Esc cancels) */
	/* AUTH_JOB_ENROL: the user from the server's challenge; pin is the
	 * key's PIN, or its new one when set_pin. badge = softkey_count(sk)
	 * opens a blank softkey authenticator. */
	const char *user_handle;	/* base64url */
	const char *user_name;
	const char *display_name;
	int set_pin;
};

struct auth_result {
	int err;			/* enum auth_err (enum auth_enrol_err for enrolment) */
	enum auth_job_kind kind;	/* of the job that ended */
	struct auth_assertion assertion;	/* ASSERT, when err == AUTH_OK; clear it */
	struct auth_enrolment enrolment;	/* ENROL, when err == AUTH_OK; clear it */
	int has_pin;			/* PROBE: the key has a PIN */
	int pin_retries;		/* after AUTH_E_PIN_INVALID, else -1 */
};

/* Clears whatever a result holds (assertion, enrolment). */
void auth_result_clear(struct auth_result *res);

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
