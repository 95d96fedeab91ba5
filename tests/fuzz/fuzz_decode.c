/* libFuzzer harness: every client decoder of API answers, picked by the first byte, plus the WWW-Authenticate parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/api.h"
#include "net/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decode, then free: leaks and double frees show up under ASan. The error
 * text must always be NUL-terminated within its buffer. */
#define RUN(decode, free_fn, type) do { \
	type *v = NULL; \
	if (decode(body, n, &v, err, sizeof(err)) == 0 && v == NULL) \
		__builtin_trap(); \
	if (memchr(err, '\0', sizeof(err)) == NULL) \
		__builtin_trap(); \
	free_fn(&v); \
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	size_t n = size - 1;
	char err[256], hdr[1024];
	long max_age;

	if (size < 1)
		return 0;
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	switch (data[0] % 11) {
	case 0: RUN(net_decode_health, net_health_free, struct net_health); break;
	case 1: RUN(net_decode_error, net_error_body_free, struct net_error_body); break;
	case 2: RUN(net_decode_challenge, net_challenge_free, struct net_challenge); break;
	case 3: RUN(net_decode_session, net_session_free, struct net_session); break;
	case 4: RUN(net_decode_me, net_me_free, struct net_me); break;
	case 5: RUN(net_decode_worklist, net_worklist_free, struct net_worklist); break;
	case 6: RUN(net_decode_chart, net_chart_free, struct net_chart); break;
	case 7: RUN(net_decode_search, net_worklist_free, struct net_worklist); break;
	case 8: RUN(net_decode_step_up, net_step_up_free, struct net_step_up); break;
	case 9: RUN(net_decode_grant, net_grant_free, struct net_grant); break;
	default:
		/* A header value is a C string: cut at the first NUL as libcurl would. */
		n = n < sizeof(hdr) - 1 ? n : sizeof(hdr) - 1;
		memcpy(hdr, body, n);
		hdr[n] = '\0';
		if (api_www_auth_step_up(hdr, &max_age) && max_age < -1)
			__builtin_trap();
		break;
	}
	return 0;
}
