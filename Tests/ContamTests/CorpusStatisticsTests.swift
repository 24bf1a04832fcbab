import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Corpus statistics")
struct CorpusStatisticsTests {
  @Test func figuresAreTheSameForEveryJobCount() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var paths: [String] = []
    for (i, novel) in ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz", "155-0.txt.gz"].enumerated() {
      let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 150, novel: novel)
      let tool = i % 2 == 0 ? "gzip" : "zstd"
      paths.append(try fixture.compress("shard-\(i)", jsonl, tool: tool, ["-c", "-q"]))
    }
    paths.append(try fixture.write("broken.jsonl", Data("{\"text\": \"one two\"}\nnot json\n".utf8)))
    let options = ShardReaderOptions()
    let one = try CorpusStatistics.compute(paths: paths, options: options, jobs: 1)
    let two = try CorpusStatistics.compute(paths: paths.reversed(), options: options, jobs: 2)
    func strip(_ s: CorpusStatistics.ShardFigures) -> CorpusStatistics.ShardFigures {
      var copy = s
      copy.seconds = 0
      return copy
    }
    #expect(one.shards.map(strip) == two.shards.reversed().map(strip))
    #expect(strip(one.total) == strip(two.total))
    #expect(one.total.documents == 5 * 150 + 1)
    #expect(one.total.problems == ["not_json": 1])
    // Token counts agree with tokenizing each document on its own.
    let tokenizer = Tokenizer()
    var expected = 0
    for path in paths {
      expected += try readAll(path).documents.reduce(0) { $0 + tokenizer.tokens(of: $1.text).count }
    }
    #expect(one.total.tokens == expected)
  }
}
