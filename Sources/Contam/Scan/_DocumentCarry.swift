/// The last tokens of a shard's text before a document, which the exact pass reads in front of
/// it (``ScanConfiguration/acrossDocuments``): a model is trained on documents packed one after
/// another, so an item split over records (a sentence a record, a corpus chunked into short
/// records) is in what it reads, and is found as one copy.
///
/// The carry is a function of the shard's documents alone, the same on every thread: the last
/// `limit` tokens of the documents before this one, at most `limit` documents back, where each
/// document's tokens are the ones the scan makes of it (a document read in segments gives its
/// last segment's). The first document of a shard has none. The exact pass reads the last
/// `n - 1` of them, the most an n-gram can take from before a document; the near search all
/// (``NearDuplicateConfiguration/carriedTokens``), so the limit is the larger of the two.
struct _DocumentCarry: Sendable, Equatable {
  /// Tokens kept, and how many documents back at most.
  let limit: Int
  /// The tokens' hashes, oldest first.
  private(set) var hashes: [UInt64] = []
  /// For each token, how many documents back its own is (1: the document just before).
  private var ages: [Int] = []
  /// The ASCII letters and digits the document just before ends with (at most
  /// ``cutWordBytes``), when it ends inside a word: a corpus cut every so many characters
  /// cuts words, and the next document may start with the rest (``joinedWord(with:tokenizer:)``).
  private(set) var cutWord: [UInt8] = []

  init(n: Int) { limit = max(0, n - 1) }

  /// A carry of `limit` tokens, at most `limit` documents back.
  init(limit: Int) { self.limit = max(0, limit) }

  var isEmpty: Bool { hashes.isEmpty }

  mutating func reset() {
    hashes.removeAll(keepingCapacity: true)
    ages.removeAll(keepingCapacity: true)
    cutWord.removeAll(keepingCapacity: true)
  }

  /// The carry for the next document, after one whose tokens end with `tail` (its own tokens,
  /// not the carry read in front of it; only the last `limit` matter).
  mutating func advance(past tail: UnsafeBufferPointer<UInt64>) {
    cutWord.removeAll(keepingCapacity: true)
    for k in ages.indices { ages[k] += 1 }
    let take = tail.suffix(limit)
    hashes += take
    ages += repeatElement(1, count: take.count)
    // Tokens of documents more than `limit` back are dropped, then all but the last `limit`.
    var drop = max(0, hashes.count - limit)
    while drop < ages.count && ages[drop] > limit { drop += 1 }
    if drop > 0 {
      hashes.removeFirst(drop)
      ages.removeFirst(drop)
    }
  }
}

extension _DocumentCarry {
  /// Puts the carry's tokens in front of `document`'s in the (empty) `buffer`, each at the
  /// document's byte 0, so a match that starts in them is reported from its start.
  /// - Returns: how many tokens lead the buffer.
  mutating func lead(_ buffer: inout _TokenBuffer) -> Int {
    for hash in hashes { buffer.consume(hash: hash, start: 0, end: 0) }
    return hashes.count
  }

  /// Moves past `document`, whose own tokens are `own` (the buffer past its lead); one read
  /// in segments (over `segmentBytes`) by its tail (``tail(of:tokenizer:segmentBytes:)``).
  mutating func advance(past document: Document, own: _TokenView, tokenizer: Tokenizer, segmentBytes: Int) {
    if document.text.count > segmentBytes {
      let tail = tail(of: document.text, tokenizer: tokenizer, segmentBytes: segmentBytes)
      tail.withUnsafeBufferPointer { advance(past: $0) }
    } else {
      advance(past: UnsafeBufferPointer(start: own.hashes, count: own.count))
    }
    noteCutWord(of: document.text)
  }

  /// The most bytes of a word cut between two documents that are joined again.
  static let cutWordBytes = 32

  /// Records the word `text` ends inside of, if it does (``cutWord``).
  mutating func noteCutWord(of text: UnsafeRawBufferPointer) {
    cutWord.removeAll(keepingCapacity: true)
    if let word = Self.cutWordRange(in: text) { cutWord += text[word] }
  }

  /// Records `word` as the word the document before ends inside of.
  mutating func noteCutWord(_ word: [UInt8]) { cutWord = word }

  /// Where the letters and digits `text` ends with lie, if there are some and at most
  /// ``cutWordBytes``.
  static func cutWordRange(in text: UnsafeRawBufferPointer) -> Range<Int>? {
    var start = text.count
    while start > 0 && text.count - start <= cutWordBytes && LayoutMarkup.isASCIIWord(text[start - 1]) { start -= 1 }
    guard start < text.count, text.count - start <= cutWordBytes else { return nil }
    return start..<text.count
  }

  /// A word cut between the document before and `text`, read as one (`y` and `ou` make `you`).
  struct JoinedWord {
    /// The word's hash, as one text would tokenize it.
    var hash: UInt64
    /// Where its second half ends in `text`.
    var end: Int
    /// Whether each half is a token of its own (a lone letter is not: it reads as an option
    /// label), which the joined word replaces: the carry's last, the document's first.
    var firstHalfIsToken: Bool
    var secondHalfIsToken: Bool
  }

  /// When the document before ended inside a word and `text` starts with letters or digits,
  /// the word the two make (``JoinedWord``), if `wanted` says a match may hold it; nil otherwise.
  func joinedWord(with text: UnsafeRawBufferPointer, tokenizer: Tokenizer, wanted: (UInt64) -> Bool) -> JoinedWord? {
    guard !cutWord.isEmpty, let lastHash = hashes.last else { return nil }
    var end = 0
    while end < text.count && end < Self.cutWordBytes && LayoutMarkup.isASCIIWord(text[end]) { end += 1 }
    guard end > 0, end < Self.cutWordBytes, end == text.count || !LayoutMarkup.isASCIIWord(text[end]) else { return nil }
    // The word, its halves: each at most 2 × cutWordBytes, tokenized on the stack.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * Self.cutWordBytes) { buffer in
      func tokens(_ count: Int) -> _FirstToken {
        var first = _FirstToken()
        _ = tokenizer.tokenize(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count), into: &first)
        return first
      }
      _ = buffer.initialize(from: cutWord)
      for k in 0..<end { buffer[cutWord.count + k] = text[k] }
      let word = tokens(cutWord.count + end)
      // Most words so made (two words of a corpus cut at spaces run together) are no item's.
      guard word.count == 1, wanted(word.hash) else { return nil }
      let first = tokens(cutWord.count)
      for k in 0..<end { buffer[k] = text[k] }
      let second = tokens(end)
      // Each half is one token or none, and the first, if one, is the carry's last.
      guard word.count == 1, first.count <= 1, second.count <= 1, first.count == 0 || first.hash == lastHash else { return nil }
      return JoinedWord(hash: word.hash, end: end, firstHalfIsToken: first.count == 1, secondHalfIsToken: second.count == 1)
    }
  }

  /// Bytes at the end of a document read in segments whose tokens give its tail.
  static let tailWindow = 64 << 10

  /// The tokens of a document's `text` that the carry takes after it, as a worker makes them
  /// (a producer that does not match it computes them so): the whole text's, or for a
  /// document read in segments (over `segmentBytes`) its last ``tailWindow`` bytes', from a
  /// cut at whitespace.
  func tail(of text: UnsafeRawBufferPointer, tokenizer: Tokenizer, segmentBytes: Int) -> [UInt64] {
    var last = _LastHashes(limit: limit)
    let from = text.count > segmentBytes ? Tokenizer.cut(text, after: text.count - Self.tailWindow) : 0
    _ = tokenizer.tokenize(UnsafeRawBufferPointer(rebasing: text[from...]), into: &last)
    return last.hashes
  }
}

/// How many tokens a short text makes, and the first one's hash.
struct _FirstToken: TokenSink {
  var count = 0
  var hash: UInt64 = 0
  mutating func consume(hash: UInt64, start: Int, end: Int) {
    if count == 0 { self.hash = hash }
    count += 1
  }
}

/// The last `limit` token hashes of a text, in a ring.
private struct _LastHashes: TokenSink {
  let limit: Int
  private var ring: [UInt64]
  private var count = 0

  init(limit: Int) {
    self.limit = limit
    ring = [UInt64](repeating: 0, count: limit)
  }

  mutating func consume(hash: UInt64, start: Int, end: Int) {
    guard limit > 0 else { return }
    ring[count % limit] = hash
    count += 1
  }

  /// Oldest first.
  var hashes: [UInt64] {
    count <= limit ? Array(ring[0..<count]) : Array(ring[(count % limit)...] + ring[..<(count % limit)])
  }
}
