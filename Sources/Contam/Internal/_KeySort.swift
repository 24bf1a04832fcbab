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

  /// Pass bits for `count` elements: about a quarter million a pass.
  static func passBits(for count: Int) -> Int { min(16, max(0, 64 - (count >> 18).leadingZeroBitCount)) }

  /// Whether `key` is in pass `pass` of ``forEachRun(passBits:key:fill:_:)``: its top `passBits` bits.
  @inline(__always)
  static func inPass(_ key: UInt64, _ pass: UInt64, passBits: Int) -> Bool {
    passBits == 0 || key >> UInt64(64 - passBits) == pass
  }

  /// Every run of elements with one key, in increasing key order, from elements taken in
  /// `2^passBits` passes over the key range, so that no list of all of them is held:
  /// `fill(pass, &chunk)` appends the elements of one pass (``inPass(_:_:passBits:)``), and
  /// a run keeps the order they were appended in.
  @inline(__always)
  static func forEachRun<T>(
    passBits: Int, key: (T) -> UInt64, fill: (_ pass: UInt64, _ into: inout [T]) -> Void, _ body: (UnsafeBufferPointer<T>) -> Void
  ) {
    precondition((0...16).contains(passBits))
    var chunk: [T] = []
    for pass in 0..<(1 << passBits) {
      chunk.removeAll(keepingCapacity: true)
      fill(UInt64(pass), &chunk)
      // A pass's keys share their top bits: sorted on the bits below them.
      sort(&chunk) { key($0) << UInt64(passBits) }
      chunk.withUnsafeBufferPointer { all in
        var i = 0
        while i < all.count {
          var j = i + 1
          while j < all.count && key(all[j]) == key(all[i]) { j += 1 }
          body(UnsafeBufferPointer(rebasing: all[i..<j]))
          i = j
        }
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
