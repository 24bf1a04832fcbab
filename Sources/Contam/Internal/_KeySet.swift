/// Sorted keys, asked for membership millions of times at start-up (the boilerplate shingles,
/// against every item's): a bitmap of their top 16 bits answers most keys that are not there in
/// one access to 8 KB, and a binary search the rest. (A binary search alone was 10–20% of a
/// cold start: a dozen mispredicted branches per key.)
package struct _KeySet {
  let keys: [UInt64]
  private var top: [UInt64]

  package init(sorted keys: [UInt64]) {
    self.keys = keys
    top = [UInt64](repeating: 0, count: 1 << 10)
    for key in keys { top[Int(key >> 54)] |= 1 << ((key >> 48) & 63) }
  }

  @inline(__always)
  package func contains(_ key: UInt64) -> Bool {
    guard top[Int(key >> 54)] & (1 << ((key >> 48) & 63)) != 0 else { return false }
    var low = 0
    var high = keys.count
    while low < high {
      let middle = (low + high) / 2
      if keys[middle] < key { low = middle + 1 } else { high = middle }
    }
    return low < keys.count && keys[low] == key
  }
}
