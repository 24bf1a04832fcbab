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
