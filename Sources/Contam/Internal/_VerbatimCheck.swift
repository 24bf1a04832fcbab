/// Whether a near copy holds its target word for word, math operators included.
///
/// Tokens are letters and digits; `+ - = < > ^` separate them and are not tokens. So the
/// MATH-Perturb problem `(x^2 - 3x + 1)` and its original `(x^2 + 3x + 1)` give the same tokens,
/// and a copy of the original holds every shingle of the perturbed problem. The verdict asks
/// this check only there: a copy with every shingle of its target that states another answer
/// is the item with another answer after it (`contaminated`) when it is verbatim, and a
/// perturbed problem when it is not.
///
/// Verbatim means: the target's tokens appear as one run in the document; between each two
/// neighbouring tokens the same operators and lone letters stand, in the same order, in the item
/// and in the copy; and on the first and last line, the copy's text before the first token and
/// after the last ends and starts with the item's. What the tokenizer skips as layout is skipped
/// here by the same rules (``LayoutMarkup``: HTML tags, markdown link targets, `\n` escapes, JSON
/// `\uXXXX` escapes decoded), HTML entities are decoded, Unicode compatibility forms folded (`＋`
/// is `+`), dashes and the minus sign (`−`, `–`) read as `-`, and a line's leading list or quote
/// marker (`- `, `* `, `> `) dropped, so a copy in another layout is still verbatim.
enum _VerbatimCheck {
  /// Whether `document` holds the target verbatim in the token range searched.
  /// - Parameters:
  ///   - item: the item's joined text (UTF-8).
  ///   - itemTokens: the target's tokens, offsets into `item`.
  ///   - partEnd: where the target's text ends in `item`.
  ///   - document: the document's text.
  ///   - hashes: the document tokens' hashes in the range searched.
  ///   - starts: their first bytes, offsets into `document` less `base`.
  ///   - ends: their ends, likewise.
  ///   - base: what token offsets are relative to in `document`.
  ///   - version: the text pipeline (how letters of other scripts fold).
  static func holds(
    item: UnsafeRawBufferPointer, itemTokens: ArraySlice<Token>, partEnd: Int, document: UnsafeRawBufferPointer,
    hashes: UnsafeBufferPointer<UInt64>, starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>, base: Int, version: TextVersion
  ) -> Bool {
    let target = Array(itemTokens)
    guard !target.isEmpty, hashes.count >= target.count, partEnd <= item.count else { return false }
    func marks(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Marks {
      Marks(UnsafeRawBufferPointer(rebasing: bytes[range]), version: version)
    }
    // What stands between each two of the target's tokens, and on its line before the first and
    // after the last, computed once.
    let inner = (0..<target.count - 1).map { marks(item, target[$0].end..<target[$0 + 1].start) }
    let leading = marks(item, lineStart(item, before: target[0].start)..<target[0].start)
    let last = target[target.count - 1].end
    let trailing = marks(item, last..<lineEnd(item, after: last, limit: partEnd))
    runs: for first in 0...(hashes.count - target.count) where hashes[first] == target[0].hash {
      for i in 1..<target.count where hashes[first + i] != target[i].hash { continue runs }
      func offset(_ value: Int32) -> Int { min(document.count, max(0, base + Int(value))) }
      for i in 0..<target.count - 1 {
        let from = offset(ends[first + i])
        let to = offset(starts[first + i + 1])
        guard from <= to, inner[i].matches(marks(document, from..<to)) else { continue runs }
      }
      let start = offset(starts[first])
      let end = offset(ends[first + target.count - 1])
      let before = marks(document, lineStart(document, before: start, limit: 256)..<start)
      let after = marks(document, end..<lineEnd(document, after: end, limit: min(document.count, end + 256)))
      // The copy's line may hold more on either side (a layout's label, the answer).
      func endsWith(_ text: [UInt8], _ suffix: [UInt8]) -> Bool { text.count >= suffix.count && text.suffix(suffix.count).elementsEqual(suffix) }
      guard endsWith(before.operators, leading.operators), endsWith(before.all, leading.all),
        after.operators.starts(with: trailing.operators), after.all.starts(with: trailing.all)
      else { continue runs }
      return true
    }
    return false
  }

  /// What text between tokens holds that tokens do not keep: its operators, and its operators
  /// with the letters that stand alone (a variable `x`, a vertex `C`), in order.
  struct Marks: Equatable {
    var operators: [UInt8] = []
    var all: [UInt8] = []
    /// The part of `all` before the first line break (all of it when the text breaks no line).
    var firstLine: [UInt8] = []
    /// Whether the text breaks a line: a line's layout (an option label) may then add letters
    /// after the break.
    var breaksLine = false

    init(_ gap: UnsafeRawBufferPointer, version: TextVersion) {
      let scalars = _VerbatimCheck.scalars(gap)
      var j = 0
      var lineStart = false  // after a line break, before anything but blanks
      var previous: Unicode.Scalar = " "
      while j < scalars.count {
        let c = scalars[j]
        let next: Unicode.Scalar? = j + 1 < scalars.count ? scalars[j + 1] : nil
        defer {
          previous = c
          j += 1
        }
        if c == "\n" || c == "\r" {
          if !breaksLine { firstLine = all }
          lineStart = true
          breaksLine = true
          continue
        }
        if c == " " || c == "\t" { continue }
        // A list or quote marker opening a line.
        if lineStart, c == "-" || c == "*" || c == "+" || c == ">", next == nil || next == " " || next == "\t" {
          lineStart = false
          continue
        }
        lineStart = false
        if c == "+" || c == "-" || c == "=" || c == "<" || c == ">" || c == "^" {
          operators.append(UInt8(c.value))
          all.append(UInt8(c.value))
          continue
        }
        // A letter alone: not after a backslash (a TeX command) and not beside another letter.
        if let letter = Self.letter(c, version), previous != "\\", Self.letter(previous, version) == nil,
          next.map({ Self.letter($0, version) == nil }) ?? true
        {
          all.append(letter)
        }
      }
      if !breaksLine { firstLine = all }
    }

    /// Whether a copy's text between two tokens stands for this: the same operators; and the
    /// same lone letters where neither breaks a line, or the same before the break where both do
    /// (a line may start with a label); where only one does, the layout changed, and letters are
    /// not compared.
    func matches(_ copy: Marks) -> Bool {
      guard operators == copy.operators else { return false }
      switch (breaksLine, copy.breaksLine) {
      case (false, false): return all == copy.all
      case (true, true): return firstLine == copy.firstLine
      default: return true
      }
    }

    /// A scalar's letter, folded and lower-cased as tokens are, or nil.
    static func letter(_ scalar: Unicode.Scalar, _ version: TextVersion) -> UInt8? {
      if scalar.isASCII {
        let c = UInt8(scalar.value) | 0x20
        return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) ? c : nil
      }
      let (kind, bytes) = Normalizer.fold(scalar, version: version)
      return kind == .word && bytes.count == 1 && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) ? bytes[0] : nil
    }
  }

  /// Where the line holding `position` starts, looking back at most `limit` bytes.
  static func lineStart(_ text: UnsafeRawBufferPointer, before position: Int, limit: Int = .max) -> Int {
    var i = position
    while i > 0 && position - i < limit && text[i - 1] != UInt8(ascii: "\n") { i -= 1 }
    return i
  }

  /// Where the line holding `position` ends, at most at `limit`.
  static func lineEnd(_ text: UnsafeRawBufferPointer, after position: Int, limit: Int) -> Int {
    var i = position
    while i < limit && text[i] != UInt8(ascii: "\n") { i += 1 }
    return i
  }

  /// The text's scalars without what the tokenizer skips as layout (tags, link targets; a `\n`
  /// escape read as the line break it stands for), with HTML entities and JSON `\uXXXX` escapes
  /// decoded, compatibility forms folded and dashes read as `-`.
  static func scalars(_ gap: UnsafeRawBufferPointer) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    guard let base = gap.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
    var i = 0
    while i < gap.count {
      let p = base + i
      let available = gap.count - i
      let skipped = max(LayoutMarkup.tagLength(p, available: available), LayoutMarkup.linkTargetLength(p, available: available))
      if skipped > 0 {
        i += skipped
        continue
      }
      if let (value, length) = HTMLEntity.decode(p, available: available) ?? LayoutMarkup.unicodeEscape(p, available: available),
        let scalar = Unicode.Scalar(value)
      {
        scalars.append(scalar)
        i += length
        continue
      }
      if LayoutMarkup.isEscape(p, available: available) {
        scalars.append(p[1] == UInt8(ascii: "t") ? "\t" : "\n")
        i += 2
        continue
      }
      // Other bytes as UTF-8, up to the next byte that may start one of the above.
      var end = i + 1
      while end < gap.count && !mayStartMarkup(gap[end]) { end += 1 }
      scalars += String(decoding: UnsafeRawBufferPointer(rebasing: gap[i..<end]), as: UTF8.self).unicodeScalars
      i = end
    }
    var folded: [Unicode.Scalar] = []
    for scalar in scalars {
      switch scalar.value {
      case 0x2010...0x2015, 0x2212, 0xFE63: folded.append("-")  // hyphens, dashes, minus
      case 0..<0x80: folded.append(scalar)
      default:
        // A letter stays (it folds as tokens do); a symbol takes its compatibility form (`＋`).
        if scalar.properties.isAlphabetic { folded.append(scalar) } else {
          folded += String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars
        }
      }
    }
    return folded
  }

  /// Whether a byte may start an entity, an escape, a tag or a link target.
  private static func mayStartMarkup(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "]")
  }
}
