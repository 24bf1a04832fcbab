/// The layout around a copied item that is not its text: option labels, HTML tags and
/// JSON escape sequences (rules 8–10 of ``Normalizer``). The tokenizer drops them on both sides,
/// so an item's n-grams run on across the labels of a multiple-choice layout
/// (`A. red\nB. blue` reads as `red blue`, like the item's choices), across `<br>` and
/// `<li>` tags, and across the `\n` of a chat transcript kept JSON-escaped in a text field.
///
/// Dropping them everywhere, not only where they look like layout, keeps the rule the same for
/// items and corpus and needs no guess about where a layout begins; the cost is that single
/// letters (`a`, `I`, the variable `x`) never take part in an n-gram, which both sides share.
public enum LayoutMarkup {
  /// Whether the normalized word `bytes` (ASCII, lower case) is an option label by its form
  /// alone: one Latin letter (`a`, `b`, the `A` of `(A)`), or a Roman numeral from 2 to 8
  /// (`ii`, `iii`, `iv`, `vi`, `vii`, `viii`; `i` and `v` are single letters).
  @inlinable @inline(__always)
  public static func isLabel(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
    if count == 1 { return bytes[0] >= 0x61 && bytes[0] <= 0x7A }
    // Asked of every short word: most ("the", "of") fail on their first letter.
    guard count <= 4, bytes[0] == UInt8(ascii: "i") || bytes[0] == UInt8(ascii: "v") else { return false }
    var code: UInt32 = 0
    for k in 0..<count { code = code << 8 | UInt32(bytes[k]) }
    switch code {
    case 0x6969, 0x69_6969, 0x6976, 0x7669, 0x76_6969, 0x7669_6969: return true  // ii iii iv vi vii viii
    default: return false
    }
  }

  /// Rule 18 (`contam-text/5`): whether the math symbol `value` at `start..<end` of `text`
  /// stands in math, so that it is a token. Math beside it is the nearest character on its line
  /// (spaces and tabs skipped): a digit, a bracket or an operator (`( ) [ ] { } + - * / = < > ^ |
  /// $ \ _ % !`), a letter standing alone (`x`), another math symbol or a Greek letter. A relation or
  /// operation (`≤ × · → ∈`) needs math on both sides (`x ≤ y`, `2 · 3`, `n → ∞`); one written
  /// before its operand (`√ ∑ ∫ ∀ ∠ ⌊`) after it (`√2`, and `∠`, `△` before capitals: `∠ABC`);
  /// one written after (`° ⌋`) before it (`90°`); `∞` and `∅` on either side. Anywhere else (`Home · About`, `What·is·the`,
  /// `lay·16·eggs`) it separates, as in `contam-text/4`, so text joined by symbols keeps its
  /// n-grams.
  @inlinable
  public static func isMathContext(_ value: UInt32, _ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    switch MathSymbols.position(of: value) {
    case .before:
      // An angle or a triangle names its points: `∠ABC`, `△PQR`.
      let points = (value == 0x2220 || value == 0x25B3) && end < n && text[end] >= 0x41 && text[end] <= 0x5A
      return points || mathAfter(text, count: n, end: end)
    case .after: return mathBefore(text, count: n, start: start)
    case .operand: return mathBefore(text, count: n, start: start) || mathAfter(text, count: n, end: end)
    case .between: return mathBefore(text, count: n, start: start) && mathAfter(text, count: n, end: end)
    }
  }

  @usableFromInline static func isOperatorByte(_ b: UInt8) -> Bool {
    switch b {
    case 0x30...0x39, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2B, 0x2D, 0x3D, 0x3C, 0x3E, 0x5E, 0x2F, 0x7C, 0x24, 0x5C, 0x5F, 0x2A, 0x25, 0x21:
      return true
    default: return false
    }
  }

  @usableFromInline static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b >= 0x80
  }

  /// A non-ASCII character starting at `q`: a math symbol or a Greek letter.
  @usableFromInline static func isMathScalar(_ text: UnsafePointer<UInt8>, count n: Int, at q: Int) -> Bool {
    let (value, length) = _UTF8.decode(text + q, available: n - q)
    return length > 0 && (MathSymbols.symbolNames[value] != nil || (value >= 0x370 && value < 0x400))
  }

  /// Whether the nearest character before `start` on its line is math (``isMathContext``).
  @usableFromInline static func mathBefore(_ text: UnsafePointer<UInt8>, count n: Int, start: Int) -> Bool {
    var p = start - 1
    while p >= 0 && (text[p] == 0x20 || text[p] == 0x09) { p -= 1 }
    guard p >= 0 && text[p] != 0x0A && text[p] != 0x0D else { return false }
    let b = text[p]
    if isOperatorByte(b) { return true }
    if b >= 0x80 {
      var q = p
      while q > 0 && q > p - 3 && text[q] & 0xC0 == 0x80 { q -= 1 }  // a character is at most 4 bytes
      return isMathScalar(text, count: n, at: q)
    }
    return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A && (p == 0 || !isWordByte(text[p - 1]))
  }

  /// Whether the nearest character after `end` on its line is math (``isMathContext``).
  @usableFromInline static func mathAfter(_ text: UnsafePointer<UInt8>, count n: Int, end: Int) -> Bool {
    var q = end
    while q < n && (text[q] == 0x20 || text[q] == 0x09) { q += 1 }
    guard q < n && text[q] != 0x0A && text[q] != 0x0D else { return false }
    let b = text[q]
    if isOperatorByte(b) { return true }
    if b >= 0x80 { return isMathScalar(text, count: n, at: q) }
    return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A && (q + 1 >= n || !isWordByte(text[q + 1]))
  }

  /// Rule 19 (`contam-text/5`): where the `-` at `i` of `text` ends a line inside a word
  /// (`exam-⏎ple`, as text extracted from a PDF keeps it): at least two ASCII letters before it,
  /// then spaces or tabs, one line break, spaces or tabs, and a small ASCII letter. Returns the
  /// offset of that letter, where the word goes on, or nil. A capital after the break
  /// (`Jean-⏎Paul`) or a digit is no continuation.
  @inlinable
  public static func lineBreakHyphen(_ text: UnsafePointer<UInt8>, count n: Int, at i: Int) -> Int? {
    @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    guard i >= 2, isLetter(text[i - 1]), isLetter(text[i - 2]) else { return nil }
    var j = i + 1
    while j < n && (text[j] == 0x20 || text[j] == 0x09) { j += 1 }
    if j < n && text[j] == 0x0D { j += 1 }
    guard j < n && text[j] == 0x0A else { return nil }
    j += 1
    while j < n && (text[j] == 0x20 || text[j] == 0x09) { j += 1 }
    guard j < n && text[j] >= 0x61 && text[j] <= 0x7A else { return nil }
    return j
  }

  /// A space, tab, carriage return or line feed: the blanks rules read around a line's end (what
  /// may follow a `-` that rule 19 reads as a word's line break, ``lineBreakHyphen(_:count:at:)``).
  @inlinable @inline(__always)
  public static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

  /// Rule 32 (`contam-text/11`): whether the byte at `p` of `text` is a lone ASCII letter or
  /// digit (no letter, digit or non-ASCII byte on either side), as letter-spaced text (`W h e r e
  /// d o`, a heading set with wide tracking as a PDF's text keeps it, or every character of a
  /// sentence spaced out) writes its characters.
  @inlinable
  public static func isLoneCharacter(_ text: UnsafePointer<UInt8>, count n: Int, at p: Int) -> Bool {
    guard p >= 0 && p < n, isASCIIWord(text[p]) else { return false }
    return (p == 0 || !isWordByte(text[p - 1])) && (p + 1 >= n || !isWordByte(text[p + 1]))
  }

  /// Rule 32: whether three lone ASCII letters one space apart (`w h o`) start at `p` of `text`:
  /// what marks text as letter-spaced. Digits do not (`4 x 2 = 8` is normal text).
  @inlinable @inline(__always)
  public static func startsLetterRun(_ text: UnsafePointer<UInt8>, count n: Int, at p: Int) -> Bool {
    p >= 0 && p + 4 < n && text[p + 1] == 0x20 && text[p + 3] == 0x20 && isASCIILetter(text[p]) && isASCIILetter(text[p + 2])
      && isASCIILetter(text[p + 4]) && isLoneCharacter(text, count: n, at: p) && isLoneCharacter(text, count: n, at: p + 2)
      && isLoneCharacter(text, count: n, at: p + 4)
  }

  /// Whether `b` is an ASCII letter.
  @inlinable @inline(__always)
  static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

  /// Whether `b` is an ASCII letter or digit (``isWordByte(_:)`` also counts non-ASCII bytes).
  @inlinable @inline(__always)
  static func isASCIIWord(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || isASCIILetter(b) }

  /// Rule 18 (`contam-text/5`): whether a math symbol at `start..<end` of `text` is a bullet:
  /// first on its line (after spaces or tabs) and followed by white space (`· choice`,
  /// `→ step`). A bullet is layout, not math, so it is no token, as `-` and `*` are not.
  @inlinable
  public static func isBullet(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    guard end >= n || text[end] == 0x20 || text[end] == 0x09 || text[end] == 0x0A || text[end] == 0x0D else { return false }
    var p = start - 1
    while p >= 0 && (text[p] == 0x20 || text[p] == 0x09) { p -= 1 }
    return p < 0 || text[p] == 0x0A || text[p] == 0x0D
  }

  /// Whether a number word of one or two digits at `start..<end` of `text` is a list label:
  /// first on its line (after spaces) or alone in parentheses there, and followed by `.` or
  /// `)` (`1.`, `2)`, `(3)`). A number inside a sentence (`costs 5.`, `f(2)`) is not. With
  /// `spaced` (`contam-text/3`), the `.` or `)` must also end the text or be followed by white
  /// space, so a choice that is a decimal number (`23.56 GHz` on its own line) keeps its `23`.
  @inlinable
  public static func isNumberLabel(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int, spaced: Bool = false) -> Bool {
    guard end - start <= 2, end < n else { return false }
    let next = text[end]
    guard next == UInt8(ascii: ".") || next == UInt8(ascii: ")") else { return false }
    if spaced && end + 1 < n && text[end + 1] > 0x20 { return false }
    for k in start..<end where text[k] < 0x30 || text[k] > 0x39 { return false }
    var p = start - 1
    if p >= 0 && text[p] == UInt8(ascii: "(") { p -= 1 }
    while p >= 0 && (text[p] == 0x20 || text[p] == 0x09) { p -= 1 }
    return p < 0 || text[p] == 0x0A || text[p] == 0x0D
  }

  /// Rule 26 (`contam-text/7`): whether a number word of one to four digits at `start..<end`
  /// of `text` is the number of its line in a listing (`cat -n`, an editor's or a printed page's
  /// line numbers, a numbered manuscript): the line before it starts with the number before or
  /// the line after it with the number after (a listing counts its lines; a number that a wrap
  /// or messy white space put first on a line has no such neighbour), it is first on its line
  /// (after spaces or tabs) and set apart from the line's text by a tab, two or more spaces, `|`
  /// or `:` and white space (`  12
  /// def f(x):`, `3\tfor`, `14 | return`, `7: import`), or, indented, by one space before a
  /// letter, a bracket, a quote, `#`, `@`, `_` or `>>>` (`  9 return x`, as an editor shows it).
  /// A blank line of the listing is its number and the gutter's white space (or `|`); a number
  /// alone on its line with nothing after it (a doctest's output, a page number) stays a token,
  /// and so does one before a digit or an operator (`    30 = 2 * 3 * 5`).
  @inlinable
  public static func isLineNumber(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    guard end - start <= 4, end < n, hasGutter(text, count: n, start: start, end: end) else { return false }
    // A listing numbers its lines one after another: the line before or after is numbered too.
    var value = 0
    for k in start..<end { value = value * 10 + Int(text[k] &- 0x30) }
    var next = end
    while next < n && text[next] != 0x0A { next += 1 }
    if next < n && leadingNumber(text, count: n, lineStart: next + 1) == value + 1 { return true }
    var before = start - 1
    while before >= 0 && text[before] != 0x0A { before -= 1 }
    guard before > 0 else { return false }
    var previous = before - 1
    while previous >= 0 && text[previous] != 0x0A { previous -= 1 }
    return leadingNumber(text, count: n, lineStart: previous + 1) == value - 1
  }

  /// Rule 28 (`contam-text/9`): whether the word at `start..<end` of `text` is the number of a
  /// citation mark, as an encyclopedia's pages keep them in their text (`Paris.[1] The`,
  /// `capital[12], and`, `…later.[3][4]`): one to three digits in square brackets, the `[`
  /// right after the text it marks (a word, a closing bracket or punctuation, not white space),
  /// and white space, punctuation, another mark or the end right after the `]`. A reference
  /// list's `[1] Smith` (a mark at a line's start) and an index with more after it (`a[1]b`,
  /// `a[1]2`) stay tokens; `arr[1] ` in code is dropped on both sides alike.
  @inline(never)
  public static func isCitationMark(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    guard start >= 2, end < n, end - start <= 3, text[start - 1] == UInt8(ascii: "["), text[end] == UInt8(ascii: "]") else {
      return false
    }
    for k in start..<end where text[k] &- 0x30 >= 10 { return false }
    let before = text[start - 2]
    // Attached to what it marks: not white space, not an opening bracket or an operator.
    guard before > 0x20, before != UInt8(ascii: "["), before != UInt8(ascii: "("), before != UInt8(ascii: "{"),
      before != UInt8(ascii: "="), before != UInt8(ascii: "<")
    else { return false }
    guard end + 1 < n else { return true }
    let after = text[end + 1]
    // White space, a closing mark, punctuation, another mark, a tag, or a multi-byte character
    // (`’`, `”`, a no-break space).
    return after <= 0x20 || after >= 0x80
      || [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"), UInt8(ascii: "?"),
        UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "["), UInt8(ascii: "<")].contains(after)
  }

  /// The cheap test ``isSubtitleCue(_:count:start:end:)`` (and a log's time stamp,
  /// ``isLogStamp(_:count:start:end:)``) starts with, for the tokenizer to make inline on every
  /// word: `:` beside the word, or a word of at most four bytes starting with a digit. False
  /// means not a cue; true means look.
  @inlinable @inline(__always)
  static func mayBeSubtitleCue(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    let before: UInt8 = start > 0 ? text[start - 1] : 0x0A
    let after: UInt8 = end < n ? text[end] : 0x0A
    return before == UInt8(ascii: ":") || after == UInt8(ascii: ":") || (end - start <= 4 && text[start] &- 0x30 < 10)
  }

  /// Rule 27 (`contam-text/8`): whether the word at `start..<end` of `text` is layout of a
  /// subtitle file: on a cue's timing line (`00:03:41,200 --> 00:03:44,900`, as SRT and WebVTT
  /// write it: hours optional, `,` or `.` before the milliseconds; its numbers, and WebVTT's
  /// settings after it, `align:start position:10%`), or the cue's number, one to four digits
  /// alone on the line right before a timing line. A subtitle file puts these between every few
  /// words of its text; they are layout as a listing's line numbers are. Read from the bytes
  /// beside the word: only a word with `:` beside it, or a number with `,` or `.` beside it or
  /// white space on both sides, is looked at further, and a timing line must start within 32
  /// bytes of it (160 with `:` beside it, as settings have); so a time in running text
  /// (`at 10:30`, `00:03:41`) stays text: no `-->` follows it.
  @inlinable
  public static func isSubtitleCue(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    let colon = UInt8(ascii: ":")
    let before: UInt8 = start > 0 ? text[start - 1] : 0x0A
    let after: UInt8 = end < n ? text[end] : 0x0A
    let nextToColon = before == colon || after == colon
    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) func isSpace(_ b: UInt8) -> Bool { isBlank(b) }
    @inline(__always) func isDecimalMark(_ b: UInt8) -> Bool { b == UInt8(ascii: ",") || b == UInt8(ascii: ".") }
    let number = end - start <= 4 && isDigit(text[start])
    guard nextToColon || (number && (isDecimalMark(before) || isDecimalMark(after) || (isSpace(before) && isSpace(after)))) else {
      return false
    }
    let reach = nextToColon ? 160 : 32
    var lineStart = start
    while lineStart > 0 && text[lineStart - 1] != 0x0A {
      lineStart -= 1
      if start - lineStart > reach { return false }
    }
    if cueTimingEnd(text, count: n, lineStart: lineStart) != nil { return true }
    // A cue number: alone on its line (white space aside), the timing line next.
    guard number else { return false }
    for k in lineStart..<start where text[k] != 0x20 && text[k] != 0x09 { return false }
    var k = end
    while k < n && (text[k] == 0x20 || text[k] == 0x09 || text[k] == 0x0D) { k += 1 }
    guard k < n && text[k] == 0x0A else { return false }
    return cueTimingEnd(text, count: n, lineStart: k + 1) != nil
  }

  /// Rule 30 (`contam-text/9`): whether the word at `start..<end` of `text` is a number of a
  /// chat or meeting log's time stamp that starts its line (`[12:03:41] `, `12:03 `, `(09:15) `:
  /// hours and minutes, seconds optional, in brackets or not, white space after), where the line
  /// before or after starts with a time stamp too. A log puts these before every line of its
  /// text; an item pasted line by line into a chat (code, a list of options) keeps its lines
  /// short, so they cut every n-gram. A time in running text (`at 10:30`), one line starting
  /// with a time, and a subtitle cue's time (`00:03:41,200`, rule 27) stay as they were. The
  /// speaker's `<name>` after such a stamp is skipped like a tag
  /// (``logSpeakerLength(_:count:at:)``).
  @inline(never)
  public static func isLogStamp(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    // A time's number: one or two digits with `:` beside them.
    let before: UInt8 = start > 0 ? text[start - 1] : 0x0A
    let after: UInt8 = end < n ? text[end] : 0x0A
    guard end - start <= 2, text[start] &- 0x30 < 10, before == UInt8(ascii: ":") || after == UInt8(ascii: ":") else { return false }
    return inLog(text, count: n, start: start, end: end)
  }

  /// Rule 30: the length of a speaker's `<name>` at `at` (`12:03 <reader> `, `<bob_2>`) that
  /// follows a log's line-leading time stamp, in a log (``isLogStamp(_:count:start:end:)``); 0
  /// otherwise, so `a<b>` and unknown tags elsewhere stay text.
  @inline(never)
  public static func logSpeakerLength(_ text: UnsafePointer<UInt8>, count n: Int, at: Int) -> Int {
    guard at > 0, text[at - 1] == 0x20 || text[at - 1] == 0x09, let end = speakerEnd(text, count: n, at: at) else { return 0 }
    return inLog(text, count: n, start: at + 1, end: end - 1) ? end - at : 0
  }

  /// Where a speaker's `<name>` at `at` ends (past its `>`): one to 32 bytes, no white space or
  /// `<` inside; nil when none is there.
  @usableFromInline
  static func speakerEnd(_ text: UnsafePointer<UInt8>, count n: Int, at: Int) -> Int? {
    guard at < n, text[at] == UInt8(ascii: "<") else { return nil }
    var close = at + 1
    while close < n && close - at <= 32 && text[close] != UInt8(ascii: ">") && text[close] > 0x20 && text[close] != UInt8(ascii: "<") { close += 1 }
    guard close < n, close > at + 1, text[close] == UInt8(ascii: ">") else { return nil }
    return close + 1
  }

  /// Whether `start..<end` lies in a log's line prefix (``logStampEnd(_:count:lineStart:)``) and
  /// the line before or after starts with a time stamp too.
  @usableFromInline
  static func inLog(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    var lineStart = start
    while lineStart > 0 && text[lineStart - 1] != 0x0A {
      lineStart -= 1
      if start - lineStart > 48 { return false }
    }
    guard let stampEnd = logStampEnd(text, count: n, lineStart: lineStart), end < stampEnd else { return false }
    // A log: the line before or the line after starts with a time stamp too.
    if lineStart > 0 {
      var previous = lineStart - 1
      while previous > 0 && text[previous - 1] != 0x0A { previous -= 1 }
      if logStampEnd(text, count: n, lineStart: previous) != nil { return true }
    }
    var next = stampEnd
    while next < n && text[next] != 0x0A { next += 1 }
    return next + 1 < n && logStampEnd(text, count: n, lineStart: next + 1) != nil
  }

  /// Where a chat log's line prefix that starts the line at `lineStart` ends: a time stamp
  /// (`[12:03:41]`, `12:03`, `(09:15)`) and white space, then the speaker's `<name>` and white
  /// space if there is one; nil when the line starts otherwise.
  @usableFromInline
  static func logStampEnd(_ text: UnsafePointer<UInt8>, count n: Int, lineStart: Int) -> Int? {
    var k = lineStart
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    guard k < n else { return nil }
    var close: UInt8 = 0
    if text[k] == UInt8(ascii: "[") || text[k] == UInt8(ascii: "(") {
      close = text[k] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")
      k += 1
    }
    guard let time = clockEnd(text, count: n, at: k, hourDigits: 2) else { return nil }
    k = time
    if close != 0 {
      guard k < n && text[k] == close else { return nil }
      k += 1
    }
    guard k < n, text[k] == 0x20 || text[k] == 0x09 else { return nil }
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    // The speaker, `<name>`, if there is one.
    if let end = speakerEnd(text, count: n, at: k) {
      k = end
      while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    }
    return k
  }

  /// Where a subtitle cue's timing (`start --> end`, each ``cueTimeEnd(_:count:at:)``) that starts
  /// the line at `lineStart` (after spaces or tabs) ends; nil when the line starts otherwise.
  @usableFromInline
  static func cueTimingEnd(_ text: UnsafePointer<UInt8>, count n: Int, lineStart: Int) -> Int? {
    var k = lineStart
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    guard let first = cueTimeEnd(text, count: n, at: k) else { return nil }
    k = first
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    guard k + 3 <= n, text[k] == UInt8(ascii: "-"), text[k + 1] == UInt8(ascii: "-"), text[k + 2] == UInt8(ascii: ">") else { return nil }
    k += 3
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    return cueTimeEnd(text, count: n, at: k)
  }

  /// Where a cue time at `start` ends: `H:MM:SS,mmm` (hours of one to three digits) or `MM:SS.mmm`,
  /// `,` or `.` before the milliseconds; nil when none starts there.
  @usableFromInline
  static func cueTimeEnd(_ text: UnsafePointer<UInt8>, count n: Int, at start: Int) -> Int? {
    guard let k = clockEnd(text, count: n, at: start, hourDigits: 3), k < n, text[k] == UInt8(ascii: ",") || text[k] == UInt8(ascii: "."),
      let milliseconds = digitRunEnd(text, count: n, at: k + 1, least: 3, most: 3)
    else { return nil }
    return milliseconds
  }

  /// Where a clock time at `start` ends: hours of one to `hourDigits` digits, `:` and two digits
  /// of minutes, then `:` and two of seconds if there are; nil when none starts there.
  @usableFromInline
  static func clockEnd(_ text: UnsafePointer<UInt8>, count n: Int, at start: Int, hourDigits: Int) -> Int? {
    guard let hours = digitRunEnd(text, count: n, at: start, least: 1, most: hourDigits), hours < n, text[hours] == UInt8(ascii: ":"),
      var k = digitRunEnd(text, count: n, at: hours + 1, least: 2, most: 2)
    else { return nil }
    if k < n && text[k] == UInt8(ascii: ":") {
      guard let seconds = digitRunEnd(text, count: n, at: k + 1, least: 2, most: 2) else { return nil }
      k = seconds
    }
    return k
  }

  /// The end of a run of `least` to `most` digits at `k` (no digit right after it), or nil.
  @usableFromInline
  static func digitRunEnd(_ text: UnsafePointer<UInt8>, count n: Int, at k: Int, least: Int, most: Int) -> Int? {
    var e = k
    while e < n && e - k < most && text[e] >= 0x30 && text[e] <= 0x39 { e += 1 }
    guard e - k >= least, e >= n || text[e] < 0x30 || text[e] > 0x39 else { return nil }
    return e
  }

  /// The number of at most four digits that starts the line at `lineStart` (after spaces or
  /// tabs), followed by white space, `|`, `:` or the line's end; else nil.
  @usableFromInline
  static func leadingNumber(_ text: UnsafePointer<UInt8>, count n: Int, lineStart: Int) -> Int? {
    var k = lineStart
    while k < n && (text[k] == 0x20 || text[k] == 0x09) { k += 1 }
    var value = 0
    let first = k
    while k < n && k - first < 5 && text[k] >= 0x30 && text[k] <= 0x39 {
      value = value * 10 + Int(text[k] &- 0x30)
      k += 1
    }
    guard k > first && k - first <= 4 else { return nil }
    guard k >= n || text[k] == 0x20 || text[k] == 0x09 || text[k] == 0x0A || text[k] == 0x0D || text[k] == UInt8(ascii: "|")
      || text[k] == UInt8(ascii: ":")
    else { return nil }
    return value
  }

  /// Whether the digits at `start..<end` start their line and are set apart from its text as a
  /// gutter sets a line number apart (``isLineNumber(_:count:start:end:)``).
  @usableFromInline
  static func hasGutter(_ text: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
    for k in start..<end where text[k] < 0x30 || text[k] > 0x39 { return false }
    var p = start - 1
    while p >= 0 && (text[p] == 0x20 || text[p] == 0x09) { p -= 1 }
    guard p < 0 || text[p] == 0x0A || text[p] == 0x0D else { return false }
    let indented = p + 1 < start
    var q = end
    var spaces = 0
    var tab = false
    while q < n && (text[q] == 0x20 || text[q] == 0x09) {
      if text[q] == 0x09 { tab = true }
      spaces += 1
      q += 1
    }
    @inline(__always) func endsLine(_ r: Int) -> Bool { r >= n || text[r] == 0x0A || text[r] == 0x0D }
    // A blank line of the listing: its number and the gutter's white space.
    if endsLine(q) { return spaces > 0 }
    if (text[q] == UInt8(ascii: "|") && (q == end || spaces > 0)) || (text[q] == UInt8(ascii: ":") && q == end) {
      // `14 | text`, `14| text`, `7: text`: white space after the separator (then text, or the
      // line's end on a blank line), or the line's end right after `|`.
      let r = q + 1
      if text[q] == UInt8(ascii: "|") && endsLine(r) { return true }
      return r < n && (text[r] == 0x20 || text[r] == 0x09)
    }
    if tab || spaces >= 2 { return true }
    guard indented && spaces == 1 else { return false }
    // One space: code or text after it, a letter, a bracket, a quote, `#`, `@`, `_` or `>>>`.
    let b = text[q]
    if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { return true }
    switch b {
    case UInt8(ascii: "#"), UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "'"),
      UInt8(ascii: "@"), UInt8(ascii: "_"):
      return true
    case UInt8(ascii: ">"): return q + 2 < n && text[q + 1] == b && text[q + 2] == b
    default: return false
    }
  }

  /// The length of an escape sequence `\n`, `\r` or `\t` at `p` (two bytes), else 0: the text
  /// of a JSON or code string kept escaped inside a document (`"content": "Q?\nA. red"`). With
  /// `latex` (`contam-text/3`), a LaTeX command that starts with those letters (`\neq`,
  /// `\right`, `\times`, ``latexCommands``) is not an escape: its backslash separates and
  /// its name is a word, as for `\frac`.
  @inlinable
  public static func escapeLength(_ p: UnsafePointer<UInt8>, available: Int, latex: Bool = false) -> Int {
    guard available >= 2, p[0] == 0x5C else { return 0 }
    let e = p[1]
    guard e == UInt8(ascii: "n") || e == UInt8(ascii: "r") || e == UInt8(ascii: "t") else { return 0 }
    if latex {
      let (name, letters) = commandName(p, available: available)
      if letters <= 8 && latexCommands.contains(name) { return 0 }
    }
    return 2
  }

  /// The ASCII letters after the backslash at `p`: the first eight packed (big-endian) and how
  /// many there are.
  @inlinable
  static func commandName(_ p: UnsafePointer<UInt8>, available: Int) -> (name: UInt64, letters: Int) {
    var name: UInt64 = 0
    var k = 1
    while k < available, (p[k] >= 0x61 && p[k] <= 0x7A) || (p[k] >= 0x41 && p[k] <= 0x5A) {
      if k <= 8 { name = name << 8 | UInt64(p[k]) }
      k += 1
    }
    return (name, k - 1)
  }

  /// LaTeX commands (packed ASCII, big-endian) that begin with `n`, `r` or `t`, common in math
  /// test items; none is a likely word after a line break or tab.
  public static let latexCommands: Set<UInt64> = Set(
    [
      "neq", "nabla", "neg", "notin", "nmid", "nleq", "ngeq", "nu", "right", "rangle", "rho", "rceil",
      "rfloor", "rbrace", "times", "text", "textbf", "textit", "textrm", "tfrac", "theta", "tau", "tilde", "triangle",
      "tbinom", "to", "tan", "top",
    ].filter { $0.utf8.count <= 8 }.map { $0.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })

  /// More commands that begin with `n`, `r` or `t` for rule 14 (`contam-text/4`), by their first
  /// eight letters when longer (`\rightarrow` is `rightarr`). Two-letter ones (`\ne`, `\ni`,
  /// `\tt`) are left out: after an escaped line break they are more often a label (`\ne)`).
  public static let moreLatexCommands: Set<UInt64> = Set(
    [
      "newline", "noindent", "nonumber", "normalsi", "nolimits", "rightarr", "rightlef", "rvert", "rVert",
      "rbrack", "rparen", "textstyl", "texttt", "textsf", "textsc", "textup", "textnorm", "textcolo", "textsupe",
      "textsubs", "therefor", "tanh", "thinspac", "tiny", "today",
    ].map { String($0.prefix(8)).utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })

  /// Rule 14 (`contam-text/4`): LaTeX commands of presentation, not meaning (packed lower-case
  /// ASCII, the first eight letters of longer names): text and font families, sizes of
  /// delimiters, the forms of a fraction, spacing. Their names are not tokens, so `\text{cm}`
  /// reads as `cm`, `\dfrac{1}{2}` as `1 2` like `1/2`. Commands with a meaning (`\sin`, `\le`,
  /// `\sqrt`, `\cdot`) stay words: a perturbed problem may change just one of them.
  public static let presentationCommands: Set<UInt64> = Set(
    [
      "text", "textbf", "textit", "textrm", "texttt", "textsf", "textup", "textsc", "textnormal", "textstyle", "mathrm",
      "mathbf", "mathit", "mathsf", "mathtt", "mathbb", "mathcal", "mathfrak", "mathscr", "mathop", "mathord", "boldsymbol",
      "bm", "emph", "mbox", "hbox", "operatorname", "displaystyle", "scriptstyle", "left", "right", "big", "bigg", "bigl",
      "bigr", "biggl", "biggr", "middle", "frac", "dfrac", "tfrac", "cfrac", "quad", "qquad", "hspace", "vspace", "noindent",
      "newline", "limits", "nolimits", "phantom", "displaylines",
    ].map { String($0.prefix(8)).utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })

  /// Whether the normalized word `bytes` (lower case) is a presentation command's name
  /// (``presentationCommands``), compared on its first eight bytes.
  @inlinable
  public static func isPresentationCommand(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
    guard count >= 2, count <= 16 else { return false }
    var name: UInt64 = 0
    for k in 0..<min(count, 8) { name = name << 8 | UInt64(bytes[k]) }
    return presentationCommands.contains(name)
  }

  /// Rule 15 (`contam-text/4`): the length of a markdown link target at `p`, `](` up to its `)`
  /// with no white space or `(` in between, at most 512 bytes (`](https://x.org/a_b)`), else 0.
  /// The link's text, in the brackets before, stays text: a question copied from a page where
  /// a few of its words are links reads as the question.
  @inlinable
  public static func linkTargetLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
    guard available >= 3, p[0] == UInt8(ascii: "]"), p[1] == UInt8(ascii: "(") else { return 0 }
    var k = 2
    let limit = min(available, 512)
    while k < limit {
      let c = p[k]
      if c == UInt8(ascii: ")") { return k + 1 }
      if c <= 0x20 || c == UInt8(ascii: "(") || c == UInt8(ascii: "]") { return 0 }
      k += 1
    }
    return 0
  }

  /// Rule 16 (`contam-text/4`): a JSON `\uXXXX` escape at `p` (a chat record kept escaped in a
  /// text, written with `ensure_ascii`), decoded: the scalar and the bytes it spans; a surrogate
  /// pair (`\ud83d\ude00`) is one scalar. Nil when `p` is no such escape.
  @inlinable
  public static func unicodeEscape(_ p: UnsafePointer<UInt8>, available: Int) -> (value: UInt32, length: Int)? {
    guard case .scalar(let value, let length) = _UnicodeEscape.read(p, at: 0, count: available) else { return nil }
    return (value, length)
  }

  /// The value of an upper-case hex digit (`0`–`9`, `A`–`F`), as URL and quoted-printable
  /// encoders write them; nil for any other byte.
  @inlinable @inline(__always)
  static func upperHex(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c &- 0x30
    case 0x41...0x46: return c &- 0x37
    default: return nil
    }
  }

  /// Rule 23 (`contam-text/6`): a URL-encoded character at `p` (`%20`, `%2C`, `%C3%A9`: the
  /// bytes of one UTF-8 character, each `%` and two upper-case hex digits, as URL encoders write
  /// them), decoded: the scalar and the bytes it spans. Nil when `p` is no such escape, so `50%`
  /// and a format such as `%2d` stay what they were.
  @inlinable
  public static func percentEscape(_ p: UnsafePointer<UInt8>, available: Int) -> (value: UInt32, length: Int)? {
    @inline(__always) func byte(_ k: Int) -> UInt8? {
      guard k &+ 3 <= available, p[k] == UInt8(ascii: "%"), let high = upperHex(p[k &+ 1]), let low = upperHex(p[k &+ 2]) else { return nil }
      return high << 4 | low
    }
    guard let first = byte(0), first != 0 else { return nil }
    if first < 0x80 { return (UInt32(first), 3) }
    return escapedScalar(first: first, start: 3) { at in byte(at).map { ($0, at &+ 3) } }
  }

  /// The scalar of a UTF-8 character written as escaped bytes (rules 23 and 29): its lead byte
  /// `first`, then the rest read by `next` (a byte and where the one after starts, from `start`).
  /// The scalar and where its bytes end, or nil when they are missing or no valid UTF-8.
  @inlinable @inline(__always)
  static func escapedScalar(first: UInt8, start: Int, next: (Int) -> (UInt8, Int)?) -> (value: UInt32, length: Int)? {
    let count = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
    var bytes: (UInt8, UInt8, UInt8, UInt8) = (first, 0, 0, 0)
    var end = start
    for k in 1..<count {
      guard let (byte, after) = next(end) else { return nil }
      withUnsafeMutableBytes(of: &bytes) { $0[k] = byte }
      end = after
    }
    let (value, length) = withUnsafeBytes(of: &bytes) { _UTF8.decode($0.baseAddress!.assumingMemoryBound(to: UInt8.self), available: count) }
    return length == count ? (value, end) : nil
  }

  /// Rule 29 (`contam-text/9`): a quoted-printable character at `p`, decoded: the scalar and the
  /// bytes it spans. Only what a text does not write otherwise: a character of two to four
  /// UTF-8 bytes, each `=` and two upper-case hex digits (`=E2=80=99` for `’`, `=C3=A9` for
  /// `é`; a soft line break may fall between them), and `=3D` for `=`. A single byte (`=20`,
  /// `=41`) is nil, so `x=20` stays text.
  @inline(never)
  public static func quotedPrintableEscape(_ p: UnsafePointer<UInt8>, available: Int) -> (value: UInt32, length: Int)? {
    // The `=XX` at `k`, read past a soft line break before it (a line may end between the bytes
    // of one character): its byte and where the next starts.
    @inline(__always) func byte(_ at: Int) -> (UInt8, Int)? {
      var k = at
      if k &+ 1 < available, p[k] == UInt8(ascii: "="), p[k &+ 1] == 0x0A || p[k &+ 1] == 0x0D {
        k &+= p[k &+ 1] == 0x0D && k &+ 2 < available && p[k &+ 2] == 0x0A ? 3 : 2
      }
      guard k &+ 3 <= available, p[k] == UInt8(ascii: "="), let high = upperHex(p[k &+ 1]), let low = upperHex(p[k &+ 2]) else { return nil }
      return (high << 4 | low, k &+ 3)
    }
    guard let (first, afterFirst) = byte(0), afterFirst == 3 else { return nil }
    if first == UInt8(ascii: "=") { return (UInt32(first), 3) }
    guard first >= 0xC2, first <= 0xF4 else { return nil }
    return escapedScalar(first: first, start: afterFirst, next: byte)
  }

  /// Rule 29 (`contam-text/9`): where a word goes on after a quoted-printable soft line break at
  /// `at` (`=` then `\n` or `\r\n`, then a letter or digit: `exam=⏎ple`), or nil.
  @inline(never)
  public static func softLineBreak(_ text: UnsafePointer<UInt8>, count n: Int, at: Int) -> Int? {
    var next = at &+ 1
    if next < n && text[next] == 0x0D { next &+= 1 }
    guard next < n, text[next] == 0x0A else { return nil }
    next &+= 1
    guard next < n else { return nil }
    let c = text[next] | 0x20
    return (c >= 0x61 && c <= 0x7A) || (text[next] >= 0x30 && text[next] <= 0x39) || text[next] >= 0x80 || text[next] == UInt8(ascii: "=") ? next : nil
  }

  /// Rule 14 (`contam-text/4`): whether the backslash at `p` is the escape `\n`, `\r` or `\t`
  /// (two bytes, skipped) rather than the start of a LaTeX command, whose name the tokenizer
  /// then drops: `\n` followed by no letter or by letters that are no known command (`\nThe`),
  /// where `\neq`, `\newline`, `\rightarrow`, `\times` are commands.
  @inlinable
  public static func isEscape(_ p: UnsafePointer<UInt8>, available: Int) -> Bool {
    guard available >= 2, p[0] == 0x5C else { return false }
    let first = p[1]
    guard first == UInt8(ascii: "n") || first == UInt8(ascii: "r") || first == UInt8(ascii: "t") else { return false }
    let (name, letters) = commandName(p, available: available)
    return letters == 1 || !(latexCommands.contains(name) || moreLatexCommands.contains(name))
  }

  /// The length of an HTML tag at `p` (`<br>`, `</p>`, `<li class="x">`, `<br/>`), else 0. Only
  /// the names in ``tagNames`` count, and a tag ends at its `>` within 256 bytes and before
  /// any `<` or line break, so `a < b` and `x<y>` in code and math stay text.
  @inlinable
  public static func tagLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
    guard available >= 3, p[0] == UInt8(ascii: "<") else { return 0 }
    return layoutTagLength(p, nameAt: 1, available: available, escaped: false)
  }

  /// The length of a run of inline tags at `p` (`<b>`, `</span>`, `<wbr>`, `<a href="…">`; see
  /// ``inlineTagNames``), one after another, else 0. Rule 21 (`contam-text/6`): such tags
  /// between two letters do not split the word, as a browser shows `Na<b>ta</b>lia` as one word
  /// (a page converted from a PDF or a word processor wraps pieces of words in `<span>`s).
  @inlinable
  public static func inlineTagsLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
    var total = 0
    while total + 3 <= available && p[total] == UInt8(ascii: "<") {
      guard inlineTagNames.contains(tagName(p + total, nameAt: 1, available: available - total).name),
        case let length = tagLength(p + total, available: available - total), length > 0
      else { break }
      total += length
    }
    return total
  }

  /// Rule 9 for HTML that was escaped once more (`contam-text/5`): the length of a tag written
  /// with entities at `p` (`&lt;br /&gt;`, `&lt;/p&gt;`, `&lt;li class=&quot;q&quot;&gt;`), else 0.
  /// A page whose HTML was escaped into its text shows its tags as text; they are layout as much
  /// as the tags themselves. The same names as ``tagNames``; the tag ends at `&gt;` (or `>`)
  /// within 256 bytes, before any other `&lt;`, `<` or line break. With `twice` (rule 20,
  /// `contam-text/6`) a tag escaped twice (`&amp;lt;br&amp;gt;`) is one too.
  @inlinable
  public static func escapedTagLength(_ p: UnsafePointer<UInt8>, available: Int, twice: Bool = false) -> Int {
    guard available >= 8, p[0] == UInt8(ascii: "&") else { return 0 }
    if p[1] | 0x20 == UInt8(ascii: "l"), p[2] | 0x20 == UInt8(ascii: "t"), p[3] == UInt8(ascii: ";") {
      return layoutTagLength(p, nameAt: 4, available: available, escaped: true, twice: twice)
    }
    guard twice, available >= 12, isAmp(p, available: available), p[5] | 0x20 == UInt8(ascii: "l"),
      p[6] | 0x20 == UInt8(ascii: "t"), p[7] == UInt8(ascii: ";")
    else { return 0 }
    return layoutTagLength(p, nameAt: 8, available: available, escaped: true, twice: true)
  }

  /// Whether `&amp;` starts at `p`.
  @inlinable @inline(__always)
  static func isAmp(_ p: UnsafePointer<UInt8>, available: Int) -> Bool {
    available >= 5 && p[0] == UInt8(ascii: "&") && p[1] == UInt8(ascii: "a") && p[2] == UInt8(ascii: "m")
      && p[3] == UInt8(ascii: "p") && p[4] == UInt8(ascii: ";")
  }

  /// The tag whose opening (`<` or `&lt;`) ends at `nameAt`: an optional `/`, a name in
  /// ``tagNames``, then attributes up to the closing `>` (or, `escaped`, `&gt;`). Its length
  /// from `p`, else 0.
  @usableFromInline
  static func layoutTagLength(_ p: UnsafePointer<UInt8>, nameAt start: Int, available: Int, escaped: Bool, twice: Bool = false) -> Int {
    let (name, end) = tagName(p, nameAt: start, available: available)
    var k = end
    guard name != 0, k < available, tagNames.contains(name) else { return 0 }
    let after = p[k]
    guard after == UInt8(ascii: ">") || after == UInt8(ascii: "/") || after == 0x20 || after == 0x09
      || (escaped && after == UInt8(ascii: "&"))
    else { return 0 }
    let limit = min(available, k + 256)
    while k < limit {
      let c = p[k]
      if c == UInt8(ascii: ">") { return k + 1 }
      if twice && c == UInt8(ascii: "&") && k + 7 < available && isAmp(p + k, available: available - k) && p[k + 7] == UInt8(ascii: ";") {
        let a = p[k + 5] | 0x20
        let b = p[k + 6] | 0x20
        if a == UInt8(ascii: "g") && b == UInt8(ascii: "t") { return k + 8 }
        if a == UInt8(ascii: "l") && b == UInt8(ascii: "t") { return 0 }
      }
      if escaped && c == UInt8(ascii: "&") && k + 3 < available && p[k + 3] == UInt8(ascii: ";") {
        let a = p[k + 1] | 0x20
        let b = p[k + 2] | 0x20
        if a == UInt8(ascii: "g") && b == UInt8(ascii: "t") { return k + 4 }
        if a == UInt8(ascii: "l") && b == UInt8(ascii: "t") { return 0 }
      }
      if c == UInt8(ascii: "<") || c == 0x0A || c == 0x0D { return 0 }
      k += 1
    }
    return 0
  }

  /// The name of the tag whose opening ends at `nameAt` (after an optional `/`): up to 8 ASCII
  /// letters and digits, a letter first, lower-cased and packed like ``tagNames``, with where it
  /// ends; name 0 when there is none.
  @usableFromInline
  static func tagName(_ p: UnsafePointer<UInt8>, nameAt start: Int, available: Int) -> (name: UInt64, end: Int) {
    var k = start
    if k < available && p[k] == UInt8(ascii: "/") { k += 1 }
    var name: UInt64 = 0
    let nameStart = k
    while k < available, k - nameStart < 8 {
      var c = p[k]
      if c >= 0x41 && c <= 0x5A { c += 32 }
      guard (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39 && k > nameStart) else { break }
      name = name << 8 | UInt64(c)
      k += 1
    }
    return (name, k)
  }

  /// Tag names (packed ASCII, big-endian) whose tags are layout: text structure and inline
  /// style, the tags that wrap a question and its options on a web page.
  public static let tagNames: Set<UInt64> = Set(
    [
      "p", "br", "hr", "div", "span", "b", "i", "u", "s", "em", "strong", "small", "big", "sup", "sub", "tt",
      "code", "pre", "kbd", "var", "samp", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
      "tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "font", "center",
      "blockquote", "q", "cite", "abbr", "label", "option", "select", "input", "button", "form", "fieldset",
      "section", "article", "header", "footer", "nav", "main", "aside", "figure", "figcaption", "mark", "ins",
      "del", "strike", "body", "html", "head", "title", "meta", "link", "wbr", "nobr",
    ].filter { $0.utf8.count <= 8 }.map { $0.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })

  /// Tag names (packed like ``tagNames``) of inline style that a browser shows inside a word
  /// without a break (rule 21); not `sup` and `sub`, which set a word apart (`x<sup>2</sup>`
  /// reads `x 2`, as `x²` does).
  public static let inlineTagNames: Set<UInt64> = Set(
    [
      "a", "abbr", "b", "big", "del", "em", "font", "i", "ins", "mark", "nobr", "s", "small", "span", "strike",
      "strong", "tt", "u", "wbr",
    ].map { $0.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })
}
