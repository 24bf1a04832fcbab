import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Clean-subset evaluation (ImpactAnalysis) on a real scan: 300 GSM8K test items, half of them
/// planted verbatim in real prose, and model scores simulated with a known effect.
@Suite("Impact: does contamination move the score")
struct ImpactAnalysisTests {
  /// The certificate of a real scan: GSM8K items 0, 2, 4, … planted in Pride and Prejudice.
  static let certificate: Certificate = {
    let items = Array(try! ScannerTests.gsm8k(300))
    let fixture = try! ShardFixture()
    defer { fixture.cleanup() }
    var plants: [Int: String] = [:]
    for k in stride(from: 0, to: 120, by: 2) { plants[k + 1] = ItemIndex.text(of: items[k]) }
    let path = try! ScannerTests.shard(fixture, "a.jsonl.gz", plants: plants, documents: 130)
    let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))
    let scanner = try! Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options)
    return try! scanner.run(benchmarks: [.init(name: "gsm8k", path: "test.jsonl", items: items.count)], paths: [path], jobs: 2)
  }()

  /// Scores drawn as Bernoulli(base), plus `effect` for flagged items.
  func simulated(base: Double, effect: Double, seed: UInt64) -> ResultsFile {
    var rng = _SplitMix64(seed: seed)
    let results = Self.certificate.items.enumerated().map { k, item in
      let p = item.verdict == .clean ? base : base + effect
      return ModelResult(
        model: "m", task: "gsm8k", key: .id(item.id), score: Double.random(in: 0..<1, using: &rng) < p ? 1 : 0, file: "sim", line: k + 1)
    }
    return ResultsFile(path: "sim", sha256: "", format: .jsonl, metric: "score", results: results)
  }

  func analyse(_ files: [ResultsFile], seed: UInt64 = 1, resamples: Int = 1_000) throws -> ImpactReport {
    var options = ImpactAnalysis.Options()
    options.seed = seed
    options.resamples = resamples
    return try ImpactAnalysis.run(certificate: Self.certificate, certificatePath: "c.json", certificateSHA256: "", files: files, options: options)
  }

  @Test func theScanFlagsThePlantedItems() {
    let flagged = Self.certificate.items.filter { $0.verdict != .clean && $0.verdict != .tooShort }.count
    #expect((55...70).contains(flagged), "\(flagged) flagged")
  }

  @Test func figuresEqualADirectComputation() throws {
    let file = simulated(base: 0.4, effect: 0.3, seed: 7)
    let report = try analyse([file])
    let b = try #require(report.benchmarks.first)
    let verdicts = Self.certificate.items.map(\.verdict)
    func direct(_ keep: (Verdict) -> Bool) -> Double {
      let picked = file.results.indices.filter { keep(verdicts[$0]) }.map { file.results[$0].score }
      return picked.reduce(0, +) / Double(picked.count)
    }
    let clean = direct { $0 == .clean }
    let flagged = direct { [.contaminated, .partial, .perturbed].contains($0) }
    #expect(b.subsets.first { $0.name == "clean" }?.score == clean)
    #expect(b.subsets.first { $0.name == "all" }?.score == direct { _ in true })
    let comparison = try #require(b.comparisons.first { $0.subset == "flagged" })
    #expect(abs(comparison.difference - (flagged - clean)) < 1e-12)
    #expect(comparison.low < comparison.difference && comparison.difference < comparison.high)
    #expect(b.inflation.map { abs($0 - (direct { _ in true } - clean)) < 1e-12 } == true)
    #expect(report.results[0].mapped == 300 && report.results[0].unmapped == 0)
  }

  @Test func intervalAndPValueAreStableForASeed() throws {
    let file = simulated(base: 0.5, effect: 0.2, seed: 3)
    let a = try analyse([file], seed: 11)
    let b = try analyse([file], seed: 11)
    let c = try analyse([file], seed: 12)
    #expect(a == b)
    #expect(a.benchmarks[0].comparisons != c.benchmarks[0].comparisons, "another seed resamples differently")
  }

  @Test func theIntervalCoversTheTrueDifferenceAndThePValueDetectsIt() throws {
    // 60 simulated models with a known effect of +0.25: the 95% interval must cover the
    // true difference about 95% of the time, and the test must find the effect.
    let effect = 0.25
    var covered = 0
    var significant = 0
    let runs = 60
    for run in 0..<runs {
      let comparison = try #require(
        try analyse([simulated(base: 0.45, effect: effect, seed: UInt64(run) + 100)], seed: UInt64(run), resamples: 400)
          .benchmarks[0].comparisons.first { $0.subset == "flagged" })
      if comparison.low <= effect && effect <= comparison.high { covered += 1 }
      if comparison.pValue < 0.05 { significant += 1 }
    }
    #expect(covered >= 52, "the interval covered the true difference in \(covered) of \(runs) runs")
    #expect(significant >= 54, "p < 0.05 in \(significant) of \(runs) runs")
    // No effect: p < 0.05 about 5% of the time, not more.
    var falseAlarms = 0
    for run in 0..<runs {
      let p = try analyse([simulated(base: 0.5, effect: 0, seed: UInt64(run) + 900)], seed: UInt64(run), resamples: 400)
        .benchmarks[0].comparisons.first { $0.subset == "flagged" }?.pValue ?? 1
      if p < 0.05 { falseAlarms += 1 }
    }
    #expect(falseAlarms <= 9, "\(falseAlarms) of \(runs) null runs had p < 0.05")
  }

  @Test func unmappedAndDuplicateResultsAreCountedAndNamed() throws {
    var file = simulated(base: 0.5, effect: 0, seed: 1)
    file.results.append(ModelResult(model: "m", task: "gsm8k", key: .id("test/99999"), score: 1, file: "sim", line: 301))
    file.results.append(ModelResult(model: "m", task: "gsm8k", key: file.results[0].key, score: 0, file: "sim", line: 302))
    file.results.append(ModelResult(model: "m", task: "mmlu", key: .id("test/1"), score: 1, file: "sim", line: 303))
    let report = try analyse([file])
    #expect(report.results[0].mapped == 300 && report.results[0].unmapped == 2 && report.results[0].duplicates == 1)
    #expect(report.problems.contains { $0.line == 301 && $0.message.contains("no item 'test/99999'") })
    #expect(report.problems.contains { $0.line == 302 && $0.message.contains("second result") })
    #expect(report.problems.contains { $0.line == 303 && $0.message.contains("no benchmark 'mmlu'") })
  }

  @Test func resultsForAnotherCertificateAreAnError() throws {
    let results = (0..<50).map { ModelResult(model: "m", task: "gsm8k", key: .id("other/\($0)"), score: 1, file: "x.jsonl", line: $0 + 1) }
    #expect(throws: ContamError.self) {
      try analyse([ResultsFile(path: "x.jsonl", sha256: "", format: .jsonl, metric: "score", results: results)])
    }
  }
}
