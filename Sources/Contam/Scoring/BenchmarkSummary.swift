/// Counts per benchmark and verdict.
public struct BenchmarkSummary: Sendable, Codable, Hashable {
  public var benchmark: String
  public var items: Int
  public var contaminated: Int
  /// Items whose near copy states a different answer (``Verdict/perturbed``).
  public var perturbed: Int
  public var partial: Int
  public var clean: Int
  public var tooShort: Int
  /// Items with a near-duplicate finding.
  public var nearDuplicates: Int
  /// Items whose best near-duplicate document states a different answer (perturbed copies).
  public var nearDifferentAnswer: Int
  /// Counts per benchmark, in the order the benchmarks were given.
  public static func summarize(_ items: [ItemResult], benchmarks: [Certificate.BenchmarkInput]) -> [BenchmarkSummary] {
    // One pass over the items, none copied (a filter per benchmark and verdict copied each
    // result, with its evidence, several times: 50 ms at the end of every scan of 22k items).
    var counts: [String: BenchmarkSummary] = [:]
    for input in benchmarks {
      counts[input.name] = BenchmarkSummary(
        benchmark: input.name, items: 0, contaminated: 0, partial: 0, clean: 0, tooShort: 0, nearDuplicates: 0, nearDifferentAnswer: 0)
    }
    for item in items {
      guard var summary = counts[item.benchmark] else { continue }
      summary.items += 1
      switch item.verdict {
      case .contaminated: summary.contaminated += 1
      case .perturbed: summary.perturbed += 1
      case .partial: summary.partial += 1
      case .clean: summary.clean += 1
      case .tooShort: summary.tooShort += 1
      }
      if let near = item.nearDuplicate {
        summary.nearDuplicates += 1
        if near.evidence.first?.answer?.agreement == .different { summary.nearDifferentAnswer += 1 }
      }
      counts[item.benchmark] = summary
    }
    return benchmarks.map { counts[$0.name]! }
  }

  public init(
    benchmark: String, items: Int, contaminated: Int, perturbed: Int = 0, partial: Int, clean: Int, tooShort: Int, nearDuplicates: Int,
    nearDifferentAnswer: Int
  ) {
    self.nearDuplicates = nearDuplicates
    self.nearDifferentAnswer = nearDifferentAnswer
    self.benchmark = benchmark
    self.items = items
    self.contaminated = contaminated
    self.perturbed = perturbed
    self.partial = partial
    self.clean = clean
    self.tooShort = tooShort
  }
}
