import Foundation
import Synchronization

/// Counts of a corpus: documents, tokens, bytes and skipped input, per shard and in total.
///
/// This is `contam stats`: one streaming pass through the reader and the tokenizer, the same
/// path a scan takes before it probes the index, so its throughput is the scan's ceiling.
public struct CorpusStatistics: Codable, Sendable, Equatable {
  /// The figures of one shard.
  public struct ShardFigures: Codable, Sendable, Equatable {
    public var path: String
    public var codec: Codec
    /// SHA-256 of the file (lowercase hex); absent when the file could not be read.
    public var sha256: String?
    public var compressedBytes: Int
    public var decompressedBytes: Int
    public var lines: Int
    public var documents: Int
    /// Bytes of document text (after JSON decoding).
    public var textBytes: Int
    public var tokens: Int
    /// Invalid UTF-8 bytes met in document text.
    public var invalidUTF8Bytes: Int
    /// Problems by kind, keyed by ``ContamError/Code`` raw value.
    public var problems: [String: Int]
    public var seconds: Double
    /// Documents per text field they were read from; present only when several text fields
    /// were allowed (`--text-field text,content`), so each shard says which schema it had.
    public var textFields: [String: Int]?
    /// The shard's stream ended in a fault (cut short, or damaged past the point it can be read):
    /// what came after was not read, and how much that was cannot be known. Absent (nil) when it
    /// ended cleanly, and in certificates made before session 17.
    public var cutShort: Bool?

    /// The figures of one read shard.
    public init(
      path: String, counts: ShardReadCounts, textBytes: Int, tokens: Int, invalidUTF8Bytes: Int, seconds: Double
    ) {
      self.init(
        path: path, codec: counts.codec, compressedBytes: counts.compressedBytes,
        decompressedBytes: counts.decompressedBytes, lines: counts.lines, documents: counts.documents,
        textBytes: textBytes, tokens: tokens, invalidUTF8Bytes: invalidUTF8Bytes,
        problems: Dictionary(uniqueKeysWithValues: counts.problems.map { ($0.key.rawValue, $0.value) }),
        seconds: seconds)
      sha256 = counts.sha256
      textFields = counts.textFields.isEmpty ? nil : counts.textFields
      cutShort = counts.cutShort ? true : nil
    }

    public init(
      path: String, codec: Codec, compressedBytes: Int, decompressedBytes: Int, lines: Int, documents: Int,
      textBytes: Int, tokens: Int, invalidUTF8Bytes: Int, problems: [String: Int], seconds: Double
    ) {
      self.path = path
      self.codec = codec
      self.compressedBytes = compressedBytes
      self.decompressedBytes = decompressedBytes
      self.lines = lines
      self.documents = documents
      self.textBytes = textBytes
      self.tokens = tokens
      self.invalidUTF8Bytes = invalidUTF8Bytes
      self.problems = problems
      self.seconds = seconds
    }

    /// Records skipped (problems that lose input: a line not JSON, a missing field, a damaged
    /// row group's rows, a binary or over-long line).
    public var skipped: Int {
      problems.filter { ContamError.Code(rawValue: $0.key)?.losesInput ?? true }.values.reduce(0, +)
    }

    /// The share of the shard's records that were skipped. Plain text read in pieces has a few
    /// documents of many lines, and a skipped line is one of those lines: weighed against the
    /// lines read (blank JSONL lines, counted as `empty_line`, left out, so padding a shard with
    /// them cannot hide what was skipped), not against the pieces.
    public var skippedFraction: Double {
      let skipped = skipped
      let lines = self.lines - problems[ContamError.Code.emptyLine.rawValue, default: 0]
      return Double(skipped) / Double(max(1, skipped + documents, lines))
    }

    /// Why the shard was not read whole as it is, or nil: its stream ended in a fault
    /// (``cutShort``), or it changed while it was read (`shard_changed`). Either way no count of
    /// the records read says what was missed, so its clean verdicts cover only part of it.
    public var notReadWhole: String? {
      if cutShort == true {
        return "its stream ended in a fault (cut short or damaged): what came after was not read, and how much that was cannot be known"
      }
      if problems[ContamError.Code.shardChanged.rawValue] != nil {
        return "it changed while it was read: what was read may not be what it holds now"
      }
      return nil
    }

    /// Zero figures for `path`.
    public static func empty(_ path: String) -> ShardFigures {
      ShardFigures(
        path: path, codec: .none, compressedBytes: 0, decompressedBytes: 0, lines: 0, documents: 0, textBytes: 0,
        tokens: 0, invalidUTF8Bytes: 0, problems: [:], seconds: 0)
    }

    /// Adds another shard's figures (path, codec and seconds are left as they are).
    public mutating func add(_ s: ShardFigures) {
      compressedBytes += s.compressedBytes
      decompressedBytes += s.decompressedBytes
      lines += s.lines
      documents += s.documents
      textBytes += s.textBytes
      tokens += s.tokens
      invalidUTF8Bytes += s.invalidUTF8Bytes
      for (k, v) in s.problems { problems[k, default: 0] += v }
      if let fields = s.textFields {
        var mine = textFields ?? [:]
        for (k, v) in fields { mine[k, default: 0] += v }
        textFields = mine
      }
    }
  }

  /// Per shard, in the order of the shard list.
  public var shards: [ShardFigures]
  /// All shards added up (`path` is "total", `codec` none, `seconds` the wall time).
  public var total: ShardFigures
  /// Worker threads used.
  public var jobs: Int
  /// The normalization the token counts follow.
  public var normalization: String

  /// Streams every shard once and counts.
  /// - Parameters:
  ///   - paths: shard files, in the order to report them.
  ///   - options: reading options (format, line limit, error policy).
  ///   - jobs: worker threads; the figures (except timings) are the same for any value.
  ///   - onProblem: called for every problem, from worker threads.
  ///   - progress: called from worker threads with decompressed bytes done so far.
  /// - Throws: under ``ErrorPolicy/stop``, the first problem met.
  public static func compute(
    paths: [String], options: ShardReaderOptions, jobs: Int,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ bytesDone: Int, _ shardsDone: Int) -> Void)? = nil
  ) throws -> CorpusStatistics {
    let started = DispatchTime.now().uptimeNanoseconds
    let bytesDone = Atomic<Int>(0)
    let shardsDone = Atomic<Int>(0)
    let results = ShardPool.run(
      count: paths.count, jobs: jobs,
      makeWorker: { (ShardReader(options: options), Tokenizer()) },
      work: { worker, index in
        let t0 = DispatchTime.now().uptimeNanoseconds
        let tokenizer = worker.1
        var counter = TokenCounter()
        var invalid = 0
        var textBytes = 0
        var sinceReport = 0
        let counts = try worker.0.read(path: paths[index]) { document in
          let c = tokenizer.tokenize(document.text, into: &counter)
          invalid &+= c.invalidBytes
          textBytes &+= document.text.count
          sinceReport &+= document.text.count
          if sinceReport > 4 << 20, let progress {
            progress(bytesDone.add(sinceReport, ordering: .relaxed).newValue, shardsDone.load(ordering: .relaxed))
            sinceReport = 0
          }
        } onProblem: { onProblem($0) }
        let done = shardsDone.add(1, ordering: .relaxed).newValue
        let bytes = bytesDone.add(sinceReport, ordering: .relaxed).newValue
        progress?(bytes, done)
        return ShardFigures(
          path: paths[index], counts: counts, textBytes: textBytes, tokens: counter.count, invalidUTF8Bytes: invalid,
          seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      })
    var shards: [ShardFigures] = []
    for result in results { shards.append(try result.get()) }
    var total = ShardFigures.empty("total")
    for s in shards { total.add(s) }
    total.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return CorpusStatistics(shards: shards, total: total, jobs: jobs, normalization: Normalizer.version)
  }
}
