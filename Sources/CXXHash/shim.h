#ifndef CXXHASH_SHIM_H
#define CXXHASH_SHIM_H

// The Clang importer reads headers as if at -O0, which turns xxHash's inline hints off;
// re-enable them so XXH3 inlines into Swift's tokenizer loop.
#define XXH_NO_INLINE_HINTS 0
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <stdint.h>
#include <stddef.h>

/// XXH3-64 of `length` bytes at `data` with `seed` (0 gives `xxhsum -H3`'s value).
/// Tokens are short: inputs up to 16 bytes go straight to XXH3's short-input kernel (what
/// XXH3_64bits_withSeed does for them, without the call), longer ones through the public API.
static inline __attribute__((always_inline)) uint64_t
CXXHash_xxh3_64(const void *data, size_t length, uint64_t seed) {
  if (length <= 16) {
    return XXH3_len_0to16_64b((const xxh_u8 *)data, length, XXH3_kSecret, seed);
  }
  return XXH3_64bits_withSeed(data, length, seed);
}

#endif
