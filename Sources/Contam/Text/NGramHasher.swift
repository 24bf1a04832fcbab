/// Hashes every run of `n` consecutive token hashes in O(1) per run.
///
/// The hash of the window `t[i] ..< t[i+n]` is the polynomial
/// `t[i]·Bⁿ⁻¹ + t[i+1]·Bⁿ⁻² + … + t[i+n-1]` modulo 2⁶⁴ (B odd), passed through a 64-bit
/// finalizer that also mixes in `n`, so equal windows give equal keys and keys of different
/// `n` never coincide by construction. Rolling one step is `H·B + t_new − t_old·Bⁿ`: the
/// result equals `hash(_:)` of the same window computed from scratch.
///
/// ```swift
/// let hasher = NGramHasher(n: 13)
/// hasher.forEachHash(of: tokenHashes) { position, key in table.probe(key) }
/// ```
public struct NGramHasher: Sendable, Hashable {
  /// The polynomial base: odd, so multiplication by it is a bijection on 64-bit words.
  public static let base: UInt64 = 0x9E37_79B9_7F4A_7C15
  /// The largest supported n.
  public static let maximumN = 64

  /// The number of tokens in an n-gram.
  public let n: Int
  @usableFromInline let basePowerN: UInt64

  /// Creates a hasher for n-grams of `n` tokens.
  /// - Precondition: `1 <= n <= 64`.
  public init(n: Int) {
    precondition(n >= 1 && n <= Self.maximumN, "n must be in 1...64, got \(n)")
    self.n = n
    var power: UInt64 = 1
    for _ in 0..<n { power = power &* Self.base }
    self.basePowerN = power
  }

  /// The final mix's constants: `n`'s multiplier, and the two multipliers (MurmurHash3's).
  @usableFromInline static let mixes = (n: UInt64(0xC2B2_AE3D_27D4_EB4F), first: UInt64(0xFF51_AFD7_ED55_8CCD), second: UInt64(0xC4CE_B9FE_1A85_EC53))

  /// The final mix (the MurmurHash3 64-bit finalizer over the polynomial and `n`); never 0,
  /// so 0 can mark an empty slot in hash tables.
  @inlinable @inline(__always)
  public func finalize(_ polynomial: UInt64) -> UInt64 {
    var h = polynomial ^ (UInt64(truncatingIfNeeded: n) &* Self.mixes.n)
    h ^= h >> 33
    h = h &* Self.mixes.first
    h ^= h >> 33
    h = h &* Self.mixes.second
    h ^= h >> 33
    return h == 0 ? 1 : h
  }

  /// The key of one window of exactly `n` token hashes, computed without rolling.
  public func hash(_ window: UnsafeBufferPointer<UInt64>) -> UInt64 {
    finalize(polynomial(window))
  }

  /// The key of one window of exactly `n` token hashes.
  public func hash(_ window: [UInt64]) -> UInt64 {
    window.withUnsafeBufferPointer { hash($0) }
  }

  /// Calls `body(position, key)` for every window of `n` consecutive hashes, in order;
  /// `position` is the index of the window's first token. Does nothing when there are fewer
  /// than `n` hashes.
  @inlinable
  public func forEachHash(
    of tokens: UnsafeBufferPointer<UInt64>, _ body: (Int, UInt64) throws -> Void
  ) rethrows {
    try forEachPolynomial(of: tokens) { position, polynomial in try body(position, finalize(polynomial)) }
  }

  /// Calls `body(position, polynomial)` for every window, in order, with its polynomial before
  /// the final mix (``finalize(_:)`` makes the key of it): the scan tests a table's filter on
  /// it (``polynomials(ofKey:_:)``) and mixes only the windows that pass.
  @inlinable @inline(__always)
  public func forEachPolynomial(
    of tokens: UnsafeBufferPointer<UInt64>, _ body: (Int, UInt64) throws -> Void
  ) rethrows {
    let count = tokens.count
    guard count >= n, let p = tokens.baseAddress else { return }
    var h: UInt64 = 0
    for i in 0..<n { h = h &* Self.base &+ p[i] }
    try body(0, h)
    var i = n
    while i < count {
      h = rolled(h, outgoing: p[i &- n], incoming: p[i])
      try body(i &- n &+ 1, h)
      i &+= 1
    }
  }

  /// One roll step, `H·B + t_new − t_old·Bⁿ`: the polynomial of the window after the one of
  /// `polynomial`, which its first token `outgoing` leaves and `incoming` enters.
  @usableFromInline @inline(__always)
  func rolled(_ polynomial: UInt64, outgoing: UInt64, incoming: UInt64) -> UInt64 {
    // Safe: wrapping arithmetic is the definition of the polynomial modulo 2^64.
    polynomial &* Self.base &+ incoming &- outgoing &* basePowerN
  }

  /// Writes the polynomial of every window starting in `windows` to `out[window]`, as
  /// ``forEachPolynomial(of:_:)`` gives them. One roll step waits for the last one (a multiply
  /// and two additions: about five cycles a window), so the range is rolled as two halves at
  /// once, each a chain of its own the processor runs beside the other; each half's first window
  /// is computed from scratch (`n` multiplies).
  /// - Precondition: every window in `windows` lies in `tokens`.
  @inline(__always)
  public func polynomials(of tokens: UnsafeBufferPointer<UInt64>, windows: Range<Int>, into out: UnsafeMutablePointer<UInt64>) {
    guard !windows.isEmpty, let p = tokens.baseAddress else { return }
    precondition(windows.lowerBound >= 0 && windows.upperBound + n - 1 <= tokens.count, "a window past the tokens")
    // Chain A rolls windows a..<b, chain B windows b..<end; A has the one more when they differ.
    let a = windows.lowerBound
    let b = a + (windows.count + 1) / 2
    let lengthA = b - a
    let lengthB = windows.upperBound - b
    var ha = polynomial(UnsafeBufferPointer(start: p + a, count: n))
    out[a] = ha
    var hb: UInt64 = 0
    if lengthB > 0 {
      hb = polynomial(UnsafeBufferPointer(start: p + b, count: n))
      out[b] = hb
    }
    // Safe: every index read is at most windows.upperBound + n - 2, checked above.
    let n = self.n
    var s = 1
    while s < lengthB {
      ha = rolled(ha, outgoing: p[a &+ s &- 1], incoming: p[a &+ s &+ n &- 1])
      hb = rolled(hb, outgoing: p[b &+ s &- 1], incoming: p[b &+ s &+ n &- 1])
      out[a &+ s] = ha
      out[b &+ s] = hb
      s &+= 1
    }
    if lengthA > max(1, lengthB) {
      ha = rolled(ha, outgoing: p[a &+ s &- 1], incoming: p[a &+ s &+ n &- 1])
      out[a &+ s] = ha
    }
  }

  /// The polynomial of one window of exactly `n` token hashes (its key before the final mix).
  @inline(__always)
  func polynomial(_ window: UnsafeBufferPointer<UInt64>) -> UInt64 {
    precondition(window.count == n, "window has \(window.count) tokens, expected \(n)")
    var h: UInt64 = 0
    for t in window { h = h &* Self.base &+ t }
    return h
  }

  /// Calls `body` with every polynomial whose key is `key`: the final mix undone (each step
  /// is a bijection), so one; and for key 1 also the polynomial that mixes to 0 (which
  /// ``finalize(_:)`` makes 1).
  @_spi(Testing) public func polynomials(ofKey key: UInt64, _ body: (UInt64) -> Void) {
    func unmix(_ key: UInt64) -> UInt64 {
      var h = key
      h ^= h >> 33  // a shift of more than half the word undoes itself
      h = h &* Self.unmixMultipliers.0
      h ^= h >> 33
      h = h &* Self.unmixMultipliers.1
      h ^= h >> 33
      return h ^ (UInt64(truncatingIfNeeded: n) &* Self.mixes.n)
    }
    body(unmix(key))
    if key == 1 { body(unmix(0)) }
  }

  /// The inverses of the final mix's multipliers, in the order the mix is undone.
  static let unmixMultipliers = (inverse(mixes.second), inverse(mixes.first))

  /// The inverse of odd `a` modulo 2^64 (Newton's iteration: each step doubles the bits right).
  static func inverse(_ a: UInt64) -> UInt64 {
    var x = a  // right in the low 3 bits for odd a
    for _ in 0..<5 { x = x &* (2 &- a &* x) }
    return x
  }

  /// Every window's key, in order (convenience for tests and small inputs).
  public func hashes(of tokens: [UInt64]) -> [UInt64] {
    var out: [UInt64] = []
    out.reserveCapacity(max(0, tokens.count - n + 1))
    tokens.withUnsafeBufferPointer { buffer in forEachHash(of: buffer) { _, key in out.append(key) } }
    return out
  }
}
