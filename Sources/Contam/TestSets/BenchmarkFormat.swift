/// How a benchmark file is laid out and which of its fields make up an item.
///
/// A part draws its text from one or more fields (joined by newlines); a dotted field reaches
/// into nested objects, and a field that is an array of objects or strings gives all its
/// elements (`question.choices.text` in ARC; `question.choices[].text` reads the same). A field
/// must end on text: one that ends on objects is an error naming the fields inside. In CSV and
/// TSV, fields are header names, or column numbers from 0 when the file has no header.
public struct BenchmarkFormat: Sendable, Hashable, Codable {
  public enum Layout: String, Sendable, Hashable, CaseIterable, Codable {
    /// One JSON object per line.
    case jsonl
    /// A JSON array of objects, an object whose values are objects, or an object that holds one
    /// array of objects beside other values (`{"version": 1, "data": [...]}`).
    case json
    /// CSV with a header row.
    case csv
    /// CSV without a header (fields are column numbers).
    case csvNoHeader = "csv-noheader"
    /// Tab-separated values with a header row (``CSVParser`` with tabs).
    case tsv
    /// Plain text, one item per line (field name: `text`).
    case lines

    /// The layout a file's name says, a compression suffix aside (`items.csv.gz` is CSV):
    /// `.csv`, `.tsv`, `.json`, `.txt` (lines), JSONL otherwise. (A JSONL file that holds one
    /// array, or a `.json` file of one object a line, is read as what it holds.)
    public init(path: String) {
      var bare = path
      for suffix in [".gz", ".zst"] where bare.hasSuffix(suffix) { bare.removeLast(suffix.count) }
      self =
        bare.hasSuffix(".csv") ? .csv : bare.hasSuffix(".tsv") ? .tsv : bare.hasSuffix(".json") ? .json : bare.hasSuffix(".txt") ? .lines : .jsonl
    }
  }

  public var layout: Layout
  /// Part name → fields whose text makes it up.
  public var parts: [(name: String, fields: [String])]
  /// The id field, if the records have one.
  public var idField: String?
  /// Where the item's final answer is, if it has one.
  public var answer: AnswerRule?

  public init(
    layout: Layout, parts: [(name: String, fields: [String])], idField: String? = nil, answer: AnswerRule? = nil
  ) {
    self.layout = layout
    self.parts = parts
    self.idField = idField
    self.answer = answer
  }

  private struct PartFields: Codable {
    var name: String
    var fields: [String]
  }

  private enum CodingKeys: String, CodingKey { case layout, parts, idField, answer }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    layout = try c.decode(Layout.self, forKey: .layout)
    parts = try c.decode([PartFields].self, forKey: .parts).map { ($0.name, $0.fields) }
    idField = try c.decodeIfPresent(String.self, forKey: .idField)
    answer = try c.decodeIfPresent(AnswerRule.self, forKey: .answer)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(layout, forKey: .layout)
    try c.encode(parts.map { PartFields(name: $0.name, fields: $0.fields) }, forKey: .parts)
    try c.encodeIfPresent(idField, forKey: .idField)
    try c.encodeIfPresent(answer, forKey: .answer)
  }

  public static func == (a: BenchmarkFormat, b: BenchmarkFormat) -> Bool {
    a.layout == b.layout && a.idField == b.idField && a.answer == b.answer && a.parts.map(\.name) == b.parts.map(\.name)
      && a.parts.map(\.fields) == b.parts.map(\.fields)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(layout)
    hasher.combine(idField)
    hasher.combine(answer)
    for part in parts {
      hasher.combine(part.name)
      hasher.combine(part.fields)
    }
  }

  /// The formats of the benchmarks in `../shared/data/benchmarks`, by preset name.
  public static let presets: [String: BenchmarkFormat] = [
    "gsm8k": .init(
      layout: .jsonl, parts: [("question", ["question"]), ("answer", ["answer"])],
      answer: .afterMarker(field: "answer", marker: "####")),
    "math": .init(
      layout: .jsonl, parts: [("question", ["problem"]), ("answer", ["solution"])], idField: "unique_id",
      answer: .lastBoxed(field: "solution")),
    "math-perturb": .init(
      layout: .jsonl, parts: [("question", ["problem"]), ("answer", ["answer"])], idField: "problem_id",
      answer: .field("answer")),
    "humaneval": .init(
      layout: .jsonl, parts: [("question", ["prompt"]), ("answer", ["canonical_solution"])], idField: "task_id"),
    "mmlu": .init(
      layout: .csvNoHeader, parts: [("question", ["0"]), ("choices", ["1", "2", "3", "4"])],
      answer: .choice(key: "5", choices: ["1", "2", "3", "4"], labels: nil)),
    "arc": .init(
      layout: .jsonl, parts: [("question", ["question.stem"]), ("choices", ["question.choices.text"])], idField: "id",
      answer: .choice(key: "answerKey", choices: ["question.choices.text"], labels: "question.choices.label")),
    "truthfulqa": .init(
      layout: .csv, parts: [("question", ["Question"]), ("answer", ["Best Answer"])]),
    "winogrande": .init(
      layout: .jsonl, parts: [("question", ["sentence"]), ("choices", ["option1", "option2"])], idField: "qID",
      answer: .choice(key: "answer", choices: ["option1", "option2"], labels: nil)),
    "piqa": .init(layout: .jsonl, parts: [("question", ["goal"]), ("choices", ["sol1", "sol2"])]),
    "sciq": .init(
      layout: .json,
      parts: [
        ("question", ["question"]), ("choices", ["distractor1", "distractor2", "distractor3", "correct_answer"]),
        ("support", ["support"]),
      ], answer: .field("correct_answer")),
    "lambada": .init(layout: .lines, parts: [("question", ["text"])]),
  ]

  /// The presets' benchmarks as other releases lay them out: Hugging Face's (Parquet as the Hub
  /// serves it, or its JSONL export), where MMLU's options are a list and its answer an index
  /// from 0, ARC's question is a string beside `choices`, TruthfulQA's fields are lower case and
  /// LAMBADA is a JSON object a line. A file the preset cannot load is loaded with the first of
  /// its preset's releases that can (``BenchmarkLoader/loadWithFiles(_:jobs:)``), and the
  /// certificate records the format used. A Parquet file is read by its content whatever the
  /// layout says, and a JSON file of one object a line as JSONL, so the presets whose fields a
  /// release keeps (GSM8K, MATH, HumanEval, WinoGrande, PIQA, SciQ) need no entry here.
  public static let releases: [String: [BenchmarkFormat]] = [
    "mmlu": [
      .init(
        layout: .jsonl, parts: [("question", ["question"]), ("choices", ["choices"])],
        answer: .indexedChoice(key: "answer", choices: ["choices"]))
    ],
    "arc": [
      .init(
        layout: .jsonl, parts: [("question", ["question"]), ("choices", ["choices.text"])], idField: "id",
        answer: .choice(key: "answerKey", choices: ["choices.text"], labels: "choices.label"))
    ],
    "truthfulqa": [
      .init(layout: .jsonl, parts: [("question", ["question"]), ("answer", ["best_answer"])]),
      // The multiple_choice config: the options, the best answer among them.
      .init(layout: .jsonl, parts: [("question", ["question"]), ("choices", ["mc1_targets.choices"])]),
    ],
    "lambada": [.init(layout: .jsonl, parts: [("question", ["text"])])],
  ]

  /// Whether this is a preset's format or one of its releases' (``releases``): its optional
  /// parts and id may be missing from a small file, as a mapping given for a file's own fields may not.
  public var isPreset: Bool { Self.presets.values.contains(self) || Self.releases.values.contains { $0.contains(self) } }

  /// The releases of the preset whose format this is (none for a release or a mapping).
  var releases: [BenchmarkFormat] {
    Self.presets.first { $0.value == self }.flatMap { Self.releases[$0.key] } ?? []
  }
}
