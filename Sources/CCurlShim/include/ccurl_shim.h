#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt is variadic, which Swift cannot call: one typed wrapper per argument kind. */
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode ccurl_setopt_header_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/* curl_global_init's flag macros do not import into Swift; runs it exactly once. */
void ccurl_global_init_once(void);
/* Reads the next finished transfer of a multi handle: 1 and fills easy/result, or 0 when none. */
int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/* Drives a multi handle with curl's socket interface: the kernel reports which of its
   connections are ready (epoll on Linux), and curl touches only those. curl_multi_poll and
   curl_multi_perform instead walk every connection on every wake-up, which at hundreds of
   connections kept alive cost more CPU than the transfers themselves. Where epoll is not
   available the loop falls back to curl_multi_poll. All calls but wakeup come from one thread. */
typedef struct ccurl_loop ccurl_loop;
/* NULL when out of memory. Installs the multi handle's socket and timer callbacks. */
ccurl_loop *ccurl_loop_create(CURLM *multi);
/* Waits at most max_wait_ms for a ready connection, curl's timer or a wake-up, then lets curl
   act on what is ready; finished transfers are then read with ccurl_multi_next_done. */
void ccurl_loop_run_once(ccurl_loop *loop, int max_wait_ms);
/* Ends a wait early; callable from any thread. */
void ccurl_loop_wakeup(ccurl_loop *loop);
/* Frees the loop. Call it after curl_multi_cleanup, which still reports connections it closes. */
void ccurl_loop_destroy(ccurl_loop *loop);
#endif
