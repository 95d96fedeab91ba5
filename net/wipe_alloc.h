/* Allocation for the client's libraries that wipes every block it frees, so a
 * session token or a chart that passed through libcurl, jansson or OpenSSL
 * buffers does not outlive its use in freed heap memory. */
#ifndef CHARTGATE_WIPE_ALLOC_H
#define CHARTGATE_WIPE_ALLOC_H

/* jansson: first thing in main(), before anything has parsed JSON. */
void net_wipe_alloc_install_jansson(void);
/* OpenSSL: before anything has used it, as it only accepts new functions
 * before its first allocation; in the client, right after libcrypto is
 * loaded (auth/crypto_dl.h). 0, or -1 when it refused (still runs, unwiped). */
int net_wipe_alloc_install_openssl(void);
/* libcurl: before the first http_new(). It loads libcurl (net/curl_dl.h),
 * which is why it is apart: the lock screen is painted without libcurl. */
int net_wipe_alloc_install_curl(void);

#endif
