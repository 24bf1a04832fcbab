/// Open addressing over 64-bit keys (0 = empty), load factor at most 3/4, one 16-byte slot per
/// key (the key and where its postings are), so a probe touches one or two cache lines. In
/// front of it, a one-hash bit array with at least 16 bits per key (about 6% false positives)
/// decides most misses from a structure a few MB large, so the longer probe runs of a fuller
/// table are rarely walked: the corpus's windows are nearly all misses.
final class _HashTable: @unchecked Sendable {
  struct Slot {
    var key: UInt64
    var start: UInt32
    var count: UInt32
  }

  let count: Int
  let mask: Int
  let slots: UnsafeMutablePointer<Slot>
  let postings: UnsafeMutablePointer<ItemIndex.Posting>
  let filter: UnsafeMutablePointer<UInt64>
  let filterMask: Int
  /// Postings in all (the length of `postings`).
  let postingCount: Int

  /// - Parameters:
  ///   - entries: (key, posting) sorted by key.
  ///   - groups: the ranges of `entries` to keep, one per distinct key.
  init(entries: [(key: UInt64, posting: ItemIndex.Posting)], groups: [Range<Int>]) {
    count = groups.count
    var slotCount = 16
    while 3 * slotCount < 4 * max(1, count) { slotCount <<= 1 }
    mask = slotCount - 1
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: Slot(key: 0, start: 0, count: 0), count: slotCount)
    let total = groups.reduce(0) { $0 + $1.count }
    postingCount = total
    postings = .allocate(capacity: max(1, total))
    var filterBits = 64
    while filterBits < 16 * max(1, count) { filterBits <<= 1 }
    filterMask = filterBits - 1
    filter = .allocate(capacity: filterBits / 64)
    filter.initialize(repeating: 0, count: filterBits / 64)
    var next = 0
    for group in groups {
      let key = entries[group.lowerBound].key
      var slot = Int(truncatingIfNeeded: key) & mask
      while slots[slot].key != 0 { slot = (slot + 1) & mask }
      slots[slot] = Slot(key: key, start: UInt32(next), count: UInt32(group.count))
      for k in group {
        postings[next] = entries[k].posting
        next += 1
      }
      let bit = Int(truncatingIfNeeded: key >> 40) & filterMask
      filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }
  }

  /// The table as ``init(reading:)`` reads it back (the index cache).
  func write(to writer: inout _ByteWriter) {
    writer.write(count)
    writer.write(mask)
    writer.write(filterMask)
    writer.write(raw: slots, count: (mask + 1) * MemoryLayout<Slot>.stride)
    writer.write(raw: postings, count: postingCount * MemoryLayout<ItemIndex.Posting>.stride)
    writer.write(raw: filter, count: (filterMask + 1) / 64 * 8)
  }

  /// A table written by ``write(to:)``; the sizes are checked against each other and the bytes.
  init(reading reader: inout _ByteReader) throws(_ByteReader.Damaged) {
    count = try reader.readInt()
    mask = try reader.readInt()
    filterMask = try reader.readInt()
    // Sizes in range before any arithmetic, and no buffer larger than the bytes left.
    guard (15..<1 << 40).contains(mask), (63..<1 << 46).contains(filterMask), (0...mask).contains(count) else {
      throw _ByteReader.Damaged()
    }
    let slotCount = mask + 1
    let filterBits = filterMask + 1
    guard slotCount & mask == 0, 3 * slotCount >= 4 * max(1, count), filterBits & filterMask == 0,
      slotCount * MemoryLayout<Slot>.stride + filterBits / 8 <= reader.bytesLeft
    else { throw _ByteReader.Damaged() }
    let slots = UnsafeMutablePointer<Slot>.allocate(capacity: slotCount)
    let filter = UnsafeMutablePointer<UInt64>.allocate(capacity: filterBits / 64)
    var postings: UnsafeMutablePointer<ItemIndex.Posting>? = nil
    var total = 0
    do throws(_ByteReader.Damaged) {
      try reader.readRaw(into: slots, expected: slotCount * MemoryLayout<Slot>.stride)
      // The postings' length: where the last group ends.
      for k in 0..<slotCount where slots[k].key != 0 { total = max(total, Int(slots[k].start) + Int(slots[k].count)) }
      guard total * MemoryLayout<ItemIndex.Posting>.stride + filterBits / 8 <= reader.bytesLeft else { throw _ByteReader.Damaged() }
      postings = .allocate(capacity: max(1, total))
      try reader.readRaw(into: postings!, expected: total * MemoryLayout<ItemIndex.Posting>.stride)
      try reader.readRaw(into: filter, expected: filterBits / 8)
    } catch {
      slots.deallocate()
      filter.deallocate()
      postings?.deallocate()
      throw error
    }
    self.slots = slots
    self.filter = filter
    self.postings = postings!
    postingCount = total
  }

  deinit {
    slots.deallocate()
    postings.deallocate()
    filter.deallocate()
  }

  /// The filter word that `key` is tested against (to prefetch).
  @inline(__always)
  func filterWord(_ key: UInt64) -> UnsafeMutablePointer<UInt64> {
    filter + ((Int(truncatingIfNeeded: key >> 40) & filterMask) >> 6)
  }

  /// The first slot probed for `key` (to prefetch).
  @inline(__always)
  func firstSlot(_ key: UInt64) -> UnsafeMutablePointer<Slot> { slots + (Int(truncatingIfNeeded: key) & mask) }

  /// False only if `key` is certainly absent.
  @inline(__always)
  func mayContain(_ key: UInt64) -> Bool {
    let bit = Int(truncatingIfNeeded: key >> 40) & filterMask
    return filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  /// The postings of `key`, or an empty buffer.
  @inline(__always)
  func lookup(_ key: UInt64) -> UnsafeBufferPointer<ItemIndex.Posting> {
    if !mayContain(key) { return UnsafeBufferPointer(start: nil, count: 0) }
    var slot = Int(truncatingIfNeeded: key) & mask
    while true {
      let s = slots[slot]
      if s.key == key { return UnsafeBufferPointer(start: postings + Int(s.start), count: Int(s.count)) }
      if s.key == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
      slot = (slot + 1) & mask
    }
  }
}
