/// A small seeded generator (SplitMix64): the same seed gives the same stream on every
/// machine, so bootstrap intervals and permutation p-values are reproducible (and the tests'
/// simulated inputs; `package` so they can use it).
package struct _SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  package init(seed: UInt64) { state = seed }

  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in 0..<bound (bound > 0), by multiply-shift (bias below 2^-32 for the
  /// sizes used here).
  package mutating func below(_ bound: Int) -> Int {
    Int((UInt64(truncatingIfNeeded: next() >> 32) &* UInt64(bound)) >> 32)
  }
}
