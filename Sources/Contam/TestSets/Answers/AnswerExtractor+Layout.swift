import Foundation

/// The layout around an answer a copy states: what hides a letter or a value from a plain
/// reading (HTML tags and entities, markdown emphasis, look-alike letters of other scripts), and
/// the copy's own options, whose order may not be the item's.
extension AnswerExtractor {
  /// `text` as a reader sees it: HTML layout tags become a space, character references their
  /// character, mojibake (``Mojibake``) the character it stands for, look-alike letters and
  /// letters drawn as symbols (``ScriptFold``) and full-width forms their ASCII letter or digit,
  /// in the case they were written in; a citation mark (`[4]` after the answer) is dropped, as
  /// tokens drop it (rule 28). Everything else is kept as it is, so a MATH answer
  /// (`\frac{1}{2}`, `x<3`) reads the same.
  public static func plain(_ text: UnsafeRawBufferPointer) -> String {
    guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return "" }
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    var i = 0
    while i < text.count {
      let byte = base[i]
      if byte == UInt8(ascii: "<"), case let length = LayoutMarkup.tagLength(base + i, available: text.count - i), length > 0 {
        out.append(0x20)
        i += length
        continue
      }
      if byte == UInt8(ascii: "&"), let (value, length) = HTMLEntity.decode(base + i, available: text.count - i),
        let scalar = Unicode.Scalar(value)
      {
        out += scalar == "\u{A0}" ? [0x20] : Array(String(Character(scalar)).utf8)
        i += length
        continue
      }
      if byte == UInt8(ascii: "["), i > 0, case let digits = (i + 1..<min(text.count, i + 5)).prefix(while: { base[$0] &- 0x30 < 10 }),
        !digits.isEmpty, LayoutMarkup.isCitationMark(base, count: text.count, start: i + 1, end: digits.upperBound)
      {
        // A citation mark (`18.[4]`, `D[13]`) is not part of the answer before it (rule 28).
        i = digits.upperBound + 1
        continue
      }
      guard byte >= 0x80 else {
        out.append(byte)
        i += 1
        continue
      }
      // Mojibake (`â€™`) is the character it stands for, as tokens read it (rule 25).
      let (value, length) = Mojibake.decode(base + i, available: text.count - i) ?? _UTF8.decode(base + i, available: text.count - i)
      guard length > 0, let scalar = Unicode.Scalar(value) else {
        out.append(byte)  // not UTF-8: kept, and read as U+FFFD like the rest of the region
        i += 1
        continue
      }
      if let ascii = asciiForm(of: scalar) { out.append(ascii) } else { out += UnsafeBufferPointer(start: base + i, count: length) }
      i += length
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The ASCII letter or digit a non-ASCII scalar reads as, in its case; nil when it reads as
  /// none (or as several).
  static func asciiForm(of scalar: Unicode.Scalar) -> UInt8? {
    switch scalar.value {
    case 0xA0, 0x2000...0x200A: return 0x20  // spaces
    case 0x2010...0x2015, 0x2212: return UInt8(ascii: "-")  // dashes, minus sign
    case 0x2018, 0x2019: return UInt8(ascii: "'")
    case 0x201C, 0x201D: return UInt8(ascii: "\"")
    default: break
    }
    let upper = scalar.properties.isUppercase
    func cased(_ letter: UInt8) -> UInt8 { upper && letter >= 0x61 && letter <= 0x7A ? letter - 32 : letter }
    if let letter = ScriptFold.latin(scalar) { return cased(letter) }
    let compatible = String(Character(scalar)).decomposedStringWithCompatibilityMapping.unicodeScalars
    if compatible.count == 1, let only = compatible.first, only.isASCII, only.properties.isAlphabetic || ("0"..."9").contains(only) {
      return UInt8(only.value)
    }
    if let letters = ScriptFold.letters(ofSymbol: scalar), letters.utf8.count == 1, let only = letters.utf8.first {
      return cased(only)
    }
    return nil
  }

  /// The options the copy labels in `text` (up to its answer statement), by letter (the last text given a
  /// letter, when a page lists several items): lines that start with a label (`B. text`,
  /// `(B) text`, `B) text`, `b. text`, after a list bullet), a line that lists several
  /// (`A. 0 B. 4 C. 2`). Lines without a label before the next label continue the option above
  /// them (a copy that broke its lines, a label alone on its line); the last option is taken
  /// to its line's end, or to the next line when its label stands alone.
  /// With `numbered`, the labels read are numbers instead (`1.`, `(2)`, `3)`, and lower-case
  /// Roman numerals `(iv)`, `iv.`), each keyed by the letter of its place (`3` and `iii` as `C`).
  static func copyOptions(in text: String, numbered: Bool = false) -> [Unicode.Scalar: String] {
    var options: [Unicode.Scalar: String] = [:]
    var last: Unicode.Scalar? = nil
    var continued: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      let labelled = labelledOptions(in: line, numbered: numbered)
      guard !labelled.isEmpty else {
        if last != nil { continued.append(line.trimmingCharacters(in: .whitespaces)) }
        continue
      }
      if let last, !continued.isEmpty { options[last] = ([options[last] ?? ""] + continued).joined(separator: " ") }
      continued = []
      for option in labelled { options[option.letter] = option.text }
      last = labelled.last!.letter
    }
    if let last, options[last]?.isEmpty == true, let next = continued.first { options[last] = next }
    return options.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
  }

  /// The letter under which the copy gives the option `expected` (its text): the copy's option
  /// equal to it, else the one most like it (``similarity(_:_:)`` at least 0.5, and clearly
  /// more than any other's: by 0.15), so options in another order, or copied with a typo or a word dropped, are still
  /// found. Nil unless the copy labels options A, B, … without a gap (Roman `(i)` labels, or a
  /// label the copy's markup hid, leave the letters unknown), or when no option is clearly it
  /// (moral-scenarios options `Wrong, Not wrong` differ by a word).
  static func copyLetter(of expected: String, in text: String, numbered: Bool = false) -> String? {
    let options = copyOptions(in: text, numbered: numbered)
    guard options.count >= 2, options.keys.allSatisfy({ $0.value - 0x41 < UInt32(options.count) }) else { return nil }
    // One option equal to it decides (options may differ by a syllable: `elastic`, `inelastic`).
    let equal = options.filter { comparable($0.value) == comparable(expected) }
    if equal.count == 1 { return String(equal.first!.key) }
    let scored = options.map { (letter: $0.key, score: similarity($0.value, expected)) }.sorted { $0.score > $1.score }
    guard equal.isEmpty, let best = scored.first, best.score >= 0.5, scored[1].score + 0.15 <= best.score else { return nil }
    return String(best.letter)
  }

  /// The options a line labels: one when the line starts with a label, several when more labels
  /// of the next letters follow on it (`A. 0 B. 4 C. 2 D. 6`).
  static func labelledOptions(in line: Substring, numbered: Bool = false) -> [(letter: Unicode.Scalar, text: String)] {
    let scalars = Array(line.unicodeScalars)
    /// The label at `k`: `(B)`, `B)`, `B.`, `B:` followed by a space; its letter (upper case) and end.
    /// With `numbered`, `(3)`, `3)`, `3.`, `(iii)`, `iii.`: the letter of its place and its end.
    func label(at k: Int) -> (letter: Unicode.Scalar, end: Int)? {
      var p = k
      let open = p < scalars.count && (scalars[p] == "(" || scalars[p] == "[")
      if open { p += 1 }
      let letter: Unicode.Scalar
      if numbered {
        var q = p
        while q < scalars.count && q - p < 4 && (("1"..."9").contains(scalars[q]) || "ivx".unicodeScalars.contains(scalars[q])) { q += 1 }
        guard q > p, q < scalars.count, let place = Self.place(ofNumberLabel: String(String.UnicodeScalarView(scalars[p..<q]))) else { return nil }
        letter = Unicode.Scalar(0x40 + UInt8(place))  // as ``placeLetter(_:)``
        p = q - 1
      } else {
        guard p + 1 < scalars.count, scalars[p].isASCII, scalars[p].properties.isAlphabetic else { return nil }
        letter = Unicode.Scalar(UInt8(scalars[p].value) & 0xDF)
      }
      guard ("A"..."J").contains(letter) else { return nil }
      let close = scalars[p + 1]
      guard close == ")" || close == "]" || (!open && (close == "." || close == ":")) else { return nil }
      let end = p + 2
      guard end == scalars.count || scalars[end] == " " || scalars[end] == "\t" else { return nil }
      return (letter, end)
    }
    var start = 0
    while start < scalars.count, [" ", "\t", "-", "*", "+", "|", ">"].contains(scalars[start]) { start += 1 }
    guard var current = label(at: start) else { return [] }
    var result: [(letter: Unicode.Scalar, text: String)] = []
    var textStart = current.end
    var k = current.end
    while k < scalars.count {
      // The next letter's label after a space ends this option's text.
      if scalars[k - 1] == " " || scalars[k - 1] == "\t", let next = label(at: k), next.letter.value == current.letter.value + 1 {
        result.append((current.letter, text(scalars[textStart..<k])))
        current = next
        textStart = next.end
        k = next.end
        continue
      }
      k += 1
    }
    result.append((current.letter, text(scalars[textStart..<scalars.count])))
    return result
  }

  /// The letter of an option's place (1 is `A`), as numbered options are keyed.
  static func placeLetter(_ place: Int) -> String { String(Unicode.Scalar(0x40 + UInt8(place))) }

  /// The place (1–10) a number label gives: a digit 1–9, or a lower-case Roman numeral i–x.
  static func place(ofNumberLabel label: String) -> Int? {
    if label.count == 1, let digit = Int(label), digit >= 1 { return digit }
    return ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"].firstIndex(of: label).map { $0 + 1 }
  }

  private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars)
    return String(s).trimmingCharacters(in: CharacterSet(charactersIn: " \t*_|"))
  }

  /// Whether a stated option text names the option `expected`: equal letters and digits, or
  /// the stated text begins with an option text of at least 4 of them (`light energy is
  /// converted…, more`).
  static func names(_ stated: String, option expected: String) -> Bool {
    let said = comparable(stated)
    let option = comparable(expected)
    return !option.isEmpty && (said == option || (option.count >= 4 && said.hasPrefix(option)))
  }
}
