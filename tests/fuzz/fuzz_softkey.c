/* libFuzzer harness: the softkey's CTAP2 command handler (command byte + CBOR), on a fresh copy of a two-badge softkey each run. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/softkey_int.h"

#ifndef FUZZ_DIR
#define FUZZ_DIR "tests/fuzz"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *pristine;		/* tests/fuzz/softkey-fixture.json (synthetic, fuzzing only): badge 0 with PIN 1234, badge 1 without */
static size_t pristine_len;
static char path[64];

static void
remove_copy(void)
{
	unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fopen(FUZZ_DIR "/softkey-fixture.json", "rb");
	int fd;

	(void)argc;
	(void)argv;
	if (f == NULL || (pristine = malloc(1 << 16)) == NULL)
		abort();
	pristine_len = fread(pristine, 1, 1 << 16, f);
	fclose(f);
	snprintf(path, sizeof(path), "/tmp/fuzz-softkey.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	atexit(remove_copy);
	return 0;
}

/* Presence is always given: the fuzzer plays a user who touches every time. */
static int
touch_now(void *ctx)
{
	(void)ctx;
	return CTAP2_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct softkey *sk = NULL;
	struct sk_auth a;
	uint8_t *out = NULL;
	size_t outlen = 0;
	FILE *f;

	/* Every run starts from the same state: PIN retries and counters are
	 * written back to the file, and a blocked PIN would hide later paths. */
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(pristine, 1, pristine_len, f);
	fclose(f);
	if (softkey_load(path, &sk) != SOFTKEY_OK)
		abort();
	memset(&a, 0, sizeof(a));
	a.sk = sk;
	a.badge = -1;
	a.blank_retries = SK_PIN_RETRIES;
	a.pin_protocols = sk->pin_protocols;
	a.wait_touch = touch_now;
	if (sk_ctap_handle(&a, data, size, &out, &outlen) == 0 && (out == NULL || outlen < 1))
		abort();
	free(out);
	sk_auth_wipe(&a);
	softkey_free(&sk);
	return 0;
}
