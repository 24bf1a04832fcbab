/// Joining the partial certificates of a partitioned run (`contam scan --partition i/N`) into
/// the certificate a single run over all shards would have written.
extension Certificate {
  /// Merges `parts` into one certificate (unsealed), after proving they make one run.
  /// - Parameters:
  ///   - parts: one partial certificate per partition.
  ///   - trustedSigners: pinned public keys (base64). When given, or when `requireSignedParts`
  ///     is set, every part must be signed by one of them.
  ///   - requireSignedParts: refuse unsigned parts and parts signed by unpinned keys (set this
  ///     before signing the merge: a signature must not launder an edited part).
  /// - Throws: ``ContamError/Code/invalidArgument`` when a part's digest does not match its
  ///   content, its signature is not by a pinned key (when required), it does not agree with
  ///   itself, parts differ in format, tool, parameters or benchmarks (compared with their
  ///   file digests), partitions are missing, duplicated or of different counts, or the parts
  ///   do not cover the run's shard list exactly once.
  public static func merge(_ parts: [Certificate], trustedSigners: [String] = [], requireSignedParts: Bool = false) throws
    -> Certificate
  {
    guard let first = parts.first else { throw ContamError(.invalidArgument, "no partial certificates to merge") }
    for (k, part) in parts.enumerated() {
      let integrity = try part.checkIntegrity()
      guard integrity.digestMatches else {
        throw ContamError(.invalidArgument, "part \(k + 1): its digest does not match its content")
      }
      if requireSignedParts || !trustedSigners.isEmpty {
        let check = Verifier.signatureCheck(integrity, trustedSigners: trustedSigners)
        guard let check, check.passed else {
          throw ContamError(.invalidArgument, "part \(k + 1): \(check?.message ?? "not signed; signed parts are required")")
        }
      }
      if let failed = Verifier.consistencyChecks(part).first(where: { !$0.passed }) {
        throw ContamError(.invalidArgument, "part \(k + 1): \(failed.message)")
      }
      guard part.format == first.format, part.tool == first.tool else {
        throw ContamError(.invalidArgument, "part \(k + 1): made by \(part.tool) (\(part.format)), not \(first.tool) (\(first.format))")
      }
      guard part.parameters == first.parameters else {
        throw ContamError(.invalidArgument, "part \(k + 1): its parameters differ from part 1's")
      }
      guard part.benchmarks == first.benchmarks, part.items.map(\.id) == first.items.map(\.id) else {
        throw ContamError(.invalidArgument, "part \(k + 1): its benchmarks (or their files) differ from part 1's")
      }
    }
    let partitions = parts.map(\.partition)
    guard let count = first.partition?.count, partitions.allSatisfy({ $0?.count == count }) else {
      throw ContamError(.invalidArgument, "every part must come from `--partition i/N` with the same N")
    }
    let indices = partitions.compactMap { $0?.index }.sorted()
    let duplicates = Set(indices.filter { i in indices.filter { $0 == i }.count > 1 })
    guard duplicates.isEmpty else {
      throw ContamError(.invalidArgument, "partition \(duplicates.sorted().map(String.init).joined(separator: ", ")) given twice")
    }
    let missing = Set(1...count).subtracting(indices)
    guard missing.isEmpty else {
      throw ContamError(.invalidArgument, "partition \(missing.sorted().map { "\($0)/\(count)" }.joined(separator: ", ")) missing")
    }
    // Coverage: one shard list for the run, and each part scanned exactly its share of it.
    let all = first.partition?.allShards ?? []
    guard !all.isEmpty, Set(all).count == all.count, all == all.sorted() else {
      throw ContamError(.invalidArgument, "part 1: it does not record its run's shard list")
    }
    for (k, part) in parts.enumerated() {
      guard let partition = part.partition, partition.allShards == all else {
        throw ContamError(.invalidArgument, "part \(k + 1): it comes from a run over a different shard list than part 1")
      }
      let share = Scanner.select(all, partition: partition)
      guard part.shards.map(\.path).sorted() == share else {
        throw ContamError(
          .invalidArgument, "part \(k + 1) (\(partition.index)/\(partition.count)): its shards are not its share of the run's shard list")
      }
    }

    var merged = first
    merged.partition = nil
    merged.digest = nil
    merged.signature = nil
    merged.shards = parts.flatMap(\.shards).sorted { $0.path < $1.path }
    var total = CorpusStatistics.ShardFigures.empty("total")
    for shard in merged.shards { total.add(shard) }
    merged.corpus = total
    let parameters = first.parameters
    for i in first.items.indices {
      merged.items[i] = try mergeItem(parts.map { $0.items[i] }, parameters: parameters)
    }
    merged.summary = BenchmarkSummary.summarize(merged.items, benchmarks: merged.benchmarks)
    return merged
  }

  /// One item's result from its versions in the parts: the union of their covered tokens,
  /// all their evidence, scored again by ``ItemScorer``.
  static func mergeItem(_ versions: [ItemResult], parameters: ScanConfiguration) throws -> ItemResult {
    let shape = ItemScorer.Shape(versions[0])
    var bits = [UInt64](repeating: 0, count: (shape.tokens + 63) / 64)
    var found = ItemScorer.Found()
    for version in versions {
      found.evidence += version.evidence
      found.documents += version.documents
      if let near = version.nearDuplicate {
        found.near += near.evidence
        found.nearDocuments += near.documents
        found.nearShingles = near.shingles
      }
      guard let hex = version.coveredTokens else { continue }
      guard let other = _Bits.fromHex(hex, count: shape.tokens) else {
        throw ContamError(.invalidArgument, "item \(shape.benchmark)/\(shape.id): malformed coveredTokens")
      }
      _Bits.union(&bits, other)
    }
    return ItemScorer.score(shape, covered: bits, found: found, parameters: parameters)
  }
}
