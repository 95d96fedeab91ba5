/* Opening the authenticator for a sign-in: a softkey badge, or the first attached FIDO2 key. */
#include <stddef.h>

#include "auth/device.h"
#include "auth/softkey.h"

#define MAX_KEYS 16

static int
open_hardware(fido_dev_t **out)
{
	fido_dev_info_t *list = NULL;
	fido_dev_t *dev = NULL;
	size_t n = 0, i;
	int r = AUTH_E_NO_DEVICE;

	if ((list = fido_dev_info_new(MAX_KEYS)) == NULL)
		return AUTH_E_NOMEM;
	if (fido_dev_info_manifest(list, MAX_KEYS, &n) != FIDO_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		const char *path = fido_dev_info_path(fido_dev_info_ptr(list, i));

		if (path == NULL || (dev = fido_dev_new()) == NULL)
			continue;
		/* U2F-only keys cannot do usernameless sign-in: skip them */
		if (fido_dev_open(dev, path) == FIDO_OK) {
			if (fido_dev_is_fido2(dev)) {
				*out = dev;
				r = AUTH_OK;
				break;
			}
			fido_dev_close(dev);
		}
		fido_dev_free(&dev);
	}
	fido_dev_info_free(&list, MAX_KEYS);
	return r;
}

int
auth_device_open(struct softkey *sk, int badge, fido_dev_t **out)
{
	int r;

	if (out == NULL)
		return AUTH_E_ARG;
	*out = NULL;
	if (sk == NULL)
		return open_hardware(out);
	r = softkey_dev_open(sk, badge, out);
	if (r == SOFTKEY_OK)
		return AUTH_OK;
	if (r == SOFTKEY_E_ARG)
		return AUTH_E_ARG;
	if (r == SOFTKEY_E_NOMEM)
		return AUTH_E_NOMEM;
	return AUTH_E_NO_DEVICE;
}
