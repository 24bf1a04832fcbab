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
    benchmarks.map { input in
      let mine = items.filter { $0.benchmark == input.name }
      func count(_ v: Verdict) -> Int { mine.filter { $0.verdict == v }.count }
      let near = mine.compactMap(\.nearDuplicate)
      return BenchmarkSummary(
        benchmark: input.name, items: mine.count, contaminated: count(.contaminated), perturbed: count(.perturbed),
        partial: count(.partial),
        clean: count(.clean), tooShort: count(.tooShort), nearDuplicates: near.count,
        nearDifferentAnswer: near.filter { $0.evidence.first?.answer?.agreement == .different }.count)
    }
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
