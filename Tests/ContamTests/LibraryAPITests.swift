import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The README's and the DocC overview's example, run on real files: what another package sees.
@Suite("The library API as another package uses it")
struct LibraryAPITests {
  @Test func theReadmeExampleFindsThePlantedItems() throws {
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    let path = samples + "/benchmarks/gsm8k-sample.jsonl"
    // --- as in README.md ---
    let items = try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!)
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
    let result = try scanner.run(
      benchmarks: [.init(name: "gsm8k", path: path, items: items.count)],
      paths: try ShardList.resolve([samples + "/shards"]).paths, jobs: 2)
    let certificate = try result.sealed()
    // ---
    let flagged = certificate.items.filter { $0.verdict != .clean }.map(\.id)
    #expect(flagged == ["gsm8k-sample/1", "gsm8k-sample/2", "gsm8k-sample/3", "gsm8k-sample/6"])
    #expect(try certificate.checkIntegrity().digestMatches)
    let reread = try Certificate(decoding: try certificate.encoded())
    #expect(reread == certificate, "a certificate survives its file form")
  }
}
