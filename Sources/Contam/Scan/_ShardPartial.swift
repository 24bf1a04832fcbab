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
      guard known(item), bits.count == (index.itemTokens[item].count + 63) / 64 else { return false }
    }
    for (item, list) in evidence {
      guard known(item) else { return false }
      for e in list where e.line < 1 || e.byteStart < 0 || e.byteEnd < e.byteStart || e.matchedTokens < 0
        || e.matchedTokens > index.itemTokens[item].count || !(e.coverage.isFinite && (0...1).contains(e.coverage))
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
