/// A worker's buffers for the near-duplicate pass, reused from document to document.
final class _NearScratch {
  var sorted: UnsafeMutablePointer<UInt64>
  var capacity = 1 << 16
  /// Sample hits of the current document, packed as ``hit(target:position:slot:)`` makes them,
  /// so that sorting the integers orders them by target, then position: `hitCapacity` of them.
  private(set) var hits: UnsafeMutablePointer<UInt64>
  private(set) var hitCapacity = 1 << 12
  /// Hits per sample slot in the vote's sliding window (all zero between uses).
  var slotHits = [Int](repeating: 0, count: 64)
  /// Hits per target in the current document, to drop the hits of targets that cannot reach
  /// their votes before sorting (all zero between uses).
  let targetHits: UnsafeMutablePointer<UInt32>

  /// A hit packed in 64 bits: target (26 bits), shingle position (32), sample slot (6).
  @inline(__always)
  static func hit(target: Int, position: Int, slot: Int) -> UInt64 {
    UInt64(truncatingIfNeeded: target) << 38 | UInt64(truncatingIfNeeded: position) << 6 | UInt64(truncatingIfNeeded: slot)
  }
  /// The best finding per item in the current document.
  var best: [Int: NearDuplicateEvidence] = [:]

  init(targets: Int) {
    sorted = .allocate(capacity: capacity)
    hits = .allocate(capacity: hitCapacity)
    targetHits = .allocate(capacity: max(1, targets))
    targetHits.initialize(repeating: 0, count: max(1, targets))
  }

  /// Doubles ``hits``, keeping its first `count`.
  func growHits(keeping count: Int) -> UnsafeMutablePointer<UInt64> {
    let larger = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * hitCapacity)
    larger.update(from: hits, count: count)
    hits.deallocate()
    hits = larger
    hitCapacity *= 2
    return larger
  }

  func reserve(_ count: Int) {
    guard count > capacity else { return }
    sorted.deallocate()
    while capacity < count { capacity *= 2 }
    sorted = .allocate(capacity: capacity)
  }

  deinit {
    sorted.deallocate()
    hits.deallocate()
    targetHits.deallocate()
  }
}
