import Foundation

/// One model's score on one item, as a results file states it.
public struct ModelResult: Sendable, Hashable {
  /// How a result names its item.
  public enum Key: Sendable, Hashable, CustomStringConvertible {
    /// The item's id as the certificate records it.
    case id(String)
    /// lm-evaluation-harness's `doc_id`: the 0-based position in the task's test split.
    case position(Int)

    public var description: String {
      switch self {
      case .id(let id): return id
      case .position(let k): return "doc_id \(k)"
      }
    }
  }

  public init(model: String, task: String, key: Key, score: Double, documentText: String? = nil, file: String, line: Int) {
    self.model = model
    self.task = task
    self.key = key
    self.score = score
    self.documentText = documentText
    self.file = file
    self.line = line
  }

  public var model: String
  /// The benchmark as the results name it: an lm-eval task (`mmlu_sociology`) or the
  /// `benchmark` column.
  public var task: String
  public var key: Key
  public var score: Double
  /// The item's own text as the results carry it (lm-eval's `doc`), to check the mapping.
  public var documentText: String?
  /// Where the result was read: file and 1-based line (row, for CSV).
  public var file: String
  public var line: Int
}

/// A file of per-item model results, read strictly: every line is a result or an error that
/// names file and line.
///
/// Formats (told apart by name and content):
/// - **lm-eval samples** (`--log_samples`): `samples_<task>_<timestamp>.jsonl`, one JSON object
///   per line with `doc_id`, `doc`, and the metric fields named in `metrics` (`acc`,
///   `exact_match`, …). A task evaluated under several filters (GSM8K's `strict-match` and
///   `flexible-extract`) has one line per filter: the first filter is used unless `filter` says
///   which, and the lines of the others are counted as set aside. The model is the directory
///   lm-eval wrote the file into, unless given.
/// - **JSONL**: `{"benchmark": "gsm8k", "id": "test/12", "score": 1}` per line, optionally
///   with `"model"`.
/// - **CSV**: a header with `benchmark`, `id`, `score` (and optionally `model`) columns.
///
/// Scores are numbers (or `true`/`false`); anything else is an error.
public struct ResultsFile: Sendable {
  public enum Format: String, Sendable, Codable {
    case lmEvalSamples = "lm-eval-samples"
    case jsonl
    case csv
  }

  public var path: String
  public var sha256: String
  public var format: Format
  /// The metric read (lm-eval), or `score`.
  public var metric: String
  /// The lm-eval filter read, when the file has several.
  public var filter: String?
  /// Lines of other lm-eval filters, not read.
  public var setAside: Int
  public var results: [ModelResult]

  public init(
    path: String, sha256: String, format: Format, metric: String, filter: String? = nil, setAside: Int = 0, results: [ModelResult]
  ) {
    self.path = path
    self.sha256 = sha256
    self.format = format
    self.metric = metric
    self.filter = filter
    self.setAside = setAside
    self.results = results
  }

  /// Metrics tried, in order, when an lm-eval file is read without `metric`.
  public static let knownMetrics = ["acc", "exact_match", "pass@1", "acc_norm", "em", "f1", "mc2", "mc1", "bleu_acc"]

  /// Reads a results file.
  /// - Parameters:
  ///   - path: the file.
  ///   - model: the model's name; nil takes it from the file (lm-eval: its directory; JSONL and
  ///     CSV: a `model` field, else the file name).
  ///   - metric: the lm-eval metric field to read; nil takes the first of the line's `metrics`
  ///     (or of ``knownMetrics``) that the line has.
  ///   - filter: the lm-eval filter to read; nil takes the first one in the file.
  /// - Throws: ``ContamError`` naming the file and line of the first bad record.
  public static func read(path: String, model: String? = nil, metric: String? = nil, filter: String? = nil) throws(ContamError)
    -> ResultsFile
  {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ContamError(.unreadableFile, path: path, "cannot read the results file: \(error.localizedDescription)")
    }
    guard !data.isEmpty else { throw ContamError(.emptyFile, path: path, "the results file is empty") }
    let digest = SHA256Stream.digest(of: data)
    guard let text = String(data: data, encoding: .utf8) else {
      throw ContamError(.invalidArgument, path: path, "the results file is not UTF-8 text")
    }
    let name = URL(fileURLWithPath: path).lastPathComponent
    if name.lowercased().hasSuffix(".csv") {
      var file = try readCSV(text, path: path, model: model)
      file.sha256 = digest
      return file
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    let firstObject = lines.lazy.compactMap { line -> [String: Any]? in
      guard !line.isEmpty else { return nil }
      return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }.first
    var file: ResultsFile
    if name.hasPrefix("samples_") || firstObject?["doc_id"] != nil {
      file = try readSamples(lines.map(String.init), path: path, model: model, metric: metric, filter: filter)
    } else {
      file = try readJSONL(lines.map(String.init), path: path, model: model)
    }
    file.sha256 = digest
    return file
  }

  /// The task of an lm-eval samples file name: `samples_mmlu_sociology_2024-05-01T12-00-00.123.jsonl`
  /// → `mmlu_sociology`.
  public static func task(ofSamplesFile name: String) -> String {
    var stem = name
    if stem.hasSuffix(".jsonl") { stem = String(stem.dropLast(6)) }
    if stem.hasPrefix("samples_") { stem = String(stem.dropFirst(8)) }
    // The timestamp is the last `_`-separated field when it starts with a four-digit year.
    if let cut = stem.range(of: "_", options: .backwards) {
      let tail = stem[cut.upperBound...]
      if tail.count >= 10, tail.prefix(4).allSatisfy(\.isNumber), tail.dropFirst(4).first == "-" {
        stem = String(stem[..<cut.lowerBound])
      }
    }
    return stem
  }

  static func score(_ value: Any?) -> Double? {
    if let n = value as? NSNumber {
      // JSON booleans arrive as NSNumber too; both count (true = 1).
      let d = n.doubleValue
      return d.isFinite ? d : nil
    }
    return nil
  }

  static func readSamples(_ lines: [String], path: String, model: String?, metric: String?, filter: String?) throws(ContamError)
    -> ResultsFile
  {
    let url = URL(fileURLWithPath: path)
    let task = task(ofSamplesFile: url.lastPathComponent)
    let model = model ?? url.deletingLastPathComponent().lastPathComponent
    var results: [ModelResult] = []
    var chosenMetric = metric
    var chosenFilter = filter
    var setAside = 0
    for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let number = index + 1
      guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        throw ContamError(.notJSON, path: path, line: number, "not a JSON object")
      }
      guard let docID = object["doc_id"] as? NSNumber, docID.doubleValue >= 0, docID.doubleValue == docID.doubleValue.rounded() else {
        throw ContamError(.missingField, path: path, line: number, "no doc_id (a whole number at least 0)")
      }
      let lineFilter = object["filter"] as? String
      if let lineFilter {
        if chosenFilter == nil { chosenFilter = lineFilter }
        if lineFilter != chosenFilter {
          setAside += 1
          continue
        }
      }
      if chosenMetric == nil {
        let named = (object["metrics"] as? [String]) ?? []
        chosenMetric = (named + knownMetrics).first { object[$0] != nil }
        guard chosenMetric != nil else {
          throw ContamError(
            .missingField, path: path, line: number,
            "no metric field (tried \((named + knownMetrics).joined(separator: ", "))); name one with --metric")
        }
      }
      let field = chosenMetric!
      guard object[field] != nil else {
        throw ContamError(.missingField, path: path, line: number, "no '\(field)' field")
      }
      guard let value = score(object[field]) else {
        throw ContamError(.fieldNotString, path: path, line: number, "'\(field)' is not a number: \(object[field]!)")
      }
      results.append(
        ModelResult(
          model: model, task: task, key: .position(docID.intValue), score: value, documentText: documentText(object["doc"]),
          file: path, line: number))
    }
    if let filter, chosenFilter == filter, results.isEmpty {
      throw ContamError(.invalidArgument, path: path, "no line has filter '\(filter)'")
    }
    return ResultsFile(
      path: path, sha256: "", format: .lmEvalSamples, metric: chosenMetric ?? "", filter: chosenFilter, setAside: setAside,
      results: results)
  }

  /// Every string inside lm-eval's `doc`, joined: enough to recognise the item's text.
  static func documentText(_ doc: Any?) -> String? {
    var parts: [String] = []
    func walk(_ value: Any?) {
      switch value {
      case let s as String: parts.append(s)
      case let a as [Any]: a.forEach(walk)
      case let d as [String: Any]: d.keys.sorted().forEach { walk(d[$0]) }
      default: break
      }
    }
    walk(doc)
    return parts.isEmpty ? nil : parts.joined(separator: "\n")
  }

  static func readJSONL(_ lines: [String], path: String, model: String?) throws(ContamError) -> ResultsFile {
    let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    var results: [ModelResult] = []
    for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let number = index + 1
      guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        throw ContamError(.notJSON, path: path, line: number, "not a JSON object")
      }
      guard let benchmark = object["benchmark"] as? String, !benchmark.isEmpty else {
        throw ContamError(.missingField, path: path, line: number, "no 'benchmark' (a string)")
      }
      let id: String
      switch object["id"] {
      case let s as String: id = s
      case let n as NSNumber where n.doubleValue == n.doubleValue.rounded(): id = String(n.intValue)
      default: throw ContamError(.missingField, path: path, line: number, "no 'id' (a string or whole number)")
      }
      guard object["score"] != nil else { throw ContamError(.missingField, path: path, line: number, "no 'score'") }
      guard let value = score(object["score"]) else {
        throw ContamError(.fieldNotString, path: path, line: number, "'score' is not a number: \(object["score"]!)")
      }
      results.append(
        ModelResult(
          model: model ?? (object["model"] as? String) ?? stem, task: benchmark, key: .id(id), score: value, documentText: nil,
          file: path, line: number))
    }
    return ResultsFile(path: path, sha256: "", format: .jsonl, metric: "score", filter: nil, setAside: 0, results: results)
  }

  static func readCSV(_ text: String, path: String, model: String?) throws(ContamError) -> ResultsFile {
    let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let rows: [(line: Int, fields: [String])]
    do {
      rows = try CSVParser.parseWithLines(text)
    } catch {
      throw ContamError(error.code, path: path, line: error.line, error.message)
    }
    guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
      throw ContamError(.emptyFile, path: path, "no header row")
    }
    func column(_ name: String) throws(ContamError) -> Int {
      guard let k = header.firstIndex(of: name) else {
        throw ContamError(.missingField, path: path, line: 1, "the header has no '\(name)' column (it has \(header.joined(separator: ", ")))")
      }
      return k
    }
    let (b, i, s) = (try column("benchmark"), try column("id"), try column("score"))
    let m = header.firstIndex(of: "model")
    var results: [ModelResult] = []
    for (number, row) in rows.dropFirst() where !(row.count == 1 && row[0].isEmpty) {
      guard row.count == header.count else {
        throw ContamError(.invalidArgument, path: path, line: number, "row has \(row.count) fields, the header \(header.count)")
      }
      let raw = row[s].trimmingCharacters(in: .whitespaces)
      let value = Double(raw) ?? (raw.lowercased() == "true" ? 1 : raw.lowercased() == "false" ? 0 : nil)
      guard let value, value.isFinite else {
        throw ContamError(.fieldNotString, path: path, line: number, "score '\(raw)' is not a number")
      }
      guard !row[b].isEmpty, !row[i].isEmpty else {
        throw ContamError(.missingField, path: path, line: number, "empty benchmark or id")
      }
      results.append(
        ModelResult(
          model: model ?? m.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? stem, task: row[b], key: .id(row[i]),
          score: value, documentText: nil, file: path, line: number))
    }
    return ResultsFile(path: path, sha256: "", format: .csv, metric: "score", filter: nil, setAside: 0, results: results)
  }
}
