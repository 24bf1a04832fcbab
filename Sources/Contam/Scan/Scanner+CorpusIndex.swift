import Foundation
import Synchronization

extension Scanner {
  /// Checks the items against a corpus through its index: looks up every k-gram of every item,
  /// then reads only the candidate documents, matching them exactly as a streaming scan does.
  ///
  /// Every document that shares a run of ``Winnowing/guaranteedTokens`` tokens with an item is
  /// a candidate, so its exact evidence is the streaming scan's; near duplicates are searched
  /// in candidate documents only. The certificate lists every indexed shard with the figures
  /// recorded when it was indexed, and names the index's digest (``Certificate/corpusIndex``).
  /// - Parameters:
  ///   - benchmarks: the benchmarks as loaded (recorded in the certificate).
  ///   - corpusIndex: the opened index; the scanner's text version and reader must be its own.
  ///   - jobs: worker threads; results are the same for any value.
  ///   - onProblem: called for every input problem met while re-reading, from worker threads.
  ///   - progress: called with the number of candidate shards done.
  /// - Throws: ``ContamError/Code/invalidArgument`` when the parameters are not the index's;
  ///   ``ContamError/Code/shardChanged`` when a shard is gone or changed since it was indexed
  ///   (size, modification time, or the SHA-256 of a shard read again);
  ///   ``ContamError/Code/invalidIndex`` when the index is damaged.
  public func run(
    benchmarks: [Certificate.BenchmarkInput], corpusIndex: CorpusIndex, jobs: Int,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (_ shardsDone: Int, _ shards: Int) -> Void)? = nil
  ) throws -> Certificate {
    let manifest = corpusIndex.manifest
    guard configuration.normalization == manifest.normalization else {
      throw ContamError(
        .invalidArgument, path: corpusIndex.directory,
        "the index was built with \(manifest.normalization), the scan asks for \(configuration.normalization): scan with --text-version \(TextVersion(name: manifest.normalization).map { String($0.rawValue) } ?? "N")\(TextVersion(name: manifest.normalization).map { $0 < .current } == true ? " (an older pipeline: it finds less than the default)" : ""), or build the index again with the scan's (`contam index build --text-version`)")
    }
    guard configuration.reader == manifest.reader else {
      throw ContamError(.invalidArgument, path: corpusIndex.directory, "the scan's reader options are not the index's")
    }
    let changed = corpusIndex.changedShards()
    if let first = changed.first {
      throw ContamError(
        .shardChanged, path: first.path,
        "\(first.change); the index cannot vouch for it (\(changed.count) shards changed). Build the index again, or scan the shards directly")
    }
    let keys = CorpusIndex.queryKeys(index.tokenHashes, k: manifest.winnowing.k)
    let candidates = try corpusIndex.candidates(forKeys: keys).sorted { $0.shard.path < $1.shard.path }
    let index = self.index
    let configuration = self.configuration
    let options = readerOptions
    let near = nearIndex
    let done = Atomic<Int>(0)
    let results = ShardPool.run(
      count: candidates.count, jobs: jobs,
      makeWorker: { _ScanWorker(index: index, near: near, configuration: configuration, options: options) },
      work: { worker, i in
        let shard = candidates[i].shard
        // The lines before each candidate, read for the carry in front of it (``_DocumentCarry``):
        // twice its reach in documents, so blank or skipped lines among them leave it whole.
        let reach = 2 * _ScanWorker.carryLimit(n: index.n, near: near, configuration: configuration)
        let leading = Set(candidates[i].lines.flatMap { max(1, $0 - reach)..<$0 })
        let partial = try worker.scan(
          path: shard.absolutePath, only: Set(candidates[i].lines), leading: leading, reportedAs: shard.path, onProblem: onProblem)
        progress?(done.add(1, ordering: .relaxed).newValue, candidates.count)
        return partial
      })
    var partials: [_ShardPartial] = []
    for (candidate, result) in zip(candidates, results) {
      let partial = try result.get()
      guard partial.figures.sha256 == candidate.shard.figures.sha256 else {
        throw ContamError(
          .shardChanged, path: candidate.shard.path,
          "its SHA-256 is \(partial.figures.sha256 ?? "unknown") now, \(candidate.shard.figures.sha256 ?? "unknown") when indexed; the index cannot vouch for it")
      }
      partials.append(partial)
    }
    let items = score(partials, jobs: jobs)
    var shards = manifest.shards.map(\.figures)
    shards.sort { $0.path < $1.path }
    var total = CorpusStatistics.ShardFigures.empty("total")
    for k in shards.indices {
      shards[k].seconds = 0
      total.add(shards[k])
    }
    var result = Certificate(
      parameters: configuration, benchmarks: benchmarks, shards: shards, corpus: total,
      droppedNGrams: index.droppedNGrams, summary: BenchmarkSummary.summarize(items, benchmarks: benchmarks), items: items)
    let w = manifest.winnowing.guaranteedTokens
    result.corpusIndex = Certificate.CorpusIndexUse(
      digest: corpusIndex.digest, format: manifest.format, winnowing: manifest.winnowing, guaranteedTokens: w,
      candidateDocuments: candidates.reduce(0) { $0 + $1.lines.count }, candidateShards: candidates.count,
      scope:
        "only documents the index named were read: every document sharing at least \(w) consecutive tokens with an item is among them, "
        + (manifest.acrossDocuments == true
          ? "counting the records before it (a run across adjacent records names the record where it ends), "
          : "each document counted alone (the index was built before session 18: a run across adjacent records is not indexed), ")
        + "one sharing only shorter runs may not be; near duplicates were searched in these documents only")
    return result
  }
}
