/// A stable sort by 64-bit hash keys, in expected linear time: one counting pass on the keys' top
/// bits, then an insertion sort of each (small) bucket. The index builders sort millions of
/// (key, posting) pairs at start-up; the keys are hashes, so the buckets stay small. A bucket
/// that is not (many distinct keys sharing their top bits) falls back to the library's stable sort.
package enum _KeySort {
  /// Removes repeated values from sorted `keys`, keeping one of each.
  static func removeRepeats(_ keys: inout [UInt64]) {
    var distinct = 0
    for k in keys.indices where k == 0 || keys[k] != keys[distinct - 1] {
      keys[distinct] = keys[k]
      distinct += 1
    }
    keys.removeLast(keys.count - distinct)
  }

  package static func sort<T>(_ elements: inout [T], key: (T) -> UInt64) {
    let n = elements.count
    guard n > 64 else {
      insertionSort(&elements, 0..<n, key: key)
      return
    }
    let bits = min(24, max(4, (64 - n.leadingZeroBitCount) - 2))
    let shift = UInt64(64 - bits)
    var starts = [Int](repeating: 0, count: (1 << bits) + 1)
    for e in elements { starts[Int(key(e) >> shift) + 1] += 1 }
    for b in 0..<(1 << bits) { starts[b + 1] += starts[b] }
    // Stable scatter into a new buffer (no copy of the old one first): elements of a bucket
    // keep their order. Every slot is initialized exactly once: the buckets' counts add up to n.
    var fill = starts
    elements = [T](unsafeUninitializedCapacity: n) { buffer, count in
      for e in elements {
        let b = Int(key(e) >> shift)
        assert(fill[b] < starts[b + 1])
        (buffer.baseAddress! + fill[b]).initialize(to: e)
        fill[b] += 1
      }
      count = n
    }
    for b in 0..<(1 << bits) where starts[b + 1] - starts[b] > 1 {
      let range = starts[b]..<starts[b + 1]
      if range.count > 256 {
        elements[range].sort { key($0) < key($1) }  // stable in the standard library
      } else {
        insertionSort(&elements, range, key: key)
      }
    }
  }

  /// Stable: an element moves left only past strictly greater keys.
  private static func insertionSort<T>(_ elements: inout [T], _ range: Range<Int>, key: (T) -> UInt64) {
    guard range.count > 1 else { return }
    var i = range.lowerBound + 1
    while i < range.upperBound {
      let x = elements[i]
      let k = key(x)
      var j = i
      while j > range.lowerBound && key(elements[j - 1]) > k {
        elements[j] = elements[j - 1]
        j -= 1
      }
      elements[j] = x
      i += 1
    }
  }
}
