#ifndef CCONTAMSUPPORT_SHIM_H
#define CCONTAMSUPPORT_SHIM_H

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

#endif
