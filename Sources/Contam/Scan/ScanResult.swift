/// The verdict on one item.
public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
  case contaminated, partial, clean
  /// Fewer tokens than the minimum: no judgement is possible.
  case tooShort = "too_short"

  public static func < (a: Verdict, b: Verdict) -> Bool {
    let order: [Verdict] = [.contaminated, .partial, .clean, .tooShort]
    return order.firstIndex(of: a)! < order.firstIndex(of: b)!
  }
}

/// Where an item was found: one document and the matched region of its text.
public struct Evidence: Sendable, Codable, Hashable {
  public var shard: String
  /// 1-based line of the document in the decompressed shard.
  public var line: Int
  public var documentID: String?
  /// Byte range `[start, end)` of the matched region in the document text (after JSON decoding).
  public var byteStart: Int
  public var byteEnd: Int
  /// The document's text in that range (cut at ``maximumSnippetBytes``).
  public var snippet: String
  /// Item tokens covered by n-grams of this document, as a fraction of the item's informative tokens.
  public var coverage: Double
  /// The longest run of consecutive item tokens matched in this document.
  public var longestRun: Int
  /// Item tokens matched in this document.
  public var matchedTokens: Int
  /// Whether the document states the item's answer after the match, where the item has one.
  public var answer: AnswerCheck?

  /// The longest snippet kept.
  public static let maximumSnippetBytes = 1000

  /// The order of evidence: more matched tokens first, then shard path, then line. A total
  /// order, so merged evidence does not depend on which worker found it.
  public func ranksBefore(_ other: Evidence) -> Bool {
    (matchedTokens, other.shard, other.line) > (other.matchedTokens, shard, line)
  }
}

/// Coverage of one part of an item (question, choices, answer…).
public struct PartScore: Sendable, Codable, Hashable {
  public var part: String
  public var tokens: Int
  /// Tokens of this part that occur only in boilerplate n-grams (not judged).
  public var boilerplateTokens: Int
  /// Covered tokens / the part's informative tokens.
  public var coverage: Double
}

/// The result for one item.
public struct ItemResult: Sendable, Codable, Hashable {
  public var benchmark: String
  public var id: String
  public var verdict: Verdict
  public var tokens: Int
  /// Tokens that occur only inside n-grams dropped as boilerplate: no match can cover them,
  /// so they are left out of `coverage` (and of the too-short test).
  public var boilerplateTokens: Int
  /// Fraction of the item's informative tokens (`tokens - boilerplateTokens`) inside n-grams
  /// found anywhere in the corpus.
  public var coverage: Double
  /// Which item tokens were covered, as hex bytes (bit t is bit t % 8 of byte t / 8); absent
  /// when none was. Lets partial certificates merge into exactly the coverage of one run.
  public var coveredTokens: String?
  public var longestRun: Int
  public var parts: [PartScore]
  /// Documents that contributed, best first (at most ``ScanConfiguration/evidencePerItem``).
  public var evidence: [Evidence]
  /// Documents with any match.
  public var documents: Int
  /// The near-duplicate finding, when near-duplicate search is on and found one.
  public var nearDuplicate: NearDuplicateResult?
}

/// What a scan was asked to do: every parameter that can change a result.
public struct ScanConfiguration: Sendable, Codable, Hashable {
  /// Tokens per n-gram.
  public var n = 13
  /// Items with fewer informative tokens are `too_short`; items with at least this many but
  /// fewer than `n` tokens are matched on their whole token sequence.
  public var minimumTokens = 8
  /// N-grams in more items than this are dropped as boilerplate.
  public var maximumItemsPerNGram = 10
  /// Coverage at or above which an item is `contaminated` (Llama 2's "dirty" bucket starts at 0.8).
  public var contaminatedThreshold = 0.8
  /// Coverage at or above which an item is `partial` (Llama 2's "not clean" starts at 0.2).
  public var partialThreshold = 0.2
  /// Evidence documents kept per item.
  public var evidencePerItem = 3
  public var normalization = Normalizer.version
  /// Whether the exact n-gram probe runs.
  public var exact = true
  /// Near-duplicate search, or nil when off.
  public var near: NearDuplicateConfiguration? = NearDuplicateConfiguration()
  /// How the shards were read.
  public var reader = ReaderParameters()
  public init() {}

  /// The verdict for an item of `tokens` informative tokens with this coverage.
  public func verdict(tokens: Int, coverage: Double) -> Verdict {
    if tokens < minimumTokens { return .tooShort }
    if coverage >= contaminatedThreshold { return .contaminated }
    if coverage >= partialThreshold { return .partial }
    return .clean
  }
}

/// How shards are read, as recorded in certificates (so `verify` reads them the same way).
public struct ReaderParameters: Sendable, Codable, Hashable {
  /// `auto`, `jsonl`, `lines` or `file`.
  public var format = "auto"
  public var textField = "text"
  public var idField: String?
  public var maxLineBytes = ShardReaderOptions.defaultMaxLineBytes

  public init() {}

  /// The reader options these parameters describe.
  public func options(policy: ErrorPolicy = .skip) throws -> ShardReaderOptions {
    let text = try FieldPath(textField)
    let id = try idField.map { try FieldPath($0) }
    let recordFormat: RecordFormat
    switch format {
    case "jsonl": recordFormat = .jsonl(textField: text, idField: id)
    case "lines": recordFormat = .lines
    case "file": recordFormat = .wholeFile
    case "auto": recordFormat = .auto(textField: text, idField: id)
    default: throw ContamError(.invalidArgument, "unknown input format '\(format)'")
    }
    return ShardReaderOptions(format: recordFormat, maxLineBytes: maxLineBytes, policy: policy)
  }
}

/// Counts per benchmark and verdict.
public struct BenchmarkSummary: Sendable, Codable, Hashable {
  public var benchmark: String
  public var items: Int
  public var contaminated: Int
  public var partial: Int
  public var clean: Int
  public var tooShort: Int
  /// Items with a near-duplicate finding.
  public var nearDuplicates: Int
  /// Items whose best near-duplicate document states a different answer (perturbed copies).
  public var nearDifferentAnswer: Int
  /// Counts per benchmark, in the order the benchmarks were given.
  public static func summarize(_ items: [ItemResult], benchmarks: [ScanResult.BenchmarkInput]) -> [BenchmarkSummary] {
    benchmarks.map { input in
      let mine = items.filter { $0.benchmark == input.name }
      func count(_ v: Verdict) -> Int { mine.filter { $0.verdict == v }.count }
      let near = mine.compactMap(\.nearDuplicate)
      return BenchmarkSummary(
        benchmark: input.name, items: mine.count, contaminated: count(.contaminated), partial: count(.partial),
        clean: count(.clean), tooShort: count(.tooShort), nearDuplicates: near.count,
        nearDifferentAnswer: near.filter { $0.evidence.first?.answer?.agreement == .different }.count)
    }
  }

  public init(
    benchmark: String, items: Int, contaminated: Int, partial: Int, clean: Int, tooShort: Int, nearDuplicates: Int,
    nearDifferentAnswer: Int
  ) {
    self.nearDuplicates = nearDuplicates
    self.nearDifferentAnswer = nearDifferentAnswer
    self.benchmark = benchmark
    self.items = items
    self.contaminated = contaminated
    self.partial = partial
    self.clean = clean
    self.tooShort = tooShort
  }
}

/// The whole result of a scan (format 1 of the overlap certificate).
public struct ScanResult: Sendable, Codable, Equatable {
  public static let currentFormat = "contam-certificate/1"
  public var format = ScanResult.currentFormat
  public var tool = "contam \(ContamVersion.string)"
  /// This certificate covers part `index` (1-based) of `count` of the shard list, or all of it.
  public var partition: Partition?
  /// SHA-256 (lowercase hex) of the canonical JSON of everything else (see ``Certificate``).
  public var digest: String?
  /// An Ed25519 signature over the digest, when the run was signed.
  public var signature: CertificateSignature?
  public var parameters: ScanConfiguration
  public var benchmarks: [BenchmarkInput]
  public var shards: [CorpusStatistics.ShardFigures]
  public var corpus: CorpusStatistics.ShardFigures
  public var droppedNGrams: [ItemIndex.DroppedNGram]
  public var summary: [BenchmarkSummary]
  public var items: [ItemResult]

  /// A benchmark as given: its name, where it came from, how it was read, the files with
  /// their digests, and how many items it had.
  public struct BenchmarkInput: Sendable, Codable, Hashable {
    public var name: String
    public var path: String
    public var items: Int
    public var format: BenchmarkFormat?
    public var files: [InputFile]
    public init(name: String, path: String, items: Int, format: BenchmarkFormat? = nil, files: [InputFile] = []) {
      self.name = name
      self.path = path
      self.items = items
      self.format = format
      self.files = files
    }
  }

  /// One share of a partitioned run: shards whose position in the sorted list is ≡ index − 1 (mod count).
  public struct Partition: Sendable, Codable, Hashable {
    public var index: Int
    public var count: Int
    public init(index: Int, count: Int) {
      self.index = index
      self.count = count
    }
  }

  public init(
    parameters: ScanConfiguration, benchmarks: [BenchmarkInput], shards: [CorpusStatistics.ShardFigures],
    corpus: CorpusStatistics.ShardFigures, droppedNGrams: [ItemIndex.DroppedNGram], summary: [BenchmarkSummary],
    items: [ItemResult]
  ) {
    self.parameters = parameters
    self.benchmarks = benchmarks
    self.shards = shards
    self.corpus = corpus
    self.droppedNGrams = droppedNGrams
    self.summary = summary
    self.items = items
  }
}
