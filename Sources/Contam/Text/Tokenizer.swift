import CContamSupport
import Foundation

/// Splits UTF-8 text into normalized, hashed tokens, each with its byte range in the source.
///
/// The same tokenizer serves corpus documents and benchmark items, so both sides are compared
/// under one normalization (``Normalizer``). The loop walks raw bytes: ASCII goes through a
/// 128-entry table, other scalars through the normalizer's fold table; no `String` is made per
/// token and nothing is allocated per call. One tokenizer per thread (it owns its word buffer).
///
/// ```swift
/// let tokenizer = Tokenizer()
/// var collector = TokenCollector()
/// "Café ＡＢＣ &amp; co.".utf8.withContiguousStorageIfAvailable {
///   _ = tokenizer.tokenize(UnsafeRawBufferPointer($0), into: &collector)
/// }
/// // collector.tokens: "cafe", "abc", "co" with their byte ranges
/// ```
public final class Tokenizer {
  /// Bytes of a word hashed at once; a longer word is hashed in chunks of this size.
  public static let wordChunk = 256

  @usableFromInline let normalizer: Normalizer
  @usableFromInline let wordBuffer: UnsafeMutablePointer<UInt8>
  /// Whether the fast paths are taken: ASCII words classified eight bytes at a time
  /// (``wordPrefix(_:)``), a plain word hashed where it ends and the separators after it passed
  /// over (``_Word/isPlain``); off only to check, byte for byte, that they give the tokens the
  /// byte-wise path does.
  @usableFromInline let wide: Bool
  /// Per byte value, 1 where ``isPlainSeparator(_:_:)`` holds for the normalizer's table, else
  /// 0: the fast paths test a byte with one load (and the fast lane adds them up).
  @usableFromInline let plainSeparators: UnsafeMutablePointer<UInt8>
  /// ``plainSeparators`` and `-`: where no word is open a hyphen only separates (rule 19 reads
  /// one only right after a word), so the fast lane passes over it between words.
  @usableFromInline let laneSeparators: UnsafeMutablePointer<UInt8>

  public convenience init(normalizer: Normalizer = .shared) {
    self.init(normalizer: normalizer, wide: true)
  }

  /// A tokenizer that takes ASCII words one byte at a time and every word through every rule
  /// (`wide` false): the reference the differential tests and the fuzz target hold the fast
  /// paths to.
  @_spi(Testing) public init(normalizer: Normalizer = .shared, wide: Bool) {
    self.normalizer = normalizer
    self.wordBuffer = .allocate(capacity: Self.wordChunk + 64)
    self.wide = wide
    self.plainSeparators = Self.plainSeparators(normalizer.ascii)
    self.laneSeparators = .allocate(capacity: 256)
    laneSeparators.initialize(from: plainSeparators, count: 256)
    laneSeparators[0x2D] = 1
  }

  /// The table of ``plainSeparators``.
  private static func plainSeparators(_ ascii: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for byte in 0...255 { (table + byte).initialize(to: isPlainSeparator(UInt8(byte), ascii) ? 1 : 0) }
    return table
  }

  /// How many of the eight bytes of `x` (the first in its low byte) from the first on are ASCII
  /// word bytes, `0-9 A-Z a-z` (the ASCII fold table's words; `&` and every other byte end a
  /// word), in a few instructions for all eight: each byte's high bit says whether it is a
  /// letter or digit, from additions that cannot carry into the next byte (done on its low
  /// seven bits, whose sum with the constants stays below 0x100). Their folded form is
  /// `x | 0x2020…` (lower case; digits already have that bit).
  @inlinable @inline(__always)
  static func wordPrefix(_ x: UInt64) -> Int {
    let high: UInt64 = 0x8080_8080_8080_8080
    let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
    let lower = low7 | 0x2020_2020_2020_2020
    let letter = (lower &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(lower &+ 0x0505_0505_0505_0505)  // 0x61...0x7A
    let digit = (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646)  // 0x30...0x39
    let word = (letter | digit) & ~x & high  // and ASCII
    let other = ~word & high
    return other == 0 ? 8 : other.trailingZeroBitCount >> 3
  }

  /// How many of the 16 bytes at `bytes` from the first on are ASCII word bytes (0 to 16), as
  /// ``wordPrefix(_:)`` counts them, classified at once (`CContamSupport_wordLength16`: SSE2).
  /// Public, like ``isRomanLabel(_:length:)``, so the tests can hold it to its definition.
  @inlinable @inline(__always)
  public static func wordLength16(_ bytes: UnsafeRawPointer) -> Int { Int(CContamSupport_wordLength16(bytes)) }

  /// The 64 bytes at `bytes` classified at once (`CContamSupport_classify64`), bit k for byte k:
  /// `words`, the ASCII word bytes (``wordLength16(_:)``'s); `roman`, `i`, `v`, `I` and `V` (an
  /// option label in roman numerals is written in them alone).
  @inlinable @inline(__always)
  static func classify64(_ bytes: UnsafeRawPointer) -> (words: UInt64, roman: UInt64) {
    var words: UInt64 = 0
    var roman: UInt64 = 0
    CContamSupport_classify64(bytes, &words, &roman)
    return (words, roman)
  }

  /// Whether `byte` only separates words: ASCII, no word byte (the fold table's 0) and none of
  /// the separators a rule reads (`\\` and `]` for TeX and links, `-` for a line break's hyphen,
  /// `<` for tags; `&`, `%` and `=` are the table's 0xFF). The tokenizer's loop does nothing at
  /// such a byte but end the word.
  @inlinable @inline(__always)
  static func isPlainSeparator(_ byte: UInt8, _ ascii: UnsafeMutablePointer<UInt8>) -> Bool {
    byte < 0x80 && ascii[Int(byte)] == 0 && byte != 0x5C && byte != 0x5D && byte != 0x2D && byte != 0x3C
  }

  /// ``isPlainSeparator(_:_:)`` by table.
  @inlinable @inline(__always)
  func isPlainSeparator(_ byte: UInt8) -> Bool { plainSeparators[Int(byte)] != 0 }

  deinit {
    wordBuffer.deallocate()
    plainSeparators.deallocate()
    laneSeparators.deallocate()
  }

  /// Tokenizes `text`, handing each token to `sink` in order.
  /// - Returns: the number of tokens and of invalid UTF-8 bytes.
  @inlinable
  public func tokenize<Sink: TokenSink & ~Copyable>(_ text: UnsafeRawBufferPointer, into sink: inout Sink)
    -> TokenizeCounts
  {
    var counts = TokenizeCounts()
    guard let raw = text.baseAddress, text.count > 0 else { return counts }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    let n = text.count
    let ascii = normalizer.ascii
    var word = _Word(buffer: wordBuffer, source: base, sourceCount: n, version: normalizer.textVersion)
    var i = 0
    let dropsCues = normalizer.textVersion.dropsSubtitleCues
    while i < n {
      if wide && word.start < 0 && i &+ 16 <= n && base[i] < 0x80 {
        i = plainWords(base, from: i, count: n, word: &word, dropsCues: dropsCues, into: &sink, counts: &counts)
        guard i < n else { break }
      }
      let b = base[i]
      if b < 0x80 {
        let c = ascii[Int(b)]
        if c != 0 && c != 0xFF {
          // A run of ASCII word bytes, consumed in one tight loop (most text is this).
          if word.start < 0 { word.start = i }
          word.inScript = false
          var length = word.length
          let buffer = word.buffer
          var j = i
          run: while true {
            // Eight bytes at a time while they are there and fit before the chunk's end (the
            // buffer has room for the eight stored even where fewer are words).
            while wide && j &+ 8 <= n && length &+ 8 <= Tokenizer.wordChunk {
              let x = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
              let taken = Tokenizer.wordPrefix(x)
              UnsafeMutableRawPointer(buffer + length).storeBytes(of: (x | 0x2020_2020_2020_2020).littleEndian, as: UInt64.self)
              length &+= taken
              j &+= taken
              if length == Tokenizer.wordChunk {
                word.length = length
                word.flushChunk()
                length = 0
              }
              if taken < 8 { break run }
            }
            guard j < n else { break }
            let d = base[j]
            guard d < 0x80 else { break }
            let next = ascii[Int(d)]
            guard next != 0 && next != 0xFF else { break }
            buffer[length] = next
            length &+= 1
            j &+= 1
            if length == Tokenizer.wordChunk {
              word.length = length
              word.flushChunk()
              length = 0
            }
          }
          word.length = length
          word.end = j
          i = j
          // Most words end at a space or a punctuation mark that is only a separator, and are
          // plain: hashed here, then the separators after them passed over (the byte-wise
          // path, `wide` false, takes them one by one through the rules, for the tests).
          if wide && j < n && isPlainSeparator(base[j]) && word.isPlain {
            word.hashPlain(into: &sink, counts: &counts)
            i = j &+ 1
            while i < n && isPlainSeparator(base[i]) { i &+= 1 }
          }
          continue
        }
        if c == 0xFF && (b == 0x25 || b == 0x3D) {
          // `%` (only `contam-text/6` marks it): a URL-encoded character is the character (rule
          // 23). `=` (only `contam-text/9`): quoted-printable (rule 29), a soft line break inside
          // a word does not split it, and `=E2=80=99` is the character it encodes.
          if b == 0x3D && word.start >= 0, let next = LayoutMarkup.softLineBreak(base, count: n, at: i) {
            i = next
          } else if let (value, length) =
            b == 0x25
            ? LayoutMarkup.percentEscape(base + i, available: n &- i) : LayoutMarkup.quotedPrintableEscape(base + i, available: n &- i)
          {
            word.scalar(value, start: i, end: i &+ length, normalizer: normalizer, into: &sink, counts: &counts)
            i &+= length
          } else {
            word.finish(into: &sink, counts: &counts)
            i &+= 1
          }
          continue
        }
        if c == 0xFF && normalizer.skipsEscapedTags,
          case let skip = LayoutMarkup.escapedTagLength(base + i, available: n &- i, twice: normalizer.readsEncodedText), skip > 0
        {
          // An HTML tag escaped into the text (`&lt;br /&gt;`) is layout like the tag (rule 9).
          word.finish(into: &sink, counts: &counts)
          i &+= skip
          continue
        }
        if c == 0xFF, let (value, length) = HTMLEntity.decode(base + i, available: n &- i, twice: normalizer.readsEncodedText) {
          word.scalar(value, start: i, end: i &+ length, normalizer: normalizer, into: &sink, counts: &counts)
          i &+= length
          continue
        }
        if (b == 0x5C || b == 0x5D) && normalizer.skipsLatexCommands {
          // contam-text/4 (Normalizer rules 14-16), at a backslash or a closing bracket.
          if b == 0x5D {
            // A markdown link's target is not text.
            word.finish(into: &sink, counts: &counts)
            let target = LayoutMarkup.linkTargetLength(base + i, available: n &- i)
            i &+= target > 0 ? target : 1
          } else if let (value, length) = LayoutMarkup.unicodeEscape(base + i, available: n &- i) {
            // A JSON \uXXXX escape is the character it stands for.
            word.scalar(value, start: i, end: i &+ length, normalizer: normalizer, into: &sink, counts: &counts)
            i &+= length
          } else {
            // An escape is skipped; else a LaTeX command starts here, and the word right after
            // the backslash (its name, whatever script its letters are in) is no token when it
            // names a presentation command.
            word.finish(into: &sink, counts: &counts)
            if LayoutMarkup.isEscape(base + i, available: n &- i) {
              i &+= 2
            } else {
              i &+= 1
              word.commandAt = i
            }
          }
          continue
        }
        if b == 0x2D && word.start >= 0 && normalizer.joinsLineBreakHyphens,
          let next = LayoutMarkup.lineBreakHyphen(base, count: n, at: i)
        {
          // A word hyphenated across a line break is one word (rule 19): it goes on after it.
          i = next
          continue
        }
        if b == 0x3C && word.start >= 0 && normalizer.readsEncodedText,
          case let inline = LayoutMarkup.inlineTagsLength(base + i, available: n &- i), inline > 0, i &+ inline < n,
          case let next = base[i &+ inline], next >= 0x80 || (ascii[Int(next)] != 0 && ascii[Int(next)] != 0xFF)
        {
          // Inline tags inside a word do not split it (rule 21): `Na<b>ta</b>lia` is one word.
          i &+= inline
          continue
        }
        // Layout that is not text (Normalizer rules 9 and 10): escapes and tags end the word
        // and are skipped whole.
        var skip =
          !normalizer.skipsLayoutMarkup
          ? 0
          : b == 0x5C
          ? LayoutMarkup.escapeLength(base + i, available: n &- i, latex: normalizer.textVersion.foldsScripts)
          : b == 0x3C ? LayoutMarkup.tagLength(base + i, available: n &- i) : 0
        if skip == 0 && b == 0x3C && normalizer.textVersion.dropsLogStamps {
          // A chat log's `<speaker>` after a line's time stamp is layout like a tag (rule 30).
          skip = LayoutMarkup.logSpeakerLength(base, count: n, at: i)
        }
        word.finish(into: &sink, counts: &counts)
        i &+= skip > 0 ? skip : 1
        continue
      }
      if b == 0xC3 && normalizer.readsMisdecodedText, let (value, length) = Mojibake.decode(base + i, available: n &- i) {
        // UTF-8 read as Windows-1252 once (`â€™`): the character it stands for (rule 25).
        word.scalar(value, start: i, end: i &+ length, normalizer: normalizer, into: &sink, counts: &counts)
        i &+= length
        continue
      }
      let (value, length) = _UTF8.decode(base + i, available: n &- i)
      if length == 0 {
        counts.invalidBytes &+= 1
        word.finish(into: &sink, counts: &counts)
        i &+= 1
        continue
      }
      word.scalar(value, start: i, end: i &+ length, normalizer: normalizer, into: &sink, counts: &counts)
      i &+= length
    }
    word.finish(into: &sink, counts: &counts)
    return counts
  }

  /// Whether a word is one that ``_Word/finish(into:counts:)`` would only hash, no rule reading
  /// it: at least two bytes, an ASCII letter first (`first` lower-cased; no number, option
  /// label, Greek letter or letter-spaced run), not an option label of roman numerals (rule 8,
  /// `romanLabel`, asked of words of up to four bytes), not a command's name (rule 14: it starts
  /// at `commandAt`), no `:` before or `after` it where subtitle cues are read (rule 27). The one
  /// test of the tokenizer's two fast paths (``plainWords(_:from:count:word:dropsCues:into:counts:)``
  /// and ``_Word/isPlain``).
  @inlinable @inline(__always)
  static func isPlainWord(
    first: UInt8, length: Int, romanLabel: @autoclosure () -> Bool, start: Int, commandAt: Int, before: @autoclosure () -> UInt8,
    after: UInt8, dropsCues: Bool
  ) -> Bool {
    length >= 2 && first &- 0x61 < 26 && !romanLabel() && start != commandAt
      && (!dropsCues || (after != 0x3A && before() != 0x3A))
  }

  /// Whether the first `length` bytes of `x` (the first in its low byte), lower-cased, are an
  /// option label of roman numerals, `ii` to `viii` (``LayoutMarkup/isLabel(_:count:)``); false
  /// for any `length` outside 2...4. Without a branch (the fast lane asks it of every word, and
  /// a branch on a word's length or value is one the processor mispredicts; a first test for
  /// `i` or `v` was slower): the word's first four bytes at most, its length in the top byte,
  /// looked up in a perfect hash of the six labels (`CContamSupport_isRomanLabelKey`).
  @inlinable @inline(__always)
  public static func isRomanLabel(_ x: UInt64, length: Int) -> Bool {
    let kept = UInt64(truncatingIfNeeded: 8 &* min(length, 4))
    let key = ((x | 0x2020_2020_2020_2020) & ((1 &<< kept) &- 1)) | UInt64(truncatingIfNeeded: min(length, 255)) &<< 56
    return CContamSupport_isRomanLabelKey(key)
  }

  /// ``isRomanLabel(_:length:)`` of the first `length` (at most 8) bytes of a word buffer.
  @inlinable @inline(__always)
  static func isRomanLabel(folded bytes: UnsafePointer<UInt8>, length: Int) -> Bool {
    var x: UInt64 = 0
    for k in 0..<min(length, 8) { x |= UInt64(bytes[k]) &<< UInt64(8 &* k) }
    return isRomanLabel(x, length: length)
  }

  /// The fast lane of ``tokenize(_:into:)``, taken where no word is open: plain words of 2 to 15
  /// ASCII letters and digits, a letter first, each followed by plain separators
  /// (``isPlainSeparator(_:_:)``), taken (``takePlainWord(_:at:length:mayBeLabel:commandAt:dropsCues:hyphenFollows:into:taken:)``)
  /// without the general loop's state. It stops, having changed nothing for the word there, at
  /// the first word that is not plain as ``_Word/isPlain`` says (a number, a label, a command's
  /// name, a word beside `:`, one that goes on in other bytes) or the first separator that is
  /// not plain, or 16 bytes before the end; the general loop takes it from there. A letter alone
  /// (6% of the words of prose) it drops itself where that is all the general loop would do
  /// (``isDroppedLetter(_:at:dropsLabels:commandAt:spacedEnd:)``); a `-` between words
  /// (`well-known`) it passes over where rule 19 cannot read it (``laneSeparators``, and
  /// `hyphenFollows` in ``takePlainWord(_:at:length:mayBeLabel:commandAt:dropsCues:hyphenFollows:into:taken:)``).
  /// Returns where it stopped.
  ///
  /// Where 80 bytes are left it goes a block of 64 bytes at a time: their word bytes classified
  /// at once (``classify64(_:)``), each word's length and the next word's start found in that
  /// mask. From one word to the next is then a few bit operations, not a load and a
  /// classification: that chain, which the processor cannot overlap, set the pace of a loop
  /// that measured each word from its own 16 bytes. The separators between words are checked by
  /// table, one or two of them without a branch on how many (a mispredicted branch costs this
  /// loop more than the instructions that replace it).
  @inlinable @inline(__always)
  func plainWords<Sink: TokenSink & ~Copyable>(
    _ base: UnsafePointer<UInt8>, from start: Int, count n: Int, word: inout _Word, dropsCues: Bool,
    into sink: inout Sink, counts: inout TokenizeCounts
  ) -> Int {
    var i = start
    let commandAt = word.commandAt
    let separators = plainSeparators
    let between = laneSeparators
    var taken = 0
    var labels = 0
    let dropsLabels = word.dropsLabels
    let spacedEnd = word.spacedEnd
    var stopped = false
    block: while i &+ 80 <= n {
      let (words, roman) = Tokenizer.classify64(base + i)
      // A word with a byte that is not `i` or `v` is no roman numeral (most words).
      let notRoman = words & ~roman
      // The block's first word; the bytes before it must be plain separators.
      var p = words.trailingZeroBitCount
      if p > 0, let other = firstNotSeparator(base, from: i, to: i &+ p, in: between) {
        i = other
        stopped = true
        break block
      }
      // A word that starts at 48 or before ends, with the byte after it, in the block.
      while p <= 48 {
        let length = (~words &>> UInt64(p)).trailingZeroBitCount
        let mayBeLabel = (notRoman &>> UInt64(p)).trailingZeroBitCount >= length
        if takePlainWord(
          base, at: i &+ p, length: length, mayBeLabel: mayBeLabel, commandAt: commandAt, dropsCues: dropsCues, hyphenFollows: true,
          into: &sink, taken: &taken)
        {
        } else if length == 1 && (words &>> UInt64(p &+ 2)) & 3 != 1
          && isDroppedLetter(base, at: i &+ p, dropsLabels: dropsLabels, commandAt: commandAt, spacedEnd: spacedEnd)
        {
          // A letter alone (`a`, `I`, the `t` of `don't`): an option label, no token (rule 8).
          // The byte two on is not one alone, where rule 32 may read letter-spaced text.
          labels &+= 1
        } else {
          i &+= p
          stopped = true
          break block
        }
        // The byte at `end` ends the word as a separator (checked); the next word starts at
        // `next`, or none does in the block (64).
        let end = p &+ length
        let next = min(end &+ (words &>> UInt64(end)).trailingZeroBitCount, 64)
        // Those between, where no word is open: one or two by table without a branch on how
        // many, more by a loop.
        let gap = next &- end &- 1
        let one = between[Int(base[i &+ end &+ 1])] | (gap < 1 ? 1 : 0)
        let two = between[Int(base[i &+ end &+ 2])] | (gap < 2 ? 1 : 0)
        if one & two == 0 || gap > 2, let other = firstNotSeparator(base, from: i &+ end &+ 1, to: i &+ next, in: between) {
          i = other
          stopped = true
          break block
        }
        p = next
      }
      i &+= p
    }
    // The last 80 bytes a word at a time, each measured from its own 16 bytes.
    while !stopped && i &+ 16 <= n {
      let length = Tokenizer.wordLength16(base + i)
      guard
        takePlainWord(
          base, at: i, length: length, mayBeLabel: true, commandAt: commandAt, dropsCues: dropsCues, hyphenFollows: false, into: &sink,
          taken: &taken)
      else { break }
      i &+= length &+ 1
      while i < n && separators[Int(base[i])] != 0 { i &+= 1 }
    }
    counts.tokens &+= taken
    counts.labels &+= labels
    if i != start { word.inScript = false }
    return i
  }

  /// Whether the one ASCII byte at `i` (a word of its own, no word open) is a letter that
  /// ``_Word/finish(into:counts:)`` would drop as an option label and nothing else: a letter,
  /// in a text version that drops labels, followed by a plain separator, not a command's name,
  /// not in a run of letter-spaced text already read (rule 32), and, where rule 32 reads such
  /// text and a space follows, the caller has seen that the character after the space is not
  /// one alone (it would start a run).
  @inlinable @inline(__always)
  func isDroppedLetter(_ base: UnsafePointer<UInt8>, at i: Int, dropsLabels: Bool, commandAt: Int, spacedEnd: Int) -> Bool {
    guard dropsLabels, (base[i] | 0x20) &- 0x61 < 26, i != commandAt, i >= spacedEnd else { return false }
    return isPlainSeparator(base[i &+ 1])
  }

  /// Hands on the plain word of `length` bytes at `i` (``isPlainWord``, and fewer than 16 bytes,
  /// and followed by a plain separator), hashed from two eight-byte loads
  /// (``XXH3/hash64(low:high:count:)``: bytes past the word do not count), and counts it in
  /// `taken`; false, having done nothing, for any other word. The roman-label test is asked
  /// only where `mayBeLabel` (the caller knows when a word has a letter no label has). With
  /// `hyphenFollows`, a `-` after the word ends it too where no blank or line break follows the
  /// `-` (rule 19 joins a word across `-` and a line break only). 16 bytes from `i`, and with
  /// `hyphenFollows` the byte after the word's next, must be readable.
  @inlinable @inline(__always)
  func takePlainWord<Sink: TokenSink & ~Copyable>(
    _ base: UnsafePointer<UInt8>, at i: Int, length: Int, mayBeLabel: Bool, commandAt: Int, dropsCues: Bool, hyphenFollows: Bool,
    into sink: inout Sink, taken: inout Int
  ) -> Bool {
    guard length < 16 else { return false }
    let x = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    let after = base[i &+ length]
    guard
      Tokenizer.isPlainWord(
        first: UInt8(truncatingIfNeeded: x) | 0x20, length: length,
        romanLabel: mayBeLabel && Tokenizer.isRomanLabel(x, length: length), start: i,
        commandAt: commandAt, before: i > 0 ? base[i &- 1] : 0, after: after, dropsCues: dropsCues),
      isPlainSeparator(after) || (hyphenFollows && after == 0x2D && !LayoutMarkup.isBlank(base[i &+ length &+ 1]))
    else { return false }
    let y = UInt64(littleEndian: UnsafeRawPointer(base + i + 8).loadUnaligned(as: UInt64.self))
    let hash = XXH3.hash64(low: x | 0x2020_2020_2020_2020, high: y | 0x2020_2020_2020_2020, count: length)
    sink.consume(hash: hash, start: i, end: i &+ length)
    taken &+= 1
    return true
  }

  /// The first byte from `from` to `to` that `table` does not call a separator, or nil.
  @inlinable @inline(__always)
  func firstNotSeparator(_ base: UnsafePointer<UInt8>, from: Int, to: Int, in table: UnsafeMutablePointer<UInt8>) -> Int? {
    var k = from
    while k < to {
      if table[Int(base[k])] == 0 { return k }
      k &+= 1
    }
    return nil
  }

  /// Tokenizes a string (convenience for tests and benchmark items).
  public func tokens(of text: String) -> [Token] {
    var collector = TokenCollector()
    var copy = text
    copy.withUTF8 { _ = tokenize(UnsafeRawBufferPointer($0), into: &collector) }
    return collector.tokens
  }

  /// Tokenizes bytes (convenience for tests and benchmark items).
  public func tokens(of bytes: [UInt8]) -> [Token] {
    var collector = TokenCollector()
    bytes.withUnsafeBytes { _ = tokenize($0, into: &collector) }
    return collector.tokens
  }
}

/// The word being built: its normalized bytes so far and its source range.
@usableFromInline
struct _Word {
  @usableFromInline let buffer: UnsafeMutablePointer<UInt8>
  @usableFromInline var length = 0
  @usableFromInline var carry: UInt64 = 0
  @usableFromInline var chunked = false
  /// Source offset of the first byte, or -1 when no word is open.
  @usableFromInline var start = -1
  @usableFromInline var end = 0

  /// The text being tokenized, for the context of a number label (rule 8).
  @usableFromInline let source: UnsafePointer<UInt8>
  @usableFromInline let sourceCount: Int
  /// Whether option labels are dropped (rule 8; not in `contam-text/1`).
  @usableFromInline let dropsLabels: Bool
  /// Whether a number label must be followed by white space (rule 8 in `contam-text/3`).
  @usableFromInline let spacedNumberLabels: Bool
  /// Whether a LaTeX presentation command's name is dropped (rule 14 in `contam-text/4`).
  @usableFromInline let dropsCommands: Bool
  /// Source offset right after the last backslash that starts a command: a word starting
  /// there is the command's name (rule 14); -1 when none.
  @usableFromInline var commandAt = -1
  /// Whether math symbols, one-letter Greek words and command aliases read as TeX command
  /// names (rule 18 in `contam-text/5`).
  @usableFromInline let readsMath: Bool
  /// Whether superscript and subscript letters are scripts too (rule 22, `contam-text/6`).
  @usableFromInline let readsEncodedText: Bool
  /// Whether a line's number before its text is layout (rule 26, `contam-text/7`).
  @usableFromInline let dropsLineNumbers: Bool
  /// Whether a subtitle cue's timing line and number are layout (rule 27, `contam-text/8`).
  @usableFromInline let dropsSubtitleCues: Bool
  /// Whether a citation mark's number is layout (rule 28, `contam-text/9`).
  @usableFromInline let dropsCitationMarks: Bool
  /// Whether a chat log's time stamp is layout (rule 30, `contam-text/9`).
  @usableFromInline let dropsLogStamps: Bool
  /// Whether a word begun in superscript letters goes on through a letter without one (rule
  /// 31, `contam-text/10`).
  @usableFromInline let joinsScriptWords: Bool
  /// The ``start`` of the word when it began with a superscript or subscript letter (rule 31),
  /// else -1 or an earlier word's (a word begun with `²` splits as rule 18 says).
  @usableFromInline var scriptWordStart = -1
  /// Whether letter-spaced text (`W h e r e   d o`) spells words (rule 32, `contam-text/11`).
  @usableFromInline let joinsSpacedLetters: Bool
  /// The end of the last letter-spaced word (rule 32): a lone character before it was in it.
  @usableFromInline var spacedEnd = -1
  /// Rule 32: how far the text has been searched for runs of three lone letters (every start
  /// from the lowest window still asked about up to `end`), and where the last one found starts
  /// (-1 when none): ``letterRunNear(_:)``'s windows only move on.
  @usableFromInline var letterRunsSeen = (end: 0, last: -1)
  /// Whether the last character added to the word was a superscript or subscript (rule 18):
  /// one after any other character starts a word (`x²` reads `x 2`, as `x^2` does).
  @usableFromInline var inScript = false
  /// Whether the text holds a `-->` (``holdsCueArrow()``): 0 not yet looked for, 1 no, 2 yes.
  @usableFromInline var cueArrow: UInt8 = 0

  @usableFromInline init(buffer: UnsafeMutablePointer<UInt8>, source: UnsafePointer<UInt8>, sourceCount: Int, version: TextVersion) {
    self.buffer = buffer
    self.source = source
    self.sourceCount = sourceCount
    self.dropsLabels = version.skipsLayoutMarkup
    self.spacedNumberLabels = version.foldsScripts
    self.dropsCommands = version.skipsLatexCommands
    self.readsMath = version.readsRenderedMath
    self.readsEncodedText = version.readsEncodedText
    self.dropsLineNumbers = version.dropsLineNumbers
    self.dropsSubtitleCues = version.dropsSubtitleCues
    self.dropsCitationMarks = version.dropsCitationMarks
    self.dropsLogStamps = version.dropsLogStamps
    self.joinsScriptWords = version.joinsScriptWords
    self.joinsSpacedLetters = version.joinsSpacedLetters
  }

  @inlinable @inline(__always)
  mutating func append(_ byte: UInt8, at offset: Int) {
    if start < 0 { start = offset }
    buffer[length] = byte
    length &+= 1
    if length == Tokenizer.wordChunk { flushChunk() }
  }

  /// Folds a full 256-byte chunk into the running hash of a long word.
  @inlinable
  mutating func flushChunk() {
    carry = XXH3.hash64(UnsafeRawPointer(buffer), count: length, seed: carry ^ 0x5bd1_e995)
    chunked = true
    length = 0
  }

  @inlinable @inline(__always)
  mutating func finish<Sink: TokenSink & ~Copyable>(into sink: inout Sink, counts: inout TokenizeCounts) {
    guard start >= 0 else { return }
    if length == 1 && joinsSpacedLetters && !chunked && (start < spacedEnd || (end < sourceCount && source[end] == 0x20)) {
      // Letter-spaced text (`W h e r e   d o`, rule 32): its first character gives the word,
      // the others were in it.
      if start < spacedEnd {
        start = -1
        length = 0
        return
      }
      spellSpaced()
    }
    if dropsCommands && start == commandAt && !chunked {
      // A LaTeX command's name: not a token when it names a presentation command (rule 14) or
      // dots (rule 18); an alias reads as the name it stands for (`\leq` as `le`, rule 18).
      if readsMath { length = MathSymbols.canonicalCommand(buffer, count: length) }
      if length == 0 || LayoutMarkup.isPresentationCommand(buffer, count: length) {
        counts.labels &+= 1
        start = -1
        length = 0
        chunked = false
        carry = 0
        return
      }
    } else if readsMath && length == 2 && buffer[0] & 0xFE == 0xCE && !chunked {
      // A word of one Greek letter reads as its command's name (`π` as `pi`, rule 18).
      length = MathSymbols.greekLetter(buffer)
    }
    if !chunked && length <= 4 && dropsLabels
      && (LayoutMarkup.isLabel(buffer, count: length)
        || (buffer[0] < 0x3A && LayoutMarkup.isNumberLabel(source, count: sourceCount, start: start, end: end, spaced: spacedNumberLabels))
        || (dropsLineNumbers && buffer[0] < 0x3A && LayoutMarkup.isLineNumber(source, count: sourceCount, start: start, end: end))
        || (dropsCitationMarks && buffer[0] < 0x3A && LayoutMarkup.isCitationMark(source, count: sourceCount, start: start, end: end)))
      || (dropsSubtitleCues && !chunked && LayoutMarkup.mayBeSubtitleCue(source, count: sourceCount, start: start, end: end)
        && ((holdsCueArrow() && LayoutMarkup.isSubtitleCue(source, count: sourceCount, start: start, end: end))
          || (dropsLogStamps && length <= 2 && LayoutMarkup.isLogStamp(source, count: sourceCount, start: start, end: end))))
    {
      // An option label (Normalizer rule 8), a line number (rule 26), a subtitle cue's timing,
      // setting or number (rule 27), a citation mark's number (rule 28), or a number of a chat
      // log's time stamp (rule 30; its speaker is skipped at its `<`): not a token.
      counts.labels &+= 1
      start = -1
      length = 0
      return
    }
    let hash =
      chunked
      ? XXH3.hash64(UnsafeRawPointer(buffer), count: length, seed: carry)
      : XXH3.hash64(UnsafeRawPointer(buffer), count: length)
    sink.consume(hash: hash, start: start, end: end)
    counts.tokens &+= 1
    start = -1
    length = 0
    chunked = false
    carry = 0
  }

  /// Whether ``finish(into:counts:)`` would only hash this word (``Tokenizer/isPlainWord``), for
  /// a word of one chunk. Asked only where a byte follows the word.
  @inlinable @inline(__always)
  var isPlain: Bool {
    !chunked
      && Tokenizer.isPlainWord(
        first: buffer[0], length: length, romanLabel: Tokenizer.isRomanLabel(folded: buffer, length: length), start: start,
        commandAt: commandAt, before: start > 0 ? source[start &- 1] : 0, after: source[end], dropsCues: dropsSubtitleCues)
  }

  /// ``finish(into:counts:)`` of a word that ``isPlain``.
  @inlinable @inline(__always)
  mutating func hashPlain<Sink: TokenSink & ~Copyable>(into sink: inout Sink, counts: inout TokenizeCounts) {
    sink.consume(hash: XXH3.hash64(UnsafeRawPointer(buffer), count: length), start: start, end: end)
    counts.tokens &+= 1
    start = -1
    length = 0
  }

  /// Whether the text holds a `-->`, which every subtitle cue's timing line has (rule 27): where
  /// it holds none, no word is a cue, and ``LayoutMarkup/isSubtitleCue(_:count:start:end:)``
  /// (a walk to the line's start and a look for a timing line) is not asked at every word
  /// beside a `:` and every short number. Looked for once per text, the first time it matters.
  @inlinable
  mutating func holdsCueArrow() -> Bool {
    if cueArrow == 0 {
      cueArrow = 1
      // Each `>` (rare in text; found by the C library's vector search) and the two bytes before it.
      var k = 2
      while k < sourceCount, let found = memchr(source + k, 0x3E, sourceCount &- k) {
        let at = source.distance(to: found.assumingMemoryBound(to: UInt8.self))
        if source[at &- 1] == 0x2D && source[at &- 2] == 0x2D {
          cueArrow = 2
          break
        }
        k = at &+ 1
      }
    }
    return cueArrow == 2
  }

  /// Rule 32: where this word of one ASCII letter or digit, before a space, starts a
  /// letter-spaced run, the word becomes the run: lone ASCII letters and digits one space apart
  /// (``LayoutMarkup/isLoneCharacter(_:count:at:)``), lower-cased, up to the end of the last
  /// (``spacedEnd``), whose characters the tokenizer then passes over. A run starts only where
  /// three lone letters one space apart (``LayoutMarkup/startsLetterRun(_:count:at:)``) lie
  /// within 64 bytes of it, so `d o` and `2 5 0` join beside spaced words while lone characters
  /// in normal text stay apart (`Plan B a`, `4 x 2 = 8`). A run begun after a backslash and its
  /// space (`\ f r a c`) is a command's name (rule 14). A run is cut at ``Tokenizer/wordChunk``
  /// characters (the word buffer's size).
  @usableFromInline @inline(never)
  mutating func spellSpaced() {
    guard LayoutMarkup.isLoneCharacter(source, count: sourceCount, at: end &+ 1), letterRunNear(end) else { return }
    if commandAt == start &- 1 { commandAt = start }
    var j = end
    repeat {
      buffer[length] = source[j &+ 1] | 0x20  // digits have the bit already
      length &+= 1
      j &+= 2
    } while length < Tokenizer.wordChunk && j < sourceCount && source[j] == 0x20
      && LayoutMarkup.isLoneCharacter(source, count: sourceCount, at: j &+ 1)
    end = j
    spacedEnd = j
  }

  /// Whether a run of three lone letters one space apart starts within 64 bytes of `space`.
  /// Each byte is looked at once per text (``letterRunsSeen``): the windows of the spaces asked
  /// about only move on, and a table of lone digits asks at every one.
  @usableFromInline
  mutating func letterRunNear(_ space: Int) -> Bool {
    let low = max(0, space &- 68)
    let high = min(sourceCount, space &+ 66)
    if low > letterRunsSeen.end { letterRunsSeen = (low, -1) }
    if letterRunsSeen.last >= low { return true }
    var p = max(low, letterRunsSeen.end)
    while p < high {
      if LayoutMarkup.startsLetterRun(source, count: sourceCount, at: p) {
        letterRunsSeen = (p &+ 1, p)
        return true
      }
      p &+= 1
    }
    letterRunsSeen.end = max(letterRunsSeen.end, high)
    return false
  }

  /// A non-ASCII scalar (or a decoded entity) occupying source bytes `start..<end`.
  @inlinable
  mutating func scalar<Sink: TokenSink & ~Copyable>(
    _ value: UInt32, start sourceStart: Int, end sourceEnd: Int, normalizer: Normalizer,
    into sink: inout Sink, counts: inout TokenizeCounts
  ) {
    if dropsCommands && (value == 0x5C || value == 0xFF3C || value == 0xFE68) {
      // A backslash written as an entity (`&#92;`), full width or small: a command may follow.
      finish(into: &sink, counts: &counts)
      commandAt = sourceEnd
      return
    }
    if value < 0x80 {
      let c = normalizer.ascii[Int(value)]
      if c != 0 && c != 0xFF {
        inScript = false
        append(c, at: sourceStart)
        end = sourceEnd
      } else {
        finish(into: &sink, counts: &counts)
      }
      return
    }
    if value < 0x10000 {
      var script = false
      let (kind, folded, count) = normalizer.lookup(value)
      // A superscript or subscript that reads as a letter (`ᵃ`, not `²`).
      let scriptLetter = count == 1 && folded[0] >= 0x61 && folded[0] <= 0x7A
      if readsMath {
        if length > 0 && buffer[length &- 1] < 0x3A && MathSymbols.isNamedGreek(value) && !chunked {
          // A Greek letter right after digits starts a word (`2π` reads `2 pi`, rule 18).
          finish(into: &sink, counts: &counts)
        }
        script = readsEncodedText ? MathSymbols.isScriptLetter(value) : MathSymbols.isScript(value)
        if script && start >= 0 && !inScript {
          if joinsScriptWords && scriptLetter && (start == scriptWordStart || (length == 1 && buffer[0] == 0x71 && !chunked)) {
            // A word of superscript letters goes on through a `q`, the one letter with no
            // superscript form, before or after them (`ˢqᵘᵃʳᵉ`, `qᵘᵃʳᵗᵉʳ`; rule 31).
            scriptWordStart = start
          } else {
            // A superscript or subscript after other text starts a word (`x²` reads `x 2`, rule 18).
            finish(into: &sink, counts: &counts)
          }
        }
      }
      let opens = start < 0
      apply(value, kind: kind, folded: folded, count: count, start: sourceStart, end: sourceEnd, into: &sink, counts: &counts)
      inScript = script && start >= 0
      if inScript && opens && scriptLetter { scriptWordStart = start }
      return
    }
    inScript = false
    _scalarAboveBMP(value, start: sourceStart, end: sourceEnd, version: normalizer.textVersion, into: &sink, counts: &counts)
  }

  @usableFromInline
  mutating func _scalarAboveBMP<Sink: TokenSink & ~Copyable>(
    _ value: UInt32, start sourceStart: Int, end sourceEnd: Int, version: TextVersion,
    into sink: inout Sink, counts: inout TokenizeCounts
  ) {
    guard let scalar = Unicode.Scalar(value) else {
      finish(into: &sink, counts: &counts)
      return
    }
    let (kind, bytes) = Normalizer.fold(scalar, version: version)
    bytes.withUnsafeBufferPointer { folded in
      apply(
        value, kind: UInt32(kind.rawValue), folded: folded.baseAddress ?? UnsafePointer(buffer), count: folded.count,
        start: sourceStart, end: sourceEnd, into: &sink, counts: &counts)
    }
  }

  @inlinable @inline(__always)
  mutating func apply<Sink: TokenSink & ~Copyable>(
    _ value: UInt32, kind: UInt32, folded: UnsafePointer<UInt8>, count: Int, start sourceStart: Int, end sourceEnd: Int,
    into sink: inout Sink, counts: inout TokenizeCounts
  ) {
    switch kind {
    case 1:  // word
      if count == 0 {
        // Marks and format characters: ignored, but a word they sit in reaches past them.
        if start >= 0 { end = sourceEnd }
        return
      }
      for k in 0..<count {
        let c = folded[k]
        if c == 0x20 {
          finish(into: &sink, counts: &counts)
        } else {
          append(c, at: sourceStart)
          end = sourceEnd
        }
      }
    case 2:  // single
      finish(into: &sink, counts: &counts)
      if readsMath && folded[0] < 0x80 {
        // A math symbol (rule 18). Used as a list bullet (`· choice`) it is layout, not a token;
        // between two words (`Home · About`) it separates; in math it is a token.
        if LayoutMarkup.isBullet(source, count: sourceCount, start: sourceStart, end: sourceEnd) {
          counts.labels &+= 1
          return
        }
        if !LayoutMarkup.isMathContext(value, source, count: sourceCount, start: sourceStart, end: sourceEnd) { return }
      }
      let hash = XXH3.hash64(UnsafeRawPointer(folded), count: count)
      sink.consume(hash: hash, start: sourceStart, end: sourceEnd)
      counts.tokens &+= 1
    default:
      finish(into: &sink, counts: &counts)
    }
  }
}

extension Tokenizer {
  /// A cut point at or after `position`: just past the next ASCII whitespace byte (within
  /// 64 KiB), else at a UTF-8 character boundary; the end of the text when it is nearer.
  package static func cut(_ text: UnsafeRawBufferPointer, after position: Int) -> Int {
    if position >= text.count { return text.count }
    let limit = min(text.count, position + (1 << 16))
    var p = position
    while p < limit {
      let byte = text[p]
      if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { return p + 1 }
      p += 1
    }
    p = position
    while p < text.count && text[p] & 0xC0 == 0x80 { p += 1 }
    return p
  }
}
