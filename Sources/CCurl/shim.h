#ifndef CLANBOT_CCURL_SHIM_H
#define CLANBOT_CCURL_SHIM_H
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift needs one typed wrapper per argument kind. */
static inline CURLcode clanbot_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_write_callback(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode clanbot_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
/* HTTP client (Transport/HTTP): typed wrappers for the remaining argument kinds it needs. */
static inline CURLcode clanbot_curl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_xferinfo(CURL *h, CURLoption o, curl_xferinfo_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode clanbot_curl_setopt_opensocket(CURL *h, CURLoption o, curl_opensocket_callback v) { return curl_easy_setopt(h, o, v); }
/* The IP address curl is about to connect to: copies 4 (IPv4) or 16 (IPv6) bytes into out and returns that
   count, or 0 for any other family. Done in C because curl_sockaddr's addr member is declared as a plain
   sockaddr but holds the larger sockaddr_in6 for IPv6. */
static inline int clanbot_curl_sockaddr_ip(const struct curl_sockaddr *a, unsigned char out[16]) {
    if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)&a->addr;
        memcpy(out, &v4->sin_addr, 4);
        return 4;
    }
    if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)&a->addr;
        memcpy(out, &v6->sin6_addr, 16);
        return 16;
    }
    return 0;
}
/* After a burst of transfers: returns the heap pages freed since to the system (glibc only; elsewhere a no-op). */
#if defined(__GLIBC__)
#include <malloc.h>
static inline void clanbot_malloc_trim(void) { malloc_trim(0); }
static inline void clanbot_malloc_arena_max(int arenas) { mallopt(M_ARENA_MAX, arenas); }
#else
static inline void clanbot_malloc_trim(void) {}
static inline void clanbot_malloc_arena_max(int arenas) { (void)arenas; }
#endif
static inline const char *clanbot_curl_default_cainfo(void) { curl_version_info_data *d = curl_version_info(CURLVERSION_NOW); return d ? d->cainfo : 0; }
#endif
