import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("contam stats, run as a user would")
struct StatsCommandTests {
  let contam = TestData.contamExecutable

  @Test func statsOnTheBundledSamplesPrintsATableAndJSON() throws {
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples/shards").path
    let table = try Tool.execute(contam, ["stats", "--jobs", "1", samples])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("web.jsonl.gz"))
    #expect(table.stdout.contains("total"))
    let json = try Tool.execute(contam, ["stats", "--json", "--jobs", "2", samples])
    #expect(json.status == 0)
    let stats = try JSONDecoder().decode(CorpusStatistics.self, from: Data(json.stdout.utf8))
    #expect(stats.shards.count == 3)
    #expect(stats.shards.map(\.codec) == [.zstd, .gzip, .gzip])
    #expect(stats.total.documents == stats.shards.reduce(0) { $0 + $1.documents })
    #expect(stats.total.problems.isEmpty)
    // Same figures as the library computes directly.
    let direct = try CorpusStatistics.compute(
      paths: try ShardList.resolve([samples]).paths,
      options: ShardReaderOptions(format: .auto(textField: try FieldPath("text"), idField: nil)), jobs: 1)
    #expect(direct.total.tokens == stats.total.tokens)
  }

  @Test func badInputIsNamedOnStderrAndStrictFails() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try fixture.write("bad.jsonl", Data("{\"text\": \"fine\"}\n{\"text\": 3}\n".utf8))
    let lenient = try Tool.execute(contam, ["stats", path])
    #expect(lenient.status == 0)
    #expect(lenient.stderr.contains("bad.jsonl:2: field_not_string"))
    #expect(lenient.stdout.contains("field_not_string: 1"))
    let strict = try Tool.execute(contam, ["stats", "--strict", path])
    #expect(strict.status == 3)
    let none = try Tool.execute(contam, ["stats", fixture.url("no-such-*.gz").path])
    #expect(none.status == 4)
    #expect(none.stderr.contains("no-such-*.gz: invalid_argument: the pattern matches no file"))
  }

  @Test func millionsOfBlankLinesAreCountedButNotEachReported() throws {
    // A hostile shard: blank lines around two real documents, in JSONL and as plain text.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let blank = Data(repeating: 0x0A, count: 2_000_000)
    let body = blank + Data("{\"text\": \"one real document\"}\n".utf8) + blank + Data("\r\n\n{\"text\": \"and another\"}\n".utf8)
    let jsonl = try fixture.compress("blank.jsonl.gz", body, tool: "gzip", ["-c"])
    let run = try Tool.execute(contam, ["stats", "--json", jsonl])
    #expect(run.status == 0)
    let figures = try JSONDecoder().decode(CorpusStatistics.self, from: Data(run.stdout.utf8))
    #expect(figures.total.documents == 2)
    #expect(figures.total.problems == ["empty_line": 4_000_002], "every blank line counted: \(figures.total.problems)")
    #expect(figures.total.lines == 4_000_004)
    #expect(run.stderr.components(separatedBy: "empty_line: blank line").count - 1 == 5, "--max-messages 5 printed")
    let text = try fixture.compress("blank.txt.gz", blank + Data("a line of prose\n".utf8) + blank, tool: "gzip", ["-c"])
    let plain = try Tool.execute(contam, ["stats", "--json", "--format", "lines", text])
    let plainFigures = try JSONDecoder().decode(CorpusStatistics.self, from: Data(plain.stdout.utf8))
    #expect(plainFigures.total.documents == 1 && plainFigures.total.problems.isEmpty && plainFigures.total.lines == 4_000_001)
  }

  @Test func helpExplainsEveryOptionWithAnExample() throws {
    let help = try Tool.execute(contam, ["stats", "--help"])
    #expect(help.status == 0)
    for option in ["--text-field", "--id-field", "--format", "--max-line-bytes", "--jobs", "--strict", "--json", "Examples:"] {
      #expect(help.stdout.contains(option), "help lacks \(option)")
    }
    let bad = try Tool.execute(contam, ["stats", "--jobs", "0", "x"])
    #expect(bad.status != 0 && bad.status != 1)
  }
}
