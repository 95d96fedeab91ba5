/* chartgated's TLS: load and check key material, require client certificates, read the workstation from one. */
#include "backend/tls.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "backend/util.h"

#define PEM_MAX (1024 * 1024)

/* The whole file as a NUL-terminated string; NULL with why set. */
static char *
slurp(const char *what, const char *path, char *why, size_t why_len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;

	if (f == NULL) {
		snprintf(why, why_len, "%s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(PEM_MAX + 1)) != NULL)
		n = fread(buf, 1, PEM_MAX + 1, f);
	if (buf == NULL || ferror(f) || n > PEM_MAX || n == 0) {
		snprintf(why, why_len, "%s %s: %s", what, path, buf == NULL ? "out of memory" :
		    ferror(f) ? "read error" : n == 0 ? "empty file" : "larger than 1 MiB");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void
wipe_free(char *p)
{
	if (p == NULL)
		return;
	gnutls_memset(p, 0, strlen(p));
	free(p);
}

void
tls_files_free(struct tls_files *t)
{
	free(t->cert);
	wipe_free(t->key);
	free(t->client_ca);
	memset(t, 0, sizeof(*t));
}

static gnutls_datum_t
datum(const char *s)
{
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)s, (unsigned int)strlen(s) };

	return d;
}

/* Load what the daemon will load, now, so a bad file is one clear line at start. */
static int
check(const struct tls_files *t, const char *cert, const char *key, const char *client_ca,
    char *why, size_t why_len)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t c = datum(t->cert), k = datum(t->key), ca;
	int rc = -1, n;

	if (gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS) {
		snprintf(why, why_len, "TLS: out of memory");
		return -1;
	}
	n = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
	if (n < 0) {
		snprintf(why, why_len, "TLS certificate %s with key %s: %s", cert, key,
		    gnutls_strerror(n));
		goto out;
	}
	if (t->client_ca != NULL) {
		ca = datum(t->client_ca);
		n = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (n <= 0) {
			snprintf(why, why_len, "client CA %s: %s", client_ca,
			    n == 0 ? "no certificate in it" : gnutls_strerror(n));
			goto out;
		}
	}
	rc = 0;
out:
	gnutls_certificate_free_credentials(cred);
	return rc;
}

int
tls_files_load(struct tls_files *t, const char *cert, const char *key, const char *client_ca,
    char *why, size_t why_len)
{
	memset(t, 0, sizeof(*t));
	if ((t->cert = slurp("TLS certificate", cert, why, why_len)) == NULL ||
	    (t->key = slurp("TLS key", key, why, why_len)) == NULL ||
	    (client_ca != NULL && (t->client_ca = slurp("client CA", client_ca, why, why_len)) == NULL) ||
	    check(t, cert, key, client_ca, why, why_len) != 0) {
		tls_files_free(t);
		return -1;
	}
	return 0;
}

void
tls_require_client_cert(void *session)
{
	gnutls_session_t s = session;

	gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
	/* Verified against the daemon's trust list during the handshake: a
	 * certificate from another CA, or expired, never gets to HTTP. */
	gnutls_session_set_verify_cert(s, NULL, 0);
}

/* One attribute of the subject (the first); -1 if absent, unusable or too long. */
static int
subject_attr(gnutls_x509_crt_t crt, const char *oid, char *out, size_t size)
{
	size_t n = size;

	if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, 0, out, &n) != GNUTLS_E_SUCCESS)
		return -1;
	return cg_workstation_ok(out, size) ? 0 : -1;
}

int
tls_peer_identity(void *session, struct tls_peer *out, char *why, size_t why_len)
{
	gnutls_session_t s = session;
	const gnutls_datum_t *chain;
	unsigned int n = 0, status = 1;
	gnutls_x509_crt_t crt;
	unsigned char sha[32];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (s == NULL || (chain = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0) {
		snprintf(why, why_len, "no client certificate");
		return -1;
	}
	/* The handshake verified it already; checking again costs little and keeps
	 * this function honest on its own. */
	if (gnutls_certificate_verify_peers2(s, &status) != GNUTLS_E_SUCCESS || status != 0) {
		snprintf(why, why_len, "client certificate does not verify");
		return -1;
	}
	if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	if (gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) != GNUTLS_E_SUCCESS) {
		snprintf(why, why_len, "client certificate does not parse");
		goto out;
	}
	if (subject_attr(crt, GNUTLS_OID_X520_COMMON_NAME, out->workstation,
	    sizeof(out->workstation)) != 0) {
		snprintf(why, why_len, "client certificate has no usable CN (a workstation id)");
		goto out;
	}
	/* OU is optional; one that is there must be a usable unit id. */
	if (subject_attr(crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, out->unit,
	    sizeof(out->unit)) != 0) {
		size_t len = 0;

		if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME,
		    0, 0, NULL, &len) != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
			snprintf(why, why_len, "client certificate has an unusable OU (a unit id)");
			goto out;
		}
		out->unit[0] = '\0';
	}
	cg_sha256(chain[0].data, chain[0].size, sha);
	cg_hex(sha, sizeof(sha), out->cert_sha256);
	rc = 0;
out:
	gnutls_x509_crt_deinit(crt);
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
