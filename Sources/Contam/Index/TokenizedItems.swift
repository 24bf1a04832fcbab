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
  /// Per item (a row): where each token starts in the parts joined by newlines. One block for
  /// all items, as it is freed before the hashes (``_Ragged``).
  package let starts: _Ragged<UInt32>
  /// Per item: where each token ends, likewise.
  package let ends: _Ragged<UInt32>
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
    typealias Chunk = (hashes: [[UInt64]], starts: _Ragged<UInt32>, ends: _Ragged<UInt32>, ranges: [[Range<Int>]])
    let results = _Slots<Chunk>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      let tokenizer = Tokenizer(normalizer: normalizer)
      var chunk: Chunk = ([], _Ragged(), _Ragged(), [])
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
        chunk.starts.append(all.lazy.map { UInt32(clamping: $0.start) })
        chunk.ends.append(all.lazy.map { UInt32(clamping: $0.end) })
        chunk.ranges.append(partRanges)
      }
      results.set(c, chunk)
    }
    let parts = results.values()
    hashes = parts.flatMap(\.hashes)
    starts = _Ragged(joining: parts.map(\.starts))
    ends = _Ragged(joining: parts.map(\.ends))
    partRanges = parts.flatMap(\.ranges)
  }

  init(
    items: [BenchmarkItem], version: TextVersion, hashes: [[UInt64]], starts: _Ragged<UInt32>, ends: _Ragged<UInt32>, partRanges: [[Range<Int>]]
  ) {
    self.items = items
    self.version = version
    self.hashes = hashes
    self.starts = starts
    self.ends = ends
    self.partRanges = partRanges
  }

  /// The same tokens without their byte ranges (``starts`` and ``ends`` empty): for a reader of
  /// hashes and part ranges only (the near-duplicate index past its math stream).
  var withoutByteRanges: TokenizedItems {
    TokenizedItems(items: items, version: version, hashes: hashes, starts: _Ragged(), ends: _Ragged(), partRanges: partRanges)
  }

  /// The items' tokens with the extra tokens of their TeX math merged in (``MathTokens``), part
  /// by part; an item without any has no tokens here (it has no math stream to search).
  func withMathTokens(prices: Bool) -> TokenizedItems {
    var hashes: [[UInt64]] = []
    var starts = _Ragged<UInt32>()
    var ends = _Ragged<UInt32>()
    var ranges: [[Range<Int>]] = []
    for i in items.indices {
      var h: [UInt64] = []
      var s: [UInt32] = []
      var e: [UInt32] = []
      var parts: [Range<Int>] = []
      var extras = 0
      var offset = 0
      for (part, range) in zip(items[i].parts, partRanges[i]) {
        let first = h.count
        let base = UInt32(clamping: offset)
        let found = MathTokens.extras(of: part.text, prices: prices)
        extras += found.count
        MathTokens.merge(found[...], tokens: range, start: { Int(self.starts[i, $0] - base) }) { step in
          switch step {
          case .token(let t):
            h.append(self.hashes[i][t])
            s.append(self.starts[i, t])
            e.append(self.ends[i, t])
          case .extra(let x):
            h.append(found[x].hash)
            s.append(base + UInt32(clamping: found[x].start))
            e.append(base + UInt32(clamping: found[x].end))
          }
        }
        parts.append(first..<h.count)
        offset += part.text.utf8.count + 1
      }
      if extras == 0 {
        (h, s, e, parts) = ([], [], [], parts.map { _ in 0..<0 })
      }
      hashes.append(h)
      starts.append(s)
      ends.append(e)
      ranges.append(parts)
    }
    return TokenizedItems(items: items, version: version, hashes: hashes, starts: starts, ends: ends, partRanges: ranges)
  }
}
