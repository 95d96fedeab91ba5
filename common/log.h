/* Operational logging to syslog or stderr, shaped so patient data has no easy way in. */
#ifndef CHARTGATE_LOG_H
#define CHARTGATE_LOG_H

/*
 * THE RULE: a log line says what the *system* did, never what is in a chart.
 *
 * Allowed in a log line: event names, user ids of clinicians and staff,
 * workstation ids, session and request ids, HTTP method/path/status,
 * latencies, error codes, server URLs, file names.
 *
 * Never: tokens, PINs, credentials, challenges or assertions, patient ids,
 * patient names, any chart content, request or reply bodies, query
 * strings (they may carry a patient id).
 *
 * How the API holds the line:
 *  - The format must be a string literal: log_event() pastes "" in front
 *    of it, so passing a buffer (a server message, a chart field) does
 *    not compile. Every variable part is an argument you chose to pass.
 *  - Only %s %d %i %u %x with l, ll or z, and %% are formatted; anything
 *    else (%n, %p, widths, %c) turns the whole line into a complaint.
 *  - Each %s argument is cut to 128 bytes and every byte outside printable
 *    ASCII becomes '?', so a line can never be forged with a newline and
 *    free text (names are rarely plain ASCII) shows up mangled in review.
 * Patient-facing events are audited by chartgated (hash-chained audit
 * table), not logged; the log is for operations.
 */

enum log_target {
	LOG_TARGET_SYSLOG = 0,	/* order matches log_target_names */
	LOG_TARGET_STDERR,
	LOG_TARGET_NONE,
};

/* "syslog", "stderr", "none", NULL: the `log` key's choices in a conf table. */
extern const char *const log_target_names[];

enum log_level {
	LOG_LEVEL_ERROR,	/* the program cannot do its job */
	LOG_LEVEL_WARNING,	/* it can, but someone should look */
	LOG_LEVEL_NOTICE,	/* start, stop, configuration */
	LOG_LEVEL_INFO,		/* normal events: taps, locks, requests */
	LOG_LEVEL_DEBUG,	/* detail; only with --verbose */
};

/* ident must outlive the program (a literal): syslog keeps the pointer.
 * Before log_open, lines go to stderr. Call before starting threads. */
void log_open(const char *ident, enum log_target target, int verbose);
void log_close(void);
int log_verbose(void);

/* Safe from any thread: one line, one write. */
#define log_event(level, ...) log_emit_((level), "" __VA_ARGS__)
void log_emit_(enum log_level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
