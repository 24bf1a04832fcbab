/// Open addressing over 64-bit keys (0 = empty), load factor at most 3/4, 12 bytes per slot: the
/// key in one array, where its postings start in another (postings are laid out in slot order,
/// so a slot's postings end where the next slot's start). A miss touches the key array alone; a
/// hit reads two offsets and the postings. In front of it, a blocked Bloom filter decides most
/// misses from a structure a few MB large: each key sets ``keyBits`` bits of one 64-bit word,
/// at least 8 bits per key (about 3% false positives at 8, under 1% at the 12–16 that rounding the
/// size to a power of two usually gives), so one memory access tests a key and the longer probe
/// runs of a fuller table are rarely walked: the corpus's windows are nearly all misses.
final class _HashTable: @unchecked Sendable {
  let count: Int
  let mask: Int
  /// Per slot: its key, 0 when empty.
  let keys: UnsafeMutablePointer<UInt64>
  /// Per slot, and one past the last: where its postings start (`mask + 2` entries).
  let offsets: UnsafeMutablePointer<UInt32>
  let postings: UnsafeMutablePointer<ItemIndex.Posting>
  let filter: UnsafeMutablePointer<UInt64>
  /// Filter bits, minus one (a power of two, minus one).
  let filterMask: Int
  /// Bits set per key in its filter word.
  static let keyBits = 3
  /// Postings in all (the length of `postings`).
  let postingCount: Int

  /// - Parameter entries: (key, posting) sorted by key; a key's postings are the run of its
  ///   entries, in their order.
  init(entries: [(key: UInt64, posting: ItemIndex.Posting)]) {
    precondition(entries.count < Int(Int32.max), "postings are addressed in 32 bits")
    var distinct = 0
    for k in entries.indices where k == 0 || entries[k].key != entries[k - 1].key { distinct += 1 }
    count = distinct
    var slotCount = 16
    while 3 * slotCount < 4 * max(1, count) { slotCount <<= 1 }
    mask = slotCount - 1
    keys = .allocate(capacity: slotCount)
    keys.initialize(repeating: 0, count: slotCount)
    postingCount = entries.count
    postings = .allocate(capacity: max(1, entries.count))
    offsets = .allocate(capacity: slotCount + 1)
    var filterBits = 64
    while filterBits < 8 * max(1, count) { filterBits <<= 1 }
    filterMask = filterBits - 1
    filter = .allocate(capacity: filterBits / 64)
    filter.initialize(repeating: 0, count: filterBits / 64)
    // Keys into slots (remembering where each slot's run of entries starts), then postings in
    // slot order.
    let first = UnsafeMutablePointer<Int32>.allocate(capacity: slotCount)
    defer { first.deallocate() }
    first.initialize(repeating: -1, count: slotCount)
    for k in entries.indices where k == 0 || entries[k].key != entries[k - 1].key {
      let key = entries[k].key
      var slot = Int(truncatingIfNeeded: key) & mask
      while keys[slot] != 0 { slot = (slot + 1) & mask }
      keys[slot] = key
      first[slot] = Int32(k)
      filter[filterIndex(key)] |= Self.filterPattern(key)
    }
    var next = 0
    for slot in 0..<slotCount {
      offsets[slot] = UInt32(next)
      guard first[slot] >= 0 else { continue }
      var k = Int(first[slot])
      let key = keys[slot]
      while k < entries.count && entries[k].key == key {
        postings[next] = entries[k].posting
        next += 1
        k += 1
      }
    }
    offsets[slotCount] = UInt32(next)
  }

  /// The table as ``init(reading:)`` reads it back (the index cache).
  func write(to writer: inout _ByteWriter) {
    writer.write(count)
    writer.write(mask)
    writer.write(filterMask)
    writer.write(raw: keys, count: (mask + 1) * 8)
    writer.write(raw: offsets, count: (mask + 2) * 4)
    writer.write(raw: postings, count: postingCount * MemoryLayout<ItemIndex.Posting>.stride)
    writer.write(raw: filter, count: (filterMask + 1) / 64 * 8)
  }

  /// A table written by ``write(to:)``; the sizes are checked against each other and the bytes,
  /// and the offsets against the keys (an empty slot has no postings, none runs backwards).
  init(reading reader: inout _ByteReader) throws(_ByteReader.Damaged) {
    count = try reader.readInt()
    mask = try reader.readInt()
    filterMask = try reader.readInt()
    // Sizes in range before any arithmetic, and no buffer larger than the bytes left.
    // At most 2^32 slots, as built (postings are addressed in 32 bits; the probe packs a slot
    // into 32 bits).
    guard (15..<1 << 32).contains(mask), (63..<1 << 46).contains(filterMask), (0...mask).contains(count) else {
      throw _ByteReader.Damaged()
    }
    let slotCount = mask + 1
    let filterBits = filterMask + 1
    guard slotCount & mask == 0, 3 * slotCount >= 4 * max(1, count), filterBits & filterMask == 0,
      slotCount * 12 + filterBits / 8 <= reader.bytesLeft
    else { throw _ByteReader.Damaged() }
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: slotCount)
    let offsets = UnsafeMutablePointer<UInt32>.allocate(capacity: slotCount + 1)
    let filter = UnsafeMutablePointer<UInt64>.allocate(capacity: filterBits / 64)
    var postings: UnsafeMutablePointer<ItemIndex.Posting>? = nil
    var total = 0
    do throws(_ByteReader.Damaged) {
      try reader.readRaw(into: keys, expected: slotCount * 8)
      try reader.readRaw(into: offsets, expected: (slotCount + 1) * 4)
      guard offsets[0] == 0 else { throw _ByteReader.Damaged() }
      var occupied = 0
      for slot in 0..<slotCount {
        let postingsHere = Int(offsets[slot + 1]) - Int(offsets[slot])
        guard postingsHere >= 0, keys[slot] != 0 || postingsHere == 0 else { throw _ByteReader.Damaged() }
        if keys[slot] != 0 { occupied += 1 }
      }
      guard occupied == count else { throw _ByteReader.Damaged() }
      total = Int(offsets[slotCount])
      guard total * MemoryLayout<ItemIndex.Posting>.stride + filterBits / 8 <= reader.bytesLeft else { throw _ByteReader.Damaged() }
      postings = .allocate(capacity: max(1, total))
      try reader.readRaw(into: postings!, expected: total * MemoryLayout<ItemIndex.Posting>.stride)
      try reader.readRaw(into: filter, expected: filterBits / 8)
    } catch {
      keys.deallocate()
      offsets.deallocate()
      filter.deallocate()
      postings?.deallocate()
      throw error
    }
    self.keys = keys
    self.offsets = offsets
    self.filter = filter
    self.postings = postings!
    postingCount = total
  }

  deinit {
    keys.deallocate()
    offsets.deallocate()
    postings.deallocate()
    filter.deallocate()
  }

  /// The filter word of `key`: chosen by its bits 32 and up (the slot by its low bits).
  @inline(__always)
  func filterIndex(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key >> 32) & (filterMask >> 6) }

  /// The bits `key` sets in its filter word: ``keyBits`` positions from its bits 0–17.
  @inline(__always)
  static func filterPattern(_ key: UInt64) -> UInt64 {
    1 << (key & 63) | 1 << (key >> 6 & 63) | 1 << (key >> 12 & 63)
  }

  /// The filter word that `key` is tested against (to prefetch).
  @inline(__always)
  func filterWord(_ key: UInt64) -> UnsafeMutablePointer<UInt64> { filter + filterIndex(key) }

  /// The first slot's key probed for `key` (to prefetch).
  @inline(__always)
  func firstSlot(_ key: UInt64) -> UnsafeMutablePointer<UInt64> { keys + (Int(truncatingIfNeeded: key) & mask) }

  /// False only if `key` is certainly absent.
  @inline(__always)
  func mayContain(_ key: UInt64) -> Bool {
    let pattern = Self.filterPattern(key)
    return filter[filterIndex(key)] & pattern == pattern
  }

  /// The slot holding `key`, or nil (the filter is not consulted: call after ``mayContain(_:)``).
  @inline(__always)
  func slot(of key: UInt64) -> Int? {
    var slot = Int(truncatingIfNeeded: key) & mask
    while true {
      let k = keys[slot]
      if k == key { return slot }
      if k == 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Where the postings offset of `slot` is stored (to prefetch).
  @inline(__always)
  func offsetAddress(_ slot: Int) -> UnsafeMutablePointer<UInt32> { offsets + slot }

  /// The postings of the occupied `slot`.
  @inline(__always)
  func postings(atSlot slot: Int) -> UnsafeBufferPointer<ItemIndex.Posting> {
    let start = Int(offsets[slot])
    return UnsafeBufferPointer(start: postings + start, count: Int(offsets[slot + 1]) - start)
  }

  /// The postings of `key`, or an empty buffer.
  @inline(__always)
  func lookup(_ key: UInt64) -> UnsafeBufferPointer<ItemIndex.Posting> {
    guard mayContain(key), let slot = slot(of: key) else { return UnsafeBufferPointer(start: nil, count: 0) }
    return postings(atSlot: slot)
  }
}
