/// A worker's buffers for the near-duplicate pass, reused from document to document.
final class _NearScratch {
  var sorted: UnsafeMutablePointer<UInt64>
  var capacity = 1 << 16
  /// Sample hits of the current document: target, slot, shingle position.
  var hits: [(item: Int, slot: Int, position: Int)] = []
  /// The best finding per item in the current document.
  var best: [Int: NearDuplicateEvidence] = [:]

  init() { sorted = .allocate(capacity: capacity) }

  func reserve(_ count: Int) {
    guard count > capacity else { return }
    sorted.deallocate()
    while capacity < count { capacity *= 2 }
    sorted = .allocate(capacity: capacity)
  }

  deinit { sorted.deallocate() }
}
