/* CTAPHID framing of 64-byte HID reports: a fragmenter and a reassembler, pure functions. */
#include <string.h>

#include "auth/ctaphid.h"

const char *
ctaphid_strerror(int err)
{
	switch (err) {
	case CTAPHID_OK: return "complete message";
	case CTAPHID_MORE: return "more frames needed";
	case CTAPHID_E_ARG: return "invalid argument";
	case CTAPHID_E_SEQ: return "continuation frame out of sequence";
	case CTAPHID_E_CID: return "continuation frame from another channel";
	case CTAPHID_E_BUSY: return "another channel is mid-message";
	case CTAPHID_E_LEN: return "message longer than 2048 bytes";
	case CTAPHID_E_TRUNCATED: return "frame shorter than 64 bytes";
	}
	return "unknown CTAPHID error";
}

uint32_t
ctaphid_frame_cid(const uint8_t *frame)
{
	return (uint32_t)frame[0] << 24 | (uint32_t)frame[1] << 16 |
	    (uint32_t)frame[2] << 8 | (uint32_t)frame[3];
}

int
ctaphid_frame_is_init(const uint8_t *frame)
{
	return (frame[4] & 0x80) != 0;
}

void
ctaphid_rx_reset(struct ctaphid_rx *rx)
{
	if (rx == NULL)
		return;
	rx->cid = 0;
	rx->cmd = 0;
	rx->len = 0;
	rx->got = 0;
	rx->next_seq = 0;
	rx->open = 0;
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int
ctaphid_rx_feed(struct ctaphid_rx *rx, const uint8_t *frame, size_t n, uint32_t *err_cid)
{
	uint32_t cid;
	size_t take;

	if (rx == NULL || frame == NULL)
		return CTAPHID_E_ARG;
	if (n < CTAPHID_FRAME_LEN) {
		if (err_cid != NULL)
			*err_cid = n >= 4 ? ctaphid_frame_cid(frame) : 0;
		return CTAPHID_E_TRUNCATED;
	}
	cid = ctaphid_frame_cid(frame);
	if (err_cid != NULL)
		*err_cid = cid;

	if (ctaphid_frame_is_init(frame)) {
		size_t len = (size_t)frame[5] << 8 | frame[6];

		/* A second channel may not interleave; the same channel resyncs. */
		if (rx->open && rx->cid != cid)
			return CTAPHID_E_BUSY;
		if (len > CTAPHID_MAX_MSG) {
			ctaphid_rx_reset(rx);
			return CTAPHID_E_LEN;
		}
		rx->cid = cid;
		rx->cmd = frame[4] & 0x7f;
		rx->len = len;
		take = min_size(len, CTAPHID_INIT_DATA);
		memcpy(rx->data, frame + 7, take);
		rx->got = take;
		rx->next_seq = 0;
		rx->open = rx->got < rx->len;
		return rx->open ? CTAPHID_MORE : CTAPHID_OK;
	}

	if (!rx->open)
		return CTAPHID_E_SEQ;
	if (cid != rx->cid)
		return CTAPHID_E_CID;
	if (frame[4] != rx->next_seq) {
		ctaphid_rx_reset(rx);
		return CTAPHID_E_SEQ;
	}
	take = min_size(rx->len - rx->got, CTAPHID_CONT_DATA);
	memcpy(rx->data + rx->got, frame + 5, take);
	rx->got += take;
	rx->next_seq++;
	rx->open = rx->got < rx->len;
	return rx->open ? CTAPHID_MORE : CTAPHID_OK;
}

size_t
ctaphid_frame_count(size_t len)
{
	if (len <= CTAPHID_INIT_DATA)
		return 1;
	return 1 + (len - CTAPHID_INIT_DATA + CTAPHID_CONT_DATA - 1) / CTAPHID_CONT_DATA;
}

int
ctaphid_fragment(uint32_t cid, uint8_t cmd, const uint8_t *msg, size_t len,
    uint8_t (*frames)[CTAPHID_FRAME_LEN], size_t nframes, size_t *used)
{
	size_t need, off, i, take;

	if (frames == NULL || used == NULL || (msg == NULL && len > 0))
		return CTAPHID_E_ARG;
	if (len > CTAPHID_MAX_MSG)
		return CTAPHID_E_LEN;
	need = ctaphid_frame_count(len);
	if (nframes < need)
		return CTAPHID_E_ARG;

	memset(frames, 0, need * CTAPHID_FRAME_LEN);
	for (i = 0; i < need; i++) {
		frames[i][0] = (uint8_t)(cid >> 24);
		frames[i][1] = (uint8_t)(cid >> 16);
		frames[i][2] = (uint8_t)(cid >> 8);
		frames[i][3] = (uint8_t)cid;
	}
	frames[0][4] = (uint8_t)(0x80 | cmd);
	frames[0][5] = (uint8_t)(len >> 8);
	frames[0][6] = (uint8_t)len;
	take = min_size(len, CTAPHID_INIT_DATA);
	if (take > 0)
		memcpy(frames[0] + 7, msg, take);
	off = take;
	for (i = 1; i < need; i++) {
		frames[i][4] = (uint8_t)(i - 1);
		take = min_size(len - off, CTAPHID_CONT_DATA);
		memcpy(frames[i] + 5, msg + off, take);
		off += take;
	}
	*used = need;
	return CTAPHID_OK;
}
