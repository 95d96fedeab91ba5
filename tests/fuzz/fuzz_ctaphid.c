/* libFuzzer harness: CTAPHID reassembly of a stream of HID reports, as the softkey receives them from libfido2. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/ctaphid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctaphid_rx rx;
	uint8_t frames[CTAPHID_MAX_FRAMES][CTAPHID_FRAME_LEN];
	uint32_t err_cid;
	size_t n, used;
	int rc;

	ctaphid_rx_reset(&rx);
	/* 64-byte frames; a short tail is fed as a short frame. */
	while (size > 0) {
		n = size < CTAPHID_FRAME_LEN ? size : CTAPHID_FRAME_LEN;
		rc = ctaphid_rx_feed(&rx, data, n, &err_cid);
		if (rx.got > CTAPHID_MAX_MSG || (rx.open && rx.got > rx.len))
			abort();
		if (rc == CTAPHID_OK) {
			if (rx.len > CTAPHID_MAX_MSG)
				abort();
			/* What came in whole must go out again in the same frames' worth. */
			if (ctaphid_fragment(rx.cid, rx.cmd, rx.data, rx.len, frames,
			    CTAPHID_MAX_FRAMES, &used) != CTAPHID_OK ||
			    used != ctaphid_frame_count(rx.len))
				abort();
		}
		data += n;
		size -= n;
	}
	return 0;
}
