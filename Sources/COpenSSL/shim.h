#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// Only SHA-256 of input files, streamed: OpenSSL's libcrypto uses the CPU's SHA extensions
// (about 4x the speed of the BoringSSL build inside swift-crypto on the build machines).
#include <openssl/evp.h>

/// A new SHA-256 context, or NULL.
static inline EVP_MD_CTX *COpenSSL_sha256_new(void) {
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  if (context && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
    EVP_MD_CTX_free(context);
    return NULL;
  }
  return context;
}

static inline int COpenSSL_sha256_update(EVP_MD_CTX *context, const void *data, size_t count) {
  return EVP_DigestUpdate(context, data, count);
}

/// Writes the 32-byte digest to `out`.
static inline int COpenSSL_sha256_final(EVP_MD_CTX *context, unsigned char *out) {
  unsigned int length = 0;
  return EVP_DigestFinal_ex(context, out, &length) == 1 && length == 32;
}

static inline void COpenSSL_sha256_free(EVP_MD_CTX *context) { EVP_MD_CTX_free(context); }
#endif
