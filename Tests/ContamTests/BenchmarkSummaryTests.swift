@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Benchmark summary: counts per benchmark and verdict")
struct BenchmarkSummaryTests {
  /// 40 real items of five benchmarks scanned with whole copies, halves and copies with words
  /// changed among novel text: each benchmark's counts are the items' verdicts and near findings
  /// counted one by one, a benchmark given with no items counts nothing, and the counts follow
  /// the order the benchmarks were given.
  @Test func countsAreTheItemsVerdicts() throws {
    let items = try RunTogetherTests.items()
    try #require(items.count >= 30)
    var plants: [Int: String] = [:]
    for (i, item) in items.enumerated() {
      let words = ItemIndex.text(of: item).split(separator: " ").map(String.init)
      switch i % 4 {
      case 0: plants[2 * i + 1] = words.joined(separator: " ")
      case 1: plants[2 * i + 1] = words.prefix(words.count / 2).joined(separator: " ")
      case 2: plants[2 * i + 1] = words.enumerated().map { $0 % 5 == 2 ? "zebra" : $1 }.joined(separator: " ")
      default: break
      }
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "summary.jsonl.gz", plants: plants, documents: 2 * items.count + 1)
    let results = try CutWordTests.scan(items, path) { _ in }
    var names: [String] = []
    for item in items where !names.contains(item.benchmark) { names.append(item.benchmark) }
    let given = ["none"] + names.reversed()
    let summaries = BenchmarkSummary.summarize(results, benchmarks: given.map { Certificate.BenchmarkInput(name: $0, path: $0, items: 0) })
    #expect(summaries.map(\.benchmark) == given)
    for summary in summaries {
      let mine = results.filter { $0.benchmark == summary.benchmark }
      func count(_ verdict: Verdict) -> Int { mine.filter { $0.verdict == verdict }.count }
      let near = mine.compactMap(\.nearDuplicate)
      let expected = BenchmarkSummary(
        benchmark: summary.benchmark, items: mine.count, contaminated: count(.contaminated), perturbed: count(.perturbed),
        partial: count(.partial), clean: count(.clean), tooShort: count(.tooShort), nearDuplicates: near.count,
        nearDifferentAnswer: near.filter { $0.evidence.first?.answer?.agreement == .different }.count)
      #expect(summary == expected)
    }
    #expect(summaries[0].items == 0)
    // The scan gave the counts something to count.
    #expect(Set(results.map(\.verdict)).count >= 3 && summaries.map(\.nearDuplicates).reduce(0, +) > 0, "\(summaries)")
    #expect(summaries.map(\.items).reduce(0, +) == items.count)
  }
}
