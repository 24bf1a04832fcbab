#ifndef CCONTAMSUPPORT_SHIM_H
#define CCONTAMSUPPORT_SHIM_H

/// Asks the CPU to start loading the cache line at `address` for reading (no fault if invalid).
/// Swift has no prefetch intrinsic; the index probe batches lookups and prefetches ahead.
static inline __attribute__((always_inline)) void CContamSupport_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

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
