import Foundation

/// A persistent index of a corpus: for every document, the k-grams that winnowing keeps
/// (``Winnowing``), so a new benchmark can be checked by re-reading only the documents that
/// share text with its items instead of the whole corpus.
///
/// A directory holds `manifest.json` (``CorpusIndexManifest``) and segment files, each
/// covering a few shards; `contam index add` appends segments, `contam index merge` joins the
/// parts of a partitioned build. Segments are memory-mapped and checked chunk by chunk as they
/// are read, so a query touches only the pages of the buckets it looks up.
///
/// ```swift
/// let corpus = try CorpusIndex(directory: "corpus.cidx")
/// let keys = CorpusIndex.queryKeys(scanner.index.tokenHashes, k: corpus.manifest.winnowing.k)
/// let candidates = try corpus.candidates(forKeys: keys)
/// ```
public final class CorpusIndex: @unchecked Sendable {
  public let directory: String
  public let manifest: CorpusIndexManifest
  /// SHA-256 of `manifest.json`, which names every segment's SHA-256: the index's identity.
  public let digest: String
  private let segments: [_IndexSegment]
  private let lock = NSLock()

  /// Opens the index in `directory`: reads the manifest and maps every segment, checking that
  /// each segment's size, parameters and shard and document counts are the manifest's.
  /// - Throws: ``ContamError/Code/invalidIndex`` naming the file and what is wrong.
  public init(directory: String) throws(ContamError) {
    self.directory = directory
    (manifest, digest) = try CorpusIndexManifest.read(directory: directory)
    var opened: [_IndexSegment] = []
    for (s, entry) in manifest.segments.enumerated() {
      let path = directory + "/" + entry.file
      let segment = try _IndexSegment(path: path)
      func mismatch(_ what: String) -> ContamError {
        ContamError(.invalidIndex, path: path, "segment \(s) does not match the manifest: \(what)")
      }
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
      guard size == entry.bytes else { throw mismatch("\(size ?? -1) bytes, the manifest says \(entry.bytes)") }
      guard segment.k == manifest.winnowing.k, segment.window == manifest.winnowing.window,
        segment.fingerprintBits == manifest.fingerprintBits
      else { throw mismatch("built with other winnowing parameters") }
      guard segment.shardCount == entry.shards.count, segment.documentCount == entry.documents,
        segment.entryCount == entry.entries
      else { throw mismatch("other shard, document or entry counts") }
      opened.append(segment)
    }
    segments = opened
  }

  /// The k-gram keys an item's tokens give: every window of `k` token hashes. Looking them all
  /// up finds every document that shares a run of ``Winnowing/guaranteedTokens`` tokens.
  public static func queryKeys(_ tokenHashes: [[UInt64]], k: Int) -> [UInt64] {
    let hasher = NGramHasher(n: k)
    var keys: [UInt64] = []
    for hashes in tokenHashes { keys += hasher.hashes(of: hashes) }
    keys.sort()
    var unique: [UInt64] = []
    unique.reserveCapacity(keys.count)
    for key in keys where key != unique.last { unique.append(key) }
    return unique
  }

  /// The documents of one shard that may share text with the queried items.
  public struct ShardCandidates: Sendable, Equatable {
    public var shard: CorpusIndexManifest.Shard
    /// 1-based lines, ascending.
    public var lines: [Int]
  }

  /// Looks up every key (64-bit k-gram keys, see ``queryKeys(_:k:)``) in every segment.
  /// - Returns: per shard holding at least one, its candidate lines, in manifest order.
  /// - Throws: ``ContamError/Code/invalidIndex`` when a segment's bytes fail their checksum.
  public func candidates(forKeys keys: [UInt64]) throws(ContamError) -> [ShardCandidates] {
    lock.lock()
    defer { lock.unlock() }
    let shift = UInt64(64 - manifest.fingerprintBits)
    var fingerprints = keys.map { $0 >> shift }
    fingerprints.sort()
    var result: [ShardCandidates] = []
    for (s, segment) in segments.enumerated() {
      var hit = [Bool](repeating: false, count: segment.documentCount)
      var previous: UInt64? = nil
      for f in fingerprints where f != previous {
        previous = f
        try segment.documents(with: f) { hit[$0] = true }
      }
      segment.releasePages()
      let shards = manifest.segments[s].shards
      for (k, shard) in shards.enumerated() {
        var lines: [Int] = []
        for d in segment.shardStart(k)..<segment.shardStart(k + 1) where hit[d] { lines.append(segment.line(ofDocument: d)) }
        if !lines.isEmpty { result.append(ShardCandidates(shard: shard, lines: lines)) }
      }
    }
    return result
  }

  /// Shards whose file is gone or differs in size or modification time from when it was
  /// indexed, with what changed. The index cannot vouch for them.
  public func changedShards() -> [(path: String, change: String)] {
    manifest.shards.compactMap { shard in
      guard let now = FileSource.stamp(shard.absolutePath) else { return (shard.path, "missing or unreadable") }
      if now.size != shard.size { return (shard.path, "size \(shard.size) → \(now.size) bytes") }
      if now.modified != shard.modifiedNanoseconds { return (shard.path, "modified since it was indexed") }
      return nil
    }
  }

  /// Recomputes the SHA-256 of every segment and every shard and compares them with the manifest.
  /// - Returns: one line per mismatch (empty when all agree).
  public func verifyDigests(jobs: Int) -> [String] {
    var work: [(what: String, path: String, expected: String?)] = manifest.segments.map {
      ("segment \($0.file)", directory + "/" + $0.file, $0.sha256)
    }
    work += manifest.shards.map { ("shard \($0.path)", $0.absolutePath, $0.figures.sha256) }
    let list = work
    let results = ShardPool.run(count: list.count, jobs: jobs, makeWorker: { () }) { _, i in
      try SHA256Stream.digest(ofFile: list[i].path)
    }
    var problems: [String] = []
    for (entry, result) in zip(list, results) {
      switch result {
      case .success(let digest) where digest == entry.expected: continue
      case .success(let digest): problems.append("\(entry.what): SHA-256 \(digest), indexed as \(entry.expected ?? "none")")
      case .failure(let error): problems.append("\(entry.what): \(error)")
      }
    }
    return problems
  }
}
