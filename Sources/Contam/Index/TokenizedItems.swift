import Dispatch
import Foundation

/// Benchmark items cut into tokens once, for both indexes: each item's token hashes with byte
/// ranges in its joined text (``ItemIndex/text(of:)``) and the token range of each part.
/// Items are tokenized on several threads; the result does not depend on how many. Hashes and
/// ranges are kept apart: the exact index keeps the hashes as they are (shared, not copied), and
/// the ranges are dropped with this value once both indexes are built.
public struct TokenizedItems: Sendable {
  public let items: [BenchmarkItem]
  public let version: TextVersion
  /// Per item: its tokens' hashes, in order.
  public let hashes: [[UInt64]]
  /// Per item: where each token starts in the parts joined by newlines.
  public let starts: [[UInt32]]
  /// Per item: where each token ends, likewise.
  public let ends: [[UInt32]]
  /// Per item: the token range of each part.
  public let partRanges: [[Range<Int>]]

  /// - Parameters:
  ///   - items: the benchmark items, in the order results are reported.
  ///   - version: the text pipeline.
  ///   - jobs: threads (by default, the machine's cores).
  public init(_ items: [BenchmarkItem], version: TextVersion, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.items = items
    self.version = version
    let normalizer = Normalizer.of(version)
    let chunks = max(1, min(jobs, items.count / 256))
    typealias Chunk = (hashes: [[UInt64]], starts: [[UInt32]], ends: [[UInt32]], ranges: [[Range<Int>]])
    let results = _Slots<Chunk>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      let tokenizer = Tokenizer(normalizer: normalizer)
      var chunk: Chunk = ([], [], [], [])
      for item in items[items.count * c / chunks..<items.count * (c + 1) / chunks] {
        var all: [Token] = []
        var partRanges: [Range<Int>] = []
        var offset = 0
        for part in item.parts {
          let start = all.count
          all += tokenizer.tokens(of: part.text).map { Token(hash: $0.hash, start: $0.start + offset, end: $0.end + offset) }
          partRanges.append(start..<all.count)
          offset += part.text.utf8.count + 1
        }
        // Each at its size (`map` allocates exactly), kept for the whole build.
        chunk.hashes.append(all.map(\.hash))
        chunk.starts.append(all.map { UInt32(clamping: $0.start) })
        chunk.ends.append(all.map { UInt32(clamping: $0.end) })
        chunk.ranges.append(partRanges)
      }
      results.set(c, chunk)
    }
    let parts = results.values()
    hashes = parts.flatMap(\.hashes)
    starts = parts.flatMap(\.starts)
    ends = parts.flatMap(\.ends)
    partRanges = parts.flatMap(\.ranges)
  }
}
