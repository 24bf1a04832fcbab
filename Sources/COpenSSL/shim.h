#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// SHA-256, streamed, and Ed25519 signatures of certificates (RFC 8032: deterministic, a
// 32-byte seed as the private key). SHA-256 goes through libcrypto's low-level SHA256_* calls,
// deprecated in OpenSSL 3 but the same code (the CPU's SHA extensions, same speed): the EVP
// interface loads OpenSSL's provider machinery, +2 MB resident in every run, which only the
// signatures (made and checked rarely) need.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdlib.h>

/// A new SHA-256 context, or NULL.
static inline SHA256_CTX *COpenSSL_sha256_new(void) {
  SHA256_CTX *context = malloc(sizeof *context);
  if (context && SHA256_Init(context) != 1) {
    free(context);
    return NULL;
  }
  return context;
}

static inline int COpenSSL_sha256_update(SHA256_CTX *context, const void *data, size_t count) {
  return SHA256_Update(context, data, count);
}

/// Writes the 32-byte digest to `out`.
static inline int COpenSSL_sha256_final(SHA256_CTX *context, unsigned char *out) { return SHA256_Final(out, context); }

static inline void COpenSSL_sha256_free(SHA256_CTX *context) { free(context); }

/// Fills `out` with `count` bytes from the system's secure random source. 1 on success.
static inline int COpenSSL_random(unsigned char *out, int count) { return RAND_bytes(out, count); }

/// Writes the 32-byte Ed25519 public key of the 32-byte private key `seed` to `out`. 1 on success.
static inline int COpenSSL_ed25519_public_key(const unsigned char *seed, unsigned char *out) {
  EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
  if (!key) return 0;
  size_t length = 32;
  int ok = EVP_PKEY_get_raw_public_key(key, out, &length) == 1 && length == 32;
  EVP_PKEY_free(key);
  return ok;
}

/// Writes the 64-byte Ed25519 signature of `message` with the private key `seed` to `out`.
/// 1 on success.
static inline int COpenSSL_ed25519_sign(const unsigned char *seed, const unsigned char *message, size_t count, unsigned char *out) {
  EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
  if (!key) return 0;
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  size_t length = 64;
  int ok = context && EVP_DigestSignInit(context, NULL, NULL, NULL, key) == 1 &&
           EVP_DigestSign(context, out, &length, message, count) == 1 && length == 64;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  return ok;
}

/// 1 when the 64-byte `signature` is the Ed25519 signature of `message` by the 32-byte public
/// key `publicKey`; 0 otherwise (a malformed key or signature included).
static inline int COpenSSL_ed25519_verify(const unsigned char *publicKey, const unsigned char *message, size_t count,
                                          const unsigned char *signature) {
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, publicKey, 32);
  if (!key) return 0;
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  int ok = context && EVP_DigestVerifyInit(context, NULL, NULL, NULL, key) == 1 &&
           EVP_DigestVerify(context, signature, 64, message, count) == 1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  return ok;
}
#endif
