/// MinHash signatures of shingle sets, for estimating Jaccard similarity.
///
/// Shingles are runs of `k` tokens, keyed by ``NGramHasher`` (well-mixed 64-bit values). Two
/// schemes give signatures of `m` 32-bit values, compared position by position (the fraction
/// of equal positions estimates Jaccard similarity):
/// - ``Scheme/onePermutation`` (default): one hash per shingle. The high bits choose one of `m`
///   buckets, the low 32 bits compete for its minimum (Li, Owen & Zhang 2012). Empty buckets
///   are filled by rotation densification (Shrivastava & Li 2014): the nearest non-empty bucket
///   to the right, mixed with the distance. Cost: O(|set| + m).
/// - ``Scheme/classic``: `m` independent hash functions, the minimum of each over the set
///   (Broder 1997). Cost: O(|set| · m). Kept to compare accuracy and speed.
public struct MinHasher: Sendable, Hashable {
  public enum Scheme: String, Sendable, Codable, CaseIterable {
    case onePermutation = "one-permutation"
    case classic
  }

  /// Values per signature.
  public let m: Int
  public let scheme: Scheme
  /// The value of an empty bucket before densification.
  public static let empty = UInt32.max

  public init(m: Int, scheme: Scheme = .onePermutation) {
    precondition(m >= 1 && m <= 1024, "m must be in 1...1024")
    self.m = m
    self.scheme = scheme
  }

  @inline(__always)
  static func mix(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 31
    h = h &* 0x7FB5_D329_728E_A185
    h ^= h >> 27
    h = h &* 0x81DA_DEF4_BC2D_D44D
    h ^= h >> 33
    return h
  }

  /// Writes the signature of the shingle keys `keys` (duplicates allowed) into `signature`,
  /// which must hold `m` values.
  /// - Returns: false if `keys` is empty (no signature).
  @discardableResult
  public func signature(of keys: UnsafeBufferPointer<UInt64>, into signature: UnsafeMutablePointer<UInt32>) -> Bool {
    let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: m)
    defer { scratch.deallocate() }
    return self.signature(of: keys, into: signature, scratch: scratch)
  }

  /// As ``signature(of:into:)``, with caller-owned scratch space of `m` values (no allocation).
  @discardableResult
  public func signature(
    of keys: UnsafeBufferPointer<UInt64>, into signature: UnsafeMutablePointer<UInt32>,
    scratch: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard !keys.isEmpty else { return false }
    signature.update(repeating: Self.empty, count: m)
    switch scheme {
    case .onePermutation:
      let buckets = UInt64(m)
      for key in keys {
        // Safe: the product of a 32-bit value and m < 2^11 cannot overflow 64 bits.
        let bucket = Int(((key >> 32) &* buckets) >> 32)
        let value = UInt32(truncatingIfNeeded: key)
        if value < signature[bucket] { signature[bucket] = value }
      }
      densify(signature, scratch: scratch)
    case .classic:
      for j in 0..<m {
        let seed = Self.mix(UInt64(j) &+ 0x9E37_79B9_7F4A_7C15)
        var low = UInt32.max
        for key in keys {
          let value = UInt32(truncatingIfNeeded: Self.mix(key ^ seed) >> 32)
          if value < low { low = value }
        }
        signature[j] = low
      }
    }
    return true
  }

  /// Fills the empty buckets of a one-permutation signature by rotation: an empty bucket
  /// takes the value of the next non-empty bucket to its right (circularly), mixed with the
  /// distance so that copies differ (Shrivastava & Li 2014). One backward pass, O(m), whatever
  /// the number of empty buckets: windows of a few dozen shingles leave most of them empty.
  func densify(_ signature: UnsafeMutablePointer<UInt32>, scratch: UnsafeMutablePointer<UInt32>) {
    // The last non-empty bucket, as the right neighbour of the wrap-around.
    var last = m - 1
    while last >= 0 && signature[last] == Self.empty { last -= 1 }
    if last < 0 || last == m - 1 && !(0..<m).contains(where: { signature[$0] == Self.empty }) { return }
    var nextValue = signature[last]
    var distance = m - last
    var i = m - 1
    // Walk right to left, carrying the nearest non-empty value seen to the right.
    while i >= 0 {
      if signature[i] != Self.empty {
        nextValue = signature[i]
        distance = 0
      } else {
        signature[i] = UInt32(truncatingIfNeeded: Self.mix(UInt64(nextValue) &+ UInt64(distance) &* 0x9E37_79B9) >> 32)
      }
      distance += 1
      i -= 1
    }
    _ = scratch
  }

  /// The shingles that hold the signature's minima: for one-permutation hashing the minimum of
  /// each non-empty bucket, for the classic scheme the argmin of each hash function (deduplicated).
  /// Either way a uniform random sample of the distinct keys, of at most `m` of them: the
  /// fraction of it present in a text estimates how much of the set the text contains.
  public func sample(of keys: [UInt64]) -> [UInt64] {
    guard !keys.isEmpty else { return [] }
    var chosen: [UInt64] = []
    switch scheme {
    case .onePermutation:
      var low = [UInt32](repeating: Self.empty, count: m)
      var holder = [UInt64](repeating: 0, count: m)
      var filled = [Bool](repeating: false, count: m)
      let buckets = UInt64(m)
      for key in keys {
        let bucket = Int(((key >> 32) &* buckets) >> 32)
        let value = UInt32(truncatingIfNeeded: key)
        if !filled[bucket] || value < low[bucket] || (value == low[bucket] && key < holder[bucket]) {
          low[bucket] = value
          holder[bucket] = key
          filled[bucket] = true
        }
      }
      chosen = (0..<m).compactMap { filled[$0] ? holder[$0] : nil }
    case .classic:
      for j in 0..<m {
        let seed = Self.mix(UInt64(j) &+ 0x9E37_79B9_7F4A_7C15)
        var best = keys[0]
        var bestValue = UInt64.max
        for key in keys {
          let value = Self.mix(key ^ seed)
          if value < bestValue || (value == bestValue && key < best) {
            bestValue = value
            best = key
          }
        }
        chosen.append(best)
      }
    }
    // Sorted and distinct (classic hashing may choose one key twice).
    chosen.sort()
    _KeySort.removeRepeats(&chosen)
    return chosen
  }

  /// The signature of a shingle-key array (convenience).
  public func signature(of keys: [UInt64]) -> [UInt32]? {
    var out = [UInt32](repeating: 0, count: m)
    let ok = keys.withUnsafeBufferPointer { k in out.withUnsafeMutableBufferPointer { signature(of: k, into: $0.baseAddress!) } }
    return ok ? out : nil
  }

  /// The fraction of equal positions: the Jaccard estimate of two signatures.
  public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
    precondition(a.count == b.count)
    var equal = 0
    for i in a.indices where a[i] == b[i] { equal += 1 }
    return Double(equal) / Double(a.count)
  }

  /// The shingle keys of a text: every run of `k` tokens (one key if the text has 1...k-1 tokens).
  public static func shingles(of text: String, k: Int, tokenizer: Tokenizer = Tokenizer()) -> [UInt64] {
    let hashes = tokenizer.tokens(of: text).map(\.hash)
    if hashes.isEmpty { return [] }
    if hashes.count < k { return [NGramHasher(n: hashes.count).hash(hashes)] }
    return NGramHasher(n: k).hashes(of: hashes)
  }

  /// The exact Jaccard similarity of two shingle sets.
  public static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
    let sa = Set(a)
    let sb = Set(b)
    let union = sa.union(sb).count
    return union == 0 ? 0 : Double(sa.intersection(sb).count) / Double(union)
  }
}
