@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Tokenizer and normalizer")
struct TokenizerTests {
  let tokenizer = Tokenizer()

  func hashes(_ text: String) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }
  func words(_ words: String...) -> [UInt64] { words.map { XXH3.hash64($0) } }

  @Test(arguments: TextVersion.allCases)
  func fastPathsGiveTheByteWiseTokens(version: TextVersion) throws {
    // The fast paths (ASCII words classified eight bytes at once, plain words hashed where they
    // end) against the byte-wise one, every word through every rule, on
    // real text in many scripts, code, and crafted runs around every boundary it has: words of
    // 1 to 300 letters (the 256-byte chunk), every ASCII byte next to letters, entities, UTF-8,
    // texts that end mid-word at every offset.
    let wide = Tokenizer(normalizer: .of(version))
    let narrow = Tokenizer(normalizer: .of(version), wide: false)
    var texts: [[UInt8]] = []
    texts.append(Array(try TestData.gutenberg("1342-0.txt.gz", bytes: 300_000).utf8))
    for name in ["el.txt", "ja.txt", "ko.txt", "ru.txt", "zh_TW.txt"] {
      texts.append(Array(try String(contentsOfFile: TestData.path("text/scripts/\(name)"), encoding: .utf8).utf8.prefix(60_000)))
    }
    texts.append(Array(try String(contentsOfFile: #filePath, encoding: .utf8).utf8))
    // TeX, numbers and option labels as benchmarks write them (MATH as JSON lines, MMLU as CSV).
    texts.append(Array(try TestData.gunzip("benchmarks/math/test.jsonl.gz").prefix(200_000)))
    texts.append(Array(try Data(contentsOf: URL(fileURLWithPath: TestData.path("benchmarks/mmlu/test/abstract_algebra_test.csv")))))
    for length in 1...300 {
      let word = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) ^ ($0 % 3 == 0 ? 0x20 : 0) }
      texts.append(word)
      texts.append(Array("x ".utf8) + word + Array(" 42".utf8))
      texts.append(word + Array("&amp;".utf8) + word)
      texts.append(word + [0xC3, 0xA9] + word)
    }
    for byte in UInt8(0)...UInt8(255) {
      texts.append(Array("Alpha".utf8) + [byte] + Array("Bravo9Charlie".utf8) + [byte, byte] + Array("Z".utf8))
    }
    // Seeded, so a failure repeats.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let alphabet = Array("aZ09 .,&;\n<>\\_-'`@[{".utf8) + [0xC3, 0xA9, 0xE2, 0x80, 0x99, 0xFF]
    // Words and what sits beside them where a rule reads it: labels (`iv`, `b`), numbers,
    // colons (subtitle cues), TeX commands, brackets, hyphens, entities, spaced letters.
    let pieces = [
      "the", "Which", "iv", "viii", "vivid", "i", "ii", "III", "vi", "Vii", "in", "is", "b", "42", "00:03:41,200", "-->", ":", " ", "  ", "\n", "\\frac", "\\", "]",
      "(a)", "-", "&amp;", "<b>", "W h e r e", "x", "π", "é", ".", ",", "\t", " --> ", "align:start", "position:10%",
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000 align:start line:0\nHello there\n",
    ].map { Array($0.utf8) }
    for _ in 0..<300 {
      texts.append((0..<next(40)).flatMap { _ in pieces[next(pieces.count)] })
    }
    for _ in 0..<300 {
      texts.append((0..<next(200)).map { _ in alphabet[next(alphabet.count)] })
    }
    // The fast lane's 64-byte blocks: a word of 1 to 17 letters (a label, a number) at every
    // place from 40 to 72 of a run of plain words, then what may end it, then more words.
    let filler = Array("the cat sat on a mat, and then ".utf8)
    let after = ["", " ", ", ", " \n\n  ", "-", "<b>", "\u{E9}", ":", "&amp;", "\\", " a b c ", " x y", " I ", "'t ", "-known", "-\nple", "- \n ple", "-\r\nPaul", "--> ", "-2", "-- a"].map { Array($0.utf8) }
    for offset in 40...72 {
      for length in 1...17 {
        let head = (0..<offset).map { filler[$0 % filler.count] }
        let word =
          length == 2 && offset % 3 == 0
          ? Array("iv".utf8) : length == 1 && offset % 2 == 0 ? Array("7".utf8) : (0..<length).map { UInt8(ascii: "b") + UInt8($0 % 20) }
        for tail in after {
          texts.append(head + word + tail + Array((0..<90).map { filler[$0 % filler.count] }))
        }
      }
    }
    // The tokens and the counts (labels dropped, invalid bytes) alike.
    func read(_ tokenizer: Tokenizer, _ bytes: [UInt8]) -> ([Token], TokenizeCounts) {
      var collector = TokenCollector()
      let counts = bytes.withUnsafeBytes { tokenizer.tokenize($0, into: &collector) }
      return (collector.tokens, counts)
    }
    for text in texts {
      for end in Set([text.count, text.count - 1, text.count - 7, text.count / 2]) where end >= 0 {
        let slice = Array(text[..<end])
        let (fast, fastCounts) = read(wide, slice)
        let (slow, slowCounts) = read(narrow, slice)
        #expect(fast == slow, "\(String(decoding: slice.prefix(80), as: UTF8.self))")
        #expect(fastCounts == slowCounts, "\(String(decoding: slice.prefix(80), as: UTF8.self))")
      }
    }
  }

  @Test func sixteenBytesAtOnceMeasureAWordAsTheByteLoopDoes() {
    // The fast lane's word length (SSE2 where there is one) against a byte loop over the ASCII
    // fold table's definition: every byte value at every one of the 16 places, after word bytes
    // of each kind, and seeded random buffers of word bytes, separators and UTF-8.
    func expected(_ bytes: [UInt8]) -> Int {
      bytes.prefix(16).prefix { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x30 && $0 <= 0x39 }.count
    }
    func measured(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { Tokenizer.wordLength16($0.baseAddress!) } }
    var checked = 0
    for fill in Array("aZ09zA".utf8) {
      for place in 0..<16 {
        for byte in UInt8(0)...UInt8(255) {
          var bytes = [UInt8](repeating: fill, count: 20)
          bytes[place] = byte
          #expect(measured(bytes) == expected(bytes), "byte \(byte) at \(place) after \(fill)")
          checked += 1
        }
      }
    }
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    let alphabet = Array("abcxyzABCXYZ0189 .,-@[`{/:\n".utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0x00]
    for _ in 0..<20_000 {
      let bytes = (0..<16).map { _ -> UInt8 in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        // Mostly word bytes, so long words come up.
        let pick = Int(state >> 33)
        return pick % 8 == 0 ? alphabet[pick / 8 % alphabet.count] : alphabet[pick / 8 % 12]
      }
      #expect(measured(bytes) == expected(bytes), "\(bytes)")
      checked += 1
    }
    #expect(checked == 6 * 16 * 256 + 20_000)
  }

  @Test func theRomanLabelTestIsLayoutMarkupsOnEveryShortWord() {
    // The fast lane's label test (a perfect hash of `ii iii iv vi vii viii`) against the
    // rule's own (`LayoutMarkup.isLabel`), on every word of 2 to 6 bytes over letters the
    // labels use and some they do not, in both cases, with any bytes after the word (they must
    // not count), and on longer words that start like a label.
    let letters = Array("ivxIVa".utf8)
    var labels = 0
    var checked = 0
    for length in 1...6 {
      var word = [UInt8](repeating: 0, count: length)
      func visit(_ k: Int) {
        guard k == length else {
          for letter in letters {
            word[k] = letter
            visit(k + 1)
          }
          return
        }
        let lower = word.map { $0 | 0x20 }
        let isLabel = length >= 2 && lower.withUnsafeBufferPointer { LayoutMarkup.isLabel($0.baseAddress!, count: length) }
        for tail in [UInt8(0x69), 0x76, 0x20, 0x00] {
          var x: UInt64 = 0
          for k in 0..<8 { x |= UInt64(k < length ? word[k] : tail) << (8 * k) }
          let found = Tokenizer.isRomanLabel(x, length: length)
          #expect(found == isLabel, "\(String(decoding: word, as: UTF8.self)) then \(tail)")
          if found { labels += 1 }
          checked += 1
        }
      }
      visit(0)
    }
    // ii iii iv vi vii viii in every mix of cases, four tails each: 4·(4 + 8 + 4 + 4 + 8 + 16).
    #expect(labels == 4 * 44)
    // A word that starts with a label is not one: every length to 300 (the words' top byte).
    for length in 5...300 {
      let x = UInt64(0x6969_6976)  // `viii` and then nothing: only the length differs
      #expect(!Tokenizer.isRomanLabel(x, length: length), "length \(length)")
    }
    #expect(checked == 4 * (6 + 36 + 216 + 1296 + 7776 + 46656))
  }

  @Test func asciiIsLowerCasedAndSplitOnPunctuation() {
    #expect(hashes("Hello, World! It's 42.") == words("hello", "world", "it", "42"))
  }

  @Test(arguments: [
    ("café", "cafe"), ("CAFÉ", "cafe"), ("cafe\u{301}", "cafe"), ("Ｃａｆｅ", "cafe"), ("ﬁne", "fine"),
    // (A superscript after a letter starts a word since contam-text/5, `x²` as `x^2`: RenderedMathTests.)
    ("Straße", "strasse"), ("ｘ２", "x2"), ("Ǆemal", "dzemal"), ("naïve", "naive"), ("Ångström", "angstrom"),
  ])
  func foldsToTheSameWord(input: String, expected: String) {
    #expect(hashes(input) == words(expected))
  }

  @Test func htmlEntitiesAreDecoded() {
    #expect(hashes("Tom &amp; Jerry&#39;s caf&eacute;&nbsp;bar") == hashes("Tom & Jerry's café bar"))
    #expect(hashes("&#x43;&#97;t") == words("cat"))
    #expect(hashes("&bogus; &amp") == words("bogus", "amp"), "unknown or unterminated references are text")
  }

  @Test func curlyQuotesAndDashesEqualAscii() {
    #expect(hashes("“Don’t” — she said – ‘no’…") == hashes("\"Don't\" - she said - 'no'..."))
  }

  @Test func whitespaceAndLineBreaksNeverMatter() throws {
    let prose = try TestData.gutenberg(bytes: 5_000)
    let rewrapped = prose.split(whereSeparator: \.isWhitespace).joined(separator: "\n  \t")
    #expect(hashes(prose) == hashes(rewrapped))
  }

  @Test func invisibleFormatCharactersAreIgnored() {
    #expect(hashes("con\u{AD}tam\u{200B}ination \u{FEFF}test") == words("contamination", "test"))
  }

  @Test func cjkIdeographsKanaAndHangulAreOneTokenEach() {
    #expect(hashes("中文测试") == words("中", "文", "测", "试"))
    // 語 is also the Traditional form of 语: contam-text/3 folds it (rule 12).
    #expect(hashes("日本語のテスト") == words("日", "本", "语", "の", "テ", "ス", "ト"))
    #expect(hashes("한국어") == words("한", "국", "어"))
    #expect(hashes("ｶﾀｶﾅ") == words("カ", "タ", "カ", "ナ"), "half-width katakana folds to full width")
    #expect(hashes("GPT-4在中国") == words("gpt", "4", "在", "中", "国"))
  }

  @Test func chineseItemIsFoundInChineseText() {
    let item = hashes("小明有三个苹果。")
    let page = hashes("今天老师说：小明有三个苹果，小红有五个。")
    let found = (0...(page.count - item.count)).contains { Array(page[$0..<$0 + item.count]) == item }
    #expect(found)
  }

  @Test func byteRangesPointAtTheSourceBytes() {
    let text = "Ｃafé — “naïve” &amp; 中文 xy"
    let bytes = Array(text.utf8)
    let sources = tokenizer.tokens(of: text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    #expect(sources == ["Ｃafé", "naïve", "中", "文", "xy"])
  }

  @Test func invalidUTF8SeparatesAndIsCounted() {
    var bytes = Array("good".utf8) + [0xFF] + Array("word".utf8) + [0xE2, 0x82] + Array("end".utf8)
    bytes += [0xED, 0xA0, 0x80]  // an encoded surrogate: invalid in UTF-8
    bytes += [0xC0, 0xAF]  // an overlong '/'
    var collector = TokenCollector()
    let counts = bytes.withUnsafeBytes { tokenizer.tokenize($0, into: &collector) }
    #expect(collector.tokens.map(\.hash) == words("good", "word", "end"))
    #expect(counts.invalidBytes == 1 + 2 + 3 + 2)
    #expect(counts.tokens == 3)
  }

  @Test func veryLongWordsHashInChunksDeterministically() {
    let long = String(repeating: "ab", count: 400)
    #expect(hashes(long) == hashes(long.uppercased()))
    #expect(hashes(long) != hashes(long + "c"))
    #expect(hashes(long).count == 1)
  }

  @Test func realNovelsInManyLanguagesTokenize() throws {
    // Real prose: the start of each committed Gutenberg novel.
    let dir = TestData.fixtures.appendingPathComponent("text/gutenberg")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt.gz") }.sorted()
    #expect(names.count >= 5)
    for name in names.prefix(12) {
      let text = try TestData.gutenberg(name, bytes: 30_000)
      var counter = TokenCounter()
      var copy = text
      let counts = copy.withUTF8 { tokenizer.tokenize(UnsafeRawBufferPointer($0), into: &counter) }
      #expect(counts.tokens > 1000, "\(name)")
    }
  }

  @Test func normalizationIsVersioned() {
    #expect(Normalizer.version == "contam-text/11" && TextVersion.current == .v11)
    #expect(Normalizer.of(.v10).textVersion == .v10 && Normalizer.of(.v11) === Normalizer.shared)
    #expect(TextVersion(name: "contam-text/2") == .v2 && TextVersion(name: "1") == .v1)
    #expect(TextVersion(name: "contam-text/12") == nil && TextVersion(name: "") == nil)
    #expect(Normalizer.of(.v1).textVersion == .v1 && Normalizer.of(.v2).textVersion == .v2)
    #expect(Normalizer.fold("é").bytes == Array("e".utf8))
    #expect(Normalizer.fold("中").kind == .single)
    #expect(Normalizer.fold("—").kind == .separator)
  }

  /// The fold table skips NFKC for the blocks whose characters compose to themselves (most of
  /// the BMP's letters, the slow part of building it): every scalar in them is checked against
  /// Foundation's NFKC, and a compatibility ideograph (which NFKC changes) is not in them.
  @Test func theBlocksTheFoldTableTakesAsTheyAreComposeToThemselves() {
    // Scalar by scalar: String's == holds canonically equivalent strings equal.
    func nfkc(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] { Array(String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars) }
    var checked = 0
    var changed: [UInt32] = []
    for value in UInt32(0x3000)...0xD7FF {
      guard let scalar = Unicode.Scalar(value), Normalizer.composesToItself(scalar) else { continue }
      if nfkc(scalar) != [scalar] { changed.append(value) }
      checked += 1
    }
    #expect(changed.isEmpty, "NFKC changes \(changed.prefix(5).map { String($0, radix: 16) })")
    #expect(checked > 38_000)
    #expect(!Normalizer.composesToItself("\u{F900}") && nfkc("\u{F900}") == ["\u{8C48}"])
  }

  @Test func aCharacterThatFoldsToSeveralWordsGivesTokensSharingItsBytes() {
    // Found by the tokenizer fuzzer: `¾` is `3⁄4` after NFKD.
    let tokens = tokenizer.tokens(of: "o¾ xy")
    #expect(tokens.map(\.hash) == words("o3", "4", "xy"))
    #expect(tokens.map { [$0.start, $0.end] } == [[0, 3], [1, 3], [4, 6]])
  }
}
