/* Softkey CBOR helpers: a bounds pre-check of hostile input, typed getters and map builders over libcbor. */
#include <stdlib.h>
#include <string.h>

#include "auth/softkey_int.h"

#define SK_CBOR_DEPTH	8

static int
precheck_item(const uint8_t **pp, const uint8_t *end, int depth)
{
	const uint8_t *p = *pp;
	uint64_t arg = 0, i;
	unsigned major, ai, k, nb;

	if (depth > SK_CBOR_DEPTH || p >= end)
		return -1;
	major = *p >> 5;
	ai = *p & 31;
	p++;
	if (ai < 24)
		arg = ai;
	else if (ai <= 27) {
		nb = 1u << (ai - 24);
		if ((size_t)(end - p) < nb)
			return -1;
		for (k = 0; k < nb; k++)
			arg = arg << 8 | *p++;
	} else
		return -1;	/* reserved, or indefinite length: CTAP2 canonical CBOR has none */

	switch (major) {
	case 0: case 1: case 7:
		break;
	case 2: case 3:
		if (arg > (uint64_t)(end - p))
			return -1;
		p += arg;
		break;
	case 4: case 5:
		/* every element takes at least one byte */
		if (arg > (uint64_t)(end - p) || (major == 5 && arg > (uint64_t)(end - p) / 2))
			return -1;
		for (i = 0; i < (major == 5 ? arg * 2 : arg); i++)
			if (precheck_item(&p, end, depth + 1) < 0)
				return -1;
		break;
	case 6:
		if (precheck_item(&p, end, depth + 1) < 0)
			return -1;
		break;
	}
	*pp = p;
	return 0;
}

int
sk_cbor_precheck(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;

	if (p == NULL || n == 0 || precheck_item(&p, end, 0) < 0)
		return -1;
	return p == end ? 0 : -1;
}

int
sk_get_uint(const cbor_item_t *it, uint64_t *v)
{
	if (it == NULL || !cbor_isa_uint(it))
		return -1;
	*v = cbor_get_int(it);
	return 0;
}

int
sk_get_int(const cbor_item_t *it, int64_t *v)
{
	uint64_t u;

	if (it == NULL || (!cbor_isa_uint(it) && !cbor_isa_negint(it)))
		return -1;
	u = cbor_get_int(it);
	if (u > INT64_MAX)
		return -1;
	*v = cbor_isa_uint(it) ? (int64_t)u : -1 - (int64_t)u;
	return 0;
}

int
sk_get_bool(const cbor_item_t *it, int *v)
{
	if (it == NULL || !cbor_is_bool(it))
		return -1;
	*v = cbor_get_bool(it);
	return 0;
}

int
sk_get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *n)
{
	if (it == NULL || !cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it))
		return -1;
	*p = cbor_bytestring_handle(it);
	*n = cbor_bytestring_length(it);
	return 0;
}

int
sk_get_text(const cbor_item_t *it, char *out, size_t outsz)
{
	size_t n;

	if (it == NULL || !cbor_isa_string(it) || !cbor_string_is_definite(it))
		return -1;
	n = cbor_string_length(it);
	if (n >= outsz || (n > 0 && memchr(cbor_string_handle(it), 0, n) != NULL))
		return -1;
	if (n > 0)
		memcpy(out, cbor_string_handle(it), n);
	out[n] = '\0';
	return 0;
}

const cbor_item_t *
sk_map_get_int(const cbor_item_t *map, int64_t key)
{
	struct cbor_pair *pairs;
	size_t i, n;
	int64_t k;

	if (map == NULL || !cbor_isa_map(map) || !cbor_map_is_definite(map))
		return NULL;
	pairs = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++)
		if (sk_get_int(pairs[i].key, &k) == 0 && k == key)
			return pairs[i].value;
	return NULL;
}

const cbor_item_t *
sk_map_get_str(const cbor_item_t *map, const char *key)
{
	struct cbor_pair *pairs;
	size_t i, n, klen = strlen(key);

	if (map == NULL || !cbor_isa_map(map) || !cbor_map_is_definite(map))
		return NULL;
	pairs = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++) {
		const cbor_item_t *k = pairs[i].key;

		if (cbor_isa_string(k) && cbor_string_is_definite(k) &&
		    cbor_string_length(k) == klen && memcmp(cbor_string_handle(k), key, klen) == 0)
			return pairs[i].value;
	}
	return NULL;
}

int
sk_map_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
	int ok = 0;

	if (map != NULL && k != NULL && v != NULL)
		ok = cbor_map_add(map, (struct cbor_pair){ .key = k, .value = v });
	if (k != NULL)
		cbor_decref(&k);
	if (v != NULL)
		cbor_decref(&v);
	return ok ? 0 : -1;
}

/* Smallest width, as CTAP2 canonical CBOR wants (libfido2 refuses wider map keys). */
cbor_item_t *
sk_cbor_int(int64_t v)
{
	uint64_t u = v >= 0 ? (uint64_t)v : (uint64_t)(-1 - v);
	cbor_item_t *it;

	if (u <= UINT8_MAX)
		it = v >= 0 ? cbor_build_uint8((uint8_t)u) : cbor_build_negint8((uint8_t)u);
	else if (u <= UINT16_MAX)
		it = v >= 0 ? cbor_build_uint16((uint16_t)u) : cbor_build_negint16((uint16_t)u);
	else if (u <= UINT32_MAX)
		it = v >= 0 ? cbor_build_uint32((uint32_t)u) : cbor_build_negint32((uint32_t)u);
	else
		it = v >= 0 ? cbor_build_uint64(u) : cbor_build_negint64(u);
	return it;
}

/* COSE_Key for a P-256 point: {1: 2 (EC2), 3: alg, -1: 1 (P-256), -2: x, -3: y}. */
cbor_item_t *
sk_cose_p256(const uint8_t xy[64], int64_t alg)
{
	cbor_item_t *m;

	if ((m = cbor_new_definite_map(5)) == NULL)
		return NULL;
	if (sk_map_put(m, sk_cbor_int(1), sk_cbor_int(2)) < 0 ||
	    sk_map_put(m, sk_cbor_int(3), sk_cbor_int(alg)) < 0 ||
	    sk_map_put(m, sk_cbor_int(-1), sk_cbor_int(1)) < 0 ||
	    sk_map_put(m, sk_cbor_int(-2), cbor_build_bytestring(xy, 32)) < 0 ||
	    sk_map_put(m, sk_cbor_int(-3), cbor_build_bytestring(xy + 32, 32)) < 0) {
		cbor_decref(&m);
		return NULL;
	}
	return m;
}

int
sk_answer(uint8_t status, const cbor_item_t *body, uint8_t **out, size_t *outlen)
{
	unsigned char *buf = NULL;
	size_t bufsz = 0, n = 0;
	uint8_t *p;

	if (body != NULL && (n = cbor_serialize_alloc(body, &buf, &bufsz)) == 0)
		return -1;
	if ((p = malloc(n + 1)) == NULL) {
		free(buf);
		return -1;
	}
	p[0] = status;
	if (n > 0)
		memcpy(p + 1, buf, n);
	free(buf);
	*out = p;
	*outlen = n + 1;
	return 0;
}
