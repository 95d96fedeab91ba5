/* Opening the authenticator for a sign-in: a softkey badge, or the first attached FIDO2 key. */
#ifndef CHARTGATE_AUTH_DEVICE_H
#define CHARTGATE_AUTH_DEVICE_H

#include <fido.h>

#include "auth/error.h"

struct softkey;

/* sk != NULL: the softkey authenticator for badge (or -1 = every badge,
 * see softkey_dev_open). sk == NULL: the first HID authenticator that
 * opens and speaks CTAP2 (badge ignored). *out is an open device; close
 * it with fido_dev_close + fido_dev_free. AUTH_E_NO_DEVICE when none. */
int auth_device_open(struct softkey *sk, int badge, fido_dev_t **out);

#endif
