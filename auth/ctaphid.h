/* CTAPHID framing of 64-byte HID reports: a fragmenter and a reassembler, pure functions. */
#ifndef CHARTGATE_AUTH_CTAPHID_H
#define CHARTGATE_AUTH_CTAPHID_H

#include <stddef.h>
#include <stdint.h>

#define CTAPHID_FRAME_LEN	64
#define CTAPHID_INIT_DATA	57	/* CID[4] | cmd | BCNTH | BCNTL | 57 */
#define CTAPHID_CONT_DATA	59	/* CID[4] | seq | 59 */
#define CTAPHID_MAX_MSG		2048	/* our maxMsgSize; the wire allows 7609 */
#define CTAPHID_MAX_FRAMES	(1 + (CTAPHID_MAX_MSG - CTAPHID_INIT_DATA + CTAPHID_CONT_DATA - 1) / CTAPHID_CONT_DATA)
#define CTAPHID_CID_BROADCAST	0xffffffffu

/* Commands, without the 0x80 INIT bit. */
#define CTAPHID_PING		0x01
#define CTAPHID_MSG		0x03
#define CTAPHID_INIT		0x06
#define CTAPHID_WINK		0x08
#define CTAPHID_CBOR		0x10
#define CTAPHID_CANCEL		0x11
#define CTAPHID_KEEPALIVE	0x3b
#define CTAPHID_ERROR		0x3f

/* CTAPHID_ERROR codes (one byte of payload). */
#define CTAPHID_ERR_INVALID_CMD		0x01
#define CTAPHID_ERR_INVALID_PAR		0x02
#define CTAPHID_ERR_INVALID_LEN		0x03
#define CTAPHID_ERR_INVALID_SEQ		0x04
#define CTAPHID_ERR_CHANNEL_BUSY	0x06
#define CTAPHID_ERR_INVALID_CHANNEL	0x0b
#define CTAPHID_ERR_OTHER		0x7f

enum ctaphid_err {
	CTAPHID_OK = 0,
	CTAPHID_MORE,		/* frame taken, message not complete yet */
	CTAPHID_E_ARG,		/* NULL or impossible argument */
	CTAPHID_E_SEQ,		/* CONT frame out of order, or with no message begun */
	CTAPHID_E_CID,		/* CONT frame from another channel than the message's */
	CTAPHID_E_BUSY,		/* INIT frame from another channel while a message is open */
	CTAPHID_E_LEN,		/* declared length above CTAPHID_MAX_MSG */
	CTAPHID_E_TRUNCATED,	/* frame shorter than 64 bytes */
};

const char *ctaphid_strerror(int err);

/* One message being reassembled. Zero it (or call ctaphid_rx_reset) before use. */
struct ctaphid_rx {
	uint32_t cid;
	uint8_t cmd;		/* without the 0x80 bit */
	size_t len;		/* declared length */
	size_t got;
	uint8_t next_seq;
	int open;		/* an INIT frame was taken and the message is not complete */
	uint8_t data[CTAPHID_MAX_MSG];
};

void ctaphid_rx_reset(struct ctaphid_rx *rx);

/* Feed one frame of n bytes. Returns CTAPHID_OK when rx holds a complete
 * message (cid, cmd, len, data), CTAPHID_MORE when more frames are needed,
 * or an error; *err_cid says which channel to answer with an error. A frame
 * from another channel (E_BUSY, E_CID) leaves the message in progress alone;
 * E_SEQ and E_LEN drop it, as CTAPHID aborts such a transaction.
 * An INIT frame on the same channel restarts the message (CTAPHID resync). */
int ctaphid_rx_feed(struct ctaphid_rx *rx, const uint8_t *frame, size_t n, uint32_t *err_cid);

/* Number of frames needed for a message of len bytes (at least 1). */
size_t ctaphid_frame_count(size_t len);

/* Cut a message into frames[nframes][64]. Returns CTAPHID_OK and sets *used,
 * CTAPHID_E_LEN when len > CTAPHID_MAX_MSG, CTAPHID_E_ARG when out is too small.
 * Unused bytes of the last frame are zero. */
int ctaphid_fragment(uint32_t cid, uint8_t cmd, const uint8_t *msg, size_t len,
    uint8_t (*frames)[CTAPHID_FRAME_LEN], size_t nframes, size_t *used);

/* Helpers for a single frame. */
uint32_t ctaphid_frame_cid(const uint8_t *frame);
int ctaphid_frame_is_init(const uint8_t *frame);

#endif
