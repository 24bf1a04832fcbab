import Foundation

/// Streams shards once, probes the item index at every token position, and turns the hits
/// into per-item coverage, verdicts and evidence.
///
/// Each worker keeps its own coverage bitsets and evidence; they are merged in shard order with
/// a total order on evidence (matched tokens, then shard, then line), so the result is the
/// same for any number of threads and any order of the shard list.
public struct Scanner: Sendable {
  public let index: ItemIndex
  public let configuration: ScanConfiguration
  public let readerOptions: ShardReaderOptions

  public init(index: ItemIndex, configuration: ScanConfiguration, readerOptions: ShardReaderOptions) {
    self.index = index
    self.configuration = configuration
    self.readerOptions = readerOptions
  }

  /// Scans `paths` on `jobs` threads.
  /// - Throws: under ``ErrorPolicy/stop``, the first input problem.
  public func scan(
    paths: [String], jobs: Int, onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int) -> Void)? = nil
  ) throws -> (items: [ItemResult], shards: [CorpusStatistics.ShardFigures]) {
    let sorted = paths.sorted()
    let index = self.index
    let configuration = self.configuration
    let options = readerOptions
    let done = _Counter()
    let results = ShardPool.run(
      count: sorted.count, jobs: jobs,
      makeWorker: { _ScanWorker(index: index, configuration: configuration, options: options) },
      work: { worker, i in
        let partial = try worker.scan(path: sorted[i], shardIndex: i, onProblem: onProblem)
        progress?(done.increment())
        return partial
      })
    var coverage = [[UInt64]](repeating: [], count: index.items.count)
    var evidence = [[Evidence]](repeating: [], count: index.items.count)
    var documents = [Int](repeating: 0, count: index.items.count)
    var shards: [CorpusStatistics.ShardFigures] = []
    for result in results {
      let partial = try result.get()
      shards.append(partial.figures)
      for (item, bits) in partial.coverage {
        if coverage[item].isEmpty { coverage[item] = bits } else { for w in 0..<bits.count { coverage[item][w] |= bits[w] } }
      }
      for (item, list) in partial.evidence { evidence[item] += list }
      for (item, count) in partial.documents { documents[item] += count }
    }
    var items: [ItemResult] = []
    for (i, item) in index.items.enumerated() {
      let tokenCount = index.itemTokens[i].count
      let bits = coverage[i]
      func covered(_ range: Range<Int>) -> Int {
        bits.isEmpty ? 0 : range.reduce(0) { $0 + (bits[$1 >> 6] >> UInt64($1 & 63) & 1 == 1 ? 1 : 0) }
      }
      let all = covered(0..<tokenCount)
      let cov = tokenCount == 0 ? 0 : Double(all) / Double(tokenCount)
      var run = 0
      var best = 0
      for t in 0..<tokenCount {
        if !bits.isEmpty && bits[t >> 6] >> UInt64(t & 63) & 1 == 1 { run += 1; best = max(best, run) } else { run = 0 }
      }
      let verdict: Verdict =
        tokenCount < configuration.minimumTokens ? .tooShort
        : cov >= configuration.contaminatedThreshold ? .contaminated
        : cov >= configuration.partialThreshold ? .partial : .clean
      let parts = zip(item.parts, index.partRanges[i]).map { part, range in
        PartScore(part: part.name, tokens: range.count, coverage: range.isEmpty ? 0 : Double(covered(range)) / Double(range.count))
      }
      let ranked = evidence[i].sorted { a, b in
        (a.matchedTokens, b.shard, b.line) > (b.matchedTokens, a.shard, a.line)
      }
      items.append(
        ItemResult(
          benchmark: item.benchmark, id: item.id, verdict: verdict, tokens: tokenCount, coverage: cov, longestRun: best,
          parts: parts, evidence: verdict == .clean && cov == 0 ? [] : Array(ranked.prefix(configuration.evidencePerItem)),
          documents: documents[i]))
    }
    return (items, shards)
  }
}

final class _Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

/// One shard's contribution.
struct _ShardPartial: Sendable {
  var figures: CorpusStatistics.ShardFigures
  var coverage: [Int: [UInt64]] = [:]
  var evidence: [Int: [Evidence]] = [:]
  var documents: [Int: Int] = [:]
}

/// A token sink that keeps the document's tokens in reusable buffers.
struct _TokenBuffer: TokenSink {
  var hashes: [UInt64] = []
  var starts: [Int32] = []
  var ends: [Int32] = []
  mutating func consume(hash: UInt64, start: Int, end: Int) {
    hashes.append(hash)
    starts.append(Int32(truncatingIfNeeded: start))
    ends.append(Int32(truncatingIfNeeded: end))
  }
  mutating func reset() {
    hashes.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
  }
}

/// A worker's private state: reader, tokenizer, buffers.
struct _ScanWorker {
  let index: ItemIndex
  let configuration: ScanConfiguration
  let reader: ShardReader
  let tokenizer = Tokenizer()
  var tokens = _TokenBuffer()
  /// Hits of the current document: item, item position, document position, length.
  var hits: [(item: Int, itemPosition: Int, documentPosition: Int, length: Int)] = []

  init(index: ItemIndex, configuration: ScanConfiguration, options: ShardReaderOptions) {
    self.index = index
    self.configuration = configuration
    self.reader = ShardReader(options: options)
  }

  mutating func scan(path: String, shardIndex: Int, onProblem: (ContamError) -> Void) throws -> _ShardPartial {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var partial = _ShardPartial(
      figures: .init(
        path: path, codec: .none, compressedBytes: 0, decompressedBytes: 0, lines: 0, documents: 0, textBytes: 0,
        tokens: 0, invalidUTF8Bytes: 0, problems: [:], seconds: 0))
    var tokenTotal = 0
    var invalid = 0
    var textBytes = 0
    let counts = try reader.read(path: path) { document in
      tokens.reset()
      let c = tokenizer.tokenize(document.text, into: &tokens)
      tokenTotal += c.tokens
      invalid += c.invalidBytes
      textBytes += document.text.count
      probe(document: document, into: &partial)
    } onProblem: { onProblem($0) }
    partial.figures.codec = counts.codec
    partial.figures.compressedBytes = counts.compressedBytes
    partial.figures.decompressedBytes = counts.decompressedBytes
    partial.figures.lines = counts.lines
    partial.figures.documents = counts.documents
    partial.figures.tokens = tokenTotal
    partial.figures.invalidUTF8Bytes = invalid
    partial.figures.textBytes = textBytes
    partial.figures.problems = Dictionary(uniqueKeysWithValues: counts.problems.map { ($0.key.rawValue, $0.value) })
    partial.figures.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    return partial
  }

  mutating func probe(document: Document, into partial: inout _ShardPartial) {
    hits.removeAll(keepingCapacity: true)
    let table = index.table
    tokens.hashes.withUnsafeBufferPointer { hashes in
      index.hasher.forEachHash(of: hashes) { position, key in
        let postings = table.lookup(key)
        for p in postings { hits.append((Int(p.item), Int(p.position), position, index.n)) }
      }
      if index.hasShortItems {
        let short = index.shortTable
        index.shortHasher.forEachHash(of: hashes) { position, key in
          for p in short.lookup(key) {
            let item = Int(p.item)
            let want = index.itemTokens[item]
            guard position + want.count <= hashes.count else { continue }
            var same = true
            for k in 0..<want.count where hashes[position + k] != want[k].hash {
              same = false
              break
            }
            if same { hits.append((item, 0, position, want.count)) }
          }
        }
      }
    }
    if hits.isEmpty { return }
    hits.sort { ($0.item, $0.documentPosition) < ($1.item, $1.documentPosition) }
    var i = 0
    while i < hits.count {
      let item = hits[i].item
      let length = index.itemTokens[item].count
      var marks = [UInt64](repeating: 0, count: (length + 63) / 64)
      var byteStart = Int.max
      var byteEnd = 0
      var j = i
      while j < hits.count && hits[j].item == item {
        let h = hits[j]
        for t in h.itemPosition..<(h.itemPosition + h.length) { marks[t >> 6] |= 1 << UInt64(t & 63) }
        byteStart = min(byteStart, Int(tokens.starts[h.documentPosition]))
        byteEnd = max(byteEnd, Int(tokens.ends[h.documentPosition + h.length - 1]))
        j += 1
      }
      var matched = 0
      var run = 0
      var best = 0
      for t in 0..<length {
        if marks[t >> 6] >> UInt64(t & 63) & 1 == 1 { matched += 1; run += 1; best = max(best, run) } else { run = 0 }
      }
      if var bits = partial.coverage[item] {
        for w in 0..<bits.count { bits[w] |= marks[w] }
        partial.coverage[item] = bits
      } else {
        partial.coverage[item] = marks
      }
      partial.documents[item, default: 0] += 1
      let snippetEnd = min(byteEnd, byteStart + 1000)
      let snippet = String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self)
      let evidence = Evidence(
        shard: document.shardPath, line: document.line, documentID: document.id, byteStart: byteStart, byteEnd: byteEnd,
        snippet: snippet, coverage: Double(matched) / Double(length), longestRun: best, matchedTokens: matched)
      var list = partial.evidence[item, default: []]
      list.append(evidence)
      if list.count > configuration.evidencePerItem * 2 {
        list.sort { a, b in (a.matchedTokens, b.shard, b.line) > (b.matchedTokens, a.shard, a.line) }
        list.removeLast(list.count - configuration.evidencePerItem)
      }
      partial.evidence[item] = list
      i = j
    }
  }
}
