@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// `--fields auto`: a mapping read from a benchmark's own records. Judged against the presets,
/// whose mappings were written by hand for the same real files: read from the records alone,
/// the mapping must give every item the preset gives, part for part, with its answer.
@Suite("Inferred formats: a benchmark's fields read from its records")
struct InferredFormatTests {
  static func hf(_ relative: String) -> String {
    TestData.packageRoot.appendingPathComponent("Tests/Fixtures/benchmarks-hf").appendingPathComponent(relative).path
  }

  /// What an item holds apart from its id (a preset without an id field numbers items by line;
  /// the inferred mapping may find one).
  struct Content: Equatable {
    var parts: [String]
    var answer: String?
    var choice: String?
    init(_ item: BenchmarkItem) {
      parts = item.parts.map(\.text)
      answer = item.answer?.value
      choice = item.answer?.choice
    }
  }

  // The preset, and a file (or directory) of its benchmark: the originals and Hugging Face's layouts.
  @Test(arguments: [
    ("gsm8k", TestData.path("benchmarks/gsm8k/test.jsonl")), ("math", TestData.path("benchmarks/math/test.jsonl.gz")),
    ("math-perturb", TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl")),
    ("humaneval", TestData.path("benchmarks/humaneval/HumanEval.jsonl.gz")), ("mmlu", TestData.path("benchmarks/mmlu/test")),
    ("mmlu", TestData.path("benchmarks/mmlu-blanks")), ("arc", TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl")),
    ("truthfulqa", TestData.path("benchmarks/truthfulqa/TruthfulQA.csv")), ("winogrande", TestData.path("benchmarks/winogrande/dev.jsonl")),
    ("piqa", TestData.path("benchmarks/piqa/dev.jsonl")), ("sciq", TestData.path("benchmarks/sciq/test.json")),
    ("lambada", TestData.path("benchmarks/lambada/lambada_test_plain_text.txt")),
    ("mmlu", hf("mmlu/abstract_algebra/test-00000-of-00001.parquet")), ("arc", hf("arc/test-00000-of-00001.parquet")),
    ("truthfulqa", hf("truthfulqa/validation-00000-of-00001.parquet")), ("truthfulqa", hf("truthfulqa-mc/validation-00000-of-00001.parquet")),
    ("lambada", hf("lambada/lambada_test.jsonl")), ("sciq", hf("sciq/test.jsonl")), ("gsm8k", hf("gsm8k/test-00000-of-00001.parquet")),
  ])
  func theRecordsGiveThePresetsItems(preset: String, path: String) throws {
    let expected = try BenchmarkLoader.loadWithFiles(name: "x", path: path, format: try #require(BenchmarkFormat.presets[preset]))
    let inferred = try InferredFormat.infer(name: "x", path: path)
    let loaded = try BenchmarkLoader.loadWithFiles(name: "x", path: path, format: inferred.format)
    #expect(loaded.format == inferred.format)
    #expect(loaded.items.count == expected.items.count, "\(inferred.summary)")
    #expect(loaded.items.map(Content.init) == expected.items.map(Content.init), "\(inferred.summary)")
    // Context parts keep their role (a passage alone is not the test).
    #expect(loaded.items.map { $0.parts.map { BenchmarkItem.contextPartNames.contains($0.name) } }
      == expected.items.map { $0.parts.map { BenchmarkItem.contextPartNames.contains($0.name) } })
    // When the preset names items by a field, so does the inferred mapping.
    if let id = expected.format.idField { #expect(inferred.format.idField == id) }
  }

  /// The same on the whole shared benchmarks (every item of all 14,042 MMLU questions, the
  /// 5,000 MATH problems, both ARC sets, ...), and on MATH-Perturb's hard set and GSM8K's and
  /// MATH's training splits, whose records are laid out as the test sets'.
  @Test(.extended, arguments: [
    ("gsm8k", "benchmarks/gsm8k/test.jsonl"), ("gsm8k", "benchmarks/gsm8k/train.jsonl.gz"), ("math", "benchmarks/math/test.jsonl.gz"),
    ("math", "benchmarks/math/train.jsonl.gz"), ("math-perturb", "benchmarks/math_perturb/math_perturb_simple.jsonl"),
    ("math-perturb", "benchmarks/math_perturb/math_perturb_hard.jsonl"), ("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz"),
    ("mmlu", "benchmarks/mmlu/test"), ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl"), ("arc", "benchmarks/arc/ARC-Easy-Test.jsonl"),
    ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv"), ("winogrande", "benchmarks/winogrande/dev.jsonl"), ("piqa", "benchmarks/piqa/dev.jsonl"),
    ("sciq", "benchmarks/sciq/test.json"), ("lambada", "benchmarks/lambada/lambada_test_plain_text.txt"),
  ])
  func theWholeBenchmarksGiveThePresetsItems(preset: String, relative: String) throws {
    try theRecordsGiveThePresetsItems(preset: preset, path: TestData.sharedPath(relative))
  }

  /// HellaSwag's layout (its fields, their kinds and how they relate), filled with real PIQA
  /// items: `ctx` is `ctx_a` and `ctx_b` joined, `endings` the options, `label` the correct
  /// one counted from 0, `activity_label` one of a few categories, `ind` the id.
  @Test func hellaSwagsLayoutIsReadAsItsQuestionOptionsAndAnswer() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: TestData.path("benchmarks/piqa/dev.jsonl"), encoding: .utf8).split(separator: "\n").prefix(60)
    let labels = try String(contentsOfFile: TestData.path("benchmarks/piqa/dev-labels.lst"), encoding: .utf8).split(separator: "\n")
    let piqa = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    var records: [String] = []
    for (i, item) in piqa.enumerated() {
      let goal = try #require(item["goal"] as? String)
      let words = goal.split(separator: " ")
      let a = words.prefix((words.count + 1) / 2).joined(separator: " ")
      let b = words.dropFirst((words.count + 1) / 2).joined(separator: " ")
      let endings = [try #require(item["sol1"] as? String), try #require(item["sol2"] as? String)]
      let record: [String: Any] = [
        "ind": 1000 + i, "activity_label": ["Cooking", "Home and Garden", "Sports and Fitness"][i % 3], "ctx_a": a, "ctx_b": b,
        "ctx": [a, b].filter { !$0.isEmpty }.joined(separator: " "), "endings": endings, "source_id": "piqa~\(item["id"]!)", "split": "val", "split_type": "indomain",
        "label": Int(labels[i])!,
      ]
      records.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
    }
    let path = try fixture.write("hellaswag.jsonl", Data(records.joined(separator: "\n").utf8))
    let inferred = try InferredFormat.infer(name: "hellaswag", path: path)
    #expect(inferred.format.parts.map(\.name) == ["question", "choices"], "\(inferred.summary)")
    #expect(inferred.format.parts.map(\.fields) == [["ctx"], ["endings"]])
    #expect(inferred.format.idField == "ind")
    #expect(inferred.format.answer == .indexedChoice(key: "label", choices: ["endings"]))
    #expect(Set(inferred.leftOut.map(\.field)) == ["activity_label", "ctx_a", "ctx_b", "source_id", "split", "split_type"], "\(inferred.summary)")
    #expect(inferred.leftOut.first { $0.field == "ctx_a" }?.reason == "its text is inside 'ctx'")
    let items = try BenchmarkLoader.load(name: "hellaswag", path: path, format: inferred.format)
    #expect(items.count == 60)
    for (i, item) in items.enumerated() {
      let goal = piqa[i]["goal"] as! String
      #expect(item.id == "\(1000 + i)")
      #expect(item.parts.first?.text == goal.split(separator: " ").joined(separator: " "))
      #expect(item.answer?.value == piqa[i][labels[i] == "0" ? "sol1" : "sol2"] as? String)
      #expect(item.answer?.choice == (labels[i] == "0" ? "A" : "B"))
    }
  }

  /// A field some records lack is never a part (it is named with how many lack it), and
  /// records with no text at all are an error naming why each field was left out.
  @Test func fieldsNotInEveryRecordAndRecordsWithoutTextAreSaid() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let questions = try BenchmarkLoader.load(
      name: "g", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!
    ).prefix(30).map { $0.parts[0].text }
    let records = questions.enumerated().map { i, question -> String in
      // Keys no dotted field path can spell (a dot, an empty name) are left out, never a part.
      var record: [String: Any] = ["uid": "q\(i)", "problem": question, "a.b": ["x y z", "u v w"], "": "left alone here"]
      if i % 2 == 0 { record["hint"] = "Think about what is left after each step of the story." }
      return String(decoding: try! JSONSerialization.data(withJSONObject: record), as: UTF8.self)
    }
    let path = try fixture.write("items.jsonl", Data(records.joined(separator: "\n").utf8))
    let inferred = try InferredFormat.infer(name: "g", path: path)
    #expect(inferred.format.parts.map(\.fields) == [["problem"]])
    #expect(inferred.format.idField == "uid")
    #expect(inferred.leftOut.map(\.field) == ["", "a.b", "hint"] && inferred.leftOut[2].reason == "missing from 15 of 30 records", "\(inferred.summary)")
    #expect(inferred.leftOut[0].reason == "a name a field path cannot spell (empty, or holding a dot)")
    #expect(try BenchmarkLoader.load(name: "g", path: path, format: inferred.format).map { $0.parts[0].text } == questions)

    let bare = try fixture.write("numbers.jsonl", Data((0..<30).map { "{\"id\": \($0), \"score\": \($0 % 4), \"flag\": true}" }.joined(separator: "\n").utf8))
    #expect {
      try InferredFormat.infer(name: "n", path: bare)
    } throws: { error in
      let error = error as? ContamError
      return error?.code == .invalidBenchmark && error?.message.contains("no field of its records holds item text") == true
        && error?.message.contains("'score' (one word a record") == true && error?.message.contains("'flag' (a category") == true
    }
  }
}
