@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Benchmark loading: presets on the real test sets")
struct BenchmarkLoaderTests {
  func load(_ preset: String, _ relative: String, shared: Bool = false) throws -> [BenchmarkItem] {
    try BenchmarkLoader.load(
      name: preset, path: shared ? TestData.sharedPath(relative) : TestData.path(relative),
      format: try #require(BenchmarkFormat.presets[preset]))
  }

  // Item counts of the committed slices (Tests/Fixtures/SOURCES.md).
  @Test(arguments: [
    ("gsm8k", "benchmarks/gsm8k/test.jsonl", 1319), ("math", "benchmarks/math/test.jsonl.gz", 1000),
    ("math-perturb", "benchmarks/math_perturb/math_perturb_simple.jsonl", 279),
    ("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz", 164), ("mmlu", "benchmarks/mmlu/test", 100 + 895 + 201),
    ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl", 300), ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv", 150),
    ("winogrande", "benchmarks/winogrande/dev.jsonl", 200), ("piqa", "benchmarks/piqa/dev.jsonl", 200),
    ("sciq", "benchmarks/sciq/test.json", 100), ("lambada", "benchmarks/lambada/lambada_test_plain_text.txt", 300),
  ])
  func everyPresetLoadsEveryItemOfTheFixtures(preset: String, path: String, count: Int) throws {
    let items = try load(preset, path)
    #expect(items.count == count)
    #expect(Set(items.map(\.id)).count == count, "ids are unique")
    #expect(items.allSatisfy { $0.benchmark == preset && !$0.parts.isEmpty })
  }

  // Item counts from ../shared/data/SOURCES.md.
  @Test(.extended, arguments: [
    ("gsm8k", "benchmarks/gsm8k/test.jsonl", 1319), ("math", "benchmarks/math/test.jsonl.gz", 5000),
    ("math-perturb", "benchmarks/math_perturb/math_perturb_simple.jsonl", 279),
    ("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz", 164), ("mmlu", "benchmarks/mmlu/test", 14042),
    ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl", 1172), ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv", 817),
    ("winogrande", "benchmarks/winogrande/dev.jsonl", 1267), ("piqa", "benchmarks/piqa/dev.jsonl", 1838),
    ("sciq", "benchmarks/sciq/test.json", 1000), ("lambada", "benchmarks/lambada/lambada_test_plain_text.txt", 5153),
  ])
  func everyPresetLoadsEveryItemOfTheFullData(preset: String, path: String, count: Int) throws {
    let items = try load(preset, path, shared: true)
    #expect(items.count == count)
    #expect(Set(items.map(\.id)).count == count, "ids are unique")
    #expect(items.allSatisfy { $0.benchmark == preset && !$0.parts.isEmpty })
  }

  @Test func idsAndPartsFollowTheFormats() throws {
    let gsm = try load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    #expect(gsm[0].id == "test/1")
    #expect(gsm[0].parts.map(\.name) == ["question", "answer"])
    #expect(gsm[0].parts[1].text.hasSuffix("#### 18"))
    let mmlu = try load("mmlu", "benchmarks/mmlu/test")
    #expect(mmlu[0].id == "abstract_algebra/1")
    #expect(mmlu[0].parts.map(\.name) == ["question", "choices"])
    #expect(mmlu[0].parts[1].text == "0\n4\n2\n6")
    let arc = try load("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl")
    #expect(arc[0].id == "Mercury_7175875")
    #expect(arc[0].parts[1].text.split(separator: "\n").count == 4, "all four choice texts, from an array of objects")
    let math = try load("math", "benchmarks/math/test.jsonl.gz")
    #expect(math[0].id == "test/algebra/1.json")
    let truthful = try load("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv")
    #expect(truthful[0].parts[0].text == "What happens to you if you eat watermelon seeds?")
  }

  @Test func unusableBenchmarksAreErrorsNamingTheFile() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let wrongFields = BenchmarkFormat(layout: .jsonl, parts: [("question", ["no_such_field"])])
    let gsm = TestData.path("benchmarks/gsm8k/test.jsonl")
    #expect(throws: ContamError.self) { try BenchmarkLoader.load(name: "x", path: gsm, format: wrongFields) }
    do {
      _ = try BenchmarkLoader.load(name: "x", path: gsm, format: wrongFields)
    } catch let error as ContamError {
      #expect(error.code == .invalidBenchmark)
      #expect(error.description.contains(gsm))
    }
    let duplicate = try fixture.write("dup.jsonl", Data("{\"id\": 1, \"q\": \"a b c\"}\n{\"id\": 1, \"q\": \"d e f\"}\n".utf8))
    let byID = BenchmarkFormat(layout: .jsonl, parts: [("question", ["q"])], idField: "id")
    #expect(throws: ContamError.self) { try BenchmarkLoader.load(name: "x", path: duplicate, format: byID) }
    let broken = try fixture.write("broken.jsonl", Data("{\"q\": \"fine\"}\n{not json\n".utf8))
    do {
      _ = try BenchmarkLoader.load(name: "x", path: broken, format: byID)
      Issue.record("a line that is not JSON must fail")
    } catch let error as ContamError {
      #expect(error.line == 2)
    }
    #expect(throws: ContamError.self) {
      try BenchmarkLoader.load(name: "x", path: fixture.url("missing.jsonl").path, format: byID)
    }
  }

  /// Records of two schemas in one file (a field renamed in some lines): their items would be
  /// judged without the renamed part, or not loaded at all, and the item count would not say so.
  /// The file is refused, naming the first such line; an empty field is fine.
  @Test func recordsOfTwoSchemasAreAnErrorNamingTheFirstLine() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n").prefix(10)
    let renamed = lines.enumerated().map { i, line in i == 3 || i == 7 ? line.replacingOccurrences(of: "\"question\":", with: "\"problem\":") : String(line) }
    let path = try fixture.write("mixed.jsonl", Data(renamed.joined(separator: "\n").utf8))
    do {
      _ = try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!)
      Issue.record("two schemas must fail")
    } catch let error as ContamError {
      #expect(error.code == .invalidBenchmark && error.line == 4, "\(error)")
      #expect(error.description.contains("2 of 10 records have none of the fields 'question'"), "\(error)")
    }
    let empty = lines.enumerated().map { i, line in
      i == 3 ? "{\"question\": \"\", \"answer\": \"#### 1\"}" : i == 5 ? "{\"question\": null, \"answer\": \"#### 2\"}" : String(line)
    }
    let fine = try fixture.write("empty.jsonl", Data(empty.joined(separator: "\n").utf8))
    #expect(try BenchmarkLoader.load(name: "gsm8k", path: fine, format: BenchmarkFormat.presets["gsm8k"]!).count == 10)
  }

  /// A part whose fields no record has (`--fields question=ctx,choices=ending` for records
  /// with `endings`): the items used to be judged on their other parts, so a copy of the missing
  /// part went unseen and nothing said why. Now the file is refused, naming the part, the field
  /// and the fields the records do have; the same for an id field no record has. A preset's id
  /// field stays optional (some releases leave it out): its items are numbered by line.
  @Test func aFieldNoRecordHasIsAnErrorNamingTheFieldsThereAre() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm = TestData.path("benchmarks/gsm8k/test.jsonl")
    func failure(_ format: BenchmarkFormat, _ path: String) -> ContamError? {
      do {
        _ = try BenchmarkLoader.load(name: "mine", path: path, format: format)
        return nil
      } catch {
        return error as? ContamError
      }
    }
    let misnamed = failure(BenchmarkFormat(layout: .jsonl, parts: [("question", ["question"]), ("answer", ["answers"])]), gsm)
    #expect(misnamed?.code == .invalidBenchmark && misnamed?.line == 1, "\(String(describing: misnamed))")
    #expect(misnamed?.description.contains("no record has any of the fields 'answers' (part 'answer')") == true, "\(String(describing: misnamed))")
    #expect(misnamed?.description.contains("the first record has 'answer', 'question'") == true, "\(String(describing: misnamed))")
    // Dotted fields: the message names the nested ones (ARC's question.stem).
    let arc = TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl")
    let nested = failure(BenchmarkFormat(layout: .jsonl, parts: [("question", ["question.stem"]), ("choices", ["question.choice.text"])]), arc)
    #expect(nested?.description.contains("'question.choice.text' (part 'choices')") == true, "\(String(describing: nested))")
    #expect(nested?.description.contains("'question.choices'") == true && nested?.description.contains("'question.stem'") == true)
    // A CSV column no row has names the header.
    let truthful = TestData.path("benchmarks/truthfulqa/TruthfulQA.csv")
    let column = failure(BenchmarkFormat(layout: .csv, parts: [("question", ["Question"]), ("answer", ["Best answer"])]), truthful)
    #expect(column?.description.contains("'Best answer' (part 'answer')") == true && column?.description.contains("'Best Answer'") == true)
    // The id field, named for these records.
    let id = failure(BenchmarkFormat(layout: .jsonl, parts: [("question", ["question"])], idField: "uid"), gsm)
    #expect(id?.code == .invalidBenchmark && id?.description.contains("no record has the id field 'uid'") == true, "\(String(describing: id))")
    // Every field right: loads.
    #expect(failure(BenchmarkFormat(layout: .jsonl, parts: [("question", ["question"]), ("answer", ["answer"])]), gsm) == nil)
    // A preset's id field left out by a release: numbered by line, as before.
    let math = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n").prefix(3)
      .map { line -> String in
        let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let rewritten: [String: Any] = ["problem": record["question"]!, "solution": record["answer"]!]
        return String(decoding: try JSONSerialization.data(withJSONObject: rewritten), as: UTF8.self)
      }
    let noIDs = try fixture.write("math.jsonl", Data(math.joined(separator: "\n").utf8))
    let items = try BenchmarkLoader.load(name: "math", path: noIDs, format: BenchmarkFormat.presets["math"]!)
    #expect(items.map(\.id) == ["math/1", "math/2", "math/3"])
  }

  /// A mapping that ends on objects (`choices=question.choices` for ARC's or OpenBookQA's
  /// records, where the text is in `question.choices.text`) used to read as no text: the part
  /// dropped out of every item, or the item out of the benchmark, and a verbatim copy of the
  /// question with its options read `too_short` or was never looked for. Now it is an error
  /// naming the fields inside; `[]` paths (`question.choices[].text`, as `--text-field` writes
  /// them) read as the dotted path; a mapped part empty in every record is an error too.
  @Test func aFieldThatHoldsObjectsOrNoTextIsAnErrorNamingWhatIsInside() throws {
    let arc = TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl")
    func failure(_ parts: [(name: String, fields: [String])], _ path: String, id: String? = nil) -> ContamError? {
      do {
        _ = try BenchmarkLoader.load(name: "mine", path: path, format: BenchmarkFormat(layout: .jsonl, parts: parts, idField: id))
        return nil
      } catch {
        return error as? ContamError
      }
    }
    let objects = failure([("question", ["question.stem"]), ("choices", ["question.choices"])], arc)
    #expect(objects?.code == .invalidBenchmark && objects?.line == 1, "\(String(describing: objects))")
    #expect(objects?.description.contains("field 'question.choices' holds objects") == true, "\(String(describing: objects))")
    #expect(objects?.description.contains("'question.choices.text'") == true && objects?.description.contains("'question.choices.label'") == true)
    let object = failure([("question", ["question"])], arc)
    #expect(object?.description.contains("field 'question' holds objects") == true && object?.description.contains("'question.stem'") == true)
    let idObject = failure([("question", ["question.stem"])], arc, id: "question")
    #expect(idObject?.code == .invalidBenchmark, "an id field on an object is no id")
    // `[]` in a path reads as the dotted path: the same items, options and all.
    let dotted = try BenchmarkLoader.load(
      name: "mine", path: arc, format: BenchmarkFormat(layout: .jsonl, parts: [("question", ["question.stem"]), ("choices", ["question.choices.text"])]))
    let bracketed = try BenchmarkLoader.load(
      name: "mine", path: arc, format: BenchmarkFormat(layout: .jsonl, parts: [("question", ["question.stem"]), ("choices", ["question.choices[].text"])]))
    #expect(dotted.count == 300 && dotted.allSatisfy { $0.parts.count == 2 })
    #expect(dotted.map(\.parts.last?.text) == bracketed.map(\.parts.last?.text))
    // A mapped part empty or null in every record.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n").prefix(6)
    let blanked = try lines.enumerated().map { i, line -> String in
      var record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      record["answer"] = i % 2 == 0 ? "" : NSNull()
      return String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
    }
    let path = try fixture.write("blank.jsonl", Data(blanked.joined(separator: "\n").utf8))
    let empty = failure([("question", ["question"]), ("answer", ["answer"])], path)
    #expect(empty?.code == .invalidBenchmark && empty?.line == 1, "\(String(describing: empty))")
    #expect(empty?.description.contains("'answer' (part 'answer') hold no text in any of the 6 records") == true, "\(String(describing: empty))")
    // The preset reads such a file: its answer is an optional part.
    #expect(try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!).count == 6)
  }

  /// A Parquet file that holds no benchmark of the preset (a corpus shard named as GSM8K) is an
  /// error naming the fields the file has, as a JSONL file of other fields is (Parquet files of
  /// benchmarks are read: BenchmarkReleaseTests).
  @Test func aParquetFileOfOtherFieldsIsAnErrorNamingTheFieldsItHas() throws {
    let parquet = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet/snappy-plain-v2.parquet").path
    do {
      _ = try BenchmarkLoader.load(name: "gsm8k", path: parquet, format: BenchmarkFormat.presets["gsm8k"]!)
      Issue.record("a Parquet file without the preset's fields must fail")
    } catch let error as ContamError {
      #expect(error.code == .invalidBenchmark && error.path == parquet, "\(error)")
      #expect(error.description.contains("no record has any of the fields 'question'") && error.description.contains("'meta.content'"), "\(error)")
    }
  }

  /// A plain-lines preset (LAMBADA) given a JSONL file would make items of its JSON syntax, which
  /// a copy of the records' text does not match: a wrong preset must be an error, not a scan
  /// that finds nothing.
  @Test func aJSONLFileUnderAPlainLinesPresetIsAnError() throws {
    let gsm = TestData.path("benchmarks/gsm8k/test.jsonl")
    do {
      _ = try load("lambada", "benchmarks/gsm8k/test.jsonl")
      Issue.record("a JSONL file read as plain lines must fail")
    } catch let error as ContamError {
      #expect(error.code == .invalidBenchmark && error.line == 1 && error.description.contains(gsm), "\(error)")
      #expect(error.description.contains("every line is a JSON object"), "\(error)")
    }
    // Plain text with a JSON-looking line or two among others still loads.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let mixed = try fixture.write("mixed.txt", Data("{\"a\": 1}\nan ordinary line of text\n".utf8))
    #expect(try BenchmarkLoader.load(name: "lambada", path: mixed, format: BenchmarkFormat.presets["lambada"]!).count == 2)
  }

  @Test func csvQuotingFollowsRFC4180() throws {
    let rows = try CSVParser.parse("a,\"b, with comma\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,end\n\n")
    #expect(rows == [["a", "b, with comma", "say \"hi\""], ["multi\nline", "", "end"]])
  }

  @Test func anUnterminatedQuoteIsAnErrorNotTwoItemsMerged() throws {
    // A real MMLU file cut inside a quoted field (a truncated download): the open quote would
    // swallow the rest into one field.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let original = try String(contentsOfFile: TestData.path("benchmarks/mmlu/test/sociology_test.csv"), encoding: .utf8)
    let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let target = try #require(lines.firstIndex { $0.hasPrefix("\"") })
    let line = Array(lines[target])
    let closing = try #require(line.indices.dropFirst().first { line[$0] == "\"" })
    let cut = String(line[..<closing])
    #expect(cut.filter { $0 == "\"" }.count == 1, "the cut keeps only the opening quote")
    let broken = try fixture.write("sociology_test.csv", Data((lines[..<target].joined(separator: "\n") + "\n" + cut).utf8))
    do {
      _ = try BenchmarkLoader.load(name: "mmlu", path: broken, format: BenchmarkFormat.presets["mmlu"]!)
      Issue.record("an unterminated quote was accepted")
    } catch let error as ContamError {
      #expect(error.code == .invalidBenchmark && error.line == target + 1 && error.message.contains("never closed"), "\(error)")
    }
  }

  /// The same real GSM8K items as TSV (quoted where a field holds a tab, a quote or a line
  /// break, as Python's `excel-tab` writes it; gzip-compressed too) and as JSON wrapped in an
  /// object beside other values (`{"version": …, "data": [...]}`) load as the JSONL does; an
  /// object holding several lists of records (splits) is an error naming them.
  @Test func tsvAndWrappedJSONLoadAsTheJSONLDoes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = TestData.path("benchmarks/gsm8k/test.jsonl")
    let format = { (layout: BenchmarkFormat.Layout) in BenchmarkFormat(layout: layout, parts: [("question", ["question"]), ("answer", ["answer"])]) }
    let expected = Array(try BenchmarkLoader.load(name: "g", path: path, format: format(.jsonl)).prefix(30))
    let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(30).map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    func cell(_ value: Any?) -> String {
      let text = value as? String ?? ""
      let needs = text.contains { $0 == "\t" || $0 == "\"" || $0 == "\n" }
      return needs ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    // A tab inside one question: the field is quoted.
    var rows = records
    rows[3]["question"] = (rows[3]["question"] as! String).replacingOccurrences(of: " ", with: "\t", options: [], range: nil)
    let tsv = "question\tanswer\n" + rows.map { cell($0["question"]) + "\t" + cell($0["answer"]) }.joined(separator: "\n") + "\n"
    let plain = try fixture.write("items.tsv", Data(tsv.utf8))
    let packed = try fixture.compress("items.tsv.gz", Data(tsv.utf8), tool: "gzip", ["-c"])
    for file in [plain, packed] {
      let items = try BenchmarkLoader.load(name: "g", path: file, format: format(.tsv))
      #expect(items.count == 30 && items[3].parts[0].text.contains("\t"))
      #expect(items.enumerated().filter { $0.offset != 3 }.allSatisfy { $0.element.parts.map(\.text) == expected[$0.offset].parts.map(\.text) })
    }
    let wrapped = try JSONSerialization.data(withJSONObject: ["version": "1.0", "count": 30, "data": records])
    let items = try BenchmarkLoader.load(name: "g", path: try fixture.write("wrapped.json", wrapped), format: format(.json))
    #expect(items.map { $0.parts.map(\.text) } == expected.map { $0.parts.map(\.text) })
    let splits = try JSONSerialization.data(withJSONObject: ["train": Array(records.prefix(5)), "test": records])
    #expect {
      try BenchmarkLoader.load(name: "g", path: try fixture.write("splits.json", splits), format: format(.json))
    } throws: { ($0 as? ContamError)?.message.contains("lists of records under 'test', 'train'") == true }
  }
}
