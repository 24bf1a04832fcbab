/// Many short lists kept as one: every row's elements in one array, and where each row starts.
///
/// The near-duplicate index keeps a few lists per target (its shingle keys, its part and own
/// bits), about 50,000 targets for all shared benchmarks. As arrays of arrays they were 150,000
/// heap blocks, allocated while the build's temporary lists came and went: once those were
/// freed, their pages stayed resident under the blocks that live on (about 30 MB more than the
/// same index read from the cache). One array per list is one block (mapped apart when large),
/// with nothing between its rows. The items' token byte ranges (``TokenizedItems``) are kept so
/// for the opposite reason: they are freed mid-build, and as one block per item they left holes
/// between the token hashes that live on (about 15 MB resident for nothing).
package struct _Ragged<Element> {
  private var elements: [Element] = []
  /// Row `r` is `elements[starts[r]..<starts[r + 1]]`.
  private var starts: [Int] = [0]

  package init() {}

  /// Rows of these lists, in order.
  package init(_ rows: [[Element]]) {
    elements.reserveCapacity(rows.reduce(0) { $0 + $1.count })
    starts.reserveCapacity(rows.count + 1)
    for row in rows { append(row) }
  }

  /// The rows of `parts`, one after another.
  package init(joining parts: [_Ragged]) {
    reserveCapacity(rows: parts.reduce(0) { $0 + $1.count }, elements: parts.reduce(0) { $0 + $1.elements.count })
    for part in parts {
      for r in 0..<part.count { append(part[r]) }
    }
  }

  /// Room for `rows` rows of `elements` elements in all.
  package mutating func reserveCapacity(rows: Int, elements count: Int) {
    elements.reserveCapacity(count)
    starts.reserveCapacity(rows + 1)
  }

  /// Adds a row.
  package mutating func append<C: Collection>(_ row: C) where C.Element == Element {
    elements.append(contentsOf: row)
    starts.append(elements.count)
  }

  package var count: Int { starts.count - 1 }

  /// Row `r` (its indices are positions in the whole: start from `startIndex`).
  @inline(__always)
  package subscript(_ r: Int) -> ArraySlice<Element> { elements[starts[r]..<starts[r + 1]] }

  /// Element `k` of row `r` (counted from the row's start).
  @inline(__always)
  package subscript(_ r: Int, _ k: Int) -> Element { elements[starts[r] + k] }
}

extension _Ragged: Sendable where Element: Sendable {}
