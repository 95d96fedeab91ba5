/* libcurl, loaded on first use rather than before main() (net/curl_dl.c).
 * Code calls curl_* as usual; the first call that needs libcurl loads it. */
#ifndef CHARTGATE_NET_CURL_DL_H
#define CHARTGATE_NET_CURL_DL_H

/* Loads libcurl now (once). 0, or -1 with the reason in curl_dl_error(). */
int curl_dl_load(void);
const char *curl_dl_error(void);

#endif
