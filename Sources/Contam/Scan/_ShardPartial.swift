/// One shard's contribution (stored as JSON in a work directory to resume a run).
struct _ShardPartial: Sendable, Codable {
  var figures: CorpusStatistics.ShardFigures
  var coverage: [Int: [UInt64]] = [:]
  var evidence: [Int: [Evidence]] = [:]
  var documents: [Int: Int] = [:]
  var near: [Int: [NearDuplicateEvidence]] = [:]
  var nearDocuments: [Int: Int] = [:]
}
