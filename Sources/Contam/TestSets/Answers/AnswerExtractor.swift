import Foundation

/// Finds the answer a document states after a match, and compares it with the item's.
///
/// The first of these after the match start (within ``searchBytes``) is the document's answer:
/// `\boxed{…}`, `#### value` (GSM8K style: the next word), `answer is value` / `Answer: value`. For
/// multiple-choice items an option letter (`Answer: B`, `answer is (B)`), or else the text after
/// "Answer:", which agrees when it begins with the correct option's text. Values
/// compare after ``normalize(_:)``, and numerically when both read as numbers.
public enum AnswerExtractor {
  /// How far past the match start the answer is looked for.
  public static let searchBytes = 16 * 1024

  /// Compares the item's answer with the first answer stated in `text` from byte `start` on.
  public static func check(expected: ItemAnswer, in text: UnsafeRawBufferPointer, from start: Int) -> AnswerCheck {
    let end = min(text.count, start + searchBytes)
    let region = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
    if let letter = expected.choice {
      if let found = statedChoice(in: region) {
        return AnswerCheck(agreement: found == letter ? .same : .different, expected: letter, found: found)
      }
      // No letter: the option's text after "answer is" / "Answer:" counts too.
      guard let stated = statedLine(in: region) else { return AnswerCheck(agreement: .none, expected: letter, found: nil) }
      let option = comparable(expected.value)
      let said = comparable(stated)
      return AnswerCheck(agreement: !option.isEmpty && said.hasPrefix(option) ? .same : .different, expected: letter, found: stated)
    }
    let want = normalize(expected.value)
    guard let stated = statedValue(in: region) else { return AnswerCheck(agreement: .none, expected: want, found: nil) }
    let found = normalize(stated)
    return AnswerCheck(agreement: equivalent(want, found) ? .same : .different, expected: want, found: found)
  }

  /// The first value stated in `text`: boxed, after `####`, or after "answer is" / "answer:".
  public static func statedValue(in text: String) -> String? {
    var candidates: [(offset: Int, value: String)] = []
    let bytes = Array(text.utf8)
    if let i = firstIndex(of: "\\boxed{", in: bytes) ?? firstIndex(of: "\\fbox{", in: bytes), let content = boxed(bytes, at: i) {
      candidates.append((i, String(decoding: content.bytes, as: UTF8.self)))
    }
    if let range = text.range(of: "####") {
      // GSM8K style: the value is the next word (the text may go on on the same line).
      let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace }
      if !rest.isEmpty { candidates.append((text.utf8.distance(from: text.startIndex, to: range.lowerBound), String(rest))) }
    }
    if let range = text.range(of: #"(?i)\banswer\s*(is|:)\s*"#, options: .regularExpression) {
      let rest = text[range.upperBound...].prefix { $0 != "\n" }
      let value = rest.split(separator: " ").prefix(3).joined(separator: " ")
      let trimmed = String(value.prefix { $0 != "," && $0 != ";" }).trimmingCharacters(in: CharacterSet(charactersIn: " .:"))
      if !trimmed.isEmpty { candidates.append((text.utf8.distance(from: text.startIndex, to: range.lowerBound), trimmed)) }
    }
    return candidates.min { $0.offset < $1.offset }?.value
  }

  /// The first option letter stated as the answer: `Answer: B`, `answer is (C)`, `Correct answer: D`.
  public static func statedChoice(in text: String) -> String? {
    guard let range = text.range(of: #"(?i)\banswer\s*(is|:)?\s*:?\s*\(?([A-J])\b\)?"#, options: .regularExpression)
    else { return nil }
    let match = text[range]
    guard let letter = match.last(where: { $0.isLetter && $0.isUppercase }) ?? match.last(where: \.isLetter) else {
      return nil
    }
    return String(letter).uppercased()
  }

  /// The rest of the line after the first "answer is" / "answer:".
  static func statedLine(in text: String) -> String? {
    guard let range = text.range(of: #"(?i)\banswer\s*(is|:)\s*"#, options: .regularExpression) else { return nil }
    let rest = text[range.upperBound...].prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
    return rest.isEmpty ? nil : rest
  }

  /// Lower-cased letters and digits only, for comparing option texts.
  static func comparable(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
  }

  /// The comparable form of an answer: no spaces, dollars, `\left`/`\right`, `\!`, `\,`,
  /// `\text{…}` wrappers, degree and percent signs, trailing period; `\dfrac`/`\tfrac` → `\frac`;
  /// thousands separators dropped from numbers.
  public static func normalize(_ answer: String) -> String {
    var s = answer
    for (from, to) in [
      ("\\left", ""), ("\\right", ""), ("\\!", ""), ("\\,", ""), ("\\;", ""), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"),
      ("^\\circ", ""), ("^{\\circ}", ""), ("\\%", ""), ("%", ""), ("$", ""), ("\\$", ""),
    ] {
      s = s.replacingOccurrences(of: from, with: to)
    }
    s = s.replacingOccurrences(of: #"\\text\{([^}]*)\}"#, with: "$1", options: .regularExpression)
    s = s.replacingOccurrences(of: #"\\mbox\{([^}]*)\}"#, with: "$1", options: .regularExpression)
    s = s.filter { !$0.isWhitespace }
    while s.hasSuffix(".") { s.removeLast() }
    if s.range(of: #"^-?\d{1,3}(,\d{3})+(\.\d+)?$"#, options: .regularExpression) != nil {
      s = s.replacingOccurrences(of: ",", with: "")
    }
    return s
  }

  /// Equal after normalization, or equal as numbers.
  public static func equivalent(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    if let x = Double(a), let y = Double(b) { return abs(x - y) <= 1e-9 * max(1, abs(x)) }
    return false
  }

  static func firstIndex(of needle: String, in bytes: [UInt8]) -> Int? {
    let n = Array(needle.utf8)
    guard bytes.count >= n.count else { return nil }
    for i in 0...(bytes.count - n.count) where bytes[i] == n[0] && bytes[i..<i + n.count].elementsEqual(n) { return i }
    return nil
  }
}
