/* CTAPHID framing: round trips of every size, and refusal of bad sequences, channels, lengths and short frames. */
#include <stdint.h>
#include <string.h>

#include "auth/ctaphid.h"
#include "tests/t.h"

static uint8_t frames[CTAPHID_MAX_FRAMES][CTAPHID_FRAME_LEN];
static struct ctaphid_rx rx;

static void
every_size_0_to_2048_round_trips(void)
{
	uint8_t msg[CTAPHID_MAX_MSG];
	size_t len, i, used;
	int r = CTAPHID_E_ARG, bad = 0;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 31 + 7);
	for (len = 0; len <= CTAPHID_MAX_MSG; len++) {
		if (ctaphid_fragment(0x01020304, CTAPHID_CBOR, msg, len, frames, CTAPHID_MAX_FRAMES, &used) != CTAPHID_OK ||
		    used != ctaphid_frame_count(len)) {
			bad++;
			continue;
		}
		ctaphid_rx_reset(&rx);
		for (i = 0; i < used; i++) {
			r = ctaphid_rx_feed(&rx, frames[i], CTAPHID_FRAME_LEN, NULL);
			if (r != (i + 1 == used ? CTAPHID_OK : CTAPHID_MORE))
				bad++;
		}
		if (r != CTAPHID_OK || rx.len != len || rx.cid != 0x01020304 || rx.cmd != CTAPHID_CBOR ||
		    memcmp(rx.data, msg, len) != 0)
			bad++;
	}
	T_CHECK(bad == 0);
}

static void
frame_layout_matches_the_wire(void)
{
	uint8_t msg[100];
	size_t used = 0;

	memset(msg, 0xab, sizeof(msg));
	T_CHECK(ctaphid_fragment(0xcafebabe, CTAPHID_INIT, msg, sizeof(msg), frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_OK);
	T_CHECK(used == 2);
	T_CHECK(frames[0][0] == 0xca && frames[0][3] == 0xbe);
	T_CHECK(frames[0][4] == 0x86 && frames[0][5] == 0 && frames[0][6] == 100);
	T_CHECK(frames[1][4] == 0 && frames[1][5] == 0xab);
	/* 100 - 57 = 43 bytes in the CONT frame, zero after */
	T_CHECK(frames[1][5 + 42] == 0xab && frames[1][5 + 43] == 0);
	T_CHECK(ctaphid_frame_count(57) == 1 && ctaphid_frame_count(58) == 2 &&
	    ctaphid_frame_count(57 + 59) == 2 && ctaphid_frame_count(57 + 60) == 3);
}

static void
oversize_is_refused_both_ways(void)
{
	static uint8_t big[CTAPHID_MAX_MSG + 1];
	uint8_t f[CTAPHID_FRAME_LEN] = { 0, 0, 0, 1, 0x90, 0x08, 0x01 };	/* declares 2049 */
	size_t used = 0;

	T_CHECK(ctaphid_fragment(1, CTAPHID_CBOR, big, sizeof(big), frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_E_LEN);
	ctaphid_rx_reset(&rx);
	T_CHECK(ctaphid_rx_feed(&rx, f, sizeof(f), NULL) == CTAPHID_E_LEN);
	T_CHECK(!rx.open);
	f[5] = 0xff;
	f[6] = 0xff;
	T_CHECK(ctaphid_rx_feed(&rx, f, sizeof(f), NULL) == CTAPHID_E_LEN);
}

static void
bad_sequence_drops_the_message(void)
{
	uint8_t msg[200] = { 0 };
	size_t used = 0;
	uint32_t ecid = 0;

	T_CHECK(ctaphid_fragment(7, CTAPHID_CBOR, msg, sizeof(msg), frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_OK);
	ctaphid_rx_reset(&rx);
	T_CHECK(ctaphid_rx_feed(&rx, frames[0], CTAPHID_FRAME_LEN, NULL) == CTAPHID_MORE);
	T_CHECK(ctaphid_rx_feed(&rx, frames[2], CTAPHID_FRAME_LEN, &ecid) == CTAPHID_E_SEQ);	/* seq 1 before 0 */
	T_CHECK(ecid == 7 && !rx.open);
	/* a CONT frame with nothing begun */
	T_CHECK(ctaphid_rx_feed(&rx, frames[1], CTAPHID_FRAME_LEN, NULL) == CTAPHID_E_SEQ);
}

static void
other_channel_cannot_interleave(void)
{
	uint8_t msg[200] = { 0 };
	uint8_t other[CTAPHID_MAX_FRAMES][CTAPHID_FRAME_LEN];
	size_t used = 0, oused = 0;
	uint32_t ecid = 0;

	T_CHECK(ctaphid_fragment(7, CTAPHID_CBOR, msg, sizeof(msg), frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_OK);
	T_CHECK(ctaphid_fragment(9, CTAPHID_CBOR, msg, sizeof(msg), other, CTAPHID_MAX_FRAMES, &oused) == CTAPHID_OK);
	ctaphid_rx_reset(&rx);
	T_CHECK(ctaphid_rx_feed(&rx, frames[0], CTAPHID_FRAME_LEN, NULL) == CTAPHID_MORE);
	T_CHECK(ctaphid_rx_feed(&rx, other[1], CTAPHID_FRAME_LEN, &ecid) == CTAPHID_E_CID && ecid == 9);
	T_CHECK(ctaphid_rx_feed(&rx, other[0], CTAPHID_FRAME_LEN, &ecid) == CTAPHID_E_BUSY && ecid == 9);
	/* the first channel's message survives the intruder */
	T_CHECK(ctaphid_rx_feed(&rx, frames[1], CTAPHID_FRAME_LEN, NULL) == CTAPHID_MORE);
	T_CHECK(used == 4);
	T_CHECK(ctaphid_rx_feed(&rx, frames[2], CTAPHID_FRAME_LEN, NULL) == CTAPHID_MORE);
	T_CHECK(ctaphid_rx_feed(&rx, frames[3], CTAPHID_FRAME_LEN, NULL) == CTAPHID_OK);
	T_CHECK(rx.len == 200 && rx.cid == 7 && !rx.open);
}

static void
init_on_same_channel_resyncs(void)
{
	uint8_t msg[200] = { 0 };
	uint8_t small[CTAPHID_MAX_FRAMES][CTAPHID_FRAME_LEN];
	size_t used = 0, sused = 0;

	T_CHECK(ctaphid_fragment(7, CTAPHID_CBOR, msg, sizeof(msg), frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_OK);
	T_CHECK(ctaphid_fragment(7, CTAPHID_INIT, msg, 8, small, CTAPHID_MAX_FRAMES, &sused) == CTAPHID_OK);
	ctaphid_rx_reset(&rx);
	T_CHECK(ctaphid_rx_feed(&rx, frames[0], CTAPHID_FRAME_LEN, NULL) == CTAPHID_MORE);
	T_CHECK(ctaphid_rx_feed(&rx, small[0], CTAPHID_FRAME_LEN, NULL) == CTAPHID_OK);
	T_CHECK(rx.cmd == CTAPHID_INIT && rx.len == 8);
}

static void
truncated_frame_and_bad_arguments_are_refused(void)
{
	uint8_t f[CTAPHID_FRAME_LEN] = { 0, 0, 0, 1, 0x90, 0, 1 };
	size_t used = 0;

	ctaphid_rx_reset(&rx);
	T_CHECK(ctaphid_rx_feed(&rx, f, 63, NULL) == CTAPHID_E_TRUNCATED);
	T_CHECK(ctaphid_rx_feed(&rx, f, 0, NULL) == CTAPHID_E_TRUNCATED);
	T_CHECK(ctaphid_rx_feed(NULL, f, 64, NULL) == CTAPHID_E_ARG);
	T_CHECK(ctaphid_rx_feed(&rx, NULL, 64, NULL) == CTAPHID_E_ARG);
	T_CHECK(ctaphid_fragment(1, 1, NULL, 5, frames, CTAPHID_MAX_FRAMES, &used) == CTAPHID_E_ARG);
	T_CHECK(ctaphid_fragment(1, 1, f, 64, frames, 1, &used) == CTAPHID_E_ARG);	/* needs 2 frames */
	T_CHECK(ctaphid_fragment(1, 1, NULL, 0, frames, 1, &used) == CTAPHID_OK && used == 1);
	T_CHECK(strcmp(ctaphid_strerror(CTAPHID_E_SEQ), ctaphid_strerror(CTAPHID_E_LEN)) != 0);
}

int
main(void)
{
	T_RUN(every_size_0_to_2048_round_trips);
	T_RUN(frame_layout_matches_the_wire);
	T_RUN(oversize_is_refused_both_ways);
	T_RUN(bad_sequence_drops_the_message);
	T_RUN(other_channel_cannot_interleave);
	T_RUN(init_on_same_channel_resyncs);
	T_RUN(truncated_frame_and_bad_arguments_are_refused);
	T_EXIT();
}
