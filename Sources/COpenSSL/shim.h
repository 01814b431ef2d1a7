#ifndef CLANBOT_COPENSSL_SHIM_H
#define CLANBOT_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

/* Function-like macros Swift cannot import, wrapped as inline functions. */
static inline long clanbot_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long clanbot_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

/* Transport (TLS client) and TestSupport (certificate generation): macros wrapped as functions. */
static inline long clanbot_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline EVP_PKEY *clanbot_EVP_EC_gen(const char *curve) {
    return EVP_EC_gen(curve);
}
static inline long clanbot_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
static inline int clanbot_ERR_GET_REASON(unsigned long error) {
    return ERR_GET_REASON(error);
}
#endif
