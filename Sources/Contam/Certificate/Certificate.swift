/// The whole result of a scan (format 1 of the overlap certificate).
public struct Certificate: Sendable, Codable, Equatable {
  public static let currentFormat = "contam-certificate/1"
  public var format = Certificate.currentFormat
  public var tool = "contam \(ContamVersion.string)"
  /// This certificate covers part `index` (1-based) of `count` of the shard list, or all of it.
  public var partition: Partition?
  /// SHA-256 (lowercase hex) of the canonical JSON of everything else (see ``Certificate``).
  public var digest: String?
  /// An Ed25519 signature over the digest, when the run was signed.
  public var signature: CertificateSignature?
  /// Set when the run read the corpus through a corpus index (`scan --index`): which index, and
  /// what that leaves out.
  public var corpusIndex: CorpusIndexUse?
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

  /// How a scan through a corpus index (`contam scan --index`) read the corpus.
  public struct CorpusIndexUse: Sendable, Codable, Hashable {
    /// SHA-256 of the index's `manifest.json` (which names every segment's SHA-256).
    public var digest: String
    public var format: String
    public var winnowing: Winnowing
    /// Every document sharing a run of at least this many consecutive tokens with an item was
    /// read; one sharing only shorter runs may not have been.
    public var guaranteedTokens: Int
    /// The documents (and their shards) the index named as candidates; only these were read.
    public var candidateDocuments: Int
    public var candidateShards: Int
    /// What differs from a streaming scan, in words.
    public var scope: String
  }

  /// One share of a partitioned run: shards whose position in the sorted list is ≡ index − 1 (mod count).
  public struct Partition: Sendable, Codable, Hashable {
    public var index: Int
    public var count: Int
    /// The whole run's sorted shard list (every partition's), so that `merge` can prove the
    /// parts cover it exactly once. Set by ``Scanner/run(benchmarks:paths:jobs:partition:workDirectory:onProblem:progress:resumed:)``.
    public var allShards: [String] = []
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
