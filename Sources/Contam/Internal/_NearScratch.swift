/// A worker's buffers for the near-duplicate pass, reused from document to document.
final class _NearScratch {
  var sorted: UnsafeMutablePointer<UInt64>
  var capacity = 1 << 16
  /// The keys of the region a candidate is confirmed in (``region(_:)``): `regionCapacity` of them.
  private var regionKeys: UnsafeMutablePointer<UInt64>
  private var regionCapacity = 1 << 12
  /// Sample hits of the current document, packed as ``hit(target:position:slot:)`` makes them,
  /// so that sorting the integers orders them by target, then position: `hitCapacity` of them.
  private(set) var hits: UnsafeMutablePointer<UInt64>
  private(set) var hitCapacity = 1 << 12
  /// Hits per sample slot in the vote's sliding window (all zero between uses).
  var slotHits = [Int](repeating: 0, count: 64)
  /// Hits per target in the current document, to drop the hits of targets that cannot reach
  /// their votes before sorting (all zero between uses). A byte each, saturating at 255, and
  /// beside it each target's votes (at most 64) as a byte: one random access per hit into a
  /// table a twelfth the size of an `Int` pair, small enough to stay in a core's own cache.
  let targetHits: UnsafeMutablePointer<UInt8>
  let targetVotes: UnsafeMutablePointer<UInt8>

  /// A hit packed in 64 bits: target (26 bits), shingle position (32), sample slot (6).
  @inline(__always)
  static func hit(target: Int, position: Int, slot: Int) -> UInt64 {
    UInt64(truncatingIfNeeded: target) << 38 | UInt64(truncatingIfNeeded: position) << 6 | UInt64(truncatingIfNeeded: slot)
  }
  /// The best finding per item in the current document.
  var best: [Int: NearDuplicateEvidence] = [:]

  /// - Parameter votes: per target, the sample hits it needs (``NearDuplicateIndex``).
  init(votes: [Int]) {
    sorted = .allocate(capacity: capacity)
    regionKeys = .allocate(capacity: regionCapacity)
    hits = .allocate(capacity: hitCapacity)
    targetHits = .allocate(capacity: max(1, votes.count))
    targetHits.initialize(repeating: 0, count: max(1, votes.count))
    targetVotes = .allocate(capacity: max(1, votes.count))
    for (t, v) in votes.enumerated() {
      precondition((0...255).contains(v), "a target needs at most 64 votes (the signature size)")
      (targetVotes + t).initialize(to: UInt8(v))
    }
  }

  /// Counts a hit of `target` (saturating: 255 is more votes than any target needs).
  @inline(__always)
  func count(_ target: Int) {
    let c = targetHits[target]
    targetHits[target] = c &+ (c == 255 ? 0 : 1)
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

  /// Room for `count` keys of a confirmed span's region, which stays valid through
  /// ``reserve(_:)``.
  func region(_ count: Int) -> UnsafeMutablePointer<UInt64> {
    Self.make(&regionKeys, capacity: &regionCapacity, hold: count)
    return regionKeys
  }

  func reserve(_ count: Int) { Self.make(&sorted, capacity: &capacity, hold: count) }

  /// Replaces `buffer` (its contents not kept) by one of twice the capacity, as often as it
  /// takes to hold `count`.
  private static func make(_ buffer: inout UnsafeMutablePointer<UInt64>, capacity: inout Int, hold count: Int) {
    guard count > capacity else { return }
    buffer.deallocate()
    while capacity < count { capacity *= 2 }
    buffer = .allocate(capacity: capacity)
  }

  deinit {
    sorted.deallocate()
    regionKeys.deallocate()
    hits.deallocate()
    targetHits.deallocate()
    targetVotes.deallocate()
  }
}
