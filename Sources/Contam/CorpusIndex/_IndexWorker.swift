import Dispatch

/// What indexing one shard gives: its figures, the lines of its documents that keep at least
/// one k-gram, and the kept fingerprints with the (shard-local) document each came from.
struct _IndexedShard: Sendable {
  var figures: CorpusStatistics.ShardFigures
  var lines: [UInt32] = []
  var fingerprints: [UInt64] = []
  var documents: [UInt32] = []
}

/// A build worker's private state: reader, tokenizer, buffers. Reads a shard exactly as a scan
/// reads it (same reader options, same text pipeline) and winnows every document's k-grams.
struct _IndexWorker {
  let reader: ShardReader
  let tokenizer: Tokenizer
  let hasher: NGramHasher
  let winnowing: Winnowing
  let fingerprintBits: Int
  let storage = _TokenStorage()
  /// Whether a document is winnowed with the last tokens of the documents before it in front
  /// (``CorpusIndexManifest/acrossDocuments``): a run shared with an item across adjacent
  /// records then names the record where it ends, as the scan reads records together.
  let joinsDocuments: Bool
  /// The tokens before the next document: ``Winnowing/guaranteedTokens`` - 1 of them, so every
  /// run that long ending in a document lies in what is winnowed for it.
  var carry: _DocumentCarry

  init(winnowing: Winnowing, fingerprintBits: Int, normalizer: Normalizer, options: ShardReaderOptions, acrossDocuments: Bool) {
    self.reader = ShardReader(options: options)
    self.tokenizer = Tokenizer(normalizer: normalizer)
    self.hasher = NGramHasher(n: winnowing.k)
    self.winnowing = winnowing
    self.fingerprintBits = fingerprintBits
    self.joinsDocuments = acrossDocuments
    self.carry = _DocumentCarry(n: winnowing.guaranteedTokens)
  }

  /// Starts the buffer with the carry's tokens (``_DocumentCarry``); how many.
  private mutating func startBuffer() -> Int {
    storage.buffer.removeAll()
    return joinsDocuments ? carry.lead(&storage.buffer) : 0
  }

  /// The carry for the next document, from this one's tokens after `lead` in the buffer (of a
  /// document winnowed in segments, from its tail).
  private mutating func advanceCarry(after document: Document, lead: Int) {
    guard joinsDocuments else { return }
    carry.advance(past: document, own: storage.buffer.view.dropFirst(lead), tokenizer: tokenizer, segmentBytes: Self.segmentBytes)
  }

  /// Documents longer than this are winnowed in segments (the token buffers stay bounded).
  static let segmentBytes = 1 << 20

  mutating func index(path: String, onProblem: (ContamError) -> Void) throws -> _IndexedShard {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var found = _IndexedPart(path: path, rulesOf: self)
    // Room for the kept keys of a typical shard (one per ~40 bytes of text, text ~2.5× a
    // compressed file), so the lists do not grow by copying; pages never touched cost nothing.
    let expected = (FileSource.stamp(path)?.size ?? 0) / 16
    found.shard.fingerprints.reserveCapacity(expected)
    found.shard.documents.reserveCapacity(expected)
    carry.reset()
    let counts = try reader.read(path: path) { try found.add($0, through: &self) } onProblem: { onProblem($0) }
    return found.shard(counts: counts, since: t0)
  }

  /// Indexes one shard on `consumers` threads: this worker's reader reads it on a thread of
  /// its own while the consumers winnow its documents in batches (``ShardPipeline``). The
  /// batches are joined in order, their document numbers moved past the ones before, so the
  /// result is the one ``index(path:onProblem:)`` gives.
  mutating func indexPipelined(
    path: String, consumers: Int, makeWorker: @escaping @Sendable () -> _IndexWorker,
    onProblem: @escaping @Sendable (ContamError) -> Void
  ) throws -> _IndexedShard {
    try ShardPipeline.findings(
      _IndexedPart.self, path: path, reader: reader, consumers: consumers, first: &self,
      carrier: joinsDocuments ? _CarryTracker(limit: winnowing.guaranteedTokens - 1, normalizer: tokenizer.normalizer, segmentBytes: Self.segmentBytes) : nil,
      makeWorker: makeWorker, onProblem: onProblem)
  }

  /// Tokenizes one document and keeps its winnowed fingerprints. A long document goes in
  /// segments that overlap by ``Winnowing/guaranteedTokens`` tokens, so every shared run that
  /// long lies wholly inside one segment.
  fileprivate mutating func winnow(_ document: Document, into shard: inout _IndexedShard) -> TokenizeCounts {
    let text = document.text
    let before = shard.fingerprints.count
    let counts: TokenizeCounts
    var lead = startBuffer()
    if text.count <= Self.segmentBytes {
      counts = tokenizer.tokenize(text, into: &storage.buffer)
      keep(document: UInt32(truncatingIfNeeded: shard.lines.count), into: &shard)
    } else {
      var counter = TokenCounter()
      counts = tokenizer.tokenize(text, into: &counter)
      let overlap = winnowing.guaranteedTokens
      var start = 0
      while start < text.count {
        let end = Tokenizer.cut(text, after: start + Self.segmentBytes)
        if start > 0 {
          storage.buffer.removeAll()
          lead = 0
        }
        _ = tokenizer.tokenize(UnsafeRawBufferPointer(rebasing: text[start..<end]), into: &storage.buffer)
        keep(document: UInt32(truncatingIfNeeded: shard.lines.count), into: &shard)
        guard end < text.count else { break }
        let view = storage.buffer.view
        // Safe: the index is checked against the count first.
        let next = view.count > overlap ? start + Int(view.starts[view.count - overlap]) : end
        start = next > start ? next : end
      }
    }
    if shard.fingerprints.count > before { shard.lines.append(UInt32(document.line)) }
    advanceCarry(after: document, lead: lead)
    return counts
  }

  /// Winnows the k-gram keys of the tokens in the buffer, recording `document` with each.
  private mutating func keep(document: UInt32, into shard: inout _IndexedShard) {
    let view = storage.buffer.view
    guard view.count >= hasher.n else { return }
    let keys = view.keys
    hasher.forEachHash(of: view.hashBuffer) { position, key in keys[position] = key }
    let shift = UInt64(64 - fingerprintBits)
    winnowing.select(UnsafeBufferPointer(start: keys, count: view.count - hasher.n + 1)) { position in
      shard.fingerprints.append(keys[position] >> shift)
      shard.documents.append(document)
    }
  }
}

/// What winnowing some documents of one shard found, with the figures only that step knows.
private struct _IndexedPart: _ShardFindings {
  var shard: _IndexedShard
  var tokens = 0
  var invalidBytes = 0
  var textBytes = 0

  init(path: String, rulesOf worker: _IndexWorker) { shard = _IndexedShard(figures: .empty(path)) }

  /// Winnows `document` with `worker` and counts it.
  mutating func add(_ document: Document, through worker: inout _IndexWorker) throws {
    guard document.line <= Int(UInt32.max) else {
      throw ContamError(.invalidArgument, path: shard.figures.path, line: document.line, "a corpus index records lines up to 2^32")
    }
    let counts = worker.winnow(document, into: &shard)
    tokens += counts.tokens
    invalidBytes += counts.invalidBytes
    textBytes += document.text.count
  }

  /// The batch's carry in front of its first document.
  static func begin(_ worker: inout _IndexWorker, carry: _DocumentCarry?) {
    if let carry { worker.carry = carry } else { worker.carry.reset() }
  }

  /// Adds the documents that follow these in the same shard, numbered after them.
  mutating func append(_ later: _IndexedPart) {
    let offset = UInt32(shard.lines.count)
    shard.lines += later.shard.lines
    shard.fingerprints += later.shard.fingerprints
    shard.documents += later.shard.documents.lazy.map { $0 + offset }
    tokens += later.tokens
    invalidBytes += later.invalidBytes
    textBytes += later.textBytes
  }

  /// The shard, with its figures from the reader's `counts`, timed from `t0`.
  func shard(counts: ShardReadCounts, since t0: UInt64) -> _IndexedShard {
    var result = shard
    result.figures = .init(
      path: shard.figures.path, counts: counts, textBytes: textBytes, tokens: tokens, invalidUTF8Bytes: invalidBytes,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    return result
  }
}
