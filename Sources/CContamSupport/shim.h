#ifndef CCONTAMSUPPORT_SHIM_H
#define CCONTAMSUPPORT_SHIM_H

#include <stdbool.h>
#include <stdint.h>

/// Asks the CPU to start loading the cache line at `address` for reading (no fault if invalid).
/// Swift has no prefetch intrinsic; the index probe batches lookups and prefetches ahead.
static inline __attribute__((always_inline)) void CContamSupport_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

/// Memory for a hash table's arrays (``_HashTable``), freed with `free`. With `hugePages`, on a
/// 2 MiB boundary with its whole 2 MiB pages marked for transparent huge pages, so filling tens of
/// MB at once (a read from the index cache) takes one page fault per 2 MiB instead of one per
/// 4 KiB; the tail past the last whole huge page stays in small pages.
#if defined(__linux__)
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
static inline void *CContamSupport_allocateTable(size_t bytes, bool hugePages) {
  const size_t huge = (size_t)1 << 21;
  if (!hugePages || bytes < huge) return malloc(bytes > 0 ? bytes : 1);
  void *memory = NULL;
  if (posix_memalign(&memory, huge, bytes) != 0) return NULL;
#if defined(MADV_HUGEPAGE)
  madvise(memory, bytes & ~(huge - 1), MADV_HUGEPAGE);
#endif
  return memory;
}
#else
#include <stdbool.h>
#include <stdlib.h>
static inline void *CContamSupport_allocateTable(size_t bytes, bool hugePages) { return malloc(bytes > 0 ? bytes : 1); }
#endif
static inline void CContamSupport_freeTable(void *memory) { free(memory); }

/// Returns freed heap memory to the system (glibc's malloc_trim), so resident memory after a
/// build with large temporary buffers is what the built structures keep; and has blocks of
/// 1 MiB and more mapped apart (a fixed mmap threshold), so they go back when freed. No-ops
/// elsewhere.
#if defined(__linux__)
#include <malloc.h>
static inline void CContamSupport_releaseFreeMemory(void) { malloc_trim(0); }
static inline void CContamSupport_mapLargeBlocks(void) { mallopt(M_MMAP_THRESHOLD, 1 << 20); }
#else
static inline void CContamSupport_releaseFreeMemory(void) {}
static inline void CContamSupport_mapLargeBlocks(void) {}
#endif

/// Which of the 16 bytes at `bytes` are ASCII word bytes, `0-9 A-Z a-z`: bit k for byte k. With
/// SSE2, the 16 bytes are classified at once (letters: the byte with 0x20 set, moved by 0x1F, is
/// one of the 26 lowest signed values; digits likewise by 0x50 and 10); elsewhere a loop.
#if defined(__SSE2__)
#include <emmintrin.h>
static inline __attribute__((always_inline)) unsigned CContamSupport_wordMask16(const void *bytes) {
  __m128i v = _mm_loadu_si128((const __m128i *)bytes);
  __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x1F)), _mm_set1_epi8(-128 + 26));
  __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)), _mm_set1_epi8(-128 + 10));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
}
#else
static inline unsigned CContamSupport_wordMask16(const void *bytes) {
  const unsigned char *b = (const unsigned char *)bytes;
  unsigned mask = 0;
  for (int k = 0; k < 16; k++) {
    if ((unsigned)((b[k] | 0x20) - 0x61) < 26 || (unsigned)(b[k] - 0x30) < 10) mask |= 1u << k;
  }
  return mask;
}
#endif

/// How many of the 16 bytes at `bytes` from the first on are word bytes (0 to 16).
static inline __attribute__((always_inline)) int CContamSupport_wordLength16(const void *bytes) {
  return __builtin_ctz(~CContamSupport_wordMask16(bytes));
}

/// The 64 bytes at `bytes` classified, bit k for byte k: `*words`, the word bytes
/// (CContamSupport_wordMask16); `*roman`, `i`, `v`, `I` and `V`, the letters an option label in
/// roman numerals is written in. Both from one load of each 16 bytes.
static inline __attribute__((always_inline)) void CContamSupport_classify64(const void *bytes, uint64_t *words, uint64_t *roman) {
  const unsigned char *b = (const unsigned char *)bytes;
  uint64_t w = 0, r = 0;
#if defined(__SSE2__)
  for (int k = 0; k < 4; k++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(b + 16 * k));
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8(0x1F)), _mm_set1_epi8(-128 + 26));
    __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)), _mm_set1_epi8(-128 + 10));
    __m128i iv = _mm_or_si128(_mm_cmpeq_epi8(lower, _mm_set1_epi8(0x69)), _mm_cmpeq_epi8(lower, _mm_set1_epi8(0x76)));
    w |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) << (16 * k);
    r |= (uint64_t)(unsigned)_mm_movemask_epi8(iv) << (16 * k);
  }
#else
  for (int k = 0; k < 64; k++) {
    if ((unsigned)((b[k] | 0x20) - 0x61) < 26 || (unsigned)(b[k] - 0x30) < 10) w |= 1ull << k;
    if ((b[k] | 0x20) == 0x69 || (b[k] | 0x20) == 0x76) r |= 1ull << k;
  }
#endif
  *words = w;
  *roman = r;
}

/// Whether `key` is one of the six option labels in roman numerals, `ii iii iv vi vii viii`, as
/// the tokenizer's fast lane keys a word (``Tokenizer/isRomanLabel(_:length:)``: up to its first
/// four bytes lower-cased, little-endian, its length in the top byte). By a perfect hash: the
/// multiplier sends the six keys to six of eight slots, one of them slot 0 (where the key 0
/// goes), so a slot's entry is the one key there that is a label and an empty slot's 0 matches
/// no key that goes there. One multiply and one load, no branch on the word.
#define CCONTAMSUPPORT_ROMAN_MULTIPLIER 0xcf1822ffbc688779ULL
#define CCONTAMSUPPORT_ROMAN_SLOT(key) (((key) * CCONTAMSUPPORT_ROMAN_MULTIPLIER) >> 61)
#define CCONTAMSUPPORT_ROMAN(length, word) (((unsigned long long)(length) << 56) | (word))
static inline __attribute__((always_inline)) bool CContamSupport_isRomanLabelKey(uint64_t key) {
  static const uint64_t labels[8] = {
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(2, 0x6969ULL))] = CCONTAMSUPPORT_ROMAN(2, 0x6969ULL),
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(3, 0x696969ULL))] = CCONTAMSUPPORT_ROMAN(3, 0x696969ULL),
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(2, 0x7669ULL))] = CCONTAMSUPPORT_ROMAN(2, 0x7669ULL),
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(2, 0x6976ULL))] = CCONTAMSUPPORT_ROMAN(2, 0x6976ULL),
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(3, 0x696976ULL))] = CCONTAMSUPPORT_ROMAN(3, 0x696976ULL),
    [CCONTAMSUPPORT_ROMAN_SLOT(CCONTAMSUPPORT_ROMAN(4, 0x69696976ULL))] = CCONTAMSUPPORT_ROMAN(4, 0x69696976ULL),
  };
  return labels[CCONTAMSUPPORT_ROMAN_SLOT(key)] == key;
}

#endif
