/* libfido2 and libcrypto, loaded after the lock screen rather than before main() (auth/crypto_dl.c).
 * Only the chartgate binary links this; the softkey tool and the tests link the libraries. */
#ifndef CHARTGATE_AUTH_CRYPTO_DL_H
#define CHARTGATE_AUTH_CRYPTO_DL_H

/* Loads both now (once). 0, or -1 with the reason in crypto_dl_error(). */
int crypto_dl_load(void);
const char *crypto_dl_error(void);

#endif
