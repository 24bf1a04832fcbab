/// Joins the partial certificates of a partitioned run (`contam scan --partition i/N`) into the
/// certificate a single run over all shards would have written.
public enum CertificateMerger {
  /// Merges `parts`.
  /// - Throws: ``ContamError/Code/invalidArgument`` when a part's digest does not match its
  ///   content, when parts differ in format, tool, parameters or benchmarks (compared with
  ///   their file digests), or when partitions are missing, duplicated or of different counts.
  public static func merge(_ parts: [ScanResult]) throws -> ScanResult {
    guard let first = parts.first else { throw ContamError(.invalidArgument, "no partial certificates to merge") }
    for (k, part) in parts.enumerated() {
      guard try Certificate.checkIntegrity(part).digestMatches else {
        throw ContamError(.invalidArgument, "part \(k + 1): its digest does not match its content")
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

  static func mergeItem(_ versions: [ItemResult], parameters: ScanConfiguration) throws -> ItemResult {
    var item = versions[0]
    var bits = [UInt64](repeating: 0, count: (item.tokens + 63) / 64)
    for version in versions {
      guard let hex = version.coveredTokens else { continue }
      guard let other = _Bits.fromHex(hex, count: item.tokens) else {
        throw ContamError(.invalidArgument, "item \(item.benchmark)/\(item.id): malformed coveredTokens")
      }
      _Bits.union(&bits, other)
    }
    let covered = _Bits.count(bits, in: 0..<item.tokens)
    let judged = item.tokens - item.boilerplateTokens
    item.coverage = judged == 0 ? 0 : Double(covered) / Double(judged)
    item.coveredTokens = covered == 0 ? nil : _Bits.hex(bits, count: item.tokens)
    item.longestRun = _Bits.longestRun(bits, count: item.tokens)
    item.verdict = parameters.verdict(tokens: judged, coverage: item.coverage)
    var start = 0
    for k in item.parts.indices {
      let part = item.parts[k]
      let partJudged = part.tokens - part.boilerplateTokens
      let partCovered = _Bits.count(bits, in: start..<start + part.tokens)
      item.parts[k].coverage = partJudged == 0 ? 0 : Double(partCovered) / Double(partJudged)
      start += part.tokens
    }
    item.documents = versions.reduce(0) { $0 + $1.documents }
    item.evidence = Array(versions.flatMap(\.evidence).sorted { $0.ranksBefore($1) }.prefix(parameters.evidencePerItem))
    let near = versions.compactMap(\.nearDuplicate)
    if near.isEmpty {
      item.nearDuplicate = nil
    } else {
      item.nearDuplicate = NearDuplicateResult(
        shingles: near[0].shingles, containment: near.map(\.containment).max() ?? 0,
        documents: near.reduce(0) { $0 + $1.documents },
        evidence: Array(near.flatMap(\.evidence).sorted { $0.ranksBefore($1) }.prefix(parameters.evidencePerItem)))
    }
    return item
  }
}
