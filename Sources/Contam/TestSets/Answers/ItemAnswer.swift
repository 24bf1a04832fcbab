/// An item's final answer: a value (`18`, `\frac{1}{2}`), or a choice (its letter and text).
public struct ItemAnswer: Sendable, Codable, Hashable {
  /// The value, or the text of the correct option.
  public var value: String
  /// The letter of the correct option, for multiple-choice items.
  public var choice: String?
  /// Other values the item's solution gives as its answer (a MATH solution that ends
  /// `$\boxed{12x - 34}$, or $\boxed{-34 + 12x}$`): a copy stating one of them states the
  /// item's answer. `value` is the one reported.
  public var alternatives: [String]

  public init(value: String, choice: String? = nil, alternatives: [String] = []) {
    self.value = value
    self.choice = choice
    self.alternatives = alternatives
  }

  private enum CodingKeys: String, CodingKey { case value, choice, alternatives }

  /// Reads an answer written before ``alternatives`` existed as one without them.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    value = try container.decode(String.self, forKey: .value)
    choice = try container.decodeIfPresent(String.self, forKey: .choice)
    alternatives = try container.decodeIfPresent([String].self, forKey: .alternatives) ?? []
  }
}

/// How a benchmark format finds an item's answer among its fields.
public enum AnswerRule: Sendable, Hashable, Codable {
  /// The field's value as it is (MATH-Perturb `answer`, SciQ `correct_answer`).
  case field(String)
  /// The text after `marker` in the field (GSM8K: `#### 18`).
  case afterMarker(field: String, marker: String)
  /// The content of the last `\boxed{…}` in the field (MATH solutions); the other boxed
  /// values there are its ``ItemAnswer/alternatives``.
  case lastBoxed(field: String)
  /// A letter (or 1-based number) in `key` naming one of `choices`; `labels` lists the
  /// options' letters when the record has them, else A, B, C… by position.
  case choice(key: String, choices: [String], labels: String?)
  /// A number in `key` counting `choices` from 0 (Hugging Face's MMLU: `answer` 0–3); the
  /// option's letter is A, B, C… by position.
  case indexedChoice(key: String, choices: [String])

  /// What the rule reads, for messages.
  var summary: String {
    switch self {
    case .field(let field): return "the field '\(field)'"
    case .afterMarker(let field, let marker): return "the text after '\(marker)' in '\(field)'"
    case .lastBoxed(let field): return "the last \\boxed{} in '\(field)'"
    case .choice(let key, let choices, _), .indexedChoice(let key, let choices):
      return "the option '\(key)' names among \(choices.map { "'\($0)'" }.joined(separator: ", "))"
    }
  }
}

extension AnswerExtractor {
  /// The content of the last `\boxed{…}` (or `\fbox{…}`) in `text`, braces balanced.
  public static func lastBoxed(in text: String) -> String? { allBoxed(in: text).last }

  /// The contents of every `\boxed{…}` (or `\fbox{…}`) in `text`, in order (a box inside
  /// another is part of its content).
  public static func allBoxed(in text: String) -> [String] {
    let bytes = Array(text.utf8)
    var result: [String] = []
    var i = 0
    while i < bytes.count {
      if let content = boxed(bytes, at: i) {
        result.append(String(decoding: content.bytes, as: UTF8.self))
        i = content.end
      } else {
        i += 1
      }
    }
    return result
  }

  static let openers = [Array("\\boxed{".utf8), Array("\\fbox{".utf8)]

  /// The balanced-brace content of a `\boxed{` or `\fbox{` starting at `i`.
  static func boxed(_ bytes: [UInt8], at i: Int) -> (bytes: ArraySlice<UInt8>, end: Int)? {
    guard bytes[i] == UInt8(ascii: "\\") else { return nil }
    for opener in openers {
      guard i + opener.count <= bytes.count, bytes[i..<i + opener.count].elementsEqual(opener) else { continue }
      var depth = 1
      var j = i + opener.count
      while j < bytes.count {
        if bytes[j] == UInt8(ascii: "{") { depth += 1 }
        if bytes[j] == UInt8(ascii: "}") {
          depth -= 1
          if depth == 0 { return (bytes[(i + opener.count)..<j], j + 1) }
        }
        j += 1
      }
    }
    return nil
  }
}
