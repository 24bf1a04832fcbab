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

/// XXH3-64 with seed 0 of `length` bytes (1 to 16) held in two words, little-endian: bytes 0-7 in
/// `low`, bytes 8-15 in `high` (bytes past `length` are ignored). The same value as
/// CXXHash_xxh3_64 of those bytes in memory, computed from the registers a word was classified
/// in: no store and reload (a reload that straddles two stores waits for both to retire), and
/// the short-input kernel's reads become shifts.
static inline __attribute__((always_inline)) uint64_t
CXXHash_xxh3_64_words(uint64_t low, uint64_t high, size_t length) {
  const xxh_u8 *secret = XXH3_kSecret;
  if (length > 8) {
    // The kernel reads bytes 0-7 and the last eight, length-8 to length.
    uint64_t last = (uint64_t)((((unsigned __int128)high << 64) | low) >> (8 * (length - 8)));
    uint64_t first = low ^ (XXH_readLE64(secret + 24) ^ XXH_readLE64(secret + 32));
    last ^= XXH_readLE64(secret + 40) ^ XXH_readLE64(secret + 48);
    return XXH3_avalanche(length + XXH_swap64(first) + last + XXH3_mul128_fold64(first, last));
  }
  if (length >= 4) {
    // The first four bytes and the last four.
    uint64_t first = (uint32_t)low;
    uint64_t last = (uint32_t)(low >> (8 * (length - 4)));
    uint64_t keyed = (last + (first << 32)) ^ (XXH_readLE64(secret + 8) ^ XXH_readLE64(secret + 16));
    return XXH3_rrmxmx(keyed, length);
  }
  // The first byte, the middle one and the last, with the length.
  uint32_t c1 = (uint32_t)(low & 0xFF);
  uint32_t c2 = (uint32_t)((low >> (8 * (length >> 1))) & 0xFF);
  uint32_t c3 = (uint32_t)((low >> (8 * (length - 1))) & 0xFF);
  uint32_t combined = (c1 << 16) | (c2 << 24) | c3 | ((uint32_t)length << 8);
  return XXH64_avalanche((uint64_t)combined ^ (XXH_readLE32(secret) ^ XXH_readLE32(secret + 4)));
}

#endif
