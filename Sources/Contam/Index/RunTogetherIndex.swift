import Synchronization

/// Items found where their words run together (`Wheredoplantstakeinair?`), as text drawn from a
/// PDF or an OCR without its spaces keeps them. Such a copy is a few long tokens the items never
/// have, so no n-gram or shingle of it matches and it read `clean`
/// (``ScanConfiguration/runTogether``).
///
/// Both sides are read as their *squeezed* text: the ASCII letters and digits alone, lower-cased,
/// everything else left out, so spaces, punctuation and layout no longer decide where a word
/// ends. The index holds, per item, the squeezed windows of ``anchorCharacters`` characters
/// whose mixed hash is 0 modulo ``anchorEvery`` (chosen by content, so a copy has the same ones
/// wherever it stands), as anchors. The scan squeezes only the text around tokens of
/// ``longToken`` bytes or more (normal prose has few) and around tokens that are two of an
/// item's words written together (``merges``: a copy that lost only some of its spaces), looks
/// its anchors up, and grows each one found into the longest run of characters the copy and the
/// item share (``_ScanWorker/collectRunTogetherHits(document:base:end:)``). The run covers the
/// item's tokens it spans, as an exact match does, where the text's words are the item's, some
/// joined.
///
/// Made by the first document that needs it (a long token, or one of 6-15 bytes that is no word
/// of the items: nearly every real document) and held by its ``ItemIndex`` behind a lock:
/// 0.1-0.3 s on one core, which the other workers spent waiting, and about 7 MB of anchors for
/// the 21,697 items of `scripts/bench-scan.sh` (long items keep a quarter of their anchors).
/// So where the indexes are built for the ``IndexCache``, it is made with them and stored in
/// the exact index's file, and a scan that reads the cache has it from the start.
@_spi(Testing) public final class RunTogetherIndex: Sendable {
  /// Characters per anchor (about four words).
  static let anchorCharacters = 20
  /// One window in this many is an anchor (on average).
  static let anchorEvery: UInt64 = 8
  /// Items of more squeezed characters than this keep one anchor in `4 × anchorEvery`.
  static let longItem = 512
  /// A token of this many source bytes or more starts a search around it.
  static let longToken = 16
  /// The most characters of a label a run passes over, and the characters that must agree after
  /// it (``realigns(_:_:_:_:forward:depth:)``).
  static let labelCharacters = 3
  static let realignCharacters = 4
  /// The fewest characters a run must share with an item to count (about six words, as many
  /// as the shortest item the exact pass matches whole).
  static let minimumRun = 32

  /// Anchor key → (item, squeezed position) of each anchor; keys in more than
  /// `maximumItemsPerNGram` items are left out (a phrase many items share decides nothing).
  let table: _HashTable
  /// The token hashes of two adjacent words of an item written together (`plantstake` for
  /// `plants take`), pairs of ``shortestMerge`` characters or more: a copy that lost only some
  /// of its spaces has few long tokens, but has these (``mergedWords(_:_:)``). The scan asks
  /// only for tokens that are no word of an item (``ItemIndex/mayHoldToken(_:)``): `cannot`
  /// and `into` are words, not two.
  let merges: MergeFilter
  /// The fewest characters of two words written together that the scan looks up. (Pairs with a
  /// short word, `of the`, `is a`, are most of what a copy loses; asking each word to be 3
  /// characters or more left 9 of 40 such copies in RunTogetherTests not contaminated.)
  static let shortestMerge = 6
  /// Every token hash of every item: whether a word cut in two by a line break and joined again
  /// is an item's word (``_ScanWorker/collectCutWordHits(document:base:end:)``), asked where
  /// ``ItemIndex/mayHoldToken(_:)``, a bitmap of one bit per token that says "may be" to many
  /// words no item has, says it may be.
  let words: MergeFilter

  init(index: ItemIndex) {
    var entries: [_HashTable.Entry] = []
    var mergeKeys: [UInt64] = []
    for (i, item) in index.items.enumerated() {
      var text = ItemIndex.text(of: item)
      let squeezed = text.withUTF8 { Self.squeeze(UnsafeRawBufferPointer($0)) }
      text.withUTF8 { bytes in
        Self.mergedWords(UnsafeRawBufferPointer(bytes)) { mergeKeys.append($0) }
      }
      // A long item keeps a quarter of its anchors (the scan looks up all it meets, so any
      // subset is found): a copy of it has several in any run of a hundred characters.
      let every = squeezed.characters.count > Self.longItem ? 4 * Self.anchorEvery : Self.anchorEvery
      squeezed.characters.withUnsafeBufferPointer { characters in
        // The item's first window too: a short item's other windows may all hold a place
        // where a copy's option labels sit (`Whichisarenewableresource?A.oilB.coal`), and a copy
        // starts a token where the item starts.
        Self.forEachAnchor(characters, also: { $0 == 0 }) { key, at in
          if key % every == 0 || at == 0 { entries.append((key, .init(item: UInt32(i), position: UInt32(at)))) }
        }
      }
    }
    merges = MergeFilter(mergeKeys)
    mergeKeys = []
    // Token hashes repeat across and within items (about 15 times each in the shared
    // benchmarks): sized for a quarter of them, the filter keeps 16 bits or more per word.
    words = MergeFilter(index.tokenHashes.lazy.flatMap { $0 }, count: index.tokenHashes.reduce(0) { $0 + $1.count } / 4)
    _KeySort.sort(&entries) { $0.key }
    // Keys in more than `limit` items are left out; the table is built from the runs of the
    // others in two passes (counted, then placed), without a second list of them.
    let limit = index.parameters.maximumItemsPerNGram
    func kept(_ run: UnsafeBufferPointer<_HashTable.Entry>) -> Bool {
      var items = 1
      for k in 1..<run.count where run[k].posting.item != run[k - 1].posting.item { items += 1 }
      return items <= limit
    }
    // One posting per item and key, its first: an item whose text repeats (a run of zeros, a
    // periodic table) has the same window at many places, and a text repeating it would meet
    // every one of them at every anchor; from its first, a run grows over the repeats anyway.
    var firsts: [_HashTable.Entry] = []
    func distinct(_ run: UnsafeBufferPointer<_HashTable.Entry>) -> [_HashTable.Entry] {
      firsts.removeAll(keepingCapacity: true)
      for entry in run where firsts.last?.posting.item != entry.posting.item { firsts.append(entry) }
      return firsts
    }
    table = entries.withUnsafeBufferPointer { all in
      var counts = (keys: 0, postings: 0)
      _HashTable.forEachRun(all) { run in
        if kept(run) { counts = (counts.keys + 1, counts.postings + distinct(run).count) }
      }
      var builder = _HashTable.Builder(keys: counts.keys, postings: counts.postings)
      _HashTable.forEachRun(all) { run in
        if kept(run) { distinct(run).withUnsafeBufferPointer { builder.append(run[0].key, $0) } }
      }
      return _HashTable(builder.finish())
    }
  }

  /// A blocked Bloom filter of the keys of ``merges``: one 64-bit word per key, 3 bits set
  /// (``_HashTable``'s), 8-16 bits per key (a few percent false positives; the scan asks two
  /// tokens close together). A filter alone, without the keys: 512 KB for the 440,000 pairs of
  /// the 34,427 shared items, where a table of them held 30 MB more, and a filter of twice the
  /// size cost the scan more in its probes' cache misses.
  struct MergeFilter: Sendable {
    let words: [UInt64]
    private let mask: Int

    /// The filter whose words ``words`` are (the index cache); nil unless there are a power of
    /// two of them.
    init?(words: [UInt64]) {
      guard !words.isEmpty, words.count & (words.count - 1) == 0, words.count < 1 << 40 else { return nil }
      self.words = words
      mask = 64 * words.count - 1
    }

    /// A filter of `keys`, 8 to 16 bits for each of `count` of them.
    init<Keys: Sequence<UInt64>>(_ keys: Keys, count: Int) {
      var size = 64
      while size < 8 * count { size <<= 1 }
      mask = size - 1
      var words = [UInt64](repeating: 0, count: size / 64)
      for key in keys { words[_HashTable.filterIndex(key, size - 1)] |= _HashTable.filterPattern(key) }
      self.words = words
    }

    init(_ keys: [UInt64]) { self.init(keys, count: keys.count) }

    /// Calls `body` with a view of the filter: a batch of lookups that prefetches its words
    /// ahead (``View/word(_:)``) hides most of their cache misses.
    func withView<R>(_ body: (View) -> R) -> R { words.withUnsafeBufferPointer { body(View(words: $0.baseAddress!, mask: mask)) } }

    /// The filter's words, valid inside ``withView(_:)``.
    typealias View = _HashTable.FilterView

    /// False only if `key` is no key.
    @inline(__always)
    func mayContain(_ key: UInt64) -> Bool {
      let pattern = _HashTable.filterPattern(key)
      return words[_HashTable.filterIndex(key, mask)] & pattern == pattern
    }
  }

  /// Calls `body` with the token hash of each pair of words (runs of ASCII letters and digits)
  /// one run of white space or one mark apart written together, ``shortestMerge`` characters or
  /// more, as ``Tokenizer`` hashes the joined word: lower-cased. Words that touch a byte outside
  /// ASCII, `&`, `%` or `=` (which the tokenizer may read as part of a word) are left out. Keys
  /// are never 0.
  @_spi(Testing) public static func mergedWords(_ text: UnsafeRawBufferPointer, _ body: (UInt64) -> Void) {
    @inline(__always) func isWordByte(_ b: UInt8) -> Bool { squeezed(b) != 0 }
    @inline(__always) func isSpace(_ b: UInt8) -> Bool { LayoutMarkup.isBlank(b) }
    let n = text.count
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * Tokenizer.wordChunk) { buffer in
      // The word before, if only white space or one mark follows it so far (start < 0: none).
      var previous = (start: -1, end: -1)
      var k = 0
      while k < n {
        guard isWordByte(text[k]) else {
          // White space, or one mark between two words (`don't`, `well-known`), which a copy
          // may have lost too.
          if previous.start >= 0, !isSpace(text[k]), !(k == previous.end && k + 1 < n && isWordByte(text[k + 1])) {
            previous.start = -1
          }
          k += 1
          continue
        }
        let start = k
        while k < n && isWordByte(text[k]) { k += 1 }
        let plain = (start == 0 || isPlainEdge(text[start - 1])) && (k == n || isPlainEdge(text[k]))
        guard plain, k - start < Tokenizer.wordChunk else {
          previous.start = -1
          continue
        }
        if previous.start >= 0 && previous.end - previous.start + k - start >= shortestMerge {
          var length = 0
          for j in previous.start..<previous.end {
            buffer[length] = squeezed(text[j])
            length += 1
          }
          for j in start..<k {
            buffer[length] = squeezed(text[j])
            length += 1
          }
          body(max(1, XXH3.hash64(UnsafeRawPointer(buffer.baseAddress!), count: length)))
        }
        previous = (start, k)
      }
    }
  }

  /// Whether the item's characters from `ownAt` on (before it, going back) and the text's from
  /// `textAt` on agree again after a skipped label: for ``realignCharacters`` characters, or up
  /// to the item's end, or for a shorter option and then, past another label, again (`oilBcoal`,
  /// `64D54`: options shorter than the check).
  @_spi(Testing) public static func realigns(
    _ own: [UInt8], _ ownAt: Int, _ characters: UnsafeBufferPointer<UInt8>, _ textAt: Int, forward: Bool, depth: Int = 0
  ) -> Bool {
    var m = 0
    while m < realignCharacters {
      let o = forward ? ownAt + m : ownAt - 1 - m
      let t = forward ? textAt + m : textAt - 1 - m
      if o < 0 || o >= own.count { return m > 0 }
      if t < 0 || t >= characters.count || own[o] != characters[t] { break }
      m += 1
    }
    if m == realignCharacters { return true }
    guard m > 0, depth < realignCharacters else { return false }
    return (1...labelCharacters).contains { k in
      forward
        ? realigns(own, ownAt + m, characters, textAt + m + k, forward: true, depth: depth + 1)
        : realigns(own, ownAt - m, characters, textAt - m - k, forward: false, depth: depth + 1)
    }
  }

  /// Per squeezed character (its byte offset in `offsets`, in order): the token holding it, or
  /// -1. `range(t)` is token `t`'s byte range; tokens come in order of start, and the walk
  /// starts at token `first`.
  static func tokenClasses(of offsets: [Int32], count: Int, first: Int, range: (Int) -> (Int32, Int32)) -> [Int32] {
    var classes = [Int32](repeating: -1, count: offsets.count)
    var t = first
    for (k, offset) in offsets.enumerated() {
      while t < count && range(t).1 <= offset { t += 1 }
      if t < count && range(t).0 <= offset { classes[k] = Int32(t) }
    }
    return classes
  }

  /// Whether, along a run (text characters `run`, less those in `skips`, against item characters
  /// from `from` on), every place two neighbouring text characters are in different tokens is
  /// one where the item's two are too: the text's words are the item's, some written together.
  /// And at least one place where the item's words part and the text's do not: two words
  /// joined. (Text that only lacks the item's marks is not enough: `(-\frac12, …)` and
  /// `(\frac12, …)` squeeze alike; searched wider, MATH test against MATH train read 6 such
  /// siblings `perturbed` or `partial`.)
  /// Characters of the item in no token (a label, `n't` in `could n't`) part from nothing. Beside
  /// a skipped label, the text may part anywhere the label could have been skipped instead: in
  /// `ionicC.gradient` the skipped `c` may be either, and in `B.buildings` either `b`.
  @_spi(Testing) public static func partsOnlyWhereItemParts(
    text: [Int32], _ characters: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, skipping skips: [Range<Int>], item: [Int32], from: Int
  ) -> Bool {
    // Per skip, the text characters it could have been instead (slid over equal characters).
    let loose = skips.map { skip in
      var low = skip.lowerBound
      while low > run.lowerBound && characters[low - 1] == characters[low - 1 + skip.count] { low -= 1 }
      var high = skip.upperBound
      while high < run.upperBound && characters[high] == characters[high - skip.count] { high += 1 }
      return low...high
    }
    var q = from
    var previous: (text: Int32, item: Int32)? = nil
    var joined = false
    var p = run.lowerBound
    while p < run.upperBound {
      if let skip = skips.first(where: { $0.lowerBound == p }) {
        p = skip.upperBound
        continue
      }
      let current = (text: text[p], item: item[q])
      if let previous, current.item >= 0, previous.item >= 0 {
        if previous.text != current.text, previous.item == current.item, !loose.contains(where: { $0.contains(p) }) { return false }
        if previous.text == current.text, previous.item != current.item { joined = true }
      }
      previous = current
      p += 1
      q += 1
    }
    return joined
  }

  /// The ASCII letters and digits of `text`, lower-cased, with the byte offset of each.
  static func squeeze(_ text: UnsafeRawBufferPointer) -> (characters: [UInt8], offsets: [Int32]) {
    var squeezed: (characters: [UInt8], offsets: [Int32]) = ([], [])
    squeezed.characters.reserveCapacity(text.count)
    squeezed.offsets.reserveCapacity(text.count)
    squeeze(text, 0..<text.count, into: &squeezed)
    return squeezed
  }

  /// Appends the ASCII letters and digits of `text[range]`, lower-cased, with the byte offset of
  /// each, to `squeezed` (no allocation per call once its arrays have grown).
  static func squeeze(_ text: UnsafeRawBufferPointer, _ range: Range<Int>, into squeezed: inout (characters: [UInt8], offsets: [Int32])) {
    for k in range {
      let c = Self.squeezed(text[k])
      if c != 0 {
        squeezed.characters.append(c)
        squeezed.offsets.append(Int32(truncatingIfNeeded: k))
      }
    }
  }

  /// Whether a byte beside a word leaves it a word of its own to the tokenizer (not a byte of a
  /// longer character, nor `&`, `%` or `=`, which may start an escape read into the word).
  @inline(__always)
  static func isPlainEdge(_ b: UInt8) -> Bool { b < 0x80 && b != 0x26 && b != 0x25 && b != 0x3D }

  /// An ASCII letter or digit as squeezed text has it (lower-cased); 0 for any other byte.
  @inline(__always)
  static func squeezed(_ b: UInt8) -> UInt8 {
    let lower = b | 0x20
    if b >= 0x30 && b <= 0x39 { return b }
    return lower >= 0x61 && lower <= 0x7A ? lower : 0
  }

  /// Calls `body` with the key and start of each anchor of `characters` (squeezed text), in
  /// order: the windows whose key is 0 modulo ``anchorEvery``, and those starting where `also`
  /// says (an item's first window; the text's windows that start a line or a long token).
  static func forEachAnchor(
    _ characters: UnsafeBufferPointer<UInt8>, also: (Int) -> Bool = { _ in false }, _ body: (UInt64, Int) -> Void
  ) {
    let width = anchorCharacters
    guard characters.count >= width else { return }
    let base: UInt64 = 0x100_0000_01B3
    var top: UInt64 = 1  // base^(width - 1)
    for _ in 1..<width { top &*= base }
    var rolling: UInt64 = 0
    for k in 0..<width { rolling = rolling &* base &+ UInt64(characters[k]) }
    var start = 0
    while true {
      let key = mix(rolling)
      if key % anchorEvery == 0 || also(start) { body(max(key, 1), start) }  // never 0, an empty slot
      let next = start + width
      guard next < characters.count else { break }
      rolling = (rolling &- UInt64(characters[start]) &* top) &* base &+ UInt64(characters[next])
      start += 1
    }
  }

  /// A 64-bit finalizer (splitmix64's), so that the sampling does not follow the polynomial.
  @inline(__always)
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The index as read back from the index cache (``IndexCache``), its parts checked there.
  init(table: _HashTable, merges: MergeFilter, words: MergeFilter) {
    self.table = table
    self.merges = merges
    self.words = words
  }

  /// The index of `index`'s items, made on first use (or read with the index cache) and then
  /// shared by every worker.
  final class Lazy: Sendable {
    private let built = Mutex<RunTogetherIndex?>(nil)
    func get(_ index: ItemIndex) -> RunTogetherIndex {
      built.withLock { value in
        if let value { return value }
        let made = RunTogetherIndex(index: index)
        value = made
        return made
      }
    }
    /// The index if it was made or read, without making it.
    var made: RunTogetherIndex? { built.withLock { $0 } }
    /// Sets the index read from the index cache.
    func set(_ index: RunTogetherIndex) { built.withLock { $0 = index } }
  }
}
