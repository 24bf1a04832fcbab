import Dispatch
import Foundation

/// Writes corpus indexes: `build` (a new directory), `add` (more shards into one), `merge`
/// (the parts of a partitioned build into one).
///
/// Shards are read in one streaming pass with the scan's reader and text pipeline, on `jobs`
/// threads; every ``segmentBytes`` of input files (in sorted path order) become one segment
/// file, so memory stays bounded whatever the corpus size. Segment files and the manifest are
/// written atomically, the manifest last: a build killed halfway leaves the directory as it was.
public struct CorpusIndexBuilder: Sendable {
  public var winnowing = Winnowing()
  public var textVersion = TextVersion.current
  /// Bits of each k-gram key kept: 44 makes a lookup of every item of every shared benchmark
  /// meet a false candidate about once per 10 GB of text.
  public var fingerprintBits = 44
  public var reader = ReaderParameters()
  public var readerOptions = ShardReaderOptions()
  /// Input file bytes per segment (the build holds about 30 bytes per kept k-gram of one segment).
  public var segmentBytes = 256 << 20
  public var jobs = 1

  public init() {}

  /// The builder that adds to `manifest`'s index: its winnowing, text version and reader.
  public init(continuing manifest: CorpusIndexManifest, readerOptions: ShardReaderOptions) throws(ContamError) {
    guard let version = TextVersion(name: manifest.normalization) else {
      throw ContamError(.invalidIndex, "unknown text-pipeline version '\(manifest.normalization)'")
    }
    winnowing = manifest.winnowing
    textVersion = version
    fingerprintBits = manifest.fingerprintBits
    reader = manifest.reader
    self.readerOptions = readerOptions
  }

  /// Indexes `paths` into the new directory `directory` (created; it must not hold an index).
  /// - Parameters:
  ///   - partition: index only this share of the sorted list (see ``Scanner/select(_:partition:)``).
  ///   - onProblem: every input problem, from worker threads.
  ///   - progress: called with shards done so far.
  ///   - accept: sees every indexed shard's figures before the manifest is written; what it
  ///     throws ends the build with the index unchanged (no manifest).
  /// - Returns: the manifest written.
  public func build(
    paths: [String], into directory: String, partition: Certificate.Partition? = nil,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (Int) -> Void)? = nil,
    accept: ([CorpusStatistics.ShardFigures]) throws -> Void = { _ in }
  ) throws -> CorpusIndexManifest {
    if FileManager.default.fileExists(atPath: directory + "/" + CorpusIndexManifest.fileName) {
      throw ContamError(.invalidArgument, path: directory, "already holds a corpus index; use `contam index add` to add shards")
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw ContamError(.outputFailed, path: directory, "cannot create the index directory: \(error.localizedDescription)")
    }
    var manifest = CorpusIndexManifest(
      normalization: textVersion.name, winnowing: winnowing, fingerprintBits: fingerprintBits, reader: reader)
    var share = paths
    if var partition {
      share = Scanner.select(paths, partition: partition)
      partition.allShards = Array(Set(paths)).sorted()
      manifest.partition = partition
    }
    try append(paths: share, to: &manifest, directory: directory, onProblem: onProblem, progress: progress)
    try accept(manifest.shards.map(\.figures))
    try manifest.write(directory: directory)
    return manifest
  }

  /// Indexes `paths` into the existing index in `directory` as new segments. A shard already
  /// in the index is refused (an index never holds a shard twice).
  /// - Returns: the manifest written.
  public func add(
    paths: [String], to directory: String,
    onProblem: @escaping @Sendable (ContamError) -> Void = { _ in },
    progress: (@Sendable (Int) -> Void)? = nil,
    accept: ([CorpusStatistics.ShardFigures]) throws -> Void = { _ in }
  ) throws -> CorpusIndexManifest {
    var (manifest, _) = try CorpusIndexManifest.read(directory: directory)
    let present = Set(manifest.shards.map(\.absolutePath))
    let again = paths.filter { present.contains(Self.absolute($0)) }
    if !again.isEmpty {
      throw ContamError(
        .invalidArgument, path: again[0],
        "\(again.count) shards are already in the index (\(again.prefix(3).joined(separator: ", "))); build a new index to re-index a changed shard")
    }
    let before = manifest.segments.count
    try append(paths: paths, to: &manifest, directory: directory, onProblem: onProblem, progress: progress)
    try accept(manifest.segments[before...].flatMap(\.shards).map(\.figures))
    try manifest.write(directory: directory)
    return manifest
  }

  /// Joins partial indexes (`contam index build --partition i/N`, or any indexes built with the
  /// same parameters over different shards) into the new directory `directory`. Parts of a
  /// partitioned build must all be there, each once, and together cover the build's shard list.
  /// - Returns: the manifest written.
  public static func merge(parts: [String], into directory: String) throws -> CorpusIndexManifest {
    guard !parts.isEmpty else { throw ContamError(.invalidArgument, "give at least one index to merge") }
    if FileManager.default.fileExists(atPath: directory + "/" + CorpusIndexManifest.fileName) {
      throw ContamError(.invalidArgument, path: directory, "already holds a corpus index")
    }
    let manifests = try parts.map { dir throws(ContamError) in try CorpusIndexManifest.read(directory: dir).manifest }
    let first = manifests[0]
    for (part, m) in zip(parts, manifests) {
      guard m.normalization == first.normalization, m.winnowing == first.winnowing,
        m.fingerprintBits == first.fingerprintBits, m.reader == first.reader, m.acrossDocuments == first.acrossDocuments
      else {
        throw ContamError(
          .invalidArgument, path: part, "was built with other parameters than \(parts[0]) (text version, winnowing, reader, or records read apart)")
      }
    }
    let partitions = manifests.compactMap(\.partition)
    if !partitions.isEmpty {
      guard partitions.count == manifests.count, let count = partitions.first?.count,
        partitions.allSatisfy({ $0.count == count && $0.allShards == partitions[0].allShards })
      else { throw ContamError(.invalidArgument, "the parts come from different partitioned builds") }
      let indices = partitions.map(\.index).sorted()
      guard indices == Array(1...count) else {
        let missing = Set(1...count).subtracting(indices).sorted()
        throw ContamError(
          .invalidArgument,
          missing.isEmpty ? "a partition is given twice" : "partitions \(missing.map(String.init).joined(separator: ", ")) of \(count) are missing")
      }
    }
    var merged = CorpusIndexManifest(
      normalization: first.normalization, winnowing: first.winnowing, fingerprintBits: first.fingerprintBits, reader: first.reader)
    merged.acrossDocuments = first.acrossDocuments
    var seen = Set<String>()
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw ContamError(.outputFailed, path: directory, "cannot create the index directory: \(error.localizedDescription)")
    }
    for (part, m) in zip(parts, manifests) {
      for shard in m.shards where !seen.insert(shard.absolutePath).inserted {
        throw ContamError(.invalidArgument, path: part, "shard \(shard.path) is in two of the indexes being merged")
      }
      for segment in m.segments {
        let target = directory + "/" + segment.file
        if !FileManager.default.fileExists(atPath: target) {
          do {
            try FileManager.default.linkItem(atPath: part + "/" + segment.file, toPath: target)
          } catch {
            do {
              try FileManager.default.copyItem(atPath: part + "/" + segment.file, toPath: target)
            } catch {
              throw ContamError(.outputFailed, path: target, "cannot copy the segment: \(error.localizedDescription)")
            }
          }
        }
        merged.segments.append(segment)
      }
      merged.buildSeconds += m.buildSeconds
    }
    if let allShards = partitions.first?.allShards {
      let covered = merged.shards.map(\.path).sorted()
      guard covered == allShards else {
        throw ContamError(.invalidArgument, "the parts do not cover the partitioned build's \(allShards.count) shards exactly")
      }
    }
    try merged.write(directory: directory)
    return merged
  }

  /// Reads `paths` (sorted) in groups of about ``segmentBytes`` and appends one segment per group.
  private func append(
    paths: [String], to manifest: inout CorpusIndexManifest, directory: String,
    onProblem: @escaping @Sendable (ContamError) -> Void, progress: (@Sendable (Int) -> Void)?
  ) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let sorted = paths.sorted()
    var groups: [[String]] = []
    var bytes = 0
    for path in sorted {
      let size = FileSource.stamp(path)?.size ?? 0
      if groups.isEmpty || (bytes + size > segmentBytes && !groups[groups.count - 1].isEmpty) {
        groups.append([])
        bytes = 0
      }
      groups[groups.count - 1].append(path)
      bytes += size
    }
    let normalizer = Normalizer.of(textVersion)
    // Shards added to an index built before session 18 are winnowed as its others were.
    let across = manifest.acrossDocuments == true
    let winnowing = self.winnowing
    let bits = fingerprintBits
    let options = readerOptions
    var done = 0
    for group in groups {
      let stamps = group.map { FileSource.stamp($0) }
      let before = done
      // A shard taken when fewer shards than threads are left is read on a thread of its own
      // while its share of the threads winnows it (``ShardPipeline``): one big shard, and the
      // last shards of a segment, use every core.
      let makeWorker: @Sendable () -> _IndexWorker = {
        _IndexWorker(winnowing: winnowing, fingerprintBits: bits, normalizer: normalizer, options: options, acrossDocuments: across)
      }
      var results = ShardPool.run(
        count: group.count, jobs: jobs, makeWorker: makeWorker,
        work: { worker, i in
          let threads = ShardPipeline.threads(forShardAt: i, of: group.count, jobs: jobs)
          let shard =
            threads > 1
            ? try worker.indexPipelined(path: group[i], consumers: threads, makeWorker: makeWorker, onProblem: onProblem)
            : try worker.index(path: group[i], onProblem: onProblem)
          progress?(before + i + 1)
          return shard
        })
      done += group.count
      var shards: [_IndexedShard] = []
      for result in results { shards.append(try result.get()) }
      results.removeAll()
      var shardStarts = [0]
      var lines: [UInt32] = []
      var lists: [(fingerprints: [UInt64], documents: [UInt32])] = []
      for k in shards.indices {
        lines += shards[k].lines
        shardStarts.append(lines.count)
        // Moved out, so the segment writer can free each shard's lists once it has used them.
        lists.append((shards[k].fingerprints, shards[k].documents))
        shards[k].fingerprints = []
        shards[k].documents = []
      }
      let temporary = directory + "/.segment-\(getpid())-\(manifest.segments.count).cidx"
      let written = try _IndexSegment.write(
        to: temporary, k: winnowing.k, window: winnowing.window, fingerprintBits: bits, shardStarts: shardStarts,
        lines: lines, entries: &lists)
      let name = "segment-\(written.sha256.prefix(20)).cidx"
      guard rename(temporary, directory + "/" + name) == 0 else {
        throw ContamError(.outputFailed, path: directory + "/" + name, "cannot rename the segment into place")
      }
      var entries: [CorpusIndexManifest.Shard] = []
      for (k, shard) in shards.enumerated() {
        var figures = shard.figures
        figures.seconds = 0
        let stamp = stamps[k]
        entries.append(
          CorpusIndexManifest.Shard(
            path: group[k], absolutePath: Self.absolute(group[k]), size: stamp?.size ?? -1, modifiedNanoseconds: stamp?.modified ?? 0,
            figures: figures))
      }
      manifest.segments.append(
        CorpusIndexManifest.Segment(
          file: name, bytes: written.bytes, sha256: written.sha256, entries: written.entries, documents: lines.count,
          shards: entries))
    }
    manifest.buildSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// `path` made absolute against the current directory, `.` and `..` resolved.
  static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: full).standardizedFileURL.path
  }
}
