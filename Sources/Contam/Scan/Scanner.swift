import CContamSupport
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
/// let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
/// let result = try scanner.run(benchmarks: [.init(name: "gsm8k", path: "test.jsonl", items: items.count)], paths: shards, jobs: 2)
/// ```
public struct Scanner: Sendable {
  public let index: ItemIndex
  /// The near-duplicate index, built when ``ScanConfiguration/near`` is set.
  public let nearIndex: NearDuplicateIndex?
  public let configuration: ScanConfiguration
  public let readerOptions: ShardReaderOptions
  /// Whether the indexes were read from an ``IndexCache`` rather than built.
  public let indexesFromCache: Bool

  /// Builds the item index (and the near-duplicate index) from the configuration.
  /// - Parameters:
  ///   - items: the benchmark items, in the order results are reported.
  ///   - configuration: index parameters and thresholds; `near` set turns the near-duplicate
  ///     pass on (it runs in the same streaming pass), `exact` false turns the n-gram probe off.
  ///   - readerOptions: how shards are read (format, fields, line limit, error policy).
  ///   - indexCache: where built indexes are kept between runs (nil: always build).
  /// - Throws: ``ContamError/Code/invalidArgument`` when a parameter is out of range
  ///   (``ScanConfiguration/validate()``).
  public init(items: [BenchmarkItem], configuration: ScanConfiguration, readerOptions: ShardReaderOptions, indexCache: IndexCache? = nil)
    throws
  {
    try configuration.validate()
    self.configuration = configuration
    self.readerOptions = readerOptions
    let parameters = configuration.indexParameters
    let limit = configuration.maximumItemsPerNGram
    let key = indexCache?.key(items: items, parameters: parameters, near: configuration.near, maximumItemsPerShingle: limit)
    // What loading the items freed (parsers' buffers) goes back first, so the indexes read
    // next do not add to it; and from here on, blocks of 1 MiB and more are mapped apart and
    // free memory at the heap's top is returned (glibc's dynamic thresholds would otherwise
    // rise to the largest block freed and keep tens of MB resident through the scan).
    CContamSupport_mapLargeBlocks()
    CContamSupport_releaseFreeMemory()
    // The text pipeline's fold tables (built once per process, tens of ms) are made on another
    // core while the cache is read: whichever index asks for them first waits only for the rest.
    Normalizer.prepare(parameters.textVersion)
    if let indexCache, let key, let cached = indexCache.load(key: key, items: items, parameters: parameters, near: configuration.near) {
      index = cached.index
      nearIndex = cached.near
      indexesFromCache = true
      return
    }
    let started = Date()
    (index, nearIndex) = Self.build(items: items, configuration: configuration)
    indexesFromCache = false
    if let indexCache, let key, Date().timeIntervalSince(started) >= indexCache.minimumBuildSeconds {
      // The run-together index too, made now (after the others, so not under their peak):
      // nearly every scan of real text asks for it, and the next run reads it with the rest.
      if configuration.runTogether == true || configuration.cutWords == true || configuration.spacedWords == true { _ = index.runTogether.get(index) }
      indexCache.store(key: key, index: index, near: nearIndex)
    }
  }

  /// Tokenizes the items once, then builds the exact and the near-duplicate index at once.
  static func build(items: [BenchmarkItem], configuration: ScanConfiguration) -> (ItemIndex, NearDuplicateIndex?) {
    let parameters = configuration.indexParameters
    // Large temporary arrays of the build (sort buffers, token lists) are mapped apart, so they
    // go back to the system when freed instead of staying in the heap for the whole scan.
    CContamSupport_mapLargeBlocks()
    // The tokens go to each builder as its own reference, taken from a slot: the byte ranges
    // (16 MB for all shared benchmarks) are freed once the exact index and the math stream are
    // made, not kept to the end of the near index's build.
    let tokenized = _Slots<TokenizedItems>(count: 2)
    do {
      let all = TokenizedItems(items, version: parameters.textVersion)
      tokenized.set(0, all)
      tokenized.set(1, all)
    }
    CContamSupport_releaseFreeMemory()
    let exact = _Slots<ItemIndex>(count: 1)
    let approximate = _Slots<NearDuplicateIndex>(count: 1)
    let near = configuration.near
    let limit = configuration.maximumItemsPerNGram
    // The exact build's last phase and the near build's preparation of its targets each hold
    // 10–20 MB of temporaries; at once, they were a built run's peak (up to 198 MB for the
    // shared benchmarks, against 186 MB in the scan). The near build waits there for the exact
    // build to end (about 0.2 s more of start-up when the indexes are built, not read).
    let exactBuild = _BuildGate()
    DispatchQueue.concurrentPerform(iterations: near == nil ? 1 : 2) { k in
      if k == 0 {
        exactBuild.start()
        exact.set(0, ItemIndex(tokenized.take(0)!, parameters: parameters))
        // Done first: what its build freed goes back now, not under the near build's peak.
        CContamSupport_releaseFreeMemory()
        exactBuild.finish()
      } else if let near {
        approximate.set(
          0, NearDuplicateIndex(tokenized.take(1)!, configuration: near, maximumItemsPerShingle: limit, beforePreparing: exactBuild.waitIfRunning))
      }
    }
    // Building freed more than the indexes keep (token lists, sort buffers): hand it back,
    // or the scan's resident memory keeps the building's peak.
    defer { CContamSupport_releaseFreeMemory() }
    return (exact.values()[0], approximate.values(allowingMissing: true)[0])
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
  ///   - inputRead: called from reading threads with file bytes read since its last call;
  ///     the calls add up to the shards' sizes (for progress and time left).
  /// - Returns: the unsealed certificate (see ``Certificate/seal(_:signingKey:)``).
  /// - Throws: under ``ErrorPolicy/stop``, the first input problem.
  public func run(
    benchmarks: [Certificate.BenchmarkInput], paths: [String], jobs: Int, partition: Certificate.Partition? = nil,
    workDirectory: String? = nil,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int) -> Void)? = nil,
    resumed: (@Sendable (_ shard: String) -> Void)? = nil,
    inputRead: (@Sendable (_ bytes: Int) -> Void)? = nil
  ) throws -> Certificate {
    let share = partition.map { Scanner.select(paths, partition: $0) } ?? paths
    var partition = partition
    partition?.allShards = Array(Set(paths)).sorted()
    let scanned = try scan(
      paths: share, jobs: jobs, workDirectory: workDirectory, onProblem: onProblem, progress: progress, resumed: resumed,
      inputRead: inputRead)
    var shards = scanned.shards
    var total = CorpusStatistics.ShardFigures.empty("total")
    for k in shards.indices {
      shards[k].seconds = 0
      total.add(shards[k])
    }
    var result = Certificate(
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
    return SHA256Stream.digest(of: data)
  }

  /// What the scan finds at 1-based lines of the shard at `path` for the items that claim each
  /// (`claims`: line → item numbers), each document read and matched exactly as a scan reads and
  /// matches it (with the documents before it), its evidence reported under `shardName`: per
  /// line, the claimed items' evidence at that line; no entry for a line no document holds. One
  /// pass over the shard.
  @_spi(Testing) public func findings(atLines claims: [Int: Set<Int>], path: String, reportedAs shardName: String) throws -> [Int: LocationFindings] {
    var worker = _ScanWorker(index: index, near: nearIndex, configuration: configuration, options: readerOptions)
    return try worker.rescan(path: path, shardName: shardName, claims: claims)
  }

  /// The evidence the document at one line gives some items (``findings(atLines:path:reportedAs:)``):
  /// per item number, its exact and near-duplicate evidence at that line.
  @_spi(Testing) public struct LocationFindings: Sendable {
    public var evidence: [Int: [Evidence]] = [:]
    public var near: [Int: [NearDuplicateEvidence]] = [:]

    /// `partial`'s evidence at `line` for `items` only.
    init(_ partial: _ShardPartial, items: Set<Int>, line: Int) {
      for item in items {
        if let list = partial.evidence[item]?.filter({ $0.line == line }), !list.isEmpty { evidence[item] = list }
        if let list = partial.near[item]?.filter({ $0.line == line }), !list.isEmpty { near[item] = list }
      }
    }
  }

  /// The share of `paths` that partition `index` of `count` scans: the sorted list's entries at
  /// positions ≡ index − 1 (mod count). Stable: every machine computes the same split from the
  /// same list, whatever order it was given in.
  /// - Parameters:
  ///   - paths: the whole shard list.
  ///   - partition: which share.
  public static func select(_ paths: [String], partition: Certificate.Partition) -> [String] {
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
  ///   - inputRead: called from reading threads with file bytes read since its last call.
  public func scan(
    paths: [String], jobs: Int, workDirectory: String? = nil,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int) -> Void)? = nil,
    resumed: (@Sendable (_ shard: String) -> Void)? = nil,
    inputRead: (@Sendable (_ bytes: Int) -> Void)? = nil
  ) throws -> (items: [ItemResult], shards: [CorpusStatistics.ShardFigures]) {
    let sorted = paths.sorted()
    let store = try workDirectory.map { try _ResumeStore(directory: $0, fingerprint: fingerprint()) }
    // One work unit per shard. A large one (a Parquet file too: its row groups are decoded on
    // the reader's thread) uses every core through the pipeline, which hands each batch its
    // carry (``_DocumentCarry``), so rows are read together whatever the jobs.
    let units = sorted
    // A unit taken when fewer units than threads are left (all of them, when there are fewer
    // from the start) goes through the pipeline with its share of the threads.
    let count = units.count
    let index = self.index
    let configuration = self.configuration
    let options = readerOptions
    let near = nearIndex
    let done = Atomic<Int>(0)
    let work = units
    let makeWorker: @Sendable () -> _ScanWorker = {
      let worker = _ScanWorker(index: index, near: near, configuration: configuration, options: options)
      worker.reader.onInputRead = inputRead
      return worker
    }
    // With at least as many shards as threads, the pool's threads that run out of shards are
    // the last shards' extra consumers (``_IdleWorkers``); with fewer, each pipeline starts its own.
    let lends = count >= jobs
    let results = ShardPool.run(
      count: work.count, jobs: jobs, lendsIdleWorkers: lends, makeWorker: makeWorker,
      work: { worker, i, idle in
        let path = work[i]
        if let store, let stored = store.load(shard: path), stored.fits(index, path: path) {
          resumed?(path)
          inputRead?(stored.figures.compressedBytes)
          progress?(done.add(1, ordering: .relaxed).newValue)
          return stored
        }
        let threads = ShardPipeline.threads(forShardAt: i, of: count, jobs: jobs)
        let partial =
          threads > 1
          ? try worker.scanPipelined(path: path, consumers: threads, idle: lends ? idle : nil, makeWorker: makeWorker, onProblem: onProblem)
          : try worker.scan(path: path, onProblem: onProblem)
        try store?.save(partial, shard: path)
        progress?(done.add(1, ordering: .relaxed).newValue)
        return partial
      })
    // The workers' buffers and the pipeline's batches are freed: hand them back before the
    // results are assembled (resident memory is the scan's, not the two added).
    CContamSupport_releaseFreeMemory()
    var shards: [CorpusStatistics.ShardFigures] = []
    var partials: [_ShardPartial] = []
    for result in results {
      let partial = try result.get()
      shards.append(partial.figures)
      partials.append(partial)
    }
    let items = score(partials, jobs: jobs)
    return (items, shards)
  }

  /// Every item's result from the shards' findings (merged in the order given, which must be
  /// sorted shard order so evidence ties break the same way in every run).
  func score(_ partials: [_ShardPartial], jobs: Int) -> [ItemResult] {
    var covered = [[UInt64]](repeating: [], count: index.items.count)
    var found = [ItemScorer.Found](repeating: .init(), count: index.items.count)
    for partial in partials {
      for (item, bits) in partial.coverage { _Bits.union(&covered[item], bits) }
      for (item, list) in partial.evidence { found[item].evidence += list }
      for (item, count) in partial.documents { found[item].documents += count }
      for (item, list) in partial.near { found[item].near += list }
      for (item, count) in partial.nearDocuments { found[item].nearDocuments += count }
    }
    // Each item is scored on its own (from the immutable index and what was found of it), on
    // the scan's threads: 20,000 items took tens of ms at the end of every scan on one.
    let configuration = self.configuration
    return _parallelMap(index.items.count, jobs: jobs, minimumChunk: 2_048) { i in
      var found = found[i]
      found.nearShingles = nearIndex?.itemShingles(i) ?? 0
      return ItemScorer.score(index.shape(ofItem: i), covered: covered[i], found: found, parameters: configuration)
    }
  }
}
