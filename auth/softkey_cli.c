/* chartgate-softkey: list, assert with, enrol into and set PINs of a softkey file (DESIGN.md "Command line"). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auth/assert.h"
#include "auth/device.h"
#include "auth/softkey.h"
#include "common/b64url.h"
#include "common/version.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

static const char usage_text[] =
    "usage: chartgate-softkey list FILE\n"
    "       chartgate-softkey assert FILE [--user USER] --rp ID --challenge B64URL --origin ORIGIN [--pin PIN] [--uv]\n"
    "       chartgate-softkey enrol FILE --rp ID --user-id ID --name NAME [--display-name D] [--roles r1,r2]\n"
    "                         [--pin PIN] [--challenge B64URL --origin ORIGIN]\n"
    "       chartgate-softkey set-pin FILE --user USER --pin PIN [--old-pin PIN]\n"
    "       chartgate-softkey --version\n";

/* Options every command may take; which ones a command accepts is checked per command. */
struct opts {
	const char *user, *rp, *challenge, *origin, *pin, *old_pin;
	const char *user_id, *name, *display_name, *roles;
	int uv;
};

static int
fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("chartgate-softkey: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* Parses --opt VALUE pairs; allowed lists the options this command takes. */
static int
parse_opts(int argc, char **argv, const char *allowed, struct opts *o)
{
	static const struct {
		const char *name;
		size_t off;
	} table[] = {
		{ "--user", offsetof(struct opts, user) },
		{ "--rp", offsetof(struct opts, rp) },
		{ "--challenge", offsetof(struct opts, challenge) },
		{ "--origin", offsetof(struct opts, origin) },
		{ "--pin", offsetof(struct opts, pin) },
		{ "--old-pin", offsetof(struct opts, old_pin) },
		{ "--user-id", offsetof(struct opts, user_id) },
		{ "--name", offsetof(struct opts, name) },
		{ "--display-name", offsetof(struct opts, display_name) },
		{ "--roles", offsetof(struct opts, roles) },
	};
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s ", argv[i]);
		if (strncmp(argv[i], "--", 2) != 0 || strstr(allowed, key) == NULL)
			return fail(EXIT_USAGE, "unexpected argument '%s' (see --help)", argv[i]);
		if (strcmp(argv[i], "--uv") == 0) {
			o->uv = 1;
			continue;
		}
		for (k = 0; k < sizeof(table) / sizeof(table[0]); k++)
			if (strcmp(argv[i], table[k].name) == 0)
				break;
		if (k == sizeof(table) / sizeof(table[0]))
			return fail(EXIT_USAGE, "unknown option '%s'", argv[i]);
		if (i + 1 >= argc)
			return fail(EXIT_USAGE, "option %s needs a value", argv[i]);
		*(const char **)(void *)((char *)o + table[k].off) = argv[++i];
	}
	return 0;
}

static int
load(const char *path, struct softkey **sk)
{
	int r = softkey_load(path, sk);

	if (r == SOFTKEY_OK)
		return 0;
	if (softkey_last_detail()[0] != '\0')
		return fail(EXIT_RUNTIME, "%s: %s (%s)", path, softkey_strerror(r), softkey_last_detail());
	return fail(EXIT_RUNTIME, "%s: %s", path, softkey_strerror(r));
}

/* USER is a user id, or else a badge index. */
static int
find_badge(const struct softkey *sk, const char *user)
{
	char *end;
	long idx;
	int b = softkey_find_user(sk, user);

	if (b >= 0)
		return b;
	errno = 0;
	idx = strtol(user, &end, 10);
	if (errno == 0 && *user != '\0' && *end == '\0' && idx >= 0 && (size_t)idx < softkey_count(sk))
		return (int)idx;
	return -1;
}

static int
cmd_list(const char *path, int argc, char **argv)
{
	struct softkey *sk = NULL;
	struct opts o;
	size_t i;
	int r;

	if ((r = parse_opts(argc, argv, "", &o)) != 0)
		return r;
	if ((r = load(path, &sk)) != 0)
		return r;
	for (i = 0; i < softkey_count(sk); i++)
		printf("%zu\t%s\t%s\t%s\n", i, softkey_user_id(sk, i), softkey_display_name(sk, i),
		    softkey_roles(sk, i));
	softkey_free(&sk);
	return fflush(stdout) == 0 ? 0 : fail(EXIT_RUNTIME, "cannot write output");
}

static int
cmd_assert(const char *path, int argc, char **argv)
{
	struct softkey *sk = NULL;
	struct auth_assertion as = { 0 };
	fido_dev_t *dev = NULL;
	struct opts o;
	char *json = NULL;
	int r, badge = -1, retries = -1;

	if ((r = parse_opts(argc, argv, "--user --rp --challenge --origin --pin --uv ", &o)) != 0)
		return r;
	if (o.rp == NULL || o.challenge == NULL || o.origin == NULL)
		return fail(EXIT_USAGE, "assert needs --rp, --challenge and --origin");
	if (o.uv && o.pin == NULL)
		return fail(EXIT_USAGE, "--uv needs --pin: this authenticator verifies users by PIN only");
	if (o.pin != NULL && o.pin[0] == '\0')
		return fail(EXIT_USAGE, "--pin must not be empty");
	if ((r = load(path, &sk)) != 0)
		return r;
	if (o.user != NULL && (badge = find_badge(sk, o.user)) < 0) {
		r = fail(EXIT_RUNTIME, "%s: no badge for user '%s'", path, o.user);
		goto out;
	}
	if ((r = auth_device_open(sk, badge, &dev)) != AUTH_OK) {
		r = fail(EXIT_RUNTIME, "%s", auth_strerror(r));
		goto out;
	}
	r = auth_get_assertion(dev, o.rp, o.challenge, o.origin, o.pin, &as, &retries);
	if (r == AUTH_E_PIN_INVALID && retries >= 0) {
		r = fail(EXIT_RUNTIME, "%s %d tries left.", auth_strerror(r), retries);
		goto out;
	}
	if (r == AUTH_E_ARG) {
		r = fail(EXIT_USAGE, "invalid --rp, --challenge (base64url of at least 16 bytes) or --origin");
		goto out;
	}
	if (r != AUTH_OK) {
		r = fail(EXIT_RUNTIME, "%s", auth_strerror(r));
		goto out;
	}
	if ((json = auth_assertion_to_json(&as)) == NULL) {
		r = fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	printf("%s\n", json);
	r = fflush(stdout) == 0 ? 0 : fail(EXIT_RUNTIME, "cannot write output");
out:
	free(json);
	auth_assertion_clear(&as);
	if (dev != NULL) {
		fido_dev_close(dev);
		fido_dev_free(&dev);
	}
	softkey_free(&sk);
	return r;
}

static char *
uuid_of(const unsigned char *a, size_t n)
{
	char *s;
	size_t i, j = 0;

	if (n != 16 || (s = malloc(37)) == NULL)
		return NULL;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s[j++] = '-';
		snprintf(s + j, 3, "%02x", a[i]);
		j += 2;
	}
	s[j] = '\0';
	return s;
}

/* {credential_id, public_key, aaguid, user_handle, attestation: {fmt, authenticator_data, signature, client_data_json}} */
static char *
enrol_json(const fido_cred_t *c, const char *cdj)
{
	char *id = NULL, *pk = NULL, *aaguid = NULL, *ad = NULL, *sig = NULL, *cd = NULL, *uh = NULL, *s = NULL;
	json_t *o = NULL;

	if ((id = b64url_encode_alloc(fido_cred_id_ptr(c), fido_cred_id_len(c))) == NULL ||
	    fido_cred_pubkey_len(c) != 64 ||
	    (pk = b64url_encode_alloc(fido_cred_pubkey_ptr(c), 64)) == NULL ||
	    (aaguid = uuid_of(fido_cred_aaguid_ptr(c), fido_cred_aaguid_len(c))) == NULL ||
	    (ad = b64url_encode_alloc(fido_cred_authdata_raw_ptr(c), fido_cred_authdata_raw_len(c))) == NULL ||
	    (sig = b64url_encode_alloc(fido_cred_sig_ptr(c), fido_cred_sig_len(c))) == NULL ||
	    (cd = b64url_encode_alloc((const unsigned char *)cdj, strlen(cdj))) == NULL ||
	    (uh = b64url_encode_alloc(fido_cred_user_id_ptr(c), fido_cred_user_id_len(c))) == NULL)
		goto out;
	if ((o = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "credential_id", id,
	    "public_key", pk, "aaguid", aaguid, "user_handle", uh, "attestation",
	    "fmt", fido_cred_fmt(c), "authenticator_data", ad, "signature", sig,
	    "client_data_json", cd)) == NULL)
		goto out;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(o);
	free(id);
	free(pk);
	free(aaguid);
	free(ad);
	free(sig);
	free(cd);
	free(uh);
	return s;
}

static int
cmd_enrol(const char *path, int argc, char **argv)
{
	struct softkey *sk = NULL;
	fido_dev_t *dev = NULL;
	fido_cred_t *cred = NULL;
	struct opts o;
	unsigned char rnd[32];
	char *chal = NULL, *cdj = NULL, *json = NULL;
	int r, fr, existing;

	if ((r = parse_opts(argc, argv,
	    "--rp --user-id --name --display-name --roles --pin --challenge --origin ", &o)) != 0)
		return r;
	if (o.rp == NULL || o.user_id == NULL || o.name == NULL)
		return fail(EXIT_USAGE, "enrol needs --rp, --user-id and --name");
	if ((o.challenge == NULL) != (o.origin == NULL))
		return fail(EXIT_USAGE, "--challenge and --origin go together");
	if (o.user_id[0] == '\0' || strlen(o.user_id) > 64)
		return fail(EXIT_USAGE, "--user-id must be 1..64 bytes");
	if (o.pin != NULL && (strlen(o.pin) < 4 || strlen(o.pin) > 63))
		return fail(EXIT_USAGE, "--pin must be 4..63 characters");
	if (o.challenge == NULL) {
		/* no server in the loop: a challenge of our own keeps client_data_json well formed */
		if (RAND_bytes(rnd, sizeof(rnd)) != 1 || (chal = b64url_encode_alloc(rnd, sizeof(rnd))) == NULL)
			return fail(EXIT_RUNTIME, "no randomness");
	}
	if (access(path, F_OK) != 0 && (r = softkey_create(path)) != SOFTKEY_OK) {
		r = fail(EXIT_RUNTIME, "%s: %s (%s)", path, softkey_strerror(r), softkey_last_detail());
		goto out;
	}
	if ((r = load(path, &sk)) != 0)
		goto out;
	existing = softkey_find_user(sk, o.user_id);
	if (existing >= 0 && strcmp(softkey_rp_id(sk, (size_t)existing), o.rp) == 0) {
		r = fail(EXIT_RUNTIME, "%s: user '%s' already has a badge for %s", path, o.user_id, o.rp);
		goto out;
	}
	if (softkey_set_enrol_roles(sk, o.roles) != SOFTKEY_OK ||
	    (cdj = auth_client_data_json("webauthn.create", o.challenge != NULL ? o.challenge : chal,
	    o.origin != NULL ? o.origin : "chartgate:softkey")) == NULL || (cred = fido_cred_new()) == NULL) {
		r = fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if ((r = softkey_dev_open(sk, (int)softkey_count(sk), &dev)) != SOFTKEY_OK) {
		r = fail(EXIT_RUNTIME, "%s", softkey_strerror(r));
		goto out;
	}
	if (o.pin != NULL && (fr = fido_dev_set_pin(dev, o.pin, NULL)) != FIDO_OK) {
		r = fail(EXIT_RUNTIME, "cannot set the PIN: %s", auth_strerror(auth_err_from_fido(fr)));
		goto out;
	}
	if (fido_cred_set_type(cred, COSE_ES256) != FIDO_OK ||
	    fido_cred_set_clientdata(cred, (const unsigned char *)cdj, strlen(cdj)) != FIDO_OK ||
	    fido_cred_set_rp(cred, o.rp, NULL) != FIDO_OK ||
	    fido_cred_set_user(cred, (const unsigned char *)o.user_id, strlen(o.user_id), o.name,
	    o.display_name != NULL ? o.display_name : o.name, NULL) != FIDO_OK ||
	    fido_cred_set_rk(cred, FIDO_OPT_TRUE) != FIDO_OK) {
		r = fail(EXIT_USAGE, "invalid --rp, --user-id, --name or --display-name");
		goto out;
	}
	if ((fr = fido_dev_make_cred(dev, cred, o.pin)) != FIDO_OK) {
		r = fail(EXIT_RUNTIME, "makeCredential failed: %s", fido_strerr(fr));
		goto out;
	}
	if ((fr = fido_cred_verify_self(cred)) != FIDO_OK) {
		r = fail(EXIT_RUNTIME, "self attestation does not verify: %s", fido_strerr(fr));
		goto out;
	}
	if ((json = enrol_json(cred, cdj)) == NULL) {
		r = fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	printf("%s\n", json);
	r = fflush(stdout) == 0 ? 0 : fail(EXIT_RUNTIME, "cannot write output");
out:
	free(json);
	free(cdj);
	free(chal);
	fido_cred_free(&cred);
	if (dev != NULL) {
		fido_dev_close(dev);
		fido_dev_free(&dev);
	}
	softkey_free(&sk);
	return r;
}

static int
cmd_set_pin(const char *path, int argc, char **argv)
{
	struct softkey *sk = NULL;
	fido_dev_t *dev = NULL;
	struct opts o;
	int r, fr, badge;

	if ((r = parse_opts(argc, argv, "--user --pin --old-pin ", &o)) != 0)
		return r;
	if (o.user == NULL || o.pin == NULL)
		return fail(EXIT_USAGE, "set-pin needs --user and --pin");
	if ((r = load(path, &sk)) != 0)
		return r;
	if ((badge = find_badge(sk, o.user)) < 0) {
		r = fail(EXIT_RUNTIME, "%s: no badge for user '%s'", path, o.user);
		goto out;
	}
	if ((r = softkey_dev_open(sk, badge, &dev)) != SOFTKEY_OK) {
		r = fail(EXIT_RUNTIME, "%s", softkey_strerror(r));
		goto out;
	}
	if ((fr = fido_dev_set_pin(dev, o.pin, o.old_pin)) != FIDO_OK) {
		r = fail(EXIT_RUNTIME, "%s", fr == FIDO_ERR_NOT_ALLOWED ?
		    "this badge already has a PIN: give the current one with --old-pin" :
		    auth_strerror(auth_err_from_fido(fr)));
		goto out;
	}
	r = 0;
out:
	if (dev != NULL) {
		fido_dev_close(dev);
		fido_dev_free(&dev);
	}
	softkey_free(&sk);
	return r;
}

int
main(int argc, char **argv)
{
	int r;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("chartgate-softkey %s\n", CHARTGATE_VERSION);
		return 0;
	}
	if (argc < 3 || strncmp(argv[2], "--", 2) == 0)
		return fail(EXIT_USAGE, "need a command and a FILE (see --help)");
	fido_init(FIDO_DISABLE_U2F_FALLBACK);
	if (strcmp(argv[1], "list") == 0)
		r = cmd_list(argv[2], argc - 3, argv + 3);
	else if (strcmp(argv[1], "assert") == 0)
		r = cmd_assert(argv[2], argc - 3, argv + 3);
	else if (strcmp(argv[1], "enrol") == 0)
		r = cmd_enrol(argv[2], argc - 3, argv + 3);
	else if (strcmp(argv[1], "set-pin") == 0)
		r = cmd_set_pin(argv[2], argc - 3, argv + 3);
	else
		r = fail(EXIT_USAGE, "unknown command '%s'", argv[1]);
	return r;
}
