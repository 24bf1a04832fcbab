import Foundation

/// A directory of built indexes, so that a scan of the same items with the same parameters
/// starts by reading one file instead of tokenizing and indexing them again (about a second for
/// all shared benchmarks with near duplicates on).
///
/// A cache file is named by the SHA-256 of everything the indexes are made from: the items
/// (benchmark, id, every part's name and text, the answer), the index parameters, the
/// near-duplicate configuration and ``build``, which names the code that built them. So a file
/// is read only by the build that wrote it, for exactly those items; anything else is a miss
/// and the indexes are built as without a cache. The file's payload carries its XXH3-64, and
/// every count and position read back is checked against the items, so a damaged or truncated
/// file is a miss too, never a crash and never a different result. Results are the same with
/// and without the cache (the tests compare certificates byte for byte).
///
/// Only indexes whose build took at least ``minimumBuildSeconds`` are written (small benchmark
/// sets are faster to build than to read), and at most ``keptFiles`` files are kept: the least
/// recently used go first.
public struct IndexCache: Sendable {
  /// Where the cache files are (created when missing).
  public let directory: String
  /// What identifies the code that builds indexes; the CLI passes its executable's path, size
  /// and modification time.
  public let build: String
  /// Builds faster than this are not written.
  public var minimumBuildSeconds = 0.2
  /// Cache files kept in ``directory``.
  public var keptFiles = 4

  static let magic = Array("contam-index-cache/8\n".utf8)
  static let suffix = ".contam-index"
  /// The exact index's n-gram table (about half its bytes) has a file of its own, read on a
  /// third thread: the exact index's file was a start's longest read.
  static let ngramsMagic = Array("contam-ngrams-cache/2\n".utf8)
  static let ngramsSuffix = ".contam-ngrams"
  /// The near-duplicate index of a key has a file of its own, read beside the exact index's on
  /// another thread (together they took 0.27 s of a start with every shared benchmark, in a row).
  static let nearMagic = Array("contam-near-cache/4\n".utf8)
  static let nearSuffix = ".contam-near"

  public init(directory: String, build: String) {
    self.directory = directory
    self.build = build
  }

  /// The cache key of `items` indexed with `parameters` (and `near`, if searched), lowercase hex.
  public func key(
    items: [BenchmarkItem], parameters: ItemIndex.Parameters, near: NearDuplicateConfiguration?, maximumItemsPerShingle: Int
  ) -> String {
    let digest = SHA256Stream()
    // Every value with its length, so no two inputs feed the same bytes; hashed in 1 MiB runs
    // (a call per value made the key cost 35 ms for all shared benchmarks).
    var pending: [UInt8] = []
    pending.reserveCapacity(1 << 20 + 4096)
    func flush() {
      pending.withUnsafeBytes { digest.update($0) }
      pending.removeAll(keepingCapacity: true)
    }
    func feed(_ value: Int) { withUnsafeBytes(of: Int64(value)) { pending += $0 } }
    func feed(_ string: String) {
      feed(string.utf8.count)
      pending += string.utf8
      if pending.count >= 1 << 20 { flush() }
    }
    pending += Self.magic
    feed(build)
    feed(parameters.n)
    feed(parameters.minimumTokens)
    feed(parameters.maximumItemsPerNGram)
    feed(parameters.textVersion.name)
    feed(parameters.headRuns ? 1 : 0)
    feed(parameters.headRunPastOpening)
    feed(parameters.partsApart ? 1 : 0)
    feed(parameters.choicesInAnyOrder ? 1 : 0)
    feed(parameters.questionWithAnswer ? 1 : 0)
    feed(parameters.blanksFilled ? 1 : 0)
    feed(parameters.blanksNearStart ? 1 : 0)
    feed(maximumItemsPerShingle)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    feed(near.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "no near search")
    feed(items.count)
    for item in items {
      feed(item.benchmark)
      feed(item.id)
      feed(item.parts.count)
      for part in item.parts {
        feed(part.name)
        feed(part.text)
      }
      feed(item.answer?.value ?? "")
      feed(item.answer?.choice ?? (item.answer == nil ? "no answer" : "no choice"))
      feed(item.answer?.alternatives.count ?? 0)
      for alternative in item.answer?.alternatives ?? [] { feed(alternative) }
    }
    flush()
    return digest.finalizeHex()
  }

  func path(of key: String, suffix: String = Self.suffix) -> String { (directory as NSString).appendingPathComponent(key + suffix) }

  /// The indexes stored under `key`, or nil when there are none or a file does not read back
  /// whole and consistent with `items`. The exact index's file, its n-gram table's and the near
  /// index's (when `near` asks for one) are read at once, on their own threads; what one file
  /// says of another's contents is checked once all are read.
  func load(
    key: String, items: [BenchmarkItem], parameters: ItemIndex.Parameters, near: NearDuplicateConfiguration?
  ) -> (index: ItemIndex, near: NearDuplicateIndex?)? {
    enum Read {
      case exact(Exact?)
      case ngrams(_HashTable?)
      case near(NearRead?)
    }
    // The longest first: the two threads take the first two, and the third goes to whichever is done first.
    let read = _parallelMap(near == nil ? 2 : 3, jobs: 3, minimumChunk: 1) { file -> Read in
      switch file {
      case 0:
        return .exact(
          self.readFile(key: key, magic: Self.magic, suffix: Self.suffix) { reader throws(_ByteReader.Damaged) in
            try Self.read(&reader, items: items, withNear: near != nil)
          })
      case 1 where near != nil:
        return .near(
          self.readFile(key: key, magic: Self.nearMagic, suffix: Self.nearSuffix) { reader throws(_ByteReader.Damaged) in
            try Self.readNear(&reader, items: items, lengthBound: nil, configuration: near!, searchesMath: true)
          })
      default:
        return .ngrams(
          self.readFile(key: key, magic: Self.ngramsMagic, suffix: Self.ngramsSuffix) { reader throws(_ByteReader.Damaged) in
            try _HashTable(reading: &reader)
          })
      }
    }
    var exact: Exact?
    var table: _HashTable?
    var nearRead: NearRead?
    for file in read {
      switch file {
      case .exact(let e): exact = e
      case .ngrams(let t): table = t
      case .near(let n): nearRead = n
      }
    }
    guard let exact, let table, near == nil || nearRead != nil,
      let index = try? Self.assemble(exact, table: table, items: items, parameters: parameters)
    else { return nil }
    guard let near, let nearRead else { return (index, nil) }
    // The text index makes its targets' keys from the item index's token hashes (shared).
    let nearIndex = NearDuplicateIndex(
      configuration: near, math: nearRead.math.map { NearDuplicateIndex(configuration: near, math: nil, stored: $0, tokens: nil) },
      stored: nearRead.top, tokens: index.tokenHashes)
    // Each target is at most as long as its item.
    let lengths = index.tokenHashes.map(\.count)
    guard nearIndex.targetItem.indices.allSatisfy({ nearIndex.length[$0] <= lengths[nearIndex.targetItem[$0]] }) else { return nil }
    return (index, nearIndex)
  }

  /// Writes the indexes under `key` (each to a temporary file, renamed into place; the near
  /// index's and the n-gram table's first, so an exact index is not found without them), then prunes
  /// the directory. Errors are ignored: a cache that cannot be written only makes the next start
  /// slower.
  func store(key: String, index: ItemIndex, near: NearDuplicateIndex?) {
    if let near { writeFile(key: key, magic: Self.nearMagic, suffix: Self.nearSuffix) { Self.writeNear(near, to: &$0) } }
    writeFile(key: key, magic: Self.ngramsMagic, suffix: Self.ngramsSuffix) { index.table.write(to: &$0) }
    writeFile(key: key, magic: Self.magic, suffix: Self.suffix) { Self.write(index, withNear: near != nil, to: &$0) }
  }

  /// What `read` makes of the payload of the file under `key` (`magic`, the key, the payload, its
  /// length and checksum), or nil when there is none or it does not read back whole: every
  /// count and position is checked as it goes, and nothing read is used unless the whole payload
  /// was read and its checksum is the one written (one pass over the file).
  func readFile<T>(key: String, magic: [UInt8], suffix: String, _ read: (inout _ByteReader) throws(_ByteReader.Damaged) -> T) -> T? {
    let path = path(of: key, suffix: suffix)
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    let head = magic.count + 64
    guard fstat(descriptor, &status) == 0, Int(status.st_size) >= head + 16 else { return nil }
    let size = Int(status.st_size)
    var ends = [UInt8](repeating: 0, count: head + 16)
    let got = ends.withUnsafeMutableBytes { raw in
      pread(descriptor, raw.baseAddress!, head, 0) + pread(descriptor, raw.baseAddress! + head, 16, off_t(size - 16))
    }
    guard got == head + 16, ends[0..<magic.count].elementsEqual(magic), ends[magic.count..<head].elementsEqual(key.utf8)
    else { return nil }
    let (length, sum) = ends.withUnsafeBytes { ($0.loadUnaligned(fromByteOffset: head, as: UInt64.self), $0.loadUnaligned(fromByteOffset: head + 8, as: UInt64.self)) }
    guard length == UInt64(size - head - 16), lseek(descriptor, off_t(head), SEEK_SET) == off_t(head) else { return nil }
    var reader = _ByteReader(descriptor: descriptor, length: Int(length))
    guard let restored = try? read(&reader), reader.atEnd, reader.checksum == sum else { return nil }
    // Used: it is the last to go when the directory is pruned.
    try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    return restored
  }

  /// Writes a file under `key` that ``readFile(key:magic:suffix:_:)`` reads (to a temporary
  /// file, renamed into place), then prunes the directory. Errors are ignored.
  func writeFile(key: String, magic: [UInt8], suffix: String, _ write: (inout _ByteWriter) -> Void) {
    let manager = FileManager.default
    guard (try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return }
    let final = path(of: key, suffix: suffix)
    let temporary = final + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max))" + Self.partialSuffix
    guard manager.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else { return }
    var written = false
    defer {
      try? handle.close()
      if !written { try? manager.removeItem(atPath: temporary) }
    }
    guard (try? handle.write(contentsOf: magic + Array(key.utf8))) != nil else { return }
    var writer = _ByteWriter(file: handle)
    write(&writer)
    let sum = writer.finish()
    var trailer: [UInt8] = []
    withUnsafeBytes(of: UInt64(writer.count)) { trailer += $0 }
    withUnsafeBytes(of: sum) { trailer += $0 }
    guard !writer.failed, (try? handle.write(contentsOf: trailer)) != nil, rename(temporary, final) == 0 else { return }
    written = true
    prune()
  }

  static let partialSuffix = ".contam-index-partial"

  /// Removes all but the ``keptFiles`` most recently used cache files, and files left half
  /// written more than an hour ago.
  func prune() {
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
    func dated(_ suffix: String) -> [(path: String, date: Date)] {
      names.filter { $0.hasSuffix(suffix) }.map { (directory as NSString).appendingPathComponent($0) }
        .map { ($0, (try? manager.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast) }
    }
    for suffix in [Self.suffix, Self.nearSuffix, Self.ngramsSuffix, Self.benchmarksSuffix] {
      for file in dated(suffix).sorted(by: { $0.date > $1.date }).dropFirst(keptFiles) { try? manager.removeItem(atPath: file.path) }
    }
    for file in dated(Self.partialSuffix) where file.date < Date(timeIntervalSinceNow: -3600) { try? manager.removeItem(atPath: file.path) }
  }
}

extension IndexCache {
  /// Ranges as their bounds, in a row.
  static func flat(_ ranges: [Range<Int>]) -> [Int] { ranges.flatMap { [$0.lowerBound, $0.upperBound] } }

  /// The ranges ``flat(_:)`` wrote (an odd count or a reversed range is damage).
  static func ranges(_ bounds: [Int]) throws(_ByteReader.Damaged) -> [Range<Int>] {
    guard bounds.count % 2 == 0 else { throw _ByteReader.Damaged() }
    var result: [Range<Int>] = []
    result.reserveCapacity(bounds.count / 2)
    for k in stride(from: 0, to: bounds.count, by: 2) {
      guard bounds[k] <= bounds[k + 1] else { throw _ByteReader.Damaged() }
      result.append(bounds[k]..<bounds[k + 1])
    }
    return result
  }

  static func write(_ index: ItemIndex, withNear: Bool, to writer: inout _ByteWriter) {
    let stored = index.stored
    writer.write(stored.tokenHashes)
    writer.write(stored.lastTokenEnd)
    writer.write(stored.partRanges.map(flat))
    writer.write(stored.informative)
    writer.write(stored.informativeTokens)
    writer.write(stored.judged)
    writer.write(stored.judgedTokens)
    writer.write(stored.sharedStarts)
    writer.write(stored.droppedNGrams.count)
    for dropped in stored.droppedNGrams {
      writer.write(dropped.text)
      writer.write(dropped.items)
    }
    writer.write(stored.keyCount)
    // (The n-gram table, `stored.table`, is in a file of its own: ``ngramsSuffix``.)
    stored.shortTable.write(to: &writer)
    writer.write(stored.shortSpans.flatMap { [$0.item, $0.start, $0.length, $0.minimum] })
    writer.write(stored.lineSegments.count)
    for segments in stored.lineSegments { writer.write(segments.map(flat)) }
    writer.write(stored.answerLines.map { flat($0.map { [$0] } ?? []) })
    stored.apartTable.write(to: &writer)
    writer.write(stored.apartSpans.map(\.item))
    writer.write(stored.apartSpans.map { flat($0.parts) })
    writer.write(stored.apartSpans.map(\.anyOrderPart))
    writer.write(stored.apartSpans.map { flat($0.lines) })
    writer.write(stored.apartSpans.map(\.keyOffset))
    // Whether a near index goes with it (in its own file, ``nearSuffix``).
    writer.write(UInt8(withNear ? 1 : 0))
    // The run-together index, when it was made (``RunTogetherIndex``: 0.1-0.3 s to make, which
    // nearly every scan of real text would otherwise spend on one core while the others wait).
    if let together = index.runTogether.made {
      writer.write(UInt8(1))
      together.table.write(to: &writer)
      writer.write(together.merges.words)
      writer.write(together.words.words)
    } else {
      writer.write(UInt8(0))
    }
  }

  /// A near-duplicate index, then its math index if it has one (a flag byte first).
  static func writeNear(_ near: NearDuplicateIndex, to writer: inout _ByteWriter) {
    let n = near.stored
    writer.write(n.targetItem)
    writer.write(n.targetPart.count)
    for part in n.targetPart {
      writer.write(UInt8(part == nil ? 0 : 1))
      writer.write(part ?? "")
    }
    writer.write(n.targetWithoutContext.map { UInt8($0 ? 1 : 0) })
    // A part's keys are its item's array: written once, with the owner of each target's; or,
    // where they are made from the items' tokens, the boilerplate they leave out.
    writer.write(n.keyOwner)
    if let boilerplate = n.boilerplate {
      writer.write(UInt8(1))
      writer.write(boilerplate)
    } else {
      writer.write(UInt8(0))
      writer.write(n.shingles, rows: n.keyOwner.indices.filter { n.keyOwner[$0] == $0 })
    }
    writer.write(n.member, rows: 0..<n.member.count)
    writer.write(n.own, rows: 0..<n.own.count)
    writer.write(n.shingleCount)
    writer.write(n.ownCount)
    writer.write(n.sampleSize)
    writer.write(n.votes)
    writer.write(n.length)
    n.table.write(to: &writer)
    writer.write(n.wholeShingles)
    writer.write(n.droppedShingles)
    if let math = near.math {
      writer.write(UInt8(1))
      writeNear(math, to: &writer)
    } else {
      writer.write(UInt8(0))
    }
  }

  /// What the exact index's file holds: the index but its n-gram table (``ngramsSuffix``; an
  /// empty table stands in), and the run-together index when it was made.
  struct Exact {
    var stored: ItemIndex.Stored
    var together: RunTogetherIndex?
  }

  /// Reads what ``write(_:withNear:to:)`` wrote, checking every count and position against
  /// `items` (a check fails as ``_ByteReader/Damaged``).
  static func read(_ reader: inout _ByteReader, items: [BenchmarkItem], withNear: Bool) throws(_ByteReader.Damaged) -> Exact {
    func check(_ ok: Bool) throws(_ByteReader.Damaged) { if !ok { throw _ByteReader.Damaged() } }
    let count = items.count
    let tokenHashes = try reader.readArrays(of: UInt64.self)
    let lastTokenEnd = try reader.readArray(of: Int.self)
    let partRanges = try reader.readArrays(of: Int.self).map(ranges)
    try check(tokenHashes.count == count && lastTokenEnd.count == count && partRanges.count == count)
    try check(lastTokenEnd.allSatisfy { $0 >= 0 })
    for i in 0..<count {
      try check(partRanges[i].count == items[i].parts.count)
      try check(partRanges[i].allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= tokenHashes[i].count })
    }
    func bitsets() throws(_ByteReader.Damaged) -> [[UInt64]] {
      let sets = try reader.readArrays(of: UInt64.self)
      try check(sets.count == count)
      return sets
    }
    let informative = try bitsets()
    let informativeTokens = try reader.readArray(of: Int.self)
    let judged = try bitsets()
    let judgedTokens = try reader.readArray(of: Int.self)
    let sharedStarts = try bitsets()
    try check(informativeTokens.count == count && judgedTokens.count == count)
    for i in 0..<count {
      let words = (tokenHashes[i].count + 63) / 64
      try check(informative[i].count == words && judged[i].count == words && (sharedStarts[i].isEmpty || sharedStarts[i].count == words))
      try check((0...tokenHashes[i].count).contains(informativeTokens[i]) && (0...tokenHashes[i].count).contains(judgedTokens[i]))
    }
    var dropped: [ItemIndex.DroppedNGram] = []
    for _ in 0..<(try reader.readCount(of: 16)) { dropped.append(.init(text: try reader.readString(), items: try reader.readInt())) }
    let keyCount = try reader.readInt()
    let shortTable = try _HashTable(reading: &reader)
    let flat = try reader.readArray(of: Int.self)
    try check(flat.count % 4 == 0)
    let shortSpans = stride(from: 0, to: flat.count, by: 4).map { (k: Int) -> ItemIndex.Span in
      (item: flat[k], start: flat[k + 1], length: flat[k + 2], minimum: flat[k + 3])
    }
    for span in shortSpans {
      try check((0..<count).contains(span.item) && span.start >= 0 && span.length >= 0 && span.start + span.length <= tokenHashes[span.item].count)
      try check((1...max(1, span.length)).contains(span.minimum))
    }
    for k in 0..<shortTable.postingCount {
      let posting = shortTable.postings[k]
      try check(Int(posting.item) < count && Int(posting.position) < shortSpans.count)
    }
    var lineSegments: [[[Range<Int>]]] = []
    try check(try reader.readCount(of: 8) == count)
    for i in 0..<count {
      let segments = try reader.readArrays(of: Int.self).map(ranges)
      try check(segments.count == items[i].parts.count)
      try check(segments.allSatisfy { $0.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= tokenHashes[i].count } })
      lineSegments.append(segments)
    }
    let answerLines = try reader.readArrays(of: Int.self).map(ranges)
    try check(answerLines.count == count)
    for i in 0..<count { try check(answerLines[i].count <= 1 && answerLines[i].allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= tokenHashes[i].count }) }
    let apartTable = try _HashTable(reading: &reader)
    try check(apartTable.filterHasher == nil)  // probed with keys (``_HashTable/filterHasher``)
    let apartItems = try reader.readArray(of: Int.self)
    let apartParts = try reader.readArrays(of: Int.self).map(ranges)
    let apartAnyOrder = try reader.readArray(of: Int.self)
    let apartLines = try reader.readArrays(of: Int.self).map(ranges)
    let apartKeyOffsets = try reader.readArray(of: Int.self)
    try check(Set([apartParts.count, apartAnyOrder.count, apartLines.count, apartKeyOffsets.count]) == [apartItems.count])
    var apartSpans: [ItemIndex.ApartSpan] = []
    for k in apartItems.indices {
      let span = ItemIndex.ApartSpan(
        item: apartItems[k], parts: apartParts[k], anyOrderPart: apartAnyOrder[k], lines: apartLines[k], keyOffset: apartKeyOffsets[k])
      try check((0..<count).contains(span.item) && !span.parts.isEmpty)
      try check((span.parts + span.lines).allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= tokenHashes[span.item].count })
      let key = ItemIndex.apartKeyTokens
      let first = span.parts[0].count
      // A question whose side before its blank is too short to key: its two sides, its options
      // (any number, none for an item without) as lines, keyed by its opening.
      let blankNearStart = span.anyOrderPart == -1 && first < key && span.parts.count == 2 && span.parts[1].count >= key
      try check(
        span.anyOrderPart == -1
          ? span.lines.isEmpty || blankNearStart : (1..<span.parts.count).contains(span.anyOrderPart) && span.lines.count >= 2)
      // Its keys lie inside the item: 3 tokens of the first part; or a short first part and the
      // start of each line; or a short side before a blank, a fill and the side after it.
      try check(
        span.keyOffset >= 0
          && (first >= key
            ? span.keyOffset + key <= first
            : span.keyOffset == 0
              && (blankNearStart || span.anyOrderPart == 1 && span.lines.allSatisfy { first + $0.count >= key })))
      apartSpans.append(span)
    }
    for k in 0..<apartTable.postingCount {
      let posting = apartTable.postings[k]
      try check(Int(posting.position) < apartSpans.count && Int(posting.item) == apartSpans[Int(posting.position)].item)
    }
    var exact = Exact(
      stored: .init(
        tokenHashes: tokenHashes, lastTokenEnd: lastTokenEnd, partRanges: partRanges, informative: informative, informativeTokens: informativeTokens,
        judged: judged, judgedTokens: judgedTokens, sharedStarts: sharedStarts, droppedNGrams: dropped, keyCount: keyCount,
        table: _HashTable(entries: []), shortTable: shortTable, shortSpans: shortSpans, lineSegments: lineSegments,
        answerLines: answerLines.map(\.first), apartTable: apartTable, apartSpans: apartSpans))
    let searched = try reader.read(UInt8.self)
    try check(searched == (withNear ? 1 : 0))
    let together = try reader.read(UInt8.self)
    try check(together <= 1)
    if together == 1 {
      let table = try _HashTable(reading: &reader)
      try check(table.filterHasher == nil)  // probed with token hashes
      // A posting names an item; its position is checked where it is read (against the item's
      // squeezed text, which the scan makes).
      for k in 0..<table.postingCount { try check(Int(table.postings[k].item) < count) }
      guard let merges = RunTogetherIndex.MergeFilter(words: try reader.readArray(of: UInt64.self)),
        let words = RunTogetherIndex.MergeFilter(words: try reader.readArray(of: UInt64.self))
      else { throw _ByteReader.Damaged() }
      exact.together = RunTogetherIndex(table: table, merges: merges, words: words)
    }
    return exact
  }

  /// The exact index of `items` from what its file held and its n-gram table (read apart):
  /// every posting of the table names an item and a window inside it.
  static func assemble(
    _ exact: Exact, table: _HashTable, items: [BenchmarkItem], parameters: ItemIndex.Parameters
  ) throws(_ByteReader.Damaged) -> ItemIndex {
    let hashes = exact.stored.tokenHashes
    let n = parameters.n
    // The scan tests these filters on its windows' polynomials (``_HashTable/filterHasher``).
    guard table.filterHasher == NGramHasher(n: n), exact.stored.shortTable.filterHasher == NGramHasher(n: min(parameters.minimumTokens, n))
    else { throw _ByteReader.Damaged() }
    for k in 0..<table.postingCount {
      let posting = table.postings[k]
      guard Int(posting.item) < hashes.count && Int(posting.position) + n <= hashes[Int(posting.item)].count else { throw _ByteReader.Damaged() }
    }
    var stored = exact.stored
    stored.table = table
    let index = ItemIndex(items: items, parameters: parameters, stored: stored)
    if let together = exact.together { index.runTogether.set(together) }
    return index
  }

  /// What the near-duplicate index's file holds: the text index's and its math index's parts.
  /// The text index is made when the exact index, whose token hashes it makes its keys from, is
  /// read too (on another thread).
  struct NearRead {
    var top: NearDuplicateIndex.Stored
    var math: NearDuplicateIndex.Stored?
  }

  /// Reads what ``writeNear(_:to:)`` wrote, each target's length at most `lengthBound` of its
  /// item (nil: the caller checks it against the exact index, read on another thread). The text
  /// index (`searchesMath`) makes its keys from the items' tokens; the math index keeps them.
  static func readNear(
    _ reader: inout _ByteReader, items: [BenchmarkItem], lengthBound: [Int]?, configuration: NearDuplicateConfiguration, searchesMath: Bool
  ) throws(_ByteReader.Damaged) -> NearRead {
    func check(_ ok: Bool) throws(_ByteReader.Damaged) { if !ok { throw _ByteReader.Damaged() } }
    let count = items.count
    let targetItem = try reader.readArray(of: Int.self)
    let targets = targetItem.count
    try check(targets < 1 << 26)
    try check(targetItem.allSatisfy { (0..<count).contains($0) })
    try check(try reader.readCount(of: 9) == targets)
    var targetPart: [String?] = []
    for _ in 0..<targets {
      let named = try reader.read(UInt8.self)
      let name = try reader.readString()
      targetPart.append(named == 0 ? nil : name)
    }
    let withoutContext = try reader.readArray(of: UInt8.self)
    try check(withoutContext.count == targets && withoutContext.allSatisfy { $0 <= 1 })
    // The item without its context is one of its parts' targets.
    try check(zip(withoutContext, targetPart).allSatisfy { $0 == 0 || $1 != nil })
    let keyOwner = try reader.readArray(of: Int.self)
    try check(keyOwner.count == targets)
    for t in 0..<targets {
      // A part reads its item's whole target's keys.
      let owner = keyOwner[t]
      try check((0...t).contains(owner) && targetItem[owner] == targetItem[t] && targetPart[owner] == nil)
    }
    let derived = try reader.read(UInt8.self)
    try check(derived == (searchesMath ? 1 : 0))
    var shingles = _Ragged<UInt64>()
    var boilerplate: [UInt64]?
    if derived == 1 {
      let dropped = try reader.readArray(of: UInt64.self)
      try check(zip(dropped, dropped.dropFirst()).allSatisfy { $0 < $1 })
      boilerplate = dropped
    } else {
      let ownedKeys = try reader.readArrays(of: UInt64.self)
      shingles.reserveCapacity(rows: targets, elements: ownedKeys.reduce(0) { $0 + $1.count })
      var owned = 0
      for t in 0..<targets {
        // A whole target owns the next array.
        if keyOwner[t] == t {
          try check(owned < ownedKeys.count)
          shingles.append(ownedKeys[owned])
          owned += 1
        } else {
          shingles.append([])
        }
      }
      try check(owned == ownedKeys.count)
    }
    let member = _Ragged(try reader.readArrays(of: UInt64.self))
    let own = _Ragged(try reader.readArrays(of: UInt64.self))
    let shingleCount = try reader.readArray(of: Int.self)
    let ownCount = try reader.readArray(of: Int.self)
    let sampleSize = try reader.readArray(of: Int.self)
    let votes = try reader.readArray(of: Int.self)
    let length = try reader.readArray(of: Int.self)
    try check(
      [member.count, own.count, shingleCount.count, ownCount.count, sampleSize.count, votes.count, length.count].allSatisfy { $0 == targets })
    func ones(_ mask: ArraySlice<UInt64>) -> Int { mask.reduce(0) { $0 + $1.nonzeroBitCount } }
    for t in 0..<targets {
      // Made from the tokens, a whole target's keys are as many as its informative shingles
      // (its keys are its own: no mask); ``NearDuplicateIndex/keys(of:)`` checks that count.
      let owner = keyOwner[t]
      try check(boilerplate == nil || member[owner].isEmpty)
      let keys = boilerplate == nil ? shingles[owner] : []
      let keyCount = boilerplate == nil ? keys.count : shingleCount[owner]
      let words = (keyCount + 63) / 64
      try check((member[t].isEmpty || member[t].count == words) && (own[t].isEmpty || own[t].count == words))
      try check(shingleCount[t] == (member[t].isEmpty ? keyCount : ones(member[t])) && shingleCount[t] > 0)
      try check(ownCount[t] == ones(own[t]) && ownCount[t] < shingleCount[t])
      try check(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }
    try check(
      (0..<targets).allSatisfy {
        (0...64).contains(sampleSize[$0]) && votes[$0] == configuration.votes(sampleSize: sampleSize[$0]) && length[$0] >= 0
          && length[$0] <= lengthBound?[targetItem[$0]] ?? Int.max
      })
    let nearTable = try _HashTable(reading: &reader)
    try check(nearTable.filterHasher == NGramHasher(n: configuration.k))
    for k in 0..<nearTable.postingCount {
      let posting = nearTable.postings[k]
      try check(Int(posting.item) < targets && Int(posting.position) < sampleSize[Int(posting.item)])
    }
    let wholeShingles = try reader.readArray(of: Int.self)
    try check(wholeShingles.count == count)
    let droppedShingles = try reader.readInt()
    // The math index (only the top one has one, and only when the configuration asks): a
    // target's length there counts the math stream's tokens, at most one per byte of its item.
    let hasMath = try reader.read(UInt8.self)
    try check(hasMath == (searchesMath && configuration.mathTokens == true ? 1 : 0))
    let math =
      hasMath == 1
      ? try readNear(
        &reader, items: items, lengthBound: items.map { $0.parts.reduce(0) { $0 + $1.text.utf8.count + 1 } }, configuration: configuration, searchesMath: false
      ).top
      : nil
    return NearRead(
      top: .init(
        targetItem: targetItem, targetPart: targetPart, targetWithoutContext: withoutContext.map { $0 == 1 }, shingles: shingles, boilerplate: boilerplate,
        keyOwner: keyOwner, member: member, own: own, shingleCount: shingleCount, ownCount: ownCount, sampleSize: sampleSize,
        votes: votes, length: length, table: nearTable, wholeShingles: wholeShingles, droppedShingles: droppedShingles),
      math: math)
  }
}
