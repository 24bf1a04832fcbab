/// How near duplicates are searched: shingles, signatures, LSH banding, windows, threshold.
public struct NearDuplicateConfiguration: Sendable, Codable, Hashable {
  /// Tokens per shingle.
  public var k = 3
  /// LSH bands and rows per band; signatures have `bands × rows` values. The S-curve's midpoint,
  /// the similarity at which a pair becomes a candidate with probability about 1/2, is
  /// (1/bands)^(1/rows): 0.18 for 32 × 2. It is low on purpose: a window holding a copy of an
  /// item is up to twice the item's size, which halves Jaccard similarity, and every candidate
  /// is confirmed exactly anyway.
  public var bands = 32
  public var rows = 2
  public var scheme = MinHasher.Scheme.onePermutation
  /// A candidate becomes a finding when at least this fraction of the item's shingles is in
  /// the corpus unit (containment, confirmed exactly on the shingle sets). 0.5 finds 95% of
  /// MATH-P-Simple pairs with 0.6% false positives (scripts/eval-math-perturb.sh).
  public var containmentThreshold = 0.5
  /// Items with fewer shingles are not searched for near duplicates.
  public var minimumShingles = 8
  /// Windows of a scale W start every W / strideDivisor shingles.
  public var strideDivisor = 4

  public init() {}

  /// Signature length.
  public var m: Int { bands * rows }
  /// The similarity at which the LSH candidate probability is about 1/2.
  public var lshThreshold: Double { pow(1.0 / Double(bands), 1.0 / Double(rows)) }
}

/// The items' shingle sets and MinHash signatures, banded into one LSH table.
///
/// An item of S shingles belongs to the scale W, the smallest power of two ≥ max(16, S). A corpus
/// document is cut, for each scale in use, into windows of W shingles starting every
/// W / ``NearDuplicateConfiguration/strideDivisor`` shingles (a document no longer than W is
/// one unit), so an item copied anywhere in a long page lies at least three-quarters inside some
/// window whose size is within a factor of two of the item's. Band keys mix in the scale: a
/// window only meets items of its own size class.
public final class NearDuplicateIndex: @unchecked Sendable {
  public let configuration: NearDuplicateConfiguration
  public let hasher: MinHasher
  let shingler: NGramHasher
  /// Per item: sorted distinct shingle keys (empty when the item is not searched).
  let shingles: [[UInt64]]
  /// Per item: its scale, or 0 when not searched.
  let scale: [Int]
  /// Scales in use, ascending.
  public let scales: [Int]
  let table: _HashTable
  /// Item signatures, `m` values each (zeros for items not searched).
  let signatures: [UInt32]

  public init(itemTokens: [[Token]], configuration: NearDuplicateConfiguration) {
    self.configuration = configuration
    let hasher = MinHasher(m: configuration.m, scheme: configuration.scheme)
    let shingler = NGramHasher(n: configuration.k)
    self.hasher = hasher
    self.shingler = shingler
    var shingles: [[UInt64]] = []
    var scale: [Int] = []
    var entries: [(key: UInt64, posting: ItemIndex.Posting)] = []
    var signatures = [UInt32](repeating: 0, count: itemTokens.count * configuration.m)
    let signature = UnsafeMutablePointer<UInt32>.allocate(capacity: configuration.m)
    let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: configuration.m)
    defer {
      signature.deallocate()
      scratch.deallocate()
    }
    for (i, tokens) in itemTokens.enumerated() {
      let keys = tokens.count >= configuration.k ? shingler.hashes(of: tokens.map(\.hash)) : []
      let distinct = Array(Set(keys)).sorted()
      guard distinct.count >= configuration.minimumShingles else {
        shingles.append([])
        scale.append(0)
        continue
      }
      let w = Self.scale(forShingles: distinct.count)
      shingles.append(distinct)
      scale.append(w)
      distinct.withUnsafeBufferPointer { _ = hasher.signature(of: $0, into: signature, scratch: scratch) }
      for v in 0..<configuration.m { signatures[i * configuration.m + v] = signature[v] }
      for band in 0..<configuration.bands {
        entries.append((Self.bandKey(signature, band: band, rows: configuration.rows, scale: w), .init(item: UInt32(i), position: UInt32(band))))
      }
    }
    self.shingles = shingles
    self.scale = scale
    self.signatures = signatures
    scales = Array(Set(scale.filter { $0 > 0 })).sorted()
    entries.sort { $0.key < $1.key }
    var groups: [Range<Int>] = []
    var i = 0
    while i < entries.count {
      var j = i
      while j < entries.count && entries[j].key == entries[i].key { j += 1 }
      groups.append(i..<j)
      i = j
    }
    table = _HashTable(entries: entries, groups: groups)
  }

  /// Items searched for near duplicates.
  public var searchedItems: Int { scale.filter { $0 > 0 }.count }

  static func scale(forShingles count: Int) -> Int {
    var w = 16
    while w < count { w <<= 1 }
    return w
  }

  @inline(__always)
  static func bandKey(_ signature: UnsafePointer<UInt32>, band: Int, rows: Int, scale: Int) -> UInt64 {
    var h = UInt64(band) << 40 ^ UInt64(scale) &* 0x9E37_79B9_7F4A_7C15
    for r in 0..<rows { h = MinHasher.mix(h ^ UInt64(signature[band * rows + r]) &+ UInt64(r)) }
    return h == 0 ? 1 : h
  }

  /// |item ∩ unit| for sorted distinct `item` and sorted `unit` (duplicates allowed).
  static func intersectionCount(_ item: [UInt64], _ unit: UnsafeBufferPointer<UInt64>) -> Int {
    var i = 0
    var j = 0
    var count = 0
    while i < item.count && j < unit.count {
      if item[i] < unit[j] {
        i += 1
      } else if item[i] > unit[j] {
        j += 1
      } else {
        count += 1
        let value = item[i]
        i += 1
        while j < unit.count && unit[j] == value { j += 1 }
      }
    }
    return count
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
