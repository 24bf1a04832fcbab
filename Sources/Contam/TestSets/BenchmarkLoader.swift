import Foundation

/// Loads benchmark items from files (JSONL, JSON, CSV, plain lines; gzip or zstd compressed or
/// not) through a ``BenchmarkFormat``.
public enum BenchmarkLoader {
  /// Loads the items of one benchmark.
  /// - Parameters:
  ///   - name: the benchmark's name in results.
  ///   - path: a file, or a directory whose files (sorted) are all loaded (MMLU: one per subject).
  ///   - format: the layout and field mapping.
  /// - Returns: the items, in file and record order.
  /// - Throws: ``ContamError/Code/invalidBenchmark`` naming the file when it cannot be read or
  ///   yields no item; records without text in any part are skipped.
  public static func load(name: String, path: String, format: BenchmarkFormat) throws -> [BenchmarkItem] {
    try loadWithFiles(name: name, path: path, format: format).items
  }

  /// A benchmark as loaded: its items, the files read (size and SHA-256), and the format that
  /// read them: the one asked for, or the release of a preset it fell back to
  /// (``BenchmarkFormat/releases``), which a certificate records.
  public struct Loaded: Sendable, Equatable {
    public var items: [BenchmarkItem]
    public var files: [InputFile]
    public var format: BenchmarkFormat

    public init(items: [BenchmarkItem], files: [InputFile], format: BenchmarkFormat) {
      self.items = items
      self.files = files
      self.format = format
    }
  }

  /// Loads a benchmark and reports each file read with its size and SHA-256.
  public static func loadWithFiles(name: String, path: String, format: BenchmarkFormat) throws -> Loaded {
    try loadWithFiles([(name, path, format)], jobs: 1)[0]
  }

  /// Loads several benchmarks, their files read on `jobs` threads: the items and files are what
  /// loading them one after another gives. A path that does not exist is reported before any
  /// file is read; otherwise the first failing file in order is. A file a preset's format
  /// cannot load is loaded with the first of its releases that can (Hugging Face's layout);
  /// every file of one benchmark must then be read by the same format.
  public static func loadWithFiles(_ benchmarks: [(name: String, path: String, format: BenchmarkFormat)], jobs: Int) throws
    -> [Loaded]
  {
    let work = try files(of: benchmarks)
    let loaded = ShardPool.run(count: work.count, jobs: jobs, makeWorker: { () }) { _, i in
      let benchmark = benchmarks[work[i].benchmark]
      return try loadFileOrRelease(name: benchmark.name, path: work[i].file, format: benchmark.format)
    }
    var result = benchmarks.map { Loaded(items: [], files: [], format: $0.format) }
    var next = 0
    for (b, benchmark) in benchmarks.enumerated() {
      var first: String?
      while next < work.count && work[next].benchmark == b {
        let (items, input, format) = try loaded[next].get()
        if let first, format != result[b].format {
          throw ContamError(
            .invalidBenchmark, path: input.path,
            "benchmark '\(benchmark.name)': this file is laid out as another release of it than \(first) (\(format.parts.flatMap(\.fields).joined(separator: ", ")) against \(result[b].format.parts.flatMap(\.fields).joined(separator: ", "))): give the files of one release")
        }
        first = first ?? input.path
        result[b].format = format
        result[b].items += items
        result[b].files.append(input)
        next += 1
      }
      try check(name: benchmark.name, path: benchmark.path, format: result[b].format, items: result[b].items)
    }
    return result
  }

  /// One file by `format`, or, when a preset's format cannot load it, by the first of the
  /// preset's releases that can; the format used comes back with the items. When none can,
  /// the preset's own error is thrown: it names the fields the file has.
  static func loadFileOrRelease(name: String, path: String, format: BenchmarkFormat) throws -> ([BenchmarkItem], InputFile, BenchmarkFormat) {
    do {
      let (items, input) = try loadFile(name: name, path: path, format: format)
      return (items, input, format)
    } catch let error as ContamError where error.code == .invalidBenchmark {
      for release in format.releases {
        guard let (items, input) = try? loadFile(name: name, path: path, format: release), !items.isEmpty else { continue }
        return (items, input, release)
      }
      guard !format.releases.isEmpty else { throw error }
      var named = error
      let others = format.releases.map { "\($0.layout.rawValue) with \($0.parts.flatMap(\.fields).map { "'\($0)'" }.joined(separator: ", "))" }
      named.message += "; nor does it read as the benchmark's other release (\(others.joined(separator: "; ")))"
      throw named
    }
  }

  /// The files the benchmarks are read from, in order, each with its benchmark's position: a
  /// benchmark's file, or every file of its directory (sorted).
  /// - Throws: ``ContamError/Code/invalidBenchmark`` for the first path that does not exist.
  public static func files(of benchmarks: [(name: String, path: String, format: BenchmarkFormat)]) throws
    -> [(benchmark: Int, file: String)]
  {
    var units: [(benchmark: Int, file: String)] = []
    for (b, benchmark) in benchmarks.enumerated() {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: benchmark.path, isDirectory: &isDirectory) else {
        throw ContamError(.invalidBenchmark, path: benchmark.path, "benchmark '\(benchmark.name)': no such file or directory")
      }
      // A benchmark directory (MMLU: a CSV per subject) is read whole, whatever the file names.
      let files = try isDirectory.boolValue ? ShardList.resolve([benchmark.path], passOverMedia: false).paths : [benchmark.path]
      // Unless its file names say they are of several splits: a dataset's whole download
      // (train, validation and test side by side) would make one benchmark of them all.
      var splits: [String: String] = [:]
      for file in files { if let split = split(of: file), splits[split] == nil { splits[split] = file } }
      if splits.count > 1 {
        let named = splits.keys.sorted().map { "\($0) (\(splits[$0]!))" }.joined(separator: ", ")
        throw ContamError(
          .invalidBenchmark, path: benchmark.path,
          "benchmark '\(benchmark.name)': the directory holds the files of several splits, \(named): give the file or directory of the split you test on (Hugging Face's MMLU: all/test-00000-of-00001.parquet), or one benchmark per split")
      }
      units += files.map { (b, $0) }
    }
    return units
  }

  /// The split a file's name says it holds (`test` for `test-00000-of-00001.parquet` as the
  /// Hugging Face Hub names its files, for MMLU's `abstract_algebra_dev.csv`, for `valid.jsonl`),
  /// or nil when the name says none.
  @_spi(Testing) public static func split(of path: String) -> String? {
    var name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
    for suffix in [".gz", ".zst", ".jsonl", ".json", ".csv", ".tsv", ".txt", ".parquet"] where name.hasSuffix(suffix) {
      name.removeLast(suffix.count)
    }
    if let split = hubShardSplit(name) { return split }
    // (Hand-written: a Swift regex literal is parsed again at every call, 9% of a cached start.)
    for split in ["auxiliary_train", "train", "test", "validation", "valid", "val", "dev"] {
      if name == split { return split }
      for separator in ["_", ".", "-"] where name.hasSuffix(separator + split) { return split }
    }
    return nil
  }

  /// The split of a file the Hugging Face Hub names `SPLIT-00000-of-00001` (letters and `_`
  /// before five digits, `of`, five digits), or nil.
  static func hubShardSplit(_ name: String) -> String? {
    let pieces = name.split(separator: "-", omittingEmptySubsequences: false)
    let digits = { (piece: Substring) in piece.count == 5 && piece.allSatisfy { $0.isASCII && $0.isNumber } }
    guard pieces.count == 4, pieces[2] == "of", digits(pieces[1]), digits(pieces[3]), !pieces[0].isEmpty,
      pieces[0].allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLetter) })
    else { return nil }
    return String(pieces[0])
  }

  /// A loaded benchmark must have items, each id once.
  static func check(name: String, path: String, format: BenchmarkFormat, items: [BenchmarkItem]) throws {
    if items.isEmpty {
      throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': no usable item (check the fields: \(format.parts.flatMap(\.fields).joined(separator: ", ")))")
    }
    var seen = Set<String>()
    for item in items where !seen.insert(item.id).inserted {
      throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': duplicate item id '\(item.id)'")
    }
  }

  static func readText(_ path: String) throws -> (text: String, file: InputFile) {
    var text: String? = nil
    var problem: ContamError? = nil
    let reader = ShardReader(options: ShardReaderOptions(format: .wholeFile, maxLineBytes: 1 << 30))
    let counts = try reader.read(path: path) { text = $0.textString } onProblem: { if $0.code.losesInput { problem = $0 } }
    if counts.codec == .arrow {
      throw ContamError(
        .invalidBenchmark, path: path,
        "an Arrow file: benchmarks are read from Parquet, JSONL, JSON, CSV or text; write it as Parquet first (pyarrow.parquet.write_table)")
    }
    if counts.codec == .parquet {
      throw ContamError(
        .invalidBenchmark, path: path,
        "a Parquet stream: a Parquet benchmark is read from its file (its footer is at the end), not from a pipe: give its path")
    }
    if let problem { throw ContamError(.invalidBenchmark, path: path, problem.message) }
    return (text ?? "", InputFile(path: path, bytes: counts.compressedBytes, sha256: counts.sha256 ?? ""))
  }

  static func stem(_ path: String) -> String {
    var name = URL(fileURLWithPath: path).lastPathComponent
    for suffix in [".gz", ".zst", ".jsonl", ".json", ".csv", ".tsv", ".txt", ".parquet"] where name.hasSuffix(suffix) {
      name.removeLast(suffix.count)
    }
    if name.hasSuffix("_test") { name.removeLast(5) }
    // A shard as the Hugging Face Hub names it (`test-00000-of-00001`) says only the split: its
    // directory (`abstract_algebra/`) names the file among the benchmark's others.
    if hubShardSplit(name.lowercased()) != nil {
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
      if !directory.isEmpty && directory != "/" { name = directory + "/" + name }
    }
    return name
  }

  /// Per record: its line (or number), the record itself (JSON's values; a CSV row as header →
  /// cell, made only when asked: loading needs only the lookup; a plain line as `text`) and what
  /// a field finds in it (``FieldLookup``: a JSON null or an empty cell counts as present).
  typealias Records = [(line: Int, object: () -> [String: Any], lookUp: (String) -> FieldLookup)]

  static func loadFile(name: String, path: String, format: BenchmarkFormat) throws -> ([BenchmarkItem], InputFile) {
    let (records, firstFields, input) = try records(name: name, path: path, format: format)
    return (try items(of: records, firstFields: firstFields, name: name, path: path, stem: stem(path), format: format), input)
  }

  /// The records of one benchmark file in `format`'s layout (a Parquet file by its content,
  /// whatever the layout says), the first one's fields (named in an error about a field none
  /// has) and the file read.
  static func records(name: String, path: String, format: BenchmarkFormat) throws -> (Records, [String], InputFile) {
    if _ParquetRecords.isParquet(path) {
      // Hugging Face's layout: read by its content, whatever the format's layout says.
      let rows: [[String: Any]]
      do {
        rows = try _ParquetRecords.read(path: path)
      } catch {
        throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': Parquet file: \(error.message)")
      }
      let records: Records = rows.enumerated().map { i, row in (i + 1, { row }, { lookup(row, path: $0) }) }
      return (records, rows.first.map(fieldNames) ?? [], try InputFile(hashing: path))
    }
    let (text, file) = try readText(path)
    let (records, firstFields) = try textRecords(text, name: name, path: path, format: format)
    return (records, firstFields, file)
  }

  /// The records of a benchmark file's text, read in `format`'s layout, and the first one's fields.
  static func textRecords(_ text: String, name: String, path: String, format: BenchmarkFormat) throws -> (Records, [String]) {
    var records: Records = []
    var firstFields: [String] = []
    // A JSONL benchmark that is really one JSON array (on one line or pretty-printed) is read
    // as the array it is, one record per element, never as one giant item; and a `.json` file
    // of one object a line (what `datasets`' `to_json` writes by default) as the JSONL it is.
    let first = text.drop(while: \.isWhitespace).first
    var layout = format.layout == .jsonl && first == "[" ? .json : format.layout
    if layout == .json, first == "{", text.contains("}\n{") || text.contains("}\r\n{") { layout = .jsonl }
    switch layout {
    case .jsonl:
      for (i, line) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
      where !isBlank(line) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) else {
          throw ContamError(.invalidBenchmark, path: path, line: i + 1, "benchmark '\(name)': line is not JSON")
        }
        guard object is [String: Any] else {
          throw ContamError(.invalidBenchmark, path: path, line: i + 1, "benchmark '\(name)': line is JSON but not an object")
        }
        if records.isEmpty { firstFields = fieldNames(object) }
        records.append((i + 1, { object as! [String: Any] }, { lookup(object, path: $0) }))
      }
    case .json:
      guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
        throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': file is not JSON")
      }
      let list: [Any]
      if let array = object as? [Any] {
        list = array
      } else if let dictionary = object as? [String: Any] {
        // Records keyed by id; or one list of records wrapped with other values (`data`,
        // `examples`); several lists are splits, and which one is meant is not for a guess.
        let records = dictionary.filter { ($0.value as? [Any]).map { !$0.isEmpty && $0.allSatisfy { $0 is [String: Any] } } ?? false }
        if dictionary.values.allSatisfy({ $0 is [String: Any] }) || records.isEmpty {
          list = dictionary.keys.sorted().map { dictionary[$0]! }
        } else if records.count == 1 {
          list = records.first!.value as! [Any]
        } else {
          throw ContamError(
            .invalidBenchmark, path: path,
            "benchmark '\(name)': the JSON holds lists of records under \(records.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")): give a file that holds one of them")
        }
      } else {
        throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': the JSON is neither an array nor an object of records")
      }
      for (i, record) in list.enumerated() {
        guard record is [String: Any] else {
          throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': record \(i + 1) of the JSON is not an object")
        }
        if records.isEmpty { firstFields = fieldNames(record) }
        records.append((i + 1, { record as! [String: Any] }, { lookup(record, path: $0) }))
      }
    case .csv, .csvNoHeader, .tsv:
      // JSON read as CSV would make items of its syntax, cut at its commas (the MMLU preset on
      // MMLU-Pro's JSONL): a wrong preset or file, never a result.
      if let shape = jsonShape(text, first: first) {
        throw ContamError(
          .invalidBenchmark, path: path, line: 1,
          "benchmark '\(name)' is read as \(format.layout == .tsv ? "TSV" : "CSV"), but the file is \(shape): name it with the preset of its fields, or give --fields (or --fields auto) with a .json or .jsonl file")
      }
      let rows: [[String]]
      do {
        rows = try CSVParser.parse(text, separator: format.layout == .tsv ? 0x09 : UInt8(ascii: ","))
      } catch {
        throw ContamError(.invalidBenchmark, path: path, line: error.line, "benchmark '\(name)': \(error.message)")
      }
      let headed = format.layout != .csvNoHeader
      let header = headed ? rows.first ?? [] : []
      firstFields = headed ? header : (rows.first ?? []).indices.map(String.init)
      for (i, row) in rows.enumerated().dropFirst(headed ? 1 : 0) {
        // The row as an object (a header named twice: its first column, as a field finds).
        let object = { () -> [String: Any] in
          var object: [String: Any] = [:]
          for (column, cell) in row.enumerated() {
            guard let key = headed ? (column < header.count ? header[column] : nil) : String(column), object[key] == nil else { continue }
            object[key] = cell
          }
          return object
        }
        records.append(
          (i + (headed ? 0 : 1), object,
            { field in
              let column = headed ? header.firstIndex(of: field) : Int(field)
              guard let column, column >= 0, column < row.count else { return FieldLookup() }
              return FieldLookup(present: true, texts: [row[column]])
            }))
      }
    case .lines:
      firstFields = ["text"]
      var objects = 0
      for (i, line) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
      where !isBlank(line) {
        let value = String(decoding: line, as: UTF8.self)
        records.append((i + 1, { ["text": value] }, { $0 == "text" ? FieldLookup(present: true, texts: [value]) : FieldLookup() }))
        if line.first == UInt8(ascii: "{"), (try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any] { objects += 1 }
      }
      // A JSONL file read as plain lines would make items of its JSON syntax, field names and
      // all, which a copy of the records' text does not match: a wrong preset, never a result.
      if !records.isEmpty && (objects == records.count || jsonShape(text, first: first) == "a JSON file") {
        throw ContamError(
          .invalidBenchmark, path: path, line: records[0].0,
          "benchmark '\(name)' is read as plain text lines, but \(objects == records.count ? "every line is a JSON object (a JSONL file)" : "the file is a JSON file"): name it with the preset of its fields, or give --fields with a .json or .jsonl file")
      }
    }
    return (records, firstFields)
  }

  /// What `text` (whose first character other than white space is `first`) is when it is JSON
  /// rather than CSV or plain lines: "a JSON file" (it parses whole, as an array or object) or
  /// "a JSONL file" (its first line is a JSON object); nil otherwise.
  static func jsonShape(_ text: String, first: Character?) -> String? {
    guard first == "{" || first == "[" else { return nil }
    if (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil { return "a JSON file" }
    let line = text.drop(while: \.isWhitespace).prefix { $0 != "\n" }
    return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any] ? "a JSONL file" : nil
  }

  /// The items of `records` by `format`'s parts, id and answer, or an error naming the file
  /// and the record where the mapping does not fit them.
  static func items(of records: Records, firstFields: [String], name: String, path: String, stem: String, format: BenchmarkFormat) throws
    -> [BenchmarkItem]
  {
    var items: [BenchmarkItem] = []
    // Per part: the records that have one of its fields (empty or not), and the first that has none.
    var having = [Int](repeating: 0, count: format.parts.count)
    var firstWithout = [Int?](repeating: nil, count: format.parts.count)
    var havingID = 0
    // Per part: the records where it holds text (a mapping whose fields are all empty is no part).
    var texted = [Int](repeating: 0, count: format.parts.count)
    let named = Array(Set(format.parts.flatMap(\.fields) + (format.idField.map { [$0] } ?? [])))
    for (number, _, lookUp) in records {
      let found = Dictionary(uniqueKeysWithValues: named.map { ($0, lookUp($0)) })
      let find = { (field: String) in found[field] ?? lookUp(field) }
      let value = { (field: String) in find(field).texts }
      // A field that ends on objects holds no text of its own: read as empty, the part would
      // silently drop out of every item (OpenBookQA's `question.choices`, whose text is in
      // `question.choices.text`), and a copy of it read as no copy.
      for field in named.sorted() {
        guard let keys = found[field]?.objectKeys else { continue }
        let inside = keys.isEmpty ? "" : ": name a field inside them, \(keys.prefix(8).map { "'\(field).\($0)'" }.joined(separator: ", "))"
        throw ContamError(
          .invalidBenchmark, path: path, line: number,
          "benchmark '\(name)': field '\(field)' holds objects or arrays, not text\(inside) (check --fields)")
      }
      if let idField = format.idField, find(idField).present { havingID += 1 }
      var parts: [BenchmarkItem.Part] = []
      for (k, part) in format.parts.enumerated() {
        if part.fields.contains(where: { find($0).present }) {
          having[k] += 1
        } else if firstWithout[k] == nil {
          firstWithout[k] = number
        }
        let texts = part.fields.flatMap(value).filter { !$0.isEmpty }
        if !texts.isEmpty {
          texted[k] += 1
          parts.append(.init(name: part.name, text: texts.joined(separator: "\n")))
        }
      }
      if parts.isEmpty { continue }
      let id = format.idField.flatMap { value($0).first } ?? "\(stem)/\(number)"
      // Item tokens keep 32-bit offsets (``Token``): an item's text stays far below 4 GiB.
      let bytes = parts.reduce(0) { $0 + $1.text.utf8.count + 1 }
      if bytes > maximumItemBytes {
        throw ContamError(
          .invalidBenchmark, path: path, line: number,
          "benchmark '\(name)': item '\(id)' has \(bytes) bytes of text, more than the \(maximumItemBytes >> 20) MiB an item may have")
      }
      items.append(BenchmarkItem(benchmark: name, id: id, parts: parts, answer: format.answer.flatMap { answer($0, value) }))
    }
    // A part no record has: its field is misnamed (a typo in --fields, a release whose fields
    // differ from the preset's). Its items would be judged without it, which no one asked for.
    let available = firstFields.isEmpty ? "" : "; the first record has \(firstFields.prefix(24).map { "'\($0)'" }.joined(separator: ", "))"
    if let first = records.first {
      for (k, part) in format.parts.enumerated() where having[k] == 0 {
        throw ContamError(
          .invalidBenchmark, path: path, line: first.0,
          "benchmark '\(name)': no record has any of the fields \(part.fields.map { "'\($0)'" }.joined(separator: ", ")) (part '\(part.name)')\(available) (check --fields)")
      }
      // An id field no record has, when it was named for these records (a preset's is left
      // out by some releases of its benchmark, and the items are numbered by line instead).
      if let idField = format.idField, havingID == 0, !format.isPreset {
        throw ContamError(
          .invalidBenchmark, path: path, line: first.0,
          "benchmark '\(name)': no record has the id field '\(idField)'\(available) (check --item-id-field)")
      }
    }
    // A part some records have and others lack: the records are not of one schema (a field
    // renamed in some lines). Their items would be judged without that part, or not at all.
    for (k, part) in format.parts.enumerated() where having[k] > 0 {
      guard let line = firstWithout[k] else { continue }
      let missing = records.count - having[k]
      throw ContamError(
        .invalidBenchmark, path: path, line: line,
        "benchmark '\(name)': \(missing) of \(records.count) records have none of the fields \(part.fields.map { "'\($0)'" }.joined(separator: ", ")) (part '\(part.name)') that the other \(having[k]) have: not one schema (check the file, or give --fields)")
    }
    // A part of a mapping given for these records whose fields every record has, empty in every
    // one (a column left blank, a field that is always null): its items would be judged without
    // it. A preset's optional parts (SciQ's support) may be empty in a small file.
    if let first = records.first, !format.isPreset {
      for (k, part) in format.parts.enumerated() where texted[k] == 0 {
        throw ContamError(
          .invalidBenchmark, path: path, line: first.0,
          "benchmark '\(name)': the fields \(part.fields.map { "'\($0)'" }.joined(separator: ", ")) (part '\(part.name)') hold no text in any of the \(records.count) records (empty or null)\(available) (check --fields)")
      }
    }
    // An answer rule given for these records that finds no answer in any of them (a misnamed
    // field, a marker the solutions do not use): its items would be judged without answers.
    if let rule = format.answer, let first = records.first, !format.isPreset, !items.isEmpty, items.allSatisfy({ $0.answer == nil }) {
      throw ContamError(
        .invalidBenchmark, path: path, line: first.0,
        "benchmark '\(name)': no record has an answer in \(rule.summary)\(available) (check --answer-field)")
    }
    return items
  }

  /// The most text one item may have (its parts joined).
  static let maximumItemBytes = 1 << 30

  static func isBlank(_ line: Substring.UTF8View) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  /// An item's answer by `rule`, or nil when the record does not have it.
  static func answer(_ rule: AnswerRule, _ value: (String) -> [String]) -> ItemAnswer? {
    switch rule {
    case .field(let field):
      return value(field).first.map { ItemAnswer(value: $0) }
    case .afterMarker(let field, let marker):
      guard let text = value(field).first, let range = text.range(of: marker, options: .backwards) else { return nil }
      let rest = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
      return rest.isEmpty ? nil : ItemAnswer(value: rest)
    case .lastBoxed(let field):
      guard let boxed = value(field).first.map(AnswerExtractor.allBoxed(in:)), let last = boxed.last else { return nil }
      let want = AnswerExtractor.normalize(last)
      var others: [String] = []
      for other in boxed.dropLast() where AnswerExtractor.normalize(other) != want && !others.contains(other) { others.append(other) }
      return ItemAnswer(value: last, alternatives: others)
    case .choice(let key, let choiceFields, let labelField):
      guard let raw = value(key).first?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
      let texts = choiceFields.flatMap(value)
      let labels = labelField.map(value) ?? texts.indices.map { String(UnicodeScalar(UInt8(65 + $0))) }
      // A number key ("1", "2") counts options from 1; a letter names one.
      let index = Int(raw).map { $0 - 1 } ?? labels.firstIndex(of: raw)
      guard let index, index >= 0, index < texts.count, index < labels.count else { return nil }
      let letter = Int(raw) != nil ? String(UnicodeScalar(UInt8(65 + index))) : raw
      return ItemAnswer(value: texts[index], choice: letter)
    case .indexedChoice(let key, let choiceFields):
      let texts = choiceFields.flatMap(value)
      guard let raw = value(key).first?.trimmingCharacters(in: .whitespaces), let index = Int(raw), index >= 0, index < texts.count,
        index < 26
      else { return nil }
      return ItemAnswer(value: texts[index], choice: String(UnicodeScalar(UInt8(65 + index))))
    }
  }

  /// What a dotted path finds in a record: whether it leads anywhere (a JSON null included),
  /// the texts there (strings and numbers; arrays along the way give all their elements), and
  /// the keys of the objects it ends on, which hold no text themselves
  /// (`question.choices` in OpenBookQA, where `question.choices.text` was meant).
  struct FieldLookup {
    var present = false
    var texts: [String] = []
    var objectKeys: [String]?
  }

  /// ``FieldLookup`` for `path` in `object`. A key may end in `[]` (`choices[].text`), as
  /// `--text-field` writes array paths: the same as without it, since arrays are walked anyway.
  static func lookup(_ object: Any, path: String) -> FieldLookup {
    var current: [Any] = [object]
    var present = true
    for key in path.split(separator: ".").map({ $0.hasSuffix("[]") ? String($0.dropLast(2)) : String($0) }) {
      var next: [Any] = []
      present = false
      for value in current {
        if let dictionary = value as? [String: Any], let child = dictionary[key] {
          present = true
          if let array = child as? [Any] { next += array } else { next.append(child) }
        } else if let array = value as? [Any] {
          for element in array {
            if let dictionary = element as? [String: Any], let child = dictionary[key] {
              present = true
              next.append(child)
            }
          }
        }
      }
      current = next
    }
    var found = FieldLookup(present: present)
    for value in current {
      if let string = value as? String {
        found.texts.append(string)
      } else if let number = value as? NSNumber {
        found.texts.append(number.stringValue)
      } else if let dictionary = value as? [String: Any] {
        found.objectKeys = (found.objectKeys ?? []) + dictionary.keys.sorted().filter { !(found.objectKeys ?? []).contains($0) }
      } else if value is [Any] {
        found.objectKeys = found.objectKeys ?? []  // an array in an array: no text to name
      }
    }
    return found
  }

  /// The fields of a record, for a message: its keys, sorted, and one level into an object
  /// (`question.stem`).
  static func fieldNames(_ object: Any) -> [String] {
    guard let dictionary = object as? [String: Any] else { return [] }
    return dictionary.keys.sorted().flatMap { key -> [String] in
      if let child = dictionary[key] as? [String: Any], !child.isEmpty { return child.keys.sorted().map { "\(key).\($0)" } }
      return [key]
    }
  }
}
