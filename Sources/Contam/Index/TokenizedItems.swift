import Dispatch
import Foundation

/// Benchmark items cut into tokens once, for both indexes: each item's token hashes with byte
/// ranges in its joined text (``ItemIndex/text(of:)``) and the token range of each part.
/// Items are tokenized on several threads; the result does not depend on how many.
public struct TokenizedItems: Sendable {
  public let items: [BenchmarkItem]
  public let version: TextVersion
  /// Per item: its tokens, offsets in the parts joined by newlines.
  public let tokens: [[Token]]
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
    let results = _Slots<([[Token]], [[Range<Int>]])>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      let tokenizer = Tokenizer(normalizer: normalizer)
      var tokens: [[Token]] = []
      var ranges: [[Range<Int>]] = []
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
        // At its size: appending left up to half of it unused, kept for the whole build.
        tokens.append(all.capacity > all.count + 8 ? Array(unsafeUninitializedCapacity: all.count) { $1 = $0.initialize(from: all).1 } : all)
        ranges.append(partRanges)
      }
      results.set(c, (tokens, ranges))
    }
    let parts = results.values()
    tokens = parts.flatMap(\.0)
    partRanges = parts.flatMap(\.1)
  }

  /// Items with their tokens already made (by an ``ItemIndex``).
  init(_ items: [BenchmarkItem], tokens: [[Token]], partRanges: [[Range<Int>]], version: TextVersion) {
    self.items = items
    self.tokens = tokens
    self.partRanges = partRanges
    self.version = version
  }
}
