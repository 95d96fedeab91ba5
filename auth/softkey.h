/* Software CTAP2 authenticator ("softkey") for demos and tests, reached through libfido2's custom I/O. */
#ifndef CHARTGATE_AUTH_SOFTKEY_H
#define CHARTGATE_AUTH_SOFTKEY_H

#include <stddef.h>

#include <fido.h>

/* The file format is docs/softkey.md. A softkey holds badges; each badge is
 * one authenticator with one discoverable ES256 credential. */
struct softkey;

enum softkey_err {
	SOFTKEY_OK = 0,
	SOFTKEY_E_ARG,		/* NULL or impossible argument */
	SOFTKEY_E_NOMEM,
	SOFTKEY_E_IO,		/* cannot open, read or write the file */
	SOFTKEY_E_PERM,		/* file readable or writable by group or others */
	SOFTKEY_E_JSON,		/* not JSON */
	SOFTKEY_E_FORMAT,	/* JSON, but not a softkey file (see the error detail) */
	SOFTKEY_E_EXISTS,	/* softkey_create: the file is already there */
	SOFTKEY_E_NOTFOUND,	/* no such badge */
	SOFTKEY_E_FIDO,		/* libfido2 refused the device */
};

const char *softkey_strerror(int err);

/* Load FILE. Refuses a file that group or others may read or write.
 * On SOFTKEY_E_JSON / SOFTKEY_E_FORMAT, softkey_last_detail() says where. */
int softkey_load(const char *path, struct softkey **out);

/* Detail of the last load failure in this thread ("" when none). */
const char *softkey_last_detail(void);

/* Wipes every private key and PIN hash; sets *sk to NULL. Close every
 * device opened on sk first: devices borrow it. */
void softkey_free(struct softkey **sk);

/* Create FILE (mode 0600) with the softkey AAGUID and no badge. */
int softkey_create(const char *path);

/* Badge listing, for lock screens and the CLI. Strings belong to sk.
 * roles: comma-separated ("" when none). Out of range: NULL. */
size_t softkey_count(const struct softkey *sk);
const char *softkey_user_id(const struct softkey *sk, size_t badge);
const char *softkey_display_name(const struct softkey *sk, size_t badge);
const char *softkey_roles(const struct softkey *sk, size_t badge);
const char *softkey_rp_id(const struct softkey *sk, size_t badge);
/* The stored sign counter (for tests and the CLI). */
unsigned long softkey_sign_count(const struct softkey *sk, size_t badge);

/* Index of the badge whose user_id is user_id, or -1. */
int softkey_find_user(const struct softkey *sk, const char *user_id);

/* Set extra fields of the badges that makeCredential appends from now on
 * (the CTAP request carries no roles). roles: comma-separated, may be NULL. */
int softkey_set_enrol_roles(struct softkey *sk, const char *roles);

/* Simulated wait for a touch before every user-presence check (default 0). */
void softkey_set_touch_delay(struct softkey *sk, int ms);

/* Which clientPIN protocols getInfo offers: bit 0 = protocol 1, bit 1 =
 * protocol 2 (default 3). libfido2 picks 2 when offered, so tests of
 * protocol 1 offer only that one. Applies to devices opened afterwards. */
void softkey_set_pin_protocols(struct softkey *sk, unsigned mask);

/* Open a libfido2 device that is the authenticator of one badge
 * (0 <= badge < count), of every badge at once (badge = -1: a usernameless
 * assertion then reports numberOfCredentials > 1), or a blank new
 * authenticator (badge = count: no credential, no PIN, for enrolment; its
 * makeCredential appends a badge). The device runs on its own thread.
 * Close with fido_dev_close() and fido_dev_free(), before softkey_free(). */
int softkey_dev_open(struct softkey *sk, int badge, fido_dev_t **out);

#endif
