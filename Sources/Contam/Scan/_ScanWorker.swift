import CContamSupport
import Dispatch

/// A worker's private state: reader, tokenizer, buffers.
struct _ScanWorker {
  let index: ItemIndex
  let near: NearDuplicateIndex?
  let nearScratch: _NearScratch?
  /// The near search's scratch for ``NearDuplicateIndex/math``.
  let mathScratch: _NearScratch?
  let configuration: ScanConfiguration
  let reader: ShardReader
  let tokenizer: Tokenizer
  let storage = _TokenStorage()
  /// Window positions whose key passed the prefilter, in the current chunk.
  var candidates = [Int](repeating: 0, count: _ScanWorker.chunk)
  /// Exact hits of the current document: item, item position, byte range in the document, length
  /// in tokens, and whether the hit is a part of a match no other item has (an item of parts
  /// apart, whose whole sequence is the item's own): shared context does not apply to it.
  var hits: [(item: Int, itemPosition: Int, byteStart: Int, byteEnd: Int, length: Int, own: Bool)] = []
  /// Whether the exact pass reads the shard's tokens before a document in front of it
  /// (``ScanConfiguration/acrossDocuments``).
  let joinsDocuments: Bool
  /// The tokens before the next document (``_DocumentCarry``).
  var carry: _DocumentCarry
  /// How many tokens at the start of the buffer are the carry's (none past a document's first
  /// segment): the exact pass reads the last `n - 1` of them, the near search all of them.
  private(set) var lead = 0
  /// How many of the carry's last tokens the near search reads in front of a document
  /// (``NearDuplicateConfiguration/carriedTokens``; 0 when documents are read apart).
  let nearCarryTokens: Int
  /// The scan's ``RunTogetherIndex`` once this worker has needed it (it is built on first use).
  var runTogetherIndex: RunTogetherIndex?

  init(index: ItemIndex, near: NearDuplicateIndex?, configuration: ScanConfiguration, options: ShardReaderOptions) {
    self.index = index
    self.tokenizer = Tokenizer(normalizer: index.normalizer)
    self.near = near
    self.nearScratch = near.map { _NearScratch(votes: $0.votes) }
    self.mathScratch = near?.math.map { _NearScratch(votes: $0.votes) }
    self.configuration = configuration
    self.reader = ShardReader(options: options)
    self.joinsDocuments = configuration.exact && configuration.acrossDocuments == true
    self.nearCarryTokens = joinsDocuments ? near?.configuration.carriedTokens ?? 0 : 0
    self.carry = _DocumentCarry(limit: Self.carryLimit(n: index.n, near: near, configuration: configuration))
  }

  /// The tokens of the documents before one that a scan with `configuration` reads in front of
  /// it: `n - 1` for the exact pass, more when the near search reads them too; 0 when documents
  /// are read apart.
  static func carryLimit(n: Int, near: NearDuplicateIndex?, configuration: ScanConfiguration) -> Int {
    guard configuration.exact && configuration.acrossDocuments == true else { return 0 }
    return max(n - 1, near?.configuration.carriedTokens ?? 0)
  }

  /// The buffer's tokens the exact passes read: the document's own, after the carry's last
  /// `n - 1` (an n-gram reaches no further back); and how many of those lead.
  var exactTokens: (view: _TokenView, lead: Int) {
    let skipped = max(0, lead - (index.n - 1))
    return (storage.buffer.view.dropFirst(skipped), lead - skipped)
  }

  /// The buffer's tokens of the document itself, without the carry in front.
  var ownTokens: _TokenView { storage.buffer.view.dropFirst(lead) }

  /// Starts the buffer with the carry's tokens (no bytes of the document: each lies at its
  /// byte 0, so a match that starts in them is reported from the document's start).
  private mutating func startBuffer() {
    storage.buffer.removeAll()
    lead = joinsDocuments ? carry.lead(&storage.buffer) : 0
  }

  /// The carry for the next document, from this one's last tokens in the buffer (of a
  /// document read in segments, from its tail: ``_DocumentCarry/tail(of:tokenizer:)``).
  private mutating func advanceCarry(after document: Document) {
    if joinsDocuments { carry.advance(past: document, own: ownTokens, tokenizer: tokenizer, segmentBytes: Self.segmentBytes) }
    lead = 0
  }

  /// Scans one shard: every document through ``process(_:into:)``, with the shard's figures.
  /// - Parameters:
  ///   - only: read only the documents at these lines (the others are not even parsed), as a
  ///     scan through a corpus index does; the figures then count only what was read.
  ///   - shardName: the name evidence reports (the path as indexed), when not `path`.
  ///   - leading: with `only`, lines read before those only for the carry in front of the next
  ///     (``ScanConfiguration/acrossDocuments``): matched, but not counted or reported. The
  ///     carry starts anew at a line read whose line before was not asked for.
  mutating func scan(
    path: String, only: Set<Int>? = nil, leading: Set<Int> = [],
    reportedAs shardName: String? = nil, onProblem: (ContamError) -> Void
  ) throws -> _ShardPartial {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var found = _Findings(path: path, rulesOf: self)
    let asked = only.map { joinsDocuments ? $0.union(leading) : $0 }
    reader.onlyLines = asked
    defer { reader.onlyLines = nil }
    carry.reset()
    let counts = try reader.read(path: path) { document in
      if let asked {
        guard asked.contains(document.line) else { return }
        if document.line > 1 && !asked.contains(document.line - 1) { carry.reset() }
        if let only, !only.contains(document.line) {
          carryPast(document)
          return
        }
      }
      if let shardName {
        found.add(document.renamed(shardName), through: &self)
      } else {
        found.add(document, through: &self)
      }
    } onProblem: { onProblem($0) }
    return found.shard(counts: counts, since: t0)
  }

  /// Scans one shard on `consumers` threads: this worker's reader reads it on a thread of its
  /// own while the consumers (this worker, and the pool's idle workers or ones from `makeWorker`) match its documents in
  /// batches (``ShardPipeline``). The result is the one ``scan(path:piece:only:reportedAs:onProblem:)``
  /// gives: batches are merged in order, evidence kept by the same total order.
  mutating func scanPipelined(
    path: String, consumers: Int, idle: _IdleWorkers<_ScanWorker>? = nil, makeWorker: @escaping @Sendable () -> _ScanWorker,
    onProblem: @escaping @Sendable (ContamError) -> Void
  ) throws -> _ShardPartial {
    try ShardPipeline.findings(
      _Findings.self, path: path, reader: reader, consumers: consumers, first: &self,
      carrier: joinsDocuments ? _CarryTracker(limit: carry.limit, normalizer: index.normalizer, segmentBytes: Self.segmentBytes) : nil, idle: idle, makeWorker: makeWorker,
      onProblem: onProblem)
  }

  /// Documents longer than this many bytes are matched in segments, so the token buffers
  /// stay bounded (about 24 bytes per token of one segment) whatever the document's size: a
  /// 300 MB line costs its own bytes, not twenty times them.
  static let segmentBytes = 1 << 20

  /// The per-document step, the same for a scan and for re-reading one evidence location:
  /// tokenize, probe the exact index, search near duplicates.
  @discardableResult
  mutating func process(_ document: Document, into partial: inout _ShardPartial) -> TokenizeCounts {
    nearScratch?.best.removeAll(keepingCapacity: true)
    mathScratch?.best.removeAll(keepingCapacity: true)
    if document.text.count > Self.segmentBytes { return processInSegments(document, into: &partial) }
    startBuffer()
    let counts = tokenizer.tokenize(document.text, into: &storage.buffer)
    match(document, base: 0, end: document.text.count, overlap: lead)
    emit(document, into: &partial)
    advanceCarry(after: document)
    return counts
  }

  /// Moves the carry past `document` without matching it: a line read only for the carry in
  /// front of the next (``scan(path:only:leading:reportedAs:onProblem:)``, ``rescan(path:shardName:claims:)``).
  private mutating func carryPast(_ document: Document) {
    startBuffer()
    // A document read in segments gives the carry its tail, which the carry tokenizes itself.
    if document.text.count <= Self.segmentBytes { _ = tokenizer.tokenize(document.text, into: &storage.buffer) }
    advanceCarry(after: document)
  }

  /// Both passes over the tokens in the buffer, the text of document bytes `base..<end` (see
  /// ``collectExactHits(base:overlap:)``); the near search also over its math stream, if any.
  private mutating func match(_ document: Document, base: Int, end: Int, overlap: Int) {
    // The exact passes skip the carry's tokens past the last n - 1 (`overlap` counts them all).
    let exact = exactTokens
    let skipped = lead - exact.lead
    if configuration.exact {
      collectExactHits(tokens: exact.view, base: base, overlap: overlap - skipped)
      if base == 0, lead > 0, let joined = carry.joinedWord(with: document.text, tokenizer: tokenizer, wanted: index.mayHoldToken) {
        collectJoinedHits(joined)
      }
      if configuration.runTogether == true { collectRunTogetherHits(document: document, base: base, end: end) }
      if configuration.cutWords == true { collectCutWordHits(document: document, base: base, end: end) }
    }
    if let near, let nearScratch {
      // The carry's last `nearCarryTokens` tokens, then the document's own.
      let nearLead = min(lead, nearCarryTokens)
      collectNearDuplicates(
        document: document, base: base, tokens: storage.buffer.view.dropFirst(lead - nearLead), lead: nearLead, near: near, scratch: nearScratch)
      if let math = near.math, let mathScratch { collectMathNearDuplicates(document: document, base: base, end: end, near: math, scratch: mathScratch) }
    }
    // Words cut by a space, and words written twice in a row, are looked for only in a document
    // where a pass found some of an item already (an n-gram, a near copy): asking about every
    // token of every document cost the scan 10% on real text, and a copy with spaces in a few
    // of its words keeps some of its n-grams or shingles.
    if configuration.exact && (!hits.isEmpty || nearScratch?.best.isEmpty == false) {
      if configuration.spacedWords == true { collectCutWordHits(document: document, base: base, end: end, lines: false, spaces: true) }
      if configuration.repeatedWords == true { collectRepeatedWordHits(document: document, base: base) }
    }
    if configuration.exact && index.hasApartItems { collectApartHits(tokens: exact.view, base: base, overlap: overlap - skipped) }
  }

  /// What the passes found in the whole document, into the shard's partial.
  private mutating func emit(_ document: Document, into partial: inout _ShardPartial) {
    if configuration.exact { emitExactEvidence(document: document, into: &partial) }
    if let nearScratch { emitNearDuplicates(scratch: nearScratch, into: &partial) }
  }

  /// A long document in segments of about ``segmentBytes``, cut at whitespace, each starting
  /// `overlap` tokens before the previous one ended: enough for every n-gram, short item and
  /// near-duplicate span (with its margins) to lie wholly inside one segment. Hits wholly in
  /// an overlap are kept once; near findings keep the best per item, as in one pass.
  private mutating func processInSegments(_ document: Document, into partial: inout _ShardPartial) -> TokenizeCounts {
    let text = document.text
    // The figures count each token once: a count-only pass over the whole text.
    var counter = TokenCounter()
    let counts = tokenizer.tokenize(text, into: &counter)
    let overlap = index.matchReach + (near?.segmentOverlap ?? 0)
    var start = 0
    startBuffer()
    var skip = lead
    while start < text.count {
      let end = Tokenizer.cut(text, after: start + Self.segmentBytes)
      if start > 0 {
        storage.buffer.removeAll()
        lead = 0
      }
      _ = tokenizer.tokenize(UnsafeRawBufferPointer(rebasing: text[start..<end]), into: &storage.buffer)
      match(document, base: start, end: end, overlap: skip)
      let tokens = storage.buffer.view
      guard end < text.count else { break }
      if tokens.count > overlap {
        // Safe: tokens.count > overlap, so the index is in range; the next segment starts
        // at a token start, past this segment's start.
        let next = start + Int(tokens.starts[tokens.count - overlap])
        if next > start {
          start = next
          skip = overlap
        } else {
          start = end
          skip = 0
        }
      } else {
        start = end
        skip = 0
      }
    }
    emit(document, into: &partial)
    advanceCarry(after: document)
    return counts
  }

  /// Re-runs ``process(_:into:)`` on the documents of `path` that hold the lines of `claims`,
  /// each with the carry of the documents before it as the scan read them, reporting their
  /// evidence under `shardName`: per wanted line, the evidence its document gives the items
  /// `claims` names for that line (a document that holds several lines, a piece of plain text,
  /// is matched once). A line no document holds has no entry. One pass over the shard, which
  /// ends after the last wanted line: re-reading the shard from its start for each location
  /// made `verify` take time in the product of the evidence and the shards' size. Only the
  /// claimed items' evidence is kept, not a document's whole findings: a certificate with tens
  /// of thousands of locations (`--ngram 1`) held every item's coverage for each.
  mutating func rescan(path: String, shardName: String, claims: [Int: Set<Int>]) throws -> [Int: Scanner.LocationFindings] {
    struct Done: Error {}
    let wanted = claims.keys.sorted()
    var next = 0
    var found: [Int: Scanner.LocationFindings] = [:]
    guard !wanted.isEmpty else { return found }
    // The documents before each, as far back as the carry in front of it reaches.
    var before = _RecentDocuments(limit: joinsDocuments ? carry.limit : 0)
    do {
      _ = try reader.read(path: path) { document in
        // Lines before this document that none held (skipped records) are not found.
        while next < wanted.count && wanted[next] < document.line { next += 1 }
        var held: [Int] = []
        while next < wanted.count && document.holds(line: wanted[next]) {
          held.append(wanted[next])
          next += 1
        }
        if !held.isEmpty {
          var partial = _ShardPartial(figures: .empty(shardName))
          carry.reset()
          before.forEach { carryPast($0) }
          process(document.renamed(shardName), into: &partial)
          for line in held { found[line] = Scanner.LocationFindings(partial, items: claims[line]!, line: line) }
        }
        if next == wanted.count { throw Done() }
        before.keep(document)
      } onProblem: { _ in }
    } catch is Done {}
    return found
  }

  /// Windows probed per chunk. The probe is a pipeline, so that cache misses overlap instead
  /// of queueing: each window's filter word is prefetched ``filterAhead`` windows before it is
  /// tested; then, chunk by chunk, the slots of the keys that passed the filter, the offsets of
  /// the keys found, and their postings, which are handed to the caller last.
  static let chunk = 1024
  /// How many windows ahead a filter word is prefetched: enough to hide a miss to the shared
  /// cache, few enough that the prefetches in flight stay within what a core tracks.
  static let filterAhead = 64

  /// Calls `body(windowPosition, postings)` for every window whose key is in `table`, a table
  /// of `hasher`'s keys. Leaves each window's polynomial in `tokens.keys` (its key is
  /// `hasher.finalize` of it): the filter is tested on polynomials, and only the windows that
  /// pass it are mixed into keys.
  @inline(__always)
  mutating func probe(
    _ table: _HashTable, hasher: NGramHasher, tokens: _TokenView,
    _ body: (Int, UnsafeBufferPointer<ItemIndex.Posting>) -> Void
  ) {
    precondition(table.filterHasher == hasher, "the table's filter holds the polynomials of the hasher's windows")
    let windows = tokens.count - hasher.n + 1
    guard windows > 0 else { return }
    // The windows' polynomials are rolled a chunk (and the windows prefetched ahead of it) at a
    // time, just before the filter reads them, so they are still in the core's cache.
    let polynomials = tokens.keys
    let source = UnsafeBufferPointer(start: tokens.hashes, count: tokens.count)
    var rolled = 0
    @inline(__always) func roll(through end: Int) {
      guard end > rolled else { return }
      hasher.polynomials(of: source, windows: rolled..<end, into: polynomials)
      rolled = end
    }
    roll(through: min(Self.chunk + Self.filterAhead, windows))
    let filter = table.polynomialFilter
    for k in 0..<min(Self.filterAhead, windows) { CContamSupport_prefetch(filter.word(polynomials[k])) }
    // The windows whose filter word `filterAhead` on is prefetched without a bound check.
    let prefetching = windows - Self.filterAhead
    candidates.withUnsafeMutableBufferPointer { candidates in
      var i = 0
      while i < windows {
        let end = min(i + Self.chunk, windows)
        roll(through: min(end + Self.filterAhead, windows))
        var passed = 0
        func test(_ k: Int) {
          guard filter.mayContain(polynomials[k]) else { return }
          candidates[passed] = k
          passed &+= 1
          CContamSupport_prefetch(table.firstSlot(hasher.finalize(polynomials[k])))
        }
        var k = i
        while k < min(end, prefetching) {
          CContamSupport_prefetch(filter.word(polynomials[k &+ Self.filterAhead]))
          test(k)
          k &+= 1
        }
        while k < end {
          test(k)
          k &+= 1
        }
        // Candidates found in the table, packed as window << 32 | slot.
        var found = 0
        for c in 0..<passed {
          let k = candidates[c]
          guard let slot = table.slot(of: hasher.finalize(polynomials[k])) else { continue }
          candidates[found] = k << 32 | slot
          found &+= 1
          CContamSupport_prefetch(table.offsetAddress(slot))
        }
        for c in 0..<found { CContamSupport_prefetch(table.postings(atSlot: candidates[c] & 0xFFFF_FFFF).baseAddress) }
        for c in 0..<found {
          let postings = table.postings(atSlot: candidates[c] & 0xFFFF_FFFF)
          if postings.count > 0 { body(candidates[c] >> 32, postings) }
        }
        i = end
      }
    }
  }
}

/// What matching some documents of one shard found, with the figures only matching knows
/// (tokens, invalid bytes, text bytes); the reader's counts complete them.
struct _Findings: _ShardFindings {
  var found: _ShardPartial
  var tokens = 0
  var invalidBytes = 0
  var textBytes = 0
  /// Evidence kept per item when parts are joined (``ScanConfiguration/evidencePerItem``).
  let evidencePerItem: Int

  init(path: String, rulesOf worker: _ScanWorker) {
    found = _ShardPartial(figures: .empty(path))
    evidencePerItem = worker.configuration.evidencePerItem
  }

  /// Matches `document` with `worker` and counts it.
  mutating func add(_ document: Document, through worker: inout _ScanWorker) {
    let counts = worker.process(document, into: &found)
    tokens += counts.tokens
    invalidBytes += counts.invalidBytes
    textBytes += document.text.count
  }

  /// The batch's carry in front of its first document.
  static func begin(_ worker: inout _ScanWorker, carry: _DocumentCarry?) {
    if let carry { worker.carry = carry } else { worker.carry.reset() }
  }

  /// Adds the findings of the documents that follow these in the same shard.
  mutating func append(_ later: _Findings) {
    found.absorb(later.found, evidencePerItem: evidencePerItem)
    tokens += later.tokens
    invalidBytes += later.invalidBytes
    textBytes += later.textBytes
  }

  /// The shard's partial, with its figures from the reader's `counts`, timed from `t0`.
  func shard(counts: ShardReadCounts, since t0: UInt64) -> _ShardPartial {
    var partial = found
    partial.figures = .init(
      path: found.figures.path, counts: counts, textBytes: textBytes, tokens: tokens, invalidUTF8Bytes: invalidBytes,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    return partial
  }
}
