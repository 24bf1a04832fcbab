/// A worker's buffers for the near-duplicate pass, reused from document to document.
final class _NearScratch {
  var shingles: UnsafeMutablePointer<UInt64>
  var sorted: UnsafeMutablePointer<UInt64>
  var capacity = 1 << 16
  let signature: UnsafeMutablePointer<UInt32>
  let densify: UnsafeMutablePointer<UInt32>
  /// Items already confirmed or rejected for the current unit.
  var seen: [Int] = []

  init(m: Int) {
    shingles = .allocate(capacity: capacity)
    sorted = .allocate(capacity: capacity)
    signature = .allocate(capacity: m)
    densify = .allocate(capacity: m)
  }

  func reserve(_ count: Int) {
    guard count > capacity else { return }
    shingles.deallocate()
    sorted.deallocate()
    while capacity < count { capacity *= 2 }
    shingles = .allocate(capacity: capacity)
    sorted = .allocate(capacity: capacity)
  }

  deinit {
    shingles.deallocate()
    sorted.deallocate()
    signature.deallocate()
    densify.deallocate()
  }
}

extension _ScanWorker {
  /// The near-duplicate pass over one document: shingles, then for each scale in use the units
  /// (the whole document when it is no longer than the scale, else overlapping windows), each
  /// unit's signature probed band by band, each candidate confirmed on the exact shingle sets.
  mutating func findNearDuplicates(
    document: Document, near: NearDuplicateIndex, scratch: _NearScratch, into partial: inout _ShardPartial
  ) {
    let tokens = storage.buffer
    let k = near.configuration.k
    guard tokens.count >= k else { return }
    let count = tokens.count - k + 1
    scratch.reserve(count)
    let shingles = scratch.shingles
    near.shingler.forEachHash(of: UnsafeBufferPointer(start: tokens.hashes, count: tokens.count)) { p, key in
      shingles[p] = key
    }
    // Best finding per item in this document.
    var best: [Int: NearDuplicateEvidence] = [:]
    var wholeSigned = false
    for w in near.scales {
      let stride = max(1, w / near.configuration.strideDivisor)
      var start = 0
      while true {
        let end = min(start + w, count)
        let unit = UnsafeBufferPointer(start: shingles + start, count: end - start)
        let whole = start == 0 && end == count
        if !(whole && wholeSigned) {
          near.hasher.signature(of: unit, into: scratch.signature, scratch: scratch.densify)
          wholeSigned = whole
        }
        probeUnit(unit, offset: start, scale: w, near: near, scratch: scratch, document: document, best: &best)
        if end == count { break }
        start += stride
      }
    }
    for (item, evidence) in best {
      partial.nearDocuments[item, default: 0] += 1
      var list = partial.near[item, default: []]
      list.append(evidence)
      if list.count > configuration.evidencePerItem * 2 {
        list.sort { $0.ranksBefore($1) }
        list.removeLast(list.count - configuration.evidencePerItem)
      }
      partial.near[item] = list
    }
  }

  private func probeUnit(
    _ unit: UnsafeBufferPointer<UInt64>, offset: Int, scale: Int, near: NearDuplicateIndex, scratch: _NearScratch,
    document: Document, best: inout [Int: NearDuplicateEvidence]
  ) {
    let rows = near.configuration.rows
    let m = near.configuration.m
    scratch.seen.removeAll(keepingCapacity: true)
    var sortedReady = false
    for band in 0..<near.configuration.bands {
      let key = NearDuplicateIndex.bandKey(scratch.signature, band: band, rows: rows, scale: scale)
      for posting in near.table.lookup(key) {
        let item = Int(posting.item)
        guard near.scale[item] == scale, !scratch.seen.contains(item) else { continue }
        scratch.seen.append(item)
        if !sortedReady {
          scratch.sorted.update(from: unit.baseAddress!, count: unit.count)
          var sortable = UnsafeMutableBufferPointer(start: scratch.sorted, count: unit.count)
          sortable.sort()
          sortedReady = true
        }
        let itemShingles = near.shingles[item]
        let shared = NearDuplicateIndex.intersectionCount(itemShingles, UnsafeBufferPointer(start: scratch.sorted, count: unit.count))
        let containment = Double(shared) / Double(itemShingles.count)
        guard containment >= near.configuration.containmentThreshold else { continue }
        if let previous = best[item], previous.containment >= containment { continue }
        // The span: first to last unit shingle that the item has.
        var first = -1
        var last = -1
        for p in 0..<unit.count where _contains(itemShingles, unit[p]) {
          if first < 0 { first = p }
          last = p
        }
        let tokens = storage.buffer
        let byteStart = Int(tokens.starts[offset + first])
        let byteEnd = Int(tokens.ends[offset + last + near.configuration.k - 1])
        var equal = 0
        for v in 0..<m where near.signatures[item * m + v] == scratch.signature[v] { equal += 1 }
        let snippetEnd = min(byteEnd, byteStart + Evidence.maximumSnippetBytes)
        best[item] = NearDuplicateEvidence(
          shard: document.shardPath, line: document.line, documentID: document.id, byteStart: byteStart,
          byteEnd: byteEnd,
          snippet: String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self),
          containment: containment, estimatedJaccard: Double(equal) / Double(m), matchedShingles: shared,
          answer: index.answers[item].map { AnswerExtractor.check(expected: $0, in: document.text, from: byteStart) })
      }
    }
  }
}

/// Binary search in a sorted array.
@inline(__always)
func _contains(_ sorted: [UInt64], _ value: UInt64) -> Bool {
  var low = 0
  var high = sorted.count
  while low < high {
    let mid = (low + high) >> 1
    if sorted[mid] < value { low = mid + 1 } else { high = mid }
  }
  return low < sorted.count && sorted[low] == value
}
