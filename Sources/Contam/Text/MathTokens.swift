import Foundation

/// Math written in TeX, as tokens the text pipeline leaves out: inside `$…$`, `$$…$$`, `\(…\)`
/// and `\[…\]`, each lone ASCII letter (a variable: no letter or digit on either side) and each
/// operator `+ - = < > ^ * / |`.
///
/// Words are tokens; a lone letter is an option label and is dropped, and operators are not
/// word bytes. So "$(x-1)^2+y^2=1$" is the tokens `1 2 2 1`, and a MATH problem with a sign or a
/// variable changed keeps all its tokens. These extra tokens, merged into the text's own by byte
/// position, make a second token stream, which the near-duplicate search measures math items
/// on as well (``NearDuplicateIndex/math``).
///
/// The stream only adds: the text's own tokens are untouched, and a copy is measured on both
/// streams, the better one kept. Math mode is decided by delimiters, so one stray `$` before a
/// copy flips it for the copy; that makes the copy's extra tokens wrong and its math-stream
/// measure low, and leaves the text-stream measure as it was. A blank line ends math mode, as
/// it ends TeX's inline math, so a stray `$` reaches no further than its paragraph. A price
/// (``isPrice(_:at:)``: `$5 and`, `$3.50.`, `$20,000,`) is text, not a delimiter: pages of
/// prices are neither read as math nor flip the math of a formula after them.
@_spi(Testing) public enum MathTokens {
  /// The hash of the extra token for ASCII byte `byte` (a letter folded to lower case, as the
  /// text's tokens are): apart from every word's hash, which is an XXH3 of its bytes.
  @inline(__always)
  @_spi(Testing) public static func hash(_ byte: UInt8) -> UInt64 {
    var x = (UInt64(byte) | 0x6D61_7468_0000_0000) &* 0x9E37_79B9_7F4A_7C15
    x ^= x >> 29
    x = x &* 0xBF58_476D_1CE4_E5B9
    return x ^ (x >> 32)
  }

  /// Calls `body(hash, start, end)` for each extra token of `text`, in order.
  /// - Parameters:
  ///   - startingInMath: whether `text` starts inside math (a segment of a long document cut
  ///     inside a math paragraph: ``inMath(_:at:prices:)``).
  ///   - prices: whether a `$` that starts a price is text (``isPrice(_:at:)``). Off
  ///     (certificates made before this rule): every `$` switches math mode.
  /// - Returns: whether `text` ends inside math.
  @discardableResult
  @_spi(Testing) public static func forEach(
    in text: UnsafeRawBufferPointer, startingInMath: Bool = false, prices: Bool = true, _ body: (UInt64, Int, Int) -> Void
  ) -> Bool {
    let n = text.count
    guard n > 0 else { return startingInMath }
    @inline(__always) func byte(_ i: Int) -> UInt8 { i >= 0 && i < n ? text[i] : 0x20 }
    @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) func isWord(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) }
    var math = startingInMath
    var i = 0
    // Outside math only `$` and `\` matter: the scan jumps to the nearer of the next of each.
    let base = text.baseAddress!
    var nextDollar = -1
    var nextSlash = -1
    func next(_ byte: Int32, from: Int) -> Int {
      memchr(base + from, byte, n - from).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
    }
    while i < n {
      if !math {
        if nextDollar < i { nextDollar = next(0x24, from: i) }
        if nextSlash < i { nextSlash = next(0x5C, from: i) }
        i = min(nextDollar, nextSlash)
        guard i < n else { break }
      }
      let b = text[i]
      switch b {
      case 0x5C:  // backslash: a delimiter, an escaped dollar, or a command (its name is a word)
        let next = byte(i + 1)
        if next == 0x28 || next == 0x5B {
          math = true
        } else if next == 0x29 || next == 0x5D {
          math = false
        } else if isLetter(next) {
          i += 1
          while i < n && isLetter(text[i]) { i += 1 }
          continue
        }
        i += 2
        continue
      case 0x24:  // `$`, or `$$`: one switch; a price: text
        if prices && isPrice(text, at: i) {
          i += 1
          continue
        }
        math.toggle()
        i += byte(i + 1) == 0x24 ? 2 : 1
        continue
      case 0x0A:
        // A blank line (spaces allowed on it) ends math mode.
        var j = i + 1
        while j < n && (text[j] == 0x20 || text[j] == 0x09 || text[j] == 0x0D) { j += 1 }
        if j < n && text[j] == 0x0A { math = false }
      default:
        if math {
          if isLetter(b) && !isWord(byte(i - 1)) && !isWord(byte(i + 1)) {
            body(hash(b | 0x20), i, i + 1)
          } else if isOperator(b) {
            body(hash(b), i, i + 1)
          }
        }
      }
      i += 1
    }
    return math
  }

  /// Whether byte `offset` of `text` lies inside math: math mode read from the start of its
  /// paragraph (after the last blank line before it, at most `lookBack` bytes back), as
  /// ``forEach(in:startingInMath:_:)`` reads it through the whole text. A long document's
  /// segment that starts at `offset` starts in that mode, so where the cuts fall does not
  /// change the math stream.
  @_spi(Testing) public static func inMath(_ text: UnsafeRawBufferPointer, at offset: Int, lookBack: Int = 1 << 20, prices: Bool = true) -> Bool {
    guard offset > 0, offset <= text.count else { return false }
    let floor = max(0, offset - lookBack)
    var start = floor
    var i = offset - 1
    while i > floor {
      if text[i] == 0x0A {
        var j = i - 1
        while j >= floor && (text[j] == 0x20 || text[j] == 0x09 || text[j] == 0x0D) { j -= 1 }
        if j >= floor && text[j] == 0x0A {
          start = i + 1
          break
        }
      }
      i -= 1
    }
    return forEach(in: UnsafeRawBufferPointer(rebasing: text[start..<offset]), prices: prices) { _, _, _ in }
  }

  /// Whether `b` is an operator the math stream reads as a token: `+ - = < > ^ * / |`.
  @inline(__always)
  static func isOperator(_ b: UInt8) -> Bool {
    b == 0x2B || b == 0x2D || b == 0x3D || b == 0x3C || b == 0x3E || b == 0x5E || b == 0x2A || b == 0x2F || b == 0x7C
  }

  /// Whether the `$` at byte `i` of `text` starts a price, not math: a number follows it
  /// (digits, with `.` or `,` between digits; then maybe `k`, `m`, `b` or `bn`), maybe one of
  /// `. , ; : ! ? )` before a space, and then, past spaces: the end of the text; a word (a
  /// letter not standing alone before an operator or `$`); another price; a number, unless a
  /// mark came before it (`$243, 81, x$` is a list in math); or an operator and another price
  /// (`$400 + $60`, `$5-$10`, `$17/$8.50`). A rate (`$5/month`) and GSM8K's calculator note after
  /// a price sign (`$<<3*2=6>>6`) too. So `$5 and $10`, `$5, $6.`, `cost $3.50. A`,
  /// `$60,841 in 1982`, `($20,000) in` and `$2bn in` are prices, while `$5$`, `$2x$`, `$5 + x$`,
  /// `$5 x$`, `$243, 81, x$`, `$20 !$`, `$5/x$` and `$10^2$` are math. Decided by the bytes after the `$` alone, so a
  /// segment of a long document reads it as the whole text does.
  @_spi(Testing) public static func isPrice(_ text: UnsafeRawBufferPointer, at i: Int) -> Bool {
    let n = text.count
    @inline(__always) func byte(_ j: Int) -> UInt8 { j < n ? text[j] : 0x20 }
    @inline(__always) func isDigit(_ j: Int) -> Bool { byte(j) >= 0x30 && byte(j) <= 0x39 }
    @inline(__always) func isLetter(_ j: Int) -> Bool { (byte(j) | 0x20) >= 0x61 && (byte(j) | 0x20) <= 0x7A }
    @inline(__always) func isSpace(_ j: Int) -> Bool { j >= n || LayoutMarkup.isBlank(text[j]) }
    // A price, or GSM8K's calculator note after a price sign (`$<<3*2=6>>6`), after an operator:
    // an expression of prices (`$400 + $60`, `$9 = $<<9*2=18>>18`, `$17/$8.50`, `$5-$10`).
    func startsPrice(_ k: Int) -> Bool { byte(k) == 0x24 && (isDigit(k + 1) || (byte(k + 1) == 0x3C && byte(k + 2) == 0x3C)) }
    if byte(i + 1) == 0x3C && byte(i + 2) == 0x3C { return true }
    guard isDigit(i + 1) else { return false }
    var j = i + 1
    while isDigit(j) || ((byte(j) == 0x2E || byte(j) == 0x2C) && isDigit(j + 1)) { j += 1 }
    // A magnitude: `$5k`, `$2m`, `$3bn`.
    if (byte(j) | 0x20) == 0x62 && (byte(j + 1) | 0x20) == 0x6E && !isLetter(j + 2) {
      j += 2
    } else if (byte(j) | 0x20 == 0x6B || byte(j) | 0x20 == 0x6D || byte(j) | 0x20 == 0x62) && !isLetter(j + 1) {
      j += 1
    }
    var marked = false
    if !isSpace(j) {
      switch byte(j) {
      case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29:
        guard isSpace(j + 1) else { return false }
        j += 1
        marked = true
      case 0x2F where isLetter(j + 1) && isLetter(j + 2):  // a rate: `$5/month` (not `$5/x$`)
        return true
      default:
        guard isOperator(byte(j)) else { return false }
      }
    }
    while j < n && isSpace(j) { j += 1 }
    if j >= n || byte(j) >= 0x80 { return true }
    if isOperator(byte(j)) {
      var k = j + 1
      while k < n && isSpace(k) { k += 1 }
      return startsPrice(k)
    }
    if byte(j) == 0x24 { return isDigit(j + 1) }
    if isDigit(j) { return !marked }
    guard isLetter(j) else { return false }
    if isLetter(j + 1) || byte(j + 1) >= 0x80 { return true }
    // A letter alone: a variable when an operator or `$` follows it (`$5 x$`, `$2 a + b$`).
    var k = j + 1
    while k < n && isSpace(k) { k += 1 }
    return k >= n || !(isOperator(text[k]) || text[k] == 0x5C || text[k] == 0x24)
  }

  /// An extra token: its hash and source bytes.
  typealias Extra = (hash: UInt64, start: Int, end: Int)

  /// One step of the math stream: the text's own token at an index, or an extra token.
  enum Step {
    case token(Int)
    case extra(Int)
  }

  /// The math stream's order: tokens `tokens` (their start bytes by `start`) and `extras` (in
  /// byte order, each within or after the tokens' reach) merged by position, an extra token
  /// before the word that starts after it (an extra token never lies inside a word).
  static func merge(_ extras: ArraySlice<Extra>, tokens: Range<Int>, start: (Int) -> Int, _ visit: (Step) -> Void) {
    var x = extras.startIndex
    for t in tokens {
      while x < extras.endIndex && extras[x].start < start(t) {
        visit(.extra(x))
        x += 1
      }
      visit(.token(t))
    }
    while x < extras.endIndex {
      visit(.extra(x))
      x += 1
    }
  }

  /// The extra tokens of a string (a benchmark item's part).
  static func extras(of text: String, prices: Bool) -> [Extra] {
    var found: [Extra] = []
    var copy = text
    _ = copy.withUTF8 { bytes in forEach(in: UnsafeRawBufferPointer(bytes), prices: prices) { found.append(($0, $1, $2)) } }
    return found
  }
}

// The scan's math windows: the stream built from a text's own tokens and its extra tokens.
extension MathTokens {
  /// The windows the scan's math search reads: each a run of extra tokens (indices into
  /// `extras`, in byte order), each within `reach` tokens of the next, with the tokens within
  /// `reach` of the run.
  static func windows(extras: [MathTokens.Extra], tokens: _TokenView, reach: Int) -> [(extras: Range<Int>, tokens: Range<Int>)] {
    func firstToken(from at: Int) -> Int { tokens.firstIndex(startingAtOrAfter: at) }
    var windows: [(extras: Range<Int>, tokens: Range<Int>)] = []
    var e = 0
    while e < extras.count {
      let first = e
      var upper = min(tokens.count, firstToken(from: extras[e].start) + reach)
      let lower = max(0, firstToken(from: extras[e].start) - reach)
      e += 1
      while e < extras.count {
        let at = firstToken(from: extras[e].start)
        guard at - reach <= upper else { break }
        upper = min(tokens.count, at + reach)
        e += 1
      }
      windows.append((first..<e, lower..<upper))
    }
    return windows
  }

  /// Fills `buffer` with tokens `range` of `tokens` and the extra tokens `extras` (in byte order,
  /// all within the range's reach) merged by position, in the order ``merge(_:tokens:start:_:)``
  /// gives (an extra token after the tokens that start at or before it); returns where the extra
  /// tokens went. The tokens between two extra tokens are copied in one piece.
  static func fill(
    _ buffer: inout _TokenBuffer, tokens: _TokenView, range: Range<Int>, extras: ArraySlice<MathTokens.Extra>
  ) -> [Int] {
    buffer.removeAll()
    var placed: [Int] = []
    var t = range.lowerBound
    for extra in extras {
      let next = tokens.firstIndex(startingAtOrAfter: extra.start + 1, in: t..<range.upperBound)
      buffer.append(tokens, t..<next)
      t = next
      placed.append(buffer.count)
      buffer.consume(hash: extra.hash, start: extra.start, end: extra.end)
    }
    buffer.append(tokens, t..<range.upperBound)
    return placed
  }

  /// Checks the math search's window fill (``fill(_:tokens:range:extras:)``,
  /// which copies the tokens between extra tokens in bulk) against ``merge(_:tokens:start:_:)``,
  /// token by token, over the windows of `text` for each of `reaches`: how many windows were
  /// filled, and in how many the tokens (hash, bytes) or the extra tokens' places differ.
  @_spi(Testing) public static func windowFillCheck(_ text: String, tokenizer: Tokenizer, prices: Bool, reaches: [Int]) -> (windows: Int, differing: Int) {
    var copy = text
    return copy.withUTF8 { utf8 in
      let bytes = UnsafeRawBufferPointer(utf8)
      var tokens = _TokenBuffer(capacity: 16)
      _ = tokenizer.tokenize(bytes, into: &tokens)
      var extras: [Extra] = []
      forEach(in: bytes, prices: prices) { extras.append(($0, $1, $2)) }
      let view = tokens.view
      var filled = _TokenBuffer(capacity: 16)
      var reference = _TokenBuffer(capacity: 16)
      var filledWindows = 0
      var differing = 0
      for reach in reaches {
        for window in windows(extras: extras, tokens: view, reach: reach) {
          let placed = fill(&filled, tokens: view, range: window.tokens, extras: extras[window.extras])
          reference.removeAll()
          var referencePlaced: [Int] = []
          merge(extras[window.extras], tokens: window.tokens, start: { Int(view.starts[$0]) }) { step in
            switch step {
            case .token(let t): reference.consume(hash: view.hashes[t], start: Int(view.starts[t]), end: Int(view.ends[t]))
            case .extra(let x):
              referencePlaced.append(reference.count)
              reference.consume(hash: extras[x].hash, start: extras[x].start, end: extras[x].end)
            }
          }
          filledWindows += 1
          let (a, b) = (filled.view, reference.view)
          let same =
            placed == referencePlaced && a.count == b.count
            && (0..<a.count).allSatisfy { a.hashes[$0] == b.hashes[$0] && a.starts[$0] == b.starts[$0] && a.ends[$0] == b.ends[$0] }
          if !same { differing += 1 }
        }
      }
      return (filledWindows, differing)
    }
  }
}
