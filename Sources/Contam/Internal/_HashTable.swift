import CContamSupport

/// Open addressing over 64-bit keys (0 = empty), load factor at most 3/4, 12 bytes per slot: the
/// key in one array, where its postings start in another (postings are laid out in slot order,
/// so a slot's postings end where the next slot's start). A miss touches the key array alone; a
/// hit reads two offsets and the postings. In front of it, a blocked Bloom filter decides most
/// misses from a structure a few MB large: each key sets ``keyBits`` bits of one 64-bit word,
/// at least 8 bits per key (about 3% false positives at 8, under 1% at the 12–16 that rounding the
/// size to a power of two usually gives), so one memory access tests a key and the longer probe
/// runs of a fuller table are rarely walked: the corpus's windows are nearly all misses.
///
/// A key's home slot is its top bits, and keys are placed in increasing order (``Builder``), each
/// in the first free slot from its home on: so the slots hold the keys in increasing order, a
/// probe ends at the first empty slot or larger key, and the table is built in one pass over
/// keys that arrive sorted, without a list of every (key, posting) pair. Probes never wrap: the
/// slots run on past the last home slot as far as the last key was pushed, and one empty slot
/// ends them.
///
/// A table of n-gram keys (``filterHasher``) holds in its filter each key's polynomial, the
/// window's value before ``NGramHasher/finalize(_:)`` mixes it: the scan tests the filter on the
/// polynomial of every window and mixes only the few that pass
/// (``polynomialFilter``). ``mayContain(_:)`` takes a key of either kind of table.
final class _HashTable: @unchecked Sendable {
  typealias Entry = (key: UInt64, posting: ItemIndex.Posting)
  /// The arrays and sizes (``Storage``), owned.
  private let table: Storage
  /// Keys in the table.
  var count: Int { table.count }
  /// Home slots: a key's home is its place in `0..<homeSlots` scaled from its value (``home(_:_:)``).
  var homeSlots: Int { table.homeSlots }
  let homes: UInt64
  /// Slots in all: the home slots, those the last keys were pushed into past them, and one empty.
  var slotCount: Int { table.slotCount }
  /// Per slot: its key, 0 when empty.
  var keys: UnsafeMutablePointer<UInt64> { table.keys }
  /// Per slot, and one past the last: where its postings start (`slotCount + 1` entries).
  var offsets: UnsafeMutablePointer<UInt32> { table.offsets }
  var postings: UnsafeMutablePointer<ItemIndex.Posting> { table.postings }
  var filter: UnsafeMutablePointer<UInt64> { table.filter }
  /// Filter bits, minus one (a power of two, minus one).
  var filterMask: Int { table.filterMask }
  /// The hasher whose keys the table holds, when its filter holds their polynomials; nil when
  /// it holds the keys.
  var filterHasher: NGramHasher? { table.filterHasher }
  /// Bits set per key in its filter word.
  static let keyBits = 3
  /// Postings in all (the length of `postings`).
  var postingCount: Int { table.postingCount }

  /// `capacity` elements of memory for a table array, freed by ``release(_:)``. `hugePages` for
  /// a table read whole from the index cache (``CContamSupport_allocateTable``): its page faults
  /// were a fifth of reading the cache. Not for a build, whose arrays grow and go while it runs
  /// (a huge page half used is resident whole: it raised the build's peak by 2–17 MB).
  static func allocate<T>(_: T.Type, capacity: Int, hugePages: Bool = false) -> UnsafeMutablePointer<T> {
    guard let memory = CContamSupport_allocateTable(capacity * MemoryLayout<T>.stride, hugePages) else {
      fatalError("out of memory for a table of \(capacity) elements")
    }
    return memory.bindMemory(to: T.self, capacity: capacity)
  }

  static func release<T>(_ pointer: UnsafeMutablePointer<T>) { CContamSupport_freeTable(pointer) }

  /// Home slots for `count` keys: at least 16, at most 3/4 full. Not rounded to a power of two
  /// (which left the table of every shared benchmark's 1.8 M keys 43% full: 21 MB of slots).
  static func homeSlots(for count: Int) -> Int { max(16, (4 * max(1, count) + 2) / 3) }

  /// The home slot of `key` among `homes`: its value scaled to `0..<homes` (the high word of
  /// `key · homes`), so that larger keys never have an earlier home.
  @inline(__always)
  static func home(_ key: UInt64, _ homes: UInt64) -> Int { Int(truncatingIfNeeded: key.multipliedFullWidth(by: homes).high) }

  /// Builds a table from its keys in increasing order, each with its postings: every slot is
  /// written once, in order (no pass zeroing the arrays first).
  struct Builder: ~Copyable {
    /// The arrays being filled; `slotCount` is the key and offset arrays' capacity until
    /// ``finish()`` sets it.
    private var table: Storage
    private let homes: UInt64
    /// The first slot after the last key placed; keys and postings placed so far.
    private var next = 0
    private var placed = 0
    private var placedPostings = 0
    private var last: UInt64 = 0

    /// - Parameters: `keys` distinct keys with `postings` postings in all will be appended;
    ///   `filterHasher`: their hasher, when the filter is to hold their polynomials.
    init(keys count: Int, postings postingCount: Int, filterHasher: NGramHasher? = nil) {
      precondition(postingCount < Int(UInt32.max), "postings are addressed in 32 bits")
      let home = _HashTable.homeSlots(for: count)
      homes = UInt64(home)
      // Room for keys pushed past the last home slot (a few at 3/4 load); grown if need be.
      let capacity = home + 64 + home / 64
      var filterBits = 64
      while filterBits < 8 * max(1, count) { filterBits <<= 1 }
      table = Storage(
        count: count, homeSlots: home, slotCount: capacity, keys: _HashTable.allocate(UInt64.self, capacity: capacity),
        offsets: _HashTable.allocate(UInt32.self, capacity: capacity + 1),
        postings: _HashTable.allocate(ItemIndex.Posting.self, capacity: max(1, postingCount)), postingCount: postingCount,
        filter: _HashTable.allocate(UInt64.self, capacity: filterBits / 64),
        filterMask: filterBits - 1, filterHasher: filterHasher)
      table.filter.initialize(repeating: 0, count: filterBits / 64)
    }

    /// Places `key`, larger than every key before it and not 0, with its postings in order.
    mutating func append(_ key: UInt64, _ keyPostings: UnsafeBufferPointer<Entry>) {
      precondition(
        key > last && placed < table.count && placedPostings + keyPostings.count <= table.postingCount,
        "keys come in increasing order, as counted")
      let slot = max(_HashTable.home(key, homes), next)
      // Empty slots up to it, and room for one more past it.
      if slot + 2 > table.slotCount { grow(to: slot + 2 + table.slotCount / 8) }
      fillEmpty(to: slot)
      table.keys[slot] = key
      table.offsets[slot] = UInt32(placedPostings)
      for entry in keyPostings {
        table.postings[placedPostings] = entry.posting
        placedPostings += 1
      }
      if let hasher = table.filterHasher {
        hasher.polynomials(ofKey: key) { table.filter[_HashTable.filterIndex($0, table.filterMask)] |= _HashTable.filterPattern($0) }
      } else {
        table.filter[_HashTable.filterIndex(key, table.filterMask)] |= _HashTable.filterPattern(key)
      }
      next = slot + 1
      placed += 1
      last = key
    }

    /// Marks the slots from `next` up to `slot` empty (no postings).
    private mutating func fillEmpty(to slot: Int) {
      while next < slot {
        table.keys[next] = 0
        table.offsets[next] = UInt32(placedPostings)
        next += 1
      }
    }

    private mutating func grow(to capacity: Int) {
      let keys = _HashTable.allocate(UInt64.self, capacity: capacity)
      keys.moveInitialize(from: table.keys, count: next)
      _HashTable.release(table.keys)
      table.keys = keys
      let offsets = _HashTable.allocate(UInt32.self, capacity: capacity + 1)
      offsets.moveInitialize(from: table.offsets, count: next)
      _HashTable.release(table.offsets)
      table.offsets = offsets
      table.slotCount = capacity
    }

    /// The table: the home slots not reached, then one empty slot past the last key.
    consuming func finish() -> Storage {
      precondition(placed == table.count && placedPostings == table.postingCount, "every key and posting counted was appended")
      let end = max(table.homeSlots, next) + 1
      if end > table.slotCount { grow(to: end) }
      fillEmpty(to: end)
      table.offsets[end] = UInt32(placedPostings)
      table.slotCount = end
      return table
    }
  }

  /// A table's arrays and sizes, as a builder or the index cache's reader leaves them.
  struct Storage {
    var count: Int
    var homeSlots: Int
    var slotCount: Int
    var keys: UnsafeMutablePointer<UInt64>
    var offsets: UnsafeMutablePointer<UInt32>
    var postings: UnsafeMutablePointer<ItemIndex.Posting>
    var postingCount: Int
    var filter: UnsafeMutablePointer<UInt64>
    var filterMask: Int
    var filterHasher: NGramHasher?
  }

  /// The table that owns `storage` from now on.
  init(_ storage: Storage) {
    table = storage
    homes = UInt64(storage.homeSlots)
  }

  /// - Parameter entries: (key, posting) sorted by key; a key's postings are the run of its
  ///   entries, in their order.
  ///   `filterHasher`: their hasher, when the filter is to hold their polynomials.
  convenience init(entries: [Entry], filterHasher: NGramHasher? = nil) {
    var distinct = 0
    for k in entries.indices where k == 0 || entries[k].key != entries[k - 1].key { distinct += 1 }
    var builder = Builder(keys: distinct, postings: entries.count, filterHasher: filterHasher)
    entries.withUnsafeBufferPointer { all in
      Self.forEachRun(all) { builder.append($0[0].key, $0) }
    }
    self.init(builder.finish())
  }

  /// The occupied slots of `keys` laid out as probes need them, or nil: keys in increasing
  /// order, none before its home slot (``home(_:_:)`` among `homes`), every slot from a key's home
  /// to the key's own occupied (a probe stops at an empty slot, so a gap would hide the key), and
  /// the last slot empty (a probe never runs past the end).
  static func probeableOccupancy(keys: UnsafeBufferPointer<UInt64>, homes: UInt64) -> Int? {
    guard let lastSlot = keys.last, lastSlot == 0 else { return nil }
    var occupied = 0
    var last: UInt64 = 0
    for (slot, key) in keys.enumerated() where key != 0 {
      let home = Self.home(key, homes)
      // Slot `slot - 1` occupied by a smaller key, whose own run back to its home (at most
      // this key's) is checked: so every slot from `home` on is occupied.
      guard key > last, home <= slot, home == slot || keys[slot - 1] != 0 else { return nil }
      last = key
      occupied += 1
    }
    return occupied
  }

  /// The runs of equal keys of key-sorted `entries`, in order.
  static func forEachRun(_ entries: UnsafeBufferPointer<Entry>, _ body: (UnsafeBufferPointer<Entry>) -> Void) {
    var i = 0
    while i < entries.count {
      var j = i + 1
      while j < entries.count && entries[j].key == entries[i].key { j += 1 }
      body(UnsafeBufferPointer(rebasing: entries[i..<j]))
      i = j
    }
  }

  /// A table built from pairs taken in passes over the key range (``_KeySort/forEachRun(passBits:key:fill:_:)``),
  /// so that no list of all of them is held: `pairs(pass, append)` appends the pairs of one
  /// pass, in the order a key's postings keep, and is called twice per pass (once to count what
  /// is kept, once to place it). `keep` decides on each key's run of pairs, once, in increasing
  /// key order (it may record what it decides).
  @inline(__always)
  static func built(
    passBits: Int, pairs: (_ pass: UInt64, _ into: inout [Entry]) -> Void, keep: (UnsafeBufferPointer<Entry>) -> Bool,
    filterHasher: NGramHasher? = nil
  ) -> _HashTable {
    /// One bit per key run, in order: kept.
    var kept: [UInt64] = []
    var runs = 0
    var keptKeys = 0
    var keptPostings = 0
    _KeySort.forEachRun(passBits: passBits, key: { $0.key }, fill: pairs) { run in
      if runs & 63 == 0 { kept.append(0) }
      if keep(run) {
        kept[runs >> 6] |= 1 << UInt64(runs & 63)
        keptKeys += 1
        keptPostings += run.count
      }
      runs += 1
    }
    var builder = Builder(keys: keptKeys, postings: keptPostings, filterHasher: filterHasher)
    runs = 0
    _KeySort.forEachRun(passBits: passBits, key: { $0.key }, fill: pairs) { run in
      if kept[runs >> 6] & (1 << UInt64(runs & 63)) != 0 { builder.append(run[0].key, run) }
      runs += 1
    }
    return _HashTable(builder.finish())
  }

  /// The table as ``init(reading:)`` reads it back (the index cache).
  func write(to writer: inout _ByteWriter) {
    writer.write(count)
    writer.write(homeSlots)
    writer.write(slotCount)
    writer.write(filterMask)
    writer.write(filterHasher?.n ?? 0)
    writer.write(raw: keys, count: slotCount * 8)
    writer.write(raw: offsets, count: (slotCount + 1) * 4)
    writer.write(raw: postings, count: postingCount * MemoryLayout<ItemIndex.Posting>.stride)
    writer.write(raw: filter, count: (filterMask + 1) / 64 * 8)
  }

  /// A table written by ``write(to:)``; the sizes are checked against each other and the bytes,
  /// and the slots against the layout probes rely on: keys in increasing order, none before its
  /// home slot, an empty slot last, offsets that never run backwards and give an empty slot no
  /// postings.
  convenience init(reading reader: inout _ByteReader) throws(_ByteReader.Damaged) {
    let count = try reader.readInt()
    let homeSlots = try reader.readInt()
    let slotCount = try reader.readInt()
    let filterMask = try reader.readInt()
    let filterN = try reader.readInt()
    // Sizes in range before any arithmetic, and no buffer larger than the bytes left.
    // At most 2^32 slots, as built (postings are addressed in 32 bits; the probe packs a slot
    // into 32 bits).
    guard (16..<1 << 31).contains(homeSlots), (homeSlots + 1...2 * homeSlots).contains(slotCount), (63..<1 << 46).contains(filterMask),
      (0..<homeSlots).contains(count), (0...NGramHasher.maximumN).contains(filterN)
    else {
      throw _ByteReader.Damaged()
    }
    let filterBits = filterMask + 1
    guard 3 * homeSlots >= 4 * max(1, count), filterBits & filterMask == 0,
      slotCount * 12 + filterBits / 8 <= reader.bytesLeft
    else { throw _ByteReader.Damaged() }
    let keys = Self.allocate(UInt64.self, capacity: slotCount, hugePages: true)
    let offsets = Self.allocate(UInt32.self, capacity: slotCount + 1, hugePages: true)
    let filter = Self.allocate(UInt64.self, capacity: filterBits / 64, hugePages: true)
    var postings: UnsafeMutablePointer<ItemIndex.Posting>? = nil
    var total = 0
    do throws(_ByteReader.Damaged) {
      try reader.readRaw(into: keys, expected: slotCount * 8)
      try reader.readRaw(into: offsets, expected: (slotCount + 1) * 4)
      guard offsets[0] == 0, keys[slotCount - 1] == 0 else { throw _ByteReader.Damaged() }
      guard let occupied = Self.probeableOccupancy(keys: UnsafeBufferPointer(start: keys, count: slotCount), homes: UInt64(homeSlots)),
        occupied == count
      else { throw _ByteReader.Damaged() }
      for slot in 0..<slotCount {
        let postingsHere = Int(offsets[slot + 1]) - Int(offsets[slot])
        guard postingsHere >= 0, keys[slot] != 0 || postingsHere == 0 else { throw _ByteReader.Damaged() }
      }
      total = Int(offsets[slotCount])
      guard total * MemoryLayout<ItemIndex.Posting>.stride + filterBits / 8 <= reader.bytesLeft else { throw _ByteReader.Damaged() }
      postings = Self.allocate(ItemIndex.Posting.self, capacity: max(1, total), hugePages: true)
      try reader.readRaw(into: postings!, expected: total * MemoryLayout<ItemIndex.Posting>.stride)
      try reader.readRaw(into: filter, expected: filterBits / 8)
    } catch {
      Self.release(keys)
      Self.release(offsets)
      Self.release(filter)
      if let postings { Self.release(postings) }
      throw error
    }
    self.init(
      Storage(
        count: count, homeSlots: homeSlots, slotCount: slotCount, keys: keys, offsets: offsets, postings: postings!, postingCount: total,
        filter: filter, filterMask: filterMask, filterHasher: filterN == 0 ? nil : NGramHasher(n: filterN)))
  }

  deinit {
    Self.release(keys)
    Self.release(offsets)
    Self.release(postings)
    Self.release(filter)
  }

  /// The filter word of `key`: chosen by its bits 32 and up (the pattern by its low bits).
  @inline(__always)
  static func filterIndex(_ key: UInt64, _ filterMask: Int) -> Int { Int(truncatingIfNeeded: key >> 32) & (filterMask >> 6) }

  @inline(__always)
  func filterIndex(_ key: UInt64) -> Int { Self.filterIndex(key, filterMask) }

  /// The bits `key` sets in its filter word: ``keyBits`` positions from its bits 0–17.
  @inline(__always)
  static func filterPattern(_ key: UInt64) -> UInt64 {
    1 << (key & 63) | 1 << (key >> 6 & 63) | 1 << (key >> 12 & 63)
  }

  /// The first slot's key probed for `key` (to prefetch).
  @inline(__always)
  func firstSlot(_ key: UInt64) -> UnsafeMutablePointer<UInt64> { keys + Self.home(key, homes) }

  /// False only if `key` is certainly absent.
  @inline(__always)
  func mayContain(_ key: UInt64) -> Bool {
    guard let hasher = filterHasher else { return passes(key) }
    return polynomialPasses(ofKey: key, hasher)
  }

  /// ``mayContain(_:)`` for a table whose filter holds its keys' polynomials (kept out of line:
  /// the scan's hot loops test those tables on polynomials, and the other tables' callers inline
  /// only the filter test).
  @inline(never)
  private func polynomialPasses(ofKey key: UInt64, _ hasher: NGramHasher) -> Bool {
    var passed = false
    hasher.polynomials(ofKey: key) { passed = passed || passes($0) }
    return passed
  }

  /// The filter of a table of ``filterHasher``'s keys, tested on windows' polynomials.
  var polynomialFilter: FilterView {
    precondition(filterHasher != nil, "the filter holds keys")
    return FilterView(words: filter, mask: filterMask)
  }

  /// A blocked Bloom filter's words (this table's, or ``RunTogetherIndex``'s), as a value a
  /// loop keeps in registers.
  struct FilterView {
    let words: UnsafePointer<UInt64>
    /// Filter bits, minus one.
    let mask: Int

    /// The word `value` is tested against (to prefetch).
    @inline(__always)
    func word(_ value: UInt64) -> UnsafePointer<UInt64> { words + _HashTable.filterIndex(value, mask) }

    /// False only if `value` was never added.
    @inline(__always)
    func mayContain(_ value: UInt64) -> Bool {
      let pattern = _HashTable.filterPattern(value)
      return word(value).pointee & pattern == pattern
    }
  }

  /// Whether the filter holds `value`'s bits.
  @inline(__always)
  private func passes(_ value: UInt64) -> Bool { FilterView(words: filter, mask: filterMask).mayContain(value) }

  /// The slot holding `key`, or nil (the filter is not consulted: call after ``mayContain(_:)``).
  @inline(__always)
  func slot(of key: UInt64) -> Int? {
    // Slots hold keys in increasing order, and the last slot is empty: the walk ends in bounds.
    var slot = Self.home(key, homes)
    while true {
      let k = keys[slot]
      if k == key { return slot }
      if k == 0 || k > key { return nil }
      slot += 1
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
