import CContamSupport
/// The n-grams of every benchmark item, in one open-addressing table keyed by 64-bit hash,
/// with a bit-array prefilter in front so that a miss (nearly every corpus position) costs
/// about one cache access.
///
/// Items shorter than `n` tokens but at least `minimumTokens` long are indexed by their first
/// `minimumTokens` tokens and confirmed on their whole token sequence. So are the parts of an
/// item that are that short (a TruthfulQA question, a best answer, a set of short choices):
/// a layout word between two parts (`Answer:`, `Assistant:`) leaves no n-gram across them, and
/// each part found whole covers its own tokens. A part is indexed only when no other item of
/// its benchmark has it and at most `maximumItemsPerNGram` items do. N-grams found in more
/// than `maximumItemsPerNGram` distinct items are template phrases: they are dropped and listed
/// in ``droppedNGrams``, so boilerplate cannot make items look contaminated.
///
/// An item with `n` to `2n - 1` tokens of its own (outside context parts) is also keyed by the
/// first `minimumTokens` tokens of its first own part (``Parameters/headRuns``): a run of at
/// least `minimumTokens` tokens from there counts, as far as it goes, so the first half of a
/// short question copied (where no n-gram of it survives) is found as a whole short item is.
/// Its head is keyed only when no other item of its benchmark starts the same way and it holds
/// a word found in at most `maximumItemsPerNGram` (or 1%) of its benchmark's items.
///
/// An item of several own parts, the first shorter than `minimumTokens` and all together
/// shorter than `2n` (a TruthfulQA question and its answer; a short question and its choices),
/// is also keyed by the first 3 tokens of its first part (``Parameters/partsApart``): it is found
/// when every own part follows the one before within 4 tokens, so `Answer:`, `Assistant:` or a
/// chat record's `"role": "assistant", "content":` between them does not hide the copy. With
/// ``Parameters/choicesInAnyOrder``, the lines of a `choices` part may stand in any order, and
/// items with a first part under `n` tokens and all under `4n` are keyed too, by the rarest 3
/// tokens of their first part (``ItemIndex+PartsApart``). With ``Parameters/questionWithAnswer``,
/// a multiple-choice item's question under `n` tokens and its correct option (the `choices`
/// line that reads as its answer) are keyed as two parts apart too: a copy of the question and
/// its answer without the other options (lm-eval-harness's `Question: … Answer: <text>`). With
/// ``Parameters/blanksFilled``, a question with a blank (`_`) is keyed as its two sides, the
/// second after the first with nothing or one of the item's options between: the sentence with
/// an option in the blank.
///
/// N-grams kept but found in two or more items of one benchmark are shared context (an MMLU passage several
/// questions are asked about, the options block of moral-scenarios items, Winogrande twins that
/// differ in a word). An item with at least `minimumTokens` distinctive tokens (tokens inside
/// an n-gram of its own) is judged on those alone: a match of a shared n-gram is not evidence
/// that this item leaked, since the sibling's copy makes it too. An item with fewer (a
/// duplicate within its test set) is judged on all its informative tokens, as before.
public final class ItemIndex: @unchecked Sendable {
  /// Where an n-gram occurs: item number and token position.
  public struct Posting: Hashable, Sendable {
    public var item: UInt32
    public var position: UInt32
  }

  /// An n-gram dropped as boilerplate.
  public struct DroppedNGram: Hashable, Sendable, Codable {
    /// The n-gram's words as they appear in the first item that has it.
    public var text: String
    /// How many distinct items contain it.
    public var items: Int
  }

  /// The index's parameters: what a scan records of them comes from here (see
  /// ``ScanConfiguration/indexParameters``).
  public struct Parameters: Sendable, Hashable {
    /// Tokens per n-gram.
    public var n = 13
    /// Items shorter than `n` but at least this long are matched on their whole token sequence.
    public var minimumTokens = 8
    /// N-grams in more items than this are dropped as boilerplate.
    public var maximumItemsPerNGram = 10
    /// The text pipeline items (and the corpus scanned against them) are tokenized with.
    public var textVersion = TextVersion.current
    /// Whether items of `n` to `2n - 1` own tokens are also found by a run from their start
    /// (see the type's documentation).
    public var headRuns = true
    /// How many tokens a head run must reach past the longest opening the item shares with
    /// another item of its benchmark (0: `minimumTokens` alone). "Which of the following is the
    /// strongest argument" is 6 tokens of template and 2 of this item: a copy of another item
    /// that opens the same way is no evidence of this one.
    public var headRunPastOpening = 0
    /// Whether an item of short parts is also found with layout words between its parts (see
    /// the type's documentation).
    public var partsApart = true
    /// Whether, for an item of parts apart, the lines of its `choices` part are found in any
    /// order (options shuffled), and items with a first part under `n` tokens and all under
    /// `4n` are keyed too (see the type's documentation).
    public var choicesInAnyOrder = true
    /// Whether, with ``partsApart``, a multiple-choice item's question under `n` tokens and its
    /// correct option are also found as an item of two parts apart, without the other options
    /// (a copy in the `Question: … Answer: <the option's text>` layout).
    public var questionWithAnswer = true
    /// Whether, with ``partsApart``, an item whose question has a blank is also found with the
    /// blank filled by one of its options (see the type's documentation).
    public var blanksFilled = true
    /// Whether, with ``blanksFilled``, a question whose blank is in its first 3 tokens is found
    /// too, keyed by its opening with each option (or nothing) in the blank.
    public var blanksNearStart = true
    public init(
      n: Int = 13, minimumTokens: Int = 8, maximumItemsPerNGram: Int = 10, textVersion: TextVersion = .current, headRuns: Bool = true,
      headRunPastOpening: Int = 0, partsApart: Bool = true, choicesInAnyOrder: Bool = true, questionWithAnswer: Bool = true,
      blanksFilled: Bool = true, blanksNearStart: Bool = true
    ) {
      self.blanksNearStart = blanksNearStart
      self.choicesInAnyOrder = choicesInAnyOrder
      self.questionWithAnswer = questionWithAnswer
      self.blanksFilled = blanksFilled
      self.headRunPastOpening = headRunPastOpening
      self.n = n
      self.minimumTokens = minimumTokens
      self.maximumItemsPerNGram = maximumItemsPerNGram
      self.textVersion = textVersion
      self.headRuns = headRuns
      self.partsApart = partsApart
    }
  }

  public let items: [BenchmarkItem]
  public let parameters: Parameters
  /// The normalizer of ``Parameters/textVersion``: corpus text must be tokenized with it too.
  public let normalizer: Normalizer
  /// Anchors of the items' squeezed text, made on first use or read with the index cache
  /// (``RunTogetherIndex``).
  let runTogether = RunTogetherIndex.Lazy()
  /// Whether the run-together index is made (or was read with the index cache) already.
  @_spi(Testing) public var hasRunTogetherIndex: Bool { runTogether.made != nil }
  public var n: Int { parameters.n }
  /// `parameters.minimumTokens`, at most `n`.
  public let minimumTokens: Int
  public var maximumItemsPerNGram: Int { parameters.maximumItemsPerNGram }
  /// Per item: its token hashes, in order (the tokens of its parts joined by newlines).
  public let tokenHashes: [[UInt64]]
  /// Per item: where its last token ends in the joined text (0 without tokens).
  let lastTokenEnd: [Int]
  /// Per item: the token range of each part.
  public let partRanges: [[Range<Int>]]
  /// Per item: which tokens lie in at least one kept n-gram (one bit per token). The others
  /// occur only inside boilerplate n-grams: no corpus match can cover them, so coverage is
  /// measured over the informative tokens alone, and a verbatim copy of an item that contains
  /// template wording still reaches full coverage.
  let informative: [[UInt64]]
  /// Per item: the number of informative tokens.
  public let informativeTokens: [Int]
  /// Per item: the tokens it is judged on: its distinctive tokens (inside an n-gram no other
  /// item has), or all its informative tokens when it has fewer than `minimumTokens` of those.
  let judged: [[UInt64]]
  /// Per item: the number of tokens it is judged on.
  public let judgedTokens: [Int]
  /// Per item judged on its distinctive tokens: the positions where a shared n-gram starts.
  /// A match there covers nothing (see the type's documentation); empty for other items.
  let sharedStarts: [[UInt64]]
  /// Per item: its final answer, if it has one.
  public let answers: [ItemAnswer?]
  public private(set) var droppedNGrams: [DroppedNGram] = []
  /// Distinct n-gram keys in the table.
  public private(set) var keyCount = 0

  let hasher: NGramHasher
  let shortHasher: NGramHasher
  let table: _HashTable
  /// Keyed by the first `minimumTokens` tokens of a short item, a short part or an item's
  /// head; a posting's `position` is the index of its span in ``shortSpans``.
  let shortTable: _HashTable
  /// The token sequences matched from their start: item, first token, length, and the tokens
  /// a match needs (all of them for a short item or part, `minimumTokens` for a head run).
  let shortSpans: [Span]
  typealias Span = (item: Int, start: Int, length: Int, minimum: Int)
  /// Per item, per part that is not context: the token ranges of its lines (the choices of a
  /// multiple-choice item, one per line), looked for near a match of the item
  /// (``_ScanWorker`` anchored search) so that choices in another order still count.
  let lineSegments: [[[Range<Int>]]]
  /// Per item: the tokens of its correct option, the one line of its `choices` part that reads
  /// as its answer (``answerLine(of:in:)``); nil when it has none or several.
  let answerLines: [Range<Int>?]
  public var hasShortItems: Bool { shortTable.count > 0 }
  /// Items of short parts (``ItemIndex+PartsApart``), keyed by 3 tokens of their first part; a
  /// posting's `position` is the index in ``apartSpans``.
  let apartTable: _HashTable
  let apartHasher = NGramHasher(n: ItemIndex.apartKeyTokens)
  let apartSpans: [ApartSpan]
  public var hasApartItems: Bool { apartTable.count > 0 }
  /// One bit set for every key of ``apartSpans`` (``keyBit(_:_:_:)``): the scan hashes and
  /// probes only the windows it lets through.
  let apartKeyBits: [UInt64]
  /// A bit per token hash of some item (``tokenBit(_:)``, 1 Mbit): a word no item holds cannot
  /// be part of a match, which the scan asks before reading a word cut between two documents
  /// as one (``_DocumentCarry/joinedWord(with:tokenizer:)``).
  let tokenBits: [UInt64]
  /// The most tokens one exact match can span (an n-gram, a short item or part, a head run,
  /// an item of parts apart): a long document's segments overlap by this much, so every match
  /// lies wholly in one of them.
  /// Computed once: the scan asks it for every document that opens with a cut word.
  public let matchReach: Int

  static func matchReach(n: Int, minimumTokens: Int, shortSpans: [Span], apartSpans: [ApartSpan]) -> Int {
    max(n, minimumTokens, shortSpans.map(\.length).max() ?? 0, apartSpans.map(\.reach).max() ?? 0)
  }

  /// The number of an item's tokens that occur only inside boilerplate n-grams.
  public func boilerplateTokens(ofItem item: Int) -> Int { tokenHashes[item].count - informativeTokens[item] }

  /// The number of an item's informative tokens that occur only inside n-grams shared with
  /// other items (not judged).
  public func sharedTokens(ofItem item: Int) -> Int { informativeTokens[item] - judgedTokens[item] }

  /// Whether a match of the n-gram at `position` of `item` covers the item's tokens (not when
  /// the n-gram is shared context, for an item judged on its distinctive tokens).
  @inline(__always)
  func covers(item: Int, position: Int) -> Bool {
    let bits = sharedStarts[item]
    return bits.isEmpty || bits[position >> 6] & (1 << UInt64(position & 63)) == 0
  }

  /// The text an item is tokenized from: its parts joined by newlines.
  public static func text(of item: BenchmarkItem) -> String { item.parts.map(\.text).joined(separator: "\n") }

  /// Where `text` (an item's question) has its blank: the byte offset of its one run of
  /// underscores standing as a word (`_`, `____`, not `snake_case`); nil with none or several.
  @_spi(Testing) public static func blank(in text: String) -> Int? {
    let bytes = Array(text.utf8)
    var found: Int?
    var k = 0
    while k < bytes.count {
      guard bytes[k] == UInt8(ascii: "_") else {
        k += 1
        continue
      }
      var end = k
      while end < bytes.count && bytes[end] == UInt8(ascii: "_") { end += 1 }
      func isWord(_ b: UInt8) -> Bool { LayoutMarkup.isWordByte(b) }
      if (k == 0 || !isWord(bytes[k - 1])) && (end == bytes.count || !isWord(bytes[end])) {
        if found != nil { return nil }
        found = k
      }
      k = end
    }
    return found
  }

  /// Which line of `choices` (an item's options, one a line) is its answer: the only line that
  /// reads as the answer's value, word for word; nil when none or several do.
  /// (Bytes, not characters: it runs for every item of every benchmark at each index build.)
  static func answerLine(of item: BenchmarkItem, in choices: String) -> Int? {
    guard let answer = item.answer else { return nil }
    // The text's words joined by single spaces (a run of ASCII white space reads as one).
    func words<C: Collection<UInt8>>(_ text: C) -> [UInt8] {
      var out: [UInt8] = []
      var pending = false
      for byte in text {
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
          pending = !out.isEmpty
        } else {
          if pending { out.append(0x20) }
          pending = false
          out.append(byte)
        }
      }
      return out
    }
    let value = words(answer.value.utf8)
    guard !value.isEmpty else { return nil }
    let lines = choices.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
    let matching = lines.indices.filter { words(lines[$0]) == value }
    return matching.count == 1 ? matching[0] : nil
  }

  /// Tokenizes every item and indexes its n-grams.
  /// - Parameters:
  ///   - items: the benchmark items, in the order results are reported.
  ///   - parameters: n, the short-item minimum and the boilerplate limit.
  /// - Complexity: O(T) expected for T item tokens (the n-grams are hashed once, then sorted in
  ///   passes over the key range, twice).
  public convenience init(items: [BenchmarkItem], parameters: Parameters = Parameters()) {
    self.init(TokenizedItems(items, version: parameters.textVersion), parameters: parameters)
  }

  /// Indexes items already tokenized (``TokenizedItems``, shared with the near-duplicate index
  /// so both can be built at once).
  /// - Precondition: `tokenized` was made with `parameters.textVersion`.
  public init(_ tokenized: consuming TokenizedItems, parameters: Parameters) {
    precondition(parameters.n >= 1 && parameters.minimumTokens >= 1 && parameters.maximumItemsPerNGram >= 1)
    precondition(tokenized.version == parameters.textVersion, "items tokenized with another text version")
    let items = tokenized.items
    self.items = items
    self.answers = items.map(\.answer)
    self.parameters = parameters
    self.minimumTokens = min(parameters.minimumTokens, parameters.n)
    let maximumItemsPerNGram = parameters.maximumItemsPerNGram
    hasher = NGramHasher(n: parameters.n)
    shortHasher = NGramHasher(n: self.minimumTokens)
    normalizer = Normalizer.of(parameters.textVersion)
    // The token hashes are shared with the tokenized items, not copied (the build holds both).
    let tokens = tokenized.hashes
    let ranges = tokenized.partRanges
    tokenHashes = tokens
    lastTokenEnd = (0..<tokenized.ends.count).map { Int(tokenized.ends[$0].last ?? 0) }
    partRanges = ranges
    // The tokens of each item's correct option, where its `choices` part has exactly one line
    // that reads as its answer.
    var answerLines = [Range<Int>?](repeating: nil, count: items.count)
    // Where the blank of each item's question is (the token after it), if it has one.
    var blanks = [Int?](repeating: nil, count: items.count)
    lineSegments = items.indices.map { i in
      var offset = 0
      var result: [[Range<Int>]] = []
      var question = true
      for (p, part) in items[i].parts.enumerated() {
        defer { offset += part.text.utf8.count + 1 }
        guard !BenchmarkItem.contextPartNames.contains(part.name) else {
          result.append([])
          continue
        }
        if question, part.name != BenchmarkItem.choicesPartName, let blank = Self.blank(in: part.text) {
          var t = ranges[i][p].lowerBound
          while t < ranges[i][p].upperBound && Int(tokenized.starts[i, t]) < offset + blank { t += 1 }
          blanks[i] = t
        }
        question = false
        // Lines by byte range in the joined text, then the tokens that start in each.
        var lines: [Range<Int>] = []
        var lineStart = offset
        for (k, byte) in part.text.utf8.enumerated() where byte == 0x0A {
          lines.append(lineStart..<offset + k)
          lineStart = offset + k + 1
        }
        lines.append(lineStart..<offset + part.text.utf8.count)
        let answerLine = part.name == BenchmarkItem.choicesPartName ? Self.answerLine(of: items[i], in: part.text) : nil
        let range = ranges[i][p]
        var segments: [Range<Int>] = []
        var t = range.lowerBound
        for (l, line) in lines.enumerated() {
          let first = t
          while t < range.upperBound && Int(tokenized.starts[i, t]) < line.upperBound { t += 1 }
          if t > first { segments.append(first..<t) }
          if l == answerLine, t > first { answerLines[i] = first..<t }
        }
        result.append(segments)
      }
      return result
    }
    // The byte ranges are read no more: this build's reference to them goes before its peak
    // (a dropped n-gram's text tokenizes its item again).
    _ = consume tokenized

    // All (key, posting) pairs, then grouped by key.
    let n = parameters.n
    let minimumTokens = self.minimumTokens
    let hasher = self.hasher
    let shortHasher = self.shortHasher
    let ngramCount = tokens.reduce(0) { $0 + max(0, $1.count - n + 1) }
    var shortEntries: [(key: UInt64, posting: Posting)] = []
    var spans: [Span] = []
    var partEntries: [(key: UInt64, span: Span, indexed: Bool)] = []
    for (i, item) in tokens.enumerated() {
      let hashes = item
      if hashes.count >= n {
        // Its n-grams go in the table below.
      } else if hashes.count >= minimumTokens {
        shortEntries.append((shortHasher.hash(Array(hashes.prefix(minimumTokens))), Posting(item: UInt32(i), position: UInt32(spans.count))))
        spans.append((i, 0, hashes.count, hashes.count))
      }
      // Short parts of items with more than one part, and the item's own parts together when
      // context follows them (SciQ: question and choices, then the supporting passage).
      if ranges[i].count > 1 {
        var runs = ranges[i]
        if let own = items[i].ownParts {
          runs.append(ranges[i][own.lowerBound].lowerBound..<ranges[i][own.upperBound - 1].upperBound)
        }
        for range in runs where range.count >= minimumTokens && range.count < n && range.count < hashes.count {
          partEntries.append(
            (shortHasher.hash(Array(hashes[range.lowerBound..<range.lowerBound + minimumTokens])), (i, range.lowerBound, range.count, range.count), true))
        }
      }
      // The head of an item with n to 2n - 1 tokens of its own, matched as far as a copy goes.
      // Every item's head is listed, so that a head another item of the benchmark starts with
      // (whatever its length) is not taken for this one's.
      let own = Self.ownRanges(items[i], ranges[i])
      if parameters.headRuns, let first = own.first, hashes.count - first.lowerBound >= minimumTokens {
        let start = first.lowerBound
        let indexed = hashes.count >= n && own.reduce(0, { $0 + $1.count }) < 2 * n
        partEntries.append(
          (shortHasher.hash(Array(hashes[start..<start + minimumTokens])), (i, start, hashes.count - start, minimumTokens), indexed))
      }
    }
    // Shared context is judged within a benchmark: an n-gram found in 2 or more items of it.
    let benchmarkNumbers = Dictionary(items.map(\.benchmark).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let benchmarkOf = items.map { benchmarkNumbers[$0.benchmark]! }
    // A head holds a word that is rare in its benchmark (in at most maximumItemsPerNGram of its
    // items, or 1%): one made of the benchmark's common words only ("Let $a,$ $b,$ and $c$ be
    // positive real numbers.") opens many problems in the wild and says nothing of this one.
    if parameters.headRuns {
      func word(_ hash: UInt64, _ benchmark: Int) -> UInt64 { hash ^ (UInt64(benchmark + 1) &* 0x9E37_79B9_7F4A_7C15) }
      var itemsWith: [UInt64: Int] = [:]
      for entry in partEntries where entry.indexed && entry.span.minimum < entry.span.length {
        for t in tokens[entry.span.item][entry.span.start..<entry.span.start + entry.span.minimum] {
          itemsWith[word(t, benchmarkOf[entry.span.item])] = 0
        }
      }
      var itemsPerBenchmark = [Int](repeating: 0, count: items.count)  // by benchmarkOf (a first item's number)
      for (i, item) in tokens.enumerated() {
        itemsPerBenchmark[benchmarkOf[i]] += 1
        for hash in Set(item) {
          let key = word(hash, benchmarkOf[i])
          if let count = itemsWith[key] { itemsWith[key] = count + 1 }
        }
      }
      for e in partEntries.indices where partEntries[e].indexed && partEntries[e].span.minimum < partEntries[e].span.length {
        let span = partEntries[e].span
        let benchmark = benchmarkOf[span.item]
        let rare = max(parameters.maximumItemsPerNGram, itemsPerBenchmark[benchmark] / 100)
        partEntries[e].indexed = tokens[span.item][span.start..<span.start + span.minimum].contains {
          itemsWith[word($0, benchmark)]! <= rare
        }
      }
    }
    // A part (or a head) is this item's own text when no other item of its benchmark has the
    // same part (head), and not boilerplate when at most maximumItemsPerNGram items have it.
    let sequences = partEntries.map {
      [UInt64($0.span.minimum < $0.span.length ? 1 : 0)] + tokens[$0.span.item][$0.span.start..<$0.span.start + $0.span.minimum]
    }
    var partSequences: [[UInt64]: (items: Set<Int>, benchmarks: [String: Int])] = [:]
    for (entry, sequence) in zip(partEntries, sequences) {
      var seen = partSequences[sequence] ?? ([], [:])
      if seen.items.insert(entry.span.item).inserted { seen.benchmarks[items[entry.span.item].benchmark, default: 0] += 1 }
      partSequences[sequence] = seen
    }
    // The longest opening each head shares with another item of its benchmark: its tokens
    // from the head's start, compared with its neighbours in sorted order.
    var opening: [Int: Int] = [:]
    if parameters.headRunPastOpening > 0 {
      let heads = partEntries.filter { $0.span.minimum < $0.span.length }.map(\.span)
      let reach = 2 * n
      func sequence(_ span: Span) -> ArraySlice<UInt64> { tokens[span.item][span.start..<min(tokens[span.item].count, span.start + reach)] }
      for group in Dictionary(grouping: heads, by: { benchmarkOf[$0.item] }).values {
        let sorted = group.sorted { sequence($0).lexicographicallyPrecedes(sequence($1)) }
        for k in sorted.indices.dropFirst() {
          let a = sequence(sorted[k - 1])
          let b = sequence(sorted[k])
          let common = zip(a, b).prefix { $0 == $1 }.count
          opening[sorted[k - 1].item] = max(opening[sorted[k - 1].item] ?? 0, common)
          opening[sorted[k].item] = max(opening[sorted[k].item] ?? 0, common)
        }
      }
    }
    for (entry, sequence) in zip(partEntries, sequences) {
      let seen = partSequences[sequence]!
      guard entry.indexed, seen.items.count <= parameters.maximumItemsPerNGram, seen.benchmarks[items[entry.span.item].benchmark]! == 1
      else { continue }
      var span = entry.span
      if span.minimum < span.length, let shared = opening[span.item] {
        span.minimum = min(span.length, max(span.minimum, shared + parameters.headRunPastOpening))
      }
      shortEntries.append((entry.key, Posting(item: UInt32(span.item), position: UInt32(spans.count))))
      spans.append(span)
    }
    shortSpans = spans
    var dropped: [DroppedNGram] = []
    var droppedKeys = Set<UInt64>()
    // Per item: the positions where a shared n-gram starts, marked while grouping.
    var sharedAt = tokens.map { [UInt64](repeating: 0, count: ($0.count + 63) / 64) }
    /// Marks the n-gram of `group` (one key) as shared for the items whose benchmark has it in
    /// two or more items. Rare (a few percent of keys), so it counts plainly.
    func markShared(_ group: UnsafeBufferPointer<(key: UInt64, posting: Posting)>) {
      var items: [Int: Set<UInt32>] = [:]
      for entry in group { items[benchmarkOf[Int(entry.posting.item)], default: []].insert(entry.posting.item) }
      for entry in group where items[benchmarkOf[Int(entry.posting.item)]]!.count > 1 {
        let position = Int(entry.posting.position)
        sharedAt[Int(entry.posting.item)][position >> 6] |= 1 << UInt64(position & 63)
      }
    }
    /// Whether the n-gram of `group` (one key's postings, in (item, position) order) is kept:
    /// not when more than `maximumItemsPerNGram` distinct items have it (boilerplate, recorded
    /// in `dropped`); a kept one found in two items of one benchmark is marked shared.
    func keep(_ group: UnsafeBufferPointer<(key: UInt64, posting: Posting)>) -> Bool {
      var distinct = 0
      var lastItem = UInt32.max
      var firstBenchmark = -1
      var severalInOne = false
      for entry in group where entry.posting.item != lastItem {
        distinct += 1
        lastItem = entry.posting.item
        let benchmark = benchmarkOf[Int(lastItem)]
        if firstBenchmark < 0 { firstBenchmark = benchmark } else if benchmark == firstBenchmark || distinct > 2 { severalInOne = true }
      }
      if distinct > maximumItemsPerNGram {
        droppedKeys.insert(group[0].key)
        let first = group[0].posting
        let (item, position) = (Int(first.item), Int(first.position))
        let text = ItemIndex.text(of: items[item])
        let again = TokenizedItems([items[item]], version: parameters.textVersion, jobs: 1)
        let bytes = Array(text.utf8)[Int(again.starts[0, position])..<Int(again.ends[0, position + n - 1])]
        dropped.append(DroppedNGram(text: String(decoding: bytes, as: UTF8.self), items: distinct))
        return false
      }
      if severalInOne { markShared(group) }
      return true
    }
    /// Sorts the entries by key (stable: entries are made in (item, position) order, and
    /// postings stay in that order) and builds their table.
    func group(_ entries: inout [(key: UInt64, posting: Posting)], of hasher: NGramHasher) -> _HashTable {
      _KeySort.sort(&entries) { $0.key }
      return _HashTable(entries: entries, filterHasher: hasher)
    }
    // The n-grams of every item, hashed once (in item order), then taken in passes over the key
    // range (no list of every (key, posting) pair is held), grouped by key; boilerplate dropped.
    var ngramKeys = [UInt64](repeating: 0, count: ngramCount)
    var ngramStart = [Int](repeating: 0, count: tokens.count + 1)  // per item: its first n-gram's
    ngramKeys.withUnsafeMutableBufferPointer { keys in
      var next = 0
      for (i, hashes) in tokens.enumerated() {
        ngramStart[i] = next
        guard hashes.count >= n else { continue }
        hashes.withUnsafeBufferPointer { buffer in
          hasher.forEachHash(of: buffer) { _, key in
            keys[next] = key
            next += 1
          }
        }
      }
      ngramStart[tokens.count] = next
    }
    let passBits = _KeySort.passBits(for: ngramCount)
    let mainTable = ngramKeys.withUnsafeBufferPointer { keys in
      _HashTable.built(
        passBits: passBits,
        pairs: { pass, chunk in
          for i in 0..<tokens.count {
            let first = ngramStart[i]
            for k in first..<ngramStart[i + 1] where _KeySort.inPass(keys[k], pass, passBits: passBits) {
              chunk.append((keys[k], Posting(item: UInt32(i), position: UInt32(k - first))))
            }
          }
        }, keep: keep, filterHasher: hasher)
    }
    ngramKeys = []
    CContamSupport_releaseFreeMemory()
    // Informative tokens: those inside a kept n-gram; all tokens of short items. Distinctive
    // tokens: those inside a kept n-gram of this item alone.
    var informative: [[UInt64]] = []
    var judged: [[UInt64]] = []
    var sharedStarts: [[UInt64]] = []
    informative.reserveCapacity(tokens.count)
    for (number, item) in tokens.enumerated() {
      let words = (item.count + 63) / 64
      var bits = [UInt64](repeating: 0, count: words)
      var own = [UInt64](repeating: 0, count: words)
      let shared = sharedAt[number]
      if item.count < n {
        _Bits.set(&bits, 0..<item.count)
      } else {
        let hashes = item
        hashes.withUnsafeBufferPointer { buffer in
          hasher.forEachHash(of: buffer) { position, key in
            guard !droppedKeys.contains(key) else { return }
            _Bits.set(&bits, position..<position + n)
            if shared[position >> 6] & (1 << UInt64(position & 63)) == 0 { _Bits.set(&own, position..<position + n) }
          }
        }
      }
      let distinctive = _Bits.count(own, in: 0..<item.count)
      let useOwn = item.count >= n && distinctive >= minimumTokens && _Bits.count(shared, in: 0..<item.count) > 0
      informative.append(bits)
      judged.append(useOwn ? own : bits)
      sharedStarts.append(useOwn ? shared : [])
    }
    self.informative = informative
    informativeTokens = informative.enumerated().map { _Bits.count($0.element, in: 0..<tokens[$0.offset].count) }
    self.judged = judged
    judgedTokens = judged.enumerated().map { _Bits.count($0.element, in: 0..<tokens[$0.offset].count) }
    self.sharedStarts = sharedStarts
    self.answerLines = answerLines
    table = mainTable
    shortTable = group(&shortEntries, of: shortHasher)
    (apartTable, apartSpans) =
      parameters.partsApart
      ? Self.apartIndex(
        items: items, tokens: tokens, ranges: ranges, lines: lineSegments, answers: answerLines, blanks: blanks, parameters: parameters)
      : (_HashTable(entries: []), [])
    apartKeyBits = Self.keyBits(of: apartSpans, hashes: tokenHashes)
    matchReach = Self.matchReach(n: parameters.n, minimumTokens: minimumTokens, shortSpans: shortSpans, apartSpans: apartSpans)
    tokenBits = Self.tokenBits(of: tokenHashes)
    keyCount = table.count
    droppedNGrams = dropped.sorted { ($0.items, $1.text) > ($1.items, $0.text) }
  }

  /// Everything an index holds beyond its items and parameters (the index cache's payload).
  struct Stored {
    var tokenHashes: [[UInt64]]
    var lastTokenEnd: [Int]
    var partRanges: [[Range<Int>]]
    var informative: [[UInt64]]
    var informativeTokens: [Int]
    var judged: [[UInt64]]
    var judgedTokens: [Int]
    var sharedStarts: [[UInt64]]
    var droppedNGrams: [DroppedNGram]
    var keyCount: Int
    var table: _HashTable
    var shortTable: _HashTable
    var shortSpans: [Span]
    var lineSegments: [[[Range<Int>]]]
    var answerLines: [Range<Int>?]
    var apartTable: _HashTable
    var apartSpans: [ApartSpan]
  }

  /// The index ``stored`` describes, for `items` and `parameters` (``IndexCache``).
  init(items: [BenchmarkItem], parameters: Parameters, stored: Stored) {
    self.items = items
    self.answers = items.map(\.answer)
    self.parameters = parameters
    self.minimumTokens = min(parameters.minimumTokens, parameters.n)
    hasher = NGramHasher(n: parameters.n)
    shortHasher = NGramHasher(n: self.minimumTokens)
    normalizer = Normalizer.of(parameters.textVersion)
    tokenHashes = stored.tokenHashes
    lastTokenEnd = stored.lastTokenEnd
    partRanges = stored.partRanges
    informative = stored.informative
    informativeTokens = stored.informativeTokens
    judged = stored.judged
    judgedTokens = stored.judgedTokens
    sharedStarts = stored.sharedStarts
    droppedNGrams = stored.droppedNGrams
    keyCount = stored.keyCount
    table = stored.table
    shortTable = stored.shortTable
    shortSpans = stored.shortSpans
    lineSegments = stored.lineSegments
    answerLines = stored.answerLines
    apartTable = stored.apartTable
    apartSpans = stored.apartSpans
    apartKeyBits = Self.keyBits(of: stored.apartSpans, hashes: stored.tokenHashes)
    matchReach = Self.matchReach(n: parameters.n, minimumTokens: minimumTokens, shortSpans: shortSpans, apartSpans: apartSpans)
    tokenBits = Self.tokenBits(of: stored.tokenHashes)
  }

  /// The bit of a token hash in ``tokenBits``: its top 20 bits.
  @inline(__always)
  static func tokenBit(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 44) }

  /// The word of ``tokenBits`` that holds the bit of `hash` (to test, or to prefetch).
  @inline(__always)
  static func tokenWord(_ hash: UInt64) -> Int { tokenBit(hash) >> 6 }

  static func tokenBits(of hashes: [[UInt64]]) -> [UInt64] {
    var bits = [UInt64](repeating: 0, count: (1 << 20) / 64)
    for item in hashes {
      for hash in item {
        let bit = tokenBit(hash)
        bits[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }
    return bits
  }

  /// Whether some item may hold the token of `hash` (no false "no").
  @inline(__always)
  func mayHoldToken(_ hash: UInt64) -> Bool {
    let bit = Self.tokenBit(hash)
    return tokenBits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  var stored: Stored {
    Stored(
      tokenHashes: tokenHashes, lastTokenEnd: lastTokenEnd, partRanges: partRanges, informative: informative, informativeTokens: informativeTokens,
      judged: judged, judgedTokens: judgedTokens, sharedStarts: sharedStarts, droppedNGrams: droppedNGrams,
      keyCount: keyCount, table: table, shortTable: shortTable, shortSpans: shortSpans, lineSegments: lineSegments,
      answerLines: answerLines, apartTable: apartTable, apartSpans: apartSpans)
  }

  /// The token ranges of `item`'s own parts (not context, not empty), in order.
  static func ownRanges(_ item: BenchmarkItem, _ ranges: [Range<Int>]) -> [Range<Int>] {
    zip(item.parts, ranges).filter { !BenchmarkItem.contextPartNames.contains($0.0.name) && !$0.1.isEmpty }.map(\.1)
  }
}

extension ItemIndex {
  /// What scoring needs of item `item`: its parts' token counts, informative and judged tokens.
  func shape(ofItem item: Int) -> ItemScorer.Shape {
    ItemScorer.Shape(
      benchmark: items[item].benchmark, id: items[item].id,
      parts: zip(items[item].parts, partRanges[item]).map { part, range in
        let judged = _Bits.count(judged[item], in: range)
        return (part.name, range.count, judged, _Bits.count(informative[item], in: range) - judged)
      })
  }
}

extension ItemIndex {
  /// The lookup table both indexes probe, built from `present` keys (each with a posting naming
  /// its position in `present`), then asked for every key of `present` and `absent`: how many
  /// present keys came back with the wrong postings or none (a false negative is a missed copy,
  /// so this must be 0), how many absent keys passed the table's filter, and how many the table
  /// itself then claimed (must be 0).
  @_spi(Testing) public static func tableCheck(present: [UInt64], absent: [UInt64]) -> (wrong: Int, filterPassed: Int, absentFound: Int) {
    var entries = present.enumerated().map { (key: $1, posting: Posting(item: UInt32($0), position: 7)) }
    _KeySort.sort(&entries) { $0.key }
    let table = _HashTable(entries: entries)
    var wrong = 0
    for (i, key) in present.enumerated() {
      let postings = table.lookup(key)
      if postings.count != 1 || postings[0].item != UInt32(i) || postings[0].position != 7 { wrong += 1 }
    }
    let passed = absent.filter { table.mayContain($0) }
    return (wrong, passed.count, passed.filter { table.slot(of: $0) != nil }.count)
  }

  /// A table of the `n`-gram keys of `tokens` and of `extraKeys` whose filter holds their
  /// polynomials, as the scan's tables do (``_HashTable/filterHasher``): how many windows'
  /// polynomials, and polynomials of the extra keys, the filter turned away; how many keys
  /// ``_HashTable/mayContain(_:)`` turned away; how many keys the table did not find. Each must
  /// be 0, or a copy would be missed.
  @_spi(Testing) public static func polynomialTableCheck(tokens: [UInt64], n: Int, extraKeys: [UInt64])
    -> (polynomialsTurnedAway: Int, keysTurnedAway: Int, notFound: Int)
  {
    let hasher = NGramHasher(n: n)
    var polynomials: [UInt64] = []
    tokens.withUnsafeBufferPointer { buffer in hasher.forEachPolynomial(of: buffer) { polynomials.append($1) } }
    for key in extraKeys { hasher.polynomials(ofKey: key) { polynomials.append($0) } }
    let keys = polynomials.map(hasher.finalize) + extraKeys
    var entries = keys.enumerated().map { (key: $1, posting: Posting(item: UInt32($0), position: 0)) }
    _KeySort.sort(&entries) { $0.key }
    let table = _HashTable(entries: entries, filterHasher: hasher)
    let filter = table.polynomialFilter
    return (
      polynomials.count { !filter.mayContain($0) }, keys.count { !table.mayContain($0) }, keys.count { table.slot(of: $0) == nil }
    )
  }

  /// The table built in `2^passBits` passes over the key range from `keys` (a key repeated is
  /// one key with several postings, in order), keeping the keys whose first posting's item is not
  /// a multiple of `dropEvery`, against the table built from the kept pairs sorted at once:
  /// whether every key gives the same postings in both, every dropped key none, and the keys
  /// were decided once each, in increasing order.
  @_spi(Testing) public static func passCheck(keys: [UInt64], passBits: Int, dropEvery: Int) -> Bool {
    let pairs = keys.enumerated().map { (key: $1, posting: Posting(item: UInt32($0), position: UInt32($0 % 5))) }
    var decided: [UInt64] = []
    let built = _HashTable.built(
      passBits: passBits, pairs: { pass, chunk in chunk += pairs.filter { _KeySort.inPass($0.key, pass, passBits: passBits) } },
      keep: { run in
        decided.append(run[0].key)
        return Int(run[0].posting.item) % dropEvery != 0
      })
    var sorted = pairs
    _KeySort.sort(&sorted) { $0.key }
    var keptPairs: [(key: UInt64, posting: Posting)] = []
    var droppedKeys: [UInt64] = []
    sorted.withUnsafeBufferPointer { all in
      _HashTable.forEachRun(all) { run in
        if Int(run[0].posting.item) % dropEvery != 0 { keptPairs += run } else { droppedKeys.append(run[0].key) }
      }
    }
    let reference = _HashTable(entries: keptPairs)
    let distinct = Array(Set(keys)).sorted()
    guard decided == distinct, built.count == reference.count, built.postingCount == reference.postingCount else { return false }
    for key in distinct where Array(built.lookup(key)) != Array(reference.lookup(key)) { return false }
    return droppedKeys.allSatisfy { built.lookup($0).isEmpty }
  }

  /// Whether slots holding `keys` (0 = empty) with `homeSlots` home slots are laid out as a table
  /// read from the index cache must be (``_HashTable/probeableOccupancy(keys:homes:)``).
  @_spi(Testing) public static func tableLayoutIsProbeable(_ keys: [UInt64], homeSlots: Int) -> Bool {
    keys.withUnsafeBufferPointer { _HashTable.probeableOccupancy(keys: $0, homes: UInt64(homeSlots)) } != nil
  }
}
