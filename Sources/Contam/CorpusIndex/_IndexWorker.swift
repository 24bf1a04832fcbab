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

  init(winnowing: Winnowing, fingerprintBits: Int, normalizer: Normalizer, options: ShardReaderOptions) {
    self.reader = ShardReader(options: options)
    self.tokenizer = Tokenizer(normalizer: normalizer)
    self.hasher = NGramHasher(n: winnowing.k)
    self.winnowing = winnowing
    self.fingerprintBits = fingerprintBits
  }

  /// Documents longer than this are winnowed in segments (the token buffers stay bounded).
  static let segmentBytes = 1 << 20

  mutating func index(path: String, onProblem: (ContamError) -> Void) throws -> _IndexedShard {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var shard = _IndexedShard(figures: .empty(path))
    // Room for the kept keys of a typical shard (one per ~40 bytes of text, text ~2.5× a
    // compressed file), so the lists do not grow by copying; pages never touched cost nothing.
    let expected = (FileSource.stamp(path)?.size ?? 0) / 16
    shard.fingerprints.reserveCapacity(expected)
    shard.documents.reserveCapacity(expected)
    var tokens = 0
    var invalid = 0
    var textBytes = 0
    let counts = try reader.read(path: path) { document in
      guard document.line <= Int(UInt32.max) else {
        throw ContamError(.invalidArgument, path: path, line: document.line, "a corpus index records lines up to 2^32")
      }
      let c = winnow(document, into: &shard)
      tokens += c.tokens
      invalid += c.invalidBytes
      textBytes += document.text.count
    } onProblem: { onProblem($0) }
    shard.figures = .init(
      path: path, counts: counts, textBytes: textBytes, tokens: tokens, invalidUTF8Bytes: invalid,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    return shard
  }

  /// Tokenizes one document and keeps its winnowed fingerprints. A long document goes in
  /// segments that overlap by ``Winnowing/guaranteedTokens`` tokens, so every shared run that
  /// long lies wholly inside one segment.
  private mutating func winnow(_ document: Document, into shard: inout _IndexedShard) -> TokenizeCounts {
    let text = document.text
    let before = shard.fingerprints.count
    let counts: TokenizeCounts
    if text.count <= Self.segmentBytes {
      storage.buffer.removeAll()
      counts = tokenizer.tokenize(text, into: &storage.buffer)
      keep(document: UInt32(truncatingIfNeeded: shard.lines.count), into: &shard)
    } else {
      var counter = TokenCounter()
      counts = tokenizer.tokenize(text, into: &counter)
      let overlap = winnowing.guaranteedTokens
      var start = 0
      while start < text.count {
        let end = Tokenizer.cut(text, after: start + Self.segmentBytes)
        storage.buffer.removeAll()
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
