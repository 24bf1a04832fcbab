@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The presets on their benchmarks as the Hugging Face Hub serves them (Parquet, or JSONL in
/// other fields): `Tests/Fixtures/benchmarks-hf`, the committed fixtures' items rewritten in those
/// layouts by `scripts/make-hf-benchmark-fixtures.py`.
@Suite("Benchmark releases: a preset reads its benchmark as Hugging Face lays it out")
struct BenchmarkReleaseTests {
  static func hf(_ relative: String) -> String {
    TestData.packageRoot.appendingPathComponent("Tests/Fixtures/benchmarks-hf").appendingPathComponent(relative).path
  }

  /// What an item holds apart from its id (which names its file and line, and so differs).
  struct Content: Equatable {
    var parts: [String: String]
    var answer: String?
    var choice: String?
    init(_ item: BenchmarkItem) {
      parts = Dictionary(uniqueKeysWithValues: item.parts.map { ($0.name, $0.text) })
      answer = item.answer?.value
      choice = item.answer?.choice
    }
  }

  // preset, the original (fixture), the release, how many of the original's items the release holds
  // (from its first), and whether the release needs one of the preset's `releases`.
  @Test(arguments: [
    ("mmlu", "benchmarks/mmlu/test/abstract_algebra_test.csv", "mmlu/abstract_algebra/test-00000-of-00001.parquet", 100, true),
    ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl", "arc/test-00000-of-00001.parquet", 100, true),
    ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv", "truthfulqa/validation-00000-of-00001.parquet", 60, true),
    ("lambada", "benchmarks/lambada/lambada_test_plain_text.txt", "lambada/lambada_test.jsonl", 100, true),
    ("sciq", "benchmarks/sciq/test.json", "sciq/test.jsonl", 50, false),
    ("gsm8k", "benchmarks/gsm8k/test.jsonl", "gsm8k/test-00000-of-00001.parquet", 200, false),
  ])
  func aReleaseLoadsAsTheOriginalDoes(preset: String, original: String, release: String, count: Int, needsRelease: Bool) throws {
    let format = try #require(BenchmarkFormat.presets[preset])
    let expected = try BenchmarkLoader.loadWithFiles(name: preset, path: TestData.path(original), format: format)
    #expect(expected.format == format)
    let loaded = try BenchmarkLoader.loadWithFiles(name: preset, path: Self.hf(release), format: format)
    #expect(loaded.items.count == count)
    #expect(loaded.items.map(Content.init) == expected.items.prefix(count).map(Content.init))
    // The format that read it is the one a certificate records: a release's, or the preset's.
    #expect((loaded.format != format) == needsRelease)
    #expect(loaded.format.isPreset)
    if needsRelease { #expect(BenchmarkFormat.releases[preset]?.contains(loaded.format) == true) }
    #expect(Set(loaded.items.map(\.id)).count == count)
    // Read again with the format recorded (as verify does): the same items.
    #expect(try BenchmarkLoader.load(name: preset, path: Self.hf(release), format: loaded.format) == loaded.items)
  }

  /// TruthfulQA's multiple_choice config (the question and its options, the best answer among
  /// them) reads with the preset's second release: each question the original's, its options
  /// holding the original's best answer.
  @Test func truthfulQAsMultipleChoiceConfigReadsWithItsOptions() throws {
    let format = try #require(BenchmarkFormat.presets["truthfulqa"])
    let original = try BenchmarkLoader.load(name: "truthfulqa", path: TestData.path("benchmarks/truthfulqa/TruthfulQA.csv"), format: format)
    let loaded = try BenchmarkLoader.loadWithFiles(name: "truthfulqa", path: Self.hf("truthfulqa-mc/validation-00000-of-00001.parquet"), format: format)
    #expect(loaded.format == BenchmarkFormat.releases["truthfulqa"]?[1])
    #expect(loaded.items.count == 60)
    for (item, expected) in zip(loaded.items, original) {
      let parts = Content(item).parts
      #expect(parts["question"] == Content(expected).parts["question"])
      #expect(parts["choices"]?.split(separator: "\n").first.map(String.init) == Content(expected).parts["answer"])
    }
  }

  /// MMLU's Hugging Face directory (a subject a directory, each a `test-00000-of-00001.parquet`):
  /// the items of both subjects, named by subject, with MMLU's answers (an index from 0 there).
  @Test func mmluAsTheHubServesItLoadsWithItsAnswers() throws {
    let format = try #require(BenchmarkFormat.presets["mmlu"])
    let loaded = try BenchmarkLoader.loadWithFiles(name: "mmlu", path: Self.hf("mmlu"), format: format)
    #expect(loaded.items.count == 100 + 201)
    #expect(loaded.items.first?.id == "abstract_algebra/test-00000-of-00001/1")
    #expect(loaded.items.last?.id == "sociology/test-00000-of-00001/201")
    let original = try BenchmarkLoader.load(name: "mmlu", path: TestData.path("benchmarks/mmlu/test/sociology_test.csv"), format: format)
    #expect(loaded.items.suffix(201).map(Content.init) == original.map(Content.init))
    #expect(original.allSatisfy { $0.answer?.choice != nil })
  }

  /// A benchmark's files of two releases (a CSV and a Parquet file in one directory) are refused,
  /// naming the file: one format is recorded per benchmark.
  @Test func filesOfTwoReleasesInOneBenchmarkAreRefused() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      atPath: TestData.path("benchmarks/mmlu/test/abstract_algebra_test.csv"), toPath: directory.appendingPathComponent("a.csv").path)
    try FileManager.default.copyItem(
      atPath: Self.hf("mmlu/sociology/test-00000-of-00001.parquet"), toPath: directory.appendingPathComponent("b.parquet").path)
    let format = try #require(BenchmarkFormat.presets["mmlu"])
    let error = try #require(throws: ContamError.self) { try BenchmarkLoader.load(name: "mmlu", path: directory.path, format: format) }
    #expect(error.code == .invalidBenchmark)
    #expect(error.path?.hasSuffix("b.parquet") == true)
    #expect(error.message.contains("another release"))
  }

  /// A `.json` file of one object a line (what `datasets`' `to_json` writes by default) reads
  /// as the JSONL it is: under SciQ's preset (whose layout is a JSON array) with the preset's own
  /// format, and under a mapping read by the file's name.
  @Test func aJSONFileOfOneObjectALineReadsAsJSONL() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("test.json").path
    try FileManager.default.copyItem(atPath: Self.hf("sciq/test.jsonl"), toPath: path)
    let sciq = try #require(BenchmarkFormat.presets["sciq"])
    let loaded = try BenchmarkLoader.loadWithFiles(name: "sciq", path: path, format: sciq)
    #expect(loaded.format == sciq)
    let original = try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: sciq)
    #expect(loaded.items.map(Content.init) == original.prefix(50).map(Content.init))
    let mapped = try BenchmarkLoader.load(name: "mine", path: path, format: BenchmarkFormat(layout: .json, parts: [("question", ["question"])]))
    #expect(mapped.count == 50 && mapped[0].parts[0].text == original[0].parts[0].text)
  }

  /// JSON is never read as CSV or as plain lines: the MMLU preset (headerless CSV) on MMLU's
  /// JSONL or JSON export made items of its syntax cut at its commas (`{"question": "Find…`),
  /// which no copy of a question matches. Now such a file is read by the preset's release, as
  /// the Parquet file is; under a mapping named `.csv` it is an error saying it is JSON.
  @Test func jsonIsNeverReadAsCSVOrLines() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let mmlu = try #require(BenchmarkFormat.presets["mmlu"])
    let expected = try BenchmarkLoader.load(name: "mmlu", path: Self.hf("mmlu/abstract_algebra/test-00000-of-00001.parquet"), format: mmlu)
    // The records of the Hub's export: question, subject, the options as a list, the answer's index.
    let rows: [[String: Any]] = try expected.map { item in
      let letter = try #require(item.answer?.choice?.unicodeScalars.first?.value)
      return [
        "question": item.parts[0].text, "subject": "abstract_algebra", "choices": item.parts[1].text.components(separatedBy: "\n"),
        "answer": Int(letter) - 65,
      ]
    }
    let jsonl = directory.appendingPathComponent("test.jsonl").path
    try Data(try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n").utf8)
      .write(to: URL(fileURLWithPath: jsonl))
    let array = directory.appendingPathComponent("test.json").path
    try JSONSerialization.data(withJSONObject: rows, options: .prettyPrinted).write(to: URL(fileURLWithPath: array))
    for path in [jsonl, array] {
      let loaded = try BenchmarkLoader.loadWithFiles(name: "mmlu", path: path, format: mmlu)
      #expect(loaded.format == BenchmarkFormat.releases["mmlu"]![0])
      #expect(loaded.items.map(Content.init) == expected.map(Content.init))
    }
    let named = directory.appendingPathComponent("items.csv").path
    try FileManager.default.copyItem(atPath: jsonl, toPath: named)
    #expect {
      try BenchmarkLoader.load(name: "mine", path: named, format: BenchmarkFormat(layout: .csv, parts: [("question", ["question"])]))
    } throws: { error in
      (error as? ContamError)?.message.contains("is read as CSV, but the file is a JSONL file") == true
    }
    // LAMBADA's preset reads lines; a JSON array of its records is its release's.
    let lambada = try BenchmarkLoader.load(name: "lambada", path: Self.hf("lambada/lambada_test.jsonl"), format: BenchmarkFormat.presets["lambada"]!)
    let texts = directory.appendingPathComponent("lambada.json").path
    try JSONSerialization.data(withJSONObject: lambada.map { ["text": $0.parts[0].text] }, options: .prettyPrinted).write(to: URL(fileURLWithPath: texts))
    let read = try BenchmarkLoader.loadWithFiles(name: "lambada", path: texts, format: BenchmarkFormat.presets["lambada"]!)
    #expect(read.format == BenchmarkFormat.releases["lambada"]![0])
    #expect(read.items.map(Content.init) == lambada.map(Content.init))
  }

  /// A directory that holds a dataset's whole download (the test split beside dev or train, as
  /// Hugging Face's and MMLU's own file names say) is refused naming the splits: read whole, it
  /// would make one benchmark of them all. One split's files load.
  @Test func aDirectoryOfSeveralSplitsIsRefusedNamingThem() throws {
    let mmlu = try #require(BenchmarkFormat.presets["mmlu"])
    for (names, source) in [
      (["abstract_algebra/test-00000-of-00001.parquet", "abstract_algebra/dev-00000-of-00001.parquet"], Self.hf("mmlu/abstract_algebra/test-00000-of-00001.parquet")),
      (["abstract_algebra_test.csv", "abstract_algebra_dev.csv"], TestData.path("benchmarks/mmlu/test/abstract_algebra_test.csv")),
    ] {
      let directory = try TestData.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      for name in names {
        let target = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target.path)
      }
      let error = try #require(throws: ContamError.self) { try BenchmarkLoader.load(name: "mmlu", path: directory.path, format: mmlu) }
      #expect(error.code == .invalidBenchmark && error.message.contains("several splits, dev ("), "\(error)")
      #expect(error.message.contains("test ("), "\(error)")
      try FileManager.default.removeItem(at: directory.appendingPathComponent(names[1]))
      #expect(try BenchmarkLoader.load(name: "mmlu", path: directory.path, format: mmlu).count == 100)
    }
    #expect(BenchmarkLoader.split(of: "x/validation-00003-of-00010.parquet") == "validation")
    #expect(BenchmarkLoader.split(of: "lambada_test_plain_text.txt") == nil)
    #expect(BenchmarkLoader.split(of: "train.jsonl.gz") == "train")
  }

  /// A file that is no release of the preset (ARC's Parquet named as MMLU) gets the preset's own
  /// error, with the fields the file has; a damaged Parquet file is named as such.
  @Test func aFileOfNoReleaseAndADamagedOneAreNamed() throws {
    let mmlu = try #require(BenchmarkFormat.presets["mmlu"])
    let wrong = try #require(throws: ContamError.self) {
      try BenchmarkLoader.load(name: "mmlu", path: Self.hf("arc/test-00000-of-00001.parquet"), format: mmlu)
    }
    #expect(wrong.code == .invalidBenchmark)
    #expect(wrong.message.contains("'answerKey'"), "names the fields the file has: \(wrong.message)")
    #expect(wrong.message.contains("other release"), "says the release was tried too")
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.hf("gsm8k/test-00000-of-00001.parquet")))
    // The footer kept, a page in the middle overwritten.
    var damaged = bytes
    for k in 4_000..<4_200 { damaged[k] = 0xFF }
    let path = directory.appendingPathComponent("test.parquet").path
    try damaged.write(to: URL(fileURLWithPath: path))
    let gsm8k = try #require(BenchmarkFormat.presets["gsm8k"])
    let error = try #require(throws: ContamError.self) { try BenchmarkLoader.load(name: "gsm8k", path: path, format: gsm8k) }
    #expect(error.code == .invalidBenchmark)
    #expect(error.path == path)
    #expect(error.message.contains("Parquet"), "\(error.message)")
    // Truncated: no footer.
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
    let truncated = try #require(throws: ContamError.self) { try BenchmarkLoader.load(name: "gsm8k", path: path, format: gsm8k) }
    #expect(truncated.message.contains("Parquet"), "\(truncated.message)")
  }

  /// A footer that claims 10^12 rows in a 5 KB file (damaged) is refused by name, as a benchmark
  /// and as a corpus shard: it once made the decoders reserve a value slot per claimed row, and the
  /// process died.
  @Test func aFooterClaimingMoreRowsThanTheFileCanHoldIsRefused() throws {
    let path = Self.hf("huge-row-count.parquet")
    let error = try #require(throws: ContamError.self) {
      try BenchmarkLoader.load(name: "types", path: path, format: BenchmarkFormat(layout: .jsonl, parts: [("question", ["q"])]))
    }
    #expect(error.code == .invalidBenchmark && error.message.contains("1000000000000 rows"), "\(error)")
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: try FieldPath("q"), idField: nil)))
    var problems: [ContamError] = []
    var documents = 0
    _ = try reader.read(path: path) { _ in documents += 1 } onProblem: { problems.append($0) }
    #expect(documents == 0)
    #expect(problems.map(\.code) == [.corruptData] && problems.first?.message.contains("1000000000000 rows") == true, "\(problems)")
  }

  /// Every value type a Parquet benchmark's fields may hold (integers plain, dictionary- and
  /// delta-coded; floats plain and byte-stream-split; RLE booleans; nulls; a list of numbers; a
  /// struct) reads as the same rows' JSONL does: the same items, field for field.
  @Test func parquetFieldsReadAsTheirJSONLExportDoes() throws {
    let format = BenchmarkFormat(
      layout: .jsonl,
      parts: [
        ("question", ["q"]), ("integers", ["i32", "i64", "small", "delta"]), ("floats", ["f32", "f64", "split"]), ("flag", ["flag"]),
        ("maybe", ["maybe"]), ("counts", ["counts"]), ("meta", ["meta.level", "meta.score"]),
      ])
    let parquet = try BenchmarkLoader.load(name: "types", path: Self.hf("types.parquet"), format: format)
    let jsonl = try BenchmarkLoader.load(name: "types", path: Self.hf("types.jsonl"), format: format)
    #expect(parquet.count == 40)
    #expect(parquet == jsonl)
    let second = try #require(parquet.dropFirst().first)
    #expect(Content(second).parts["integers"] == "419\n1000000000977\n1\n1003")
    #expect(Content(second).parts["floats"] == "2.25\n-1.875\n0.125")
    #expect(Content(second).parts["maybe"] == "note 1")
    #expect(Content(parquet[0]).parts["maybe"] == nil, "a null is no text")
    #expect(Content(parquet[3]).parts["counts"] == "0\n1\n2")
  }
}
