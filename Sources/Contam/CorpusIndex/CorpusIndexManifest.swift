import Foundation

/// The table of contents of a corpus index directory (`manifest.json`): how it was built, its
/// segment files with their digests, and every shard it covers with the shard's size,
/// modification time, SHA-256 and figures.
public struct CorpusIndexManifest: Codable, Sendable, Equatable {
  public static let currentFormat = "contam-corpus-index/1"
  public static let fileName = "manifest.json"

  public var format = CorpusIndexManifest.currentFormat
  public var tool = "contam \(ContamVersion.string)"
  /// The text pipeline (``TextVersion`` name) the shards were tokenized with.
  public var normalization: String
  public var winnowing: Winnowing
  /// Bits of each k-gram key kept as its fingerprint.
  public var fingerprintBits: Int
  /// How the shards were read (format, text and id fields, line limit).
  public var reader: ReaderParameters
  /// Whether each document was winnowed with the last ``Winnowing/guaranteedTokens`` - 1
  /// tokens of the documents before it in its shard in front (as a scan reads documents
  /// together, ``ScanConfiguration/acrossDocuments``), so a run shared with an item across
  /// adjacent records names the record where it ends. Nil in indexes built before session 18:
  /// each document alone.
  public var acrossDocuments: Bool? = true
  public var segments: [Segment] = []
  /// Set for one part of a partitioned build (`--partition i/N`): `contam index merge` joins
  /// the parts and checks they cover `allShards` exactly once.
  public var partition: Certificate.Partition?
  /// Wall seconds spent building, summed over `build` and every `add`.
  public var buildSeconds: Double = 0

  /// One segment file and the shards it holds, in the order of its shard table.
  public struct Segment: Codable, Sendable, Equatable {
    public var file: String
    public var bytes: Int
    public var sha256: String
    /// Fingerprint–document pairs (after repeats within a document are removed).
    public var entries: Int
    /// Documents with at least one kept fingerprint.
    public var documents: Int
    public var shards: [Shard]
  }

  /// A shard as it was when indexed.
  public struct Shard: Codable, Sendable, Equatable {
    /// The path as given to `contam index build` (what certificates report).
    public var path: String
    /// The absolute path it was read from.
    public var absolutePath: String
    /// File size in bytes and modification time (nanoseconds since 1970) when indexed,
    /// symbolic links followed.
    public var size: Int
    public var modifiedNanoseconds: Int
    /// Its figures as a scan reports them (SHA-256, documents, tokens, problems).
    public var figures: CorpusStatistics.ShardFigures
  }

  public init(normalization: String, winnowing: Winnowing, fingerprintBits: Int, reader: ReaderParameters) {
    self.normalization = normalization
    self.winnowing = winnowing
    self.fingerprintBits = fingerprintBits
    self.reader = reader
  }

  /// Every shard, in segment order.
  public var shards: [Shard] { segments.flatMap(\.shards) }

  /// Reads and checks `DIR/manifest.json`.
  /// - Returns: the manifest and the SHA-256 of its bytes (the index's digest).
  /// - Throws: ``ContamError/Code/invalidIndex`` naming the file and JSON path.
  public static func read(directory: String) throws(ContamError) -> (manifest: CorpusIndexManifest, digest: String) {
    let path = directory + "/" + fileName
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
      throw ContamError(
        .invalidIndex, path: path,
        exists && isDirectory.boolValue
          ? "no corpus index here (no \(fileName)); build one with `contam index build --out \(directory) SHARDS`"
          : "no such corpus index directory")
    }
    let manifest: CorpusIndexManifest
    do {
      manifest = try JSONDecoder().decode(CorpusIndexManifest.self, from: data)
    } catch let error as DecodingError {
      throw ContamError(.invalidIndex, path: path, "not a corpus index manifest: \(Self.describe(error))")
    } catch {
      throw ContamError(.invalidIndex, path: path, "not a corpus index manifest: \(error)")
    }
    try manifest.check(path: path)
    return (manifest, SHA256Stream.digest(of: data))
  }

  /// Values that must hold whatever wrote the file.
  func check(path: String) throws(ContamError) {
    func fail(_ at: String, _ what: String) -> ContamError { ContamError(.invalidIndex, path: path, "at \(at): \(what)") }
    guard format == Self.currentFormat else { throw fail("$.format", "unknown corpus index format '\(format)' (this tool reads \(Self.currentFormat))") }
    guard TextVersion(name: normalization) != nil else { throw fail("$.normalization", "unknown text-pipeline version '\(normalization)'") }
    guard (1...NGramHasher.maximumN).contains(winnowing.k), (1...4096).contains(winnowing.window) else {
      throw fail("$.winnowing", "k must be in 1...64 and window in 1...4096")
    }
    guard (16...64).contains(fingerprintBits) else { throw fail("$.fingerprintBits", "must be in 16...64") }
    var seen = Set<String>()
    for (s, segment) in segments.enumerated() {
      guard !segment.file.contains("/"), segment.file.hasSuffix(".cidx"), segment.bytes >= 0, segment.entries >= 0,
        segment.documents >= 0
      else { throw fail("$.segments[\(s)]", "bad segment entry") }
      for (k, shard) in segment.shards.enumerated() {
        guard seen.insert(shard.path).inserted else { throw fail("$.segments[\(s)].shards[\(k)].path", "shard '\(shard.path)' listed twice") }
      }
    }
  }

  static func describe(_ error: DecodingError) -> String {
    func at(_ context: DecodingError.Context) -> String {
      "$" + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case .keyNotFound(let key, let context): return "at \(at(context)).\(key.stringValue): missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return "at \(at(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }

  /// Writes `DIR/manifest.json` atomically (sorted keys, so equal manifests are equal files).
  func write(directory: String) throws(ContamError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    let data: Data
    do {
      data = try encoder.encode(self)
    } catch {
      throw ContamError(.outputFailed, path: directory, "cannot encode the manifest: \(error)")
    }
    try AtomicFile.write(data, to: directory + "/" + Self.fileName)
  }
}
