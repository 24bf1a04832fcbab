/// One shard's contribution (stored as JSON in a work directory to resume a run).
struct _ShardPartial: Sendable, Codable {
  var figures: CorpusStatistics.ShardFigures
  var coverage: [Int: [UInt64]] = [:]
  var evidence: [Int: [Evidence]] = [:]
  var documents: [Int: Int] = [:]
  var near: [Int: [NearDuplicateEvidence]] = [:]
  var nearDocuments: [Int: Int] = [:]
}

extension _ShardPartial {
  /// Whether a partial read back from a work directory can belong to this run's `index`:
  /// every item number in range, every coverage bitset sized for its item, every count and
  /// range sane. A record that does not fit is ignored and its shard scanned again, so a
  /// damaged or planted work-directory file can never crash a run or change a verdict.
  func fits(_ index: ItemIndex, path: String) -> Bool {
    let items = index.items.count
    func known(_ item: Int) -> Bool { item >= 0 && item < items }
    guard figures.path == path else { return false }
    for (item, bits) in coverage {
      guard known(item), bits.count == (index.tokenHashes[item].count + 63) / 64 else { return false }
    }
    for (item, list) in evidence {
      guard known(item) else { return false }
      for e in list where e.line < 1 || e.byteStart < 0 || e.byteEnd < e.byteStart || e.matchedTokens < 0
        || e.matchedTokens > index.tokenHashes[item].count || !(e.coverage.isFinite && (0...1).contains(e.coverage))
      {
        return false
      }
    }
    for (item, list) in near {
      guard known(item), list.allSatisfy({ $0.line >= 1 && $0.containment.isFinite && (0...1).contains($0.containment) }) else {
        return false
      }
    }
    return documents.allSatisfy { known($0.key) && $0.value >= 0 } && nearDocuments.allSatisfy { known($0.key) && $0.value >= 0 }
  }
}

extension _ShardPartial {
  /// Adds the findings of a later part of the same shard (a batch of ``ShardPipeline``): the
  /// union of coverage, the sums of counts, and the best evidence of both under the same rule
  /// a single pass keeps it by, so the scored result does not depend on where parts were cut.
  mutating func absorb(_ other: _ShardPartial, evidencePerItem limit: Int) {
    for (item, bits) in other.coverage { _Bits.union(&coverage[item, default: []], bits) }
    for (item, list) in other.evidence {
      for evidence in list { _keepBest(&self.evidence[item, default: []], evidence, limit: limit) }
    }
    for (item, count) in other.documents { documents[item, default: 0] += count }
    for (item, list) in other.near {
      for evidence in list { _keepBest(&near[item, default: []], evidence, limit: limit) }
    }
    for (item, count) in other.nearDocuments { nearDocuments[item, default: 0] += count }
  }
}
