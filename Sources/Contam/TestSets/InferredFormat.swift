import Foundation

/// A field mapping for a benchmark that is no preset, read from its own records (`--fields
/// auto`): which fields hold the question, the options, the answer and a passage, which one
/// names the items, where the answer is, and which fields are left out and why.
///
/// The rules, by each field's name and values over every record of the first file:
/// - a field is a part only if every record has it (the loader refuses a mapping some records
///   lack); one that holds the same text as another, or is inside it in most records
///   (HellaSwag's `ctx_a` inside `ctx`), is left out, and so are categories (few distinct values
///   over many records: `subject`, `activity_label`), single words (labels, names, URLs) and
///   the fields a test item does not show (`test`, `entry_point`, `incorrect_answers`, `source`);
/// - options are a list under a name such as `choices`, `options` or `endings`, or numbered
///   fields of one stem (`option1`, `sol2`, `distractor3`, `Incorrect Answer 1`, `opa`), with a
///   field naming the correct one among them (`correct_answer`) as one more option;
/// - the answer is an option named by a letter or a number (counted from 0 when some record
///   says 0), the text after `####` or the last `\boxed{}` of a field most records have them
///   in, or a short field named like an answer;
/// - the id is a field named like one (`id`, `task_id`, `idx`) whose values are all distinct.
/// Every other field that holds text of several words is a part of its own name: a field no
/// rule knows is searched rather than dropped. The result is an ordinary mapping, recorded in
/// the certificate as any other, so `verify` reads the files the way the scan did.
public struct InferredFormat: Sendable {
  /// The mapping read from the records.
  public var format: BenchmarkFormat
  /// The fields not in the mapping, each with why.
  public var leftOut: [(field: String, reason: String)]

  /// Reads the records of the benchmark at `path` (its first file, for a directory) and infers
  /// a mapping for them.
  /// - Throws: ``ContamError/Code/invalidBenchmark`` when the file cannot be read or no field
  ///   of its records holds text.
  public static func infer(name: String, path: String) throws -> InferredFormat {
    guard let first = try BenchmarkLoader.files(of: [(name, path, BenchmarkFormat(layout: .jsonl, parts: []))]).first?.file else {
      throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': the directory holds no file")
    }
    var layout = BenchmarkFormat.Layout(path: first)
    var (records, fields, _) = try BenchmarkLoader.records(name: name, path: first, format: BenchmarkFormat(layout: layout, parts: []))
    // A CSV file whose first row is an item, not a header (MMLU's): columns by number.
    if layout == .csv, fields.contains(where: { $0.split(separator: " ").count > 4 || $0.count > 60 }) || Set(fields).count < fields.count {
      layout = .csvNoHeader
      (records, fields, _) = try BenchmarkLoader.records(name: name, path: first, format: BenchmarkFormat(layout: layout, parts: []))
    }
    return try infer(name: name, path: first, layout: layout, records: records.prefix(Self.sampled).map { $0.object() })
  }

  /// How many records the mapping is read from (the first of the file).
  static let sampled = 5000

  /// The mapping for `records` (a file's records in `layout`).
  static func infer(name: String, path: String, layout: BenchmarkFormat.Layout, records: [[String: Any]]) throws -> InferredFormat {
    var (fields, unnamed) = Self.fields(of: records)
    if layout == .csvNoHeader, let positional = positional(fields, count: records.count) { return positional }
    let count = records.count
    var leftOut: [(field: String, reason: String)] = []
    func leave(_ path: String, _ reason: String) {
      leftOut.append((path, reason))
      fields[path] = nil
    }
    // Fields some records lack cannot be parts; empty ones hold nothing.
    for path in unnamed.sorted() { leftOut.append((path, "a name a field path cannot spell (empty, or holding a dot)")) }
    for (path, field) in fields where field.present < count { leave(path, "missing from \(count - field.present) of \(count) records") }
    for (path, field) in fields where field.values.allSatisfy(\.isEmpty) { leave(path, "empty in every record") }

    // The id: a field named like one, distinct in every record.
    let idField = fields.keys.sorted { Self.idRank($0) < Self.idRank($1) }.first { path in
      let field = fields[path]!
      return Self.idRank(path) < Int.max && !field.isList && Set(field.values).count == count
        && field.values.allSatisfy { !$0.isEmpty && $0.count <= 128 && !$0.contains(" ") }
    }
    if let idField { fields[idField] = nil }

    // Options: a list named like them, or numbered fields of one stem, with the correct one.
    var choiceFields: [String] = []
    var labelsField: String?
    if let list = fields.keys.sorted().first(where: { path in
      let words = Self.words(path)
      return fields[path]!.isList && words.contains(where: Self.choiceWords.contains) && !Self.labelWords.contains(words.last!)
    }) {
      choiceFields = [list]
      let parent = list.split(separator: ".").dropLast().joined(separator: ".")
      labelsField = fields.keys.sorted().first { path in
        path != list && fields[path]!.isList && path.split(separator: ".").dropLast().joined(separator: ".") == parent
          && Self.labelWords.contains(Self.words(path).last ?? "")
      }
    } else {
      var groups: [String: [(member: String, path: String)]] = [:]
      for path in fields.keys where !fields[path]!.isList {
        if let (stem, member) = Self.numbered(path) { groups[stem, default: []].append((member, path)) }
      }
      if let (_, members) = groups.filter({ $0.value.count >= 2 }).max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) {
        choiceFields = members.sorted { Self.memberOrder($0.member, $1.member) }.map(\.path)
        // The correct option in a field of its own (SciQ, GPQA): one more option, the last.
        if let correct = fields.keys.sorted().first(where: { path in
          let name = Self.words(path).joined()
          return !choiceFields.contains(path) && !fields[path]!.isList && name.contains("correct") && !name.contains("incorrect")
            && Self.answerWords.contains(where: name.contains)
        }) {
          choiceFields.append(correct)
        }
      }
    }
    if let labelsField { fields[labelsField] = nil }

    // The answer.
    var answer: AnswerRule?
    var keyField: String?
    if !choiceFields.isEmpty {
      keyField = fields.keys.sorted().first { path in
        let field = fields[path]!
        return !choiceFields.contains(path) && !field.isList && Self.keyWords.contains(Self.words(path).joined())
          && field.values.allSatisfy { $0.trimmingCharacters(in: .whitespaces).count <= 2 } && field.values.contains { !$0.isEmpty }
      }
      if let key = keyField {
        let values = fields[key]!.values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if labelsField != nil {
          answer = .choice(key: key, choices: choiceFields, labels: labelsField)
        } else if values.allSatisfy({ Int($0) != nil }) {
          // Counted from 0 when some record says 0 (Hugging Face's MMLU, HellaSwag), else from 1.
          answer = values.contains("0") ? .indexedChoice(key: key, choices: choiceFields) : .choice(key: key, choices: choiceFields, labels: nil)
        } else if values.allSatisfy({ $0.count == 1 && $0.first!.isLetter }) {
          answer = .choice(key: key, choices: choiceFields, labels: labelsField)
        }
        fields[key] = nil
      }
      if answer == nil, let correct = choiceFields.last, Self.words(correct).joined().contains("correct") {
        answer = .field(correct)
      }
    }
    if let labelsField, answer.map({ if case .choice(_, _, labelsField) = $0 { false } else { true } }) ?? true {
      leftOut.append((labelsField, "the options' labels"))
    }
    if answer == nil {
      let candidates = fields.keys.sorted { (Self.answerRank($0), $0) < (Self.answerRank($1), $1) }
      // A rule reads a field's first value: a list's (a chat's turns) would be its first element.
      if let marked = candidates.first(where: { !fields[$0]!.isList && fields[$0]!.share { $0.contains("####") } >= 0.9 }) {
        answer = .afterMarker(field: marked, marker: "####")
      } else if let short = candidates.first(where: { path in
        let field = fields[path]!
        // A few words (a number, an expression, a name), not yes or no.
        return Self.answerRank(path) < Int.max && !choiceFields.contains(path) && field.meanWords <= 5
          && !field.isCategory(of: count) && Set(field.values).count > 2
      }) {
        answer = .field(short)
      } else if let boxed = candidates.first(where: { !fields[$0]!.isList && fields[$0]!.share { $0.contains("\\boxed") || $0.contains("\\fbox") } >= 0.9 }) {
        answer = .lastBoxed(field: boxed)
      }
    }

    // The parts: the other fields that hold text.
    for path in fields.keys.sorted() where !choiceFields.contains(path) {
      let field = fields[path]!
      let words = Self.words(path)
      if let reason = Self.hidden(path) {
        leave(path, reason)
      } else if field.isCategory(of: count) {
        leave(path, "a category: \(Set(field.values).count) values over \(count) records")
      } else if field.meanWords < 1.5 && Self.role(of: path) != .answer && Self.role(of: path) != .question {
        leave(path, "one word a record (a label, a name or a link)")
      } else if Self.role(of: path) != .answer && field.values.allSatisfy({ $0.split(separator: "\n").allSatisfy { Double($0) != nil } }) {
        leave(path, field.isList ? "numbers" : "a number")
      } else if field.isList && words.contains(where: Self.choiceWords.contains) {
        leave(path, choiceFields.first.map { "options again ('\($0)' is read)" } ?? "options")
      }
    }
    // A field inside another in most records adds nothing but its tokens twice. A question
    // stays unless it is inside another question field: judged without it, an item would be
    // judged on its options and passage alone.
    for path in fields.keys.sorted() where !choiceFields.contains(path) {
      guard let field = fields[path] else { continue }
      let isQuestion = Self.role(of: path) == .question
      if let outer = fields.keys.sorted().first(where: { other in
        other != path && !choiceFields.contains(other) && (!isQuestion || Self.role(of: other) == .question)
          && fields[other].map { field.isInside($0) } ?? false
      }) {
        leave(path, "its text is inside '\(outer)'")
      }
    }
    var byRole: [Role: [String]] = [:]
    for path in fields.keys.sorted() where !choiceFields.contains(path) { byRole[Self.role(of: path), default: []].append(path) }
    var parts: [(name: String, fields: [String])] = []
    if let question = byRole[.question] { parts.append(("question", question)) }
    if !choiceFields.isEmpty { parts.append(("choices", choiceFields)) }
    if let answerFields = byRole[.answer] { parts.append(("answer", answerFields)) }
    for path in byRole[.other] ?? [] { parts.append((path, [path])) }
    if let passage = byRole[.passage] {
      // Named as its field when that is a context part's name already (SciQ's `support`).
      let own = passage.count == 1 ? Self.words(passage[0]).last! : ""
      parts.append((BenchmarkItem.contextPartNames.contains(own) ? own : "passage", passage))
    }
    guard !parts.isEmpty else {
      let reasons = leftOut.map { "'\($0.field)' (\($0.reason))" }.joined(separator: ", ")
      throw ContamError(.invalidBenchmark, path: path, "benchmark '\(name)': no field of its records holds item text\(reasons.isEmpty ? "" : ": \(reasons)")")
    }
    // A rule whose field is no part still reads the answer (MATH-500's `answer`, inside its solution).
    return InferredFormat(
      format: BenchmarkFormat(layout: layout, parts: parts, idField: idField, answer: answer),
      leftOut: leftOut.sorted { $0.field < $1.field })
  }

  /// Columns without names (MMLU's CSV): the question first, the options after it, and the
  /// correct one's letter (or number) last; nil when the last column is no such key.
  static func positional(_ fields: [String: Field], count: Int) -> InferredFormat? {
    let columns = fields.keys.compactMap(Int.init).sorted()
    guard columns.count >= 4, columns == Array(0..<columns.count), fields.values.allSatisfy({ $0.present == count }) else { return nil }
    let key = String(columns.last!)
    let values = fields[key]!.values.map { $0.trimmingCharacters(in: .whitespaces) }
    let letters = values.allSatisfy { $0.count == 1 && $0.first!.isLetter }
    guard letters || values.allSatisfy({ Int($0).map { (0..<26).contains($0) } ?? false }) else { return nil }
    let choices = columns.dropFirst().dropLast().map(String.init)
    let answer: AnswerRule = !letters && values.contains("0") ? .indexedChoice(key: key, choices: choices) : .choice(key: key, choices: choices, labels: nil)
    return InferredFormat(
      format: BenchmarkFormat(layout: .csvNoHeader, parts: [("question", ["0"]), ("choices", choices)], answer: answer), leftOut: [])
  }

  /// The mapping as `--fields`, `--item-id-field` and `--answer-field` would give it, for messages.
  public var summary: String {
    var text = format.parts.map { "\($0.name)=\($0.fields.joined(separator: "+"))" }.joined(separator: ",")
    if let id = format.idField { text += "; id: \(id)" }
    text += "; answer: \(format.answer?.summary ?? "none")"
    if !leftOut.isEmpty { text += "; left out: " + leftOut.map { "\($0.field.isEmpty ? "''" : $0.field) (\($0.reason))" }.joined(separator: ", ") }
    return text
  }

  // MARK: - Fields and their values

  /// One field of the records: how many have it, and per record its text (a list's elements
  /// joined by newlines).
  struct Field {
    var present = 0
    var values: [String] = []
    var isList = false
    var words = 0

    var meanWords: Double { values.isEmpty ? 0 : Double(words) / Double(values.count) }

    /// The share of records whose text `test` holds for.
    func share(_ test: (String) -> Bool) -> Double { values.isEmpty ? 0 : Double(values.filter(test).count) / Double(values.count) }

    /// Few distinct values over many records (a subject, an activity, a level).
    func isCategory(of count: Int) -> Bool { count >= 20 && Set(values).count * 10 <= count }

    /// Whether this field's text is inside `other`'s (or the same) in nine records of ten where
    /// it has any.
    func isInside(_ other: Field) -> Bool {
      var texted = 0
      var inside = 0
      for (value, outer) in zip(values, other.values) where !value.isEmpty {
        texted += 1
        if outer.contains(value) { inside += 1 }
      }
      return texted > 0 && inside * 10 >= texted * 9
    }
  }

  /// Every field that ends on text (strings, numbers, lists of them), by dotted path, over `records`.
  /// Also the keys a field path cannot name (empty, or holding a dot).
  static func fields(of records: [[String: Any]]) -> (fields: [String: Field], unnamed: Set<String>) {
    var fields: [String: Field] = [:]
    var unnamed: Set<String> = []
    for (r, record) in records.enumerated() {
      var texts: [String: [String]] = [:]
      var lists: Set<String> = []
      func walk(_ value: Any, _ path: String, inList: Bool) {
        if let string = value as? String {
          texts[path, default: []].append(string)
          if inList { lists.insert(path) }
        } else if let number = value as? NSNumber {
          texts[path, default: []].append(number.stringValue)
          if inList { lists.insert(path) }
        } else if let object = value as? [String: Any] {
          for (key, child) in object {
            // A name a dotted field path cannot spell: no field of the mapping can read it.
            guard !key.isEmpty, !key.contains(".") else {
              unnamed.insert(path.isEmpty ? key : "\(path).\(key)")
              continue
            }
            walk(child, path.isEmpty ? key : "\(path).\(key)", inList: inList)
          }
        } else if let array = value as? [Any] {
          // A list of objects is no field itself: its elements' fields are (`choices.text`).
          if !array.contains(where: { $0 is [String: Any] }) {
            texts[path, default: []] += []
            lists.insert(path)
          }
          for element in array where !(element is [Any]) { walk(element, path, inList: true) }
        } else {
          texts[path, default: []] += []  // null: present, empty
        }
      }
      walk(record, "", inList: false)
      for (path, values) in texts where !path.isEmpty {
        var field = fields[path] ?? Field()
        // Records before the first that had it: empty.
        while field.values.count < r { field.values.append("") }
        let text = values.joined(separator: "\n")
        field.present += 1
        field.values.append(text)
        field.words += text.split(whereSeparator: \.isWhitespace).count
        field.isList = field.isList || lists.contains(path)
        fields[path] = field
      }
    }
    for path in fields.keys { while fields[path]!.values.count < records.count { fields[path]!.values.append("") } }
    return (fields, unnamed)
  }

  // MARK: - Names

  enum Role { case question, answer, passage, other }

  /// A dotted path's keys, lower case, letters and digits only (`Best Answer` → `bestanswer`).
  static func words(_ path: String) -> [String] {
    path.split(separator: ".").map { String($0.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
  }

  static func role(of path: String) -> Role {
    let words = Self.words(path)
    if words.contains(where: passageWords.contains) { return .passage }
    if words.contains(where: { answerWords.contains($0) }) { return .answer }
    if words.contains(where: questionWords.contains) { return .question }
    return .other
  }

  static let questionWords: Set<String> = [
    "question", "questions", "problem", "prompt", "query", "input", "instruction", "sentence", "goal", "stem", "text", "ctx",
    "premise", "claim", "statement", "questionstem", "q", "body", "task", "hypothesis",
  ]
  static let answerWords: Set<String> = [
    "answer", "answers", "solution", "solutions", "canonicalsolution", "target", "targets", "output", "completion", "code",
    "bestanswer", "correctanswer", "finalanswer", "response", "rationale", "a", "ans", "sol",
  ]
  static let passageWords: Set<String> = BenchmarkItem.contextPartNames.union([
    "article", "paragraph", "document", "story", "background", "evidence", "contexts", "passages",
  ])
  static let choiceWords: Set<String> = ["choices", "options", "endings", "candidates", "alternatives", "choice", "option"]
  static let labelWords: Set<String> = ["label", "labels", "key", "keys", "id", "ids", "letter", "letters"]
  /// Names of fields that tell which option is correct.
  static let keyWords: Set<String> = [
    "answer", "answerkey", "label", "gold", "correct", "target", "answeridx", "answerindex", "key", "cop", "answerletter",
    "correctoption", "correctchoice", "goldindex", "correctanswer", "answerlabel",
  ]
  /// Why a field is not shown with a test item, by its name; nil for other fields.
  static func hidden(_ path: String) -> String? {
    let names = words(path)
    func named(_ set: Set<String>) -> Bool { set.contains(names.joined()) || names.contains(where: set.contains) }
    if named(["test", "tests", "testlist", "testsetupcode", "challengetestlist", "entrypoint", "testcode", "testimports"]) {
      return "tests of the solution"
    }
    if named(["incorrectanswers", "correctanswers", "bestincorrectanswer"]) { return "answers other than the one the item shows" }
    if named(["explanation", "explanations", "exp", "cotcontent", "cot", "hint", "hints", "reasoning", "notes", "note", "comment", "comments"]) {
      return "an explanation, not shown with the question"
    }
    if named([
      "url", "urls", "source", "sources", "split", "subject", "category", "categories", "level", "type", "difficulty", "tags", "license",
      "language", "lang", "metadata", "meta", "filename", "file", "path", "sourcefile",
    ]) {
      return "metadata"
    }
    return nil
  }

  /// How much a field's name says it is the item's id (lower first; `Int.max`: not an id).
  static func idRank(_ path: String) -> Int {
    let name = words(path).joined()
    if name == "id" { return 0 }
    if ["idx", "ind", "qid", "uid", "uuid", "guid", "index"].contains(name) { return 1 }
    if name.hasSuffix("id") && name.count > 2 && !name.hasSuffix("paid") && !name.hasSuffix("valid") { return 2 }
    return Int.max
  }

  /// How much a field's name says it holds the answer (lower first; by its best key:
  /// SQuAD's `answers.text` is an answer; `Int.max`: not one).
  static func answerRank(_ path: String) -> Int {
    let order = ["finalanswer", "answer", "correctanswer", "bestanswer", "target", "answers", "solution", "output", "completion", "response"]
    return words(path).map { order.firstIndex(of: $0) ?? (answerWords.contains($0) ? order.count : Int.max) }.min() ?? Int.max
  }

  /// A field of a numbered stem that names options (`option1`, `sol2`, `ending0`, `distractor3`,
  /// `Incorrect Answer 1`, `opa`, `A`): its stem and member.
  static func numbered(_ path: String) -> (stem: String, member: String)? {
    guard !path.contains(".") else { return nil }
    let name = words(path).joined()
    if name.count == 1, let letter = name.first, ("a"..."e").contains(letter) { return ("", name) }
    let digits = name.reversed().prefix { $0.isNumber }
    if !digits.isEmpty {
      let stem = String(name.dropLast(digits.count))
      return optionStems.contains(stem) ? (stem, String(digits.reversed())) : nil
    }
    // A stem and a letter: MedMCQA's opa, opb, opc, opd.
    if let last = name.last, ("a"..."e").contains(last), ["op", "option", "choice"].contains(String(name.dropLast())) {
      return (String(name.dropLast()), String(last))
    }
    return nil
  }

  static let optionStems: Set<String> = [
    "option", "options", "choice", "choices", "sol", "solution", "ending", "endings", "distractor", "answer", "incorrectanswer",
    "candidate", "alternative", "opt", "op", "mc", "alt",
  ]

  static func memberOrder(_ a: String, _ b: String) -> Bool {
    if let x = Int(a), let y = Int(b) { return x < y }
    return a < b
  }
}
