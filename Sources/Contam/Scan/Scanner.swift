import CContamSupport
import Crypto
import Dispatch
import Foundation
import Synchronization

/// Streams shards once, probes the item index at every token position, and turns the hits
/// into per-item coverage, verdicts and evidence.
///
/// Each worker keeps its own coverage bitsets and evidence; they are merged in shard order with
/// a total order on evidence (``Evidence/ranksBefore(_:)``), so the result is the same for any
/// number of threads and any order of the shard list.
///
/// ```swift
/// let items = try BenchmarkLoader.load(name: "gsm8k", path: "test.jsonl", format: BenchmarkFormat.presets["gsm8k"]!)
/// let scanner = Scanner(index: ItemIndex(items: items), configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
/// let result = try scanner.run(benchmarks: [.init(name: "gsm8k", path: "test.jsonl", items: items.count)], paths: shards, jobs: 2)
/// ```
public struct Scanner: Sendable {
  public let index: ItemIndex
  /// The near-duplicate index, built when ``ScanConfiguration/near`` is set.
  public let nearIndex: NearDuplicateIndex?
  public let configuration: ScanConfiguration
  public let readerOptions: ShardReaderOptions

  /// - Parameters:
  ///   - index: the items and their n-grams.
  ///   - configuration: thresholds; `near` set turns the near-duplicate pass on (it runs in the
  ///     same streaming pass), `exact` false turns the n-gram probe off.
  ///   - readerOptions: how shards are read (format, fields, line limit, error policy).
  public init(index: ItemIndex, configuration: ScanConfiguration, readerOptions: ShardReaderOptions) {
    self.index = index
    self.configuration = configuration
    self.readerOptions = readerOptions
    nearIndex = configuration.near.map {
      NearDuplicateIndex(index: index, configuration: $0, maximumItemsPerShingle: configuration.maximumItemsPerNGram)
    }
  }

  /// Scans `paths` on `jobs` threads and assembles the whole result: parameters, inputs,
  /// per-shard figures (timings left out, so equal inputs give equal results), dropped
  /// n-grams, per-benchmark summary and per-item results.
  /// - Parameters:
  ///   - benchmarks: the benchmarks as loaded (recorded in the certificate).
  ///   - paths: the shard list (all of it, also for a partition).
  ///   - jobs: worker threads; results are the same for any value.
  ///   - partition: scan only this share of `paths`.
  ///   - workDirectory: keep finished shards here to resume after a kill.
  ///   - onProblem: called for every input problem, from worker threads.
  ///   - progress: called with the number of shards done.
  ///   - resumed: called for each shard taken from the work directory.
  /// - Returns: the unsealed certificate (see ``Certificate/seal(_:signingKey:)``).
  /// - Throws: under ``ErrorPolicy/stop``, the first input problem.
  public func run(
    benchmarks: [ScanResult.BenchmarkInput], paths: [String], jobs: Int, partition: ScanResult.Partition? = nil,
    workDirectory: String? = nil,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int) -> Void)? = nil,
    resumed: (@Sendable (_ shard: String) -> Void)? = nil
  ) throws -> ScanResult {
    let share = partition.map { Scanner.select(paths, partition: $0) } ?? paths
    let scanned = try scan(
      paths: share, jobs: jobs, workDirectory: workDirectory, onProblem: onProblem, progress: progress, resumed: resumed)
    var shards = scanned.shards
    var total = CorpusStatistics.ShardFigures.empty("total")
    for k in shards.indices {
      shards[k].seconds = 0
      total.add(shards[k])
    }
    var result = ScanResult(
      parameters: configuration, benchmarks: benchmarks, shards: shards, corpus: total,
      droppedNGrams: index.droppedNGrams, summary: BenchmarkSummary.summarize(scanned.items, benchmarks: benchmarks),
      items: scanned.items)
    result.partition = partition
    return result
  }

  /// SHA-256 of everything that decides a shard's result besides the shard: the parameters and
  /// the items (ids, texts, answers).
  func fingerprint() throws -> String {
    struct Identity: Encodable {
      var version: String
      var parameters: ScanConfiguration
      var items: [BenchmarkItem]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(Identity(version: ContamVersion.string, parameters: configuration, items: index.items))
    return Certificate.hex(Data(SHA256.hash(data: data)))
  }

  /// The share of `paths` that partition `index` of `count` scans: the sorted list's entries at
  /// positions ≡ index − 1 (mod count). Stable: every machine computes the same split from the
  /// same list, whatever order it was given in.
  /// - Parameters:
  ///   - paths: the whole shard list.
  ///   - partition: which share.
  public static func select(_ paths: [String], partition: ScanResult.Partition) -> [String] {
    paths.sorted().enumerated().filter { $0.offset % partition.count == partition.index - 1 }.map(\.element)
  }

  /// Scans `paths` on `jobs` threads: per-item results in index order, per-shard figures in
  /// sorted path order.
  /// - Parameters:
  ///   - paths: the shards to scan.
  ///   - jobs: worker threads; results are the same for any value.
  ///   - onProblem: called for every input problem, from worker threads.
  ///   - progress: called with the number of shards done.
  /// - Throws: under ``ErrorPolicy/stop``, the first input problem.
  /// - Parameters:
  ///   - workDirectory: where each finished shard's result is kept (written atomically); a
  ///     shard already there, from a run with the same parameters and items and the file
  ///     unchanged in size and modification time, is not scanned again.
  ///   - resumed: called with each shard taken from the work directory.
  public func scan(
    paths: [String], jobs: Int, workDirectory: String? = nil,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int) -> Void)? = nil,
    resumed: (@Sendable (_ shard: String) -> Void)? = nil
  ) throws -> (items: [ItemResult], shards: [CorpusStatistics.ShardFigures]) {
    let sorted = paths.sorted()
    let store = try workDirectory.map { try _ResumeStore(directory: $0, fingerprint: fingerprint()) }
    let index = self.index
    let configuration = self.configuration
    let options = readerOptions
    let near = nearIndex
    let done = Atomic<Int>(0)
    let results = ShardPool.run(
      count: sorted.count, jobs: jobs,
      makeWorker: { _ScanWorker(index: index, near: near, configuration: configuration, options: options) },
      work: { worker, i in
        if let store, let stored = store.load(shard: sorted[i]) {
          resumed?(sorted[i])
          progress?(done.add(1, ordering: .relaxed).newValue)
          return stored
        }
        let partial = try worker.scan(path: sorted[i], onProblem: onProblem)
        try store?.save(partial, shard: sorted[i])
        progress?(done.add(1, ordering: .relaxed).newValue)
        return partial
      })
    let itemCount = index.items.count
    var coverage = [[UInt64]](repeating: [], count: itemCount)
    var evidence = [[Evidence]](repeating: [], count: itemCount)
    var documents = [Int](repeating: 0, count: itemCount)
    var nearEvidence = [[NearDuplicateEvidence]](repeating: [], count: itemCount)
    var nearDocuments = [Int](repeating: 0, count: itemCount)
    var shards: [CorpusStatistics.ShardFigures] = []
    for result in results {
      let partial = try result.get()
      shards.append(partial.figures)
      for (item, bits) in partial.coverage { _Bits.union(&coverage[item], bits) }
      for (item, list) in partial.evidence { evidence[item] += list }
      for (item, count) in partial.documents { documents[item] += count }
      for (item, list) in partial.near { nearEvidence[item] += list }
      for (item, count) in partial.nearDocuments { nearDocuments[item] += count }
    }
    var items: [ItemResult] = []
    items.reserveCapacity(itemCount)
    for (i, item) in index.items.enumerated() {
      let tokenCount = index.itemTokens[i].count
      let informative = index.informative[i]
      let judged = index.informativeTokens[i]
      let bits = coverage[i]
      // Covered tokens all lie in kept n-grams, so they are all informative.
      let covered = _Bits.count(bits, in: 0..<tokenCount)
      let fraction = judged == 0 ? 0 : Double(covered) / Double(judged)
      let parts = zip(item.parts, index.partRanges[i]).map { part, range in
        let judgedInPart = _Bits.count(informative, in: range)
        return PartScore(
          part: part.name, tokens: range.count, boilerplateTokens: range.count - judgedInPart,
          coverage: judgedInPart == 0 ? 0 : Double(_Bits.count(bits, in: range)) / Double(judgedInPart))
      }
      let ranked = evidence[i].sorted { $0.ranksBefore($1) }
      items.append(
        ItemResult(
          benchmark: item.benchmark, id: item.id, verdict: configuration.verdict(tokens: judged, coverage: fraction),
          tokens: tokenCount, boilerplateTokens: tokenCount - judged, coverage: fraction,
          coveredTokens: covered == 0 ? nil : _Bits.hex(bits, count: tokenCount), longestRun: _Bits.longestRun(bits, count: tokenCount), parts: parts,
          evidence: Array(ranked.prefix(configuration.evidencePerItem)), documents: documents[i],
          nearDuplicate: nearEvidence[i].isEmpty
            ? nil
            : NearDuplicateResult(
              shingles: near?.itemShingles(i) ?? 0, containment: nearEvidence[i].map(\.containment).max() ?? 0,
              documents: nearDocuments[i],
              evidence: Array(nearEvidence[i].sorted { $0.ranksBefore($1) }.prefix(configuration.evidencePerItem)))))
    }
    return (items, shards)
  }
}

/// Bitsets over an item's token positions, one bit per token, as `[UInt64]` (empty = none set).
enum _Bits {
  static func isSet(_ bits: [UInt64], _ t: Int) -> Bool {
    t >> 6 < bits.count && bits[t >> 6] >> UInt64(t & 63) & 1 == 1
  }

  static func count(_ bits: [UInt64], in range: Range<Int>) -> Int {
    range.reduce(0) { $0 + (isSet(bits, $1) ? 1 : 0) }
  }

  static func longestRun(_ bits: [UInt64], count: Int) -> Int {
    var run = 0
    var best = 0
    for t in 0..<count {
      if isSet(bits, t) {
        run += 1
        best = max(best, run)
      } else {
        run = 0
      }
    }
    return best
  }

  static func set(_ bits: inout [UInt64], _ range: Range<Int>) {
    for t in range { bits[t >> 6] |= 1 << UInt64(t & 63) }
  }

  /// Bit t is bit t % 8 of byte t / 8, bytes as lowercase hex.
  static func hex(_ bits: [UInt64], count: Int) -> String {
    var out = ""
    for byte in 0..<(count + 7) / 8 {
      let value = UInt8(truncatingIfNeeded: bits[byte >> 3] >> UInt64((byte & 7) * 8))
      out += value < 16 ? "0" + String(value, radix: 16) : String(value, radix: 16)
    }
    return out
  }

  /// The bitset of `count` bits written by ``hex(_:count:)``; nil if malformed.
  static func fromHex(_ text: String, count: Int) -> [UInt64]? {
    let chars = Array(text.utf8)
    guard chars.count == 2 * ((count + 7) / 8) else { return nil }
    var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
    for byte in 0..<chars.count / 2 {
      guard let value = UInt8(String(decoding: chars[2 * byte..<2 * byte + 2], as: UTF8.self), radix: 16) else { return nil }
      bits[byte >> 3] |= UInt64(value) << UInt64((byte & 7) * 8)
    }
    return bits
  }

  static func union(_ bits: inout [UInt64], _ other: [UInt64]) {
    if bits.isEmpty {
      bits = other
    } else {
      for w in 0..<other.count { bits[w] |= other[w] }
    }
  }
}

/// Evidence kinds ranked by a total order (so the kept best few never depend on thread timing).
protocol _Ranked {
  func ranksBefore(_ other: Self) -> Bool
}

extension Evidence: _Ranked {}
extension NearDuplicateEvidence: _Ranked {}

/// Adds `new` to a shard's evidence list, keeping it short: past twice `limit` entries, only
/// the best `limit` by the total order stay. The best `limit` of a set do not depend on the
/// order things were added, so the result is the same for any thread count.
func _keepBest<E: _Ranked>(_ list: inout [E], _ new: E, limit: Int) {
  list.append(new)
  if list.count > limit * 2 {
    list.sort { $0.ranksBefore($1) }
    list.removeLast(list.count - limit)
  }
}

/// One shard's contribution (stored as JSON in a work directory to resume a run).
struct _ShardPartial: Sendable, Codable {
  var figures: CorpusStatistics.ShardFigures
  var coverage: [Int: [UInt64]] = [:]
  var evidence: [Int: [Evidence]] = [:]
  var documents: [Int: Int] = [:]
  var near: [Int: [NearDuplicateEvidence]] = [:]
  var nearDocuments: [Int: Int] = [:]
}

/// A document's tokens in raw buffers that grow and are reused from document to document:
/// hashes, source ranges, and room for the n-gram keys. A struct so that the tokenizer's
/// appends need no exclusivity checks; ``_TokenStorage`` owns the memory.
struct _TokenBuffer: TokenSink {
  var hashes: UnsafeMutablePointer<UInt64>
  var starts: UnsafeMutablePointer<Int32>
  var ends: UnsafeMutablePointer<Int32>
  var keys: UnsafeMutablePointer<UInt64>
  var count = 0
  var capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    hashes = .allocate(capacity: capacity)
    starts = .allocate(capacity: capacity)
    ends = .allocate(capacity: capacity)
    keys = .allocate(capacity: capacity)
  }

  @inline(__always)
  mutating func consume(hash: UInt64, start: Int, end: Int) {
    if count == capacity { grow() }
    hashes[count] = hash
    starts[count] = Int32(truncatingIfNeeded: start)
    ends[count] = Int32(truncatingIfNeeded: end)
    count &+= 1
  }

  mutating func grow() {
    let bigger = _TokenBuffer(capacity: capacity * 2)
    bigger.hashes.update(from: hashes, count: count)
    bigger.starts.update(from: starts, count: count)
    bigger.ends.update(from: ends, count: count)
    deallocate()
    hashes = bigger.hashes
    starts = bigger.starts
    ends = bigger.ends
    keys = bigger.keys
    capacity = bigger.capacity
  }

  func deallocate() {
    hashes.deallocate()
    starts.deallocate()
    ends.deallocate()
    keys.deallocate()
  }
}

/// Owns a worker's ``_TokenBuffer`` memory.
final class _TokenStorage {
  var buffer = _TokenBuffer(capacity: 1 << 16)
  deinit { buffer.deallocate() }
}

/// A worker's private state: reader, tokenizer, buffers.
struct _ScanWorker {
  let index: ItemIndex
  let near: NearDuplicateIndex?
  let nearScratch: _NearScratch?
  let configuration: ScanConfiguration
  let reader: ShardReader
  let tokenizer = Tokenizer()
  let storage = _TokenStorage()
  /// Window positions whose key passed the prefilter, in the current batch.
  var candidates = [Int](repeating: 0, count: _ScanWorker.batch)
  /// Hits of the current document: item, item position, document position, length.
  var hits: [(item: Int, itemPosition: Int, documentPosition: Int, length: Int)] = []

  init(index: ItemIndex, near: NearDuplicateIndex?, configuration: ScanConfiguration, options: ShardReaderOptions) {
    self.index = index
    self.near = near
    self.nearScratch = near.map { _ in _NearScratch() }
    self.configuration = configuration
    self.reader = ShardReader(options: options)
  }

  mutating func scan(path: String, onProblem: (ContamError) -> Void) throws -> _ShardPartial {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var partial = _ShardPartial(figures: .empty(path))
    var tokenTotal = 0
    var invalid = 0
    var textBytes = 0
    let counts = try reader.read(path: path) { document in
      var tokens = storage.buffer
      tokens.count = 0
      let c = tokenizer.tokenize(document.text, into: &tokens)
      storage.buffer = tokens
      tokenTotal += c.tokens
      invalid += c.invalidBytes
      textBytes += document.text.count
      if configuration.exact { probe(document: document, into: &partial) }
      if let near, let nearScratch { findNearDuplicates(document: document, near: near, scratch: nearScratch, into: &partial) }
    } onProblem: { onProblem($0) }
    partial.figures = .init(
      path: path, counts: counts, textBytes: textBytes, tokens: tokenTotal, invalidUTF8Bytes: invalid,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    return partial
  }

  /// Keys probed per batch: their filter words are prefetched together, then the slots of
  /// those that pass the filter, so the cache misses overlap instead of queueing.
  static let batch = 32

  /// Calls `body(windowPosition, postings)` for every window whose key is in `table`.
  @inline(__always)
  mutating func probe(
    _ table: _HashTable, hasher: NGramHasher, tokens: _TokenBuffer,
    _ body: (Int, UnsafeBufferPointer<ItemIndex.Posting>) -> Void
  ) {
    let windows = tokens.count - hasher.n + 1
    guard windows > 0 else { return }
    let keys = tokens.keys
    hasher.forEachHash(of: UnsafeBufferPointer(start: tokens.hashes, count: tokens.count)) { position, key in
      keys[position] = key
    }
    candidates.withUnsafeMutableBufferPointer { candidates in
      var i = 0
      while i < windows {
        let end = min(i + Self.batch, windows)
        for k in i..<end { CContamSupport_prefetch(table.filterWord(keys[k])) }
        var found = 0
        for k in i..<end where table.mayContain(keys[k]) {
          candidates[found] = k
          found += 1
          CContamSupport_prefetch(table.firstSlot(keys[k]))
        }
        for c in 0..<found {
          let k = candidates[c]
          let postings = table.lookup(keys[k])
          if postings.count > 0 { body(k, postings) }
        }
        i = end
      }
    }
  }

  mutating func probe(document: Document, into partial: inout _ShardPartial) {
    hits.removeAll(keepingCapacity: true)
    let tokens = storage.buffer
    let n = index.n
    var found = hits
    hits = []
    probe(index.table, hasher: index.hasher, tokens: tokens) { position, postings in
      for p in postings { found.append((Int(p.item), Int(p.position), position, n)) }
    }
    if index.hasShortItems {
      let itemTokens = index.itemTokens
      probe(index.shortTable, hasher: index.shortHasher, tokens: tokens) { position, postings in
        for p in postings {
          let item = Int(p.item)
          let want = itemTokens[item]
          guard position + want.count <= tokens.count else { continue }
          if (0..<want.count).allSatisfy({ tokens.hashes[position + $0] == want[$0].hash }) {
            found.append((item, 0, position, want.count))
          }
        }
      }
    }
    hits = found
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
        _Bits.set(&marks, h.itemPosition..<(h.itemPosition + h.length))
        byteStart = min(byteStart, Int(tokens.starts[h.documentPosition]))
        byteEnd = max(byteEnd, Int(tokens.ends[h.documentPosition + h.length - 1]))
        j += 1
      }
      let matched = _Bits.count(marks, in: 0..<length)
      _Bits.union(&partial.coverage[item, default: []], marks)
      partial.documents[item, default: 0] += 1
      let snippetEnd = min(byteEnd, byteStart + Evidence.maximumSnippetBytes)
      let snippet = String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self)
      let evidence = Evidence(
        shard: document.shardPath, line: document.line, documentID: document.id, byteStart: byteStart, byteEnd: byteEnd,
        snippet: snippet, coverage: Double(matched) / Double(max(1, index.informativeTokens[item])), longestRun: _Bits.longestRun(marks, count: length),
        matchedTokens: matched,
        answer: index.answers[item].map { AnswerExtractor.check(expected: $0, in: document.text, from: byteStart) })
      _keepBest(&partial.evidence[item, default: []], evidence, limit: configuration.evidencePerItem)
      i = j
    }
  }
}
