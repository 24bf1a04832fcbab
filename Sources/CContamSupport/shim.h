#ifndef CCONTAMSUPPORT_SHIM_H
#define CCONTAMSUPPORT_SHIM_H

/// Asks the CPU to start loading the cache line at `address` for reading (no fault if invalid).
/// Swift has no prefetch intrinsic; the index probe batches lookups and prefetches ahead.
static inline __attribute__((always_inline)) void CContamSupport_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#endif
