/* chartgated's TLS: key material, protocol floor, and the workstation identity read from a client certificate. */
#ifndef CHARTGATED_TLS_H
#define CHARTGATED_TLS_H

#include <stddef.h>

#include "backend/store.h"

/* TLS 1.3 first, TLS 1.2 as the floor; everything older is refused in the handshake. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* PEM text of the server's certificate and key and of the site CA (NULL: no client certificates). */
struct tls_files {
	char *cert;
	char *key;
	char *client_ca;
};

/* Read the files (each up to 1 MiB) and check that they load: the key matches the
 * certificate, the CA file holds at least one certificate. client_ca may be NULL.
 * -1 with one line in why on failure (and nothing kept). */
int tls_files_load(struct tls_files *, const char *cert, const char *key, const char *client_ca,
    char *why, size_t why_len);
void tls_files_free(struct tls_files *);

/* On a new connection (a gnutls_session_t): the handshake then fails unless the client
 * presents a certificate that verifies against the daemon's trusted CA. */
void tls_require_client_cert(void *session);

/* The workstation a verified client certificate names: CN = workstation id (the
 * characters of a Workstation-Id), OU = its unit (optional), and the SHA-256 of the
 * certificate (DER) in lower-case hex. */
struct tls_peer {
	char workstation[STORE_ID_MAX];
	char unit[STORE_ID_MAX];
	char cert_sha256[65];
};

/* 0 and *out filled when session holds a client certificate that verifies and names a
 * usable workstation; -1 with one line in why otherwise. */
int tls_peer_identity(void *session, struct tls_peer *out, char *why, size_t why_len);

#endif
