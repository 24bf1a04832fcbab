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
static inline __attribute__((always_inline)) uint64_t
CXXHash_xxh3_64(const void *data, size_t length, uint64_t seed) {
  return XXH3_64bits_withSeed(data, length, seed);
}

#endif
